//! Issue 14: `report.xlsx` read back (calamine) and compared with metrics.json value by
//! value, its number formats and charts read from the archive's XML; `summary.md`
//! against a hand-computed fixture; no progress characters when stderr is a pipe.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

use crate::util::Workdir;

type Sheets = BTreeMap<String, calamine::Range<Data>>;

fn fixture(wd: &Workdir, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    for e in std::fs::read_dir(&dir).expect("fixture").filter_map(Result::ok) {
        let f = e.file_name().to_string_lossy().into_owned();
        if f.ends_with(".csv") && !f.starts_with("expected") || f.ends_with(".toml") {
            wd.write(&f, std::fs::read(e.path()).expect("read"));
        }
    }
}

fn sheets(bytes: &[u8]) -> (Vec<String>, Sheets) {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx calamine reads");
    let names = wb.sheet_names();
    let all = names.iter().map(|n| (n.clone(), wb.worksheet_range(n).expect("sheet"))).collect();
    (names, all)
}

/// The number in a cell (a date as its serial), `None` for an empty cell; text fails.
fn num(s: &calamine::Range<Data>, r: usize, c: usize) -> Option<f64> {
    match s.get_value((r as u32, c as u32)) {
        None | Some(Data::Empty) => None,
        Some(Data::Float(x)) => Some(*x),
        Some(Data::Int(x)) => Some(*x as f64),
        Some(Data::DateTime(d)) => Some(d.as_f64()),
        Some(other) => panic!("cell ({r}, {c}) is not a number: {other:?}"),
    }
}

fn text(s: &calamine::Range<Data>, r: usize, c: usize) -> String {
    match s.get_value((r as u32, c as u32)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(t)) => t.clone(),
        Some(other) => panic!("cell ({r}, {c}) is not text: {other:?}"),
    }
}

/// The Excel serial of a `YYYY-MM-DD` day.
fn serial(day: &str) -> f64 {
    let d = chrono::NaiveDate::parse_from_str(day.get(..10).unwrap_or(day), "%Y-%m-%d").expect("date");
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("base");
    (d - base).num_days() as f64
}

/// Asserts that cell (r, c) holds the JSON number (or null as an empty cell).
#[track_caller]
fn same(s: &calamine::Range<Data>, r: usize, c: usize, want: &Value, what: &str) {
    let got = num(s, r, c);
    match want.as_f64() {
        Some(w) => {
            assert!(got.is_some_and(|g| (g - w).abs() < 1e-9), "{what}: cell ({r}, {c}) = {got:?}, metrics.json {w}")
        }
        None => assert!(want.is_null() && got.is_none(), "{what}: cell ({r}, {c}) = {got:?}, metrics.json {want}"),
    }
}

