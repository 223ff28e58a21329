//! `reports/index.html`: one row per report folder with its headline numbers, said as
//! the page's cards say them (a figure on too few deals with its counts).

use askama::Template;

use super::CSS;
use crate::error::{Error, Result};
use crate::fmt::{counted, decimal, money, rate_or_few};
use crate::metrics::Metrics;

/// One row of `reports/index.html`.
#[derive(Debug, Clone)]
pub struct IndexRow {
    /// Folder name.
    pub name: String,
    /// Link to its page.
    pub href: String,
    /// "from to to", or "all data".
    pub period: String,
    /// The as-of date.
    pub as_of: String,
    /// Response by touch 5 (Kaplan–Meier).
    pub response: String,
    /// Mean touches to close.
    pub touches_to_close: String,
    /// Conversion after follow-up.
    pub conversion: String,
    /// Revenue recovered per currency.
    pub revenue: String,
}

/// `reports/index.html`: every report folder with its headline numbers.
#[derive(Debug, Template)]
#[template(path = "reports_index.html")]
pub struct IndexPage {
    /// Rows, newest first.
    pub rows: Vec<IndexRow>,
    /// Inline stylesheet (our own text).
    pub css: &'static str,
    /// The fewest deals a figure is read on (`metrics::SMALL_N`), for the note.
    pub small_n: usize,
}

/// The index row of one report.
pub fn index_row(name: &str, m: &Metrics) -> IndexRow {
    let km = crate::metrics::TouchRate::by_touch_5(&m.response_by_touch);
    IndexRow {
        name: name.to_owned(),
        href: format!("{}/index.html", percent_encode(name)),
        period: m.period.as_ref().map_or("all data".to_owned(), |p| format!("{} to {}", p.from, p.to)),
        as_of: m.as_of.clone(),
        // As the cards say them: a figure on too few deals shows its counts.
        response: {
            let first = m.response_by_touch.first();
            let sent_1 = first.map_or(0, |r| r.sent);
            let km_touch = km.map_or(5, |r| r.touch);
            let answered = m
                .response_by_touch
                .iter()
                .take_while(|r| r.touch <= km_touch)
                .fold(0u64, |s, r| s.saturating_add(r.responded));
            let few = first.is_some_and(|r| r.sent > 0 && r.too_few());
            rate_or_few(answered, sent_1, km.and_then(|r| r.cumulative_km), few)
        },
        touches_to_close: if m.touches_to_close.tracked() > 0 && m.touches_to_close.too_few() {
            format!("{} — too few to read", counted(m.touches_to_close.tracked() as u64, "won deal", "won deals"))
        } else {
            decimal(m.touches_to_close.stats.mean)
        },
        conversion: {
            let c = &m.conversion_after_follow_up;
            rate_or_few(c.won as u64, (c.won + c.lost) as u64, c.rate, c.too_few())
        },
        revenue: m
            .revenue_recovered
            .by_currency
            .iter()
            .map(|c| money(c.amount, &c.currency))
            .collect::<Vec<_>>()
            .join(" + "),
    }
}

/// A path segment for an href: every byte but ASCII letters, digits, `-`, `_`, `.` and
/// `~` as `%XX`.
fn percent_encode(segment: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Renders `reports/index.html`.
pub fn render_index(rows: Vec<IndexRow>) -> Result<String> {
    IndexPage { rows, css: CSS, small_n: crate::metrics::SMALL_N }
        .render()
        .map_err(|e| Error::Render { what: "reports/index.html".into(), message: e.to_string() })
}
