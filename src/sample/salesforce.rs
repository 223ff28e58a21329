//! `followup sample --style salesforce`: the deals of the canonical sample
//! ([`crate::sample`], same options, same seed) as Salesforce's data export gives them
//! (Setup → Data Export, or Data Loader; shared/formats/crm-exports.md §3.2): API field
//! names, UTF-8 with BOM, every field quoted, 18-character ids whose first three
//! characters give the object (`006` Opportunity, `001` Account, `003` Contact, `005`
//! User, `00T` Task, `00U` Event; deal `D000042` is opportunity `0065g0000000042AAA`).
//!
//! - `Opportunity.csv`: `StageName` from the default sales process (New → Prospecting,
//!   Contacted → Qualification, Meeting booked → Needs Analysis, Proposal sent →
//!   Proposal/Price Quote, Closed Won, Closed Lost) with its `Probability` and
//!   `ForecastCategory`; `IsClosed` / `IsWon` `1` or empty; `CloseDate` the close day,
//!   or for open opportunities the expected one (45 days after creation); `CreatedDate`
//!   `2026-03-02T09:00:00.000+0000`; `CurrencyIsoCode` (a multi-currency org); `OwnerId`
//!   a user id (`0055g0000000001AAA` … for Maria Lopez, Tom Becker, Chloé Martin, Raj
//!   Patel, Ben Okafor); the cadence as a custom field `Cadence__c`.
//! - `Task.csv`: one completed task per canonical email, call, LinkedIn or text touch
//!   and note, `WhatId` the opportunity: `TaskSubtype` Email / Call / LinkedIn (texts,
//!   logged by an SMS app through the API, have none; notes are `Task`), `CallType`
//!   Outbound and `CallDisposition` the canonical outcome on calls, `ActivityDate` the
//!   day (`CreatedDate` holds when it was logged).
//! - `Event.csv`: one event per meeting that took place (canonical `Held` or no
//!   outcome), `StartDateTime` at its time, 30 minutes.
//!
//! What Salesforce cannot record, and so what differs from the canonical sample (the
//! test `exports::salesforce_sample_*` builds exactly that log and compares every field):
//! - `ActivityDate` is a day without a time: a task is read at 00:00, so within a day
//!   tasks come before the day's meetings and replies, and a touch the canonical log has
//!   later on the day of the first response counts as sent before it (k may be larger);
//! - an inbound email lives in `EmailMessage` (with `Incoming`), not in `Task`, and
//!   followup reads no `EmailMessage.csv`: replies, automatic replies, website
//!   enquiries and unsubscribes are not written; the responses left are connected calls
//!   and meetings (so `touches.inbound`, `opt_outs` and `inbound_initiated` are 0);
//! - a bounce is a contact's `EmailBouncedReason`, not a task: bounced emails are not
//!   written (`touches.bounced` 0);
//! - an event has no outcome: a no-show meeting is written as the call it became
//!   (`Left voicemail`);
//! - owners are user ids (names would need `User.csv`, which followup does not read).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::sample::{with_split_sample, SampleOptions, SampleSummary, SplitDeal};

/// The owners, in the order of their user ids (any other owner gets the next one).
const USERS: [&str; 5] = ["Maria Lopez", "Tom Becker", "Chloé Martin", "Raj Patel", "Ben Okafor"];
/// The opportunities.
pub const OPPORTUNITY_FILE: &str = "Opportunity.csv";
/// The tasks (emails, calls, LinkedIn, texts, notes).
pub const TASK_FILE: &str = "Task.csv";
/// The events (meetings).
pub const EVENT_FILE: &str = "Event.csv";

