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
use crate::fmt::{count, counted, decimal, money, percent, rate_or_few};
use crate::metrics::{Bin, Metrics};

mod chart;
mod groups;
mod index;
mod rows;
mod timing;
use chart::chart_view;
use groups::group_sections;
pub use index::*;
pub use rows::*;
pub use timing::{CompetingRow, DelayRow, LateRow, SpacingRow, SpeedRow, Timing, WaitingRow};

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
    /// The number rests on fewer than `metrics::SMALL_N` deals: the value says so in
    /// words ("3 of 4 deals — too few to read") and the card is greyed.
    pub few: bool,
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
    /// The fewest deals a figure is read on (`metrics::SMALL_N`), for the notes.
    pub small_n: usize,
    /// The sections of SPEC §3 rules 10–13 and the waiting-on-us list.
    pub timing: Timing,
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
        small_n: crate::metrics::SMALL_N,
        plan_rows: plan_rows(m),
        timing: timing::timing(m),
        charts: charts.iter().map(|c| chart_view(c, m)).collect(),
    }
}

fn subtitle(m: &Metrics) -> String {
    match &m.period {
        Some(p) => format!("Period {} to {} · as of {}", p.from, p.to, m.as_of),
        None => format!("All data · as of {}", m.as_of),
    }
}

/// The four headline numbers, each with its change from the previous month. A number
/// resting on fewer than `metrics::SMALL_N` deals is stated as counts with "too few to
/// read" (the decision is the metrics types' `too_few`), never as a bare percentage.
pub(crate) fn headlines(m: &Metrics) -> Vec<Headline> {
    let km5 = crate::metrics::TouchRate::by_touch_5(&m.response_by_touch);
    let conv = &m.conversion_after_follow_up;
    let ttc = &m.touches_to_close;
    let rec = &m.revenue_recovered;
    let rev_value = rec.by_currency.iter().map(|c| money(c.amount, &c.currency)).collect::<Vec<_>>().join(" + ");
    // Response: it rests on the deals that received touch 1.
    let first = m.response_by_touch.first();
    let sent_1 = first.map_or(0, |r| r.sent);
    let km_touch = km5.map_or(5, |r| r.touch);
    let response_few = first.is_some_and(|r| r.sent > 0 && r.too_few());
    let answered: u64 = m.response_by_touch.iter().take_while(|r| r.touch <= km_touch).map(|r| r.responded).sum();
    let response = Headline {
        label: format!("Response by touch {km_touch} if followed up that far"),
        value: rate_or_few(answered, sent_1, km5.and_then(|r| r.cumulative_km), response_few),
        change: String::new(),
        few: response_few,
        reading: if response_few {
            format!(
                "Only {} received touch 1, and {} answered by touch {km_touch}: too few to read a response rate (fewer than {}).",
                counted(sent_1, "deal", "deals"),
                count(answered),
                crate::metrics::SMALL_N
            )
        } else {
            format!(
                "Of the deals we kept chasing, this share had answered by touch {km_touch} (Kaplan–Meier; {} deals received touch 1).",
                count(sent_1)
            )
        },
    };
    // Touches to close: the tracked won deals.
    let tracked = ttc.tracked();
    let ttc_few = tracked > 0 && ttc.too_few();
    let touches = Headline {
        label: "Average touches to close".into(),
        value: if ttc_few {
            format!("{} — too few to read", counted(tracked as u64, "won deal", "won deals"))
        } else {
            decimal(ttc.stats.mean)
        },
        change: String::new(),
        few: ttc_few,
        reading: if ttc_few {
            format!(
                "Only {} tracked touches (mean {}, median {}): too few to read an average (fewer than {}).",
                counted(tracked as u64, "won deal has", "won deals have"),
                decimal(ttc.stats.mean),
                decimal(ttc.stats.median),
                crate::metrics::SMALL_N
            )
        } else {
            format!(
                "Won deals took {} outbound touches on average (median {}), over {} won deals with tracked touches.",
                decimal(ttc.stats.mean),
                decimal(ttc.stats.median),
                count(tracked as u64)
            )
        },
    };
    // Conversion: the followed-up won and lost deals, and the closed deals left out.
    let closed_fu = conv.won + conv.lost;
    let conv_few = closed_fu > 0 && conv.too_few();
    let single_n = conv.single_touch.won + conv.single_touch.lost;
    let single =
        rate_or_few(conv.single_touch.won as u64, single_n as u64, conv.single_touch_rate, conv.single_touch_too_few());
    let left_out = if conv.no_touch_data > 0 {
        format!(
            " {} had no touch data and {} left out.",
            counted(conv.no_touch_data as u64, "closed deal", "closed deals"),
            if conv.no_touch_data == 1 { "is" } else { "are" }
        )
    } else {
        String::new()
    };
    let conversion = Headline {
        label: "Conversion after follow-up".into(),
        value: rate_or_few(conv.won as u64, closed_fu as u64, conv.rate, conv_few),
        change: String::new(),
        few: conv_few,
        reading: if conv_few {
            format!(
                "Of the {} that needed chasing (2+ touches) and closed, {} won: too few to read a rate (fewer than {}); deals touched once: {}.{left_out}",
                counted(closed_fu as u64, "deal", "deals"),
                count(conv.won as u64),
                crate::metrics::SMALL_N,
                single
            )
        } else {
            format!(
                "Deals that needed chasing (2+ touches) closed as won {} of the time ({} won, {} lost); deals touched once: {}.{left_out}",
                percent(conv.rate),
                count(conv.won as u64),
                count(conv.lost as u64),
                single
            )
        },
    };
    let revenue = Headline {
        label: "Revenue recovered".into(),
        value: if rev_value.is_empty() { "–".into() } else { rev_value },
        change: String::new(),
        few: false,
        reading: format!(
            "{} won deals closed only after the {} or later follow-up (touch {} or later); {} of them have no amount.",
            count(rec.deals as u64),
            ordinal(rec.recovered_after),
            rec.recovered_after.saturating_add(1),
            count(rec.no_amount as u64)
        ),
    };
    let mut headlines = vec![response, touches, conversion, revenue];
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
    let mut rows: Vec<CloseRow> = (1..=max)
        .map(|n| CloseRow { touches: n.to_string(), won: count(get(won, n)), lost: count(get(lost, n)) })
        .collect();
    // The table's n: the tracked deals it counts (untracked ones are in the lines below),
    // last (the template prints the last row as the total).
    let total = |h: &[Bin]| h.iter().fold(0u64, |s, b| s.saturating_add(b.deals as u64));
    if !rows.is_empty() {
        rows.push(CloseRow { touches: "All tracked".into(), won: count(total(won)), lost: count(total(lost)) });
    }
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
            won_deals: c.won_deals.map_or("–".into(), |n| count(n as u64)),
            share: match c.won_deals {
                Some(n) if n > 0 && c.too_few() => {
                    format!("{} — too few to read", counted(n as u64, "won deal", "won deals"))
                }
                _ => percent(c.share_of_won),
            },
        })
        .collect()
}

