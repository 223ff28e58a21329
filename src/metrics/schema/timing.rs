//! The metrics.json fields of SPEC §3 rules 10–13 (issue 13): speed to answer, waiting on
//! us, reply delay, spacing, what a late answer is worth and competing outcomes. Every
//! field added after the first release reads as empty from an older metrics.json
//! (`#[serde(default)]` on the [`Metrics`](super::Metrics) fields that hold these).
//!
//! Hours and days are fractional; rates are fractions in [0, 1], `null` where the
//! denominator is 0; `ci_*` are Wilson 95% bounds, `null` with the rate.

use serde::{Deserialize, Serialize};

use super::named;
use crate::metrics::groups::Comparisons;

/// A speed band of rule 10: how long a response waited for our answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpeedBand {
    /// Answered within an hour (`"<=1h"`, h ≤ 1).
    UpTo1h,
    /// Over 1 hour, up to 24 (`"1-24h"`).
    H1To24,
    /// Over 24 hours, up to 72 (`"24-72h"`).
    H24To72,
    /// Over 72 hours (`">72h"`).
    Over72h,
    /// No counted outbound touch after the response (`"never"`).
    Never,
}

named!(SpeedBand { UpTo1h => "<=1h", H1To24 => "1-24h", H24To72 => "24-72h", Over72h => ">72h", Never => "never" });

impl SpeedBand {
    /// The band of an answer after `hours` (`None`: never answered).
    pub fn of(hours: Option<f64>) -> SpeedBand {
        match hours {
            None => SpeedBand::Never,
            Some(h) if h <= 1.0 => SpeedBand::UpTo1h,
            Some(h) if h <= 24.0 => SpeedBand::H1To24,
            Some(h) if h <= 72.0 => SpeedBand::H24To72,
            Some(_) => SpeedBand::Over72h,
        }
    }
}

/// A gap bucket of rule 12: calendar days from touch k−1 to touch k.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GapBucket {
    /// 0 or 1 day (`"0-1"`).
    D0To1,
    /// 2 or 3 days (`"2-3"`).
    D2To3,
    /// 4 to 7 days (`"4-7"`).
    D4To7,
    /// 8 to 14 days (`"8-14"`).
    D8To14,
    /// 15 days or more (`"15+"`).
    D15Plus,
}

named!(GapBucket { D0To1 => "0-1", D2To3 => "2-3", D4To7 => "4-7", D8To14 => "8-14", D15Plus => "15+" });

impl GapBucket {
    /// The bucket of a gap of `days` calendar days (a negative gap cannot happen: the
    /// touches are sorted; it reads as 0–1).
    pub fn of(days: i64) -> GapBucket {
        match days {
            ..=1 => GapBucket::D0To1,
            2..=3 => GapBucket::D2To3,
            4..=7 => GapBucket::D4To7,
            8..=14 => GapBucket::D8To14,
            _ => GapBucket::D15Plus,
        }
    }
}

/// The touch number of a first response in rule 13: 1, 2, 3, 4 or 5 and later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LateTouch {
    /// Touch 1 (`"1"`).
    One,
    /// Touch 2 (`"2"`).
    Two,
    /// Touch 3 (`"3"`).
    Three,
    /// Touch 4 (`"4"`).
    Four,
    /// Touch 5 or later (`"5+"`).
    FivePlus,
}

named!(LateTouch { One => "1", Two => "2", Three => "3", Four => "4", FivePlus => "5+" });

impl LateTouch {
    /// The key of touch `k` (k ≥ 1; 0 reads as 1).
    pub fn of(k: u32) -> LateTouch {
        match k {
            0 | 1 => LateTouch::One,
            2 => LateTouch::Two,
            3 => LateTouch::Three,
            4 => LateTouch::Four,
            _ => LateTouch::FivePlus,
        }
    }
}

/// Rule 10: speed to lead and time to answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SpeedToAnswer {
    /// Inbound-initiated deals: touch 1's time − the first response's time.
    pub speed_to_lead: AnswerTimes,
    /// Deals whose first response is inbound: the first counted outbound touch strictly
    /// after it − the response (inbound-initiated deals included).
    pub time_to_answer: AnswerTimes,
}