/// Every sheet's numbers against metrics.json.
fn check_against_metrics(all: &Sheets, m: &Value) {
    let rbt = &all["Response by touch"];
    let list = m["response_by_touch"].as_array().expect("list");
    assert_eq!(rbt.height(), list.len() + 1, "one row per touch under the header");
    for (i, t) in list.iter().enumerate() {
        let keys = [
            "touch",
            "sent",
            "responded",
            "rate",
            "ci_low",
            "ci_high",
            "cumulative",
            "cumulative_km",
            "km_low",
            "km_high",
        ];
        for (c, k) in keys.iter().enumerate() {
            same(rbt, i + 1, c, &t[k], &format!("response_by_touch[{i}].{k}"));
        }
    }
    for (sheet, key) in [("Touches to close", "touches_to_close"), ("Touches before loss", "touches_before_loss")] {
        let s = &all[sheet];
        let h = m[key]["histogram"].as_array().expect("histogram");
        for (i, b) in h.iter().enumerate() {
            same(s, i + 1, 0, &b["touches"], sheet);
            same(s, i + 1, 1, &b["deals"], sheet);
        }
        assert!(num(s, h.len() + 1, 0).is_none(), "{sheet}: nothing under the histogram");
        let total = if key == "touches_to_close" { "won" } else { "lost" };
        for (r, k) in [(1, total), (2, "untracked"), (4, "mean"), (5, "median")] {
            same(s, r, 4, &m[key][k], &format!("{key}.{k}"));
        }
    }
    let c = &all["Conversion"];
    let conv = &m["conversion_after_follow_up"];
    for (r, v) in [
        (1, &conv["followed_up"]),
        (2, &conv["won"]),
        (3, &conv["lost"]),
        (4, &conv["open"]),
        (5, &conv["rate"]),
        (6, &conv["single_touch"]["won"]),
        (7, &conv["single_touch"]["lost"]),
        (8, &conv["single_touch_rate"]),
        (9, &conv["no_touch_data"]),
    ] {
        same(c, r, 1, v, &format!("conversion row {r}"));
    }
    let rev = &all["Revenue recovered"];
    let cur = m["revenue_recovered"]["by_currency"].as_array().expect("currencies");
    for (i, x) in cur.iter().enumerate() {
        assert_eq!(text(rev, i + 1, 0), x["currency"].as_str().unwrap_or_default());
        same(rev, i + 1, 1, &x["amount"], "recovered");
        same(rev, i + 1, 2, &x["won_amount"], "won amount");
        same(rev, i + 1, 3, &x["share_of_won"], "share of won");
        same(rev, i + 1, 4, &x["won_deals"], "won deals");
    }
    let below = cur.len() + 2;
    same(rev, below, 1, &m["revenue_recovered"]["recovered_after"], "recovered_after");
    same(rev, below + 1, 1, &m["revenue_recovered"]["deals"], "recovered deals");
    same(rev, below + 2, 1, &m["revenue_recovered"]["no_amount"], "no amount");
    let g = &all["Give-up point"];
    for (i, b) in m["give_up"]["buckets"].as_array().expect("buckets").iter().enumerate() {
        assert_eq!(text(g, i + 1, 0), b["bucket"].as_str().unwrap_or_default());
        same(g, i + 1, 1, &b["deals"], "give-up deals");
        same(g, i + 1, 2, &b["share"], "give-up share");
    }
    let tr = &all["Trend"];
    for (i, t) in m["trend"].as_array().expect("trend").iter().enumerate() {
        let month = t["month"].as_str().expect("month");
        assert_eq!(num(tr, i + 1, 0), Some(serial(&format!("{month}-01"))), "trend month {month} is a date");
        for (c, k) in [
            (1, "touch_1_sent"),
            (2, "response_km"),
            (3, "response_km_touch"),
            (4, "won"),
            (5, "lost"),
            (6, "touches_to_close_mean"),
            (7, "won_tracked"),
            (8, "conversion_rate"),
            (9, "conversion_closed"),
        ] {
            same(tr, i + 1, c, &t[k], &format!("trend {month} {k}"));
        }
    }
    let co = &all["Cohorts"];
    for (i, x) in m["cohorts"].as_array().expect("cohorts").iter().enumerate() {
        let month = x["month"].as_str().expect("month");
        assert_eq!(num(co, i + 1, 0), Some(serial(&format!("{month}-01"))));
        same(co, i + 1, 1, &x["deals"], "cohort deals");
        same(co, i + 1, 2, &x["touch_1_sent"], "cohort touch 1 sent");
        for (k, v) in x["response_km"].as_array().expect("km").iter().enumerate() {
            same(co, i + 1, 3 + k, v, "cohort km");
        }
        for (j, w) in x["won_within"].as_array().expect("won within").iter().enumerate() {
            same(co, i + 1, 9 + 3 * j, &w["eligible"], "eligible");
            same(co, i + 1, 10 + 3 * j, &w["won"], "won");
            same(co, i + 1, 11 + 3 * j, &w["rate"], "won within rate");
        }
    }
    for (dim, groups) in m["groups"].as_object().expect("groups") {
        let s = &all[&format!("Groups by {dim}")];
        for (i, g) in groups.as_array().expect("groups").iter().enumerate() {
            assert_eq!(text(s, i + 1, 0), g["key"].as_str().unwrap_or_default());
            for (c, k) in [(1, "total"), (2, "won"), (3, "lost"), (4, "open")] {
                same(s, i + 1, c, &g["deals"][k], &format!("{dim} {} {k}", g["key"]));
            }
            let first = &g["response_by_touch"][0];
            same(s, i + 1, 5, &first["sent"], "touch 1 sent");
            same(s, i + 1, 6, &first["rate"], "touch 1 rate");
            same(s, i + 1, 12, &g["conversion_after_follow_up"]["rate"], "group conversion");
            same(s, i + 1, 9, &g["touches_to_close"]["mean"], "group mean");
        }
        let s = &all[&format!("Compare by {dim}")];
        for (i, x) in m["comparisons"][dim]["list"].as_array().expect("comparisons").iter().enumerate() {
            assert_eq!(text(s, i + 1, 0), x["metric"].as_str().unwrap_or_default());
            for (c, k) in [(1, "touch"), (4, "k1"), (5, "n1"), (6, "k2"), (7, "n2"), (8, "diff"), (9, "ci_low")] {
                same(s, i + 1, c, &x[k], &format!("comparison {i} {k}"));
            }
            for (c, k) in [(10, "ci_high"), (12, "p_value"), (13, "p_holm")] {
                same(s, i + 1, c, &x[k], &format!("comparison {i} {k}"));
            }
            assert_eq!(text(s, i + 1, 15), x["verdict"].as_str().unwrap_or_default());
        }
    }
    let due = &all["Due follow-ups"];
    // Every due deal up to the workbook's 10,000 rows (the sample has far fewer).
    let due_deals = m["due_follow_ups"]["deals"].as_u64().unwrap_or(0) as usize;
    assert!(due_deals < 10_000, "the sample's due list fits the workbook");
    assert_eq!(due.height().saturating_sub(1), due_deals, "every due deal");
    for (i, d) in m["due_follow_ups"]["top"].as_array().expect("top").iter().enumerate() {
        same(due, i + 1, 0, &Value::from(i + 1), "rank");
        assert_eq!(text(due, i + 1, 1), d["deal_id"].as_str().unwrap_or_default());
        assert_eq!(text(due, i + 1, 2), d["name"].as_str().unwrap_or_default());
        same(due, i + 1, 5, &d["touches"], "touches");
        assert_eq!(num(due, i + 1, 6), Some(serial(d["last_touch"].as_str().expect("day"))), "last touch is a date");
        same(due, i + 1, 7, &d["days_since"], "days since");
        same(due, i + 1, 8, &d["usual_gap_days"], "gap");
        same(due, i + 1, 10, &d["next_touch"], "next touch");
        same(due, i + 1, 11, &d["next_touch_rate"], "next touch rate");
        same(due, i + 1, 12, &d["amount"], "amount");
    }
    let s = &all["Summary"];
    assert_eq!(num(s, 1, 1), Some(serial(m["as_of"].as_str().expect("as of"))), "as of is a date");
    let km = m["response_by_touch"]
        .as_array()
        .and_then(|l| l.get(4).or(l.last()))
        .map_or(Value::Null, |r| r["cumulative_km"].clone());
    same(s, 5, 1, &km, "headline response");
    same(s, 6, 1, &m["touches_to_close"]["mean"], "headline touches to close");
    same(s, 7, 1, &m["conversion_after_follow_up"]["rate"], "headline conversion");
    if let Some(first) = cur.first() {
        same(s, 8, 1, &first["amount"], "headline revenue");
    }
    timing_against_metrics(all, m);
    let inputs = &all["Inputs"];
    for (i, f) in m["inputs"].as_array().expect("inputs").iter().enumerate() {
        for (c, k) in [(4, "rows"), (5, "used"), (6, "rejected"), (7, "duplicates")] {
            same(inputs, i + 1, c, &f[k], &format!("inputs {k}"));
        }
    }
}

