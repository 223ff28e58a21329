//! Chart 5, `trend` (SPEC §3 "Periods"): the headline metrics month by month
//! (`Metrics::trend`), as four small multiples over the same calendar months:
//!
//! - response by touch 5 if followed up (`response_km`; a month whose touches only
//!   reached an earlier touch is read there and labelled "touch k");
//! - average touches to close (`touches_to_close_mean`);
//! - conversion after follow-up (`conversion_rate`);
//! - revenue recovered as a share of won revenue, one line per currency (amounts in
//!   different currencies are never added up); at most [`MAX_CURRENCIES`] currencies,
//!   those with a share in the most months, and the heading says how many are left out.
//!
//! x = calendar months from the first month of the trend to the last (the latest
//! [`MAX_MONTHS`]); a month with no entry or a `null` value leaves a gap in the line,
//! never a 0. Under each month, the n behind the points: deals sent touch 1
//! (response), won deals (touches to close, revenue), closed deals (conversion). A point
//! on fewer than [`SMALL_N`] deals is drawn hollow and never used for the title (the
//! month's `*_too_few`, decided in metrics). Conversion's n is the followed-up closed
//! deals and touches' the won deals with tracked touches (a metrics.json written before
//! those counts existed falls back to the month's closed and won deals, upper bounds);
//! revenue's n is the month's won deals.
//!
//! **The title rule.** For conversion after follow-up, then response, then touches to
//! close, take the latest month that can be read (n ≥ [`SMALL_N`]; for response, read
//! at the same touch as the other months) and the median of the readable months before
//! it. The gap between them is *steady* within a floor (3 percentage points; 0.5
//! touches); beyond the floor it *rose* or *fell* only when it also exceeds twice the
//! usual month-to-month swing of the earlier months (1.4826 × their median absolute
//! deviation), else it shows *no clear trend*. The title names the first of the three
//! metrics that rose or fell, else the first that can be compared at all, e.g.
//! "Conversion after follow-up held steady at 14.6% in October (median 15.4%)". Each
//! panel heading carries its own verdict, and the dashed line in each panel is the
//! median its last month is compared with. Revenue shares rest on few won deals a month
//! and are amount-weighted, so they are drawn but never titled.

//!
//! This file is *what* the chart says: the months, the series and their findings, as
//! title, subtitle and panel verdicts (pure functions of `Metrics`, tested without
//! plotters); `trend/draw.rs` is *how* it is drawn.

mod draw;

use std::collections::BTreeMap;

use super::response_by_touch::SMALL_N;
use super::theme;
use crate::fmt::{count, percent};
use crate::metrics::{Metrics, MonthTrend};
use crate::time::days_in;
pub(super) use draw::{draw, draw_alone, legend, panel_count, panel_heading};

/// At most this many calendar months are drawn: the latest ones.
pub const MAX_MONTHS: usize = 24;

/// At most this many currencies are drawn in the revenue panel (more lines in one small
/// panel cannot be told apart): those with a share in the most months.
pub const MAX_CURRENCIES: usize = 3;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

// ---- The months on the x axis ---------------------------------------------------------

/// `"2026-10"` → months since year 0; `None` when it is not `YYYY-MM`.
fn month_index(s: &str) -> Option<i32> {
    let (y, m) = s.split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
    ((1..=9999).contains(&y) && (1..=12).contains(&m)).then_some(y * 12 + m - 1)
}

/// The calendar months drawn: every month from the first to the last of the trend
/// (the latest [`MAX_MONTHS`]), each with its entry when the trend has one.
struct Months<'a> {
    /// `(month index, entry)`, oldest first; position `i` is drawn at x = `i + 1`.
    slots: Vec<(i32, Option<&'a MonthTrend>)>,
    /// Calendar months before the drawn ones.
    hidden: usize,
}

impl<'a> Months<'a> {
    fn of(m: &'a Metrics) -> Self {
        let mut dated: Vec<(i32, &MonthTrend)> =
            m.trend.iter().filter_map(|t| month_index(&t.month).map(|i| (i, t))).collect();
        dated.sort_by_key(|(i, _)| *i);
        dated.dedup_by_key(|(i, _)| *i);
        let (Some(first), Some(last)) = (dated.first().map(|d| d.0), dated.last().map(|d| d.0)) else {
            return Months { slots: vec![], hidden: 0 };
        };
        let from = first.max(last - MAX_MONTHS as i32 + 1);
        let slots = (from..=last).map(|i| (i, dated.iter().find(|d| d.0 == i).map(|d| d.1))).collect();
        Months { slots, hidden: (from - first) as usize }
    }

