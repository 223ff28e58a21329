//! Tests of the parent module.

#[test]
fn done_words_and_planned_words() {
    for w in ["Done", "true", "Completed", "1", "COMPLETED", "No Answer", "Busy", "x", "✓"] {
        assert_eq!(parse_done(w), Ok(true), "{w}");
    }
    for w in [
        "To do",
        "false",
        "Not Started",
        "Waiting on someone else",
        "Deferred",
        "In Progress",
        "SCHEDULED",
        "queued",
        "Queued",
        "NOT_STARTED",
        "0",
    ] {
        assert_eq!(parse_done(w), Ok(false), "{w}");
    }
    assert!(parse_done("maybe").is_err());
}

#[test]
fn activity_types_by_their_words() {
    assert_eq!(parse_channel("followup_call_"), ChannelCell::Touch(Channel::Call));
    assert_eq!(parse_channel("Team lunch"), ChannelCell::Touch(Channel::Meeting));
    assert_eq!(parse_channel("lunch"), ChannelCell::Touch(Channel::Meeting));
    assert_eq!(parse_channel("Deadline"), ChannelCell::NotATouch);
    assert_eq!(parse_channel("contract_task"), ChannelCell::NotATouch);
    assert_eq!(parse_channel("ListEmail"), ChannelCell::Touch(Channel::Email));
    assert_eq!(parse_channel("LinkedIn"), ChannelCell::Touch(Channel::Social));
    assert_eq!(parse_channel("Cadence"), ChannelCell::Touch(Channel::Other));
    assert_eq!(parse_channel("Task"), ChannelCell::NotATouch);
}

use super::*;

fn t(y: i32, m: u32, d: u32, hh: i64, mm: i64) -> i64 {
    days_from_civil(y, m, d) as i64 * SECS_PER_DAY + hh * 3600 + mm * 60
}

#[test]
fn trimming_keeps_inner_text_and_drops_no_break_spaces() {
    assert_eq!(trim_cell("  a b \t"), "a b");
    assert_eq!(trim_cell("\u{a0}Café\u{a0}"), "Café");
    assert_eq!(trim_cell("é"), "é");
}

#[test]
fn dates_in_every_accepted_form() {
    let want = t(2026, 10, 31, 16, 14);
    assert_eq!(parse_datetime("2026-10-31 16:14", false), Ok(want));
    assert_eq!(parse_datetime("2026-10-31T16:14:00", false), Ok(want));
    assert_eq!(parse_datetime("2026-10-31T16:14:00.250Z", false), Ok(want));
    assert_eq!(parse_datetime("2026-10-31T18:14:00+02:00", false), Ok(want));
    assert_eq!(parse_datetime("10/31/2026 4:14 PM", false), Ok(want));
    assert_eq!(parse_datetime("31/10/2026 16:14", true), Ok(want));
    assert_eq!(parse_datetime("31.10.2026 16:14", false), Ok(want));
    assert_eq!(parse_datetime("2026/10/31", false), Ok(t(2026, 10, 31, 0, 0)));
    assert_eq!(parse_datetime(" 2026-10-31 ", false), Ok(t(2026, 10, 31, 0, 0)));
    assert_eq!(parse_datetime("1/2/2026 12:05 AM", false), Ok(t(2026, 1, 2, 0, 5)));
}

#[test]
fn zoned_times_move_to_the_timezone_and_naive_ones_stay() {
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    // 2026-10-31 is after the end of summer time (2026-10-25): Berlin is UTC+1, so
    // 23:30 UTC is 00:30 on 1 November there.
    assert_eq!(parse_datetime_in("2026-10-31T23:30:00Z", false, None), Ok(t(2026, 10, 31, 23, 30)));
    assert_eq!(parse_datetime_in("2026-10-31T23:30:00Z", false, Some(berlin)), Ok(t(2026, 11, 1, 0, 30)));
    // In summer Berlin is UTC+2.
    assert_eq!(parse_datetime_in("2026-07-01T08:00:00Z", false, Some(berlin)), Ok(t(2026, 7, 1, 10, 0)));
    // An offset names the instant: 18:14+02:00 = 16:14 UTC = 17:14 in Berlin (CET).
    assert_eq!(parse_datetime_in("2026-10-31T18:14:00+02:00", false, Some(berlin)), Ok(t(2026, 10, 31, 17, 14)));
    // Naive times (HubSpot) are taken as written.
    assert_eq!(parse_datetime_in("2026-10-31 23:30", false, Some(berlin)), Ok(t(2026, 10, 31, 23, 30)));
    assert_eq!(parse_datetime_in("2026-10-31", false, Some(berlin)), Ok(t(2026, 10, 31, 0, 0)));
}

