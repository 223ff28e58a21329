use super::*;
use crate::metrics::compare::Test;
use crate::metrics::groups::{GroupComparison, Metric};
use crate::metrics::{
    AnswerBand, ChannelDelay, GapBucket, LateTouch, SpacingRate, SpacingTouchRate, SpeedBand, WaitingDeal, WonAmount,
};
use crate::model::Dimension;

fn metrics() -> Metrics {
    serde_json::from_str(include_str!("../../../../tests/fixtures/response_by_touch_km/metrics.full.json"))
        .expect("fixture")
}

fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::Reader::from_reader(bytes).records().map(|r| r.expect("row").iter().map(str::to_owned).collect()).collect()
}

fn header(bytes: &[u8]) -> Vec<String> {
    csv::Reader::from_reader(bytes).headers().expect("header").iter().map(str::to_owned).collect()
}

/// The rows of one (dimension, group), without those two columns.
fn rows_of(all: &[Vec<String>], dim: &str, group: &str) -> Vec<Vec<String>> {
    all.iter().filter(|r| r[0] == dim && r[1] == group).map(|r| r[2..].to_vec()).collect()
}

/// The (dimension, group) of each row, runs of one collapsed: the order of the sections.
fn sections(all: &[Vec<String>]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for r in all {
        let s = (r[0].clone(), r[1].clone());
        if out.last() != Some(&s) {
            out.push(s);
        }
    }
    out
}

/// A cell read back as a number; empty is `None`.
fn f(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| cell.parse().expect("a number"))
}

fn n(cell: &str) -> u64 {
    cell.parse().expect("a count")
}

fn band(band: SpeedBand, deals: usize, won: usize, lost: usize, rate: Option<f64>) -> AnswerBand {
    AnswerBand { band, deals, won, lost, rate, ci_low: rate.map(|r| r / 2.0), ci_high: rate.map(|r| (r + 1.0) / 2.0) }
}

fn times(deals: usize, answered: usize, median: f64) -> AnswerTimes {
    AnswerTimes {
        deals,
        answered,
        median_hours: Some(median),
        p90_hours: Some(median * 4.0),
        within_1h: Some(0.25),
        within_24h: Some(0.5),
        within_72h: Some(0.75),
        bands: vec![
            band(SpeedBand::UpTo1h, 1, 1, 0, Some(1.0)),
            band(SpeedBand::H1To24, 1, 0, 1, Some(0.0)),
            band(SpeedBand::H24To72, 1, 0, 0, None),
            band(SpeedBand::Over72h, 0, 0, 0, None),
            band(SpeedBand::Never, deals - answered, 0, 1, Some(0.0)),
        ],
    }
}

fn delay(deals: usize, median: f64) -> DelayStats {
    DelayStats {
        deals,
        median_days: Some(median),
        p90_days: Some(median * 3.0),
        within_1d: Some(0.125),
        within_3d: Some(0.5),
        within_7d: Some(0.875),
        within_14d: Some(1.0),
    }
}

fn rate(bucket: GapBucket, sent: u64, responded: u64) -> SpacingRate {
    let r = (sent > 0).then(|| responded as f64 / sent as f64);
    SpacingRate { bucket, sent, responded, rate: r, ci_low: r.map(|x| x / 2.0), ci_high: r.map(|x| (x + 1.0) / 2.0) }
}

fn spacing_of(sent: u64) -> Spacing {
    let pooled = vec![rate(GapBucket::D0To1, sent, 1), rate(GapBucket::D2To3, sent * 2, 3)];
    let by_touch = vec![SpacingTouchRate { touch: 2, rate: rate(GapBucket::D2To3, sent, 2) }];
    let cmp = GroupComparison {
        metric: Metric::ResponseRate,
        touch: None,
        group: "2-3".into(),
        versus: "the rest".into(),
        k1: 3,
        n1: sent * 2,
        k2: 1,
        n2: sent,
        diff: 0.125,
        ci_low: 0.0625,
        ci_high: 0.25,
        test: Test::FisherExact,
        p_value: 0.01,
        p_holm: 0.02,
        verdict: "a real difference".into(),
    };
    let comparisons = crate::metrics::groups::Comparisons { count: 1, list: vec![cmp], ..Default::default() };
    Spacing { pooled, by_touch, comparisons }
}

