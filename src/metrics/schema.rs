//! The schema of metrics.json (`followup/1`, SPEC §4): every type [`Metrics`] is made
//! of, with units and the `null` rule on each field. The rules that fill them live in
//! their own files (`response`, `close`, `conversion`, `revenue`, `give_up`, `trend`,
//! `groups`, `due`, `cohorts`, `plan`); the renderers read only these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{cohorts, due, groups, plan};

mod timing;
use crate::ingest::FileLedger;
use crate::model::Dimension;
pub use timing::*;

/// Gives an enum that metrics.json writes as a fixed word its one list of names:
/// `as_str`, `Display`, comparison with text (`metric == "response_rate"`), and serde
/// as that word, so the JSON cannot drift from the name the renderers print.
macro_rules! named {
    ($t:ident { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            /// Every value, in order.
            pub const ALL: &'static [$t] = &[$($t::$v),+];

            /// The word written in metrics.json and the CSV tables.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($t::$v => $s),+
                }
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let word = <String as serde::Deserialize>::deserialize(d)?;
                $t::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == word)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&word, &[$($s),+]))
            }
        }
    };
}
pub(crate) use named;

/// The schema name written into metrics.json.
pub const SCHEMA: &str = "followup/1";

/// Every number of the report (the content of metrics.json). Fields added after the
/// first release carry `#[serde(default)]`, so an older metrics.json still reads
/// (schema `followup/1`: fields may be added, never renamed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The as-of date (SPEC §3 rule 9), `YYYY-MM-DD`.
    pub as_of: String,
    /// The reporting period, or `null` for all data.
    pub period: Option<PeriodOut>,
    /// One entry per input file: rows = used + rejected + duplicates.
    pub inputs: Vec<FileLedger>,
    /// Files inside ZIP archives that were not read, each with why (Capsule's contacts
    /// and projects, files of no known format).
    #[serde(default)]
    pub skipped_inputs: Vec<String>,
    /// What these inputs cannot show, and what to add (for example "response by touch
    /// needs an activity export"). Empty when nothing is missing.
    #[serde(default)]
    pub limitations: Vec<String>,
    /// Deal counts over the whole input.
    pub deals: DealCounts,
    /// Touch counts over the whole input.
    pub touches: TouchCounts,
    /// Rule 4: response rate by touch number, touch 1 up to the highest k with sent > 0.
    pub response_by_touch: Vec<TouchRate>,
    /// Rule 5 for won deals.
    pub touches_to_close: TouchesToClose,
    /// Rule 5 for lost deals ("touches before giving up").
    pub touches_before_loss: TouchesBeforeLoss,
    /// Rule 6.
    pub conversion_after_follow_up: Conversion,
    /// Rule 7.
    pub revenue_recovered: RevenueRecovered,
    /// Rule 8.
    pub give_up: GiveUp,
    /// Deals touched after they opted out (rule 2).
    pub contacted_after_opt_out: OptOutContacts,
    /// Per-group metrics by dimension (`--by`); empty without it.
    #[serde(default)]
    pub groups: BTreeMap<Dimension, Vec<groups::GroupMetrics>>,
    /// Open deals due a follow-up now (count, the first 100, the usual gaps).
    #[serde(default)]
    pub due_follow_ups: due::DueList,
    /// Comparisons of the groups of each dimension (`--by`).
    #[serde(default)]
    pub comparisons: BTreeMap<Dimension, groups::Comparisons>,
    /// The headline metrics for every calendar month in the data (whatever the period),
    /// oldest first.
    #[serde(default)]
    pub trend: Vec<MonthTrend>,
    /// Deals by the month of their touch 1: response by touch 1…6 (Kaplan–Meier) and
    /// won within 30/60/90 days, every month in the data, oldest first.
    #[serde(default)]
    pub cohorts: Vec<cohorts::Cohort>,
    /// With `--cadence-plan`: how closely each cadence's plan was kept, beside its
    /// results; empty without a plan.
    #[serde(default)]
    pub plan_adherence: Vec<plan::PlanAdherence>,
    /// Rule 10: speed to lead and time to answer, with the win rate per speed band
    /// (with a period: the responses that fall in it).
    #[serde(default)]
    pub speed_to_answer: SpeedToAnswer,
    /// Rule 10: open deals where the prospect spoke last and nobody answered (as of the
    /// as-of date, whatever the period).
    #[serde(default)]
    pub waiting_on_us: WaitingOnUs,
    /// Rule 11: reply delay after the touch answered, overall and by channel (with a
    /// period: the responses that fall in it).
    #[serde(default)]
    pub reply_delay: ReplyDelay,
    /// Rule 12: response by the gap since the previous touch (with a period: the
    /// touches sent in it).
    #[serde(default)]
    pub spacing: Spacing,
    /// Rule 13: win rate and won amount by the touch of the first response, `1` … `5+`
    /// (with a period: deals whose touch 1 was sent in it).
    #[serde(default)]
    pub late_answers: Vec<LateAnswer>,
    /// Rule 13: competing outcomes per touch and the cumulative incidence of response
    /// beside Kaplan–Meier (with a period: deals whose touch 1 was sent in it).
    #[serde(default)]
    pub competing_outcomes: Vec<CompetingStep>,
}

