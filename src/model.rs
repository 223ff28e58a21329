//! The canonical tables of SPEC §2 — `deals` and `touches` — as every input format
//! produces them, plus the small enums their columns use.
//!
//! The tables are column vectors rather than row structs: a million deals and a few
//! million touches stay compact (interned low-cardinality strings, integer times), and
//! the metrics pass and the polars frames read them column by column.
//!
//! Times are wall-clock seconds since 1970-01-01 00:00 as written in the input (naive
//! times are not shifted; zoned times are converted to UTC at ingest). The calendar day
//! of a time is `time.div_euclid(86_400)`, see [`day_of`].

use rustc_hash::FxHashMap;

pub use crate::time::{day_of, SECS_PER_DAY};

/// An inclusive range of calendar days (`--month`, or `--from`/`--to`): the reporting
/// period every layer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// First day (day number since 1970-01-01).
    pub from: i32,
    /// Last day, inclusive.
    pub to: i32,
    /// Folder name: `2026-10`, or `2026-10-01_2026-10-15`.
    pub label: String,
}

impl Period {
    /// True when the day is inside the period.
    pub fn contains(&self, day: i32) -> bool {
        self.from <= day && day <= self.to
    }
}

/// A `--by` dimension: what the groups of SPEC §3 "Groups" are keyed by. In
/// metrics.json and file names it is its lower-case name ([`Dimension::as_str`]); it
/// orders, compares and hashes as that name, so a map keyed by it iterates in the
/// name's order and can be looked up by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// The deal's cadence / sequence.
    Cadence,
    /// The deal's owner.
    Owner,
    /// The channel of touch k (response by touch only).
    Channel,
    /// The month touch k was sent, or the deal closed.
    Month,
}

impl Dimension {
    /// Every dimension, in `--help` order.
    pub const ALL: [Dimension; 4] = [Dimension::Cadence, Dimension::Owner, Dimension::Channel, Dimension::Month];

    /// The name used in metrics.json and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Cadence => "cadence",
            Dimension::Owner => "owner",
            Dimension::Channel => "channel",
            Dimension::Month => "month",
        }
    }

    /// The dimension of a metrics.json name; `None` for any other name.
    pub fn from_name(name: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

impl Ord for Dimension {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Dimension {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::hash::Hash for Dimension {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

/// Lookups by name (`m.groups.get("owner")`): order, equality and hash agree with the
/// name's.
impl std::borrow::Borrow<str> for Dimension {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// Reads as its name wherever text is expected (`&dim` coerces to `&str`), so the
/// renderers that still take a dimension's name keep working; new code matches on the
/// variant.
impl std::ops::Deref for Dimension {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Deal status (SPEC §2): won, lost or still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Closed won.
    Won,
    /// Closed lost.
    Lost,
    /// Not closed.
    Open,
}

impl Status {
    /// The lower-case word used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Open => "open",
        }
    }
}

/// Normalised channel of a touch (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Email.
    Email,
    /// Phone call.
    Call,
    /// Meeting (in person or video).
    Meeting,
    /// SMS, WhatsApp and the like.
    Text,
    /// LinkedIn and other social networks.
    Social,
    /// Postal letter.
    Letter,
    /// Visit in person.
    Visit,
    /// Anything else.
    Other,
}

impl Channel {
    /// Every channel, in output order.
    pub const ALL: [Channel; 8] = [
        Channel::Email,
        Channel::Call,
        Channel::Meeting,
        Channel::Text,
        Channel::Social,
        Channel::Letter,
        Channel::Visit,
        Channel::Other,
    ];

    /// The lower-case word used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Call => "call",
            Channel::Meeting => "meeting",
            Channel::Text => "text",
            Channel::Social => "social",
            Channel::Letter => "letter",
            Channel::Visit => "visit",
            Channel::Other => "other",
        }
    }
}

/// Who made the contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// We contacted the prospect.
    Outbound,
    /// The prospect reached us (reply, incoming call, form).
    Inbound,
}

