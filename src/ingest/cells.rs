//! Cell parsers: one text cell in, a typed value or a [`CellError`] out. No I/O, no
//! allocation on the hot paths (dates and amounts are parsed byte by byte), so they
//! can run over millions of rows and be property-tested on their own.
//!
//! The accepted spellings are listed in docs/decisions.md.

use crate::model::{Channel, Direction, OutcomeClass, Status};
/// The calendar functions moved to [`crate::time`]; re-exported for older imports.
pub use crate::time::{civil_from_days, days_from_civil, format_day, format_time};
use crate::time::{days_in_month, SECS_PER_DAY};

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
    /// A UTC offset beyond ±14:00 or with minutes above 59.
    #[error("impossible time zone offset in {0:?}: offsets run from -14:00 to +14:00")]
    Zone(String),
    /// Not a number.
    #[error("unreadable amount {0:?}: write it as 1234.50, $1,234.50 or 1.234,50 €")]
    Amount(String),
    /// Thousands separators that do not group by three, or two decimal marks.
    #[error("unreadable amount {0:?}: thousands are grouped by three (1,234,567.50 or 1.234.567,50) and only one decimal mark is allowed")]
    AmountGroups(String),
    /// An amount too large to be a deal value (or not finite).
    #[error("amount {0:?} is out of range: amounts must be below 1,000,000,000,000,000")]
    AmountRange(String),
    /// A word in an amount that is neither a known currency code nor a symbol.
    #[error("amount {0:?}: {1:?} is not a currency: write the number alone (10000) or with a currency code or symbol (EUR 10000, 10.000 €)")]
    Currency(String, String),
    /// Not a whole number.
    #[error("unreadable count {0:?}: expected a whole number such as 6 or 6.0")]
    Count(String),
    /// A count above [`COUNT_LIMIT`].
    #[error("count {0:?} is above 10,000, the most touches followup reads for one deal: check the column")]
    CountRange(String),
    /// An id mangled by a spreadsheet.
    #[error("id {0:?} was damaged by a spreadsheet (scientific notation): re-export the file, or format the id column as text before saving")]
    DamagedId(String),
    /// Neither done nor planned.
    #[error("unreadable done flag {0:?}: expected Done or To do (Completed or Not Started, true or false)")]
    Done(String),
    /// Not true or false.
    #[error("unreadable flag {0:?}: expected true or false")]
    Bool(String),
    /// A direction word that is neither inbound nor outbound.
    #[error("unknown direction {0:?}: expected inbound or outbound")]
    Direction(String),
}

impl CellError {
    /// The kind of fault, without the cell's value.
    pub fn kind(&self) -> crate::ingest::RejectKind {
        use crate::ingest::RejectKind as K;
        match self {
            CellError::Empty => K::Empty,
            CellError::Date(_) => K::UnreadableDate,
            CellError::DayFirst(_) => K::DayFirstDate,
            CellError::DateRange(_) => K::ImpossibleDate,
            CellError::Zone(_) => K::TimeZone,
            CellError::Amount(_) | CellError::AmountGroups(_) => K::UnreadableAmount,
            CellError::AmountRange(_) => K::AmountRange,
            CellError::Currency(..) => K::UnknownCurrency,
            CellError::Count(_) => K::UnreadableCount,
            CellError::CountRange(_) => K::CountRange,
            CellError::DamagedId(_) => K::DamagedId,
            CellError::Bool(_) | CellError::Done(_) => K::UnreadableFlag,
            CellError::Direction(_) => K::UnknownDirection,
        }
    }
}

/// A cell as quoted in a reason: at most 60 characters (cut on a character boundary),
/// so that a 1 MiB cell does not become a 1 MiB message.
fn shown(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or("")),
        None => s.to_owned(),
    }
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
    match iso_fast(s.as_bytes()) {
        Some(secs) => Ok((secs, None)),
        None => parse_datetime_general(s, day_first),
    }
}

