//! Charts: views of [`Metrics`] (the content of metrics.json) drawn with plotters, as
//! an SVG string (inlined into index.html and written as `charts/NAME.svg`) and as PNG
//! bytes (`charts/NAME.png`). Nothing here computes a metric: every number drawn is a
//! field of `Metrics`, at most added up or picked out for a label.
//!
//! *What* to draw is the [`ChartKind`] and the metrics; *where* is the [`Spec`] (pixel
//! size). One file per chart family draws into a backend-agnostic plotters area, so the
//! SVG and the PNG are the same drawing; [`theme`] owns the palette, sizes and the
//! bundled font. Every plotters failure comes back as a [`ChartError`] naming the chart,
//! never as a panic, and empty metrics draw a "No data" panel.
//!
//! Adding a chart means one more variant, one more arm in each `match` below, and one
//! more file. The group comparison is one chart per `--by` dimension
//! ([`ChartKind::Groups`]); [`ChartKind::for_report`] lists the charts of a report.

mod competing;
mod give_up;
mod groups;
mod late_answers;
mod raster;
mod reply_delay;
mod response_by_touch;
mod revenue;
mod spacing;
mod speed;
pub mod theme;
mod timing_bars;
mod touches_to_close;
mod trend;

pub use reply_delay::suggested_stale_days;

#[cfg(test)]
mod scene;
#[cfg(test)]
mod tests;

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::metrics::groups::Dimension;
use crate::metrics::Metrics;
use theme::{Drawn, Theme};

/// One chart of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Response rate per touch with Wilson whiskers, the Kaplan–Meier cumulative with
    /// its band, and the plain cumulative (SPEC §3 rule 4).
    ResponseByTouch,
    /// Touches taken by won deals beside touches given to lost deals (rule 5).
    TouchesToClose,
    /// Where the team stops following up, beside the widely quoted figures and the
    /// response the next touch still gets (rule 8).
    GiveUp,
    /// Won revenue closed early vs recovered by later follow-ups, per currency (rule 7).
    RevenueRecovered,
    /// The headline metrics month by month, as small multiples (SPEC §3 "Periods").
    Trend,
    /// Win rate by how fast we answered a prospect's message (rule 10).
    SpeedToAnswer,
    /// How long replies take after the touch they answer (rule 11).
    ReplyDelay,
    /// Response rate by the gap since the touch before (rule 12).
    Spacing,
    /// Win rate by the touch that got the first response (rule 13).
    LateAnswers,
    /// Kaplan–Meier beside the cumulative incidence with competing outcomes (rule 13).
    CompetingOutcomes,
    /// The groups of one `--by` dimension compared: response at each touch as small
    /// multiples, conversion after follow-up with intervals, and the verdicts (SPEC §3
    /// "Groups").
    Groups(Dimension),
}

impl ChartKind {
    /// Every chart, in report order.
    pub const ALL: [ChartKind; 10] = [
        ChartKind::ResponseByTouch,
        ChartKind::TouchesToClose,
        ChartKind::GiveUp,
        ChartKind::RevenueRecovered,
        ChartKind::Trend,
        ChartKind::SpeedToAnswer,
        ChartKind::ReplyDelay,
        ChartKind::Spacing,
        ChartKind::LateAnswers,
        ChartKind::CompetingOutcomes,
    ];

    /// Every chart of a report on `m`: [`ChartKind::ALL`], then one group comparison per
    /// `--by` dimension in `m.groups` (in its order).
    pub fn for_report(m: &Metrics) -> Vec<ChartKind> {
        let dims = m.groups.keys().filter_map(|name| ChartKind::groups(name));
        ChartKind::ALL.into_iter().chain(dims).collect()
    }

    /// The group comparison chart of the dimension named `name` in metrics.json
    /// (`cadence`, `owner`, `channel`, `month`); `None` for any other name.
    pub fn groups(name: &str) -> Option<ChartKind> {
        [Dimension::Cadence, Dimension::Owner, Dimension::Channel, Dimension::Month]
            .into_iter()
            .find(|d| d.as_str() == name)
            .map(ChartKind::Groups)
    }

