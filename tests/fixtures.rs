//! Golden cases: each folder of tests/fixtures holds inputs, `args`, a hand-computed
//! `expected.json` (a subset of metrics.json) and `case.md` with the computation.

use std::path::Path;

use crate::util::{subset_diff, Workdir};

fn run_case(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let wd = Workdir::new();
    let mut inputs: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") && !n.starts_with("expected"))
        .collect();
    inputs.sort();
    for i in &inputs {
        wd.write(i, std::fs::read(dir.join(i)).expect("read input"));
    }
    // Settings files the args name (--cadence-plan plan.toml).
    for e in std::fs::read_dir(&dir).expect("fixture dir").filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            wd.write(&name, std::fs::read(e.path()).expect("read settings"));
        }
    }
    let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
    let args: Vec<&str> = args.split_whitespace().collect();
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let actual = wd.report(&inputs, &args);
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"))
            .expect("JSON");
    let mut diffs = Vec::new();
    subset_diff(&expected, &actual, "", &mut diffs);
    if let Ok(want) = std::fs::read_to_string(dir.join("expected_rejected.csv")) {
        let got = wd.read("report/rejected.csv");
        let mut rdr = csv::Reader::from_reader(got.as_bytes());
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("rejected.csv row")).collect();
        let want: Vec<&str> = want.lines().filter(|l| !l.trim().is_empty()).collect();
        if rows.len() != want.len() {
            diffs.push(format!("rejected.csv has {} rows, expected {}:\n{got}", rows.len(), want.len()));
        }
        for (w, r) in want.iter().zip(&rows) {
            let parts: Vec<&str> = w.splitn(3, ',').collect();
            let ok = r[1] == *parts[0] && r[2] == *parts[1] && r[4].to_lowercase().contains(&parts[2].to_lowercase());
            if !ok {
                diffs.push(format!("rejected row {r:?} does not match {w}"));
            }
        }
    }
    // issue 14: the whole of summary.md, where the case computes it by hand.
    if let Ok(want) = std::fs::read_to_string(dir.join("expected_summary.md")) {
        let got = wd.read("report/summary.md");
        if got != want {
            diffs.push(format!("summary.md differs:\n--- expected\n{want}--- got\n{got}"));
        }
    }
    assert!(
        diffs.is_empty(),
        "fixture {name}: {} difference(s)\n  {}\n(hand computation in tests/fixtures/{name}/case.md)",
        diffs.len(),
        diffs.join("\n  ")
    );
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => { $( #[test] fn $name() { run_case(stringify!($name)); } )* };
}

cases!(
    as_of_default,
    auto_reply_and_opt_out,
    cadence_plan,
    cohorts_month_boundary,
    close_day_cut,
    connected_call,
    groups,
    conversion_and_give_up,
    inbound_initiated,
    medians,
    meetings,
    period_cuts_history,
    rate_null,
    rejects_and_duplicates,
    reply_window,
    response_by_touch_km,
    revenue_recovered_after_1,
    revenue_two_currencies,
    split_form,
    ties_in_time,
    timing_competing,
    timing_period,
    timing_reply_delay_late,
    timing_spacing,
    timing_speed_to_answer,
);

#[test]
fn every_fixture_folder_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let n = std::fs::read_dir(dir).expect("dir").filter_map(|e| e.ok()).filter(|e| e.path().is_dir()).count();
    assert_eq!(n, 25, "a fixture folder was added: list it in cases!()");
}

/// The whole metrics.json of one case, every field: catches a changed, renamed or
/// dropped field anywhere in the schema (its numbers are the hand-checked ones above).
#[test]
fn whole_metrics_json_matches_the_expected_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/response_by_touch_km");
    let wd = Workdir::new();
    wd.write("log.csv", std::fs::read(dir.join("log.csv")).expect("log.csv"));
    let args = std::fs::read_to_string(dir.join("args")).expect("args");
    let actual = wd.report(&["log.csv"], &args.split_whitespace().collect::<Vec<_>>());
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.full.json")).expect("metrics.full.json"))
            .expect("JSON");
    let mut diffs = Vec::new();
    subset_diff(&expected, &actual, "", &mut diffs);
    subset_diff(&actual, &expected, "(extra in output)", &mut diffs);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
