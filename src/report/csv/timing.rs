//! The tables of SPEC §3 rules 10–13 (issue 13): `tables/speed_to_answer.csv`,
//! `reply_delay.csv`, `spacing.csv`, `late_answers.csv`, `competing_outcomes.csv` and
//! `waiting_on_us.csv`, each read from [`Metrics`] only. The first five lead with
//! `dimension,group`: the whole data (`all,all`), then every `--by` group that has the
//! figure; `waiting_on_us.csv` is a list of deals and stays whole-data only. Text cells
//! go through [`neutralise`]; names are already pseudonyms under `--redact` (applied to
//! the tables before the metrics).

use super::{err, finish, neutralise, num};
use crate::error::Result;
use crate::metrics::groups::GroupMetrics;
use crate::metrics::{AnswerTimes, CompetingStep, DelayStats, LateAnswer, Metrics, ReplyDelay, Spacing, SpeedToAnswer};

fn count(v: impl ToString) -> String {
    v.to_string()
}

/// Writes one grouped table: the header after `dimension,group`; the whole data's rows
/// (`all,all`); then for each `--by` dimension (metrics.json's order) and each of its
/// groups (in metrics.json's order) that has the figure, the group's rows under its
/// dimension and neutralised name. A group lacking the figure (channel groups for speed
/// to answer, late answers, competing outcomes) has no rows.
fn grouped<T: ?Sized>(
    what: &str,
    header: &[&str],
    m: &Metrics,
    whole: &T,
    of_group: impl Fn(&GroupMetrics) -> Option<&T>,
    rows: impl Fn(&T) -> Vec<Vec<String>>,
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["dimension", "group"].iter().chain(header)).map_err(err(what))?;
    for row in rows(whole) {
        w.write_record(["all".to_owned(), "all".to_owned()].into_iter().chain(row)).map_err(err(what))?;
    }
    for (dim, groups) in &m.groups {
        for g in groups {
            let Some(t) = of_group(g) else { continue };
            for row in rows(t) {
                let head = [dim.as_str().to_owned(), neutralise(&g.key).into_owned()];
                w.write_record(head.into_iter().chain(row)).map_err(err(what))?;
            }
        }
    }
    finish(w, what)
}

/// `tables/speed_to_answer.csv`: per measure (`speed_to_lead`, `time_to_answer`) a row
/// `all` with the count, median, p90 and within-shares, then one row per band with its
/// deals, won, lost and win rate; the whole data, then each group (see [`grouped`]).
pub fn speed_to_answer(m: &Metrics) -> Result<Vec<u8>> {
    let header = [
        "measure",
        "band",
        "deals",
        "answered",
        "median_hours",
        "p90_hours",
        "within_1h",
        "within_24h",
        "within_72h",
        "won",
        "lost",
        "win_rate",
        "ci_low",
        "ci_high",
    ];
    let whole = &m.speed_to_answer;
    grouped("tables/speed_to_answer.csv", &header, m, whole, |g| g.speed_to_answer.as_ref(), speed_rows)
}

fn speed_rows(s: &SpeedToAnswer) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (measure, t) in [("speed_to_lead", &s.speed_to_lead), ("time_to_answer", &s.time_to_answer)] {
        let AnswerTimes { deals, answered, median_hours, p90_hours, within_1h, within_24h, within_72h, bands } = t;
        let mut row = vec![measure.to_owned(), "all".to_owned(), count(deals), count(answered)];
        row.extend([num(*median_hours), num(*p90_hours), num(*within_1h), num(*within_24h), num(*within_72h)]);
        row.extend(std::iter::repeat_n(String::new(), 5));
        rows.push(row);
        for b in bands {
            let mut row = vec![measure.to_owned(), b.band.as_str().to_owned(), count(b.deals)];
            row.extend(std::iter::repeat_n(String::new(), 6));
            row.extend([count(b.won), count(b.lost), num(b.rate), num(b.ci_low), num(b.ci_high)]);
            rows.push(row);
        }
    }
    rows
}

fn delay_row(channel: &str, s: &DelayStats) -> Vec<String> {
    vec![
        neutralise(channel).into_owned(),
        count(s.deals),
        num(s.median_days),
        num(s.p90_days),
        num(s.within_1d),
        num(s.within_3d),
        num(s.within_7d),
        num(s.within_14d),
    ]
}

/// `tables/reply_delay.csv`: the row `all`, then one per channel of the touch answered;
/// the whole data, then each group (see [`grouped`]).
pub fn reply_delay(m: &Metrics) -> Result<Vec<u8>> {
    let header = ["channel", "deals", "median_days", "p90_days", "within_1d", "within_3d", "within_7d", "within_14d"];
    let rows = |d: &ReplyDelay| {
        let by_channel = d.by_channel.iter().map(|c| delay_row(&c.channel, &c.stats));
        std::iter::once(delay_row("all", &d.overall)).chain(by_channel).collect()
    };
    grouped("tables/reply_delay.csv", &header, m, &m.reply_delay, |g| g.reply_delay.as_ref(), rows)
}

