//! The deal columns of a follow-up log: each deal's name, stage, amount… come from its
//! latest row (by time, then input order) that fills them (docs/decisions.md).
//!
//! A log names every deal on each of its rows, so a million-deal log keeps a million
//! of these accumulators until its last row is read: they are kept small (issue 12).
//! The text of low-cardinality cells (stage, currency, cadence, owner, an amount's
//! currency symbol) is interned in a table of the log's own, names are kept end to end
//! in one buffer, and the accumulators sit in a vector indexed by deal.

use super::build::{DealCells, StatusFrom};
use crate::error::Result;
use crate::model::{Interner, Status, StrCol};

/// A value with the (time, seq) key of the log row that gave it; the latest wins.
/// Flat (no nested tuple) so that a slot of a 4-byte value takes 16 bytes.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Slot<T> {
    at: i64,
    seq: u32,
    pub(super) value: T,
}

impl<T> Slot<T> {
    fn key(&self) -> (i64, u32) {
        (self.at, self.seq)
    }
}

/// Which slots of a [`LogDeal`] hold a value (bits of `LogDeal::filled`).
mod bit {
    pub(super) const NAME: u16 = 1;
    pub(super) const STAGE: u16 = 1 << 1;
    pub(super) const STATUS: u16 = 1 << 2;
    pub(super) const AMOUNT: u16 = 1 << 3;
    pub(super) const CURRENCY: u16 = 1 << 4;
    pub(super) const CREATED: u16 = 1 << 5;
    pub(super) const CLOSED: u16 = 1 << 6;
    pub(super) const CADENCE: u16 = 1 << 7;
    pub(super) const OWNER: u16 = 1 << 8;
    pub(super) const TOUCH_COUNT: u16 = 1 << 9;
    pub(super) const FIRST_ROW: u16 = 1 << 10;
    pub(super) const FIRST_CLOSED_ROW: u16 = 1 << 11;
    /// A log row named the deal (the accumulator is in use).
    pub(super) const SEEN: u16 = 1 << 12;
}

/// Deal columns gathered from the rows of a follow-up log (docs/decisions.md). Text is
/// held as an index into [`LogDeals`]' own tables.
#[derive(Debug, Clone, Copy)]
struct LogDeal {
    filled: u16,
    /// The name: its row in [`LogDeals::names`].
    name: Slot<u32>,
    stage: Slot<u32>,
    status: Slot<(Status, StatusFrom)>,
    /// The amount and its currency symbol (interned).
    amount: Slot<(f64, Option<u32>)>,
    currency: Slot<u32>,
    created: Slot<i64>,
    closed: Slot<i64>,
    cadence: Slot<u32>,
    owner: Slot<u32>,
    touch_count: Slot<u32>,
    first_row_at: i64,
    first_closed_row_at: i64,
}

impl Default for LogDeal {
    fn default() -> Self {
        LogDeal {
            filled: 0,
            name: Slot::default(),
            stage: Slot::default(),
            status: Slot { at: 0, seq: 0, value: (Status::Open, StatusFrom::default()) },
            amount: Slot::default(),
            currency: Slot::default(),
            created: Slot::default(),
            closed: Slot::default(),
            cadence: Slot::default(),
            owner: Slot::default(),
            touch_count: Slot::default(),
            first_row_at: 0,
            first_closed_row_at: 0,
        }
    }
}

/// The accumulators of every deal a follow-up log names, by deal index.
#[derive(Debug, Default)]
pub(super) struct LogDeals {
    deals: Vec<LogDeal>,
    /// Stage, currency, cadence, owner and currency-symbol text.
    text: Interner,
    /// Names, end to end; a name equal to the one held is not stored again.
    names: StrCol,
}

/// The deal columns a log gave one deal, as [`DealCells`] take them.
#[derive(Debug, Default)]
pub(super) struct LogCells<'a> {
    pub(super) name: Option<&'a str>,
    pub(super) stage: Option<&'a str>,
    pub(super) status: Option<(Status, StatusFrom)>,
    pub(super) amount: Option<(f64, Option<String>)>,
    pub(super) currency: Option<&'a str>,
    pub(super) created: Option<i64>,
    pub(super) closed: Option<i64>,
    pub(super) cadence: Option<&'a str>,
    pub(super) owner: Option<&'a str>,
    pub(super) touch_count: Option<u32>,
    pub(super) first_row_at: Option<i64>,
    pub(super) first_closed_row_at: Option<i64>,
}

/// Offers `value` at `key` to a slot: it takes it when empty or when `key` is as late
/// as the key it holds or later. Returns whether it took it.
fn offer<T>(filled: &mut u16, which: u16, slot: &mut Slot<T>, key: (i64, u32), value: T) -> bool {
    if *filled & which == 0 || key >= slot.key() {
        *filled |= which;
        *slot = Slot { at: key.0, seq: key.1, value };
        return true;
    }
    false
}

