//! Tests of the parent module.

use super::*;
use crate::metrics::groups::{GroupComparison, Metric, Mode};
use crate::model::Dimension;

/// The view model of the hand-checked fixture (pinned as-of 2026-10-31): every
/// string the page shows, formatted. A change in any wording, rounding or row shows
/// up here for review.
#[test]
fn view_model_of_the_km_fixture() {
    let m: Metrics =
        serde_json::from_str(include_str!("../../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("the fixture's metrics.json reads back");
    let mut p = page(&m, &[]);
    p.css = "";
    insta::assert_debug_snapshot!(p);
}

fn km_fixture() -> Metrics {
    serde_json::from_str(include_str!("../../../tests/fixtures/response_by_touch_km/metrics.full.json"))
        .expect("fixture")
}

/// Issue 10: "Conversion after follow-up 75.0%" on a real export rested on 3 won and
/// 1 lost deal, with 20 closed deals without touch data unsaid. On 9 followed-up
/// closed deals the card states the counts; on 10, the rate; both say how many
/// closed deals were left out.
#[test]
fn conversion_card_on_nine_deals_says_too_few_and_on_ten_gives_the_rate() {
    let mut m = km_fixture();
    let c = &mut m.conversion_after_follow_up;
    (c.won, c.lost, c.rate, c.no_touch_data) = (6, 3, Some(6.0 / 9.0), 17);
    let h = &headlines(&m)[2];
    assert_eq!(h.value, "6 of 9 deals — too few to read");
    assert!(h.few);
    assert!(!h.value.contains('%') && !h.reading.contains("66.7%"), "{}", h.reading);
    assert!(h.reading.contains("17 closed deals had no touch data and are left out."), "{}", h.reading);
    let c = &mut m.conversion_after_follow_up;
    (c.lost, c.rate, c.no_touch_data) = (4, Some(0.6), 1);
    let h = &headlines(&m)[2];
    assert_eq!(h.value, "60.0%");
    assert!(!h.few);
    assert!(
        h.reading.contains("(6 won, 4 lost)")
            && h.reading.ends_with("1 closed deal had no touch data and is left out."),
        "{}",
        h.reading
    );
}

#[test]
fn response_and_touches_cards_on_nine_deals_say_too_few_and_on_ten_give_the_figure() {
    let mut m = km_fixture();
    m.response_by_touch[0].sent = 9;
    m.touches_to_close.won = 9;
    m.touches_to_close.stats.untracked = 0;
    let h = headlines(&m);
    let answered: u64 = m.response_by_touch.iter().take(5).map(|r| r.responded).sum();
    assert_eq!(h[0].value, format!("{answered} of 9 deals — too few to read"));
    assert!(h[0].few && h[0].reading.starts_with("Only 9 deals received touch 1"), "{}", h[0].reading);
    assert_eq!(h[1].value, "9 won deals — too few to read");
    assert!(h[1].few && h[1].reading.starts_with("Only 9 won deals have tracked touches"), "{}", h[1].reading);
    m.response_by_touch[0].sent = 10;
    (m.touches_to_close.won, m.touches_to_close.stats.untracked) = (12, 2);
    let h = headlines(&m);
    assert_eq!(h[0].value, percent(m.response_by_touch[4].cumulative_km));
    assert_eq!(h[1].value, decimal(m.touches_to_close.stats.mean));
    assert!(!h[0].few && !h[1].few);
    // The reports index says the same.
    m.conversion_after_follow_up.won = 1;
    m.conversion_after_follow_up.lost = 1;
    assert_eq!(index_row("r", &m).conversion, "1 of 2 deals — too few to read");
}

/// The cohort cells showed "100.0% (1)" like any other rate.
#[test]
fn cohort_cells_on_nine_deals_are_grey_and_on_ten_are_not() {
    let mut m = km_fixture();
    m.cohorts[0].won_within[0].eligible = 9;
    m.cohorts[0].won_within[1].eligible = 10;
    m.cohorts[0].touch_1_sent = 9;
    let rows = cohort_rows(&m);
    assert!(rows[0].won_within[0].few && !rows[0].won_within[1].few);
    assert!(rows[0].response_km.iter().filter(|c| c.text != "–").all(|c| c.few));
    m.cohorts[0].touch_1_sent = 10;
    assert!(cohort_rows(&m)[0].response_km.iter().all(|c| !c.few));
    let html = page(&m, &[]).render().expect("renders");
    assert!(html.contains("<td class=\"few\" title=\"fewer than 10 deals: too few to read\">"), "grey cell");
}

/// Issue 14: a cohort cell showed "100.0% (1)". On too few deals a won-within cell
/// gives its counts, marked ◦ like the trend's hollow points; the response cells keep
/// their rate, marked, with the row's n (sent touch 1) beside them; on 10 deals, plain.
#[test]
fn issue_14_cohort_cells_on_too_few_deals_are_marked_counts_never_a_bare_rate() {
    let mut m = km_fixture();
    let c = &mut m.cohorts[0];
    c.touch_1_sent = 1;
    (c.won_within[0].eligible, c.won_within[0].won, c.won_within[0].rate) = (1, 1, Some(1.0));
    (c.won_within[1].eligible, c.won_within[1].won, c.won_within[1].rate) = (10, 4, Some(0.4));
    let row = &cohort_rows(&m)[0];
    assert_eq!(row.won_within[0], Cell { text: "◦ 1 of 1".into(), few: true });
    assert_eq!(row.won_within[1], Cell::plain("40.0% (10)".into()));
    assert_eq!(row.sent, Cell { text: "1".into(), few: true });
    for cell in row.response_km.iter().filter(|c| c.text != "–") {
        assert!(cell.few && cell.text.starts_with("◦ ") && cell.text.ends_with('%'), "{cell:?}");
    }
    let html = page(&m, &[]).render().expect("renders");
    assert!(!html.contains("100.0% (1)"), "a bare rate on one deal");
    m.cohorts[0].touch_1_sent = 10;
    let row = &cohort_rows(&m)[0];
    assert!(!row.sent.few && row.response_km.iter().all(|c| !c.few && !c.text.contains('◦')));
}

/// Issue 14: every table states its n: touches to close and give-up end with their
/// totals, revenue shows its won deals, the comparison its tracked won deals.
#[test]
fn issue_14_tables_state_their_n() {
    let m = km_fixture();
    let (rows, _) = close_table(&m);
    let last = rows.last().expect("rows");
    let sum = |h: &[Bin]| h.iter().map(|b| b.deals as u64).sum::<u64>();
    assert_eq!(last.touches, "All tracked");
    assert_eq!(last.won, count(sum(&m.touches_to_close.stats.histogram)));
    assert_eq!(last.lost, count(sum(&m.touches_before_loss.stats.histogram)));
    let g = give_up_rows(&m);
    assert_eq!((g.len(), g[4].bucket.as_str()), (5, "All"));
    assert_eq!(g[4].deals, count(m.give_up.deals as u64));
    let b: u64 = m.give_up.buckets.iter().map(|b| b.deals as u64).sum();
    assert_eq!(b, m.give_up.deals as u64, "the buckets add up to the total shown");
    let r = &revenue_rows(&m)[0];
    assert_eq!(r.won_deals, m.revenue_recovered.by_currency[0].won_deals.map_or("–".into(), |n| n.to_string()));
}

/// Issue 14: the index said "too few to read" with no n; it now says the counts, as
/// the cards do.
#[test]
fn issue_14_index_row_says_small_figures_with_their_counts() {
    let mut m = km_fixture();
    m.response_by_touch[0].sent = 9;
    m.touches_to_close.won = 3;
    m.touches_to_close.stats.untracked = 0;
    let row = index_row("2026-10", &m);
    let answered: u64 = m.response_by_touch.iter().take(5).map(|r| r.responded).sum();
    assert_eq!(row.response, format!("{answered} of 9 deals — too few to read"));
    assert_eq!(row.touches_to_close, "3 won deals — too few to read");
    assert_eq!(row.response, headlines(&m)[0].value, "the index says what the card says");
}

#[test]
fn revenue_share_on_nine_won_deals_says_too_few_and_on_ten_gives_the_share() {
    let mut m = km_fixture();
    m.revenue_recovered.by_currency[0].won_deals = Some(9);
    assert_eq!(revenue_rows(&m)[0].share, "9 won deals — too few to read");
    m.revenue_recovered.by_currency[0].won_deals = Some(10);
    assert_eq!(revenue_rows(&m)[0].share, "100.0%");
}

#[test]
fn a_month_change_on_nine_closed_deals_says_too_few_and_on_ten_gives_points() {
    let mut m = km_fixture();
    m.period = Some(crate::metrics::PeriodOut { from: "2026-10-01".into(), to: "2026-10-31".into() });
    m.trend[1].conversion_closed = Some(9);
    m.trend[0].conversion_closed = Some(10);
    assert_eq!(month_changes(&m)[2], "too few deals in 2026-10 to compare");
    m.trend[1].conversion_closed = Some(10);
    assert_eq!(month_changes(&m)[2], "-75.0 points vs 2026-09");
}

#[test]
fn young_cohorts_show_a_dash_not_zero() {
    let mut m: Metrics =
        serde_json::from_str(include_str!("../../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("fixture");
    let c = &mut m.cohorts[0];
    for w in &mut c.won_within {
        w.eligible = 0;
        w.won = 0;
        w.rate = None;
    }
    let rows = cohort_rows(&m);
    assert_eq!(rows[0].won_within, [Cell::plain("–".into()), Cell::plain("–".into()), Cell::plain("–".into())]);
}

/// A response comparison whose Holm-adjusted p is below 0.05 but whose interval
/// includes 0 (the case the page once listed on p alone), one whose interval is clear
/// of 0, and a conversion comparison that is not meaningful.
fn with_comparisons() -> Metrics {
    use crate::metrics::compare::Test;
    use crate::metrics::groups::Comparisons;
    let mut m: Metrics =
        serde_json::from_str(include_str!("../../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("fixture");
    let c = |metric, touch, p_holm, ci_low, ci_high, verdict: &str| GroupComparison {
        metric,
        touch,
        group: "A".into(),
        versus: "B".into(),
        k1: 30,
        n1: 100,
        k2: 20,
        n2: 100,
        diff: 0.1,
        ci_low,
        ci_high,
        test: Test::PooledZ,
        p_value: p_holm / 3.0,
        p_holm,
        verdict: verdict.into(),
    };
    let list = vec![
        c(Metric::ConversionAfterFollowUp, None, 0.4, -0.1, 0.3, "conversion: not yet meaningful"),
        c(Metric::ResponseRate, Some(1), 0.03, -0.004, 0.2, "touch 1: p below 0.05, interval across 0"),
        c(Metric::ResponseRate, Some(2), 0.03, 0.01, 0.2, "touch 2: meaningful"),
        c(Metric::ResponseRate, Some(3), 0.2, 0.01, 0.2, "touch 3: interval clear of 0, p too high"),
    ];
    m.groups.insert(Dimension::Cadence, Vec::new());
    m.comparisons.insert(Dimension::Cadence, Comparisons { mode: Mode::Pair, count: list.len(), list });
    m
}

#[test]
fn page_lists_a_response_verdict_only_when_metrics_calls_it_meaningful() {
    let m = with_comparisons();
    let p = page(&m, &[]);
    assert_eq!(p.groups[0].verdicts, ["conversion: not yet meaningful", "touch 2: meaningful"]);
    // The page and metrics agree comparison by comparison.
    let listed: Vec<bool> = m.comparisons[&Dimension::Cadence].list.iter().map(|c| c.is_meaningful()).collect();
    assert_eq!(listed, [false, false, true, false]);
    let html = p.render().expect("renders");
    assert!(html.contains("touch 2: meaningful") && !html.contains("interval across 0"), "{html}");
    assert!(html.contains("the two groups against each other"));
}

#[test]
fn a_short_or_non_ascii_period_in_metrics_json_does_not_panic_the_page() {
    let mut m: Metrics =
        serde_json::from_str(include_str!("../../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("fixture");
    for (from, to) in [("2026", "2026-10-31"), ("2026-1é-01", "2026-10-31"), ("2026-10-01", "é")] {
        m.period = Some(crate::metrics::PeriodOut { from: from.into(), to: to.into() });
        assert_eq!(month_changes(&m), [String::new(), String::new(), String::new(), String::new()], "{from} {to}");
    }
}
