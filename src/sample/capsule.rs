//! `followup sample --style capsule`: the deals of the canonical sample
//! ([`crate::sample`], same options, same seed) written as Capsule CRM gives them:
//!
//! - `capsule-export-<as_of>.zip`, the account export (Account Settings → Export Data):
//!   `Opportunities.csv` (UI labels; a `Status` column, as in accounts with Lost
//!   Reasons, the milestone being the last open one; ISO UTC `Created`; the cadence as a
//!   custom field `Cadence`), plus `Contacts.csv` (one organisation per opportunity) and
//!   `Projects.csv` (an onboarding project per won deal), which followup skips;
//! - `entries.json`, the history as the API's `GET /api/v2/entries` pages (100 entries
//!   each, the API's largest page), saved as one list of pages.
//!
//! The canonical sample is generated in split form into a scratch folder and translated
//! row by row, so this file depends only on its documented columns. Capsule records
//! less than the canonical log; each activity is written the way a Capsule user would
//! log it (crm-exports.md §5.4):
//!
//! | canonical touch | Capsule entry |
//! |---|---|
//! | Email out (Sent) | `email`, FROM one of our users (no party) |
//! | Email in (Replied, automatic reply, enquiry) | `email`, FROM the prospect's party, same subject |
//! | Call Connected | note of type Call, content "Spoke to …" |
//! | Call Left voicemail / No answer / Busy / Wrong number | note of type Call, content = the outcome |
//! | Meeting Held or no outcome | note of type Meeting |
//! | Meeting No show | note of type Call "No show for the meeting; left voicemail" (Capsule meetings have no outcome: a Meeting entry always took place) |
//! | LinkedIn, Text out | note of a custom activity type "LinkedIn" / "Text message" |
//! | LinkedIn, Text reply (in) | `email` FROM the prospect (as forwarded to Capsule's Mail Drop Box): Capsule notes have no direction |
//! | Note | note of type Note |
//! | Email Bounced | not written: Capsule keeps no bounce (the sent email would be a touch) |
//! | Email Unsubscribed (opt-out) | not written: Capsule has no opt-out entry (an inbound email would be a response) |
//!
//! So the Capsule sample gives the canonical metrics except, by construction:
//! `touches.bounced` and `touches.opt_outs` (0), `touches.inbound` (less the opt-outs),
//! `contacted_after_opt_out` (empty), the due list (opted-out open deals are no longer
//! known to have opted out), per-channel figures of no-show meetings (now calls), and
//! deal ids (Capsule's are numbers: `D000042` → `90000042`).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::sample::{with_split_sample, SampleOptions, SampleSummary, SplitDeal};

/// First opportunity id: deal `D000042` becomes opportunity `90000042`.
const OPPORTUNITY_BASE: u64 = 90_000_000;
/// First party (organisation) id.
const PARTY_BASE: u64 = 30_000_000;
/// First entry id.
const ENTRY_BASE: u64 = 70_000_000;
/// Entries per API page (`perPage=100`, the most Capsule's API gives).
const PAGE: usize = 100;
/// The owners' user ids, by name (any other owner gets the next number).
const USERS: [&str; 5] = ["Maria Lopez", "Tom Becker", "Chloé Martin", "Raj Patel", "Ben Okafor"];

/// A deal row of the split canonical sample.
type Deal = SplitDeal;

fn invalid(m: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, m)
}

/// The opportunity id of a canonical deal id (`D000042` → 90000042).
fn opportunity_id(deal_id: &str) -> io::Result<u64> {
    deal_id
        .trim_start_matches('D')
        .parse::<u64>()
        .map(|n| OPPORTUNITY_BASE + n)
        .map_err(|_| invalid(format!("unexpected sample deal id {deal_id:?}")))
}

/// An address-safe lower-case word from a name.
fn slug(s: &str) -> String {
    let w: String =
        s.split_whitespace().next().unwrap_or("contact").chars().filter(char::is_ascii_alphanumeric).collect();
    if w.is_empty() {
        "contact".into()
    } else {
        w.to_ascii_lowercase()
    }
}

/// Writes the Capsule form of the sample into `out_dir`; the files are returned in
/// [`SampleSummary::files`]. Same options, same bytes.
pub fn write_capsule_sample(opts: &SampleOptions, out_dir: &Path) -> io::Result<SampleSummary> {
    with_split_sample(opts, |canonical, deals, touches| translate(opts, out_dir, canonical, deals, touches))
}

