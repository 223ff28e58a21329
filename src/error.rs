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
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file whose header matches no known format (SPEC §5).
    #[error("{path}: the columns match no known format.\n  found columns: {found}\n  closest format: {closest}, which also needs a column for: {missing}\n  Rename the columns in the header row (see README, \"Input\"), then run again.", found = found.join(", "), missing = missing.join("; "))]
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
    #[error("{path}: no file in this archive has known columns{}", skipped.iter().map(|s| format!("\n  {s}")).collect::<String>())]
    EmptyArchive {
        /// The archive.
        path: PathBuf,
        /// What each entry held.
        skipped: Vec<String>,
    },
    /// A workbook without the sheet asked for, or without any sheet.
    #[error("{path}: no sheet {name:?} (sheets: {}); name one with --sheet", found.join(", "))]
    Sheet {
        /// The workbook.
        path: PathBuf,
        /// The sheet asked for (empty: the first).
        name: String,
        /// The sheets it has.
        found: Vec<String>,
    },
    /// A workbook or archive that cannot be opened.
    #[error("{path}: cannot open this {kind}: {message}")]
    Container {
        /// The file.
        path: PathBuf,
        /// "workbook" or "ZIP archive".
        kind: &'static str,
        /// What the reader said.
        message: String,
    },
    /// A file with no header row at all.
    #[error("{path}: the file is empty; export it again with its header row")]
    EmptyFile {
        /// The file.
        path: PathBuf,
    },
    /// A CSV file the reader cannot follow (for example broken quoting).
    #[error("{path}:{line}: cannot read the CSV here ({message}); check the quotes on this line")]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What the reader said.
        message: String,
    },
    /// A JSON input (Capsule entries) that cannot be read.
    #[error("{path}: line {line}, column {column}: cannot read this JSON: {message}")]
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
    #[error("{path}: the map {map} names columns this file does not have: {}\n  found columns: {}\n  Fix the header text in {map} (or run `followup map --init {path}` for a fresh map).", missing.join(", "), found.join(", "))]
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
    /// `followup check` found files it cannot use (each explained above).
    #[error("{count} input file(s) cannot be used; see the messages above")]
    Unusable {
        /// How many.
        count: usize,
    },
    /// A command-line value that cannot be used.
    #[error("{flag}: {message}")]
    Argument {
        /// The flag, e.g. `--month`.
        flag: &'static str,
        /// What is wrong and what to write instead.
        message: String,
    },
    /// A settings file (`--cadence-plan`, `--map`) that cannot be used.
    #[error("{path}:{line}:{column}: {message}")]
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
    #[error("{path} already exists: pass --force to replace it, or choose another folder with --out")]
    OutputExists {
        /// The report folder.
        path: PathBuf,
    },
    /// `--strict` and some rows were rejected.
    #[error("{count} input row(s) were rejected and --strict is set; first: {first}\n  Fix those rows (all are listed by running without --strict, in rejected.csv), or drop --strict.")]
    Strict {
        /// How many rows were rejected.
        count: usize,
        /// The first rejection as `file:line: column: reason`.
        first: String,
    },
    /// A failure while computing (a polars error: a bug, not bad input).
    #[error("internal error while computing metrics: {0}")]
    Compute(String),
    /// A failure while rendering the report.
    #[error("could not render {what}: {message}")]
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
            | Error::Unusable { .. }
            | Error::OutputExists { .. } => 2,
            Error::Strict { .. } => 3,
            Error::Io { .. } | Error::Compute(_) | Error::Render { .. } => 1,
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

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
