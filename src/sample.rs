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
//! Every number below is a constant of this module.
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
//! A touch lands on its day plus 0–1 days of jitter, moved from a weekend to the
//! Monday, at a business-hours time (08:00–17:59).
//!
//! **Giving up.** Each deal draws where its owner stops if nobody answers: after touch 1
//! with probability 0.47, after touch 2 0.25, touch 3 0.14, touch 4 0.03, otherwise
//! (0.11) at the end of the cadence (a shorter cadence ends earlier).
//!
//! **Responses.** Touch k gets a response with probability (hazard)
//! `base(channel) × touch_factor(k) × cadence_factor × owner_factor`: base Email 0.075,
//! Call 0.095, LinkedIn 0.06, Text 0.07; touch factors 1.0, 1.3, 1.2, 1.1, 1.0, 0.95,
//! 0.9, 0.85 for touches 1–8; cadence factors 6-touch 1.1, quick emails 0.9, weekly
//! calls 1.0, none 0.9; owner factors Maria 1.15, Tom 0.9, Chloé 1.05, Raj 1.0, Ben 0.85.
//! Most hazards thus lie between 0.06 and 0.12, and later touches still get answers.
//! An email, text or LinkedIn touch is answered by an inbound `Replied` row 0–3 days
//! later (same day 45%, next days 30%, 15%, 10%); cadence touches that fall before the
//! reply still go out. A call is answered by itself: outcome `Connected`. Unanswered
//! calls are `Left voicemail` 50%, `No answer` 35%, `Busy` 12%, `Wrong number` 3%.
//!
//! **Noise.** 1% of outbound emails bounce (`Bounced`, never answered); 3% of the
//! others get an automatic reply 1–6 minutes later (inbound Email, no outcome, subject
//! `Automatic reply: …` or `Out of Office: …`). 10% of deals get one internal `Note`
//! row (no direction), dated between the creation day and the deal's last activity.
//!
//! **Inbound-initiated.** 5% of deals start with an inbound `Replied` email
//! "Website enquiry" on the creation day; the owner answers the same day or the next
//! working day (a Call, `Connected` 70%, or an Email "Re: Website enquiry"), then the
//! after-response path follows with a 0.5 win chance after a meeting.
//!
//! **Opt-outs.** 1.5% of the other deals unsubscribe (inbound Email, outcome
//! `Unsubscribed`) 30 minutes to 2 days after one of their touches, drawn uniformly up
//! to the give-up point; the cadence stops there, but 30% of them get one more outbound
//! touch 3–14 days later ("contacted after opting out"). They are then treated like
//! silent deals.
//!
//! **After a response.** 80% get a Meeting 2–10 days later (on the hour or half hour,
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
//! defaults: 2.48 activity rows per deal (every row counted: inbound, notes, post-sale),
//! 6.4% of deals won, 74.8% lost, 18.8% open; the hazard by touch (SPEC §3) is about
//! 0.07 for touch 1, 0.12 for touch 2 and 0.08–0.10 after.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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

/// File name of the follow-up log form.
const LOG_FILE: &str = "followup_log.csv";
/// File name of the deals table of the split form.
const DEALS_FILE: &str = "deals.csv";
/// File name of the touches table of the split form.
const TOUCHES_FILE: &str = "touches.csv";

/// Header of the follow-up log form.
const LOG_HEADER: [&str; 14] = [
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
const DEALS_HEADER: [&str; 10] = [
    "deal_id",
    "name",
    "stage",
    "status",
    "amount",
    "currency",
    "created_at",
    "closed_at",
    "cadence",
    "owner",
];
/// Header of `touches.csv`.
const TOUCHES_HEADER: [&str; 6] = [
    "deal_id",
    "at",
    "channel",
    "direction",
    "outcome",
    "subject",
];

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
    let bad = |e: &dyn std::fmt::Display| io::Error::new(io::ErrorKind::InvalidData, format!("reading the canonical sample back: {e}"));
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
        output.write_deal(&text, &deal, &generator.activities, &generator.dates)?;
        touch_rows += generator.activities.len();
    }
    let files = output.finish()?;
    Ok(SampleSummary {
        deals: opts.deals,
        touch_rows,
        files,
    })
}

// ---------------------------------------------------------------------------------------
// Model constants
// ---------------------------------------------------------------------------------------

const MINUTES_PER_DAY: u32 = 24 * 60;
/// Business hours for outbound touches: 08:00 to 17:59.
const BUSINESS_MINUTES: std::ops::Range<u32> = 8 * 60..18 * 60;
/// Deals are created up to this many days before `as_of`.
const CREATION_MARGIN_DAYS: u32 = 10;
/// Longest accepted `as_of - start` (100 years): minute counts stay well inside `u32`.
const MAX_SPAN_DAYS: i64 = 36_600;

/// Share of deals without an amount.
const EMPTY_AMOUNT: f64 = 0.05;
/// Log-normal amount: ln of the median (e^8.7 ≈ 6,000) and σ of ln(amount).
const AMOUNT_LN_MEDIAN: f64 = 8.7;
const AMOUNT_LN_SIGMA: f64 = 0.85;
/// Amounts are clamped to this range.
const AMOUNT_MIN: f64 = 500.0;
const AMOUNT_MAX: f64 = 60_000.0;

/// Share of deals that start with a website enquiry.
const INBOUND_INITIATED: f64 = 0.05;
/// Share of the other deals that unsubscribe.
const OPT_OUT: f64 = 0.015;
/// Share of opted-out deals that get one more outbound touch.
const TOUCH_AFTER_OPT_OUT: f64 = 0.30;
/// Share of outbound emails that bounce.
const BOUNCE: f64 = 0.01;
/// Share of delivered outbound emails answered by an automatic reply.
const AUTO_REPLY: f64 = 0.03;
/// Share of deals with an internal note.
const NOTE: f64 = 0.10;
/// Delay of a reply: same day, 1, 2, 3 days later.
const REPLY_DELAY_DAYS: [f64; 4] = [0.45, 0.30, 0.15, 0.10];
/// Stop after touch 1, 2, 3, 4, or never (whole cadence), when nobody answers.
const GIVE_UP: [f64; 5] = [0.47, 0.25, 0.14, 0.03, 0.11];
/// Response hazard multiplier for touch 1, 2, …, 8 (and beyond).
const TOUCH_FACTOR: [f64; 8] = [1.0, 1.3, 1.2, 1.1, 1.0, 0.95, 0.9, 0.85];
/// Outcomes of an unanswered call.
const CALL_NO_RESPONSE: [(&str, f64); 4] = [
    ("Left voicemail", 0.50),
    ("No answer", 0.35),
    ("Busy", 0.12),
    ("Wrong number", 0.03),
];

