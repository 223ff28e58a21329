//! The HTML page: a view model of pre-formatted strings built from [`Metrics`], fed to a
//! compiled-in askama template that escapes every value (only our own CSS is inserted
//! raw). No maths or formatting happens in the template, and no verdict is re-derived
//! here: a comparison is listed as meaningful when metrics says so
//! ([`GroupComparison::is_meaningful`]).
//!
//! [`page`] assembles one builder per section of the page; each table's rows are named
//! structs whose fields the template prints in column order.

use askama::Template;

use crate::error::{Error, Result};
use crate::fmt::{count, counted, decimal, money, percent};
use crate::metrics::groups::{GroupComparison, Metric, Mode};
use crate::metrics::{Bin, Metrics};

mod rows;
pub use rows::*;

/// A headline number with its plain-English reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// What it is.
    pub label: String,
    /// The number, formatted.
    pub value: String,
    /// One sentence that reads it.
    pub reading: String,
    /// The change from the previous month (monthly reports only), e.g. "+2.1 points
    /// vs September".
    pub change: String,
}

/// The page's view model.
#[derive(Debug, Template)]
#[template(path = "index.html")]
pub struct Page {
    /// Page title.
    pub title: String,
    /// "As of …, period …".
    pub subtitle: String,
    /// The four headline numbers.
    pub headlines: Vec<Headline>,
    /// Response by touch rows.
    pub touches: Vec<TouchRow>,
    /// Touches to close rows.
    pub close_rows: Vec<CloseRow>,
    /// Summary lines under the close table.
    pub close_summary: Vec<String>,
    /// Revenue per currency.
    pub revenue_rows: Vec<RevenueRow>,
    /// Give-up buckets.
    pub give_up_rows: Vec<GiveUpRow>,
    /// Deals contacted after opting out.
    pub opt_out_rows: Vec<OptOutRow>,
    /// Per input file.
    pub input_rows: Vec<InputRow>,
    /// Data-quality lines.
    pub quality: Vec<String>,
    /// Inline stylesheet (our own text).
    pub css: &'static str,
    /// Inline charts by file stem (our own SVG; every text in it is escaped by plotters).
    pub charts: Vec<ChartView>,
    /// One section per `--by` dimension.
    pub groups: Vec<GroupSection>,
    /// The first rows of the due list.
    pub due_rows: Vec<DueRow>,
    /// The sentence above the due list.
    pub due_note: String,
    /// The cohort table: month of touch 1, deals, response by touch 1…6, won within
    /// 30/60/90 days ("–" where too young or never reached).
    pub cohort_rows: Vec<CohortRow>,
    /// With `--cadence-plan`: how closely each cadence's plan was kept.
    pub plan_rows: Vec<PlanRow>,
    /// What the inputs cannot show (shown under the headline numbers).
    pub limitations: Vec<String>,
}

impl Page {
    /// The inline SVG of a chart, empty when it was not rendered.
    pub fn chart(&self, stem: &str) -> Option<&ChartView> {
        self.charts.iter().find(|c| c.stem == stem)
    }
}

const CSS: &str = include_str!("../../templates/report.css");

/// Builds the view model: one builder per section of the page.
pub fn page(m: &Metrics, charts: &[super::RenderedChart]) -> Page {
    let (close_rows, close_summary) = close_table(m);
    Page {
        title: "Follow-up report".into(),
        subtitle: subtitle(m),
        headlines: headlines(m),
        touches: touch_rows(m),
        close_rows,
        close_summary,
        revenue_rows: revenue_rows(m),
        give_up_rows: give_up_rows(m),
        opt_out_rows: opt_out_rows(m),
        input_rows: input_rows(m),
        quality: quality(m),
        css: CSS,
        groups: group_sections(m),
        due_rows: due_rows(m),
        due_note: due_note(m),
        cohort_rows: cohort_rows(m),
        limitations: m.limitations.clone(),
        plan_rows: plan_rows(m),
        charts: charts
            .iter()
            .map(|c| ChartView { stem: c.kind.file_stem(), title: c.kind.title(m), svg: c.svg.clone() })
            .collect(),
    }
}

