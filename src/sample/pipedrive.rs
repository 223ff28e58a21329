//! `followup sample --style pipedrive`: the deals of the canonical sample
//! ([`crate::sample`], same options, same seed) written as Pipedrive gives them
//! (shared/formats/crm-exports.md §3.1):
//!
//! - `deals-4417002-1.csv`, the Deals list export: UTF-8 with BOM, every field quoted,
//!   `Deal - …` headers; `Deal - ID` is the canonical deal number (`D000042` → `42`),
//!   `Deal - Status` Open / Won / Lost, the default pipeline's stages (New → Lead In,
//!   Contacted → Contact Made, Meeting booked → Demo Scheduled, Proposal sent →
//!   Proposal Made; won deals in Negotiations Started, lost ones in Contact Made), times
//!   as `2026-03-02 09:00:00` (created 09:00:00, closed 17:00:00 on the canonical days),
//!   `Deal - Deal closed on` (and `Won time` / `Lost time`) set exactly for won and lost
//!   deals, `Deal - Expected close date` a forecast (the close day, or 45 days after
//!   creation for open deals), `Deal - Done activities` / `Deal - Total activities`,
//!   and the cadence as a custom field `Deal - Cadence`;
//! - `pipedrive-activities-api.json`, the activities as a user saves `GET /v1/activities`:
//!   a JSON list of pages of 100 (`{"success":true,"data":[…],"additional_data":
//!   {"pagination":…}}`), each activity with `id`, `deal_id`, `user_id`, `owner_name`,
//!   `type`, `done`, `due_date`, `due_time` (UTC), `add_time`, `marked_as_done_time`,
//!   `subject`.
//!
//! Pipedrive activities have no direction and no outcome (an inbound email lives in the
//! Mailbox, not in activities): what a Pipedrive user logs of each canonical row is
//!
//! | canonical row | Pipedrive activity |
//! |---|---|
//! | Email out (Sent) | `email`, done |
//! | Call out (any outcome) | `call`, done (the outcome is lost) |
//! | Meeting Held or no outcome | `meeting`, done (a held meeting: a response) |
//! | Meeting No show | `call` "No show for the meeting; left voicemail" (a done meeting always took place) |
//! | LinkedIn, Text out | the account's own types `linkedin` / `sms`, done |
//! | Note | `task`, done (not a touch) |
//! | anything inbound (replies, automatic replies, enquiries, unsubscribes) | not written: not an activity |
//! | Email Bounced | not written: Pipedrive keeps no bounce (the email would be a touch) |
//!
//! and each open deal whose number is a multiple of 7 has one planned activity
//! (`done: false`, a call or, every other one, a meeting, 3–22 days after `as_of`),
//! which only `touches.planned` counts.
//!
//! So the Pipedrive sample gives exactly the metrics of the canonical log with those
//! rows dropped and changed (the test `exports::pipedrive_sample_*` builds that log and
//! compares every field): the only response left is a held meeting, so response rates,
//! response by touch, time to response and the due list differ from the canonical
//! sample's; `touches.inbound`, `bounced`, `opt_outs` and `inbound_initiated` are 0;
//! `touches.planned` counts the planned activities; deal ids are Pipedrive's numbers.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;

use crate::sample::{with_split_sample, SampleOptions, SampleSummary, SplitDeal};

/// The account's company id, in the file names and on every activity.
const COMPANY: u64 = 4_417_002;
/// First activity id.
const ACTIVITY_BASE: u64 = 20_001;
/// Activities per API page (`limit=100`).
const PAGE: usize = 100;
/// The owners' user ids, by name (any other owner gets the next number).
const USERS: [&str; 5] = ["Maria Lopez", "Tom Becker", "Chloé Martin", "Raj Patel", "Ben Okafor"];
/// The deals export.
pub const DEALS_FILE: &str = "deals-4417002-1.csv";
/// The API activities, saved as a list of pages.
pub const ACTIVITIES_FILE: &str = "pipedrive-activities-api.json";

