//! Build: the canonical tables from the rows of every loaded file. [`Builder`] holds the
//! tables being filled, the deal index and the ledger; [`Builder::read_file`] runs a
//! reader thread (CSV parsing, [`super::records`]) beside the row thread ([`super::rows`]).

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

use super::cells::{CellError, ChannelCell};
use super::deal_index::{DealIndex, KeyHint};
use super::formats::{ColumnMap, Field, FormatId, RowKind};
use super::log_deals::LogDeals;
use super::recognise::Loaded;
use super::records::{Flaw, Rec, RecordBuf, Records};
use super::rows::{Ahead, AheadBuf, AheadPlan, Touch};
use super::versions::{Decider, VersionKey, Versions};
use super::IngestOptions;
use super::{Booking, Ingested, RejectKind, RejectedRow};
use crate::error::{Error, Result};
use crate::model::{Direction, Interner, OutcomeClass, Status};

/// A deal's currency: its currency cell, else its amount's symbol, else the default.
pub(super) fn currency_of<'a>(d: &'a DealCells, default: &'a str) -> std::borrow::Cow<'a, str> {
    match (d.currency, d.amount.as_ref().and_then(|(_, c)| c.as_deref())) {
        (Some(c), _) if c.bytes().all(|b| b.is_ascii_uppercase()) => c.into(),
        (Some(c), _) => c.to_ascii_uppercase().into(),
        (None, Some(sym)) => sym.into(),
        (None, None) => default.into(),
    }
}

/// A parse cache of a low-cardinality cell (channel, direction, outcome): millions of
/// rows, a few dozen spellings, each parsed once. The spellings are interned (short
/// ones found through the interner's memo: three lookups a touch row were a tenth of
/// the row thread's time), each value stored at its spelling's index.
#[derive(Debug)]
pub(super) struct Spellings<T> {
    names: Interner,
    values: Vec<T>,
}

impl<T> Default for Spellings<T> {
    fn default() -> Self {
        Spellings { names: Interner::default(), values: Vec::new() }
    }
}

impl<T: Clone> Spellings<T> {
    /// The value of `raw`, parsing and storing it on a miss.
    pub(super) fn get(&mut self, raw: &str, parse: impl Fn(&str) -> T) -> T {
        let i = self.names.intern(raw) as usize;
        if i == self.values.len() {
            self.values.push(parse(raw));
        }
        match self.values.get(i) {
            Some(v) => v.clone(),
            None => parse(raw),
        }
    }
}

/// Records per batch handed from the reader thread to the row thread.
pub(super) const BATCH: usize = 4096;

/// Records read on the reader thread, with their flaws.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) records: RecordBuf,
    /// The hash of each record's deal key, where it has one key (see [`DealIndex`]).
    pub(super) hints: Vec<Option<KeyHint>>,
    /// The records' cells parsed ahead (see [`Ahead`]).
    pub(super) ahead: AheadBuf,
}

/// The outcome of one row.
pub(super) enum Row {
    Used,
    Duplicate,
    Rejected { column: Option<usize>, value: String, reason: String, kind: RejectKind },
}

/// The hash of a record's deal key, where the row has one deal key (not a list of ids).
fn key_hint(hasher: &hashbrown::DefaultHashBuilder, rec: Rec<'_>, l: &Loaded) -> Option<KeyHint> {
    if l.map.has(Field::DealIds) {
        return None;
    }
    Builder::deal_key(rec, &l.map).ok().map(|key| DealIndex::hint(hasher, key))
}

pub(super) fn reject(column: Option<usize>, value: &str, e: CellError) -> Row {
    Row::Rejected { column, value: value.to_owned(), reason: e.to_string(), kind: e.kind() }
}

/// What a deals-file row writes into a deal's columns, the last-modified time aside (a
/// name equal to the id is written empty): the one shape of a row's cells and of a held
/// deal's columns that their fingerprints are made from, so that the two agree.
struct DealFields<'a> {
    name: &'a str,
    stage: &'a str,
    status: Status,
    amount: Option<f64>,
    currency: &'a str,
    created: Option<i64>,
    closed: Option<i64>,
    cadence: &'a str,
    owner: &'a str,
    touch_count: Option<u32>,
}

impl DealFields<'_> {
    fn fingerprint(&self) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        (self.name, self.stage, self.status, self.amount.map(f64::to_bits), self.currency).hash(&mut h);
        (self.created, self.closed, self.cadence, self.owner, self.touch_count).hash(&mut h);
        h.finish()
    }
}

