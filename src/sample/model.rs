//! The behavioural model of the synthetic team (module docs of [`super`]): every
//! probability and delay as a constant, the owners and their cadences, and the types of
//! a generated deal and its activity rows. No randomness and no I/O here.

// ---------------------------------------------------------------------------------------
// Model constants
// ---------------------------------------------------------------------------------------

pub(super) const MINUTES_PER_DAY: u32 = 24 * 60;
/// Business hours for outbound touches: 08:00 to 17:59.
pub(super) const BUSINESS_MINUTES: std::ops::Range<u32> = 8 * 60..18 * 60;
/// Deals are created up to this many days before `as_of`.
pub(super) const CREATION_MARGIN_DAYS: u32 = 10;
/// Longest accepted `as_of - start` (100 years): minute counts stay well inside `u32`.
pub(super) const MAX_SPAN_DAYS: i64 = 36_600;

/// Share of deals without an amount.
pub(super) const EMPTY_AMOUNT: f64 = 0.05;
/// Log-normal amount: ln of the median (e^8.7 ≈ 6,000) and σ of ln(amount).
pub(super) const AMOUNT_LN_MEDIAN: f64 = 8.7;
pub(super) const AMOUNT_LN_SIGMA: f64 = 0.85;
/// Amounts are clamped to this range.
pub(super) const AMOUNT_MIN: f64 = 500.0;
pub(super) const AMOUNT_MAX: f64 = 60_000.0;

/// Share of deals that start with a website enquiry.
pub(super) const INBOUND_INITIATED: f64 = 0.07;
/// Share of the other deals that unsubscribe.
pub(super) const OPT_OUT: f64 = 0.025;
/// Share of opted-out deals that get one more outbound touch.
pub(super) const TOUCH_AFTER_OPT_OUT: f64 = 0.30;
/// Share of outbound emails that bounce.
pub(super) const BOUNCE: f64 = 0.01;
/// Share of delivered outbound emails answered by an automatic reply.
pub(super) const AUTO_REPLY: f64 = 0.03;
/// Share of deals with an internal note.
pub(super) const NOTE: f64 = 0.10;
/// Days after the message a reply arrives, by bucket: the first and last day of each
/// (same day, 1, 2, 3, 4–7, 8–14 days); the weights per channel are
/// [`Channel::reply_delay_weights`].
pub(super) const REPLY_DELAY_DAYS: [(u32, u32); 6] = [(0, 0), (1, 1), (2, 2), (3, 3), (4, 7), (8, 14)];
/// How long the owner takes to answer a prospect's message, by band, in minutes (first
/// and last): within an hour, 1–24 hours, 1–3 days, 3–9 days; the fifth band of
/// [`Owner::answer_weights`] is "never".
pub(super) const ANSWER_MINUTES: [(u32, u32); 4] =
    [(5, 60), (61, 24 * 60), (24 * 60 + 1, 72 * 60), (72 * 60 + 1, 9 * 24 * 60)];
/// Win probability multiplier by answer band: fast answers win more often.
pub(super) const WIN_BY_ANSWER: [f64; 4] = [1.35, 1.0, 0.7, 0.45];
/// Share of answers to a prospect's reply that are calls (the rest are emails).
pub(super) const ANSWER_BY_CALL: f64 = 0.4;
/// A prospect nobody answered is marked lost this many days later (first and last)...
pub(super) const UNANSWERED_LOST_DAYS: (u32, u32) = (14, 45);
/// ...with this probability (else the deal stays open).
pub(super) const UNANSWERED_LOST: f64 = 0.7;
/// Share of follow-up touches that slip: the owner was busy and sent it later...
pub(super) const SLIP: f64 = 0.12;
/// ...by this many extra days (first and last).
pub(super) const SLIP_DAYS: (u32, u32) = (3, 12);
/// Stop after touch 1, 2, 3, 4, or never (whole cadence), when nobody answers.
pub(super) const GIVE_UP: [f64; 5] = [0.42, 0.23, 0.13, 0.04, 0.18];
/// Response hazard multiplier for touch 1, 2, …, 8 (and beyond).
pub(super) const TOUCH_FACTOR: [f64; 8] = [1.0, 1.3, 1.2, 1.1, 1.0, 0.95, 0.9, 0.85];
/// Response hazard multiplier by the calendar days since the previous touch: a next-day
/// chaser annoys, 2–3 days is the sweet spot, after a week or two the thread is cold.
pub(super) fn gap_factor(days: u32) -> f64 {
    match days {
        0..=1 => 0.75,
        2..=3 => 1.25,
        4..=7 => 1.0,
        8..=14 => 0.8,
        _ => 0.6,
    }
}
/// Outcomes of an unanswered call.
pub(super) const CALL_NO_RESPONSE: [(&str, f64); 4] =
    [("Left voicemail", 0.50), ("No answer", 0.35), ("Busy", 0.12), ("Wrong number", 0.03)];

