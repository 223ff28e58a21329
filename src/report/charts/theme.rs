//! The look shared by every chart: palette, sizes, the bundled font, and the small
//! layout pieces every chart family uses (header, legend, footer, "no data" panel,
//! percent axis). Chart files say *what* to draw; this file says how it looks.
//!
//! **Colours** are the Okabe–Ito palette (safe for the common colour-vision
//! deficiencies), and every series also differs in lightness, line dash or marker, so a
//! chart still reads when printed in greyscale.
//!
//! **Font.** DejaVu Sans (regular and bold) is compiled into the binary
//! (`assets/fonts/`, Bitstream Vera licence) and registered in plotters' `ab_glyph`
//! font table, which lays text out for both backends; PNG text is rasterised from the
//! same bytes (`raster.rs`). No system font is ever looked up, so the PNGs look the
//! same on a server with no fonts. The SVG names the same family first, then close
//! fallbacks, for the reader's browser to draw.

use std::sync::OnceLock;

use ab_glyph::FontRef;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontFamily, FontStyle, FontTransform};

use super::Spec;

/// The result of a drawing step: plotters' own error for the backend in use. The
/// public functions of `charts` map it into [`super::ChartError`] with the chart name.
pub type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Like [`Drawn`], with a value.
pub type DrawnAs<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The font family name charts use. plotters registers the bundled font under this
/// name, and the SVG writes it as its `font-family` (a CSS list: DejaVu Sans where
/// installed, else the near-identical Verdana metrics, else any sans-serif).
pub const FONT: &str = "DejaVu Sans, Verdana, sans-serif";

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Registers the bundled font with plotters, once per process. Every render calls it
/// first; it costs nothing after the first call.
pub fn register_fonts() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, REGULAR)
            .map_err(|_| "the bundled DejaVuSans.ttf is not a usable font".to_owned())?;
        register_font(FONT, FontStyle::Bold, BOLD)
            .map_err(|_| "the bundled DejaVuSans-Bold.ttf is not a usable font".to_owned())
    })
    .clone()
}

/// The bundled font as ab_glyph sees it, for the PNG text renderer (`raster.rs`); `None`
/// only if the bundled bytes were not a font (then [`register_fonts`] fails first).
pub fn font(bold: bool) -> Option<&'static FontRef<'static>> {
    static FONTS: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    let (regular, bold_face) =
        FONTS.get_or_init(|| FontRef::try_from_slice(REGULAR).ok().zip(FontRef::try_from_slice(BOLD).ok())).as_ref()?;
    Some(if bold { bold_face } else { regular })
}

// ---- Palette (Okabe & Ito 2008) -------------------------------------------------

/// Okabe–Ito blue: the team's own main series (dark in greyscale).
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Okabe–Ito sky blue: a light companion to [`BLUE`].
pub const SKY: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
/// Okabe–Ito orange: the contrasting series (light in greyscale).
pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
/// Okabe–Ito vermillion: lines and markers drawn over bars.
pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// Okabe–Ito bluish green: a third series where blue and vermillion are taken.
pub const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
/// Text and axes.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, counts, notes).
pub const MUTED: RGBColor = RGBColor(0x5F, 0x5F, 0x5F);
/// Greyed-out data (too few deals to read) and the industry backdrop.
pub const GREY: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
/// Light fill for the industry backdrop bars.
pub const PALE: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xE6, 0xE6, 0xE6);

// ---- Sizes ----------------------------------------------------------------------

/// Sizes in pixels for one [`Spec`]: every size is given for a 960×540 chart and scaled
/// with the smaller of the two ratios, so a 1920×1080 PNG is the same chart, sharper.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    scale: f64,
    /// Chart width in pixels.
    pub width: u32,
    /// Chart height in pixels.
    pub height: u32,
}

impl Theme {
    /// The theme for one size.
    pub fn new(spec: &Spec) -> Self {
        let scale = (spec.width as f64 / 960.0).min(spec.height as f64 / 540.0).max(0.25);
        Theme { scale, width: spec.width, height: spec.height }
    }

    /// The theme of a picture of `spec`'s size drawn at `scale` times the base design's
    /// sizes, whatever the picture's size: for a panel shown on its own, narrower than the
    /// base design, whose text must stay readable when a phone shrinks it.
    pub fn with_scale(spec: &Spec, scale: f64) -> Self {
        Theme { scale: scale.clamp(0.25, 8.0), width: spec.width, height: spec.height }
    }

