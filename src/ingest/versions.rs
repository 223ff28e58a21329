//! Versions (SPEC §2 "Snapshots"): the same deal id in several deals files is several
//! versions of one deal, and the newest wins — newest by the row's last-modified
//! column where both versions have one, else by the export date in the file name
//! (`hubspot-crm-exports-all-deals-2026-10-15.csv`), else the file given last. Older
//! versions are duplicates in the ledger of their own file, never rejected. Within one
//! file, two different rows for one deal remain a conflict (see [`super::build`]).

use std::collections::BTreeSet;
use std::path::Path;

use crate::time::{days_from_civil, format_day};

/// What decided between two versions of a deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// Their last-modified times differ.
    Modified,
    /// Equal or missing last-modified times; the export dates in the file names differ.
    FileDate,
    /// Neither: the file given last wins.
    Order,
}

/// A version's place in time: its row's last-modified time, its file's export date and
/// its file's place on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionKey {
    /// The row's last-modified time (seconds), if the file has that column.
    pub modified: Option<i64>,
    /// The export date in the file's name (day number), if it has one.
    pub date: Option<i32>,
    /// The file's index on the command line.
    pub file: usize,
}

impl VersionKey {
    /// Whether `self` is newer than `old`, and what decided it: last-modified where
    /// both have it and they differ, then the file-name date where both have one and
    /// they differ, then the file given last (ISSUE10.md decisions 16 and 17).
    pub fn newer_than(&self, old: &VersionKey) -> (bool, Decider) {
        if let (Some(a), Some(b)) = (self.modified, old.modified) {
            if a != b {
                return (a > b, Decider::Modified);
            }
        }
        if let (Some(a), Some(b)) = (self.date, old.date) {
            if a != b {
                return (a > b, Decider::FileDate);
            }
        }
        (self.file > old.file, Decider::Order)
    }
}

/// The export date written in a file's name: the last `YYYY-MM-DD` (a real date, not
/// part of a longer number) of its name, or for an entry of a ZIP archive, of the
/// entry's name and then the archive's.
pub fn export_date(path: &Path) -> Option<i32> {
    let mut names = path.iter().rev().map(|c| c.to_string_lossy());
    let name = names.next()?;
    date_in(&name).or_else(|| {
        let parent = names.next()?;
        if parent.to_ascii_lowercase().ends_with(".zip") {
            date_in(&parent)
        } else {
            None
        }
    })
}

/// The last valid `YYYY-MM-DD` in a text, as a day number.
fn date_in(name: &str) -> Option<i32> {
    let b = name.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let shape = |i: usize| {
        (0..10).all(|k| if k == 4 || k == 7 { b.get(i + k) == Some(&b'-') } else { digit(i + k) })
            && !(i > 0 && digit(i - 1))
            && !digit(i + 10)
    };
    (0..b.len()).rev().filter(|&i| shape(i)).find_map(|i| {
        let text = name.get(i..i + 10)?;
        let y: i32 = text.get(0..4)?.parse().ok()?;
        let m: u32 = text.get(5..7)?.parse().ok()?;
        let d: u32 = text.get(8..10)?.parse().ok()?;
        let day = days_from_civil(y, m, d);
        // 2026-02-30 would land on another day: not a date.
        ((1..=12).contains(&m) && (1..=31).contains(&d) && format_day(day) == text).then_some(day)
    })
}

/// What the versions of deals came to, for `followup check`.
#[derive(Debug, Clone, Default)]
pub struct Versions {
    /// Per input file: its rows that are older versions of a deal (booked as duplicates).
    pub older: Vec<usize>,
    /// Per input file: the files holding the versions that won over its older ones.
    pub newer_in: Vec<BTreeSet<usize>>,
    /// Deals with versions in several files.
    pub deals: usize,
    /// The files holding versions of the same deals (snapshots of one account).
    pub files: BTreeSet<usize>,
    /// Some versions were ordered by their last-modified times.
    pub by_modified: bool,
    /// Some versions were ordered by the export dates in their file names.
    pub by_file_date: bool,
    /// Deals (indices) whose differing versions only the order of the files decided.
    pub by_order: Vec<u32>,
    /// Deals (indices) not in the newest of the snapshot files: they keep their latest
    /// known state.
    pub only_in_older: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<i32> {
        crate::ingest::cells::parse_datetime(s, false).ok().map(crate::time::day_of)
    }

    #[test]
    fn export_date_is_the_last_real_date_of_the_name() {
        assert_eq!(export_date(Path::new("in/hubspot-crm-exports-all-deals-2026-10-15.csv")), day("2026-10-15"));
        assert_eq!(export_date(Path::new("deals 2026-01-01 to 2026-03-31.csv")), day("2026-03-31"));
        assert_eq!(export_date(Path::new("export.zip/deals-2026-10-15.csv")), day("2026-10-15"));
        assert_eq!(export_date(Path::new("export-2026-10-15.zip/deals.csv")), day("2026-10-15"));
        // A dated folder is not the file's export date; nor is a date inside a longer number.
        assert_eq!(export_date(Path::new("2026-10-15/deals.csv")), None);
        assert_eq!(export_date(Path::new("deals-12026-10-150.csv")), None);
        assert_eq!(export_date(Path::new("deals-2026-02-30.csv")), None);
        assert_eq!(export_date(Path::new("deals-2026-13-01.csv")), None);
        assert_eq!(export_date(Path::new("deals-6119004-40.csv")), None);
        assert_eq!(export_date(Path::new("é-2026-10-15-é.csv")), day("2026-10-15"));
    }

    #[test]
    fn newest_by_modified_then_file_date_then_order() {
        let k = |modified, date, file| VersionKey { modified, date, file };
        assert_eq!(k(Some(5), Some(1), 0).newer_than(&k(Some(4), Some(2), 1)), (true, Decider::Modified));
        assert_eq!(k(Some(4), Some(2), 0).newer_than(&k(Some(4), Some(1), 1)), (true, Decider::FileDate));
        assert_eq!(k(None, Some(1), 1).newer_than(&k(Some(9), Some(2), 0)), (false, Decider::FileDate));
        assert_eq!(k(Some(4), Some(1), 1).newer_than(&k(Some(4), Some(1), 0)), (true, Decider::Order));
        assert_eq!(k(None, None, 0).newer_than(&k(None, None, 1)), (false, Decider::Order));
    }
}