/// The sheets of rules 10–13.
fn timing_against_metrics(all: &Sheets, m: &Value) {
    let w = &all["Waiting on us"];
    let list = m["waiting_on_us"]["list"].as_array().expect("waiting");
    assert_eq!(w.height().saturating_sub(1), list.len(), "every waiting deal of metrics.json");
    for (i, d) in list.iter().enumerate() {
        assert_eq!(text(w, i + 1, 1), d["name"].as_str().unwrap_or_default());
        assert_eq!(num(w, i + 1, 3), Some(serial(d["since"].as_str().expect("since"))), "since is a date");
        same(w, i + 1, 4, &d["days_waiting"], "days waiting");
    }
    let s = &all["Speed to answer"];
    for (r, k) in [(1, "speed_to_lead"), (2, "time_to_answer")] {
        let a = &m["speed_to_answer"][k];
        for (c, f) in ["deals", "answered", "median_hours", "p90_hours", "within_1h", "within_24h", "within_72h"]
            .iter()
            .enumerate()
        {
            same(s, r, c + 1, &a[f], &format!("{k}.{f}"));
        }
        for (j, b) in a["bands"].as_array().expect("bands").iter().enumerate() {
            let row = 5 + (r - 1) * 5 + j;
            for (c, f) in ["deals", "won", "lost", "rate", "ci_low", "ci_high"].iter().enumerate() {
                same(s, row, c + 1, &b[f], &format!("{k} band {j} {f}"));
            }
        }
    }
    let d = &all["Reply delay"];
    let mut delays = vec![m["reply_delay"].clone()];
    delays.extend(m["reply_delay"]["by_channel"].as_array().expect("by channel").iter().cloned());
    for (r, x) in delays.iter().enumerate() {
        for (c, f) in
            ["deals", "median_days", "p90_days", "within_1d", "within_3d", "within_7d", "within_14d"].iter().enumerate()
        {
            same(d, r + 1, c + 1, &x[f], &format!("reply delay row {r} {f}"));
        }
    }
    let sp = &all["Spacing"];
    let mut rows: Vec<Value> = m["spacing"]["pooled"].as_array().expect("pooled").clone();
    rows.extend(m["spacing"]["by_touch"].as_array().expect("by touch").iter().cloned());
    assert_eq!(sp.height().saturating_sub(1), rows.len());
    for (r, x) in rows.iter().enumerate() {
        assert_eq!(text(sp, r + 1, 1), x["bucket"].as_str().unwrap_or_default());
        for (c, f) in ["sent", "responded", "rate", "ci_low", "ci_high"].iter().enumerate() {
            same(sp, r + 1, c + 2, &x[f], &format!("spacing row {r} {f}"));
        }
    }
    let l = &all["Late answers"];
    for (r, x) in m["late_answers"].as_array().expect("late").iter().enumerate() {
        assert_eq!(text(l, r + 1, 0), x["touch"].as_str().unwrap_or_default());
        for (c, f) in ["deals", "won", "lost", "rate", "ci_low", "ci_high"].iter().enumerate() {
            same(l, r + 1, c + 1, &x[f], &format!("late answers row {r} {f}"));
        }
    }
    let c = &all["Competing outcomes"];
    for (r, x) in m["competing_outcomes"].as_array().expect("competing").iter().enumerate() {
        for (col, f) in ["touch", "at_risk", "responded", "opted_out", "lost", "censored", "cif", "cumulative_km"]
            .iter()
            .enumerate()
        {
            same(c, r + 1, col, &x[f], &format!("competing row {r} {f}"));
        }
    }
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    z.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_string(&mut s).expect("utf-8");
    s
}

