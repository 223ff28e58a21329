//! Cell parsers: one text cell in, a typed value or a [`CellError`] out. No I/O, no
//! allocation on the hot paths (dates and amounts are parsed byte by byte), so they
//! can run over millions of rows and be property-tested on their own.
//!
//! The accepted spellings are listed in docs/decisions.md.

use crate::model::{Channel, Direction, OutcomeClass, Status};
use crate::time::{days_in_month, SECS_PER_DAY};
/// The calendar functions moved to [`crate::time`]; re-exported for older imports.
pub use crate::time::{civil_from_days, days_from_civil, format_day, format_time};

/// Why a cell could not be read. The text is the reason written to rejected.csv.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    /// A required cell is empty.
    #[error("empty: this column is required")]
    Empty,
    /// Not a date or date-time in any accepted form.
    #[error("unreadable date {0:?}: write it as 2026-10-31 or 2026-10-31 16:14")]
    Date(String),
    /// A slashed date whose month would be above 12 when read month first.
    #[error("date {0:?} has a month above 12 when read month first: if this file writes the day first (31/01/2026), run with --day-first")]
    DayFirst(String),
    /// A date whose numbers are out of range (month 13, day 32, hour 25…).
    #[error("impossible date {0:?}")]
    DateRange(String),
    /// Not a number.
    #[error("unreadable amount {0:?}: write it as 1234.50, $1,234.50 or 1.234,50 €")]
    Amount(String),
    /// Not a whole number.
    #[error("unreadable count {0:?}: expected a whole number such as 6 or 6.0")]
    Count(String),
    /// An id mangled by a spreadsheet.
    #[error("id {0:?} was damaged by a spreadsheet (scientific notation): re-export the file, or format the id column as text before saving")]
    DamagedId(String),
    /// Not true or false.
    #[error("unreadable flag {0:?}: expected true or false")]
    Bool(String),
    /// A direction word that is neither inbound nor outbound.
    #[error("unknown direction {0:?}: expected inbound or outbound")]
    Direction(String),
}

/// Trims a cell: ASCII white space fast, and Unicode white space (such as the no-break
/// spaces spreadsheets leave) only when the cell starts or ends with a non-ASCII byte.
pub fn trim_cell(s: &str) -> &str {
    let t = s.trim_ascii();
    let b = t.as_bytes();
    if b.first().is_some_and(|&c| c >= 0x80) || b.last().is_some_and(|&c| c >= 0x80) {
        t.trim()
    } else {
        t
    }
}

/// A tiny byte cursor for the date grammar.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Reads 1..=max digits.
    fn num(&mut self, max: usize) -> Option<u32> {
        let start = self.i;
        let mut v: u32 = 0;
        while self.i - start < max {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + (c - b'0') as u32;
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i > start).then_some(v)
    }
    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

/// Parses a date or date-time cell to wall-clock seconds since 1970.
///
/// Accepts `2026-10-31`, `2026-10-31 16:14`, `2026-10-31T16:14:05(.123)(Z|+02:00)`,
/// `2026/10/31`, slashed `10/31/2026 4:14 PM` (month first unless `day_first`) and
/// dotted `31.10.2026` (always day first). Zoned times are converted to UTC.
pub fn parse_datetime(s: &str, day_first: bool) -> Result<i64, CellError> {
    parse_datetime_parts(s, day_first).map(|(wall, offset)| wall - offset.unwrap_or(0))
}

/// Like [`parse_datetime`], but a zoned time (`…Z`, `…+02:00`) becomes the wall-clock
/// time of that instant in `tz` (`None`: UTC), so that day and month boundaries are the
/// team's (`--timezone`). A naive time is taken as written (HubSpot exports the
/// exporting user's wall clock).
pub fn parse_datetime_in(s: &str, day_first: bool, tz: Option<chrono_tz::Tz>) -> Result<i64, CellError> {
    let (wall, offset) = parse_datetime_parts(s, day_first)?;
    Ok(match (offset, tz) {
        (None, _) => wall,
        (Some(off), None) => wall - off,
        (Some(off), Some(tz)) => {
            use chrono::{Offset, TimeZone};
            let utc = wall - off;
            let local = chrono::DateTime::from_timestamp(utc, 0)
                .map(|t| tz.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc());
            utc + i64::from(local.unwrap_or(0))
        }
    })
}

