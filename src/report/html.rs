//! The HTML page: a view model of pre-formatted strings built from [`Metrics`], fed to a
//! compiled-in askama template that escapes every value (only our own CSS is inserted
//! raw). No maths or formatting happens in the template.

use askama::Template;

use crate::error::{Error, Result};
use crate::fmt::{count, counted, decimal, money, percent};
use crate::metrics::Metrics;

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
    pub touches: Vec<[String; 7]>,
    /// Touches to close rows: touches, won, lost.
    pub close_rows: Vec<[String; 3]>,
    /// Summary lines under the close table.
    pub close_summary: Vec<String>,
    /// Revenue per currency.
    pub revenue_rows: Vec<[String; 4]>,
    /// Give-up buckets.
    pub give_up_rows: Vec<[String; 3]>,
    /// Deals contacted after opting out.
    pub opt_out_rows: Vec<[String; 4]>,
    /// Per input file.
    pub input_rows: Vec<[String; 7]>,
    /// Data-quality lines.
    pub quality: Vec<String>,
    /// Inline stylesheet (our own text).
    pub css: &'static str,
    /// Inline charts by file stem (our own SVG; every text in it is escaped by plotters).
    pub charts: Vec<ChartView>,
    /// One section per `--by` dimension.
    pub groups: Vec<GroupSection>,
    /// The first rows of the due list.
    pub due_rows: Vec<[String; 7]>,
    /// The sentence above the due list.
    pub due_note: String,
    /// The cohort table: month of touch 1, deals, response by touch 1…6, won within
    /// 30/60/90 days ("–" where too young or never reached).
    pub cohort_rows: Vec<Vec<String>>,
    /// With `--cadence-plan`: cadence, follow-ups sent of due, median days late, on the
    /// planned channel, conversion, response by the last planned touch.
    pub plan_rows: Vec<[String; 6]>,
    /// What the inputs cannot show (shown under the headline numbers).
    pub limitations: Vec<String>,
}

/// The comparison of one `--by` dimension.
#[derive(Debug, Clone)]
pub struct GroupSection {
    /// "cadence", "owner", …
    pub dimension: String,
    /// The file stem of its comparison chart (`groups_cadence`), inlined above the table.
    pub chart: &'static str,
    /// Rows: group, deals, touch-1 rate, response by touch 5 (KM), conversion, touches to close.
    pub rows: Vec<[String; 6]>,
    /// Verdicts on conversion, then the response comparisons that are meaningful.
    pub verdicts: Vec<String>,
    /// How many comparisons were made and how.
    pub note: String,
}

/// One inline chart.
#[derive(Debug, Clone)]
pub struct ChartView {
    /// File stem, e.g. `response_by_touch`.
    pub stem: &'static str,
    /// The chart's finding, for the caption and alt text.
    pub title: String,
    /// SVG markup.
    pub svg: String,
}

impl Page {
    /// The inline SVG of a chart, empty when it was not rendered.
    pub fn chart(&self, stem: &str) -> Option<&ChartView> {
        self.charts.iter().find(|c| c.stem == stem)
    }
}

const CSS: &str = include_str!("../../templates/report.css");

