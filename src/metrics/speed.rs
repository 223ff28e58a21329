//! Rule 10 (SPEC §3): how fast we answer. *Speed to lead* for inbound-initiated deals
//! (touch 1 − the first response), *time to answer* for every deal whose first response
//! is inbound (the first counted outbound touch strictly after it − the response), with
//! the win rate per speed band; and the **waiting on us** list: open deals whose latest
//! inbound response has no outbound touch after it.

use polars::prelude::*;

use super::facts::DealFacts;
use super::frames::status_code;
use super::timing::{f64_values, in_days, median, p90, within};
use super::{ratio, stats, AnswerBand, AnswerTimes, SpeedBand, SpeedToAnswer, WaitingDeal, WaitingOnUs};
use crate::error::Result;
use crate::model::{day_of, Deals, Period, Status};
use crate::time::format_time;

/// Rule 10 over a deal frame: the deals whose first response is inbound (with a period:
/// the response falls in it).
pub(crate) fn speed_to_answer(deals: LazyFrame, period: Option<&Period>) -> Result<SpeedToAnswer> {
    let df = deals
        .filter(col("inbound_first").and(in_days("fr_day", period)))
        .select([col("ii"), col("answer_hours"), col("status")])
        .collect()?;
    let ii: Vec<bool> = df.column("ii")?.bool()?.iter().map(|v| v.unwrap_or(false)).collect();
    let hours = f64_values(&df, "answer_hours")?;
    let status: Vec<i32> = df.column("status")?.i32()?.iter().map(|v| v.unwrap_or(-1)).collect();
    let rows: Vec<(Option<f64>, i32)> = hours.into_iter().zip(status).collect();
    let leads: Vec<(Option<f64>, i32)> = rows.iter().zip(&ii).filter(|(_, ii)| **ii).map(|(r, _)| *r).collect();
    Ok(SpeedToAnswer { speed_to_lead: answer_times(&leads), time_to_answer: answer_times(&rows) })
}

/// Count, median, p90, the within-shares and the bands of (hours to answer, status)
/// rows; `None` hours = never answered.
pub(crate) fn answer_times(rows: &[(Option<f64>, i32)]) -> AnswerTimes {
    let mut answered: Vec<f64> = rows.iter().filter_map(|r| r.0).collect();
    answered.sort_by(f64::total_cmp);
    let deals = rows.len();
    // Deals, won and lost per band (indexed as `SpeedBand::ALL`, which lists the bands
    // in their declared order: a test holds it), in one pass.
    let mut counts = [(0usize, 0usize, 0usize); SpeedBand::ALL.len()];
    let (won_code, lost_code) = (status_code(Status::Won), status_code(Status::Lost));
    for &(hours, status) in rows {
        if let Some(c) = counts.get_mut(SpeedBand::of(hours) as usize) {
            c.0 += 1;
            c.1 += usize::from(status == won_code);
            c.2 += usize::from(status == lost_code);
        }
    }
    let bands = SpeedBand::ALL
        .iter()
        .zip(counts)
        .map(|(&band, (deals, won, lost))| {
            let ci = stats::wilson(won as u64, (won + lost) as u64);
            AnswerBand {
                band,
                deals,
                won,
                lost,
                rate: ratio(won, won + lost),
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
            }
        })
        .collect();
    AnswerTimes {
        deals,
        answered: answered.len(),
        median_hours: median(&answered),
        p90_hours: p90(&answered),
        within_1h: within(&answered, 1.0, deals),
        within_24h: within(&answered, 24.0, deals),
        within_72h: within(&answered, 72.0, deals),
        bands,
    }
}

/// Open deals waiting on us, longest waiting first (then the earlier response, then the
/// deal id). The as-of state: no period applies.
pub(crate) fn waiting_on_us(deals: &Deals, f: &DealFacts, as_of_day: i32) -> WaitingOnUs {
    let mut rows: Vec<(i64, i64, WaitingDeal)> = f
        .timing
        .waiting
        .iter()
        .map(|&(d, since)| {
            let d = d as usize;
            let days = i64::from(as_of_day) - i64::from(day_of(since));
            let deal = WaitingDeal {
                deal_id: deals.id.get(d).to_owned(),
                name: deals.name(d).to_owned(),
                owner: deals.text.get(f.owner[d]).to_owned(),
                since: format_time(since),
                days_waiting: days,
            };
            (days, since, deal)
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then_with(|| a.2.deal_id.cmp(&b.2.deal_id)));
    let list: Vec<WaitingDeal> = rows.into_iter().map(|r| r.2).collect();
    WaitingOnUs { deals: list.len(), list }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_band_counts_at_its_place_in_the_list_of_bands() {
        for (i, &band) in SpeedBand::ALL.iter().enumerate() {
            assert_eq!(band as usize, i, "{band}");
        }
        let (won, lost, open) = (status_code(Status::Won), status_code(Status::Lost), status_code(Status::Open));
        let rows = [(Some(0.5), won), (Some(30.0), lost), (Some(30.0), won), (None, open), (Some(100.0), won)];
        let got: Vec<(String, usize, usize, usize)> =
            answer_times(&rows).bands.iter().map(|b| (b.band.to_string(), b.deals, b.won, b.lost)).collect();
        let want = [("<=1h", 1, 1, 0), ("1-24h", 0, 0, 0), ("24-72h", 2, 1, 1), (">72h", 1, 1, 0), ("never", 1, 0, 0)];
        assert_eq!(got, want.map(|(b, d, w, l)| (b.to_owned(), d, w, l)));
    }
}