/// What an outcome word means (SPEC §2 "Canonical outcome words").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeClass {
    /// The prospect engaged: connected, replied, held, …
    TwoWay,
    /// A meeting that did not take place: no show, canceled, …
    NotHeld,
    /// Out of office, auto-reply, undeliverable, …
    AutoReply,
    /// Unsubscribed, opted out, do not contact.
    OptOut,
    /// Bounced: never reached anyone, so not a touch.
    Bounced,
    /// Anything else (sent, left voicemail, no answer, …).
    OneWay,
}

/// What a touch row means for the metrics, decided once at ingest from channel,
/// direction, outcome and subject (SPEC §2–§3, order in docs/decisions.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// A response event (SPEC §3 rule 2).
    Response,
    /// An automatic reply: not a response, counted in the input summary.
    AutoReply,
    /// An opt-out: not a response; ends the deal's follow-up.
    OptOut,
    /// Any other touch: no response.
    Plain,
}

/// A string of at most 16 bytes as two words and its length, read with overlapping
/// loads (the first and the last 8, 4 or 1 bytes): equal keys are equal strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortKey {
    a: u64,
    b: u64,
    len: u8,
}

impl ShortKey {
    /// The key of `s`; `None` past 16 bytes.
    fn of(s: &str) -> Option<Self> {
        let s = s.as_bytes();
        let len = s.len();
        let u64_at = |i: usize| s.get(i..i + 8).and_then(|w| w.try_into().ok()).map_or(0, u64::from_le_bytes);
        let u32_at = |i: usize| s.get(i..i + 4).and_then(|w| w.try_into().ok()).map_or(0, u32::from_le_bytes);
        let byte = |i: usize| u64::from(s.get(i).copied().unwrap_or(0));
        let (a, b) = match len {
            0 => (0, 0),
            1..=3 => (byte(0) | byte(len / 2) << 8 | byte(len - 1) << 16, 0),
            4..=7 => (u64::from(u32_at(0)) | u64::from(u32_at(len - 4)) << 32, 0),
            8..=16 => (u64_at(0), u64_at(len - 8)),
            _ => return None,
        };
        Some(ShortKey { a, b, len: len as u8 })
    }

    /// The key's slot among `1 << bits`.
    fn slot(&self, bits: u32) -> usize {
        let h = (self.a ^ self.b.rotate_left(29) ^ u64::from(self.len)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> (64 - bits)) as usize
    }
}

/// A direct-mapped memo of indexes by short string: each slot remembers one string (of
/// at most 16 bytes) and its index. In front of a map of a column's few dozen
/// spellings over millions of rows (stages, currencies, channel and outcome words), a
/// hit costs a multiply and a comparison of two words, where the map hashes the string
/// and compares it with `memcmp`. Small enough (4 KiB) to stay in the first-level cache
/// beside the row's data.
#[derive(Clone, Default)]
struct Memo {
    slots: Vec<Option<(ShortKey, u32)>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    const BITS: u32 = 7;

    /// The index remembered for `key`.
    fn get(&self, key: &ShortKey) -> Option<u32> {
        match self.slots.get(key.slot(Self::BITS))? {
            Some((k, i)) if k == key => Some(*i),
            _ => None,
        }
    }

    /// Remembers index `i` for `key` (in place of the string its slot held).
    fn put(&mut self, key: ShortKey, i: u32) {
        if self.slots.is_empty() {
            self.slots = vec![None; 1 << Self::BITS];
        }
        if let Some(slot) = self.slots.get_mut(key.slot(Self::BITS)) {
            *slot = Some((key, i));
        }
    }

    /// Forgets every index.
    fn clear(&mut self) {
        self.slots.clear();
    }
}

/// Interned strings: low-cardinality text (stage, currency, cadence, owner) stored
/// once, referenced by index.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    values: Vec<String>,
    index: FxHashMap<String, u32>,
    /// The indexes of short values met lately (four per deal row: see [`Memo`]).
    memo: Memo,
}

