//! The canonical writers: the follow-up log (`followup_log.csv`) or the split pair
//! `deals.csv` + `touches.csv` (SPEC §2), one deal and its rows at a time, dates as
//! precomputed text.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::model::{day_of, Activity, Deal, MINUTES_PER_DAY};
use super::names::deal_name;

/// File name of the follow-up log form.
pub(super) const LOG_FILE: &str = "followup_log.csv";
/// File name of the deals table of the split form.
pub(super) const DEALS_FILE: &str = "deals.csv";
/// File name of the touches table of the split form.
pub(super) const TOUCHES_FILE: &str = "touches.csv";

/// Header of the follow-up log form.
pub(super) const LOG_HEADER: [&str; 14] = [
    "Deal ID",
    "Deal",
    "Owner",
    "Cadence",
    "Deal stage",
    "Value",
    "Currency",
    "Created",
    "Close date",
    "Date",
    "Contact method",
    "Direction",
    "Outcome",
    "Subject",
];
/// Header of `deals.csv`.
pub(super) const DEALS_HEADER: [&str; 10] =
    ["deal_id", "name", "stage", "status", "amount", "currency", "created_at", "closed_at", "cadence", "owner"];
/// Header of `touches.csv`.
pub(super) const TOUCHES_HEADER: [&str; 6] = ["deal_id", "at", "channel", "direction", "outcome", "subject"];

/// `YYYY-MM-DD` of every day from `start` to `last_day` days after it.
pub(super) fn date_texts(start: NaiveDate, last_day: u32) -> Vec<[u8; 10]> {
    start.iter_days().take(last_day as usize + 1).map(date_text).collect()
}

fn date_text(date: NaiveDate) -> [u8; 10] {
    let mut text = *b"0000-00-00";
    let year = date.year().clamp(0, 9999) as u32;
    put_digits(&mut text[0..4], year);
    put_digits(&mut text[5..7], date.month());
    put_digits(&mut text[8..10], date.day());
    text
}

/// Writes `value` as zero-padded decimal digits filling `out`.
pub(super) fn put_digits(out: &mut [u8], mut value: u32) {
    for byte in out.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// `YYYY-MM-DD HH:MM` of a minute index.
pub(super) fn time_text(dates: &[[u8; 10]], minute: u32) -> [u8; 16] {
    let mut text = *b"0000-00-00 00:00";
    text[..10].copy_from_slice(&dates[day_of(minute) as usize]);
    let of_day = minute % MINUTES_PER_DAY;
    put_digits(&mut text[11..13], of_day / 60);
    put_digits(&mut text[14..16], of_day % 60);
    text
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

/// Text cells of one deal, in buffers reused from deal to deal.
#[derive(Default)]
pub(super) struct DealText {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) amount: String,
}

impl DealText {
    pub(super) fn fill(&mut self, index: usize, deal: &Deal) {
        use std::fmt::Write as _;
        self.id.clear();
        // Writing into a String cannot fail.
        let _ = write!(self.id, "D{:06}", index + 1);
        deal_name(&mut self.name, index);
        self.amount.clear();
        if let Some(cents) = deal.amount_cents {
            let _ = write!(self.amount, "{}.{:02}", cents / 100, cents % 100);
        }
    }
}

pub(super) type CsvFile = csv::Writer<BufWriter<File>>;

/// Creates `path` and writes its header row.
pub(super) fn csv_file(path: &Path, header: &[&str]) -> io::Result<CsvFile> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut writer = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(file);
    writer.write_record(header)?;
    Ok(writer)
}

/// The open output files: the follow-up log alone, or `deals.csv` + `touches.csv`.
pub(super) struct Output {
    /// `deals.csv` in the split form; `None` for the log form.
    pub(super) deals: Option<CsvFile>,
    /// One row per activity: `followup_log.csv` or `touches.csv`.
    pub(super) activities: CsvFile,
    pub(super) files: Vec<PathBuf>,
    /// Scratch buffer for subjects with a prefix.
    pub(super) subject: Vec<u8>,
}

impl Output {
    pub(super) fn log(path: PathBuf) -> io::Result<Self> {
        Ok(Output { deals: None, activities: csv_file(&path, &LOG_HEADER)?, files: vec![path], subject: Vec::new() })
    }

    pub(super) fn split(deals_path: PathBuf, touches_path: PathBuf) -> io::Result<Self> {
        Ok(Output {
            deals: Some(csv_file(&deals_path, &DEALS_HEADER)?),
            activities: csv_file(&touches_path, &TOUCHES_HEADER)?,
            files: vec![deals_path, touches_path],
            subject: Vec::new(),
        })
    }

    /// Writes one deal and its activities (already in time order).
    pub(super) fn write_deal(
        &mut self,
        text: &DealText,
        deal: &Deal,
        activities: &[Activity],
        dates: &[[u8; 10]],
    ) -> io::Result<()> {
        let created: &[u8] = &dates[deal.created_day as usize];
        let closed: &[u8] = match deal.close_day {
            Some(day) => &dates[day as usize],
            None => b"",
        };
        if let Some(deals) = &mut self.deals {
            deals.write_record([
                text.id.as_bytes(),
                text.name.as_bytes(),
                deal.stage.as_bytes(),
                deal.status.label().as_bytes(),
                text.amount.as_bytes(),
                deal.owner.currency.as_bytes(),
                created,
                closed,
                deal.cadence.name.as_bytes(),
                deal.owner.name.as_bytes(),
            ])?;
        }
        for activity in activities {
            let at = time_text(dates, activity.at);
            let subject = activity.subject_text(&mut self.subject);
            let channel = activity.channel.label().as_bytes();
            let direction = activity.direction.label().as_bytes();
            let outcome = activity.outcome.as_bytes();
            if self.deals.is_some() {
                self.activities.write_record([text.id.as_bytes(), &at, channel, direction, outcome, subject])?;
            } else {
                self.activities.write_record([
                    text.id.as_bytes(),
                    text.name.as_bytes(),
                    deal.owner.name.as_bytes(),
                    deal.cadence.name.as_bytes(),
                    deal.stage.as_bytes(),
                    text.amount.as_bytes(),
                    deal.owner.currency.as_bytes(),
                    created,
                    closed,
                    &at,
                    channel,
                    direction,
                    outcome,
                    subject,
                ])?;
            }
        }
        Ok(())
    }

    /// Flushes every file and returns their paths, in order.
    pub(super) fn finish(self) -> io::Result<Vec<PathBuf>> {
        for writer in self.deals.into_iter().chain([self.activities]) {
            writer.into_inner().map_err(|e| e.into_error())?.flush()?;
        }
        Ok(self.files)
    }
}
