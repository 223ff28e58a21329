//! Chart `reply_delay` (SPEC §3 rule 11): the share of first responses that came within
//! 1, 3, 7 and 14 days of the touch they answer (`reply_delay`, over every channel).
//! The title turns it into advice: the shortest of those waits by which 80% of replies
//! have come is how long to wait before the next touch. The subtitle gives the median
//! and 90th percentile per channel and suggests a `--stale-days` from the team's own 90th
//! percentile.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::{Drawn, Theme};
use super::timing_bars::{self, Bar, Bars};
use crate::fmt::{count, days, percent};
use crate::metrics::{DelayStats, Metrics};

/// The share of replies at which the wait is read: 80% have come by then.
const ENOUGH: f64 = 0.8;

fn waits(d: &DelayStats) -> [(u32, Option<f64>); 4] {
    [(1, d.within_1d), (3, d.within_3d), (7, d.within_7d), (14, d.within_14d)]
}

fn day_word(n: u32) -> &'static str {
    if n == 1 {
        "day"
    } else {
        "days"
    }
}

/// The `--stale-days` the team's own replies suggest: the 90th percentile, rounded up
/// to whole days (at least 1); `None` when too few replies to read.
pub fn suggested_stale_days(m: &Metrics) -> Option<u32> {
    let d = &m.reply_delay.overall;
    if d.too_few() {
        return None;
    }
    d.p90_days.filter(|p| p.is_finite()).map(|p| p.ceil().clamp(1.0, 365.0) as u32)
}

pub(super) fn title(m: &Metrics) -> String {
    let d = &m.reply_delay.overall;
    if d.deals == 0 {
        return "How long replies take: no response credited to a touch".to_owned();
    }
    if d.too_few() {
        return format!("How long replies take: too few responses to read (n = {})", count(d.deals as u64));
    }
    match waits(d).into_iter().find(|(_, s)| s.is_some_and(|s| s >= ENOUGH)) {
        Some((n, share)) => format!(
            "Replies arrive within {n} {} in {} of cases: wait {n} {} before the next touch (n = {})",
            day_word(n),
            percent(share),
            day_word(n),
            count(d.deals as u64)
        ),
        None => format!(
            "Only {} of replies arrive within 14 days: replies are slow, leave long gaps (n = {})",
            percent(d.within_14d),
            count(d.deals as u64)
        ),
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let r = &m.reply_delay;
    if r.overall.deals == 0 {
        return String::new();
    }
    let mut out = format!("Median {}, 90% within {}", days(r.overall.median_days), days(r.overall.p90_days));
    let channels: Vec<String> = r
        .by_channel
        .iter()
        .filter(|c| !c.stats.too_few())
        .map(|c| format!("{} median {} (n = {})", c.channel, days(c.stats.median_days), count(c.stats.deals as u64)))
        .collect();
    if !channels.is_empty() {
        out += &format!("; by the channel of the touch answered: {}", channels.join(", "));
    }
    if let Some(s) = suggested_stale_days(m) {
        out += &format!(
            "\nSuggested --stale-days {s}: by then 90% of replies have come (this report used {})",
            m.give_up.stale_days
        );
    }
    out
}

fn bars(m: &Metrics) -> Vec<Bar> {
    let d = &m.reply_delay.overall;
    waits(d)
        .into_iter()
        .map(|(n, share)| Bar {
            label: format!("within {n} {}", day_word(n)),
            n_label: format!("n = {}", count(d.deals as u64)),
            rate: share,
            ci: None,
            readable: !d.too_few(),
            any: d.deals > 0,
        })
        .collect()
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
    timing_bars::draw(
        area,
        t,
        &Bars {
            bars: bars(m),
            what: "Share of first responses that had come".to_owned(),
            y_desc: "Share of responses",
            x_desc: "Days after the touch they answer (n = responses credited to a touch)",
            empty: "No response was credited to a touch, so there is no reply delay to show.",
        },
    )
}