const OPPORTUNITY_HEADER: [&str; 25] = [
    "Id",
    "IsDeleted",
    "AccountId",
    "Name",
    "Description",
    "StageName",
    "Amount",
    "Probability",
    "CloseDate",
    "Type",
    "NextStep",
    "LeadSource",
    "IsClosed",
    "IsWon",
    "ForecastCategory",
    "ForecastCategoryName",
    "CurrencyIsoCode",
    "OwnerId",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "LastModifiedById",
    "SystemModstamp",
    "LastActivityDate",
    "Cadence__c",
];
const TASK_HEADER: [&str; 21] = [
    "Id",
    "WhoId",
    "WhatId",
    "Subject",
    "ActivityDate",
    "Status",
    "Priority",
    "OwnerId",
    "Description",
    "IsDeleted",
    "AccountId",
    "IsClosed",
    "CreatedDate",
    "CreatedById",
    "LastModifiedDate",
    "SystemModstamp",
    "CallDurationInSeconds",
    "CallType",
    "CallDisposition",
    "CallObject",
    "TaskSubtype",
];
const EVENT_HEADER: [&str; 18] = [
    "Id",
    "WhoId",
    "WhatId",
    "Subject",
    "Location",
    "IsAllDayEvent",
    "ActivityDateTime",
    "ActivityDate",
    "DurationInMinutes",
    "StartDateTime",
    "EndDateTime",
    "AccountId",
    "OwnerId",
    "ShowAs",
    "IsDeleted",
    "CreatedDate",
    "CreatedById",
    "EventSubtype",
];

fn invalid(m: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("reading the canonical sample back: {m}"))
}

/// An 18-character id of the object `prefix` (3 characters) and number `n`.
fn sf_id(prefix: &str, n: u64) -> String {
    format!("{prefix}5g{:010}AAA", n % 10_000_000_000)
}

/// The user id of an owner.
pub fn owner_id(owner: &str) -> String {
    sf_id("005", 1 + USERS.iter().position(|u| *u == owner).unwrap_or(USERS.len()) as u64)
}

/// `2026-03-02 10:34` (or a bare day, then at `time`) as Salesforce writes a date-time.
fn datetime(at: &str, time: &str) -> String {
    match at.split_once(' ') {
        Some((day, hm)) => format!("{day}T{hm}:00.000+0000"),
        None => format!("{at}T{time}.000+0000"),
    }
}

/// A deal with its ids and its last activity day.
struct Deal {
    d: SplitDeal,
    number: u64,
    last_activity: String,
}

/// Writes the Salesforce form of the sample into `out_dir`; the files are returned in
/// [`SampleSummary::files`]. Same options, same bytes.
pub fn write(opts: &SampleOptions, out_dir: &Path) -> io::Result<SampleSummary> {
    with_split_sample(opts, |_, deals, touches| translate(out_dir, deals, touches))
}

fn quoted_csv(path: &Path, header: &[&str]) -> io::Result<csv::Writer<BufWriter<File>>> {
    let mut out = BufWriter::new(File::create(path)?);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(header)?;
    Ok(w)
}

