//! The fatal errors of a run and the one place that maps them to exit codes:
//! 0 ok, 1 could not write or read for a reason outside the input, 2 bad input or
//! arguments, 3 rejected rows under `--strict`.
//!
//! A rejected *row* is not an error: it is recorded in the ledger and the run goes on
//! (see `ingest::ledger`).

use std::path::PathBuf;

/// A fatal error. Every variant names the file it concerns and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", shown_path(path))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file whose header matches no known format (SPEC §5).
    #[error("{}: the columns match no known format.\n  found columns: {}\n  closest format: {closest}, which also needs a column for: {}\n  Rename the columns in the header row (see README, \"Input\"), then run again.", shown_path(path), shown_list(found, ", "), shown_list(missing, "; "))]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// Its header names as written.
        found: Vec<String>,
        /// The closest format.
        closest: &'static str,
        /// What that format lacks.
        missing: Vec<String>,
    },
    /// A ZIP archive with no file in a known format.
    #[error("{}: no file in this archive has known columns{}", shown_path(path), shown_lines(skipped))]
    EmptyArchive {
        /// The archive.
        path: PathBuf,
        /// What each entry held.
        skipped: Vec<String>,
    },
    /// A workbook without the sheet asked for, or without any sheet.
    #[error(
        "{}: no sheet \"{}\" (sheets: {}); name one with --sheet",
        shown_path(path),
        shown(name),
        shown_list(found, ", ")
    )]
    Sheet {
        /// The workbook.
        path: PathBuf,
        /// The sheet asked for (empty: the first).
        name: String,
        /// The sheets it has.
        found: Vec<String>,
    },
    /// A workbook or archive that cannot be opened.
    #[error("{}: cannot open this {kind}: {}", shown_path(path), printable(message, MAX_MESSAGE))]
    Container {
        /// The file.
        path: PathBuf,
        /// "workbook" or "ZIP archive".
        kind: &'static str,
        /// What the reader said.
        message: String,
    },
    /// A file with no header row at all.
    #[error("{}: the file is empty; export it again with its header row", shown_path(path))]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// A CSV file the reader cannot follow (for example broken quoting).
    #[error(
        "{}:{line}: cannot read the CSV here ({}); check the quotes on this line",
        shown_path(path),
        printable(message, MAX_MESSAGE)
    )]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What the reader said.
        message: String,
    },
    /// A JSON input (Capsule entries) that cannot be read.
    #[error(
        "{}: line {line}, column {column}: cannot read this JSON: {}",
        shown_path(path),
        printable(message, MAX_MESSAGE)
    )]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A file read through `--map` that lacks mapped columns.
    #[error("{}: the map {} names columns this file does not have: {}\n  found columns: {}\n  Fix the header text in {} (or run `followup map --init {}` for a fresh map).", shown_path(path), shown_path(map), shown_list(missing, ", "), shown_list(found, ", "), shown_path(map), shown_path(path))]
    MapColumns {
        /// The input file.
        path: PathBuf,
        /// The TOML file.
        map: PathBuf,
        /// The missing columns as `canonical = "header"`.
        missing: Vec<String>,
        /// The file's headers as written.
        found: Vec<String>,
    },
    /// A file whose headers two `--map` files fit.
    #[error("{}: both maps {} and {} fit its columns, and one file is read through one map.\n  Name in each map a column only its own files have (the activities' `at`, the deals' `stage`), then run again.", shown_path(path), shown_path(first), shown_path(second))]
    MapsOverlap {
        /// The input file.
        path: PathBuf,
        /// The first map (in command-line order) that fits.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
    /// `followup check` found files it cannot use (each explained above).
    #[error("{count} input file(s) cannot be used; see the messages above")]
    Unusable {
        /// How many.
        count: usize,
    },
    /// A command-line value that cannot be used.
    #[error("{flag}: {}", printable(message, MAX_MESSAGE))]
    Argument {
        /// The flag, e.g. `--month`.
        flag: &'static str,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// A settings file (`--cadence-plan`, `--map`) that cannot be used.
    #[error("{}:{line}:{column}: {}", shown_path(path), printable(message, MAX_MESSAGE))]
    ConfigFile {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// The report folder exists and `--force` was not given.
    #[error("{} already exists: pass --force to replace it, or choose another one with --out", shown_path(path))]
    OutputExists {
        /// The report folder.
        path: PathBuf,
    },
    /// An output path that must not be written or replaced (a file where a folder goes,
    /// a folder that is not a report under `--force`, a folder holding an input).
    #[error("{}: {reason}", shown_path(path))]
    Refused {
        /// The path given with --out.
        path: PathBuf,
        /// Why, and what to do instead.
        reason: String,
    },
    /// `--strict` and some rows were rejected.
    #[error("{count} input row(s) were rejected and --strict is set; first: {}\n  Fix those rows (all are listed by running without --strict, in rejected.csv), or drop --strict.", printable(first, MAX_MESSAGE))]
    Strict {
        /// How many rows were rejected.
        count: usize,
        /// The first rejection as `file:line: column: reason`.
        first: String,
    },
    /// A file streamed as UTF-8 (its start was) turned out Windows-1252 by the whole
    /// file's evidence, looked at once a flawed record was met: ingest starts again with
    /// this file transcoded. Never leaves ingest.
    #[error("{}: not UTF-8 after all: read it again as Windows-1252", shown_path(path))]
    ReadAgainAs1252 {
        /// The file.
        path: PathBuf,
    },
    /// A failure while computing (a polars error: a bug, not bad input).
    #[error("internal error while computing metrics: {0}")]
    Compute(String),
    /// A failure while rendering the report.
    #[error("could not render {}: {}", printable(what, MAX_MESSAGE), printable(message, MAX_MESSAGE))]
    Render {
        /// Which output.
        what: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::UnknownFormat { .. }
            | Error::EmptyFile { .. }
            | Error::EmptyArchive { .. }
            | Error::Sheet { .. }
            | Error::Container { .. }
            | Error::Csv { .. }
            | Error::Json { .. }
            | Error::Argument { .. }
            | Error::ConfigFile { .. }
            | Error::MapColumns { .. }
            | Error::MapsOverlap { .. }
            | Error::Unusable { .. }
            | Error::OutputExists { .. }
            | Error::Refused { .. } => 2,
            Error::Strict { .. } => 3,
            Error::Io { .. } | Error::ReadAgainAs1252 { .. } | Error::Compute(_) | Error::Render { .. } => 1,
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }
}

impl From<polars::error::PolarsError> for Error {
    fn from(e: polars::error::PolarsError) -> Self {
        Error::Compute(e.to_string())
    }
}

/// 1-based line and column of a byte offset in a settings file's text (for
/// [`Error::ConfigFile`]).
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, col)
}

