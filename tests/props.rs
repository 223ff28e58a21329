//! Properties over random inputs: the row ledger always adds up, the Kaplan–Meier
//! cumulative never falls below the plain cumulative, and the timing figures of issue 13
//! add up (CIF, competing outcomes, speed bands, spacing buckets, late answers).

use proptest::prelude::*;

use followup::cli::ReportArgs;
use followup::config::RunConfig;

fn run(dir: &std::path::Path, csv: &str) -> followup::metrics::Metrics {
    let path = dir.join("log.csv");
    std::fs::write(&path, csv).expect("write");
    let mut args = ReportArgs::default();
    args.input.inputs = vec![path];
    let cfg = RunConfig::try_from(&args).expect("config");
    let ing = followup::ingest::ingest(&(&cfg).into()).expect("ingest");
    followup::metrics::compute(ing, &followup::metrics::MetricsOptions::from(&cfg)).expect("compute").metrics
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\"".to_string()),
        Just("a,b".to_string()),
        Just("2026-10-01 09:00".to_string()),
        Just("13/13/2026".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

fn garbage_row() -> impl Strategy<Value = String> {
    prop::collection::vec(cell(), 0..8)
        .prop_map(|cells| cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","))
}

fn touch_row() -> impl Strategy<Value = String> {
    (
        0u8..6,
        0u32..40,
        0u32..24,
        prop::sample::select(vec!["Email", "Call", "Meeting", "Note"]),
        prop::sample::select(vec!["Outbound", "Inbound", ""]),
        prop::sample::select(vec![
            "Sent",
            "Replied",
            "Connected",
            "No show",
            "Bounced",
            "Unsubscribed",
            "Out of office",
            "",
        ]),
        prop::sample::select(vec!["Proposal", "Closed Won", "Closed Lost", ""]),
    )
        .prop_map(|(deal, day, hour, ch, dir, out, stage)| {
            let day = 1 + day % 28;
            let month = 9 + (day % 2);
            format!("D{deal},2026-{month:02}-{day:02} {hour:02}:00,{ch},{dir},{out},{stage},100,2026-10-20")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn rows_add_up_for_any_input(rows in prop::collection::vec(prop_oneof![garbage_row(), touch_row()], 0..40)) {
        let dir = tempfile::tempdir().expect("tmp");
        let csv = format!("Deal,Date,Contact method,Direction,Outcome,Deal stage,Value,Close date\n{}\n", rows.join("\n"));
        let m = run(dir.path(), &csv);
        let f = &m.inputs[0];
        prop_assert_eq!(f.rows, f.used + f.rejected + f.duplicates);
        let records: Vec<csv::StringRecord> =
            csv::ReaderBuilder::new().flexible(true).from_reader(csv.as_bytes()).records().filter_map(|r| r.ok()).collect();
        // One-cell lines at the end are a footer (ISSUE10.md decision 14): not rows,
        // the non-blank ones counted as skipped.
        let footer: Vec<&csv::StringRecord> = records.iter().rev().take_while(|r| r.len() == 1).collect();
        prop_assert_eq!(f.rows + footer.len(), records.len());
        prop_assert_eq!(f.skipped, footer.iter().filter(|r| !r[0].trim().is_empty()).count());
    }

    #[test]
    fn km_cumulative_is_at_least_the_plain_cumulative(rows in prop::collection::vec(touch_row(), 1..60)) {
        let dir = tempfile::tempdir().expect("tmp");
        let csv = format!("Deal,Date,Contact method,Direction,Outcome,Deal stage,Value,Close date\n{}\n", rows.join("\n"));
        let m = run(dir.path(), &csv);
        for r in &m.response_by_touch {
            if let (Some(km), Some(c)) = (r.cumulative_km, r.cumulative) {
                prop_assert!(km + 1e-12 >= c, "touch {}: km {} < cumulative {}", r.touch, km, c);
            }
            prop_assert!(r.responded <= r.sent);
        }
    }

    /// Issue 13: CIF_k is non-decreasing, at most 1 and at most Kaplan–Meier (see the
    /// comment on rule 4's KM: decisions.md, "Competing outcomes"); the outcomes
    /// ending at touch k plus the deals going on to k+1 add up to at_risk_k; the speed
    /// bands add up to the deals; spacing's buckets add up to the pooled and to rule 4's
    /// sent_k; late answers count every attributed first response once.
    #[test]
    fn timing_figures_add_up(rows in prop::collection::vec(touch_row(), 1..80)) {
        let dir = tempfile::tempdir().expect("tmp");
        let csv = format!("Deal,Date,Contact method,Direction,Outcome,Deal stage,Value,Close date\n{}\n", rows.join("\n"));
        let m = run(dir.path(), &csv);
        let steps = &m.competing_outcomes;
        let (mut prev, mut survive) = (0.0, 1.0);
        for (i, s) in steps.iter().enumerate() {
            prop_assert_eq!(s.touch, i as u32 + 1);
            prop_assert!(s.cif + 1e-12 >= prev && s.cif <= 1.0 + 1e-12, "CIF {} after {}", s.cif, prev);
            prev = s.cif;
            // Kaplan–Meier on rule 13's own risk sets (opt-outs and losses censored) is
            // never below the CIF; rule 4's KM beside it is not either, unless a deal was
            // touched after opting out (rule 4 keeps it at risk as a non-responder).
            survive *= 1.0 - s.responded as f64 / s.at_risk as f64;
            prop_assert!(s.cif <= 1.0 - survive + 1e-9, "touch {}: CIF {} above KM {}", s.touch, s.cif, 1.0 - survive);
            let km = s.cumulative_km.expect("deals at risk at touch 1");
            if m.contacted_after_opt_out.deals == 0 {
                prop_assert!(s.cif <= km + 1e-9, "touch {}: CIF {} above rule 4's KM {}", s.touch, s.cif, km);
            }
            let next = steps.get(i + 1).map_or(0, |n| n.at_risk);
            prop_assert_eq!(s.responded + s.opted_out + s.lost + s.censored + next, s.at_risk);
            prop_assert_eq!(s.going_on(), next);
        }
        prop_assert!(steps.last().is_none_or(|s| s.at_risk > 0));
        for t in [&m.speed_to_answer.speed_to_lead, &m.speed_to_answer.time_to_answer] {
            prop_assert_eq!(t.bands.len(), 5);
            prop_assert_eq!(t.bands.iter().map(|b| b.deals).sum::<usize>(), t.deals);
            prop_assert_eq!(t.bands[4].deals, t.deals - t.answered);
            prop_assert!(t.bands.iter().all(|b| b.won + b.lost <= b.deals));
        }
        prop_assert!(m.speed_to_answer.speed_to_lead.deals <= m.speed_to_answer.time_to_answer.deals);
        let sp = &m.spacing;
        for (b, pooled) in sp.pooled.iter().enumerate() {
            let of_bucket = sp.by_touch.iter().filter(|r| r.rate.bucket == pooled.bucket);
            prop_assert_eq!(of_bucket.clone().map(|r| r.rate.sent).sum::<u64>(), pooled.sent, "bucket {}", b);
            prop_assert_eq!(of_bucket.map(|r| r.rate.responded).sum::<u64>(), pooled.responded);
        }
        for r in &m.response_by_touch[1.min(m.response_by_touch.len())..] {
            let at_k = sp.by_touch.iter().filter(|x| x.touch == r.touch);
            prop_assert_eq!(at_k.clone().map(|x| x.rate.sent).sum::<u64>(), r.sent, "touch {}", r.touch);
            prop_assert_eq!(at_k.map(|x| x.rate.responded).sum::<u64>(), r.responded);
        }
        let attributed: u64 = m.response_by_touch.iter().map(|r| r.responded).sum();
        prop_assert_eq!(m.late_answers.iter().map(|a| a.deals as u64).sum::<u64>(), attributed);
        prop_assert_eq!(m.reply_delay.overall.deals as u64, attributed);
    }
}
