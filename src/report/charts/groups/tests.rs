//! Fixtures (`testdata/`, metrics.json written by the real binary with
//! `--as-of 2026-10-31`, minus the due list and trend the chart does not read):
//!
//! - `groups_sample.json`: `followup report sample_data/followup_log.csv --by cadence
//!   --by owner` (4 cadences, 5 owners: each against the rest);
//! - `groups_two.json`: the rows of the same log whose Owner is Maria Lopez or Tom
//!   Becker, `--by owner --by cadence` (two owners: a pair);
//! - `groups_fixture.json`: `tests/fixtures/groups/log.csv` (see its case.md),
//!   `--by cadence --by owner --by month --by channel` (an empty cadence, Gamma; one
//!   month; two channels, which have no deal metrics).

use super::super::{render_png, render_svg, ChartKind, Spec};
use super::draw::grid_shape;
use super::*;

const SKY_HEX: &str = "#56B4E9";
const BLUE_HEX: &str = "#0072B2";

fn fixture(name: &str) -> Metrics {
    let text = match name {
        "sample" => include_str!("../testdata/groups_sample.json"),
        "two" => include_str!("../testdata/groups_two.json"),
        "fixture" => include_str!("../testdata/groups_fixture.json"),
        other => panic!("no fixture {other}"),
    };
    serde_json::from_str(text).unwrap_or_else(|e| panic!("fixture {name} does not match Metrics: {e}"))
}

fn svg(dim: Dimension, m: &Metrics) -> String {
    render_svg(ChartKind::Groups(dim), m, &Spec::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The text content of every `<text>` element (XML-escaped as written).
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            s.split_once('>').and_then(|(_, rest)| rest.split_once("</text>")).map(|(t, _)| t.trim().to_owned())
        })
        .collect()
}

fn filled(svg: &str, element: &str, color: &str) -> usize {
    let needle = format!("fill=\"{color}\"");
    svg.lines().filter(|l| l.starts_with(element) && l.contains(&needle)).count()
}

/// The response panels drawn: each labels its touch 1 under the axis (the only
/// text "1": axis ticks are percentages).
fn panels(svg: &str) -> usize {
    texts(svg).iter().filter(|t| *t == "1").count()
}

fn title(dim: Dimension, m: &Metrics) -> String {
    ChartKind::Groups(dim).title(m)
}

#[test]
fn grid_is_one_row_up_to_three_then_two() {
    assert_eq!(grid_shape(1), (1, 1));
    assert_eq!(grid_shape(2), (2, 1));
    assert_eq!(grid_shape(3), (3, 1));
    assert_eq!(grid_shape(4), (2, 2));
    assert_eq!(grid_shape(5), (3, 2));
    assert_eq!(grid_shape(8), (4, 2));
}

#[test]
fn a_real_conversion_difference_names_the_better_group_first() {
    // Maria Lopez 43 won of 204 closed (21.08%), Tom Becker 19 of 193 (9.84%);
    // Holm over 9 comparisons p = 0.0185, Newcombe 4.1 to 18.2 points.
    let mut m = fixture("two");
    let want = "Maria Lopez converts 21.1% vs 9.8% for Tom Becker — a real difference";
    assert_eq!(title(Dimension::Owner, &m), want);
    // The same comparison stated the other way round (Tom first, a negative
    // difference) still names Maria, the better group, first.
    let c = m
        .comparisons
        .get_mut("owner")
        .and_then(|c| c.list.iter_mut().find(|c| c.metric == CONVERSION))
        .expect("conversion");
    (c.group, c.versus) = (c.versus.clone(), c.group.clone());
    (c.k1, c.n1, c.k2, c.n2) = (c.k2, c.n2, c.k1, c.n1);
    (c.diff, c.ci_low, c.ci_high) = (-c.diff, -c.ci_high, -c.ci_low);
    assert_eq!(title(Dimension::Owner, &m), want);
    let sub = ChartKind::Groups(Dimension::Owner).subtitle(&m);
    assert!(
        sub.starts_with("Maria Lopez (459 deals) vs Tom Becker (404 deals): 9 comparisons, p-values Holm-adjusted"),
        "{sub}"
    );
    assert!(sub.contains("Response at each touch: no difference beyond chance at any touch"), "{sub}");
}