/// The headline metrics of one calendar month: response by touch counts the touches
/// sent in the month, the others the deals closed in the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthTrend {
    /// `YYYY-MM`.
    pub month: String,
    /// Deals that received touch 1 in the month (and had not responded before).
    pub touch_1_sent: u64,
    /// Kaplan–Meier share responding by touch 5 (or the last touch sent in the month,
    /// when fewer), over the touches sent in the month.
    pub response_km: Option<f64>,
    /// The touch number `response_km` is read at.
    pub response_km_touch: u32,
    /// Won deals closed in the month.
    pub won: usize,
    /// Lost deals closed in the month.
    pub lost: usize,
    /// Mean touches to close of the won deals with n ≥ 1.
    pub touches_to_close_mean: Option<f64>,
    /// Conversion after follow-up (n ≥ 2) of the deals closed in the month.
    pub conversion_rate: Option<f64>,
    /// The followed-up won + lost deals closed in the month that `conversion_rate`
    /// rests on (absent before it existed: read as `won + lost`, an upper bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion_closed: Option<usize>,
    /// Won deals closed in the month with tracked touches, behind
    /// `touches_to_close_mean` (absent before it existed: read as `won`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub won_tracked: Option<usize>,
    /// Revenue recovered per currency.
    pub revenue_recovered: Vec<CurrencyAmount>,
    /// Median hours to answer (rule 10's time to answer) of the inbound first responses
    /// that came in the month and were answered; null when none.
    #[serde(default)]
    pub time_to_answer_median_hours: Option<f64>,
    /// The answered inbound first responses of the month `time_to_answer_median_hours`
    /// rests on.
    #[serde(default)]
    pub time_to_answer_answered: usize,
}

impl MonthTrend {
    /// A month with nothing in it yet.
    pub fn empty(month: String) -> Self {
        MonthTrend {
            month,
            touch_1_sent: 0,
            response_km: None,
            response_km_touch: 0,
            won: 0,
            lost: 0,
            touches_to_close_mean: None,
            conversion_rate: None,
            conversion_closed: None,
            won_tracked: None,
            revenue_recovered: Vec::new(),
            time_to_answer_median_hours: None,
            time_to_answer_answered: 0,
        }
    }

    /// Whether the month's response figure rests on too few deals (sent touch 1).
    pub fn response_too_few(&self) -> bool {
        super::too_few(usize::try_from(self.touch_1_sent).unwrap_or(usize::MAX))
    }

    /// Whether the month's mean touches to close rests on too few won deals.
    pub fn touches_too_few(&self) -> bool {
        super::too_few(self.won_tracked.unwrap_or(self.won))
    }

    /// Whether the month's median time to answer rests on too few answered responses.
    pub fn time_to_answer_too_few(&self) -> bool {
        super::too_few(self.time_to_answer_answered)
    }

    /// Whether the month's conversion rests on too few closed deals.
    pub fn conversion_too_few(&self) -> bool {
        super::too_few(self.conversion_closed.unwrap_or(self.won.saturating_add(self.lost)))
    }
}

/// A reporting period, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodOut {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
}

/// Deal counts (whole input, not the period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealCounts {
    /// All deals.
    pub total: usize,
    /// Won deals.
    pub won: usize,
    /// Lost deals.
    pub lost: usize,
    /// Open deals.
    pub open: usize,
    /// Deals whose first response came before touch 1 (left out of response by touch).
    pub inbound_initiated: usize,
    /// Deals whose first response fell outside `--reply-window`.
    pub unattributed: usize,
}

/// Touch counts (whole input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchCounts {
    /// Outbound touch rows (before the close-day cut).
    pub outbound: usize,
    /// Inbound touch rows.
    pub inbound: usize,
    /// Bounced emails: not touches.
    pub bounced: usize,
    /// Automatic replies (out of office…): touches, not responses.
    pub automatic_replies: usize,
    /// Opt-out events.
    pub opt_outs: usize,
    /// Internal notes and tasks: not touches.
    pub notes_and_tasks: usize,
    /// Activities linked to no deal: not touches of any deal.
    #[serde(default)]
    pub unlinked: usize,
    /// Activities that did not take place yet ("To do", not Completed): not touches,
    /// not responses, and their dates move nothing (SPEC §2 "Done, not planned").
    #[serde(default)]
    pub planned: usize,
    /// Salesforce activities logged on an account and linked to the account's only
    /// opportunity open that day (counted among the touches, not in `unlinked`).
    #[serde(default)]
    pub linked_by_account: usize,
    /// Outcome words no table knows (treated as one-way), most frequent first.
    pub unknown_outcomes: Vec<UnknownOutcome>,
}

