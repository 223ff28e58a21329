//! Chart 3, `give_up` (SPEC §3 rule 8), two panels side by side over the same four
//! buckets (last touch 1 / 2 / 3–4 / 5+):
//!
//! - left, *where deals were dropped*: the team's share of dropped deals per bucket
//!   (`give_up.buckets[].share`) beside the widely quoted 48% / 25% / 17% / 10%
//!   (attributed to Dartnell / McGraw-Hill; labelled "primary source not found");
//! - right, *the response still available*: the response rate, with its 95% whisker,
//!   of the touch that comes next (`response_by_touch` at touch 2 for deals dropped
//!   after touch 1, touch 3 after 2, touch 4 after 3–4, touch 6 after 5+), named under
//!   each bar so nothing is hidden by the bucket's width.
//!
//! This file is *what* the chart says (title, subtitle, bucket names and the quoted
//! figures: pure functions of `Metrics`); `give_up/draw.rs` is *how* it is drawn.

mod draw;

use super::response_by_touch::SMALL_N;
use crate::fmt::{count, percent};
use crate::metrics::{Bucket, Metrics, TouchRate};
pub(super) use draw::{draw, draw_panel, panels};

/// The widely quoted give-up figures (SPEC §1), by bucket name.
const QUOTED: [(&str, f64); 4] = [("1", 0.48), ("2", 0.25), ("3-4", 0.17), ("5+", 0.10)];

/// The touch that follows a bucket: after touch 1 comes touch 2; after 3–4, touch 4
/// (next for the deals dropped at 3); after 5+, touch 6.
fn next_touch(bucket: &str) -> Option<u32> {
    match bucket {
        "1" => Some(2),
        "2" => Some(3),
        "3-4" => Some(4),
        "5+" => Some(6),
        _ => None,
    }
}

/// The bucket name as people read it: `3-4` → `3–4`.
fn shown(bucket: &str) -> String {
    bucket.replace('-', "–")
}

/// Bar labels in whole percent: two bars share a bucket, and the quoted figures have no
/// decimals to compare against.
fn whole_percent(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn quoted(bucket: &str) -> Option<f64> {
    QUOTED.iter().find(|(b, _)| *b == bucket).map(|(_, v)| *v)
}

fn first_share(m: &Metrics) -> Option<&Bucket> {
    m.give_up.buckets.iter().find(|b| b.bucket == "1").filter(|b| b.share.is_some_and(|s| s > 0.0))
}

fn has_data(m: &Metrics) -> bool {
    m.give_up.deals > 0 && m.give_up.buckets.iter().any(|b| b.share.is_some())
}

pub(super) fn title(m: &Metrics) -> String {
    if !has_data(m) {
        return "Give-up point: no dropped deals to chart".to_owned();
    }
    // The biggest bucket (the earliest on a tie): usually "1", the finding that matters.
    let top = m.give_up.buckets.iter().filter(|b| b.share.is_some()).fold(None::<&Bucket>, |best, b| match best {
        Some(x) if x.share >= b.share => Some(x),
        _ => Some(b),
    });
    match top {
        Some(b) => format!("{} of deals were dropped {}", percent(b.share), after(&b.bucket)),
        None => "Where deals were dropped".to_owned(),
    }
}

/// "after the 1st touch", "after the 3rd or 4th touch", "after 5 or more touches".
fn after(bucket: &str) -> String {
    match bucket {
        "1" => "after the 1st touch".to_owned(),
        "2" => "after the 2nd touch".to_owned(),
        "3-4" => "after the 3rd or 4th touch".to_owned(),
        "5+" => "after 5 or more touches".to_owned(),
        other => format!("after touch {}", shown(other)),
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    if !has_data(m) {
        return String::new();
    }
    let g = &m.give_up;
    let mut s = format!(
        "n = {} dropped deals: lost, or open with no response and no touch for {}+ days",
        count(g.deals as u64),
        g.stale_days
    );
    if let (Some(_), Some(r)) = (first_share(m), rate_at(m, 2)) {
        if r.sent >= SMALL_N && r.responded > 0 {
            s += &format!(
                "\nYet touch 2 still got a response from {} of the {} deals it was sent to",
                percent(r.rate),
                count(r.sent)
            );
        }
    }
    s
}

fn rate_at(m: &Metrics, touch: u32) -> Option<&TouchRate> {
    m.response_by_touch.iter().find(|r| r.touch == touch && r.sent > 0 && r.rate.is_some())
}
