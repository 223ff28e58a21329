//! The drawing shared by the bar charts of issue 13 (speed to answer, reply delay,
//! spacing, late answers): one bar per category with its 95% whisker where it has one,
//! drawn hollow and grey when it rests on fewer than [`SMALL_N`] deals, the value above
//! the readable bars and each category's n under it. What the bars are is decided by the
//! family's own file; this is only *how* they are drawn.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::response_by_touch::SMALL_N;
use super::theme::{self, Axes, Drawn, Swatch, Theme, GREY, INK, SKY};
use crate::fmt::percent;

/// One bar: a category and its rate.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Bar {
    /// The category, under the axis ("≤ 1 hour", "2–3 days", "touch 5+").
    pub label: String,
    /// The line under it, e.g. "n = 120".
    pub n_label: String,
    /// The rate; no bar when `None`.
    pub rate: Option<f64>,
    /// The 95% interval, drawn as a whisker.
    pub ci: Option<(f64, f64)>,
    /// Rests on enough deals to be read (else hollow grey, no value printed).
    pub readable: bool,
    /// Rests on at least one deal (a category with none gets no grey-legend entry).
    pub any: bool,
}

/// What a bar chart shows: its bars and the texts around them.
pub(super) struct Bars<'a> {
    /// In order, left to right.
    pub bars: Vec<Bar>,
    /// The legend entry of a readable bar.
    pub what: String,
    /// Title of the y axis.
    pub y_desc: &'a str,
    /// Title of the x axis.
    pub x_desc: &'a str,
    /// The message of the "No data" panel.
    pub empty: &'a str,
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, b: &Bars<'_>) -> Drawn<DB> {
    if b.bars.iter().all(|x| x.rate.is_none()) {
        return theme::no_data(area, t, b.empty);
    }
    let mut items = vec![];
    if b.bars.iter().any(|x| x.readable && x.rate.is_some()) {
        items.push((Swatch::Bar(SKY), b.what.clone()));
    }
    if b.bars.iter().any(|x| x.readable && x.ci.is_some()) {
        items.push((Swatch::Whisker(INK), "95% interval".to_owned()));
    }
    if b.bars.iter().any(|x| x.any && !x.readable) {
        items.push((Swatch::Hollow(GREY), format!("Fewer than {SMALL_N} deals: too few to read")));
    }
    let body = theme::legend(area, t, &items)?;
    let y_max = b
        .bars
        .iter()
        .flat_map(|x| [x.rate, if x.readable { x.ci.map(|c| c.1) } else { None }])
        .flatten()
        .fold(0.0, f64::max);
    let (mut chart, top) = theme::percent_chart(
        &body,
        t,
        b.bars.len(),
        y_max * 1.12,
        Axes { y_desc: b.y_desc, x_desc: b.x_desc, label_rows: 2, right: 0.0 },
    )?;
    let column_px = (chart.backend_coord(&(2.0, 0.0)).0 - chart.backend_coord(&(1.0, 0.0)).0).max(1) as f64;
    let half = 0.28f64.min(t.px(45.0) as f64 / column_px);
    for (i, bar) in b.bars.iter().enumerate() {
        let Some(rate) = bar.rate else { continue };
        let x = i as f64 + 1.0;
        let ci = if bar.readable { bar.ci } else { None };
        theme::rate_bar(&mut chart, t, x, half, rate, ci, bar.readable, top)?;
        if bar.readable {
            let y = ci.map_or(rate, |c| c.1).max(rate).min(top);
            theme::value_label(&mut chart, t, (x, y), percent(Some(rate)), &INK)?;
        }
    }
    let labels: Vec<(f64, String, Option<String>)> =
        b.bars.iter().enumerate().map(|(i, x)| (i as f64 + 1.0, x.label.clone(), Some(x.n_label.clone()))).collect();
    theme::category_labels(&chart, t, &labels)
}