    /// Whether the picture is narrow for its text (under 600 pixels of the base design,
    /// e.g. a panel drawn on its own for a phone): chart families then choose shorter
    /// axis titles and fewer columns. Every whole chart is the base design's width.
    pub fn narrow(&self) -> bool {
        (self.width as f64) < 600.0 * self.scale
    }

    /// A length given for the 960×540 base, in pixels at this size.
    pub fn px(&self, base: f64) -> i32 {
        (base * self.scale).round() as i32
    }

    /// The same as [`Theme::px`], unsigned (for plotters sizes).
    pub fn upx(&self, base: f64) -> u32 {
        self.px(base).max(1) as u32
    }

    /// Title size (bold).
    pub fn title_size(&self) -> f64 {
        26.0 * self.scale
    }
    /// Subtitle and legend size.
    pub fn body_size(&self) -> f64 {
        16.0 * self.scale
    }
    /// Tick labels and annotations.
    pub fn small_size(&self) -> f64 {
        14.5 * self.scale
    }
    /// Footnotes and per-bar counts.
    pub fn tiny_size(&self) -> f64 {
        13.0 * self.scale
    }
    /// Outer margin.
    pub fn margin(&self) -> i32 {
        self.px(18.0)
    }
    /// Width of data lines.
    pub fn line(&self) -> u32 {
        self.upx(2.5)
    }
    /// Width of thin lines (whiskers, outlines).
    pub fn thin(&self) -> u32 {
        self.upx(1.5)
    }

    /// Text in the chart font.
    pub fn text(&self, size: f64, color: &RGBColor) -> TextStyle<'static> {
        style(size, FontStyle::Normal, color)
    }

    /// Bold text in the chart font.
    pub fn bold(&self, size: f64, color: &RGBColor) -> TextStyle<'static> {
        style(size, FontStyle::Bold, color)
    }
}

/// A text style in the chart font. (Built field by field: plotters' `.color()` would
/// tie the style's lifetime to the colour reference.)
fn style(size: f64, font_style: FontStyle, color: &RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from(FontDesc::new(FontFamily::Name(FONT), size, font_style));
    s.color = color.to_backend_color();
    s
}

/// A text style anchored at `h`/`v` of the position it is drawn at.
pub fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// The style shrunk until `text` fits in `max_width` pixels (down to 60%), so a long
/// title never runs off the chart.
pub fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: TextStyle<'static>,
    max_width: u32,
) -> DrawnAs<TextStyle<'static>, DB> {
    let mut style = style;
    for _ in 0..8 {
        let (w, _) = area.estimate_text_size(text, &style)?;
        if w <= max_width {
            break;
        }
        let size = match style.font.get_size() * 0.94 {
            s if s < 9.0 => break,
            s => s,
        };
        style.font = FontDesc::new(FontFamily::Name(FONT), size, style.font.get_style());
    }
    Ok(style)
}

// ---- Layout pieces ----------------------------------------------------------------

/// Draws the title (the finding, bold), the subtitle lines (n and context, muted) and the
/// footer (source line), and returns the area left for the chart body.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    t: &Theme,
    title: &str,
    subtitle: &str,
    footer: &str,
) -> DrawnAs<DrawingArea<DB, Shift>, DB> {
    root.fill(&WHITE)?;
    let m = t.margin();
    let avail = (t.width as i32 - 2 * m).max(1) as u32;
    let title_style = fit(root, title, t.bold(t.title_size(), &INK), avail)?;
    let (_, th) = root.estimate_text_size(title, &title_style)?;
    root.draw(&Text::new(title.to_owned(), (m, m), anchored(title_style, HPos::Left, VPos::Top)))?;
    let mut y = m + th as i32 + t.px(8.0);
    for line in subtitle.lines().filter(|l| !l.is_empty()) {
        let sub_style = fit(root, line, t.text(t.body_size(), &MUTED), avail)?;
        let (_, sh) = root.estimate_text_size(line, &sub_style)?;
        root.draw(&Text::new(line.to_owned(), (m, y), anchored(sub_style, HPos::Left, VPos::Top)))?;
        y += sh as i32 + t.px(5.0);
    }
    y += t.px(10.0);
    let foot_style = t.text(t.tiny_size(), &MUTED);
    let (_, fh) = root.estimate_text_size(footer, &foot_style)?;
    let foot_y = t.height as i32 - m / 2;
    root.draw(&Text::new(
        footer.to_owned(),
        (t.width as i32 - m, foot_y),
        anchored(foot_style, HPos::Right, VPos::Bottom),
    ))?;
    let bottom = fh as i32 + m / 2 + t.px(10.0);
    Ok(root.margin(y.max(0) as u32, bottom.max(0) as u32, m.max(0) as u32, m.max(0) as u32))
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A filled box.
    Bar(RGBColor),
    /// An outlined box.
    Hollow(RGBColor),
    /// The pale, outlined box of a backdrop figure.
    Backdrop,
    /// A solid line with a round marker.
    Line(RGBColor),
    /// A dashed line with a square marker.
    Dashed(RGBColor),
    /// A translucent band behind a line.
    Band(RGBColor),
    /// A diamond marker.
    Diamond(RGBColor),
    /// A whisker (interval) mark.
    Whisker(RGBColor),
    /// A dashed reference line, no marker.
    Rule(RGBColor),
    /// A hollow round marker (a point resting on too few deals).
    HollowDot(RGBColor),
    /// A solid level line, no marker (a reference rate drawn across a bar).
    Level(RGBColor),
}

