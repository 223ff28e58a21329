//! The page's sections of issue 13 (SPEC §3 rules 10–13): speed to answer, reply delay,
//! spacing, what a late answer is worth, competing outcomes, and the "waiting on us"
//! list shown above the due list. Named rows of pre-formatted text; a figure resting on
//! fewer than `metrics::SMALL_N` deals is a grey [`Cell`] that says so in words.

use super::Cell;
use crate::fmt::{count, days, hours, money, percent, rate_or_few};
use crate::metrics::{Metrics, SpeedBand};

/// One speed band: deals, won, lost and the win rate, for time to answer and speed to lead.
#[derive(Debug, Clone)]
pub struct SpeedRow {
    /// "within 1 hour", "1–24 hours", …
    pub band: String,
    /// Deals whose message was answered in this band (time to answer).
    pub deals: String,
    /// Won / (won + lost) with its interval, or "k of n deals — too few to read".
    pub win: Cell,
    /// The same for inbound-initiated deals (speed to lead).
    pub lead_deals: String,
    /// Their win rate.
    pub lead_win: Cell,
}

/// One row of the reply-delay table: overall, then by channel.
#[derive(Debug, Clone)]
pub struct DelayRow {
    /// "All channels" or the channel of the touch answered.
    pub channel: String,
    /// Responses credited to a touch.
    pub deals: String,
    /// Median delay.
    pub median: Cell,
    /// 90th percentile.
    pub p90: Cell,
    /// Shares within 1, 3, 7, 14 days.
    pub within: Vec<Cell>,
}

/// One pooled gap bucket.
#[derive(Debug, Clone)]
pub struct SpacingRow {
    /// "2–3 days".
    pub bucket: String,
    /// Touches sent after such a gap.
    pub sent: String,
    /// Of them, the touch answered.
    pub responded: String,
    /// The rate with its interval.
    pub rate: Cell,
}

/// One touch of the late-answers table.
#[derive(Debug, Clone)]
pub struct LateRow {
    /// "1" … "5+".
    pub touch: String,
    /// Deals whose first response came at that touch.
    pub deals: String,
    /// Won and lost.
    pub won_lost: String,
    /// Win rate with its interval.
    pub win: Cell,
    /// Won amount per currency.
    pub won_amount: String,
}

/// One touch of the competing-outcomes table.
#[derive(Debug, Clone)]
pub struct CompetingRow {
    /// k.
    pub touch: String,
    /// Deals at risk.
    pub at_risk: String,
    /// Responded, opted out, lost, stopped while open, going on.
    pub outcomes: Vec<String>,
    /// Cumulative incidence of response.
    pub cif: Cell,
    /// Kaplan–Meier.
    pub km: Cell,
}

/// One deal waiting on us.
#[derive(Debug, Clone)]
pub struct WaitingRow {
    /// Deal id.
    pub deal_id: String,
    /// Deal name.
    pub name: String,
    /// Owner, "–" when unknown.
    pub owner: String,
    /// When the prospect spoke last.
    pub since: String,
    /// "N days".
    pub waiting: String,
}

/// Everything the timing sections print.
#[derive(Debug, Clone)]
pub struct Timing {
    /// Speed bands.
    pub speed_rows: Vec<SpeedRow>,
    /// The sentence under the speed table.
    pub speed_note: String,
    /// Reply delay, overall then by channel.
    pub delay_rows: Vec<DelayRow>,
    /// The sentence under the delay table (the `--stale-days` suggestion).
    pub delay_note: String,
    /// Pooled gap buckets.
    pub spacing_rows: Vec<SpacingRow>,
    /// The verdict of each bucket against the other gaps, from metrics.
    pub spacing_verdicts: Vec<String>,
    /// Late answers.
    pub late_rows: Vec<LateRow>,
    /// Competing outcomes.
    pub competing_rows: Vec<CompetingRow>,
    /// Deals waiting on us (the first 25).
    pub waiting_rows: Vec<WaitingRow>,
    /// The sentence above the waiting list.
    pub waiting_note: String,
}

fn rate_cell(k: usize, n: usize, rate: Option<f64>, lo: Option<f64>, hi: Option<f64>, few: bool) -> Cell {
    let text = if n > 0 && !few {
        match (lo, hi) {
            (Some(lo), Some(hi)) => format!("{} ({} – {})", percent(rate), percent(Some(lo)), percent(Some(hi))),
            _ => percent(rate),
        }
    } else {
        rate_or_few(k as u64, n as u64, rate, few)
    };
    Cell { text, few: n > 0 && few }
}

fn band_name(b: SpeedBand) -> &'static str {
    match b {
        SpeedBand::UpTo1h => "Within 1 hour",
        SpeedBand::H1To24 => "1–24 hours",
        SpeedBand::H24To72 => "1–3 days",
        SpeedBand::Over72h => "Over 3 days",
        SpeedBand::Never => "Never answered",
    }
}

/// Builds the timing sections from `m`.
pub fn timing(m: &Metrics) -> Timing {
    Timing {
        speed_rows: speed_rows(m),
        speed_note: speed_note(m),
        delay_rows: delay_rows(m),
        delay_note: delay_note(m),
        spacing_rows: spacing_rows(m),
        spacing_verdicts: m.spacing.comparisons.list.iter().map(|c| c.verdict.clone()).collect(),
        late_rows: late_rows(m),
        competing_rows: competing_rows(m),
        waiting_rows: waiting_rows(m),
        waiting_note: waiting_note(m),
    }
}