/// Share of responses followed by a meeting.
pub(super) const MEETING_AFTER_RESPONSE: f64 = 0.80;
/// Meeting outcomes: Held, No show, none (counts as held).
pub(super) const MEETING_OUTCOMES: [(&str, f64); 3] = [("Held", 0.80), ("No show", 0.10), ("", 0.10)];
/// Share of meetings that took place followed by a proposal email.
pub(super) const PROPOSAL_AFTER_MEETING: f64 = 0.50;
/// Win probability after a meeting that took place (before the owner's win factor).
pub(super) const WIN_AFTER_MEETING: f64 = 0.42;
/// The same for inbound-initiated deals.
pub(super) const WIN_AFTER_ENQUIRY: f64 = 0.50;
/// Win probability after a no-show.
pub(super) const WIN_AFTER_NO_SHOW: f64 = 0.20;
/// Share of won deals with a `Connected` call on the close day.
pub(super) const FINAL_CALL_ON_CLOSE_DAY: f64 = 0.35;
/// Share of deals lost after a response with a last email on the close day.
pub(super) const LOST_EMAIL_ON_CLOSE_DAY: f64 = 0.20;
/// Share of silent deals the owner stopped chasing that are marked lost.
pub(super) const LOST_WHEN_SILENT: f64 = 0.80;
/// Share of silent open deals whose stage is still `New`.
pub(super) const STAGE_NEVER_UPDATED: f64 = 0.20;

/// A sales rep.
pub(super) struct Owner {
    pub(super) name: &'static str,
    pub(super) currency: &'static str,
    /// Share of deals.
    pub(super) weight: f64,
    pub(super) response_factor: f64,
    pub(super) win_factor: f64,
    /// Weights of [`CADENCES`], in order.
    pub(super) cadence_weights: [f64; 4],
    /// Multiplier of the cadence's gaps between touches (0.7: a hurried owner).
    pub(super) pace: f64,
    /// Weights of the answer bands of [`ANSWER_MINUTES`], then "never".
    pub(super) answer_weights: [f64; 5],
}

pub(super) const OWNERS: [Owner; 5] = [
    Owner {
        name: "Maria Lopez",
        currency: "USD",
        weight: 0.24,
        response_factor: 1.15,
        win_factor: 1.1,
        cadence_weights: [0.45, 0.37, 0.15, 0.03],
        pace: 1.0,
        answer_weights: [0.36, 0.40, 0.14, 0.07, 0.03],
    },
    Owner {
        name: "Tom Becker",
        currency: "USD",
        weight: 0.22,
        response_factor: 0.9,
        win_factor: 0.9,
        cadence_weights: [0.20, 0.62, 0.15, 0.03],
        pace: 0.7,
        answer_weights: [0.20, 0.40, 0.22, 0.13, 0.05],
    },
    Owner {
        name: "Chloé Martin",
        currency: "GBP",
        weight: 0.20,
        response_factor: 1.05,
        win_factor: 1.0,
        cadence_weights: [0.35, 0.47, 0.15, 0.03],
        pace: 1.0,
        answer_weights: [0.30, 0.40, 0.18, 0.09, 0.03],
    },
    Owner {
        name: "Raj Patel",
        currency: "USD",
        weight: 0.18,
        response_factor: 1.0,
        win_factor: 1.05,
        cadence_weights: [0.30, 0.42, 0.25, 0.03],
        pace: 1.25,
        answer_weights: [0.25, 0.40, 0.20, 0.10, 0.05],
    },
    Owner {
        name: "Ben Okafor",
        currency: "GBP",
        weight: 0.16,
        response_factor: 0.85,
        win_factor: 0.95,
        cadence_weights: [0.17, 0.40, 0.40, 0.03],
        pace: 1.5,
        answer_weights: [0.12, 0.33, 0.28, 0.20, 0.07],
    },
];