const DEALS_HEADER: [&str; 19] = [
    "Deal - ID",
    "Deal - Title",
    "Deal - Value",
    "Deal - Currency of value",
    "Deal - Organization",
    "Deal - Owner",
    "Deal - Stage",
    "Deal - Status",
    "Deal - Deal created",
    "Deal - Update time",
    "Deal - Expected close date",
    "Deal - Deal closed on",
    "Deal - Won time",
    "Deal - Lost time",
    "Deal - Lost reason",
    "Deal - Total activities",
    "Deal - Done activities",
    "Deal - Next activity date",
    "Deal - Cadence",
];

fn invalid(m: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("reading the canonical sample back: {m}"))
}

/// The Pipedrive deal id of a canonical one (`D000042` → 42).
fn deal_number(id: &str) -> io::Result<u64> {
    id.trim_start_matches('D').parse().map_err(|_| invalid(format!("unexpected sample deal id {id:?}")))
}

fn user_id(owner: &str) -> u64 {
    13_801 + USERS.iter().position(|u| *u == owner).unwrap_or(USERS.len()) as u64
}

/// An activity of `GET /v1/activities`, with the fields followup reads and the usual
/// ones around them, in the API's order.
#[derive(Serialize)]
struct Activity<'a> {
    id: u64,
    company_id: u64,
    user_id: u64,
    done: bool,
    #[serde(rename = "type")]
    kind: &'a str,
    due_date: &'a str,
    due_time: &'a str,
    duration: &'a str,
    add_time: String,
    marked_as_done_time: Option<String>,
    subject: String,
    org_id: u64,
    deal_id: u64,
    active_flag: bool,
    note: &'a str,
    deal_title: &'a str,
    org_name: &'a str,
    owner_name: &'a str,
    assigned_to_user_id: u64,
}

/// A deal and what its activities say of it.
struct Deal {
    d: SplitDeal,
    number: u64,
    done: usize,
    planned: Option<String>,
    updated: String,
}

/// Writes the Pipedrive form of the sample into `out_dir`; the files are returned in
/// [`SampleSummary::files`]. Same options, same bytes.
pub fn write(opts: &SampleOptions, out_dir: &Path) -> io::Result<SampleSummary> {
    with_split_sample(opts, |_, deals, touches| translate(opts, out_dir, deals, touches))
}