fn speed_rows(m: &Metrics) -> Vec<SpeedRow> {
    let s = &m.speed_to_answer;
    s.time_to_answer
        .bands
        .iter()
        .map(|b| {
            let lead = s.speed_to_lead.bands.iter().find(|l| l.band == b.band);
            let closed = b.won.saturating_add(b.lost);
            SpeedRow {
                band: band_name(b.band).to_owned(),
                deals: count(b.deals as u64),
                win: rate_cell(b.won, closed, b.rate, b.ci_low, b.ci_high, b.too_few()),
                lead_deals: lead.map_or("0".to_owned(), |l| count(l.deals as u64)),
                lead_win: lead.map_or_else(
                    || Cell::plain("–".to_owned()),
                    |l| rate_cell(l.won, l.won.saturating_add(l.lost), l.rate, l.ci_low, l.ci_high, l.too_few()),
                ),
            }
        })
        .collect()
}

fn speed_note(m: &Metrics) -> String {
    let t = &m.speed_to_answer.time_to_answer;
    let l = &m.speed_to_answer.speed_to_lead;
    format!(
        "{} deals whose first response was the prospect's message (a reply, an incoming call, a form): {} answered, median {}, 90% within {}; within 1 hour {}, 24 hours {}, 72 hours {}. Speed to lead, over the {} that reached us before our first touch: median {}. Win rate = won ÷ (won + lost), 95% interval in brackets. Faster answers are associated with more wins; they need not cause them.",
        count(t.deals as u64),
        count(t.answered as u64),
        hours(t.median_hours),
        hours(t.p90_hours),
        percent(t.within_1h),
        percent(t.within_24h),
        percent(t.within_72h),
        crate::fmt::counted(l.deals as u64, "deal", "deals"),
        hours(l.median_hours)
    )
}

fn delay_rows(m: &Metrics) -> Vec<DelayRow> {
    let r = &m.reply_delay;
    std::iter::once(("All channels".to_owned(), &r.overall))
        .chain(r.by_channel.iter().map(|c| (c.channel.clone(), &c.stats)))
        .map(|(channel, d)| {
            let few = d.deals > 0 && d.too_few();
            let cell = |text: String| Cell { text, few };
            DelayRow {
                channel,
                deals: count(d.deals as u64),
                median: cell(days(d.median_days)),
                p90: cell(days(d.p90_days)),
                within: [d.within_1d, d.within_3d, d.within_7d, d.within_14d]
                    .into_iter()
                    .map(|v| cell(percent(v)))
                    .collect(),
            }
        })
        .collect()
}

fn delay_note(m: &Metrics) -> String {
    let base = "Days from the touch a first response is credited to until the response (a connected call answers itself: 0 days).";
    match crate::report::charts::suggested_stale_days(m) {
        Some(s) => format!(
            "{base} 90% of replies came within {} days: --stale-days {s} would count a deal as given up only once most replies would have come (this report used {}).",
            s, m.give_up.stale_days
        ),
        None => format!("{base} Too few responses to suggest a --stale-days value."),
    }
}

fn spacing_rows(m: &Metrics) -> Vec<SpacingRow> {
    m.spacing
        .pooled
        .iter()
        .map(|r| {
            let (k, n) =
                (usize::try_from(r.responded).unwrap_or(usize::MAX), usize::try_from(r.sent).unwrap_or(usize::MAX));
            SpacingRow {
                bucket: format!("{} days", r.bucket.as_str().replace('-', "–")),
                sent: count(r.sent),
                responded: count(r.responded),
                rate: rate_cell(k, n, r.rate, r.ci_low, r.ci_high, r.too_few()),
            }
        })
        .collect()
}

fn late_rows(m: &Metrics) -> Vec<LateRow> {
    m.late_answers
        .iter()
        .map(|a| {
            let closed = a.won.saturating_add(a.lost);
            LateRow {
                touch: a.touch.as_str().to_owned(),
                deals: count(a.deals as u64),
                won_lost: format!("{} / {}", count(a.won as u64), count(a.lost as u64)),
                win: rate_cell(a.won, closed, a.rate, a.ci_low, a.ci_high, a.too_few()),
                won_amount: if a.won_amount.is_empty() {
                    "–".to_owned()
                } else {
                    a.won_amount.iter().map(|w| money(w.amount, &w.currency)).collect::<Vec<_>>().join(" + ")
                },
            }
        })
        .collect()
}

fn competing_rows(m: &Metrics) -> Vec<CompetingRow> {
    m.competing_outcomes
        .iter()
        .map(|s| {
            let few = s.at_risk < crate::metrics::SMALL_N as u64;
            CompetingRow {
                touch: s.touch.to_string(),
                at_risk: count(s.at_risk),
                outcomes: [s.responded, s.opted_out, s.lost, s.censored, s.going_on()].into_iter().map(count).collect(),
                cif: Cell { text: percent(Some(s.cif)), few },
                km: Cell { text: percent(s.cumulative_km), few },
            }
        })
        .collect()
}

fn waiting_rows(m: &Metrics) -> Vec<WaitingRow> {
    m.waiting_on_us
        .list
        .iter()
        .take(25)
        .map(|w| WaitingRow {
            deal_id: w.deal_id.clone(),
            name: w.name.clone(),
            owner: if w.owner.is_empty() { "–".into() } else { w.owner.clone() },
            since: w.since.clone(),
            waiting: crate::fmt::counted(u64::try_from(w.days_waiting).unwrap_or(0), "day", "days"),
        })
        .collect()
}

fn waiting_note(m: &Metrics) -> String {
    match m.waiting_on_us.deals {
        0 => "No open deal is waiting on us: every prospect who spoke last has had an answer.".to_owned(),
        n => format!(
            "Open deals where the prospect spoke last and nobody has answered yet: {}. Longest waiting first{}; all of them are in tables/waiting_on_us.csv.",
            count(n as u64),
            if n > 25 { " (the first 25)" } else { "" }
        ),
    }
}
