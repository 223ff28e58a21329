//! `--map FILE.toml` and `followup map --init`: any spreadsheet, read through the
//! user's own column and value names.

use crate::util::{subset_diff, Workdir};

/// Four deals kept in a sheet with headers no format knows. Hand computation (as-of
/// 2026-10-31; the map says Signed = won, Dead = lost, Chasing = open, Us = outbound):
/// - A1: Emailed 09-01, Rang 09-04 (no pickup), Rang 09-08 (picked up: connected,
///   the first response, touch 3), Met 09-15 (Signed: won, closed 09-15). n = 4.
/// - B2: Emailed 09-02, reply from them 09-05 (inbound: response to touch 1), Emailed
///   09-20 (Dead: lost 09-20). n = 2.
/// - C3: Emailed 09-03, Rang 09-10, Emailed 09-17; Chasing, no response. n = 3.
/// - D4: Rang 09-06 (no pickup), Rang 09-07 (picked up, Signed: won 09-07). n = 2.
///
/// Touch 1: sent 4 (all), responded 1 (B2). Touch 2: sent 3 (A1, C3, D4), responded 1
/// (D4). Touch 3: sent 2 (A1, C3), responded 1 (A1). KM: 0.25, 1 − 0.75·2/3 = 0.5,
/// 1 − 0.5·0.5 = 0.75. Won n = 4 and 2: mean 3, median 3. Lost n = 2. Conversion
/// (n ≥ 2 for all four): 2 / (2 + 1). Recovered (n ≥ 3): A1, £2,000 of £5,000 won = 0.4.
/// Give-up: B2 lost after 2 touches; C3 open, last touch 09-17, 44 days ≥ 14: bucket 3-4.
const ODD: &str = "Client ref,Company,Touched on,Via,Way,Result,Pipeline step,Deal size,Notes\n\
A1,Alpha Ltd,2026-09-01 09:00,Emailed,Us,Sent,Chasing,\"£2,000\",first\n\
A1,Alpha Ltd,2026-09-04 10:00,Rang,Us,No pickup,Chasing,\"£2,000\",\n\
A1,Alpha Ltd,2026-09-08 11:00,Rang,Us,Picked up,Chasing,\"£2,000\",keen\n\
A1,Alpha Ltd,2026-09-15 14:00,Met,Us,,Signed,\"£2,000\",signed on the spot\n\
B2,Beta Co,2026-09-02 09:00,Emailed,Us,Sent,Chasing,\"£1,500\",\n\
B2,Beta Co,2026-09-05 16:00,Emailed,Them,Wrote back,Chasing,\"£1,500\",not now\n\
B2,Beta Co,2026-09-20 09:00,Emailed,Us,Sent,Dead,\"£1,500\",\n\
C3,Gamma Inc,2026-09-03 09:00,Emailed,Us,Sent,Chasing,£900,\n\
C3,Gamma Inc,2026-09-10 10:00,Rang,Us,No pickup,Chasing,£900,\n\
C3,Gamma Inc,2026-09-17 09:00,Emailed,Us,Sent,Chasing,£900,\n\
D4,Delta,2026-09-06 10:00,Rang,Us,No pickup,Chasing,\"£3,000\",\n\
D4,Delta,2026-09-07 15:00,Rang,Us,Picked up,Signed,\"£3,000\",\n";

const MAP: &str = r#"[columns]
deal_id = "Client ref"
name = "Company"
at = "Touched on"
channel = "Via"
direction = "Way"
outcome = "Result"
stage = "Pipeline step"
amount = "Deal size"

[status]
Signed = "won"
Dead = "lost"
Chasing = "open"

[channel]
Emailed = "email"
Rang = "call"
Met = "meeting"

[direction]
Us = "outbound"
Them = "inbound"

[outcome]
"Picked up" = "connected"
"No pickup" = "no answer"
"Wrote back" = "replied"
"#;

