//! Chart 2, `touches_to_close` (SPEC §3 rule 5): the histogram of touches for won deals
//! (`touches_to_close.histogram`) beside the one for lost deals
//! (`touches_before_loss.histogram`), each as a share of its own group so that 137 won
//! and 1,467 lost deals can be compared, with a marker at 5 touches and the share of won
//! deals that needed 5 or more beside the widely quoted "80% need 5+".
//!
//! Touch counts above [`CAP`] are shown together as one last "CAP+" column, and the
//! axis always reaches 6 so the 5-touch marker has both sides.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::theme::{self, anchored, Axes, Drawn, Swatch, Theme, BLUE, INK, MUTED, ORANGE};
use crate::fmt::{count, percent};
use crate::metrics::{Bin, Metrics};

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
        (None, Some(med)) => format!("No won deals with touch data yet; lost deals got a median of {} {}", theme::touches(med), touches_word(med)),
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
        s += &format!("; lost deals got a median of {} {} before they were lost", theme::touches(med), touches_word(med));
    }
    let untracked = won.stats.untracked + lost.stats.untracked;
    if untracked > 0 {
        s += &format!(" ({} without touch data left out)", count(untracked as u64));
    }
    s
}

/// Column index (1-based, capped) for a touch count.
fn column(n: u32) -> u32 {
    n.clamp(1, CAP)
}

/// Share of the group's deals per column 1..=columns.
fn shares(h: &[Bin], columns: u32) -> Vec<Option<f64>> {
    let total = tracked(h);
    let mut deals = vec![0usize; columns as usize];
    for b in h {
        deals[column(b.touches) as usize - 1] += b.deals;
    }
    deals.into_iter().map(|d| (total > 0).then(|| d as f64 / total as f64)).collect()
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
    let won_h = &m.touches_to_close.stats.histogram;
    let lost_h = &m.touches_before_loss.stats.histogram;
    if won_h.is_empty() && lost_h.is_empty() {
        return theme::no_data(area, t, "No won or lost deal has touch data in this period.");
    }
    let max_n = won_h.iter().chain(lost_h).map(|b| b.touches).max().unwrap_or(1);
    let columns = column(max_n).max(MARK + 1);
    let won = shares(won_h, columns);
    let lost = shares(lost_h, columns);

    let body = theme::legend(
        area,
        t,
        &[
            (Swatch::Bar(BLUE), format!("Won deals (n = {})", count(tracked(won_h) as u64))),
            (Swatch::Bar(ORANGE), format!("Lost deals (n = {})", count(tracked(lost_h) as u64))),
        ],
    )?;
    let y_max = won.iter().chain(&lost).flatten().fold(0.0, |a: f64, b| a.max(*b));
    let (mut chart, top) = theme::percent_chart(
        &body,
        t,
        columns as usize,
        y_max * 1.08,
        Axes { y_desc: "Share of the group's deals", x_desc: "Outbound touches before the deal was won or lost", label_rows: 1, right: 10.0 },
    )?;

    let w = 0.36;
    for (i, (a, b)) in won.iter().zip(&lost).enumerate() {
        let x = i as f64 + 1.0;
        if let Some(a) = a.filter(|v| *v > 0.0) {
            chart.draw_series(std::iter::once(Rectangle::new([(x - w, 0.0), (x, a.min(top))], BLUE.filled())))?;
        }
        if let Some(b) = b.filter(|v| *v > 0.0) {
            chart.draw_series(std::iter::once(Rectangle::new([(x, 0.0), (x + w, b.min(top))], ORANGE.filled())))?;
        }
    }

    // The 5-touch marker: a dashed rule between 4 and 5, labelled on its right.
    let xm = MARK as f64 - 0.5;
    chart.draw_series(std::iter::once(DashedPathElement::new(vec![(xm, 0.0), (xm, top)], t.upx(6.0), t.upx(4.0), INK.stroke_width(t.thin()))))?;
    let head = anchored(t.bold(t.small_size(), &INK), HPos::Left, VPos::Top);
    let note = anchored(t.text(t.tiny_size(), &MUTED), HPos::Left, VPos::Top);
    let won_5 = match won_share_from_mark(m) {
        Some(s) => format!("{MARK}+ touches: {} of won deals", percent(Some(s))),
        None => format!("{MARK}+ touches"),
    };
    let at = EmptyElement::at((xm, top));
    chart.draw_series(std::iter::once(at + Text::new(won_5, (t.px(8.0), t.px(2.0)), head)))?;
    chart.draw_series(std::iter::once(
        EmptyElement::at((xm, top)) + Text::new("widely quoted: 80% of sales need 5+ contacts".to_owned(), (t.px(8.0), t.px(22.0)), note.clone()),
    ))?;
    chart.draw_series(std::iter::once(EmptyElement::at((xm, top)) + Text::new("(primary source not found)".to_owned(), (t.px(8.0), t.px(39.0)), note)))?;

    let labels: Vec<(f64, String, Option<String>)> = (1..=columns)
        .map(|c| {
            let text = if c == CAP && max_n > CAP { format!("{CAP}+") } else { c.to_string() };
            (c as f64, text, None)
        })
        .collect();
    theme::category_labels(&chart, t, &labels)
}