    /// The file name without extension: `charts/{stem}.svg` and `.png`.
    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Groups(Dimension::Cadence) => "groups_cadence",
            ChartKind::Groups(Dimension::Owner) => "groups_owner",
            ChartKind::Groups(Dimension::Channel) => "groups_channel",
            ChartKind::Groups(Dimension::Month) => "groups_month",
            ChartKind::ResponseByTouch => "response_by_touch",
            ChartKind::TouchesToClose => "touches_to_close",
            ChartKind::GiveUp => "give_up",
            ChartKind::RevenueRecovered => "revenue_recovered",
            ChartKind::Trend => "trend",
            ChartKind::SpeedToAnswer => "speed_to_answer",
            ChartKind::ReplyDelay => "reply_delay",
            ChartKind::Spacing => "spacing",
            ChartKind::LateAnswers => "late_answers",
            ChartKind::CompetingOutcomes => "competing_outcomes",
        }
    }

    /// The chart's title: its finding, in words and numbers from `m`
    /// (e.g. "Touch 2 gets the best response rate: 11.2%").
    pub fn title(self, m: &Metrics) -> String {
        match self {
            ChartKind::ResponseByTouch => response_by_touch::title(m),
            ChartKind::TouchesToClose => touches_to_close::title(m),
            ChartKind::GiveUp => give_up::title(m),
            ChartKind::RevenueRecovered => revenue::title(m),
            ChartKind::Trend => trend::title(m),
            ChartKind::SpeedToAnswer => speed::title(m),
            ChartKind::ReplyDelay => reply_delay::title(m),
            ChartKind::Spacing => spacing::title(m),
            ChartKind::LateAnswers => late_answers::title(m),
            ChartKind::CompetingOutcomes => competing::title(m),
            ChartKind::Groups(d) => groups::title(d, m),
        }
    }

    /// The line(s) under the title: the n behind the chart and its context. Lines are
    /// separated by `\n`.
    pub fn subtitle(self, m: &Metrics) -> String {
        match self {
            ChartKind::ResponseByTouch => response_by_touch::subtitle(m),
            ChartKind::TouchesToClose => touches_to_close::subtitle(m),
            ChartKind::GiveUp => give_up::subtitle(m),
            ChartKind::RevenueRecovered => revenue::subtitle(m),
            ChartKind::Trend => trend::subtitle(m),
            ChartKind::SpeedToAnswer => speed::subtitle(m),
            ChartKind::ReplyDelay => reply_delay::subtitle(m),
            ChartKind::Spacing => spacing::subtitle(m),
            ChartKind::LateAnswers => late_answers::subtitle(m),
            ChartKind::CompetingOutcomes => competing::subtitle(m),
            ChartKind::Groups(d) => groups::subtitle(d, m),
        }
    }

    fn draw_body<DB: DrawingBackend>(self, area: &DrawingArea<DB, Shift>, t: &Theme, m: &Metrics) -> Drawn<DB> {
        match self {
            ChartKind::ResponseByTouch => response_by_touch::draw(area, t, m),
            ChartKind::TouchesToClose => touches_to_close::draw(area, t, m),
            ChartKind::GiveUp => give_up::draw(area, t, m),
            ChartKind::RevenueRecovered => revenue::draw(area, t, m),
            ChartKind::Trend => trend::draw(area, t, m),
            ChartKind::SpeedToAnswer => speed::draw(area, t, m),
            ChartKind::ReplyDelay => reply_delay::draw(area, t, m),
            ChartKind::Spacing => spacing::draw(area, t, m),
            ChartKind::LateAnswers => late_answers::draw(area, t, m),
            ChartKind::CompetingOutcomes => competing::draw(area, t, m),
            ChartKind::Groups(d) => groups::draw(area, t, d, m),
        }
    }
}

/// Where to draw: the size of the picture in pixels. Every font size and line width
/// scales with it (the base design is 960×540), so `Spec { width: 1920, height: 1080 }`
/// is the same chart at twice the resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Default for Spec {
    /// 960×540 (16:9), the size the charts are designed at.
    fn default() -> Self {
        Spec { width: 960, height: 540 }
    }
}

impl Spec {
    /// The smallest size a chart is drawn at (text would not fit below it).
    pub const MIN: Spec = Spec { width: 320, height: 180 };
    /// The largest size (an 8K-wide picture; beyond that is a mistake, not a chart).
    pub const MAX: Spec = Spec { width: 7680, height: 4320 };

    /// The same chart `factor` times larger in each direction (e.g. `2` for a sharp
    /// 1920×1080 PNG of the default size).
    pub fn scaled(self, factor: u32) -> Spec {
        Spec { width: self.width.saturating_mul(factor), height: self.height.saturating_mul(factor) }
    }

    fn check(&self, kind: ChartKind) -> Result<(), ChartError> {
        let ok = (Self::MIN.width..=Self::MAX.width).contains(&self.width)
            && (Self::MIN.height..=Self::MAX.height).contains(&self.height);
        if ok {
            Ok(())
        } else {
            Err(ChartError::new(
                kind,
                format!(
                    "a chart of {}×{} pixels cannot be drawn: use {}×{} to {}×{}",
                    self.width,
                    self.height,
                    Self::MIN.width,
                    Self::MIN.height,
                    Self::MAX.width,
                    Self::MAX.height
                ),
            ))
        }
    }
}

