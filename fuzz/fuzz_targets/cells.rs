//! The cell parsers of src/ingest/cells.rs (dates, amounts, counts, ids, flags, words),
//! the byte sniffers of sniff.rs and the date flags of `report`. The first byte picks
//! `--day-first` and a time zone; the rest is the cell.
#![no_main]

use followup::ingest::cells::{self, format_time, parse_amount, parse_count, parse_datetime, parse_datetime_in, parse_id};
use followup::ingest::{container, formats, sniff};
use followup_fuzz::CappedAlloc;
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

const ZONES: [Option<chrono_tz::Tz>; 8] = [
    None,
    Some(chrono_tz::Tz::Europe__Berlin),
    Some(chrono_tz::Tz::America__New_York),
    Some(chrono_tz::Tz::Pacific__Chatham),
    Some(chrono_tz::Tz::Asia__Kolkata),
    Some(chrono_tz::Tz::Australia__Lord_Howe),
    Some(chrono_tz::Tz::Pacific__Kiritimati),
    Some(chrono_tz::Tz::America__St_Johns),
];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, raw)) = data.split_first() else { return };
    let day_first = flags & 1 == 1;
    let tz = ZONES[usize::from(flags >> 1) % ZONES.len()];

    // Byte sniffing (a file's first bytes).
    let (text, _) = sniff::decode(raw);
    let (sep, body) = sniff::strip_sep_line(&text);
    if let Some(d) = sep {
        assert!(d.is_ascii(), "a sep= line naming the byte {d:#x}");
    }
    sniff::delimiter_name(sniff::sniff_delimiter(body));

    let s = String::from_utf8_lossy(raw);
    let s = s.as_ref();

    // Dates.
    let zoned = parse_datetime_in(s, day_first, tz);
    let utc = parse_datetime(s, day_first);
    assert_eq!(zoned.is_ok(), utc.is_ok(), "{s:?}: read in {tz:?} {zoned:?}, in UTC {utc:?}");
    assert_eq!(parse_datetime_in(s, day_first, None), utc, "{s:?}: --timezone UTC differs from no zone");
    if !s.contains('/') {
        assert_eq!(parse_datetime(s, !day_first), utc, "{s:?}: --day-first changed a date without slashes");
    }
    if let Ok(t) = utc {
        let (year, _, _) = cells::civil_from_days(followup::model::day_of(t));
        if (1..=9998).contains(&year) {
            let shown = format_time(t);
            assert_eq!(parse_datetime(&shown, false), Ok(t - t.rem_euclid(60)), "{s:?} read as {shown}, which reads back differently");
        }
    }

    // Amounts.
    match parse_amount(s) {
        Ok(Some((v, currency))) => {
            assert!(v.is_finite(), "{s:?} read as the amount {v}");
            if let Some(c) = &currency {
                assert!(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()), "{s:?}: currency {c:?}");
            }
            let again = parse_amount(&v.to_string());
            assert_eq!(again, Ok(Some((v, None))), "{s:?} read as {v}, which reads back differently");
        }
        Ok(None) => assert!(cells::trim_cell(s).is_empty() || cells::trim_cell(s) == "-", "{s:?} read as no amount"),
        Err(e) => assert!(!e.to_string().is_empty()),
    }

    // Counts, ids, flags and words.
    if let Ok(Some(n)) = parse_count(s) {
        assert_eq!(s.trim().parse::<f64>().ok(), Some(f64::from(n)), "{s:?} read as the count {n}");
    }
    if let Ok(id) = parse_id(s) {
        assert!(!id.is_empty() && s.contains(id), "{s:?} read as the id {id:?}");
    }
    let t = cells::trim_cell(s);
    assert_eq!(cells::trim_cell(t), t, "trim_cell is not idempotent on {s:?}");
    let _ = cells::parse_bool(s);
    let _ = cells::parse_status(s);
    let _ = cells::status_from_stage(s);
    let _ = cells::parse_channel(s);
    let _ = cells::parse_direction(s);
    let _ = cells::classify_outcome(s);
    let _ = cells::is_auto_reply_subject(s);
    let headers: Vec<String> = s.split(',').map(str::to_owned).collect();
    let _ = formats::detect(&headers);

    // A spreadsheet date serial (calamine hands us any f64 of a date-styled cell).
    if raw.len() >= 8 {
        let serial = f64::from_le_bytes(raw[..8].try_into().expect("8 bytes"));
        let shown = container::excel_serial_to_text(serial);
        if serial.is_finite() && (1.0..2_958_465.0).contains(&serial) {
            assert!(parse_datetime(&shown, false).is_ok(), "serial {serial} shown as {shown:?}, which does not read back");
        }
    }

    // The date flags of `report`.
    let raw_args = |f: &dyn Fn(&mut followup::cli::ReportArgs)| {
        let mut a = followup::cli::ReportArgs::default();
        a.input.inputs = vec!["a.csv".into()];
        f(&mut a);
        let _ = followup::config::RunConfig::try_from(&a);
    };
    raw_args(&|a| a.as_of = Some(s.to_owned()));
    raw_args(&|a| a.month = Some(s.to_owned()));
    raw_args(&|a| {
        a.from = Some(s.to_owned());
        a.to = Some("2030-01-01".into());
    });
    raw_args(&|a| a.input.currency = s.to_owned());
    raw_args(&|a| a.input.timezone = s.to_owned());
});