/// Draws legend entries left to right, wrapping onto more rows when needed, at the top
/// of `area`; returns the area below it.
pub fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    items: &[(Swatch, String)],
) -> DrawnAs<DrawingArea<DB, Shift>, DB> {
    let style = t.text(t.small_size(), &INK);
    let (w, _) = area.dim_in_pixel();
    let sw = t.px(26.0);
    let gap = t.px(22.0);
    let row_h = t.px(22.0);
    let (mut x, mut y) = (0i32, t.px(2.0));
    for (swatch, label) in items {
        let (tw, _) = area.estimate_text_size(label, &style)?;
        let item_w = sw + t.px(6.0) + tw as i32;
        if x > 0 && x + item_w > w as i32 {
            x = 0;
            y += row_h;
        }
        let cy = y + row_h / 2;
        draw_swatch(area, t, *swatch, (x, cy), sw)?;
        area.draw(&Text::new(
            label.clone(),
            (x + sw + t.px(6.0), cy),
            anchored(style.clone(), HPos::Left, VPos::Center),
        ))?;
        x += item_w + gap;
    }
    let used = y + row_h + t.px(8.0);
    Ok(area.margin(used.max(0) as u32, 0, 0, 0))
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    s: Swatch,
    (x, cy): (i32, i32),
    sw: i32,
) -> Drawn<DB> {
    let h = t.px(7.0);
    match s {
        Swatch::Bar(c) => area.draw(&Rectangle::new([(x, cy - h), (x + sw, cy + h)], c.filled())),
        Swatch::Hollow(c) => area.draw(&Rectangle::new([(x, cy - h), (x + sw, cy + h)], c.stroke_width(t.thin()))),
        Swatch::Backdrop => {
            area.draw(&Rectangle::new([(x, cy - h), (x + sw, cy + h)], PALE.filled()))?;
            area.draw(&Rectangle::new([(x, cy - h), (x + sw, cy + h)], GREY.stroke_width(t.thin())))
        }
        Swatch::Line(c) => {
            area.draw(&PathElement::new(vec![(x, cy), (x + sw, cy)], c.stroke_width(t.line())))?;
            area.draw(&Circle::new((x + sw / 2, cy), t.upx(4.0), c.filled()))
        }
        Swatch::Dashed(c) => {
            area.draw(&DashedPathElement::new(
                vec![(x, cy), (x + sw, cy)],
                t.upx(6.0),
                t.upx(4.0),
                c.stroke_width(t.thin().max(2)),
            ))?;
            let r = t.px(3.5);
            area.draw(&Rectangle::new([(x + sw / 2 - r, cy - r), (x + sw / 2 + r, cy + r)], c.filled()))
        }
        Swatch::Band(c) => {
            area.draw(&Rectangle::new([(x, cy - h), (x + sw, cy + h)], c.mix(0.18).filled()))?;
            area.draw(&PathElement::new(vec![(x, cy), (x + sw, cy)], c.stroke_width(t.line())))
        }
        Swatch::Diamond(c) => area.draw(&diamond((x + sw / 2, cy), t.px(6.0), c)),
        Swatch::Whisker(c) => {
            let style = c.stroke_width(t.thin());
            let xm = x + sw / 2;
            area.draw(&PathElement::new(vec![(xm, cy - h), (xm, cy + h)], style))?;
            area.draw(&PathElement::new(vec![(xm - t.px(4.0), cy - h), (xm + t.px(4.0), cy - h)], style))?;
            area.draw(&PathElement::new(vec![(xm - t.px(4.0), cy + h), (xm + t.px(4.0), cy + h)], style))
        }
        Swatch::Rule(c) => area.draw(&DashedPathElement::new(
            vec![(x, cy), (x + sw, cy)],
            t.upx(5.0),
            t.upx(4.0),
            c.stroke_width(t.thin()),
        )),
        Swatch::HollowDot(c) => {
            area.draw(&Circle::new((x + sw / 2, cy), t.upx(4.0), WHITE.filled()))?;
            area.draw(&Circle::new((x + sw / 2, cy), t.upx(4.0), c.stroke_width(t.thin())))
        }
        Swatch::Level(c) => area.draw(&PathElement::new(vec![(x, cy), (x + sw, cy)], c.stroke_width(t.upx(2.0)))),
    }
}

