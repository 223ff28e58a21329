//! Capsule CRM history: the API's entries listing (`GET /api/v2/entries`) saved as
//! JSON. Capsule's account export has no history, so this is where its touches come
//! from. A file holds one page `{"entries": [...]}` or a list of pages
//! `[{"entries": [...]}, ...]`; it is recognised by its content, not its name.
//!
//! Each entry becomes one row of [`HEADER`] (read by the `capsule-entries` spec of
//! `formats`), so the entries go through the same row code, ledger and duplicate rule as
//! every CSV. The rules of shared/formats/crm-exports.md §5.4 are applied here, in
//! [`entry_row`]:
//!
//! - a `note` with activityType Call (-3) is a call, Meeting (-2) a meeting; Note (-1) is
//!   an internal note and a `task` is a completed task: neither is a touch. A note of a
//!   custom activity type (Capsule Teams) is a touch on the channel its name says
//!   ("LinkedIn" → social, "Site visit" → visit, anything else → other);
//! - a call whose content begins "Spoke to", "Spoke with", "Talked to" or "Connected"
//!   (any case) is connected (two-way); any other call is one-way;
//! - an `email` is inbound when its FROM participant has a `party` (one of our
//!   contacts), outbound when it has none (one of our users) or when the entry names no
//!   FROM participant; an inbound email whose subject marks an automatic reply is not a
//!   response (the common subject rule of SPEC §2);
//! - `opportunity.id` is the deal id; an entry without an opportunity is no deal's touch
//!   (counted in `touches.unlinked`); `creator.name` is the touch's owner.
//!
//! Locations: the "line" of an entry in rejected.csv is its position in the file,
//! 1-based, counting through the pages in order (a saved API page is one line of text);
//! the reason also names the entry's `id`.

use std::path::Path;

use serde_json::Value;

use super::sniff;
use crate::error::{Error, Result};

/// The columns each entry is turned into.
pub const HEADER: [&str; 8] =
    ["id", "opportunity.id", "entryAt", "activityType", "direction", "outcome", "subject", "creator"];

/// Call notes whose content begins with one of these (any case) are connected calls.
const CONNECTED_PREFIXES: [&str; 4] = ["spoke to", "spoke with", "talked to", "connected"];

/// True when the bytes start (after a BOM and white space) like JSON: `{` or `[`. The
/// bytes may be UTF-8 or UTF-16 (PowerShell's `Out-File` and `>` write UTF-16 LE with a
/// BOM), with or without a BOM.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let text = as_utf8(bytes);
    matches!(text.iter().find(|c| !c.is_ascii_whitespace()), Some(b'{' | b'['))
}

/// The bytes as UTF-8 without a BOM: UTF-16 (by its BOM or its NUL bytes) decoded,
/// UTF-8 as it is.
fn as_utf8(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    match sniff::utf16_of(bytes) {
        Some(e) => sniff::decode_as(bytes, e),
        None => std::borrow::Cow::Borrowed(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)),
    }
}

/// One entry as a row of [`HEADER`], the §5.4 rules applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryRow {
    /// The entry's id.
    pub id: String,
    /// Its opportunity's id: the deal id (empty: no opportunity).
    pub opportunity: String,
    /// `entryAt` as written (empty when missing).
    pub entry_at: String,
    /// The channel word: `email`, `call`, `meeting`, `note`, `task`, or a custom type.
    pub channel: String,
    /// `inbound` or `outbound`.
    pub direction: &'static str,
    /// `connected` for a connected call, else empty (Capsule records no outcome).
    pub outcome: &'static str,
    /// The email subject.
    pub subject: String,
    /// The user who logged it.
    pub creator: String,
}

impl EntryRow {
    fn cells(&self) -> [&str; 8] {
        [
            &self.id,
            &self.opportunity,
            &self.entry_at,
            &self.channel,
            self.direction,
            self.outcome,
            &self.subject,
            &self.creator,
        ]
    }
}

