//! Chart `spacing` (SPEC §3 rule 12): the response rate of touches 2 and later by the
//! calendar days since the touch before (0–1, 2–3, 4–7, 8–14, 15+), pooled over the
//! touches, with Wilson whiskers. The title names the readable gap with the best
//! response and states its comparison with the other gaps as metrics made it
//! (`spacing.comparisons`: Newcombe interval, Fisher's exact or z test, Holm): "a real
//! difference" only when metrics says it is meaningful.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::{Drawn, Theme};
use super::timing_bars::{self, Bar, Bars};
use crate::fmt::{count, percent};
use crate::metrics::groups::GroupComparison;
use crate::metrics::{Metrics, SpacingRate};

/// A bucket as people read it: `2-3` → `2–3`.
fn shown(bucket: &str) -> String {
    bucket.replace('-', "–")
}

fn readable(r: &SpacingRate) -> bool {
    !r.too_few() && r.rate.is_some()
}

/// The readable bucket with the highest rate (the earliest on a tie).
fn best(m: &Metrics) -> Option<&SpacingRate> {
    m.spacing.pooled.iter().filter(|r| readable(r)).fold(None, |best, r| match best {
        Some(b) if b.rate >= r.rate => Some(b),
        _ => Some(r),
    })
}

fn comparison<'a>(m: &'a Metrics, bucket: &str) -> Option<&'a GroupComparison> {
    m.spacing.comparisons.list.iter().find(|c| c.group == bucket)
}

pub(super) fn title(m: &Metrics) -> String {
    let sent: u64 = m.spacing.pooled.iter().map(|r| r.sent).sum();
    if sent == 0 {
        return "Gaps between touches: no second touch to compare".to_owned();
    }
    let Some(b) = best(m) else {
        return format!("Gaps between touches: too few touches per gap to read (n = {})", count(sent));
    };
    let bucket = shown(b.bucket.as_str());
    match comparison(m, b.bucket.as_str()) {
        Some(c) if c.n2 > 0 => format!(
            "A {bucket} day gap before the next touch gets {} vs {} after other gaps — {} (n = {} and {})",
            percent(b.rate),
            percent(Some(c.k2 as f64 / c.n2 as f64)),
            if c.is_meaningful() { "a real difference" } else { "not yet meaningful" },
            count(c.n1),
            count(c.n2)
        ),
        _ => format!("A {bucket} day gap before the next touch gets {} (n = {})", percent(b.rate), count(b.sent)),
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let sent: u64 = m.spacing.pooled.iter().map(|r| r.sent).sum();
    if sent == 0 {
        return String::new();
    }
    let mut out = format!(
        "n = {} touches 2 and later sent to deals that had not answered; calendar days since the touch before",
        count(sent)
    );
    let worst = m.spacing.pooled.iter().filter(|r| readable(r)).fold(None::<&SpacingRate>, |w, r| match w {
        Some(x) if x.rate <= r.rate => Some(x),
        _ => Some(r),
    });
    if let (Some(b), Some(w)) = (best(m), worst) {
        if b.bucket != w.bucket {
            out += &format!(
                "\nLowest: {} days, {} (n = {}); gaps chosen by the team, so associated with response, not proof",
                shown(w.bucket.as_str()),
                percent(w.rate),
                count(w.sent)
            );
        }
    }
    out
}

fn bars(m: &Metrics) -> Vec<Bar> {
    m.spacing
        .pooled
        .iter()
        .map(|r| Bar {
            label: format!("{} days", shown(r.bucket.as_str())),
            n_label: format!("n = {}", count(r.sent)),
            rate: r.rate,
            ci: r.ci_low.zip(r.ci_high),
            readable: readable(r),
            any: r.sent > 0,
        })
        .collect()
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
    timing_bars::draw(
        area,
        t,
        &Bars {
            bars: bars(m),
            what: "Response rate of the touch".to_owned(),
            y_desc: "Response rate",
            x_desc: "Days since the touch before (n = touches 2+ sent to deals that had not answered)",
            empty: "No deal received a second touch, so there is no gap to compare.",
        },
    )
}
