//! The hostile reader corpus (tests/hostile/reader, table in its README): unclosed
//! quotes, line ends, stray bytes and UTF-16, the sniffer's slicing, and rows that
//! become several touches. Each test runs the real binary on a corpus file and checks
//! the exit code, the ledger (rows = used + rejected + duplicates, per file), the exact
//! lines in rejected.csv, and that the valid rows around a bad one are used.

use std::path::Path;

use crate::util::Workdir;

/// A work folder holding copies of these corpus files (the originals stay untouched).
fn corpus(files: &[&str]) -> Workdir {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/reader");
    let wd = Workdir::new();
    for f in files {
        wd.write(f, std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("read {f}: {e}")));
    }
    wd
}

/// (rows, used, rejected, duplicates) of input `i`, after checking that they add up.
fn ledger(m: &serde_json::Value, i: usize) -> (u64, u64, u64, u64) {
    let f = &m["inputs"][i];
    let n = |k: &str| f[k].as_u64().unwrap_or_else(|| panic!("inputs[{i}].{k}: {f}"));
    let l = (n("rows"), n("used"), n("rejected"), n("duplicates"));
    assert_eq!(l.0, l.1 + l.2 + l.3, "rows = used + rejected + duplicates: {f}");
    l
}

/// rejected.csv of the report as (file, line, column, value, reason) rows.
fn rejected(wd: &Workdir) -> Vec<(String, u64, String, String, String)> {
    let text = wd.read("report/rejected.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.expect("rejected.csv row");
            let cell = |i| r.get(i).unwrap_or("").to_owned();
            (cell(0), cell(1).parse().unwrap_or_else(|_| panic!("line in {r:?}")), cell(2), cell(3), cell(4))
        })
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---- 1. Rows lost without a trace: a quote opened and never closed ----

