//! The command line (clap derive). Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Follow-up analytics for small sales teams: which touch gets responses, how many
/// touches a won deal takes, and how much revenue follow-up recovered.
#[derive(Debug, Parser)]
#[command(name = "followup", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a report folder (index.html, metrics.json, tables/, rejected.csv) from
    /// exports or a follow-up log.
    Report(ReportArgs),
    /// Write a realistic synthetic follow-up log (or CRM exports) to try the tool on.
    Sample(SampleArgs),
    /// Say what each input file is (format, encoding, rows used / rejected, dates) and
    /// which report metrics the inputs can and cannot support. Writes nothing.
    Check(CheckArgs),
    /// Write a starting --map file for a spreadsheet, guessed from its headers.
    Map(MapArgs),
}

/// Defaults of the report flags (clap's and [`ReportArgs::default`]'s).
pub const DEFAULT_RECOVERED_AFTER: u32 = crate::metrics::DEFAULT_RECOVERED_AFTER;
/// See [`DEFAULT_RECOVERED_AFTER`].
pub const DEFAULT_STALE_DAYS: u32 = crate::metrics::DEFAULT_STALE_DAYS;
/// See [`DEFAULT_RECOVERED_AFTER`].
pub const DEFAULT_CURRENCY: &str = "USD";
/// See [`DEFAULT_RECOVERED_AFTER`].
pub const DEFAULT_TIMEZONE: &str = "UTC";

/// What to read and how to read it: the flags `report` and `check` share, so that
/// `check` reads the files exactly as `report` does.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Input files: a follow-up log, or deals.csv with touches.csv (several are merged).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Sheet to read from XLSX inputs [default: the first].
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Slashed dates are day first (31/01/2026), not month first.
    #[arg(long)]
    pub day_first: bool,
    /// Currency of amounts that name none (ISO code).
    #[arg(long, value_name = "CODE", default_value = DEFAULT_CURRENCY)]
    pub currency: String,
    /// Time zone of the report (IANA name, e.g. Europe/Berlin): zoned times such as
    /// Capsule's UTC are converted to it before day and month boundaries apply; times
    /// without a zone (HubSpot) are taken as written.
    #[arg(long, value_name = "ZONE", default_value = DEFAULT_TIMEZONE)]
    pub timezone: String,
    /// A TOML file naming which column holds each canonical column, and what the
    /// spreadsheet's own stage, type, direction and outcome words mean (see `followup
    /// map`). Repeatable: each map reads the files whose headers it fits.
    #[arg(long, value_name = "FILE.toml")]
    pub map: Vec<PathBuf>,
    /// A stage name that means won (repeatable; default: stages containing "won").
    #[arg(long, value_name = "STAGE")]
    pub won_stage: Vec<String>,
    /// A stage name that means lost (repeatable; default: stages containing "lost").
    #[arg(long, value_name = "STAGE")]
    pub lost_stage: Vec<String>,
}

impl Default for InputArgs {
    fn default() -> Self {
        InputArgs {
            inputs: Vec::new(),
            sheet: None,
            day_first: false,
            currency: DEFAULT_CURRENCY.into(),
            timezone: DEFAULT_TIMEZONE.into(),
            map: Vec::new(),
            won_stage: Vec::new(),
            lost_stage: Vec::new(),
        }
    }
}

/// Flags of `followup report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The files and how to read them.
    #[command(flatten)]
    pub input: InputArgs,
    /// Report folder [default: reports/<YYYY-MM, FROM_TO or "all">].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the report folder if it exists and is a followup report (or empty) that
    /// holds none of the inputs; any other folder or file is left alone (exit 2).
    #[arg(long)]
    pub force: bool,
    /// The as-of date (YYYY-MM-DD) [default: the latest touch or close in the data].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Report one calendar month (YYYY-MM).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// First day of the period (with --to).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period, inclusive (with --from).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// A first response more than DAYS after its touch is not credited to it (1 to 3650).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub reply_window: Option<u32>,
    /// Won deals with 1 + F or more touches count as revenue recovered (0 to 1000).
    #[arg(long, value_name = "F", default_value_t = DEFAULT_RECOVERED_AFTER, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub recovered_after: u32,
    /// An open deal untouched this many days counts as given up (1 to 3650).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_STALE_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub stale_days: u32,
    /// Fail (exit code 3) when any input row is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Compare groups: cadence, owner, channel or month (repeatable).
    #[arg(long, value_enum, value_name = "DIMENSION")]
    pub by: Vec<crate::model::Dimension>,
    /// Replace deal and person names with stable pseudonyms in every output.
    #[arg(long)]
    pub redact: bool,
    /// A TOML file of each cadence's planned touches (days after touch 1, channels):
    /// the report shows how closely each plan was kept, and the due list uses the
    /// planned gaps.
    #[arg(long, value_name = "FILE")]
    pub cadence_plan: Option<PathBuf>,
}

impl Default for ReportArgs {
    /// The flags as `followup report` takes them when only the inputs are given.
    fn default() -> Self {
        ReportArgs {
            input: InputArgs::default(),
            out: None,
            force: false,
            as_of: None,
            month: None,
            from: None,
            to: None,
            reply_window: None,
            recovered_after: DEFAULT_RECOVERED_AFTER,
            stale_days: DEFAULT_STALE_DAYS,
            strict: false,
            by: Vec::new(),
            redact: false,
            cadence_plan: None,
        }
    }
}

/// Flags of `followup check`: the inputs, read as `report` would read them.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The files and how to read them.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Flags of `followup map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// Guess a mapping from this spreadsheet's headers (and the values of its stage,
    /// type, direction and outcome columns).
    #[arg(long, value_name = "FILE", required = true)]
    pub init: PathBuf,
    /// Write the mapping here instead of to stdout (an existing file needs --force).
    #[arg(long, value_name = "FILE.toml")]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists and `followup map` wrote it.
    #[arg(long)]
    pub force: bool,
    /// Sheet to read from an XLSX file [default: the first].
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// Flags of `followup sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Folder to write into (created if needed; a file already there is never
    /// overwritten: exit 2).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of deals (0 to 10,000,000).
    #[arg(long, default_value_t = 2000, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=MAX_SAMPLE_DEALS))]
    pub deals: usize,
    /// Random seed (same seed, same files).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Write deals.csv + touches.csv instead of one follow-up log (canonical style only).
    #[arg(long)]
    pub split: bool,
    /// Whose files to write: the canonical log, or the same deals as a CRM exports them.
    #[arg(long, value_enum, default_value_t = SampleStyle::Canonical)]
    pub style: SampleStyle,
}

/// Most deals `followup sample` writes (the benchmark uses 1,000,000).
pub const MAX_SAMPLE_DEALS: u64 = 10_000_000;

/// `followup sample --style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SampleStyle {
    /// The follow-up log (or deals.csv + touches.csv with --split).
    Canonical,
    /// HubSpot exports: deals (CSV and XLSX), calls, emails, meetings, notes.
    Hubspot,
    /// Capsule's account-export ZIP and the API entries as JSON.
    Capsule,
    /// Pipedrive's deals export and the API activities as JSON.
    Pipedrive,
    /// Salesforce's data export: Opportunity.csv, Task.csv, Event.csv.
    Salesforce,
}
