//! Pipedrive API v1 activities (`GET /v1/activities`, or `/v1/deals/{id}/activities`)
//! saved as JSON: the history a Pipedrive user can give beside the deals export
//! (shared/formats/crm-exports.md §3.1). A file holds one page `{"success": true,
//! "data": [...], "additional_data": {...}}`, a list of such pages, or a bare array of
//! activity objects; it is recognised by its content (objects with `deal_id`, `done`
//! and `type` or `due_date`), not its name.
//!
//! Each activity becomes one row of [`HEADER`] (read by the `pipedrive-api-activities`
//! spec of `formats`), so activities go through the same row code, ledger and duplicate
//! rule as every CSV. Nothing is decided here: `done`, `type` and the due date and time
//! are handed on as written (`true` / `false`, `call`, `2026-10-05`, `09:00`); a null
//! `deal_id` is an empty cell (no deal). The owner is `owner_name`, else `user_id`.
//!
//! Locations: as for Capsule entries, the "line" of an activity is its position in the
//! file, 1-based, counting through the pages in order.

use std::path::Path;

use serde_json::{Map, Value};

use super::sniff;
use crate::error::{Error, Result};

/// The columns each activity is turned into.
pub const HEADER: [&str; 8] = ["id", "deal_id", "type", "done", "due_date", "due_time", "subject", "user"];

/// A scalar JSON value as text (numbers, strings and booleans; anything else is empty).
fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.replace(['\r', '\n'], " "),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// True for an object shaped like a Pipedrive activity.
fn is_activity(o: &Map<String, Value>) -> bool {
    o.contains_key("deal_id") && o.contains_key("done") && (o.contains_key("type") || o.contains_key("due_date"))
}

/// The items of one API page (`data` null is an empty page); `None` when `p` is no page.
fn page(p: &Value) -> Option<Vec<&Value>> {
    let o = p.as_object()?;
    match o.get("data")? {
        Value::Array(items) => Some(items.iter().collect()),
        Value::Null if o.contains_key("success") => Some(Vec::new()),
        _ => None,
    }
}

/// The activities of a parsed file, in file order: one page, a list of pages, or a bare
/// array of activities. `None` when the JSON has another shape or holds no activity
/// object (a Capsule entries file, say).
pub fn activities_of(v: &Value) -> Option<Vec<&Value>> {
    let items: Vec<&Value> = match v {
        Value::Object(_) => page(v)?,
        Value::Array(list) if list.iter().any(|p| p.get("data").is_some()) => {
            let mut all = Vec::new();
            for p in list {
                all.extend(page(p)?);
            }
            all
        }
        Value::Array(list) => list.iter().collect(),
        _ => return None,
    };
    let objects = items.iter().all(|a| a.is_object());
    let any_activity = items.iter().any(|a| a.as_object().is_some_and(is_activity));
    let empty_page = items.is_empty() && v.get("success").is_some();
    (objects && (any_activity || empty_page)).then_some(items)
}

/// One activity as a row of [`HEADER`].
pub fn activity_row(a: &Value) -> [String; 8] {
    let mut user = text(a.get("owner_name"));
    if user.trim().is_empty() {
        user = text(a.get("user_id"));
    }
    [
        text(a.get("id")),
        text(a.get("deal_id")),
        text(a.get("type")),
        text(a.get("done")),
        text(a.get("due_date")),
        text(a.get("due_time")),
        text(a.get("subject")),
        user,
    ]
}