/// A filled diamond marker centred at a pixel position.
pub fn diamond(c: (i32, i32), r: i32, color: RGBColor) -> Polygon<(i32, i32)> {
    Polygon::new(vec![(c.0, c.1 - r), (c.0 + r, c.1), (c.0, c.1 + r), (c.0 - r, c.1)], color.filled())
}

/// Draws the panel shown instead of a chart when the metrics have nothing to plot.
pub fn no_data<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &Theme, message: &str) -> Drawn<DB> {
    empty_panel(area, t, "No data", message)
}

/// A framed panel with a big grey `headline` ("No data", "Not enough months yet") and
/// a muted line saying why, drawn instead of a chart.
pub fn empty_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    headline: &str,
    message: &str,
) -> Drawn<DB> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Rectangle::new([(0, 0), (w as i32 - 1, h as i32 - 1)], GRID.stroke_width(t.thin())))?;
    let big = fit(area, headline, t.bold(t.title_size() * 1.2, &GREY), w.saturating_sub(t.upx(40.0)))?;
    area.draw(&Text::new(
        headline.to_owned(),
        (w as i32 / 2, h as i32 / 2 - t.px(14.0)),
        anchored(big, HPos::Center, VPos::Bottom),
    ))?;
    let max = w.saturating_sub(t.upx(40.0));
    if t.narrow() {
        // A narrow panel wraps the message rather than shrinking it.
        let style = anchored(t.text(t.body_size(), &MUTED), HPos::Center, VPos::Top);
        let mut lines: Vec<String> = vec![];
        for word in message.split_whitespace() {
            match lines.last_mut() {
                Some(l) if area.estimate_text_size(&format!("{l} {word}"), &style)?.0 <= max => {
                    l.push(' ');
                    l.push_str(word);
                }
                _ => lines.push(word.to_owned()),
            }
        }
        let mut y = h as i32 / 2 + t.px(6.0);
        for l in lines {
            let (_, lh) = area.estimate_text_size(&l, &style)?;
            area.draw(&Text::new(l, (w as i32 / 2, y), style.clone()))?;
            y += lh as i32 + t.px(4.0);
        }
        return Ok(());
    }
    let style = fit(area, message, t.text(t.body_size(), &MUTED), max)?;
    area.draw(&Text::new(
        message.to_owned(),
        (w as i32 / 2, h as i32 / 2 + t.px(6.0)),
        anchored(style, HPos::Center, VPos::Top),
    ))
}

/// A rotated axis title along the left edge of `area`, centred on the pixel rows
/// `top..bottom`.
pub fn y_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    text: &str,
    top: i32,
    bottom: i32,
) -> Drawn<DB> {
    let style = anchored(t.text(t.small_size(), &MUTED), HPos::Center, VPos::Top).transform(FontTransform::Rotate270);
    area.draw(&Text::new(text.to_owned(), (0, (top + bottom) / 2), style))
}

