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

/// Interned strings: low-cardinality text (stage, currency, cadence, owner) stored
/// once, referenced by index.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    values: Vec<String>,
    index: FxHashMap<String, u32>,
}

impl Interner {
    /// The index of `s`, adding it when new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(s.to_owned());
        self.index.insert(s.to_owned(), i);
        i
    }

    /// The string at index `i`.
    pub fn get(&self, i: u32) -> &str {
        &self.values[i as usize]
    }

    /// Replaces the text at index `i` (used by `--redact`).
    pub fn rename(&mut self, i: u32, new: &str) {
        let old = std::mem::replace(&mut self.values[i as usize], new.to_owned());
        self.index.remove(&old);
        self.index.insert(new.to_owned(), i);
    }

    /// All interned values, by index.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

/// Strings stored end to end in one buffer, one per row: a million deal ids cost their
/// bytes plus 16 bytes each, instead of a heap allocation each.
#[derive(Debug, Default, Clone)]
pub struct StrCol {
    data: String,
    spans: Vec<(usize, u32)>,
}

impl StrCol {
    /// Makes room for `rows` more rows (their text grows as it comes).
    pub fn reserve(&mut self, rows: usize) {
        self.spans.reserve(rows);
    }

    /// Appends a row.
    pub fn push(&mut self, s: &str) {
        self.spans.push((self.data.len(), s.len() as u32));
        self.data.push_str(s);
    }

    /// Replaces row `i` (the old bytes stay in the buffer, unused).
    pub fn set(&mut self, i: usize, s: &str) {
        if self.get(i) != s {
            self.spans[i] = (self.data.len(), s.len() as u32);
            self.data.push_str(s);
        }
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> &str {
        let (start, len) = self.spans[i];
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
    pub amount: Vec<Option<f64>>,
    /// ISO currency code, interned in [`Deals::text`].
    pub currency: Vec<u32>,
    /// Creation time.
    pub created_at: Vec<Option<i64>>,
    /// Close time (for open deals in HubSpot: the *expected* close date).
    pub closed_at: Vec<Option<i64>>,
    /// Cadence name, interned; the empty string = none.
    pub cadence: Vec<u32>,
    /// Owner name, interned; the empty string = none.
    pub owner: Vec<u32>,
    /// Count of contacts from deal-level exports without touch rows.
    pub touch_count: Vec<Option<u32>>,
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
    pub seq: Vec<u32>,
    /// Normalised channel.
    pub channel: Vec<Channel>,
    /// Outbound or inbound.
    pub direction: Vec<Direction>,
    /// What the touch means for the metrics.
    pub event: Vec<Event>,
    /// Cadence named on the touch row (interned in [`Deals::text`]), used when the deal
    /// row has none.
    pub cadence: Vec<u32>,
    /// Owner named on the touch row (interned in [`Deals::text`]), used when the deal
    /// row has none.
    pub owner: Vec<u32>,
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
}

/// Both canonical tables.
#[derive(Debug, Default, Clone)]
pub struct Tables {
    /// The deals.
    pub deals: Deals,
    /// The touches.
    pub touches: Touches,
}
