//! The issue 10 fixtures (tests/fixtures_export/ISSUE10.md): each folder's inputs are
//! every file except `args`, `case.md` and `expected*`, given in byte order of their
//! names; `args` is split like a shell line; `expected.json` is compared as
//! tests/fixtures.rs does (a subset of metrics.json).

use std::path::{Path, PathBuf};

use crate::util::{shell_words, subset_diff, Workdir};

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures_export").join(name)
}

/// The input files of a folder, in byte order of their names.
fn inputs_of(dir: &Path) -> Vec<String> {
    let mut inputs: Vec<String> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "args" && n != "case.md" && !n.starts_with("expected"))
        .collect();
    inputs.sort();
    inputs
}

/// Runs the folder's inputs in `order` and returns metrics.json.
fn run(name: &str, order: &[String]) -> serde_json::Value {
    let dir = folder(name);
    let wd = Workdir::new();
    for i in order {
        wd.write(i, std::fs::read(dir.join(i)).expect("read input"));
    }
    let args = shell_words(&std::fs::read_to_string(dir.join("args")).unwrap_or_default());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let inputs: Vec<&str> = order.iter().map(String::as_str).collect();
    wd.report(&inputs, &args)
}

fn expected(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(folder(name).join("expected.json")).expect("expected.json"))
        .expect("JSON")
}

fn run_case(name: &str) {
    let actual = run(name, &inputs_of(&folder(name)));
    let mut diffs = Vec::new();
    subset_diff(&expected(name), &actual, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "fixture {name}: {} difference(s)\n  {}\n(hand computation in tests/fixtures_export/{name}/case.md)",
        diffs.len(),
        diffs.join("\n  ")
    );
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => { $( #[test] fn $name() { run_case(stringify!($name)); } )* };
}

cases!(pipedrive, pipedrive_api_pages, salesforce, salesforce_report, pipeline_sheet, hubspot_lost_stage);

#[test]
fn args_split_like_a_shell_line() {
    assert_eq!(
        shell_words(" --as-of 2026-10-31 --lost-stage \"Closed: abandoned\"\n"),
        ["--as-of", "2026-10-31", "--lost-stage", "Closed: abandoned"]
    );
    assert_eq!(shell_words("--by owner"), ["--by", "owner"]);
    assert_eq!(shell_words("--won-stage ''"), ["--won-stage", ""]);
    assert!(shell_words("\n").is_empty());
}

/// All permutations of `items`.
fn permutations(items: &[String]) -> Vec<Vec<String>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first.clone());
            out.push(p);
        }
    }
    out
}

/// The Pipedrive activities repeated across the export and the two API pages are
/// duplicates whichever file is read first: every order gives the same metrics (the
/// duplicates fall on the copy read second, so per-file counts are compared by path
/// only for what does not depend on the order).
#[test]
fn pipedrive_api_pages_give_the_same_metrics_in_any_order() {
    let name = "pipedrive_api_pages";
    let mut want = expected(name);
    let want_inputs = want.as_object_mut().and_then(|o| o.remove("inputs")).expect("expected inputs");
    let all = inputs_of(&folder(name));
    let perms = permutations(&all);
    assert_eq!(perms.len(), 24);
    for order in &perms {
        let actual = run(name, order);
        let mut diffs = Vec::new();
        subset_diff(&want, &actual, "", &mut diffs);
        let inputs = actual["inputs"].as_array().cloned().unwrap_or_default();
        let total = |v: &[serde_json::Value], k: &str| v.iter().map(|i| i[k].as_u64().unwrap_or(0)).sum::<u64>();
        let want_inputs = want_inputs.as_array().cloned().unwrap_or_default();
        for k in ["rows", "used", "rejected", "duplicates"] {
            if total(&inputs, k) != total(&want_inputs, k) {
                diffs.push(format!("inputs total {k}: {}, expected {}", total(&inputs, k), total(&want_inputs, k)));
            }
        }
        for w in &want_inputs {
            let got = inputs.iter().find(|i| i["path"] == w["path"]);
            match got {
                Some(g) if g["rows"] == w["rows"] => {}
                _ => diffs.push(format!("inputs entry {} differs: {got:?}", w["path"])),
            }
        }
        assert!(diffs.is_empty(), "order {order:?}: {}", diffs.join("\n  "));
    }
}