/// Share of responses followed by a meeting.
const MEETING_AFTER_RESPONSE: f64 = 0.80;
/// Meeting outcomes: Held, No show, none (counts as held).
const MEETING_OUTCOMES: [(&str, f64); 3] = [("Held", 0.80), ("No show", 0.10), ("", 0.10)];
/// Share of meetings that took place followed by a proposal email.
const PROPOSAL_AFTER_MEETING: f64 = 0.50;
/// Win probability after a meeting that took place (before the owner's win factor).
const WIN_AFTER_MEETING: f64 = 0.42;
/// The same for inbound-initiated deals.
const WIN_AFTER_ENQUIRY: f64 = 0.50;
/// Win probability after a no-show.
const WIN_AFTER_NO_SHOW: f64 = 0.20;
/// Share of won deals with a `Connected` call on the close day.
const FINAL_CALL_ON_CLOSE_DAY: f64 = 0.35;
/// Share of deals lost after a response with a last email on the close day.
const LOST_EMAIL_ON_CLOSE_DAY: f64 = 0.20;
/// Share of silent deals the owner stopped chasing that are marked lost.
const LOST_WHEN_SILENT: f64 = 0.80;
/// Share of silent open deals whose stage is still `New`.
const STAGE_NEVER_UPDATED: f64 = 0.20;

/// A sales rep.
struct Owner {
    name: &'static str,
    currency: &'static str,
    /// Share of deals.
    weight: f64,
    response_factor: f64,
    win_factor: f64,
    /// Weights of [`CADENCES`], in order.
    cadence_weights: [f64; 4],
}

const OWNERS: [Owner; 5] = [
    Owner {
        name: "Maria Lopez",
        currency: "USD",
        weight: 0.24,
        response_factor: 1.15,
        win_factor: 1.1,
        cadence_weights: [0.45, 0.37, 0.15, 0.03],
    },
    Owner {
        name: "Tom Becker",
        currency: "USD",
        weight: 0.22,
        response_factor: 0.9,
        win_factor: 0.9,
        cadence_weights: [0.20, 0.62, 0.15, 0.03],
    },
    Owner {
        name: "Chloé Martin",
        currency: "GBP",
        weight: 0.20,
        response_factor: 1.05,
        win_factor: 1.0,
        cadence_weights: [0.35, 0.47, 0.15, 0.03],
    },
    Owner {
        name: "Raj Patel",
        currency: "USD",
        weight: 0.18,
        response_factor: 1.0,
        win_factor: 1.05,
        cadence_weights: [0.30, 0.42, 0.25, 0.03],
    },
    Owner {
        name: "Ben Okafor",
        currency: "GBP",
        weight: 0.16,
        response_factor: 0.85,
        win_factor: 0.95,
        cadence_weights: [0.17, 0.40, 0.40, 0.03],
    },
];

/// One planned touch of a cadence.
struct Step {
    /// Days after the creation day.
    day: u32,
    channel: Channel,
}

const fn step(day: u32, channel: Channel) -> Step {
    Step { day, channel }
}

/// A follow-up sequence.
struct Cadence {
    /// Empty for deals without a cadence.
    name: &'static str,
    steps: &'static [Step],
    response_factor: f64,
}

const CADENCES: [Cadence; 4] = [
    Cadence {
        name: "6-touch 30-day",
        steps: &[
            step(1, Channel::Email),
            step(3, Channel::Call),
            step(7, Channel::Email),
            step(14, Channel::Call),
            step(21, Channel::Email),
            step(30, Channel::Email),
        ],
        response_factor: 1.1,
    },
    Cadence {
        name: "3-email quick",
        steps: &[
            step(1, Channel::Email),
            step(4, Channel::Email),
            step(8, Channel::Email),
        ],
        response_factor: 0.9,
    },
    Cadence {
        name: "Weekly calls",
        steps: &[
            step(1, Channel::Call),
            step(8, Channel::Call),
            step(15, Channel::Call),
            step(22, Channel::Call),
            step(29, Channel::Call),
            step(36, Channel::Call),
            step(43, Channel::Call),
            step(50, Channel::Call),
        ],
        response_factor: 1.0,
    },
    Cadence {
        name: "",
        steps: &[
            step(1, Channel::Email),
            step(4, Channel::Call),
            step(9, Channel::LinkedIn),
            step(16, Channel::Text),
            step(25, Channel::Email),
        ],
        response_factor: 0.9,
    },
];

/// Subjects of the k-th email of a sequence and of the answers it can get.
struct EmailSubject {
    sent: &'static str,
    reply: &'static str,
}

const fn email_subject(sent: &'static str, reply: &'static str) -> EmailSubject {
    EmailSubject { sent, reply }
}

/// Subject prefixes of automatic replies.
const AUTO_REPLY_PREFIXES: [&str; 2] = ["Automatic reply: ", "Out of Office: "];

/// Emails of a sequence, by their rank among the cadence's emails; the cadence's last
/// touch, when it is an email, uses [`LAST_EMAIL_SUBJECT`].
const EMAIL_SUBJECTS: [EmailSubject; 4] = [
    email_subject("Intro: quick question", "Re: Intro: quick question"),
    email_subject("Following up", "Re: Following up"),
    email_subject("Checking in", "Re: Checking in"),
    email_subject("Case study, as promised", "Re: Case study, as promised"),
];
const LAST_EMAIL_SUBJECT: EmailSubject = email_subject("Closing the loop", "Re: Closing the loop");

const NOTE_SUBJECTS: [&str; 5] = [
    "Researched company, decision maker is the COO",
    "Asked for the \"Standard\" price sheet",
    "Budget review in Q3",
    "Gatekeeper: call after 10am",
    "Spoke to reception, call back next week",
];

const NAME_FIRST: [&str; 30] = [
    "Northwind",
    "Bluebird",
    "Summit",
    "Harbor",
    "Granite",
    "Maple",
    "Crescent",
    "Redwood",
    "Silverline",
    "Brightwater",
    "Oakridge",
    "Ironbridge",
    "Lakeside",
    "Pinecrest",
    "Riverstone",
    "Sunrise",
    "Evergreen",
    "Falcon",
    "Beacon",
    "Cobalt",
    "Meridian",
    "Atlas",
    "Vertex",
    "Horizon",
    "Keystone",
    "Juniper",
    "Willow",
    "Aspen",
    "Cedar",
    "Copperfield",
];
const NAME_SECOND: [&str; 30] = [
    "Logistics",
    "Dental",
    "Bakery",
    "Consulting",
    "Design",
    "Engineering",
    "Foods",
    "Fitness",
    "Legal",
    "Media",
    "Motors",
    "Printing",
    "Roofing",
    "Software",
    "Studio",
    "Supplies",
    "Systems",
    "Travel",
    "Ventures",
    "Analytics",
    "Builders",
    "Catering",
    "Clinics",
    "Electric",
    "Events",
    "Flooring",
    "Health",
    "Interiors",
    "Labs",
    "Marine",
];
const NAME_SUFFIX: [&str; 8] = [
    "Ltd", "LLC", "Inc", "& Co", "Group", "Partners", "Holdings", "",
];
/// Distinct first × second × suffix combinations.
const NAME_COMBINATIONS: usize = NAME_FIRST.len() * NAME_SECOND.len() * NAME_SUFFIX.len();
/// Coprime with [`NAME_COMBINATIONS`] (7,200): scatters consecutive deals over the lists.
const NAME_STRIDE: usize = 7919;
/// Fixed names (by deal index) that exercise non-ASCII text and CSV quoting.
const SPECIAL_NAMES: [(usize, &str); 6] = [
    (3, "Café Lumière"),
    (8, "Müller GmbH"),
    (14, "Smith, Jones & Partners"),
    (21, "The \"Corner\" Bakery"),
    (33, "Øresund Trading ApS"),
    (47, "Señora Pérez Imports"),
];

