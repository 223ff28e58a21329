//! The ledger: what happened to every input row. For each file,
//! rows = used + rejected + duplicates ([`FileLedger::check`]); every rejected row is
//! kept with its file, line, column and reason for rejected.csv. The ledger counts
//! rows, not touches: an activity row linked to three deals is one used row (three
//! touches), and it is a duplicate row only when all three touches repeat ones read
//! before. Counts change only through [`FileLedger::book`] and
//! [`FileLedger::used_to_duplicate`], which refuse to overflow.

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
    /// Lines after the data that are not data (a report's footer: blank or one cell),
    /// not counted in `rows` (ISSUE10.md decision 14).
    #[serde(default)]
    pub skipped: usize,
    /// For a deals file: how many of its deals each source decided won / lost / open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_from: Option<StatusSources>,
    /// Activities of this file that did not take place yet (planned; used, not touches).
    #[serde(skip)]
    pub planned: usize,
    /// Activities of this file linked to a deal through their account (Salesforce).
    #[serde(skip)]
    pub linked_by_account: usize,
    /// The sheet read, for a workbook (shown by `followup check`; not in metrics.json).
    #[serde(skip)]
    pub sheet: Option<String>,
}

/// How many deals of a file each source of SPEC §2 "Who decides won and lost" decided
/// (open included: a probability of 0.5 decides open). Only rows used count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusSources {
    /// `--won-stage` / `--lost-stage` or a `--map` [status] entry for the stage.
    pub user: usize,
    /// The status column.
    pub status: usize,
    /// Won / lost / closed flags.
    pub flags: usize,
    /// HubSpot's stage probability.
    pub probability: usize,
    /// The stage label rule.
    pub stage: usize,
}

impl StatusSources {
    /// Counts one more deal decided by `from`.
    pub(crate) fn add(&mut self, from: super::build::StatusFrom) {
        use super::build::StatusFrom::*;
        let n = match from {
            User => &mut self.user,
            Status => &mut self.status,
            Flags => &mut self.flags,
            Probability => &mut self.probability,
            Stage => &mut self.stage,
        };
        *n = n.saturating_add(1);
    }
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Booking {
    /// It went into the tables (as one touch, several, or none: see [`Ledger`]).
    Used,
    /// It was rejected (and listed in rejected.csv).
    Rejected,
    /// It repeats a row read before.
    Duplicate,
}

impl FileLedger {
    /// The accounting invariant of SPEC §5 (false, not a wrap, if a count overflowed).
    pub fn check(&self) -> bool {
        self.used.checked_add(self.rejected).and_then(|n| n.checked_add(self.duplicates)) == Some(self.rows)
    }

    /// Books one more row. `None` when a count would overflow (an error for the caller,
    /// never a wrap).
    #[must_use]
    pub fn book(&mut self, b: Booking) -> Option<()> {
        self.rows = self.rows.checked_add(1)?;
        let count = match b {
            Booking::Used => &mut self.used,
            Booking::Rejected => &mut self.rejected,
            Booking::Duplicate => &mut self.duplicates,
        };
        *count = count.checked_add(1)?;
        Some(())
    }

    /// Books a used row as a duplicate after all (duplicate touches are found when the
    /// touches are sorted). A row counts once, however many touches it became: the
    /// caller moves a row only when every touch of it was a duplicate. `None` when no
    /// used row is left to move.
    #[must_use]
    pub fn used_to_duplicate(&mut self) -> Option<()> {
        self.used = self.used.checked_sub(1)?;
        self.duplicates = self.duplicates.checked_add(1)?;
        Some(())
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
    /// Activities that did not take place yet: "To do", not Completed (used, not
    /// touches; SPEC §2 "Done, not planned").
    pub planned: usize,
    /// Salesforce tasks on an account linked to that account's only open opportunity.
    pub linked_by_account: usize,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_never_wrap() {
        let mut f = FileLedger::default();
        for b in [Booking::Used, Booking::Used, Booking::Rejected, Booking::Duplicate] {
            assert_eq!(f.book(b), Some(()));
        }
        assert_eq!((f.rows, f.used, f.rejected, f.duplicates), (4, 2, 1, 1));
        assert!(f.check());
        assert_eq!(f.used_to_duplicate(), Some(()));
        assert_eq!(f.used_to_duplicate(), Some(()));
        assert_eq!((f.used, f.duplicates), (0, 3));
        assert!(f.check());
        // A third move would take `used` below zero: refused, nothing changed.
        assert_eq!(f.used_to_duplicate(), None);
        assert_eq!((f.used, f.duplicates), (0, 3));
        let mut full = FileLedger { rows: usize::MAX, used: usize::MAX, ..Default::default() };
        assert_eq!(full.book(Booking::Used), None);
        assert!(!FileLedger { rows: 0, used: usize::MAX, rejected: 1, ..Default::default() }.check());
    }
}
