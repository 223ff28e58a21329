//! Groups (SPEC §3 "Groups", `--by`): every metric per cadence, owner, channel or
//! month, and the comparison of groups on conversion after follow-up and on the
//! response rate at each touch.
//!
//! A group is a filter on the same two frames the headline metrics use (deals; at-risk
//! touch rows), run through the same rule functions, so a group's figures cannot drift
//! from the headline ones. cadence and owner come from the deal row, else its touch 1;
//! channel groups response by touch by the channel of touch k (the deal metrics do not
//! apply to it); month groups response by touch by the month touch k was sent and the
//! deal metrics by the month the deal closed.
//!
//! Comparisons: with two groups, the pair; with more, each group against the rest of
//! its dimension. Each gives the difference with a 95% Newcombe interval, the p-value of
//! Fisher's exact test (an expected cell below 5) or the pooled z-test, a Holm-adjusted
//! p-value over all comparisons of the dimension, and a plain-English verdict. Cadences
//! are not assigned at random: the verdicts say "associated with", never "causes".

use std::collections::BTreeMap;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::frames::{is, u64_col};
use super::schema::named;
use super::{compare, deal_rules, response, timing, verdict};
use super::{CompetingStep, LateAnswer, ReplyDelay, Spacing, SpeedToAnswer};
use super::{Conversion, GiveUp, RevenueRecovered, TouchRate, TouchesBeforeLoss, TouchesToClose};
use crate::error::Result;
pub use crate::model::Dimension;
use crate::model::{Channel, Interner, Status};
use crate::time::month_label;

/// The column holding a dimension's key in the deal frame (none for channel: a deal has
/// many channels) and in the at-risk frame.
fn columns(dim: Dimension) -> (Option<&'static str>, &'static str) {
    match dim {
        Dimension::Cadence => (Some("cadence"), "cadence"),
        Dimension::Owner => (Some("owner"), "owner"),
        Dimension::Channel => (None, "channel"),
        Dimension::Month => (Some("close_month"), "month"),
    }
}

/// The rate a comparison is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Conversion after follow-up (rule 6): won of won + lost among deals with n ≥ 2.
    ConversionAfterFollowUp,
    /// The response rate at one touch (rule 4): responded of sent.
    ResponseRate,
}

named!(Metric { ConversionAfterFollowUp => "conversion_after_follow_up", ResponseRate => "response_rate" });

/// How the groups of a dimension are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Two groups: the one against the other.
    Pair,
    /// More groups: each against the rest of its dimension.
    EachVsRest,
}

named!(Mode { Pair => "pair", EachVsRest => "each_vs_rest" });

/// Deal counts of a group: its deals in the period's scope (closed in the period, or
/// open with a touch in it; all its deals without a period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDeals {
    /// Deals in the group (closed in it, for month).
    pub total: usize,
    /// Won.
    pub won: usize,
    /// Lost.
    pub lost: usize,
    /// Open.
    pub open: usize,
}

/// Every metric of one group; the deal metrics are `null` for the channel dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMetrics {
    /// The group: a cadence, owner, channel or `YYYY-MM`; "(none)" when unnamed.
    pub key: String,
    /// Deal counts.
    pub deals: Option<GroupDeals>,
    /// Rule 4 for the group.
    pub response_by_touch: Vec<TouchRate>,
    /// Rule 5, won deals.
    pub touches_to_close: Option<TouchesToClose>,
    /// Rule 5, lost deals.
    pub touches_before_loss: Option<TouchesBeforeLoss>,
    /// Rule 6.
    pub conversion_after_follow_up: Option<Conversion>,
    /// Rule 7.
    pub revenue_recovered: Option<RevenueRecovered>,
    /// Rule 8.
    pub give_up: Option<GiveUp>,
    /// Rule 10 over the group's deals (by the month of the response for month; `null`
    /// for channel: a deal has many channels).
    #[serde(default)]
    pub speed_to_answer: Option<SpeedToAnswer>,
    /// Rule 11 over the group (by the channel of the touch answered for channel, by the
    /// month of the response for month).
    #[serde(default)]
    pub reply_delay: Option<ReplyDelay>,
    /// Rule 12 over the group (by the channel and month of touch k for channel and month).
    #[serde(default)]
    pub spacing: Option<Spacing>,
    /// Rule 13 by the touch of the first response (by the month of touch 1 for month;
    /// `null` for channel).
    #[serde(default)]
    pub late_answers: Option<Vec<LateAnswer>>,
    /// Rule 13's competing outcomes (by the month of touch 1 for month; `null` for
    /// channel).
    #[serde(default)]
    pub competing_outcomes: Option<Vec<CompetingStep>>,
}

