//! `followup map --init FILE`: a starting `--map` file for a spreadsheet, guessed from
//! its headers and the values of its stage, type, direction and outcome columns.
//!
//! Headers are guessed in two passes. First the format registry's own synonyms
//! (`src/ingest/formats/`: the names detection already knows, "Deal stage",
//! "Contact method", …; a recognised export uses its format's names). Then, for the
//! columns still unnamed, a word match on the remaining headers ("Client ref" → deal_id
//! through "ref", "Touched on" → at through "touched", "Via" → channel, "Pipeline step"
//! → stage through "step"); each header is used once. Values are guessed from the
//! tool's own word lists plus a few common spellings ("Signed" → won, "Dead" → lost,
//! "Rang" → call); every distinct value found is written out, so the user sees each
//! guess and edits what is wrong. The output is commented TOML that
//! [`crate::ingest::mapping::Mapping`] reads back unchanged.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::Result;
use crate::ingest::cells::{self, ChannelCell};
use crate::ingest::formats::{self, ColumnMap, Detection, Field, RowKind};
use crate::ingest::mapping::COLUMNS;
use crate::model::{Channel, Direction, Status};

/// Rows read to collect distinct values.
const SAMPLE_ROWS: usize = 100_000;
/// Distinct values written per value map (the commonest).
const MAX_VALUES: usize = 60;

/// Words that point a header at a field in the second pass, in the order fields claim
/// headers (ids and dates before names, which match the most).
const WORDS: [(Field, &[&str]); 16] = [
    (Field::DealId, &["id", "ref", "reference", "number", "no", "code", "key"]),
    (Field::CreatedAt, &["created", "opened", "added", "started"]),
    (Field::ClosedAt, &["closed", "close", "closing", "signed", "won", "lost"]),
    (Field::At, &["date", "when", "on", "time", "touched", "contacted", "day"]),
    (Field::Channel, &["via", "method", "channel", "type", "medium", "how", "kind"]),
    (Field::Stage, &["stage", "step", "phase", "pipeline", "milestone"]),
    (Field::Status, &["status", "state"]),
    (Field::Amount, &["value", "amount", "price", "revenue", "worth", "fee", "total", "size"]),
    (Field::Currency, &["currency", "ccy"]),
    (Field::Owner, &["owner", "rep", "salesperson", "seller", "by", "who", "agent", "staff"]),
    (Field::Outcome, &["outcome", "result", "response", "answer", "disposition", "reply"]),
    (Field::Direction, &["direction", "way", "inbound", "outbound", "in", "out"]),
    (Field::Subject, &["subject", "title", "topic"]),
    (Field::Cadence, &["cadence", "sequence", "playbook", "campaign"]),
    (Field::TouchCount, &["count", "touches", "attempts", "times"]),
    (Field::Name, &["name", "client", "customer", "company", "prospect", "account", "deal", "lead", "business"]),
];

/// The lower-case words of a header.
fn words(h: &str) -> Vec<String> {
    h.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Guesses which header holds each canonical column: `(field, header index)` in
/// [`COLUMNS`] order. The sample rows veto a guess their values contradict (see
/// [`Evidence`]).
pub fn guess_columns(headers: &[String], rows: &[csv::StringRecord]) -> Vec<(Field, usize)> {
    let (map, touch_rows) = match formats::detect(headers) {
        Detection::Found(spec, map) => (map, spec.rows == RowKind::Touch),
        Detection::Mismatch { .. } => (ColumnMap::from_headers(headers, &formats::FOLLOWUP_LOG), false),
    };
    // A file detected as one row per touch keeps its touch time whatever the sample.
    let evidence = Evidence { rows, touch_rows };
    let mut taken = vec![false; headers.len()];
    let mut found: BTreeMap<usize, usize> = BTreeMap::new(); // position in COLUMNS → header
    let pos_of = |f: Field| COLUMNS.iter().position(|(g, _)| *g == f);
    for (pos, (f, _)) in COLUMNS.iter().enumerate() {
        let Some(i) = map.get(*f).filter(|&i| !taken[i]) else { continue };
        // A name column of numbers is the deal's number: its id, when none was found.
        let f = match pos_of(Field::DealId) {
            Some(id) if *f == Field::Name && evidence.numeric(i) && !found.contains_key(&id) => Field::DealId,
            _ => *f,
        };
        if evidence.fits(f, i, &found) {
            taken[i] = true;
            found.insert(pos_of(f).unwrap_or(pos), i);
        }
    }
    for (f, keys) in WORDS {
        let Some(pos) = pos_of(f) else { continue };
        if found.contains_key(&pos) {
            continue;
        }
        let hit = (0..headers.len()).find(|&i| {
            !taken[i] && words(&headers[i]).iter().any(|w| keys.contains(&w.as_str())) && evidence.fits(f, i, &found)
        });
        if let Some(i) = hit {
            taken[i] = true;
            found.insert(pos, i);
        }
    }
    // A deal needs a key; without `at` it is one row per deal and needs a stage or status.
    found.into_iter().map(|(pos, i)| (COLUMNS[pos].0, i)).collect()
}

/// What the sample rows say against a guess (no rows, or only empty cells: nothing).
struct Evidence<'a> {
    rows: &'a [csv::StringRecord],
    /// The file was detected as a touch format: its time column stands.
    touch_rows: bool,
}

