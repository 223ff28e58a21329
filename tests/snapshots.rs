//! Snapshots (SPEC §2, issue 10 item 5): the same deal id in several deals files is
//! several versions of one deal, and the newest wins in any argument order. Regression:
//! three weekly HubSpot exports given together used to keep the first file's version of
//! every deal and reject the newer ones as conflicts, so the report depended on the
//! order of the files and was a month old.
//!
//! The fixture folders of tests/fixtures_export follow the harness conventions of
//! tests/fixtures_export/ISSUE10.md ([`ExportCase`]).

use std::path::{Path, PathBuf};

use crate::util::{shell_words, subset_diff, Workdir};

/// An issue-10 fixture folder: the inputs are every file except `args`, `case.md`,
/// `expected*.json` and `expected*.csv`, in byte order of their names; `args` is split
/// like a shell line; `expected.json` is a subset of metrics.json whose `inputs` are
/// compared entry by entry by `path`.
pub(crate) struct ExportCase {
    pub dir: PathBuf,
    pub inputs: Vec<String>,
    pub args: Vec<String>,
    pub expected: serde_json::Value,
}

impl ExportCase {
    pub fn load(name: &str) -> Self {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures_export").join(name);
        let mut inputs: Vec<String> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                let expected = n.starts_with("expected") && (n.ends_with(".json") || n.ends_with(".csv"));
                n != "args" && n != "case.md" && !expected
            })
            .collect();
        inputs.sort();
        let args = shell_words(&std::fs::read_to_string(dir.join("args")).unwrap_or_default());
        let expected =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"))
                .expect("JSON");
        ExportCase { dir, inputs, args, expected }
    }

    /// A work folder holding the inputs (and any settings file the args name).
    pub fn workdir(&self) -> Workdir {
        let wd = Workdir::new();
        for e in std::fs::read_dir(&self.dir).expect("fixture dir").filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if self.inputs.contains(&name) || name.ends_with(".toml") {
                wd.write(&name, std::fs::read(e.path()).expect("read input"));
            }
        }
        wd
    }

    /// `followup report` on the inputs in this order (indices into `inputs`):
    /// metrics.json.
    pub fn report(&self, order: &[usize]) -> serde_json::Value {
        let wd = self.workdir();
        let inputs: Vec<&str> = order.iter().map(|&i| self.inputs[i].as_str()).collect();
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        wd.report(&inputs, &args)
    }

    /// Every difference between expected.json and a metrics.json, `inputs` matched by
    /// path. `touches.planned` (issue 10 item 6, built on another branch) is compared
    /// once metrics.json has it.
    pub fn diffs(&self, actual: &serde_json::Value) -> Vec<String> {
        let mut expected = self.expected.clone();
        if actual["touches"].get("planned").is_none() {
            if let Some(t) = expected.get_mut("touches").and_then(|t| t.as_object_mut()) {
                t.remove("planned");
            }
        }
        let mut diffs = Vec::new();
        subset_diff(&expected, &by_path(actual), "", &mut diffs);
        diffs
    }
}

/// metrics.json with its `inputs` sorted by path (the only part that follows the
/// order of the command line).
pub(crate) fn by_path(m: &serde_json::Value) -> serde_json::Value {
    let mut m = m.clone();
    if let Some(inputs) = m.get_mut("inputs").and_then(|i| i.as_array_mut()) {
        inputs.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    }
    m
}

/// Every order of `0..n`.
pub(crate) fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for at in 0..=p.len() {
            let mut q = p.clone();
            q.insert(at, n - 1);
            out.push(q);
        }
    }
    out
}

#[test]
fn shell_words_keep_quoted_values_whole() {
    assert_eq!(
        shell_words("--lost-stage \"Closed: abandoned\" --as-of 2026-10-31\n"),
        ["--lost-stage", "Closed: abandoned", "--as-of", "2026-10-31"]
    );
    assert_eq!(shell_words("  'a b'\\ c \"\" d"), ["a b c", "", "d"]);
    assert!(shell_words(" \n").is_empty());
    assert_eq!(permutations(3).len(), 6);
}

