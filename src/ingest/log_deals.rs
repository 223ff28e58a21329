//! The deal columns of a follow-up log: each deal's name, stage, amount… come from its
//! latest row (by time, then input order) that fills them (docs/decisions.md).

use super::build::{DealCells, StatusFrom};
use crate::model::Status;

/// A value with the (time, seq) key of the log row that gave it; the latest wins.
pub(super) type Slot<T> = Option<((i64, u32), T)>;

fn offer<T>(slot: &mut Slot<T>, key: (i64, u32), v: T) {
    if slot.as_ref().is_none_or(|(k, _)| key >= *k) {
        *slot = Some((key, v));
    }
}

/// Deal columns gathered from the rows of a follow-up log (docs/decisions.md).
#[derive(Debug, Default)]
pub(super) struct LogDeal {
    pub(super) name: Slot<String>,
    pub(super) stage: Slot<String>,
    pub(super) status: Slot<(Status, StatusFrom)>,
    pub(super) amount: Slot<(f64, Option<String>)>,
    pub(super) currency: Slot<String>,
    pub(super) created: Slot<i64>,
    pub(super) closed: Slot<i64>,
    pub(super) cadence: Slot<String>,
    pub(super) owner: Slot<String>,
    pub(super) touch_count: Slot<u32>,
    pub(super) first_row_at: Option<i64>,
    pub(super) first_closed_row_at: Option<i64>,
}

impl LogDeal {
    /// Takes in the deal cells of one log row at `key` (its time, then input order):
    /// each cell the row fills replaces an earlier row's. `closed` is whether the row's
    /// status or stage says won or lost: the first such row dates the close when the log
    /// has no close date column.
    pub(super) fn absorb(&mut self, d: &DealCells<'_>, key: (i64, u32), at: Option<i64>, closed: bool) {
        let text = |slot: &mut Slot<String>, v: Option<&str>| {
            if let Some(v) = v {
                offer(slot, key, v.to_owned());
            }
        };
        text(&mut self.name, d.name);
        text(&mut self.stage, d.stage);
        text(&mut self.currency, d.currency);
        text(&mut self.cadence, d.cadence);
        text(&mut self.owner, d.owner);
        if let Some(v) = d.status {
            offer(&mut self.status, key, (v, d.status_from));
        }
        if let Some(v) = &d.amount {
            offer(&mut self.amount, key, v.clone());
        }
        if let Some(v) = d.created {
            offer(&mut self.created, key, v);
        }
        if let Some(v) = d.closed {
            offer(&mut self.closed, key, v);
        }
        if let Some(v) = d.touch_count {
            offer(&mut self.touch_count, key, v);
        }
        if let Some(t) = at {
            self.first_row_at = Some(self.first_row_at.map_or(t, |f| f.min(t)));
            if (d.status.is_some() || d.stage.is_some()) && closed {
                self.first_closed_row_at = Some(self.first_closed_row_at.map_or(t, |f| f.min(t)));
            }
        }
    }
}
