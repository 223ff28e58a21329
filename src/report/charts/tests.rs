//! Chart tests on metrics fixtures (`testdata/`, all with `as_of` pinned to
//! 2026-10-31): the 2,000-deal sample report, a small hand-made 40-deal report (the
//! snapshot fixture), and hand-made edge cases (empty, a single touch, nulls, many
//! touches, months and currencies, every touch below the small-n threshold, no
//! responses). Each fixture's `trend` covers the monthly chart's cases: none or one
//! month, gaps and nulls, more months than are drawn, readings at an earlier touch.
//! They check what a reader would: the title is drawn, every data point has its bar or
//! marker, the PNG has the asked size and visible text — not merely that a file came
//! out. The insta snapshots (`snapshots/`) hold every chart's *scene* for the small
//! fixture (`scene.rs`: one line per element, rounded to whole pixels), so a drawing
//! change shows up as a short reviewable diff (`cargo insta review`).

use super::*;
use crate::metrics::{Bin, Metrics};

const BLUE: &str = "#0072B2";
const SKY: &str = "#56B4E9";
const ORANGE: &str = "#E69F00";
const PALE: &str = "#E4E4E4";
const VERMILLION: &str = "#D55E00";
const GREEN: &str = "#009E73";

fn fixture(name: &str) -> Metrics {
    let text = match name {
        "sample" => include_str!("testdata/sample.json"),
        "empty" => include_str!("testdata/empty.json"),
        "single_touch" => include_str!("testdata/single_touch.json"),
        "nulls" => include_str!("testdata/nulls.json"),
        "many" => include_str!("testdata/many.json"),
        "all_small" => include_str!("testdata/all_small.json"),
        "no_responses" => include_str!("testdata/no_responses.json"),
        "small" => include_str!("testdata/small.json"),
        "timing_sample" => include_str!("testdata/timing_sample.json"),
        other => panic!("no fixture {other}"),
    };
    serde_json::from_str(text).unwrap_or_else(|e| panic!("fixture {name} does not match Metrics: {e}"))
}

const FIXTURES: [&str; 9] =
    ["sample", "small", "empty", "single_touch", "nulls", "many", "all_small", "no_responses", "timing_sample"];

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
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            s.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")).map(|(t, _)| t.trim().to_owned())
        })
        .collect()
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
            assert!(
                s.contains(&format!("<title>{}</title>", escape(&title))),
                "{name}/{}: no <title>",
                kind.file_stem()
            );
            assert!(s.trim_end().ends_with("</svg>"), "{name}/{}: unfinished SVG", kind.file_stem());
        }
    }
}

#[test]
fn titles_state_the_finding_of_the_sample() {
    let m = fixture("sample");
    let titles: Vec<String> = ChartKind::ALL[..5].iter().map(|k| k.title(&m)).collect();
    assert_eq!(
        titles,
        [
            "Touch 2 gets the best response rate: 11.2%",
            "Won deals took a median of 3 touches",
            "47.2% of deals were dropped after the 1st touch",
            "80.1% to 82.6% of won revenue needed 2+ follow-ups, by currency",
            "Conversion after follow-up held steady at 14.6% in October (median 15.4%)",
        ]
    );
    assert_eq!(ChartKind::Trend.subtitle(&m).lines().next(), Some("10 months, January to October 2026"));
    let sub = ChartKind::ResponseByTouch.subtitle(&m);
    assert!(sub.starts_with("n = 1,890 deals received touch 1"), "{sub}");
    assert!(sub.contains("Touch 7 shows 19.0%, but on only 21 deals"), "{sub}");
    assert!(ChartKind::TouchesToClose.subtitle(&m).contains("n = 137 won and 1,467 lost deals"));
    assert!(ChartKind::GiveUp.subtitle(&m).starts_with("n = 1,785 dropped deals"));
    assert!(ChartKind::RevenueRecovered.subtitle(&m).starts_with("n = 105 recovered won deals (7 without an amount)"));
}