/// An outcome word that no table knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownOutcome {
    /// The word as written.
    pub outcome: String,
    /// How many rows carry it.
    pub rows: usize,
}

/// Rule 4 at one touch number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchRate {
    /// k.
    pub touch: u32,
    /// Deals that received touch k (in the period) and had not responded before it.
    pub sent: u64,
    /// Deals whose first response is attributed to touch k.
    pub responded: u64,
    /// responded / sent; null when sent is 0.
    pub rate: Option<f64>,
    /// Wilson 95% lower bound of `rate`.
    pub ci_low: Option<f64>,
    /// Wilson 95% upper bound of `rate`.
    pub ci_high: Option<f64>,
    /// (responded_1 + … + responded_k) / sent_1; null when sent_1 is 0.
    pub cumulative: Option<f64>,
    /// Kaplan–Meier share responding by touch k if followed up that far.
    pub cumulative_km: Option<f64>,
    /// Greenwood log(−log) 95% lower bound; null where S_k is 0 or 1.
    pub km_low: Option<f64>,
    /// Greenwood log(−log) 95% upper bound; null where S_k is 0 or 1.
    pub km_high: Option<f64>,
}

/// Mean, median and histogram of n (rule 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchStats {
    /// Deals with n = 0: counted, left out of mean, median and histogram.
    pub untracked: usize,
    /// Mean n over tracked deals; null when there are none.
    pub mean: Option<f64>,
    /// Median n (mean of the two middle values for an even count); null when none.
    pub median: Option<f64>,
    /// Deals per n, ascending, for each n that occurs.
    pub histogram: Vec<Bin>,
}

/// One histogram bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bin {
    /// n.
    pub touches: u32,
    /// Deals with that n.
    pub deals: usize,
}

/// Rule 5 for won deals closed in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchesToClose {
    /// Won deals in scope (tracked and untracked).
    pub won: usize,
    /// The statistics.
    #[serde(flatten)]
    pub stats: TouchStats,
}

/// Rule 5 for lost deals closed in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchesBeforeLoss {
    /// Lost deals in scope (tracked and untracked).
    pub lost: usize,
    /// The statistics.
    #[serde(flatten)]
    pub stats: TouchStats,
}

/// Rule 6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversion {
    /// won + lost + open among deals with n ≥ 2.
    pub followed_up: usize,
    /// Followed-up deals won (closed in the period).
    pub won: usize,
    /// Followed-up deals lost (closed in the period).
    pub lost: usize,
    /// Followed-up open deals (with a touch in the period, when there is one).
    pub open: usize,
    /// won / (won + lost); null when both are 0.
    pub rate: Option<f64>,
    /// The same ratio for deals with exactly one touch.
    pub single_touch_rate: Option<f64>,
    /// The counts behind `single_touch_rate`.
    pub single_touch: WonLost,
    /// Won and lost deals (in scope) with no outbound touch recorded, neither rows nor
    /// a touch count: left out of `rate` and of `single_touch_rate`.
    #[serde(default)]
    pub no_touch_data: usize,
}

impl Conversion {
    /// Whether `rate` rests on too few closed deals to be read (fewer than
    /// [`SMALL_N`](super::SMALL_N) won + lost).
    pub fn too_few(&self) -> bool {
        super::too_few(self.won + self.lost)
    }

    /// The same for `single_touch_rate`.
    pub fn single_touch_too_few(&self) -> bool {
        super::too_few(self.single_touch.won + self.single_touch.lost)
    }
}

impl TouchesToClose {
    /// Won deals with tracked touches: the deals the mean and median rest on.
    pub fn tracked(&self) -> usize {
        self.won.saturating_sub(self.stats.untracked)
    }

    /// Whether the mean rests on too few won deals to be read.
    pub fn too_few(&self) -> bool {
        super::too_few(self.tracked())
    }
}

impl TouchRate {
    /// The touch whose cumulative Kaplan–Meier share the report reads as "response by
    /// touch 5": touch 5, or the last touch when the list is shorter.
    pub fn by_touch_5(list: &[TouchRate]) -> Option<&TouchRate> {
        list.get(4).or(list.last())
    }

    /// Whether this touch's rate rests on too few deals to be read.
    pub fn too_few(&self) -> bool {
        super::too_few(usize::try_from(self.sent).unwrap_or(usize::MAX))
    }
}

/// Won and lost counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WonLost {
    /// Won.
    pub won: usize,
    /// Lost.
    pub lost: usize,
}

