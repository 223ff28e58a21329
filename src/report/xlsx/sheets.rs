//! The sheets of `report.xlsx`, in workbook order: one function per sheet, each a
//! header and rows of [`V`] cells over one part of [`Metrics`].

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::{col, few, fit, put, table, timing, Styles, NOTE, V};
use crate::metrics::due::{DueTable, GapFrom};
use crate::metrics::{Bin, Metrics, TouchStats};
use crate::model::Dimension;

type R = std::result::Result<(), XlsxError>;

/// The sheet names, in order (groups and comparisons: one pair per `--by` dimension,
/// plan adherence only with `--cadence-plan`).
pub const SUMMARY: &str = "Summary";
/// Rule 4.
pub const RESPONSE: &str = "Response by touch";
/// Rule 5, won.
pub const CLOSE: &str = "Touches to close";
/// Rule 5, lost.
pub const LOSS: &str = "Touches before loss";
/// Rule 6.
pub const CONVERSION: &str = "Conversion";
/// Rule 7.
pub const REVENUE: &str = "Revenue recovered";
/// Rule 8.
pub const GIVE_UP: &str = "Give-up point";
/// The monthly trend.
pub const TREND: &str = "Trend";
/// Cohorts by month of touch 1.
pub const COHORTS: &str = "Cohorts";
/// The whole due list.
pub const DUE: &str = "Due follow-ups";
/// Deals contacted after opting out.
pub const OPT_OUT: &str = "Contacted after opt-out";
/// With `--cadence-plan`.
pub const PLAN: &str = "Plan adherence";
/// The row ledger of each input file.
pub const INPUTS: &str = "Inputs";

/// The sheet of a dimension's groups.
pub fn groups_sheet(dim: &Dimension) -> String {
    format!("Groups by {dim}")
}

/// The sheet of a dimension's comparisons.
pub fn comparisons_sheet(dim: &Dimension) -> String {
    format!("Compare by {dim}")
}

/// Adds every sheet.
pub(super) fn all(wb: &mut Workbook, m: &Metrics, due: &DueTable, st: &mut Styles) -> R {
    summary(named(wb, SUMMARY)?, m, st)?;
    response(named(wb, RESPONSE)?, m, st)?;
    close(named(wb, CLOSE)?, "Won deals", &m.touches_to_close.stats, m.touches_to_close.won, st)?;
    close(named(wb, LOSS)?, "Lost deals", &m.touches_before_loss.stats, m.touches_before_loss.lost, st)?;
    conversion(named(wb, CONVERSION)?, m, st)?;
    revenue(named(wb, REVENUE)?, m, st)?;
    give_up(named(wb, GIVE_UP)?, m, st)?;
    trend(named(wb, TREND)?, m, st)?;
    cohorts(named(wb, COHORTS)?, m, st)?;
    timing::speed(named(wb, timing::SPEED)?, m, st)?;
    timing::delay(named(wb, timing::DELAY)?, m, st)?;
    timing::spacing(named(wb, timing::SPACING)?, m, st)?;
    timing::late(named(wb, timing::LATE)?, m, st)?;
    timing::competing(named(wb, timing::COMPETING)?, m, st)?;
    for dim in m.groups.keys() {
        groups(named(wb, &groups_sheet(dim))?, m, dim, st)?;
        comparisons(named(wb, &comparisons_sheet(dim))?, m, dim, st)?;
    }
    // Listed above the due list, as on the page (SPEC §3 rule 10).
    timing::waiting(named(wb, timing::WAITING)?, m, st)?;
    due_list(named(wb, DUE)?, due, st)?;
    if !m.plan_adherence.is_empty() {
        plan(named(wb, PLAN)?, m, st)?;
    }
    opt_out(named(wb, OPT_OUT)?, m, st)?;
    inputs(named(wb, INPUTS)?, m, st)
}

fn named<'w>(wb: &'w mut Workbook, name: &str) -> std::result::Result<&'w mut Worksheet, XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    Ok(ws)
}