#[test]
fn bad_dates_say_why() {
    assert_eq!(parse_datetime("", false), Err(CellError::Empty));
    assert!(matches!(parse_datetime("31/10/2026", false), Err(CellError::DayFirst(_))));
    assert!(matches!(parse_datetime("2026-02-30", false), Err(CellError::DateRange(_))));
    assert!(matches!(parse_datetime("2026-10-31 25:00", false), Err(CellError::DateRange(_))));
    assert!(matches!(parse_datetime("next tuesday", false), Err(CellError::Date(_))));
    assert!(matches!(parse_datetime("2026-10-31 16:14 extra", false), Err(CellError::Date(_))));
    let msg = parse_datetime("31/10/2026", false).unwrap_err().to_string();
    assert!(msg.contains("--day-first"), "{msg}");
}

#[test]
fn amounts_in_every_spelling() {
    let v = |s: &str| parse_amount(s).unwrap();
    assert_eq!(v("$1,234.50"), Some((1234.5, Some("USD".into()))));
    assert_eq!(v("1.234,50 €"), Some((1234.5, Some("EUR".into()))));
    assert_eq!(v("1234.5"), Some((1234.5, None)));
    assert_eq!(v("25000.0"), Some((25000.0, None)));
    assert_eq!(v("£1,200"), Some((1200.0, Some("GBP".into()))));
    assert_eq!(v("12,5"), Some((12.5, None)));
    assert_eq!(v("1 234,56"), Some((1234.56, None)));
    assert_eq!(v("EUR 900"), Some((900.0, Some("EUR".into()))));
    assert_eq!(v("1.234.567"), Some((1_234_567.0, None)));
    assert_eq!(v(""), None);
    assert!(parse_amount("about ten").is_err());
    assert!(parse_amount("12/10").is_err());
}

#[test]
fn a_400_digit_amount_is_out_of_range_not_infinity() {
    let huge = "9".repeat(400);
    assert!(matches!(parse_amount(&huge), Err(CellError::AmountRange(_))));
    assert!(matches!(parse_amount(&format!("${huge}")), Err(CellError::AmountRange(_))));
    assert!(matches!(parse_amount("1,000,000,000,000,000"), Err(CellError::AmountRange(_))));
    assert!(matches!(parse_amount("1000000000000000"), Err(CellError::AmountRange(_))));
    assert_eq!(parse_amount("999999999999999").unwrap().map(|(v, _)| v), Some(999_999_999_999_999.0));
    assert_eq!(parse_amount(&format!("0000{}1", "0".repeat(200))).unwrap().map(|(v, _)| v), Some(1.0));
    // The message quotes a bounded piece of the cell.
    let msg = parse_amount(&huge).unwrap_err().to_string();
    assert!(msg.len() < 200, "{msg}");
}

#[test]
fn thousands_groups_must_hold_three_digits() {
    for s in [
        "1,2,3",
        "1.2.3",
        "12,34,567",
        "1,234,5",
        "1.234.56",
        "1,234.5.6",
        "1 23",
        "1,234 567",
        "1.234,5,6",
        "1,234'567.5",
    ] {
        assert!(matches!(parse_amount(s), Err(CellError::AmountGroups(_))), "{s}: {:?}", parse_amount(s));
    }
    let v = |s: &str| parse_amount(s).unwrap().map(|(v, _)| v);
    assert_eq!(v("1,234,567.89"), Some(1_234_567.89));
    assert_eq!(v("1.234.567,89"), Some(1_234_567.89));
    assert_eq!(v("1'234.50"), Some(1234.5));
    assert_eq!(v("1\u{a0}234\u{a0}567"), Some(1_234_567.0));
}

#[test]
fn a_lone_mark_before_three_digits_groups_thousands_in_formatted_amounts() {
    let v = |s: &str| parse_amount(s).unwrap();
    // One rule for `.` and `,` once the amount is formatted.
    assert_eq!(v("1.234 €"), Some((1234.0, Some("EUR".into()))));
    assert_eq!(v("1,234 €"), Some((1234.0, Some("EUR".into()))));
    assert_eq!(v("$1.234"), Some((1234.0, Some("USD".into()))));
    assert_eq!(v("1,234"), Some((1234.0, None)));
    assert_eq!(v("(1.234)"), Some((-1234.0, None)));
    // Not a thousands group: a leading 0, four digits before, or not three after.
    assert_eq!(v("0,125 €"), Some((0.125, Some("EUR".into()))));
    assert_eq!(v("1234,567"), Some((1234.567, None)));
    assert_eq!(v("12,50 €"), Some((12.5, Some("EUR".into()))));
    // A plain number is read as a machine writes it: `.` is the decimal point.
    assert_eq!(v("1.234"), Some((1.234, None)));
    assert_eq!(v("-312.375"), Some((-312.375, None)));
}