/// Rule 7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevenueRecovered {
    /// F: won deals with n ≥ 1 + F count as recovered.
    pub recovered_after: u32,
    /// Recovered won deals.
    pub deals: usize,
    /// Recovered deals without an amount.
    pub no_amount: usize,
    /// Per currency (never summed across currencies), sorted by code.
    pub by_currency: Vec<CurrencyAmount>,
}

/// Recovered revenue in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurrencyAmount {
    /// ISO code.
    pub currency: String,
    /// Sum of recovered won amounts.
    pub amount: f64,
    /// amount / won_amount; null when won_amount is 0.
    pub share_of_won: Option<f64>,
    /// Sum of all won amounts in scope in this currency.
    pub won_amount: f64,
    /// Won deals in scope with an amount in this currency: the deals `share_of_won`
    /// rests on. Absent from a metrics.json written before it existed (read as unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub won_deals: Option<usize>,
}

impl CurrencyAmount {
    /// Whether `share_of_won` rests on too few won deals to be read (unknown counts
    /// as readable, as before the count existed).
    pub fn too_few(&self) -> bool {
        self.won_deals.is_some_and(super::too_few)
    }
}

/// Rule 8.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GiveUp {
    /// Lost deals plus stale open deals, with n ≥ 1.
    pub deals: usize,
    /// `--stale-days` used.
    pub stale_days: u32,
    /// The four buckets 1, 2, 3-4, 5+.
    pub buckets: Vec<Bucket>,
}

/// A give-up bucket: the last touch number of a deal given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUpBucket {
    /// Touch 1 (`"1"`).
    One,
    /// Touch 2 (`"2"`).
    Two,
    /// Touch 3 or 4 (`"3-4"`).
    ThreeToFour,
    /// Touch 5 or later (`"5+"`).
    FivePlus,
}

named!(GiveUpBucket { One => "1", Two => "2", ThreeToFour => "3-4", FivePlus => "5+" });

/// Reads as its word wherever text is expected (`&bucket` coerces to `&str`), for the
/// renderers that still take the word; new code matches on the variant.
impl std::ops::Deref for GiveUpBucket {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// One give-up bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// "1", "2", "3-4" or "5+".
    pub bucket: GiveUpBucket,
    /// Deals whose last touch number falls in the bucket.
    pub deals: usize,
    /// deals / all give-up deals; null when there are none.
    pub share: Option<f64>,
}

/// Deals contacted after opting out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutContacts {
    /// How many deals.
    pub deals: usize,
    /// How many outbound touches after the opt-out, in all.
    pub touches: usize,
    /// The deals, by deal_id.
    pub list: Vec<OptOutDeal>,
}

/// One deal contacted after opting out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutDeal {
    /// The deal id.
    pub deal_id: String,
    /// The deal name.
    pub name: String,
    /// When it opted out, `YYYY-MM-DD HH:MM`.
    pub opted_out_at: String,
    /// Outbound touches after that.
    pub touches_after: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::due::GapFrom;

    #[test]
    fn groups_keyed_by_dimension_serialise_as_todays_names_in_name_order() {
        let mut m: BTreeMap<Dimension, u32> = BTreeMap::new();
        for (i, d) in
            [Dimension::Owner, Dimension::Month, Dimension::Cadence, Dimension::Channel].into_iter().enumerate()
        {
            m.insert(d, i as u32);
        }
        // The order of a map keyed by name (metrics.json before the enum), not of the enum.
        assert_eq!(serde_json::to_string(&m).expect("json"), r#"{"cadence":2,"channel":3,"month":1,"owner":0}"#);
        let back: BTreeMap<Dimension, u32> = serde_json::from_str(r#"{"owner":0,"cadence":2}"#).expect("reads");
        assert_eq!(back.get("owner"), Some(&0));
        assert_eq!(back[&Dimension::Cadence], 2);
        assert!(serde_json::from_str::<BTreeMap<Dimension, u32>>(r#"{"region":1}"#).is_err());
    }

    #[test]
    fn bucket_and_gap_words_are_unchanged_in_json() {
        let words: Vec<String> = GiveUpBucket::ALL.iter().map(|b| serde_json::to_string(b).expect("json")).collect();
        assert_eq!(words, [r#""1""#, r#""2""#, r#""3-4""#, r#""5+""#]);
        assert_eq!(serde_json::from_str::<GiveUpBucket>(r#""3-4""#).expect("reads"), GiveUpBucket::ThreeToFour);
        assert_eq!(serde_json::to_string(&GapFrom::TeamMedian).expect("json"), r#""team median""#);
        assert_eq!(serde_json::to_string(&GapFrom::Plan).expect("json"), r#""plan""#);
        assert!(GiveUpBucket::FivePlus == "5+" && GapFrom::of(true) == GapFrom::Plan);
    }
}