/// One planned touch of a cadence.
pub(super) struct Step {
    /// Days after the creation day.
    pub(super) day: u32,
    pub(super) channel: Channel,
}

pub(super) const fn step(day: u32, channel: Channel) -> Step {
    Step { day, channel }
}

/// A follow-up sequence.
pub(super) struct Cadence {
    /// Empty for deals without a cadence.
    pub(super) name: &'static str,
    pub(super) steps: &'static [Step],
    pub(super) response_factor: f64,
}

pub(super) const CADENCES: [Cadence; 4] = [
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
        steps: &[step(1, Channel::Email), step(4, Channel::Email), step(8, Channel::Email)],
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

// ---------------------------------------------------------------------------------------
// Generated values
// ---------------------------------------------------------------------------------------

/// Contact method of an activity row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Channel {
    Email,
    Call,
    Meeting,
    Text,
    LinkedIn,
    /// Internal note: not a touch.
    Note,
}

impl Channel {
    pub(super) fn label(self) -> &'static str {
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
    pub(super) fn base_hazard(self) -> f64 {
        match self {
            Channel::Call => 0.095,
            Channel::LinkedIn => 0.06,
            Channel::Text => 0.07,
            Channel::Email | Channel::Meeting | Channel::Note => 0.075,
        }
    }

    /// Weights of the buckets of [`REPLY_DELAY_DAYS`] for a reply to this channel: a
    /// text is answered within the day, an email in 1–3 days with a tail of a week or
    /// two, a LinkedIn message more slowly still.
    pub(super) fn reply_delay_weights(self) -> [f64; 6] {
        match self {
            Channel::Text => [0.70, 0.20, 0.07, 0.03, 0.0, 0.0],
            Channel::LinkedIn => [0.15, 0.25, 0.20, 0.15, 0.18, 0.07],
            _ => [0.28, 0.27, 0.15, 0.10, 0.13, 0.07],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Outbound,
    Inbound,
    /// Notes: the direction cell is left empty.
    Internal,
}

impl Direction {
    pub(super) fn label(self) -> &'static str {
        match self {
            Direction::Outbound => "Outbound",
            Direction::Inbound => "Inbound",
            Direction::Internal => "",
        }
    }
}

/// One activity row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Activity {
    /// Minutes since `start` 00:00.
    pub(super) at: u32,
    pub(super) channel: Channel,
    pub(super) direction: Direction,
    pub(super) outcome: &'static str,
    /// Written before `subject` (automatic replies quote the subject they answer).
    pub(super) subject_prefix: &'static str,
    pub(super) subject: &'static str,
}

impl Activity {
    /// The subject cell (prefix and subject), assembled in `buf`.
    pub(super) fn subject_text<'a>(&self, buf: &'a mut Vec<u8>) -> &'a [u8] {
        buf.clear();
        buf.extend_from_slice(self.subject_prefix.as_bytes());
        buf.extend_from_slice(self.subject.as_bytes());
        buf
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Won,
    Lost,
    Open,
}

impl Status {
    pub(super) fn label(self) -> &'static str {
        match self {
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Open => "open",
        }
    }
}

/// The final state of one deal.
pub(super) struct Deal {
    pub(super) owner: &'static Owner,
    pub(super) cadence: &'static Cadence,
    /// Days since `start`.
    pub(super) created_day: u32,
    pub(super) amount_cents: Option<u64>,
    pub(super) status: Status,
    pub(super) stage: &'static str,
    /// Days since `start`; `None` for open deals.
    pub(super) close_day: Option<u32>,
}

impl Deal {
    pub(super) fn close(&mut self, status: Status, day: u32) {
        self.status = status;
        self.close_day = Some(day);
        self.stage = if status == Status::Won { "Closed Won" } else { "Closed Lost" };
    }

    pub(super) fn keep_open(&mut self, stage: &'static str) {
        self.status = Status::Open;
        self.close_day = None;
        self.stage = stage;
    }
}

pub(super) fn day_of(minute: u32) -> u32 {
    minute / MINUTES_PER_DAY
}