impl Interner {
    /// The index of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        let key = ShortKey::of(s);
        if let Some(i) = key.as_ref().and_then(|k| self.memo.get(k)) {
            return i;
        }
        let i = match self.index.get(s) {
            Some(&i) => i,
            None => {
                let i = self.values.len() as u32;
                self.values.push(s.to_owned());
                self.index.insert(s.to_owned(), i);
                i
            }
        };
        if let Some(k) = key {
            self.memo.put(k, i);
        }
        i
    }

    /// The string at index `i`.
    pub fn get(&self, i: u32) -> &str {
        &self.values[i as usize]
    }

    /// Replaces the text at index `i` (used by `--redact`).
    pub fn rename(&mut self, i: u32, new: &str) {
        let old = std::mem::replace(&mut self.values[i as usize], new.to_owned());
        self.memo.clear();
        self.index.remove(&old);
        self.index.insert(new.to_owned(), i);
    }

    /// All interned values, by index.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

/// Reorders `v` in place so that `v[i]` becomes the value that was at `order[i]`
/// (`order`: a permutation of `0..v.len()`), one cycle of the permutation at a time,
/// with no copy of `v`. An index out of range stops its cycle: never a panic.
pub fn permute<T>(v: &mut [T], order: &[u32]) {
    let mut done = vec![false; v.len()];
    for start in 0..v.len() {
        let mut i = start;
        while !done[i] {
            done[i] = true;
            let j = order.get(i).map_or(start, |&j| j as usize);
            if j == start || j >= v.len() {
                break;
            }
            v.swap(i, j);
            i = j;
        }
    }
}

/// Strings stored end to end in one buffer, one per row: a million deal ids cost their
/// bytes plus 8 bytes each (a 32-bit start and length), instead of a heap allocation
/// each. The buffer holds at most 4 GiB: a push past that is an error, never a wrap.
#[derive(Debug, Default, Clone)]
pub struct StrCol {
    data: String,
    spans: Vec<(u32, u32)>,
}

impl StrCol {
    /// The error of a column whose text would pass 4 GiB.
    pub fn full_error() -> crate::error::Error {
        crate::error::Error::Compute(
            "more than 4 GiB of deal ids or names: split the input into smaller files and report each".to_owned(),
        )
    }

    /// Makes room for `rows` more rows and `bytes` more bytes of text (beyond that, the
    /// text grows as it comes).
    pub fn reserve(&mut self, rows: usize, bytes: usize) {
        self.spans.reserve(rows);
        // Room for the text is a guess: where the system refuses it, the text grows.
        let _ = self.data.try_reserve(bytes);
    }

    /// The span of `s` appended at the end of the buffer, checked against the 4 GiB limit.
    fn span_of_next(&self, s: &str) -> crate::error::Result<(u32, u32)> {
        let start = u32::try_from(self.data.len()).map_err(|_| Self::full_error())?;
        let len = u32::try_from(s.len()).map_err(|_| Self::full_error())?;
        start.checked_add(len).ok_or_else(Self::full_error)?;
        Ok((start, len))
    }

    /// Appends a row; an error (and nothing appended) when the text would pass 4 GiB.
    pub fn push(&mut self, s: &str) -> crate::error::Result<()> {
        let span = self.span_of_next(s)?;
        self.spans.push(span);
        self.data.push_str(s);
        Ok(())
    }

    /// Replaces row `i` (the old bytes stay in the buffer, unused); an error (and row
    /// `i` unchanged) when the text would pass 4 GiB.
    pub fn set(&mut self, i: usize, s: &str) -> crate::error::Result<()> {
        if self.get(i) != s {
            self.spans[i] = self.span_of_next(s)?;
            self.data.push_str(s);
        }
        Ok(())
    }