fn give_up_rows(m: &Metrics) -> Vec<GiveUpRow> {
    m.give_up
        .buckets
        .iter()
        .map(|b| GiveUpRow { bucket: b.bucket.to_string(), deals: count(b.deals as u64), share: percent(b.share) })
        // The table's n, last (the template prints the last row as the total).
        .chain(std::iter::once(GiveUpRow {
            bucket: "All".into(),
            deals: count(m.give_up.deals as u64),
            share: percent((m.give_up.deals > 0).then_some(1.0)),
        }))
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
        quality.push(format!(
            "Unknown outcome \"{}\" on {} rows, treated as one-way.",
            u.outcome,
            count(u.rows as u64)
        ));
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
            deals: count(a.deals as u64),
            sent: format!("{} of {} ({})", count(a.sent as u64), count(a.due as u64), percent(a.share_sent)),
            median_late: a.median_days_late.map_or("–".into(), |d| format!("{d:+.1} days")),
            on_channel: percent(a.on_planned_channel),
            conversion: percent(a.conversion_rate),
            response: if a.response_km_touch == 0 {
                "–".into()
            } else {
                format!("{} by touch {}", percent(a.response_km), a.response_km_touch)
            },
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
    let whole_month =
        p.from.ends_with("-01") && m.trend.iter().any(|t| t.month == month) && p.to.get(..7) == Some(month);
    if !whole_month {
        return none();
    }
    let Some(i) = m.trend.iter().position(|t| t.month == month) else { return none() };
    let Some(prev) = i.checked_sub(1).map(|j| &m.trend[j]) else {
        return [0; 4].map(|_| "first month in the data".to_owned());
    };
    changes_between(&m.trend[i], prev)
}