/// [`parse_datetime_parts`] of a trimmed, non-empty cell, by the whole grammar.
fn parse_datetime_general(s: &str, day_first: bool) -> Result<(i64, Option<i64>), CellError> {
    let bad = || CellError::Date(shown(s));
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
        let year_start = c.i;
        let y = c.num(4).ok_or_else(bad)?;
        // Two-digit years pivot as POSIX strptime does: 00-69 → 2000-2069, 70-99 →
        // 1970-1999 (docs/decisions.md); one or three digits are refused.
        let y = match c.i - year_start {
            4 => y,
            2 if y < 70 => 2000 + y,
            2 => 1900 + y,
            _ => return Err(bad()),
        };
        if sep == b'.' || day_first {
            (y as i32, b, a)
        } else {
            if a > 12 && b <= 12 {
                return Err(CellError::DayFirst(shown(s)));
            }
            (y as i32, a, b)
        }
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(CellError::DateRange(shown(s)));
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
    // Bytes, not text: the cell may go on with any character (`10:00 – 11:00`).
    let meridiem = c.b.get(c.i..c.i + 2).filter(|m| m.eq_ignore_ascii_case(b"am") || m.eq_ignore_ascii_case(b"pm"));
    if let Some(m) = meridiem {
        if hh == 0 || hh > 12 {
            return Err(CellError::DateRange(shown(s)));
        }
        let pm = m.eq_ignore_ascii_case(b"pm");
        hh = match (hh, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        c.i += 2;
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return Err(CellError::DateRange(shown(s)));
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
        if h > 14 || min > 59 || h * 60 + min > 14 * 60 {
            return Err(CellError::Zone(shown(s)));
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

/// The wall-clock seconds of the forms exports write most, `2026-10-31`,
/// `2026-10-31 16:14` and `2026-10-31 16:14:05` (or with a `T`), read at fixed
/// places; `None` for anything else, out-of-range numbers included, which the
/// general parser then reads (or rejects) as before (issue 12).
fn iso_fast(b: &[u8]) -> Option<i64> {
    let digits = |at: usize, n: usize| -> Option<u32> {
        b.get(at..at + n)?.iter().try_fold(0u32, |v, &c| c.is_ascii_digit().then(|| v * 10 + u32::from(c - b'0')))
    };
    if !matches!(b.len(), 10 | 16 | 19) || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let y = y as i32;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let mut secs = days_from_civil(y, m, d) as i64 * SECS_PER_DAY;
    if b.len() > 10 {
        if !matches!(b.get(10), Some(b' ' | b'T')) || b.get(13) != Some(&b':') {
            return None;
        }
        let (hh, mm) = (digits(11, 2)?, digits(14, 2)?);
        let ss = match b.len() {
            19 if b.get(16) == Some(&b':') => digits(17, 2)?,
            19 => return None,
            _ => 0,
        };
        if hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        secs += i64::from(hh * 3600 + mm * 60 + ss);
    }
    Some(secs)
}

/// Amounts at or above this, in absolute value, are refused: no deal is worth a
/// quadrillion, and beyond it a float no longer counts cents exactly.
pub const AMOUNT_LIMIT: f64 = 1e15;

/// The most touches a `touch_count` cell may name (docs/decisions.md): one deal row
/// becomes this many touches in memory and in the report.
pub const COUNT_LIMIT: u32 = 10_000;

/// Currency symbols and the code each stands for (`$` is read as USD).
const CURRENCY_SYMBOLS: [(char, &str); 14] = [
    ('$', "USD"),
    ('€', "EUR"),
    ('£', "GBP"),
    ('¥', "JPY"),
    ('₹', "INR"),
    ('₩', "KRW"),
    ('₽', "RUB"),
    ('₺', "TRY"),
    ('₪', "ILS"),
    ('₱', "PHP"),
    ('₫', "VND"),
    ('฿', "THB"),
    ('₴', "UAH"),
    ('₦', "NGN"),
];

/// The ISO 4217 codes an amount cell may carry (the currencies sales teams report in).
const CURRENCY_CODES: [&str; 62] = [
    "AED", "ARS", "AUD", "BGN", "BHD", "BDT", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP", "EUR",
    "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW", "KWD", "KZT", "LKR", "MAD", "MXN", "MYR",
    "NGN", "NOK", "NZD", "OMR", "PEN", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SEK", "SGD", "THB",
    "TND", "TRY", "TWD", "UAH", "USD", "UYU", "VND", "XAF", "XOF", "ZAR", "GHS", "JOD", "LBP", "VES",
];

/// The ISO 4217 code a word names, ignoring case (`eur` → EUR), if we know it.
pub fn currency_code(word: &str) -> Option<&'static str> {
    CURRENCY_CODES.iter().copied().find(|c| c.eq_ignore_ascii_case(word))
}

fn in_range(v: f64, t: &str) -> Result<f64, CellError> {
    if v.is_finite() && v.abs() < AMOUNT_LIMIT {
        Ok(v)
    } else {
        Err(CellError::AmountRange(shown(t)))
    }
}

/// Parses an amount. Returns `None` for an empty cell, else the value and the currency
/// its symbol or code names (`$` USD, `€` EUR, `£` GBP, `¥` JPY, … or a known ISO code).
///
/// The rules (docs/decisions.md, "Amounts"): a plain number (digits, an optional
/// leading `-`, at most one `.`) is read as machines write it, `.` being the decimal
/// point (`25000.0`, `1.234`). In a formatted amount (with a currency, a comma, a space,
/// brackets or several dots) the last of `.` and `,` is the decimal mark when both
/// appear; a mark that appears more than once groups thousands; a lone mark followed
/// by exactly three digits after one to three digits (`1,234`, `1.234 €`, `£1,200`)
/// groups thousands too; any other lone mark is the decimal mark (`12,5`). Thousands
/// groups (`,` `.` space or `'`) must hold exactly three digits. Values must be below
/// [`AMOUNT_LIMIT`]; a word is a currency only if it is a code we know.
pub fn parse_amount(s: &str) -> Result<Option<(f64, Option<String>)>, CellError> {
    let t = trim_cell(s);
    if t.is_empty() || t == "-" {
        return Ok(None);
    }
    // Fast path: a plain number such as HubSpot's `25000.0`.
    let b = t.as_bytes();
    let plain = b.iter().enumerate().all(|(i, &c)| c.is_ascii_digit() || c == b'.' || (i == 0 && c == b'-'));
    if plain && b.iter().filter(|&&c| c == b'.').count() <= 1 && b.iter().any(u8::is_ascii_digit) {
        if let Ok(v) = t.parse::<f64>() {
            return in_range(v, t).map(|v| Some((v, None)));
        }
    }
    let bad = || CellError::Amount(shown(t));
    // The number's digits and marks in order, a group space written as b' '.
    let mut num = [0u8; 128];
    let mut n = 0usize;
    // 0: before the number, 1: in it, 2: after it.
    let mut state = 0u8;
    let mut negative = false;
    let mut bracket = false;
    let mut symbol: Option<&'static str> = None;
    let mut word: Option<(usize, usize)> = None;
    for (i, ch) in t.char_indices() {
        match ch {
            '0'..='9' | '.' | ',' => {
                if state == 2 {
                    return Err(bad());
                }
                let Some(slot) = num.get_mut(n) else {
                    return Err(CellError::AmountRange(shown(t)));
                };
                *slot = ch as u8;
                n += 1;
                state = 1;
            }
            ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' => {
                if state == 1 && n < num.len() && num[n - 1] != b' ' {
                    num[n] = b' ';
                    n += 1;
                }
            }
            '-' | '(' if state == 0 && !negative => {
                negative = true;
                bracket = ch == '(';
            }
            ')' if bracket && state != 0 => {
                bracket = false;
                state = 2;
            }
            c if c.is_alphabetic() => {
                word = match word {
                    None => Some((i, i + c.len_utf8())),
                    Some((start, end)) if end == i => Some((start, end + c.len_utf8())),
                    Some(_) => return Err(bad()),
                };
                if state == 1 {
                    state = 2;
                }
            }
            c => match CURRENCY_SYMBOLS.iter().find(|(sym, _)| *sym == c) {
                Some((_, code)) if symbol.is_none() => {
                    symbol = Some(*code);
                    if state == 1 {
                        state = 2;
                    }
                }
                _ => return Err(bad()),
            },
        }
    }
    let mut currency = symbol;
    if let Some((start, end)) = word {
        let w = t.get(start..end).unwrap_or("");
        match currency_code(w) {
            Some(code) if symbol.is_none_or(|s| s == code) => currency = Some(code),
            Some(_) => return Err(bad()),
            None => return Err(CellError::Currency(shown(t), shown(w))),
        }
    }
    if bracket || n == 0 {
        return Err(bad());
    }
    while n > 0 && num[n - 1] == b' ' {
        n -= 1;
    }
    let v = read_number(&num[..n], t)?;
    Ok(Some((if negative { -v } else { v }, currency.map(str::to_owned))))
}

/// The value of an amount's digits and marks (see [`parse_amount`] for the rules).
fn read_number(num: &[u8], t: &str) -> Result<f64, CellError> {
    let groups_err = || CellError::AmountGroups(shown(t));
    let count = |m: u8| num.iter().filter(|&&c| c == m).count();
    let (dots, commas, spaces) = (count(b'.'), count(b','), count(b' '));
    let decimal: Option<usize> = match (dots, commas) {
        (0, 0) => None,
        (k, 0) | (0, k) => {
            let mark = if dots > 0 { b'.' } else { b',' };
            let at = num.iter().position(|&c| c == mark).unwrap_or(0);
            let digits_after = num.len() - at - 1;
            let grouping =
                k > 1 || (spaces == 0 && digits_after == 3 && (1..=3).contains(&at) && num.first() != Some(&b'0'));
            (!grouping).then_some(at)
        }
        _ => {
            let at = num.iter().rposition(|&c| c == b'.' || c == b',').unwrap_or(0);
            if count(num[at]) != 1 {
                return Err(groups_err());
            }
            Some(at)
        }
    };
    let (int, frac) = match decimal {
        Some(at) => (&num[..at], &num[at + 1..]),
        None => (num, &num[num.len()..]),
    };
    if decimal.is_some() && (frac.is_empty() || !frac.iter().all(u8::is_ascii_digit)) {
        return Err(if frac.is_empty() { CellError::Amount(shown(t)) } else { groups_err() });
    }
    // The integer part: digits, or groups of three after a first group of one to three,
    // all separated by the same mark.
    let mut marks = int.iter().filter(|c| !c.is_ascii_digit());
    if let Some(&mark) = marks.next() {
        if marks.any(|&c| c != mark) {
            return Err(groups_err());
        }
        let mut parts = int.split(|&c| c == mark);
        let first_ok = parts.next().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || !parts.all(|g| g.len() == 3) {
            return Err(groups_err());
        }
    } else if int.is_empty() && decimal.is_none() {
        return Err(CellError::Amount(shown(t)));
    }
    // Digits only, leading zeros dropped, into a stack buffer for the float parser.
    let mut buf = [0u8; 64];
    let mut len = 0usize;
    for &c in int.iter().filter(|c| c.is_ascii_digit()).skip_while(|&&c| c == b'0') {
        if len >= 15 {
            return Err(CellError::AmountRange(shown(t)));
        }
        buf[len] = c;
        len += 1;
    }
    if len == 0 {
        buf[0] = b'0';
        len = 1;
    }
    if !frac.is_empty() {
        buf[len] = b'.';
        len += 1;
        for &c in frac.iter().take(buf.len() - len) {
            buf[len] = c;
            len += 1;
        }
    }
    let v: f64 = std::str::from_utf8(&buf[..len])
        .ok()
        .and_then(|x| x.parse().ok())
        .ok_or_else(|| CellError::Amount(shown(t)))?;
    in_range(v, t)
}

/// Parses a whole count such as HubSpot's `14.0`; empty = `None`.
pub fn parse_count(s: &str) -> Result<Option<u32>, CellError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.parse().map_err(|_| CellError::Count(shown(t)))?;
    if !v.is_finite() || v < 0.0 || v.fract() != 0.0 {
        return Err(CellError::Count(shown(t)));
    }
    if v > COUNT_LIMIT as f64 {
        return Err(CellError::CountRange(shown(t)));
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
    const WORDS: [(&str, bool); 6] =
        [("true", true), ("false", false), ("yes", true), ("no", false), ("1", true), ("0", false)];
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
    let contains =
        |needle: &str| stage.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    if contains("won") {
        Status::Won
    } else if contains("lost") {
        Status::Lost
    } else {
        Status::Open
    }
}

/// Whether an activity took place (SPEC §2 "Done, not planned"): Pipedrive's `Done` /
/// `To do` and API `true` / `false`, Salesforce's task `Status` (only `Completed`
/// happened: Not Started, In Progress, Waiting on someone else, Deferred did not),
/// HubSpot's task and call statuses (scheduled, queued, not started: not yet; a call
/// that was busy, failed or not answered was made).
pub fn parse_done(s: &str) -> Result<bool, CellError> {
    const DONE: [&str; 23] = [
        "done",
        "true",
        "yes",
        "1",
        "completed",
        "complete",
        "held",
        "finished",
        "sent",
        "y",
        "x",
        "✓",
        "✔",
        // HubSpot call statuses of a call that was made, whatever came of it.
        "busy",
        "failed",
        "no answer",
        "no_answer",
        "missed",
        "canceled",
        "cancelled",
        "ringing",
        "connecting",
        "calling crm user",
    ];
    const NOT_YET: [&str; 19] = [
        "to do",
        "todo",
        "to-do",
        "false",
        "no",
        "n",
        "0",
        "not started",
        "not_started",
        "in progress",
        "in_progress",
        "waiting on someone else",
        "waiting",
        "deferred",
        "scheduled",
        "queued",
        "planned",
        "open",
        "pending",
    ];
    let t = trim_cell(s);
    if DONE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Ok(true)
    } else if NOT_YET.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Ok(false)
    } else {
        Err(CellError::Done(t.to_owned()))
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
        "note" | "notes" | "task" | "tasks" | "internal note" | "todo" | "to do" | "to-do" | "deadline" => {
            return ChannelCell::NotATouch
        }
        "email" | "e-mail" | "mail" | "emails" | "incoming_email" | "forwarded_email" | "listemail" => Channel::Email,
        "call" | "phone" | "phone call" | "cold call" | "calls" | "telephone" => Channel::Call,
        "meeting" | "demo" | "video call" | "zoom" | "teams" | "meetings" | "video" | "lunch" => Channel::Meeting,
        "text" | "sms" | "whatsapp" | "text message" => Channel::Text,
        "linkedin" | "social" | "inmail" | "twitter" | "x" | "facebook" | "instagram" | "linkedin message" => {
            Channel::Social
        }
        "letter" | "post" | "postcard" | "direct mail" => Channel::Letter,
        "visit" | "site visit" | "drop-in" | "drop in" | "in person" => Channel::Visit,
        _ => return channel_by_words(&l),
    };
    ChannelCell::Touch(ch)
}

/// An activity type no list names, read by its words (Pipedrive's custom type keys such
/// as `followup_call_`): a task, deadline or note word → not a touch; else a call,
/// meeting, email word → that channel; anything else → other.
fn channel_by_words(l: &str) -> ChannelCell {
    let words: Vec<&str> = l.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if has(&["task", "deadline", "note", "todo"]) {
        ChannelCell::NotATouch
    } else if has(&["call", "phone"]) {
        ChannelCell::Touch(Channel::Call)
    } else if has(&["meeting", "lunch", "demo"]) {
        ChannelCell::Touch(Channel::Meeting)
    } else if has(&["email", "mail"]) {
        ChannelCell::Touch(Channel::Email)
    } else {
        ChannelCell::Touch(Channel::Other)
    }
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
    PREFIXES.iter().any(|p| t.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p)))
}

#[cfg(test)]
mod tests;