fn subtitle(m: &Metrics) -> String {
    match &m.period {
        Some(p) => format!("Period {} to {} · as of {}", p.from, p.to, m.as_of),
        None => format!("All data · as of {}", m.as_of),
    }
}

/// The four headline numbers, each with its change from the previous month.
fn headlines(m: &Metrics) -> Vec<Headline> {
    let km5 = m.response_by_touch.get(4).or(m.response_by_touch.last());
    let conv = &m.conversion_after_follow_up;
    let ttc = &m.touches_to_close;
    let rec = &m.revenue_recovered;
    let rev_value = rec
        .by_currency
        .iter()
        .map(|c| money(c.amount, &c.currency))
        .collect::<Vec<_>>()
        .join(" + ");
    let headlines = vec![
        Headline {
            label: format!("Response by touch {} if followed up that far", km5.map_or(5, |r| r.touch)),
            value: percent(km5.and_then(|r| r.cumulative_km)),
            change: String::new(),
            reading: format!(
                "Of the deals we kept chasing, this share had answered by touch {} (Kaplan–Meier; {} deals received touch 1).",
                km5.map_or(5, |r| r.touch),
                count(m.response_by_touch.first().map_or(0, |r| r.sent))
            ),
        },
        Headline {
            label: "Average touches to close".into(),
            value: decimal(ttc.stats.mean),
            change: String::new(),
            reading: format!(
                "Won deals took {} outbound touches on average (median {}), over {} won deals with tracked touches.",
                decimal(ttc.stats.mean),
                decimal(ttc.stats.median),
                count((ttc.won - ttc.stats.untracked) as u64)
            ),
        },
        Headline {
            label: "Conversion after follow-up".into(),
            value: percent(conv.rate),
            change: String::new(),
            reading: format!(
                "Deals that needed chasing (2+ touches) closed as won {} of the time ({} won, {} lost); deals touched once: {}.",
                percent(conv.rate),
                count(conv.won as u64),
                count(conv.lost as u64),
                percent(conv.single_touch_rate)
            ),
        },
        Headline {
            label: "Revenue recovered".into(),
            value: if rev_value.is_empty() { "–".into() } else { rev_value },
            change: String::new(),
            reading: format!(
                "{} won deals closed only after the {} or later follow-up (touch {} or later); {} of them have no amount.",
                count(rec.deals as u64),
                ordinal(rec.recovered_after),
                rec.recovered_after.saturating_add(1),
                count(rec.no_amount as u64)
            ),
        },
    ];
    let mut headlines = headlines;
    for (h, c) in headlines.iter_mut().zip(month_changes(m)) {
        h.change = c;
    }
    headlines
}

fn touch_rows(m: &Metrics) -> Vec<TouchRow> {
    m.response_by_touch
        .iter()
        .map(|r| TouchRow {
            touch: r.touch.to_string(),
            sent: count(r.sent),
            responded: count(r.responded),
            rate: percent(r.rate),
            interval: format!("{} – {}", percent(r.ci_low), percent(r.ci_high)),
            cumulative: percent(r.cumulative),
            km: format!("{} ({} – {})", percent(r.cumulative_km), percent(r.km_low), percent(r.km_high)),
        })
        .collect()
}