impl Evidence<'_> {
    /// The non-empty trimmed cells of column `col`.
    fn cells(&self, col: usize) -> impl Iterator<Item = &str> {
        self.rows.iter().filter_map(move |r| r.get(col)).map(cells::trim_cell).filter(|v| !v.is_empty())
    }

    /// True when every non-empty cell of `col` is a number (and there is one).
    fn numeric(&self, col: usize) -> bool {
        let number = |v: &str| {
            v.bytes().any(|b| b.is_ascii_digit())
                && v.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'-' | b'+' | b' '))
        };
        self.cells(col).next().is_some() && self.cells(col).all(number)
    }

    /// Whether column `col` may hold `f`, given the columns `found` so far (by their
    /// position in [`COLUMNS`]):
    /// - a column of numbers is never the name;
    /// - no touch time in a file with one row per deal id (every id in the rows read
    ///   different, over at least two rows), unless the file was detected as touch
    ///   rows: a date there is a deal date;
    /// - the channel needs channel words in at least half its cells ("New Business" is
    ///   a deal type, not a channel).
    fn fits(&self, f: Field, col: usize, found: &BTreeMap<usize, usize>) -> bool {
        match f {
            Field::Name => !self.numeric(col),
            Field::At if self.touch_rows => true,
            Field::At => {
                let id_pos = COLUMNS.iter().position(|(g, _)| *g == Field::DealId);
                let Some(&id) = id_pos.and_then(|p| found.get(&p)) else { return true };
                let ids: Vec<&str> = self.cells(id).collect();
                let mut unique = ids.clone();
                unique.sort_unstable();
                unique.dedup();
                ids.len() < 2 || unique.len() < ids.len()
            }
            Field::Channel => {
                let (mut all, mut known) = (0usize, 0usize);
                for v in self.cells(col) {
                    all += 1;
                    known += usize::from(is_channel_word(v));
                }
                all == 0 || known * 2 >= all
            }
            _ => true,
        }
    }
}

/// True when a cell names a contact channel, a note or a task ("Call",
/// "followup_call_", "Rang"), as [`guess_channel`] or a word of it reads it.
fn is_channel_word(v: &str) -> bool {
    guess_channel(v) != "other"
        || words(v).iter().any(|w| cells::parse_channel(w) != ChannelCell::Touch(Channel::Other))
}

fn contains_any(v: &str, keys: &[&str]) -> bool {
    let l = v.to_lowercase();
    keys.iter().any(|k| l == *k || words(&l).iter().any(|w| w == k))
}

/// Our status word for a stage value.
fn guess_status(v: &str) -> &'static str {
    if let Some(s) = cells::parse_status(v) {
        return s.as_str();
    }
    if contains_any(v, &["won", "win", "signed", "sold", "customer", "paid", "accepted", "booked"]) {
        return "won";
    }
    if contains_any(v, &["lost", "dead", "declined", "rejected", "cancelled", "canceled", "churned", "dropped", "no"]) {
        return "lost";
    }
    match cells::status_from_stage(v) {
        Status::Won => "won",
        Status::Lost => "lost",
        Status::Open => "open",
    }
}

/// Our channel word for an activity type.
fn guess_channel(v: &str) -> &'static str {
    match cells::parse_channel(v) {
        ChannelCell::NotATouch => return "note",
        ChannelCell::Touch(c) if c != Channel::Other => return c.as_str(),
        ChannelCell::Touch(_) => {}
    }
    const KEYS: [(&str, &[&str]); 7] = [
        ("call", &["rang", "phoned", "ring", "called", "tel", "dialled", "dialed"]),
        ("email", &["emailed", "mailed", "wrote", "e"]),
        ("meeting", &["met", "meet", "coffee", "lunch", "zoom", "demo"]),
        ("text", &["texted", "sms", "whatsapp", "message"]),
        ("social", &["linkedin", "dm", "tweet"]),
        ("letter", &["posted", "letter"]),
        ("visit", &["visited", "dropped", "door"]),
    ];
    KEYS.iter().find(|(_, k)| contains_any(v, k)).map_or("other", |(c, _)| c)
}