/// One comparison of two proportions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupComparison {
    /// `conversion_after_follow_up` or `response_rate`.
    pub metric: Metric,
    /// The touch number, for `response_rate`.
    pub touch: Option<u32>,
    /// The group.
    pub group: String,
    /// The other group, or "the rest".
    pub versus: String,
    /// Successes and trials of the group.
    pub k1: u64,
    /// Trials of the group.
    pub n1: u64,
    /// Successes of the other side.
    pub k2: u64,
    /// Trials of the other side.
    pub n2: u64,
    /// Rate of the group minus rate of the other side.
    pub diff: f64,
    /// Newcombe 95% lower bound of `diff`.
    pub ci_low: f64,
    /// Newcombe 95% upper bound of `diff`.
    pub ci_high: f64,
    /// `fisher_exact` or `pooled_z`.
    pub test: compare::Test,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Holm-adjusted p-value over every comparison of the dimension.
    pub p_holm: f64,
    /// Plain-English reading.
    pub verdict: String,
}

impl GroupComparison {
    /// Whether the difference is meaningful — the one verdict every renderer shows:
    /// the Holm-adjusted p-value below [`compare::ALPHA`] and the 95% Newcombe interval
    /// clear of 0 ([`compare::is_meaningful`], the rule the `verdict` sentence uses).
    pub fn is_meaningful(&self) -> bool {
        compare::is_meaningful(self.p_holm, self.ci_low, self.ci_high)
    }
}

/// The comparisons of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparisons {
    /// `pair` (two groups) or `each_vs_rest`.
    pub mode: Mode,
    /// How many comparisons were made (the Holm family).
    pub count: usize,
    /// The comparisons.
    pub list: Vec<GroupComparison>,
}

impl Default for Comparisons {
    /// No comparison (each against the rest, none made).
    fn default() -> Self {
        Comparisons { mode: Mode::EachVsRest, count: 0, list: Vec::new() }
    }
}

/// The frames and settings a group computation reads.
pub struct Frames<'a> {
    /// Deals in the period's scope (see `deal_frame`).
    pub deals: LazyFrame,
    /// Every deal (rules 10–13 apply their own period rules).
    pub all_deals: LazyFrame,
    /// The reporting period (rules 10–13).
    pub period: Option<&'a crate::model::Period>,
    /// At-risk rows of the period.
    pub risk: LazyFrame,
    /// Interned text (cadence, owner, currency names).
    pub text: &'a Interner,
    /// `--recovered-after`.
    pub recovered_after: u32,
    /// `--stale-days`.
    pub stale_days: u32,
}

fn key_label(dim: Dimension, code: i64, text: &Interner) -> String {
    match dim {
        Dimension::Cadence | Dimension::Owner => match text.get(code as u32) {
            "" => "(none)".to_owned(),
            s => s.to_owned(),
        },
        Dimension::Channel => Channel::ALL.get(code as usize).map_or("other", |c| c.as_str()).to_owned(),
        Dimension::Month => month_label(code as i32),
    }
}