/// The plotting context every bar chart here uses: x = categories centred on 1, 2, …,
/// y = a share of deals.
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The axis texts and room of a [`percent_chart`].
#[derive(Debug, Clone, Copy)]
pub struct Axes<'s> {
    /// Title of the y axis.
    pub y_desc: &'s str,
    /// Title of the x axis.
    pub x_desc: &'s str,
    /// Lines of category labels under the x axis (1 or 2, see [`category_labels`]).
    pub label_rows: u32,
    /// Extra room on the right, at the base size, for end-of-line labels.
    pub right: f64,
}

/// Builds a chart over `categories` columns with a percent y axis from 0 to a nice top
/// above `y_max`, with its grid, y ticks and axis titles drawn. Returns the chart and
/// the axis top.
pub fn percent_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    t: &Theme,
    categories: usize,
    y_max: f64,
    axes: Axes<'_>,
) -> DrawnAs<(Chart<'a, DB>, f64), DB> {
    let (top, step) = percent_axis(y_max);
    let n = categories.max(1) as f64;
    let label_h = 8.0 + 18.0 * axes.label_rows.clamp(1, 2) as f64 + if axes.x_desc.is_empty() { 0.0 } else { 22.0 };
    let mut chart = ChartBuilder::on(area)
        .margin_top(t.px(6.0))
        .margin_right(t.px(axes.right))
        .x_label_area_size(t.px(label_h))
        .y_label_area_size(t.px(70.0))
        .build_cartesian_2d(0.4..n + 0.6, 0.0..top)?;
    let ticks = (top / step).round() as usize + 1;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(ticks)
        .y_label_formatter(&|v| percent_tick(*v, step))
        .y_label_style(t.text(t.small_size(), &INK))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(t.upx(1.0)))
        .axis_style(GREY.stroke_width(t.upx(1.0)))
        .set_tick_mark_size(LabelAreaPosition::Left, t.px(4.0))
        .set_tick_mark_size(LabelAreaPosition::Bottom, 0)
        .y_desc(axes.y_desc)
        .x_desc(axes.x_desc)
        .axis_desc_style(t.text(t.small_size(), &MUTED))
        .draw()?;
    Ok((chart, top))
}

/// Labels under the x axis: for each category centre x, a main label and an optional
/// second, muted line (e.g. the n behind it). Skips every other label when they would
/// collide.
pub fn category_labels<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    t: &Theme,
    labels: &[(f64, String, Option<String>)],
) -> Drawn<DB> {
    let area = chart.plotting_area();
    let main = anchored(t.text(t.small_size(), &INK), HPos::Center, VPos::Top);
    let sub = anchored(t.text(t.tiny_size(), &MUTED), HPos::Center, VPos::Top);
    let (x0, x1) = (chart.backend_coord(&(0.5, 0.0)).0, chart.backend_coord(&(1.5, 0.0)).0);
    let slot = (x1 - x0).max(1) as u32;
    let mut widest = 0;
    for (_, a, b) in labels {
        widest = widest.max(area.estimate_text_size(a, &main)?.0);
        if let Some(b) = b {
            widest = widest.max(area.estimate_text_size(b, &sub)?.0);
        }
    }
    let every = ((widest + t.upx(6.0)) / slot + 1) as usize;
    for (i, (x, a, b)) in labels.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        area.draw(&(EmptyElement::at((*x, 0.0)) + Text::new(a.clone(), (0, t.px(6.0)), main.clone())))?;
        if let Some(b) = b {
            area.draw(&(EmptyElement::at((*x, 0.0)) + Text::new(b.clone(), (0, t.px(24.0)), sub.clone())))?;
        }
    }
    Ok(())
}

/// A response-rate bar centred on `x` with its 95% whisker, clamped to the axis `top`:
/// filled sky blue, or hollow grey when `readable` is false (too few deals).
#[allow(clippy::too_many_arguments)]
pub fn rate_bar<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    x: f64,
    half: f64,
    rate: f64,
    ci: Option<(f64, f64)>,
    readable: bool,
    top: f64,
) -> Drawn<DB> {
    let clamp = |v: f64| v.clamp(0.0, top);
    let bar = if readable { SKY.filled() } else { GREY.stroke_width(t.thin()) };
    chart.draw_series(std::iter::once(Rectangle::new([(x - half, 0.0), (x + half, clamp(rate))], bar)))?;
    if let Some((lo, hi)) = ci {
        let style = if readable { INK.stroke_width(t.thin()) } else { GREY.stroke_width(t.upx(1.0)) };
        let (lo, hi) = (clamp(lo), clamp(hi));
        let cap = (half * 0.32).min(0.1);
        chart.draw_series([
            PathElement::new(vec![(x, lo), (x, hi)], style),
            PathElement::new(vec![(x - cap, lo), (x + cap, lo)], style),
            PathElement::new(vec![(x - cap, hi), (x + cap, hi)], style),
        ])?;
    }
    Ok(())
}