/// The first sheet: the period, the four headline figures with their base, change and
/// the page's reading, then the counts a manager asks next.
fn summary(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    ws.write_string_with_format(0, 0, "Follow-up report", &st.title)?;
    ws.write_string(1, 0, "As of")?;
    put(ws, 1, 1, V::Date(&m.as_of), st, false)?;
    ws.write_string(2, 0, "Period")?;
    match &m.period {
        Some(p) => {
            put(ws, 2, 1, V::Date(&p.from), st, false)?;
            put(ws, 2, 2, V::Date(&p.to), st, false)?;
        }
        None => {
            ws.write_string(2, 1, "all data")?;
        }
    }
    const HEAD: u32 = 4;
    for (c, h) in ["Figure", "Value", "Based on (deals)", "Change from last month", NOTE, "Reading"].iter().enumerate()
    {
        ws.write_string_with_format(HEAD, col(c), *h, &st.header)?;
    }
    ws.set_freeze_panes(HEAD + 1, 0)?;
    let h = crate::report::html::headlines(m);
    let changes = crate::report::summary::headline_changes(m, &h);
    let km = m.response_by_touch.get(4).or(m.response_by_touch.last());
    let sent_1 = m.response_by_touch.first().map_or(0, |r| r.sent);
    let response_few = m.response_by_touch.first().is_some_and(|r| r.too_few());
    let ttc = &m.touches_to_close;
    let conv = &m.conversion_after_follow_up;
    let conv_n = (conv.won + conv.lost) as u64;
    let mut rows: Vec<(String, V<'_>, u64, bool, usize)> = vec![
        (h[0].label.clone(), V::Pct(km.and_then(|r| r.cumulative_km)), sent_1, response_few, 0),
        (h[1].label.clone(), V::Num(ttc.stats.mean), ttc.tracked() as u64, ttc.too_few(), 1),
        (h[2].label.clone(), V::Pct(conv.rate), conv_n, conv.too_few(), 2),
    ];
    let rec = &m.revenue_recovered;
    if rec.by_currency.is_empty() {
        rows.push((h[3].label.clone(), V::Empty, rec.deals as u64, false, 3));
    }
    for c in &rec.by_currency {
        rows.push((
            format!("{} ({})", h[3].label, c.currency),
            V::Money(c.amount, &c.currency),
            rec.deals as u64,
            false,
            3,
        ));
    }
    let mut r = HEAD + 1;
    for (label, value, n, too_few, i) in rows {
        let note = few(too_few, n);
        ws.write_string_with_format(r, 0, &label, &st.bold)?;
        put(ws, r, 1, value, st, note.is_some())?;
        put(ws, r, 2, V::Int(n), st, false)?;
        put(ws, r, 3, V::Text(&changes[i]), st, false)?;
        if let Some(note) = note {
            put(ws, r, 4, V::Text(&note), st, true)?;
        }
        ws.write_string_with_format(r, 5, &h[i].reading, &st.wrap)?;
        r += 1;
    }
    r += 1;
    let counts: [(&str, u64); 10] = [
        ("Deals", m.deals.total as u64),
        ("Won", m.deals.won as u64),
        ("Lost", m.deals.lost as u64),
        ("Open", m.deals.open as u64),
        ("Inbound-initiated deals", m.deals.inbound_initiated as u64),
        ("Outbound touches", m.touches.outbound as u64),
        ("Inbound touches", m.touches.inbound as u64),
        ("Deals given up on", m.give_up.deals as u64),
        ("Open deals due a follow-up", m.due_follow_ups.deals as u64),
        ("Deals contacted after opting out", m.contacted_after_opt_out.deals as u64),
    ];
    for (label, n) in counts {
        ws.write_string(r, 0, label)?;
        put(ws, r, 1, V::Int(n), st, false)?;
        r += 1;
    }
    for l in &m.limitations {
        r += 1;
        put(ws, r, 0, V::Text(l), st, false)?;
    }
    ws.set_column_width(0, 44)?;
    ws.set_column_width(1, 14)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_width(3, 26)?;
    ws.set_column_width(4, 22)?;
    ws.set_column_width(5, 90)?;
    Ok(())
}