fn step(touch: u32, at_risk: u64, responded: u64, lost: u64, cif: f64) -> CompetingStep {
    CompetingStep { touch, at_risk, responded, opted_out: 1, lost, censored: 0, cif, cumulative_km: Some(cif + 0.25) }
}

fn group(key: &str) -> GroupMetrics {
    GroupMetrics {
        key: key.into(),
        deals: None,
        response_by_touch: Vec::new(),
        touches_to_close: None,
        touches_before_loss: None,
        conversion_after_follow_up: None,
        revenue_recovered: None,
        give_up: None,
        speed_to_answer: None,
        reply_delay: None,
        spacing: None,
        late_answers: None,
        competing_outcomes: None,
    }
}

/// The fixture's whole data with two cadence groups: `Calls` with every timing figure
/// (numbers unlike the whole data's), `=Sheet` (a name a spreadsheet would run) with only
/// reply delay and spacing, as a channel group has.
fn grouped_metrics() -> Metrics {
    let mut m = metrics();
    let mut calls = group("Calls");
    calls.speed_to_answer = Some(SpeedToAnswer { speed_to_lead: times(4, 3, 2.5), time_to_answer: times(8, 6, 0.5) });
    calls.reply_delay = Some(ReplyDelay {
        overall: delay(8, 1.5),
        by_channel: vec![ChannelDelay { channel: "email".into(), stats: delay(5, 2.5) }],
    });
    calls.spacing = Some(spacing_of(16));
    calls.late_answers = Some(vec![
        LateAnswer {
            touch: LateTouch::One,
            deals: 6,
            won: 2,
            lost: 2,
            rate: Some(0.5),
            ci_low: Some(0.25),
            ci_high: Some(0.75),
            won_amount: vec![
                WonAmount { currency: "EUR".into(), amount: 1500.5 },
                WonAmount { currency: "USD".into(), amount: 7000.0 },
            ],
        },
        LateAnswer {
            touch: LateTouch::FivePlus,
            deals: 1,
            won: 0,
            lost: 0,
            rate: None,
            ci_low: None,
            ci_high: None,
            won_amount: Vec::new(),
        },
    ]);
    calls.competing_outcomes = Some(vec![step(1, 12, 3, 2, 0.25), step(2, 6, 2, 1, 0.5)]);
    let mut sheet = group("=Sheet");
    sheet.reply_delay = Some(ReplyDelay { overall: delay(2, 0.5), by_channel: Vec::new() });
    sheet.spacing = Some(spacing_of(4));
    m.groups.insert(Dimension::Cadence, vec![calls, sheet]);
    m
}

fn calls(m: &Metrics) -> &GroupMetrics {
    &m.groups[&Dimension::Cadence][0]
}

fn sheet(m: &Metrics) -> &GroupMetrics {
    &m.groups[&Dimension::Cadence][1]
}

/// The whole data's rows come first under `all,all`, exactly as before groups were added.
fn assert_whole_first(all: &[Vec<String>], whole_rows: usize) {
    assert!(all[..whole_rows].iter().all(|r| r[0] == "all" && r[1] == "all"), "{all:?}");
    assert!(all[whole_rows..].iter().all(|r| r[0] == "cadence"), "{all:?}");
}

