//! `followup sample --style hubspot`: the canonical sample's deals written as HubSpot
//! exports, so a user can see what each export looks like and feed them in.
//!
//! The deals are exactly those of `followup sample` with the same options: the
//! canonical split form (`deals.csv` + `touches.csv`, see [`crate::sample`]) is
//! generated into a scratch folder ([`crate::sample::with_split_sample`]), read back,
//! rewritten in HubSpot's shapes and removed. Files (names as HubSpot gives them, dated `as_of`):
//!
//! - `hubspot-crm-exports-all-deals-<date>.csv`, and the same table as `.xlsx`: every
//!   cell quoted, `Record ID` (`180000000000` + the deal number), the default pipeline's
//!   stage labels and probabilities (New → Appointment Scheduled, Contacted → Qualified
//!   To Buy, Meeting booked → Presentation Scheduled, Proposal sent → Contract Sent),
//!   `Is Closed Won` / `Is closed lost`, amounts as `4800.0`, `Currency`, dates as
//!   `YYYY-MM-DD HH:mm` (created 09:00, closed 17:00 on the canonical days; open deals
//!   without an expected close date), `Deal owner` full names, `Last sequence
//!   enrolled` for the cadence, and the counts HubSpot keeps (`Number of times
//!   contacted` = outbound touches that reached the prospect).
//! - `…-all-calls-…`, `…-all-emails-…`, `…-all-meetings-…`, `…-all-notes-…` (§1.6 of
//!   the formats file): `Activity date`, `Call direction` Outbound/Inbound, `Call
//!   outcome` with HubSpot's default labels, `Email direction` EMAIL / INCOMING_EMAIL,
//!   `Email status` SENT / BOUNCED (empty for incoming), `Meeting outcome` Completed /
//!   No Show / empty, `Activity assigned to`, `Associated Deal` and `Associated Deal IDs`.
//!
//! What cannot be said the HubSpot way changes, and only that (the test
//! `exports::hubspot_sample_*` compares every other field of metrics.json):
//! - text and LinkedIn touches are logged as emails (HubSpot has no export for them), so
//!   only `--by channel` figures differ;
//! - an unsubscribe is a contact property in HubSpot, not an email engagement, so the
//!   canonical `Unsubscribed` rows are not written: `touches.opt_outs`,
//!   `touches.inbound`, `contacted_after_opt_out` and the due list (opted-out deals become
//!   eligible) differ.
//!
//! The XLSX is written by hand as the smallest valid OOXML package (content types,
//! relationships, workbook, one styles part with a date format, one sheet of inline
//! strings, numbers, booleans and date serials) with the `zip` crate already used to
//! read archives: no new dependency for ~80 lines, and calamine (the reader) proves it
//! in the tests.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::sample::{with_split_sample, SampleOptions, SampleSummary, SplitDeal};

/// Added to the canonical deal number (D000042 → 180000000042): 12-digit record ids.
const DEAL_ID_BASE: u64 = 180_000_000_000;
/// First activity record id.
const ACTIVITY_ID_BASE: u64 = 51_000_000_000;

const DEALS_HEADER: [&str; 17] = [
    "Record ID",
    "Deal Name",
    "Pipeline",
    "Deal Stage",
    "Deal probability",
    "Amount",
    "Currency",
    "Close Date",
    "Create Date",
    "Deal owner",
    "Is Closed Won",
    "Is closed lost",
    "Last Activity Date",
    "Last Contacted",
    "Number of Sales Activities",
    "Number of times contacted",
    "Last sequence enrolled",
];
const CALLS_HEADER: [&str; 10] = [
    "Record ID",
    "Activity date",
    "Call Title",
    "Call notes",
    "Call direction",
    "Call outcome",
    "Call status",
    "Activity assigned to",
    "Associated Deal",
    "Associated Deal IDs",
];
const EMAILS_HEADER: [&str; 8] = [
    "Record ID",
    "Activity date",
    "Email subject",
    "Email direction",
    "Email status",
    "Activity assigned to",
    "Associated Deal",
    "Associated Deal IDs",
];
const MEETINGS_HEADER: [&str; 8] = [
    "Record ID",
    "Activity date",
    "Meeting name",
    "Meeting start time",
    "Meeting outcome",
    "Activity assigned to",
    "Associated Deal",
    "Associated Deal IDs",
];
const NOTES_HEADER: [&str; 6] =
    ["Record ID", "Activity date", "Note body", "Activity assigned to", "Associated Deal", "Associated Deal IDs"];

