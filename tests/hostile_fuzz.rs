//! Regression tests for what the fuzz targets of fuzz/ found (tests/hostile/fuzz, table
//! in its README). Each test runs the real binary on the minimised input, copied into a
//! temporary folder, and checks the exit code, the ledger and rejected.csv.

use std::path::Path;

use crate::util::Workdir;

/// A work folder holding copies of these corpus files (the originals stay untouched).
fn corpus(files: &[&str]) -> Workdir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/fuzz");
    let wd = Workdir::new();
    for f in files {
        wd.write(f, std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("read {f}: {e}")));
    }
    wd
}

/// rejected.csv of the report as (line, column, value, reason) rows.
fn rejected(wd: &Workdir) -> Vec<(u64, String, String, String)> {
    let text = wd.read("report/rejected.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.expect("rejected.csv row");
            let cell = |i| r.get(i).unwrap_or("").to_owned();
            (cell(1).parse().unwrap_or_else(|_| panic!("line in {r:?}")), cell(2), cell(3), cell(4))
        })
        .collect()
}

/// Found by the `cells` target: a date-styled workbook cell whose serial is millions of
/// years away overflowed the day arithmetic (a panic with this crate's overflow checks),
/// and one 2^32 days past 2026-10-31 wrapped to exactly that date and was used.
#[test]
fn xlsx_date_serials_past_year_9999_are_rejected_not_wrapped() {
    let file = "xlsx_date_serials_past_year_9999.xlsx";
    let wd = corpus(&[file]);
    let m = wd.report(&[file], &["--as-of", "2026-11-30"]);
    let f = &m["inputs"][0];
    let n = |k: &str| f[k].as_u64().unwrap_or_else(|| panic!("inputs[0].{k}: {f}"));
    assert_eq!((n("rows"), n("used"), n("rejected"), n("duplicates")), (3, 1, 2, 0), "{f}");
    let r = rejected(&wd);
    let lines: Vec<(u64, &str, &str)> = r.iter().map(|(l, c, v, _)| (*l, c.as_str(), v.as_str())).collect();
    assert_eq!(lines, [(2, "closed_at", "2147483000"), (3, "closed_at", "4295013622")], "{r:?}");
    assert!(r.iter().all(|(_, _, _, reason)| reason.contains("unreadable date")), "{r:?}");
    // Only Basil Bistro (row 4) is a won deal: the wrapped close on 2026-10-31 is gone.
    assert_eq!(m["deals"]["won"], 1, "{}", m["deals"]);
}

/// The same, at the function: every serial outside Excel's dates is kept as written,
/// and every serial inside reads back as a date.
#[test]
fn excel_serials_outside_excels_dates_are_kept_as_numbers() {
    use followup::ingest::cells::parse_datetime;
    use followup::ingest::container::excel_serial_to_text;
    for serial in [2_147_483_000.0, 4_295_013_622.0, 2_958_466.0, -1.0, 1e300, -1e300, f64::NAN, f64::INFINITY] {
        let text = excel_serial_to_text(serial);
        assert!(parse_datetime(&text, false).is_err(), "serial {serial} shown as the date {text}");
    }
    for serial in [0.0, 1.0, 45_961.5, 2_958_465.0, 2_958_465.5] {
        let text = excel_serial_to_text(serial);
        assert!(parse_datetime(&text, false).is_ok(), "serial {serial} shown as {text}, not a date");
    }
}