/// A chart could not be drawn or encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not draw chart {chart}: {message}")]
pub struct ChartError {
    /// The chart's file stem, e.g. `response_by_touch`.
    pub chart: &'static str,
    /// What went wrong (plotters', the font's or the PNG encoder's message).
    pub message: String,
}

impl ChartError {
    fn new(kind: ChartKind, message: impl Into<String>) -> Self {
        ChartError { chart: kind.file_stem(), message: message.into() }
    }
}

/// The one-line source note at the bottom right of every chart (our own text only).
fn footer(m: &Metrics) -> String {
    let period = match &m.period {
        Some(p) => format!("{} to {}", p.from, p.to),
        None => "all data".to_owned(),
    };
    format!("followup · {period} · as of {}", m.as_of)
}

fn draw<DB: DrawingBackend>(kind: ChartKind, m: &Metrics, root: &DrawingArea<DB, Shift>, t: &Theme) -> Drawn<DB> {
    let body = theme::frame(root, t, &kind.title(m), &kind.subtitle(m), &footer(m))?;
    kind.draw_body(&body, t, m)?;
    root.present()
}

/// Renders `kind` as an SVG document (a `String`, ready to write or to inline into
/// HTML). Its first child is a `<title>` with the chart's title, for screen readers.
pub fn render_svg(kind: ChartKind, m: &Metrics, spec: &Spec) -> Result<String, ChartError> {
    spec.check(kind)?;
    theme::register_fonts().map_err(|e| ChartError::new(kind, e))?;
    let t = Theme::new(spec);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (spec.width, spec.height)).into_drawing_area();
        draw(kind, m, &root, &t).map_err(|e| ChartError::new(kind, e.to_string()))?;
    }
    if let Some(end) = svg.find('>') {
        svg.insert_str(end + 1, &format!("\n<title>{}</title>", crate::fmt::xml_escape(&kind.title(m))));
    }
    Ok(svg)
}

/// The size of a panel drawn on its own ([`render_panels`]): 440 pixels wide, two of
/// them side by side fill a desktop page at about their own size. A chart's panels are
/// all this wide; each is as tall as its chart says ([`ChartKind::panels`]).
pub const PANEL: Spec = Spec { width: 440, height: 280 };

/// The text and line sizes of a panel drawn on its own, times the base design's
/// ([`theme::Theme::with_scale`]). The smallest text of the base design is 13 px, which
/// plotters writes as an SVG font size of 13 / 1.24 = 10.5; at 1.25 times that is 13.1,
/// and a phone's 358-pixel column (390 CSS pixels less the page's padding) shows the
/// 440-pixel panel at 358 / 440 of its size: 10.7 CSS pixels, over the 10 a phone needs.
pub const PANEL_SCALE: f64 = 1.25;

/// One panel of a chart, drawn on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSvg {
    /// The panel's heading (its alt text).
    pub heading: String,
    /// SVG text [`PANEL`] wide, with a `<title>` of the heading.
    pub svg: String,
}

/// One panel a chart declares: its heading and its height in pixels at [`PANEL`] width.
struct PanelPlan {
    heading: String,
    height: u32,
}

impl ChartKind {
    /// The panels of the chart drawn one by one for a narrow column ([`render_panels`]):
    /// a chart of several parts names each (the trend's four metrics, a comparison's
    /// response grid and conversion, the give-up point's two sides); any other chart is
    /// one panel, its body. A trend of fewer than two months has none (its whole chart
    /// says so).
    fn panels(self, m: &Metrics) -> Vec<PanelPlan> {
        let plan = |heading: String, height: u32| PanelPlan { heading, height };
        match self {
            ChartKind::Trend => {
                (0..trend::panel_count(m)).map(|i| plan(trend::panel_heading(m, i), PANEL.height)).collect()
            }
            ChartKind::Groups(d) => groups::panels(d, m).into_iter().map(|(h, base)| plan(h, panel_px(base))).collect(),
            ChartKind::GiveUp => give_up::panels(m).into_iter().map(|(h, base)| plan(h, panel_px(base))).collect(),
            ChartKind::RevenueRecovered => {
                let rows = m.revenue_recovered.by_currency.len().max(1) as f64;
                vec![plan(self.title(m), panel_px(120.0 + 90.0 * rows))]
            }
            ChartKind::ResponseByTouch
            | ChartKind::TouchesToClose
            | ChartKind::SpeedToAnswer
            | ChartKind::ReplyDelay
            | ChartKind::Spacing
            | ChartKind::LateAnswers
            | ChartKind::CompetingOutcomes => {
                vec![plan(self.title(m), panel_px(NARROW_BODY))]
            }
        }
    }