/// Which source decided a deal's won / lost / open (SPEC §2 "Who decides", in order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum StatusFrom {
    /// `--won-stage` / `--lost-stage`, or a `--map` [status] entry for the stage.
    User,
    /// The status column.
    Status,
    /// Won / lost / closed flags.
    Flags,
    /// HubSpot's stage probability.
    Probability,
    /// The stage label rule.
    #[default]
    Stage,
}

/// Deal cells of one row, parsed and checked.
#[derive(Debug, Default)]
pub(super) struct DealCells<'a> {
    pub(super) name: Option<&'a str>,
    pub(super) stage: Option<&'a str>,
    pub(super) status: Option<Status>,
    /// Which source decided `status` ([`StatusFrom::Stage`] while `status` is `None`).
    pub(super) status_from: StatusFrom,
    pub(super) amount: Option<(f64, Option<String>)>,
    pub(super) currency: Option<&'a str>,
    pub(super) created: Option<i64>,
    pub(super) closed: Option<i64>,
    pub(super) cadence: Option<&'a str>,
    pub(super) owner: Option<&'a str>,
    pub(super) touch_count: Option<u32>,
    /// The row's last-modified time (which of several versions of a deal is newest).
    pub(super) modified: Option<i64>,
}

/// The version of a deal that a deals file gave: the line of its row (the file is the
/// deal's `deal_file`) and its key in time; its cells are the deal's columns (their
/// fingerprint is [`Builder::stored_fingerprint`]). 24 bytes: a million of them live
/// while the deals files are read, and are freed before the touches are.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct DealVersion {
    pub(super) line: u64,
    /// The last-modified time, when `has_modified`.
    modified: i64,
    has_modified: bool,
    /// Which source decided this version's status (counted for the winning version
    /// only, once the deals files are read: older versions are not counted).
    pub(super) status_from: StatusFrom,
}

impl DealVersion {
    fn new(line: u64, modified: Option<i64>, status_from: StatusFrom) -> Self {
        DealVersion { line, modified: modified.unwrap_or(0), has_modified: modified.is_some(), status_from }
    }

    fn modified(&self) -> Option<i64> {
        self.has_modified.then_some(self.modified)
    }
}

pub(super) struct Builder<'c> {
    pub(super) cfg: &'c IngestOptions,
    pub(super) ingested: Ingested,
    pub(super) deal_index: DealIndex,
    /// The version of each deal that a deals file gave, while the deals files are read
    /// (they are read first, and every deal they name is defined by one: deal `i` is
    /// `deal_version[i]`, its file `ingested.deal_file[i]`). Freed once they are read
    /// ([`Builder::end_deals_files`]).
    pub(super) deal_version: Vec<DealVersion>,
    /// Once the deals files are read: how many deals they defined (deals `0..n`; the
    /// deals made after them, from touch rows, come from no deals file).
    pub(super) deals_files_done: Option<usize>,
    /// A deal id or name did not fit ([`crate::model::StrCol`] holds 4 GiB): the run
    /// stops at the end of the row.
    pub(super) text_full: bool,
    /// Older versions: (deal, file) → (line, fingerprint) of the row of that file that
    /// lost to a newer version in another file.
    pub(super) older: FxHashMap<(u32, u32), (u64, u64)>,
    /// Per input file: the export date in its name, and the latest last-modified time
    /// of its rows.
    pub(super) file_dates: Vec<Option<i32>>,
    pub(super) file_modified: Vec<Option<i64>>,
    pub(super) versions: Versions,
    pub(super) log_deals: LogDeals,
    pub(super) have_deal_files: bool,
    /// The file being read (index into the ledger's files).
    pub(super) file: usize,
    pub(super) seq: u32,
    /// The deal of the previous touch row.
    pub(super) last_deal: Option<u32>,
    /// The hash of the deal key of the row being read, computed on the reader thread.
    pub(super) hint: Option<KeyHint>,
    /// Records per batch ([`BATCH`]; tests use tiny ones).
    pub(super) batch: usize,
    /// Low-cardinality cells parsed once per distinct raw text (channel, direction,
    /// outcome): millions of rows, a few dozen spellings.
    pub(super) channels: Spellings<ChannelCell>,
    pub(super) directions: Spellings<Result<Direction, CellError>>,
    pub(super) outcomes: Spellings<(OutcomeClass, bool, u64)>,
    /// The cells of the batch being read that the reader thread parsed ahead, and the
    /// row being read.
    pub(super) ahead: Ahead,
    /// Activity ids read so far: the same id again is a duplicate.
    pub(super) activity_ids: rustc_hash::FxHashSet<String>,
    /// Salesforce activities logged on an account (`WhatId` 001…): (account, file,
    /// touch), linked in [`Builder::finish`] once every opportunity is known.
    pub(super) account_touches: Vec<(String, usize, Touch)>,
    /// Each opportunity's account (Salesforce `AccountId`), by deal index.
    pub(super) deal_account: FxHashMap<u32, String>,
    /// `--currency` interned in the deals' text, once a deal is made.
    default_currency: Option<u32>,
}