    /// Drawn months with an entry.
    fn entries(&self) -> usize {
        self.slots.iter().filter(|s| s.1.is_some()).count()
    }

    /// Whether there is a trend to draw: two months or more.
    fn enough(&self) -> bool {
        self.entries() >= 2
    }

    /// Whether the drawn months fall in more than one calendar year.
    fn years(&self) -> bool {
        match (self.slots.first(), self.slots.last()) {
            (Some(a), Some(b)) => a.0.div_euclid(12) != b.0.div_euclid(12),
            _ => false,
        }
    }

    /// "October" (or "October 2026" when the drawn months span years).
    fn name(&self, index: i32) -> String {
        long_name(index, self.years())
    }
}

fn long_name(index: i32, year: bool) -> String {
    let name = MONTHS[index.rem_euclid(12) as usize];
    if year {
        format!("{name} {}", index.div_euclid(12))
    } else {
        name.to_owned()
    }
}

/// "Oct"; when the months span years, the first labelled month and every January also
/// carry the year ("Jan ’27").
fn short_name(index: i32, first: bool, years: bool) -> String {
    let name = &MONTHS[index.rem_euclid(12) as usize][..3];
    if years && (first || index.rem_euclid(12) == 0) {
        format!("{name} ’{:02}", index.div_euclid(12).rem_euclid(100))
    } else {
        name.to_owned()
    }
}

// ---- The four metrics -------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Response,
    Touches,
    Conversion,
    Revenue,
}

/// Panels in drawing order (left to right, top to bottom).
const PANELS: [Panel; 4] = [Panel::Response, Panel::Touches, Panel::Conversion, Panel::Revenue];
/// Metrics the title may name, first choice first.
const TITLE_ORDER: [Panel; 3] = [Panel::Conversion, Panel::Response, Panel::Touches];

impl Panel {
    fn percent(self) -> bool {
        self != Panel::Touches
    }

    /// The smallest gap from the median that counts as a change.
    fn floor(self) -> f64 {
        if self.percent() {
            0.03
        } else {
            0.5
        }
    }

    /// What the n row under the months counts.
    fn n_label(self) -> &'static str {
        match self {
            Panel::Response => "sent",
            Panel::Touches | Panel::Revenue => "won",
            Panel::Conversion => "closed",
        }
    }

    fn n(self, t: &MonthTrend) -> u64 {
        match self {
            Panel::Response => t.touch_1_sent,
            Panel::Touches => t.won_tracked.unwrap_or(t.won) as u64,
            Panel::Revenue => t.won as u64,
            Panel::Conversion => t.conversion_closed.unwrap_or(t.won + t.lost) as u64,
        }
    }

    fn name(self, read_at: u32) -> String {
        match self {
            Panel::Response => format!("Response by touch {read_at}"),
            Panel::Touches => "Average touches to close".to_owned(),
            Panel::Conversion => "Conversion after follow-up".to_owned(),
            Panel::Revenue => "Revenue recovered".to_owned(),
        }
    }

    fn heading(self, read_at: u32) -> String {
        match self {
            Panel::Response => format!("Response by touch {read_at} if followed up"),
            Panel::Touches => "Average touches to close (won deals)".to_owned(),
            Panel::Conversion => "Conversion after follow-up".to_owned(),
            Panel::Revenue => "Revenue recovered, share of won revenue".to_owned(),
        }
    }

    /// A value as the title and labels write it.
    fn value(self, v: f64) -> String {
        if self.percent() {
            percent(Some(v))
        } else {
            format!("{v:.1}")
        }
    }

    /// A difference: "6.1 points", "0.6 touches".
    fn gap(self, d: f64) -> String {
        if self.percent() {
            format!("{:.1} points", d.abs() * 100.0)
        } else {
            format!("{:.1} touches", d.abs())
        }
    }
}

