//! The sheets of SPEC §3 rules 10–13 (issue 13's timing metrics): waiting on us, speed
//! to answer, reply delay, spacing, late answers and competing outcomes.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{few, fit, table, Styles, NOTE, V};
use crate::metrics::Metrics;
use crate::metrics::{AnswerTimes, DelayStats};

type R = std::result::Result<(), XlsxError>;

/// Rule 10's list: open deals where the prospect spoke last, longest waiting first.
pub const WAITING: &str = "Waiting on us";
/// Rule 10.
pub const SPEED: &str = "Speed to answer";
/// Rule 11.
pub const DELAY: &str = "Reply delay";
/// Rule 12.
pub const SPACING: &str = "Spacing";
/// Rule 13.
pub const LATE: &str = "Late answers";
/// Rule 13.
pub const COMPETING: &str = "Competing outcomes";

/// Open deals waiting on us (metrics.json's list: the longest-waiting 100).
pub(super) fn waiting(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let header = ["Deal id", "Deal", "Owner", "Prospect spoke last", "Days waiting"];
    let rows = m.waiting_on_us.list.iter().map(|w| {
        (
            vec![
                V::Text(&w.deal_id),
                V::Text(&w.name),
                V::Text(&w.owner),
                V::Date(&w.since),
                V::Int(w.days_waiting.max(0) as u64),
            ],
            None,
        )
    });
    table(ws, st, &header, rows)?;
    fit(ws, 30);
    Ok(())
}

fn answer_row<'a>(what: &'a str, a: &AnswerTimes) -> (Vec<V<'a>>, Option<String>) {
    (
        vec![
            V::Text(what),
            V::Int(a.deals as u64),
            V::Int(a.answered as u64),
            V::Num(a.median_hours),
            V::Num(a.p90_hours),
            V::Pct(a.within_1h),
            V::Pct(a.within_24h),
            V::Pct(a.within_72h),
        ],
        few(a.too_few(), a.deals as u64),
    )
}

/// Speed to lead and time to answer, then the win rate per speed band of each.
pub(super) fn speed(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let s = &m.speed_to_answer;
    let header = [
        "Figure",
        "Deals",
        "Answered",
        "Median hours",
        "90th percentile hours",
        "Within 1 h",
        "Within 24 h",
        "Within 72 h",
        NOTE,
    ];
    let rows = vec![answer_row("Speed to lead", &s.speed_to_lead), answer_row("Time to answer", &s.time_to_answer)];
    let mut r = table(ws, st, &header, rows)? + 1;
    for (h, c) in ["Band", "Deals", "Won", "Lost", "Win rate", "95% CI low", "95% CI high", "", NOTE].iter().enumerate()
    {
        ws.write_string_with_format(r, super::col(h), *c, &st.header)?;
    }
    r += 1;
    for (what, a) in [("Speed to lead", &s.speed_to_lead), ("Time to answer", &s.time_to_answer)] {
        for b in &a.bands {
            let label = format!("{what} {}", b.band.as_str());
            let closed = b.won.saturating_add(b.lost) as u64;
            let note = few(b.too_few(), closed);
            let cells = [
                V::Text(&label),
                V::Int(b.deals as u64),
                V::Int(b.won as u64),
                V::Int(b.lost as u64),
                V::Pct(b.rate),
                V::Pct(b.ci_low),
                V::Pct(b.ci_high),
            ];
            for (c, v) in cells.into_iter().enumerate() {
                super::put(ws, r, super::col(c), v, st, note.is_some())?;
            }
            if let Some(n) = &note {
                super::put(ws, r, 8, V::Text(n), st, true)?;
            }
            r += 1;
        }
    }
    fit(ws, 24);
    Ok(())
}

fn delay_row<'a>(what: &'a str, d: &DelayStats) -> (Vec<V<'a>>, Option<String>) {
    (
        vec![
            V::Text(what),
            V::Int(d.deals as u64),
            V::Num(d.median_days),
            V::Num(d.p90_days),
            V::Pct(d.within_1d),
            V::Pct(d.within_3d),
            V::Pct(d.within_7d),
            V::Pct(d.within_14d),
        ],
        few(d.too_few(), d.deals as u64),
    )
}

