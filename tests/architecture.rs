//! The layers of docs/architecture.md, checked against the code: every `crate::m`
//! path in a module of `src/` must name a module of a lower layer (or itself). The
//! table in the doc is the one source: change the doc to change the rule.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module → layer, read from the doc's table rows `| N | `a`, `b` | … |`.
fn layers() -> BTreeMap<String, u32> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
        .expect("docs/architecture.md");
    let mut out = BTreeMap::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(layer), Some(modules)) = (cells.get(1).and_then(|c| c.parse::<u32>().ok()), cells.get(2)) else {
            continue;
        };
        for m in modules.split('`').skip(1).step_by(2) {
            assert!(out.insert(m.to_owned(), layer).is_none(), "{m} is listed twice in docs/architecture.md");
        }
    }
    assert!(out.len() > 5, "no layer table found in docs/architecture.md");
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The `crate::x` module names a line refers to, outside comments: `crate::a::b` gives
/// `a`, and `crate::{a, b::c}` gives `a` and `b`.
fn crate_refs(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let word = |s: &str| -> String { s.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    let mut out = Vec::new();
    for (i, m) in code.match_indices("crate::") {
        if code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[i + m.len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let (mut depth, mut start) = (0, 0);
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            out.push(word(&group[start..j]));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            out.push(word(&group[start..j]));
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
            }
            None => out.push(word(rest)),
        }
    }
    out.retain(|s| !s.is_empty() && s != "self");
    out
}

#[test]
fn no_module_imports_a_layer_above_it() {
    let layers = layers();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut against = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src");
        let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" || module == "main" {
            continue; // the crate root and the binary sit above every layer
        }
        let Some(&own) = layers.get(&module) else {
            against.push(format!("src/{}: module `{module}` is in no layer of docs/architecture.md", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(f).expect("read");
        for (n, line) in text.lines().enumerate() {
            for m in crate_refs(line) {
                match layers.get(&m) {
                    Some(&l) if m == module || l < own => {}
                    Some(&l) => against.push(format!(
                        "src/{}:{}: `{module}` (layer {own}) uses `crate::{m}` (layer {l})",
                        rel.display(),
                        n + 1
                    )),
                    None => against.push(format!("src/{}:{}: `crate::{m}` is in no layer", rel.display(), n + 1)),
                }
            }
        }
    }
    assert!(against.is_empty(), "imports against the layers of docs/architecture.md:\n{}", against.join("\n"));
}

#[test]
fn the_checker_sees_paths_but_not_comments() {
    assert_eq!(crate_refs("use crate::model::{Status, Tables};"), ["model"]);
    assert_eq!(crate_refs("let x = crate::time::format_day(d); // crate::report"), ["time"]);
    assert_eq!(crate_refs("/// see [`crate::metrics`]"), Vec::<String>::new());
    assert_eq!(crate_refs("$crate::x"), Vec::<String>::new());
    assert_eq!(crate_refs("use crate::{ingest, metrics::{self, Metrics}, output};"), ["ingest", "metrics", "output"]);
}
