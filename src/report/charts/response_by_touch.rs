//! Chart 1, `response_by_touch` (SPEC §3 rule 4): for each touch k, a bar for the
//! response rate at that touch with its Wilson 95% whisker; over the bars, the
//! Kaplan–Meier share responded by touch k (solid line, round markers, shaded 95%
//! band) and the plain cumulative share of all deals sent touch 1 (dashed, square
//! markers). Touches sent to fewer than [`SMALL_N`] deals are drawn hollow and grey.
//!
//! The title names the touch with the best response rate *we can be sure of*: touches
//! are ranked by the low end of their 95% interval, so a 19% on 21 deals does not beat
//! 11% on 946; the subtitle then says which touch shows a higher raw rate, and on how
//! few deals.
//!
//! This file is *what* the chart says (title and subtitle: pure functions of
//! `Metrics`); `response_by_touch/draw.rs` is *how* it is drawn.

mod draw;

use crate::fmt::{count, percent};
use crate::metrics::{Metrics, TouchRate};
pub(super) use draw::draw;

/// Touches sent to fewer deals than this are greyed out and never named in a title:
/// [`crate::metrics::SMALL_N`], the one threshold of the report.
pub const SMALL_N: u64 = crate::metrics::SMALL_N as u64;

fn readable(r: &TouchRate) -> bool {
    r.sent >= SMALL_N && r.rate.is_some()
}

fn low(r: &TouchRate) -> f64 {
    r.ci_low.unwrap_or(0.0)
}

/// The readable touch with the highest Wilson lower bound (the earliest on a tie).
fn best(rows: &[TouchRate]) -> Option<&TouchRate> {
    rows.iter().filter(|r| readable(r)).fold(None, |best, r| match best {
        Some(b) if low(b) >= low(r) => Some(b),
        _ => Some(r),
    })
}

fn has_data(m: &Metrics) -> bool {
    m.response_by_touch.iter().any(|r| r.sent > 0)
}

pub(super) fn title(m: &Metrics) -> String {
    let rows = &m.response_by_touch;
    if !has_data(m) {
        return "Response rate by touch: no touches sent".to_owned();
    }
    if rows.iter().all(|r| r.responded == 0) {
        return "No deal has responded to a touch yet".to_owned();
    }
    match best(rows) {
        Some(b) => format!("Touch {} gets the best response rate: {}", b.touch, percent(b.rate)),
        None => format!("Too few deals per touch to rank the touches yet (fewer than {SMALL_N} each)"),
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let rows = &m.response_by_touch;
    if !has_data(m) {
        return String::new();
    }
    let mut out = match rows.iter().find(|r| r.sent > 0) {
        Some(r) if r.touch == 1 => format!("n = {} deals received touch 1", count(r.sent)),
        Some(r) => {
            format!("n = {} deals received touch {} (none received touch 1 in this period)", count(r.sent), r.touch)
        }
        None => String::new(),
    };
    if let Some(last) = rows.iter().rev().find(|r| readable(r) && r.cumulative_km.is_some()) {
        if last.touch > 1 {
            out += &format!(
                "; followed up to touch {}, {} of deals would respond (Kaplan–Meier)",
                last.touch,
                percent(last.cumulative_km)
            );
        }
    }
    if let Some(b) = best(rows) {
        let higher = rows
            .iter()
            .filter(|r| r.sent > 0 && r.rate.unwrap_or(0.0) > b.rate.unwrap_or(0.0) + 1e-12)
            .max_by(|x, y| x.rate.unwrap_or(0.0).total_cmp(&y.rate.unwrap_or(0.0)));
        if let Some(h) = higher {
            out += &format!(
                "\nTouch {} shows {}, but on only {} deals (95% interval {} to {}): not a reliable lead",
                h.touch,
                percent(h.rate),
                count(h.sent),
                percent(h.ci_low),
                percent(h.ci_high)
            );
        }
    }
    out
}
