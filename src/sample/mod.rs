//! Deterministic synthetic follow-up data (`followup sample`).
//!
//! [`write_sample`] writes a made-up but realistic sales follow-up history of a small
//! team, either as one *follow-up log* (`followup_log.csv`: one row per activity, the
//! deal columns repeated on every row with the deal's final values) or as the canonical
//! pair `deals.csv` + `touches.csv` (SPEC §2). The same [`SampleOptions`] always give
//! byte-identical files: every random draw comes from one `ChaCha8Rng` seeded with
//! [`SampleOptions::seed`], in a fixed order, and `split` only changes how the rows are
//! written, never what is generated.
//!
//! # Behavioural model
//!
//! Every number below is a constant in `sample/model.rs`.
//!
//! **Deals.** Ids `D000001`, `D000002`, …; unique company names from word lists, plus a
//! few fixed ones with accents (`Café Lumière`, `Müller GmbH`, …), a comma and a double
//! quote. Created on a uniform random day from `start` to `as_of` − 10 days. Owners:
//! Maria Lopez 24%, Tom Becker 22%, Chloé Martin 20%, Raj Patel 18%, Ben Okafor 16%;
//! Chloé Martin and Ben Okafor sell in GBP, the others in USD. Amount: log-normal
//! (median about 6,000, σ = 0.85 on the log scale) clamped to 500–60,000, mostly
//! rounded to 50, written as `4800.00`; 5% of deals have no amount.
//!
//! **Cadences.** 3% of deals have none (an ad hoc sequence); the rest follow one chosen
//! with owner-specific weights (Maria favours the 6-touch, Tom the quick emails, Ben the
//! weekly calls; overall about 30% / 48% / 19%):
//!
//! | cadence | planned touches (day after creation: channel) |
//! |---|---|
//! | `6-touch 30-day` | 1 Email, 3 Call, 7 Email, 14 Call, 21 Email, 30 Email |
//! | `3-email quick` | 1 Email, 4 Email, 8 Email |
//! | `Weekly calls` | 1, 8, 15, 22, 29, 36, 43, 50: Call |
//! | (empty) | 1 Email, 4 Call, 9 LinkedIn, 16 Text, 25 Email |
//!
//! Touch 1 lands on its day after creation; each later touch lands the cadence's gap
//! after the touch before it, scaled by the owner's pace (Tom Becker 0.7: hurried, Raj
//! Patel 1.25, Ben Okafor 1.5: slow, the others 1.0; at least a day), and 12% of touches
//! slip by 3–12 more days (a busy week). Every touch gets 0–1 days of jitter, is moved
//! from a weekend to the Monday, at a business-hours time (08:00–17:59).
//!
//! **Giving up.** Each deal draws where its owner stops if nobody answers: after touch 1
//! with probability 0.42, after touch 2 0.23, touch 3 0.13, touch 4 0.04, otherwise
//! (0.18) at the end of the cadence (a shorter cadence ends earlier).
//!
//! **Responses.** Touch k gets a response with probability (hazard)
//! `base(channel) × touch_factor(k) × cadence_factor × owner_factor × gap_factor`: base
//! Email 0.075, Call 0.095, LinkedIn 0.06, Text 0.07; touch factors 1.0, 1.3, 1.2, 1.1,
//! 1.0, 0.95, 0.9, 0.85 for touches 1–8; cadence factors 6-touch 1.1, quick emails 0.9,
//! weekly calls 1.0, none 0.9; owner factors Maria 1.15, Tom 0.9, Chloé 1.05, Raj 1.0,
//! Ben 0.85; gap factors by the calendar days since the previous touch 0–1: 0.75,
//! 2–3: 1.25, 4–7: 1.0, 8–14: 0.8, 15+: 0.6 (touch 1: 1.0).
//! Most hazards thus lie between 0.06 and 0.12, and later touches still get answers.
//! An email, text or LinkedIn touch is answered by an inbound `Replied` row; the delay
//! depends on the channel (same day, 1, 2, 3, 4–7, 8–14 days): email 28%, 27%, 15%,
//! 10%, 13%, 7%; text 70%, 20%, 7%, 3%; LinkedIn 15%, 25%, 20%, 15%, 18%, 7%. Cadence
//! touches that fall before the reply still go out. A call is answered by itself:
//! outcome `Connected`. Unanswered calls are `Left voicemail` 50%, `No answer` 35%,
//! `Busy` 12%, `Wrong number` 3%.
//!
//! **Noise.** 1% of outbound emails bounce (`Bounced`, never answered); 3% of the
//! others get an automatic reply 1–6 minutes later (inbound Email, no outcome, subject
//! `Automatic reply: …` or `Out of Office: …`). 10% of deals get one internal `Note`
//! row (no direction), dated between the creation day and the deal's last activity.
//!
//! **Inbound-initiated.** 7% of deals start with an inbound `Replied` email
//! "Website enquiry" on the creation day, answered like a reply (below), then the
//! after-response path follows with a 0.5 win chance after a meeting.
//!
//! **Answering.** A reply (or an enquiry) is answered by its owner within an hour,
//! 1–24 hours, 1–3 days, 3–9 days, or never, with owner weights (Maria 36/40/14/7/3%,
//! Tom 20/40/22/13/5%, Chloé 30/40/18/9/3%, Raj 25/40/20/10/5%, Ben 12/33/28/20/7%):
//! a Call 40% of the time (`Connected` 70%, else `Left voicemail`), else an Email
//! ("Thanks for getting back to me", "Re: Website enquiry"). The win chance after a
//! meeting is multiplied by 1.35, 1.0, 0.7, 0.45 for these bands. A prospect never
//! answered is marked lost 14–45 days later (70%) or stays open; so does one whose
//! answer would fall after `as_of` (the report's "waiting on us"). A connected call
//! needs no answer: the meeting path follows it directly.
//!
//! **Opt-outs.** 2.5% of the other deals unsubscribe (inbound Email, outcome
//! `Unsubscribed`) 30 minutes to 2 days after one of their touches, drawn uniformly up
//! to the give-up point; the cadence stops there, but 30% of them get one more outbound
//! touch 3–14 days later ("contacted after opting out"). They are then treated like
//! silent deals.
//!
//! **After a response** (the connected call, or our answer to a reply). 80% get a
//! Meeting 2–10 days later (on the hour or half hour,
//! `Held` 80%, `No show` 10%, no outcome 10%); after a meeting that took place, 50% get
//! a "Proposal attached" email 1–3 days later. The deal closes 5–30 days after the
//! meeting: won with probability 0.42 (0.2 after a no-show) × owner win factor
//! (Maria 1.1, Tom 0.9, Chloé 1.0, Raj 1.05, Ben 0.95), else lost. Won deals get a final
//! `Connected` call on the close day 35% of the time and 1–2 post-sale touches (a
//! `Connected` Call or an "Onboarding" Email) 1–14 days after it; lost ones a last email
//! on the close day 20% of the time. Responses without a meeting are lost 3–20 days
//! later.
//!
//! **No response.** When the owner stops, the deal is lost 3–20 days after its last
//! touch (80%) or left open (20%: a stale deal). Deals whose cadence is still running at
//! `as_of`, or whose reply, meeting or close date would fall after it, stay open. Open
//! deals have no close date and stage `New` (20% of the silent ones: the owner never
//! updated it), `Contacted`, `Meeting booked` or `Proposal sent`; closed ones
//! `Closed Won` or `Closed Lost` (`won` / `lost` / `open` in the split form's `status`).
//!
//! Nothing is dated after the end of `as_of`. Measured on 100,000 deals with the
//! defaults: 2.78 activity rows per deal (every row counted: inbound, notes, post-sale),
//! 7.0% of deals won, 73.3% lost, 19.7% open; the hazard by touch (SPEC §3) is about
//! 0.07 for touch 1, 0.12 for touch 2 and 0.07–0.10 after.