/// Longest input text (a header, a cell, a sheet name) a message echoes, in characters.
pub const MAX_SHOWN: usize = 80;
/// Longest file path a message shows, in characters.
pub const MAX_PATH: usize = 240;
/// Longest message text that came from a reader or carries input, in characters.
pub const MAX_MESSAGE: usize = 2000;
/// Most names a message lists (then "… and N more").
pub const MAX_LISTED: usize = 20;

/// A message that may carry input text (a reader's message, a hint quoting a value):
/// control and invisible formatting characters escaped as in [`shown`] except line
/// breaks, which the message's own layout uses; cut after `max` characters with "…".
pub fn printable(s: &str, max: usize) -> String {
    escape(s, max, true)
}

/// Text from the input as a message shows it: control and invisible formatting
/// characters escaped (`\x01`, `\n`, `\u{202E}`; ordinary Unicode kept), cut after
/// `max` characters with "…". Every message that echoes input goes through this.
fn escape(s: &str, max: usize, keep_newlines: bool) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len().min(max * 4 + 4));
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 && c.is_control() => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}') =>
            {
                let _ = write!(out, "\\u{{{:04X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// An input text (header, cell, sheet name): [`printable`], at most [`MAX_SHOWN`] characters.
pub fn shown(s: &str) -> String {
    escape(s, MAX_SHOWN, false)
}

/// A file path: [`printable`], at most [`MAX_PATH`] characters.
pub fn shown_path(p: &std::path::Path) -> String {
    escape(&p.to_string_lossy(), MAX_PATH, false)
}

/// A list of input texts: the first [`MAX_LISTED`], each [`shown`], then "… and N more".
pub fn shown_list(items: &[String], sep: &str) -> String {
    let mut out = items.iter().take(MAX_LISTED).map(|s| shown(s)).collect::<Vec<_>>().join(sep);
    if items.len() > MAX_LISTED {
        out.push_str(&format!("{sep}… and {} more", crate::fmt::count((items.len() - MAX_LISTED) as u64)));
    }
    out
}

/// Lines of a list, each indented on its own line, bounded like [`shown_list`].
fn shown_lines(items: &[String]) -> String {
    let mut out: String =
        items.iter().take(MAX_LISTED).map(|s| format!("\n  {}", escape(s, MAX_SHOWN * 3, false))).collect();
    if items.len() > MAX_LISTED {
        out.push_str(&format!("\n  … and {} more", crate::fmt::count((items.len() - MAX_LISTED) as u64)));
    }
    out
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_control_bytes_and_keeps_unicode() {
        assert_eq!(shown("Caf\u{e9}\u{1}\u{7f}\tx\u{202e}"), "Caf\u{e9}\\x01\\x7F\\tx\\u{202E}");
        assert_eq!(shown("Deal ✓"), "Deal ✓");
    }

    #[test]
    fn long_texts_and_lists_are_cut_with_a_count() {
        let long = "é".repeat(500);
        assert_eq!(shown(&long).chars().count(), MAX_SHOWN + 1);
        assert!(shown(&long).ends_with('…'));
        let many: Vec<String> = (0..200_000).map(|i| format!("c{i}")).collect();
        let s = shown_list(&many, ", ");
        assert!(s.starts_with("c0, c1, "), "{s}");
        assert!(s.ends_with("… and 199,980 more"), "{s}");
        assert!(s.len() < 400, "{}", s.len());
    }
}