fn translate(
    opts: &SampleOptions,
    out_dir: &Path,
    canonical: SampleSummary,
    deals: Vec<Deal>,
    mut touches: csv::Reader<File>,
) -> io::Result<SampleSummary> {
    fs::create_dir_all(out_dir)?;
    let index: std::collections::HashMap<&str, usize> =
        deals.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();

    let zip_path = out_dir.join(format!("capsule-export-{}.zip", opts.as_of.format("%Y-%m-%d")));
    write_zip(&zip_path, &deals, opts)?;

    let entries_path = out_dir.join("entries.json");
    let mut out = BufWriter::new(File::create(&entries_path)?);
    let mut written = 0usize;
    out.write_all(b"[\n")?;
    for rec in touches.records() {
        let r = rec.map_err(|e| invalid(e.to_string()))?;
        let c = |i: usize| r.get(i).unwrap_or("");
        let deal =
            index.get(c(0)).map(|&i| &deals[i]).ok_or_else(|| invalid(format!("touch of unknown deal {:?}", c(0))))?;
        let Some(entry) = entry(deal, ENTRY_BASE + 1 + written as u64, [c(1), c(2), c(3), c(4), c(5)])? else {
            continue;
        };
        if written.is_multiple_of(PAGE) {
            out.write_all(if written == 0 { b"{\"entries\": [\n" } else { b"\n]},\n{\"entries\": [\n" })?;
        } else {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &entry)?;
        written += 1;
    }
    out.write_all(if written == 0 { b"{\"entries\": []}\n]\n" } else { b"\n]}\n]\n" })?;
    out.flush()?;
    Ok(SampleSummary { deals: canonical.deals, touch_rows: written, files: vec![zip_path, entries_path] })
}

/// A user, party or activity-type reference, as the API writes it.
#[derive(Clone, Serialize)]
struct Named {
    id: i64,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    name: String,
}

/// An email participant.
#[derive(Serialize)]
struct Participant {
    address: String,
    party: Option<Named>,
    role: &'static str,
}

/// An entry of `GET /api/v2/entries`, with the fields followup reads (crm-exports.md
/// §5.4), in the API's order.
#[derive(Serialize)]
struct Entry {
    id: u64,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "activityType", skip_serializing_if = "Option::is_none")]
    activity_type: Option<Named>,
    #[serde(rename = "entryAt")]
    entry_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<String>,
    creator: Named,
    party: Named,
    opportunity: Named,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    participants: Vec<Participant>,
}

fn user(name: &str) -> Named {
    let i = USERS.iter().position(|u| *u == name).unwrap_or(USERS.len());
    Named { id: 1_950_001 + i as i64, kind: None, name: name.to_owned() }
}

/// One canonical touch row (`at`, `channel`, `direction`, `outcome`, `subject`) as a
/// Capsule entry; `None` when Capsule cannot record it (see the module table).
fn entry(deal: &Deal, id: u64, row: [&str; 5]) -> io::Result<Option<Entry>> {
    let [at, channel, direction, outcome, subject] = row;
    let opp = opportunity_id(&deal.id)?;
    let party = Named {
        id: (PARTY_BASE + (opp - OPPORTUNITY_BASE)) as i64,
        kind: Some("organisation"),
        name: deal.name.clone(),
    };
    let mut e = Entry {
        id,
        kind: "note",
        activity_type: None,
        entry_at: format!("{}:00Z", at.replacen(' ', "T", 1)),
        subject: None,
        content: None,
        creator: user(&deal.owner),
        party: party.clone(),
        opportunity: Named { id: opp as i64, kind: None, name: deal.name.clone() },
        participants: Vec::new(),
    };
    let (type_id, type_name, content): (i64, &str, String) = match (channel, outcome) {
        ("Email", "Bounced" | "Unsubscribed") => return Ok(None),
        // Capsule stores direction only on emails: a LinkedIn or text reply is kept as
        // the email it reached us as (forwarded to the Mail Drop Box).
        ("Email", _) | (_, _) if channel == "Email" || (direction == "Inbound" && channel != "Note") => {
            let ours = format!("{}@ourteam.example", deal.owner.to_lowercase().replace(' ', "."));
            let theirs = format!("hello@{}.example", slug(&deal.name));
            let (from, to) = if direction == "Inbound" {
                ((theirs, Some(party)), (ours, None))
            } else {
                ((ours, None), (theirs, Some(party)))
            };
            e.kind = "email";
            e.subject = Some(subject.to_owned());
            e.participants = vec![
                Participant { address: from.0, party: from.1, role: "FROM" },
                Participant { address: to.0, party: to.1, role: "TO" },
            ];
            return Ok(Some(e));
        }
        ("Call", "Connected") => (-3, "Call", format!("Spoke to the team at {}", deal.name)),
        ("Call", "") => (-3, "Call", "Called".into()),
        ("Call", o) => (-3, "Call", o.to_owned()),
        ("Meeting", "No show") => (-3, "Call", "No show for the meeting; left voicemail".into()),
        ("Meeting", _) => (-2, "Meeting", if subject.is_empty() { "Meeting".into() } else { subject.to_owned() }),
        ("Note", _) => (-1, "Note", subject.to_owned()),
        ("LinkedIn", _) => (90_101, "LinkedIn", subject.to_owned()),
        ("Text", _) => (90_102, "Text message", subject.to_owned()),
        (other, _) => return Err(invalid(format!("the Capsule sample has no entry for channel {other:?}"))),
    };
    e.activity_type = Some(Named { id: type_id, kind: None, name: type_name.to_owned() });
    e.content = Some(content);
    Ok(Some(e))
}