/// A bold label just above the point `(x, y)` of a chart.
pub fn value_label<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    (x, y): (f64, f64),
    text: String,
    color: &RGBColor,
) -> Drawn<DB> {
    let style = anchored(t.bold(t.small_size(), color), HPos::Center, VPos::Bottom);
    chart.draw_series(std::iter::once(EmptyElement::at((x, y)) + Text::new(text, (0, -t.px(4.0)), style)))?;
    Ok(())
}

/// A small bold panel heading at the top left of `area`; returns the area below it.
pub fn panel_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &Theme,
    text: &str,
) -> DrawnAs<DrawingArea<DB, Shift>, DB> {
    let (w, _) = area.dim_in_pixel();
    let style = fit(area, text, t.bold(t.body_size(), &INK), w)?;
    let (_, h) = area.estimate_text_size(text, &style)?;
    area.draw(&Text::new(text.to_owned(), (0, 0), anchored(style, HPos::Left, VPos::Top)))?;
    Ok(area.margin(h + t.upx(6.0), 0, 0, 0))
}

// ---- Axis numbers -----------------------------------------------------------------

/// A "nice" top and step for a percent axis showing values up to `max` (a fraction):
/// steps of 1, 2 or 5 × 10ⁿ, at most seven intervals, never above 100%.
pub fn percent_axis(max: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 { max.min(1.0) } else { 0.1 };
    let rough = max / 5.0;
    let mag = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| max / s <= 7.0 + 1e-9).unwrap_or(10.0 * mag);
    let top = ((max / step) - 1e-9).ceil().max(1.0) * step;
    // Round away float noise (0.7000000000000001) so tick labels and tests are exact.
    let clean = |v: f64| (v * 1e9).round() / 1e9;
    (clean(top.min(1.0)), clean(step))
}

/// A percent tick label: `0.2` → `20%`, `0.025` → `2.5%` (decimals only when the step
/// needs them).
pub fn percent_tick(v: f64, step: f64) -> String {
    let decimals = if step * 100.0 >= 1.0 - 1e-9 { 0 } else { 1 };
    format!("{:.*}%", decimals, v * 100.0)
}

/// `1` → `1st`, `2` → `2nd`, `11` → `11th`, `23` → `23rd`.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A touch count for a title: `3.0` → `3`, `3.5` → `3.5`.
pub fn touches(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// Draws the y-only grid of a small-multiples panel (trend months, group touches):
/// `ticks` tiny labels written by `label`, light grid lines, no x labels (the panel
/// writes its own under the plot).
pub fn draw_panel_mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    t: &Theme,
    ticks: usize,
    label: &dyn Fn(&f64) -> String,
) -> Drawn<DB> {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(ticks)
        .y_label_formatter(label)
        .y_label_style(t.text(t.tiny_size(), &INK))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(t.upx(1.0)))
        .axis_style(GREY.stroke_width(t.upx(1.0)))
        .set_tick_mark_size(LabelAreaPosition::Left, t.px(3.0))
        .set_tick_mark_size(LabelAreaPosition::Bottom, 0)
        .draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_axis_is_nice() {
        assert_eq!(percent_axis(0.663), (0.7, 0.1));
        let (top, step) = percent_axis(0.19);
        assert!((top - 0.2).abs() < 1e-12 && (step - 0.05).abs() < 1e-12, "{top} {step}");
        assert_eq!(percent_axis(0.0), (0.1, 0.02));
        assert_eq!(percent_axis(1.0).0, 1.0);
        assert_eq!(percent_axis(f64::NAN), (0.1, 0.02));
        assert_eq!(percent_tick(0.2, 0.05), "20%");
        assert_eq!(percent_tick(0.025, 0.005), "2.5%");
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101].iter().map(|&n| ordinal(n)).collect();
        assert_eq!(got, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st"]);
        assert_eq!(touches(3.0), "3");
        assert_eq!(touches(3.5), "3.5");
    }
}