#[test]
fn a_difference_is_real_only_after_holm_and_with_an_interval_clear_of_zero() {
    // Sample owners: Maria Lopez vs the rest converts with raw p = 0.0045, but Holm
    // over 45 comparisons makes it 0.20: not yet.
    let m = fixture("sample");
    let owner = &m.comparisons["owner"];
    assert!(owner.list.iter().any(|c| c.p_value < 0.05), "the fixture has raw p-values below 0.05");
    assert_eq!(title(Dimension::Owner, &m), "No owner is clearly better yet");
    let sub = ChartKind::Groups(Dimension::Owner).subtitle(&m);
    assert!(
        sub.contains(
            "Conversion after follow-up 9.8% to 21.1%; response at each touch: no difference beyond chance either"
        ),
        "{sub}"
    );

    // p below 0.05 after Holm, but an interval that reaches 0: not real either.
    let mut m = fixture("two");
    let c = m
        .comparisons
        .get_mut("owner")
        .and_then(|c| c.list.iter_mut().find(|c| c.metric == CONVERSION))
        .expect("conversion");
    c.ci_low = -0.01;
    assert_eq!(title(Dimension::Owner, &m), "No owner is clearly better yet");
}

#[test]
fn response_findings_prefer_the_better_group_and_list_the_rest() {
    // Sample cadences at touch 2: 6-touch 30-day 47 of 291 (16.2%) vs the rest 59 of
    // 655 (9.0%), Holm p = 0.031; 3-email quick 28 of 430 (6.5%) vs 78 of 516
    // (15.1%), Holm p = 0.0007. The higher one leads; conversion is not real.
    let m = fixture("sample");
    assert_eq!(
        title(Dimension::Cadence, &m),
        "6-touch 30-day gets more responses at touch 2: 16.2% vs 9.0% for the rest — a real difference"
    );
    let sub = ChartKind::Groups(Dimension::Cadence).subtitle(&m);
    let lines: Vec<&str> = sub.lines().collect();
    assert_eq!(
        lines[0],
        "4 cadences, each against the rest: 25 comparisons, p-values Holm-adjusted; an association, not proof of cause"
    );
    // Conversion 54/414 = 13.0% (3-email quick) to 6/31 = 19.4% ((none)).
    assert_eq!(lines[1], "Conversion after follow-up: no cadence differs beyond chance (13.0% to 19.4%); also 3-email quick lower at touch 2 (6.5% vs 15.1%)");
    assert_eq!(lines.len(), 2, "nothing left out: {sub}");
    // Only a lower group: it is named, with "fewer". Two-owner cadences: 3-email
    // quick 12 of 188 (6.4%) vs the rest 36 of 204 (17.6%) at touch 2.
    assert_eq!(
        title(Dimension::Cadence, &fixture("two")),
        "3-email quick gets fewer responses at touch 2: 6.4% vs 17.6% for the rest — a real difference"
    );
}

#[test]
fn no_difference_and_too_few_and_nothing_to_compare() {
    let m = fixture("fixture");
    assert_eq!(title(Dimension::Cadence, &m), "No cadence is clearly better yet");
    assert_eq!(title(Dimension::Channel, &m), "No channel is clearly better yet");
    assert_eq!(title(Dimension::Month, &m), "Nothing to compare by month: every deal is in one month, 2026-09");
    let mut none = m.clone();
    none.comparisons.get_mut("cadence").expect("cadence").list.clear();
    assert_eq!(title(Dimension::Cadence, &none), "Too few deals to compare cadences yet");
    // A dimension the report was not run with.
    assert_eq!(
        title(Dimension::Channel, &fixture("sample")),
        "Nothing to compare by channel: no deal in this report has a channel to group by"
    );
    let mut unnamed = m.clone();
    unnamed.groups.get_mut("month").expect("month")[0].key = "(none)".to_owned();
    assert_eq!(title(Dimension::Month, &unnamed), "Nothing to compare by month: no deal has a month");
    for dim in [Dimension::Month, Dimension::Channel] {
        let s = svg(dim, &if dim == Dimension::Month { m.clone() } else { fixture("sample") });
        assert!(texts(&s).contains(&"Nothing to compare".to_owned()), "{dim:?}");
        assert_eq!(filled(&s, "<rect", SKY_HEX) + panels(&s), 0, "{dim:?}: no bars, no panels");
    }
}

