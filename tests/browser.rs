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
    // Every chart is inline SVG with drawn content (a multi-panel chart: in every panel).
    let charts: Vec<&str> = dom.split("<figure class=\"chart").skip(1).collect();
    for c in &charts {
        let figure = c.split("</figure>").next().unwrap_or("");
        for svg in figure.split("<svg").skip(1) {
            assert!(
                svg.contains("<rect") || svg.contains("<path") || svg.contains("<polyline"),
                "empty chart: {}",
                &svg[..svg.len().min(200)]
            );
        }
        assert!(figure.contains("<svg"), "chart without SVG: {}", &figure[..figure.len().min(200)]);
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

// ---- Issue 14: the report wherever it is read (phone, desk, print) --------------------

/// Measures a page as laid out at `width` CSS pixels. A test-only copy of the page is
/// written beside it (same folder, so its links resolve) with a script appended that
/// measures the laid-out page and posts what it found to its parent: a test-only
/// wrapper page that shows the copy in an iframe `width` pixels wide (headless Chromium
/// will not make a window narrower than 500 pixels, an iframe can be) and writes the
/// message into its `<pre id="measure">`, read back from the dumped DOM. The report
/// itself carries no script. Returns the lines of the measure:
/// `viewport W`, `page SCROLLWIDTH`, `wide TAG CLASS LEFT..RIGHT` per element outside a
/// scrolling box that runs past the viewport, `scrolls HEADER SCROLL>CLIENT` per table
/// box that scrolls sideways, `trend-text N MIN` (the trend's texts and the smallest in
/// CSS pixels: font size × the SVG's scale on screen), `chart-text STEM MIN` per chart.
fn measure(bin: &Path, page: &Path, width: u32, profile: &Path) -> Vec<String> {
    const SCRIPT: &str = r#"<script>(function () {
  var W = window.innerWidth, out = ['viewport ' + W, 'page ' + document.documentElement.scrollWidth];
  function inScroller(e) {
    for (var p = e.parentElement; p; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  }
  var all = document.body.querySelectorAll('*');
  for (var i = 0; i < all.length; i++) {
    var e = all[i];
    if (e.id === 'measure' || (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') || inScroller(e)) continue;
    var r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > W + 0.5 || r.left < -0.5) {
      var cls = typeof e.className === 'string' ? e.className : '';
      out.push('wide ' + e.tagName.toLowerCase() + ' ' + (cls || '-') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
  }
  document.querySelectorAll('.scroll').forEach(function (s) {
    if (s.scrollWidth > s.clientWidth + 1) {
      var th = s.querySelector('th');
      out.push('scrolls ' + (th ? th.textContent : '?').replace(/\s+/g, '_') + ' ' + s.scrollWidth + '>' + s.clientWidth);
    }
  });
  function smallest(texts) {
    var min = 1e9, n = 0;
    texts.forEach(function (t) {
      if (!t.textContent.trim() || !t.getClientRects().length) return;
      var m = t.getScreenCTM();
      if (!m) return;
      var px = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(m.a * m.a + m.b * m.b);
      n++;
      if (px < min) min = px;
    });
    return n + ' ' + (n ? min.toFixed(2) : 'none');
  }
  out.push('trend-text ' + smallest(document.querySelectorAll('figure[data-chart="trend"] svg text')));
  document.querySelectorAll('figure[data-chart]').forEach(function (f) {
    out.push('chart-text ' + f.getAttribute('data-chart') + ' ' + smallest(f.querySelectorAll('svg text')));
  });
  parent.postMessage(out.join('\n'), '*');
})();</script>"#;
    let html = std::fs::read_to_string(page).expect("read page");
    let probe = page.with_file_name(format!("measure-{width}.test.html"));
    let at = html.rfind("</body>").unwrap_or(html.len());
    std::fs::write(&probe, format!("{}{SCRIPT}{}", &html[..at], &html[at..])).expect("write probe page");
    let wrapper = page.with_file_name(format!("measure-{width}.wrapper.test.html"));
    std::fs::write(
        &wrapper,
        format!(
            "<!doctype html><html><body style=\"margin:0\"><pre id=\"measure\"></pre>\
             <script>addEventListener('message', function (e) {{ document.getElementById('measure').textContent = e.data; }});</script>\
             <iframe src=\"{}\" style=\"display:block;border:0;width:{width}px;height:30000px\"></iframe></body></html>",
            probe.file_name().and_then(|n| n.to_str()).expect("utf-8 name")
        ),
    )
    .expect("write wrapper page");
    let dom = chromium_cmd(bin, profile, None)
        .arg(format!("--window-size={},1200", width + 40))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("file://{}", wrapper.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    let body = dom.split("<pre id=\"measure\">").nth(1).and_then(|r| r.split("</pre>").next());
    let lines: Vec<String> = unescape(body.expect("the measure ran")).lines().map(str::to_owned).collect();
    assert_eq!(lines.first().map(String::as_str), Some(format!("viewport {width}").as_str()), "{lines:?}");
    lines
}

/// The value after `key ` in the measure, as text.
fn field<'a>(lines: &'a [String], key: &str) -> &'a str {
    lines.iter().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(' '))).unwrap_or("")
}

