//! Hostile output: what `--out`, `--force`, `map --init --out`, `sample --out`, the
//! reports index, stdout and the numeric flags do when pointed at the wrong place. The
//! corpus is in tests/hostile/output/ (its README has the table of what must happen).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::util::Workdir;

const LOG: &[u8] = include_bytes!("hostile/output/input_log_inside_out_folder.csv");
const NOTES: &[u8] = include_bytes!("hostile/output/not_a_report/notes.txt");
const OTHER_SCHEMA: &[u8] = include_bytes!("hostile/output/other_schema_report/metrics.json");
const EXISTING_FILE: &[u8] = include_bytes!("hostile/output/out_is_an_existing_file.txt");
const CONTROL_HEADER: &[u8] = include_bytes!("hostile/output/header_control_bytes.csv");
const HUGE_NAME: &[u8] = include_bytes!("hostile/output/header_one_huge_name.csv");
const USERS_INDEX: &[u8] = include_bytes!("hostile/output/reports_index_not_ours.html");
const USERS_MAP: &[u8] = include_bytes!("hostile/output/map_out_not_ours.toml");

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Names in `dir` (sorted), hidden ones included: staging and `.old` folders show up.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn no_panic(o: &std::process::Output) {
    let e = stderr(o);
    assert!(!e.contains("panicked") && !e.contains("RUST_BACKTRACE"), "panicked: {e}");
}

#[test]
fn force_never_deletes_a_folder_holding_an_input() {
    let wd = Workdir::new();
    let input = wd.write("d/log.csv", LOG);
    wd.write("d/deeper/notes.txt", NOTES);
    let o = wd.run(["report", "d/log.csv", "--out", "d", "--force"]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("d: ") && stderr(&o).contains("nothing was written"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&input).expect("input kept"), LOG);
    assert_eq!(std::fs::read(wd.path().join("d/deeper/notes.txt")).expect("kept"), NOTES);
    assert_eq!(names(wd.path()), ["d"], "no staging or .old folder left");
    assert_eq!(names(&wd.path().join("d")), ["deeper", "log.csv"]);
}

#[test]
fn force_never_replaces_a_report_folder_that_holds_an_input() {
    // A report folder is ours, but an input inside it (here its own rejected.csv
    // renamed) still forbids replacing it.
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    assert!(wd.run(["report", "log.csv", "--out", "r"]).status.success());
    let input = wd.write("r/kept.csv", LOG);
    let o = wd.run(["report", "r/kept.csv", "--out", "r", "--force"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("holds the input"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&input).expect("input kept"), LOG);
}

#[test]
fn force_refuses_a_folder_that_is_not_a_report() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    wd.write("mine/notes.txt", NOTES);
    wd.write("other/metrics.json", OTHER_SCHEMA);
    for folder in ["mine", "other"] {
        let o = wd.run(["report", "log.csv", "--out", folder, "--force"]);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(2), "{folder}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(folder) && e.contains("not a followup report") && e.contains("--out"), "{e}");
    }
    assert_eq!(std::fs::read(wd.path().join("mine/notes.txt")).expect("kept"), NOTES);
    assert_eq!(std::fs::read(wd.path().join("other/metrics.json")).expect("kept"), OTHER_SCHEMA);
    assert_eq!(names(wd.path()), ["log.csv", "mine", "other"]);
}

#[test]
fn force_refuses_the_current_folder_even_when_it_is_a_report() {
    let wd = Workdir::new();
    let input = wd.write("log.csv", LOG);
    assert!(wd.run(["report", "log.csv", "--out", "r"]).status.success());
    let before = names(&wd.path().join("r"));
    let o = Command::new(env!("CARGO_BIN_EXE_followup"))
        .current_dir(wd.path().join("r"))
        .args(["report", input.to_str().expect("utf-8 path"), "--out", ".", "--force"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("current folder"), "{}", stderr(&o));
    assert_eq!(names(&wd.path().join("r")), before);
    assert_eq!(names(wd.path()), ["log.csv", "r"]);
}

#[test]
fn force_replaces_an_earlier_report_or_an_empty_folder_and_leaves_nothing_behind() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    std::fs::create_dir(wd.path().join("empty")).expect("mkdir");
    for _ in 0..2 {
        for out in ["r", "empty"] {
            let o = wd.run(["report", "log.csv", "--out", out, "--force"]);
            assert!(o.status.success(), "{}", stderr(&o));
        }
    }
    assert!(wd.path().join("empty/metrics.json").is_file());
    assert_eq!(names(wd.path()), ["empty", "log.csv", "r"]);
}