#[test]
fn one_panel_per_group_with_data_and_none_for_an_empty_group() {
    // Fixture cadences: Alpha, Beta and (none) sent touches; Gamma has one open deal
    // with no touch: no panel and no conversion row, and the subtitle says so.
    let m = fixture("fixture");
    let s = svg(Dimension::Cadence, &m);
    assert_eq!(panels(&s), 3);
    let t = texts(&s);
    for key in ["Alpha", "Beta", "(none)"] {
        // Its response panel heading and its conversion row.
        assert_eq!(t.iter().filter(|x| *x == key).count(), 2, "{key}");
    }
    assert!(!t.iter().any(|x| x == "Gamma"), "no panel for the empty group");
    assert!(t.iter().any(|x| x.starts_with("Not drawn: Gamma (no touch sent, no closed deal)")), "{t:?}");
    // (none) is open with one touch: no closed deal to convert.
    assert!(t.contains(&"no closed deal yet".to_owned()));
    // Every bar rests on fewer than 10 deals: all hollow, no sky bar.
    assert_eq!(filled(&s, "<rect", SKY_HEX), 0);
    // Channel: two panels, no conversion panel (a deal has many channels).
    let s = svg(Dimension::Channel, &m);
    assert_eq!(panels(&s), 2);
    assert!(!texts(&s).contains(&"Conversion after follow-up".to_owned()));
    for (dim, n) in [(Dimension::Cadence, 4), (Dimension::Owner, 5)] {
        assert_eq!(panels(&svg(dim, &fixture("sample"))), n, "{dim:?}");
    }
}

#[test]
fn bars_and_dots_mark_the_real_differences() {
    // Sample cadences, readable touches (sent >= 10): 3-email quick 1-3, 6-touch
    // 30-day 1-6, Weekly calls 1-8, (none) 1-3 = 20 bars; the two at touch 2 of
    // 3-email quick and 6-touch 30-day are real differences (dark blue).
    let s = svg(Dimension::Cadence, &fixture("sample"));
    assert_eq!(filled(&s, "<rect", BLUE_HEX), 2 + 1, "2 marked bars + legend");
    assert_eq!(filled(&s, "<rect", SKY_HEX), 18 + 1, "18 other bars + legend");
    // Four conversion dots (every group has 10+ closed deals), none marked.
    assert_eq!(filled(&s, "<circle", SKY_HEX), 4);
    assert_eq!(filled(&s, "<polygon", BLUE_HEX), 0);
    // Two owners: both conversion dots are marked (a pair differs together); no
    // response bar is.
    let s = svg(Dimension::Owner, &fixture("two"));
    assert_eq!(filled(&s, "<polygon", BLUE_HEX), 2);
    assert_eq!(filled(&s, "<circle", SKY_HEX), 0);
    assert_eq!(filled(&s, "<rect", BLUE_HEX), 1, "the legend only");
    assert!(texts(&s).contains(&"21.1% · 43 of 204".to_owned()) && texts(&s).contains(&"9.8% · 19 of 193".to_owned()));
}

#[test]
fn more_than_eight_groups_draw_the_largest_and_count_the_others() {
    // Eleven owners: the five of the sample and six copies with fewer deals.
    let mut m = fixture("sample");
    let owners = m.groups.get_mut("owner").expect("owner");
    let base = owners.clone();
    for (i, g) in base.iter().chain(base.iter().take(1)).enumerate() {
        let mut g = g.clone();
        g.key = format!("Copy {i}");
        if let Some(d) = g.deals.as_mut() {
            d.total = 10 + i; // 10..=15 deals: smaller than every real owner (349+)
        }
        owners.push(g);
    }
    let s = svg(Dimension::Owner, &m);
    assert_eq!(panels(&s), MAX_GROUPS);
    let t = texts(&s);
    // The three smallest (10, 11 and 12 deals) are left out; 13, 14, 15 are drawn.
    for i in 0..3 {
        assert!(!t.contains(&format!("Copy {i}")), "Copy {i} is among the smallest");
    }
    for i in 3..6 {
        assert!(t.contains(&format!("Copy {i}")), "Copy {i} is drawn");
    }
    let sub = ChartKind::Groups(Dimension::Owner).subtitle(&m);
    assert!(
        sub.contains(
            "Not drawn: 3 more owners with fewer deals (33 in all); every group is in tables/groups_owner.csv"
        ),
        "{sub}"
    );
}

