//! The user's own words for values (a `--map` file's `[status]`, `[channel]`,
//! `[direction]` and `[outcome]` tables), looked up by the row code through the column
//! map. Apart from the map file's reading ([`super::mapping`]), so that the format
//! registry and the map reader do not import each other.

use rustc_hash::FxHashMap;

use super::cells;

/// Which value map a raw cell is looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Stage or status value → won / lost / open.
    Status,
    /// Activity type → channel word (or note / task).
    Channel,
    /// Direction value → inbound / outbound.
    Direction,
    /// Outcome value → canonical outcome word.
    Outcome,
}

/// The value maps of a mapping, keyed by the trimmed, lower-cased raw value; each value
/// is one of our own words, checked when the map was read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ValueMaps {
    pub(super) status: FxHashMap<String, String>,
    pub(super) channel: FxHashMap<String, String>,
    pub(super) direction: FxHashMap<String, String>,
    pub(super) outcome: FxHashMap<String, String>,
}

impl ValueMaps {
    /// Our word for a raw cell, when the map names it.
    pub fn lookup(&self, kind: ValueKind, raw: &str) -> Option<&str> {
        let m = match kind {
            ValueKind::Status => &self.status,
            ValueKind::Channel => &self.channel,
            ValueKind::Direction => &self.direction,
            ValueKind::Outcome => &self.outcome,
        };
        if m.is_empty() {
            return None;
        }
        m.get(&cells::trim_cell(raw).to_lowercase()).map(String::as_str)
    }
}