/// Rule 4, with a chart: the rate at each touch as columns, Kaplan–Meier as a line.
fn response(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let header = [
        "Touch",
        "Sent",
        "Responded",
        "Response rate",
        "95% CI low",
        "95% CI high",
        "Cumulative",
        "Cumulative (Kaplan–Meier)",
        "KM 95% low",
        "KM 95% high",
        NOTE,
    ];
    let rows = m.response_by_touch.iter().map(|r| {
        (
            vec![
                V::Int(u64::from(r.touch)),
                V::Int(r.sent),
                V::Int(r.responded),
                V::Pct(r.rate),
                V::Pct(r.ci_low),
                V::Pct(r.ci_high),
                V::Pct(r.cumulative),
                V::Pct(r.cumulative_km),
                V::Pct(r.km_low),
                V::Pct(r.km_high),
            ],
            few(r.too_few(), r.sent),
        )
    });
    let end = table(ws, st, &header, rows)?;
    fit(ws, 16);
    if end > 1 {
        let last = end - 1;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name("Response rate at the touch")
            .set_categories((RESPONSE, 1, 0, last, 0))
            .set_values((RESPONSE, 1, 3, last, 3));
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name("Cumulative (Kaplan–Meier)")
            .set_categories((RESPONSE, 1, 0, last, 0))
            .set_values((RESPONSE, 1, 7, last, 7));
        chart.combine(&line);
        chart.title().set_name("Response by touch");
        chart.x_axis().set_name("Touch");
        chart.y_axis().set_num_format("0%");
        ws.insert_chart(end + 1, 0, &chart)?;
    }
    Ok(())
}

/// Rule 5: the histogram of n, and beside it the deals, untracked, mean and median.
fn close(ws: &mut Worksheet, deals: &str, s: &TouchStats, total: usize, st: &mut Styles) -> R {
    let tracked = total.saturating_sub(s.untracked) as u64;
    let note = few(crate::metrics::too_few(tracked as usize), tracked);
    let rows = s.histogram.iter().map(|b: &Bin| (vec![V::Int(u64::from(b.touches)), V::Int(b.deals as u64)], None));
    table(ws, st, &["Touches", deals, "", "Figure", "Value", NOTE], rows)?;
    let facts: [(&str, V<'_>); 5] = [
        (deals, V::Int(total as u64)),
        ("Untracked (no touch recorded)", V::Int(s.untracked as u64)),
        ("With tracked touches", V::Int(tracked)),
        ("Mean touches", V::Num(s.mean)),
        ("Median touches", V::Num(s.median)),
    ];
    for (i, (label, v)) in facts.into_iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 3, label)?;
        let grey = i >= 3 && note.is_some();
        put(ws, r, 4, v, st, grey)?;
        if let (true, Some(n)) = (grey, &note) {
            put(ws, r, 5, V::Text(n), st, true)?;
        }
    }
    fit(ws, 30);
    Ok(())
}

/// Rule 6 as figures.
fn conversion(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let c = &m.conversion_after_follow_up;
    let n = (c.won + c.lost) as u64;
    let n1 = (c.single_touch.won + c.single_touch.lost) as u64;
    let rows: Vec<(Vec<V<'_>>, Option<String>)> = vec![
        (vec![V::Text("Followed up (2+ touches)"), V::Int(c.followed_up as u64)], None),
        (vec![V::Text("Won"), V::Int(c.won as u64)], None),
        (vec![V::Text("Lost"), V::Int(c.lost as u64)], None),
        (vec![V::Text("Open"), V::Int(c.open as u64)], None),
        (vec![V::Text("Conversion after follow-up"), V::Pct(c.rate)], few(c.too_few(), n)),
        (vec![V::Text("Touched once: won"), V::Int(c.single_touch.won as u64)], None),
        (vec![V::Text("Touched once: lost"), V::Int(c.single_touch.lost as u64)], None),
        (vec![V::Text("Touched once: conversion"), V::Pct(c.single_touch_rate)], few(c.single_touch_too_few(), n1)),
        (vec![V::Text("Closed with no touch data (left out)"), V::Int(c.no_touch_data as u64)], None),
    ];
    table(ws, st, &["Figure", "Value", NOTE], rows)?;
    fit(ws, 40);
    Ok(())
}

