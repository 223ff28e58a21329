//! The canonical sample: determinism, the invariants of every deal's rows, the split
//! form against the log, and the model's draws.

use super::generate::pick;
use super::model::*;
use super::names::{deal_name, NAME_COMBINATIONS};
use super::write::*;
use super::*;
use chrono::NaiveDateTime;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};

/// An empty directory under the system temp dir, removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("followup-sample-test-{}-{name}", std::process::id()));
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
    SampleOptions { deals, seed, split, ..SampleOptions::default() }
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
    let header = reader.headers().expect("header").iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.expect("valid record").iter().map(String::from).collect()).collect();
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
///
/// Long on purpose (over 80 lines): one flat checklist of the module docs' rules, read
/// top to bottom against them; split up, the rules would hide behind helper names.
fn check_log(opts: &SampleOptions, deals: &[Vec<Vec<String>>]) {
    let owners: HashMap<&str, &str> = OWNERS.iter().map(|o| (o.name, o.currency)).collect();
    let cadences: HashSet<&str> = CADENCES.iter().map(|c| c.name).collect();
    let last_created = opts.as_of - chrono::Days::new(u64::from(CREATION_MARGIN_DAYS));
    let mut names = HashSet::new();
    assert_eq!(deals.len(), opts.deals, "every deal has at least one row, in one block");
    for (index, rows) in deals.iter().enumerate() {
        let first = LogRow(&rows[0]);
        assert_eq!(first.id(), format!("D{:06}", index + 1));
        assert!(names.insert(first.name().to_string()), "duplicate name {}", first.name());
        let owner_currency = owners.get(first.owner()).expect("known owner");
        assert_eq!(first.currency(), *owner_currency);
        assert!(cadences.contains(first.cadence()), "cadence {:?}", first.cadence());
        let created = date(first.created());
        assert!(created >= opts.start && created <= last_created, "created {created}");
        if !first.value().is_empty() {
            let (whole, cents) = first.value().split_once('.').expect("decimal point");
            assert!(cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit()));
            let amount: f64 = first.value().parse().expect("decimal amount");
            assert!((500.0..60_001.0).contains(&amount), "amount {amount} ({whole})");
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
                rows.iter().any(|r| LogRow(r).is_outbound() && time(LogRow(r).at()).date() <= close),
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
            assert!(at.date() >= created && at.date() <= opts.as_of, "row at {at}");
            assert!(previous.is_none_or(|p| p <= at), "rows of a deal in time order");
            previous = Some(at);
            let outcome = row.outcome();
            match (row.channel(), row.direction()) {
                ("Email", "Outbound") => assert!(matches!(outcome, "Sent" | "Bounced")),
                ("Email", "Inbound") => match outcome {
                    "Replied" | "Unsubscribed" => {}
                    "" => assert!(
                        row.subject().starts_with("Automatic reply: ") || row.subject().starts_with("Out of Office: ")
                    ),
                    other => panic!("inbound email outcome {other:?}"),
                },
                ("Call", "Outbound") => {
                    assert!(matches!(outcome, "Connected" | "Left voicemail" | "No answer" | "Busy" | "Wrong number"));
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
        assert!(touches_after_opt_out <= 1, "at most one touch after opting out");
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
            assert_eq!(fs::read(x).expect("first file"), fs::read(y).expect("second file"));
        }
    }
}

#[test]
fn different_seeds_give_different_files() {
    let (a, b) = (ScratchDir::new("seed-a"), ScratchDir::new("seed-b"));
    write_sample(&options(200, 1, false), &a.0).expect("first sample");
    write_sample(&options(200, 2, false), &b.0).expect("second sample");
    assert_ne!(fs::read(a.0.join(LOG_FILE)).expect("first log"), fs::read(b.0.join(LOG_FILE)).expect("second log"));
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
    let opts =
        SampleOptions { deals: 300, start: date("2026-10-01"), as_of: date("2026-10-15"), ..SampleOptions::default() };
    let (_, deals) = log_deals(&opts, &dir);
    check_log(&opts, &deals);
}

/// Long on purpose (over 80 lines): every share the module docs state, measured on
/// one sample and compared in one place.
#[test]
fn a_thousand_deals_have_the_expected_structure() {
    let dir = ScratchDir::new("structure");
    let (summary, deals) = log_deals(&options(1000, 42, false), &dir);
    let rows = || deals.iter().flatten().map(|r| LogRow(r));
    let count_deals = |f: &dyn Fn(&[Vec<String>]) -> bool| deals.iter().filter(|d| f(d)).count();
    let count_rows = |f: &dyn Fn(&LogRow) -> bool| rows().filter(|r| f(r)).count();

    let per_deal = summary.touch_rows as f64 / 1000.0;
    assert!((2.4..3.1).contains(&per_deal), "rows per deal {per_deal}");

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
    assert!((20..=90).contains(&inbound_first), "inbound-initiated {inbound_first}");

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
    for vocabulary in ["Held", "No show", "Left voicemail", "No answer", "Busy", "Wrong number"] {
        assert!(count_rows(&|r| r.outcome() == vocabulary) > 0, "{vocabulary}");
    }
    assert!(count_rows(&|r| r.channel() == "Meeting" && r.outcome().is_empty()) > 0);
    let opt_outs = count_rows(&|r| r.outcome() == "Unsubscribed");
    assert!((4..=30).contains(&opt_outs), "opt-outs {opt_outs}");
    let contacted_after_opt_out = count_deals(&|d| {
        d.iter().map(|r| LogRow(r)).skip_while(|r| r.outcome() != "Unsubscribed").any(|r| r.is_outbound())
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
            LogRow(&d[0]).cadence() == "Weekly calls" && d.iter().filter(|r| LogRow(r).channel() == "Call").count() == 8
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
    assert!((0.35..0.65).contains(&share), "stopped after touch 1: {share}");
}

#[test]
fn split_form_carries_the_same_data_as_the_log() {
    let (log_dir, split_dir) = (ScratchDir::new("log"), ScratchDir::new("split"));
    let (log_summary, deals) = log_deals(&options(1000, 9, false), &log_dir);
    let summary = write_sample(&options(1000, 9, true), &split_dir.0).expect("split sample");
    assert_eq!(summary.touch_rows, log_summary.touch_rows);
    assert_eq!(summary.files, vec![split_dir.0.join(DEALS_FILE), split_dir.0.join(TOUCHES_FILE)]);
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
            [r.id(), r.at(), r.channel(), r.direction(), r.outcome(), r.subject()]
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
    let opts = SampleOptions { as_of: date("2025-12-31"), ..SampleOptions::default() };
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
