//! Chart `speed_to_answer` (SPEC §3 rule 10): the win rate (won / (won + lost)) of the
//! deals whose first response was a prospect's message, by how fast we answered it
//! (`speed_to_answer.time_to_answer.bands`: within an hour, 1–24 hours, 1–3 days, later,
//! never), with Wilson whiskers. The title compares answering within an hour with
//! answering after three days (after one to three days when too few waited longer),
//! only when both rest on enough closed deals; the subtitle gives the medians and the
//! speed to lead of inbound-initiated deals. An association, never a cause.

use super::theme::Drawn;
use super::timing_bars::{self, Bar, Bars};
use crate::fmt::{count, hours, percent};
use crate::metrics::{AnswerBand, AnswerTimes, Metrics, SpeedBand};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A band as the chart names it.
fn label(b: SpeedBand) -> &'static str {
    match b {
        SpeedBand::UpTo1h => "within 1 hour",
        SpeedBand::H1To24 => "1–24 hours",
        SpeedBand::H24To72 => "1–3 days",
        SpeedBand::Over72h => "over 3 days",
        SpeedBand::Never => "never",
    }
}

fn closed(b: &AnswerBand) -> u64 {
    b.won.saturating_add(b.lost) as u64
}

fn readable(b: &AnswerBand) -> bool {
    !b.too_few() && b.rate.is_some()
}

fn band(t: &AnswerTimes, which: SpeedBand) -> Option<&AnswerBand> {
    t.bands.iter().find(|b| b.band == which)
}

pub(super) fn title(m: &Metrics) -> String {
    let t = &m.speed_to_answer.time_to_answer;
    if t.deals == 0 {
        return "How fast we answer: no message from a prospect to answer".to_owned();
    }
    let fast = band(t, SpeedBand::UpTo1h).filter(|b| readable(b));
    let slow = band(t, SpeedBand::Over72h)
        .filter(|b| readable(b))
        .map(|b| (b, "after three days"))
        .or_else(|| band(t, SpeedBand::H24To72).filter(|b| readable(b)).map(|b| (b, "after one to three days")));
    match (fast, slow) {
        (Some(f), Some((s, when))) => format!(
            "Answering within an hour: {} won vs {} {when} (n = {} and {})",
            percent(f.rate),
            percent(s.rate),
            count(closed(f)),
            count(closed(s))
        ),
        _ => {
            let n: u64 = t.bands.iter().map(closed).sum();
            format!("Win rate by how fast we answered: too few closed deals per speed to read (n = {})", count(n))
        }
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let s = &m.speed_to_answer;
    let t = &s.time_to_answer;
    if t.deals == 0 {
        return String::new();
    }
    let mut out = format!(
        "n = {} prospects' messages, {} answered: median {}, 90% within {}; {} answered within an hour",
        count(t.deals as u64),
        count(t.answered as u64),
        hours(t.median_hours),
        hours(t.p90_hours),
        percent(t.within_1h)
    );
    let l = &s.speed_to_lead;
    if l.deals > 0 {
        out += &format!(
            "\nSpeed to lead ({} that reached us first): median {}, {} answered within an hour",
            crate::fmt::counted(l.deals as u64, "deal", "deals"),
            hours(l.median_hours),
            percent(l.within_1h)
        );
    }
    if let (Some(f), Some(s)) = (band(t, SpeedBand::UpTo1h), band(t, SpeedBand::Over72h)) {
        if readable(f) && readable(s) {
            if let (Some(a), Some(b), Some(c), Some(d)) = (f.ci_low, f.ci_high, s.ci_low, s.ci_high) {
                out += &format!(
                    "\n95% intervals: {}–{} vs {}–{}; associated with speed, not proof that speed causes it",
                    percent(Some(a)),
                    percent(Some(b)),
                    percent(Some(c)),
                    percent(Some(d))
                );
            }
        }
    }
    out
}

fn bars(m: &Metrics) -> Vec<Bar> {
    m.speed_to_answer
        .time_to_answer
        .bands
        .iter()
        .map(|b| Bar {
            label: label(b.band).to_owned(),
            n_label: format!("n = {}", count(closed(b))),
            rate: b.rate,
            ci: b.ci_low.zip(b.ci_high),
            readable: readable(b),
            any: closed(b) > 0,
        })
        .collect()
}

pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &super::theme::Theme,
    m: &Metrics,
) -> Drawn<DB> {
    timing_bars::draw(
        area,
        t,
        &Bars {
            bars: bars(m),
            what: "Won, of the deals closed (won or lost)".to_owned(),
            y_desc: "Won / (won + lost)",
            x_desc: "How long the prospect's message waited for our answer (n = closed deals)",
            empty: "No prospect's message with a closed deal to show a win rate for.",
        },
    )
}
