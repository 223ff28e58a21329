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

use plotters::coord::Shift;
use plotters::prelude::*;

use super::response_by_touch::SMALL_N;
use super::theme::{self, Axes, Drawn, Swatch, Theme, BLUE, GREY, INK, MUTED, PALE, SKY};
use crate::fmt::{count, percent};
use crate::metrics::{Bucket, Metrics, TouchRate};

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
    let mut s = format!("n = {} dropped deals: lost, or open with no response and no touch for {}+ days", count(g.deals as u64), g.stale_days);
    if let (Some(_), Some(r)) = (first_share(m), rate_at(m, 2)) {
        if r.sent >= SMALL_N && r.responded > 0 {
            s += &format!("\nYet touch 2 still got a response from {} of the {} deals it was sent to", percent(r.rate), count(r.sent));
        }
    }
    s
}

fn rate_at(m: &Metrics, touch: u32) -> Option<&TouchRate> {
    m.response_by_touch.iter().find(|r| r.touch == touch && r.sent > 0 && r.rate.is_some())
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
    if !has_data(m) {
        return theme::no_data(area, t, "No deal was lost or left without a response in this period.");
    }
    let buckets = &m.give_up.buckets;
    let body = theme::legend(
        area,
        t,
        &[
            (Swatch::Bar(BLUE), "Our dropped deals".to_owned()),
            (Swatch::Backdrop, "Widely quoted, primary source not found".to_owned()),
            (Swatch::Bar(SKY), "Response rate of the next touch (95% interval)".to_owned()),
        ],
    )?;
    let (w, _) = body.dim_in_pixel();
    let (left, right) = body.split_horizontally((w as f64 * 0.56) as u32);
    let right = right.margin(0, 0, t.upx(18.0), 0);

    // Left: where deals were dropped.
    let left = theme::panel_title(&left, t, "Where deals were dropped")?;
    let y_max = buckets.iter().flat_map(|b| [b.share, quoted(&b.bucket)]).flatten().fold(0.0, f64::max);
    let (mut chart, top) = theme::percent_chart(
        &left,
        t,
        buckets.len(),
        y_max * 1.12,
        Axes { y_desc: "Share of dropped deals", x_desc: "Last touch before the deal was dropped", label_rows: 2, right: 0.0 },
    )?;
    let w = 0.34;
    for (i, b) in buckets.iter().enumerate() {
        let x = i as f64 + 1.0;
        if let Some(s) = b.share {
            chart.draw_series(std::iter::once(Rectangle::new([(x - w, 0.0), (x, s.min(top))], BLUE.filled())))?;
            theme::value_label(&mut chart, t, (x - w / 2.0, s.min(top)), whole_percent(s), &BLUE)?;
        }
        if let Some(q) = quoted(&b.bucket) {
            chart.draw_series(std::iter::once(Rectangle::new([(x, 0.0), (x + w, q.min(top))], PALE.filled())))?;
            chart.draw_series(std::iter::once(Rectangle::new([(x, 0.0), (x + w, q.min(top))], GREY.stroke_width(t.thin()))))?;
            theme::value_label(&mut chart, t, (x + w / 2.0, q.min(top)), whole_percent(q), &MUTED)?;
        }
    }
    let labels: Vec<(f64, String, Option<String>)> = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| (i as f64 + 1.0, format!("after {}", shown(&b.bucket)), Some(format!("{} deals", count(b.deals as u64)))))
        .collect();
    theme::category_labels(&chart, t, &labels)?;

    // Right: the response the next touch still got.
    let right = theme::panel_title(&right, t, "What the next touch still got")?;
    let next: Vec<Option<&TouchRate>> = buckets.iter().map(|b| next_touch(&b.bucket).and_then(|k| rate_at(m, k))).collect();
    let y_max = next
        .iter()
        .flatten()
        .flat_map(|r| [r.rate, if r.sent >= SMALL_N { r.ci_high } else { None }])
        .flatten()
        .fold(0.0, f64::max);
    let (mut chart, top) = theme::percent_chart(
        &right,
        t,
        buckets.len(),
        y_max * 1.12,
        Axes { y_desc: "Response rate", x_desc: "The touch after the last one (n = deals sent it)", label_rows: 2, right: 0.0 },
    )?;
    for (i, r) in next.iter().enumerate() {
        let Some(r) = r else { continue };
        let Some(rate) = r.rate else { continue };
        let x = i as f64 + 1.0;
        let ok = r.sent >= SMALL_N;
        theme::rate_bar(&mut chart, t, x, 0.26, rate, r.ci_low.zip(r.ci_high), ok, top)?;
        // Values too uncertain to read get no number (the grey bar and n say so).
        if ok {
            theme::value_label(&mut chart, t, (x, r.ci_high.unwrap_or(rate).min(top)), percent(Some(rate)), &INK)?;
        }
    }
    let labels: Vec<(f64, String, Option<String>)> = buckets
        .iter()
        .zip(&next)
        .enumerate()
        .map(|(i, (b, r))| {
            let x = i as f64 + 1.0;
            match (next_touch(&b.bucket), r) {
                (Some(k), Some(r)) => (x, format!("touch {k}"), Some(format!("n = {}", count(r.sent)))),
                (Some(k), None) => (x, format!("touch {k}"), Some("not sent".to_owned())),
                (None, _) => (x, "–".to_owned(), None),
            }
        })
        .collect();
    theme::category_labels(&chart, t, &labels)
}