    /// Puts the rows in the order `order` gives (row i becomes the row that was at
    /// `order[i]`; `order` is a permutation of the rows); the text stays where it is.
    pub fn reorder(&mut self, order: &[u32]) {
        permute(&mut self.spans, order);
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> &str {
        let (start, len) = self.spans[i];
        let start = start as usize;
        &self.data[start..start + len as usize]
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Gives back the room reserved beyond the rows and text held.
    pub fn shrink_to_fit(&mut self) {
        self.data.shrink_to_fit();
        self.spans.shrink_to_fit();
    }
}

/// An optional value per row, compact: the values end to end and one bit per row saying
/// whether it has one (`Vec<Option<i64>>` spends 16 bytes a row, this 8 and a bit). The
/// values are allocated only once some row has one: a column no row fills (touch counts,
/// when no file gives them) costs a bit per row.
#[derive(Debug, Clone)]
pub struct OptCol<T> {
    /// Empty while no row has a value, else one per row (a row without one holds the
    /// default).
    values: Vec<T>,
    /// Bit `i % 64` of word `i / 64`: row `i` has a value.
    present: Vec<u64>,
    len: usize,
    /// Rows the values are made room for once allocated ([`OptCol::reserve`]).
    room: usize,
}

impl<T> Default for OptCol<T> {
    fn default() -> Self {
        OptCol { values: Vec::new(), present: Vec::new(), len: 0, room: 0 }
    }
}

impl<T: Copy + Default> OptCol<T> {
    /// Makes room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.room = self.len.saturating_add(rows);
        self.present.reserve(self.room.div_ceil(64).saturating_sub(self.present.len()));
        if !self.values.is_empty() {
            self.values.reserve(rows);
        }
    }

    /// Appends a row.
    pub fn push(&mut self, v: Option<T>) {
        if self.len.is_multiple_of(64) {
            self.present.push(0);
        }
        self.len += 1;
        if !self.values.is_empty() {
            self.values.push(T::default());
        }
        if v.is_some() {
            self.set(self.len - 1, v);
        }
    }

    /// Row `i`'s value.
    pub fn get(&self, i: usize) -> Option<T> {
        assert!(i < self.len, "row {i} of {}", self.len);
        if self.present[i / 64] >> (i % 64) & 1 == 1 {
            self.values.get(i).copied()
        } else {
            None
        }
    }

    /// Sets row `i`'s value.
    pub fn set(&mut self, i: usize, v: Option<T>) {
        assert!(i < self.len, "row {i} of {}", self.len);
        let bit = 1u64 << (i % 64);
        match v {
            Some(x) => {
                if self.values.is_empty() {
                    self.values.reserve_exact(self.room.max(self.len));
                    self.values.resize(self.len, T::default());
                }
                self.values[i] = x;
                self.present[i / 64] |= bit;
            }
            None => self.present[i / 64] &= !bit,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when some row has a value.
    pub fn any(&self) -> bool {
        self.present.iter().any(|&w| w != 0)
    }

    /// Every row's value, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<T>> + '_ {
        (0..self.len).map(|i| self.get(i))
    }

    /// Gives back the room reserved beyond the rows held.
    pub fn shrink_to_fit(&mut self) {
        self.values.shrink_to_fit();
        self.present.shrink_to_fit();
        self.room = self.len;
    }
}

/// A small number per row that is 0 in most inputs (the cadence and owner named on
/// touch rows: touches files of a split export name none), stored only once some row is
/// not 0; until then it costs nothing.
#[derive(Debug, Default, Clone)]
pub struct ZeroCol {
    /// Empty while every row is 0, else one per row.
    values: Vec<u32>,
    len: usize,
    /// Rows the values are made room for once allocated ([`ZeroCol::reserve`]).
    room: usize,
}

impl ZeroCol {
    /// Makes room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.room = self.len.saturating_add(rows);
        if !self.values.is_empty() {
            self.values.reserve(rows);
        }
    }

    /// Appends a row.
    pub fn push(&mut self, v: u32) {
        if v != 0 && self.values.is_empty() {
            // The first row not 0: the rows before it are stored as the zeros they are.
            self.values.reserve_exact(self.room.max(self.len + 1));
            self.values.resize(self.len, 0);
            self.values.push(v);
        } else if !self.values.is_empty() {
            self.values.push(v);
        }
        self.len += 1;
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> u32 {
        assert!(i < self.len, "row {i} of {}", self.len);
        self.values.get(i).copied().unwrap_or(0)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every row's value, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        (0..self.len).map(|i| self.get(i))
    }

    /// Gives back the room reserved beyond the rows held.
    pub fn shrink_to_fit(&mut self) {
        self.values.shrink_to_fit();
        self.room = self.len;
    }
}

/// The input order of each touch (`seq`, see [`Touches::seq`]). Touch after touch it
/// mostly rises by one (one row, one touch), so it is kept as runs: where a run starts
/// (a touch index) and its first value, the touches after it counting up from there.
/// Each row that made no touch (a bounce, a note, a rejected row) or several (a row for
/// two deals) starts a run; when runs come more often than one in four touches they no
/// longer pay, and every touch's value is stored instead.
#[derive(Debug, Clone)]
pub struct SeqCol {
    store: SeqStore,
    len: usize,
    /// Rows to make room for when the values are stored one by one.
    room: usize,
}

#[derive(Debug, Clone)]
enum SeqStore {
    /// (first touch, its seq) of each run, by first touch.
    Runs(Vec<(usize, u32)>),
    /// Every touch's seq.
    Plain(Vec<u32>),
}

impl Default for SeqCol {
    fn default() -> Self {
        SeqCol { store: SeqStore::Runs(Vec::new()), len: 0, room: 0 }
    }
}

impl SeqCol {
    /// Makes room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.room = self.len.saturating_add(rows);
        if let SeqStore::Plain(v) = &mut self.store {
            v.reserve(rows);
        }
    }

    /// Appends a row.
    pub fn push(&mut self, seq: u32) {
        let len = self.len;
        self.len += 1;
        let runs = match &mut self.store {
            SeqStore::Plain(v) => {
                v.push(seq);
                return;
            }
            SeqStore::Runs(runs) => runs,
        };
        let next = runs.last().and_then(|&(start, first)| u32::try_from(len - start).ok()?.checked_add(first));
        if next == Some(seq) {
            return;
        }
        runs.push((len, seq));
        if runs.len() > 64 && runs.len() > self.len / 4 {
            let mut v = Vec::with_capacity(self.room.max(self.len));
            v.extend(self.iter());
            self.store = SeqStore::Plain(v);
        }
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> u32 {
        assert!(i < self.len, "row {i} of {}", self.len);
        match &self.store {
            SeqStore::Plain(v) => v[i],
            SeqStore::Runs(runs) => {
                let (start, first) = runs[runs.partition_point(|&(s, _)| s <= i) - 1];
                // In range: it was checked when the run was extended to row i.
                first.wrapping_add((i - start) as u32)
            }
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Gives back the room reserved beyond the rows held.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.store {
            SeqStore::Runs(runs) => runs.shrink_to_fit(),
            SeqStore::Plain(v) => v.shrink_to_fit(),
        }
        self.room = self.len;
    }

    /// Every row's value, in order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match &self.store {
            SeqStore::Plain(v) => Box::new(v.iter().copied()),
            SeqStore::Runs(runs) => Box::new(runs.iter().enumerate().flat_map(move |(k, &(start, first))| {
                let end = runs.get(k + 1).map_or(self.len, |r| r.0);
                (0..end - start).map(move |j| first.wrapping_add(j as u32))
            })),
        }
    }
}

/// One row per deal (SPEC §2 `deals`).
#[derive(Debug, Default, Clone)]
pub struct Deals {
    /// Unique key (a deal id, or the deal name for exports without ids).
    pub id: StrCol,
    /// Deal / prospect name; empty = the same as the id (see [`Deals::name`]).
    pub name: StrCol,
    /// Raw stage text, interned in [`Deals::text`].
    pub stage: Vec<u32>,
    /// Won / lost / open.
    pub status: Vec<Status>,
    /// Amount in `currency`; `None` = unknown.
    pub amount: OptCol<f64>,
    /// ISO currency code, interned in [`Deals::text`].
    pub currency: Vec<u32>,
    /// Creation time.
    pub created_at: OptCol<i64>,
    /// Close time (for open deals in HubSpot: the *expected* close date).
    pub closed_at: OptCol<i64>,
    /// Cadence name, interned; the empty string = none.
    pub cadence: Vec<u32>,
    /// Owner name, interned; the empty string = none.
    pub owner: Vec<u32>,
    /// Count of contacts from deal-level exports without touch rows.
    pub touch_count: OptCol<u32>,
    /// Storage for the interned columns.
    pub text: Interner,
}

impl Deals {
    /// The name of deal `i` (its id when the input names none).
    pub fn name(&self, i: usize) -> &str {
        match self.name.get(i) {
            "" => self.id.get(i),
            n => n,
        }
    }