//!
//! # Layout
//!
//! `model` holds those constants and the types of a generated deal, `names` the fixed
//! text (subjects, company names), `generate` the one random generator that draws the
//! deals, and `write` the canonical CSV writers. The CRM-style writers
//! ([`capsule`], [`hubspot`], [`pipedrive`], [`salesforce`]) translate the split canonical sample
//! ([`with_split_sample`]) row by row, so every style holds the very same deals.

pub mod capsule;
mod generate;
pub mod hubspot;
mod model;
mod names;
pub mod pipedrive;
pub mod salesforce;
mod write;

#[cfg(test)]
mod tests;

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use generate::Generator;
use write::{date_texts, DealText, Output, DEALS_FILE, LOG_FILE, TOUCHES_FILE};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleOptions {
    /// Number of deals.
    pub deals: usize,
    /// Seed of the random generator; the same options give byte-identical files.
    pub seed: u64,
    /// `false`: one follow-up log file; `true`: `deals.csv` + `touches.csv`.
    pub split: bool,
    /// Earliest deal creation date.
    pub start: NaiveDate,
    /// Nothing is dated after the end of this day.
    pub as_of: NaiveDate,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            deals: 2000,
            seed: 42,
            split: false,
            start: NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid constant date"),
            as_of: NaiveDate::from_ymd_opt(2026, 10, 31).expect("valid constant date"),
        }
    }
}

