//! Rule 11 (SPEC §3): the reply delay — for each deal whose first response is attributed
//! to touch k ≥ 1, the response's time − touch k's time, in fractional days — overall and
//! by the channel of touch k: count, median, 90th percentile and the shares within 1, 3,
//! 7 and 14 days. A response that is the touch itself (a connected call, a meeting held)
//! has a delay of 0.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::timing::{f64_values, in_days, median, p90, within};
use super::{ChannelDelay, DelayStats, ReplyDelay};
use crate::error::Result;
use crate::model::{Channel, Period};

/// Rule 11 over a deal frame (with a period: the responses that fall in it).
pub(crate) fn reply_delay(deals: LazyFrame, period: Option<&Period>) -> Result<ReplyDelay> {
    let df = deals
        .filter(col("delay_days").is_not_null().and(in_days("fr_day", period)))
        .select([col("delay_days"), col("delay_channel")])
        .collect()?;
    let delays: Vec<f64> = f64_values(&df, "delay_days")?.into_iter().flatten().collect();
    let channels: Vec<u32> = df.column("delay_channel")?.cast(&DataType::UInt32)?.u32()?.iter().flatten().collect();
    let mut by: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    for (&d, &c) in delays.iter().zip(&channels) {
        let channel = Channel::ALL.get(c as usize).map_or("other", |c| c.as_str());
        by.entry(channel).or_default().push(d);
    }
    Ok(ReplyDelay {
        overall: delay_stats(delays),
        by_channel: by
            .into_iter()
            .map(|(channel, v)| ChannelDelay { channel: channel.to_owned(), stats: delay_stats(v) })
            .collect(),
    })
}

/// The figures of a set of delays in days.
pub(crate) fn delay_stats(mut delays: Vec<f64>) -> DelayStats {
    delays.sort_by(f64::total_cmp);
    let n = delays.len();
    DelayStats {
        deals: n,
        median_days: median(&delays),
        p90_days: p90(&delays),
        within_1d: within(&delays, 1.0, n),
        within_3d: within(&delays, 3.0, n),
        within_7d: within(&delays, 7.0, n),
        within_14d: within(&delays, 14.0, n),
    }
}