    /// Number of deals.
    pub fn len(&self) -> usize {
        self.id.len()
    }

    /// True when there is no deal.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// Gives back the room reserved beyond the deals held (the tables are sized by the
    /// input's line count, or grew by doubling where it gave none).
    pub fn shrink_to_fit(&mut self) {
        self.id.shrink_to_fit();
        self.name.shrink_to_fit();
        self.stage.shrink_to_fit();
        self.status.shrink_to_fit();
        self.amount.shrink_to_fit();
        self.currency.shrink_to_fit();
        self.created_at.shrink_to_fit();
        self.closed_at.shrink_to_fit();
        self.cadence.shrink_to_fit();
        self.owner.shrink_to_fit();
        self.touch_count.shrink_to_fit();
    }
}

/// One row per activity that is a touch (SPEC §2 `touches`); bounced emails, notes and
/// tasks are counted at ingest and never stored here.
#[derive(Debug, Default, Clone)]
pub struct Touches {
    /// Index into [`Deals`].
    pub deal: Vec<u32>,
    /// Time of the touch.
    pub at: Vec<i64>,
    /// Input order over all files, the tie-breaker after `at`.
    pub seq: SeqCol,
    /// Normalised channel.
    pub channel: Vec<Channel>,
    /// Outbound or inbound.
    pub direction: Vec<Direction>,
    /// What the touch means for the metrics.
    pub event: Vec<Event>,
    /// Cadence named on the touch row (interned in [`Deals::text`]), used when the deal
    /// row has none.
    pub cadence: ZeroCol,
    /// Owner named on the touch row (interned in [`Deals::text`]), used when the deal
    /// row has none.
    pub owner: ZeroCol,
}

impl Touches {
    /// Number of touches.
    pub fn len(&self) -> usize {
        self.deal.len()
    }