// ---------------------------------------------------------------------------------------
// Generated values
// ---------------------------------------------------------------------------------------

/// Contact method of an activity row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Email,
    Call,
    Meeting,
    Text,
    LinkedIn,
    /// Internal note: not a touch.
    Note,
}

impl Channel {
    fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Call => "Call",
            Channel::Meeting => "Meeting",
            Channel::Text => "Text",
            Channel::LinkedIn => "LinkedIn",
            Channel::Note => "Note",
        }
    }

    /// Base per-touch response probability.
    fn base_hazard(self) -> f64 {
        match self {
            Channel::Call => 0.095,
            Channel::LinkedIn => 0.06,
            Channel::Text => 0.07,
            Channel::Email | Channel::Meeting | Channel::Note => 0.075,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Outbound,
    Inbound,
    /// Notes: the direction cell is left empty.
    Internal,
}

impl Direction {
    fn label(self) -> &'static str {
        match self {
            Direction::Outbound => "Outbound",
            Direction::Inbound => "Inbound",
            Direction::Internal => "",
        }
    }
}

/// One activity row.
#[derive(Debug, Clone, Copy)]
struct Activity {
    /// Minutes since `start` 00:00.
    at: u32,
    channel: Channel,
    direction: Direction,
    outcome: &'static str,
    /// Written before `subject` (automatic replies quote the subject they answer).
    subject_prefix: &'static str,
    subject: &'static str,
}

impl Activity {
    /// The subject cell (prefix and subject), assembled in `buf`.
    fn subject_text<'a>(&self, buf: &'a mut Vec<u8>) -> &'a [u8] {
        buf.clear();
        buf.extend_from_slice(self.subject_prefix.as_bytes());
        buf.extend_from_slice(self.subject.as_bytes());
        buf
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Won,
    Lost,
    Open,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Open => "open",
        }
    }
}

/// The final state of one deal.
struct Deal {
    owner: &'static Owner,
    cadence: &'static Cadence,
    /// Days since `start`.
    created_day: u32,
    amount_cents: Option<u64>,
    status: Status,
    stage: &'static str,
    /// Days since `start`; `None` for open deals.
    close_day: Option<u32>,
}

impl Deal {
    fn close(&mut self, status: Status, day: u32) {
        self.status = status;
        self.close_day = Some(day);
        self.stage = if status == Status::Won {
            "Closed Won"
        } else {
            "Closed Lost"
        };
    }

    fn keep_open(&mut self, stage: &'static str) {
        self.status = Status::Open;
        self.close_day = None;
        self.stage = stage;
    }
}

// ---------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------

/// Draws deals one by one; `activities` holds the rows of the last deal, in time order.
struct Generator {
    rng: ChaCha8Rng,
    /// `YYYY-MM-DD` of every day from `start` to `as_of`.
    dates: Vec<[u8; 10]>,
    /// Day index of `as_of`.
    last_day: u32,
    /// First minute after the end of `as_of`: nothing is generated from here on.
    limit: u32,
    last_created_day: u32,
    /// Weekday of `start`, Monday = 0.
    start_weekday: u32,
    activities: Vec<Activity>,
}