/// Issue 13: each group's speed to answer is its metrics.json figures, under its
/// dimension and name; a group without the figure has no rows.
#[test]
fn speed_to_answer_rows_per_group_equal_the_group_metrics() {
    let m = grouped_metrics();
    let bytes = speed_to_answer(&m).expect("csv");
    assert_eq!(header(&bytes)[..4], ["dimension", "group", "measure", "band"]);
    let all = rows(&bytes);
    assert_whole_first(&all, 12);
    assert_eq!(sections(&all), [("all".into(), "all".into()), ("cadence".into(), "Calls".into())]);
    let s = calls(&m).speed_to_answer.as_ref().expect("speed");
    let got = rows_of(&all, "cadence", "Calls");
    assert_eq!(got.len(), 12);
    for (i, (measure, t)) in
        [("speed_to_lead", &s.speed_to_lead), ("time_to_answer", &s.time_to_answer)].into_iter().enumerate()
    {
        let head = &got[i * 6];
        assert_eq!((head[0].as_str(), head[1].as_str()), (measure, "all"));
        assert_eq!((n(&head[2]), n(&head[3])), (t.deals as u64, t.answered as u64));
        let shares = [t.median_hours, t.p90_hours, t.within_1h, t.within_24h, t.within_72h];
        assert_eq!(head[4..9].iter().map(|c| f(c)).collect::<Vec<_>>(), shares);
        assert!(head[9..].iter().all(String::is_empty));
        for (b, r) in t.bands.iter().zip(&got[i * 6 + 1..i * 6 + 6]) {
            assert_eq!((r[0].as_str(), r[1].as_str(), n(&r[2])), (measure, b.band.as_str(), b.deals as u64));
            assert_eq!((n(&r[9]), n(&r[10])), (b.won as u64, b.lost as u64));
            assert_eq!((f(&r[11]), f(&r[12]), f(&r[13])), (b.rate, b.ci_low, b.ci_high));
        }
    }
    assert!(rows_of(&all, "cadence", "'=Sheet").is_empty());
}

/// Issue 13: each group's reply delay, overall and by channel, with the group's name
/// neutralised.
#[test]
fn reply_delay_rows_per_group_equal_the_group_metrics() {
    let m = grouped_metrics();
    let bytes = reply_delay(&m).expect("csv");
    assert_eq!(header(&bytes)[..3], ["dimension", "group", "channel"]);
    let all = rows(&bytes);
    assert_whole_first(&all, 1 + m.reply_delay.by_channel.len());
    let expected_sections = [("all", "all"), ("cadence", "Calls"), ("cadence", "'=Sheet")];
    assert_eq!(sections(&all), expected_sections.map(|(a, b)| (a.to_owned(), b.to_owned())));
    for (g, key) in [(calls(&m), "Calls"), (sheet(&m), "'=Sheet")] {
        let d = g.reply_delay.as_ref().expect("delay");
        let expected: Vec<(&str, &DelayStats)> = std::iter::once(("all", &d.overall))
            .chain(d.by_channel.iter().map(|c| (c.channel.as_str(), &c.stats)))
            .collect();
        let got = rows_of(&all, "cadence", key);
        assert_eq!(got.len(), expected.len(), "{key}");
        for (r, (channel, s)) in got.iter().zip(expected) {
            assert_eq!((r[0].as_str(), n(&r[1])), (channel, s.deals as u64));
            let figures = [s.median_days, s.p90_days, s.within_1d, s.within_3d, s.within_7d, s.within_14d];
            assert_eq!(r[2..].iter().map(|c| f(c)).collect::<Vec<_>>(), figures);
        }
    }
}

