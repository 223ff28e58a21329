//! `RunConfig`: the command-line flags of `followup report`, validated once into
//! decided values. Nothing downstream sees the raw CLI.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::ingest::cells::parse_datetime;
use crate::metrics::MetricsOptions;
use crate::model::Dimension;
use crate::time::{day_of, days_from_civil, format_day};

pub use crate::model::Period;

/// Everything a report run needs, decided.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Input files, in command-line order.
    pub inputs: Vec<PathBuf>,
    /// Report folder.
    pub out: PathBuf,
    /// Files the run reads (inputs, --map, --cadence-plan): `--force` never replaces a
    /// folder holding one.
    pub protected: Vec<PathBuf>,
    /// Replace an existing report folder.
    pub force: bool,
    /// `--as-of` day, if given.
    pub as_of: Option<i32>,
    /// Reporting period, if any.
    pub period: Option<Period>,
    /// `--reply-window` in days.
    pub reply_window: Option<u32>,
    /// `--recovered-after` F.
    pub recovered_after: u32,
    /// `--stale-days`.
    pub stale_days: u32,
    /// Default ISO currency.
    pub currency: String,
    /// Slashed dates are day first.
    pub day_first: bool,
    /// `--timezone`: zoned input times are converted to this zone before day and month
    /// boundaries apply; `None` = UTC. Naive times are taken as written.
    pub timezone: Option<chrono_tz::Tz>,
    /// Any rejected row fails the run (exit 3).
    pub strict: bool,
    /// Replace deal and person names with stable pseudonyms in every output.
    pub redact: bool,
    /// Sheet of XLSX inputs (default: the first).
    pub sheet: Option<String>,
    /// `--by` dimensions, deduplicated, in a fixed order.
    pub by: Vec<Dimension>,
    /// Stages (lower case) that mean won.
    pub won_stages: Vec<String>,
    /// Stages (lower case) that mean lost.
    pub lost_stages: Vec<String>,
    /// `--cadence-plan`: each cadence's planned touches.
    pub plan: Option<crate::plan::Plan>,
    /// `--map`: the user's column and value mapping, read and checked.
    pub map: Option<crate::ingest::mapping::Mapping>,
}