impl Generator {
    fn new(opts: &SampleOptions) -> io::Result<Self> {
        let span = (opts.as_of - opts.start).num_days();
        if !(0..=MAX_SPAN_DAYS).contains(&span) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "sample dates: as_of {} must be on or after start {} and within 100 years of it",
                    opts.as_of, opts.start
                ),
            ));
        }
        let last_day = span as u32;
        let dates = opts
            .start
            .iter_days()
            .take(last_day as usize + 1)
            .map(date_text)
            .collect();
        Ok(Generator {
            rng: ChaCha8Rng::seed_from_u64(opts.seed),
            dates,
            last_day,
            limit: (last_day + 1) * MINUTES_PER_DAY,
            last_created_day: last_day.saturating_sub(CREATION_MARGIN_DAYS),
            start_weekday: opts.start.weekday().num_days_from_monday(),
            activities: Vec::with_capacity(32),
        })
    }

    /// Draws the next deal; its rows are left in `self.activities`, sorted by time.
    fn generate_deal(&mut self) -> Deal {
        self.activities.clear();
        let owner = &OWNERS[pick(&mut self.rng, OWNERS.iter().map(|o| o.weight))];
        let cadence = &CADENCES[pick(&mut self.rng, owner.cadence_weights)];
        let created_day = self.rng.random_range(0..=self.last_created_day);
        let amount_cents = if self.rng.random_bool(EMPTY_AMOUNT) {
            None
        } else {
            Some(self.amount_cents())
        };
        let mut deal = Deal {
            owner,
            cadence,
            created_day,
            amount_cents,
            status: Status::Open,
            stage: "Contacted",
            close_day: None,
        };

        if self.rng.random_bool(INBOUND_INITIATED) {
            self.inbound_initiated(&mut deal);
        } else {
            self.outbound_sequence(&mut deal);
        }
        if self.rng.random_bool(NOTE) {
            self.add_note(created_day);
        }
        // Stable: rows at the same minute keep their generation order.
        self.activities.sort_by_key(|a| a.at);
        deal
    }

    /// A prospect who wrote in first: the enquiry, the owner's answer, then the
    /// after-response path.
    fn inbound_initiated(&mut self, deal: &mut Deal) {
        let enquiry = deal.created_day * MINUTES_PER_DAY + self.business_minute();
        self.push(
            enquiry,
            Channel::Email,
            Direction::Inbound,
            "Replied",
            "Website enquiry",
        );
        let answer = if self.rng.random_bool(0.5) {
            enquiry + self.rng.random_range(30..=240)
        } else {
            self.business_time(deal.created_day + 1)
        };
        if self.rng.random_bool(0.6) {
            let outcome = if self.rng.random_bool(0.7) {
                "Connected"
            } else {
                "Left voicemail"
            };
            self.push(answer, Channel::Call, Direction::Outbound, outcome, "");
        } else {
            self.push(
                answer,
                Channel::Email,
                Direction::Outbound,
                "Sent",
                "Re: Website enquiry",
            );
        }
        self.after_response(deal, enquiry, WIN_AFTER_ENQUIRY);
    }

    /// The cadence: touches until a response, an opt-out, the give-up point or `as_of`.
    fn outbound_sequence(&mut self, deal: &mut Deal) {
        let steps = deal.cadence.steps;
        let opt_out = self.rng.random_bool(OPT_OUT);
        let stop_after = match pick(&mut self.rng, GIVE_UP) {
            whole_cadence if whole_cadence + 1 == GIVE_UP.len() => steps.len(),
            after => (after + 1).min(steps.len()),
        };
        let opt_out_after = if opt_out {
            Some(self.rng.random_range(0..stop_after))
        } else {
            None
        };

        let mut response: Option<u32> = None;
        let mut last_touch = deal.created_day * MINUTES_PER_DAY;
        let mut still_running = false;
        let mut emails_sent = 0;
        for (k, step) in steps.iter().enumerate().take(stop_after) {
            let jitter = self.rng.random_range(0..=1);
            let mut at = self.business_time(deal.created_day + step.day + jitter);
            if at <= last_touch {
                // A weekend shift put two touches on one day: keep them in order.
                at = last_touch + self.rng.random_range(20..=90);
            }
            if response.is_some_and(|r| r <= at) {
                break;
            }
            if at >= self.limit {
                still_running = true;
                break;
            }
            last_touch = at;
            let hazard = step.channel.base_hazard()
                * TOUCH_FACTOR[k.min(TOUCH_FACTOR.len() - 1)]
                * deal.cadence.response_factor
                * deal.owner.response_factor;
            let may_respond = response.is_none() && opt_out_after.is_none();
            match step.channel {
                Channel::Call => {
                    if may_respond && self.rng.random_bool(hazard) {
                        response = Some(at);
                        self.push(at, Channel::Call, Direction::Outbound, "Connected", "");
                    } else {
                        let outcome =
                            CALL_NO_RESPONSE[pick(&mut self.rng, CALL_NO_RESPONSE.map(|c| c.1))].0;
                        self.push(at, Channel::Call, Direction::Outbound, outcome, "");
                    }
                }
                Channel::Email => {
                    let subject = if k + 1 == steps.len() {
                        &LAST_EMAIL_SUBJECT
                    } else {
                        &EMAIL_SUBJECTS[emails_sent.min(EMAIL_SUBJECTS.len() - 1)]
                    };
                    emails_sent += 1;
                    if self.rng.random_bool(BOUNCE) {
                        self.push(
                            at,
                            Channel::Email,
                            Direction::Outbound,
                            "Bounced",
                            subject.sent,
                        );
                    } else {
                        self.push(
                            at,
                            Channel::Email,
                            Direction::Outbound,
                            "Sent",
                            subject.sent,
                        );
                        if self.rng.random_bool(AUTO_REPLY) {
                            let prefix = AUTO_REPLY_PREFIXES
                                [self.rng.random_range(0..AUTO_REPLY_PREFIXES.len())];
                            let auto_at = at + self.rng.random_range(1..=6);
                            if auto_at < self.limit {
                                self.activities.push(Activity {
                                    at: auto_at,
                                    channel: Channel::Email,
                                    direction: Direction::Inbound,
                                    outcome: "",
                                    subject_prefix: prefix,
                                    subject: subject.sent,
                                });
                            }
                        }
                        if may_respond && self.rng.random_bool(hazard) {
                            let reply = self.reply_time(at);
                            response = Some(reply);
                            self.push(
                                reply,
                                Channel::Email,
                                Direction::Inbound,
                                "Replied",
                                subject.reply,
                            );
                        }
                    }
                }
                channel => {
                    self.push(at, channel, Direction::Outbound, "Sent", "");
                    if may_respond && self.rng.random_bool(hazard) {
                        let reply = self.reply_time(at);
                        response = Some(reply);
                        self.push(reply, channel, Direction::Inbound, "Replied", "");
                    }
                }
            }
            if opt_out_after == Some(k) {
                if let Some(touch) = self.opt_out(at, steps.get(k + 1).map(|s| s.channel)) {
                    last_touch = touch;
                }
                break;
            }
        }

        match response {
            Some(at) if at < self.limit => self.after_response(deal, at, WIN_AFTER_MEETING),
            // A reply dated after `as_of` has not happened yet.
            Some(_) => self.leave_silent_open(deal),
            None if still_running => self.leave_silent_open(deal),
            None => {
                let close_day = day_of(last_touch) + self.rng.random_range(3..=20);
                if close_day <= self.last_day && self.rng.random_bool(LOST_WHEN_SILENT) {
                    deal.close(Status::Lost, close_day);
                } else {
                    self.leave_silent_open(deal);
                }
            }
        }
    }

    /// An unsubscribe after the touch at `touch`, sometimes followed by one more touch
    /// (on the cadence's next channel). Returns the time of that extra touch when it
    /// was written (not after `as_of`).
    fn opt_out(&mut self, touch: u32, next_channel: Option<Channel>) -> Option<u32> {
        let unsubscribe = touch + self.rng.random_range(30..=2 * MINUTES_PER_DAY);
        self.push(
            unsubscribe,
            Channel::Email,
            Direction::Inbound,
            "Unsubscribed",
            "Unsubscribe",
        );
        if !self.rng.random_bool(TOUCH_AFTER_OPT_OUT) {
            return None;
        }
        let day = day_of(unsubscribe) + self.rng.random_range(3..=14);
        let at = self.business_time(day);
        match next_channel.unwrap_or(Channel::Email) {
            Channel::Email => self.push(
                at,
                Channel::Email,
                Direction::Outbound,
                "Sent",
                "Checking in",
            ),
            Channel::Call => {
                self.push(at, Channel::Call, Direction::Outbound, "Left voicemail", "")
            }
            channel => self.push(at, channel, Direction::Outbound, "Sent", ""),
        }
        Some(at).filter(|&at| at < self.limit)
    }

    /// Meeting, proposal and close after the first response at `response`.
    fn after_response(&mut self, deal: &mut Deal, response: u32, win_after_meeting: f64) {
        let response_day = day_of(response);
        if !self.rng.random_bool(MEETING_AFTER_RESPONSE) {
            let close_day = response_day + self.rng.random_range(3..=20);
            if close_day <= self.last_day {
                deal.close(Status::Lost, close_day);
            } else {
                deal.keep_open("Contacted");
            }
            return;
        }

        let meeting_delay = self.rng.random_range(2..=10);
        let meeting_day = self.business_day(response_day + meeting_delay);
        // On the hour or half hour, 09:00 to 16:30.
        let meeting = meeting_day * MINUTES_PER_DAY + 9 * 60 + 30 * self.rng.random_range(0..16);
        if meeting >= self.limit {
            deal.keep_open("Meeting booked");
            return;
        }
        let outcome = MEETING_OUTCOMES[pick(&mut self.rng, MEETING_OUTCOMES.map(|m| m.1))].0;
        self.push(
            meeting,
            Channel::Meeting,
            Direction::Outbound,
            outcome,
            "Discovery meeting",
        );
        let took_place = outcome != "No show";
        let mut proposal_sent = false;
        if took_place && self.rng.random_bool(PROPOSAL_AFTER_MEETING) {
            let delay = self.rng.random_range(1..=3);
            let at = self.business_time(meeting_day + delay);
            self.push(
                at,
                Channel::Email,
                Direction::Outbound,
                "Sent",
                "Proposal attached",
            );
            proposal_sent = at < self.limit;
        }

        let close_day = meeting_day + self.rng.random_range(5..=30);
        if close_day > self.last_day {
            deal.keep_open(if proposal_sent {
                "Proposal sent"
            } else {
                "Meeting booked"
            });
            return;
        }
        let win = if took_place {
            win_after_meeting
        } else {
            WIN_AFTER_NO_SHOW
        };
        if self.rng.random_bool((win * deal.owner.win_factor).min(1.0)) {
            deal.close(Status::Won, close_day);
            if self.rng.random_bool(FINAL_CALL_ON_CLOSE_DAY) {
                let at = close_day * MINUTES_PER_DAY + self.business_minute();
                self.push(at, Channel::Call, Direction::Outbound, "Connected", "");
            }
            let post_sale = self.rng.random_range(1..=2);
            for _ in 0..post_sale {
                let delay = self.rng.random_range(1..=14);
                let at = self.business_time(close_day + delay);
                if self.rng.random_bool(0.5) {
                    self.push(at, Channel::Call, Direction::Outbound, "Connected", "");
                } else {
                    self.push(
                        at,
                        Channel::Email,
                        Direction::Outbound,
                        "Sent",
                        "Onboarding",
                    );
                }
            }
        } else {
            deal.close(Status::Lost, close_day);
            if self.rng.random_bool(LOST_EMAIL_ON_CLOSE_DAY) {
                let at = close_day * MINUTES_PER_DAY + self.business_minute();
                let subject = if proposal_sent {
                    "Re: proposal"
                } else {
                    "Thanks for your time"
                };
                self.push(at, Channel::Email, Direction::Outbound, "Sent", subject);
            }
        }
    }

    /// An open deal without a response: `Contacted`, or `New` when the owner never
    /// updated the stage.
    fn leave_silent_open(&mut self, deal: &mut Deal) {
        let stage = if self.rng.random_bool(STAGE_NEVER_UPDATED) {
            "New"
        } else {
            "Contacted"
        };
        deal.keep_open(stage);
    }

    /// An internal note somewhere between the creation day and the last activity:
    /// it is dated on a day from the creation day to the last activity's day, at a
    /// business-hours time.
    fn add_note(&mut self, created_day: u32) {
        let last_day = self
            .activities
            .iter()
            .map(|a| day_of(a.at))
            .max()
            .unwrap_or(created_day);
        let day = self
            .rng
            .random_range(created_day..=last_day.max(created_day));
        let at = day * MINUTES_PER_DAY + self.business_minute();
        let subject = NOTE_SUBJECTS[self.rng.random_range(0..NOTE_SUBJECTS.len())];
        self.push(at, Channel::Note, Direction::Internal, "", subject);
    }

    /// Records an activity unless it falls after `as_of`.
    fn push(
        &mut self,
        at: u32,
        channel: Channel,
        direction: Direction,
        outcome: &'static str,
        subject: &'static str,
    ) {
        if at < self.limit {
            self.activities.push(Activity {
                at,
                channel,
                direction,
                outcome,
                subject_prefix: "",
                subject,
            });
        }
    }

    /// When a reply to a message sent at `sent` arrives: same day a few minutes to hours
    /// later, or 1–3 days later at any time between 07:00 and 21:59.
    fn reply_time(&mut self, sent: u32) -> u32 {
        match pick(&mut self.rng, REPLY_DELAY_DAYS) as u32 {
            0 => sent + self.rng.random_range(10..=240),
            days => {
                (day_of(sent) + days) * MINUTES_PER_DAY + self.rng.random_range(7 * 60..22 * 60)
            }
        }
    }

    /// A business-hours time on `day`, moved to Monday when it falls on a weekend.
    fn business_time(&mut self, day: u32) -> u32 {
        self.business_day(day) * MINUTES_PER_DAY + self.business_minute()
    }

    fn business_minute(&mut self) -> u32 {
        self.rng.random_range(BUSINESS_MINUTES)
    }

    /// `day`, or the Monday after it when it is a Saturday or Sunday.
    fn business_day(&self, day: u32) -> u32 {
        match (self.start_weekday + day) % 7 {
            5 => day + 2,
            6 => day + 1,
            _ => day,
        }
    }

    /// A deal amount in cents.
    fn amount_cents(&mut self) -> u64 {
        // Box–Muller standard normal.
        let u1: f64 = 1.0 - self.rng.random::<f64>();
        let u2: f64 = self.rng.random();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let value = (AMOUNT_LN_MEDIAN + AMOUNT_LN_SIGMA * z)
            .exp()
            .clamp(AMOUNT_MIN, AMOUNT_MAX);
        let whole = if self.rng.random_bool(0.7) {
            (value / 50.0).round() * 50.0
        } else {
            value.round()
        };
        let cents = if self.rng.random_bool(0.05) {
            self.rng.random_range(1..100)
        } else {
            0
        };
        whole as u64 * 100 + cents
    }
}