    /// Draws panel `index` of [`ChartKind::panels`] into `area` (the panel less its padding).
    fn draw_panel<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        t: &Theme,
        m: &Metrics,
        index: usize,
    ) -> Drawn<DB> {
        match self {
            ChartKind::Trend => trend::draw_alone(area, t, m, index),
            ChartKind::Groups(d) => groups::draw_panel(area, t, d, m, index),
            ChartKind::GiveUp => give_up::draw_panel(area, t, m, index),
            _ => self.draw_body(area, t, m),
        }
    }

    /// Whether a wide page shows the chart's panels too (two by two), rather than the
    /// whole chart: the trend, whose four panels are the whole chart's four. Every chart
    /// shows its panels on a narrow page.
    pub fn panels_on_desk(self) -> bool {
        self == ChartKind::Trend
    }
}

/// The height of a one-part chart's panel at the base design's sizes (its body, less
/// the title and subtitle the page says): 352 × 300, a little taller than wide.
const NARROW_BODY: f64 = 300.0;

/// Pixels of a panel [`PANEL`] wide for a height at the base design's sizes.
fn panel_px(base: f64) -> u32 {
    (base * PANEL_SCALE).round().clamp(PANEL.height as f64 / 2.0, 4.0 * PANEL.height as f64) as u32
}

/// A chart's panels ([`ChartKind::panels`]), one SVG each [`PANEL`] wide at
/// [`PANEL_SCALE`] text sizes, for a page to lay out by its width: stacked on a phone,
/// side by side where there is room, so no text shrinks below what a phone shows. The
/// chart's title and subtitle (and the trend's [`legend`]) are then the page's to say.
/// The `charts/` files stay the whole chart.
pub fn render_panels(kind: ChartKind, m: &Metrics) -> Result<Vec<PanelSvg>, ChartError> {
    theme::register_fonts().map_err(|e| ChartError::new(kind, e))?;
    kind.panels(m)
        .into_iter()
        .enumerate()
        .map(|(i, plan)| {
            let spec = Spec { width: PANEL.width, height: plan.height };
            let t = Theme::with_scale(&spec, PANEL_SCALE);
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (spec.width, spec.height)).into_drawing_area();
                let drawn = root.fill(&WHITE).and_then(|()| {
                    let pad = t.upx(10.0);
                    kind.draw_panel(&root.margin(pad, pad, pad, pad), &t, m, i)?;
                    root.present()
                });
                drawn.map_err(|e| ChartError::new(kind, e.to_string()))?;
            }
            if let Some(end) = svg.find('>') {
                svg.insert_str(end + 1, &format!("\n<title>{}</title>", crate::fmt::xml_escape(&plan.heading)));
            }
            Ok(PanelSvg { heading: plan.heading, svg })
        })
        .collect()
}

/// The legend of a chart whose panels a page shows one by one ([`render_panels`]) and
/// whose panels leave it out: the trend's, said once above its four panels. Empty for
/// other charts (their panels draw their own).
pub fn legend(kind: ChartKind, m: &Metrics) -> Vec<(theme::Swatch, String)> {
    match kind {
        ChartKind::Trend => trend::legend(m),
        _ => vec![],
    }
}

/// Renders `kind` as PNG bytes (8-bit, a palette or RGB: [`raster::encode`]), in memory. For a picture to forward or put
/// on a slide, `Spec::default().scaled(2)` gives the same chart at 1920×1080.
pub fn render_png(kind: ChartKind, m: &Metrics, spec: &Spec) -> Result<Vec<u8>, ChartError> {
    render_png_into(kind, m, spec, &mut Vec::new())
}

/// [`render_png`] drawing into `pixels`, a scratch buffer the caller may keep for the
/// next chart: a 1920×1080 picture is 6 MB, and a fresh buffer each time costs the
/// kernel's page faults (an eighth of a report's chart time on the sample). A buffer of
/// another size is zeroed first; one of this size is not, since every chart starts by
/// painting each pixel white ([`theme::frame`]), so the bytes never depend on what it
/// held (a test renders charts into a dirty buffer).
pub fn render_png_into(kind: ChartKind, m: &Metrics, spec: &Spec, pixels: &mut Vec<u8>) -> Result<Vec<u8>, ChartError> {
    spec.check(kind)?;
    theme::register_fonts().map_err(|e| ChartError::new(kind, e))?;
    let t = Theme::new(spec);
    let (w, h) = (spec.width, spec.height);
    let len = w as usize * h as usize * 3;
    if pixels.len() != len {
        pixels.clear();
        pixels.resize(len, 0);
    }
    {
        let root = raster::Png::new(pixels, (w, h)).map_err(|e| ChartError::new(kind, e))?.into_drawing_area();
        draw(kind, m, &root, &t).map_err(|e| ChartError::new(kind, e.to_string()))?;
    }
    raster::encode(pixels, (w, h)).map_err(|e| ChartError::new(kind, e))
}