/// Reply delay, overall then by the channel of the touch answered.
pub(super) fn delay(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let d = &m.reply_delay;
    let header = [
        "Channel",
        "Deals",
        "Median days",
        "90th percentile days",
        "Within 1 day",
        "Within 3 days",
        "Within 7 days",
        "Within 14 days",
        NOTE,
    ];
    let mut rows = vec![delay_row("all channels", &d.overall)];
    rows.extend(d.by_channel.iter().map(|c| delay_row(&c.channel, &c.stats)));
    table(ws, st, &header, rows)?;
    fit(ws, 22);
    Ok(())
}

/// Response by the gap since the previous touch: pooled, then per touch.
pub(super) fn spacing(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let header = ["Touch", "Gap (days)", "Sent", "Responded", "Response rate", "95% CI low", "95% CI high", NOTE];
    let pooled = m.spacing.pooled.iter().map(|s| (None, s));
    let by_touch = m.spacing.by_touch.iter().map(|s| (Some(s.touch), &s.rate));
    let rows = pooled.chain(by_touch).map(|(touch, s)| {
        (
            vec![
                touch.map_or(V::Text("2 and later"), |t| V::Int(u64::from(t))),
                V::Text(s.bucket.as_str()),
                V::Int(s.sent),
                V::Int(s.responded),
                V::Pct(s.rate),
                V::Pct(s.ci_low),
                V::Pct(s.ci_high),
            ],
            few(s.too_few(), s.sent),
        )
    });
    table(ws, st, &header, rows)?;
    fit(ws, 22);
    Ok(())
}

/// Win rate and won amount by the touch of the first response.
pub(super) fn late(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let currencies: std::collections::BTreeSet<&str> =
        m.late_answers.iter().flat_map(|l| l.won_amount.iter().map(|w| w.currency.as_str())).collect();
    let mut header: Vec<String> =
        ["First response at touch", "Deals", "Won", "Lost", "Win rate", "95% CI low", "95% CI high"]
            .map(String::from)
            .to_vec();
    header.extend(currencies.iter().map(|c| format!("Won {c}")));
    header.push(NOTE.into());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = m.late_answers.iter().map(|l| {
        let mut cells = vec![
            V::Text(l.touch.as_str()),
            V::Int(l.deals as u64),
            V::Int(l.won as u64),
            V::Int(l.lost as u64),
            V::Pct(l.rate),
            V::Pct(l.ci_low),
            V::Pct(l.ci_high),
        ];
        for c in &currencies {
            cells.push(l.won_amount.iter().find(|w| w.currency == *c).map_or(V::Empty, |w| V::Money(w.amount, c)));
        }
        (cells, few(l.too_few(), l.won.saturating_add(l.lost) as u64))
    });
    table(ws, st, &header, rows)?;
    fit(ws, 22);
    Ok(())
}

/// The four outcomes per touch, the cumulative incidence beside Kaplan–Meier.
pub(super) fn competing(ws: &mut Worksheet, m: &Metrics, st: &mut Styles) -> R {
    let header = [
        "Touch",
        "At risk",
        "Responded",
        "Opted out",
        "Lost",
        "Censored",
        "Cumulative incidence of response",
        "Kaplan–Meier",
        NOTE,
    ];
    // Like Kaplan–Meier, every step rests on the deals at risk at touch 1.
    let base = m.competing_outcomes.first().map_or(0, |c| c.at_risk);
    let note = few(crate::metrics::too_few(usize::try_from(base).unwrap_or(usize::MAX)), base);
    let rows = m.competing_outcomes.iter().map(|c| {
        (
            vec![
                V::Int(u64::from(c.touch)),
                V::Int(c.at_risk),
                V::Int(c.responded),
                V::Int(c.opted_out),
                V::Int(c.lost),
                V::Int(c.censored),
                V::Pct(Some(c.cif)),
                V::Pct(c.cumulative_km),
            ],
            note.clone(),
        )
    });
    table(ws, st, &header, rows)?;
    fit(ws, 22);
    Ok(())
}
