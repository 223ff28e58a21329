//! Issue 13: the timing tables (`tables/speed_to_answer.csv`, `reply_delay.csv`,
//! `spacing.csv`, `late_answers.csv`, `competing_outcomes.csv`) carry the whole data
//! (`all,all`) and every `--by` group, each figure equal to metrics.json's.

use std::path::Path;

use serde_json::Value;

use crate::util::Workdir;

/// One CSV row expected: (column, the metrics.json value it must hold).
type Expected = Vec<(&'static str, Value)>;

/// A table read back: its header and rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(wd: &Workdir, name: &str) -> Table {
        let text = wd.read(&format!("report/tables/{name}"));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r.headers().expect("header").iter().map(str::to_owned).collect();
        let rows = r.records().map(|x| x.expect("row").iter().map(str::to_owned).collect()).collect();
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}: {:?}", self.header))
    }

    /// The rows of one (dimension, group), in the file's order.
    fn section(&self, dim: &str, group: &str) -> Vec<&Vec<String>> {
        self.rows.iter().filter(|r| r[0] == dim && r[1] == group).collect()
    }

    /// The (dimension, group) sections in the order the file lists them.
    fn sections(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for r in &self.rows {
            let s = (r[0].clone(), r[1].clone());
            if out.last() != Some(&s) {
                out.push(s);
            }
        }
        out
    }

    /// Every row of the section equals its expected metrics.json values, in order.
    fn assert_section(&self, file: &str, dim: &str, group: &str, expected: &[Expected]) {
        let got = self.section(dim, group);
        assert_eq!(got.len(), expected.len(), "{file} {dim}/{group}: rows");
        for (i, (row, want)) in got.iter().zip(expected).enumerate() {
            for (column, value) in want {
                let cell = &row[self.col(column)];
                let ok = match value {
                    Value::Null => cell.is_empty(),
                    // serde_json (without `float_roundtrip`) may read a float one unit
                    // in the last place off the text it wrote.
                    Value::Number(x) => cell
                        .parse::<f64>()
                        .ok()
                        .zip(x.as_f64())
                        .is_some_and(|(a, b)| (a - b).abs() <= 1e-12 * b.abs().max(1.0)),
                    Value::String(s) => cell == s,
                    Value::Bool(b) => *cell == b.to_string(),
                    _ => false,
                };
                assert!(ok, "{file} {dim}/{group} row {i} {column}: csv {cell:?}, metrics.json {value}");
            }
        }
    }
}