fn expected() -> serde_json::Value {
    serde_json::json!({
        "inputs": [{"path": "odd.csv", "format": "followup-log (mapped)", "rows": 12, "used": 12, "rejected": 0, "duplicates": 0}],
        "deals": {"total": 4, "won": 2, "lost": 1, "open": 1, "inbound_initiated": 0},
        "touches": {"outbound": 11, "inbound": 1, "unknown_outcomes": []},
        "response_by_touch": [
            {"touch": 1, "sent": 4, "responded": 1, "rate": 0.25, "cumulative": 0.25, "cumulative_km": 0.25},
            {"touch": 2, "sent": 3, "responded": 1, "rate": 1.0 / 3.0, "cumulative": 0.5, "cumulative_km": 0.5},
            {"touch": 3, "sent": 2, "responded": 1, "rate": 0.5, "cumulative": 0.75, "cumulative_km": 0.75}
        ],
        "touches_to_close": {"won": 2, "untracked": 0, "mean": 3.0, "median": 3.0, "histogram": [{"touches": 2, "deals": 1}, {"touches": 4, "deals": 1}]},
        "touches_before_loss": {"lost": 1, "mean": 2.0, "median": 2.0},
        "conversion_after_follow_up": {"followed_up": 4, "won": 2, "lost": 1, "open": 1, "rate": 2.0 / 3.0, "single_touch_rate": null},
        "revenue_recovered": {"deals": 1, "no_amount": 0, "by_currency": [{"currency": "GBP", "amount": 2000.0, "share_of_won": 0.4}]},
        "give_up": {"deals": 2, "buckets": [
            {"bucket": "1", "deals": 0}, {"bucket": "2", "deals": 1}, {"bucket": "3-4", "deals": 1}, {"bucket": "5+", "deals": 0}
        ]}
    })
}

fn assert_subset(actual: &serde_json::Value) {
    let mut diffs = Vec::new();
    subset_diff(&expected(), actual, "", &mut diffs);
    assert!(diffs.is_empty(), "metrics differ from the hand computation:\n{}", diffs.join("\n"));
}

#[test]
fn odd_headers_read_through_a_map_give_the_hand_computed_metrics() {
    let wd = Workdir::new();
    wd.write("odd.csv", ODD);
    wd.write("odd.toml", MAP);
    // Without the map the file matches no format.
    assert_eq!(wd.run(["report", "odd.csv"]).status.code(), Some(2));
    let m = wd.report(&["odd.csv"], &["--map", "odd.toml", "--as-of", "2026-10-31"]);
    assert_subset(&m);
}

#[test]
fn map_init_guesses_a_map_that_reads_the_same_file() {
    let wd = Workdir::new();
    wd.write("odd.csv", ODD);
    let out = wd.run(["map", "--init", "odd.csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("deal_id = \"Client ref\""), "{text}");
    assert!(text.contains("# cadence = \"\""), "unmapped columns are shown commented out:\n{text}");
    assert!(text.contains("# Headers not mapped (not read): \"Notes\""), "{text}");
    assert!(text.contains("\"Signed\" = \"won\"  # 2 rows"), "{text}");
    // --out writes the same text, and refuses to overwrite without --force.
    assert!(wd.run(["map", "--init", "odd.csv", "--out", "guessed.toml"]).status.success());
    assert_eq!(wd.read("guessed.toml"), text);
    assert_eq!(wd.run(["map", "--init", "odd.csv", "--out", "guessed.toml"]).status.code(), Some(2));
    let m = wd.report(&["odd.csv"], &["--map", "guessed.toml", "--as-of", "2026-10-31"]);
    assert_subset(&m);
    // The guessed map gives exactly what the hand-written one gives.
    wd.write("odd.toml", MAP);
    let out = wd.run(["report", "odd.csv", "--map", "odd.toml", "--as-of", "2026-10-31", "--out", "hand"]);
    assert!(out.status.success());
    assert_eq!(m, wd.read_json("hand/metrics.json"));
}

