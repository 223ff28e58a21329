//! The report in a real browser: headless Chromium loads the sample report from disk.
//! Asserts from the dumped DOM that the page rendered (headlines, every table, every
//! inline chart SVG non-empty), from Chromium's net log that the page made no network
//! request, and takes screenshots at desktop and phone width into
//! `$CARGO_TARGET_TMPDIR/browser/` for a person to look at.
//!
//! Needs Debian's `chromium` (`.ci/run` installs it). Without it the test is skipped
//! with a message, except under CI (`CI` set), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    let candidates =
        [std::env::var("CHROMIUM").unwrap_or_default(), "/usr/bin/chromium".into(), "/usr/bin/chromium-browser".into()];
    candidates.iter().filter(|c| !c.is_empty()).map(PathBuf::from).find(|p| p.is_file())
}

fn chromium_cmd(bin: &Path, profile: &Path, net_log: Option<&Path>) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--hide-scrollbars",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    if let Some(n) = net_log {
        c.arg(format!("--log-net-log={}", n.display()));
    }
    c
}

/// Hosts of every `"url":"scheme://host/…"` in a net log.
fn hosts(net_log: &str) -> std::collections::BTreeSet<String> {
    net_log
        .split("\"url\":\"")
        .skip(1)
        .filter_map(|rest| {
            let url = rest.split('"').next()?;
            let (scheme, after) = url.split_once("://")?;
            (scheme != "file" && scheme != "data").then(|| after.split(['/', '?', ':']).next().unwrap_or("").to_owned())
        })
        .collect()
}