/// One drawn point.
#[derive(Debug, Clone, PartialEq)]
struct Point {
    value: f64,
    n: u64,
    /// Fewer than [`SMALL_N`] deals: hollow, and left out of the title.
    small: bool,
    /// Read at an earlier touch than the other months (response only): labelled, and
    /// left out of the title.
    early_touch: Option<u32>,
}

impl Point {
    fn comparable(&self) -> bool {
        !self.small && self.early_touch.is_none()
    }
}

/// One line: a name (the currency, for revenue) and a point or a gap per drawn month.
#[derive(Debug, Clone)]
struct Series {
    name: String,
    points: Vec<Option<Point>>,
}

/// The touch response is read at: the latest any month reaches (5, unless no month's
/// touches got that far).
fn read_at(months: &Months<'_>) -> u32 {
    months
        .slots
        .iter()
        .filter_map(|(_, t)| *t)
        .filter(|t| t.response_km.is_some())
        .map(|t| t.response_km_touch)
        .max()
        .unwrap_or(5)
}

fn point(panel: Panel, t: &MonthTrend, value: Option<f64>, read_at: u32) -> Option<Point> {
    let value = value.filter(|v| v.is_finite())?;
    let n = panel.n(t);
    let early_touch = (panel == Panel::Response && t.response_km_touch < read_at).then_some(t.response_km_touch);
    // Too few is decided by metrics (`MonthTrend::*_too_few`), the same rule as the cards.
    let small = match panel {
        Panel::Response => t.response_too_few(),
        Panel::Touches => t.touches_too_few(),
        Panel::Conversion => t.conversion_too_few(),
        Panel::Revenue => n < SMALL_N,
    };
    Some(Point { value, n, small, early_touch })
}