/// The wall-clock seconds written in a cell, and the UTC offset in seconds it names
/// (`Z` = 0), if any.
fn parse_datetime_parts(s: &str, day_first: bool) -> Result<(i64, Option<i64>), CellError> {
    let s = trim_cell(s);
    if s.is_empty() {
        return Err(CellError::Empty);
    }
    let bad = || CellError::Date(s.to_owned());
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let a = c.num(4).ok_or_else(bad)?;
    let first_len = c.i;
    let (y, m, d) = if first_len == 4 {
        // Year first: 2026-10-31 or 2026/10/31.
        let sep = c.peek().ok_or_else(bad)?;
        if sep != b'-' && sep != b'/' {
            return Err(bad());
        }
        c.i += 1;
        let m = c.num(2).ok_or_else(bad)?;
        if !c.eat(sep) {
            return Err(bad());
        }
        let d = c.num(2).ok_or_else(bad)?;
        (a as i32, m, d)
    } else {
        let sep = c.peek().ok_or_else(bad)?;
        if sep != b'/' && sep != b'.' {
            return Err(bad());
        }
        c.i += 1;
        let b = c.num(2).ok_or_else(bad)?;
        if !c.eat(sep) {
            return Err(bad());
        }
        let y = c.num(4).ok_or_else(bad)?;
        let y = if c.i - (first_len + 1 + 1) <= 3 && y < 100 { 2000 + y } else { y };
        if sep == b'.' || day_first {
            (y as i32, b, a)
        } else {
            if a > 12 && b <= 12 {
                return Err(CellError::DayFirst(s.to_owned()));
            }
            (y as i32, a, b)
        }
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(CellError::DateRange(s.to_owned()));
    }
    let mut secs = days_from_civil(y, m, d) as i64 * SECS_PER_DAY;
    if c.done() {
        return Ok((secs, None));
    }
    if !(c.eat(b'T') || c.eat(b' ')) {
        return Err(bad());
    }
    c.spaces();
    let hh = c.num(2).ok_or_else(bad)?;
    if !c.eat(b':') {
        return Err(bad());
    }
    let mm = c.num(2).ok_or_else(bad)?;
    let mut ss = 0;
    if c.eat(b':') {
        ss = c.num(2).ok_or_else(bad)?;
        if c.eat(b'.') || c.eat(b',') {
            while matches!(c.peek(), Some(b'0'..=b'9')) {
                c.i += 1;
            }
        }
    }
    c.spaces();
    let mut hh = hh;
    let rest = &s[c.i..];
    if rest.len() >= 2 && (rest[..2].eq_ignore_ascii_case("am") || rest[..2].eq_ignore_ascii_case("pm")) {
        if hh == 0 || hh > 12 {
            return Err(CellError::DateRange(s.to_owned()));
        }
        let pm = rest[..2].eq_ignore_ascii_case("pm");
        hh = match (hh, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        c.i += 2;
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return Err(CellError::DateRange(s.to_owned()));
    }
    secs += hh as i64 * 3600 + mm as i64 * 60 + ss as i64;
    // Optional zone: Z, +HH:MM, +HHMM, -HH.
    let mut zone = None;
    if c.eat(b'Z') || c.eat(b'z') {
        zone = Some(0);
    } else if let Some(sign @ (b'+' | b'-')) = c.peek() {
        c.i += 1;
        let start = c.i;
        let h = c.num(2).ok_or_else(bad)?;
        let mut min = 0;
        if c.eat(b':') {
            min = c.num(2).ok_or_else(bad)?;
        } else if c.i - start == 2 {
            min = c.num(2).unwrap_or(0);
        }
        let offset = (h * 3600 + min * 60) as i64;
        zone = Some(if sign == b'+' { offset } else { -offset });
    }
    c.spaces();
    if !c.done() {
        return Err(bad());
    }
    Ok((secs, zone))
}

/// Parses an amount. Returns `None` for an empty cell, else the value and the currency
/// its symbol or code names (`$` USD, `€` EUR, `£` GBP, `¥` JPY, or a 3-letter code).
pub fn parse_amount(s: &str) -> Result<Option<(f64, Option<String>)>, CellError> {
    let t = trim_cell(s);
    if t.is_empty() || t == "-" {
        return Ok(None);
    }
    // Fast path: a plain number such as HubSpot's `25000.0`.
    let plain = t.bytes().enumerate().all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && b == b'-'));
    if plain && t.bytes().filter(|&b| b == b'.').count() <= 1 && t.bytes().any(|b| b.is_ascii_digit()) {
        if let Ok(v) = t.parse::<f64>() {
            return Ok(Some((v, None)));
        }
    }
    let bad = || CellError::Amount(s.trim().to_owned());
    let mut currency: Option<String> = None;
    let mut digits = String::with_capacity(t.len());
    let mut negative = false;
    let mut letters = String::new();
    for ch in t.chars() {
        match ch {
            '0'..='9' | '.' | ',' => digits.push(ch),
            '$' => currency = Some("USD".into()),
            '€' => currency = Some("EUR".into()),
            '£' => currency = Some("GBP".into()),
            '¥' => currency = Some("JPY".into()),
            '-' | '(' if digits.is_empty() => negative = true,
            ')' => {}
            ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' => {}
            c if c.is_ascii_alphabetic() => letters.push(c.to_ascii_uppercase()),
            _ => return Err(bad()),
        }
    }
    if !letters.is_empty() {
        if letters.len() == 3 {
            currency = Some(letters);
        } else {
            return Err(bad());
        }
    }
    if digits.is_empty() {
        return Err(bad());
    }
    let last_dot = digits.rfind('.');
    let last_comma = digits.rfind(',');
    let normalised: String = match (last_dot, last_comma) {
        (Some(d), Some(c)) => {
            let (dec, thou) = if d > c { ('.', ',') } else { (',', '.') };
            digits.chars().filter(|&ch| ch != thou).map(|ch| if ch == dec { '.' } else { ch }).collect()
        }
        (None, Some(c)) => {
            let commas = digits.matches(',').count();
            if commas > 1 || digits.len() - c - 1 == 3 {
                digits.replace(',', "")
            } else {
                digits.replace(',', ".")
            }
        }
        (Some(_), None) => {
            if digits.matches('.').count() > 1 {
                digits.replace('.', "")
            } else {
                digits
            }
        }
        (None, None) => digits,
    };
    let v: f64 = normalised.parse().map_err(|_| bad())?;
    Ok(Some((if negative { -v } else { v }, currency)))
}

