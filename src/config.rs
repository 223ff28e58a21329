//! `RunConfig`: the command-line flags of `followup report`, validated once into
//! decided values. Nothing downstream sees the raw CLI.

use std::path::PathBuf;

use crate::cli::{CheckArgs, ReportArgs};
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
    /// `--map` (repeatable): the user's column and value mappings, read and checked.
    pub map: Vec<crate::ingest::mapping::Mapping>,
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

impl TryFrom<&ReportArgs> for RunConfig {
    type Error = Error;

    /// Validates the flags of `followup report` (and of `check`, through
    /// [`ReportArgs::default`] with its inputs).
    fn try_from(a: &ReportArgs) -> Result<Self> {
        let input = &a.input;
        let period = match (&a.month, &a.from, &a.to) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(Error::Argument {
                    flag: "--month",
                    message: "give either --month or --from/--to, not both".into(),
                })
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
                return Err(Error::Argument {
                    flag: "--from",
                    message: "also give --to (the last day, inclusive)".into(),
                })
            }
            (None, None, Some(_)) => {
                return Err(Error::Argument { flag: "--to", message: "also give --from (the first day)".into() })
            }
            (None, None, None) => None,
        };
        let as_of = a.as_of.as_deref().map(|s| parse_day("--as-of", s)).transpose()?;
        let currency = input.currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::Argument {
                flag: "--currency",
                message: format!("{:?} is not an ISO code such as USD, EUR or GBP", input.currency),
            });
        }
        if input.inputs.is_empty() {
            return Err(Error::Argument { flag: "INPUT", message: "give at least one input file".into() });
        }
        let out = a.out.clone().unwrap_or_else(|| {
            PathBuf::from("reports").join(period.as_ref().map_or("all".to_string(), |p| p.label.clone()))
        });
        let timezone = match Some(input.timezone.trim()) {
            None | Some("") => None,
            Some(z) if ["utc", "etc/utc", "z", "gmt", "etc/gmt"].contains(&z.to_ascii_lowercase().as_str()) => None,
            Some(z) => Some(z.parse::<chrono_tz::Tz>().map_err(|_| Error::Argument {
                flag: "--timezone",
                message: format!(
                    "{z:?} is not a time zone; write an IANA name such as Europe/Berlin, America/New_York or UTC"
                ),
            })?),
        };
        let lower = |v: &[String]| v.iter().map(|s| s.trim().to_lowercase()).collect();
        let protected = input.inputs.iter().chain(&a.cadence_plan).chain(&input.map).cloned().collect();
        Ok(RunConfig {
            protected,
            inputs: input.inputs.clone(),
            out,
            force: a.force,
            as_of,
            period,
            reply_window: a.reply_window,
            recovered_after: a.recovered_after,
            stale_days: a.stale_days,
            currency,
            day_first: input.day_first,
            timezone,
            strict: a.strict,
            redact: a.redact,
            sheet: input.sheet.clone(),
            by: {
                let mut by = a.by.clone();
                by.sort_unstable();
                by.dedup();
                by
            },
            won_stages: lower(&input.won_stage),
            lost_stages: lower(&input.lost_stage),
            plan: a.cadence_plan.as_deref().map(crate::plan::load).transpose()?,
            map: {
                // The same file given twice is one map (it would fit its files twice).
                let mut paths: Vec<&PathBuf> = Vec::with_capacity(input.map.len());
                for p in &input.map {
                    if !paths.contains(&p) {
                        paths.push(p);
                    }
                }
                paths.into_iter().map(|p| crate::ingest::mapping::Mapping::load(p)).collect::<Result<Vec<_>>>()?
            },
        })
    }
}

impl TryFrom<&CheckArgs> for RunConfig {
    type Error = Error;

    /// `check` reads the inputs exactly as `report` would, with the same flags.
    fn try_from(a: &CheckArgs) -> Result<Self> {
        RunConfig::try_from(&ReportArgs { input: a.input.clone(), ..ReportArgs::default() })
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
            progress: crate::progress::Progress::off(),
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

    fn args(f: impl FnOnce(&mut ReportArgs)) -> ReportArgs {
        let mut a = ReportArgs::default();
        a.input.inputs = vec!["a.csv".into()];
        f(&mut a);
        a
    }

    #[test]
    fn timezone_names_are_checked() {
        let tz = |z: &str| RunConfig::try_from(&args(|a| a.input.timezone = z.into()));
        assert_eq!(tz("UTC").unwrap().timezone, None);
        assert_eq!(tz("Europe/Berlin").unwrap().timezone, Some(chrono_tz::Tz::Europe__Berlin));
        let err = tz("Mars/Olympus").unwrap_err().to_string();
        assert!(err.contains("--timezone") && err.contains("Europe/Berlin"), "{err}");
    }

    #[test]
    fn default_out_folder_follows_the_period() {
        let c = RunConfig::try_from(&args(|a| {
            a.input.currency = "usd".into();
            a.month = Some("2026-10".into());
        }))
        .unwrap();
        assert_eq!(c.out, PathBuf::from("reports/2026-10"));
        assert_eq!(c.currency, "USD");
    }

    #[test]
    fn check_reads_with_the_report_flags_it_shares() {
        // The --timezone that `check` once lacked: one flag group, so it cannot be missed.
        let check = crate::cli::CheckArgs { input: args(|a| a.input.timezone = "Europe/Berlin".into()).input };
        assert_eq!(RunConfig::try_from(&check).unwrap().timezone, Some(chrono_tz::Tz::Europe__Berlin));
    }
}
