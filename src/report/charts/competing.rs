//! Chart `competing_outcomes` (SPEC §3 rule 13): by touch k, the Kaplan–Meier share that
//! would have answered had every deal been chased that far (`cumulative_km`), and the
//! share that actually answers when opting out and losing end the chase (the cumulative
//! incidence `cif`, discrete Aalen–Johansen), on one chart. Points where fewer than
//! [`SMALL_N`] deals were still at risk are hollow. The title reads both at the last
//! touch with enough deals at risk; the subtitle explains the gap in one sentence.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::response_by_touch::SMALL_N;
use super::theme::{self, anchored, Axes, Drawn, Swatch, Theme, BLUE, VERMILLION};
use crate::fmt::{count, percent};
use crate::metrics::{CompetingStep, Metrics};

/// A line: its colour, where its end label sits, and its points (x, y, readable).
type Series = (RGBColor, VPos, Vec<(f64, f64, bool)>);

fn readable(s: &CompetingStep) -> bool {
    s.at_risk >= SMALL_N
}

/// The last touch with enough deals at risk and both figures.
fn reading(m: &Metrics) -> Option<(&CompetingStep, f64)> {
    m.competing_outcomes.iter().rev().find(|s| readable(s)).and_then(|s| s.cumulative_km.map(|km| (s, km)))
}

pub(super) fn title(m: &Metrics) -> String {
    let steps = &m.competing_outcomes;
    let Some(first) = steps.first().filter(|s| s.at_risk > 0) else {
        return "Who answers in the end: no deal received touch 1".to_owned();
    };
    match reading(m) {
        Some((s, km)) => format!(
            "By touch {}, {} answer when opting out and losing end the chase, vs {} if every deal were chased on (n = {})",
            s.touch,
            percent(Some(s.cif)),
            percent(Some(km)),
            count(first.at_risk)
        ),
        None => format!("Who answers in the end: too few deals to read (n = {})", count(first.at_risk)),
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let steps = &m.competing_outcomes;
    if steps.first().is_none_or(|s| s.at_risk == 0) {
        return String::new();
    }
    let lost: u64 = steps.iter().map(|s| s.lost).sum();
    let opted: u64 = steps.iter().map(|s| s.opted_out).sum();
    let mut out = match reading(m) {
        Some((s, km)) => format!(
            "The {:.1}-point gap is the deals lost ({}) or opted out ({}) before answering: Kaplan–Meier counts them as if they might still answer",
            ((km - s.cif) * 100.0).max(0.0),
            count(lost),
            count(opted)
        ),
        None => format!("{} deals lost and {} opted out before answering", count(lost), count(opted)),
    };
    out += "\nDeals that reached us first are left out; n under each touch = deals still at risk";
    out
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
    let steps = &m.competing_outcomes;
    if steps.first().is_none_or(|s| s.at_risk == 0) {
        return theme::no_data(area, t, "No deal received touch 1, so there is no one to follow.");
    }
    let mut items = vec![
        (Swatch::Line(VERMILLION), "Answered by the touch if every deal were chased on (Kaplan–Meier)".to_owned()),
        (Swatch::Line(BLUE), "Answered by the touch, losses and opt-outs ending the chase".to_owned()),
    ];
    if steps.iter().any(|s| !readable(s)) {
        items.push((Swatch::HollowDot(theme::GREY), format!("Fewer than {SMALL_N} deals at risk: too few to read")));
    }
    let body = theme::legend(area, t, &items)?;
    let y_max = steps.iter().flat_map(|s| [Some(s.cif), s.cumulative_km]).flatten().fold(0.0, f64::max);
    let (mut chart, top) = theme::percent_chart(
        &body,
        t,
        steps.len(),
        y_max * 1.1,
        Axes { y_desc: "Share of deals", x_desc: "Touch number (n = deals still at risk)", label_rows: 2, right: 62.0 },
    )?;
    let clamp = |v: f64| v.clamp(0.0, top);
    // Kaplan–Meier is above the CIF: its end label goes above the point, the CIF's below.
    let series: [Series; 2] = [
        (
            VERMILLION,
            VPos::Bottom,
            steps.iter().filter_map(|s| s.cumulative_km.map(|v| (s.touch as f64, clamp(v), readable(s)))).collect(),
        ),
        (BLUE, VPos::Top, steps.iter().map(|s| (s.touch as f64, clamp(s.cif), readable(s))).collect()),
    ];
    for (color, v, pts) in &series {
        let line: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1)).collect();
        chart.draw_series(std::iter::once(PathElement::new(line, color.stroke_width(t.line()))))?;
        for &(x, y, ok) in pts {
            if ok {
                chart.draw_series(std::iter::once(Circle::new((x, y), t.upx(4.5), color.filled())))?;
            } else {
                chart.draw_series(std::iter::once(Circle::new((x, y), t.upx(4.5), WHITE.filled())))?;
                chart.draw_series(std::iter::once(Circle::new((x, y), t.upx(4.5), color.stroke_width(t.thin()))))?;
            }
        }
        if let Some(&(x, y, _)) = pts.last() {
            let style = anchored(t.bold(t.small_size(), color), HPos::Left, *v);
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y)) + Text::new(percent(Some(y)), (t.px(10.0), 0), style),
            ))?;
        }
    }
    let labels: Vec<(f64, String, Option<String>)> =
        steps.iter().map(|s| (s.touch as f64, s.touch.to_string(), Some(count(s.at_risk)))).collect();
    theme::category_labels(&chart, t, &labels)
}