/// HubSpot's default pipeline stage and probability for a canonical sample stage.
fn stage(canonical: &str) -> (&'static str, &'static str) {
    match canonical {
        "Closed Won" => ("Closed Won", "1.0"),
        "Closed Lost" => ("Closed Lost", "0.0"),
        "Contacted" => ("Qualified To Buy", "0.4"),
        "Meeting booked" => ("Presentation Scheduled", "0.6"),
        "Proposal sent" => ("Contract Sent", "0.9"),
        _ => ("Appointment Scheduled", "0.2"),
    }
}

/// One deal of the canonical sample, as read back.
struct Deal {
    record_id: String,
    name: String,
    stage: String,
    status: String,
    amount: String,
    currency: String,
    created: String,
    closed: String,
    cadence: String,
    owner: String,
    /// Activities (all rows), outbound touches that reached the prospect, last
    /// activity time, last contact time.
    activities: usize,
    contacted: usize,
    last_activity: String,
    last_contacted: String,
}

impl Deal {
    /// Counts an activity at `at` (HubSpot's "Number of sales activities", "Last
    /// activity date", "Last contacted" and "Number of times contacted").
    fn count(&mut self, at: &str, channel: &str, direction: &str, outcome: &str) {
        self.activities += 1;
        self.last_activity = self.last_activity.clone().max(at.to_owned());
        if channel != "Note" && outcome != "Bounced" {
            self.last_contacted = self.last_contacted.clone().max(at.to_owned());
            if direction == "Outbound" {
                self.contacted += 1;
            }
        }
    }

    /// The deals export row.
    fn row(&self) -> [String; 17] {
        let (stage, probability) = stage(&self.stage);
        let amount = self.amount.parse::<f64>().map(|a| format!("{a:?}")).unwrap_or_default();
        let at = |day: &str, time: &str| if day.is_empty() { String::new() } else { format!("{day} {time}") };
        [
            self.record_id.clone(),
            self.name.clone(),
            "Sales Pipeline".into(),
            stage.into(),
            probability.into(),
            amount,
            self.currency.clone(),
            at(&self.closed, "17:00"),
            at(&self.created, "09:00"),
            self.owner.clone(),
            (self.status == "won").to_string(),
            (self.status == "lost").to_string(),
            self.last_activity.clone(),
            self.last_contacted.clone(),
            format!("{}.0", self.activities),
            format!("{}.0", self.contacted),
            self.cadence.clone(),
        ]
    }
}

fn quoted_csv(path: &Path, header: &[&str]) -> io::Result<csv::Writer<BufWriter<File>>> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(BufWriter::new(File::create(path)?));
    w.write_record(header)?;
    Ok(w)
}

fn bad_data(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("reading the canonical sample back: {e}"))
}

/// Writes the sample as HubSpot exports into `out_dir` and returns what was written.
pub fn write(opts: &SampleOptions, out_dir: &Path) -> io::Result<SampleSummary> {
    with_split_sample(opts, |_, deals, touches| write_from_canonical(opts, out_dir, deals, touches))
}

fn write_from_canonical(
    opts: &SampleOptions,
    out_dir: &Path,
    split: Vec<SplitDeal>,
    mut touches: csv::Reader<File>,
) -> io::Result<SampleSummary> {
    fs::create_dir_all(out_dir)?;
    let date = opts.as_of.format("%Y-%m-%d").to_string();
    let file = |what: &str, ext: &str| out_dir.join(format!("hubspot-crm-exports-all-{what}-{date}.{ext}"));

    // Deals first: names, owners and record ids for the activity rows.
    let (mut deals, index) = hubspot_deals(split)?;
    let activity_files = [file("calls", "csv"), file("emails", "csv"), file("meetings", "csv"), file("notes", "csv")];
    let rows = write_activities(&activity_files, &mut deals, &index, &mut touches)?;

    let deals_csv = file("deals", "csv");
    let mut w = quoted_csv(&deals_csv, &DEALS_HEADER)?;
    for d in &deals {
        w.write_record(d.row())?;
    }
    w.into_inner().map_err(|e| e.into_error())?.flush()?;
    let deals_xlsx = file("deals", "xlsx");
    write_deals_xlsx(&deals_xlsx, &deals)?;

    let [calls_path, emails_path, meetings_path, notes_path] = activity_files;
    let files: Vec<PathBuf> = vec![deals_csv, deals_xlsx, calls_path, emails_path, meetings_path, notes_path];
    Ok(SampleSummary { deals: deals.len(), touch_rows: rows, files })
}