/// Rule 7: per currency, each amount in its own currency.
fn revenue(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let rec = &m.revenue_recovered;
    let header = ["Currency", "Recovered", "All won revenue", "Share of won", "Won deals with an amount", NOTE];
    let rows = rec.by_currency.iter().map(|c| {
        (
            vec![
                V::Text(&c.currency),
                V::Money(c.amount, &c.currency),
                V::Money(c.won_amount, &c.currency),
                V::Pct(c.share_of_won),
                c.won_deals.map_or(V::Empty, |n| V::Int(n as u64)),
            ],
            c.won_deals.and_then(|n| few(c.too_few(), n as u64)),
        )
    });
    let mut r = table(ws, st, &header, rows)? + 1;
    let after = format!("Recovered: won after touch {} or later", rec.recovered_after.saturating_add(1));
    for (label, n) in [
        ("Recovered after (follow-ups, F)", u64::from(rec.recovered_after)),
        (after.as_str(), rec.deals as u64),
        ("Of them without an amount", rec.no_amount as u64),
    ] {
        ws.write_string(r, 0, label)?;
        put(ws, r, 1, V::Int(n), st, false)?;
        r += 1;
    }
    fit(ws, 40);
    Ok(())
}

/// The industry figures beside the give-up buckets (SPEC §1), always labelled.
const INDUSTRY: [f64; 4] = [0.48, 0.25, 0.17, 0.10];

/// Rule 8 beside the widely quoted figures.
fn give_up(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let g = &m.give_up;
    let note = few(crate::metrics::too_few(g.deals), g.deals as u64);
    let header = ["Last touch", "Deals", "Share", "Industry figure*", NOTE];
    let rows = g.buckets.iter().enumerate().map(|(i, b)| {
        (
            vec![V::Text(b.bucket.as_str()), V::Int(b.deals as u64), V::Pct(b.share), V::Pct(INDUSTRY.get(i).copied())],
            note.clone(),
        )
    });
    let mut r = table(ws, st, &header, rows)? + 1;
    ws.write_string(r, 0, "* widely quoted, primary source not found (attributed to Dartnell / McGraw-Hill)")?;
    r += 2;
    ws.write_string(r, 0, "Deals given up on")?;
    put(ws, r, 1, V::Int(g.deals as u64), st, false)?;
    ws.write_string(r + 1, 0, "Open deals count after days without a touch")?;
    put(ws, r + 1, 1, V::Int(u64::from(g.stale_days)), st, false)?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 10)?;
    ws.set_column_width(2, 10)?;
    ws.set_column_width(3, 16)?;
    ws.set_column_width(4, 24)?;
    Ok(())
}

