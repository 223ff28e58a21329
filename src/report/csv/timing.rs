//! The tables of SPEC §3 rules 10–13 (issue 13): `tables/speed_to_answer.csv`,
//! `reply_delay.csv`, `spacing.csv`, `late_answers.csv`, `competing_outcomes.csv` and
//! `waiting_on_us.csv`, each read from [`Metrics`] only. Text cells go through
//! [`neutralise`]; names are already pseudonyms under `--redact` (applied to the tables
//! before the metrics).

use super::{err, finish, neutralise, num};
use crate::error::Result;
use crate::metrics::{AnswerTimes, DelayStats, Metrics};

fn count(v: impl ToString) -> String {
    v.to_string()
}

/// `tables/speed_to_answer.csv`: per measure (`speed_to_lead`, `time_to_answer`) a row
/// `all` with the count, median, p90 and within-shares, then one row per band with its
/// deals, won, lost and win rate.
pub fn speed_to_answer(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/speed_to_answer.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
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
    ])
    .map_err(err(what))?;
    let s = &m.speed_to_answer;
    for (measure, t) in [("speed_to_lead", &s.speed_to_lead), ("time_to_answer", &s.time_to_answer)] {
        let AnswerTimes { deals, answered, median_hours, p90_hours, within_1h, within_24h, within_72h, bands } = t;
        let head = [measure.to_owned(), "all".to_owned(), count(deals), count(answered)];
        let tail = [num(*median_hours), num(*p90_hours), num(*within_1h), num(*within_24h), num(*within_72h)];
        let blank = || String::new();
        w.write_record(head.into_iter().chain(tail).chain([blank(), blank(), blank(), blank(), blank()]))
            .map_err(err(what))?;
        for b in bands {
            let mut row = vec![measure.to_owned(), b.band.as_str().to_owned(), count(b.deals)];
            row.extend(std::iter::repeat_n(String::new(), 6));
            row.extend([count(b.won), count(b.lost), num(b.rate), num(b.ci_low), num(b.ci_high)]);
            w.write_record(row).map_err(err(what))?;
        }
    }
    finish(w, what)
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

/// `tables/reply_delay.csv`: the row `all`, then one per channel of the touch answered.
pub fn reply_delay(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/reply_delay.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "channel",
        "deals",
        "median_days",
        "p90_days",
        "within_1d",
        "within_3d",
        "within_7d",
        "within_14d",
    ])
    .map_err(err(what))?;
    w.write_record(delay_row("all", &m.reply_delay.overall)).map_err(err(what))?;
    for c in &m.reply_delay.by_channel {
        w.write_record(delay_row(&c.channel, &c.stats)).map_err(err(what))?;
    }
    finish(w, what)
}

/// `tables/spacing.csv`: the pooled buckets (touch `all`, with the comparison against
/// the rest: difference, its Newcombe interval, the Holm-adjusted p-value and whether it
/// is meaningful), then every (touch, bucket).
pub fn spacing(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/spacing.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
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
    ])
    .map_err(err(what))?;
    let s = &m.spacing;
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
        w.write_record(row).map_err(err(what))?;
    }
    for t in &s.by_touch {
        let r = &t.rate;
        let mut row = vec![count(t.touch), r.bucket.as_str().to_owned(), count(r.sent), count(r.responded)];
        row.extend([num(r.rate), num(r.ci_low), num(r.ci_high)]);
        row.extend(std::iter::repeat_n(String::new(), 5));
        w.write_record(row).map_err(err(what))?;
    }
    finish(w, what)
}

/// `tables/late_answers.csv`: one row per (touch of the first response, currency of its
/// won amount); a touch with no won amount has one row with the currency empty.
pub fn late_answers(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/late_answers.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["touch", "deals", "won", "lost", "win_rate", "ci_low", "ci_high", "currency", "won_amount"])
        .map_err(err(what))?;
    for a in &m.late_answers {
        let head = [a.touch.as_str().to_owned(), count(a.deals), count(a.won), count(a.lost)];
        let head: Vec<String> = head.into_iter().chain([num(a.rate), num(a.ci_low), num(a.ci_high)]).collect();
        let amounts: Vec<(String, String)> = match a.won_amount.as_slice() {
            [] => vec![(String::new(), String::new())],
            list => list.iter().map(|c| (neutralise(&c.currency).into_owned(), num(Some(c.amount)))).collect(),
        };
        for (currency, amount) in amounts {
            w.write_record(head.iter().cloned().chain([currency, amount])).map_err(err(what))?;
        }
    }
    finish(w, what)
}

/// `tables/competing_outcomes.csv`: per touch, the deals at risk, each outcome, the deals
/// going on to the next touch, the cumulative incidence and Kaplan–Meier.
pub fn competing_outcomes(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/competing_outcomes.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "touch",
        "at_risk",
        "responded",
        "opted_out",
        "lost",
        "censored",
        "going_on",
        "cif",
        "cumulative_km",
    ])
    .map_err(err(what))?;
    for s in &m.competing_outcomes {
        w.write_record([
            count(s.touch),
            count(s.at_risk),
            count(s.responded),
            count(s.opted_out),
            count(s.lost),
            count(s.censored),
            count(s.going_on()),
            num(Some(s.cif)),
            num(s.cumulative_km),
        ])
        .map_err(err(what))?;
    }
    finish(w, what)
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
mod tests {
    use super::*;
    use crate::metrics::WaitingDeal;

    fn metrics() -> Metrics {
        serde_json::from_str(include_str!("../../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("fixture")
    }

    fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
        csv::Reader::from_reader(bytes).records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect()
    }

    /// A deal or owner name that a spreadsheet would run as a formula is written as text.
    #[test]
    fn waiting_list_names_are_neutralised() {
        let mut m = metrics();
        m.waiting_on_us.list = vec![WaitingDeal {
            deal_id: "=1+1".into(),
            name: "@SUM(A1)".into(),
            owner: "-Ana".into(),
            since: "2026-10-28 09:12".into(),
            days_waiting: 3,
        }];
        let r = rows(&waiting_on_us(&m).expect("csv"));
        assert_eq!(r, [["1", "'=1+1", "'@SUM(A1)", "'-Ana", "2026-10-28 09:12", "3"]]);
    }

    /// Every table carries its metrics.json figures: one row per band and measure, per
    /// channel, per bucket, per (touch, currency), per touch.
    #[test]
    fn tables_hold_every_row_of_metrics_json() {
        let m = metrics();
        assert_eq!(rows(&speed_to_answer(&m).expect("csv")).len(), 2 * 6);
        assert_eq!(rows(&reply_delay(&m).expect("csv")).len(), 1 + m.reply_delay.by_channel.len());
        let spacing_rows = rows(&spacing(&m).expect("csv"));
        assert_eq!(spacing_rows.len(), m.spacing.pooled.len() + m.spacing.by_touch.len());
        let late = rows(&late_answers(&m).expect("csv"));
        let expected: usize = m.late_answers.iter().map(|a| a.won_amount.len().max(1)).sum();
        assert_eq!(late.len(), expected);
        let competing = rows(&competing_outcomes(&m).expect("csv"));
        assert_eq!(competing.len(), m.competing_outcomes.len());
        // going_on of a touch is the next touch's at_risk.
        for pair in competing.windows(2) {
            assert_eq!(pair[0][6], pair[1][1]);
        }
    }
}