/// The canonical deals as HubSpot deals (record ids from the canonical numbers), and
/// their index by canonical id.
fn hubspot_deals(split: Vec<SplitDeal>) -> io::Result<(Vec<Deal>, HashMap<String, usize>)> {
    let mut deals: Vec<Deal> = Vec::with_capacity(split.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(split.len());
    for d in split {
        let number: u64 = d.id.trim_start_matches('D').parse().map_err(bad_data)?;
        index.insert(d.id, deals.len());
        deals.push(Deal {
            record_id: (DEAL_ID_BASE + number).to_string(),
            name: d.name,
            stage: d.stage,
            status: d.status,
            amount: d.amount,
            currency: d.currency,
            created: d.created,
            closed: d.closed,
            cadence: d.cadence,
            owner: d.owner,
            activities: 0,
            contacted: 0,
            last_activity: String::new(),
            last_contacted: String::new(),
        });
    }
    Ok((deals, index))
}

/// Writes the canonical touches as the calls, emails, meetings and notes exports (at
/// `paths`, in that order), counting each deal's activities; returns the rows written.
fn write_activities(
    paths: &[PathBuf; 4],
    deals: &mut [Deal],
    index: &HashMap<String, usize>,
    touches: &mut csv::Reader<File>,
) -> io::Result<usize> {
    let [calls_path, emails_path, meetings_path, notes_path] = paths;
    let mut calls = quoted_csv(calls_path, &CALLS_HEADER)?;
    let mut emails = quoted_csv(emails_path, &EMAILS_HEADER)?;
    let mut meetings = quoted_csv(meetings_path, &MEETINGS_HEADER)?;
    let mut notes = quoted_csv(notes_path, &NOTES_HEADER)?;
    let mut next_id = ACTIVITY_ID_BASE;
    let mut rows = 0;
    for rec in touches.records() {
        let r = rec.map_err(bad_data)?;
        let cell = |i: usize| r.get(i).unwrap_or("");
        let (deal_id, at, channel, direction, outcome, subject) =
            (cell(0), cell(1), cell(2), cell(3), cell(4), cell(5));
        if outcome == "Unsubscribed" {
            continue; // a contact property in HubSpot, not an engagement (module docs)
        }
        let Some(deal) = index.get(deal_id).and_then(|&d| deals.get_mut(d)) else {
            return Err(bad_data(format!("touch of unknown deal {deal_id}")));
        };
        let id = next_id.to_string();
        next_id += 1;
        rows += 1;
        deal.count(at, channel, direction, outcome);
        let (owner, name, rid) = (deal.owner.as_str(), deal.name.as_str(), deal.record_id.as_str());
        match channel {
            "Call" => {
                let title = format!("Call with {name}");
                calls.write_record([&id, at, &title, "", direction, outcome, "Completed", owner, name, rid])?;
            }
            "Meeting" => {
                let title = format!("Meeting with {name}");
                meetings.write_record([&id, at, &title, at, meeting_outcome(outcome), owner, name, rid])?;
            }
            "Note" => notes.write_record([&id, at, subject, owner, name, rid])?,
            // Email, and the text and LinkedIn touches HubSpot has no export for.
            _ => {
                let (dir, status) = match (direction, outcome) {
                    ("Inbound", _) => ("INCOMING_EMAIL", ""),
                    (_, "Bounced") => ("EMAIL", "BOUNCED"),
                    _ => ("EMAIL", "SENT"),
                };
                emails.write_record([&id, at, subject, dir, status, owner, name, rid])?;
            }
        }
    }
    for w in [calls, emails, meetings, notes] {
        w.into_inner().map_err(|e| e.into_error())?.flush()?;
    }
    Ok(rows)
}

/// HubSpot's meeting outcome for a canonical one.
fn meeting_outcome(outcome: &str) -> &str {
    match outcome {
        "Held" => "Completed",
        "No show" => "No Show",
        other => other,
    }
}

// ---------------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------------

/// A worksheet cell.
enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Bool(bool),
    /// An Excel serial date-time, shown as `yyyy-mm-dd hh:mm`.
    Date(f64),
    Empty,
}