fn translate(
    opts: &SampleOptions,
    out_dir: &Path,
    split: Vec<SplitDeal>,
    mut touches: csv::Reader<File>,
) -> io::Result<SampleSummary> {
    fs::create_dir_all(out_dir)?;
    let mut deals = Vec::with_capacity(split.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(split.len());
    for d in split {
        let number = deal_number(&d.id)?;
        let updated =
            if d.closed.is_empty() { format!("{} 09:00:00", d.created) } else { format!("{} 17:00:00", d.closed) };
        index.insert(d.id.clone(), deals.len());
        deals.push(Deal { d, number, done: 0, planned: None, updated });
    }

    let activities_path = out_dir.join(ACTIVITIES_FILE);
    let mut pages = Pages::new(BufWriter::new(File::create(&activities_path)?));
    let mut next_id = ACTIVITY_BASE;
    for rec in touches.records() {
        let r = rec.map_err(|e| invalid(e.to_string()))?;
        let c = |i: usize| r.get(i).unwrap_or("");
        let deal = index
            .get(c(0))
            .and_then(|&i| deals.get_mut(i))
            .ok_or_else(|| invalid(format!("touch of unknown deal {:?}", c(0))))?;
        let (at, channel, direction, outcome, subject) = (c(1), c(2), c(3), c(4), c(5));
        let (kind, subject) = match (channel, direction, outcome) {
            ("Note", _, _) => ("task", subject.to_owned()),
            (_, "Inbound", _) | ("Email", _, "Bounced") => continue,
            ("Email", _, _) => ("email", subject.to_owned()),
            ("Call", _, _) => {
                ("call", if subject.is_empty() { format!("Call with {}", deal.d.name) } else { subject.to_owned() })
            }
            ("Meeting", _, "No show") => ("call", "No show for the meeting; left voicemail".to_owned()),
            ("Meeting", _, _) => (
                "meeting",
                if subject.is_empty() { format!("Meeting with {}", deal.d.name) } else { subject.to_owned() },
            ),
            ("LinkedIn", _, _) => ("linkedin", subject.to_owned()),
            ("Text", _, _) => ("sms", subject.to_owned()),
            (other, _, _) => {
                return Err(invalid(format!("the Pipedrive sample has no activity type for channel {other:?}")))
            }
        };
        let (day, time) = at.split_once(' ').unwrap_or((at, ""));
        let done_at = format!("{at}:00");
        deal.done += 1;
        deal.updated = deal.updated.clone().max(done_at.clone());
        pages.push(&activity(deal, next_id, kind, day, time, subject, Some(done_at)))?;
        next_id += 1;
    }
    let written = pages.count;
    // The planned activities: every open deal numbered a multiple of 7.
    for deal in deals.iter_mut().filter(|d| d.d.status == "open" && d.number % 7 == 0) {
        let due = (opts.as_of + chrono::Days::new(3 + deal.number % 20)).format("%Y-%m-%d").to_string();
        let (kind, subject) =
            if deal.number % 14 == 0 { ("meeting", "Next steps meeting") } else { ("call", "Follow-up call") };
        pages.push(&activity(deal, next_id, kind, &due, "10:00", subject.to_owned(), None))?;
        next_id += 1;
        deal.planned = Some(due);
    }
    let planned = pages.count - written;
    pages.finish()?;

    let deals_path = out_dir.join(DEALS_FILE);
    let mut out = BufWriter::new(File::create(&deals_path)?);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(DEALS_HEADER)?;
    for deal in &deals {
        w.write_record(deal_row(deal))?;
    }
    w.into_inner().map_err(|e| e.into_error())?.flush()?;
    Ok(SampleSummary { deals: deals.len(), touch_rows: written + planned, files: vec![deals_path, activities_path] })
}

fn activity<'a>(
    deal: &'a Deal,
    id: u64,
    kind: &'a str,
    day: &'a str,
    time: &'a str,
    subject: String,
    done_at: Option<String>,
) -> Activity<'a> {
    let user = user_id(&deal.d.owner);
    Activity {
        id,
        company_id: COMPANY,
        user_id: user,
        done: done_at.is_some(),
        kind,
        due_date: day,
        due_time: time,
        duration: match kind {
            "call" => "00:10",
            "meeting" => "00:30",
            _ => "",
        },
        add_time: done_at.clone().unwrap_or_else(|| format!("{} 09:00:00", deal.d.created)),
        marked_as_done_time: done_at,
        subject,
        org_id: 50_000 + deal.number,
        deal_id: deal.number,
        active_flag: true,
        note: "",
        deal_title: &deal.d.name,
        org_name: &deal.d.name,
        owner_name: &deal.d.owner,
        assigned_to_user_id: user,
    }
}