#[test]
fn charts_render_as_svg_and_png_for_every_dimension() {
    for name in ["sample", "two", "fixture"] {
        let m = fixture(name);
        for dim in [Dimension::Cadence, Dimension::Owner, Dimension::Channel, Dimension::Month] {
            let kind = ChartKind::Groups(dim);
            let s = svg(dim, &m);
            assert_eq!(s, svg(dim, &m), "{name}/{dim:?}: deterministic");
            let title = kind.title(&m).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            assert!(texts(&s).contains(&title), "{name}/{dim:?}: title drawn");
            assert!(!s.contains(" id=") && s.trim_end().ends_with("</svg>"), "{name}/{dim:?}");
            let png = render_png(kind, &m, &Spec::default()).unwrap_or_else(|e| panic!("{e}"));
            let dec = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((dec.info().width, dec.info().height), (960, 540), "{name}/{dim:?}");
        }
    }
    assert!(render_svg(ChartKind::Groups(Dimension::Cadence), &fixture("sample"), &Spec::MIN).is_ok());
}

#[test]
fn a_report_lists_one_group_chart_per_dimension() {
    let kinds = ChartKind::for_report(&fixture("fixture"));
    let stems: Vec<&str> = kinds.iter().map(|k| k.file_stem()).collect();
    assert_eq!(stems[..10], ChartKind::ALL.map(|k| k.file_stem()));
    assert_eq!(stems[10..], ["groups_cadence", "groups_channel", "groups_month", "groups_owner"]);
    assert_eq!(ChartKind::groups("owner"), Some(ChartKind::Groups(Dimension::Owner)));
    assert_eq!(ChartKind::groups("region"), None);
}

#[test]
fn group_names_are_escaped_in_svg() {
    // The owners renamed to hostile text, everywhere the chart reads a name.
    let mut m = fixture("two");
    let rename = |k: &str| match k {
        "Maria Lopez" => "<script>alert(1)</script>".to_owned(),
        "Tom Becker" => "=HYPERLINK(\"x\") & co".to_owned(),
        other => other.to_owned(),
    };
    for g in m.groups.get_mut("owner").expect("owner") {
        g.key = rename(&g.key);
    }
    for c in &mut m.comparisons.get_mut("owner").expect("owner").list {
        (c.group, c.versus) = (rename(&c.group), rename(&c.versus));
    }
    let s = svg(Dimension::Owner, &m);
    assert!(!s.contains("<script>"), "raw markup in the SVG");
    assert!(
        s.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && s.contains("=HYPERLINK(&quot;x&quot;) &amp; co"),
        "escaped names drawn"
    );
    assert!(s.contains(
        "<title>&lt;script&gt;alert(1)&lt;/script&gt; converts 21.1% vs 9.8% for =HYPERLINK(&quot;x&quot;) &amp; co"
    ));
}

/// The group charts' scenes (`scene.rs`), as insta snapshots: two groups (a pair with
/// a real conversion difference), many groups with an empty one, the sample's cadences
/// (real response differences), and the one-group "nothing to compare" panel.
#[test]
fn scene_snapshots() {
    let scene =
        |dim: Dimension, m: &Metrics| super::super::scene::scene(&svg(dim, m)).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("groups_two_owner", scene(Dimension::Owner, &fixture("two")));
    insta::assert_snapshot!("groups_fixture_cadence", scene(Dimension::Cadence, &fixture("fixture")));
    insta::assert_snapshot!("groups_sample_cadence", scene(Dimension::Cadence, &fixture("sample")));
    insta::assert_snapshot!("groups_fixture_month", scene(Dimension::Month, &fixture("fixture")));
}

/// Issue 14: on a phone the comparison is two panels, each its own SVG: the response
/// grid two groups a row (every drawn group's panel, under the legend), then the
/// conversion rows (every drawn group's rate).
#[test]
fn issue_14_comparison_panels_are_the_grid_then_conversion() {
    let m = fixture("sample");
    for (dim, want) in [(Dimension::Cadence, 2), (Dimension::Owner, 2)] {
        let panels = crate::report::charts::render_panels(ChartKind::Groups(dim), &m).expect("renders");
        assert_eq!(panels.len(), want, "{dim:?}");
        let keys: Vec<String> = View::of(dim, &m).drawn.iter().map(|g| g.key.clone()).collect();
        assert!(keys.len() >= 2, "{dim:?}");
        let grid = texts(&panels[0].svg);
        assert!(grid.iter().any(|t| t == "Response rate at the touch"), "{dim:?}: the legend is in the grid panel");
        for k in &keys {
            assert!(grid.iter().any(|t| t.starts_with(k.as_str())), "{dim:?}: no panel for {k}");
            if want == 2 {
                assert!(texts(&panels[1].svg).contains(k), "{dim:?}: no conversion row for {k}");
            }
        }
        // Two groups a row: the touch axis of the grid is drawn once per group.
        assert_eq!(grid.iter().filter(|t| *t == "1").count(), keys.len(), "{dim:?}");
    }
}