/// What [`write_sample`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSummary {
    /// Number of deals.
    pub deals: usize,
    /// Number of activity rows (touches, inbound replies, notes, post-sale touches).
    pub touch_rows: usize,
    /// The files written, in order.
    pub files: Vec<PathBuf>,
}

/// A deal of the split canonical sample, read back from its `deals.csv` (the columns of
/// its header, as written).
#[derive(Debug, Clone)]
pub struct SplitDeal {
    /// `deal_id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `stage`.
    pub stage: String,
    /// `status`.
    pub status: String,
    /// `amount`.
    pub amount: String,
    /// `currency`.
    pub currency: String,
    /// `created_at`.
    pub created: String,
    /// `closed_at`.
    pub closed: String,
    /// `cadence`.
    pub cadence: String,
    /// `owner`.
    pub owner: String,
}

/// The canonical sample in its split form, for the CRM-style writers: generates it into
/// a scratch folder, reads the deals back and hands them to `convert` with a reader over
/// `touches.csv` (columns `deal_id, at, channel, direction, outcome, subject`), then
/// removes the folder. Every style thus writes the very deals of the canonical sample.
pub fn with_split_sample<T>(
    opts: &SampleOptions,
    convert: impl FnOnce(SampleSummary, Vec<SplitDeal>, csv::Reader<File>) -> io::Result<T>,
) -> io::Result<T> {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let scratch = std::env::temp_dir().join(format!("followup-sample-{}-{run}", std::process::id()));
    let bad = |e: &dyn std::fmt::Display| {
        io::Error::new(io::ErrorKind::InvalidData, format!("reading the canonical sample back: {e}"))
    };
    let result = (|| {
        let summary = write_sample(&SampleOptions { split: true, ..opts.clone() }, &scratch)?;
        let mut deals = Vec::with_capacity(opts.deals);
        for rec in csv::Reader::from_path(scratch.join(DEALS_FILE)).map_err(|e| bad(&e))?.records() {
            let r = rec.map_err(|e| bad(&e))?;
            let c = |i: usize| r.get(i).unwrap_or("").to_owned();
            deals.push(SplitDeal {
                id: c(0),
                name: c(1),
                stage: c(2),
                status: c(3),
                amount: c(4),
                currency: c(5),
                created: c(6),
                closed: c(7),
                cadence: c(8),
                owner: c(9),
            });
        }
        let touches = csv::Reader::from_path(scratch.join(TOUCHES_FILE)).map_err(|e| bad(&e))?;
        convert(summary, deals, touches)
    })();
    let _ = fs::remove_dir_all(&scratch);
    result
}

/// Generates the sample into `out_dir` (created if needed) and returns what was written.
///
/// Fails with `InvalidInput` when `as_of` is before `start` or more than 100 years
/// after it, and with the underlying error when a file cannot be written.
pub fn write_sample(opts: &SampleOptions, out_dir: &Path) -> io::Result<SampleSummary> {
    let mut generator = Generator::new(opts)?;
    let dates = date_texts(opts.start, generator.last_day);
    fs::create_dir_all(out_dir)?;
    let mut output = if opts.split {
        Output::split(out_dir.join(DEALS_FILE), out_dir.join(TOUCHES_FILE))?
    } else {
        Output::log(out_dir.join(LOG_FILE))?
    };
    let mut text = DealText::default();
    let mut touch_rows = 0;
    for index in 0..opts.deals {
        let deal = generator.generate_deal();
        text.fill(index, &deal);
        output.write_deal(&text, &deal, &generator.activities, &dates)?;
        touch_rows += generator.activities.len();
    }
    let files = output.finish()?;
    Ok(SampleSummary { deals: opts.deals, touch_rows, files })
}
