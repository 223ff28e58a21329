//! The fuzz targets of fuzz/ as properties that run in CI: the same entry points (a
//! CSV, XLSX, ZIP or JSON (Capsule, Pipedrive) input through ingest and the metrics,
//! the `--map` and `--cadence-plan` parsers, the date and amount cells) over arbitrary
//! bytes and over the repository's own inputs with random bytes inserted, deleted or
//! replaced. The invariants are the fuzz targets': no panic, every file's rows = used +
//! rejected + duplicates, rejected rows on lines that exist, finite amounts, errors that
//! name the file and stay short.
//!
//! The seed is fixed and nothing is written back to the repository (no failure
//! persistence), so a run is the same on every machine: about three thousand cases,
//! under half a minute in `--release` on a busy two-core machine.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

use followup::cli::ReportArgs;
use followup::config::RunConfig;
use followup::error::Error;
use followup::ingest::cells;

/// A fixed-seed configuration of `cases` cases (environment variables cannot change
/// the seed, the count or make proptest write a regressions file).
fn fixed(cases: u32) -> Config {
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x00f0_110e_u64),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    }
}

const LOG: &[u8] = include_bytes!("fixtures/cadence_plan/log.csv");
const CSVS: [&[u8]; 5] = [
    LOG,
    include_bytes!("fixtures/rejects_and_duplicates/log.csv"),
    include_bytes!("fixtures/split_form/deals.csv"),
    include_bytes!("fixtures_export/hubspot/hubspot-crm-exports-all-calls-2026-10-31.csv"),
    include_bytes!("fixtures_export/hubspot/hubspot-crm-exports-all-deals-2026-10-31.csv"),
];
const XLSX: [&[u8]; 2] = [
    include_bytes!("fixtures_export/xlsx/hubspot-crm-exports-all-deals-2026-10-31.xlsx"),
    include_bytes!("fixtures_export/capsule/opportunities.xlsx"),
];
const ZIPS: [&[u8]; 2] = [
    include_bytes!("fixtures_export/zip/hubspot-crm-exports-2026-10-31.zip"),
    include_bytes!("fixtures_export/capsule/capsule-export-2026-10-31.zip"),
];
const PLAN: &str = include_str!("fixtures/cadence_plan/plan.toml");
const MAP: &str = "[columns]\ndeal_id = \"Deal ID\"\nat = \"Date\"\nchannel = \"Contact method\"\nstage = \"Deal stage\"\n\n[status]\n\"Qualified\" = \"open\"\n\n[channel]\n\"Email\" = \"email\"\n\n[direction]\n\"Outbound\" = \"outbound\"\n\n[outcome]\n\"No answer\" = \"no answer\"\n";

/// A seed with random edits: each (position, kind, byte) inserts, deletes or replaces
/// one byte at a position scaled to the current length.
fn mutated(seeds: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
    (prop::sample::select(seeds), prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 0..8))
        .prop_map(|(seed, edits)| {
            let mut b = seed.to_vec();
            for (at, kind, byte) in edits {
                let i = at.index(b.len() + 1);
                match kind {
                    0 => b.insert(i, byte),
                    1 if i < b.len() => {
                        b.remove(i);
                    }
                    _ if i < b.len() => b[i] = byte,
                    _ => b.push(byte),
                }
            }
            b
        })
}

/// Bytes that a CSV reader finds hard: delimiters, quotes, line ends, a BOM, multi-byte
/// and invalid UTF-8, NUL.
fn csv_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\xFF\xFE".to_vec()),
        Just("é".as_bytes().to_vec()),
        Just(b"\xE9".to_vec()),
        Just(b"sep=".to_vec()),
        Just(b"Deal,Date,Contact method,Deal stage\n".to_vec()),
        Just(b"D1,2026-10-01 09:00,Email,Won".to_vec()),
        prop::collection::vec(any::<u8>(), 0..6),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn config(inputs: Vec<PathBuf>) -> RunConfig {
    let mut args = ReportArgs::default();
    args.input.inputs = inputs;
    RunConfig::try_from(&args).expect("config")
}

/// Line breaks in raw bytes (LF, CR, CRLF once): no row starts past this plus one.
fn line_breaks(b: &[u8]) -> u64 {
    (0..b.len()).filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))).count() as u64
}

fn check_error(e: &Error, input: &Path) -> Result<(), TestCaseError> {
    let msg = e.to_string();
    prop_assert!(msg.contains(&input.display().to_string()), "the error does not name the file: {}", msg);
    prop_assert!(msg.len() <= 64 * 1024, "a {}-byte error message", msg.len());
    Ok(())
}