/// How fast one kind of response was answered (rule 10).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AnswerTimes {
    /// Deals with such a response (with a period: the response falls in it).
    pub deals: usize,
    /// Of them, answered (a counted outbound touch came after the response).
    pub answered: usize,
    /// Median hours to answer over the answered (rule 5's median); null when none.
    pub median_hours: Option<f64>,
    /// 90th percentile (nearest rank: the ⌈0.9·n⌉-th smallest) hours; null when none.
    pub p90_hours: Option<f64>,
    /// Share answered within 1 hour, over `deals` (never answered included).
    pub within_1h: Option<f64>,
    /// Share answered within 24 hours, over `deals`.
    pub within_24h: Option<f64>,
    /// Share answered within 72 hours, over `deals`.
    pub within_72h: Option<f64>,
    /// The five bands `<=1h`, `1-24h`, `24-72h`, `>72h`, `never`, in that order, each
    /// listed (zeros and null rates when empty).
    pub bands: Vec<AnswerBand>,
}

impl AnswerTimes {
    /// Whether the figures rest on too few deals to be read.
    pub fn too_few(&self) -> bool {
        crate::metrics::too_few(self.deals)
    }
}

/// One speed band: its deals and their win rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerBand {
    /// The band.
    pub band: SpeedBand,
    /// Deals answered in this band.
    pub deals: usize,
    /// Of them, won.
    pub won: usize,
    /// Of them, lost.
    pub lost: usize,
    /// won / (won + lost); null when both are 0.
    pub rate: Option<f64>,
    /// Wilson 95% lower bound of `rate`.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound of `rate`.
    pub ci_high: Option<f64>,
}

impl AnswerBand {
    /// Whether the win rate rests on too few closed deals (won + lost) to be read.
    pub fn too_few(&self) -> bool {
        crate::metrics::too_few(self.won.saturating_add(self.lost))
    }
}

/// Open deals where the prospect spoke last and nobody has answered (rule 10).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WaitingOnUs {
    /// How many deals are waiting.
    pub deals: usize,
    /// Longest waiting first (metrics.json keeps the first 100; tables/waiting_on_us.csv
    /// every one).
    pub list: Vec<WaitingDeal>,
}

/// One deal waiting on us.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingDeal {
    /// The deal id.
    pub deal_id: String,
    /// The deal name.
    pub name: String,
    /// The deal's owner (its touch 1's when the deal row names none); empty when none.
    pub owner: String,
    /// When the prospect's latest response came, `YYYY-MM-DD HH:MM`.
    pub since: String,
    /// As-of date − the response's date, in days.
    pub days_waiting: i64,
}

/// Rule 11: how long replies take after the touch they answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReplyDelay {
    /// The figures over every channel.
    #[serde(flatten)]
    pub overall: DelayStats,
    /// The same by the channel of the touch answered, sorted by channel.
    pub by_channel: Vec<ChannelDelay>,
}

/// Reply delays of a set of deals (rule 11), in days.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DelayStats {
    /// Deals with a first response attributed to a touch (with a period: the response
    /// falls in it).
    pub deals: usize,
    /// Median delay in days (rule 5's median); null when no deal.
    pub median_days: Option<f64>,
    /// 90th percentile (nearest rank) in days; null when no deal.
    pub p90_days: Option<f64>,
    /// Share of the deals whose delay is at most 1 day.
    pub within_1d: Option<f64>,
    /// Share at most 3 days.
    pub within_3d: Option<f64>,
    /// Share at most 7 days.
    pub within_7d: Option<f64>,
    /// Share at most 14 days.
    pub within_14d: Option<f64>,
}

impl DelayStats {
    /// Whether the figures rest on too few deals to be read.
    pub fn too_few(&self) -> bool {
        crate::metrics::too_few(self.deals)
    }
}

/// Reply delays after touches of one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelDelay {
    /// `email`, `call`, `meeting`, `text`, `social`, `letter`, `visit` or `other`.
    pub channel: String,
    /// The figures.
    #[serde(flatten)]
    pub stats: DelayStats,
}