/// The touches-to-close histogram (won beside lost) and the two summary lines.
fn close_table(m: &Metrics) -> (Vec<CloseRow>, Vec<String>) {
    let ttc = &m.touches_to_close;
    let won = &ttc.stats.histogram;
    let lost = &m.touches_before_loss.stats.histogram;
    let max = won.iter().chain(lost).map(|b| b.touches).max().unwrap_or(0);
    let get = |h: &[Bin], n| h.iter().find(|b| b.touches == n).map_or(0, |b| b.deals as u64);
    let rows = (1..=max).map(|n| CloseRow { touches: n.to_string(), won: count(get(won, n)), lost: count(get(lost, n)) }).collect();
    let tbl = &m.touches_before_loss;
    let summary = vec![
        format!(
            "Won: {} deals, mean {}, median {}; {} untracked (no touch recorded).",
            count(ttc.won as u64),
            decimal(ttc.stats.mean),
            decimal(ttc.stats.median),
            count(ttc.stats.untracked as u64)
        ),
        format!(
            "Lost: {} deals, mean {}, median {}; {} untracked.",
            count(tbl.lost as u64),
            decimal(tbl.stats.mean),
            decimal(tbl.stats.median),
            count(tbl.stats.untracked as u64)
        ),
    ];
    (rows, summary)
}

fn revenue_rows(m: &Metrics) -> Vec<RevenueRow> {
    m.revenue_recovered
        .by_currency
        .iter()
        .map(|c| RevenueRow {
            currency: c.currency.clone(),
            recovered: money(c.amount, &c.currency),
            won: money(c.won_amount, &c.currency),
            share: percent(c.share_of_won),
        })
        .collect()
}

fn give_up_rows(m: &Metrics) -> Vec<GiveUpRow> {
    m.give_up
        .buckets
        .iter()
        .map(|b| GiveUpRow { bucket: b.bucket.to_string(), deals: count(b.deals as u64), share: percent(b.share) })
        .collect()
}

fn opt_out_rows(m: &Metrics) -> Vec<OptOutRow> {
    m.contacted_after_opt_out
        .list
        .iter()
        .map(|o| OptOutRow {
            deal_id: o.deal_id.clone(),
            name: o.name.clone(),
            opted_out_at: o.opted_out_at.clone(),
            touches_after: o.touches_after.to_string(),
        })
        .collect()
}

fn input_rows(m: &Metrics) -> Vec<InputRow> {
    m.inputs
        .iter()
        .map(|f| InputRow {
            file: f.path.clone(),
            format: f.format.clone(),
            encoding: format!("{}, {}", f.encoding, f.delimiter),
            rows: count(f.rows as u64),
            used: count(f.used as u64),
            rejected: count(f.rejected as u64),
            duplicates: count(f.duplicates as u64),
        })
        .collect()
}

/// The data-quality lines under the inputs table.
fn quality(m: &Metrics) -> Vec<String> {
    let t = &m.touches;
    let mut quality = vec![
        format!("{} outbound and {} inbound touches.", count(t.outbound as u64), count(t.inbound as u64)),
        format!(
            "{} bounced emails and {} notes or tasks were read but are not touches.",
            count(t.bounced as u64),
            count(t.notes_and_tasks as u64)
        ),
        format!(
            "{} automatic replies (out of office and the like) are not counted as responses; {} opt-outs.",
            count(t.automatic_replies as u64),
            count(t.opt_outs as u64)
        ),
        format!(
            "{} inbound-initiated (they reached us before our first touch), left out of response by touch.",
            counted(m.deals.inbound_initiated as u64, "deal was", "deals were")
        ),
    ];
    if t.planned > 0 {
        quality.push(format!(
            "{} planned but not done (\"To do\", not Completed): not touches, and their dates move nothing.",
            counted(t.planned as u64, "activity is", "activities are")
        ));
    }
    if t.linked_by_account > 0 {
        quality.push(format!(
            "{} logged on an account linked to the account's only opportunity open that day.",
            counted(t.linked_by_account as u64, "activity was", "activities were")
        ));
    }
    if t.unlinked > 0 {
        quality.push(format!(
            "{} linked to no deal: not a touch of any deal.",
            counted(t.unlinked as u64, "activity is", "activities are")
        ));
    }
    for s in &m.skipped_inputs {
        quality.push(format!("Not read: {s}."));
    }
    if m.deals.unattributed > 0 {
        quality.push(format!(
            "{} deals answered outside the reply window and are not credited to a touch.",
            count(m.deals.unattributed as u64)
        ));
    }
    for u in &t.unknown_outcomes {
        quality.push(format!("Unknown outcome \"{}\" on {} rows, treated as one-way.", u.outcome, count(u.rows as u64)));
    }
    quality
}