fn keys(lf: LazyFrame, column: &str) -> Result<Vec<i64>> {
    let df = lf.filter(col(column).is_not_null()).group_by([col(column)]).agg([len().alias("rows")]).collect()?;
    let s = df.column(column)?.cast(&DataType::Int64)?;
    let mut v: Vec<i64> = s.i64()?.iter().flatten().collect();
    v.sort_unstable();
    Ok(v)
}

/// The groups and comparisons of every `--by` dimension, keyed by dimension.
#[allow(clippy::type_complexity)]
pub fn by_dimensions(
    by: &[Dimension],
    fr: &Frames,
) -> Result<(BTreeMap<Dimension, Vec<GroupMetrics>>, BTreeMap<Dimension, Comparisons>)> {
    let (mut groups, mut comparisons) = (BTreeMap::new(), BTreeMap::new());
    for &dim in by {
        let (g, c) = compute(dim, fr)?;
        groups.insert(dim, g);
        comparisons.insert(dim, c);
    }
    Ok((groups, comparisons))
}

/// Every group of a dimension, and their comparisons.
pub fn compute(dim: Dimension, fr: &Frames) -> Result<(Vec<GroupMetrics>, Comparisons)> {
    let (deal_col, risk_col) = columns(dim);
    let mut codes = keys(fr.risk.clone(), risk_col)?;
    if let Some(c) = deal_col {
        codes.extend(keys(fr.deals.clone(), c)?);
        codes.sort_unstable();
        codes.dedup();
    }
    let mut groups = Vec::with_capacity(codes.len());
    for &code in &codes {
        let risk = fr.risk.clone().filter(col(risk_col).cast(DataType::Int64).eq(lit(code)));
        let t = timing::for_group(dim, code, &fr.all_deals, risk.clone(), fr.period, fr.text)?;
        let mut g = GroupMetrics {
            key: key_label(dim, code, fr.text),
            deals: None,
            response_by_touch: response::response_by_touch(risk)?,
            touches_to_close: None,
            touches_before_loss: None,
            conversion_after_follow_up: None,
            revenue_recovered: None,
            give_up: None,
            speed_to_answer: t.speed_to_answer,
            reply_delay: Some(t.reply_delay),
            spacing: Some(t.spacing),
            late_answers: t.late_answers,
            competing_outcomes: t.competing_outcomes,
        };
        if let Some(c) = deal_col {
            let deals = fr.deals.clone().filter(col(c).cast(DataType::Int64).eq(lit(code)));
            g.deals = Some(group_deal_counts(deals.clone())?);
            let r = deal_rules(deals, fr.recovered_after, fr.stale_days, fr.text)?;
            g.touches_to_close = Some(r.touches_to_close);
            g.touches_before_loss = Some(r.touches_before_loss);
            g.conversion_after_follow_up = Some(r.conversion);
            g.revenue_recovered = Some(r.revenue);
            g.give_up = Some(r.give_up);
        }
        groups.push(g);
    }
    groups.sort_by(|a, b| (a.key == "(none)", &a.key).cmp(&(b.key == "(none)", &b.key)));
    let comparisons = compare_groups(&groups);
    Ok((groups, comparisons))
}

/// Deal counts of a group's deal frame.
fn group_deal_counts(deals: LazyFrame) -> Result<GroupDeals> {
    let n_of = |s: Status| is(s).cast(DataType::UInt64).sum();
    let df = deals
        .select([
            len().alias("total"),
            n_of(Status::Won).alias("won"),
            n_of(Status::Lost).alias("lost"),
            n_of(Status::Open).alias("open"),
        ])
        .collect()?;
    let get = |c: &str| -> Result<usize> { Ok(u64_col(&df, c)?[0] as usize) };
    Ok(GroupDeals { total: get("total")?, won: get("won")?, lost: get("lost")?, open: get("open")? })
}

