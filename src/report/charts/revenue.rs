//! Chart 4, `revenue_recovered` (SPEC §3 rule 7): for each currency, one bar of 100%
//! of its won revenue, split into what closed early (`won_amount − amount`, deals with
//! at most F touches after the first… i.e. fewer than F follow-ups) and what was
//! recovered by later follow-ups (`amount`, deals with 1 + F touches or more). Each
//! currency is its own bar with its own amounts printed on it: amounts in different
//! currencies are never added up or drawn on one money scale.
//!
//! This file is *what* the chart says (title, subtitle, legend and amount texts: pure
//! functions of `Metrics`); `revenue/draw.rs` is *how* it is drawn.

mod draw;

use super::theme::ordinal;
use crate::fmt::{count, money, percent};
use crate::metrics::{CurrencyAmount, Metrics};
pub(super) use draw::draw;

/// How the recovered part is named, from F (`recovered_after`).
fn needed(f: u32) -> String {
    match f {
        0 | 1 => "needed a follow-up".to_owned(),
        f => format!("needed {f}+ follow-ups"),
    }
}

fn early_label(f: u32) -> String {
    match f {
        0 | 1 => "Closed on the first touch".to_owned(),
        f => format!("Closed within the {} follow-up (1–{f} touches)", ordinal(f - 1)),
    }
}

fn recovered_label(f: u32) -> String {
    format!("Recovered by later follow-ups ({}+ touches)", f.saturating_add(1))
}

fn share(c: &CurrencyAmount) -> Option<f64> {
    c.share_of_won.map(|s| s.clamp(0.0, 1.0))
}

pub(super) fn title(m: &Metrics) -> String {
    let r = &m.revenue_recovered;
    let with: Vec<(&str, f64)> =
        r.by_currency.iter().filter_map(|c| share(c).map(|s| (c.currency.as_str(), s))).collect();
    let what = needed(r.recovered_after);
    match with.as_slice() {
        [] => "Revenue recovered by follow-ups: no won revenue with an amount".to_owned(),
        [(cur, s)] => format!("{} of {cur} won revenue {what}", percent(Some(*s))),
        many => {
            let lo = many.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
            let hi = many.iter().map(|c| c.1).fold(f64::NEG_INFINITY, f64::max);
            if percent(Some(lo)) == percent(Some(hi)) {
                format!("{} of won revenue {what}, in each currency", percent(Some(lo)))
            } else {
                format!("{} to {} of won revenue {what}, by currency", percent(Some(lo)), percent(Some(hi)))
            }
        }
    }
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let r = &m.revenue_recovered;
    if r.by_currency.is_empty() && r.deals == 0 {
        return String::new();
    }
    let mut s = format!("n = {} recovered won deals", count(r.deals as u64));
    if r.no_amount > 0 {
        s += &format!(" ({} without an amount)", count(r.no_amount as u64));
    }
    if r.by_currency.len() > 1 {
        s += "; each currency is shown on its own, never added up";
    }
    s
}

/// The amounts printed beside a currency's bar: "USD 5,000 recovered", "of USD 5,000 won".
fn amount_lines(c: &CurrencyAmount) -> (String, String) {
    (format!("{} recovered", money(c.amount, &c.currency)), format!("of {} won", money(c.won_amount, &c.currency)))
}