/// Each headline's change from month `prev` to month `cur` (of the trend): "+2.1 points
/// vs 2026-09", or why there is none (too few deals, no figure).
pub(crate) fn changes_between(cur: &crate::metrics::MonthTrend, prev: &crate::metrics::MonthTrend) -> [String; 4] {
    // A change between two months says nothing when either rests on too few deals.
    let too_few = |few: fn(&crate::metrics::MonthTrend) -> bool| -> Option<String> {
        match (few(cur), few(prev)) {
            (true, true) => Some(format!("too few deals in {} and {} to compare", cur.month, prev.month)),
            (true, false) => Some(format!("too few deals in {} to compare", cur.month)),
            (false, true) => Some(format!("too few deals in {} to compare", prev.month)),
            (false, false) => None,
        }
    };
    let points = |a: Option<f64>, b: Option<f64>, few: fn(&crate::metrics::MonthTrend) -> bool| match (a, b) {
        (Some(a), Some(b)) => {
            too_few(few).unwrap_or_else(|| format!("{:+.1} points vs {}", (a - b) * 100.0, prev.month))
        }
        _ => format!("no figure for {} to compare", prev.month),
    };
    let touches = match (cur.touches_to_close_mean, prev.touches_to_close_mean) {
        (Some(a), Some(b)) => too_few(crate::metrics::MonthTrend::touches_too_few)
            .unwrap_or_else(|| format!("{:+.1} touches vs {}", a - b, prev.month)),
        _ => format!("no figure for {} to compare", prev.month),
    };
    let revenue = cur
        .revenue_recovered
        .iter()
        .map(|c| {
            let before = prev.revenue_recovered.iter().find(|p| p.currency == c.currency).map_or(0.0, |p| p.amount);
            format!(
                "{} {}",
                c.currency,
                if c.amount >= before {
                    format!("+{}", count((c.amount - before).round() as u64))
                } else {
                    format!("-{}", count((before - c.amount).round() as u64))
                }
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    [
        points(cur.response_km, prev.response_km, crate::metrics::MonthTrend::response_too_few),
        touches,
        points(cur.conversion_rate, prev.conversion_rate, crate::metrics::MonthTrend::conversion_too_few),
        if revenue.is_empty() { String::new() } else { format!("{revenue} vs {}", prev.month) },
    ]
}

/// The mark of a table cell resting on too few deals, as the trend's hollow points: a
/// hollow circle (the cell is also grey, and the note under the table says why).
pub const FEW_MARK: &str = "◦";

/// One row per cohort. A won-within cell shows the rate and, in brackets, the deals
/// old enough to count; "–" when none is. A cell resting on fewer than
/// `metrics::SMALL_N` deals is grey and marked [`FEW_MARK`] (the cohort's `too_few`
/// decides), and a won-within cell then shows its counts ("◦ 1 of 1"), not a rate.
fn cohort_rows(m: &Metrics) -> Vec<CohortRow> {
    m.cohorts
        .iter()
        .map(|c| CohortRow {
            month: c.month.clone(),
            deals: count(c.deals as u64),
            sent: Cell { text: count(c.touch_1_sent), few: c.touch_1_sent > 0 && c.response_too_few() },
            response_km: c
                .response_km
                .iter()
                .map(|v| match v {
                    Some(_) if c.response_too_few() => Cell { text: format!("{FEW_MARK} {}", percent(*v)), few: true },
                    Some(_) => Cell::plain(percent(*v)),
                    None => Cell::plain("–".into()),
                })
                .collect(),
            won_within: c
                .won_within
                .iter()
                .map(|w| match w.rate {
                    // Too few: the counts, never a bare rate ("1 of 1", not "100.0% (1)").
                    Some(_) if w.too_few() => Cell {
                        text: format!("{FEW_MARK} {} of {}", count(w.won as u64), count(w.eligible as u64)),
                        few: true,
                    },
                    Some(_) => Cell::plain(format!("{} ({})", percent(w.rate), count(w.eligible as u64))),
                    None => Cell::plain("–".into()),
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

#[cfg(test)]
mod tests;