#[test]
fn a_mapped_column_missing_from_the_file_is_an_error_naming_it() {
    let wd = Workdir::new();
    wd.write("odd.csv", ODD);
    wd.write("odd.toml", MAP.replace("amount = \"Deal size\"", "amount = \"Deal value\"\nowner = \"Rep\""));
    let out = wd.run(["report", "odd.csv", "--map", "odd.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!(err.trim(), @r#"
    followup: error: odd.csv: the map odd.toml names columns this file does not have: amount = "Deal value", owner = "Rep"
      found columns: Client ref, Company, Touched on, Via, Way, Result, Pipeline step, Deal size, Notes
      Fix the header text in odd.toml (or run `followup map --init odd.csv` for a fresh map).
    "#);
    // check says the same.
    let out = wd.run(["check", "odd.csv", "--map", "odd.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), err);
}

#[test]
fn unknown_keys_and_values_in_the_map_name_the_toml_line() {
    let wd = Workdir::new();
    wd.write("odd.csv", ODD);
    wd.write("typo.toml", MAP.replace("channel = \"Via\"", "chanel = \"Via\""));
    let out = wd.run(["report", "odd.csv", "--map", "typo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("typo.toml:5:1: unknown field `chanel`"), "{err}");
    wd.write("value.toml", MAP.replace("Rang = \"call\"", "Rang = \"phone\""));
    let out = wd.run(["report", "odd.csv", "--map", "value.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("value.toml:18:8: [channel] \"Rang\" = \"phone\": expected email, call"), "{err}");
}

/// A file the map does not fit is detected as usual, beside the mapped one.
#[test]
fn other_files_are_still_detected_beside_a_mapped_one() {
    let wd = Workdir::new();
    wd.write("odd.csv", ODD);
    wd.write("odd.toml", MAP);
    wd.write("more.csv", "Deal,Date,Contact method,Outcome,Deal stage\nZed,2026-09-01 09:00,Email,Sent,New\n");
    let m = wd.report(&["odd.csv", "more.csv"], &["--map", "odd.toml", "--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][1]["format"], "followup-log");
    assert_eq!(m["deals"]["total"], 5);
}

/// A sheet of one row per deal (no `at` mapped) is read as deals: status from the
/// [status] map, n from the mapped touch count. Won: R1 (3 chases), R3 (1); lost: R2
/// (2). Touches to close: mean (3 + 1) / 2 = 2, median 2. Conversion (n ≥ 2): R1 won,
/// R2 lost → 1/2; single touch: R3 won → 1/1. Revenue recovered (n ≥ 3): R1, €900 of
/// €900 + €100 won → 0.9.
#[test]
fn a_sheet_of_deals_reads_through_a_map_without_at() {
    let wd = Workdir::new();
    wd.write(
        "deals.csv",
        "Ref;Client;Phase;Worth;Times chased\n\
         R1;Ann;Signed;900 €;3\n\
         R2;Bob;Dead;50 €;2\n\
         R3;Cy;Signed;100 €;1\n\
         R4;Di;Chasing;;\n",
    );
    wd.write(
        "deals.toml",
        "[columns]\ndeal_id = \"Ref\"\nname = \"Client\"\nstage = \"Phase\"\namount = \"Worth\"\ntouch_count = \"Times chased\"\n\n[status]\nSigned = \"won\"\nDead = \"lost\"\n",
    );
    let m = wd.report(&["deals.csv"], &["--map", "deals.toml", "--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][0]["format"], "deals (mapped)");
    assert_eq!(
        (m["deals"]["won"].as_u64(), m["deals"]["lost"].as_u64(), m["deals"]["open"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(
        (m["touches_to_close"]["mean"].as_f64(), m["touches_to_close"]["median"].as_f64()),
        (Some(2.0), Some(2.0))
    );
    assert_eq!(m["conversion_after_follow_up"]["rate"].as_f64(), Some(0.5));
    assert_eq!(m["conversion_after_follow_up"]["single_touch_rate"].as_f64(), Some(1.0));
    assert_eq!(m["revenue_recovered"]["by_currency"][0]["currency"], "EUR");
    assert_eq!(m["revenue_recovered"]["by_currency"][0]["share_of_won"].as_f64(), Some(0.9));
    let out = wd.run(["check", "deals.csv", "--map", "deals.toml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("  + touches to close: 2 of 2 won deals with touches — too few to read"), "{text}");
    assert!(text.contains("count the CRM's \"Number of times contacted\""), "{text}");
    assert!(text.contains("  encoding:   utf-8, semicolon-delimited"), "{text}");
}

/// `--map` is repeatable (issue 10 item 7): a Pipedrive-like deals sheet and its
/// activities sheet, each with headers of its own, each read through its own map; a
/// third file that no map fits is detected as usual. Hand computation: deals 1 won
/// (closed 10-10), 2 lost (10-12), 3 open. Touches (all outbound): deal 1 mail 10-01,
/// call 10-03 (got through = connected: its first response, at touch 2), mail 10-06;
/// deal 2 mail 10-02; deal 3 call 10-04 (rang out), and from touches.csv a mail 10-08.
/// Touch 1: sent 3, responded 0; touch 2: sent 2 (deals 1 and 3), responded 1. Won n = 3,
/// lost n = 1.
#[test]
fn two_maps_each_read_the_files_they_fit() {
    let wd = Workdir::new();
    wd.write(
        "deals.csv",
        "\"Deal - ID\",\"Deal - Title\",\"Deal - Phase\",\"Deal - Value\",\"Deal - Closed on\"\n\
         \"1\",\"Alpen Bau\",\"Signed\",\"1000\",\"2026-10-10\"\n\
         \"2\",\"Birke\",\"Dead\",\"400\",\"2026-10-12\"\n\
         \"3\",\"Cedar\",\"Talking\",\"700\",\"\"\n",
    );
    wd.write(
        "activities.csv",
        "\"Activity - Deal ID\",\"Activity - Date\",\"Activity - Kind\",\"Activity - Result\"\n\
         \"1\",\"2026-10-01 09:00\",\"Mail\",\"Sent\"\n\
         \"1\",\"2026-10-03 10:00\",\"Phone\",\"Got through\"\n\
         \"1\",\"2026-10-06 09:00\",\"Mail\",\"Sent\"\n\
         \"2\",\"2026-10-02 09:00\",\"Mail\",\"Sent\"\n\
         \"3\",\"2026-10-04 11:00\",\"Phone\",\"Rang out\"\n",
    );
    wd.write("touches.csv", "deal_id,at,channel,outcome\n3,2026-10-08 09:00,email,sent\n");
    wd.write(
        "deals.toml",
        "[columns]\ndeal_id = \"Deal - ID\"\nname = \"Deal - Title\"\nstage = \"Deal - Phase\"\namount = \"Deal - Value\"\nclosed_at = \"Deal - Closed on\"\n\n[status]\nSigned = \"won\"\nDead = \"lost\"\nTalking = \"open\"\n",
    );
    wd.write(
        "activities.toml",
        "[columns]\ndeal_id = \"Activity - Deal ID\"\nat = \"Activity - Date\"\nchannel = \"Activity - Kind\"\noutcome = \"Activity - Result\"\n\n[channel]\nMail = \"email\"\nPhone = \"call\"\n\n[outcome]\n\"Got through\" = \"connected\"\n\"Rang out\" = \"no answer\"\n",
    );
    let inputs = ["activities.csv", "touches.csv", "deals.csv"];
    let m = wd.report(&inputs, &["--map", "activities.toml", "--map", "deals.toml", "--as-of", "2026-10-31"]);
    let expected = serde_json::json!({
        "inputs": [
            {"path": "activities.csv", "format": "touches (mapped)", "rows": 5, "used": 5, "rejected": 0, "duplicates": 0},
            {"path": "touches.csv", "format": "touches", "rows": 1, "used": 1, "rejected": 0, "duplicates": 0},
            {"path": "deals.csv", "format": "deals (mapped)", "rows": 3, "used": 3, "rejected": 0, "duplicates": 0}
        ],
        "deals": {"total": 3, "won": 1, "lost": 1, "open": 1},
        "touches": {"outbound": 6, "inbound": 0},
        "touches_to_close": {"won": 1, "untracked": 0, "median": 3.0},
        "touches_before_loss": {"lost": 1, "median": 1.0},
    });
    let mut diffs = Vec::new();
    subset_diff(&expected, &m, "", &mut diffs);
    let touch =
        |k: usize| (m["response_by_touch"][k]["sent"].as_u64(), m["response_by_touch"][k]["responded"].as_u64());
    assert_eq!((touch(0), touch(1)), ((Some(3), Some(0)), (Some(2), Some(1))), "{m}");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // The same map given twice is one map, not two that fit the same files.
    let again = wd.report(
        &inputs,
        &["--map", "deals.toml", "--map", "activities.toml", "--map", "deals.toml", "--as-of", "2026-10-31"],
    );
    assert_eq!(again["deals"], m["deals"]);
}

/// A file that two maps fit is an error naming the file and both maps (exit 2), in
/// `report` and in `check`.
#[test]
fn a_file_two_maps_fit_is_an_error_naming_both() {
    let wd = Workdir::new();
    wd.write("sheet.csv", "Ref,Step,Worth\nR1,Closed Won,900\n");
    wd.write("a.toml", "[columns]\ndeal_id = \"Ref\"\nstage = \"Step\"\n");
    wd.write("b.toml", "[columns]\ndeal_id = \"Ref\"\nstage = \"Step\"\namount = \"Worth\"\n");
    for command in ["report", "check"] {
        let out = wd.run([command, "sheet.csv", "--map", "a.toml", "--map", "b.toml"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("followup: error: sheet.csv: both maps a.toml and b.toml fit its columns"),
            "{command}: {err}"
        );
    }
    // Either map alone reads it.
    assert_eq!(wd.report(&["sheet.csv"], &["--map", "b.toml"])["deals"]["won"], 1);
}
