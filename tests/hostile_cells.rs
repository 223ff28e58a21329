//! Hostile cells and containers (tests/hostile/cells/README.md): impossible amounts,
//! dates and counts are rejected rows with their reason; map and plan keys that differ
//! only in case are errors naming the line; ZIP and XLSX files that lie about their
//! sizes end with a clear message under a memory limit, never an abort.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use crate::util::Workdir;

fn hostile(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/cells").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Runs `followup ARGS` in `wd` with at most ~4 GB of address space, as a user's
/// machine would: a size taken on trust from a file aborts the run here.
fn run_limited(wd: &Workdir, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_followup"))
        .args(args)
        .current_dir(wd.path())
        .output()
        .expect("run followup")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The rejected.csv rows of a report as (line, column, value, reason).
fn rejected(wd: &Workdir) -> Vec<(String, String, String, String)> {
    let text = wd.read("report/rejected.csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().expect("headers").clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap_or_else(|| panic!("no {n} in {h:?}"));
    let (l, c, v, why) = (col("line"), col("column"), col("value"), col("reason"));
    r.records()
        .map(|x| x.expect("row"))
        .map(|x| (x[l].to_owned(), x[c].to_owned(), x[v].to_owned(), x[why].to_owned()))
        .collect()
}

#[test]
fn impossible_amounts_and_touch_counts_are_rejected_with_the_column() {
    let wd = Workdir::new();
    wd.write("deals.csv", hostile("amounts_and_touch_counts.csv"));
    let m = wd.report(&["deals.csv"], &["--as-of", "2026-10-31"]);
    let rows = rejected(&wd);
    let reason = |line: &str| rows.iter().find(|r| r.0 == line).map(|r| (r.1.clone(), r.3.clone()));
    let (col, why) = reason("2").expect("the 400-digit amount is rejected");
    assert!(col == "Value" && why.contains("out of range"), "{col}: {why}");
    for line in ["3", "4"] {
        let (col, why) = reason(line).unwrap_or_else(|| panic!("line {line} is rejected"));
        assert!(col == "Value" && why.contains("grouped by three"), "{line}: {col}: {why}");
    }
    let (col, why) = reason("5").expect("10 mil is rejected");
    assert!(col == "Value" && why.contains("\"mil\" is not a currency"), "{col}: {why}");
    let (col, why) = reason("8").expect("touch_count 10,000,000 is rejected");
    assert!(col == "Number of times contacted" && why.contains("10,000"), "{col}: {why}");
    assert_eq!(rows.len(), 5, "{rows:?}");
    // 1.234 € and 1,234 read alike; $1,234.50 with touch_count at the cap is used.
    assert_eq!(m["inputs"][0]["used"], 3);
    let eur = m["revenue_recovered"]["by_currency"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["currency"] == "EUR"))
        .cloned();
    assert_eq!(eur.map(|c| c["amount"].as_f64()), Some(Some(1234.0)), "1.234 € is 1234 EUR");
    let page = wd.read("report/index.html");
    assert!(!page.contains("NaN") && !page.contains("18,446,744"), "no infinity on the page");
}

#[test]
fn impossible_offsets_and_text_after_the_time_are_rejected_without_panic() {
    let wd = Workdir::new();
    wd.write("deals.csv", hostile("dates_offsets_years_dashes.csv"));
    let out = run_limited(&wd, &["report", "deals.csv", "--out", "report", "--as-of", "2026-10-31"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = rejected(&wd);
    let why = |line: &str| rows.iter().find(|r| r.0 == line).map(|r| r.3.clone()).unwrap_or_default();
    assert!(why("2").contains("time zone offset"), "{rows:?}");
    assert!(why("3").contains("unreadable date"), "{rows:?}");
    assert_eq!(rows.len(), 2, "10/31/26, 1/2/26 and +14:00 are read: {rows:?}");
    let m = wd.read_json("report/metrics.json");
    assert_eq!(m["inputs"][0]["used"], 3);
}

#[test]
fn map_keys_differing_only_in_case_name_the_second_line() {
    let wd = Workdir::new();
    wd.write("deals.csv", "Deal ID,Deal stage\nD1,Signed\n");
    wd.write("map.toml", hostile("map_status_keys_differ_in_case.toml"));
    let out = wd.run(["report", "deals.csv", "--map", "map.toml", "--out", "report"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("map.toml:7:") && e.contains("\"SIGNED\" is the same key as \"Signed\""), "{e}");
}

#[test]
fn plan_cadences_differing_only_in_case_name_the_second_line() {
    let wd = Workdir::new();
    wd.write("deals.csv", "Deal ID,Deal stage\nD1,Closed Won\n");
    wd.write("plan.toml", hostile("plan_cadences_differ_in_case.toml"));
    let out = wd.run(["report", "deals.csv", "--cadence-plan", "plan.toml", "--out", "report"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("plan.toml:4:") && e.contains("cadence \"quick 3\" is the same as \"Quick 3\""), "{e}");
}

/// A minimal workbook: one sheet whose XML is `sheet_data` (the inside of
/// `<sheetData>`), with `shared` as its shared-strings part when given.
fn xlsx(sheet_data: &str, dimension: &str, shared: Option<&str>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut parts: Vec<(&str, String)> = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{}</Relationships>"#,
                if shared.is_some() { r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"# } else { "" }
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>"#),
        ),
    ];
    if let Some(s) = shared {
        parts.push(("xl/sharedStrings.xml", s.to_owned()));
    }
    for (name, text) in parts {
        z.start_file(name, opts).expect("zip entry");
        z.write_all(text.as_bytes()).expect("zip write");
    }
    z.finish().expect("zip").into_inner()
}

fn inline(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

fn deals_rows() -> String {
    format!(
        "<row r=\"1\">{}{}</row><row r=\"2\">{}{}</row>",
        inline("A1", "Deal ID"),
        inline("B1", "Deal stage"),
        inline("A2", "D1"),
        inline("B2", "Closed Won")
    )
}

#[test]
fn a_cell_at_xfd1048576_is_read_without_allocating_the_sheet() {
    let wd = Workdir::new();
    // The table and one stray cell in the last cell of the sheet: a clear refusal.
    let stray = format!("{}<row r=\"1048576\">{}</row>", deals_rows(), inline("XFD1048576", "x"));
    let bytes = xlsx(&stray, "A1:XFD1048576", None);
    assert!(bytes.len() < 10_000);
    wd.write("stray.xlsx", &bytes);
    let out = run_limited(&wd, &["check", "stray.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("stray.xlsx") && e.contains("A1:XFD1048576") && e.contains("Ctrl+End"), "{e}");
    // Only that one cell, with a dimension claiming the whole sheet: read, no abort.
    wd.write(
        "one.xlsx",
        xlsx(&format!("<row r=\"1048576\">{}</row>", inline("XFD1048576", "x")), "A1:XFD1048576", None),
    );
    let out = run_limited(&wd, &["check", "one.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "not a known format, but no abort: {}", stderr(&out));
    assert!(!stderr(&out).contains("memory allocation"), "{}", stderr(&out));
    // The table alone under the same lying dimension reads normally.
    wd.write("ok.xlsx", xlsx(&deals_rows(), "A1:XFD1048576", None));
    let out = run_limited(&wd, &["check", "ok.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_workbook_cell_over_1_mib_is_refused() {
    let wd = Workdir::new();
    for (name, len, says) in [
        ("two.xlsx", 2 << 20, "cell B2"),
        ("nine.xlsx", 9 << 20, "part xl/sharedStrings.xml holds a cell longer than 1 MiB"),
    ] {
        let big = "a".repeat(len);
        let shared = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{big}</t></si></sst>"#
        );
        let rows = format!(
            "<row r=\"1\">{}{}</row><row r=\"2\">{}<c r=\"B2\" t=\"s\"><v>0</v></c></row>",
            inline("A1", "Deal ID"),
            inline("B1", "Deal stage"),
            inline("A2", "D1")
        );
        wd.write(name, xlsx(&rows, "A1:B2", Some(&shared)));
        let out = run_limited(&wd, &["check", name]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let e = stderr(&out);
        assert!(e.contains(name) && e.contains(says) && e.contains("1 MiB"), "{name}: {e}");
        assert!(e.len() < 1000, "{name}: the message does not quote the cell");
    }
}

#[test]
fn a_workbook_claiming_billions_of_shared_strings_is_refused() {
    let wd = Workdir::new();
    let shared = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="99999999999"><si><t>x</t></si></sst>"#;
    wd.write("sst.xlsx", xlsx(&deals_rows(), "A1:B2", Some(shared)));
    let out = run_limited(&wd, &["check", "sst.xlsx"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("different texts"), "{}", stderr(&out));
}

/// A ZIP of one CSV entry, with the entry's claimed size (central directory) patched.
fn zip_claiming(name: &str, text: &str, claimed: u32) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file(name, opts).expect("zip entry");
    z.write_all(text.as_bytes()).expect("zip write");
    let mut bytes = z.finish().expect("zip").into_inner();
    let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").expect("central directory");
    bytes[central + 24..central + 28].copy_from_slice(&claimed.to_le_bytes());
    let local = bytes.windows(4).position(|w| w == b"PK\x03\x04").expect("local header");
    bytes[local + 22..local + 26].copy_from_slice(&claimed.to_le_bytes());
    bytes
}

#[test]
fn a_zip_entry_claiming_4_gib_is_refused_not_allocated() {
    let wd = Workdir::new();
    let bytes = zip_claiming("deals.csv", "Deal ID,Deal stage\nD1,Closed Won\n", 0xFFFF_FFF0);
    assert!(bytes.len() < 1_000);
    wd.write("bomb.zip", &bytes);
    let out = run_limited(&wd, &["check", "bomb.zip"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(e.contains("bomb.zip!deals.csv") && e.contains("more than 1 GiB"), "{e}");
}

#[test]
fn a_zip_entry_with_an_absolute_path_is_named_by_its_relative_path() {
    let wd = Workdir::new();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("/etc/x.csv", zip::write::SimpleFileOptions::default()).expect("zip entry");
    z.write_all(b"Deal ID,Deal,Deal stage,Value\nD1,Acme,Closed Won,10 mil\nD2,Beta,Closed Won,100\n")
        .expect("zip write");
    wd.write("export.zip", z.finish().expect("zip").into_inner());
    let out = wd.run(["report", "export.zip", "--out", "report"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rej = wd.read("report/rejected.csv");
    assert!(rej.contains("export.zip!etc/x.csv"), "{rej}");
    let all =
        format!("{rej}{}{}{}", stderr(&out), String::from_utf8_lossy(&out.stdout), wd.read("report/metrics.json"));
    assert!(!all.contains("/etc/x.csv"), "no absolute path in messages: {all}");
    assert!(!wd.path().join("etc").exists() && !wd.path().join("report/etc").exists(), "nothing is unpacked to disk");
}

/// The issue's 146-byte bomb, rebuilt by hand (181 bytes): a stored entry whose ZIP64
/// size claims 1 EiB. The old reader reserved the claim and aborted.
#[test]
fn a_zip_entry_claiming_1_eib_is_refused_not_allocated() {
    let wd = Workdir::new();
    wd.write("entry_claims_1_eib.zip", hostile("entry_claims_1_eib.zip"));
    let out = run_limited(&wd, &["report", "entry_claims_1_eib.zip", "--out", "report"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let e = stderr(&out);
    assert!(
        e.contains("entry_claims_1_eib.zip!deals.csv")
            && e.contains("more than 1 GiB")
            && !e.contains("memory allocation"),
        "{e}"
    );
    assert!(!wd.path().join("report").exists(), "no report from a refused archive");
}