    /// True when there is no touch.
    pub fn is_empty(&self) -> bool {
        self.deal.is_empty()
    }

    /// Gives back the room reserved beyond the touches held (the table is sized by the
    /// input's line count: rows that are no touch leave room unused).
    pub fn shrink_to_fit(&mut self) {
        self.deal.shrink_to_fit();
        self.at.shrink_to_fit();
        self.seq.shrink_to_fit();
        self.channel.shrink_to_fit();
        self.direction.shrink_to_fit();
        self.event.shrink_to_fit();
        self.cadence.shrink_to_fit();
        self.owner.shrink_to_fit();
    }
}

/// Both canonical tables.
#[derive(Debug, Default, Clone)]
pub struct Tables {
    /// The deals.
    pub deals: Deals,
    /// The touches.
    pub touches: Touches,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permutation_in_place_puts_each_row_where_the_order_says() {
        // Fixed points, a 2-cycle, a 3-cycle, the reverse, and shuffles of every length
        // up to 40 (an LCG: the same every run).
        let mut orders: Vec<Vec<u32>> = vec![vec![], vec![0], vec![1, 0], vec![0, 2, 3, 1], (0..9).rev().collect()];
        let mut x: u64 = 7;
        for len in 1..40u32 {
            let mut o: Vec<u32> = (0..len).collect();
            for i in (1..o.len()).rev() {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                o.swap(i, (x >> 33) as usize % (i + 1));
            }
            orders.push(o);
        }
        for order in orders {
            let old: Vec<String> = (0..order.len()).map(|i| format!("row {i}")).collect();
            let mut v = old.clone();
            permute(&mut v, &order);
            let want: Vec<String> = order.iter().map(|&j| old[j as usize].clone()).collect();
            assert_eq!(v, want, "order {order:?}");
            let mut col = StrCol::default();
            for s in &old {
                col.push(s).unwrap();
            }
            col.reorder(&order);
            assert_eq!((0..col.len()).map(|i| col.get(i).to_owned()).collect::<Vec<_>>(), want);
        }
    }