/// Our direction word for a direction value.
fn guess_direction(v: &str) -> &'static str {
    match cells::parse_direction(v) {
        Ok(Direction::Inbound) => "inbound",
        Ok(Direction::Outbound) => "outbound",
        Err(_) if contains_any(v, &["they", "them", "from", "received", "reply", "replied", "prospect", "client"]) => {
            "inbound"
        }
        Err(_) => "outbound",
    }
}

/// Our outcome word for an outcome value.
fn guess_outcome(v: &str) -> String {
    if cells::classify_outcome(v).1 {
        return v.trim().to_lowercase();
    }
    const KEYS: [(&str, &[&str]); 9] = [
        ("connected", &["picked", "spoke", "talked", "chatted", "reached", "got"]),
        ("replied", &["replied", "responded", "wrote", "back"]),
        ("no answer", &["no", "pickup", "missed", "unanswered", "nobody"]),
        ("left voicemail", &["voicemail", "vm", "message"]),
        ("out of office", &["ooo", "away", "holiday", "vacation"]),
        ("unsubscribed", &["unsub", "unsubscribe", "stop", "remove"]),
        ("bounced", &["bounce", "bounced"]),
        ("no show", &["noshow", "show"]),
        ("held", &["met", "happened", "done"]),
    ];
    KEYS.iter().find(|(_, k)| contains_any(v, k)).map_or_else(|| "sent".to_owned(), |(o, _)| (*o).to_owned())
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Distinct trimmed values of a column (first spelling of each, case-insensitively),
/// with their counts, commonest first.
fn distinct(rows: &[csv::StringRecord], col: usize) -> Vec<(String, usize)> {
    let mut seen: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    for (n, r) in rows.iter().enumerate() {
        let v = cells::trim_cell(r.get(col).unwrap_or(""));
        if v.is_empty() {
            continue;
        }
        seen.entry(v.to_lowercase()).or_insert_with(|| (v.to_owned(), 0, n)).1 += 1;
    }
    let mut list: Vec<(String, usize, usize)> = seen.into_values().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    list.into_iter().map(|(v, n, _)| (v, n)).collect()
}

/// A value-map section: its name, the column it reads, its help line, and the guess.
type Section<'a> = (&'a str, Option<usize>, &'a str, &'a dyn Fn(&str) -> String);

/// The commented TOML of a starting mapping for `path`.
pub fn init(path: &Path, sheet: Option<&str>) -> Result<String> {
    let (headers, rows) = crate::ingest::read_head(path, sheet, SAMPLE_ROWS)?;
    // The name goes into comment lines: a line break in it would end the comment.
    Ok(render(&crate::error::shown_path(path), &headers, &rows))
}

/// The first words of every map [`init`] writes: `followup map --init --out FILE
/// --force` replaces only a file that starts with them.
pub const MAP_MARKER: &str = "# followup column map for ";

/// True when `path` is a file written by `followup map --init` (it starts with [`MAP_MARKER`]).
pub fn is_map_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && std::fs::File::open(path).and_then(|f| f.take(MAP_MARKER.len() as u64).read_to_end(&mut head)).is_ok()
        && head == MAP_MARKER.as_bytes()
}

