//! Ingest: input files in, canonical [`Tables`] and a [`Ledger`] out.
//!
//! Each file goes through the same cascade: bytes → encoding ([`sniff::decode`]) →
//! `sep=` line and delimiter → header row → format ([`formats::detect`]) → rows. Rows
//! are read record by record with the `csv` crate, which keeps each record's true
//! starting line even when quoted cells hold new lines, so a rejected row can be named
//! by file, line and column (SPEC §5). That is why ingest does not use polars' CSV
//! reader: it cannot report source lines, and one ragged row fails the whole file.
//! The tables it builds are handed to polars in `metrics`.
//!
//! Files are read in this order: deals files, then follow-up logs, then touches files
//! (command-line order within each), so touches can be matched to deals by deal_id.
//! A deal in several deals files takes its newest version ([`versions`]).

pub mod capsule;
pub mod cells;
pub mod container;
pub mod formats;
pub mod ledger;
pub mod mapping;
pub mod pipedrive;
pub mod sniff;
pub mod values;
pub mod versions;

mod build;
mod classify;
mod deal_index;
mod load;
mod log_deals;
mod recognise;
mod records;
mod rows;

#[cfg(test)]
mod batch_tests;

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::model::Tables;
use build::Builder;
use formats::{FormatId, RowKind};
pub use ledger::{Booking, FileLedger, Ledger, RejectKind, RejectedRow};
pub use load::{probe, read_head};
use recognise::Loaded;

/// What ingest needs to know, decided once from the command line (by `config`): the
/// files, how to read their cells, and the user's own words on won and lost.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Input files, in command-line order.
    pub inputs: Vec<PathBuf>,
    /// Sheet of XLSX inputs (default: the first).
    pub sheet: Option<String>,
    /// `--map` (repeatable): the user's column and value mappings, read and checked; each
    /// reads the files whose headers it fits.
    pub map: Vec<mapping::Mapping>,
    /// Slashed dates are day first.
    pub day_first: bool,
    /// Zoned input times are converted to this zone (`None` = UTC).
    pub timezone: Option<chrono_tz::Tz>,
    /// Stages (lower case) that mean won (`--won-stage`).
    pub won_stages: Vec<String>,
    /// Stages (lower case) that mean lost (`--lost-stage`).
    pub lost_stages: Vec<String>,
    /// ISO currency of amounts that name none.
    pub currency: String,
    /// Where the files being read are shown (off by default).
    pub progress: crate::progress::Progress,
}

#[cfg(test)]
impl IngestOptions {
    /// The options of a run on the sample log (`sample_data/followup_log.csv`), in USD.
    pub(crate) fn sample_log() -> Self {
        let log = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data/followup_log.csv");
        IngestOptions { inputs: vec![log.into()], currency: "USD".into(), ..Default::default() }
    }
}

/// The result of ingest.
#[derive(Debug, Default)]
pub struct Ingested {
    /// The canonical tables (touches may still hold duplicates; see [`Ingested::dedupe`]).
    pub tables: Tables,
    /// What happened to every row.
    pub ledger: Ledger,
    /// A hash of each touch's raw outcome and subject, to tell duplicate rows apart.
    pub touch_detail: Vec<u64>,
    /// For each touch-row file: (first seq, file index), ascending.
    pub seq_files: Vec<(u32, usize)>,
    /// For each deal, the input file (index into `ledger.files`) that first named it.
    pub deal_file: Vec<u32>,
    /// The versions of deals given by several deals files (snapshots).
    pub versions: versions::Versions,
}

impl Ingested {
    /// The input file a touch came from.
    pub fn file_of_seq(&self, seq: u32) -> usize {
        let i = self.seq_files.partition_point(|(start, _)| *start <= seq);
        self.seq_files.get(i.saturating_sub(1)).map_or(0, |s| s.1)
    }

    /// Books as duplicate rows the rows whose touches were all dropped as duplicates
    /// (`dropped`: touch indices, ascending). The touches of one row are adjacent and
    /// share its `seq`: a row that became three touches is one row, a duplicate only
    /// when all three repeat touches read before (SPEC §5: the ledger counts rows). Only
    /// the rows of dropped touches are looked at (a few, of millions).
    pub fn book_duplicate_rows(&mut self, dropped: &[u32]) -> Result<()> {
        let seq = &self.tables.touches.seq;
        let n = seq.len();
        let mut done_to = 0;
        let mut booked = Vec::new();
        for &d in dropped {
            let d = d as usize;
            if d < done_to || d >= n {
                continue; // a row already looked at
            }
            let s = seq.get(d);
            let mut lo = d;
            while lo > 0 && seq.get(lo - 1) == s {
                lo -= 1;
            }
            let mut hi = d + 1;
            while hi < n && seq.get(hi) == s {
                hi += 1;
            }
            done_to = hi;
            if (lo..hi).all(|i| u32::try_from(i).is_ok_and(|i| dropped.binary_search(&i).is_ok())) {
                booked.push(s);
            }
        }
        for s in booked {
            let fi = self.file_of_seq(s);
            let file = self.ledger.files.get_mut(fi).and_then(|f| f.used_to_duplicate().map(|()| f));
            if file.is_none() {
                let name = self.ledger.files.get(fi).map_or("?", |f| f.path.as_str());
                return Err(Error::Compute(format!(
                    "{name}: more duplicate rows than used rows (a bug: please report it)"
                )));
            }
        }
        Ok(())
    }
}