/// A scalar JSON value as text (numbers and strings; anything else is empty).
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.replace(['\r', '\n'], " "),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// True when `s` begins with `prefix`, ignoring case.
fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Applies the rules of crm-exports.md §5.4 to one entry (see the module docs).
pub fn entry_row(e: &Value) -> EntryRow {
    let kind = text(e.get("type")).to_ascii_lowercase();
    let content = text(e.get("content"));
    let activity = e.get("activityType");
    // The built-in activity types by id (-1 Note, -2 Meeting, -3 Call, -4 Task
    // completed); a custom type by its name.
    let activity_id = activity.and_then(|a| a.get("id")).and_then(Value::as_i64);
    let activity_name = match activity {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(a) => text(a.get("name")).trim().to_owned(),
        None => String::new(),
    };
    let mut row = EntryRow {
        id: text(e.get("id")),
        opportunity: text(e.get("opportunity").and_then(|o| o.get("id"))),
        entry_at: text(e.get("entryAt")),
        direction: "outbound",
        creator: text(e.get("creator").and_then(|c| c.get("name"))),
        ..Default::default()
    };
    match kind.as_str() {
        "email" => {
            row.channel = "email".into();
            row.subject = text(e.get("subject"));
            let from = e.get("participants").and_then(Value::as_array).and_then(|ps| {
                ps.iter()
                    .find(|p| p.get("role").and_then(Value::as_str).is_some_and(|r| r.eq_ignore_ascii_case("from")))
            });
            if from.is_some_and(|p| p.get("party").is_some_and(|party| !party.is_null())) {
                row.direction = "inbound";
            }
        }
        "note" => {
            let lower = activity_name.to_ascii_lowercase();
            row.channel = match (activity_id, lower.as_str()) {
                (Some(-3), _) | (None, "call") => "call".into(),
                (Some(-2), _) | (None, "meeting") => "meeting".into(),
                (Some(-1), _) | (None, "note" | "") => "note".into(),
                (Some(-4), _) | (None, "task completed" | "task") => "task".into(),
                // A custom activity type: its name says the channel.
                (_, "") => "other".into(),
                _ => activity_name.clone(),
            };
            if row.channel == "call" && CONNECTED_PREFIXES.iter().any(|p| starts_with_ci(content.trim_start(), p)) {
                row.outcome = "connected";
            }
        }
        // A completed task, and any entry type the API may add later: not a touch.
        _ => row.channel = "task".into(),
    }
    row
}

/// The entries of a parsed file: one page `{"entries": [...]}` or a list of pages.
/// `None` when the JSON has another shape.
pub fn entries_of(v: &Value) -> Option<Vec<&Value>> {
    fn page(p: &Value) -> Option<Vec<&Value>> {
        p.get("entries").and_then(Value::as_array).map(|a| a.iter().collect())
    }
    match v {
        Value::Object(_) => page(v),
        Value::Array(pages) => {
            let mut all = Vec::new();
            for p in pages {
                all.extend(page(p)?);
            }
            Some(all)
        }
        _ => None,
    }
}