/// The series of a panel: one, or one per currency (sorted by code) for revenue.
fn series(panel: Panel, months: &Months<'_>) -> Vec<Series> {
    let at = read_at(months);
    let one = |f: &dyn Fn(&MonthTrend) -> Option<f64>| Series {
        name: String::new(),
        points: months.slots.iter().map(|(_, t)| t.and_then(|t| point(panel, t, f(t), at))).collect(),
    };
    match panel {
        Panel::Response => vec![one(&|t| t.response_km)],
        Panel::Touches => vec![one(&|t| t.touches_to_close_mean)],
        Panel::Conversion => vec![one(&|t| t.conversion_rate)],
        Panel::Revenue => currencies(months)
            .0
            .into_iter()
            .map(|code| Series {
                name: code.to_owned(),
                points: months
                    .slots
                    .iter()
                    .map(|(_, t)| {
                        t.and_then(|t| {
                            point(
                                panel,
                                t,
                                t.revenue_recovered.iter().find(|c| c.currency == code).and_then(|c| c.share_of_won),
                                at,
                            )
                        })
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The currencies the revenue panel draws, by code: those with a share in the most
/// drawn months (then by code), at most [`MAX_CURRENCIES`]; and how many there are.
fn currencies<'a>(months: &Months<'a>) -> (Vec<&'a str>, usize) {
    let mut months_with: BTreeMap<&'a str, usize> = BTreeMap::new();
    for t in months.slots.iter().filter_map(|(_, t)| *t) {
        for c in &t.revenue_recovered {
            *months_with.entry(c.currency.as_str()).or_default() += usize::from(c.share_of_won.is_some());
        }
    }
    let total = months_with.len();
    let mut ranked: Vec<(&'a str, usize)> = months_with.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut shown: Vec<&'a str> = ranked.into_iter().take(MAX_CURRENCIES).map(|c| c.0).collect();
    shown.sort_unstable();
    (shown, total)
}

// ---- The finding ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Above the median by more than the floor and the usual swing.
    Rose,
    /// Below it by as much.
    Fell,
    /// Within the floor of the median.
    Steady,
    /// Beyond the floor but within the usual month-to-month swing.
    Unclear,
}

/// The latest readable month of a series against the median of the readable months
/// before it.
#[derive(Debug, Clone, PartialEq)]
struct Finding {
    /// Drawn position of the latest readable month.
    last_at: usize,
    last: f64,
    /// Drawn position and value of the single earlier month, when there is just one.
    only_earlier: Option<(usize, f64)>,
    median: f64,
    change: Change,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn finding(panel: Panel, s: &Series) -> Option<Finding> {
    let readable: Vec<(usize, f64)> = s
        .points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.as_ref().filter(|p| p.comparable()).map(|p| (i, p.value)))
        .collect();
    let (&(last_at, last), earlier) = readable.split_last()?;
    if earlier.is_empty() {
        return None;
    }
    let mut values: Vec<f64> = earlier.iter().map(|e| e.1).collect();
    let med = median(&mut values);
    let mut deviations: Vec<f64> = values.iter().map(|v| (v - med).abs()).collect();
    let spread = 1.4826 * median(&mut deviations);
    let floor = panel.floor() + 1e-9;
    let band = floor.max(2.0 * spread + 1e-9);
    let change = match last - med {
        d if d > band => Change::Rose,
        d if -d > band => Change::Fell,
        d if d.abs() > floor => Change::Unclear,
        _ => Change::Steady,
    };
    Some(Finding { last_at, last, only_earlier: (earlier.len() == 1).then(|| earlier[0]), median: med, change })
}

/// The first single-series panel (in title order) that rose or fell, else the first
/// that can be compared.
fn headline(months: &Months<'_>) -> Option<(Panel, Finding)> {
    let found: Vec<(Panel, Finding)> = TITLE_ORDER
        .iter()
        .filter_map(|&p| series(p, months).first().and_then(|s| finding(p, s)).map(|f| (p, f)))
        .collect();
    let moved = found.iter().position(|(_, f)| matches!(f.change, Change::Rose | Change::Fell)).unwrap_or(0);
    found.into_iter().nth(moved)
}

pub(super) fn title(m: &Metrics) -> String {
    let months = Months::of(m);
    if !months.enough() {
        return "Monthly trend: not enough months yet".to_owned();
    }
    let Some((panel, f)) = headline(&months) else {
        return format!("Monthly trend: too few deals a month to read a change yet (fewer than {SMALL_N})");
    };
    let name = panel.name(read_at(&months));
    let month = |i: usize| months.name(months.slots[i].0);
    let (last, when) = (panel.value(f.last), month(f.last_at));
    let before = match f.only_earlier {
        Some((i, v)) => format!("{}: {}", month(i), panel.value(v)),
        None => format!("median {}", panel.value(f.median)),
    };
    let verb = if f.change == Change::Rose { "rose" } else { "fell" };
    match (f.change, f.only_earlier) {
        (Change::Steady, _) => format!("{name} held steady at {last} in {when} ({before})"),
        (Change::Unclear, _) => format!("{name} shows no clear trend: {last} in {when} ({before})"),
        (_, Some((i, v))) => format!("{name} {verb} from {} in {} to {last} in {when}", panel.value(v), month(i)),
        (_, None) => format!("{name} {verb} to {last} in {when} ({before})"),
    }
}

/// "2026-10-15" → the month index and day.
fn as_of(m: &Metrics) -> Option<(i32, u32)> {
    let (ym, d) = m.as_of.rsplit_once('-')?;
    Some((month_index(ym)?, d.parse().ok()?))
}

pub(super) fn subtitle(m: &Metrics) -> String {
    let months = Months::of(m);
    if !months.enough() {
        return String::new();
    }
    let (Some(first), Some(last)) = (months.slots.first(), months.slots.last()) else {
        return String::new();
    };
    let span = if first.0.div_euclid(12) == last.0.div_euclid(12) {
        format!("{} to {}", MONTHS[first.0.rem_euclid(12) as usize], long_name(last.0, true))
    } else {
        format!("{} to {}", long_name(first.0, true), long_name(last.0, true))
    };
    let mut s = format!("{} months, {span}", months.slots.len());
    if months.hidden > 0 {
        s += &format!(" (the {} months before are not drawn)", count(months.hidden as u64));
    }
    if let Some((month, day)) = as_of(m) {
        if month == last.0 && day < days_in(month) {
            s += &format!("; {} is partial, to the {}", MONTHS[month.rem_euclid(12) as usize], theme::ordinal(day));
        }
    }
    s += "\nEach month alone: response over the touches sent in it, the rest over the deals closed in it";
    if series(Panel::Response, &months).iter().flat_map(|s| &s.points).flatten().any(|p| p.early_touch.is_some()) {
        s += "; “touch k”: that month reached only touch k";
    }
    s
}

/// "steady", "up 6.1 points", "down 0.6 touches": the panel's own finding.
fn verdict(panel: Panel, f: &Finding) -> String {
    match f.change {
        Change::Steady => "steady".to_owned(),
        Change::Unclear => "no clear trend".to_owned(),
        Change::Rose => format!("up {}", panel.gap(f.last - f.median)),
        Change::Fell => format!("down {}", panel.gap(f.last - f.median)),
    }
}

/// The finding a panel's heading and median line show; revenue has none (its shares
/// rest on few won deals and are never titled).
fn panel_finding(panel: Panel, series: &[Series]) -> Option<Finding> {
    if panel == Panel::Revenue {
        None
    } else {
        series.first().and_then(|s| finding(panel, s))
    }
}

/// The note after a panel's heading: its verdict, or for revenue how many currencies
/// are drawn when some are left out ("3 of 5 currencies").
fn panel_note(panel: Panel, found: Option<&Finding>, months: &Months<'_>) -> Option<String> {
    match (found, panel) {
        (Some(f), _) => Some(verdict(panel, f)),
        (None, Panel::Revenue) => {
            let (shown, total) = currencies(months);
            (shown.len() < total).then(|| format!("{} of {total} currencies", shown.len()))
        }
        (None, _) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::draw::{axis, labelled, tick};
    use super::*;

    fn pt(value: f64) -> Option<Point> {
        Some(Point { value, n: 100, small: false, early_touch: None })
    }

    fn line(points: Vec<Option<Point>>) -> Series {
        Series { name: String::new(), points }
    }

    fn change(values: &[f64]) -> Option<Change> {
        finding(Panel::Conversion, &line(values.iter().map(|&v| pt(v)).collect())).map(|f| f.change)
    }

    #[test]
    fn the_last_month_is_read_against_the_median_before_it() {
        // Within 3 points of the median (15%): steady.
        assert_eq!(change(&[0.15, 0.16, 0.14, 0.17]), Some(Change::Steady));
        // 5 points above a calm history: rose; 5 below: fell.
        assert_eq!(change(&[0.15, 0.16, 0.14, 0.20]), Some(Change::Rose));
        assert_eq!(change(&[0.15, 0.16, 0.14, 0.10]), Some(Change::Fell));
        // 4.5 points above a median of 17.5%, but the months before swung by ±10 points.
        assert_eq!(change(&[0.05, 0.30, 0.10, 0.25, 0.22]), Some(Change::Unclear));
        // One month is no trend.
        assert_eq!(change(&[0.15]), None);
        let f = finding(Panel::Conversion, &line(vec![pt(0.10), None, pt(0.20)])).expect("two months");
        assert_eq!((f.last_at, f.only_earlier, f.change), (2, Some((0, 0.10)), Change::Rose));
        // Touches: the floor is half a touch.
        assert_eq!(
            finding(Panel::Touches, &line(vec![pt(3.0), pt(3.2), pt(3.4)])).map(|f| f.change),
            Some(Change::Steady)
        );
        assert_eq!(
            finding(Panel::Touches, &line(vec![pt(3.0), pt(3.2), pt(3.8)])).map(|f| f.change),
            Some(Change::Rose)
        );
    }

    #[test]
    fn small_months_and_earlier_touches_are_drawn_but_not_compared() {
        let small = Some(Point { value: 0.9, n: 4, small: true, early_touch: None });
        let early = Some(Point { value: 0.1, n: 400, small: false, early_touch: Some(3) });
        let f = finding(Panel::Response, &line(vec![pt(0.40), pt(0.42), small, early])).expect("comparable");
        assert_eq!((f.last_at, f.last, f.change), (1, 0.42, Change::Steady));
        assert!(finding(
            Panel::Response,
            &line(vec![pt(0.40), Some(Point { value: 0.9, n: 4, small: true, early_touch: None })])
        )
        .is_none());
    }

    #[test]
    fn panel_notes_say_the_verdict_or_the_currencies_left_out() {
        let m: Metrics = serde_json::from_str(include_str!("testdata/many.json")).unwrap_or_else(|e| panic!("{e}"));
        let months = Months::of(&m);
        let up = finding(Panel::Conversion, &line([0.15, 0.16, 0.14, 0.20].iter().map(|&v| pt(v)).collect()));
        assert_eq!(panel_note(Panel::Conversion, up.as_ref(), &months).as_deref(), Some("up 5.0 points"));
        let down = finding(Panel::Touches, &line([3.0, 3.2, 2.2].iter().map(|&v| pt(v)).collect()));
        assert_eq!(panel_note(Panel::Touches, down.as_ref(), &months).as_deref(), Some("down 0.9 touches"));
        // Revenue is never titled: its note counts the currencies drawn.
        assert_eq!(panel_note(Panel::Revenue, None, &months).as_deref(), Some("3 of 5 currencies"));
        assert_eq!(panel_finding(Panel::Revenue, &series(Panel::Revenue, &months)), None);
        assert_eq!(panel_note(Panel::Response, None, &months), None);
    }

    #[test]
    fn axes_are_nice_and_percent_stops_at_100() {
        assert_eq!(axis(0.593, true), (0.6, 0.2));
        assert_eq!(axis(1.08, true), (1.0, 0.2));
        assert_eq!(axis(4.2, false), (5.0, 1.0));
        assert_eq!(axis(2.376, false), (2.5, 0.5));
        assert_eq!(axis(0.0, true), (0.1, 0.02));
        assert_eq!(axis(f64::NAN, false), (1.0, 0.2));
        assert_eq!(tick(0.2, 0.2, true), "20%");
        assert_eq!(tick(2.5, 0.5, false), "2.5");
    }

    fn metrics(months: &[&str]) -> Metrics {
        let mut m: Metrics =
            serde_json::from_str(include_str!("testdata/empty.json")).unwrap_or_else(|e| panic!("{e}"));
        m.trend = months.iter().map(|&month| MonthTrend::empty(month.to_owned())).collect();
        m
    }

    #[test]
    fn months_run_from_first_to_last_with_gaps_and_at_most_24() {
        assert_eq!(month_index("2026-10"), Some(2026 * 12 + 9));
        assert_eq!(month_index("2026-13"), None);
        assert_eq!(month_index("October"), None);
        let m = metrics(&["2026-09", "2026-06", "bad", "2026-09"]);
        let months = Months::of(&m);
        let got: Vec<(String, bool)> =
            months.slots.iter().map(|(i, t)| (short_name(*i, false, false), t.is_some())).collect();
        assert_eq!(
            got,
            [("Jun".to_owned(), true), ("Jul".to_owned(), false), ("Aug".to_owned(), false), ("Sep".to_owned(), true)]
        );
        assert!(months.enough() && !months.years());

        let m = metrics(&["2020-01", "2026-10"]);
        let months = Months::of(&m);
        assert_eq!((months.slots.len(), months.hidden, months.entries()), (MAX_MONTHS, 58, 1));
        assert!(!months.enough(), "one drawn month is not a trend");
    }

    #[test]
    fn crowded_months_are_labelled_on_calendar_steps_and_the_last_always() {
        let names: Vec<String> = (0..24)
            .map(|i| {
                let index = 2024 * 12 + 10 + i;
                format!("{:04}-{:02}", index / 12, index % 12 + 1)
            })
            .collect();
        let m = metrics(&names.iter().map(String::as_str).collect::<Vec<_>>());
        let months = Months::of(&m);
        assert!(months.years());
        let shown = |need| -> Vec<String> {
            labelled(&months, need)
                .iter()
                .zip(&months.slots)
                .filter(|(s, _)| **s)
                .map(|(_, (i, _))| short_name(*i, false, true))
                .collect()
        };
        assert_eq!(shown(1).len(), 24);
        assert_eq!(shown(3), ["Jan ’25", "Apr", "Jul", "Oct", "Jan ’26", "Apr", "Jul", "Oct"]);
        assert_eq!(shown(4), ["Jan ’25", "May", "Sep", "Jan ’26", "May", "Oct"]);
        assert_eq!(short_name(2024 * 12 + 10, true, true), "Nov ’24");
        assert_eq!(short_name(2024 * 12 + 10, true, false), "Nov");
    }
}