#[test]
fn words_are_currencies_only_when_they_are_known_codes() {
    assert!(matches!(parse_amount("10 mil"), Err(CellError::Currency(_, w)) if w == "mil"));
    assert!(matches!(parse_amount("10k"), Err(CellError::Currency(..))));
    assert!(matches!(parse_amount("NaN"), Err(CellError::Currency(..))));
    assert!(matches!(parse_amount("inf"), Err(CellError::Currency(..))));
    assert!(parse_amount("EUR 900 USD").is_err());
    assert!(parse_amount("$ 900 EUR").is_err());
    assert!(parse_amount("1e400").is_err());
    let v = |s: &str| parse_amount(s).unwrap();
    assert_eq!(v("900 chf"), Some((900.0, Some("CHF".into()))));
    assert_eq!(v("₹500000"), Some((500_000.0, Some("INR".into()))));
    assert_eq!(v("-$5"), Some((-5.0, Some("USD".into()))));
    let msg = parse_amount("10 mil").unwrap_err().to_string();
    assert!(msg.contains("\"mil\" is not a currency"), "{msg}");
}

#[test]
fn an_offset_beyond_14_hours_is_refused() {
    for s in [
        "2026-10-31T10:00:00+99:99",
        "2026-10-31T10:00:00+15:00",
        "2026-10-31T10:00:00-14:30",
        "2026-10-31T10:00+0160",
        "2026-10-31T10:00:00+12:60",
    ] {
        assert!(matches!(parse_datetime(s, false), Err(CellError::Zone(_))), "{s}: {:?}", parse_datetime(s, false));
    }
    assert_eq!(parse_datetime("2026-10-31T10:00:00+14:00", false), Ok(t(2026, 10, 30, 20, 0)));
    assert_eq!(parse_datetime("2026-10-31T10:00:00-12:00", false), Ok(t(2026, 10, 31, 22, 0)));
    assert_eq!(parse_datetime("2026-10-31T10:00:00+0530", false), Ok(t(2026, 10, 31, 4, 30)));
}

#[test]
fn two_digit_years_follow_one_pivot_in_every_shape() {
    assert_eq!(parse_datetime("10/31/26", false), Ok(t(2026, 10, 31, 0, 0)));
    assert_eq!(parse_datetime("1/2/26", false), Ok(t(2026, 1, 2, 0, 0)));
    assert_eq!(parse_datetime("31/10/26 16:14", true), Ok(t(2026, 10, 31, 16, 14)));
    assert_eq!(parse_datetime("31.10.26", false), Ok(t(2026, 10, 31, 0, 0)));
    assert_eq!(parse_datetime("31.10.69", false), Ok(t(2069, 10, 31, 0, 0)));
    assert_eq!(parse_datetime("31.10.70", false), Ok(t(1970, 10, 31, 0, 0)));
    assert_eq!(parse_datetime("12/31/99", false), Ok(t(1999, 12, 31, 0, 0)));
    for s in ["1/2/6", "1/2/026", "10/31/2"] {
        assert!(matches!(parse_datetime(s, false), Err(CellError::Date(_))), "{s}");
    }
}

#[test]
fn text_after_the_time_is_refused_without_panicking() {
    for s in [
        "2026-10-31 10:00 – 11:00",
        "2026-10-31 10:00 a–",
        "2026-10-31 10:00 é",
        "2026-10-31 10:00 p",
        "2026-10-31 10:00 pmé",
        "2026-10-31T10:00+01:00€",
    ] {
        assert!(matches!(parse_datetime(s, false), Err(CellError::Date(_))), "{s}: {:?}", parse_datetime(s, false));
    }
}

#[test]
fn touch_counts_above_the_cap_are_refused() {
    assert_eq!(parse_count("10000"), Ok(Some(10_000)));
    assert_eq!(parse_count("14.0"), Ok(Some(14)));
    assert!(matches!(parse_count("10001"), Err(CellError::CountRange(_))));
    assert!(matches!(parse_count("10000000"), Err(CellError::CountRange(_))));
    assert!(matches!(parse_count("inf"), Err(CellError::Count(_))));
    assert!(parse_count("10000000").unwrap_err().to_string().contains("10,000"));
}