#[test]
fn out_an_existing_file_exits_2_writes_nothing_and_keeps_the_file() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    let file = wd.write("plan.txt", EXISTING_FILE);
    for force in [false, true] {
        let mut args = vec!["report", "log.csv", "--out", "plan.txt"];
        if force {
            args.push("--force");
        }
        let o = wd.run(&args);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(2), "force={force}: {}", stderr(&o));
        assert!(stderr(&o).contains("plan.txt"), "{}", stderr(&o));
        assert_eq!(std::fs::read(&file).expect("file kept"), EXISTING_FILE);
        assert_eq!(names(wd.path()), ["log.csv", "plan.txt"], "no report, no hidden .plan.txt.old-PID");
    }
}

#[test]
fn two_runs_into_the_same_new_out_do_not_both_succeed() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    for round in 0..3 {
        let out = format!("same{round}");
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_followup"))
                .current_dir(wd.path())
                .args(["report", "log.csv", "--out", &out])
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().expect("a"), b.wait_with_output().expect("b"));
        let codes = [a.status.code(), b.status.code()];
        assert!(
            codes.contains(&Some(0)) && codes.contains(&Some(2)),
            "one wins, one is told: {codes:?}\n{}\n{}",
            stderr(&a),
            stderr(&b)
        );
        let loser = if a.status.success() { &b } else { &a };
        assert!(stderr(loser).contains("already exists"), "{}", stderr(loser));
    }
    assert_eq!(names(wd.path()), ["log.csv", "same0", "same1", "same2"], "no staging folder left");
}

#[test]
fn map_init_out_never_overwrites_a_file_it_did_not_write() {
    let wd = Workdir::new();
    let input = wd.write("log.csv", LOG);
    let users = wd.write("mine.toml", USERS_MAP);
    for args in [
        vec!["map", "--init", "log.csv", "--out", "mine.toml"],
        vec!["map", "--init", "log.csv", "--out", "mine.toml", "--force"],
        vec!["map", "--init", "log.csv", "--out", "log.csv", "--force"],
    ] {
        let o = wd.run(&args);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read(&users).expect("kept"), USERS_MAP);
    assert_eq!(std::fs::read(&input).expect("kept"), LOG);
    // Its own map is replaced with --force, and only then.
    assert!(wd.run(["map", "--init", "log.csv", "--out", "ours.toml"]).status.success());
    assert_eq!(wd.run(["map", "--init", "log.csv", "--out", "ours.toml"]).status.code(), Some(2));
    let o = wd.run(["map", "--init", "log.csv", "--out", "ours.toml", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(wd.read("ours.toml").starts_with("# followup column map for "));
    assert_eq!(names(wd.path()), ["log.csv", "mine.toml", "ours.toml"]);
}

#[test]
fn sample_out_never_overwrites_files_already_there() {
    let wd = Workdir::new();
    let users = wd.write("data/followup_log.csv", EXISTING_FILE);
    let o = wd.run(["sample", "--deals", "20", "--out", "data"]);
    no_panic(&o);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("followup_log.csv"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&users).expect("kept"), EXISTING_FILE);
    assert_eq!(names(&wd.path().join("data")), ["followup_log.csv"]);
    assert_eq!(names(wd.path()), ["data"], "no staging folder left");
    // An existing folder without those files takes them; a new one is created.
    wd.write("other/readme.txt", NOTES);
    assert!(wd.run(["sample", "--deals", "20", "--out", "other"]).status.success());
    assert_eq!(names(&wd.path().join("other")), ["followup_log.csv", "readme.txt"]);
    assert!(wd.run(["sample", "--deals", "20", "--split", "--out", "new"]).status.success());
    assert_eq!(names(wd.path()), ["data", "new", "other"]);
}

#[test]
fn reports_index_written_by_someone_else_is_left_alone() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    let index = wd.write("reports/index.html", USERS_INDEX);
    let o = wd.run(["report", "log.csv", "--month", "2026-10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("left as it is"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&index).expect("kept"), USERS_INDEX);
    assert_eq!(names(&wd.path().join("reports")), ["2026-10", "index.html"]);
    // Our own index is rewritten.
    std::fs::remove_file(&index).expect("rm");
    assert!(wd.run(["report", "log.csv", "--month", "2026-10", "--force"]).status.success());
    assert!(wd.read("reports/index.html").contains("2026-10/index.html"));
    assert!(wd.run(["report", "log.csv"]).status.success());
    assert!(wd.read("reports/index.html").contains("all/index.html"), "our index was updated");
}

#[test]
fn reports_index_links_only_folders_with_safe_names() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    assert!(wd.run(["report", "log.csv", "--month", "2026-10"]).status.success());
    let metrics = std::fs::read(wd.path().join("reports/2026-10/metrics.json")).expect("metrics");
    let hostile = ["javascript:alert(1)", "a b", "x\"onmouseover=\"alert(1)", ".hidden", "data:text", "%2e%2e", "é"];
    for name in hostile {
        wd.write(&format!("reports/{name}/metrics.json"), &metrics);
    }
    wd.write("reports/fine_name-2.v1/metrics.json", &metrics);
    assert!(wd.run(["report", "log.csv"]).status.success());
    let index = wd.read("reports/index.html");
    for bad in ["javascript:", "a b", "onmouseover", ".hidden", "data:", "%2e", "é"] {
        assert!(!index.contains(bad), "{bad} listed:\n{index}");
    }
    for good in ["href=\"2026-10/index.html\"", "href=\"all/index.html\"", "href=\"fine_name-2.v1/index.html\""] {
        assert!(index.contains(good), "{good} missing:\n{index}");
    }
}

#[test]
fn check_into_a_closed_pipe_exits_0_quietly() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    for args in [vec!["check", "log.csv"], vec!["map", "--init", "log.csv"]] {
        // The reading end is closed before the binary starts: its first write fails.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let o = Command::new(env!("CARGO_BIN_EXE_followup"))
            .current_dir(wd.path())
            .args(&args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run");
        no_panic(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}: quiet");
    }
}

#[test]
fn output_to_a_full_disk_exits_1_naming_it() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    for args in [vec!["check", "log.csv"], vec!["map", "--init", "log.csv"]] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let o = Command::new(env!("CARGO_BIN_EXE_followup"))
            .current_dir(wd.path())
            .args(&args)
            .stdout(full)
            .output()
            .expect("run");
        no_panic(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains("standard output") && e.contains("No space left"), "{e}");
    }
}