/// The account-export ZIP: Contacts.csv, Opportunities.csv, Projects.csv.
fn write_zip(path: &PathBuf, deals: &[Deal], opts: &SampleOptions) -> io::Result<()> {
    let zerr = |e: zip::result::ZipError| io::Error::other(format!("{}: {e}", path.display()));
    let mut z = zip::ZipWriter::new(BufWriter::new(File::create(path)?));
    let (y, m, d) = {
        use chrono::Datelike;
        (opts.as_of.year(), opts.as_of.month(), opts.as_of.day())
    };
    let stamp = zip::DateTime::from_date_and_time(y as u16, m as u8, d as u8, 12, 0, 0)
        .map_err(|e| io::Error::other(format!("{}: {e}", path.display())))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp);
    let csv_bytes = |rows: &mut dyn FnMut(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>| -> io::Result<Vec<u8>> {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        rows(&mut w).map_err(io::Error::other)?;
        w.into_inner().map_err(|e| io::Error::other(e.to_string()))
    };
    let contacts = csv_bytes(&mut |w| {
        w.write_record(["Type", "Name", "First Name", "Last Name", "Email Address", "Owner", "Created"])?;
        for deal in deals {
            let email = format!("hello@{}.example", slug(&deal.name));
            w.write_record(["organisation", &deal.name, "", "", &email, &deal.owner, &created_at(deal)])?;
        }
        Ok(())
    })?;
    let opportunities = csv_bytes(&mut |w| {
        w.write_record([
            "ID",
            "Name",
            "Party",
            "Milestone",
            "Status",
            "Value",
            "Currency",
            "Probability",
            "Expected Close Date",
            "Closed Date",
            "Lost Reason",
            "Owner",
            "Created",
            "Cadence",
        ])?;
        for deal in deals {
            let opp = opportunity_id(&deal.id).map_err(csv::Error::from)?;
            let (milestone, status, probability, lost_reason) = match deal.status.as_str() {
                "won" => ("Proposal sent", "Won", "100", ""),
                "lost" => ("Contacted", "Lost", "0", "No decision"),
                _ => (
                    deal.stage.as_str(),
                    "Open",
                    match deal.stage.as_str() {
                        "New" => "10",
                        "Contacted" => "25",
                        "Meeting booked" => "50",
                        _ => "75",
                    },
                    "",
                ),
            };
            let expected = if deal.closed.is_empty() { expected_close(deal) } else { deal.closed.clone() };
            w.write_record([
                &opp.to_string(),
                &deal.name,
                &deal.name,
                milestone,
                status,
                &deal.amount,
                &deal.currency,
                probability,
                &expected,
                &deal.closed,
                lost_reason,
                &deal.owner,
                &created_at(deal),
                &deal.cadence,
            ])?;
        }
        Ok(())
    })?;
    let projects = csv_bytes(&mut |w| {
        w.write_record(["Name", "Description", "Status", "Opportunity", "Owner", "Created", "Closed"])?;
        for deal in deals.iter().filter(|d| d.status == "won") {
            let name = format!("Onboarding {}", deal.name);
            w.write_record([
                &name,
                "Set up the account",
                "Open",
                &deal.name,
                &deal.owner,
                &format!("{}T10:00:00Z", deal.closed),
                "",
            ])?;
        }
        Ok(())
    })?;
    for (name, bytes) in [("Contacts.csv", contacts), ("Opportunities.csv", opportunities), ("Projects.csv", projects)]
    {
        z.start_file(name, options).map_err(zerr)?;
        z.write_all(&bytes)?;
    }
    z.finish().map_err(zerr)?.flush()
}

/// `createdAt` as Capsule writes it (ISO, UTC); the sample's creation day at 09:30.
fn created_at(deal: &Deal) -> String {
    format!("{}T09:30:00Z", deal.created)
}

/// An open opportunity's expected close: 45 days after its creation.
fn expected_close(deal: &Deal) -> String {
    chrono::NaiveDate::parse_from_str(&deal.created, "%Y-%m-%d")
        .map(|d| (d + chrono::Days::new(45)).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_options_same_bytes_and_pages_of_at_most_100() {
        let opts = SampleOptions { deals: 120, seed: 3, ..Default::default() };
        let (a, b) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
        let sa = write_capsule_sample(&opts, a.path()).expect("sample");
        write_capsule_sample(&opts, b.path()).expect("sample");
        for f in ["entries.json", "capsule-export-2026-10-31.zip"] {
            assert_eq!(fs::read(a.path().join(f)).ok(), fs::read(b.path().join(f)).ok(), "{f}");
        }
        let pages: Vec<serde_json::Value> =
            serde_json::from_slice(&fs::read(a.path().join("entries.json")).expect("read")).expect("a list of pages");
        let sizes: Vec<usize> = pages.iter().map(|p| p["entries"].as_array().map_or(0, Vec::len)).collect();
        assert!(sizes.len() > 1 && sizes.iter().all(|&n| (1..=PAGE).contains(&n)), "{sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), sa.touch_rows);
        assert_eq!(opportunity_id("D000042").ok(), Some(90_000_042));
    }
}
