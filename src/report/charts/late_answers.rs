//! Chart `late_answers` (SPEC §3 rule 13): the win rate (won / (won + lost)) of the
//! deals by the touch that got their first response (1, 2, 3, 4, 5+), with Wilson
//! whiskers. The title says whether a late answer is worth as much as an early one:
//! the latest readable group against touch 1 — "about the same" when the two rates are
//! within 5 points, "not yet a meaningful difference" when their intervals overlap,
//! else more or less often. The subtitle gives the won amounts of the late answers.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::{Drawn, Theme};
use super::timing_bars::{self, Bar, Bars};
use crate::fmt::{count, money, percent};
use crate::metrics::{LateAnswer, LateTouch, Metrics};

/// Two win rates this close are "about the same".
const SAME: f64 = 0.05;

fn closed(a: &LateAnswer) -> u64 {
    a.won.saturating_add(a.lost) as u64
}

fn readable(a: &LateAnswer) -> bool {
    !a.too_few() && a.rate.is_some()
}

fn name(t: LateTouch) -> String {
    format!("touch {}", t.as_str())
}

pub(super) fn title(m: &Metrics) -> String {
    let rows = &m.late_answers;
    let n: u64 = rows.iter().map(closed).sum();
    if n == 0 {
        return "What a late answer is worth: no closed deal with a response".to_owned();
    }
    let first = rows.iter().find(|a| a.touch == LateTouch::One).filter(|a| readable(a));
    let late = rows.iter().rev().find(|a| a.touch != LateTouch::One && readable(a));
    let (Some(f), Some(l)) = (first, late) else {
        return format!("What a late answer is worth: too few closed deals per touch to read (n = {})", count(n));
    };
    let (Some(fr), Some(lr)) = (f.rate, l.rate) else {
        return "What a late answer is worth".to_owned();
    };
    let overlap = match (f.ci_low, f.ci_high, l.ci_low, l.ci_high) {
        (Some(a), Some(b), Some(c), Some(d)) => c <= b && a <= d,
        _ => true,
    };
    let reading = if (lr - fr).abs() <= SAME {
        format!("about the same as at touch 1 ({})", percent(Some(fr)))
    } else if overlap {
        format!("vs {} at touch 1 — not yet a meaningful difference", percent(Some(fr)))
    } else if lr > fr {
        format!("more often than at touch 1 ({})", percent(Some(fr)))
    } else {
        format!("less often than at touch 1 ({})", percent(Some(fr)))
    };
    format!(
        "Answers at {} win {} of the time, {reading} (n = {} and {})",
        name(l.touch),
        percent(Some(lr)),
        count(closed(l)),
        count(closed(f))
    )
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let rows = &m.late_answers;
    if rows.iter().all(|a| a.deals == 0) {
        return String::new();
    }
    let mut out = "Deals by the touch that got their first response; win rate = won / (won + lost)".to_owned();
    let late: Vec<&LateAnswer> = rows.iter().filter(|a| a.touch >= LateTouch::Three && a.won > 0).collect();
    if !late.is_empty() {
        let won: usize = late.iter().map(|a| a.won).sum();
        let mut by_currency: Vec<(String, f64)> = vec![];
        for a in &late {
            for w in &a.won_amount {
                match by_currency.iter_mut().find(|(c, _)| *c == w.currency) {
                    Some((_, v)) => *v += w.amount,
                    None => by_currency.push((w.currency.clone(), w.amount)),
                }
            }
        }
        by_currency.sort_by(|a, b| a.0.cmp(&b.0));
        let amounts: Vec<String> = by_currency.iter().map(|(c, v)| money(*v, c)).collect();
        out += &format!(
            "\nFirst answers at touch 3 or later still brought {} won deals{}",
            count(won as u64),
            if amounts.is_empty() { String::new() } else { format!(": {}", amounts.join(" + ")) }
        );
    }
    out
}

fn bars(m: &Metrics) -> Vec<Bar> {
    m.late_answers
        .iter()
        .map(|a| Bar {
            label: name(a.touch),
            n_label: format!("n = {}", count(closed(a))),
            rate: a.rate,
            ci: a.ci_low.zip(a.ci_high),
            readable: readable(a),
            any: closed(a) > 0,
        })
        .collect()
}

pub(super) fn draw<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
    timing_bars::draw(
        area,
        t,
        &Bars {
            bars: bars(m),
            what: "Won, of the deals closed (won or lost)".to_owned(),
            y_desc: "Won / (won + lost)",
            x_desc: "The touch that got the first response (n = closed deals)",
            empty: "No deal with a response has closed yet, so there is no win rate to show.",
        },
    )
}