/// Reads every input file of the run.
pub fn ingest(cfg: &IngestOptions) -> Result<Ingested> {
    ingest_batched(cfg, build::BATCH)
}

/// A table of an input file, ready to read, and its ledger.
type LoadedFile = (Loaded, ledger::FileLedger);

/// What [`load::load`] gives each input file, in command-line order, with the entries
/// it skipped. The files are loaded a few at a time on their own threads: loading a
/// workbook, an archive, or a text file whose start is not clean UTF-8 reads all of it,
/// so two big ones take the time of one on two cores. The text files in `as_1252` are
/// read as Windows-1252 ([`Error::ReadAgainAs1252`]).
fn load_all(cfg: &IngestOptions, as_1252: &[PathBuf]) -> Vec<(Result<Vec<LoadedFile>>, Vec<String>)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let mut out = Vec::with_capacity(cfg.inputs.len());
    for paths in cfg.inputs.chunks(threads) {
        std::thread::scope(|s| {
            let handles: Vec<_> = paths
                .iter()
                .map(|path| {
                    s.spawn(move || {
                        let mut skipped = Vec::new();
                        (load::load(path, cfg, &mut skipped, as_1252), skipped)
                    })
                })
                .collect();
            for h in handles {
                out.push(crate::threads::joined(h));
            }
        });
    }
    out
}

/// [`ingest`], the reader thread handing records to the row thread `batch` at a time
/// (tests show the result does not depend on it).
///
/// A text file is streamed as UTF-8 when its start is ([`load`]): where the rest of it
/// turns out Windows-1252, every file is read again from the start, that one transcoded
/// (the rows read so far are dropped with the rest of the first try).
fn ingest_batched(cfg: &IngestOptions, batch: usize) -> Result<Ingested> {
    let mut as_1252 = Vec::new();
    loop {
        match ingest_once(cfg, batch, &as_1252) {
            Err(Error::ReadAgainAs1252 { path }) if !as_1252.contains(&path) => as_1252.push(path),
            done => return done,
        }
    }
}

/// One try of [`ingest_batched`], with the files in `as_1252` read as Windows-1252.
fn ingest_once(cfg: &IngestOptions, batch: usize, as_1252: &[PathBuf]) -> Result<Ingested> {
    let timer = crate::timing::Timer::new();
    let mut loaded = Vec::with_capacity(cfg.inputs.len());
    let mut files = Vec::with_capacity(cfg.inputs.len());
    let mut skipped = Vec::new();
    for (result, mut skips) in load_all(cfg, as_1252) {
        let found = match result {
            // Its message names what every archive before it held too, as when read in turn.
            Err(Error::EmptyArchive { path, skipped: own }) => {
                skipped.extend(own);
                return Err(Error::EmptyArchive { path, skipped });
            }
            r => r?,
        };
        skipped.append(&mut skips);
        for (mut l, f) in found {
            l.index = files.len();
            loaded.push(l);
            files.push(f);
        }
    }
    timer.lap("load");
    let rank = |l: &Loaded| match (l.spec.rows, l.spec.id) {
        (RowKind::Deal, _) => 0,
        (RowKind::Touch, FormatId::FollowupLog) => 1,
        (RowKind::Touch, _) => 2,
    };
    loaded.sort_by_key(|l| (rank(l), l.index));
    let mut b = Builder::new(cfg, loaded.iter().any(|l| l.spec.rows == RowKind::Deal));
    b.batch = batch.max(1);
    let rows = |kind: RowKind| loaded.iter().filter(|l| l.spec.rows == kind).map(|l| l.lines).sum::<usize>();
    b.reserve(rows(RowKind::Deal), rows(RowKind::Touch));
    b.ingested.ledger.files = files;
    b.ingested.ledger.skipped = skipped;
    for l in &loaded {
        b.read_file(l)?;
        timer.lap(&format!("read {}", l.spec.name()));
    }
    b.finish()
}