impl LogDeals {
    /// Takes in the deal cells of one log row of deal `deal` at `key` (its time, then
    /// input order): each cell the row fills replaces an earlier row's. `closed` is
    /// whether the row's status or stage says won or lost: the first such row dates the
    /// close when the log has no close date column. An error when the names pass 4 GiB.
    pub(super) fn absorb(
        &mut self,
        deal: u32,
        d: &DealCells<'_>,
        key: (i64, u32),
        at: Option<i64>,
        closed: bool,
    ) -> Result<()> {
        let i = deal as usize;
        if self.deals.len() <= i {
            self.deals.resize(i + 1, LogDeal::default());
        }
        let (text, names) = (&mut self.text, &mut self.names);
        let Some(acc) = self.deals.get_mut(i) else { return Ok(()) };
        acc.filled |= bit::SEEN;
        let f = &mut acc.filled;
        if let Some(v) = d.name {
            if *f & bit::NAME == 0 || key >= acc.name.key() {
                // Rows of a deal mostly repeat its name: it is stored again only when it changes.
                let held = (*f & bit::NAME != 0).then_some(acc.name.value);
                let row = match held {
                    Some(row) if names.get(row as usize) == v => row,
                    _ => {
                        let row = u32::try_from(names.len()).map_err(|_| StrCol::full_error())?;
                        names.push(v)?;
                        row
                    }
                };
                offer(f, bit::NAME, &mut acc.name, key, row);
            }
        }
        let mut interned = |slot: &mut Slot<u32>, which: u16, v: Option<&str>| {
            if let Some(v) = v {
                if *f & which == 0 || key >= slot.key() {
                    let v = text.intern(v);
                    offer(f, which, slot, key, v);
                }
            }
        };
        interned(&mut acc.stage, bit::STAGE, d.stage);
        interned(&mut acc.currency, bit::CURRENCY, d.currency);
        interned(&mut acc.cadence, bit::CADENCE, d.cadence);
        interned(&mut acc.owner, bit::OWNER, d.owner);
        if let Some(v) = d.status {
            offer(f, bit::STATUS, &mut acc.status, key, (v, d.status_from));
        }
        if let Some((v, symbol)) = &d.amount {
            if *f & bit::AMOUNT == 0 || key >= acc.amount.key() {
                let symbol = symbol.as_deref().map(|s| text.intern(s));
                offer(f, bit::AMOUNT, &mut acc.amount, key, (*v, symbol));
            }
        }
        if let Some(v) = d.created {
            offer(f, bit::CREATED, &mut acc.created, key, v);
        }
        if let Some(v) = d.closed {
            offer(f, bit::CLOSED, &mut acc.closed, key, v);
        }
        if let Some(v) = d.touch_count {
            offer(f, bit::TOUCH_COUNT, &mut acc.touch_count, key, v);
        }
        if let Some(t) = at {
            acc.first_row_at = if *f & bit::FIRST_ROW == 0 { t } else { acc.first_row_at.min(t) };
            *f |= bit::FIRST_ROW;
            if (d.status.is_some() || d.stage.is_some()) && closed {
                acc.first_closed_row_at =
                    if *f & bit::FIRST_CLOSED_ROW == 0 { t } else { acc.first_closed_row_at.min(t) };
                *f |= bit::FIRST_CLOSED_ROW;
            }
        }
        Ok(())
    }

    /// Every deal a log row named, by deal index, with what the log gave it.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, LogCells<'_>)> + '_ {
        self.deals.iter().enumerate().filter(|(_, acc)| acc.filled & bit::SEEN != 0).map(|(i, acc)| {
            let has = |which: u16| acc.filled & which != 0;
            let text = |slot: &Slot<u32>, which: u16| has(which).then(|| self.text.get(slot.value));
            let cells = LogCells {
                name: has(bit::NAME).then(|| self.names.get(acc.name.value as usize)),
                stage: text(&acc.stage, bit::STAGE),
                status: has(bit::STATUS).then_some(acc.status.value),
                amount: has(bit::AMOUNT).then(|| {
                    let (v, symbol) = acc.amount.value;
                    (v, symbol.map(|s| self.text.get(s).to_owned()))
                }),
                currency: text(&acc.currency, bit::CURRENCY),
                created: has(bit::CREATED).then_some(acc.created.value),
                closed: has(bit::CLOSED).then_some(acc.closed.value),
                cadence: text(&acc.cadence, bit::CADENCE),
                owner: text(&acc.owner, bit::OWNER),
                touch_count: has(bit::TOUCH_COUNT).then_some(acc.touch_count.value),
                first_row_at: has(bit::FIRST_ROW).then_some(acc.first_row_at),
                first_closed_row_at: has(bit::FIRST_CLOSED_ROW).then_some(acc.first_closed_row_at),
            };
            (i as u32, cells)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells<'a>(
        name: Option<&'a str>,
        stage: Option<&'a str>,
        amount: Option<(f64, Option<String>)>,
    ) -> DealCells<'a> {
        DealCells { name, stage, amount, ..Default::default() }
    }

    #[test]
    fn the_latest_row_that_fills_a_cell_wins_whatever_the_reading_order() {
        let mut log = LogDeals::default();
        log.absorb(2, &cells(Some("Acme"), Some("Open"), None), (100, 1), Some(100), false).unwrap();
        // An older row: only fills what is still empty.
        log.absorb(2, &cells(Some("Acme old"), Some("Lead"), Some((5.0, None))), (50, 2), Some(50), false).unwrap();
        // A newer row renames the deal; an equal key later in input order wins too.
        log.absorb(2, &cells(Some("Acme Ltd"), None, None), (200, 3), Some(200), false).unwrap();
        log.absorb(2, &cells(None, Some("Won"), Some((7.0, Some("€".into())))), (200, 3), Some(200), true).unwrap();
        log.absorb(0, &cells(None, None, None), (10, 4), None, false).unwrap();
        let got: Vec<_> = log.iter().collect();
        assert_eq!(got.len(), 2, "deal 1 was never named");
        let (i, c) = &got[0];
        assert_eq!((*i, c.name, c.stage, c.first_row_at), (0, None, None, None));
        let (i, c) = &got[1];
        assert_eq!((*i, c.name, c.stage), (2, Some("Acme Ltd"), Some("Won")));
        assert_eq!(c.amount, Some((7.0, Some("€".to_owned()))));
        assert_eq!((c.first_row_at, c.first_closed_row_at), (Some(50), Some(200)));
        assert_eq!(log.names.len(), 2, "only names that won are stored");
    }
}