impl<'c> Builder<'c> {
    pub(super) fn new(cfg: &'c IngestOptions, have_deal_files: bool) -> Self {
        let mut ingested = Ingested::default();
        ingested.tables.deals.text.intern("");
        Builder {
            cfg,
            ingested,
            deal_index: DealIndex::default(),
            deal_version: Vec::new(),
            deals_files_done: None,
            text_full: false,
            older: FxHashMap::default(),
            file_dates: Vec::new(),
            file_modified: Vec::new(),
            versions: Versions::default(),
            log_deals: LogDeals::default(),
            have_deal_files,
            file: 0,
            seq: 0,
            last_deal: None,
            hint: None,
            batch: BATCH,
            channels: Spellings::default(),
            directions: Spellings::default(),
            outcomes: Spellings::default(),
            ahead: Ahead::default(),
            activity_ids: Default::default(),
            account_touches: Vec::new(),
            deal_account: FxHashMap::default(),
            default_currency: None,
        }
    }

    /// Sizes the tables once for about this many deal and touch rows (counted, or
    /// estimated from a file's rate of lines: see `load::estimate_lines`).
    ///
    /// The columns get a twentieth more: rows vary in length, and a column that
    /// outgrows its room is copied (at the estimate itself, the deals' columns did at 1M
    /// deals: 0.157 -> 0.187 s); room never written costs no memory. (A quarter more
    /// cost 25 MB at the peak.) The deal index is sized for the rows themselves: it is
    /// a power of two at least twice their number, and the margin doubled it at 1M, 16
    /// to 32 MB of fresh memory written all over.
    pub(super) fn reserve(&mut self, deal_rows: usize, touch_rows: usize) {
        self.deal_index.reserve(&self.ingested.tables.deals.id, deal_rows);
        let room = |rows: usize| rows.saturating_add(rows / 20);
        let (deal_rows, touch_rows) = (room(deal_rows), room(touch_rows));
        let d = &mut self.ingested.tables.deals;
        d.stage.reserve(deal_rows);
        d.status.reserve(deal_rows);
        d.amount.reserve(deal_rows);
        d.currency.reserve(deal_rows);
        d.created_at.reserve(deal_rows);
        d.closed_at.reserve(deal_rows);
        d.cadence.reserve(deal_rows);
        d.owner.reserve(deal_rows);
        d.touch_count.reserve(deal_rows);
        self.deal_version.reserve(deal_rows);
        // Room for ids and names of 32 bytes a deal, most of them: the text grown by
        // doubling was copied each time, and each copy touched fresh memory (issue 12).
        // Room never written costs no memory.
        d.id.reserve(deal_rows, deal_rows.saturating_mul(32));
        d.name.reserve(deal_rows, deal_rows.saturating_mul(32));
        let t = &mut self.ingested.tables.touches;
        t.deal.reserve(touch_rows);
        t.at.reserve(touch_rows);
        t.seq.reserve(touch_rows);
        t.channel.reserve(touch_rows);
        t.direction.reserve(touch_rows);
        t.event.reserve(touch_rows);
        t.cadence.reserve(touch_rows);
        t.owner.reserve(touch_rows);
        self.ingested.touch_detail.reserve(touch_rows);
    }