/// The first 25 deals of the due list.
fn due_rows(m: &Metrics) -> Vec<DueRow> {
    m.due_follow_ups
        .top
        .iter()
        .take(25)
        .map(|d| DueRow {
            deal_id: d.deal_id.clone(),
            name: d.name.clone(),
            owner: if d.owner.is_empty() { "–".into() } else { d.owner.clone() },
            last_touch: format!("{} ({} days ago)", d.last_touch, d.days_since),
            next: format!("touch {} after {} days", d.next_touch, d.usual_gap_days),
            next_rate: percent(d.next_touch_rate),
            amount: d.amount.map_or("–".into(), |a| money(a, &d.currency)),
        })
        .collect()
}

fn due_note(m: &Metrics) -> String {
    format!(
        "Open deals with no answer that have gone longer without a touch than {} at that point: {}. The {} most promising are listed (by the response rate the next touch usually gets, then by amount); all of them are in tables/due_follow_ups.csv.",
        if m.plan_adherence.is_empty() { "the team usually waits" } else { "their cadence plan says to wait (the team's usual gap where no plan applies)" },
        count(m.due_follow_ups.deals as u64),
        m.due_follow_ups.deals.min(25)
    )
}

fn plan_rows(m: &Metrics) -> Vec<PlanRow> {
    m.plan_adherence
        .iter()
        .map(|a| PlanRow {
            cadence: a.cadence.clone(),
            sent: format!("{} of {} ({})", count(a.sent as u64), count(a.due as u64), percent(a.share_sent)),
            median_late: a.median_days_late.map_or("–".into(), |d| format!("{d:+.1} days")),
            on_channel: percent(a.on_planned_channel),
            conversion: percent(a.conversion_rate),
            response: if a.response_km_touch == 0 { "–".into() } else { format!("{} by touch {}", percent(a.response_km), a.response_km_touch) },
        })
        .collect()
}

/// For a one-month report, each headline's change from the previous month (from the
/// trend, which holds every month of the data); empty strings otherwise.
fn month_changes(m: &Metrics) -> [String; 4] {
    let none = || [String::new(), String::new(), String::new(), String::new()];
    let Some(p) = &m.period else { return none() };
    // `get`, not `[..7]`: a hand-edited metrics.json may hold any text here.
    let Some(month) = p.from.get(..7) else { return none() };
    let whole_month = p.from.ends_with("-01") && m.trend.iter().any(|t| t.month == month) && p.to.get(..7) == Some(month);
    if !whole_month {
        return none();
    }
    let Some(i) = m.trend.iter().position(|t| t.month == month) else { return none() };
    let Some(prev) = i.checked_sub(1).map(|j| &m.trend[j]) else {
        return [0; 4].map(|_| "first month in the data".to_owned());
    };
    let cur = &m.trend[i];
    let points = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:+.1} points vs {}", (a - b) * 100.0, prev.month),
        _ => format!("no figure for {} to compare", prev.month),
    };
    let touches = match (cur.touches_to_close_mean, prev.touches_to_close_mean) {
        (Some(a), Some(b)) => format!("{:+.1} touches vs {}", a - b, prev.month),
        _ => format!("no figure for {} to compare", prev.month),
    };
    let revenue = cur
        .revenue_recovered
        .iter()
        .map(|c| {
            let before = prev.revenue_recovered.iter().find(|p| p.currency == c.currency).map_or(0.0, |p| p.amount);
            format!("{} {}", c.currency, if c.amount >= before { format!("+{}", count((c.amount - before).round() as u64)) } else { format!("-{}", count((before - c.amount).round() as u64)) })
        })
        .collect::<Vec<_>>()
        .join(", ");
    [
        points(cur.response_km, prev.response_km),
        touches,
        points(cur.conversion_rate, prev.conversion_rate),
        if revenue.is_empty() { String::new() } else { format!("{revenue} vs {}", prev.month) },
    ]
}