/// Rule 12: response rate at touch k by the gap since touch k−1.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Spacing {
    /// Per bucket, pooled over touches 2 and later: the five buckets in order.
    pub pooled: Vec<SpacingRate>,
    /// Per (touch, bucket): touch 2 up to the highest touch with sent > 0, every bucket
    /// of each, by touch then bucket.
    pub by_touch: Vec<SpacingTouchRate>,
    /// Each pooled bucket against the rest (Newcombe interval, Fisher's exact test or
    /// the pooled z-test, Holm over the buckets compared), as groups are compared:
    /// `metric` is `response_rate`, `touch` null, `group` the bucket, `versus` "the rest".
    /// A bucket with no touch sent, or with every touch sent, is not compared.
    #[serde(default)]
    pub comparisons: Comparisons,
}

/// Response at the touches sent after a gap in one bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpacingRate {
    /// The gap bucket.
    pub bucket: GapBucket,
    /// Touches sent (rule 4's sent_k, k ≥ 2) after such a gap.
    pub sent: u64,
    /// Of them, the touch the first response is attributed to.
    pub responded: u64,
    /// responded / sent; null when sent is 0.
    pub rate: Option<f64>,
    /// Wilson 95% lower bound of `rate`.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound of `rate`.
    pub ci_high: Option<f64>,
}

impl SpacingRate {
    /// Whether the rate rests on too few touches sent to be read.
    pub fn too_few(&self) -> bool {
        crate::metrics::too_few(usize::try_from(self.sent).unwrap_or(usize::MAX))
    }
}

/// [`SpacingRate`] at one touch number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpacingTouchRate {
    /// k (2 or more).
    pub touch: u32,
    /// The figures.
    #[serde(flatten)]
    pub rate: SpacingRate,
}

/// Rule 13: deals by the touch that got their first response, and how they ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateAnswer {
    /// `1`, `2`, `3`, `4` or `5+`.
    pub touch: LateTouch,
    /// Deals whose first response is attributed to that touch (with a period: touch 1
    /// sent in it).
    pub deals: usize,
    /// Of them, won.
    pub won: usize,
    /// Of them, lost.
    pub lost: usize,
    /// won / (won + lost); null when both are 0.
    pub rate: Option<f64>,
    /// Wilson 95% lower bound of `rate`.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound of `rate`.
    pub ci_high: Option<f64>,
    /// Won amount per currency (the won deals with an amount), by code.
    pub won_amount: Vec<WonAmount>,
}

impl LateAnswer {
    /// Whether the win rate rests on too few closed deals (won + lost) to be read.
    pub fn too_few(&self) -> bool {
        crate::metrics::too_few(self.won.saturating_add(self.lost))
    }
}

/// A won amount in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WonAmount {
    /// ISO code.
    pub currency: String,
    /// Sum of the won amounts.
    pub amount: f64,
}

/// Rule 13's competing outcomes at one touch number (discrete Aalen–Johansen).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetingStep {
    /// k.
    pub touch: u32,
    /// n_k: deals whose outcome came at touch k or later.
    pub at_risk: u64,
    /// Deals whose first response is attributed to touch k.
    pub responded: u64,
    /// Deals that opted out without responding, after k counted touches.
    pub opted_out: u64,
    /// Deals closed lost without responding, whose last counted touch is k.
    pub lost: u64,
    /// Deals that stopped at touch k otherwise (open, won without a response event,
    /// unattributed).
    pub censored: u64,
    /// CIF_k = Σ_{j≤k} S_{j−1}·h_j: the share that answers by touch k when opting out and
    /// losing end the chase.
    pub cif: f64,
    /// Rule 4's Kaplan–Meier share responding by touch k over the same deals (null
    /// where no deal was at risk at touch 1).
    pub cumulative_km: Option<f64>,
}

impl CompetingStep {
    /// The deals that go on to touch k+1 (at risk minus every outcome at k).
    pub fn going_on(&self) -> u64 {
        self.at_risk
            .saturating_sub(self.responded)
            .saturating_sub(self.opted_out)
            .saturating_sub(self.lost)
            .saturating_sub(self.censored)
    }
}