/// Ingest and metrics over `cfg`, with the ledger invariants; the per-file counts.
fn report(cfg: &RunConfig, max_line: u64) -> Result<Vec<followup::ingest::FileLedger>, TestCaseError> {
    let input = cfg.inputs[0].clone();
    let ing = match followup::ingest::ingest(&cfg.into()) {
        Ok(ing) => ing,
        Err(e) => return check_error(&e, &input).map(|()| Vec::new()),
    };
    for a in ing.tables.deals.amount.iter().flatten() {
        prop_assert!(a.is_finite(), "a deal amount of {}", a);
    }
    let c = match followup::metrics::compute(ing, &followup::metrics::MetricsOptions::from(cfg)) {
        Ok(c) => c,
        Err(e) => return check_error(&e, &input).map(|()| Vec::new()),
    };
    let mut rejected = 0;
    for f in &c.metrics.inputs {
        prop_assert!(f.check(), "row accounting broken: {:?}", f);
        rejected += f.rejected;
    }
    prop_assert_eq!(rejected, c.ledger.rejected.len());
    for r in &c.ledger.rejected {
        prop_assert!(
            r.line >= 1 && r.line <= max_line,
            "rejected row on line {} of at most {}: {:?}",
            r.line,
            max_line,
            r
        );
    }
    match followup::commands::check::check(cfg) {
        Ok(out) => {
            for e in &out.errors {
                check_error(e, &input)?;
            }
        }
        Err(e) => check_error(&e, &input)?,
    }
    Ok(c.metrics.inputs)
}

/// A ZIP of stored entries (so the bytes reach each entry's reader).
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        if z.start_file(*name, o).is_ok() {
            z.write_all(bytes).expect("write");
        }
    }
    z.finish().expect("finish").into_inner()
}