/// Index drawn with probability proportional to its weight.
fn pick<R: Rng, W: IntoIterator<Item = f64>>(rng: &mut R, weights: W) -> usize
where
    W::IntoIter: Clone,
{
    let weights = weights.into_iter();
    let total: f64 = weights.clone().sum();
    let mut x = rng.random::<f64>() * total;
    let mut last = 0;
    for (i, w) in weights.enumerate() {
        if x < w {
            return i;
        }
        x -= w;
        last = i;
    }
    last
}

fn day_of(minute: u32) -> u32 {
    minute / MINUTES_PER_DAY
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
fn put_digits(out: &mut [u8], mut value: u32) {
    for byte in out.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// `YYYY-MM-DD HH:MM` of a minute index.
fn time_text(dates: &[[u8; 10]], minute: u32) -> [u8; 16] {
    let mut text = *b"0000-00-00 00:00";
    text[..10].copy_from_slice(&dates[day_of(minute) as usize]);
    let of_day = minute % MINUTES_PER_DAY;
    put_digits(&mut text[11..13], of_day / 60);
    put_digits(&mut text[14..16], of_day % 60);
    text
}

/// Writes the unique name of deal `index` (0-based) into `out`.
fn deal_name(out: &mut String, index: usize) {
    use std::fmt::Write as _;
    out.clear();
    if let Some((_, name)) = SPECIAL_NAMES.iter().find(|(i, _)| *i == index) {
        out.push_str(name);
        return;
    }
    let round = index / NAME_COMBINATIONS;
    let j = (index % NAME_COMBINATIONS) * NAME_STRIDE % NAME_COMBINATIONS;
    let first = NAME_FIRST[j % NAME_FIRST.len()];
    let second = NAME_SECOND[(j / NAME_FIRST.len()) % NAME_SECOND.len()];
    let suffix = NAME_SUFFIX[j / (NAME_FIRST.len() * NAME_SECOND.len())];
    out.push_str(first);
    out.push(' ');
    out.push_str(second);
    if round > 0 {
        // Writing into a String cannot fail.
        let _ = write!(out, " {}", round + 1);
    }
    if !suffix.is_empty() {
        out.push(' ');
        out.push_str(suffix);
    }
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

/// Text cells of one deal, in buffers reused from deal to deal.
#[derive(Default)]
struct DealText {
    id: String,
    name: String,
    amount: String,
}

impl DealText {
    fn fill(&mut self, index: usize, deal: &Deal) {
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

type CsvFile = csv::Writer<BufWriter<File>>;

/// Creates `path` and writes its header row.
fn csv_file(path: &Path, header: &[&str]) -> io::Result<CsvFile> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(file);
    writer.write_record(header)?;
    Ok(writer)
}

/// The open output files: the follow-up log alone, or `deals.csv` + `touches.csv`.
struct Output {
    /// `deals.csv` in the split form; `None` for the log form.
    deals: Option<CsvFile>,
    /// One row per activity: `followup_log.csv` or `touches.csv`.
    activities: CsvFile,
    files: Vec<PathBuf>,
    /// Scratch buffer for subjects with a prefix.
    subject: Vec<u8>,
}

impl Output {
    fn log(path: PathBuf) -> io::Result<Self> {
        Ok(Output {
            deals: None,
            activities: csv_file(&path, &LOG_HEADER)?,
            files: vec![path],
            subject: Vec::new(),
        })
    }

    fn split(deals_path: PathBuf, touches_path: PathBuf) -> io::Result<Self> {
        Ok(Output {
            deals: Some(csv_file(&deals_path, &DEALS_HEADER)?),
            activities: csv_file(&touches_path, &TOUCHES_HEADER)?,
            files: vec![deals_path, touches_path],
            subject: Vec::new(),
        })
    }

    /// Writes one deal and its activities (already in time order).
    fn write_deal(
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
                self.activities.write_record([
                    text.id.as_bytes(),
                    &at,
                    channel,
                    direction,
                    outcome,
                    subject,
                ])?;
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
    fn finish(self) -> io::Result<Vec<PathBuf>> {
        for writer in self.deals.into_iter().chain([self.activities]) {
            writer.into_inner().map_err(|e| e.into_error())?.flush()?;
        }
        Ok(self.files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;
    use std::collections::{HashMap, HashSet};

    /// An empty directory under the system temp dir, removed when dropped.
    struct ScratchDir(PathBuf);

    impl ScratchDir {
        fn new(name: &str) -> Self {
            let path = std::env::temp_dir().join(format!(
                "followup-sample-test-{}-{name}",
                std::process::id()
            ));
            let _ = fs::remove_dir_all(&path);
            ScratchDir(path)
        }
    }

    impl Drop for ScratchDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn options(deals: usize, seed: u64, split: bool) -> SampleOptions {
        SampleOptions {
            deals,
            seed,
            split,
            ..SampleOptions::default()
        }
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a YYYY-MM-DD date")
    }

    fn time(text: &str) -> NaiveDateTime {
        assert_eq!(text.len(), 16, "time {text:?}");
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a YYYY-MM-DD HH:MM time")
    }

    /// Header and records of a CSV file.
    fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = csv::Reader::from_path(path).expect("readable CSV");
        let header = reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.expect("valid record").iter().map(String::from).collect())
            .collect();
        (header, rows)
    }

    /// One row of the follow-up log, by column.
    struct LogRow<'a>(&'a [String]);

    impl<'a> LogRow<'a> {
        fn id(&self) -> &'a str {
            &self.0[0]
        }
        fn name(&self) -> &'a str {
            &self.0[1]
        }
        fn owner(&self) -> &'a str {
            &self.0[2]
        }
        fn cadence(&self) -> &'a str {
            &self.0[3]
        }
        fn stage(&self) -> &'a str {
            &self.0[4]
        }
        fn value(&self) -> &'a str {
            &self.0[5]
        }
        fn currency(&self) -> &'a str {
            &self.0[6]
        }
        fn created(&self) -> &'a str {
            &self.0[7]
        }
        fn close(&self) -> &'a str {
            &self.0[8]
        }
        fn at(&self) -> &'a str {
            &self.0[9]
        }
        fn channel(&self) -> &'a str {
            &self.0[10]
        }
        fn direction(&self) -> &'a str {
            &self.0[11]
        }
        fn outcome(&self) -> &'a str {
            &self.0[12]
        }
        fn subject(&self) -> &'a str {
            &self.0[13]
        }
        fn is_outbound(&self) -> bool {
            self.direction() == "Outbound"
        }
    }

    /// Writes a log sample and returns its rows grouped by deal, in file order.
    fn log_deals(opts: &SampleOptions, dir: &ScratchDir) -> (SampleSummary, Vec<Vec<Vec<String>>>) {
        let summary = write_sample(opts, &dir.0).expect("sample written");
        let (header, rows) = read_csv(&dir.0.join(LOG_FILE));
        assert_eq!(header, LOG_HEADER);
        assert_eq!(rows.len(), summary.touch_rows);
        let mut deals: Vec<Vec<Vec<String>>> = Vec::new();
        for row in rows {
            match deals.last_mut() {
                Some(deal) if deal[0][0] == row[0] => deal.push(row),
                _ => deals.push(vec![row]),
            }
        }
        (summary, deals)
    }

    /// Checks every documented invariant of a follow-up log.
    fn check_log(opts: &SampleOptions, deals: &[Vec<Vec<String>>]) {
        let owners: HashMap<&str, &str> = OWNERS.iter().map(|o| (o.name, o.currency)).collect();
        let cadences: HashSet<&str> = CADENCES.iter().map(|c| c.name).collect();
        let last_created = opts.as_of - chrono::Days::new(u64::from(CREATION_MARGIN_DAYS));
        let mut names = HashSet::new();
        assert_eq!(
            deals.len(),
            opts.deals,
            "every deal has at least one row, in one block"
        );
        for (index, rows) in deals.iter().enumerate() {
            let first = LogRow(&rows[0]);
            assert_eq!(first.id(), format!("D{:06}", index + 1));
            assert!(
                names.insert(first.name().to_string()),
                "duplicate name {}",
                first.name()
            );
            let owner_currency = owners.get(first.owner()).expect("known owner");
            assert_eq!(first.currency(), *owner_currency);
            assert!(
                cadences.contains(first.cadence()),
                "cadence {:?}",
                first.cadence()
            );
            let created = date(first.created());
            assert!(
                created >= opts.start && created <= last_created,
                "created {created}"
            );
            if !first.value().is_empty() {
                let (whole, cents) = first.value().split_once('.').expect("decimal point");
                assert!(cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit()));
                let amount: f64 = first.value().parse().expect("decimal amount");
                assert!(
                    (500.0..60_001.0).contains(&amount),
                    "amount {amount} ({whole})"
                );
            }
            let close = match first.stage() {
                "Closed Won" | "Closed Lost" => Some(date(first.close())),
                "New" | "Contacted" | "Meeting booked" | "Proposal sent" => {
                    assert_eq!(first.close(), "", "open deals have no close date");
                    None
                }
                stage => panic!("unknown stage {stage:?}"),
            };
            if let Some(close) = close {
                assert!(close >= created && close <= opts.as_of, "close {close}");
                assert!(
                    rows.iter()
                        .any(|r| LogRow(r).is_outbound() && time(LogRow(r).at()).date() <= close),
                    "closed deal {} has a touch before closing",
                    first.id()
                );
            }
            let mut previous = None;
            let mut opted_out = false;
            let mut touches_after_opt_out = 0;
            for row in rows {
                assert_eq!(row[..9], rows[0][..9], "deal columns repeat on every row");
                let row = LogRow(row);
                let at = time(row.at());
                assert!(
                    at.date() >= created && at.date() <= opts.as_of,
                    "row at {at}"
                );
                assert!(
                    previous.is_none_or(|p| p <= at),
                    "rows of a deal in time order"
                );
                previous = Some(at);
                let outcome = row.outcome();
                match (row.channel(), row.direction()) {
                    ("Email", "Outbound") => assert!(matches!(outcome, "Sent" | "Bounced")),
                    ("Email", "Inbound") => match outcome {
                        "Replied" | "Unsubscribed" => {}
                        "" => assert!(
                            row.subject().starts_with("Automatic reply: ")
                                || row.subject().starts_with("Out of Office: ")
                        ),
                        other => panic!("inbound email outcome {other:?}"),
                    },
                    ("Call", "Outbound") => {
                        assert!(matches!(
                            outcome,
                            "Connected" | "Left voicemail" | "No answer" | "Busy" | "Wrong number"
                        ));
                        assert_eq!(row.subject(), "");
                    }
                    ("Meeting", "Outbound") => assert!(matches!(outcome, "Held" | "No show" | "")),
                    ("Text" | "LinkedIn", "Outbound") => assert_eq!(outcome, "Sent"),
                    ("Text" | "LinkedIn", "Inbound") => assert_eq!(outcome, "Replied"),
                    ("Note", "") => assert_eq!(outcome, ""),
                    other => panic!("unexpected channel and direction {other:?}"),
                }
                if opted_out && row.is_outbound() {
                    touches_after_opt_out += 1;
                }
                opted_out |= outcome == "Unsubscribed";
            }
            assert!(
                touches_after_opt_out <= 1,
                "at most one touch after opting out"
            );
        }
    }

    #[test]
    fn same_options_give_identical_files() {
        for split in [false, true] {
            let (a, b) = (ScratchDir::new("same-a"), ScratchDir::new("same-b"));
            let opts = options(500, 7, split);
            let first = write_sample(&opts, &a.0).expect("first sample");
            let second = write_sample(&opts, &b.0).expect("second sample");
            assert_eq!(first.touch_rows, second.touch_rows);
            for (x, y) in first.files.iter().zip(&second.files) {
                assert_eq!(
                    fs::read(x).expect("first file"),
                    fs::read(y).expect("second file")
                );
            }
        }
    }

    #[test]
    fn different_seeds_give_different_files() {
        let (a, b) = (ScratchDir::new("seed-a"), ScratchDir::new("seed-b"));
        write_sample(&options(200, 1, false), &a.0).expect("first sample");
        write_sample(&options(200, 2, false), &b.0).expect("second sample");
        assert_ne!(
            fs::read(a.0.join(LOG_FILE)).expect("first log"),
            fs::read(b.0.join(LOG_FILE)).expect("second log")
        );
    }

    #[test]
    fn log_of_a_thousand_deals_respects_the_invariants() {
        let dir = ScratchDir::new("invariants");
        let opts = options(1000, 42, false);
        let (summary, deals) = log_deals(&opts, &dir);
        assert_eq!(summary.deals, 1000);
        assert_eq!(summary.files, vec![dir.0.join(LOG_FILE)]);
        check_log(&opts, &deals);
    }

    #[test]
    fn a_short_window_never_writes_after_as_of() {
        let dir = ScratchDir::new("short");
        let opts = SampleOptions {
            deals: 300,
            start: date("2026-10-01"),
            as_of: date("2026-10-15"),
            ..SampleOptions::default()
        };
        let (_, deals) = log_deals(&opts, &dir);
        check_log(&opts, &deals);
    }

    #[test]
    fn a_thousand_deals_have_the_expected_structure() {
        let dir = ScratchDir::new("structure");
        let (summary, deals) = log_deals(&options(1000, 42, false), &dir);
        let rows = || deals.iter().flatten().map(|r| LogRow(r));
        let count_deals =
            |f: &dyn Fn(&[Vec<String>]) -> bool| deals.iter().filter(|d| f(d)).count();
        let count_rows = |f: &dyn Fn(&LogRow) -> bool| rows().filter(|r| f(r)).count();

        let per_deal = summary.touch_rows as f64 / 1000.0;
        assert!((2.1..2.8).contains(&per_deal), "rows per deal {per_deal}");

        let won = count_deals(&|d| LogRow(&d[0]).stage() == "Closed Won");
        let lost = count_deals(&|d| LogRow(&d[0]).stage() == "Closed Lost");
        let open = 1000 - won - lost;
        assert!((30..=150).contains(&won), "won {won}");
        assert!((550..=900).contains(&lost), "lost {lost}");
        assert!((50..=400).contains(&open), "open {open}");

        let inbound_first = count_deals(&|d| {
            d.iter()
                .map(|r| LogRow(r))
                .find(|r| r.channel() != "Note")
                .is_some_and(|r| r.direction() == "Inbound" && r.subject() == "Website enquiry")
        });
        assert!(
            (20..=90).contains(&inbound_first),
            "inbound-initiated {inbound_first}"
        );

        let notes = count_rows(&|r| r.channel() == "Note");
        assert!((60..=140).contains(&notes), "notes {notes}");
        let no_cadence = count_deals(&|d| LogRow(&d[0]).cadence().is_empty());
        assert!((10..=60).contains(&no_cadence), "no cadence {no_cadence}");
        let no_amount = count_deals(&|d| LogRow(&d[0]).value().is_empty());
        assert!((25..=80).contains(&no_amount), "no amount {no_amount}");
        assert!(count_rows(&|r| r.outcome() == "Bounced") >= 3);
        assert!(count_rows(&|r| r.direction() == "Inbound" && r.outcome().is_empty()) >= 10);
        assert!(count_rows(&|r| r.outcome() == "Connected") >= 50);
        assert!(count_rows(&|r| r.outcome() == "Replied") >= 50);
        for vocabulary in [
            "Held",
            "No show",
            "Left voicemail",
            "No answer",
            "Busy",
            "Wrong number",
        ] {
            assert!(
                count_rows(&|r| r.outcome() == vocabulary) > 0,
                "{vocabulary}"
            );
        }
        assert!(count_rows(&|r| r.channel() == "Meeting" && r.outcome().is_empty()) > 0);
        let opt_outs = count_rows(&|r| r.outcome() == "Unsubscribed");
        assert!((4..=30).contains(&opt_outs), "opt-outs {opt_outs}");
        let contacted_after_opt_out = count_deals(&|d| {
            d.iter()
                .map(|r| LogRow(r))
                .skip_while(|r| r.outcome() != "Unsubscribed")
                .any(|r| r.is_outbound())
        });
        assert!(contacted_after_opt_out >= 1);

        let currencies: HashSet<&str> = rows().map(|r| r.currency()).collect();
        assert_eq!(currencies, HashSet::from(["USD", "GBP"]));
        let owners: HashSet<&str> = rows().map(|r| r.owner()).collect();
        assert_eq!(owners.len(), OWNERS.len());
        let cadences: HashSet<&str> = rows().map(|r| r.cadence()).collect();
        assert_eq!(cadences.len(), CADENCES.len());
        let names: HashSet<&str> = rows().map(|r| r.name()).collect();
        assert!(names.contains("Café Lumière") && names.contains("Müller GmbH"));
        assert!(names.iter().any(|n| n.contains(',')) && names.iter().any(|n| n.contains('"')));

        // Post-sale touches after a won deal's close day, and touches on the close day.
        let post_sale = count_deals(&|d| {
            let first = LogRow(&d[0]);
            first.stage() == "Closed Won" && d.iter().any(|r| LogRow(r).at()[..10] > *first.close())
        });
        assert!(post_sale * 2 >= won, "post-sale {post_sale} of {won}");
        let on_close_day = count_rows(&|r| r.is_outbound() && r.at()[..10] == *r.close());
        assert!(on_close_day >= 5, "on close day {on_close_day}");

        // A weekly-calls deal followed all the way: 8 calls.
        assert!(
            count_deals(&|d| {
                LogRow(&d[0]).cadence() == "Weekly calls"
                    && d.iter().filter(|r| LogRow(r).channel() == "Call").count() == 8
            }) > 0
        );

        // Give-up: silent lost deals mostly stop after touch 1.
        let silent_lost: Vec<usize> = deals
            .iter()
            .filter(|d| LogRow(&d[0]).stage() == "Closed Lost")
            .filter(|d| d.iter().all(|r| LogRow(r).direction() != "Inbound"))
            .filter(|d| d.iter().all(|r| LogRow(r).outcome() != "Connected"))
            .map(|d| d.iter().filter(|r| LogRow(r).is_outbound()).count())
            .collect();
        let after_one = silent_lost.iter().filter(|&&n| n == 1).count() as f64;
        let share = after_one / silent_lost.len() as f64;
        assert!(
            (0.35..0.65).contains(&share),
            "stopped after touch 1: {share}"
        );
    }

    #[test]
    fn split_form_carries_the_same_data_as_the_log() {
        let (log_dir, split_dir) = (ScratchDir::new("log"), ScratchDir::new("split"));
        let (log_summary, deals) = log_deals(&options(1000, 9, false), &log_dir);
        let summary = write_sample(&options(1000, 9, true), &split_dir.0).expect("split sample");
        assert_eq!(summary.touch_rows, log_summary.touch_rows);
        assert_eq!(
            summary.files,
            vec![split_dir.0.join(DEALS_FILE), split_dir.0.join(TOUCHES_FILE)]
        );
        let (deal_header, deal_rows) = read_csv(&summary.files[0]);
        let (touch_header, touch_rows) = read_csv(&summary.files[1]);
        assert_eq!(deal_header, DEALS_HEADER);
        assert_eq!(touch_header, TOUCHES_HEADER);
        assert_eq!(deal_rows.len(), deals.len());
        for (split, log) in deal_rows.iter().zip(&deals) {
            let log = LogRow(&log[0]);
            let status = match log.stage() {
                "Closed Won" => "won",
                "Closed Lost" => "lost",
                _ => "open",
            };
            let expected = [
                log.id(),
                log.name(),
                log.stage(),
                status,
                log.value(),
                log.currency(),
                log.created(),
                log.close(),
                log.cadence(),
                log.owner(),
            ];
            assert_eq!(split, &expected);
        }
        let log_touches: Vec<[&str; 6]> = deals
            .iter()
            .flatten()
            .map(|r| {
                let r = LogRow(r);
                [
                    r.id(),
                    r.at(),
                    r.channel(),
                    r.direction(),
                    r.outcome(),
                    r.subject(),
                ]
            })
            .collect();
        assert_eq!(touch_rows, log_touches);
    }

    #[test]
    fn names_stay_unique_beyond_the_word_lists() {
        let mut name = String::new();
        let mut seen = HashSet::new();
        for index in 0..3 * NAME_COMBINATIONS {
            deal_name(&mut name, index);
            assert!(seen.insert(name.clone()), "duplicate name {name}");
        }
    }

    #[test]
    fn no_deals_writes_headers_only() {
        let dir = ScratchDir::new("empty");
        let summary = write_sample(&options(0, 1, true), &dir.0.join("nested")).expect("sample");
        assert_eq!(summary.touch_rows, 0);
        let deals = fs::read_to_string(&summary.files[0]).expect("deals file");
        assert_eq!(deals, format!("{}\n", DEALS_HEADER.join(",")));
    }

    #[test]
    fn as_of_before_start_is_rejected() {
        let dir = ScratchDir::new("bad-dates");
        let opts = SampleOptions {
            as_of: date("2025-12-31"),
            ..SampleOptions::default()
        };
        let error = write_sample(&opts, &dir.0).expect_err("invalid dates");
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(!dir.0.exists(), "nothing written");
    }

    #[test]
    fn give_up_draws_follow_the_model() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut counts = [0usize; 5];
        for _ in 0..100_000 {
            counts[pick(&mut rng, GIVE_UP)] += 1;
        }
        for (count, expected) in counts.iter().zip(GIVE_UP) {
            assert!((*count as f64 / 100_000.0 - expected).abs() < 0.01);
        }
    }
}