/// Parses an entries file into CSV text with [`HEADER`] (one record per entry, one line
/// each). Returns `Ok(None)` when the bytes are not JSON at all (a CSV that happens to
/// start with `[`), and an error naming the file, line and column for JSON that is
/// broken or holds no `entries` list.
pub fn entries_to_csv(path: &Path, bytes: &[u8]) -> Result<Option<(String, usize)>> {
    let b = as_utf8(bytes);
    let v: Value = match serde_json::from_slice(&b) {
        Ok(v) => v,
        Err(e) => {
            let is_json_name = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json"));
            if !is_json_name && e.is_syntax() && e.line() == 1 && e.column() <= 2 {
                return Ok(None);
            }
            return Err(Error::Json {
                path: path.to_owned(),
                line: e.line(),
                column: e.column(),
                message: format!("{e}: save the API response as it came (curl … > entries-1.json)"),
            });
        }
    };
    let Some(entries) = entries_of(&v) else {
        return Err(Error::Json {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: "no \"entries\" list: followup reads Capsule's GET /api/v2/entries response, one page {\"entries\": [...]} or a list of pages [{\"entries\": [...]}, ...]".into(),
        });
    };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let err = |e: csv::Error| Error::Json { path: path.to_owned(), line: 0, column: 0, message: e.to_string() };
    w.write_record(HEADER).map_err(err)?;
    for e in &entries {
        w.write_record(entry_row(e).cells()).map_err(err)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Json {
        path: path.to_owned(),
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Json {
        path: path.to_owned(),
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    Ok(Some((text, entries.len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: Value) -> EntryRow {
        entry_row(&v)
    }

    #[test]
    fn calls_and_meetings_are_notes_with_an_activity_type() {
        let call = row(json!({"id": 1, "type": "note", "activityType": {"id": -3, "name": "Call"},
            "entryAt": "2026-10-31T15:03:00Z", "content": "Left a voicemail",
            "creator": {"id": 9, "name": "Chloé Martin"}, "opportunity": {"id": 96288054, "name": "P"}}));
        assert_eq!((call.channel.as_str(), call.direction, call.outcome), ("call", "outbound", ""));
        assert_eq!(
            (call.opportunity.as_str(), call.creator.as_str(), call.id.as_str()),
            ("96288054", "Chloé Martin", "1")
        );
        let meeting = row(json!({"type": "note", "activityType": {"id": -2, "name": "Meeting"}, "content": "Demo"}));
        assert_eq!((meeting.channel.as_str(), meeting.outcome), ("meeting", ""));
        // By name when the id is missing (an older or hand-made file).
        assert_eq!(row(json!({"type": "note", "activityType": {"name": "Call"}})).channel, "call");
    }

    #[test]
    fn notes_and_tasks_are_not_touches_whatever_they_say() {
        let note = row(
            json!({"type": "note", "activityType": {"id": -1, "name": "Note"}, "content": "Spoke to Bob at the fair"}),
        );
        assert_eq!(
            (note.channel.as_str(), note.outcome),
            ("note", ""),
            "a Note is internal, even if it mentions a talk"
        );
        assert_eq!(row(json!({"type": "note", "content": "no type at all"})).channel, "note");
        assert_eq!(row(json!({"type": "task", "activityType": {"id": -4, "name": "Task completed"}})).channel, "task");
        assert_eq!(row(json!({"type": "note", "activityType": {"id": -4, "name": "Task completed"}})).channel, "task");
        assert_eq!(row(json!({"type": "kase-update"})).channel, "task", "an unknown type is not a touch");
        for word in ["note", "task"] {
            assert_eq!(crate::ingest::cells::parse_channel(word), crate::ingest::cells::ChannelCell::NotATouch);
        }
    }

    #[test]
    fn a_call_is_connected_only_when_its_content_says_so() {
        let call = |content: &str| {
            row(json!({"type": "note", "activityType": {"id": -3, "name": "Call"}, "content": content})).outcome
        };
        for c in
            ["Spoke to Priya; wants a quote", "spoke with the owner", "  TALKED TO Ana", "Connected, booked a demo"]
        {
            assert_eq!(call(c), "connected", "{c}");
        }
        for c in ["Left voicemail", "No answer. Spoke to nobody", "Tried to connect", ""] {
            assert_eq!(call(c), "", "{c}");
        }
        // The rule is for calls: a meeting saying "Spoke to" is a meeting (a response anyway).
        let m = row(json!({"type": "note", "activityType": {"id": -2, "name": "Meeting"}, "content": "Spoke to Bob"}));
        assert_eq!(m.outcome, "");
    }

    #[test]
    fn email_direction_comes_from_the_from_participant() {
        let email = |from_party: Value| {
            row(json!({"type": "email", "subject": "Re: Pricing", "participants": [
                {"address": "a@x.example", "party": from_party, "role": "FROM"},
                {"address": "b@y.example", "party": {"id": 2, "type": "person", "name": "B"}, "role": "TO"}]}))
        };
        let inbound = email(json!({"id": 81790703, "type": "person", "name": "Fatima Kenzy"}));
        assert_eq!(
            (inbound.channel.as_str(), inbound.direction, inbound.subject.as_str()),
            ("email", "inbound", "Re: Pricing")
        );
        assert_eq!(email(Value::Null).direction, "outbound", "FROM one of our users");
        // A TO participant with a party does not make it inbound; no FROM at all: outbound.
        assert_eq!(
            row(json!({"type": "email", "participants": [{"role": "TO", "party": {"id": 1}}]})).direction,
            "outbound"
        );
        assert_eq!(row(json!({"type": "email"})).direction, "outbound");
        let lower = row(json!({"type": "email", "participants": [{"role": "from", "party": {"id": 1}}]}));
        assert_eq!(lower.direction, "inbound");
    }

    #[test]
    fn custom_activity_types_name_their_channel() {
        let t = |name: &str| row(json!({"type": "note", "activityType": {"id": 1201, "name": name}})).channel;
        assert_eq!(t("LinkedIn"), "LinkedIn");
        assert_eq!(
            crate::ingest::cells::parse_channel(&t("LinkedIn")),
            crate::ingest::cells::ChannelCell::Touch(crate::model::Channel::Social)
        );
        assert_eq!(t(""), "other");
    }

    #[test]
    fn pages_are_read_in_order_and_other_shapes_refused() {
        let one = json!({"entries": [{"id": 1}, {"id": 2}]});
        assert_eq!(entries_of(&one).map(|e| e.len()), Some(2));
        let pages = json!([{"entries": [{"id": 1}]}, {"entries": [{"id": 2}, {"id": 3}]}]);
        let ids: Vec<String> = entries_of(&pages).unwrap_or_default().iter().map(|e| text(e.get("id"))).collect();
        assert_eq!(ids, ["1", "2", "3"]);
        assert!(entries_of(&json!({"opportunities": []})).is_none());
        assert!(entries_of(&json!([{"entries": []}, {"parties": []}])).is_none());
    }

    #[test]
    fn entries_become_one_line_each() {
        let bytes = br#"{"entries": [{"id": 7, "type": "email", "entryAt": "2026-10-01T09:00:00Z",
            "subject": "Two\nlines, and a comma", "opportunity": {"id": 5}}, {"id": 8, "type": "task"}]}"#;
        let (csv, n) = entries_to_csv(Path::new("e.json"), bytes).expect("json").expect("entries");
        assert_eq!(n, 2);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "id,opportunity.id,entryAt,activityType,direction,outcome,subject,creator");
        assert_eq!(lines[1], "7,5,2026-10-01T09:00:00Z,email,outbound,,\"Two lines, and a comma\",");
        assert_eq!(lines[2], "8,,,task,outbound,,,");
        assert!(looks_like_json(b"\xEF\xBB\xBF \n[{"));
        // PowerShell's `>`: UTF-16 LE with a BOM; and UTF-16 without one.
        let json = "{\"entries\": [{\"id\": 9, \"type\": \"email\", \"subject\": \"Café\"}]}";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(json.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = json.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le, be] {
            assert!(looks_like_json(&bytes));
            let (csv, n) = entries_to_csv(Path::new("e.json"), &bytes).expect("json").expect("entries");
            assert_eq!((n, csv.lines().nth(1)), (1, Some("9,,,email,outbound,,Café,")));
        }
        assert!(!looks_like_json(&"Deal,Date".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()));
        assert!(!looks_like_json(b"Deal,Date"));
        // Not JSON, not named .json: left to the CSV reader.
        assert!(matches!(entries_to_csv(Path::new("x.csv"), b"[Deal],Date\n"), Ok(None)));
        let err = entries_to_csv(Path::new("e.json"), b"{\"entries\": [\n{\"id\": 1,}\n]}").unwrap_err().to_string();
        assert!(err.contains("e.json") && err.contains("line 2"), "{err}");
    }
}
