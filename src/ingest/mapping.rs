//! `--map FILE.toml`: a user's own mapping for any spreadsheet. It names, for each
//! canonical column of SPEC §2, the header that holds it, and maps the spreadsheet's
//! own words for stages, activity types, directions and outcomes onto ours:
//!
//! ```toml
//! [columns]
//! deal_id = "Client ref"
//! at = "Touched on"
//! channel = "Via"
//! stage = "Pipeline step"
//!
//! [status]        # stage (or status) value → won / lost / open
//! "Signed" = "won"
//! "Dead" = "lost"
//!
//! [channel]       # type value → email / call / meeting / text / social / letter / visit / other / note / task
//! "Rang" = "call"
//!
//! [direction]     # → inbound / outbound
//! "They wrote" = "inbound"
//!
//! [outcome]       # → a canonical outcome word of SPEC §2 (connected, replied, no show, …)
//! "Picked up" = "connected"
//! ```
//!
//! A file whose headers hold the mapped required columns (the deal: `deal_id` or
//! `name`; then `at` for one row per touch, else `stage` or `status` for one row per
//! deal) is read through the map, without format detection; it must then hold every
//! mapped column. Other files are detected as usual. `--map` is repeatable (a deals
//! sheet and an activities sheet, each with its own map): each map reads the files it
//! fits, and a file that two maps fit is an error naming both. Value keys are matched ignoring
//! case and surrounding spaces; values the map does not name follow the usual rules.
//! Unknown keys and values that are not ours are errors naming the TOML line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::cells;
use super::formats::{normalise_header, ColumnMap, Field, FormatSpec, DEALS, FOLLOWUP_LOG, TOUCHES};
pub use super::values::{ValueKind, ValueMaps};
use crate::error::{Error, Result};

/// The canonical columns a map can name, in the order `map --init` writes them, with
/// the one-line explanation written beside each.
pub const COLUMNS: [(Field, &str); 16] = [
    (Field::DealId, "the deal's unique id (else `name` is the key)"),
    (Field::Name, "deal / prospect / company name"),
    (Field::Stage, "the raw stage text; won/lost/open via [status] below, else stages containing won/lost"),
    (Field::Status, "a won / lost / open column (its own words can be mapped in [status])"),
    (Field::Amount, "deal value: 1234.5, $1,234.50, 1.234,50 € all read"),
    (Field::Currency, "ISO code (USD, EUR, GBP) of the amount"),
    (Field::CreatedAt, "when the deal was created"),
    (Field::ClosedAt, "when the deal was won or lost"),
    (Field::Cadence, "sequence / cadence / playbook name"),
    (Field::Owner, "the rep who owns the deal or made the touch"),
    (Field::TouchCount, "number of times contacted (deal rows without touch rows)"),
    (Field::At, "when the touch happened (one row per touch); leave out for one row per deal"),
    (Field::Channel, "activity type: email, call, meeting, … (own words in [channel])"),
    (Field::Direction, "inbound / outbound (own words in [direction]); empty = outbound"),
    (Field::Outcome, "what happened: sent, connected, replied, no show, … (own words in [outcome])"),
    (Field::Subject, "email subject (an inbound \"Automatic reply: …\" is not a response)"),
];

