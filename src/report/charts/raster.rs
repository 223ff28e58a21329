//! The PNG path: plotters' bitmap backend drawing into an in-memory RGB buffer, with
//! text rasterised here from the bundled font, then encoded to PNG bytes (no temp file).
//!
//! Why our own text: plotters 0.3.7's `ab_glyph` renderer places each glyph at its
//! advance but drops the glyph's left side bearing, so letters sit unevenly ("t he");
//! and it sizes text about 6% larger than the SVG backend does. [`Png`] forwards every
//! drawing call to [`BitMapBackend`] except `draw_text`, which lays glyphs out with
//! kerning and bearings at the SVG's em size (`size / 1.24`) and the SVG's anchor rules
//! (`dy` of 0.76em for top, ±0.5ex for centre/bottom), so the PNG matches the SVG.
//! Layout sizes (`estimate_text_size`) still come from plotters, as for the SVG.

use ab_glyph::{point, Font, PxScale, ScaleFont};
use plotters::backend::{BitMapBackend, DrawingBackend, RGBPixel};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

use super::theme;

/// A bitmap backend over an RGB buffer whose text is drawn by [`theme`]'s font.
pub struct Png<'a> {
    inner: BitMapBackend<'a, RGBPixel>,
}

impl<'a> Png<'a> {
    /// Wraps `pixels` (`width × height × 3` bytes, RGB).
    pub fn new(pixels: &'a mut [u8], size: (u32, u32)) -> Result<Self, String> {
        let inner = BitMapBackend::<RGBPixel>::with_buffer_and_format(pixels, size).map_err(|e| e.to_string())?;
        Ok(Png { inner })
    }
}

type Res<E> = Result<(), DrawingErrorKind<E>>;

impl DrawingBackend for Png<'_> {
    type ErrorType = <BitMapBackend<'static, RGBPixel> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Res<Self::ErrorType> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Res<Self::ErrorType> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res<Self::ErrorType> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Res<Self::ErrorType> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res<Self::ErrorType> {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res<Self::ErrorType> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res<Self::ErrorType> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res<Self::ErrorType> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, (iw, ih): (u32, u32), src: &[u8]) -> Res<Self::ErrorType> {
        self.inner.blit_bitmap(pos, (iw, ih), src)
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Res<Self::ErrorType> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let Some(font) = theme::font(matches!(style.style(), FontStyle::Bold)) else {
            return Err(DrawingErrorKind::FontError(Box::new(std::io::Error::other(
                "the bundled font could not be read",
            ))));
        };
        let em = style.size() as f32 / 1.24;
        let units = font.units_per_em().unwrap_or(2048.0);
        let scaled = font.as_scaled(PxScale::from(em * font.height_unscaled() / units));

        // Glyph origins along the baseline, with kerning.
        let mut caret = 0f32;
        let mut prev = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            glyphs.push(id.with_scale_and_position(scaled.scale(), point(caret, 0.0)));
            caret += scaled.h_advance(id);
            prev = Some(id);
        }
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -caret / 2.0,
            HPos::Right => -caret,
        };
        // Baseline offsets as the SVG backend writes them (`dy`), with DejaVu's x-height.
        let ex = 0.547 * em;
        let baseline = match anchor.v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.5 * ex,
            VPos::Bottom => -0.5 * ex,
        };
        let trans = style.transform();
        let (w, h) = self.get_size();
        // One buffer for every glyph's covered pixels (most of a glyph's box is empty).
        let mut pixels = Vec::new();
        for g in glyphs {
            let Some(outline) = font.outline_glyph(g) else { continue };
            let b = outline.px_bounds();
            pixels.clear();
            outline.draw(|x, y, cov| {
                if cov > 0.0 {
                    pixels.push((x, y, cov));
                }
            });
            for &(x, y, cov) in &pixels {
                let lx = (b.min.x + x as f32 + dx).round() as i32;
                let ly = (b.min.y + y as f32 + baseline).round() as i32;
                let (rx, ry) = rotate(&trans, lx, ly);
                let (px, py) = (pos.0 + rx, pos.1 + ry);
                if px < 0 || py < 0 || px >= w as i32 || py >= h as i32 {
                    continue;
                }
                let c = BackendColor { alpha: color.alpha * cov.min(1.0) as f64, rgb: color.rgb };
                self.inner.draw_pixel((px, py), c)?;
            }
        }
        Ok(())
    }
}

