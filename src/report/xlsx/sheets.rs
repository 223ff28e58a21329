//! The sheets of `report.xlsx`, in workbook order: one function per sheet, each a
//! header and rows of [`V`] cells over one part of [`Metrics`].

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::{col, few, fit, lists, put, table, timing, Styles, NOTE, V};
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

/// Adds every sheet (the due list's as `due_sheet` gives it, made on another thread).
pub(super) fn all(
    wb: &mut Workbook,
    m: &Metrics,
    due_sheet: impl FnOnce() -> std::result::Result<Worksheet, XlsxError>,
    st: &mut Styles,
) -> R {
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
        lists::groups(named(wb, &groups_sheet(dim))?, m, dim, st)?;
        lists::comparisons(named(wb, &comparisons_sheet(dim))?, m, dim, st)?;
    }
    // Listed above the due list, as on the page (SPEC §3 rule 10).
    timing::waiting(named(wb, timing::WAITING)?, m, st)?;
    wb.push_worksheet(due_sheet()?);
    if !m.plan_adherence.is_empty() {
        lists::plan(named(wb, PLAN)?, m, st)?;
    }
    lists::opt_out(named(wb, OPT_OUT)?, m, st)?;
    lists::inputs(named(wb, INPUTS)?, m, st)
}

fn named<'w>(wb: &'w mut Workbook, name: &str) -> std::result::Result<&'w mut Worksheet, XlsxError> {
    set_up(wb.add_worksheet(), name)
}

/// Names a sheet and sets its page: printed (or saved as PDF) landscape, one page wide,
/// its header on every page.
pub(super) fn set_up<'w>(ws: &'w mut Worksheet, name: &str) -> std::result::Result<&'w mut Worksheet, XlsxError> {
    ws.set_name(name)?;
    ws.set_landscape().set_print_fit_to_pages(1, 0).set_repeat_rows(0, 0)?;
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
    ws.set_row_height(HEAD, 30)?;
    ws.set_freeze_panes(HEAD + 1, 0)?;
    let h = crate::report::html::headlines(m);
    let changes = crate::report::summary::headline_changes(m, &h);
    let km = crate::metrics::TouchRate::by_touch_5(&m.response_by_touch);
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
        // Room for a reading of three lines at the column's width.
        ws.set_row_height(r, 45)?;
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
    let below = table(ws, st, &header, rows)? + 1;
    let after = format!("Recovered: won after touch {} or later", rec.recovered_after.saturating_add(1));
    for (r, (label, n)) in (below..).zip([
        ("Recovered after (follow-ups, F)", u64::from(rec.recovered_after)),
        (after.as_str(), rec.deals as u64),
        ("Of them without an amount", rec.no_amount as u64),
    ]) {
        ws.write_string(r, 0, label)?;
        put(ws, r, 1, V::Int(n), st, false)?;
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