/// The value of attribute `name` in an XML tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// The number format of cell `cell` of sheet file `sheet` (`xl/worksheets/sheet2.xml`):
/// its style index, the style's numFmtId, that id's format code.
fn number_format(bytes: &[u8], sheet: &str, cell: &str) -> String {
    let xml = zip_text(bytes, sheet);
    let tag_at = xml.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("{cell} not in {sheet}"));
    let tag = &xml[tag_at..tag_at + xml[tag_at..].find('>').unwrap_or(0)];
    let style: usize = attr(tag, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
    let styles = zip_text(bytes, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let xf = xfs.split("<xf ").nth(style + 1).expect("xf");
    let id = attr(&format!(" {xf}"), "numFmtId").unwrap_or("0").to_owned();
    let fmt = styles
        .split("<numFmt ")
        .skip(1)
        .find(|f| attr(&format!(" {f}"), "numFmtId") == Some(&id))
        .and_then(|f| attr(&format!(" {f}"), "formatCode").map(str::to_owned));
    fmt.unwrap_or_else(|| format!("builtin {id}")).replace("&quot;", "\"")
}

#[test]
fn sample_workbook_equals_metrics_json_sheet_by_sheet() {
    let wd = Workdir::new();
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/followup_log.csv");
    wd.write("log.csv", std::fs::read(log).expect("sample"));
    let m = wd.report(&["log.csv"], &["--by", "cadence", "--by", "owner"]);
    let bytes = std::fs::read(wd.path().join("report/report.xlsx")).expect("report.xlsx");
    let (names, all) = sheets(&bytes);
    assert_eq!(
        names,
        [
            "Summary",
            "Response by touch",
            "Touches to close",
            "Touches before loss",
            "Conversion",
            "Revenue recovered",
            "Give-up point",
            "Trend",
            "Cohorts",
            "Speed to answer",
            "Reply delay",
            "Spacing",
            "Late answers",
            "Competing outcomes",
            "Groups by cadence",
            "Compare by cadence",
            "Groups by owner",
            "Compare by owner",
            "Waiting on us",
            "Due follow-ups",
            "Contacted after opt-out",
            "Inputs"
        ]
    );
    assert!(m["response_by_touch"].as_array().is_some_and(|l| l.len() >= 5), "a sample with touches");
    assert!(m["due_follow_ups"]["deals"].as_u64().is_some_and(|n| n > 0), "a sample with due deals");
    check_against_metrics(&all, &m);
    // Number formats: rates, counts, dates, each amount in its currency.
    assert_eq!(number_format(&bytes, "xl/worksheets/sheet2.xml", "D2"), "0.0%", "response rate");
    assert_eq!(number_format(&bytes, "xl/worksheets/sheet2.xml", "B2"), "#,##0", "sent");
    assert_eq!(number_format(&bytes, "xl/worksheets/sheet8.xml", "A2"), "yyyy-mm", "trend month");
    assert_eq!(number_format(&bytes, "xl/worksheets/sheet20.xml", "G2"), "yyyy-mm-dd", "due: last touch");
    let currency = m["revenue_recovered"]["by_currency"][0]["currency"].as_str().expect("a currency").to_owned();
    assert_eq!(number_format(&bytes, "xl/worksheets/sheet6.xml", "B2"), format!("\"{currency} \"#,##0.00"));
    // Frozen header rows.
    for i in 2..=22 {
        let xml = zip_text(&bytes, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(xml.contains("state=\"frozen\"") && xml.contains("ySplit=\"1\""), "sheet{i}: header row frozen");
    }
    // The native charts, reading the sheets' own cells.
    let n = m["response_by_touch"].as_array().map_or(0, Vec::len) + 1;
    let chart1 = zip_text(&bytes, "xl/charts/chart1.xml");
    assert!(chart1.contains(&format!("'Response by touch'!$D$2:$D${n}")), "chart 1 reads the rates: {chart1}");
    assert!(chart1.contains(&format!("'Response by touch'!$H$2:$H${n}")), "and the Kaplan–Meier column");
    let chart2 = zip_text(&bytes, "xl/charts/chart2.xml");
    let months = m["trend"].as_array().map_or(0, Vec::len) + 1;
    assert!(chart2.contains(&format!("Trend!$C$2:$C${months}")), "chart 2 reads the trend: {chart2}");
    // No cell is a formula.
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        if name.starts_with("xl/worksheets/") {
            let mut s = String::new();
            f.read_to_string(&mut s).expect("xml");
            assert!(!s.contains("<f>") && !s.contains("<f "), "{name}: a formula");
        }
    }
}

#[test]
fn fixture_workbook_equals_metrics_json_and_marks_small_numbers() {
    let wd = Workdir::new();
    fixture(&wd, "groups");
    let m = wd.report(&["log.csv"], &["--as-of", "2026-10-31", "--by", "cadence", "--by", "owner"]);
    let bytes = std::fs::read(wd.path().join("report/report.xlsx")).expect("report.xlsx");
    let (_, all) = sheets(&bytes);
    check_against_metrics(&all, &m);
    // 3 of 4 touch-1 deals: every figure here rests on fewer than 10 deals.
    let rbt = &all["Response by touch"];
    assert_eq!(text(rbt, 1, 10), "too few to read (6 deals)");
    let s = &all["Summary"];
    assert_eq!(text(s, 7, 4), "too few to read (4 deals)", "conversion: 3 won + 1 lost");
    let g = &all["Groups by cadence"];
    assert_eq!(text(g, 1, 0), "Alpha");
    assert!(text(g, 1, 16).starts_with("too few deals to read"), "{}", text(g, 1, 16));
}

#[test]
fn workbook_text_is_text_never_a_formula_and_redact_applies() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        "Deal ID,Deal,Owner,Cadence,Date,Contact method,Direction,Outcome,Deal stage\n\
         X-1,=HYPERLINK(\"http://x\"),@Zelda,+Calls,2026-10-01 09:00,Email,Outbound,Sent,New\n\
         X-1,=HYPERLINK(\"http://x\"),@Zelda,+Calls,2026-10-02 09:00,Email,Outbound,Sent,New\n",
    );
    let m = wd.report(&["log.csv"], &["--as-of", "2026-10-31", "--by", "cadence"]);
    let bytes = std::fs::read(wd.path().join("report/report.xlsx")).expect("report.xlsx");
    let (_, all) = sheets(&bytes);
    let due = &all["Due follow-ups"];
    assert_eq!(m["due_follow_ups"]["deals"], 1);
    assert_eq!(text(due, 1, 2), "'=HYPERLINK(\"http://x\")", "neutralised as in the CSV");
    assert_eq!(text(due, 1, 3), "'@Zelda");
    assert_eq!(text(&all["Groups by cadence"], 1, 0), "'+Calls");
    let o = wd.run(["report", "log.csv", "--as-of", "2026-10-31", "--redact", "--out", "redacted"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(wd.path().join("redacted/report.xlsx")).expect("report.xlsx");
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let mut s = String::new();
        f.read_to_string(&mut s).expect("xml");
        for secret in ["HYPERLINK", "Zelda", "X-1"] {
            assert!(!s.contains(secret), "{name} leaks {secret}");
        }
    }
    let summary = wd.read("redacted/summary.md");
    assert!(!summary.contains("HYPERLINK") && !summary.contains("Zelda"), "{summary}");
}