/// plotters' rotation rule (`FontTransform::transform`), about the anchor point.
fn rotate(t: &FontTransform, x: i32, y: i32) -> (i32, i32) {
    match t {
        FontTransform::None => (x, y),
        FontTransform::Rotate90 => (-y, x),
        FontTransform::Rotate180 => (-x, -y),
        FontTransform::Rotate270 => (y, -x),
    }
}

/// Encodes 8-bit RGB pixels as PNG bytes: as a palette image when the chart has at
/// most 256 colours (most do: flat fills, a few anti-aliased text shades), else as RGB;
/// either way the decoded pixels are exactly `pixels`. Deflate runs at its fast level:
/// with a palette a third of the bytes are compressed, and the whole encode takes about a
/// seventh of the balanced RGB level's time for files about a quarter larger
/// (docs/decisions.md, "PNG encoding").
pub fn encode(pixels: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(pixels.len() / 16);
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let indexed = palette(pixels);
    let data = match indexed {
        Some((palette, indices)) => {
            enc.set_color(png::ColorType::Indexed);
            enc.set_palette(palette);
            std::borrow::Cow::Owned(indices)
        }
        None => {
            enc.set_color(png::ColorType::Rgb);
            std::borrow::Cow::Borrowed(pixels)
        }
    };
    let mut writer = enc.write_header().map_err(|e| format!("PNG encoding: {e}"))?;
    writer.write_image_data(&data).map_err(|e| format!("PNG encoding: {e}"))?;
    writer.finish().map_err(|e| format!("PNG encoding: {e}"))?;
    Ok(out)
}

/// The palette (RGB triples, in order of first use) and each pixel's index into it, or
/// `None` when the pixels hold more than 256 colours. A small open-addressing table keyed
/// by the packed colour; a run of the last colour (most of a chart is white) is matched
/// 16 pixels at a time against a pattern of that colour, without a lookup.
fn palette(pixels: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    const SLOTS: usize = 1024; // four times the most colours a palette holds
    const EMPTY: u32 = u32::MAX; // no packed 24-bit colour is this
    const RUN: usize = 16;
    let mut keys = [EMPTY; SLOTS];
    let mut slots = [0u8; SLOTS];
    let mut colours = Vec::with_capacity(256 * 3);
    let mut indices = vec![0u8; pixels.len() / 3];
    let (mut last, mut last_index) = (EMPTY, 0u8);
    let mut pattern = [0u8; RUN * 3];
    let mut i = 0;
    while let Some(px) = pixels.get(i * 3..i * 3 + 3) {
        if let (Some(next), Some(out)) = (pixels.get(i * 3..(i + RUN) * 3), indices.get_mut(i..i + RUN)) {
            // `last` is EMPTY until the first pixel is looked up: the pattern is no colour yet.
            if last != EMPTY && next == pattern {
                out.fill(last_index);
                i += RUN;
                continue;
            }
        }
        let &[r, g, b] = px else { break };
        let key = u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b);
        if key != last {
            let mut slot = (key.wrapping_mul(0x9E37_79B1) >> 22) as usize % SLOTS;
            last_index = loop {
                match keys.get(slot) {
                    Some(&k) if k == key => break slots.get(slot).copied().unwrap_or_default(),
                    Some(&EMPTY) => {
                        let index = u8::try_from(colours.len() / 3).ok()?;
                        keys[slot] = key;
                        slots[slot] = index;
                        colours.extend_from_slice(px);
                        break index;
                    }
                    _ => slot = (slot + 1) % SLOTS,
                }
            };
            last = key;
            for p in pattern.chunks_exact_mut(3) {
                p.copy_from_slice(px);
            }
        }
        if let Some(out) = indices.get_mut(i) {
            *out = last_index;
        }
        i += 1;
    }
    Some((colours, indices))
}