fn group_sections(m: &Metrics) -> Vec<GroupSection> {
    m.groups
        .iter()
        .map(|(dim, groups)| {
            let rows = groups
                .iter()
                .map(|g| {
                    let first = g.response_by_touch.first();
                    let km = g.response_by_touch.get(4).or(g.response_by_touch.last());
                    GroupRow {
                        group: g.key.clone(),
                        deals: g.deals.as_ref().map_or("–".into(), |d| count(d.total as u64)),
                        touch_1: format!("{} (n = {})", percent(first.and_then(|r| r.rate)), count(first.map_or(0, |r| r.sent))),
                        km: km.map_or("–".into(), |r| format!("{} by touch {}", percent(r.cumulative_km), r.touch)),
                        conversion: g.conversion_after_follow_up.as_ref().map_or("–".into(), |c| {
                            format!("{} ({} of {})", percent(c.rate), count(c.won as u64), count((c.won + c.lost) as u64))
                        }),
                        touches_to_close: g.touches_to_close.as_ref().map_or("–".into(), |t| decimal(t.stats.mean)),
                    }
                })
                .collect();
            let cmp = m.comparisons.get(dim);
            let verdicts = cmp.map_or(Vec::new(), |c| c.list.iter().filter(|x| listed(x)).map(|x| x.verdict.clone()).collect());
            let note = cmp.map_or(String::new(), |c| {
                format!(
                    "{} comparisons ({}), on conversion after follow-up and the response rate at each touch; p-values Holm-adjusted. Response-rate differences are listed only where meaningful. Cadences are not assigned at random, so a difference is an association, not proof of cause. Every comparison is in tables/comparisons_{dim}.csv.",
                    c.count,
                    match c.mode {
                        Mode::Pair => "the two groups against each other",
                        Mode::EachVsRest => "each group against the rest",
                    }
                )
            });
            let chart = super::charts::ChartKind::Groups(*dim).file_stem();
            GroupSection { dimension: dim.to_string(), chart, rows, verdicts, note }
        })
        .collect()
}

/// Whether the page lists a comparison's verdict: every conversion verdict (meaningful
/// or not, it answers the section's question), and the response-rate ones metrics
/// calls meaningful.
fn listed(c: &GroupComparison) -> bool {
    c.metric == Metric::ConversionAfterFollowUp || c.is_meaningful()
}

