//! The ledger: what happened to every input row. For each file,
//! rows = used + rejected + duplicates ([`FileLedger::check`]); every rejected row is
//! kept with its file, line, column and reason for rejected.csv.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One row that was not used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    /// The file, as given on the command line.
    pub file: String,
    /// 1-based line where the row starts (the header is line 1).
    pub line: u64,
    /// The column header as written in the file (empty when the whole row is at fault).
    pub column: String,
    /// The offending cell.
    pub value: String,
    /// Why, and what to do.
    pub reason: String,
}

/// Counts for one input file (the `inputs` entries of metrics.json).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLedger {
    /// The file, as given on the command line.
    pub path: String,
    /// The detected format.
    pub format: String,
    /// The detected text encoding.
    pub encoding: String,
    /// The detected delimiter.
    pub delimiter: String,
    /// Data rows (records after the header).
    pub rows: usize,
    /// Rows that went into the tables.
    pub used: usize,
    /// Rows listed in rejected.csv.
    pub rejected: usize,
    /// Rows identical to one read before.
    pub duplicates: usize,
    /// The sheet read, for a workbook (shown by `followup check`; not in metrics.json).
    #[serde(skip)]
    pub sheet: Option<String>,
}

impl FileLedger {
    /// The accounting invariant of SPEC §5.
    pub fn check(&self) -> bool {
        self.rows == self.used + self.rejected + self.duplicates
    }
}

/// What ingest saw beyond the tables: per-file counts, rejected rows, and rows that are
/// used but are not touches.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// One entry per input file, in command-line order.
    pub files: Vec<FileLedger>,
    /// Every rejected row, in file and line order.
    pub rejected: Vec<RejectedRow>,
    /// Bounced emails (used, not touches).
    pub bounced: usize,
    /// Internal notes and tasks (used, not touches).
    pub notes_and_tasks: usize,
    /// Files inside ZIP archives that match no format, with their columns (skipped).
    pub skipped: Vec<String>,
    /// Activities linked to no deal (used, not touches of any deal).
    pub unlinked: usize,
    /// Automatic replies among the touches.
    pub automatic_replies: usize,
    /// Opt-out events among the touches.
    pub opt_outs: usize,
    /// Outcome words no table knows, with their counts (treated as one-way).
    pub unknown_outcomes: BTreeMap<String, usize>,
}