#[test]
fn edge_case_titles() {
    assert_eq!(
        ChartKind::ResponseByTouch.title(&fixture("all_small")),
        "Too few deals per touch to rank the touches yet (fewer than 10 each)"
    );
    assert_eq!(ChartKind::ResponseByTouch.title(&fixture("no_responses")), "No deal has responded to a touch yet");
    let nulls = fixture("nulls");
    assert_eq!(
        ChartKind::TouchesToClose.title(&nulls),
        "No won deals with touch data yet; lost deals got a median of 2 touches"
    );
    assert_eq!(ChartKind::GiveUp.title(&nulls), "55.6% of deals were dropped after the 2nd touch");
    assert_eq!(ChartKind::RevenueRecovered.title(&nulls), "100.0% of USD won revenue needed a follow-up");
    assert!(ChartKind::ResponseByTouch
        .subtitle(&nulls)
        .starts_with("n = 25 deals received touch 2 (none received touch 1"));
    assert_eq!(ChartKind::TouchesToClose.title(&fixture("single_touch")), "Won deals took a median of 1 touch");
}

#[test]
fn trend_titles_follow_the_rule() {
    let title = |name: &str| ChartKind::Trend.title(&fixture(name));
    for name in ["empty", "single_touch"] {
        assert_eq!(title(name), "Monthly trend: not enough months yet", "{name}");
        assert_eq!(ChartKind::Trend.subtitle(&fixture(name)), "", "{name}");
    }
    assert_eq!(title("all_small"), "Monthly trend: too few deals a month to read a change yet (fewer than 10)");
    // Conversion cannot be read (fewer than 10 closed deals a month): response is next.
    // September is the last month read at touch 5 (October only reached touch 3).
    assert_eq!(title("small"), "Response by touch 5 fell to 30.0% in September (median 38.0%)");
    // 0% against 0% and 31.3% before: beyond 3 points, within the swing.
    assert_eq!(title("nulls"), "Conversion after follow-up shows no clear trend: 0.0% in September (median 15.6%)");
    assert_eq!(title("no_responses"), "Conversion after follow-up held steady at 15.5% in October (median 15.5%)");
    // Months in two years name the year.
    assert!(title("many").contains("in October 2026"), "{}", title("many"));
    let sub = ChartKind::Trend.subtitle(&fixture("many"));
    assert!(sub.starts_with("24 months, November 2024 to October 2026 (the 6 months before are not drawn)"), "{sub}");
    assert!(ChartKind::Trend.subtitle(&fixture("small")).contains("“touch k”: that month reached only touch k"));
    let mut partial = fixture("sample");
    partial.as_of = "2026-10-15".to_owned();
    assert!(ChartKind::Trend
        .subtitle(&partial)
        .starts_with("10 months, January to October 2026; October is partial, to the 15th"));
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
        let hollow = s
            .lines()
            .filter(|l| l.starts_with("<rect") && l.contains("fill=\"none\"") && l.contains("stroke=\"#9A9A9A\""))
            .count();
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
            let mut c: Vec<u32> =
                h.iter().filter(|b| b.deals > 0).map(|b| b.touches.clamp(1, touches_to_close::CAP)).collect();
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

/// The value of attribute `name` of an SVG element written on one line.
fn attr<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = line.find(&needle)? + needle.len();
    line[start..].split('"').next()
}

fn num(line: &str, name: &str) -> i32 {
    attr(line, name).and_then(|v| v.parse().ok()).unwrap_or(i32::MIN)
}

/// The position of the first `<text>` whose content `is` the one looked for.
fn text_at(svg: &str, is: impl Fn(&str) -> bool) -> Option<(i32, i32)> {
    let lines: Vec<&str> = svg.lines().collect();
    lines.windows(2).find(|w| w[0].starts_with("<text") && is(w[1])).map(|w| (num(w[0], "x"), num(w[0], "y")))
}

/// The trend chart's markers and lines, sorted into its four panels by the position of
/// the panel headings: response (top left), touches (top right), conversion (bottom
/// left), revenue (bottom right).
#[derive(Debug, Default, PartialEq)]
struct Panels {
    /// Per panel and colour: (filled markers, hollow markers).
    markers: [Vec<(String, usize, usize)>; 4],
    /// Per panel: lines in the data blue (the runs between months with a value).
    blue_lines: [usize; 4],
}