/// Takes a screenshot of `url` at `width` × `height` into `png`; asserts it is not blank.
fn screenshot(bin: &Path, url: &str, png: &Path, (width, height): (u32, u32), profile: &Path) {
    let st = chromium_cmd(bin, profile, None)
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .output()
        .expect("run chromium");
    let size = std::fs::metadata(png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 10_000,
        "{} missing or blank ({size} bytes): {}",
        png.display(),
        String::from_utf8_lossy(&st.stderr)
    );
}

fn run_report(args: &[&str]) {
    let st = Command::new(env!("CARGO_BIN_EXE_followup")).args(args).output().expect("run followup");
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
}

/// Issue 14: at 390 px (a phone) and 1280 px (a desk) neither the sample report nor
/// `reports/index.html` runs past the viewport; every chart (the trend, the four
/// one-part charts, the comparisons by cadence and by owner) is shown as panels drawn
/// for the width on a phone, every text at least 10 CSS pixels; the trend's panels stand
/// alone on a desk too (two by two); the index fits a desk without scrolling inside its
/// table. Screenshots of
/// each are left in `$CARGO_TARGET_TMPDIR/screens/` for a person to look at.
#[test]
fn issue_14_report_and_index_fit_phone_and_desk() {
    let Some(bin) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "chromium is not installed; .ci/run installs it");
        eprintln!("skipped: chromium not installed (apt-get install chromium)");
        return;
    };
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screens");
    let _ = std::fs::remove_dir_all(&out);
    let reports = out.join("reports");
    std::fs::create_dir_all(&reports).expect("mkdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("sample_data/followup_log.csv");
    let plan = root.join("sample_data/cadence_plan.toml");
    let s = |p: &Path| p.to_str().expect("utf-8 path").to_owned();
    // The fullest page, and two monthly runs beside it: the index lists all three.
    let all = reports.join("all");
    run_report(&[
        "report",
        &s(&sample),
        "--out",
        &s(&all),
        "--by",
        "cadence",
        "--by",
        "owner",
        "--cadence-plan",
        &s(&plan),
    ]);
    for month in ["2026-09", "2026-10"] {
        run_report(&["report", &s(&sample), "--month", month, "--out", &s(&reports.join(month))]);
    }
    let page = all.join("index.html");
    let index = reports.join("index.html");
    let html = std::fs::read_to_string(&page).expect("read report");
    assert!(!html.contains("<script"), "the report itself carries no script");
    for left in ["{{", "}}", "{%", "%}"] {
        assert!(!html.contains(left), "template syntax left on the page: {left}");
    }
    assert_eq!(html.matches(">PNG</a>").count(), 12, "one PNG link per chart");
    let trend = html.split("data-chart=\"trend\"").nth(1).and_then(|r| r.split("</figure>").next()).unwrap_or("");
    assert_eq!(trend.matches("<div class=\"panel\"").count(), 4, "the trend as four panels, one SVG each");
    // Every other chart: the whole chart and its panels (one or more SVGs each).
    let figures: Vec<&str> = html.split("<figure class=\"chart\" ").skip(1).collect();
    assert_eq!(
        figures.len(),
        11,
        "every chart but the trend: four, the five of timing (issue 13), and a comparison each by cadence and owner"
    );
    for f in &figures {
        assert!(f.contains("<div class=\"whole\">") && f.contains("<div class=\"panel\""), "{}", &f[..80]);
    }

    for (name, file, width) in [
        ("report-phone", &page, 390),
        ("report-desk", &page, 1280),
        ("index-phone", &index, 390),
        ("index-desk", &index, 1280),
    ] {
        let m = measure(&bin, file, width, &out.join(format!("profile-m-{name}")));
        std::fs::write(out.join(format!("{name}.measure.txt")), m.join("\n")).expect("write measure");
        let page_width: u32 = field(&m, "page").parse().expect("page width");
        assert!(page_width <= width, "{name}: the page is {page_width} px wide at {width}: {m:#?}");
        let wide: Vec<&String> = m.iter().filter(|l| l.starts_with("wide ")).collect();
        assert!(wide.is_empty(), "{name}: elements wider than the {width} px viewport: {wide:#?}");
        let scrolls: Vec<&String> = m.iter().filter(|l| l.starts_with("scrolls ")).collect();
        if width == 1280 {
            assert!(scrolls.is_empty(), "{name}: tables that scroll sideways on a desk: {scrolls:#?}");
        }
        if file == &page {
            let (n, min) = field(&m, "trend-text").split_once(' ').expect("trend-text n min");
            let (n, min): (usize, f64) = (n.parse().expect("n"), min.parse().expect("min"));
            assert!(n > 40, "{name}: the trend's texts were not found ({n})");
            if width == 390 {
                assert!(min >= 10.0, "{name}: the trend's smallest text is {min} CSS px at 390 px: {m:#?}");
            }
            // Every chart shows its texts, at 10 CSS px or more on a phone (issue 14).
            let charts: Vec<&String> = m.iter().filter(|l| l.starts_with("chart-text ")).collect();
            assert_eq!(charts.len(), 12, "{name}: {charts:#?}");
            for l in charts {
                let mut it = l.split(' ').skip(1);
                let (stem, n, min) = (it.next().unwrap_or("?"), it.next().unwrap_or("0"), it.next().unwrap_or("0"));
                let n: usize = n.parse().expect("n");
                assert!(n >= 10, "{name}: chart {stem} shows {n} texts");
                let min: f64 = min.parse().expect("min");
                if width == 390 {
                    assert!(min >= 10.0, "{name}: chart {stem}'s smallest text is {min} CSS px at 390 px");
                }
            }
        }
        let url = format!("file://{}", file.display());
        let shots =
            [(format!("{name}.png"), 1200), (format!("{name}-full.png"), if width == 390 { 16000 } else { 9000 })];
        for (png, height) in shots {
            if file == &index && png.ends_with("-full.png") {
                continue;
            }
            screenshot(&bin, &url, &out.join(png), (width, height), &out.join(format!("profile-s-{name}")));
        }
    }
    // The index says small numbers with their counts, like the cards.
    let index_html = std::fs::read_to_string(&index).expect("read index");
    assert!(!index_html.contains("<td>too few to read</td>"), "a bare 'too few' without its n");
    eprintln!("screenshots: {}", out.display());
}