/// `tables/spacing.csv`: the pooled buckets (touch `all`, with the comparison against
/// the rest: difference, its Newcombe interval, the Holm-adjusted p-value and whether it
/// is meaningful), then every (touch, bucket); the whole data, then each group (see
/// [`grouped`]).
pub fn spacing(m: &Metrics) -> Result<Vec<u8>> {
    let header = [
        "touch",
        "gap_days",
        "sent",
        "responded",
        "rate",
        "ci_low",
        "ci_high",
        "diff_vs_rest",
        "diff_low",
        "diff_high",
        "p_holm",
        "meaningful",
    ];
    grouped("tables/spacing.csv", &header, m, &m.spacing, |g| g.spacing.as_ref(), spacing_rows)
}

fn spacing_rows(s: &Spacing) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for r in &s.pooled {
        let c = s.comparisons.list.iter().find(|c| c.group == r.bucket.as_str());
        let mut row = vec!["all".to_owned(), r.bucket.as_str().to_owned(), count(r.sent), count(r.responded)];
        row.extend([num(r.rate), num(r.ci_low), num(r.ci_high)]);
        row.extend(match c {
            Some(c) => [num(Some(c.diff)), num(Some(c.ci_low)), num(Some(c.ci_high)), num(Some(c.p_holm))]
                .into_iter()
                .chain([c.is_meaningful().to_string()])
                .collect::<Vec<_>>(),
            None => vec![String::new(); 5],
        });
        rows.push(row);
    }
    for t in &s.by_touch {
        let r = &t.rate;
        let mut row = vec![count(t.touch), r.bucket.as_str().to_owned(), count(r.sent), count(r.responded)];
        row.extend([num(r.rate), num(r.ci_low), num(r.ci_high)]);
        row.extend(std::iter::repeat_n(String::new(), 5));
        rows.push(row);
    }
    rows
}

/// `tables/late_answers.csv`: one row per (touch of the first response, currency of its
/// won amount); a touch with no won amount has one row with the currency empty; the
/// whole data, then each group (see [`grouped`]).
pub fn late_answers(m: &Metrics) -> Result<Vec<u8>> {
    let header = ["touch", "deals", "won", "lost", "win_rate", "ci_low", "ci_high", "currency", "won_amount"];
    let whole = m.late_answers.as_slice();
    grouped("tables/late_answers.csv", &header, m, whole, |g| g.late_answers.as_deref(), late_rows)
}

fn late_rows(list: &[LateAnswer]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for a in list {
        let head = [a.touch.as_str().to_owned(), count(a.deals), count(a.won), count(a.lost)];
        let head: Vec<String> = head.into_iter().chain([num(a.rate), num(a.ci_low), num(a.ci_high)]).collect();
        let amounts: Vec<(String, String)> = match a.won_amount.as_slice() {
            [] => vec![(String::new(), String::new())],
            list => list.iter().map(|c| (neutralise(&c.currency).into_owned(), num(Some(c.amount)))).collect(),
        };
        for (currency, amount) in amounts {
            rows.push(head.iter().cloned().chain([currency, amount]).collect());
        }
    }
    rows
}

/// `tables/competing_outcomes.csv`: per touch, the deals at risk, each outcome, the deals
/// going on to the next touch, the cumulative incidence and Kaplan–Meier; the whole
/// data, then each group (see [`grouped`]).
pub fn competing_outcomes(m: &Metrics) -> Result<Vec<u8>> {
    let header = ["touch", "at_risk", "responded", "opted_out", "lost", "censored", "going_on", "cif", "cumulative_km"];
    let whole = m.competing_outcomes.as_slice();
    let what = "tables/competing_outcomes.csv";
    grouped(what, &header, m, whole, |g| g.competing_outcomes.as_deref(), competing_rows)
}

fn competing_rows(steps: &[CompetingStep]) -> Vec<Vec<String>> {
    steps
        .iter()
        .map(|s| {
            vec![
                count(s.touch),
                count(s.at_risk),
                count(s.responded),
                count(s.opted_out),
                count(s.lost),
                count(s.censored),
                count(s.going_on()),
                num(Some(s.cif)),
                num(s.cumulative_km),
            ]
        })
        .collect()
}

/// `tables/waiting_on_us.csv`: every open deal waiting on us, longest waiting first.
pub fn waiting_on_us(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/waiting_on_us.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["rank", "deal_id", "deal", "owner", "since", "days_waiting"]).map_err(err(what))?;
    for (i, d) in m.waiting_on_us.list.iter().enumerate() {
        w.write_record([
            count(i + 1),
            neutralise(&d.deal_id).into_owned(),
            neutralise(&d.name).into_owned(),
            neutralise(&d.owner).into_owned(),
            d.since.clone(),
            count(d.days_waiting),
        ])
        .map_err(err(what))?;
    }
    finish(w, what)
}

#[cfg(test)]
mod tests;
