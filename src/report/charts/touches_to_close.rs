//! Chart 2, `touches_to_close` (SPEC §3 rule 5): the histogram of touches for won deals
//! (`touches_to_close.histogram`) beside the one for lost deals
//! (`touches_before_loss.histogram`), each as a share of its own group so that 137 won
//! and 1,467 lost deals can be compared, with a marker at 5 touches and the share of won
//! deals that needed 5 or more beside the widely quoted "80% need 5+".
//!
//! Touch counts above [`CAP`] are shown together as one last "CAP+" column, and the
//! axis always reaches 6 so the 5-touch marker has both sides.
//!
//! This file is *what* the chart says (title, subtitle and the marker's label: pure
//! functions of `Metrics`); `touches_to_close/draw.rs` is *how* it is drawn.

mod draw;

use super::theme;
use crate::fmt::{count, percent};
use crate::metrics::{Bin, Metrics};
pub(super) use draw::draw;

/// The last column shows every count from CAP up.
pub const CAP: u32 = 12;
/// Where the marker goes: the widely quoted "5 or more contacts".
const MARK: u32 = 5;

fn tracked(h: &[Bin]) -> usize {
    h.iter().map(|b| b.deals).sum()
}

fn touches_word(v: f64) -> &'static str {
    if (v - 1.0).abs() < 1e-9 {
        "touch"
    } else {
        "touches"
    }
}

/// Share of won deals (with tracked touches) that took `MARK` or more touches.
fn won_share_from_mark(m: &Metrics) -> Option<f64> {
    let h = &m.touches_to_close.stats.histogram;
    let total = tracked(h);
    (total > 0).then(|| h.iter().filter(|b| b.touches >= MARK).map(|b| b.deals).sum::<usize>() as f64 / total as f64)
}

pub(super) fn title(m: &Metrics) -> String {
    let won = &m.touches_to_close.stats;
    let lost = &m.touches_before_loss.stats;
    match (won.median, lost.median) {
        (Some(med), _) => format!("Won deals took a median of {} {}", theme::touches(med), touches_word(med)),
        (None, Some(med)) => format!(
            "No won deals with touch data yet; lost deals got a median of {} {}",
            theme::touches(med),
            touches_word(med)
        ),
        (None, None) => "Touches to close: no won or lost deals with touch data".to_owned(),
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let won = &m.touches_to_close;
    let lost = &m.touches_before_loss;
    if won.stats.histogram.is_empty() && lost.stats.histogram.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "n = {} won and {} lost deals with touch data",
        count(tracked(&won.stats.histogram) as u64),
        count(tracked(&lost.stats.histogram) as u64)
    );
    if let (Some(_), Some(med)) = (won.stats.median, lost.stats.median) {
        s += &format!(
            "; lost deals got a median of {} {} before they were lost",
            theme::touches(med),
            touches_word(med)
        );
    }
    let untracked = won.stats.untracked + lost.stats.untracked;
    if untracked > 0 {
        s += &format!(" ({} without touch data left out)", count(untracked as u64));
    }
    s
}

/// The label of the 5-touch marker: "5+ touches: 42.3% of won deals".
fn mark_label(m: &Metrics) -> String {
    match won_share_from_mark(m) {
        Some(s) => format!("{MARK}+ touches: {} of won deals", percent(Some(s))),
        None => format!("{MARK}+ touches"),
    }
}