/// A mapping read from a TOML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The TOML file, for messages.
    pub path: PathBuf,
    /// Canonical column → header text, in [`COLUMNS`] order.
    pub columns: Vec<(Field, String)>,
    /// The value maps.
    pub values: std::sync::Arc<ValueMaps>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    columns: RawColumns,
    #[serde(default)]
    status: BTreeMap<String, toml::Spanned<String>>,
    #[serde(default)]
    channel: BTreeMap<String, toml::Spanned<String>>,
    #[serde(default)]
    direction: BTreeMap<String, toml::Spanned<String>>,
    #[serde(default)]
    outcome: BTreeMap<String, toml::Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumns {
    deal_id: Option<String>,
    name: Option<String>,
    stage: Option<String>,
    status: Option<String>,
    amount: Option<String>,
    currency: Option<String>,
    created_at: Option<String>,
    closed_at: Option<String>,
    cadence: Option<String>,
    owner: Option<String>,
    touch_count: Option<String>,
    at: Option<String>,
    channel: Option<String>,
    direction: Option<String>,
    outcome: Option<String>,
    subject: Option<String>,
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
        Self::parse(path, &text)
    }

    /// Parses and checks mapping text (`path` is only used in messages).
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let err = |(line, column): (u64, u64), message: String| Error::ConfigFile {
            path: path.to_owned(),
            line,
            column,
            message,
        };
        let raw: RawMap = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or((1, 1), |s| crate::error::line_col(text, s.start));
            err(at, format!("{}; see README, \"Any other spreadsheet\", for the layout", e.message().trim_end()))
        })?;
        let columns_at = crate::error::line_col(text, text.find("[columns]").unwrap_or(0));
        let bad = |message: String| err(columns_at, message);
        let c = raw.columns;
        let named = [
            (Field::DealId, c.deal_id),
            (Field::Name, c.name),
            (Field::Stage, c.stage),
            (Field::Status, c.status),
            (Field::Amount, c.amount),
            (Field::Currency, c.currency),
            (Field::CreatedAt, c.created_at),
            (Field::ClosedAt, c.closed_at),
            (Field::Cadence, c.cadence),
            (Field::Owner, c.owner),
            (Field::TouchCount, c.touch_count),
            (Field::At, c.at),
            (Field::Channel, c.channel),
            (Field::Direction, c.direction),
            (Field::Outcome, c.outcome),
            (Field::Subject, c.subject),
        ];
        let columns: Vec<(Field, String)> = named
            .into_iter()
            .filter_map(|(f, h)| h.map(|h| (f, h.trim().to_owned())))
            .filter(|(_, h)| !h.is_empty())
            .collect();
        let has = |f: Field| columns.iter().any(|(g, _)| *g == f);
        if !has(Field::DealId) && !has(Field::Name) {
            return Err(bad("[columns] names neither deal_id nor name: every row needs the deal it belongs to".into()));
        }
        if !has(Field::At) && !has(Field::Stage) && !has(Field::Status) {
            return Err(bad(
                "[columns] names neither at (one row per touch) nor stage / status (one row per deal)".into()
            ));
        }
        let mut values = ValueMaps::default();
        let table = |name: &str,
                     entries: BTreeMap<String, toml::Spanned<String>>,
                     ok: &dyn Fn(&str) -> bool,
                     expected: &str|
         -> Result<FxHashMap<String, String>> {
            let mut out = FxHashMap::default();
            // Keys are matched ignoring case and spaces, so two keys that differ only
            // in those would let one silently win: the later one in the file is an error.
            let mut seen: FxHashMap<String, (String, usize)> = FxHashMap::default();
            for (k, v) in entries {
                let word = v.get_ref().trim().to_lowercase();
                if !ok(&word) {
                    return Err(err(
                        crate::error::line_col(text, v.span().start),
                        format!("[{name}] {k:?} = {:?}: expected {expected}", v.get_ref()),
                    ));
                }
                let key = cells::trim_cell(&k).to_lowercase();
                let at = v.span().start;
                if let Some((other, other_at)) = seen.get(&key) {
                    let (first, second, at) = if *other_at < at {
                        (other.as_str(), k.as_str(), at)
                    } else {
                        (k.as_str(), other.as_str(), *other_at)
                    };
                    return Err(err(
                        crate::error::line_col(text, at),
                        format!("[{name}] {second:?} is the same key as {first:?} (keys ignore case and spaces): keep one of them"),
                    ));
                }
                seen.insert(key.clone(), (k.clone(), at));
                out.insert(key, word);
            }
            Ok(out)
        };
        values.status = table("status", raw.status, &|w| cells::parse_status(w).is_some(), "won, lost or open")?;
        values.channel = table(
            "channel",
            raw.channel,
            &|w| CHANNEL_WORDS.contains(&w),
            "email, call, meeting, text, social, letter, visit, other, note or task",
        )?;
        values.direction =
            table("direction", raw.direction, &|w| w == "inbound" || w == "outbound", "inbound or outbound")?;
        values.outcome = table(
            "outcome",
            raw.outcome,
            &|w| cells::classify_outcome(w).1,
            "an outcome word of SPEC §2: connected, replied, completed, no show, out of office, unsubscribed, bounced, sent, no answer, …",
        )?;
        Ok(Mapping { path: path.to_owned(), columns, values: std::sync::Arc::new(values) })
    }

    /// The format a mapped file is read as: a follow-up log when `at` and deal columns
    /// are mapped, touches.csv when only touch columns are, deals.csv without `at`.
    pub fn spec(&self) -> &'static FormatSpec {
        let has = |f: Field| self.columns.iter().any(|(g, _)| *g == f);
        if !has(Field::At) {
            &DEALS
        } else if [Field::Stage, Field::Status, Field::Amount, Field::ClosedAt, Field::CreatedAt, Field::TouchCount]
            .iter()
            .any(|f| has(*f))
        {
            &FOLLOWUP_LOG
        } else {
            &TOUCHES
        }
    }

    /// Fits the map to a file's headers: `Ok(Some(map))` when the file holds the mapped
    /// required columns and every other mapped column; `Ok(None)` when it does not hold
    /// the required ones (detection decides); an error when it holds the required ones
    /// but lacks another mapped column.
    pub fn fit(&self, file: &Path, headers: &[String]) -> Result<Option<ColumnMap>> {
        let find = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .or_else(|| headers.iter().position(|h| normalise_header(h) == normalise_header(name)))
        };
        let spec = self.spec();
        let required_ok = spec.required.iter().all(|group| {
            let mapped: Vec<&(Field, String)> = self.columns.iter().filter(|(f, _)| group.contains(f)).collect();
            !mapped.is_empty() && mapped.iter().all(|(_, h)| find(h).is_some())
        });
        if !required_ok {
            return Ok(None);
        }
        let missing = self.missing(headers);
        if !missing.is_empty() {
            return Err(self.missing_error(file, headers, missing));
        }
        let cols = self.columns.iter().filter_map(|(f, h)| find(h).map(|i| (*f, i)));
        Ok(Some(ColumnMap::with_columns(cols, Some(self.values.clone()))))
    }

    /// The mapped columns a header row lacks, as `canonical = "header"`.
    pub fn missing(&self, headers: &[String]) -> Vec<String> {
        self.columns
            .iter()
            .filter(|(_, h)| {
                !headers.iter().any(|x| x.trim().eq_ignore_ascii_case(h) || normalise_header(x) == normalise_header(h))
            })
            .map(|(f, h)| format!("{} = {h:?}", f.canonical()))
            .collect()
    }

    /// The error for a file that lacks mapped columns.
    pub fn missing_error(&self, file: &Path, headers: &[String], missing: Vec<String>) -> Error {
        Error::MapColumns { path: file.to_owned(), map: self.path.clone(), missing, found: headers.to_vec() }
    }
}

