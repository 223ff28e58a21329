//! SPEC §3 rules 10–13 (issue 13) over the deal and at-risk frames: the headline figures
//! and each group's. The rules are one file each — [`speed`](super::speed) (10),
//! [`reply_delay`](super::reply_delay) (11), [`spacing`](super::spacing) (12),
//! [`late`](super::late) and [`competing`](super::competing) (13) — and this file holds
//! what they share: the period filter of each rule, the order statistics (rule 5's
//! median, the nearest-rank 90th percentile) and the per-group dispatch.
//!
//! With a period, rules 10 and 11 count the first responses that fall in it, rule 12 the
//! touches sent in it, rule 13 the deals whose touch 1 was sent in it.

use polars::prelude::*;

use super::{competing, late, reply_delay, spacing, speed};
use super::{CompetingStep, LateAnswer, ReplyDelay, Spacing, SpeedToAnswer};
use crate::error::Result;
use crate::model::{Dimension, Interner, Period};

/// Rules 10–13 over one set of deals (the period's, or a group's).
#[derive(Debug, Clone, Default)]
pub(crate) struct Timing {
    /// Rule 10 (`None` for a channel group).
    pub speed_to_answer: Option<SpeedToAnswer>,
    /// Rule 11.
    pub reply_delay: ReplyDelay,
    /// Rule 12.
    pub spacing: Spacing,
    /// Rule 13 by the touch of the first response (`None` for a channel group).
    pub late_answers: Option<Vec<LateAnswer>>,
    /// Rule 13's competing outcomes (`None` for a channel group).
    pub competing_outcomes: Option<Vec<CompetingStep>>,
}

/// `column` (a day number) within the period; every row without one.
pub(crate) fn in_days(column: &str, period: Option<&Period>) -> Expr {
    match period {
        Some(p) => col(column).gt_eq(lit(p.from)).and(col(column).lt_eq(lit(p.to))),
        None => lit(true),
    }
}

/// Rules 10–13 of the whole data: `deals` is the deal frame of every deal (each rule
/// applies its own period filter), `risk` the at-risk rows of the touches sent in the
/// period.
pub(crate) fn timing(deals: LazyFrame, risk: LazyFrame, period: Option<&Period>, text: &Interner) -> Result<Timing> {
    Ok(Timing {
        speed_to_answer: Some(speed::speed_to_answer(deals.clone(), period)?),
        reply_delay: reply_delay::reply_delay(deals.clone(), period)?,
        spacing: spacing::spacing(risk)?,
        late_answers: Some(late::late_answers(deals.clone(), period, text)?),
        competing_outcomes: Some(competing::competing_outcomes(deals, period)?),
    })
}

/// Rules 10–13 of one group: cadence and owner filter the deals; channel keeps the reply
/// delays after touches of the channel and the touches sent on it (a deal has many
/// channels: no speed, late answers or competing outcomes); month keeps the first
/// responses of the month (10, 11), the touches sent in it (12) and the deals whose
/// touch 1 was sent in it (13). `risk` is already the group's at-risk rows.
pub(crate) fn for_group(
    dim: Dimension,
    code: i64,
    deals: &LazyFrame,
    risk: LazyFrame,
    period: Option<&Period>,
    text: &Interner,
) -> Result<Timing> {
    let only = |column: &str| deals.clone().filter(col(column).cast(DataType::Int64).eq(lit(code)));
    let spacing = spacing::spacing(risk)?;
    Ok(match dim {
        Dimension::Cadence | Dimension::Owner => {
            let d = only(if dim == Dimension::Cadence { "cadence" } else { "owner" });
            Timing {
                speed_to_answer: Some(speed::speed_to_answer(d.clone(), period)?),
                reply_delay: reply_delay::reply_delay(d.clone(), period)?,
                spacing,
                late_answers: Some(late::late_answers(d.clone(), period, text)?),
                competing_outcomes: Some(competing::competing_outcomes(d, period)?),
            }
        }
        Dimension::Channel => Timing {
            speed_to_answer: None,
            reply_delay: reply_delay::reply_delay(only("delay_channel"), period)?,
            spacing,
            late_answers: None,
            competing_outcomes: None,
        },
        Dimension::Month => Timing {
            speed_to_answer: Some(speed::speed_to_answer(only("fr_month"), period)?),
            reply_delay: reply_delay::reply_delay(only("fr_month"), period)?,
            spacing,
            late_answers: Some(late::late_answers(only("cohort"), period, text)?),
            competing_outcomes: Some(competing::competing_outcomes(only("cohort"), period)?),
        },
    })
}

/// Rule 5's median of sorted values: the middle one, or the mean of the two middle ones
/// for an even count; `None` when empty.
pub(crate) fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The 90th percentile by nearest rank: the ⌈0.9·n⌉-th smallest of sorted values
/// (integer arithmetic: ⌈9n/10⌉); `None` when empty.
pub(crate) fn p90(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    let rank = n.checked_mul(9)?.div_ceil(10);
    (rank >= 1).then(|| sorted[rank - 1])
}

/// The share of `total` deals whose value (sorted) is at most `limit`; `None` when
/// `total` is 0.
pub(crate) fn within(sorted: &[f64], limit: f64, total: usize) -> Option<f64> {
    super::ratio(sorted.partition_point(|&v| v <= limit), total)
}

/// A column's values as floats (`None` where null).
pub(crate) fn f64_values(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p90_follow_rule_5_and_nearest_rank() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        // n = 10: ⌈9⌉ = 9th smallest; n = 11: ⌈9.9⌉ = 10th; n = 1: the one value.
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(p90(&ten), Some(9.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(p90(&eleven), Some(10.0));
        assert_eq!(p90(&[7.0]), Some(7.0));
        assert_eq!(p90(&[]), None);
        assert_eq!(within(&[0.5, 1.0, 2.0], 1.0, 4), Some(0.5));
        assert_eq!(within(&[], 1.0, 0), None);
    }
}
