//! The list sheets of `report.xlsx`: groups and their comparisons per `--by`
//! dimension, the due list, plan adherence, the deals contacted after opting out and
//! the inputs' row ledger.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{col, fit, table, Kind, Styles, NOTE, V};
use crate::metrics::due::{DueTable, GapFrom};
use crate::metrics::Metrics;
use crate::model::Dimension;

type R = std::result::Result<(), XlsxError>;

/// One row per group of a dimension.
pub(super) fn groups(ws: &mut Worksheet, m: &Metrics, dim: &Dimension, st: &mut Styles) -> R {
    let list = m.groups.get(dim).map_or(&[][..], Vec::as_slice);
    let currencies: std::collections::BTreeSet<&str> = list
        .iter()
        .filter_map(|g| g.revenue_recovered.as_ref())
        .flat_map(|r| r.by_currency.iter().map(|c| c.currency.as_str()))
        .collect();
    let mut header: Vec<String> = [
        "Group",
        "Deals",
        "Won",
        "Lost",
        "Open",
        "Touch 1 sent",
        "Touch 1 response rate",
        "Response (KM) at touch",
        "Response (Kaplan–Meier)",
        "Mean touches to close",
        "Median touches to close",
        "Followed up",
        "Conversion after follow-up",
        "Touched once: conversion",
        "Recovered deals",
    ]
    .map(String::from)
    .to_vec();
    header.extend(currencies.iter().map(|c| format!("Recovered {c}")));
    header.push(NOTE.into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = list.iter().map(|g| {
        let d = g.deals.as_ref();
        let first = g.response_by_touch.first();
        let km = crate::metrics::TouchRate::by_touch_5(&g.response_by_touch);
        let conv = g.conversion_after_follow_up.as_ref();
        let ttc = g.touches_to_close.as_ref();
        let rec = g.revenue_recovered.as_ref();
        let int = |v: Option<usize>| v.map_or(V::Empty, |n| V::Int(n as u64));
        let mut cells = vec![
            V::Text(&g.key),
            int(d.map(|d| d.total)),
            int(d.map(|d| d.won)),
            int(d.map(|d| d.lost)),
            int(d.map(|d| d.open)),
            first.map_or(V::Empty, |r| V::Int(r.sent)),
            V::Pct(first.and_then(|r| r.rate)),
            km.map_or(V::Empty, |r| V::Int(u64::from(r.touch))),
            V::Pct(km.and_then(|r| r.cumulative_km)),
            V::Num(ttc.and_then(|t| t.stats.mean)),
            V::Num(ttc.and_then(|t| t.stats.median)),
            int(conv.map(|c| c.followed_up)),
            V::Pct(conv.and_then(|c| c.rate)),
            V::Pct(conv.and_then(|c| c.single_touch_rate)),
            int(rec.map(|r| r.deals)),
        ];
        for c in &currencies {
            let amount = rec.and_then(|r| r.by_currency.iter().find(|x| x.currency == *c));
            cells.push(amount.map_or(V::Empty, |x| V::Money(x.amount, c)));
        }
        let mut few_of = Vec::new();
        if first.is_some_and(|r| r.sent > 0 && r.too_few()) {
            few_of.push("response");
        }
        if ttc.is_some_and(|t| t.tracked() > 0 && t.too_few()) {
            few_of.push("touches to close");
        }
        if conv.is_some_and(|c| c.won + c.lost > 0 && c.too_few()) {
            few_of.push("conversion");
        }
        let note = (!few_of.is_empty()).then(|| format!("too few deals to read: {}", few_of.join(", ")));
        (cells, note)
    });
    table(ws, st, &header, rows)?;
    fit(ws, 18);
    Ok(())
}

/// Every comparison of a dimension with its test and verdict.
pub(super) fn comparisons(ws: &mut Worksheet, m: &Metrics, dim: &Dimension, st: &mut Styles) -> R {
    let header = [
        "Metric",
        "Touch",
        "Group",
        "Versus",
        "Successes",
        "Trials",
        "Other successes",
        "Other trials",
        "Difference",
        "95% CI low",
        "95% CI high",
        "Test",
        "p-value",
        "p (Holm)",
        "Meaningful",
        "Verdict",
    ];
    let list = m.comparisons.get(dim).map_or(&[][..], |c| c.list.as_slice());
    let rows = list.iter().map(|x| {
        (
            vec![
                V::Text(x.metric.as_str()),
                x.touch.map_or(V::Empty, |t| V::Int(u64::from(t))),
                V::Text(&x.group),
                V::Text(&x.versus),
                V::Int(x.k1),
                V::Int(x.n1),
                V::Int(x.k2),
                V::Int(x.n2),
                V::Points(x.diff),
                V::Points(x.ci_low),
                V::Points(x.ci_high),
                V::Text(x.test.as_str()),
                V::P(x.p_value),
                V::P(x.p_holm),
                V::Text(if x.is_meaningful() { "yes" } else { "no" }),
                V::Text(&x.verdict),
            ],
            None,
        )
    });
    table(ws, st, &header, rows)?;
    fit(ws, 24);
    ws.set_column_width(15, 100)?;
    Ok(())
}

/// The rows of the due list a workbook holds; tables/due_follow_ups.csv has them all.
/// A team works down the top of the list; a million-deal export has 165,000 due deals,
/// which would make the workbook 11 MB and cost seconds (docs/decisions.md).
pub(super) const DUE_ROWS: usize = 10_000;

/// The due list, most promising first (as tables/due_follow_ups.csv), its first `cap`
/// rows, then a row saying how many more the CSV holds.
pub(super) fn due_list(ws: &mut Worksheet, due: &DueTable, st: &mut Styles, cap: usize) -> R {
    let header = [
        "Rank",
        "Deal id",
        "Deal",
        "Owner",
        "Cadence",
        "Touches so far",
        "Last touch",
        "Days since",
        "Usual gap (days)",
        "Gap from",
        "Next touch",
        "Next touch response rate",
        "Amount",
        "Currency",
    ];
    let rows = (0..due.len().min(cap)).map(|i| {
        let r = due.row(i);
        let currency = due.text.get(due.currency(i));
        (
            vec![
                V::Int(i as u64 + 1),
                V::Text(due.id(i)),
                V::Text(due.name(i)),
                V::Text(due.text.get(r.owner)),
                V::Text(due.text.get(r.cadence)),
                V::Int(u64::from(r.touches)),
                V::Day(r.last_day),
                days(r.days_since),
                days(r.gap),
                V::Text(GapFrom::of(r.planned).as_str()),
                V::Int(u64::from(r.touches) + 1),
                V::Pct(r.rate),
                due.amount(i).map_or(V::Empty, |a| V::Money(a, currency)),
                V::Text(currency),
            ],
            None,
        )
    });
    let next = table(ws, st, &header, rows)?;
    if let Some(more) = due.len().checked_sub(cap).filter(|&n| n > 0) {
        let line = format!(
            "… and {} more: every due deal is in tables/due_follow_ups.csv",
            crate::fmt::count(u64::try_from(more).unwrap_or(u64::MAX))
        );
        ws.write_string_with_format(next, 1, line, st.get(Kind::Text, true))?;
    }
    // Columns sized by hand: fitting ten thousand rows costs more than it gives.
    for (c, w) in [6, 12, 30, 18, 18, 8, 11, 8, 8, 12, 8, 12, 14, 9].into_iter().enumerate() {
        ws.set_column_width(col(c), w)?;
    }
    Ok(())
}

/// A whole number of days: a count, or (never for a due deal) a negative decimal.
fn days(n: i32) -> V<'static> {
    u64::try_from(n).map_or(V::Num(Some(f64::from(n))), V::Int)
}