// ---- One test per rule of issue 10 (each fails without its rule) ----

const PD_DEALS: &str = "\"Deal - ID\",\"Deal - Title\",\"Deal - Stage\",\"Deal - Status\",\"Deal - Deal created\",\"Deal - Expected close date\",\"Deal - Deal closed on\",\"Deal - Won time\",\"Deal - Lost time\"\n";
const PD_ACTS: &str = "\"Activity - ID\",\"Activity - Subject\",\"Activity - Type\",\"Activity - Due date\",\"Activity - Due time\",\"Activity - Done\",\"Deal - ID\"\n";

fn report_of(files: &[(&str, String)], args: &[&str]) -> serde_json::Value {
    let wd = Workdir::new();
    for (name, text) in files {
        wd.write(name, text);
    }
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    wd.report(&names, args)
}

#[test]
fn planned_activity_is_not_a_touch_and_does_not_move_the_as_of_date() {
    let deals = format!("{PD_DEALS}\"1\",\"A\",\"Qualified\",\"Open\",\"2026-09-01\",\"2027-06-30\",\"\",\"\",\"\"\n");
    let acts = format!("{PD_ACTS}\"10\",\"Call\",\"Call\",\"2026-10-01\",\"10:00\",\"Done\",\"1\"\n\"11\",\"Check-in\",\"Meeting\",\"2027-03-25\",\"\",\"To do\",\"1\"\n");
    let m = report_of(&[("deals.csv", deals), ("activities.csv", acts)], &[]);
    assert_eq!(m["touches"]["planned"], 1);
    assert_eq!(m["touches"]["outbound"], 1, "the planned meeting is not a touch");
    assert_eq!(m["as_of"], "2026-10-01", "a planned date (or the expected close date) never sets the as-of date");
    assert_eq!(m["response_by_touch"][0]["responded"], 0, "a planned meeting is no response");
}

#[test]
fn pipedrive_due_time_orders_touches_of_one_day() {
    // The meeting (a response) at 09:00 comes before the email at 15:00, though the
    // email is listed first: the response is at touch 1.
    let deals = format!("{PD_DEALS}\"1\",\"A\",\"Qualified\",\"Open\",\"2026-09-01\",\"\",\"\",\"\",\"\"\n");
    let acts = format!("{PD_ACTS}\"10\",\"Offer\",\"Email\",\"2026-10-01\",\"15:00\",\"Done\",\"1\"\n\"11\",\"Demo\",\"Meeting\",\"2026-10-01\",\"09:00\",\"Done\",\"1\"\n");
    let m = report_of(&[("deals.csv", deals), ("activities.csv", acts)], &["--as-of", "2026-10-31"]);
    assert_eq!(m["response_by_touch"][0]["responded"], 1, "{}", m["response_by_touch"]);
}

#[test]
fn two_same_day_calls_with_different_ids_are_two_touches_and_a_repeated_id_is_a_duplicate() {
    let deals = format!("{PD_DEALS}\"1\",\"A\",\"Qualified\",\"Open\",\"2026-09-01\",\"\",\"\",\"\",\"\"\n");
    let acts = format!("{PD_ACTS}\"10\",\"Call\",\"Call\",\"2026-10-01\",\"\",\"Done\",\"1\"\n\"11\",\"Call\",\"Call\",\"2026-10-01\",\"\",\"Done\",\"1\"\n");
    // The API listing repeats activity 11 (an overlapping export), with other cells.
    let json = r#"[{"id": 11, "deal_id": 1, "type": "call", "done": true, "due_date": "2026-10-01", "due_time": "08:00", "subject": "Call again"}]"#;
    let m = report_of(
        &[("deals.csv", deals), ("activities.csv", acts), ("api.json", json.to_owned())],
        &["--as-of", "2026-10-31"],
    );
    assert_eq!(m["touches"]["outbound"], 2);
    assert_eq!(m["inputs"][1]["duplicates"], 0);
    assert_eq!(m["inputs"][2]["duplicates"], 1, "same activity id: a duplicate");
}