/// Parses a whole count such as HubSpot's `14.0`; empty = `None`.
pub fn parse_count(s: &str) -> Result<Option<u32>, CellError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.parse().map_err(|_| CellError::Count(t.to_owned()))?;
    if v < 0.0 || v.fract() != 0.0 || v > u32::MAX as f64 {
        return Err(CellError::Count(t.to_owned()));
    }
    Ok(Some(v as u32))
}

/// Checks an id cell: required, and not damaged by a spreadsheet (`1.92236E+11`).
pub fn parse_id(s: &str) -> Result<&str, CellError> {
    let t = trim_cell(s);
    if t.is_empty() {
        return Err(CellError::Empty);
    }
    let b = t.as_bytes();
    let looks_scientific = b.first().is_some_and(u8::is_ascii_digit)
        && t.contains(['E', 'e'])
        && t.contains('+')
        && t.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b'E' | b'e' | b'+'));
    if looks_scientific {
        return Err(CellError::DamagedId(t.to_owned()));
    }
    Ok(t)
}

/// Reads a true/false flag (`true`, `false`, `yes`, `no`, `1`, `0`).
pub fn parse_bool(s: &str) -> Result<bool, CellError> {
    const WORDS: [(&str, bool); 6] = [("true", true), ("false", false), ("yes", true), ("no", false), ("1", true), ("0", false)];
    let t = trim_cell(s);
    WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(t)).map(|(_, b)| *b).ok_or_else(|| CellError::Bool(t.to_owned()))
}

