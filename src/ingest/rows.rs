//! Rows: one record's cells to a deal or to touches — deal cells checked and parsed,
//! won/lost decided, a touch's deal(s), time, direction, channel and event.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use super::build::{reject, Builder, DealCells, Row, StatusFrom};

use super::cells::{self, CellError, ChannelCell};
use super::classify::classify;
use super::formats::{self, ColumnMap, Field, FormatId, FormatSpec};
use super::records::{Rec, RecordBuf};
use super::values::ValueKind;
use super::RejectKind;
use crate::model::{Channel, Direction, Event, Status};

/// The cells of a touch row, parsed and checked.
struct TouchCells<'r> {
    /// The deal cells, for a follow-up log row.
    deal: Option<DealCells<'r>>,
    /// `None` only for a log row without a date (it still carries deal cells).
    at: Option<i64>,
    direction: Direction,
    channel: ChannelCell,
    outcome: &'r str,
    subject: &'r str,
    /// False for an activity that did not take place yet (planned); true when the row
    /// has no done column.
    done: bool,
    /// The activity's own id (Pipedrive, Salesforce), if the row has one.
    id: Option<&'r str>,
}

/// One touch, as pushed for each deal its row names.
#[derive(Debug, Clone)]
pub(super) struct Touch {
    pub(super) at: i64,
    seq: u32,
    channel: Channel,
    direction: Direction,
    event: Event,
    cadence: u32,
    owner: u32,
    detail: u64,
}

/// The date columns [`Ahead`] reads.
const AHEAD_DATES: [Field; 6] =
    [Field::At, Field::CreatedAt, Field::ClosedAt, Field::WonAt, Field::LostAt, Field::LastModified];

/// Cells of a record parsed on the reader thread, ahead of the row thread (issue 12):
/// its dates and a plain amount. Each is a pure function of its cell and the options,
/// so the row thread takes it instead of parsing the cell again; a cell that is empty
/// or unreadable here is parsed again there, which gives its error. The reader thread
/// had time to spare; the low-cardinality cells (channel, direction, outcome) stay on
/// the row thread: their cached lookups cost the reader more than they saved the row
/// thread (measured in two rounds: see docs/decisions.md, "Records without the csv
/// crate's buffer").
///
/// The row thread reads them where the reader thread wrote them: the batch's buffer is
/// lent to it for the batch, and each row names its place (a copy of a record's values
/// for each row cost more than some of the parsing it saved).
#[derive(Debug, Default)]
pub(super) struct Ahead {
    buf: AheadBuf,
    /// For each of [`AHEAD_DATES`], its place among a record's dates, if the file has it.
    places: [Option<usize>; AHEAD_DATES.len()],
    /// Dates per record.
    per_record: usize,
    /// The record of the batch being read, if its cells were read ahead.
    row: Option<usize>,
}

/// What a file's reader thread reads ahead: the date columns its map has (each as its
/// place in [`AHEAD_DATES`] and its column) and its amount column.
#[derive(Debug, Clone)]
pub(super) struct AheadPlan {
    dates: Vec<(usize, usize)>,
    amount: Option<usize>,
    day_first: bool,
    tz: Option<chrono_tz::Tz>,
}

/// The cells of a batch's records read ahead, kept small for the trip between threads:
/// per record, one value for each date column of the file (and its amount, if mapped).
#[derive(Debug, Default)]
pub(super) struct AheadBuf {
    dates: Vec<Option<i64>>,
    amounts: Vec<Option<f64>>,
}

impl AheadPlan {
    /// The plan for a file of this column map, with `--day-first` and `--timezone`.
    pub(super) fn new(map: &ColumnMap, day_first: bool, tz: Option<chrono_tz::Tz>) -> Self {
        let dates = AHEAD_DATES.iter().enumerate().filter_map(|(slot, &f)| Some((slot, map.get(f)?))).collect();
        AheadPlan { dates, amount: map.get(Field::Amount), day_first, tz }
    }

    /// Reads ahead the cells of every record of `recs` into `out`.
    pub(super) fn read(&self, recs: &RecordBuf, out: &mut AheadBuf) {
        out.dates.clear();
        out.amounts.clear();
        for rec in recs.iter() {
            // As [`Builder::cell`] reads them.
            let cell = |col: usize| rec.get(col).map(cells::trim_cell).filter(|s| !s.is_empty());
            for &(_, col) in &self.dates {
                out.dates.push(cell(col).and_then(|s| cells::parse_datetime_in(s, self.day_first, self.tz).ok()));
            }
            if let Some(col) = self.amount {
                out.amounts.push(cell(col).and_then(|s| match cells::parse_amount(s) {
                    Ok(Some((v, None))) => Some(v),
                    _ => None,
                }));
            }
        }
    }
}