/// The monthly trend, with a chart of response and conversion by month.
fn trend(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let currencies: std::collections::BTreeSet<&str> =
        m.trend.iter().flat_map(|t| t.revenue_recovered.iter().map(|c| c.currency.as_str())).collect();
    let mut header: Vec<String> = [
        "Month",
        "Touch 1 sent",
        "Response (Kaplan–Meier)",
        "Read at touch",
        "Won",
        "Lost",
        "Mean touches to close",
        "Won with tracked touches",
        "Conversion after follow-up",
        "Followed-up closed deals",
    ]
    .map(String::from)
    .to_vec();
    header.extend(currencies.iter().map(|c| format!("Recovered {c}")));
    header.push(NOTE.into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = m.trend.iter().map(|t| {
        let mut cells = vec![
            V::Month(&t.month),
            V::Int(t.touch_1_sent),
            V::Pct(t.response_km),
            V::Int(u64::from(t.response_km_touch)),
            V::Int(t.won as u64),
            V::Int(t.lost as u64),
            V::Num(t.touches_to_close_mean),
            t.won_tracked.map_or(V::Empty, |n| V::Int(n as u64)),
            V::Pct(t.conversion_rate),
            t.conversion_closed.map_or(V::Empty, |n| V::Int(n as u64)),
        ];
        for c in &currencies {
            cells.push(
                t.revenue_recovered.iter().find(|x| x.currency == *c).map_or(V::Empty, |x| V::Money(x.amount, c)),
            );
        }
        let mut few_of = Vec::new();
        if t.response_too_few() {
            few_of.push("response");
        }
        if t.touches_too_few() {
            few_of.push("touches to close");
        }
        if t.conversion_too_few() {
            few_of.push("conversion");
        }
        let note = (!few_of.is_empty()).then(|| format!("too few deals to read: {}", few_of.join(", ")));
        (cells, note)
    });
    let end = table(ws, st, &header, rows)?;
    fit(ws, 16);
    if end > 1 {
        let last = end - 1;
        let mut chart = Chart::new(ChartType::Line);
        for (name, c) in [("Response (Kaplan–Meier)", 2), ("Conversion after follow-up", 8)] {
            chart.add_series().set_name(name).set_categories((TREND, 1, 0, last, 0)).set_values((TREND, 1, c, last, c));
        }
        chart.title().set_name("Month by month");
        chart.x_axis().set_num_format("yyyy-mm");
        chart.y_axis().set_num_format("0%");
        ws.insert_chart(end + 1, 0, &chart)?;
    }
    Ok(())
}

/// Cohorts by month of touch 1.
fn cohorts(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    use crate::metrics::cohorts::{COHORT_TOUCHES, WON_WITHIN_DAYS};
    let mut header: Vec<String> = ["Month of touch 1", "Deals", "Touch 1 sent"].map(String::from).to_vec();
    header.extend((1..=COHORT_TOUCHES).map(|k| format!("Response by touch {k} (KM)")));
    for d in WON_WITHIN_DAYS {
        header.extend([
            format!("Old enough for {d} days"),
            format!("Won within {d} days"),
            format!("Won within {d} days, share"),
        ]);
    }
    header.push(NOTE.into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = m.cohorts.iter().map(|c| {
        let mut cells = vec![V::Month(&c.month), V::Int(c.deals as u64), V::Int(c.touch_1_sent)];
        cells.extend(c.response_km.iter().map(|v| V::Pct(*v)));
        let mut few_of = Vec::new();
        if c.touch_1_sent > 0 && c.response_too_few() {
            few_of.push("response".to_owned());
        }
        for w in &c.won_within {
            cells.extend([V::Int(w.eligible as u64), V::Int(w.won as u64), V::Pct(w.rate)]);
            if w.eligible > 0 && w.too_few() {
                few_of.push(format!("won within {} days", w.days));
            }
        }
        let note = (!few_of.is_empty()).then(|| format!("too few deals to read: {}", few_of.join(", ")));
        (cells, note)
    });
    table(ws, st, &header, rows)?;
    fit(ws, 14);
    Ok(())
}

/// One row per group of a dimension.
fn groups(ws: &mut Worksheet, m: &Metrics, dim: &Dimension, st: &mut Styles) -> R {
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
        let km = g.response_by_touch.get(4).or(g.response_by_touch.last());
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
fn comparisons(ws: &mut Worksheet, m: &Metrics, dim: &Dimension, st: &mut Styles) -> R {
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

/// The whole due list, most promising first (as tables/due_follow_ups.csv).
fn due_list(ws: &mut Worksheet, due: &DueTable, st: &mut Styles) -> R {
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
    let rows = due.rows.iter().enumerate().map(|(i, r)| {
        let currency = due.text.get(due.currencies.get(i).copied().unwrap_or(0));
        (
            vec![
                V::Int(i as u64 + 1),
                V::Text(due.ids.get(i)),
                V::Text(due.names.get(i)),
                V::Text(due.text.get(r.owner)),
                V::Text(due.text.get(r.cadence)),
                V::Int(u64::from(r.touches)),
                V::Day(r.last_day),
                V::Num(Some(f64::from(r.days_since))),
                V::Num(Some(f64::from(r.gap))),
                V::Text(GapFrom::of(r.planned).as_str()),
                V::Int(u64::from(r.touches) + 1),
                V::Pct(r.rate),
                due.amounts.get(i).copied().flatten().map_or(V::Empty, |a| V::Money(a, currency)),
                V::Text(currency),
            ],
            None,
        )
    });
    table(ws, st, &header, rows)?;
    // Columns sized by hand: fitting a hundred thousand rows costs more than it gives.
    for (c, w) in [6, 12, 30, 18, 18, 8, 11, 8, 8, 12, 8, 12, 14, 9].into_iter().enumerate() {
        ws.set_column_width(col(c), w)?;
    }
    Ok(())
}

/// With `--cadence-plan`: how closely each plan was kept.
fn plan(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
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
fn opt_out(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
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
fn inputs(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
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
