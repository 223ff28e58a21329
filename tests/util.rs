//! Test harness: a temporary work folder, fixture writing, running the real binary,
//! and JSON comparison with a readable diff.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder to run the binary in.
pub struct Workdir {
    dir: tempfile::TempDir,
}

impl Workdir {
    pub fn new() -> Self {
        Workdir { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (bytes) and returns its path.
    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// Runs `followup ARGS` in this folder.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        Command::new(env!("CARGO_BIN_EXE_followup")).current_dir(self.path()).args(args).output().expect("run followup")
    }

    /// Runs `followup report INPUTS... --out report ARGS` and returns metrics.json.
    pub fn report(&self, inputs: &[&str], args: &[&str]) -> serde_json::Value {
        let mut a: Vec<String> = vec!["report".into()];
        a.extend(inputs.iter().map(|s| s.to_string()));
        a.extend(["--out".into(), "report".into(), "--force".into()]);
        a.extend(args.iter().map(|s| s.to_string()));
        let out = self.run(&a);
        assert!(out.status.success(), "followup {a:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        self.read_json("report/metrics.json")
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    pub fn read_json(&self, name: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(name)).expect("valid JSON")
    }
}

/// Every difference between `expected` (a subset) and `actual`: objects compare only
/// the keys `expected` names, arrays compare whole and in order, numbers within 1e-6.
pub fn subset_diff(expected: &serde_json::Value, actual: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value::*;
    match (expected, actual) {
        (Object(e), Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => subset_diff(ev, av, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}.{k}: missing (expected {ev})")),
                }
            }
        }
        (Array(e), Array(a)) => {
            if e.len() != a.len() {
                out.push(format!("{path}: {} entries, expected {}\n    actual: {}", a.len(), e.len(), actual));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset_diff(ev, av, &format!("{path}[{i}]"), out);
            }
        }
        (Number(e), Number(a)) => {
            let (e, a) = (e.as_f64().unwrap_or(f64::NAN), a.as_f64().unwrap_or(f64::NAN));
            if (e - a).abs() > 1e-6 {
                out.push(format!("{path}: {a}, expected {e}"));
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: {a}, expected {e}")),
    }
}

/// Splits a line as a shell would: spaces separate words, quotes group them
/// (`--lost-stage "Closed: abandoned"` is two words), a backslash escapes.
pub fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => word.get_or_insert_with(String::new).extend(chars.next()),
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