#[test]
fn piped_stderr_shows_no_progress() {
    let wd = Workdir::new();
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/followup_log.csv");
    wd.write("log.csv", std::fs::read(log).expect("sample"));
    let o = wd.run(["report", "log.csv", "--out", "report"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "one line, the run's own: {err:?}");
    assert!(err.starts_with("followup: wrote "), "{err:?}");
    assert!(!err.contains('\r') && !err.contains('\u{1b}') && !err.contains("rows/s"), "{err:?}");
}

#[test]
fn summary_names_the_most_telling_meaningful_finding_per_dimension_in_ten_lines_or_fewer() {
    let wd = Workdir::new();
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/followup_log.csv");
    wd.write("log.csv", std::fs::read(log).expect("sample"));
    let m = wd.report(&["log.csv"], &["--by", "cadence", "--by", "owner", "--by", "channel", "--by", "month"]);
    let summary = wd.read("report/summary.md");
    let lines: Vec<&str> = summary.lines().collect();
    assert!(lines.len() <= 10, "{summary}");
    assert!(lines[0].starts_with("Follow-up report, all data (as of "), "{summary}");
    let list = m["comparisons"]["cadence"]["list"].as_array().expect("cadence comparisons");
    // The meaningful one (Holm p below 0.05, interval clear of 0) with the smallest p.
    let best = list
        .iter()
        .filter(|x| {
            let f = |k: &str| x[k].as_f64().unwrap_or(f64::NAN);
            f("p_holm") < 0.05 && (f("ci_low") > 0.0 || f("ci_high") < 0.0)
        })
        .min_by(|a, b| a["p_holm"].as_f64().unwrap_or(1.0).total_cmp(&b["p_holm"].as_f64().unwrap_or(1.0)))
        .expect("the sample has a meaningful cadence difference");
    let line = format!("- By cadence: {}", best["verdict"].as_str().unwrap_or_default());
    assert!(lines.contains(&line.as_str()), "{line}\nnot in\n{summary}");
    assert!(lines.last().is_some_and(|l| l.starts_with("- Due a follow-up now: ")), "{summary}");
}

/// The waiting line against timing_speed_to_answer's case.md: S-10 Juniper Books (9 days),
/// S-8 Hazel Law (4), S-9 Ivy Spa (2), longest first.
#[test]
fn summary_names_who_is_waiting_on_us_longest_first() {
    let wd = Workdir::new();
    fixture(&wd, "timing_speed_to_answer");
    wd.report(&["log.csv"], &["--as-of", "2026-10-31"]);
    let summary = wd.read("report/summary.md");
    let want = "- Waiting on us: 3 open deals where the prospect spoke last, longest first: Juniper Books (Ben, 9 days), Hazel Law (Ben, 4 days), Ivy Spa (Ana, 2 days).";
    assert!(summary.lines().any(|l| l == want), "{summary}");
    assert!(summary.lines().any(|l| l == "- Due a follow-up now: no open deal."), "{summary}");
}