/// The mapping text for a file's headers and sample rows.
pub fn render(file: &str, headers: &[String], rows: &[csv::StringRecord]) -> String {
    let guessed = guess_columns(headers, rows);
    let header_of = |f: Field| guessed.iter().find(|(g, _)| *g == f).map(|(_, i)| *i);
    let mut out = String::new();
    let _ = writeln!(out, "{MAP_MARKER}{file}, guessed by `followup map --init`.");
    let _ = writeln!(out, "# Check every line, then run: followup report {file} --map THIS_FILE.toml");
    let _ = writeln!(out, "#");
    let _ = writeln!(out, "# [columns]: for each canonical column, the header (as written in the file) that holds it.");
    let _ =
        writeln!(out, "# Needed: deal_id or name; then at (one row per touch) or stage / status (one row per deal).");
    let _ = writeln!(
        out,
        "# A commented-out line is a column no header was guessed for: uncomment and fill it in if one is."
    );
    let _ = writeln!(out, "[columns]");
    for (f, help) in COLUMNS {
        let key = f.canonical();
        match header_of(f) {
            Some(i) => {
                let _ = writeln!(out, "{key} = {}  # {help}", quote(&headers[i]));
            }
            None => {
                let _ = writeln!(out, "# {key} = \"\"  # {help}");
            }
        }
    }
    let used: Vec<usize> = guessed.iter().map(|(_, i)| *i).collect();
    let unmapped: Vec<String> =
        headers.iter().enumerate().filter(|(i, h)| !used.contains(i) && !h.is_empty()).map(|(_, h)| quote(h)).collect();
    if unmapped.is_empty() {
        let _ = writeln!(out, "# Every header is mapped.");
    } else {
        let _ = writeln!(out, "# Headers not mapped (not read): {}", unmapped.join(", "));
    }
    let stage_col = header_of(Field::Stage).or(header_of(Field::Status));
    let sections: [Section; 4] = [
        (
            "status",
            stage_col,
            "stage (or status) value → won, lost or open; a stage not listed here is won when it contains \"won\", lost when it contains \"lost\", else open",
            &|v| guess_status(v).to_owned(),
        ),
        (
            "channel",
            header_of(Field::Channel),
            "activity type → email, call, meeting, text, social, letter, visit, other; note or task = not a touch",
            &|v| guess_channel(v).to_owned(),
        ),
        ("direction", header_of(Field::Direction), "direction value → inbound (the prospect reached us) or outbound", &|v| {
            guess_direction(v).to_owned()
        }),
        (
            "outcome",
            header_of(Field::Outcome),
            "outcome value → an outcome word of SPEC §2: connected / replied / completed / held (a response), no show, out of office, unsubscribed, bounced, sent, no answer, left voicemail, …",
            &guess_outcome,
        ),
    ];
    for (name, col, help, guess) in sections {
        let Some(col) = col else { continue };
        let values = distinct(rows, col);
        if values.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n# [{name}]: {help}.");
        let _ = writeln!(out, "# Values of {} (guessed; the count is rows seen):", quote(&headers[col]));
        let _ = writeln!(out, "[{name}]");
        for (v, n) in values.iter().take(MAX_VALUES) {
            let _ = writeln!(out, "{} = {}  # {n} row{}", quote(v), quote(&guess(v)), if *n == 1 { "" } else { "s" });
        }
        if values.len() > MAX_VALUES {
            let _ = writeln!(
                out,
                "# … {} rarer values not listed (they follow the default rules)",
                values.len() - MAX_VALUES
            );
        }
    }
    out
}

