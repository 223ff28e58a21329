//! Chart tests on metrics fixtures (`testdata/`): the 2,000-deal sample report and
//! hand-made edge cases (empty, a single touch, nulls, many touches and currencies,
//! every touch below the small-n threshold, no responses). They check what a reader
//! would: the title is drawn, every data point has its bar, the PNG has the asked size
//! and visible text — not merely that a file came out.

use super::*;
use crate::metrics::{Bin, Metrics};

const BLUE: &str = "#0072B2";
const SKY: &str = "#56B4E9";
const ORANGE: &str = "#E69F00";
const PALE: &str = "#E4E4E4";
const VERMILLION: &str = "#D55E00";

fn fixture(name: &str) -> Metrics {
    let text = match name {
        "sample" => include_str!("testdata/sample.json"),
        "empty" => include_str!("testdata/empty.json"),
        "single_touch" => include_str!("testdata/single_touch.json"),
        "nulls" => include_str!("testdata/nulls.json"),
        "many" => include_str!("testdata/many.json"),
        "all_small" => include_str!("testdata/all_small.json"),
        "no_responses" => include_str!("testdata/no_responses.json"),
        other => panic!("no fixture {other}"),
    };
    serde_json::from_str(text).unwrap_or_else(|e| panic!("fixture {name} does not match Metrics: {e}"))
}

const FIXTURES: [&str; 7] = ["sample", "empty", "single_touch", "nulls", "many", "all_small", "no_responses"];

/// `<rect …>` elements filled with `color`.
fn filled_rects(svg: &str, color: &str) -> usize {
    let needle = format!("fill=\"{color}\"");
    svg.lines().filter(|l| l.starts_with("<rect") && l.contains(&needle)).count()
}

/// `<circle …>` elements filled with `color`.
fn circles(svg: &str, color: &str) -> usize {
    let needle = format!("fill=\"{color}\"");
    svg.lines().filter(|l| l.starts_with("<circle") && l.contains(&needle)).count()
}