#[test]
fn sample_report_renders_in_chromium_without_network() {
    let Some(bin) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "chromium is not installed; .ci/run installs it");
        eprintln!("skipped: chromium not installed (apt-get install chromium)");
        return;
    };
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("mkdir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/followup_log.csv");
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/cadence_plan.toml");
    let report = out.join("report");
    // The fullest page: with a comparison (its chart) and a cadence plan.
    let st = Command::new(env!("CARGO_BIN_EXE_followup"))
        .args(["report", sample.to_str().expect("utf-8 path"), "--out", report.to_str().expect("utf-8 path")])
        .args(["--by", "cadence", "--cadence-plan", plan.to_str().expect("utf-8 path")])
        .output()
        .expect("run followup");
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let url = format!("file://{}", report.join("index.html").display());

    let net_log = out.join("net-log.json");
    let dom = chromium_cmd(&bin, &out.join("profile-dom"), Some(&net_log))
        .args(["--dump-dom", &url])
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    std::fs::write(out.join("dom.html"), &dom).expect("write dom");
    assert!(dom.contains("<h1>Follow-up report</h1>"), "page did not render: {} bytes of DOM", dom.len());
    for section in [
        "Month by month",
        "Cohorts: each month",
        "Which touch gets the responses",
        "How many touches a deal takes",
        "Revenue recovered by follow-up",
        "Where we give up",
        "Comparison by cadence",
        "Keeping to the plan",
        "How fast we answer",
        "How long replies take",
        "Gaps between touches",
        "What a late answer is worth",
        "Who answers in the end",
        "Waiting on us",
        "Due a follow-up now",
        "Data quality",
        "Methods",
    ] {
        assert!(dom.contains(section), "section {section:?} missing from the rendered page");
    }
    // Every chart is inline SVG with drawn content.
    let charts: Vec<&str> = dom.split("<figure class=\"chart\"").skip(1).collect();
    for c in &charts {
        let svg = c.split("</figure>").next().unwrap_or("");
        assert!(
            svg.contains("<svg") && (svg.contains("<rect") || svg.contains("<path") || svg.contains("<polyline")),
            "empty chart: {}",
            &svg[..svg.len().min(200)]
        );
    }
    let expected_charts = dom.matches("data-chart=").count();
    assert_eq!(charts.len(), expected_charts, "every declared chart is an inline figure");
    // Issue 13: the waiting list comes above the due list.
    let (waiting, due) = (dom.find("<h2>Waiting on us</h2>"), dom.find("<h2>Due a follow-up now</h2>"));
    assert!(waiting.is_some() && waiting < due, "the waiting-on-us list is not above the due list");
    for stem in [
        "trend",
        "response_by_touch",
        "touches_to_close",
        "give_up",
        "revenue_recovered",
        "groups_cadence",
        "speed_to_answer",
        "reply_delay",
        "spacing",
        "late_answers",
        "competing_outcomes",
    ] {
        assert!(dom.contains(&format!("data-chart=\"{stem}\"")), "chart {stem} missing from the page");
        for ext in ["svg", "png"] {
            let f = report.join("charts").join(format!("{stem}.{ext}"));
            assert!(std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0) > 1000, "{} missing or empty", f.display());
        }
    }

    // No overflow at phone or desktop width: a wrapper page loads the report in an iframe
    // of that width and lists every heading, paragraph, list and chart whose right edge
    // runs past the page (tables scroll inside their own box and are left out).
    for width in [390, 1280] {
        let wrapper = out.join(format!("overflow-{width}.html"));
        std::fs::write(
            &wrapper,
            format!(
                r#"<!doctype html><title>overflow</title><iframe id="f" src="report/index.html" style="width:{width}px;height:800px"></iframe>
<script>
document.getElementById('f').onload = function () {{
  var d = this.contentDocument, w = d.documentElement.clientWidth, bad = [];
  d.querySelectorAll('h2, p, ul, dl, figure, figure svg').forEach(function (e) {{
    var r = e.getBoundingClientRect();
    if (r.right > w + 1) bad.push(e.tagName + ':' + (e.textContent || '').slice(0, 40));
  }});
  var o = document.createElement('pre');
  o.textContent = 'OVERFLOW-CHECK [' + bad.join(' | ') + ']';
  document.body.appendChild(o);
}};
</script>"#
            ),
        )
        .expect("write the overflow wrapper");
        let o = chromium_cmd(&bin, &out.join(format!("profile-overflow-{width}")), None)
            .args(["--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom"])
            .arg(format!("file://{}", wrapper.display()))
            .output()
            .expect("run chromium");
        let dom = String::from_utf8_lossy(&o.stdout);
        let found = dom.rsplit("OVERFLOW-CHECK [").next().and_then(|r| r.split(']').next());
        assert!(dom.contains("OVERFLOW-CHECK ["), "{width}px: the overflow check did not run");
        assert_eq!(found, Some(""), "{width}px: elements run past the page");
    }

    // No network: the page references nothing outside itself...
    for attr in ["src=\"http", "src=\"//", "href=\"http", "href=\"//", "url(http", "url(//", "@import"] {
        assert!(!dom.contains(attr), "the page references an external resource ({attr}…)");
    }
    // ...and Chromium contacted no host beyond those it contacts by itself for a blank
    // local page (its updater and account checks), measured in a control run.
    let blank = out.join("blank.html");
    std::fs::write(&blank, "<!doctype html><title>blank</title>").expect("write blank page");
    let control_log = out.join("net-log-control.json");
    chromium_cmd(&bin, &out.join("profile-control"), Some(&control_log))
        .args(["--dump-dom", &format!("file://{}", blank.display())])
        .output()
        .expect("run chromium");
    let background = hosts(&std::fs::read_to_string(&control_log).unwrap_or_default());
    let page_hosts = hosts(&std::fs::read_to_string(&net_log).unwrap_or_default());
    let extra: Vec<&String> = page_hosts.iter().filter(|h| !background.contains(*h)).collect();
    assert!(extra.is_empty(), "the page made network requests to {extra:?}: see {}", net_log.display());

    // The first screen, and (taller) the whole page, at desktop and phone widths.
    for (name, width, height) in
        [("desktop", 1280, 2600), ("phone", 390, 2600), ("desktop-full", 1280, 14000), ("phone-full", 390, 16000)]
    {
        let png = out.join(format!("{name}.png"));
        let st = chromium_cmd(&bin, &out.join(format!("profile-{name}")), None)
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--screenshot={}", png.display()))
            .arg(&url)
            .output()
            .expect("run chromium");
        let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 20_000,
            "{name} screenshot missing or blank ({size} bytes): {}",
            String::from_utf8_lossy(&st.stderr)
        );
    }
    eprintln!("screenshots: {}", out.display());
}
