//! The generator: one `ChaCha8Rng` draws every deal and its activity rows in a fixed
//! order, so the same options always give the same sample (module docs of [`super`]).

use std::io;

use chrono::Datelike;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::model::*;
use super::names::{EmailSubject, AUTO_REPLY_PREFIXES, EMAIL_SUBJECTS, LAST_EMAIL_SUBJECT, NOTE_SUBJECTS};
use super::SampleOptions;

/// Draws deals one by one; `activities` holds the rows of the last deal, in time order.
pub(super) struct Generator {
    rng: ChaCha8Rng,
    /// Day index of `as_of`.
    pub(super) last_day: u32,
    /// First minute after the end of `as_of`: nothing is generated from here on.
    limit: u32,
    last_created_day: u32,
    /// Weekday of `start`, Monday = 0.
    start_weekday: u32,
    pub(super) activities: Vec<Activity>,
}

impl Generator {
    pub(super) fn new(opts: &SampleOptions) -> io::Result<Self> {
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
        Ok(Generator {
            rng: ChaCha8Rng::seed_from_u64(opts.seed),
            last_day,
            limit: (last_day + 1) * MINUTES_PER_DAY,
            last_created_day: last_day.saturating_sub(CREATION_MARGIN_DAYS),
            start_weekday: opts.start.weekday().num_days_from_monday(),
            activities: Vec::with_capacity(32),
        })
    }