    proptest::proptest! {
        /// Two strings of at most 16 bytes have the same key exactly when they are equal.
        #[test]
        fn short_keys_are_equal_only_for_equal_strings(a in "[a-cé\\x00]{0,12}", b in "[a-cé\\x00]{0,12}") {
            let (ka, kb) = (ShortKey::of(&a), ShortKey::of(&b));
            proptest::prop_assert_eq!(ka.is_some(), a.len() <= 16);
            if let (Some(ka), Some(kb)) = (ka, kb) {
                proptest::prop_assert_eq!(ka == kb, a == b, "{:?} {:?}", a, b);
            }
        }
    }

    #[test]
    fn an_interner_remembers_short_and_long_values_and_renames() {
        let mut t = Interner::default();
        let long = "a stage name longer than sixteen bytes";
        let ids: Vec<u32> =
            ["USD", "", long, "Closed Won", "USD", long, "Closed Won"].iter().map(|s| t.intern(s)).collect();
        assert_eq!(ids, [0, 1, 2, 3, 0, 2, 3]);
        t.rename(0, "EUR");
        assert_eq!((t.intern("EUR"), t.intern("USD")), (0, 4));
        assert_eq!(t.get(4), "USD");
    }

    #[test]
    fn opt_col_reads_back_what_was_pushed_and_set() {
        let mut c: OptCol<i64> = OptCol::default();
        c.reserve(200);
        assert!(!c.any());
        for i in 0..150 {
            c.push(None);
            assert_eq!(c.get(i), None);
        }
        assert!(!c.any() && c.values.is_empty(), "no value yet: nothing stored");
        c.set(70, Some(-5));
        c.push(Some(i64::MIN));
        c.push(None);
        c.set(3, Some(0));
        assert_eq!(c.get(70), Some(-5));
        assert_eq!(c.get(150), Some(i64::MIN));
        assert_eq!((c.get(151), c.get(3), c.get(4)), (None, Some(0), None));
        c.set(70, None);
        assert_eq!(c.get(70), None);
        assert_eq!(c.len(), 152);
        let all: Vec<Option<i64>> = c.iter().collect();
        assert_eq!(all.iter().filter(|v| v.is_some()).count(), 2);
        let mut first: OptCol<f64> = OptCol::default();
        first.push(Some(1.5));
        first.push(None);
        assert_eq!(first.iter().collect::<Vec<_>>(), vec![Some(1.5), None]);
    }

    #[test]
    fn zero_col_stores_nothing_until_a_row_is_not_zero() {
        let mut c = ZeroCol::default();
        c.push(0);
        c.push(0);
        assert!(c.values.is_empty());
        c.push(7);
        c.push(0);
        assert_eq!(c.iter().collect::<Vec<_>>(), vec![0, 0, 7, 0]);
        let mut first = ZeroCol::default();
        first.push(3);
        first.push(0);
        assert_eq!(first.iter().collect::<Vec<_>>(), vec![3, 0]);
    }

    #[test]
    fn seq_col_reads_back_runs_and_switches_to_values() {
        let mut c = SeqCol::default();
        let mut want = Vec::new();
        for s in [5u32, 6, 7, 7, 9, 10, 2, u32::MAX, 0, 1] {
            c.push(s);
            want.push(s);
        }
        assert!(matches!(c.store, SeqStore::Runs(_)));
        assert_eq!(c.iter().collect::<Vec<_>>(), want);
        assert_eq!((0..c.len()).map(|i| c.get(i)).collect::<Vec<_>>(), want);
        // A row of two deals after every row: runs stop paying.
        for s in 100..300u32 {
            c.push(s / 2);
            want.push(s / 2);
        }
        assert!(matches!(c.store, SeqStore::Plain(_)));
        c.push(7);
        want.push(7);
        assert_eq!(c.iter().collect::<Vec<_>>(), want);
        assert_eq!((0..c.len()).map(|i| c.get(i)).collect::<Vec<_>>(), want);
    }

    #[test]
    fn str_col_spans_read_back_and_set_replaces() {
        let mut c = StrCol::default();
        c.push("D1").unwrap();
        c.push("").unwrap();
        c.push("Zoë").unwrap();
        c.set(1, "named").unwrap();
        assert_eq!((c.get(0), c.get(1), c.get(2)), ("D1", "named", "Zoë"));
    }
}