/// The one map of several (`--map` is repeatable) that fits a file's headers, with its
/// column map: `Ok(None)` when none fits (detection decides); an error when two fit
/// (naming both), or when none fits and one holds the file's required columns but
/// lacks another of its columns ([`Mapping::fit`]).
pub fn fit_one<'m>(maps: &'m [Mapping], file: &Path, headers: &[String]) -> Result<Option<(&'m Mapping, ColumnMap)>> {
    let mut found: Option<(&Mapping, ColumnMap)> = None;
    let mut lacking = None;
    for m in maps {
        match m.fit(file, headers) {
            Ok(Some(map)) => {
                if let Some((first, _)) = &found {
                    return Err(Error::MapsOverlap {
                        path: file.to_owned(),
                        first: first.path.clone(),
                        second: m.path.clone(),
                    });
                }
                found = Some((m, map));
            }
            Ok(None) => {}
            Err(e) => {
                lacking.get_or_insert(e);
            }
        }
    }
    match (found, lacking) {
        (Some(f), _) => Ok(Some(f)),
        (None, Some(e)) => Err(e),
        (None, None) => Ok(None),
    }
}

/// The words a `[channel]` entry may map to.
pub const CHANNEL_WORDS: [&str; 10] =
    ["email", "call", "meeting", "text", "social", "letter", "visit", "other", "note", "task"];

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &str) -> Result<Mapping> {
        Mapping::parse(Path::new("m.toml"), t)
    }

    #[test]
    fn reads_columns_and_values() {
        let m = parse("[columns]\ndeal_id = \"Client ref\"\nat = \"Touched on\"\nstage = \"Pipeline step\"\n[status]\nSigned = \"won\"\n\" dead \" = \"Lost\"\n").unwrap();
        assert_eq!(
            m.columns,
            vec![
                (Field::DealId, "Client ref".into()),
                (Field::Stage, "Pipeline step".into()),
                (Field::At, "Touched on".into())
            ]
        );
        assert_eq!(m.values.lookup(ValueKind::Status, " SIGNED "), Some("won"));
        assert_eq!(m.values.lookup(ValueKind::Status, "Dead"), Some("lost"));
        assert_eq!(m.values.lookup(ValueKind::Status, "Chasing"), None);
        assert_eq!(m.spec().name(), "followup-log");
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_line() {
        let e = parse("[columns]\ndeal_id = \"A\"\nat = \"B\"\nwhen = \"C\"\n").unwrap_err().to_string();
        assert!(e.starts_with("m.toml:4:1: unknown field `when`"), "{e}");
        let e = parse("[columns]\ndeal_id = \"A\"\nat = \"B\"\n[colour]\nx = \"y\"\n").unwrap_err().to_string();
        assert!(e.starts_with("m.toml:4:") && e.contains("colour"), "{e}");
        let e = parse("[columns]\ndeal_id = \"A\"\nat = \"B\"\n[channel]\nRang = \"phone\"\n").unwrap_err().to_string();
        assert!(e.starts_with("m.toml:5:8: [channel] \"Rang\" = \"phone\": expected email, call"), "{e}");
        let e = parse("[columns]\nat = \"B\"\n").unwrap_err().to_string();
        assert!(e.contains("neither deal_id nor name"), "{e}");
    }

    #[test]
    fn value_keys_differing_only_in_case_name_the_second_line() {
        let head = "[columns]\ndeal_id = \"A\"\nstage = \"B\"\n";
        let e = parse(&format!("{head}[status]\nsigned = \"won\"\nSIGNED = \"lost\"\n")).unwrap_err().to_string();
        assert!(e.starts_with("m.toml:6:") && e.contains("[status] \"SIGNED\" is the same key as \"signed\""), "{e}");
        // The second in the file is named whatever the sort order of the keys.
        let e = parse(&format!("{head}[status]\nSIGNED = \"won\"\n\" signed \" = \"lost\"\n")).unwrap_err().to_string();
        assert!(e.starts_with("m.toml:6:") && e.contains("\" signed \" is the same key as \"SIGNED\""), "{e}");
        for table in ["channel", "direction", "outcome"] {
            let word = match table {
                "channel" => "call",
                "direction" => "inbound",
                _ => "connected",
            };
            let e = parse(&format!("{head}[{table}]\nRang = \"{word}\"\nrang = \"{word}\"\n")).unwrap_err().to_string();
            assert!(e.starts_with("m.toml:6:") && e.contains(&format!("[{table}] \"rang\" is the same key")), "{e}");
        }
        assert!(parse(&format!("{head}[status]\nsigned = \"won\"\nsigner = \"won\"\n")).is_ok());
    }

    #[test]
    fn one_map_per_file_and_two_that_fit_are_named() {
        let deals =
            Mapping::parse(Path::new("deals.toml"), "[columns]\ndeal_id = \"Ref\"\nstage = \"Step\"\n").unwrap();
        let acts = Mapping::parse(Path::new("acts.toml"), "[columns]\ndeal_id = \"Ref\"\nat = \"When\"\n").unwrap();
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let maps = [deals.clone(), acts.clone()];
        let (m, _) = fit_one(&maps, Path::new("d.csv"), &h(&["Ref", "Step"])).unwrap().expect("the deals map");
        assert_eq!(m.path, Path::new("deals.toml"));
        let (m, _) = fit_one(&maps, Path::new("a.csv"), &h(&["When", "Ref"])).unwrap().expect("the activities map");
        assert_eq!(m.path, Path::new("acts.toml"));
        assert!(fit_one(&maps, Path::new("o.csv"), &h(&["Deal", "Date"])).unwrap().is_none());
        let e = fit_one(&maps, Path::new("both.csv"), &h(&["Ref", "Step", "When"])).unwrap_err();
        assert!(matches!(e, Error::MapsOverlap { .. }) && e.exit_code() == 2, "{e}");
        let e = e.to_string();
        assert!(e.starts_with("both.csv: both maps deals.toml and acts.toml fit"), "{e}");
        // A map that fits wins over one that lacks a column it names.
        let owner = Mapping::parse(
            Path::new("owner.toml"),
            "[columns]\ndeal_id = \"Ref\"\nstage = \"Step\"\nowner = \"Who\"\n",
        )
        .unwrap();
        let maps = [owner, acts];
        assert!(fit_one(&maps, Path::new("a.csv"), &h(&["Ref", "When", "Step"])).unwrap().is_some());
        let e = fit_one(&maps, Path::new("d.csv"), &h(&["Ref", "Step"])).unwrap_err().to_string();
        assert!(e.contains("owner.toml") && e.contains("owner = \"Who\""), "{e}");
    }

    #[test]
    fn fit_skips_other_files_and_names_missing_columns() {
        let m = parse("[columns]\ndeal_id = \"Client ref\"\nat = \"Touched on\"\nowner = \"Who\"\n").unwrap();
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let map = m.fit(Path::new("a.csv"), &h(&["touched ON", "Who", "Client ref"])).unwrap().expect("fits");
        assert_eq!((map.get(Field::DealId), map.get(Field::At), map.get(Field::Owner)), (Some(2), Some(0), Some(1)));
        assert!(m.fit(Path::new("b.csv"), &h(&["Deal", "Date"])).unwrap().is_none());
        let e = m.fit(Path::new("c.csv"), &h(&["Client ref", "Touched on"])).unwrap_err().to_string();
        assert!(e.contains("c.csv") && e.contains("owner = \"Who\"") && e.contains("Client ref, Touched on"), "{e}");
    }
}