fn translate(out_dir: &Path, split: Vec<SplitDeal>, mut touches: csv::Reader<File>) -> io::Result<SampleSummary> {
    fs::create_dir_all(out_dir)?;
    let mut deals = Vec::with_capacity(split.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(split.len());
    for d in split {
        let number =
            d.id.trim_start_matches('D')
                .parse()
                .map_err(|_| invalid(format!("unexpected sample deal id {:?}", d.id)))?;
        index.insert(d.id.clone(), deals.len());
        deals.push(Deal { d, number, last_activity: String::new() });
    }
    let (task_path, event_path) = (out_dir.join(TASK_FILE), out_dir.join(EVENT_FILE));
    let mut tasks = quoted_csv(&task_path, &TASK_HEADER)?;
    let mut events = quoted_csv(&event_path, &EVENT_HEADER)?;
    let (mut task_n, mut event_n) = (0u64, 0u64);
    for rec in touches.records() {
        let r = rec.map_err(|e| invalid(e.to_string()))?;
        let c = |i: usize| r.get(i).unwrap_or("");
        let deal = index
            .get(c(0))
            .and_then(|&i| deals.get_mut(i))
            .ok_or_else(|| invalid(format!("touch of unknown deal {:?}", c(0))))?;
        let (at, channel, direction, outcome, subject) = (c(1), c(2), c(3), c(4), c(5));
        let day = at.split_once(' ').map_or(at, |(d, _)| d);
        let (opp, account, contact, owner) =
            (sf_id("006", deal.number), sf_id("001", deal.number), sf_id("003", deal.number), owner_id(&deal.d.owner));
        let logged = datetime(at, "00:00:00");
        if channel == "Meeting" && outcome != "No show" {
            event_n += 1;
            let end = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M")
                .map(|t| (t + chrono::Duration::minutes(30)).format("%Y-%m-%dT%H:%M:%S.000+0000").to_string())
                .unwrap_or_default();
            let title = if subject.is_empty() { format!("Meeting with {}", deal.d.name) } else { subject.to_owned() };
            events.write_record([
                &sf_id("00U", event_n),
                &contact,
                &opp,
                &title,
                "",
                "",
                &logged,
                day,
                "30",
                &logged,
                &end,
                &account,
                &owner,
                "Busy",
                "",
                &logged,
                &owner,
                "Event",
            ])?;
            deal.last_activity = deal.last_activity.clone().max(day.to_owned());
            continue;
        }
        let (subtype, title, call_type, disposition, seconds) = match (channel, direction, outcome) {
            ("Note", _, _) => ("Task", subject.to_owned(), "", "", ""),
            (_, "Inbound", _) | ("Email", _, "Bounced") => continue,
            ("Email", _, _) => ("Email", format!("Email: {subject}"), "", "", ""),
            ("Call", _, o) => ("Call", "Call".to_owned(), "Outbound", o, if o == "Connected" { "420" } else { "25" }),
            ("Meeting", _, _) => {
                ("Call", "No show for the meeting; left voicemail".to_owned(), "Outbound", "Left voicemail", "25")
            }
            ("LinkedIn", _, _) => ("LinkedIn", format!("LinkedIn: {subject}"), "", "", ""),
            ("Text", _, _) => ("", format!("Text message: {subject}"), "", "", ""),
            (other, _, _) => return Err(invalid(format!("the Salesforce sample has no task for channel {other:?}"))),
        };
        task_n += 1;
        tasks.write_record([
            &sf_id("00T", task_n),
            &contact,
            &opp,
            &title,
            day,
            "Completed",
            "Normal",
            &owner,
            "",
            "",
            &account,
            "1",
            &logged,
            &owner,
            &logged,
            &logged,
            seconds,
            call_type,
            disposition,
            "",
            subtype,
        ])?;
        if channel != "Note" {
            deal.last_activity = deal.last_activity.clone().max(day.to_owned());
        }
    }
    for w in [tasks, events] {
        w.into_inner().map_err(|e| e.into_error())?.flush()?;
    }

    let opp_path = out_dir.join(OPPORTUNITY_FILE);
    let mut w = quoted_csv(&opp_path, &OPPORTUNITY_HEADER)?;
    for deal in &deals {
        w.write_record(opportunity_row(deal))?;
    }
    w.into_inner().map_err(|e| e.into_error())?.flush()?;
    let files: Vec<PathBuf> = vec![opp_path, task_path, event_path];
    Ok(SampleSummary { deals: deals.len(), touch_rows: (task_n + event_n) as usize, files })
}

/// The `Opportunity.csv` row.
fn opportunity_row(deal: &Deal) -> [String; 25] {
    let d = &deal.d;
    let (stage, probability, forecast) = match (d.status.as_str(), d.stage.as_str()) {
        ("won", _) => ("Closed Won", "100", "Closed"),
        ("lost", _) => ("Closed Lost", "0", "Omitted"),
        (_, "New") => ("Prospecting", "10", "Pipeline"),
        (_, "Contacted") => ("Qualification", "10", "Pipeline"),
        (_, "Meeting booked") => ("Needs Analysis", "20", "Pipeline"),
        _ => ("Proposal/Price Quote", "75", "Pipeline"),
    };
    let closed = matches!(d.status.as_str(), "won" | "lost");
    let close_date = if d.closed.is_empty() {
        chrono::NaiveDate::parse_from_str(&d.created, "%Y-%m-%d")
            .map(|c| (c + chrono::Days::new(45)).format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    } else {
        d.closed.clone()
    };
    let amount = d.amount.parse::<f64>().map(|a| format!("{a:?}")).unwrap_or_default();
    let owner = owner_id(&d.owner);
    let created = datetime(&d.created, "09:00:00");
    let modified = if d.closed.is_empty() {
        datetime(deal.last_activity.as_str().max(d.created.as_str()), "18:00:00")
    } else {
        datetime(&d.closed, "17:00:00")
    };
    let flag = |b: bool| if b { "1".to_owned() } else { String::new() };
    [
        sf_id("006", deal.number),
        String::new(),
        sf_id("001", deal.number),
        d.name.clone(),
        String::new(),
        stage.into(),
        amount,
        probability.into(),
        close_date,
        "New Business".into(),
        String::new(),
        "Web".into(),
        flag(closed),
        flag(d.status == "won"),
        forecast.into(),
        forecast.into(),
        d.currency.clone(),
        owner.clone(),
        created.clone(),
        owner.clone(),
        modified.clone(),
        owner,
        modified,
        deal.last_activity.clone(),
        d.cadence.clone(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_18_characters_of_their_object() {
        assert_eq!(sf_id("006", 42), "0065g0000000042AAA");
        assert_eq!(sf_id("006", 42).len(), 18);
        assert_eq!(owner_id("Maria Lopez"), "0055g0000000001AAA");
        assert_eq!(owner_id("Someone Else"), "0055g0000000006AAA");
        assert_eq!(datetime("2026-03-02 10:34", "00:00:00"), "2026-03-02T10:34:00.000+0000");
        assert_eq!(datetime("2026-03-02", "09:00:00"), "2026-03-02T09:00:00.000+0000");
    }

    #[test]
    fn same_options_same_bytes_and_every_task_on_an_opportunity() {
        let opts = SampleOptions { deals: 150, seed: 3, ..Default::default() };
        let (a, b) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
        let s = write(&opts, a.path()).expect("sample");
        write(&opts, b.path()).expect("sample");
        for f in [OPPORTUNITY_FILE, TASK_FILE, EVENT_FILE] {
            let bytes = fs::read(a.path().join(f)).expect("written");
            assert!(bytes.starts_with(b"\xEF\xBB\xBF\"Id\","), "{f}: BOM and quoted header");
            assert_eq!(Some(bytes), fs::read(b.path().join(f)).ok(), "{f}");
        }
        let mut rows = 0;
        for f in [TASK_FILE, EVENT_FILE] {
            let mut r = csv::Reader::from_path(a.path().join(f)).expect("csv");
            for rec in r.records() {
                let rec = rec.expect("record");
                assert!(rec.get(2).is_some_and(|w| w.starts_with("006") && w.len() == 18), "{f}: {rec:?}");
                rows += 1;
            }
        }
        assert_eq!(rows, s.touch_rows);
        let mut r = csv::Reader::from_path(a.path().join(OPPORTUNITY_FILE)).expect("csv");
        for rec in r.records() {
            let rec = rec.expect("record");
            let (stage, closed, won) = (rec.get(5).unwrap_or(""), rec.get(12).unwrap_or(""), rec.get(13).unwrap_or(""));
            assert_eq!((closed == "1", won == "1"), (stage.starts_with("Closed"), stage == "Closed Won"), "{rec:?}");
        }
    }
}