/// Issue 13: each group's spacing: pooled buckets with the group's own comparison, then
/// per touch.
#[test]
fn spacing_rows_per_group_equal_the_group_metrics() {
    let m = grouped_metrics();
    let all = rows(&spacing(&m).expect("csv"));
    assert_whole_first(&all, m.spacing.pooled.len() + m.spacing.by_touch.len());
    for (g, key) in [(calls(&m), "Calls"), (sheet(&m), "'=Sheet")] {
        let s = g.spacing.as_ref().expect("spacing");
        let got = rows_of(&all, "cadence", key);
        assert_eq!(got.len(), s.pooled.len() + s.by_touch.len(), "{key}");
        let expected = s
            .pooled
            .iter()
            .map(|r| ("all".to_owned(), r))
            .chain(s.by_touch.iter().map(|t| (t.touch.to_string(), &t.rate)));
        for (row, (touch, r)) in got.iter().zip(expected) {
            assert_eq!((row[0].clone(), row[1].as_str()), (touch, r.bucket.as_str()));
            assert_eq!((n(&row[2]), n(&row[3])), (r.sent, r.responded));
            assert_eq!((f(&row[4]), f(&row[5]), f(&row[6])), (r.rate, r.ci_low, r.ci_high));
        }
        // The 2-3 bucket carries the group's comparison; 0-1 has none.
        let c = &s.comparisons.list[0];
        assert_eq!(
            got[1][7..11].iter().map(|x| f(x)).collect::<Vec<_>>(),
            [c.diff, c.ci_low, c.ci_high, c.p_holm].map(Some)
        );
        assert_eq!(got[1][11], "true");
        assert!(got[0][7..].iter().all(String::is_empty));
    }
}

/// Issue 13: each group's late answers, one row per (touch, currency).
#[test]
fn late_answer_rows_per_group_equal_the_group_metrics() {
    let m = grouped_metrics();
    let all = rows(&late_answers(&m).expect("csv"));
    let whole: usize = m.late_answers.iter().map(|a| a.won_amount.len().max(1)).sum();
    assert_whole_first(&all, whole);
    let got = rows_of(&all, "cadence", "Calls");
    let expected = [
        ["1", "6", "2", "2", "0.5", "0.25", "0.75", "EUR", "1500.5"],
        ["1", "6", "2", "2", "0.5", "0.25", "0.75", "USD", "7000"],
        ["5+", "1", "0", "0", "", "", "", "", ""],
    ];
    assert_eq!(got, expected);
    assert!(rows_of(&all, "cadence", "'=Sheet").is_empty());
}

/// Issue 13: each group's competing outcomes, with `going_on` from the group's counts.
#[test]
fn competing_outcome_rows_per_group_equal_the_group_metrics() {
    let m = grouped_metrics();
    let all = rows(&competing_outcomes(&m).expect("csv"));
    assert_whole_first(&all, m.competing_outcomes.len());
    let got = rows_of(&all, "cadence", "Calls");
    // Touch 1: 12 at risk − 3 responded − 1 opted out − 2 lost − 0 censored = 6 go on.
    let expected =
        [["1", "12", "3", "1", "2", "0", "6", "0.25", "0.5"], ["2", "6", "2", "1", "1", "0", "2", "0.5", "0.75"]];
    assert_eq!(got, expected);
    assert!(rows_of(&all, "cadence", "'=Sheet").is_empty());
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
/// channel, per bucket, per (touch, currency), per touch; without `--by` every row is
/// `all,all`.
#[test]
fn tables_hold_every_row_of_metrics_json() {
    let m = metrics();
    let tables = [
        speed_to_answer(&m).expect("csv"),
        reply_delay(&m).expect("csv"),
        spacing(&m).expect("csv"),
        late_answers(&m).expect("csv"),
        competing_outcomes(&m).expect("csv"),
    ];
    for t in &tables {
        assert!(rows(t).iter().all(|r| r[0] == "all" && r[1] == "all"));
    }
    assert_eq!(rows(&tables[0]).len(), 2 * 6);
    assert_eq!(rows(&tables[1]).len(), 1 + m.reply_delay.by_channel.len());
    assert_eq!(rows(&tables[2]).len(), m.spacing.pooled.len() + m.spacing.by_touch.len());
    let expected: usize = m.late_answers.iter().map(|a| a.won_amount.len().max(1)).sum();
    assert_eq!(rows(&tables[3]).len(), expected);
    let competing = rows(&tables[4]);
    assert_eq!(competing.len(), m.competing_outcomes.len());
    // going_on of a touch is the next touch's at_risk.
    for pair in competing.windows(2) {
        assert_eq!(pair[0][8], pair[1][3]);
    }
}