/// Successes and trials of a group on a compared rate.
fn counts(g: &GroupMetrics, metric: Metric, touch: Option<u32>) -> Option<(u64, u64)> {
    match (metric, touch) {
        (Metric::ConversionAfterFollowUp, _) => {
            g.conversion_after_follow_up.as_ref().map(|c| (c.won as u64, (c.won + c.lost) as u64))
        }
        (Metric::ResponseRate, Some(k)) => {
            Some(g.response_by_touch.get((k as usize).wrapping_sub(1)).map_or((0, 0), |r| (r.responded, r.sent)))
        }
        (Metric::ResponseRate, None) => None,
    }
}

fn compare_groups(groups: &[GroupMetrics]) -> Comparisons {
    let pair = groups.len() == 2;
    let max_k = groups.iter().map(|g| g.response_by_touch.len()).max().unwrap_or(0) as u32;
    let mut rates: Vec<(Metric, Option<u32>, &str)> =
        vec![(Metric::ConversionAfterFollowUp, None, "conversion after follow-up")];
    rates.extend((1..=max_k).map(|k| (Metric::ResponseRate, Some(k), "response rate")));
    let mut list = Vec::new();
    let mut stats: Vec<(compare::Comparison, String)> = Vec::new();
    for (metric, touch, what) in rates {
        let what = touch.map_or(what.to_owned(), |k| format!("{what} at touch {k}"));
        let sides: Vec<(usize, Option<(u64, u64)>)> =
            groups.iter().enumerate().map(|(i, g)| (i, counts(g, metric, touch))).collect();
        let total: (u64, u64) = sides.iter().filter_map(|(_, c)| *c).fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
        let targets: Vec<usize> = if pair { vec![0] } else { (0..groups.len()).collect() };
        for i in targets {
            let Some((k1, n1)) = sides[i].1 else { continue };
            let (versus, (k2, n2)) = if pair {
                match sides[1].1 {
                    Some(c) => (groups[1].key.clone(), c),
                    None => continue,
                }
            } else {
                ("the rest".to_owned(), (total.0 - k1, total.1 - n1))
            };
            let Some(c) = compare::compare(k1, n1, k2, n2) else { continue };
            list.push(GroupComparison::new(metric, touch, groups[i].key.clone(), versus, (k1, n1), (k2, n2), &c));
            stats.push((c, what.clone()));
        }
    }
    judge(&mut list, stats, |c, out, what| verdict::verdict_for(c, out.n1, out.n2, what, &out.group, &out.versus));
    Comparisons { mode: if pair { Mode::Pair } else { Mode::EachVsRest }, count: list.len(), list }
}

impl GroupComparison {
    /// Group `group` (k1 of n1) against `versus` (k2 of n2) by test `c`; its Holm p-value
    /// and verdict are set by [`judge`], once the whole family is known.
    pub(super) fn new(
        metric: Metric,
        touch: Option<u32>,
        group: String,
        versus: String,
        (k1, n1): (u64, u64),
        (k2, n2): (u64, u64),
        c: &compare::Comparison,
    ) -> Self {
        GroupComparison {
            metric,
            touch,
            group,
            verdict: String::new(),
            versus,
            k1,
            n1,
            k2,
            n2,
            diff: c.diff,
            ci_low: c.low,
            ci_high: c.high,
            test: c.test,
            p_value: c.p_value,
            p_holm: c.p_value,
        }
    }
}