/// Parses an activities file into CSV text with [`HEADER`] (one record per activity,
/// one line each) and the number of activities. `Ok(None)` when the bytes are not
/// Pipedrive activities (not JSON, or JSON of another shape): the caller tries the
/// other JSON inputs.
pub fn activities_to_csv(path: &Path, bytes: &[u8]) -> Result<Option<(String, usize)>> {
    // UTF-16 (PowerShell's `>`) decoded, a UTF-8 BOM dropped, as for Capsule entries.
    let b = match sniff::utf16_of(bytes) {
        Some(e) => sniff::decode_as(bytes, e),
        None => std::borrow::Cow::Borrowed(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)),
    };
    let Ok(v) = serde_json::from_slice::<Value>(&b) else { return Ok(None) };
    let Some(activities) = activities_of(&v) else { return Ok(None) };
    let err = |message: String| Error::Json { path: path.to_owned(), line: 0, column: 0, message };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(HEADER).map_err(|e| err(e.to_string()))?;
    for a in &activities {
        w.write_record(activity_row(a)).map_err(|e| err(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| err(e.to_string()))?;
    Ok(Some((text, activities.len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    macro_rules! fixture {
        ($path:expr) => {
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures_export/", $path)).as_slice()
        };
    }

    /// The rows of a file: (id, deal_id, type, done, due date, due time) per activity.
    fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
        let (text, n) = activities_to_csv(Path::new("a.json"), bytes).expect("json").expect("activities");
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(rdr.headers().ok().map(|h| h.iter().collect::<Vec<_>>()), Some(HEADER.to_vec()));
        let rows: Vec<Vec<String>> =
            rdr.records().map(|r| r.expect("record").iter().map(str::to_owned).collect()).collect();
        assert_eq!(rows.len(), n, "one row per activity");
        assert_eq!(text.lines().count(), n + 1, "one line per activity: the line is its position");
        rows
    }

    #[test]
    fn a_list_of_pages_is_read_through_in_order() {
        let rows = rows(fixture!("pipedrive/pipedrive-activities-api.json"));
        assert_eq!(rows.len(), 16, "case.md: 16 activities over two pages, repeats included");
        assert_eq!(rows[0], ["5401", "1404", "email", "true", "2026-10-05", "09:00", "Intro", "Marco Rossi"]);
        assert_eq!(rows[1][..4], ["5402", "1404", "call", "true"]);
        let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 15, "5501 ends page 1 and starts page 2: both rows kept, not deduplicated here");
        assert_eq!(ids.iter().filter(|id| **id == "5501").count(), 2);
        assert!(rows.iter().any(|r| r[3] == "false"), "planned activities are kept with done = false");
    }

    #[test]
    fn one_page_and_a_bare_array_read_alike() {
        let page1 = rows(fixture!("pipedrive_api_pages/pipedrive-activities-api-page1.json"));
        let page2 = rows(fixture!("pipedrive_api_pages/pipedrive-activities-api-page2.json"));
        assert_eq!((page1.len(), page2.len()), (8, 8));
        assert_eq!(page2[0][..5], ["5501", "1405", "email", "true", "2026-10-08"]);
        // The two files together hold what the list of pages holds.
        let all = rows(fixture!("pipedrive/pipedrive-activities-api.json"));
        let mut split: Vec<Vec<String>> = page1.into_iter().chain(page2).collect();
        let mut joined = all.clone();
        split.sort();
        joined.sort();
        assert_eq!(split, joined);
    }

    #[test]
    fn missing_deal_and_owner_are_empty_or_the_user_id() {
        let v = json!({"success": true, "data": [
            {"id": 1, "deal_id": null, "done": false, "type": "meeting", "due_date": "2027-03-25", "due_time": "", "user_id": 13801, "subject": "Two\nlines, a comma"}
        ], "additional_data": {"pagination": {"start": 0, "limit": 100, "more_items_in_collection": false}}});
        let rows = rows(v.to_string().as_bytes());
        assert_eq!(rows[0], ["1", "", "meeting", "false", "2027-03-25", "", "Two lines, a comma", "13801"]);
        // An empty last page.
        assert_eq!(rows_of_json(json!({"success": true, "data": null})), Some(0));
    }

    fn rows_of_json(v: Value) -> Option<usize> {
        activities_to_csv(Path::new("a.json"), v.to_string().as_bytes()).ok().flatten().map(|(_, n)| n)
    }

    #[test]
    fn other_json_is_left_to_the_other_readers() {
        assert_eq!(rows_of_json(json!({"entries": [{"id": 1, "type": "note"}]})), None, "Capsule entries");
        assert_eq!(rows_of_json(json!([{"entries": []}])), None);
        assert_eq!(rows_of_json(json!([{"id": 1, "name": "x"}])), None, "objects without deal_id and done");
        assert_eq!(rows_of_json(json!([])), None);
        assert_eq!(
            rows_of_json(json!([{"id": 1, "deal_id": 2, "done": true, "type": "call"}, 3])),
            None,
            "not all objects"
        );
        assert_eq!(
            rows_of_json(
                json!([{"success": true, "data": [{"id": 1, "deal_id": 2, "done": true, "type": "call"}]}, {"x": 1}])
            ),
            None
        );
        assert!(matches!(activities_to_csv(Path::new("a.json"), b"{broken"), Ok(None)));
        assert!(matches!(activities_to_csv(Path::new("a.csv"), b"Deal,Date\n"), Ok(None)));
    }

    #[test]
    fn a_utf16_file_is_read_like_utf8() {
        let json = r#"[{"id": 7, "deal_id": 3, "done": true, "type": "call", "due_date": "2026-10-01"}]"#;
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(json.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(rows(&le)[0][..4], ["7", "3", "call", "true"]);
    }
}