/// The text content of every `<text>` element.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text").skip(1).filter_map(|s| s.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")).map(|(t, _)| t.trim().to_owned())).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn svg(kind: ChartKind, m: &Metrics) -> String {
    render_svg(kind, m, &Spec::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_chart_renders_for_every_fixture_with_its_title_drawn() {
    for name in FIXTURES {
        let m = fixture(name);
        for kind in ChartKind::ALL {
            let s = svg(kind, &m);
            let title = kind.title(&m);
            assert!(!title.is_empty());
            assert!(texts(&s).contains(&escape(&title)), "{name}/{}: title {title:?} not drawn", kind.file_stem());
            assert!(s.contains(&format!("<title>{}</title>", escape(&title))), "{name}/{}: no <title>", kind.file_stem());
            assert!(s.trim_end().ends_with("</svg>"), "{name}/{}: unfinished SVG", kind.file_stem());
        }
    }
}

#[test]
fn titles_state_the_finding_of_the_sample() {
    let m = fixture("sample");
    let titles: Vec<String> = ChartKind::ALL.iter().map(|k| k.title(&m)).collect();
    assert_eq!(
        titles,
        [
            "Touch 2 gets the best response rate: 11.2%",
            "Won deals took a median of 3 touches",
            "47.2% of deals were dropped after the 1st touch",
            "80.1% to 82.6% of won revenue needed 2+ follow-ups, by currency",
        ]
    );
    let sub = ChartKind::ResponseByTouch.subtitle(&m);
    assert!(sub.starts_with("n = 1,890 deals received touch 1"), "{sub}");
    assert!(sub.contains("Touch 7 shows 19.0%, but on only 21 deals"), "{sub}");
    assert!(ChartKind::TouchesToClose.subtitle(&m).contains("n = 137 won and 1,467 lost deals"));
    assert!(ChartKind::GiveUp.subtitle(&m).starts_with("n = 1,785 dropped deals"));
    assert!(ChartKind::RevenueRecovered.subtitle(&m).starts_with("n = 105 recovered won deals (7 without an amount)"));
}

#[test]
fn edge_case_titles() {
    assert_eq!(ChartKind::ResponseByTouch.title(&fixture("all_small")), "Too few deals per touch to rank the touches yet (fewer than 10 each)");
    assert_eq!(ChartKind::ResponseByTouch.title(&fixture("no_responses")), "No deal has responded to a touch yet");
    let nulls = fixture("nulls");
    assert_eq!(ChartKind::TouchesToClose.title(&nulls), "No won deals with touch data yet; lost deals got a median of 2 touches");
    assert_eq!(ChartKind::GiveUp.title(&nulls), "55.6% of deals were dropped after the 2nd touch");
    assert_eq!(ChartKind::RevenueRecovered.title(&nulls), "100.0% of USD won revenue needed a follow-up");
    assert!(ChartKind::ResponseByTouch.subtitle(&nulls).starts_with("n = 25 deals received touch 2 (none received touch 1"));
    assert_eq!(ChartKind::TouchesToClose.title(&fixture("single_touch")), "Won deals took a median of 1 touch");
}

#[test]
fn response_by_touch_has_one_bar_and_one_km_marker_per_touch() {
    for name in FIXTURES {
        let m = fixture(name);
        let s = svg(ChartKind::ResponseByTouch, &m);
        let rows = &m.response_by_touch;
        let readable = rows.iter().filter(|r| r.rate.is_some() && r.sent >= 10).count();
        let small = rows.iter().filter(|r| r.rate.is_some() && r.sent > 0 && r.sent < 10).count();
        let legend = |n: usize| usize::from(n > 0);
        assert_eq!(filled_rects(&s, SKY), readable + legend(readable), "{name}: sky bars");
        let hollow = s.lines().filter(|l| l.starts_with("<rect") && l.contains("fill=\"none\"") && l.contains("stroke=\"#9A9A9A\"")).count();
        assert_eq!(hollow, small + legend(small), "{name}: grey bars");
        let km = rows.iter().filter(|r| r.cumulative_km.is_some()).count();
        let km_legend = usize::from(km > 0 && !rows.iter().any(|r| r.km_low.is_some()));
        assert_eq!(circles(&s, VERMILLION), km + km_legend, "{name}: Kaplan–Meier markers");
        if rows.iter().all(|r| r.sent == 0) {
            assert!(texts(&s).contains(&"No data".to_owned()), "{name}");
        }
    }
}

#[test]
fn touches_to_close_has_one_bar_per_touch_count_and_group() {
    for name in FIXTURES {
        let m = fixture(name);
        let s = svg(ChartKind::TouchesToClose, &m);
        let columns = |h: &[Bin]| {
            let mut c: Vec<u32> = h.iter().filter(|b| b.deals > 0).map(|b| b.touches.clamp(1, touches_to_close::CAP)).collect();
            c.dedup();
            c.len()
        };
        let won = &m.touches_to_close.stats.histogram;
        let lost = &m.touches_before_loss.stats.histogram;
        if won.is_empty() && lost.is_empty() {
            assert_eq!(filled_rects(&s, BLUE) + filled_rects(&s, ORANGE), 0, "{name}");
            assert!(texts(&s).contains(&"No data".to_owned()), "{name}");
            continue;
        }
        assert_eq!(filled_rects(&s, BLUE), columns(won) + 1, "{name}: won bars + legend");
        assert_eq!(filled_rects(&s, ORANGE), columns(lost) + 1, "{name}: lost bars + legend");
        assert!(texts(&s).iter().any(|t| t.starts_with("5+ touches")), "{name}: the 5-touch marker");
    }
}

#[test]
fn give_up_has_team_quoted_and_next_touch_bars() {
    for name in FIXTURES {
        let m = fixture(name);
        let s = svg(ChartKind::GiveUp, &m);
        if m.give_up.deals == 0 {
            assert!(texts(&s).contains(&"No data".to_owned()), "{name}");
            continue;
        }
        let shares = m.give_up.buckets.iter().filter(|b| b.share.is_some()).count();
        assert_eq!(filled_rects(&s, BLUE), shares + 1, "{name}: team bars + legend");
        assert_eq!(filled_rects(&s, PALE), 4 + 1, "{name}: quoted bars + legend");
        let next = [2, 3, 4, 6]
            .iter()
            .filter(|&&k| m.response_by_touch.iter().any(|r| r.touch == k && r.sent >= 10 && r.rate.is_some()))
            .count();
        assert_eq!(filled_rects(&s, SKY), next + 1, "{name}: next-touch bars + legend");
        assert!(texts(&s).contains(&"Widely quoted, primary source not found".to_owned()), "{name}");
        for q in ["48%", "25%", "17%", "10%"] {
            assert!(texts(&s).contains(&q.to_owned()), "{name}: quoted {q}");
        }
    }
}

#[test]
fn revenue_has_one_bar_per_currency_and_never_a_total() {
    for name in FIXTURES {
        let m = fixture(name);
        let s = svg(ChartKind::RevenueRecovered, &m);
        let cur = &m.revenue_recovered.by_currency;
        if cur.is_empty() {
            assert!(texts(&s).contains(&"No data".to_owned()), "{name}");
            continue;
        }
        let early = cur.iter().filter(|c| c.share_of_won.is_some_and(|x| x < 1.0)).count();
        let late = cur.iter().filter(|c| c.share_of_won.is_some_and(|x| x > 0.0)).count();
        assert_eq!(filled_rects(&s, SKY), early + 1, "{name}: early segments + legend");
        assert_eq!(filled_rects(&s, BLUE), late + 1, "{name}: recovered segments + legend");
        for c in cur {
            assert!(texts(&s).contains(&escape(&c.currency)), "{name}: currency {} drawn", c.currency);
        }
    }
    // Sample: GBP 267,467 and USD 571,184 recovered; their sum (838,651) appears nowhere.
    let s = svg(ChartKind::RevenueRecovered, &fixture("sample"));
    assert!(s.contains("GBP 267,467 recovered") && s.contains("USD 571,184 recovered"));
    assert!(!s.contains("838,65"), "amounts in two currencies were added up");
}

#[test]
fn currency_codes_are_escaped_in_svg() {
    let s = svg(ChartKind::RevenueRecovered, &fixture("many"));
    assert!(s.contains("&lt;b&gt;&amp;x"));
    assert!(!s.contains("<b>"));
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().unwrap_or_else(|e| panic!("PNG does not decode: {e}"));
    let mut buf = vec![0; dec.output_buffer_size().unwrap_or(0)];
    let info = dec.next_frame(&mut buf).unwrap_or_else(|e| panic!("PNG frame: {e}"));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn png_decodes_to_the_spec_size_with_text_in_the_title_band() {
    for name in FIXTURES {
        let m = fixture(name);
        for kind in ChartKind::ALL {
            for spec in [Spec::default(), Spec { width: 1200, height: 800 }] {
                let bytes = render_png(kind, &m, &spec).unwrap_or_else(|e| panic!("{e}"));
                let (w, h, px) = decode(&bytes);
                assert_eq!((w, h), (spec.width, spec.height), "{name}/{}", kind.file_stem());
                let lum: Vec<f64> = px.chunks(3).map(|p| 0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64).collect();
                let mean = lum.iter().sum::<f64>() / lum.len() as f64;
                let var = lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64;
                assert!(var > 1.0, "{name}/{}: the picture is one colour", kind.file_stem());
                let band = (40 * spec.height / 540) as usize;
                let dark = lum[..band * w as usize].iter().filter(|&&l| l < 90.0).count();
                assert!(dark > 150, "{name}/{}: only {dark} dark pixels in the title band", kind.file_stem());
            }
        }
    }
}

#[test]
fn renders_are_deterministic() {
    let m = fixture("sample");
    for kind in ChartKind::ALL {
        assert_eq!(svg(kind, &m), svg(kind, &m));
        let spec = Spec::default();
        assert_eq!(render_png(kind, &m, &spec).ok(), render_png(kind, &m, &spec).ok());
    }
}

#[test]
fn sizes_out_of_range_are_an_error_naming_the_chart() {
    let m = fixture("sample");
    for spec in [Spec { width: 0, height: 540 }, Spec { width: 960, height: 10 }, Spec { width: 100_000, height: 540 }] {
        let e = render_png(ChartKind::GiveUp, &m, &spec).expect_err("must fail");
        assert_eq!(e.chart, "give_up");
        assert!(e.to_string().starts_with("could not draw chart give_up: a chart of"), "{e}");
        assert!(render_svg(ChartKind::GiveUp, &m, &spec).is_err());
    }
    assert_eq!(Spec::default().scaled(2), Spec { width: 1920, height: 1080 });
    for spec in [Spec::MIN, Spec::default().scaled(2)] {
        for kind in ChartKind::ALL {
            assert!(render_svg(kind, &m, &spec).is_ok() && render_png(kind, &m, &spec).is_ok(), "{spec:?}");
        }
    }
}

#[test]
fn kinds_have_distinct_file_stems() {
    let mut stems: Vec<&str> = ChartKind::ALL.iter().map(|k| k.file_stem()).collect();
    stems.sort_unstable();
    stems.dedup();
    assert_eq!(stems, ["give_up", "response_by_touch", "revenue_recovered", "touches_to_close"]);
}