/// Holm-adjusts one family of comparisons (`stats[i]` is `list[i]`'s test and the rate
/// it compares) and writes each verdict with `sentence`, on the adjusted p-value: with
/// many comparisons some raw p-values fall below 0.05 by chance alone.
pub(super) fn judge(
    list: &mut [GroupComparison],
    stats: Vec<(compare::Comparison, String)>,
    sentence: impl Fn(&compare::Comparison, &GroupComparison, &str) -> String,
) {
    let adjusted = compare::holm(&list.iter().map(|c| c.p_value).collect::<Vec<_>>());
    let family = list.len();
    for ((out, p), (mut c, what)) in list.iter_mut().zip(adjusted).zip(stats) {
        out.p_holm = p;
        c.p_value = p;
        out.verdict = sentence(&c, out, &what);
        if family > 1 {
            out.verdict.push_str(&format!(" (p adjusted for {family} comparisons, Holm.)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(key: &str, touches: &[(u64, u64)], won: usize, lost: usize) -> GroupMetrics {
        let rate = |r: u64, s: u64| (s > 0).then(|| r as f64 / s as f64);
        GroupMetrics {
            key: key.into(),
            deals: None,
            response_by_touch: touches
                .iter()
                .enumerate()
                .map(|(i, &(responded, sent))| TouchRate {
                    touch: i as u32 + 1,
                    sent,
                    responded,
                    rate: rate(responded, sent),
                    ci_low: None,
                    ci_high: None,
                    cumulative: None,
                    cumulative_km: None,
                    km_low: None,
                    km_high: None,
                })
                .collect(),
            touches_to_close: None,
            touches_before_loss: None,
            conversion_after_follow_up: Some(Conversion {
                followed_up: won + lost,
                won,
                lost,
                open: 0,
                rate: rate(won as u64, (won + lost) as u64),
                single_touch_rate: None,
                single_touch: super::super::WonLost { won: 0, lost: 0 },
                no_touch_data: 0,
            }),
            revenue_recovered: None,
            give_up: None,
            speed_to_answer: None,
            reply_delay: None,
            spacing: None,
            late_answers: None,
            competing_outcomes: None,
        }
    }

    /// The verdict sentence and `is_meaningful` come from the same rule: a comparison
    /// reads "Not yet meaningful" exactly when it is not meaningful, over pairs and
    /// each-vs-rest, clear wins, clear losses and near misses.
    #[test]
    fn the_verdict_sentence_and_is_meaningful_agree() {
        let sets = [
            vec![group("A", &[(40, 100), (30, 60)], 30, 10), group("B", &[(10, 100), (12, 60)], 10, 30)],
            vec![group("A", &[(12, 100)], 12, 88), group("B", &[(8, 100)], 8, 92)],
            vec![
                group("A", &[(60, 200), (5, 50)], 50, 50),
                group("B", &[(20, 200), (6, 50)], 48, 52),
                group("C", &[(22, 200), (30, 50)], 20, 80),
            ],
        ];
        let mut seen = (0, 0);
        for groups in &sets {
            let c = compare_groups(groups);
            assert_eq!(c.mode, if groups.len() == 2 { Mode::Pair } else { Mode::EachVsRest });
            for x in &c.list {
                let not_yet = x.verdict.starts_with("Not yet meaningful");
                assert_eq!(x.is_meaningful(), !not_yet, "{x:?}");
                assert_eq!(x.is_meaningful(), compare::is_meaningful(x.p_holm, x.ci_low, x.ci_high));
                if not_yet {
                    seen.1 += 1;
                } else {
                    seen.0 += 1;
                }
            }
        }
        assert!(seen.0 > 0 && seen.1 > 0, "both kinds of verdict were checked: {seen:?}");
    }

    #[test]
    fn comparison_words_are_unchanged_in_json() {
        let c = compare_groups(&[group("A", &[(40, 100)], 30, 10), group("B", &[(10, 100)], 10, 30)]);
        let json = serde_json::to_value(&c).expect("serialises");
        assert_eq!(json["mode"], "pair");
        assert_eq!(json["list"][0]["metric"], "conversion_after_follow_up");
        assert_eq!(json["list"][1]["metric"], "response_rate");
        assert_eq!(json["list"][1]["test"], "pooled_z");
        let back: Comparisons = serde_json::from_value(json).expect("reads back");
        assert_eq!(back, c);
        assert!(serde_json::from_str::<Metric>("\"win_rate\"").is_err());
    }
}