/// `YYYY-MM-DD HH:MM` as an Excel serial (days since 1899-12-30), if it is one.
fn excel_serial(text: &str) -> Option<f64> {
    let t = crate::ingest::cells::parse_datetime(text, false).ok()?;
    Some(t as f64 / crate::model::SECS_PER_DAY as f64 + 25_569.0)
}

/// Column letters of a 0-based column index.
fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn sheet_xml(rows: &[Vec<Cell>]) -> String {
    use std::fmt::Write as _;
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, row) in rows.iter().enumerate() {
        let _ = write!(x, "<row r=\"{}\">", r + 1);
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_name(c), r + 1);
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    let _ = write!(x, "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
                    x.push_str(&crate::fmt::xml_escape(s));
                    x.push_str("</t></is></c>");
                }
                Cell::Number(n) => {
                    let _ = write!(x, "<c r=\"{at}\"><v>{n}</v></c>");
                }
                Cell::Bool(b) => {
                    let _ = write!(x, "<c r=\"{at}\" t=\"b\"><v>{}</v></c>", u8::from(*b));
                }
                Cell::Date(n) => {
                    let _ = write!(x, "<c r=\"{at}\" s=\"1\"><v>{n}</v></c>");
                }
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// The deals table as an XLSX workbook with one sheet, "Deals", typed as Excel would
/// type it: ids, amounts and counts as numbers, flags as booleans, dates as serials.
fn write_deals_xlsx(path: &Path, deals: &[Deal]) -> io::Result<()> {
    let mut rows: Vec<Vec<Cell>> = vec![DEALS_HEADER.iter().map(|h| Cell::Text(h)).collect()];
    let texts: Vec<[String; 17]> = deals.iter().map(Deal::row).collect();
    for t in &texts {
        let row = t
            .iter()
            .enumerate()
            .map(|(i, v)| match (DEALS_HEADER[i], v.as_str()) {
                (_, "") => Cell::Empty,
                (
                    "Record ID"
                    | "Amount"
                    | "Deal probability"
                    | "Number of Sales Activities"
                    | "Number of times contacted",
                    v,
                ) => v.parse().map_or(Cell::Text(v), Cell::Number),
                ("Is Closed Won" | "Is closed lost", v) => Cell::Bool(v == "true"),
                ("Close Date" | "Create Date" | "Last Activity Date" | "Last Contacted", v) => {
                    excel_serial(v).map_or(Cell::Text(v), Cell::Date)
                }
                (_, v) => Cell::Text(v),
            })
            .collect();
        rows.push(row);
    }
    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
    let parts: [(&str, String); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.into()),
        ("_rels/.rels", RELS.into()),
        ("xl/workbook.xml", WORKBOOK.into()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.into()),
        ("xl/styles.xml", STYLES.into()),
        ("xl/worksheets/sheet1.xml", sheet_xml(&rows)),
    ];
    let mut zip = zip::ZipWriter::new(BufWriter::new(File::create(path)?));
    // A fixed timestamp keeps the same options giving byte-identical files.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts {
        zip.start_file(name, options).map_err(io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.finish().map_err(io::Error::other)?.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_serials() {
        assert_eq!([column_name(0), column_name(25), column_name(26), column_name(27)], ["A", "Z", "AA", "AB"]);
        // 2025-10-31 12:00 is Excel serial 45961.5.
        assert_eq!(excel_serial("2025-10-31 12:00"), Some(45961.5));
        assert_eq!(stage("Meeting booked"), ("Presentation Scheduled", "0.6"));
    }
}
