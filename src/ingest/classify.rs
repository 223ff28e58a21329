//! What a touch is, from its outcome class, channel and direction (SPEC §2, "Canonical
//! outcome words", and §3 rule 2): a pure function, tested below against the SPEC's
//! order of rules.

use crate::model::{Channel, Direction, Event, OutcomeClass};

/// The event of a touch, or `None` for a bounced email (not a touch at all). Rules in
/// SPEC order, first match wins:
/// 1. bounced → not a touch;
/// 2. an automatic reply — by its outcome, or an inbound email with no outcome whose
///    subject says so (`auto_reply_subject`) — is not a response;
/// 3. an opt-out is not a response (it ends the follow-up);
/// 4. a meeting is a response unless its outcome says it did not take place;
/// 5. an inbound touch, or a two-way outcome (connected, replied…), is a response;
/// 6. anything else is a plain one-way touch.
pub fn classify(
    class: OutcomeClass,
    channel: Channel,
    direction: Direction,
    auto_reply_subject: bool,
) -> Option<Event> {
    let inbound = direction == Direction::Inbound;
    Some(match class {
        OutcomeClass::Bounced => return None,
        OutcomeClass::AutoReply => Event::AutoReply,
        _ if inbound && channel == Channel::Email && auto_reply_subject => Event::AutoReply,
        OutcomeClass::OptOut => Event::OptOut,
        OutcomeClass::NotHeld if channel == Channel::Meeting => Event::Plain,
        _ if channel == Channel::Meeting => Event::Response,
        _ if inbound || class == OutcomeClass::TwoWay => Event::Response,
        _ => Event::Plain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Channel::{Call, Email, Meeting};
    use Direction::{Inbound, Outbound};
    use OutcomeClass::{AutoReply, Bounced, NotHeld, OneWay, OptOut, TwoWay};

    #[test]
    fn spec_order_first_match_wins() {
        // (class, channel, direction, auto-reply subject) → event
        let cases = [
            ((Bounced, Email, Outbound, false), None),
            ((Bounced, Meeting, Inbound, false), None),
            ((AutoReply, Email, Inbound, false), Some(Event::AutoReply)),
            ((OneWay, Email, Inbound, true), Some(Event::AutoReply)),
            ((OneWay, Email, Outbound, true), Some(Event::Plain)), // our own "Out of office" subject
            ((OneWay, Call, Inbound, true), Some(Event::Response)), // only emails by subject
            ((OptOut, Email, Inbound, false), Some(Event::OptOut)),
            ((OptOut, Meeting, Outbound, false), Some(Event::OptOut)),
            ((NotHeld, Meeting, Outbound, false), Some(Event::Plain)),
            ((OneWay, Meeting, Outbound, false), Some(Event::Response)), // a meeting with no outcome took place
            ((TwoWay, Meeting, Outbound, false), Some(Event::Response)),
            ((NotHeld, Call, Outbound, false), Some(Event::Plain)),
            ((OneWay, Call, Inbound, false), Some(Event::Response)),
            ((TwoWay, Call, Outbound, false), Some(Event::Response)),
            ((OneWay, Call, Outbound, false), Some(Event::Plain)),
        ];
        for ((class, channel, direction, subject), want) in cases {
            assert_eq!(
                classify(class, channel, direction, subject),
                want,
                "{class:?} {channel:?} {direction:?} subject={subject}"
            );
        }
    }
}