impl Ahead {
    /// Ready for the rows of a file read with `plan` (no row yet).
    pub(super) fn start(&mut self, plan: &AheadPlan) {
        self.places = [None; AHEAD_DATES.len()];
        for (place, &(slot, _)) in plan.dates.iter().enumerate() {
            if let Some(p) = self.places.get_mut(slot) {
                *p = Some(place);
            }
        }
        self.per_record = plan.dates.len();
        self.row = None;
    }

    /// Swaps the batch's buffer with the one held (lent for the batch, then given back).
    pub(super) fn swap(&mut self, buf: &mut AheadBuf) {
        std::mem::swap(&mut self.buf, buf);
        self.row = None;
    }

    /// Sets the record whose cells are read next (`None`: a record not read ahead).
    pub(super) fn set_row(&mut self, row: Option<usize>) {
        self.row = row;
    }

    /// Date column `f` of the row, if it was read ahead.
    fn date(&self, f: Field) -> Option<i64> {
        let row = self.row?;
        let place = AHEAD_DATES.iter().position(|&d| d == f).and_then(|slot| *self.places.get(slot)?)?;
        *self.buf.dates.get(row.checked_mul(self.per_record)?.checked_add(place)?)?
    }

    /// The row's plain amount, if it was read ahead.
    fn amount(&self) -> Option<f64> {
        *self.buf.amounts.get(self.row?)?
    }
}

