//! The issue 10 fixtures (tests/fixtures_export/ISSUE10.md): each folder's inputs are
//! every file except `args`, `case.md` and `expected*`, given in byte order of their
//! names; `args` is split like a shell line; `expected.json` is compared as
//! tests/fixtures.rs does (a subset of metrics.json).

use std::path::{Path, PathBuf};

use crate::util::{subset_diff, Workdir};

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures_export").join(name)
}

/// The input files of a folder, in byte order of their names.
fn inputs_of(dir: &Path) -> Vec<String> {
    let mut inputs: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "args" && n != "case.md" && !n.starts_with("expected"))
        .collect();
    inputs.sort();
    inputs
}

/// Splits an `args` line as a shell would for plain words and double- or single-quoted
/// values (`--lost-stage "Closed: abandoned"` is two words).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Runs the folder's inputs in `order` and returns metrics.json.
fn run(name: &str, order: &[String]) -> serde_json::Value {
    let dir = folder(name);
    let wd = Workdir::new();
    for i in order {
        wd.write(i, std::fs::read(dir.join(i)).expect("read input"));
    }
    let args = shell_words(&std::fs::read_to_string(dir.join("args")).unwrap_or_default());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let inputs: Vec<&str> = order.iter().map(String::as_str).collect();
    wd.report(&inputs, &args)
}

fn expected(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(folder(name).join("expected.json")).expect("expected.json")).expect("JSON")
}

fn run_case(name: &str) {
    let actual = run(name, &inputs_of(&folder(name)));
    let mut diffs = Vec::new();
    subset_diff(&expected(name), &actual, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "fixture {name}: {} difference(s)\n  {}\n(hand computation in tests/fixtures_export/{name}/case.md)",
        diffs.len(),
        diffs.join("\n  ")
    );
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => { $( #[test] fn $name() { run_case(stringify!($name)); } )* };
}

cases!(pipedrive, pipedrive_api_pages, salesforce, salesforce_report, pipeline_sheet, hubspot_lost_stage);

#[test]
fn args_split_like_a_shell_line() {
    assert_eq!(shell_words(" --as-of 2026-10-31 --lost-stage \"Closed: abandoned\"\n"), ["--as-of", "2026-10-31", "--lost-stage", "Closed: abandoned"]);
    assert_eq!(shell_words("--by owner"), ["--by", "owner"]);
    assert_eq!(shell_words("--won-stage ''"), ["--won-stage", ""]);
    assert!(shell_words("\n").is_empty());
}

/// All permutations of `items`.
fn permutations(items: &[String]) -> Vec<Vec<String>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first.clone());
            out.push(p);
        }
    }
    out
}

/// The Pipedrive activities repeated across the export and the two API pages are
/// duplicates whichever file is read first: every order gives the same metrics (the
/// duplicates fall on the copy read second, so per-file counts are compared by path
/// only for what does not depend on the order).
#[test]
fn pipedrive_api_pages_give_the_same_metrics_in_any_order() {
    let name = "pipedrive_api_pages";
    let mut want = expected(name);
    let want_inputs = want.as_object_mut().and_then(|o| o.remove("inputs")).expect("expected inputs");
    let all = inputs_of(&folder(name));
    let perms = permutations(&all);
    assert_eq!(perms.len(), 24);
    for order in &perms {
        let actual = run(name, order);
        let mut diffs = Vec::new();
        subset_diff(&want, &actual, "", &mut diffs);
        let inputs = actual["inputs"].as_array().cloned().unwrap_or_default();
        let total = |v: &[serde_json::Value], k: &str| v.iter().map(|i| i[k].as_u64().unwrap_or(0)).sum::<u64>();
        let want_inputs = want_inputs.as_array().cloned().unwrap_or_default();
        for k in ["rows", "used", "rejected", "duplicates"] {
            if total(&inputs, k) != total(&want_inputs, k) {
                diffs.push(format!("inputs total {k}: {}, expected {}", total(&inputs, k), total(&want_inputs, k)));
            }
        }
        for w in &want_inputs {
            let got = inputs.iter().find(|i| i["path"] == w["path"]);
            match got {
                Some(g) if g["rows"] == w["rows"] => {}
                _ => diffs.push(format!("inputs entry {} differs: {got:?}", w["path"])),
            }
        }
        assert!(diffs.is_empty(), "order {order:?}: {}", diffs.join("\n  "));
    }
}