/// With `--cadence-plan`: how closely each plan was kept.
pub(super) fn plan(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let header = [
        "Cadence",
        "Planned touches",
        "Deals",
        "Follow-ups due",
        "Follow-ups sent",
        "Share sent",
        "Median days late",
        "On the planned channel",
        "Conversion after follow-up",
        "Response (Kaplan–Meier)",
        "At touch",
    ];
    let rows = m.plan_adherence.iter().map(|a| {
        (
            vec![
                V::Text(&a.cadence),
                V::Int(u64::from(a.planned_touches)),
                V::Int(a.deals as u64),
                V::Int(a.due as u64),
                V::Int(a.sent as u64),
                V::Pct(a.share_sent),
                V::Num(a.median_days_late),
                V::Pct(a.on_planned_channel),
                V::Pct(a.conversion_rate),
                V::Pct(a.response_km),
                V::Int(u64::from(a.response_km_touch)),
            ],
            None,
        )
    });
    table(ws, st, &header, rows)?;
    fit(ws, 18);
    Ok(())
}

/// Deals touched after they opted out.
pub(super) fn opt_out(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let header = ["Deal id", "Deal", "Opted out", "Touches after"];
    let rows = m.contacted_after_opt_out.list.iter().map(|o| {
        (
            vec![V::Text(&o.deal_id), V::Text(&o.name), V::Date(&o.opted_out_at), V::Int(u64::from(o.touches_after))],
            None,
        )
    });
    table(ws, st, &header, rows)?;
    fit(ws, 30);
    Ok(())
}

/// The row ledger of each input file.
pub(super) fn inputs(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let header = ["File", "Format", "Encoding", "Delimiter", "Rows", "Used", "Rejected", "Duplicates", "Footer lines"];
    let rows = m.inputs.iter().map(|f| {
        (
            vec![
                V::Text(&f.path),
                V::Text(&f.format),
                V::Text(&f.encoding),
                V::Text(&f.delimiter),
                V::Int(f.rows as u64),
                V::Int(f.used as u64),
                V::Int(f.rejected as u64),
                V::Int(f.duplicates as u64),
                V::Int(f.skipped as u64),
            ],
            None,
        )
    });
    table(ws, st, &header, rows)?;
    fit(ws, 40);
    Ok(())
}