impl Builder<'_> {
    /// Date column `f` of a row: `None` when empty, rejected when unreadable.
    pub(super) fn date_cell(&self, rec: Rec<'_>, map: &ColumnMap, f: Field) -> Result<Option<i64>, Row> {
        let Some(s) = Self::cell(rec, map, f) else { return Ok(None) };
        if let Some(t) = self.ahead.date(f) {
            return Ok(Some(t));
        }
        cells::parse_datetime_in(s, self.cfg.day_first, self.cfg.timezone)
            .map(Some)
            .map_err(|e| reject(map.get(f), s, e))
    }

    pub(super) fn cell<'r>(rec: Rec<'r>, map: &ColumnMap, f: Field) -> Option<&'r str> {
        map.get(f).and_then(|i| rec.get(i)).map(cells::trim_cell).filter(|s| !s.is_empty())
    }

    /// Reads and checks the deal columns of a row.
    pub(super) fn deal_cells<'r>(&self, rec: Rec<'r>, map: &ColumnMap) -> Result<DealCells<'r>, Row> {
        let c = |f| Self::cell(rec, map, f);
        let col = |f| map.get(f);
        let mut d = DealCells {
            name: c(Field::Name),
            stage: c(Field::Stage),
            currency: c(Field::Currency),
            cadence: c(Field::Cadence),
            owner: c(Field::Owner),
            ..Default::default()
        };
        // Who decides won and lost (SPEC §2), first match wins: the user's words for the
        // stage (--won-stage / --lost-stage, a map's [status] entry), the status column,
        // the won / lost / closed flags, the stage probability, the stage label. Every
        // cell present is still checked, whichever source decides.
        let mut column = None;
        if let Some(s) = c(Field::Status) {
            let word = map.value(ValueKind::Status, s).unwrap_or(s);
            column = Some(cells::parse_status(word).ok_or_else(|| Row::Rejected {
                column: col(Field::Status),
                value: s.to_owned(),
                reason: format!("unknown status {s:?}: expected won, lost or open"),
                kind: RejectKind::UnknownStatus,
            })?);
        }
        let flags = Self::status_from_flags(rec, map)?;
        let probability = match d.stage {
            // The probability is the stage's: with no stage it is a default, not a verdict.
            Some(_) => Self::status_from_probability(rec, map)?,
            None => None,
        };
        let user = d.stage.and_then(|st| self.user_status(st, map));
        (d.status, d.status_from) = match (user, column, flags, probability) {
            (Some(s), ..) => (Some(s), StatusFrom::User),
            (None, Some(s), ..) => (Some(s), StatusFrom::Status),
            (None, None, Some(s), _) => (Some(s), StatusFrom::Flags),
            (None, None, None, Some(s)) => (Some(s), StatusFrom::Probability),
            (None, None, None, None) => (None, StatusFrom::Stage),
        };
        if let Some(s) = c(Field::Amount) {
            d.amount = match self.ahead.amount() {
                Some(v) => Some((v, None)),
                None => cells::parse_amount(s).map_err(|e| reject(col(Field::Amount), s, e))?,
            };
        }
        let date = |f: Field| self.date_cell(rec, map, f);
        d.created = date(Field::CreatedAt)?;
        d.closed = date(Field::ClosedAt)?;
        let (won_at, lost_at) = (date(Field::WonAt)?, date(Field::LostAt)?);
        let status = self.status(d.status, d.stage.unwrap_or(""));
        if status == Status::Open && map.has(Field::ClosedFlag) {
            // Salesforce's CloseDate is the expected date while the opportunity is open.
            d.closed = None;
        }
        if d.closed.is_none() {
            // Pipedrive: the won or lost time where "Deal closed on" is empty or missing.
            d.closed = match status {
                Status::Won => won_at,
                Status::Lost => lost_at,
                Status::Open => None,
            };
        }
        if let Some(s) = c(Field::TouchCount) {
            d.touch_count = cells::parse_count(s).map_err(|e| reject(col(Field::TouchCount), s, e))?;
        }
        if let Some(cur) = d.currency {
            if cur.len() != 3 || !cur.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Row::Rejected {
                    column: col(Field::Currency),
                    value: cur.to_owned(),
                    reason: format!("unknown currency {cur:?}: expected an ISO code such as USD, EUR or GBP"),
                    kind: RejectKind::UnknownCurrency,
                });
            }
        }
        Ok(d)
    }

    /// Status from the won / lost / closed flags (HubSpot "Is Closed Won" / "Is closed
    /// lost", Salesforce `IsWon` / `IsClosed` as true / false, 1 / 0 or 1 / empty);
    /// `None` when the row has none. Closed and not won is lost; where the file has a
    /// closed flag, an empty one is open (Salesforce writes `1` or nothing).
    pub(super) fn status_from_flags(rec: Rec<'_>, map: &ColumnMap) -> Result<Option<Status>, Row> {
        let flag = |f: Field| -> Result<Option<bool>, Row> {
            match Self::cell(rec, map, f) {
                None => Ok(None),
                Some(v) => cells::parse_bool(v).map(Some).map_err(|e| reject(map.get(f), v, e)),
            }
        };
        let (won, lost, closed) = (flag(Field::WonFlag)?, flag(Field::LostFlag)?, flag(Field::ClosedFlag)?);
        if map.has(Field::ClosedFlag) {
            return Ok(Some(match (won, lost, closed) {
                (Some(true), ..) => Status::Won,
                (_, Some(true), _) | (_, _, Some(true)) => Status::Lost,
                _ => Status::Open,
            }));
        }
        if won.is_some() || lost.is_some() {
            return Ok(Some(match (won, lost) {
                (Some(true), _) => Status::Won,
                (_, Some(true)) => Status::Lost,
                _ => Status::Open,
            }));
        }
        Ok(None)
    }

    /// Status from a stage probability (HubSpot): 1.0 won, 0.0 lost, else open; `None`
    /// when the row has none.
    pub(super) fn status_from_probability(rec: Rec<'_>, map: &ColumnMap) -> Result<Option<Status>, Row> {
        match Self::cell(rec, map, Field::Probability) {
            None => Ok(None),
            Some(v) => match cells::parse_amount(v) {
                Ok(Some((p, None))) if p == 1.0 || p == 100.0 => Ok(Some(Status::Won)),
                Ok(Some((0.0, None))) => Ok(Some(Status::Lost)),
                Ok(Some((_, None))) => Ok(Some(Status::Open)),
                _ => Err(Row::Rejected {
                    column: map.get(Field::Probability),
                    value: v.to_owned(),
                    reason: format!("unreadable probability {v:?}: expected a number such as 0.4"),
                    kind: RejectKind::UnreadableProbability,
                }),
            },
        }
    }

    /// The status the user gave a stage: `--won-stage` / `--lost-stage` (exact names,
    /// case-insensitive), else a `--map` [status] entry for it.
    fn user_status(&self, stage: &str, map: &ColumnMap) -> Option<Status> {
        let stage = stage.trim();
        let named = |list: &[String]| list.iter().any(|w| w.eq_ignore_ascii_case(stage) || *w == stage.to_lowercase());
        if named(&self.cfg.won_stages) {
            Some(Status::Won)
        } else if named(&self.cfg.lost_stages) {
            Some(Status::Lost)
        } else {
            map.value(ValueKind::Status, stage).and_then(cells::parse_status)
        }
    }

    /// [`Builder::deal_key`] of the row being read, as the reader thread found it where
    /// it did (the same function of the same record).
    pub(super) fn row_key<'r>(&self, rec: Rec<'r>, map: &ColumnMap) -> Result<&'r str, Row> {
        match self.hint.and_then(|h| h.key_in(rec)) {
            Some(key) => Ok(key),
            None => Self::deal_key(rec, map),
        }
    }

    /// The deal key of a row: the deal id column, else the name.
    pub(super) fn deal_key<'r>(rec: Rec<'r>, map: &ColumnMap) -> Result<&'r str, Row> {
        let col = map.get(Field::DealId).or(map.get(Field::Name));
        let raw = col.and_then(|i| rec.get(i)).unwrap_or("");
        cells::parse_id(raw).map_err(|e| match e {
            CellError::Empty => Row::Rejected {
                column: col,
                value: String::new(),
                reason: "no deal id or deal name: every row needs the deal it belongs to".into(),
                kind: RejectKind::NoDealId,
            },
            e => reject(col, raw, e),
        })
    }

    /// Status of a deal from its status cell or, failing that, its stage.
    pub(super) fn status(&self, status: Option<Status>, stage: &str) -> Status {
        if let Some(s) = status {
            return s;
        }
        let named = |list: &[String]| {
            list.iter().any(|w| w.eq_ignore_ascii_case(stage.trim()) || *w == stage.trim().to_lowercase())
        };
        if !self.cfg.won_stages.is_empty() && named(&self.cfg.won_stages) {
            Status::Won
        } else if !self.cfg.lost_stages.is_empty() && named(&self.cfg.lost_stages) {
            Status::Lost
        } else {
            cells::status_from_stage(stage)
        }
    }

    /// The deal key(s) of a touch row: one key, or several `;`-separated ids (HubSpot
    /// associations; only ids columns are split, names may contain `;`). One row listing
    /// a deal twice is one touch of that deal.
    fn touch_keys<'r>(&self, rec: Rec<'r>, map: &ColumnMap) -> Result<Few<&'r str>, Row> {
        let Some(col) = map.get(Field::DealIds) else { return self.row_key(rec, map).map(Few::One) };
        let cell = rec.get(col).unwrap_or("");
        let mut keys: Vec<&str> = Vec::with_capacity(1);
        for id in cell.split(';').map(cells::trim_cell).filter(|s| !s.is_empty()) {
            keys.push(cells::parse_id(id).map_err(|e| reject(Some(col), cell, e))?);
        }
        if keys.len() > 1 {
            let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(keys.len(), Default::default());
            keys.retain(|k| seen.insert(*k));
        }
        Ok(Few::Many(keys))
    }

    /// The touch cells of a row, parsed and checked (the deal cells of a log row too).
    fn touch_cells<'r>(
        &mut self,
        rec: Rec<'r>,
        spec: &FormatSpec,
        map: &'r ColumnMap,
        is_log: bool,
    ) -> Result<TouchCells<'r>, Row> {
        let deal = if is_log { Some(self.deal_cells(rec, map)?) } else { None };
        let at_col = map.get(Field::At);
        let at_raw = cells::trim_cell(at_col.and_then(|i| rec.get(i)).unwrap_or(""));
        let at = if at_raw.is_empty() && is_log {
            None
        } else if let Some(time) = Self::cell(rec, map, Field::Time).filter(|_| !at_raw.contains(':')) {
            // Pipedrive: the due date, at the due time (an empty due time: start of day).
            // A date cell that already holds its time keeps it.
            let joined = format!("{at_raw} {time}");
            Some(cells::parse_datetime_in(&joined, self.cfg.day_first, self.cfg.timezone).map_err(
                |e| match at_raw {
                    "" => reject(at_col, at_raw, e),
                    _ => reject(map.get(Field::Time), time, e),
                },
            )?)
        } else {
            match self.ahead.date(Field::At) {
                Some(t) => Some(t),
                None => Some(
                    cells::parse_datetime_in(at_raw, self.cfg.day_first, self.cfg.timezone)
                        .map_err(|e| reject(at_col, at_raw, e))?,
                ),
            }
        };
        let done = match Self::cell(rec, map, Field::Done) {
            None => true,
            Some(raw) => cells::parse_done(raw).map_err(|e| reject(map.get(Field::Done), raw, e))?,
        };
        let id = Self::cell(rec, map, Field::ActivityId);
        let direction = match Self::cell(rec, map, Field::Direction) {
            None => Direction::Outbound,
            Some(raw) => self
                .directions
                .get(map.value(ValueKind::Direction, raw).unwrap_or(raw), cells::parse_direction)
                .map_err(|e| reject(map.get(Field::Direction), raw, e))?,
        };
        let channel = match spec.channel {
            Some(formats::ChannelOf::Touch(c)) => ChannelCell::Touch(c),
            Some(formats::ChannelOf::NotATouch) => ChannelCell::NotATouch,
            None => Self::cell(rec, map, Field::Channel).map_or(ChannelCell::Touch(Channel::Other), |raw| {
                self.channels.get(map.value(ValueKind::Channel, raw).unwrap_or(raw), cells::parse_channel)
            }),
        };
        let outcome =
            Self::cell(rec, map, Field::Outcome).map_or("", |raw| map.value(ValueKind::Outcome, raw).unwrap_or(raw));
        let subject = Self::cell(rec, map, Field::Subject).unwrap_or("");
        Ok(TouchCells { deal, at, direction, channel, outcome, subject, done, id })
    }

    /// The deals a touch row names, found (or made, where no deals file defines them);
    /// rejected when none of them is in the deals file(s).
    fn touch_deals(&mut self, keys: &[&str], map: &ColumnMap, is_log: bool) -> Result<Few<u32>, Row> {
        let mut row_deals = Few::None;
        let mut missing: Vec<&str> = Vec::new();
        for key in keys {
            // Exports usually list a deal's touches together: remember the last deal.
            let memo = self.last_deal.filter(|&d| self.ingested.tables.deals.id.get(d as usize) == *key);
            let found = memo.or_else(|| {
                let h = self.deal_index.hash(key, self.hint);
                self.deal_index.get(&self.ingested.tables.deals.id, key, h)
            });
            match found {
                Some(i) => row_deals.push(i),
                None if self.have_deal_files && !is_log => missing.push(key),
                None => row_deals.push(self.new_deal(key)),
            }
        }
        if row_deals.as_slice().is_empty() {
            return Err(Row::Rejected {
                column: map.get(Field::DealIds).or(map.get(Field::DealId)).or(map.get(Field::Name)),
                value: keys.join(";"),
                reason: format!(
                    "no deal {} in the deals file(s): give the deals export that holds it",
                    missing.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ")
                ),
                kind: RejectKind::UnknownDeal,
            });
        }
        Ok(row_deals)
    }

    pub(super) fn touch_row(&mut self, rec: Rec<'_>, spec: &FormatSpec, map: &ColumnMap, is_log: bool) -> Row {
        let (keys, t) = match self.touch_keys(rec, map).and_then(|k| Ok((k, self.touch_cells(rec, spec, map, is_log)?)))
        {
            Ok(v) => v,
            Err(row) => return row,
        };
        // Every cell is valid: from here on the row is used (or a duplicate).
        if t.id.is_some_and(|id| self.activity_ids.contains(id)) {
            // The same activity again (overlapping exports, a repeated API page): a
            // duplicate, whichever file holds it (ISSUE10.md decision 8). Only ids of
            // rows used count: a rejected copy does not make the next one a duplicate.
            return Row::Duplicate;
        }
        let account = match (spec.id, keys.as_slice()) {
            (FormatId::SalesforceTasks | FormatId::SalesforceEvents, [key]) if is_account_id(key) => Some(*key),
            _ => None,
        };
        let keys = keys.as_slice();
        if keys.is_empty() {
            // An activity linked to no deal is no deal's touch: counted, not used.
            self.remember_activity(t.id);
            self.ingested.ledger.unlinked += 1;
            return Row::Used;
        }
        let row_deals = match account {
            Some(_) => Few::None,
            None => match self.touch_deals(keys, map, is_log) {
                Ok(d) => d,
                Err(row) => return row,
            },
        };
        self.remember_activity(t.id);
        let seq = self.seq;
        if let Some(&deal) = row_deals.as_slice().first() {
            self.last_deal = Some(deal);
            if let Some(d) = &t.deal {
                let closed = self.status(d.status, d.stage.unwrap_or("")) != Status::Open;
                let key = (t.at.unwrap_or(i64::MIN), seq);
                // A failed absorb (names past 4 GiB) stops the run at the end of the row.
                self.text_full |= self.log_deals.absorb(deal, d, key, t.at, closed).is_err();
            }
        }
        if !t.done {
            // Planned, not done: used, never a touch, its date moves nothing.
            self.ingested.ledger.planned += 1;
            if let Some(f) = self.ingested.ledger.files.get_mut(self.file) {
                f.planned += 1;
            }
            return Row::Used;
        }
        let Some(at) = t.at else { return Row::Used };
        let ChannelCell::Touch(channel) = t.channel else {
            self.ingested.ledger.notes_and_tasks += 1;
            return Row::Used;
        };
        let (class, known, outcome_hash) = self.outcomes.get(t.outcome, |o| {
            let (class, known) = cells::classify_outcome(o);
            let mut h = FxHasher::default();
            o.to_lowercase().hash(&mut h);
            (class, known, h.finish())
        });
        let ledger = &mut self.ingested.ledger;
        if !known {
            *ledger.unknown_outcomes.entry(t.outcome.to_owned()).or_default() += 1;
        }
        let auto_subject = t.outcome.is_empty() && cells::is_auto_reply_subject(t.subject);
        let Some(event) = classify(class, channel, t.direction, auto_subject) else {
            ledger.bounced += 1;
            return Row::Used;
        };
        match event {
            Event::AutoReply => ledger.automatic_replies += 1,
            Event::OptOut => ledger.opt_outs += 1,
            _ => {}
        }
        let mut h = FxHasher::default();
        outcome_hash.hash(&mut h);
        t.subject.hash(&mut h);
        // Two activities with different ids are never duplicates of each other (two
        // calls the same day).
        t.id.hash(&mut h);
        let deals = &mut self.ingested.tables.deals;
        let cadence = Self::cell(rec, map, Field::Cadence).map_or(0, |c| deals.text.intern(c));
        let owner = Self::cell(rec, map, Field::Owner).map_or(0, |o| deals.text.intern(o));
        let touch = Touch { at, seq, channel, direction: t.direction, event, cadence, owner, detail: h.finish() };
        if let Some(account) = account {
            // Linked (or not) once every opportunity is known: Builder::finish.
            self.account_touches.push((account.to_owned(), self.file, touch));
            return Row::Used;
        }
        for &deal in row_deals.as_slice() {
            self.push_touch(deal, &touch);
        }
        Row::Used
    }

    /// Notes the id of an activity that is used (see the duplicate rule in touch_row).
    fn remember_activity(&mut self, id: Option<&str>) {
        if let Some(id) = id {
            self.activity_ids.insert(id.to_owned());
        }
    }

    pub(super) fn push_touch(&mut self, deal: u32, x: &Touch) {
        let t = &mut self.ingested.tables.touches;
        t.deal.push(deal);
        t.at.push(x.at);
        t.seq.push(x.seq);
        t.channel.push(x.channel);
        t.direction.push(x.direction);
        t.event.push(x.event);
        t.cadence.push(x.cadence);
        t.owner.push(x.owner);
        self.ingested.touch_detail.push(x.detail);
    }
}

/// None, one or several of a row's deal keys or deals: almost always one, which is not
/// allocated (issue 12: two allocations a touch row were ~4% of the row thread).
#[derive(Debug, Default)]
enum Few<T> {
    #[default]
    None,
    One(T),
    Many(Vec<T>),
}

impl<T> Few<T> {
    fn as_slice(&self) -> &[T] {
        match self {
            Few::None => &[],
            Few::One(x) => std::slice::from_ref(x),
            Few::Many(v) => v,
        }
    }

    fn push(&mut self, x: T) {
        *self = match std::mem::take(self) {
            Few::None => Few::One(x),
            Few::One(first) => Few::Many(vec![first, x]),
            Few::Many(mut v) => {
                v.push(x);
                Few::Many(v)
            }
        };
    }
}

/// True for a Salesforce account id (`001…`, 15 or 18 characters).
fn is_account_id(id: &str) -> bool {
    id.starts_with("001") && matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}