/// Reads a status word (won / lost / open and common spellings).
pub fn parse_status(s: &str) -> Option<Status> {
    const WORDS: [(&str, Status); 12] = [
        ("won", Status::Won),
        ("lost", Status::Lost),
        ("open", Status::Open),
        ("closed won", Status::Won),
        ("closedwon", Status::Won),
        ("win", Status::Won),
        ("closed lost", Status::Lost),
        ("closedlost", Status::Lost),
        ("loss", Status::Lost),
        ("active", Status::Open),
        ("in progress", Status::Open),
        ("pending", Status::Open),
    ];
    let t = s.trim();
    WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(t)).map(|(_, st)| *st)
}

/// The default stage rule: a stage containing "won" is won, "lost" is lost.
pub fn status_from_stage(stage: &str) -> Status {
    let contains = |needle: &str| stage.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    if contains("won") {
        Status::Won
    } else if contains("lost") {
        Status::Lost
    } else {
        Status::Open
    }
}

/// A channel cell: a touch channel, or a row that is not a touch (note, task).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelCell {
    /// A touch on this channel.
    Touch(Channel),
    /// An internal note or task: not a touch.
    NotATouch,
}

/// Normalises a raw activity type (docs/decisions.md lists the words).
pub fn parse_channel(s: &str) -> ChannelCell {
    let l = s.trim().to_ascii_lowercase();
    let ch = match l.as_str() {
        "note" | "notes" | "task" | "tasks" | "internal note" | "todo" | "to do" | "to-do" => {
            return ChannelCell::NotATouch
        }
        "email" | "e-mail" | "mail" | "emails" | "incoming_email" | "forwarded_email" => Channel::Email,
        "call" | "phone" | "phone call" | "cold call" | "calls" | "telephone" => Channel::Call,
        "meeting" | "demo" | "video call" | "zoom" | "teams" | "meetings" | "video" => Channel::Meeting,
        "text" | "sms" | "whatsapp" | "text message" => Channel::Text,
        "linkedin" | "social" | "inmail" | "twitter" | "x" | "facebook" | "instagram" | "linkedin message" => {
            Channel::Social
        }
        "letter" | "post" | "postcard" | "direct mail" => Channel::Letter,
        "visit" | "site visit" | "drop-in" | "drop in" | "in person" => Channel::Visit,
        _ => Channel::Other,
    };
    ChannelCell::Touch(ch)
}

/// Reads a direction; an empty cell is outbound (docs/decisions.md).
pub fn parse_direction(s: &str) -> Result<Direction, CellError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "outbound" | "out" | "outgoing" | "sent" | "email" | "to prospect" | "forwarded_email" => {
            Ok(Direction::Outbound)
        }
        "inbound" | "in" | "incoming" | "received" | "incoming_email" | "from prospect" => Ok(Direction::Inbound),
        _ => Err(CellError::Direction(s.trim().to_owned())),
    }
}

/// Classifies an outcome word. The flag is false for a word no table knows (it is then
/// one-way, and listed in the input summary).
pub fn classify_outcome(s: &str) -> (OutcomeClass, bool) {
    let l = s.trim().to_ascii_lowercase();
    let class = match l.as_str() {
        "connected" | "answered" | "replied" | "reply" | "completed" | "held" | "attended"
        // HubSpot's default call outcome "Connected" as an internal value (formats §1.6).
        | "f240bbac-87c9-4f6e-bf70-924b57d47db7" => OutcomeClass::TwoWay,
        "no show" | "no-show" | "canceled" | "cancelled" | "rescheduled" | "not held" => OutcomeClass::NotHeld,
        "out of office" | "auto-reply" | "automatic reply" | "undeliverable" | "delivery failure" => {
            OutcomeClass::AutoReply
        }
        "unsubscribed" | "opted out" | "do not contact" => OutcomeClass::OptOut,
        "bounced" => OutcomeClass::Bounced,
        "" | "sent" | "delivered" | "opened" | "clicked" | "left voicemail" | "left live message"
        | "left message" | "voicemail" | "no answer" | "no reply" | "busy" | "wrong number" | "scheduled"
        | "failed"
        // HubSpot's other default call outcomes as internal values: busy, left live
        // message, left voicemail, no answer, wrong number.
        | "9d9162e7-6cf3-4944-bf63-4dff82258764" | "a4c4c377-d246-4b32-a13b-75a56a4cd0ff"
        | "b2cf5968-551e-4856-9783-52b3da59a7d0" | "73a0d17f-1163-4015-bdd5-ec830791da20"
        | "17b47fee-58de-441e-a44c-c6300d46f273" => OutcomeClass::OneWay,
        _ => return (OutcomeClass::OneWay, false),
    };
    (class, true)
}