#[test]
fn pipedrive_close_date_falls_back_to_the_won_or_lost_time_never_the_expected_date() {
    let deals = format!(
        "{PD_DEALS}\"1\",\"A\",\"Proposal\",\"Won\",\"2026-09-01\",\"2026-12-31\",\"\",\"2026-10-09 11:30:00\",\"\"\n\"2\",\"B\",\"Proposal\",\"Lost\",\"2026-09-01\",\"2026-12-31\",\"\",\"2026-10-20 10:00:00\",\"2026-10-05 10:00:00\"\n\"3\",\"C\",\"Proposal\",\"Open\",\"2026-09-01\",\"2027-01-31\",\"\",\"\",\"\"\n"
    );
    let m = report_of(&[("deals.csv", deals)], &[]);
    // Deal 2 is lost: its won time (a stale cell) is not its close; deal 3's expected date is nothing.
    assert_eq!(m["as_of"], "2026-10-09");
}

#[test]
fn the_users_lost_stage_beats_the_status_column_and_each_source_is_counted() {
    let deals = "deal_id,stage,status\nd1,Stalled,open\nd2,Stalled,\nd3,Proposal,won\nd4,Closed lost,\n".to_owned();
    let m = report_of(&[("deals.csv", deals)], &["--lost-stage", "Stalled"]);
    assert_eq!((m["deals"]["lost"].as_u64(), m["deals"]["won"].as_u64()), (Some(3), Some(1)));
    assert_eq!(
        m["inputs"][0]["status_from"],
        serde_json::json!({"user": 2, "status": 1, "flags": 0, "probability": 0, "stage": 1})
    );
}

const SF_OPP: &str = "Id,AccountId,Name,StageName,CloseDate,IsClosed,IsWon,CreatedDate\n";
const SF_TASK: &str = "Id,WhatId,Subject,ActivityDate,Status,TaskSubtype,CallType,CallDisposition\n";

#[test]
fn salesforce_closed_and_not_won_is_lost_whatever_the_stage_and_flags_read_as_1_0_true_false() {
    let opp = format!(
        "{SF_OPP}0061,0011,A,Signed - Onboarding,2026-10-01,1,1,2026-09-01\n0062,0011,B,Closed - No Decision,2026-10-02,1,,2026-09-01\n0063,0011,C,Won over,2026-10-03,false,false,2026-09-01\n0064,0011,D,Review,2026-10-04,true,0,2026-09-01\n"
    );
    let m = report_of(&[("Opportunity.csv", opp)], &[]);
    assert_eq!(
        (m["deals"]["won"].as_u64(), m["deals"]["lost"].as_u64(), m["deals"]["open"].as_u64()),
        (Some(1), Some(2), Some(1))
    );
    // Open C's CloseDate (10-03) is an expected date: the last close is D's 10-04 either
    // way, so check C alone.
    let opp =
        format!("{SF_OPP}0061,0011,A,Won,2026-10-01,1,1,2026-09-01\n0063,0011,C,Review,2026-12-03,,,2026-09-01\n");
    let m = report_of(&[("Opportunity.csv", opp)], &[]);
    assert_eq!(m["as_of"], "2026-10-01");
}