/// The deals export row.
fn deal_row(deal: &Deal) -> [String; 19] {
    let d = &deal.d;
    let (stage, status, lost_reason) = match d.status.as_str() {
        "won" => ("Negotiations Started", "Won", ""),
        "lost" => ("Contact Made", "Lost", "No decision"),
        _ => (
            match d.stage.as_str() {
                "New" => "Lead In",
                "Contacted" => "Contact Made",
                "Meeting booked" => "Demo Scheduled",
                _ => "Proposal Made",
            },
            "Open",
            "",
        ),
    };
    let closed = if d.closed.is_empty() { String::new() } else { format!("{} 17:00:00", d.closed) };
    let expected = if d.closed.is_empty() {
        chrono::NaiveDate::parse_from_str(&d.created, "%Y-%m-%d")
            .map(|c| (c + chrono::Days::new(45)).format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    } else {
        d.closed.clone()
    };
    // Pipedrive writes the value as a bare number: 4800, 4812.5.
    let value = d.amount.parse::<f64>().map(|a| a.to_string()).unwrap_or_default();
    let done = deal.done;
    [
        deal.number.to_string(),
        d.name.clone(),
        value,
        d.currency.clone(),
        d.name.clone(),
        d.owner.clone(),
        stage.into(),
        status.into(),
        format!("{} 09:00:00", d.created),
        deal.updated.clone(),
        expected,
        closed.clone(),
        if status == "Won" { closed.clone() } else { String::new() },
        if status == "Lost" { closed } else { String::new() },
        lost_reason.into(),
        (done + usize::from(deal.planned.is_some())).to_string(),
        done.to_string(),
        deal.planned.clone().unwrap_or_default(),
        d.cadence.clone(),
    ]
}

/// The API pages, written as a JSON list: a page is written once the next one has an
/// activity (so `more_items_in_collection` is known), the last one at [`Pages::finish`].
struct Pages<W: Write> {
    out: W,
    page: Vec<u8>,
    in_page: usize,
    count: usize,
}

impl<W: Write> Pages<W> {
    fn new(out: W) -> Self {
        Pages { out, page: Vec::new(), in_page: 0, count: 0 }
    }

    fn push(&mut self, a: &Activity) -> io::Result<()> {
        if self.in_page == PAGE {
            self.flush_page(true)?;
        }
        self.page.extend_from_slice(if self.in_page == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut self.page, a)?;
        self.in_page += 1;
        self.count += 1;
        Ok(())
    }

    fn flush_page(&mut self, more: bool) -> io::Result<()> {
        let start = self.count - self.in_page;
        self.out.write_all(if start == 0 {
            b"[\n{\"success\":true,\"data\":["
        } else {
            b",\n{\"success\":true,\"data\":["
        })?;
        self.out.write_all(&self.page)?;
        let next = if more { format!(",\"next_start\":{}", start + PAGE) } else { String::new() };
        write!(
            self.out,
            "\n],\"additional_data\":{{\"pagination\":{{\"start\":{start},\"limit\":{PAGE},\"more_items_in_collection\":{more}{next}}}}}}}"
        )?;
        self.page.clear();
        self.in_page = 0;
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.flush_page(false)?;
        self.out.write_all(b"\n]\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_options_same_bytes_and_pages_of_at_most_100() {
        let opts = SampleOptions { deals: 150, seed: 3, ..Default::default() };
        let (a, b) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
        let sa = write(&opts, a.path()).expect("sample");
        write(&opts, b.path()).expect("sample");
        for f in [DEALS_FILE, ACTIVITIES_FILE] {
            assert_eq!(fs::read(a.path().join(f)).ok(), fs::read(b.path().join(f)).ok(), "{f}");
        }
        let pages: Vec<serde_json::Value> =
            serde_json::from_slice(&fs::read(a.path().join(ACTIVITIES_FILE)).expect("read")).expect("a list of pages");
        let sizes: Vec<usize> = pages.iter().map(|p| p["data"].as_array().map_or(0, Vec::len)).collect();
        assert!(sizes.len() > 1 && sizes.iter().all(|&n| (1..=PAGE).contains(&n)), "{sizes:?}");
        assert_eq!(sizes.iter().sum::<usize>(), sa.touch_rows);
        let last = pages.len() - 1;
        for (i, p) in pages.iter().enumerate() {
            let pg = &p["additional_data"]["pagination"];
            assert_eq!(
                (pg["start"].as_u64(), pg["more_items_in_collection"].as_bool()),
                (Some(i as u64 * 100), Some(i != last))
            );
        }
        let planned: Vec<&serde_json::Value> = pages
            .iter()
            .flat_map(|p| p["data"].as_array().into_iter().flatten())
            .filter(|a| a["done"] == false)
            .collect();
        assert!(!planned.is_empty(), "the sample has planned activities");
        assert!(planned
            .iter()
            .all(|a| a["due_date"].as_str().is_some_and(|d| d > "2026-10-31") && a["marked_as_done_time"].is_null()));
        let deals = fs::read(a.path().join(DEALS_FILE)).expect("deals");
        assert!(deals.starts_with(b"\xEF\xBB\xBF\"Deal - ID\",\"Deal - Title\""));
    }
}