/// Builds the view model.
pub fn page(m: &Metrics, charts: &[super::RenderedChart]) -> Page {
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
    let touches = m
        .response_by_touch
        .iter()
        .map(|r| {
            [
                r.touch.to_string(),
                count(r.sent),
                count(r.responded),
                percent(r.rate),
                format!("{} – {}", percent(r.ci_low), percent(r.ci_high)),
                percent(r.cumulative),
                format!("{} ({} – {})", percent(r.cumulative_km), percent(r.km_low), percent(r.km_high)),
            ]
        })
        .collect();
    let won = &ttc.stats.histogram;
    let lost = &m.touches_before_loss.stats.histogram;
    let max = won.iter().chain(lost).map(|b| b.touches).max().unwrap_or(0);
    let get = |h: &[crate::metrics::Bin], n| h.iter().find(|b| b.touches == n).map_or(0, |b| b.deals as u64);
    let close_rows = (1..=max).map(|n| [n.to_string(), count(get(won, n)), count(get(lost, n))]).collect();
    let tbl = &m.touches_before_loss;
    let close_summary = vec![
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
    let revenue_rows = rec
        .by_currency
        .iter()
        .map(|c| [c.currency.clone(), money(c.amount, &c.currency), money(c.won_amount, &c.currency), percent(c.share_of_won)])
        .collect();
    let give_up_rows = m
        .give_up
        .buckets
        .iter()
        .map(|b| [b.bucket.clone(), count(b.deals as u64), percent(b.share)])
        .collect();
    let opt_out_rows = m
        .contacted_after_opt_out
        .list
        .iter()
        .map(|o| [o.deal_id.clone(), o.name.clone(), o.opted_out_at.clone(), o.touches_after.to_string()])
        .collect();
    let input_rows = m
        .inputs
        .iter()
        .map(|f| {
            [
                f.path.clone(),
                f.format.clone(),
                format!("{}, {}", f.encoding, f.delimiter),
                count(f.rows as u64),
                count(f.used as u64),
                count(f.rejected as u64),
                count(f.duplicates as u64),
            ]
        })
        .collect();
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
    let subtitle = match &m.period {
        Some(p) => format!("Period {} to {} · as of {}", p.from, p.to, m.as_of),
        None => format!("All data · as of {}", m.as_of),
    };
    Page {
        title: "Follow-up report".into(),
        subtitle,
        headlines,
        touches,
        close_rows,
        close_summary,
        revenue_rows,
        give_up_rows,
        opt_out_rows,
        input_rows,
        quality,
        css: CSS,
        groups: group_sections(m),
        due_rows: m
            .due_follow_ups
            .top
            .iter()
            .take(25)
            .map(|d| {
                [
                    d.deal_id.clone(),
                    d.name.clone(),
                    if d.owner.is_empty() { "–".into() } else { d.owner.clone() },
                    format!("{} ({} days ago)", d.last_touch, d.days_since),
                    format!("touch {} after {} days", d.next_touch, d.usual_gap_days),
                    percent(d.next_touch_rate),
                    d.amount.map_or("–".into(), |a| money(a, &d.currency)),
                ]
            })
            .collect(),
        due_note: format!(
            "Open deals with no answer that have gone longer without a touch than {} at that point: {}. The {} most promising are listed (by the response rate the next touch usually gets, then by amount); all of them are in tables/due_follow_ups.csv.",
            if m.plan_adherence.is_empty() { "the team usually waits" } else { "their cadence plan says to wait (the team's usual gap where no plan applies)" },
            count(m.due_follow_ups.deals as u64),
            m.due_follow_ups.deals.min(25)
        ),
        cohort_rows: cohort_rows(m),
        limitations: m.limitations.clone(),
        plan_rows: m
            .plan_adherence
            .iter()
            .map(|a| {
                [
                    a.cadence.clone(),
                    format!("{} of {} ({})", count(a.sent as u64), count(a.due as u64), percent(a.share_sent)),
                    a.median_days_late.map_or("–".into(), |d| format!("{d:+.1} days")),
                    percent(a.on_planned_channel),
                    percent(a.conversion_rate),
                    if a.response_km_touch == 0 { "–".into() } else { format!("{} by touch {}", percent(a.response_km), a.response_km_touch) },
                ]
            })
            .collect(),
        charts: charts
            .iter()
            .map(|c| ChartView { stem: c.kind.file_stem(), title: c.kind.title(m), svg: c.svg.clone() })
            .collect(),
    }
}

/// For a one-month report, each headline's change from the previous month (from the
/// trend, which holds every month of the data); empty strings otherwise.
fn month_changes(m: &Metrics) -> [String; 4] {
    let none = || [String::new(), String::new(), String::new(), String::new()];
    let Some(p) = &m.period else { return none() };
    let month = &p.from[..7];
    let whole_month = p.from.ends_with("-01") && m.trend.iter().any(|t| t.month == month) && p.to[..7] == *month;
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
                    [
                        g.key.clone(),
                        g.deals.as_ref().map_or("–".into(), |d| count(d.total as u64)),
                        format!("{} (n = {})", percent(first.and_then(|r| r.rate)), count(first.map_or(0, |r| r.sent))),
                        km.map_or("–".into(), |r| format!("{} by touch {}", percent(r.cumulative_km), r.touch)),
                        g.conversion_after_follow_up.as_ref().map_or("–".into(), |c| {
                            format!("{} ({} of {})", percent(c.rate), count(c.won as u64), count((c.won + c.lost) as u64))
                        }),
                        g.touches_to_close.as_ref().map_or("–".into(), |t| decimal(t.stats.mean)),
                    ]
                })
                .collect();
            let cmp = m.comparisons.get(dim);
            let verdicts = cmp.map_or(Vec::new(), |c| {
                c.list
                    .iter()
                    .filter(|x| x.metric == "conversion_after_follow_up" || x.p_holm < 0.05)
                    .map(|x| x.verdict.clone())
                    .collect()
            });
            let note = cmp.map_or(String::new(), |c| {
                format!(
                    "{} comparisons ({}), on conversion after follow-up and the response rate at each touch; p-values Holm-adjusted. Response-rate differences are listed only where meaningful. Cadences are not assigned at random, so a difference is an association, not proof of cause. Every comparison is in tables/comparisons_{dim}.csv.",
                    c.count,
                    if c.mode == "pair" { "the two groups against each other" } else { "each group against the rest" }
                )
            });
            let chart = super::charts::ChartKind::groups(dim).map_or("", |k| k.file_stem());
            GroupSection { dimension: dim.clone(), chart, rows, verdicts, note }
        })
        .collect()
}

/// One row per cohort. A won-within cell shows the rate and, in brackets, the deals
/// old enough to count; "–" when none is.
fn cohort_rows(m: &Metrics) -> Vec<Vec<String>> {
    m.cohorts
        .iter()
        .map(|c| {
            let mut row = vec![c.month.clone(), count(c.deals as u64)];
            row.extend(c.response_km.iter().map(|v| if v.is_some() { percent(*v) } else { "–".into() }));
            row.extend(c.won_within.iter().map(|w| match w.rate {
                Some(_) => format!("{} ({})", percent(w.rate), count(w.eligible as u64)),
                None => "–".into(),
            }));
            row
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
    /// Period, as-of and the four headline numbers.
    pub cells: [String; 6],
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
        cells: [
            m.period.as_ref().map_or("all data".to_owned(), |p| format!("{} to {}", p.from, p.to)),
            m.as_of.clone(),
            percent(km.and_then(|r| r.cumulative_km)),
            decimal(m.touches_to_close.stats.mean),
            percent(m.conversion_after_follow_up.rate),
            m.revenue_recovered.by_currency.iter().map(|c| money(c.amount, &c.currency)).collect::<Vec<_>>().join(" + "),
        ],
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
        assert_eq!(rows[0][8..], ["–", "–", "–"]);
    }
}