/// True when an email subject marks an automatic reply (SPEC §2).
pub fn is_auto_reply_subject(subject: &str) -> bool {
    const PREFIXES: [&str; 6] = [
        "automatic reply:",
        "auto-reply",
        "autoreply",
        "out of office",
        "undeliverable",
        "delivery status notification",
    ];
    let t = subject.trim_start();
    PREFIXES.iter().any(|p| t.len() >= p.len() && t.is_char_boundary(p.len()) && t[..p.len()].eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(y: i32, m: u32, d: u32, hh: i64, mm: i64) -> i64 {
        days_from_civil(y, m, d) as i64 * SECS_PER_DAY + hh * 3600 + mm * 60
    }

    #[test]
    fn trimming_keeps_inner_text_and_drops_no_break_spaces() {
        assert_eq!(trim_cell("  a b \t"), "a b");
        assert_eq!(trim_cell("\u{a0}Café\u{a0}"), "Café");
        assert_eq!(trim_cell("é"), "é");
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let want = t(2026, 10, 31, 16, 14);
        assert_eq!(parse_datetime("2026-10-31 16:14", false), Ok(want));
        assert_eq!(parse_datetime("2026-10-31T16:14:00", false), Ok(want));
        assert_eq!(parse_datetime("2026-10-31T16:14:00.250Z", false), Ok(want));
        assert_eq!(parse_datetime("2026-10-31T18:14:00+02:00", false), Ok(want));
        assert_eq!(parse_datetime("10/31/2026 4:14 PM", false), Ok(want));
        assert_eq!(parse_datetime("31/10/2026 16:14", true), Ok(want));
        assert_eq!(parse_datetime("31.10.2026 16:14", false), Ok(want));
        assert_eq!(parse_datetime("2026/10/31", false), Ok(t(2026, 10, 31, 0, 0)));
        assert_eq!(parse_datetime(" 2026-10-31 ", false), Ok(t(2026, 10, 31, 0, 0)));
        assert_eq!(parse_datetime("1/2/2026 12:05 AM", false), Ok(t(2026, 1, 2, 0, 5)));
    }

    #[test]
    fn zoned_times_move_to_the_timezone_and_naive_ones_stay() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        // 2026-10-31 is after the end of summer time (2026-10-25): Berlin is UTC+1, so
        // 23:30 UTC is 00:30 on 1 November there.
        assert_eq!(parse_datetime_in("2026-10-31T23:30:00Z", false, None), Ok(t(2026, 10, 31, 23, 30)));
        assert_eq!(parse_datetime_in("2026-10-31T23:30:00Z", false, Some(berlin)), Ok(t(2026, 11, 1, 0, 30)));
        // In summer Berlin is UTC+2.
        assert_eq!(parse_datetime_in("2026-07-01T08:00:00Z", false, Some(berlin)), Ok(t(2026, 7, 1, 10, 0)));
        // An offset names the instant: 18:14+02:00 = 16:14 UTC = 17:14 in Berlin (CET).
        assert_eq!(parse_datetime_in("2026-10-31T18:14:00+02:00", false, Some(berlin)), Ok(t(2026, 10, 31, 17, 14)));
        // Naive times (HubSpot) are taken as written.
        assert_eq!(parse_datetime_in("2026-10-31 23:30", false, Some(berlin)), Ok(t(2026, 10, 31, 23, 30)));
        assert_eq!(parse_datetime_in("2026-10-31", false, Some(berlin)), Ok(t(2026, 10, 31, 0, 0)));
    }

    #[test]
    fn bad_dates_say_why() {
        assert_eq!(parse_datetime("", false), Err(CellError::Empty));
        assert!(matches!(parse_datetime("31/10/2026", false), Err(CellError::DayFirst(_))));
        assert!(matches!(parse_datetime("2026-02-30", false), Err(CellError::DateRange(_))));
        assert!(matches!(parse_datetime("2026-10-31 25:00", false), Err(CellError::DateRange(_))));
        assert!(matches!(parse_datetime("next tuesday", false), Err(CellError::Date(_))));
        assert!(matches!(parse_datetime("2026-10-31 16:14 extra", false), Err(CellError::Date(_))));
        let msg = parse_datetime("31/10/2026", false).unwrap_err().to_string();
        assert!(msg.contains("--day-first"), "{msg}");
    }

    #[test]
    fn amounts_in_every_spelling() {
        let v = |s: &str| parse_amount(s).unwrap().map(|(v, c)| (v, c));
        assert_eq!(v("$1,234.50"), Some((1234.5, Some("USD".into()))));
        assert_eq!(v("1.234,50 €"), Some((1234.5, Some("EUR".into()))));
        assert_eq!(v("1234.5"), Some((1234.5, None)));
        assert_eq!(v("25000.0"), Some((25000.0, None)));
        assert_eq!(v("£1,200"), Some((1200.0, Some("GBP".into()))));
        assert_eq!(v("12,5"), Some((12.5, None)));
        assert_eq!(v("1 234,56"), Some((1234.56, None)));
        assert_eq!(v("EUR 900"), Some((900.0, Some("EUR".into()))));
        assert_eq!(v("1.234.567"), Some((1_234_567.0, None)));
        assert_eq!(v(""), None);
        assert!(parse_amount("about ten").is_err());
        assert!(parse_amount("12/10").is_err());
    }

    #[test]
    fn ids_damaged_by_excel_are_refused() {
        assert_eq!(parse_id(" 192236606158 "), Ok("192236606158"));
        assert!(matches!(parse_id("1.92236E+11"), Err(CellError::DamagedId(_))));
        assert_eq!(parse_id("ACME-E+1"), Ok("ACME-E+1"));
        assert_eq!(parse_id(""), Err(CellError::Empty));
    }

    #[test]
    fn outcomes_follow_the_spec_table() {
        for w in ["Connected", " answered", "REPLIED", "reply", "Completed", "held", "attended"] {
            assert_eq!(classify_outcome(w), (OutcomeClass::TwoWay, true), "{w}");
        }
        for w in ["No show", "no-show", "Canceled", "cancelled", "rescheduled", "not held"] {
            assert_eq!(classify_outcome(w).0, OutcomeClass::NotHeld, "{w}");
        }
        for w in ["out of office", "Auto-Reply", "automatic reply", "undeliverable", "delivery failure"] {
            assert_eq!(classify_outcome(w).0, OutcomeClass::AutoReply, "{w}");
        }
        for w in ["unsubscribed", "Opted out", "do not contact"] {
            assert_eq!(classify_outcome(w).0, OutcomeClass::OptOut, "{w}");
        }
        assert_eq!(classify_outcome("Bounced").0, OutcomeClass::Bounced);
        assert_eq!(classify_outcome("Left voicemail"), (OutcomeClass::OneWay, true));
        assert_eq!(classify_outcome("Meeting booked"), (OutcomeClass::OneWay, false));
        assert_eq!(classify_outcome("F240BBAC-87C9-4F6E-BF70-924B57D47DB7"), (OutcomeClass::TwoWay, true));
        assert_eq!(classify_outcome("b2cf5968-551e-4856-9783-52b3da59a7d0"), (OutcomeClass::OneWay, true));
        assert_eq!(parse_direction("FORWARDED_EMAIL"), Ok(Direction::Outbound));
        assert_eq!(parse_direction("INCOMING_EMAIL"), Ok(Direction::Inbound));
        assert_eq!(parse_bool(" TRUE "), Ok(true));
        assert!(parse_bool("maybe").is_err());
    }

    #[test]
    fn auto_reply_subjects() {
        assert!(is_auto_reply_subject("Automatic reply: away"));
        assert!(is_auto_reply_subject("OUT OF OFFICE until Monday"));
        assert!(is_auto_reply_subject("Delivery Status Notification (Failure)"));
        assert!(!is_auto_reply_subject("Re: out of office plans"));
        assert!(!is_auto_reply_subject("é"));
    }
}