/// Runs `followup map --init`: the guessed map to stdout, or to `--out` (replacing only
/// a map that `followup map` wrote, with `--force`).
pub fn run(a: &crate::cli::MapArgs) -> Result<()> {
    let text = init(&a.init, a.sheet.as_deref())?;
    let Some(out) = &a.out else { return crate::output::print(&text) };
    crate::output::write_file(out, a.force, std::slice::from_ref(&a.init), "map file", &is_map_file, text.as_bytes())?;
    super::note!(
        "followup: wrote {}; edit it, then run: followup report {} --map {}",
        crate::error::shown_path(out),
        crate::error::shown_path(&a.init),
        crate::error::shown_path(out)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn odd_headers_are_guessed_by_their_words() {
        let headers =
            h(&["Client ref", "Company", "Touched on", "Via", "Way", "Result", "Pipeline step", "Deal size", "Notes"]);
        let g = guess_columns(&headers, &[]);
        let name = |f: Field| g.iter().find(|(x, _)| *x == f).map(|(_, i)| headers[*i].as_str());
        assert_eq!(name(Field::DealId), Some("Client ref"));
        assert_eq!(name(Field::Name), Some("Company"));
        assert_eq!(name(Field::At), Some("Touched on"));
        assert_eq!(name(Field::Channel), Some("Via"));
        assert_eq!(name(Field::Direction), Some("Way"));
        assert_eq!(name(Field::Outcome), Some("Result"));
        assert_eq!(name(Field::Stage), Some("Pipeline step"));
        assert_eq!(name(Field::Amount), Some("Deal size"));
        assert_eq!(name(Field::Owner), None);
    }

    #[test]
    fn value_guesses() {
        assert_eq!([guess_status("Signed"), guess_status("Dead"), guess_status("Chasing")], ["won", "lost", "open"]);
        assert_eq!(
            [guess_channel("Rang"), guess_channel("Emailed"), guess_channel("Met"), guess_channel("Note")],
            ["call", "email", "meeting", "note"]
        );
        assert_eq!(
            [guess_direction("Us"), guess_direction("Them"), guess_direction("Inbound")],
            ["outbound", "inbound", "inbound"]
        );
        assert_eq!(
            [
                guess_outcome("Picked up"),
                guess_outcome("No pickup"),
                guess_outcome("Wrote back"),
                guess_outcome("Sent")
            ],
            ["connected", "no answer", "replied", "sent"]
        );
        assert_eq!(quote("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
    }

    /// The header and rows of CSV text (a BOM dropped).
    fn table(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
        let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = rdr.headers().map(|r| r.iter().map(str::to_owned).collect()).unwrap_or_default();
        (headers, rdr.records().filter_map(|r| r.ok()).collect())
    }

    fn guessed<'h>(headers: &'h [String], rows: &[csv::StringRecord], f: Field) -> Option<&'h str> {
        guess_columns(headers, rows)
            .iter()
            .find(|(g, _)| *g == f)
            .and_then(|(_, i)| headers.get(*i))
            .map(String::as_str)
    }

    #[test]
    fn a_deals_export_with_one_row_per_id_gets_no_touch_time() {
        let (headers, rows) = table(include_str!("../../tests/fixtures_export/pipedrive/deals-6119004-40.csv"));
        let g = |f| guessed(&headers, &rows, f);
        assert_eq!((g(Field::DealId), g(Field::Name)), (Some("Deal - ID"), Some("Deal - Title")));
        assert_eq!(
            (g(Field::ClosedAt), g(Field::TouchCount)),
            (Some("Deal - Deal closed on"), Some("Deal - Done activities"))
        );
        assert_eq!(g(Field::At), None, "Update time / Expected close date are no touch times");
        // The same columns with an id repeated: rows of touches, and a time is offered.
        let repeated: Vec<csv::StringRecord> = rows.iter().chain(rows.first()).cloned().collect();
        assert!(guessed(&headers, &repeated, Field::At).is_some());
    }

    #[test]
    fn a_pipeline_sheet_maps_value_agent_and_engage_date() {
        let (headers, rows) = table(include_str!("../../tests/fixtures_export/pipeline_sheet/sales_pipeline.csv"));
        let g = |f| guessed(&headers, &rows, f);
        assert_eq!((g(Field::DealId), g(Field::Stage)), (Some("opportunity_id"), Some("deal_stage")));
        assert_eq!((g(Field::Amount), g(Field::Owner)), (Some("close_value"), Some("sales_agent")));
        assert_eq!(
            (g(Field::CreatedAt), g(Field::ClosedAt), g(Field::At)),
            (Some("engage_date"), Some("close_date"), None)
        );
    }

    #[test]
    fn a_numeric_column_is_never_the_name() {
        let (headers, rows) = table("Deal,Account,Stage,Value\n1401,Alpen Bau,Won,12000\n1402,Birke,Lost,4500\n");
        let g = |f| guessed(&headers, &rows, f);
        assert_eq!(
            (g(Field::DealId), g(Field::Name)),
            (Some("Deal"), Some("Account")),
            "the numbers are the deal's id"
        );
        // Without rows there is no evidence: the header decides, as before.
        assert_eq!(guessed(&headers, &[], Field::Name), Some("Deal"));
        // A name column that holds names stays the name.
        let (headers, rows) = table("Deal,Stage\nAlpen Bau,Won\nBirke 2,Lost\n");
        assert_eq!(guessed(&headers, &rows, Field::Name), Some("Deal"));
    }

    #[test]
    fn a_salesforce_type_is_not_a_channel() {
        let (headers, rows) = table(include_str!("../../tests/fixtures_export/salesforce/Opportunity.csv"));
        let g = |f| guessed(&headers, &rows, f);
        assert_eq!((g(Field::DealId), g(Field::Name), g(Field::Stage)), (Some("Id"), Some("Name"), Some("StageName")));
        assert_eq!(g(Field::Channel), None, "Type holds New Business / Existing Business");
        assert_eq!(g(Field::At), None);
        // A type column of activity words is a channel, custom Pipedrive keys included.
        let (headers, rows) =
            table("Client,Date,Type\nA,2026-10-01,Call\nA,2026-10-02,followup_call_\nB,2026-10-03,Email\n");
        assert_eq!(guessed(&headers, &rows, Field::Channel), Some("Type"));
        let (headers, rows) =
            table("Client,Date,Type\nA,2026-10-01,New Business\nB,2026-10-02,Existing Business\nB,2026-10-03,Call\n");
        assert_eq!(guessed(&headers, &rows, Field::Channel), None, "one channel word in three is not a channel column");
    }
}