/// Before: the quote on line 3 swallowed lines 3-5 into one cell: 4 data lines,
/// 1 row, 0 rejected. Now line 3 is rejected at its column and lines 4-5 are read.
#[test]
fn unterminated_quote_mid_file_rejects_its_row_and_reads_the_rest() {
    let wd = corpus(&["unterminated_quote_mid_file.csv"]);
    let m = wd.report(&["unterminated_quote_mid_file.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(ledger(&m, 0), (4, 3, 1, 0));
    let r = rejected(&wd);
    assert_eq!(r.len(), 1, "{r:?}");
    let (file, line, column, value, reason) = &r[0];
    assert_eq!((file.as_str(), *line, column.as_str()), ("unterminated_quote_mid_file.csv", 3, "Subject"));
    assert!(value.starts_with("\"Pricing, part 1"), "the value is the cell from its quote to the line end: {value}");
    assert!(reason.starts_with("quote opened here is never closed"), "{reason}");
    // Acme (line 2), Initech and Umbrella (lines 4-5) are deals with a touch each.
    assert_eq!(m["deals"]["total"], 3, "{}", m["deals"]);
    assert_eq!(m["touches"]["outbound"], 3);
}

#[test]
fn unterminated_quote_on_the_last_line_is_rejected_there() {
    let wd = corpus(&["unterminated_quote_last_line.csv"]);
    let m = wd.report(&["unterminated_quote_last_line.csv"], &[]);
    assert_eq!(ledger(&m, 0), (2, 1, 1, 0));
    let r = rejected(&wd);
    assert_eq!((r[0].1, r[0].2.as_str()), (3, "Subject"), "{r:?}");
}

/// The header itself opens a quote that never closes: the file is refused (exit 2),
/// naming the line, rather than read as one giant column name.
#[test]
fn unterminated_quote_in_header_refuses_the_file_with_its_line() {
    let wd = corpus(&["unterminated_quote_in_header.csv"]);
    let out = wd.run(["report", "unterminated_quote_in_header.csv", "--out", "report"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("unterminated_quote_in_header.csv:1:") && err.contains("never closed"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// CRLF line ends, a closed multi-line cell (lines 2-4), a good row (line 5), then a
/// quote left open on line 6: the multi-line cell still works, line 6 is rejected,
/// line 7 is read.
#[test]
fn unterminated_quote_after_a_closed_multi_line_cell_with_crlf() {
    let wd = corpus(&["unterminated_quote_after_multiline_crlf.csv"]);
    let m = wd.report(&["unterminated_quote_after_multiline_crlf.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(ledger(&m, 0), (4, 3, 1, 0));
    let r = rejected(&wd);
    assert_eq!((r.len(), r[0].1, r[0].2.as_str()), (1, 6, "Subject"), "{r:?}");
    assert_eq!(r[0].3, "\"left open");
    assert_eq!(m["deals"]["total"], 3);
}

// ---- 2. Line numbers right for LF, CRLF and CR ----

/// Before: CRLF named the row on line 4 as line 3, CR-only as line 1.
#[test]
fn crlf_cr_and_blank_lines_name_the_true_line_of_a_rejected_row() {
    for name in ["crlf_rejected_line.csv", "cr_only.csv", "lf_blank_lines_rejected_line.csv"] {
        let wd = corpus(&[name]);
        let m = wd.report(&[name], &["--as-of", "2026-10-31"]);
        assert_eq!(ledger(&m, 0), (4, 3, 1, 0), "{name}");
        let r = rejected(&wd);
        let want = if name.starts_with("lf_blank") { 6 } else { 4 };
        assert_eq!(
            (r.len(), r[0].1, r[0].2.as_str(), r[0].3.as_str()),
            (1, want, "Date", "31/10/2026 09:00"),
            "{name}: {r:?}"
        );
    }
}

/// A quoted cell over lines 2-4 (line ends inside it as in the rest of the file):
/// the next row is line 5, whatever the line ends.
#[test]
fn line_numbers_after_a_multi_line_cell_for_lf_crlf_and_cr() {
    for name in ["lf_multiline_then_rejected.csv", "crlf_multiline_then_rejected.csv", "cr_multiline_then_rejected.csv"]
    {
        let wd = corpus(&[name]);
        let m = wd.report(&[name], &["--as-of", "2026-10-31"]);
        assert_eq!(ledger(&m, 0), (3, 2, 1, 0), "{name}");
        let r = rejected(&wd);
        assert_eq!((r.len(), r[0].1), (1, 5), "{name}: {r:?}");
    }
}

// ---- 3. Encoding from evidence ----

/// Before: one stray 0xE9 re-decoded the whole touches file as Windows-1252, and its
/// good rows were rejected as `no deal "CafÃ©-1"`. Now the file stays UTF-8: the
/// stray row (line 4) is rejected naming the byte and column, the others are used.
#[test]
fn utf8_one_stray_byte_rejects_only_its_row() {
    let wd = corpus(&["utf8_one_stray_byte_deals.csv", "utf8_one_stray_byte.csv"]);
    let m = wd.report(&["utf8_one_stray_byte_deals.csv", "utf8_one_stray_byte.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][1]["encoding"], "utf-8");
    assert_eq!(ledger(&m, 1), (4, 3, 1, 0));
    let r = rejected(&wd);
    assert_eq!(r.len(), 1, "{r:?}");
    let (file, line, column, value, reason) = &r[0];
    assert_eq!(
        (file.as_str(), *line, column.as_str(), value.as_str()),
        ("utf8_one_stray_byte.csv", 4, "deal_id", "Caf\u{fffd}-2")
    );
    assert!(reason.contains("0xE9") && reason.contains("not UTF-8"), "{reason}");
    assert!(!reason.contains("no deal"), "{reason}");
}

/// UTF-16 without a byte-order mark, little and big endian, is read as UTF-16 (not as
/// a file of NULs and control bytes): names come through.
#[test]
fn utf16_without_a_bom_is_recognised() {
    for (name, encoding) in [("utf16le_no_bom.csv", "utf-16le"), ("utf16be_no_bom.csv", "utf-16be")] {
        let wd = corpus(&[name]);
        let m = wd.report(&[name], &["--by", "owner", "--as-of", "2026-10-31"]);
        assert_eq!(m["inputs"][0]["encoding"], encoding, "{name}");
        assert_eq!(ledger(&m, 0), (2, 2, 0, 0), "{name}");
        assert_eq!(m["groups"]["owner"][0]["key"], "Zoë", "{name}");
    }
}

/// Capsule entries saved from PowerShell (UTF-16 LE with a BOM, CRLF): recognised as
/// JSON entries, not dumped as "found columns".
#[test]
fn capsule_entries_in_utf16_with_bom_are_read_as_json() {
    let wd = corpus(&["capsule_entries_utf16_bom.json"]);
    let m = wd.report(&["capsule_entries_utf16_bom.json"], &["--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][0]["format"], "capsule-entries");
    assert_eq!(ledger(&m, 0), (2, 2, 0, 0));
    assert_eq!(m["touches"]["outbound"], 2);
}

// ---- 4. The sniffer's slicing ----

/// Before: `Café\n` (five bytes, the last two one character) panicked in the sniffer
/// in report, check and map --init. Now each says the columns are unknown (exit 2).
#[test]
fn five_byte_first_line_cafe_does_not_panic() {
    let wd = corpus(&["five_byte_first_line_cafe.csv"]);
    for args in [
        vec!["report", "five_byte_first_line_cafe.csv", "--out", "report"],
        vec!["check", "five_byte_first_line_cafe.csv"],
        vec!["map", "--init", "five_byte_first_line_cafe.csv"],
    ] {
        let out = wd.run(&args);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(matches!(out.status.code(), Some(0..=2)), "{args:?}: {:?} {err}", out.status.code());
    }
    let out = wd.run(["report", "five_byte_first_line_cafe.csv", "--out", "report"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Café"), "{}", stderr(&out));
}

// ---- 5. The ledger counts rows, not touches ----

/// Before: a call linked to deals 1;2;3, repeated, and a row naming deal 1 three
/// times made `used` wrap to 18446744073709551615. Now: 3 rows = 2 used + 1
/// duplicate; deal 1 has two touches, deals 2 and 3 one each.
#[test]
fn multi_deal_row_repeated_is_one_duplicate_row() {
    let wd = corpus(&["multi_deal_row_repeated.csv"]);
    let m = wd.report(&["multi_deal_row_repeated.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(ledger(&m, 0), (3, 2, 0, 1));
    assert_eq!(m["touches"]["outbound"], 4, "1;2;3 once, and 1;1;1 as one touch of deal 1");
    assert_eq!(m["deals"]["total"], 3);
    let out = wd.run(["check", "multi_deal_row_repeated.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("rows:       3 = 2 used + 0 rejected + 1 duplicates"), "{text}");
}

#[test]
fn same_deal_id_three_times_is_one_touch() {
    let wd = corpus(&["same_deal_id_three_times.csv"]);
    let m = wd.report(&["same_deal_id_three_times.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(ledger(&m, 0), (1, 1, 0, 0));
    assert_eq!(m["touches"]["outbound"], 1);
    assert_eq!(m["deals"]["total"], 1);
}