#[test]
fn ids_damaged_by_excel_are_refused() {
    assert_eq!(parse_id(" 192236606158 "), Ok("192236606158"));
    assert!(matches!(parse_id("1.92236E+11"), Err(CellError::DamagedId(_))));
    assert_eq!(parse_id("ACME-E+1"), Ok("ACME-E+1"));
    assert_eq!(parse_id(""), Err(CellError::Empty));
}

#[test]
fn outcomes_follow_the_spec_table() {
    for w in ["Connected", " answered", "REPLIED", "reply", "Completed", "held", "attended"] {
        assert_eq!(classify_outcome(w), (OutcomeClass::TwoWay, true), "{w}");
    }
    for w in ["No show", "no-show", "Canceled", "cancelled", "rescheduled", "not held"] {
        assert_eq!(classify_outcome(w).0, OutcomeClass::NotHeld, "{w}");
    }
    for w in ["out of office", "Auto-Reply", "automatic reply", "undeliverable", "delivery failure"] {
        assert_eq!(classify_outcome(w).0, OutcomeClass::AutoReply, "{w}");
    }
    for w in ["unsubscribed", "Opted out", "do not contact"] {
        assert_eq!(classify_outcome(w).0, OutcomeClass::OptOut, "{w}");
    }
    assert_eq!(classify_outcome("Bounced").0, OutcomeClass::Bounced);
    assert_eq!(classify_outcome("Left voicemail"), (OutcomeClass::OneWay, true));
    assert_eq!(classify_outcome("Meeting booked"), (OutcomeClass::OneWay, false));
    assert_eq!(classify_outcome("F240BBAC-87C9-4F6E-BF70-924B57D47DB7"), (OutcomeClass::TwoWay, true));
    assert_eq!(classify_outcome("b2cf5968-551e-4856-9783-52b3da59a7d0"), (OutcomeClass::OneWay, true));
    assert_eq!(parse_direction("FORWARDED_EMAIL"), Ok(Direction::Outbound));
    assert_eq!(parse_direction("INCOMING_EMAIL"), Ok(Direction::Inbound));
    assert_eq!(parse_bool(" TRUE "), Ok(true));
    assert!(parse_bool("maybe").is_err());
}

#[test]
fn auto_reply_subjects() {
    assert!(is_auto_reply_subject("Automatic reply: away"));
    assert!(is_auto_reply_subject("OUT OF OFFICE until Monday"));
    assert!(is_auto_reply_subject("Delivery Status Notification (Failure)"));
    assert!(!is_auto_reply_subject("Re: out of office plans"));
    assert!(!is_auto_reply_subject("é"));
}

mod iso_fast_path {
    use super::super::{iso_fast, parse_datetime_general};
    use proptest::prelude::*;

    /// Where the fixed-place reading of `2026-10-31 16:14` answers, it answers what the
    /// whole grammar does; where it does not, the whole grammar reads the cell.
    fn agrees(s: &str) {
        if let Some(secs) = iso_fast(s.as_bytes()) {
            assert_eq!(parse_datetime_general(s, false), Ok((secs, None)), "{s}");
        }
    }

    #[test]
    fn edges() {
        for s in [
            "2026-10-31",
            "2026-10-31 16:14",
            "2026-10-31T16:14:05",
            "2026-10-31 23:59:60",
            "2024-02-29",
            "0000-01-01 00:00",
            "9999-12-31T23:59:59",
        ] {
            assert!(iso_fast(s.as_bytes()).is_some(), "{s}");
            agrees(s);
        }
        for s in [
            "2026-02-29",
            "2026-13-01",
            "2026-10-00",
            "2026-10-31 24:00",
            "2026-10-31 16:60",
            "2026-10-31 16:14:61",
            "2026-10-31t16:14",
            "2026-10-31 16-14",
            "2026-10-31 16:14Z0",
            "2026/10/31",
            "2026-1-031",
            "+026-10-31",
        ] {
            assert_eq!(iso_fast(s.as_bytes()), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_whole_grammar(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?") {
            agrees(&s);
        }

        #[test]
        fn agrees_on_near_misses(s in "[0-9+ ]{4}[-/][0-9 ]{2}[-/][0-9]{2}([ Tt][0-9]{2}[:.][0-9]{2}([:.][0-9]{2}|Z  )?)?") {
            agrees(&s);
        }
    }
}