    /// Reads every row of a file. Parsing CSV and handling rows run on two threads: a
    /// reader thread fills batches of records, this thread turns them into table rows
    /// in order, and the emptied batches go back to be refilled (no allocation per row).
    pub(super) fn read_file(&mut self, l: &Loaded) -> Result<()> {
        const PREFETCH: usize = 12;
        let batch_len = self.batch;
        let mut records = Records::open(l, 0, 0)?;
        if l.spec.rows != RowKind::Deal {
            self.end_deals_files();
        }
        let name = l.path.file_name().map_or_else(|| l.path.to_string_lossy(), |n| n.to_string_lossy());
        self.cfg.progress.file(&name, l.lines as u64);
        self.file = l.index;
        if self.file_dates.len() <= l.index {
            self.file_dates.resize(l.index + 1, None);
        }
        self.file_dates[l.index] = super::versions::export_date(&l.path);
        if l.spec.rows == RowKind::Touch {
            self.ingested.seq_files.push((self.seq, l.index));
        }
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        let hasher = self.deal_index.hasher();
        let plan = AheadPlan::new(&l.map, self.cfg.day_first, self.cfg.timezone);
        let plan = &plan;
        self.ahead.start(plan);
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || -> Result<()> {
                // The header row, read and checked by `recognise`.
                records.next(&mut RecordBuf::default())?;
                loop {
                    let mut batch = empty_rx.try_recv().unwrap_or_default();
                    batch.records.clear();
                    while batch.records.len() < batch_len && records.next(&mut batch.records)? {}
                    batch.hints.clear();
                    batch.hints.extend(batch.records.iter().map(|rec| key_hint(&hasher, rec, l)));
                    plan.read(&batch.records, &mut batch.ahead);
                    if batch.records.len() == 0 || full_tx.send(batch).is_err() {
                        return Ok(()); // end of file, or the row thread stopped
                    }
                }
            });
            let rows = (|| {
                // Lines of one cell (when the header has more) wait here: followed by
                // more data they are short rows, at the end of the file a footer.
                let mut held = RecordBuf::default();
                for mut batch in full_rx {
                    self.ahead.swap(&mut batch.ahead);
                    let mut flaws = batch.records.flaws.iter().peekable();
                    for (i, rec) in batch.records.iter().enumerate() {
                        // The slot of a row a few rows on, fetched while this one is read.
                        if let Some(Some(ahead)) = batch.hints.get(i + PREFETCH) {
                            self.deal_index.prefetch(ahead.key_hash());
                        }
                        let flaw = flaws.next_if(|(at, _)| *at == i).map(|(_, f)| f);
                        if flaw.is_none() && rec.len() == 1 && l.headers.len() > 1 {
                            held.push_rec(rec);
                            continue;
                        }
                        self.hint = None;
                        self.ahead.set_row(None);
                        for h in held.iter() {
                            self.read_row(l, h, None)?;
                        }
                        held.clear();
                        self.hint = batch.hints.get(i).copied().flatten();
                        self.ahead.set_row(Some(i));
                        self.read_row(l, rec, flaw)?;
                    }
                    self.hint = None;
                    self.ahead.swap(&mut batch.ahead);
                    self.cfg.progress.rows(batch.records.len() as u64);
                    let _ = empty_tx.send(batch);
                }
                self.skip_footer(l, &held)
            })();
            crate::threads::joined(reader).and(rows)
        })
    }

    /// Books the footer of a file (ISSUE10.md decision 14): the lines after the data
    /// that are blank or one cell, as a Salesforce report ends ("Grand Totals",
    /// "Generated By…"). They are not data: the non-blank ones are counted as skipped,
    /// beside rows = used + rejected + duplicates.
    fn skip_footer(&mut self, l: &Loaded, held: &RecordBuf) -> Result<()> {
        let lines = held.iter().filter(|r| r.iter().any(|c| !c.trim().is_empty())).count();
        if let Some(f) = self.ingested.ledger.files.get_mut(l.index) {
            f.skipped = f.skipped.saturating_add(lines);
        }
        Ok(())
    }

    /// Turns one record into table rows and books it in the ledger.
    pub(super) fn read_row(&mut self, l: &Loaded, rec: Rec<'_>, flaw: Option<&Flaw>) -> Result<()> {
        let line = rec.line().saturating_add_signed(l.line_offset);
        let outcome = if let Some(flaw) = flaw {
            match flaw {
                Flaw::OpenQuote { column, quote_line, value } => Row::Rejected {
                    column: Some(*column),
                    value: value.clone(),
                    reason: if quote_line.saturating_add_signed(l.line_offset) == line {
                        "quote opened here is never closed: the rows after this line were read on their own; close the quote or remove it".to_owned()
                    } else {
                        format!(
                            "quote opened on line {} is never closed: the rows after that line were read on their own; close the quote or remove it",
                            quote_line.saturating_add_signed(l.line_offset)
                        )
                    },
                    kind: RejectKind::OpenQuote,
                },
                Flaw::NotUtf8 { column, byte, value } => Row::Rejected {
                    column: Some(*column),
                    value: value.clone(),
                    reason: format!(
                        "byte 0x{byte:02X} in this cell is not UTF-8 (the rest of the file is): retype the cell, or save the file again as \"CSV UTF-8\""
                    ),
                    kind: RejectKind::NotUtf8,
                },
            }
        } else if rec.len() != l.headers.len() {
            Row::Rejected {
                column: None,
                value: String::new(),
                reason: format!(
                    "the row has {} cells but the header has {}: a stray delimiter or an unclosed quote?",
                    rec.len(),
                    l.headers.len()
                ),
                kind: RejectKind::CellCount,
            }
        } else {
            match l.spec.rows {
                RowKind::Deal => self.deal_row(rec, &l.map, l.index, line)?,
                RowKind::Touch => self.touch_row(rec, l.spec, &l.map, l.spec.id == FormatId::FollowupLog),
            }
        };
        if self.text_full {
            return Err(crate::model::StrCol::full_error());
        }
        let overflow = || Error::Compute(format!("{}: too many rows to count", l.path.display()));
        let Some(f) = self.ingested.ledger.files.get_mut(l.index) else { return Err(overflow()) };
        self.seq = self.seq.checked_add(1).ok_or_else(overflow)?;
        match outcome {
            Row::Used => f.book(Booking::Used).ok_or_else(overflow)?,
            Row::Duplicate => f.book(Booking::Duplicate).ok_or_else(overflow)?,
            Row::Rejected { column, value, mut reason, kind } => {
                f.book(Booking::Rejected).ok_or_else(overflow)?;
                if let Some(what) = match l.spec.id {
                    FormatId::CapsuleEntries => Some("entry"),
                    FormatId::PipedriveApiActivities => Some("activity"),
                    _ => None,
                } {
                    reason = format!("{what} id {:?}: {reason}", rec.get(0).unwrap_or(""));
                }
                self.ingested.ledger.rejected.push(RejectedRow {
                    file: l.path.display().to_string(),
                    line,
                    column: column.and_then(|c| l.headers.get(c)).cloned().unwrap_or_default(),
                    value,
                    reason,
                    kind,
                });
            }
        }
        Ok(())
    }

    pub(super) fn new_deal(&mut self, key: &str) -> u32 {
        let deals = &mut self.ingested.tables.deals;
        let i = deals.id.len() as u32;
        // Interned at the first deal (where it always was), then remembered.
        let default_currency = *self.default_currency.get_or_insert_with(|| deals.text.intern(&self.cfg.currency));
        // A failed push is caught at the end of the row (`text_full`, read_row).
        self.text_full |= deals.id.push(key).is_err() | deals.name.push("").is_err();
        deals.stage.push(0);
        deals.status.push(Status::Open);
        deals.amount.push(None);
        deals.currency.push(default_currency);
        deals.created_at.push(None);
        deals.closed_at.push(None);
        deals.cadence.push(0);
        deals.owner.push(0);
        deals.touch_count.push(None);
        self.ingested.deal_file.push(self.file as u32);
        let h = self.deal_index.hash(key, self.hint);
        self.deal_index.insert(&self.ingested.tables.deals.id, i, h);
        i
    }

    /// Writes parsed deal cells into deal `i` (deals-file rows and finished log deals).
    pub(super) fn set_deal(&mut self, i: usize, d: &DealCells) {
        let status = self.status(d.status, d.stage.unwrap_or(""));
        let deals = &mut self.ingested.tables.deals;
        // Every column is written, empty ones too: a newer version replaces all of an older.
        let n = d.name.unwrap_or("");
        let name = if n == deals.id.get(i) { "" } else { n };
        self.text_full |= deals.name.set(i, name).is_err();
        deals.stage[i] = deals.text.intern(d.stage.unwrap_or(""));
        deals.status[i] = status;
        deals.amount.set(i, d.amount.as_ref().map(|(v, _)| *v));
        deals.currency[i] = deals.text.intern(&currency_of(d, &self.cfg.currency));
        deals.created_at.set(i, d.created);
        deals.closed_at.set(i, d.closed);
        deals.cadence[i] = deals.text.intern(d.cadence.unwrap_or(""));
        deals.owner[i] = deals.text.intern(d.owner.unwrap_or(""));
        deals.touch_count.set(i, d.touch_count);
    }

    /// True when deal `i` already holds exactly these cells.
    pub(super) fn same_deal(&self, i: usize, d: &DealCells) -> bool {
        let deals = &self.ingested.tables.deals;
        let text = &deals.text;
        let currency = currency_of(d, &self.cfg.currency);
        deals.name(i) == d.name.unwrap_or(deals.id.get(i))
            && text.get(deals.stage[i]) == d.stage.unwrap_or("")
            && deals.status[i] == self.status(d.status, d.stage.unwrap_or(""))
            && deals.amount.get(i) == d.amount.as_ref().map(|(v, _)| *v)
            && text.get(deals.currency[i]) == currency
            && deals.created_at.get(i) == d.created
            && deals.closed_at.get(i) == d.closed
            && text.get(deals.cadence[i]) == d.cadence.unwrap_or("")
            && text.get(deals.owner[i]) == d.owner.unwrap_or("")
            && deals.touch_count.get(i) == d.touch_count
    }

    /// The fingerprint of the cells deal `i` holds: [`Builder::fingerprint`] of the row
    /// that set them. Made only when another version of the deal comes (a new deal
    /// needs none: its hash was a tenth of the deals' row thread, issue 12).
    pub(super) fn stored_fingerprint(&self, i: usize) -> u64 {
        let deals = &self.ingested.tables.deals;
        let text = &deals.text;
        DealFields {
            name: deals.name.get(i),
            stage: text.get(deals.stage[i]),
            status: deals.status[i],
            amount: deals.amount.get(i),
            currency: text.get(deals.currency[i]),
            created: deals.created_at.get(i),
            closed: deals.closed_at.get(i),
            cadence: text.get(deals.cadence[i]),
            owner: text.get(deals.owner[i]),
            touch_count: deals.touch_count.get(i),
        }
        .fingerprint()
    }

    /// A fingerprint of a deals-file row's cells: equal for rows that would set the
    /// same deal columns (the last-modified time aside).
    pub(super) fn fingerprint(&self, key: &str, d: &DealCells) -> u64 {
        DealFields {
            name: d.name.filter(|n| *n != key).unwrap_or(""),
            stage: d.stage.unwrap_or(""),
            status: self.status(d.status, d.stage.unwrap_or("")),
            amount: d.amount.as_ref().map(|(v, _)| *v),
            currency: &currency_of(d, &self.cfg.currency),
            created: d.created,
            closed: d.closed,
            cadence: d.cadence.unwrap_or(""),
            owner: d.owner.unwrap_or(""),
            touch_count: d.touch_count,
        }
        .fingerprint()
    }

    fn conflict(&self, map: &ColumnMap, key: &str, (file, line): (usize, u64)) -> Row {
        Row::Rejected {
            column: map.get(Field::DealId).or(map.get(Field::Name)),
            value: key.to_owned(),
            reason: format!(
                "deal {key:?} is already defined on line {line} of {} with different values; keep one row per deal",
                self.ingested.ledger.files.get(file).map_or("", |f| f.path.as_str())
            ),
            kind: RejectKind::ConflictingDeal,
        }
    }

    /// One row of a deals file. A deal id already given by another deals file is
    /// another version of that deal: the newest wins ([`VersionKey::newer_than`]) and
    /// the other is an older version (a duplicate in its own file's ledger, moved there
    /// from used when it had won before). Within one file, a repeated deal is a
    /// duplicate when its cells are the same, else a conflict (rejected).
    pub(super) fn deal_row(&mut self, rec: Rec<'_>, map: &ColumnMap, file: usize, line: u64) -> Result<Row> {
        let key = match self.row_key(rec, map) {
            Ok(k) => k,
            Err(row) => return Ok(row),
        };
        let mut cells = match self.deal_cells(rec, map) {
            Ok(d) => d,
            Err(row) => return Ok(row),
        };
        // Read here, not in `deal_cells`: only a deals file's rows are versions.
        match self.date_cell(rec, map, Field::LastModified) {
            Ok(t) => cells.modified = t,
            Err(row) => return Ok(row),
        }
        if self.file_modified.len() <= file {
            self.file_modified.resize(file + 1, None);
        }
        let latest = &mut self.file_modified[file];
        *latest = (*latest).max(cells.modified);
        let h = self.deal_index.hash(key, self.hint);
        let Some(i) = self.deal_index.get(&self.ingested.tables.deals.id, key, h) else {
            let i = self.new_deal(key) as usize;
            if self.deal_version.len() <= i {
                self.deal_version.resize(i + 1, DealVersion::default());
            }
            self.deal_version[i] = DealVersion::new(line, cells.modified, cells.status_from);
            self.set_deal(i, &cells);
            self.note_account(rec, map, i);
            return Ok(Row::Used);
        };
        let (deal, i) = (i, i as usize);
        let won_file = self.ingested.deal_file.get(i).map_or(file, |&f| f as usize);
        let won = self.deal_version.get(i).copied().unwrap_or_default();
        let won_line = won.line;
        if won_file == file {
            return Ok(if self.same_deal(i, &cells) {
                Row::Duplicate
            } else {
                self.conflict(map, key, (file, won_line))
            });
        }
        let fingerprint = self.fingerprint(key, &cells);
        if let Some(&(older_line, older_fp)) = self.older.get(&(deal, file as u32)) {
            // This file already gave an older version of the deal.
            return Ok(if older_fp == fingerprint {
                Row::Duplicate
            } else {
                self.conflict(map, key, (file, older_line))
            });
        }
        let won_fingerprint = self.stored_fingerprint(i);
        let date = |f: usize| self.file_dates.get(f).copied().flatten();
        let new = VersionKey { modified: cells.modified, date: date(file), file };
        let old = VersionKey { modified: won.modified(), date: date(won_file), file: won_file };
        let (newer, by) = new.newer_than(&old);
        let v = &mut self.versions;
        match by {
            Decider::Modified => v.by_modified = true,
            Decider::FileDate => v.by_file_date = true,
            Decider::Order if fingerprint != won_fingerprint => v.by_order.push(deal),
            Decider::Order => {}
        }
        if !newer {
            self.older.insert((deal, file as u32), (line, fingerprint));
            return Ok(Row::Duplicate);
        }
        // The version read before is an older one after all: its row moves from used to
        // duplicate in its own file, and every deal column takes the newer version.
        let moved = self.ingested.ledger.files.get_mut(won_file).and_then(|f| f.used_to_duplicate());
        if moved.is_none() {
            let name = self.ingested.ledger.files.get(won_file).map_or("?", |f| f.path.as_str());
            return Err(Error::Compute(format!(
                "{name}: an older version of deal {key:?} was not booked as used (a bug: please report it)"
            )));
        }
        self.older.insert((deal, won_file as u32), (won_line, won_fingerprint));
        if let Some(v) = self.deal_version.get_mut(i) {
            *v = DealVersion::new(line, cells.modified, cells.status_from);
        }
        if let Some(f) = self.ingested.deal_file.get_mut(i) {
            *f = file as u32;
        }
        self.set_deal(i, &cells);
        self.note_account(rec, map, i);
        Ok(Row::Used)
    }

    /// Keeps an opportunity's account (Salesforce `AccountId`), for account-linked tasks.
    fn note_account(&mut self, rec: Rec<'_>, map: &ColumnMap, i: usize) {
        if let Some(account) = Self::cell(rec, map, Field::AccountId) {
            self.deal_account.insert(i as u32, account.to_owned());
        }
    }

    /// What the versions came to: per file, its older versions and the files that hold
    /// the newer ones; the snapshot files; the deals not in the newest of them.
    fn sum_up_versions(&mut self) {
        let nfiles = self.ingested.ledger.files.len();
        let v = &mut self.versions;
        v.older = vec![0; nfiles];
        v.newer_in = vec![Default::default(); nfiles];
        let mut deals = rustc_hash::FxHashSet::default();
        let from_files = self.deals_files_done.unwrap_or(0);
        let deal_file = &self.ingested.deal_file;
        for &(deal, file) in self.older.keys() {
            let (f, d) = (file as usize, deal as usize);
            let Some(won) = deal_file.get(d).filter(|_| d < from_files).map(|&w| w as usize) else { continue };
            if let (Some(n), Some(s)) = (v.older.get_mut(f), v.newer_in.get_mut(f)) {
                *n += 1;
                s.insert(won);
            }
            v.files.insert(f);
            v.files.insert(won);
            deals.insert(deal);
        }
        v.deals = deals.len();
        v.by_order.sort_unstable();
        v.by_order.dedup();
        // The newest snapshot: by its export date, then its latest last-modified time,
        // then the file given last.
        let rank =
            |f: usize| (self.file_dates.get(f).copied().flatten(), self.file_modified.get(f).copied().flatten(), f);
        let Some(newest) = v.files.iter().copied().max_by_key(|&f| rank(f)) else { return };
        for (d, &won) in deal_file.iter().enumerate().take(from_files) {
            let won = won as usize;
            if won != newest && v.files.contains(&won) && !self.older.contains_key(&(d as u32, newest as u32)) {
                v.only_in_older.push(d as u32);
            }
        }
    }

    /// Counts which source decided a deal of file `file` (`inputs[].status_from`).
    pub(super) fn count_status_from(&mut self, file: usize, from: StatusFrom) {
        if let Some(f) = self.ingested.ledger.files.get_mut(file) {
            f.status_from.get_or_insert_with(Default::default).add(from);
        }
    }

    /// The deals files are read (they come first): counts who decided each of their
    /// deals (its winning version, in that version's file), frees their versions, and
    /// gives back the room the deal columns reserved beyond their rows and text.
    pub(super) fn end_deals_files(&mut self) {
        if self.deals_files_done.is_some() {
            return;
        }
        let versions = std::mem::take(&mut self.deal_version);
        for (i, v) in versions.iter().enumerate() {
            let file = self.ingested.deal_file.get(i).map_or(0, |&f| f as usize);
            self.count_status_from(file, v.status_from);
        }
        self.deals_files_done = Some(versions.len());
        let d = &mut self.ingested.tables.deals;
        d.id.shrink_to_fit();
        d.name.shrink_to_fit();
    }

    pub(super) fn finish(mut self) -> Result<Ingested> {
        self.end_deals_files();
        let from_files = self.deals_files_done.unwrap_or(0);
        let log_deals = std::mem::take(&mut self.log_deals);
        for (i, acc) in log_deals.iter() {
            if (i as usize) < from_files {
                continue; // a deals file defined it: its columns win
            }
            let mut cells = DealCells {
                name: acc.name,
                stage: acc.stage,
                status: acc.status.map(|(s, _)| s),
                status_from: acc.status.map_or(StatusFrom::Stage, |(_, from)| from),
                amount: acc.amount,
                currency: acc.currency,
                created: acc.created.or(acc.first_row_at),
                closed: acc.closed,
                cadence: acc.cadence,
                owner: acc.owner,
                touch_count: acc.touch_count,
                modified: None,
            };
            if cells.closed.is_none() && self.status(cells.status, cells.stage.unwrap_or("")) != Status::Open {
                cells.closed = acc.first_closed_row_at;
            }
            self.set_deal(i as usize, &cells);
            let file = self.ingested.deal_file.get(i as usize).map_or(0, |&f| f as usize);
            self.count_status_from(file, cells.status_from);
        }
        drop(log_deals);
        self.link_account_touches();
        self.sum_up_versions();
        self.ingested.versions = std::mem::take(&mut self.versions);
        self.ingested.tables.deals.shrink_to_fit();
        self.ingested.tables.touches.shrink_to_fit();
        self.ingested.touch_detail.shrink_to_fit();
        self.ingested.deal_file.shrink_to_fit();
        if self.text_full {
            return Err(crate::model::StrCol::full_error());
        }
        Ok(self.ingested)
    }

    /// Links each Salesforce activity logged on an account to that account's only
    /// opportunity open on the activity's day (created on or before it, and still open
    /// or closed on or after it: ISSUE10.md decision 11); with none or several, the
    /// activity is counted as linked to no deal.
    fn link_account_touches(&mut self) {
        if self.account_touches.is_empty() {
            return;
        }
        let mut by_account: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
        for (deal, account) in &self.deal_account {
            by_account.entry(account.as_str()).or_default().push(*deal);
        }
        let deals = &self.ingested.tables.deals;
        let day = |t: i64| t.div_euclid(86_400);
        let mut links: Vec<(usize, Option<u32>)> = Vec::with_capacity(self.account_touches.len());
        for (k, (account, _, touch)) in self.account_touches.iter().enumerate() {
            let d = day(touch.at);
            let open: Vec<u32> = by_account
                .get(account.as_str())
                .map(|list| {
                    list.iter()
                        .copied()
                        .filter(|&i| {
                            let i = i as usize;
                            let created = deals.created_at.get(i).is_none_or(|c| day(c) <= d);
                            let still_open =
                                deals.status[i] == Status::Open || deals.closed_at.get(i).is_none_or(|c| day(c) >= d);
                            created && still_open
                        })
                        .collect()
                })
                .unwrap_or_default();
            links.push((k, if open.len() == 1 { open.first().copied() } else { None }));
        }
        let touches = std::mem::take(&mut self.account_touches);
        for ((_, file, touch), (_, link)) in touches.iter().zip(links) {
            match link {
                Some(deal) => {
                    self.push_touch(deal, touch);
                    self.ingested.ledger.linked_by_account += 1;
                    if let Some(f) = self.ingested.ledger.files.get_mut(*file) {
                        f.linked_by_account += 1;
                    }
                }
                None => self.ingested.ledger.unlinked += 1,
            }
        }
    }
}