fn trend_panels(svg: &str) -> Panels {
    // A heading, exactly; `…` stands for any text (the touch number).
    let heading = |h: &str| {
        let is = |t: &str| match h.split_once('…') {
            Some((start, end)) => t.starts_with(start) && t.ends_with(end) && t.len() >= start.len() + end.len(),
            None => t == h,
        };
        text_at(svg, is).unwrap_or_else(|| panic!("panel heading {h:?} not drawn"))
    };
    let (_, top) = heading("Response by touch … if followed up");
    let (right, _) = heading("Average touches to close (won deals)");
    let (_, bottom) = heading("Conversion after follow-up");
    let panel = |(x, y): (i32, i32)| (y > top).then_some(usize::from(x >= right) + 2 * usize::from(y >= bottom));
    let mut out = Panels::default();
    let mut add = |p: usize, colour: &str, hollow: bool| {
        let list = &mut out.markers[p];
        let i = list.iter().position(|e| e.0 == colour).unwrap_or_else(|| {
            list.push((colour.to_owned(), 0, 0));
            list.len() - 1
        });
        if hollow {
            list[i].2 += 1;
        } else {
            list[i].1 += 1;
        }
    };
    for l in svg.lines() {
        let (fill, stroke) = (attr(l, "fill").unwrap_or(""), attr(l, "stroke").unwrap_or(""));
        let at = if l.starts_with("<circle") {
            (num(l, "cx"), num(l, "cy"))
        } else if l.starts_with("<rect") || l.starts_with("<polygon") || l.starts_with("<polyline") {
            match attr(l, "points") {
                Some(pts) => pts
                    .split([',', ' '])
                    .filter_map(|v| v.parse().ok())
                    .collect::<Vec<i32>>()
                    .get(..2)
                    .map_or((0, 0), |p| (p[0], p[1])),
                None => (num(l, "x"), num(l, "y")),
            }
        } else {
            continue;
        };
        let Some(p) = panel(at) else { continue };
        let small_rect = l.starts_with("<rect") && num(l, "width") <= 12;
        match (l.split(' ').next().unwrap_or(""), fill) {
            ("<circle", "none") => add(p, stroke, true),
            ("<circle", "#FFFFFF") => {}
            ("<circle", c) => add(p, c, false),
            ("<rect", "none") if small_rect => add(p, stroke, true),
            ("<rect", c) if small_rect && c != "#FFFFFF" => add(p, c, false),
            ("<polygon", "#FFFFFF") => {}
            ("<polygon", c) => add(p, c, false),
            ("<polyline", _) => {
                let pts = attr(l, "points").unwrap_or("").split_whitespace().collect::<Vec<_>>();
                if pts.len() > 2 && pts.first() == pts.last() {
                    add(p, stroke, true); // the outline of a hollow diamond
                } else if stroke == BLUE {
                    out.blue_lines[p] += 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// What the trend chart should draw for `m`, worked out from the metrics on their own.
fn expected_panels(m: &Metrics) -> Panels {
    let index =
        |s: &str| s.split_once('-').and_then(|(y, mo)| Some(y.parse::<i32>().ok()? * 12 + mo.parse::<i32>().ok()? - 1));
    let last = m.trend.iter().filter_map(|t| index(&t.month)).max().unwrap_or(0);
    let drawn: Vec<Option<&crate::metrics::MonthTrend>> =
        (last - 23..=last).map(|i| m.trend.iter().find(|t| index(&t.month) == Some(i))).collect();
    let mut out = Panels::default();
    let small = |n: usize| n < 10;
    type Pick = fn(&crate::metrics::MonthTrend) -> (Option<f64>, usize);
    let singles: [Pick; 3] = [
        |t| (t.response_km, t.touch_1_sent as usize),
        |t| (t.touches_to_close_mean, t.won),
        |t| (t.conversion_rate, t.won + t.lost),
    ];
    for (p, pick) in singles.iter().enumerate() {
        let points: Vec<Option<usize>> = drawn.iter().map(|t| t.and_then(|t| pick(t).0.map(|_| pick(t).1))).collect();
        let (filled, hollow) = (
            points.iter().flatten().filter(|n| !small(**n)).count(),
            points.iter().flatten().filter(|n| small(**n)).count(),
        );
        if filled + hollow > 0 {
            out.markers[p].push((BLUE.to_owned(), filled, hollow));
        }
        out.blue_lines[p] = points.split(Option::is_none).filter(|run| run.len() > 1).count();
    }
    // Revenue: the three currencies with a share in the most months, by code.
    let mut codes: Vec<(String, usize)> = vec![];
    for t in drawn.iter().flatten() {
        for c in &t.revenue_recovered {
            match codes.iter_mut().find(|e| e.0 == c.currency) {
                Some(e) => e.1 += usize::from(c.share_of_won.is_some()),
                None => codes.push((c.currency.clone(), usize::from(c.share_of_won.is_some()))),
            }
        }
    }
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    codes.truncate(3);
    codes.sort();
    for ((code, _), colour) in codes.iter().zip([BLUE, VERMILLION, GREEN]) {
        let has = |t: &crate::metrics::MonthTrend| {
            t.revenue_recovered.iter().any(|c| &c.currency == code && c.share_of_won.is_some())
        };
        let shares: Vec<usize> = drawn.iter().flatten().filter(|t| has(t)).map(|t| t.won).collect();
        if colour == BLUE {
            let points: Vec<bool> = drawn.iter().map(|t| t.is_some_and(has)).collect();
            out.blue_lines[3] = points.split(|p| !p).filter(|run| run.len() > 1).count();
        }
        if !shares.is_empty() {
            out.markers[3].push((
                colour.to_owned(),
                shares.iter().filter(|n| !small(**n)).count(),
                shares.iter().filter(|n| small(**n)).count(),
            ));
        }
    }
    for list in &mut out.markers {
        list.sort();
    }
    out
}

#[test]
fn trend_has_one_marker_per_month_with_a_value_and_gaps_for_nulls() {
    for name in FIXTURES {
        let m = fixture(name);
        let s = svg(ChartKind::Trend, &m);
        if m.trend.len() < 2 {
            assert!(texts(&s).contains(&"Not enough months yet".to_owned()), "{name}");
            assert_eq!(circles(&s, BLUE), 0, "{name}");
            continue;
        }
        let mut got = trend_panels(&s);
        for list in &mut got.markers {
            list.sort();
        }
        assert_eq!(got, expected_panels(&m), "{name}: markers (filled, hollow) and lines per panel");
        for n_row in ["sent", "won", "closed"] {
            assert!(texts(&s).contains(&n_row.to_owned()), "{name}: the n row {n_row:?}");
        }
    }
    // nulls: July has no entry and shows no n; June's null response, May's and
    // September's null touches are gaps, not zeros (2 touch markers, not 4).
    let s = svg(ChartKind::Trend, &fixture("nulls"));
    assert!(texts(&s).contains(&"–".to_owned()));
    assert_eq!(trend_panels(&s).markers[1], [(BLUE.to_owned(), 1, 1)]);
    assert!(texts(&s).contains(&"touch 3".to_owned()), "the month read at touch 3 is labelled");
    // A metric with no value in any month: an empty panel that says so, no markers.
    let mut m = fixture("sample");
    for t in &mut m.trend {
        t.touches_to_close_mean = None;
    }
    let s = svg(ChartKind::Trend, &m);
    assert!(texts(&s).contains(&"no value in these months".to_owned()));
    assert_eq!(trend_panels(&s).markers[1], []);
    // sample: the n under October, per panel.
    let texts = texts(&svg(ChartKind::Trend, &fixture("sample")));
    for n in ["156", "15", "189"] {
        assert!(texts.contains(&n.to_owned()), "n = {n} under October");
    }
}

/// Issue 14: on a phone the trend's panels are shown one by one, each its own SVG at
/// [`PANEL`] size with texts large enough that a 358-px phone column (390 CSS px less
/// the page's padding) shows each at 10 CSS px or more, drawing the same markers as the
/// whole chart's panel; a trend of fewer than two months has no panels (the whole
/// chart says so). Every other chart has panels as readable.
#[test]
fn issue_14_trend_panels_stand_alone_with_full_size_text() {
    let sizes = |svg: &str| -> Vec<f64> {
        svg.split("font-size=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next()?.trim_end_matches("px").parse().ok())
            .collect()
    };
    let blue_circles = |svg: &str| -> (usize, usize) {
        let circles = svg.lines().filter(|l| l.starts_with("<circle"));
        circles.fold((0, 0), |(f, h), l| match (attr(l, "fill"), attr(l, "stroke")) {
            (Some(BLUE), _) => (f + 1, h),
            (Some("none"), Some(BLUE)) => (f, h + 1),
            _ => (f, h),
        })
    };
    for name in FIXTURES {
        let m = fixture(name);
        let panels = render_panels(ChartKind::Trend, &m).unwrap_or_else(|e| panic!("{name}: {e}"));
        if m.trend.len() < 2 {
            assert!(panels.is_empty(), "{name}");
            continue;
        }
        assert_eq!(panels.len(), 4, "{name}");
        let expected = expected_panels(&m);
        for (i, p) in panels.iter().enumerate() {
            assert!(p.svg.contains("width=\"440\"") && p.svg.contains("height=\"280\""), "{name}/{i}");
            assert!(texts(&p.svg).contains(&p.heading), "{name}/{i}: heading {:?} not drawn", p.heading);
            let min = sizes(&p.svg).into_iter().fold(f64::INFINITY, f64::min);
            let on_phone = min * 358.0 / PANEL.width as f64;
            assert!(on_phone >= 10.0, "{name}/{i}: a text of {min} px, {on_phone:.1} CSS px on a phone");
            if i < 3 {
                let want = expected.markers[i].iter().find(|e| e.0 == BLUE).map_or((0, 0), |e| (e.1, e.2));
                assert_eq!(blue_circles(&p.svg), want, "{name}/{i}: (filled, hollow) markers");
            }
        }
    }
    // Every other chart is panels too, each as readable on a phone (issue 14), with its
    // group comparisons: the response grid and the conversion panel apart.
    for name in FIXTURES {
        let m = fixture(name);
        for kind in ChartKind::for_report(&m).into_iter().filter(|k| *k != ChartKind::Trend) {
            let panels = render_panels(kind, &m).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!panels.is_empty(), "{name}/{kind:?}: no panel");
            for (i, p) in panels.iter().enumerate() {
                assert!(p.svg.contains("width=\"440\""), "{name}/{kind:?}/{i}");
                let min = sizes(&p.svg).into_iter().fold(f64::INFINITY, f64::min);
                let on_phone = min * 358.0 / PANEL.width as f64;
                assert!(on_phone >= 10.0, "{name}/{kind:?}/{i}: a text of {min} px, {on_phone:.1} CSS px on a phone");
            }
        }
    }
    let legend: Vec<String> = legend(ChartKind::Trend, &fixture("small")).into_iter().map(|l| l.1).collect();
    assert_eq!(
        legend,
        ["Median of the readable months before the last", "Fewer than 10 deals that month: too few to read"]
    );
    // Each panel says its verdict, on a line of its own where it does not fit beside the
    // heading (the whole chart leaves it out there).
    let sample = render_panels(ChartKind::Trend, &fixture("sample")).expect("renders");
    for p in &sample[..3] {
        assert!(texts(&p.svg).iter().any(|t| t.starts_with("· ")), "{}: no verdict", p.heading);
    }
    let first = &sample[0].svg;
    insta::assert_snapshot!("sample_trend_panel_response", super::scene::scene(first).expect("scene"));
}

#[test]
fn trend_never_adds_currencies_up() {
    // sample October: GBP 17,800 and USD 167,909 recovered; shares 100% and 90.5%.
    let s = svg(ChartKind::Trend, &fixture("sample"));
    assert!(texts(&s).contains(&"GBP".to_owned()) && texts(&s).contains(&"USD".to_owned()));
    assert!(!s.contains("185,709") && !s.contains("185709"), "amounts in two currencies were added up");
    // many: five currencies, the three with a share in the most months are drawn, escaped.
    let s = svg(ChartKind::Trend, &fixture("many"));
    assert!(texts(&s).contains(&"· 3 of 5 currencies".to_owned()));
    assert!(s.contains("&lt;b&gt;&amp;x") && !s.contains("<b>"));
}

#[test]
fn svg_is_the_same_bytes_every_time_and_has_no_ids_or_dates() {
    for name in FIXTURES {
        let m = fixture(name);
        for kind in ChartKind::ALL {
            let (a, b) = (svg(kind, &m), svg(kind, &m));
            assert!(a == b, "{name}/{}: two renders differ", kind.file_stem());
            assert!(!a.contains(" id="), "{name}/{}: element ids", kind.file_stem());
            // The only date in a chart is the pinned as-of/period of the fixture.
            let today = "2026-11";
            assert!(!a.contains(today), "{name}/{}", kind.file_stem());
        }
    }
}

/// The scene of a chart (`scene.rs`): its elements, one line each, rounded to whole
/// pixels. This is what the snapshots hold.
fn scene_of(kind: ChartKind, m: &Metrics) -> String {
    super::scene::scene(&svg(kind, m)).unwrap_or_else(|e| panic!("{}: {e}", kind.file_stem()))
}

/// Every chart's scene for the small fixture, and the sample's trend, as insta
/// snapshots: review a drawing change with `cargo insta review` (or
/// `INSTA_UPDATE=always cargo test` and read the diff).
#[test]
fn scene_snapshots() {
    let m = fixture("small");
    for kind in &ChartKind::ALL[..5] {
        insta::assert_snapshot!(format!("small_{}", kind.file_stem()), scene_of(*kind, &m));
    }
    // The issue-13 charts, drawn on the 2,000-deal sample (the small fixture predates them).
    let timing = fixture("timing_sample");
    for kind in &ChartKind::ALL[5..] {
        insta::assert_snapshot!(format!("timing_sample_{}", kind.file_stem()), scene_of(*kind, &timing));
    }
    insta::assert_snapshot!("sample_trend", scene_of(ChartKind::Trend, &fixture("sample")));
}

/// Attributes holding positions and sizes, as plotters writes them.
const GEOMETRY: [&str; 12] = ["x", "y", "width", "height", "cx", "cy", "r", "x1", "y1", "x2", "y2", "points"];

/// `svg` with every position and size moved by `by` pixels.
fn nudge(svg: &str, by: f64) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(i) = rest.find("=\"") {
        let (head, tail) = rest.split_at(i + 2);
        let name = head[..i].rsplit([' ', '<']).next().unwrap_or("");
        let end = tail.find('"').unwrap_or(tail.len());
        out.push_str(head);
        if GEOMETRY.contains(&name) {
            let moved: Vec<String> = tail[..end]
                .split_inclusive([' ', ','])
                .map(|w| {
                    let (num, sep) = w.split_at(w.trim_end_matches([' ', ',']).len());
                    num.parse::<f64>().map_or(w.to_owned(), |v| format!("{}{sep}", v + by))
                })
                .collect();
            out.push_str(&moved.concat());
        } else {
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out + rest
}

/// The lines of scene `b` that are not in scene `a`.
fn changed(a: &str, b: &str) -> Vec<String> {
    b.lines().filter(|l| !a.lines().any(|x| x == *l)).map(str::to_owned).collect()
}

#[test]
fn a_sub_pixel_shift_leaves_the_scene_unchanged_and_a_real_one_does_not() {
    let svg = svg(ChartKind::ResponseByTouch, &fixture("small"));
    let scene = |s: &str| super::scene::scene(s).unwrap_or_else(|e| panic!("{e}"));
    let base = scene(&svg);
    assert!(nudge(&svg, 0.3) != svg, "the nudge moved nothing");
    assert_eq!(scene(&nudge(&svg, 0.3)), base, "0.3 px to the right and down");
    assert_eq!(scene(&nudge(&svg, -0.3)), base, "0.3 px to the left and up");
    let moved = scene(&nudge(&svg, 2.0));
    assert_eq!(moved.lines().count(), base.lines().count());
    assert!(changed(&base, &moved).len() > base.lines().count() / 2, "2 px moves every element");
}

#[test]
fn a_changed_bar_height_changes_the_scene() {
    // small: raise the response rate at touch 2 by 10 points; the bar (a sky rect)
    // grows and the title, axis and labels follow.
    let m = fixture("small");
    let mut higher = m.clone();
    let row =
        higher.response_by_touch.iter_mut().find(|r| r.touch == 2 && r.rate.is_some()).expect("touch 2 has a rate");
    row.rate = row.rate.map(|r| r + 0.10);
    let (a, b) = (scene_of(ChartKind::ResponseByTouch, &m), scene_of(ChartKind::ResponseByTouch, &higher));
    let bars =
        |s: &str| s.lines().filter(|l| l.starts_with("rect") && l.contains(SKY)).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(bars(&a).len(), bars(&b).len(), "the same bars");
    assert!(bars(&a) != bars(&b), "a bar height that changed is a changed scene");
    // One bar's rect only: the one at touch 2.
    let (ra, rb) = (bars(&a), bars(&b));
    assert_eq!(ra.iter().zip(&rb).filter(|(x, y)| x != y).count(), 1, "{:?}", changed(&a, &b));
}

#[test]
fn a_changed_title_changes_the_scene() {
    let m = fixture("small");
    let svg = svg(ChartKind::GiveUp, &m);
    let title = escape(&ChartKind::GiveUp.title(&m));
    let other = svg.replace(&title, "Something else entirely");
    let scene = |s: &str| super::scene::scene(s).unwrap_or_else(|e| panic!("{e}"));
    let diff = changed(&scene(&svg), &scene(&other));
    assert_eq!(diff.len(), 2, "the <title> and the drawn title: {diff:?}");
    assert!(diff.iter().all(|l| l.contains("\"Something else entirely\"")), "{diff:?}");
}

#[test]
fn currency_codes_are_escaped_in_svg() {
    let s = svg(ChartKind::RevenueRecovered, &fixture("many"));
    assert!(s.contains("&lt;b&gt;&amp;x"));
    assert!(!s.contains("<b>"));
}

/// Decodes PNG bytes to 8-bit RGB pixels (a palette image expanded), with the colour
/// type the file was written in.
fn decode_as(png_bytes: &[u8]) -> (u32, u32, Vec<u8>, png::ColorType) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut dec = dec.read_info().unwrap_or_else(|e| panic!("PNG does not decode: {e}"));
    let written = dec.info().color_type;
    let mut buf = vec![0; dec.output_buffer_size().unwrap_or(0)];
    let info = dec.next_frame(&mut buf).unwrap_or_else(|e| panic!("PNG frame: {e}"));
    assert_eq!((info.color_type, info.bit_depth), (png::ColorType::Rgb, png::BitDepth::Eight));
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf, written)
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let (w, h, px, _) = decode_as(png_bytes);
    (w, h, px)
}

/// `n` distinct colours, each in a run of 40 pixels, then repeated to fill w × h.
fn colours(n: u32, (w, h): (u32, u32)) -> Vec<u8> {
    (0..w * h).flat_map(|i| ((i / 40) % n).wrapping_mul(2_654_435_761).to_be_bytes()[1..].to_vec()).collect()
}

#[test]
fn png_pixels_survive_encoding_exactly_with_or_without_a_palette() {
    let size = (161, 67);
    // Colour 0 is black, first in the image, in runs longer than the encoder's run check.
    for (n, written) in [
        (1, png::ColorType::Indexed),
        (2, png::ColorType::Indexed),
        (256, png::ColorType::Indexed),
        (257, png::ColorType::Rgb),
    ] {
        let pixels = colours(n, size);
        let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(3).collect();
        assert_eq!(distinct.len(), n as usize, "the test image has {n} colours");
        let bytes = raster::encode(&pixels, size).unwrap_or_else(|e| panic!("{e}"));
        let (w, h, back, ty) = decode_as(&bytes);
        assert_eq!(((w, h), ty), (size, written), "{n} colours");
        assert!(back == pixels, "{n} colours: decoded pixels differ from the drawn ones");
    }
}

#[test]
fn a_drawn_chart_is_written_with_its_exact_pixels() {
    let m = fixture("many");
    for kind in [ChartKind::ResponseByTouch, ChartKind::Trend] {
        let spec = Spec::default();
        let mut pixels = Vec::new();
        let bytes = render_png_into(kind, &m, &spec, &mut pixels).unwrap_or_else(|e| panic!("{e}"));
        let (_, _, back, _) = decode_as(&bytes);
        assert!(back == pixels, "{}: the PNG's pixels are not the drawn ones", kind.file_stem());
    }
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
                let lum: Vec<f64> =
                    px.chunks(3).map(|p| 0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64).collect();
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

/// The report draws every PNG of a thread into one kept buffer: a chart drawn into a
/// buffer left full of another chart (or of noise) gives the same bytes as a fresh one.
#[test]
fn a_png_drawn_into_a_used_buffer_is_the_same_png() {
    let m = fixture("sample");
    let spec = Spec::default();
    let len = spec.width as usize * spec.height as usize * 3;
    let mut pixels: Vec<u8> = (0..len).map(|i| (i * 37 % 251) as u8).collect();
    for kind in ChartKind::ALL {
        let fresh = render_png(kind, &m, &spec).unwrap_or_else(|e| panic!("{e}"));
        let reused = super::render_png_into(kind, &m, &spec, &mut pixels).unwrap_or_else(|e| panic!("{e}"));
        assert!(fresh == reused, "{kind:?}: a used buffer changed the PNG");
    }
}

#[test]
fn sizes_out_of_range_are_an_error_naming_the_chart() {
    let m = fixture("sample");
    for spec in [Spec { width: 0, height: 540 }, Spec { width: 960, height: 10 }, Spec { width: 100_000, height: 540 }]
    {
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
    assert_eq!(
        stems,
        [
            "competing_outcomes",
            "give_up",
            "late_answers",
            "reply_delay",
            "response_by_touch",
            "revenue_recovered",
            "spacing",
            "speed_to_answer",
            "touches_to_close",
            "trend"
        ]
    );
}

/// Issue 13: the new charts' titles on the 2,000-deal sample (metrics.json of
/// `followup report sample_data/followup_log.csv`), and what they say when the same
/// figures rest on too few deals.
#[test]
fn timing_titles_state_the_finding_of_the_sample() {
    let m = fixture("timing_sample");
    let titles: Vec<String> = ChartKind::ALL[5..].iter().map(|k| k.title(&m)).collect();
    assert_eq!(
        titles,
        [
            "Answering within an hour: 43.5% won vs 11.4% after three days (n = 69 and 35)",
            "Replies arrive within 3 days in 86.8% of cases: wait 3 days before the next touch (n = 311)",
            "A 2–3 day gap before the next touch gets 20.7% vs 8.7% after other gaps — a real difference (n = 334 and 1,501)",
            "Answers at touch 5+ win 44.4% of the time, vs 28.7% at touch 1 — not yet a meaningful difference (n = 18 and 101)",
            "By touch 8, 21.1% answer when opting out and losing end the chase, vs 50.2% if every deal were chased on (n = 1,861)",
        ]
    );
    assert!(ChartKind::ReplyDelay.subtitle(&m).contains("Suggested --stale-days 4"));
    assert_eq!(super::suggested_stale_days(&m), Some(4));
    assert!(ChartKind::CompetingOutcomes.subtitle(&m).starts_with("The 29.1-point gap is the deals lost"));

    // The same sample with every count cut to a handful: no canned claim survives.
    let mut few = m.clone();
    for b in &mut few.speed_to_answer.time_to_answer.bands {
        (b.won, b.lost) = (b.won.min(2), b.lost.min(3));
    }
    few.reply_delay.overall.deals = 7;
    for r in &mut few.spacing.pooled {
        r.sent = r.sent.min(9);
    }
    for a in &mut few.late_answers {
        (a.won, a.lost) = (a.won.min(4), a.lost.min(5));
    }
    for s in &mut few.competing_outcomes {
        s.at_risk = s.at_risk.min(9);
    }
    let titles: Vec<String> = ChartKind::ALL[5..].iter().map(|k| k.title(&few)).collect();
    assert_eq!(
        titles,
        [
            "Win rate by how fast we answered: too few closed deals per speed to read (n = 23)",
            "How long replies take: too few responses to read (n = 7)",
            "Gaps between touches: too few touches per gap to read (n = 45)",
            "What a late answer is worth: too few closed deals per touch to read (n = 44)",
            "Who answers in the end: too few deals to read (n = 9)",
        ]
    );
    assert_eq!(super::suggested_stale_days(&few), None);
    // Too few deals: the bars are drawn hollow grey, with no value printed over them.
    let s = svg(ChartKind::SpeedToAnswer, &few);
    assert_eq!(filled_rects(&s, SKY), 0, "no sky-blue bar, and no legend entry for one");
    assert!(!texts(&s).iter().any(|t| t.ends_with('%') && t.contains('.')), "no rate printed");
}

#[test]
fn timing_charts_draw_one_bar_per_category() {
    let m = fixture("timing_sample");
    // One sky bar per readable category, plus the legend swatch.
    let readable = |n: usize| n + 1;
    let s = svg(ChartKind::SpeedToAnswer, &m);
    assert_eq!(filled_rects(&s, SKY), readable(4), "never (8 closed) is too few");
    assert_eq!(filled_rects(&svg(ChartKind::ReplyDelay, &m), SKY), readable(4));
    assert_eq!(filled_rects(&svg(ChartKind::Spacing, &m), SKY), readable(5));
    assert_eq!(filled_rects(&svg(ChartKind::LateAnswers, &m), SKY), readable(4), "touch 4 (8 closed) is too few");
    let texts = texts(&svg(ChartKind::CompetingOutcomes, &m));
    assert!(texts.contains(&"50.2%".to_owned()) && texts.contains(&"21.1%".to_owned()), "{texts:?}");
}