/// Text of page `page` (1-based) of a PDF, by poppler's `pdftotext`.
fn pdf_page_text(pdf: &Path, page: usize) -> String {
    let o = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    String::from_utf8_lossy(&o.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Issue 14: Chromium's print to PDF of the sample report gives clean pages: page 1
/// holds the four headline cards, and no whole chart is split across two pages (its
/// title and its footer line, both text in the PDF, are on the same page). The pages are
/// rendered to PNG (poppler's `pdftoppm`) in `$CARGO_TARGET_TMPDIR/print/`.
#[test]
fn issue_14_print_to_pdf_keeps_cards_on_page_1_and_charts_whole() {
    let Some(bin) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "chromium is not installed; .ci/run installs it");
        eprintln!("skipped: chromium not installed (apt-get install chromium)");
        return;
    };
    if Command::new("pdftoppm").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "pdftoppm is not installed; .ci/run installs poppler-utils");
        eprintln!("skipped: poppler-utils not installed (apt-get install poppler-utils)");
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("print");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("mkdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = out.join("report");
    let s = |p: &Path| p.to_str().expect("utf-8 path").to_owned();
    run_report(&[
        "report",
        &s(&root.join("sample_data/followup_log.csv")),
        "--out",
        &s(&report),
        "--by",
        "cadence",
        "--cadence-plan",
        &s(&root.join("sample_data/cadence_plan.toml")),
    ]);
    let pdf = out.join("report.pdf");
    let st = chromium_cmd(&bin, &out.join("profile"), None)
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("file://{}", report.join("index.html").display()))
        .output()
        .expect("run chromium");
    assert!(
        std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0) > 10_000,
        "no PDF: {}",
        String::from_utf8_lossy(&st.stderr)
    );
    let st =
        Command::new("pdftoppm").args(["-r", "60", "-png"]).arg(&pdf).arg(out.join("page")).output().expect("pdftoppm");
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let pages = std::fs::read_dir(&out)
        .expect("read print dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .count();
    assert!(pages >= 3, "{pages} pages");
    let texts: Vec<String> = (1..=pages).map(|p| pdf_page_text(&pdf, p)).collect();

    // Page 1: the title and the four cards, with their readings.
    let first = &texts[0];
    for label in [
        "Follow-up report",
        "if followed up that far",
        "Average touches to close",
        "Conversion after follow-up",
        "Revenue recovered",
        "Won deals took",
    ] {
        assert!(first.contains(label), "page 1 lacks {label:?}: {first}");
    }
    // No whole chart split: each chart's title and its footer line on one page.
    let html = std::fs::read_to_string(report.join("index.html")).expect("read report");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("metrics.json")).expect("metrics")).expect("json");
    let footer = format!("followup · all data · as of {}", m["as_of"].as_str().unwrap_or("?"));
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for fig in html.split("<figure class=\"chart\" ").skip(1) {
        let title = fig.split("aria-label=\"").nth(1).and_then(|r| r.split('"').next()).expect("chart title");
        let title = squash(&unescape(title));
        let on: Vec<usize> = (0..pages).filter(|&p| texts[p].contains(&title)).collect();
        assert_eq!(on.len(), 1, "chart {title:?} is on pages {on:?}");
        let p = on[0];
        let titles_here = html
            .split("<figure class=\"chart\" ")
            .skip(1)
            .filter_map(|f| f.split("aria-label=\"").nth(1).and_then(|r| r.split('"').next()))
            .filter(|t| texts[p].contains(&squash(&unescape(t))))
            .count();
        assert_eq!(
            texts[p].matches(&footer).count(),
            titles_here,
            "page {}: {titles_here} chart titles but not as many footers: a chart is cut (see {})",
            p + 1,
            out.display()
        );
    }
    eprintln!("print pages: {}", out.display());
}