/// The raw values of the report flags, as typed.
#[derive(Debug, Clone, Default)]
pub struct RawReportArgs {
    /// Input files.
    pub inputs: Vec<PathBuf>,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--force`.
    pub force: bool,
    /// `--as-of`.
    pub as_of: Option<String>,
    /// `--month`.
    pub month: Option<String>,
    /// `--from`.
    pub from: Option<String>,
    /// `--to`.
    pub to: Option<String>,
    /// `--reply-window`.
    pub reply_window: Option<u32>,
    /// `--recovered-after`.
    pub recovered_after: u32,
    /// `--stale-days`.
    pub stale_days: u32,
    /// `--currency`.
    pub currency: String,
    /// `--day-first`.
    pub day_first: bool,
    /// `--timezone` (IANA name; `None` = UTC).
    pub timezone: Option<String>,
    /// `--strict`.
    pub strict: bool,
    /// `--redact`.
    pub redact: bool,
    /// `--sheet`.
    pub sheet: Option<String>,
    /// `--by`.
    pub by: Vec<Dimension>,
    /// `--won-stage`.
    pub won_stages: Vec<String>,
    /// `--lost-stage`.
    pub lost_stages: Vec<String>,
    /// `--cadence-plan`.
    pub cadence_plan: Option<PathBuf>,
    /// `--map`.
    pub map: Option<PathBuf>,
}

fn parse_day(flag: &'static str, s: &str) -> Result<i32> {
    parse_datetime(s, false)
        .ok()
        .filter(|t| t % crate::model::SECS_PER_DAY == 0)
        .map(day_of)
        .ok_or_else(|| Error::Argument { flag, message: format!("{s:?} is not a date; write it as 2026-10-31") })
}

fn parse_month(s: &str) -> Result<Period> {
    let bad = || Error::Argument { flag: "--month", message: format!("{s:?} is not a month; write it as 2026-10") };
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || y.to_string().len() != 4 {
        return Err(bad());
    }
    let from = days_from_civil(y, m, 1);
    let to = if m == 12 { days_from_civil(y + 1, 1, 1) } else { days_from_civil(y, m + 1, 1) } - 1;
    Ok(Period { from, to, label: format!("{y:04}-{m:02}") })
}

impl RunConfig {
    /// Validates the raw flags.
    pub fn from_raw(raw: RawReportArgs) -> Result<Self> {
        let period = match (&raw.month, &raw.from, &raw.to) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(Error::Argument { flag: "--month", message: "give either --month or --from/--to, not both".into() })
            }
            (Some(m), None, None) => Some(parse_month(m)?),
            (None, Some(f), Some(t)) => {
                let from = parse_day("--from", f)?;
                let to = parse_day("--to", t)?;
                if to < from {
                    return Err(Error::Argument { flag: "--to", message: format!("{t} is before --from {f}") });
                }
                Some(Period { from, to, label: format!("{}_{}", format_day(from), format_day(to)) })
            }
            (None, Some(_), None) => {
                return Err(Error::Argument { flag: "--from", message: "also give --to (the last day, inclusive)".into() })
            }
            (None, None, Some(_)) => {
                return Err(Error::Argument { flag: "--to", message: "also give --from (the first day)".into() })
            }
            (None, None, None) => None,
        };
        let as_of = raw.as_of.as_deref().map(|s| parse_day("--as-of", s)).transpose()?;
        let currency = raw.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::Argument { flag: "--currency", message: format!("{:?} is not an ISO code such as USD, EUR or GBP", raw.currency) });
        }
        if raw.inputs.is_empty() {
            return Err(Error::Argument { flag: "INPUT", message: "give at least one input file".into() });
        }
        let out = raw.out.unwrap_or_else(|| {
            PathBuf::from("reports").join(period.as_ref().map_or("all".to_string(), |p| p.label.clone()))
        });
        let timezone = match raw.timezone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(z) if ["utc", "etc/utc", "z", "gmt", "etc/gmt"].contains(&z.to_ascii_lowercase().as_str()) => None,
            Some(z) => Some(z.parse::<chrono_tz::Tz>().map_err(|_| Error::Argument {
                flag: "--timezone",
                message: format!("{z:?} is not a time zone; write an IANA name such as Europe/Berlin, America/New_York or UTC"),
            })?),
        };
        let lower = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_lowercase()).collect();
        let protected = raw.inputs.iter().chain(&raw.cadence_plan).chain(&raw.map).cloned().collect();
        Ok(RunConfig {
            protected,
            inputs: raw.inputs,
            out,
            force: raw.force,
            as_of,
            period,
            reply_window: raw.reply_window,
            recovered_after: raw.recovered_after,
            stale_days: raw.stale_days,
            currency,
            day_first: raw.day_first,
            timezone,
            strict: raw.strict,
            redact: raw.redact,
            sheet: raw.sheet,
            by: {
                let mut by = raw.by;
                by.sort_unstable();
                by.dedup();
                by
            },
            won_stages: lower(raw.won_stages),
            lost_stages: lower(raw.lost_stages),
            plan: raw.cadence_plan.as_deref().map(crate::plan::load).transpose()?,
            map: raw.map.as_deref().map(crate::ingest::mapping::Mapping::load).transpose()?,
        })
    }
}

impl From<&RunConfig> for crate::ingest::IngestOptions {
    fn from(cfg: &RunConfig) -> Self {
        crate::ingest::IngestOptions {
            inputs: cfg.inputs.clone(),
            sheet: cfg.sheet.clone(),
            map: cfg.map.clone(),
            day_first: cfg.day_first,
            timezone: cfg.timezone,
            won_stages: cfg.won_stages.clone(),
            lost_stages: cfg.lost_stages.clone(),
            currency: cfg.currency.clone(),
        }
    }
}

/// What `metrics::compute` reads of the run, decided once here (metrics never sees the
/// whole configuration).
impl From<&RunConfig> for MetricsOptions {
    fn from(cfg: &RunConfig) -> Self {
        MetricsOptions {
            as_of: cfg.as_of,
            period: cfg.period.clone(),
            reply_window: cfg.reply_window,
            recovered_after: cfg.recovered_after,
            stale_days: cfg.stale_days,
            by: cfg.by.clone(),
            plan: cfg.plan.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_is_the_whole_calendar_month() {
        let p = parse_month("2026-02").unwrap();
        assert_eq!((format_day(p.from), format_day(p.to)), ("2026-02-01".into(), "2026-02-28".into()));
        let p = parse_month("2026-12").unwrap();
        assert_eq!(format_day(p.to), "2026-12-31");
        assert!(parse_month("2026-13").is_err());
        assert!(parse_month("October").is_err());
    }

    #[test]
    fn timezone_names_are_checked() {
        let raw = |z: &str| RawReportArgs { inputs: vec!["a.csv".into()], currency: "USD".into(), timezone: Some(z.into()), ..Default::default() };
        assert_eq!(RunConfig::from_raw(raw("UTC")).unwrap().timezone, None);
        assert_eq!(RunConfig::from_raw(raw("Europe/Berlin")).unwrap().timezone, Some(chrono_tz::Tz::Europe__Berlin));
        let err = RunConfig::from_raw(raw("Mars/Olympus")).unwrap_err().to_string();
        assert!(err.contains("--timezone") && err.contains("Europe/Berlin"), "{err}");
    }

    #[test]
    fn default_out_folder_follows_the_period() {
        let raw = RawReportArgs { inputs: vec!["a.csv".into()], currency: "usd".into(), month: Some("2026-10".into()), ..Default::default() };
        let c = RunConfig::from_raw(raw).unwrap();
        assert_eq!(c.out, PathBuf::from("reports/2026-10"));
        assert_eq!(c.currency, "USD");
    }
}