#[test]
fn salesforce_task_on_an_account_links_to_its_only_open_opportunity() {
    let id = |p: &str, n: u32| format!("{p}5g00000Ab{n:03}AAJ");
    let (acct1, acct2) = (id("001", 1), id("001", 2));
    let opp = format!(
        "{SF_OPP}{},{acct1},Only,Prospecting,2026-11-30,,,2026-09-01T10:00:00.000+0000\n{},{acct2},Two-a,Prospecting,2026-11-30,,,2026-09-01T10:00:00.000+0000\n{},{acct2},Two-b,Prospecting,2026-11-30,,,2026-09-01T10:00:00.000+0000\n{},{acct1},Closed before,Closed Lost,2026-09-15,1,,2026-09-01T10:00:00.000+0000\n",
        id("006", 1), id("006", 2), id("006", 3), id("006", 4)
    );
    let task = format!(
        "{SF_TASK}{},{acct1},Call,2026-10-05,Completed,Call,Outbound,Left voicemail\n{},{acct2},Call,2026-10-05,Completed,Call,Outbound,Left voicemail\n{},{},Email,2026-10-06,Not Started,Email,,\n{},{},Prep,2026-10-06,Completed,Task,,\n",
        id("00T", 1), id("00T", 2), id("00T", 3), id("006", 1), id("00T", 4), id("006", 1)
    );
    let m = report_of(&[("Opportunity.csv", opp), ("Task.csv", task)], &["--as-of", "2026-10-31"]);
    let t = &m["touches"];
    assert_eq!(
        (t["outbound"].as_u64(), t["linked_by_account"].as_u64(), t["unlinked"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        (t["planned"].as_u64(), t["notes_and_tasks"].as_u64()),
        (Some(1), Some(1)),
        "Not Started is planned; TaskSubtype Task is a to-do"
    );
}

#[test]
fn salesforce_inbound_call_and_event_are_responses() {
    let opp = format!(
        "{SF_OPP}0061,0011,A,Prospecting,2026-11-30,,,2026-09-01\n0062,0011,B,Prospecting,2026-11-30,,,2026-09-01\n"
    );
    let task = format!("{SF_TASK}00T1,0061,Call from A,2026-10-05,Completed,Call,Inbound,\n00T2,0062,Email,2026-10-05,Completed,Email,,\n");
    let m = report_of(&[("Opportunity.csv", opp), ("Task.csv", task)], &["--as-of", "2026-10-31"]);
    assert_eq!(m["touches"]["inbound"], 1);
}

#[test]
fn a_report_footer_is_skipped_and_a_one_cell_line_inside_the_data_is_rejected() {
    let head = "\"Opportunity Name\",\"Stage\",\"Close Date\",\"Won\",\"Closed\"\n";
    let text = format!("{head}\"A\",\"Won\",\"10/1/2026\",\"1\",\"1\"\n\"stray\"\n\"B\",\"Prospecting\",\"10/2/2026\",\"0\",\"0\"\n\n\"Grand Totals (2 records)\"\n\"\"\n\"Generated By:  Lena Vogt  10/31/2026 4:05 PM\"\n");
    let m = report_of(&[("report1.csv", text)], &[]);
    let f = &m["inputs"][0];
    assert_eq!(
        (f["rows"].as_u64(), f["used"].as_u64(), f["rejected"].as_u64(), f["skipped"].as_u64()),
        (Some(3), Some(2), Some(1), Some(2))
    );
    assert_eq!(m["deals"]["open"], 1, "Won 0 / Closed 0: open");
}

#[test]
fn check_says_per_file_what_decided_won_lost_the_footer_and_the_planned_activities() {
    let wd = Workdir::new();
    for name in ["Opportunity.csv", "Task.csv", "Event.csv"] {
        wd.write(name, std::fs::read(folder("salesforce").join(name)).expect("fixture"));
    }
    wd.write(
        "report1.csv",
        std::fs::read(folder("salesforce_report").join("report1793456789012.csv")).expect("fixture"),
    );
    let out = wd.run(["check", "Opportunity.csv", "Task.csv", "Event.csv"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("won/lost decided by: won/lost flags 6"), "{text}");
    assert!(text.contains("planned:    4 activities"), "{text}");
    assert!(text.contains("linked through the account: 1 activity"), "{text}");
    let out = wd.run(["check", "report1.csv"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("skipped:    5 lines after the data"), "{text}");
    assert!(text.contains("rows:       5 = 5 used + 0 rejected + 0 duplicates"), "{text}");
}

#[test]
fn pipedrive_limitations_say_a_held_meeting_is_the_only_response() {
    let m = run("pipedrive", &inputs_of(&folder("pipedrive")));
    let lim = m["limitations"].as_array().cloned().unwrap_or_default();
    assert!(lim.iter().any(|l| l.as_str().is_some_and(|s| s.contains("held meeting is the only response"))), "{lim:?}");
}

#[test]
fn a_queued_hubspot_call_is_planned_and_a_busy_one_a_touch() {
    let deals = "\"Record ID\",\"Deal Name\",\"Deal Stage\",\"Create Date\"\n\"1\",\"A\",\"Appointment scheduled\",\"2026-09-01 09:00\"\n".to_owned();
    let calls = "\"Record ID\",\"Activity date\",\"Call Title\",\"Call direction\",\"Call outcome\",\"Call status\",\"Associated Deal IDs\"\n\"11\",\"2026-10-01 10:00\",\"Call\",\"Outbound\",\"Busy\",\"Busy\",\"1\"\n\"12\",\"2026-11-20 10:00\",\"Call\",\"Outbound\",\"\",\"Queued\",\"1\"\n".to_owned();
    let m = report_of(
        &[
            ("hubspot-crm-exports-all-deals-2026-10-31.csv", deals),
            ("hubspot-crm-exports-all-calls-2026-10-31.csv", calls),
        ],
        &[],
    );
    assert_eq!((m["touches"]["outbound"].as_u64(), m["touches"]["planned"].as_u64()), (Some(1), Some(1)));
    assert_eq!(m["as_of"], "2026-10-01");
}

#[test]
fn a_log_row_marked_not_done_is_planned_and_an_unreadable_done_word_is_rejected() {
    let log = "Deal,Date,Contact method,Deal stage,Done\nA,2026-10-01,Call,Prospecting,yes\nA,2026-10-20,Call,Prospecting,to do\nB,2026-10-02,Email,Prospecting,maybe\n".to_owned();
    let wd = Workdir::new();
    wd.write("log.csv", &log);
    let m = wd.report(&["log.csv"], &[]);
    assert_eq!((m["touches"]["outbound"].as_u64(), m["touches"]["planned"].as_u64()), (Some(1), Some(1)));
    assert_eq!(m["inputs"][0]["rejected"], 1);
    assert_eq!(m["as_of"], "2026-10-01");
    let rejected = wd.read("report/rejected.csv");
    assert!(rejected.contains("log.csv,4,Done,maybe"), "{rejected}");
}

#[test]
fn a_rejected_activity_does_not_make_its_repeat_a_duplicate_and_a_dated_time_keeps_its_time() {
    let deals = format!("{PD_DEALS}\"1\",\"A\",\"Qualified\",\"Open\",\"2026-09-01\",\"\",\"\",\"\",\"\"\n");
    // Activity 10 names deal 9, not in the deals file (rejected); the API copy names deal 1.
    let acts = format!("{PD_ACTS}\"10\",\"Call\",\"Call\",\"2026-10-01\",\"\",\"Done\",\"9\"\n");
    let json = r#"[{"id": 10, "deal_id": 1, "type": "call", "done": true, "due_date": "2026-10-01", "due_time": "", "subject": "Call"}]"#;
    let m = report_of(
        &[("deals.csv", deals), ("activities.csv", acts), ("api.json", json.to_owned())],
        &["--as-of", "2026-10-31"],
    );
    assert_eq!((m["inputs"][1]["rejected"].as_u64(), m["inputs"][2]["used"].as_u64()), (Some(1), Some(1)));
    // A log whose date cell holds the time and which also has a Time column.
    let log = "Deal,Date,Time,Contact method\nA,2026-10-01 10:00,09:00,Call\nA,2026-10-02,09:00,Call\n".to_owned();
    let m = report_of(&[("log.csv", log)], &["--as-of", "2026-10-31"]);
    assert_eq!((m["inputs"][0]["used"].as_u64(), m["touches"]["outbound"].as_u64()), (Some(2), Some(2)));
}