/// One row per cohort. A won-within cell shows the rate and, in brackets, the deals
/// old enough to count; "–" when none is.
fn cohort_rows(m: &Metrics) -> Vec<CohortRow> {
    m.cohorts
        .iter()
        .map(|c| CohortRow {
            month: c.month.clone(),
            deals: count(c.deals as u64),
            response_km: c.response_km.iter().map(|v| if v.is_some() { percent(*v) } else { "–".into() }).collect(),
            won_within: c
                .won_within
                .iter()
                .map(|w| match w.rate {
                    Some(_) => format!("{} ({})", percent(w.rate), count(w.eligible as u64)),
                    None => "–".into(),
                })
                .collect(),
        })
        .collect()
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Renders `index.html`.
pub fn render(m: &Metrics, charts: &[super::RenderedChart]) -> Result<String> {
    page(m, charts).render().map_err(|e| Error::Render { what: "index.html".into(), message: e.to_string() })
}

/// One row of `reports/index.html`.
#[derive(Debug, Clone)]
pub struct IndexRow {
    /// Folder name.
    pub name: String,
    /// Link to its page.
    pub href: String,
    /// "from to to", or "all data".
    pub period: String,
    /// The as-of date.
    pub as_of: String,
    /// Response by touch 5 (Kaplan–Meier).
    pub response: String,
    /// Mean touches to close.
    pub touches_to_close: String,
    /// Conversion after follow-up.
    pub conversion: String,
    /// Revenue recovered per currency.
    pub revenue: String,
}

/// `reports/index.html`: every report folder with its headline numbers.
#[derive(Debug, Template)]
#[template(path = "reports_index.html")]
pub struct IndexPage {
    /// Rows, newest first.
    pub rows: Vec<IndexRow>,
    /// Inline stylesheet (our own text).
    pub css: &'static str,
}

/// The index row of one report.
pub fn index_row(name: &str, m: &Metrics) -> IndexRow {
    let km = m.response_by_touch.get(4).or(m.response_by_touch.last());
    IndexRow {
        name: name.to_owned(),
        href: format!("{}/index.html", percent_encode(name)),
        period: m.period.as_ref().map_or("all data".to_owned(), |p| format!("{} to {}", p.from, p.to)),
        as_of: m.as_of.clone(),
        response: percent(km.and_then(|r| r.cumulative_km)),
        touches_to_close: decimal(m.touches_to_close.stats.mean),
        conversion: percent(m.conversion_after_follow_up.rate),
        revenue: m.revenue_recovered.by_currency.iter().map(|c| money(c.amount, &c.currency)).collect::<Vec<_>>().join(" + "),
    }
}

/// A path segment for an href: every byte but ASCII letters, digits, `-`, `_`, `.` and
/// `~` as `%XX`.
fn percent_encode(segment: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Renders `reports/index.html`.
pub fn render_index(rows: Vec<IndexRow>) -> Result<String> {
    IndexPage { rows, css: CSS }.render().map_err(|e| Error::Render { what: "reports/index.html".into(), message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dimension;

    /// The view model of the hand-checked fixture (pinned as-of 2026-10-31): every
    /// string the page shows, formatted. A change in any wording, rounding or row shows
    /// up here for review.
    #[test]
    fn view_model_of_the_km_fixture() {
        let m: Metrics = serde_json::from_str(include_str!("../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("the fixture's metrics.json reads back");
        let mut p = page(&m, &[]);
        p.css = "";
        insta::assert_debug_snapshot!(p);
    }

    #[test]
    fn young_cohorts_show_a_dash_not_zero() {
        let mut m: Metrics = serde_json::from_str(include_str!("../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("fixture");
        let c = &mut m.cohorts[0];
        for w in &mut c.won_within {
            w.eligible = 0;
            w.won = 0;
            w.rate = None;
        }
        let rows = cohort_rows(&m);
        assert_eq!(rows[0].won_within, ["–", "–", "–"]);
    }

    /// A response comparison whose Holm-adjusted p is below 0.05 but whose interval
    /// includes 0 (the case the page once listed on p alone), one whose interval is clear
    /// of 0, and a conversion comparison that is not meaningful.
    fn with_comparisons() -> Metrics {
        use crate::metrics::compare::Test;
        use crate::metrics::groups::Comparisons;
        let mut m: Metrics = serde_json::from_str(include_str!("../../tests/fixtures/response_by_touch_km/metrics.full.json"))
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
        let mut m: Metrics = serde_json::from_str(include_str!("../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("fixture");
        for (from, to) in [("2026", "2026-10-31"), ("2026-1é-01", "2026-10-31"), ("2026-10-01", "é")] {
            m.period = Some(crate::metrics::PeriodOut { from: from.into(), to: to.into() });
            assert_eq!(month_changes(&m), [String::new(), String::new(), String::new(), String::new()], "{from} {to}");
        }
    }
}