/// Every order of the case's inputs gives expected.json, the same metrics.json (inputs
/// aside, each file's own entry included) and the same ledger for each file.
fn every_order(name: &str) {
    let case = ExportCase::load(name);
    assert_eq!(case.inputs.len(), 3, "{name}: three exports");
    let mut first: Option<(Vec<usize>, serde_json::Value)> = None;
    let mut failures = Vec::new();
    for order in permutations(case.inputs.len()) {
        let m = case.report(&order);
        let names: Vec<&str> = order.iter().map(|&i| case.inputs[i].as_str()).collect();
        let diffs = case.diffs(&m);
        if !diffs.is_empty() {
            failures.push(format!("order {names:?}:\n  {}", diffs.join("\n  ")));
        }
        let m = by_path(&m);
        match &first {
            None => first = Some((order.clone(), m)),
            Some((o, f)) => {
                let mut d = Vec::new();
                subset_diff(f, &m, "", &mut d);
                subset_diff(&m, f, "(extra)", &mut d);
                if !d.is_empty() {
                    failures.push(format!("order {names:?} differs from order {o:?}:\n  {}", d.join("\n  ")));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: {}\n(hand computation in tests/fixtures_export/{name}/case.md)",
        failures.join("\n")
    );
}

#[test]
fn hubspot_snapshots_newest_by_last_modified_in_any_order() {
    every_order("hubspot_snapshots");
}

#[test]
fn hubspot_snapshots_no_lmd_newest_by_file_name_date_in_any_order() {
    every_order("hubspot_snapshots_no_lmd");
}

/// `followup check` on the snapshots: per file how many rows are older versions and
/// where the newer ones are, how the versions were ordered, and the deals only in older
/// exports, named.
#[test]
fn check_says_older_versions_and_deals_only_in_older_exports() {
    for (name, by) in
        [("hubspot_snapshots", "last-modified"), ("hubspot_snapshots_no_lmd", "export date in the file names")]
    {
        let case = ExportCase::load(name);
        let wd = case.workdir();
        let mut args = vec!["check".to_owned()];
        args.extend(case.inputs.iter().rev().cloned());
        let out = wd.run(&args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {text}{}", String::from_utf8_lossy(&out.stderr));
        let section = |file: &str| {
            let at =
                text.find(&format!("\n{file}\n")).unwrap_or_else(|| panic!("{name}: no section for {file}:\n{text}"));
            text[at + 1..].split("\n\n").next().unwrap_or_default().to_owned()
        };
        let old = section("hubspot-crm-exports-all-deals-2026-09-30.csv");
        assert!(
            old.contains("older versions: 5 of the duplicates (newer versions in hubspot-crm-exports-all-deals-2026-10-15.csv, hubspot-crm-exports-all-deals-2026-10-31.csv)"),
            "{name}: {old}"
        );
        assert!(
            section("hubspot-crm-exports-all-deals-2026-10-15.csv").contains("older versions: 4 of the duplicates"),
            "{name}: {text}"
        );
        assert!(!section("hubspot-crm-exports-all-deals-2026-10-31.csv").contains("older versions"), "{name}: {text}");
        assert!(text.contains("snapshots:  3 exports of the same deals (5 deals in several)"), "{name}: {text}");
        assert!(text.contains(by), "{name}: ordered by {by}: {text}");
        assert!(
            text.contains("2 deals are only in older exports and keep their last known state: 214587123004 (Delta rollout), 214587123005 (Echo retainer)"),
            "{name}: {text}"
        );
        assert!(!text.contains("order the files were given"), "{name}: dates decide, not the order: {text}");
    }
}

/// Generic deals.csv files: `updated_at` is the last-modified column.
const HEAD: &str = "deal_id,name,stage,amount,owner,closed_at,touch_count,updated_at\n";

fn deals(rows: &[&str]) -> String {
    let mut s = HEAD.to_owned();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn ledger(m: &serde_json::Value, path: &str) -> (u64, u64, u64, u64) {
    let f = m["inputs"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["path"] == path))
        .unwrap_or_else(|| panic!("no input {path}: {m}"));
    let n = |k: &str| f[k].as_u64().unwrap_or(u64::MAX);
    (n("rows"), n("used"), n("rejected"), n("duplicates"))
}

/// The last-modified column decides before the file-name date: a deal changed on
/// 10-14 in the 10-15 export is newer than the same deal last changed on 10-01 in the
/// 10-31 export (a later export of a filtered view, say).
#[test]
fn last_modified_beats_the_file_name_date() {
    let wd = Workdir::new();
    wd.write(
        "deals-2026-10-15.csv",
        deals(&[
            "A,Acme,Closed Won,100,Ann,2026-10-14,3,2026-10-14 09:00",
            "B,Birch,Proposal,50,Ann,,1,2026-10-02 09:00",
        ]),
    );
    wd.write(
        "deals-2026-10-31.csv",
        deals(&[
            "A,Acme,Proposal,100,Ann,,2,2026-10-01 09:00",
            "B,Birch,Closed Lost,50,Ann,2026-10-20,2,2026-10-20 09:00",
        ]),
    );
    for order in [["deals-2026-10-15.csv", "deals-2026-10-31.csv"], ["deals-2026-10-31.csv", "deals-2026-10-15.csv"]] {
        let m = wd.report(&order, &[]);
        assert_eq!(
            (m["deals"]["won"].as_u64(), m["deals"]["lost"].as_u64(), m["deals"]["open"].as_u64()),
            (Some(1), Some(1), Some(0)),
            "{order:?}"
        );
        assert_eq!(ledger(&m, "deals-2026-10-15.csv"), (2, 1, 0, 1), "{order:?}");
        assert_eq!(ledger(&m, "deals-2026-10-31.csv"), (2, 1, 0, 1), "{order:?}");
    }
}

/// Equal last-modified times (an unchanged deal in two exports) fall to the file-name
/// date, then to the file given last (ISSUE10.md decision 16); a version without a
/// last-modified time is compared by the file-name date (decision 17).
#[test]
fn equal_or_missing_last_modified_falls_to_the_file_name_date() {
    let wd = Workdir::new();
    wd.write(
        "old-2026-10-15.csv",
        deals(&["A,Acme,Closed Lost,100,Ann,2026-10-10,3,2026-10-10 09:00", "B,Birch,Closed Won,50,Ann,2026-10-11,2,"]),
    );
    wd.write(
        "new-2026-10-31.csv",
        deals(&[
            "A,Acme,Closed Won,100,Ann,2026-10-10,3,2026-10-10 09:00",
            "B,Birch,Closed Lost,50,Ann,2026-10-12,2,2026-09-01 09:00",
        ]),
    );
    for order in [["old-2026-10-15.csv", "new-2026-10-31.csv"], ["new-2026-10-31.csv", "old-2026-10-15.csv"]] {
        let m = wd.report(&order, &[]);
        assert_eq!(
            (m["deals"]["won"].as_u64(), m["deals"]["lost"].as_u64()),
            (Some(1), Some(1)),
            "{order:?}: A won, B lost (both from the 10-31 file)"
        );
        assert_eq!(m["as_of"], "2026-10-12", "{order:?}");
        assert_eq!(ledger(&m, "new-2026-10-31.csv"), (2, 2, 0, 0), "{order:?}");
        assert_eq!(ledger(&m, "old-2026-10-15.csv"), (2, 0, 0, 2), "{order:?}");
    }
}

/// With neither a last-modified column nor a date in the names, the file given last
/// wins — the one case where the order matters — and `check` says so.
#[test]
fn undated_versions_the_file_given_last_wins_and_check_says_so() {
    let wd = Workdir::new();
    let head = "deal_id,name,stage,amount\n";
    wd.write("a.csv", format!("{head}A,Acme,Closed Won,100\nB,Birch,Proposal,50\n"));
    wd.write("b.csv", format!("{head}A,Acme,Closed Lost,100\nB,Birch,Proposal,50\n"));
    let m = wd.report(&["a.csv", "b.csv"], &[]);
    assert_eq!((m["deals"]["won"].as_u64(), m["deals"]["lost"].as_u64()), (Some(0), Some(1)));
    assert_eq!((ledger(&m, "a.csv"), ledger(&m, "b.csv")), ((2, 0, 0, 2), (2, 2, 0, 0)));
    let m = wd.report(&["b.csv", "a.csv"], &[]);
    assert_eq!((m["deals"]["won"].as_u64(), m["deals"]["lost"].as_u64()), (Some(1), Some(0)));
    let out = wd.run(["check", "b.csv", "a.csv"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("the order the files were given decided for 1 deal (A): no last-modified column and no export date in the file names, so the file given last won"),
        "{text}"
    );
    // Identical versions (B) are not "decided" by anything.
    assert!(!text.contains("(A, B)"), "{text}");
}

/// Within one file, two different rows for one deal remain a conflict (rejected), and
/// an identical repeat a duplicate — whether that file's version wins or not, in
/// either order.
#[test]
fn a_conflict_within_one_file_is_still_rejected_in_every_order() {
    let wd = Workdir::new();
    wd.write(
        "x-2026-10-01.csv",
        deals(&[
            "A,Acme,Proposal,100,Ann,,1,",
            "A,Acme,Closed Lost,100,Ann,2026-09-30,1,",
            "B,Birch,Proposal,50,Ann,,1,",
            "B,Birch,Proposal,50,Ann,,1,",
        ]),
    );
    wd.write(
        "y-2026-10-15.csv",
        deals(&["A,Acme,Closed Won,100,Ann,2026-10-10,2,", "B,Birch,Closed Won,50,Ann,2026-10-12,2,"]),
    );
    wd.write("z-2026-09-01.csv", deals(&["A,Acme,Qualified,100,Ann,,1,", "A,Acme,Qualified,90,Ann,,1,"]));
    for order in permutations(3) {
        let names = ["x-2026-10-01.csv", "y-2026-10-15.csv", "z-2026-09-01.csv"];
        let files: Vec<&str> = order.iter().map(|&i| names[i]).collect();
        let m = wd.report(&files, &[]);
        assert_eq!(m["deals"]["won"].as_u64(), Some(2), "{files:?}");
        assert_eq!(ledger(&m, "x-2026-10-01.csv"), (4, 0, 1, 3), "{files:?}");
        assert_eq!(ledger(&m, "y-2026-10-15.csv"), (2, 2, 0, 0), "{files:?}");
        assert_eq!(ledger(&m, "z-2026-09-01.csv"), (2, 0, 1, 1), "{files:?}");
        let rejected = wd.read("report/rejected.csv");
        assert_eq!(rejected.lines().count(), 3, "{files:?}: header + two conflicts\n{rejected}");
        assert!(
            rejected.contains("x-2026-10-01.csv,3,deal_id,A,")
                && rejected.contains("already defined on line 2 of x-2026-10-01.csv"),
            "{files:?}: {rejected}"
        );
        assert!(rejected.contains("z-2026-09-01.csv,3,deal_id,A,"), "{files:?}: {rejected}");
    }
}

/// A newer version replaces every deal column, the empty ones too (an amount, owner,
/// close date, touch count or name taken out in the CRM is gone), in either order.
#[test]
fn a_newer_version_replaces_every_deal_column() {
    let wd = Workdir::new();
    let head = "deal_id,name,stage,amount,currency,created_at,closed_at,cadence,owner,touch_count,updated_at\n";
    let old = wd.write(
        "old.csv",
        format!("{head}A,Acme,Closed Won,100,EUR,2026-09-01,2026-09-20,Spring,Ann,4,2026-09-20 10:00\n"),
    );
    let new = wd.write("new.csv", format!("{head}A,,Proposal,,,,,,,,2026-10-01 10:00\n"));
    for inputs in [vec![old.clone(), new.clone()], vec![new.clone(), old.clone()]] {
        let cfg =
            followup::ingest::IngestOptions { inputs: inputs.clone(), currency: "USD".into(), ..Default::default() };
        let ing = followup::ingest::ingest(&cfg).expect("ingest");
        let d = &ing.tables.deals;
        assert_eq!(d.len(), 1);
        let text = |i: u32| d.text.get(i).to_owned();
        assert_eq!(d.name(0), "A", "{inputs:?}: no name left: the id stands for it");
        assert_eq!(text(d.stage[0]), "Proposal", "{inputs:?}");
        assert_eq!(d.status[0], followup::model::Status::Open, "{inputs:?}");
        assert_eq!((d.amount.get(0), text(d.currency[0])), (None, "USD".to_owned()), "{inputs:?}");
        assert_eq!((d.created_at.get(0), d.closed_at.get(0), d.touch_count.get(0)), (None, None, None), "{inputs:?}");
        assert_eq!((text(d.cadence[0]), text(d.owner[0])), (String::new(), String::new()), "{inputs:?}");
        let files: Vec<(usize, usize)> = ing.ledger.files.iter().map(|f| (f.used, f.duplicates)).collect();
        let new_at = inputs.iter().position(|p| p == &new).unwrap_or(9);
        assert_eq!(files[new_at], (1, 0), "{inputs:?}");
        assert_eq!(files[1 - new_at], (0, 1), "{inputs:?}");
        assert_eq!(ing.deal_file, vec![new_at as u32], "{inputs:?}: the deal is counted under the file of its version");
    }
}

/// Touches given before the deals files still link to a deal whose version was
/// replaced: the deal keeps its id and place; its status is the newest version's.
#[test]
fn touches_link_to_a_replaced_deal_when_given_first() {
    let wd = Workdir::new();
    wd.write("touches.csv", "deal_id,at,channel,outcome\nA,2026-10-01 09:00,email,sent\nA,2026-10-03 09:00,call,connected\nA,2026-10-05 09:00,email,sent\n");
    wd.write("deals-2026-10-01.csv", "deal_id,name,stage,amount,closed_at\nA,Acme,Proposal,100,\n");
    wd.write("deals-2026-10-15.csv", "deal_id,name,stage,amount,closed_at\nA,Acme,Closed Won,100,2026-10-10\n");
    for order in [
        ["touches.csv", "deals-2026-10-15.csv", "deals-2026-10-01.csv"],
        ["touches.csv", "deals-2026-10-01.csv", "deals-2026-10-15.csv"],
    ] {
        let m = wd.report(&order, &[]);
        assert_eq!(ledger(&m, "touches.csv"), (3, 3, 0, 0), "{order:?}");
        assert_eq!(m["touches"]["outbound"].as_u64(), Some(3), "{order:?}");
        assert_eq!(m["touches_to_close"]["won"].as_u64(), Some(1), "{order:?}");
        assert_eq!(m["touches_to_close"]["median"].as_f64(), Some(3.0), "{order:?}: the won deal's 3 touches");
    }
}