/// The sheet XML of a workbook wrapped in the other parts a workbook needs.
fn workbook(sheet: &[u8]) -> Vec<u8> {
    const CT: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    const WB: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    zip_of(&[
        ("[Content_Types].xml", CT.as_bytes()),
        ("_rels/.rels", RELS.as_bytes()),
        ("xl/workbook.xml", WB.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// Sheet XML with cells whose references, types and values are picked at random.
fn sheet_xml() -> impl Strategy<Value = Vec<u8>> {
    let cell = (
        prop::sample::select(vec![
            "A1", "B1", "C1", "D1", "A2", "B2", "C2", "D2", "A3", "XFD1", "A1048576", "ZZZZ9", "A0", "",
        ]),
        prop::sample::select(vec!["", " t=\"s\"", " t=\"inlineStr\"", " t=\"b\"", " t=\"e\"", " t=\"n\"", " s=\"1\""]),
        prop::sample::select(vec![
            "Deal ID",
            "Deal Name",
            "Deal Stage",
            "Amount",
            "Close Date",
            "1e308",
            "-1",
            "45961.5",
            "NaN",
            "&amp;",
            "1",
        ]),
    )
        .prop_map(|(r, t, v)| format!("<c r=\"{r}\"{t}><v>{v}</v><is><t>{v}</t></is></c>"));
    prop::collection::vec(prop::collection::vec(cell, 0..5), 0..5).prop_map(|rows| {
        let mut x = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#);
        for (i, cells) in rows.iter().enumerate() {
            x.push_str(&format!("<row r=\"{}\">{}</row>", i + 1, cells.concat()));
        }
        x.push_str("</sheetData></worksheet>");
        x.into_bytes()
    })
}

fn json_bytes() -> impl Strategy<Value = Vec<u8>> {
    let entry = (
        prop::sample::select(vec!["\"note\"", "\"email\"", "\"task\"", "1", "null", "[]"]),
        prop::sample::select(vec!["{\"id\": -3}", "{\"id\": -2, \"name\": \"Meeting\"}", "\"LinkedIn\"", "{\"name\": \"\"}", "7"]),
        prop::sample::select(vec!["\"2026-10-31T15:03:00Z\"", "\"\"", "1e400", "\"2026-10-31 10:00 – 11:00\"", "{}"]),
        prop::sample::select(vec!["{\"id\": 96288054}", "{\"id\": \"x\"}", "null", "{}", "{\"id\": 1.5e300}"]),
        prop::sample::select(vec!["\"Spoke to Bob\"", "\"\\u0000\\n\\r\"", "\"\\\"quoted\\\", comma\"", "null"]),
    )
        .prop_map(|(ty, at, when, opp, content)| {
            format!("{{\"id\": 1, \"type\": {ty}, \"activityType\": {at}, \"entryAt\": {when}, \"opportunity\": {opp}, \"content\": {content}, \"subject\": {content}, \"participants\": [{{\"role\": \"FROM\", \"party\": {{}}}}]}}")
        });
    let activity = (
        prop::sample::select(vec!["1", "null", "\"x\"", "1.5e300", "-0"]),
        prop::sample::select(vec!["true", "false", "null", "\"yes\""]),
        prop::sample::select(vec!["\"call\"", "\"email\"", "\"meeting\"", "null", "1", "\"\""]),
        prop::sample::select(vec!["\"2026-10-05\"", "\"\"", "\"2026-13-45\"", "null", "\"05/10/2026\""]),
        prop::sample::select(vec!["\"09:00\"", "\"\"", "\"25:99\"", "null", "\"9:00 – 10:00\""]),
    )
        .prop_map(|(deal, done, ty, date, time)| {
            format!("{{\"id\": 1, \"deal_id\": {deal}, \"done\": {done}, \"type\": {ty}, \"due_date\": {date}, \"due_time\": {time}, \"subject\": \"s\", \"owner_name\": \"Ana\"}}")
        });
    prop_oneof![
        prop::collection::vec(activity.clone(), 0..6).prop_map(|a| format!(
            "{{\"success\": true, \"data\": [{}]}}",
            a.join(",")
        )
        .into_bytes()),
        prop::collection::vec(activity, 0..6).prop_map(|a| format!("[{}]", a.join(",")).into_bytes()),
        prop::collection::vec(entry.clone(), 0..6)
            .prop_map(|e| format!("{{\"entries\": [{}]}}", e.join(",")).into_bytes()),
        prop::collection::vec(prop::collection::vec(entry, 0..3), 0..3).prop_map(|pages| {
            let pages: Vec<String> = pages.iter().map(|e| format!("{{\"entries\": [{}]}}", e.join(","))).collect();
            format!("[{}]", pages.join(",")).into_bytes()
        }),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(|b| [b"{\"entries\": [".as_slice(), &b].concat()),
    ]
}

/// A settings-file error must be a ConfigFile error on a line that exists.
fn check_config_error(e: &Error, text: &str) -> Result<(), TestCaseError> {
    match e {
        Error::ConfigFile { line, column, .. } => {
            prop_assert!(*line >= 1 && *line <= text.split('\n').count() as u64, "line {} in {:?}", line, text);
            prop_assert!(*column >= 1);
            Ok(())
        }
        other => Err(TestCaseError::fail(format!("not a settings-file error: {other:?}"))),
    }
}

fn toml_text(base: &'static str) -> impl Strategy<Value = String> {
    mutated(Box::leak(Box::new([base.as_bytes()]))).prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

proptest! {
    #![proptest_config(fixed(500))]

    #[test]
    fn csv_bytes_keep_the_ledger(bytes in prop_oneof![csv_bytes(), mutated(&CSVS), prop::collection::vec(any::<u8>(), 0..256)]) {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("log.csv");
        std::fs::write(&path, &bytes).expect("write");
        let max_line = line_breaks(&bytes) + 1;
        for f in report(&config(vec![path.clone()]), max_line)? {
            prop_assert!(f.rows as u64 <= max_line, "{} rows in {} lines", f.rows, max_line);
        }
        if let Err(e) = followup::commands::map::init(&path, None) {
            check_error(&e, &path)?;
        }
    }
}

proptest! {
    #![proptest_config(fixed(250))]

    #[test]
    fn xlsx_bytes_keep_the_ledger(bytes in prop_oneof![mutated(&XLSX), sheet_xml().prop_map(|s| workbook(&s))]) {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("deals.xlsx");
        std::fs::write(&path, &bytes).expect("write");
        report(&config(vec![path.clone()]), u64::from(u32::MAX) + 2)?;
        if let Err(e) = followup::commands::map::init(&path, None) {
            check_error(&e, &path)?;
        }
    }

    #[test]
    fn zip_bytes_keep_the_ledger(
        bytes in prop_oneof![
            mutated(&ZIPS),
            prop::collection::vec((prop::sample::select(vec!["deals.csv", "Opportunities.csv", "/etc/x.csv", "../x.csv", "a\\b.tsv", "notes.txt", "x.xlsx"]), mutated(&CSVS)), 0..4)
                .prop_map(|e| zip_of(&e.iter().map(|(n, b)| (*n, b.as_slice())).collect::<Vec<_>>())),
        ]
    ) {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("export.zip");
        std::fs::write(&path, &bytes).expect("write");
        for f in report(&config(vec![path.clone()]), u64::MAX)? {
            prop_assert!(f.path.starts_with(&path.display().to_string()), "an entry outside its archive: {}", f.path);
        }
    }

    #[test]
    fn json_bytes_keep_the_ledger(bytes in json_bytes()) {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("entries.json");
        std::fs::write(&path, &bytes).expect("write");
        let entries = followup::ingest::capsule::entries_to_csv(&path, &bytes).ok().flatten().map(|(_, n)| n);
        let activities = followup::ingest::pipedrive::activities_to_csv(&path, &bytes).ok().flatten().map(|(_, n)| n);
        let max_line = bytes.iter().filter(|&&b| b == b'{').count() as u64 + 1;
        let files = report(&config(vec![path.clone()]), max_line)?;
        if let [f] = files.as_slice() {
            let n = if f.format.starts_with("capsule-entries") {
                entries
            } else if f.format.starts_with("pipedrive-api-activities") {
                activities
            } else {
                None
            };
            if let Some(n) = n {
                prop_assert_eq!(f.rows, n, "entries or activities and rows differ");
            }
        }
    }
}

proptest! {
    #![proptest_config(fixed(400))]

    #[test]
    fn map_toml_errors_name_a_line(text in prop_oneof![toml_text(MAP), "\\PC{0,40}", "[\\[\\]=\"a-z\n .#]{0,60}"]) {
        let dir = tempfile::tempdir().expect("tmp");
        let map_path = dir.path().join("map.toml");
        match followup::ingest::mapping::Mapping::parse(&map_path, &text) {
            Ok(map) => {
                let path = dir.path().join("log.csv");
                std::fs::write(&path, LOG).expect("write");
                let mut cfg = config(vec![path]);
                cfg.map = vec![map];
                report(&cfg, line_breaks(LOG) + 1)?;
            }
            Err(e) => check_config_error(&e, &text)?,
        }
    }

    #[test]
    fn plan_toml_errors_name_a_line(text in prop_oneof![toml_text(PLAN), "\\PC{0,40}", "[\\[\\]={}\"a-z0-9\n .,-]{0,60}"]) {
        let dir = tempfile::tempdir().expect("tmp");
        match followup::plan::parse(&dir.path().join("plan.toml"), &text) {
            Ok(plan) => {
                for c in &plan.cadences {
                    prop_assert!(!c.touches.is_empty());
                    prop_assert!(c.touches.windows(2).all(|w| w[0].day <= w[1].day));
                }
                let path = dir.path().join("log.csv");
                std::fs::write(&path, LOG).expect("write");
                let mut cfg = config(vec![path]);
                cfg.plan = Some(plan);
                report(&cfg, line_breaks(LOG) + 1)?;
            }
            Err(e) => check_config_error(&e, &text)?,
        }
    }
}

fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,16}",
        "[0-9 ./:,TZ+-]{0,24}",
        "[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?( ?[AaPp][Mm])?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?.?",
        "[-($€£¥ ]{0,2}[0-9]{0,400}([.,'][0-9]{1,3}){0,4}[ )€A-Za-z]{0,4}",
    ]
}

proptest! {
    #![proptest_config(fixed(1000))]

    #[test]
    fn cells_read_or_reject(s in cell_text(), day_first in any::<bool>()) {
        let utc = cells::parse_datetime(&s, day_first);
        prop_assert_eq!(cells::parse_datetime_in(&s, day_first, None), utc.clone());
        if let Ok(t) = utc {
            let (year, _, _) = cells::civil_from_days(followup::model::day_of(t));
            if (1..=9998).contains(&year) {
                let shown = cells::format_time(t);
                prop_assert_eq!(cells::parse_datetime(&shown, false), Ok(t - t.rem_euclid(60)), "{:?} shown as {}", s, shown);
            }
        }
        if let Ok(Some((v, currency))) = cells::parse_amount(&s) {
            prop_assert!(v.is_finite(), "{:?} read as {}", s, v);
            if let Some(c) = currency {
                prop_assert!(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()), "{:?}: currency {:?}", s, c);
            }
        }
        if let Ok(Some(n)) = cells::parse_count(&s) {
            prop_assert_eq!(s.trim().parse::<f64>().ok(), Some(f64::from(n)));
        }
        let (text, _) = followup::ingest::sniff::decode(s.as_bytes());
        let _ = followup::ingest::sniff::strip_sep_line(&text);
    }
}
