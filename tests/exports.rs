//! CRM exports give the same metrics as the same deals in the canonical log.

use std::path::Path;

use crate::util::Workdir;

/// Drops `deal_id` fields: an export names deals by its record ids (192236606100…)
/// where the canonical log says K-A…; every other field must match.
fn without_ids(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.remove("deal_id");
            o.values_mut().for_each(without_ids);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(without_ids),
        _ => {}
    }
}

fn metrics_of(dir: &Path, files: &[String]) -> serde_json::Value {
    let wd = Workdir::new();
    for f in files {
        wd.write(f, std::fs::read(dir.join(f)).expect("read fixture"));
    }
    let inputs: Vec<&str> = files.iter().map(String::as_str).collect();
    let mut m = wd.report(&inputs, &["--as-of", "2026-10-31"]);
    m.as_object_mut().expect("object").remove("inputs");
    without_ids(&mut m);
    m
}

fn csvs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    v.sort();
    v
}

#[test]
fn hubspot_exports_give_the_canonical_metrics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let canonical = metrics_of(&root.join("fixtures/response_by_touch_km"), &["log.csv".into()]);
    let dir = root.join("fixtures_export/hubspot");
    let hubspot = metrics_of(&dir, &csvs(&dir));
    assert_eq!(hubspot, canonical, "HubSpot exports and the canonical log disagree");
}

#[test]
fn hubspot_formats_are_named_in_the_summary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures_export/hubspot");
    let wd = Workdir::new();
    let files = csvs(&dir);
    for f in &files {
        wd.write(f, std::fs::read(dir.join(f)).expect("read fixture"));
    }
    let inputs: Vec<&str> = files.iter().map(String::as_str).collect();
    let m = wd.report(&inputs, &[]);
    let formats: Vec<&str> = m["inputs"].as_array().expect("inputs").iter().map(|f| f["format"].as_str().unwrap_or("")).collect();
    assert_eq!(formats, ["hubspot-calls", "hubspot-deals", "hubspot-emails", "hubspot-meetings"]);
}

#[test]
fn an_activity_associated_with_two_deals_is_a_touch_of_both() {
    let wd = Workdir::new();
    wd.write(
        "deals.csv",
        "\"Record ID\",\"Deal Name\",\"Deal Stage\",\"Is Closed Won\",\"Is closed lost\",\"Deal probability\"\n\
         \"101\",\"North; South\",\"Contract Sent\",\"false\",\"false\",\"0.9\"\n\
         \"102\",\"East\",\"Renamed stage\",\"\",\"\",\"1.0\"\n",
    );
    wd.write(
        "calls.csv",
        "\"Record ID\",\"Activity date\",\"Call direction\",\"Call outcome\",\"Associated Deal\",\"Associated Deal IDs\"\n\
         \"9001\",\"2026-10-01 09:00\",\"Outbound\",\"Left voicemail\",\"North; South;East\",\"101;102\"\n\
         \"9002\",\"2026-10-02 09:00\",\"Outbound\",\"Connected\",\"\",\"\"\n\
         \"9003\",\"2026-10-03 09:00\",\"Outbound\",\"Connected\",\"Gone\",\"999\"\n",
    );
    let m = wd.report(&["deals.csv", "calls.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(m["response_by_touch"][0]["sent"], 2, "one call row, two deals");
    assert_eq!(m["touches"]["outbound"], 2);
    assert_eq!(m["touches"]["unlinked"], 1);
    // Won by probability 1.0, whatever the stage is called.
    assert_eq!(m["deals"]["won"], 1);
    let calls = &m["inputs"][1];
    assert_eq!((calls["used"].as_u64(), calls["rejected"].as_u64()), (Some(2), Some(1)));
    assert!(wd.read("report/rejected.csv").contains("no deal \"\"999\"\""));
}

#[test]
fn an_xlsx_deals_export_reads_like_its_csv() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let canonical = metrics_of(&root.join("fixtures/response_by_touch_km"), &["log.csv".into()]);
    let wd = Workdir::new();
    let hub = root.join("fixtures_export/hubspot");
    let mut inputs = vec!["hubspot-crm-exports-all-deals-2026-10-31.xlsx".to_string()];
    wd.write(&inputs[0], std::fs::read(root.join("fixtures_export/xlsx").join(&inputs[0])).expect("xlsx"));
    for f in csvs(&hub).into_iter().filter(|f| !f.contains("deals")) {
        wd.write(&f, std::fs::read(hub.join(&f)).expect("csv"));
        inputs.push(f);
    }
    let refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let mut m = wd.report(&refs, &["--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][0]["format"], "hubspot-deals");
    assert_eq!(m["inputs"][0]["encoding"], "xlsx");
    m.as_object_mut().expect("object").remove("inputs");
    without_ids(&mut m);
    assert_eq!(m, canonical);
}

#[test]
fn a_zip_of_exports_reads_like_its_files_and_skips_the_rest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let canonical = metrics_of(&root.join("fixtures/response_by_touch_km"), &["log.csv".into()]);
    let wd = Workdir::new();
    let name = "hubspot-crm-exports-2026-10-31.zip";
    wd.write(name, std::fs::read(root.join("fixtures_export/zip").join(name)).expect("zip"));
    let mut m = wd.report(&[name], &["--as-of", "2026-10-31"]);
    let paths: Vec<&str> = m["inputs"].as_array().expect("inputs").iter().map(|f| f["path"].as_str().unwrap_or("")).collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert!(paths.iter().all(|p| p.starts_with(name)), "{paths:?}");
    m.as_object_mut().expect("object").remove("inputs");
    without_ids(&mut m);
    assert_eq!(m, canonical);
}

#[test]
fn a_missing_sheet_names_the_sheets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures_export/xlsx");
    let wd = Workdir::new();
    let name = "hubspot-crm-exports-all-deals-2026-10-31.xlsx";
    wd.write(name, std::fs::read(root.join(name)).expect("xlsx"));
    let out = wd.run(["report", name, "--sheet", "Pipeline"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no sheet \"Pipeline\" (sheets: Deals, Notes)"), "{err}");
}