    /// Draws the next deal; its rows are left in `self.activities`, sorted by time.
    pub(super) fn generate_deal(&mut self) -> Deal {
        self.activities.clear();
        let owner = &OWNERS[pick(&mut self.rng, OWNERS.iter().map(|o| o.weight))];
        let cadence = &CADENCES[pick(&mut self.rng, owner.cadence_weights)];
        let created_day = self.rng.random_range(0..=self.last_created_day);
        let amount_cents = if self.rng.random_bool(EMPTY_AMOUNT) { None } else { Some(self.amount_cents()) };
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

    /// A prospect who wrote in first: the enquiry, the owner's answer (or none), then
    /// the after-response path.
    fn inbound_initiated(&mut self, deal: &mut Deal) {
        let enquiry = deal.created_day * MINUTES_PER_DAY + self.business_minute();
        self.push(enquiry, Channel::Email, Direction::Inbound, "Replied", "Website enquiry");
        self.answer(deal, enquiry, "Re: Website enquiry", WIN_AFTER_ENQUIRY);
    }

    /// The owner answers the prospect's message at `message` after a delay drawn from
    /// the owner's answer bands (a call or an email), then the after-response path
    /// follows with `win` scaled by how fast the answer came. Never answered: the deal
    /// goes cold and is marked lost weeks later, or stays open, waiting on us.
    fn answer(&mut self, deal: &mut Deal, message: u32, subject: &'static str, win: f64) {
        let band = pick(&mut self.rng, deal.owner.answer_weights);
        let Some(&(low, high)) = ANSWER_MINUTES.get(band) else {
            let (low, high) = UNANSWERED_LOST_DAYS;
            let close_day = day_of(message) + self.rng.random_range(low..=high);
            if close_day <= self.last_day && self.rng.random_bool(UNANSWERED_LOST) {
                deal.close(Status::Lost, close_day);
            } else {
                deal.keep_open("Contacted");
            }
            return;
        };
        let answer = message + self.rng.random_range(low..=high);
        if answer >= self.limit {
            deal.keep_open("Contacted");
            return;
        }
        if self.rng.random_bool(ANSWER_BY_CALL) {
            let outcome = if self.rng.random_bool(0.7) { "Connected" } else { "Left voicemail" };
            self.push(answer, Channel::Call, Direction::Outbound, outcome, "");
        } else {
            self.push(answer, Channel::Email, Direction::Outbound, "Sent", subject);
        }
        self.after_response(deal, answer, win * WIN_BY_ANSWER[band]);
    }

    /// The cadence: touches until a response, an opt-out, the give-up point or `as_of`.
    fn outbound_sequence(&mut self, deal: &mut Deal) {
        let steps = deal.cadence.steps;
        let opt_out = self.rng.random_bool(OPT_OUT);
        let stop_after = match pick(&mut self.rng, GIVE_UP) {
            whole_cadence if whole_cadence + 1 == GIVE_UP.len() => steps.len(),
            after => (after + 1).min(steps.len()),
        };
        let opt_out_after = if opt_out { Some(self.rng.random_range(0..stop_after)) } else { None };

        let mut response: Option<(u32, Channel)> = None;
        let mut last_touch = deal.created_day * MINUTES_PER_DAY;
        // The previous touch: its day and its cadence step's day.
        let mut previous: Option<(u32, u32)> = None;
        let mut still_running = false;
        let mut emails_sent = 0;
        for (k, step) in steps.iter().enumerate().take(stop_after) {
            let planned = match previous {
                None => deal.created_day + step.day,
                Some((day, step_day)) => day + self.gap(step.day.saturating_sub(step_day), deal.owner.pace),
            };
            let at = self.touch_time(planned, last_touch);
            if response.is_some_and(|(r, _)| r <= at) {
                break;
            }
            if at >= self.limit {
                still_running = true;
                break;
            }
            last_touch = at;
            let gap = previous.map_or(1.0, |(day, _)| gap_factor(day_of(at).saturating_sub(day)));
            previous = Some((day_of(at), step.day));
            let hazard = step.channel.base_hazard()
                * TOUCH_FACTOR[k.min(TOUCH_FACTOR.len() - 1)]
                * deal.cadence.response_factor
                * deal.owner.response_factor
                * gap;
            let may_respond = response.is_none() && opt_out_after.is_none();
            let subject = if k + 1 == steps.len() {
                &LAST_EMAIL_SUBJECT
            } else {
                &EMAIL_SUBJECTS[emails_sent.min(EMAIL_SUBJECTS.len() - 1)]
            };
            emails_sent += usize::from(step.channel == Channel::Email);
            let answer = self.touch(at, step.channel, subject, may_respond.then_some(hazard));
            response = response.or(answer.map(|r| (r, step.channel)));
            if opt_out_after == Some(k) {
                if let Some(touch) = self.opt_out(at, steps.get(k + 1).map(|s| s.channel)) {
                    last_touch = touch;
                }
                break;
            }
        }

        match response {
            // A connected call is its own answer; a reply waits for ours.
            Some((at, Channel::Call)) if at < self.limit => self.after_response(deal, at, WIN_AFTER_MEETING),
            Some((at, _)) if at < self.limit => {
                self.answer(deal, at, "Thanks for getting back to me", WIN_AFTER_MEETING)
            }
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

    /// Days from one touch to the next: the cadence's gap scaled by the owner's pace
    /// (at least a day), plus a few days when the touch slips.
    fn gap(&mut self, planned: u32, pace: f64) -> u32 {
        let scaled = ((f64::from(planned) * pace).round() as u32).max(1);
        let (low, high) = SLIP_DAYS;
        if self.rng.random_bool(SLIP) {
            scaled + self.rng.random_range(low..=high)
        } else {
            scaled
        }
    }

    /// When a cadence touch planned for `day` goes out: the day plus 0–1 days of jitter
    /// at a business-hours time, and always after the previous touch at `last_touch`.
    fn touch_time(&mut self, day: u32, last_touch: u32) -> u32 {
        let jitter = self.rng.random_range(0..=1);
        let at = self.business_time(day + jitter);
        if at > last_touch {
            return at;
        }
        // A weekend shift put two touches on one day: keep them in order.
        last_touch + self.rng.random_range(20..=90)
    }

    /// One cadence touch at `at` and its answer. `hazard` is the chance of a response,
    /// `None` when the deal can no longer respond (it already did, or it opts out).
    /// Returns the time of the response.
    fn touch(&mut self, at: u32, channel: Channel, subject: &EmailSubject, hazard: Option<f64>) -> Option<u32> {
        match channel {
            Channel::Call => self.call(at, hazard),
            Channel::Email => self.email(at, subject, hazard),
            channel => {
                self.push(at, channel, Direction::Outbound, "Sent", "");
                self.reply(at, channel, "", hazard)
            }
        }
    }

    /// A call: `Connected` is its own response, else one of the no-answer outcomes.
    fn call(&mut self, at: u32, hazard: Option<f64>) -> Option<u32> {
        if hazard.is_some_and(|h| self.rng.random_bool(h)) {
            self.push(at, Channel::Call, Direction::Outbound, "Connected", "");
            return Some(at);
        }
        let outcome = CALL_NO_RESPONSE[pick(&mut self.rng, CALL_NO_RESPONSE.map(|c| c.1))].0;
        self.push(at, Channel::Call, Direction::Outbound, outcome, "");
        None
    }

    /// An email: it bounces, or it is sent and may get an automatic reply and a reply.
    fn email(&mut self, at: u32, subject: &EmailSubject, hazard: Option<f64>) -> Option<u32> {
        if self.rng.random_bool(BOUNCE) {
            self.push(at, Channel::Email, Direction::Outbound, "Bounced", subject.sent);
            return None;
        }
        self.push(at, Channel::Email, Direction::Outbound, "Sent", subject.sent);
        if self.rng.random_bool(AUTO_REPLY) {
            self.auto_reply(at, subject.sent);
        }
        self.reply(at, Channel::Email, subject.reply, hazard)
    }

    /// An automatic reply 1–6 minutes after the email sent at `sent`, quoting its subject.
    fn auto_reply(&mut self, sent: u32, subject: &'static str) {
        let prefix = AUTO_REPLY_PREFIXES[self.rng.random_range(0..AUTO_REPLY_PREFIXES.len())];
        let at = sent + self.rng.random_range(1..=6);
        if at < self.limit {
            self.activities.push(Activity {
                at,
                channel: Channel::Email,
                direction: Direction::Inbound,
                outcome: "",
                subject_prefix: prefix,
                subject,
            });
        }
    }

    /// The prospect's reply to a message sent at `sent`, with probability `hazard`.
    fn reply(&mut self, sent: u32, channel: Channel, subject: &'static str, hazard: Option<f64>) -> Option<u32> {
        if !hazard.is_some_and(|h| self.rng.random_bool(h)) {
            return None;
        }
        let reply = self.reply_time(sent, channel);
        self.push(reply, channel, Direction::Inbound, "Replied", subject);
        Some(reply)
    }

    /// The prospect unsubscribes after the touch at `touch`; sometimes one more touch follows
    /// (on the cadence's next channel). Returns the time of that extra touch when it
    /// was written (not after `as_of`).
    fn opt_out(&mut self, touch: u32, next_channel: Option<Channel>) -> Option<u32> {
        let unsubscribe = touch + self.rng.random_range(30..=2 * MINUTES_PER_DAY);
        self.push(unsubscribe, Channel::Email, Direction::Inbound, "Unsubscribed", "Unsubscribe");
        if !self.rng.random_bool(TOUCH_AFTER_OPT_OUT) {
            return None;
        }
        let day = day_of(unsubscribe) + self.rng.random_range(3..=14);
        let at = self.business_time(day);
        match next_channel.unwrap_or(Channel::Email) {
            Channel::Email => self.push(at, Channel::Email, Direction::Outbound, "Sent", "Checking in"),
            Channel::Call => self.push(at, Channel::Call, Direction::Outbound, "Left voicemail", ""),
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
        self.push(meeting, Channel::Meeting, Direction::Outbound, outcome, "Discovery meeting");
        let took_place = outcome != "No show";
        let proposal_sent = took_place && self.proposal(meeting_day);

        let close_day = meeting_day + self.rng.random_range(5..=30);
        if close_day > self.last_day {
            deal.keep_open(if proposal_sent { "Proposal sent" } else { "Meeting booked" });
            return;
        }
        let win = if took_place { win_after_meeting } else { WIN_AFTER_NO_SHOW };
        if self.rng.random_bool((win * deal.owner.win_factor).min(1.0)) {
            self.won(deal, close_day);
        } else {
            self.lost(deal, close_day, proposal_sent);
        }
    }

    /// Sometimes a proposal 1–3 days after the meeting; whether one went out by `as_of`.
    fn proposal(&mut self, meeting_day: u32) -> bool {
        if !self.rng.random_bool(PROPOSAL_AFTER_MEETING) {
            return false;
        }
        let delay = self.rng.random_range(1..=3);
        let at = self.business_time(meeting_day + delay);
        self.push(at, Channel::Email, Direction::Outbound, "Sent", "Proposal attached");
        at < self.limit
    }

    /// A won deal: maybe a final call on the close day, then 1–2 post-sale touches.
    fn won(&mut self, deal: &mut Deal, close_day: u32) {
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
                self.push(at, Channel::Email, Direction::Outbound, "Sent", "Onboarding");
            }
        }
    }

    /// A lost deal: maybe a last email on the close day.
    fn lost(&mut self, deal: &mut Deal, close_day: u32, proposal_sent: bool) {
        deal.close(Status::Lost, close_day);
        if self.rng.random_bool(LOST_EMAIL_ON_CLOSE_DAY) {
            let at = close_day * MINUTES_PER_DAY + self.business_minute();
            let subject = if proposal_sent { "Re: proposal" } else { "Thanks for your time" };
            self.push(at, Channel::Email, Direction::Outbound, "Sent", subject);
        }
    }

    /// An open deal without a response: `Contacted`, or `New` when the owner never
    /// updated the stage.
    fn leave_silent_open(&mut self, deal: &mut Deal) {
        let stage = if self.rng.random_bool(STAGE_NEVER_UPDATED) { "New" } else { "Contacted" };
        deal.keep_open(stage);
    }

    /// An internal note somewhere between the creation day and the last activity:
    /// it is dated on a day from the creation day to the last activity's day, at a
    /// business-hours time.
    fn add_note(&mut self, created_day: u32) {
        let last_day = self.activities.iter().map(|a| day_of(a.at)).max().unwrap_or(created_day);
        let day = self.rng.random_range(created_day..=last_day.max(created_day));
        let at = day * MINUTES_PER_DAY + self.business_minute();
        let subject = NOTE_SUBJECTS[self.rng.random_range(0..NOTE_SUBJECTS.len())];
        self.push(at, Channel::Note, Direction::Internal, "", subject);
    }

    /// Records an activity unless it falls after `as_of`.
    fn push(&mut self, at: u32, channel: Channel, direction: Direction, outcome: &'static str, subject: &'static str) {
        if at < self.limit {
            self.activities.push(Activity { at, channel, direction, outcome, subject_prefix: "", subject });
        }
    }

    /// When a reply to a message sent at `sent` on `channel` arrives: same day a few
    /// minutes to hours later, or days later (by the channel's weights) at any time
    /// between 07:00 and 21:59.
    fn reply_time(&mut self, sent: u32, channel: Channel) -> u32 {
        let (low, high) = REPLY_DELAY_DAYS[pick(&mut self.rng, channel.reply_delay_weights())];
        match self.rng.random_range(low..=high) {
            0 => sent + self.rng.random_range(10..=240),
            days => (day_of(sent) + days) * MINUTES_PER_DAY + self.rng.random_range(7 * 60..22 * 60),
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
        let value = (AMOUNT_LN_MEDIAN + AMOUNT_LN_SIGMA * z).exp().clamp(AMOUNT_MIN, AMOUNT_MAX);
        let whole = if self.rng.random_bool(0.7) { (value / 50.0).round() * 50.0 } else { value.round() };
        let cents = if self.rng.random_bool(0.05) { self.rng.random_range(1..100) } else { 0 };
        whole as u64 * 100 + cents
    }
}

/// Index drawn with probability proportional to its weight.
pub(super) fn pick<R: Rng, W: IntoIterator<Item = f64>>(rng: &mut R, weights: W) -> usize
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