fn pick(v: &Value, fields: &[&'static str]) -> Expected {
    fields.iter().map(|f| (*f, v[*f].clone())).collect()
}

fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn speed_rows(v: &Value) -> Vec<Expected> {
    let mut out = Vec::new();
    for measure in ["speed_to_lead", "time_to_answer"] {
        let t = &v[measure];
        let mut head = pick(t, &["deals", "answered", "median_hours", "p90_hours"]);
        head.extend(pick(t, &["within_1h", "within_24h", "within_72h"]));
        head.extend([("measure", s(measure)), ("band", s("all"))]);
        out.push(head);
        for b in arr(&t["bands"]) {
            let mut row = pick(b, &["band", "deals", "won", "lost", "ci_low", "ci_high"]);
            row.extend([("measure", s(measure)), ("win_rate", b["rate"].clone())]);
            out.push(row);
        }
    }
    out
}

fn delay_rows(v: &Value) -> Vec<Expected> {
    let fields = ["deals", "median_days", "p90_days", "within_1d", "within_3d", "within_7d", "within_14d"];
    let mut all = pick(v, &fields);
    all.push(("channel", s("all")));
    let by_channel = arr(&v["by_channel"]).iter().map(|c| {
        let mut row = pick(c, &fields);
        row.push(("channel", c["channel"].clone()));
        row
    });
    std::iter::once(all).chain(by_channel).collect()
}

fn spacing_rows(v: &Value) -> Vec<Expected> {
    let fields = ["sent", "responded", "rate", "ci_low", "ci_high"];
    let mut out = Vec::new();
    for p in arr(&v["pooled"]) {
        let mut row = pick(p, &fields);
        row.extend([("touch", s("all")), ("gap_days", p["bucket"].clone())]);
        let c = arr(&v["comparisons"]["list"]).iter().find(|c| c["group"] == p["bucket"]);
        if let Some(c) = c {
            row.extend([("diff_vs_rest", c["diff"].clone()), ("diff_low", c["ci_low"].clone())]);
            row.extend([("diff_high", c["ci_high"].clone()), ("p_holm", c["p_holm"].clone())]);
        } else {
            row.extend([("diff_vs_rest", Value::Null), ("diff_low", Value::Null), ("diff_high", Value::Null)]);
            row.extend([("p_holm", Value::Null), ("meaningful", s(""))]);
        }
        out.push(row);
    }
    for t in arr(&v["by_touch"]) {
        let mut row = pick(t, &fields);
        row.extend([("touch", s(&t["touch"].to_string())), ("gap_days", t["bucket"].clone())]);
        out.push(row);
    }
    out
}

fn late_rows(v: &Value) -> Vec<Expected> {
    let mut out = Vec::new();
    for a in arr(v) {
        let mut head = pick(a, &["touch", "deals", "won", "lost", "ci_low", "ci_high"]);
        head.push(("win_rate", a["rate"].clone()));
        match arr(&a["won_amount"]) {
            [] => out.push([head, vec![("currency", s("")), ("won_amount", Value::Null)]].concat()),
            list => {
                out.extend(list.iter().map(|c| {
                    [head.clone(), pick(c, &["currency"]), vec![("won_amount", c["amount"].clone())]].concat()
                }))
            }
        }
    }
    out
}

fn competing_rows(v: &Value) -> Vec<Expected> {
    let fields = ["touch", "at_risk", "responded", "opted_out", "lost", "censored", "cif", "cumulative_km"];
    arr(v).iter().map(|x| pick(x, &fields)).collect()
}

/// Issue 13: `followup report sample_data/followup_log.csv --by cadence --by channel`:
/// each timing table lists the whole data, then every group of cadence and channel that
/// has the figure (channel groups only for reply delay and spacing), and every cell
/// equals `groups.<dim>[i].<field>` of metrics.json.
#[test]
fn timing_tables_hold_every_group_of_metrics_json() {
    let wd = Workdir::new();
    let log = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/followup_log.csv");
    let m = wd.report(&[log.to_str().expect("utf-8 path")], &["--by", "cadence", "--by", "channel"]);
    type Rows = fn(&Value) -> Vec<Expected>;
    let tables: [(&str, &str, Rows); 5] = [
        ("speed_to_answer.csv", "speed_to_answer", speed_rows),
        ("reply_delay.csv", "reply_delay", delay_rows),
        ("spacing.csv", "spacing", spacing_rows),
        ("late_answers.csv", "late_answers", late_rows),
        ("competing_outcomes.csv", "competing_outcomes", competing_rows),
    ];
    for (file, field, rows) in tables {
        let t = Table::read(&wd, file);
        assert_eq!(t.header[..2], ["dimension", "group"], "{file}");
        t.assert_section(file, "all", "all", &rows(&m[field]));
        let mut expected_sections = vec![("all".to_owned(), "all".to_owned())];
        for dim in ["cadence", "channel"] {
            let groups = arr(&m["groups"][dim]);
            assert!(groups.len() >= 2, "{dim}: the sample has several groups");
            for g in groups {
                let name = g["key"].as_str().expect("key");
                // As every text cell: a name a spreadsheet would run is written as text.
                let key = &if name.starts_with(['=', '+', '-', '@']) { format!("'{name}") } else { name.to_owned() };
                let figure = &g[field];
                if figure.is_null() {
                    assert!(t.section(dim, key).is_empty(), "{file} {dim}/{key}: no figure, no rows");
                    continue;
                }
                assert!(!rows(figure).is_empty(), "{file} {dim}/{key}: the sample group has rows");
                t.assert_section(file, dim, key, &rows(figure));
                expected_sections.push((dim.to_owned(), key.to_owned()));
            }
        }
        assert_eq!(t.sections(), expected_sections, "{file}: whole data, then groups in metrics.json's order");
    }
    // Channel groups carry reply delay and spacing only.
    let channel = &m["groups"]["channel"][0];
    assert!(channel["speed_to_answer"].is_null() && channel["late_answers"].is_null());
    assert!(!channel["reply_delay"].is_null() && !channel["spacing"].is_null());
}