#[test]
fn numeric_flags_out_of_range_exit_2_instead_of_wrapping() {
    let wd = Workdir::new();
    wd.write("log.csv", LOG);
    for (flag, value) in [
        ("--recovered-after", "4294967295"),
        ("--recovered-after", "1001"),
        ("--stale-days", "2147483648"),
        ("--stale-days", "0"),
        ("--reply-window", "0"),
        ("--reply-window", "4000"),
    ] {
        let o = wd.run(["report", "log.csv", "--out", "r", flag, value]);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag) && stderr(&o).contains(value), "{}", stderr(&o));
        assert!(!wd.path().join("r").exists());
    }
    let o = wd.run(["sample", "--deals", "10000001", "--out", "s"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The ends of the ranges are accepted and mean what they say (Acme: won after 2
    // touches; Beta: open, one touch a day before the as-of date, no response).
    let m = wd.report(&["log.csv"], &["--recovered-after", "1000", "--stale-days", "3650", "--reply-window", "3650"]);
    assert_eq!(m["revenue_recovered"]["deals"], 0, "{}", m["revenue_recovered"]);
    assert_eq!(m["give_up"]["deals"], 0, "{}", m["give_up"]);
    let m = wd.report(&["log.csv"], &["--recovered-after", "0", "--stale-days", "1", "--reply-window", "1"]);
    assert_eq!(m["revenue_recovered"]["deals"], 1, "{}", m["revenue_recovered"]);
    assert_eq!(m["give_up"]["deals"], 1, "{}", m["give_up"]);
}

#[test]
fn a_200000_column_header_gives_a_short_error() {
    let wd = Workdir::new();
    let mut header: String = (0..200_000).map(|i| format!("col{i},")).collect();
    header.pop();
    wd.write("wide.csv", format!("{header}\n1,2\n"));
    for cmd in ["report", "check"] {
        let o = wd.run([cmd, "wide.csv"]);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(2), "{}", &stderr(&o)[..stderr(&o).len().min(500)]);
        let e = stderr(&o);
        assert!(e.len() < 4000, "{cmd}: {} bytes of error", e.len());
        assert!(e.contains("col0, col1") && e.contains("… and 199,980 more"), "{e}");
    }
}

#[test]
fn headers_in_messages_are_cut_and_control_bytes_escaped() {
    let wd = Workdir::new();
    wd.write("control.csv", CONTROL_HEADER);
    wd.write("huge.csv", HUGE_NAME);
    wd.write("bad\u{1b}[2Jname.csv", CONTROL_HEADER);
    for (file, must) in [
        ("control.csv", vec!["Customer\\x01", "Pho\\u{202E}ne", "Notes\\x1B[31m"]),
        ("huge.csv", vec!["NNNN…"]),
        ("bad\u{1b}[2Jname.csv", vec!["bad\\x1B[2Jname.csv"]),
    ] {
        let o = wd.run(["report", file]);
        no_panic(&o);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(!o.stderr.iter().any(|&b| b < 0x20 && b != b'\n'), "raw control byte in: {e:?}");
        assert!(!e.contains('\u{202E}'), "{e:?}");
        assert!(e.len() < 1000, "{file}: {} bytes", e.len());
        for m in must {
            assert!(e.contains(m), "{file}: {m} not in {e}");
        }
    }
}
