//! The *scene* of a chart: its SVG normalised to one line per drawn element, for the
//! snapshot tests. A line holds what a reader would see change: the element's kind,
//! its geometry rounded to whole pixels, its colours and line width, and its text:
//!
//! ```text
//! rect 82,174 121x64 fill=#56B4E9
//! text 142,206 "20.0%" 11.7px #222222 bold anchor=middle dy=0.5ex
//! polyline 81,109 81,462 stroke=#9A9A9A/1
//! ```
//!
//! Rounding to whole pixels makes a sub-pixel shift no change while a moved bar, a
//! resized panel or a changed label still is; font sizes keep one decimal (11.7px).
//! What every element shares is left out: the font family, `opacity="1"`, a `stroke`
//! or `fill` of `none`, and the root's namespace and view box.

use std::fmt::Write as _;

use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Attributes written as the element's position and size, by kind.
const GEOMETRY: [&str; 12] = ["x", "y", "width", "height", "cx", "cy", "r", "x1", "y1", "x2", "y2", "points"];

/// Attributes no line shows: the same on every element, or for the root only.
const SKIPPED: [&str; 3] = ["font-family", "xmlns", "viewBox"];

/// The scene of `svg`, one line per element in drawing order; `Err` with the parser's
/// message when it is not well-formed XML.
pub fn scene(svg: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(svg);
    let mut out = String::new();
    // The line of an element with text content, and its content so far (escaped).
    let mut open: Option<(String, String)> = None;
    loop {
        match reader
            .read_event()
            .map_err(|e| format!("not well-formed SVG at byte {}: {e}", reader.buffer_position()))?
        {
            Event::Start(e) => {
                if let Some((line, _)) = open.take() {
                    writeln!(out, "{line}").map_err(|e| e.to_string())?;
                }
                open = Some((element(&e)?, String::new()));
            }
            Event::Empty(e) => {
                if let Some((line, _)) = open.take() {
                    writeln!(out, "{line}").map_err(|e| e.to_string())?;
                }
                writeln!(out, "{}", element(&e)?).map_err(|e| e.to_string())?;
            }
            Event::Text(t) => {
                if let Some((_, text)) = open.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = open.as_mut() {
                    let _ = write!(text, "&{};", r.xml10_content());
                }
            }
            Event::End(_) => {
                if let Some((line, text)) = open.take() {
                    let text = unescape(text.trim()).map_err(|e| e.to_string())?;
                    let line = if text.is_empty() { line } else { insert_text(&line, &text) };
                    writeln!(out, "{line}").map_err(|e| e.to_string())?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// `text 142,206 11.7px …` → `text 142,206 "content" 11.7px …`: the text right after
/// the position, where it reads best.
fn insert_text(line: &str, text: &str) -> String {
    let quoted = format!("{text:?}");
    let mut words: Vec<&str> = line.splitn(3, ' ').collect();
    let at = if words.get(1).is_some_and(|w| w.contains(',') && !w.contains('=')) { 2 } else { 1 };
    words.insert(at.min(words.len()), &quoted);
    words.join(" ")
}

/// One element's line, without text content.
fn element(e: &BytesStart<'_>) -> Result<String, String> {
    let kind = e.name().as_ref().to_owned();
    let mut attrs: Vec<(String, String)> = vec![];
    for a in e.attributes() {
        let a = a.map_err(|e| format!("<{kind}>: {e}"))?;
        let key = a.key.as_ref().to_owned();
        let raw = a.value.to_string();
        let value = unescape(&raw).map_err(|e| format!("<{kind} {key}>: {e}"))?.into_owned();
        attrs.push((key, value));
    }
    let get = |name: &str| attr(&attrs, name);
    let mut words = vec![kind.clone()];
    words.extend(geometry(&kind, &attrs));
    if let Some(size) = get("font-size") {
        words.push(format!("{}px", round_to(size, 10.0)));
    }
    match (kind.as_str(), get("fill")) {
        // A text's colour is its fill: no need to say so.
        ("text", Some(fill)) => words.push(fill.to_owned()),
        (_, Some(fill)) if fill != "none" => words.push(format!("fill={fill}")),
        _ => {}
    }
    if let Some(stroke) = get("stroke").filter(|s| *s != "none") {
        let width = get("stroke-width").map_or(String::new(), |w| format!("/{}", round_to(w, 1.0)));
        words.push(format!("stroke={stroke}{width}"));
    }
    if let Some(weight) = get("font-weight") {
        words.push(weight.to_owned());
    }
    for (key, value) in &attrs {
        let shown = ["font-size", "fill", "stroke", "stroke-width", "font-weight"].contains(&key.as_str())
            || GEOMETRY.contains(&key.as_str());
        if shown || SKIPPED.contains(&key.as_str()) || (key == "opacity" && value == "1") {
            continue;
        }
        let key = if key == "text-anchor" { "anchor" } else { key.as_str() };
        let value = if key == "transform" { round_numbers(value) } else { value.clone() };
        words.push(format!("{key}={value}"));
    }
    Ok(words.join(" "))
}

/// The value of attribute `name`.
fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The position and size of an element: `x,y wxh`, `cx,cy r=5`, `x1,y1 x2,y2` or the
/// points of a polyline or polygon, rounded to whole pixels.
fn geometry(kind: &str, attrs: &[(String, String)]) -> Vec<String> {
    let get = |name: &str| attr(attrs, name);
    let n = |name: &str| get(name).map_or("?".to_owned(), |v| round_to(v, 1.0));
    let has = |name: &str| get(name).is_some();
    let mut words = vec![];
    if kind == "svg" {
        words.push(format!("{}x{}", n("width"), n("height")));
        return words;
    }
    if has("x") || has("y") {
        words.push(format!("{},{}", n("x"), n("y")));
    }
    if has("width") || has("height") {
        words.push(format!("{}x{}", n("width"), n("height")));
    }
    if has("cx") || has("cy") {
        words.push(format!("{},{}", n("cx"), n("cy")));
    }
    if has("r") {
        words.push(format!("r={}", n("r")));
    }
    if has("x1") || has("y1") {
        words.push(format!("{},{} {},{}", n("x1"), n("y1"), n("x2"), n("y2")));
    }
    if let Some(points) = get("points") {
        words.push(round_numbers(points).trim().to_owned());
    }
    words
}

/// `value` as a number rounded to `1/scale` (1.0: whole pixels; 10.0: one decimal),
/// or unchanged when it is not a number.
fn round_to(value: &str, scale: f64) -> String {
    match value.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => {
            let r = (v * scale).round() / scale;
            // No "-0".
            let r = if r == 0.0 { 0.0 } else { r };
            if scale == 1.0 {
                format!("{r:.0}")
            } else {
                format!("{r:.1}")
            }
        }
        _ => value.to_owned(),
    }
}

/// Every number in `text` (a points list, a transform) rounded to whole pixels.
/// Other attributes (`opacity`, `dy`) are shown as written.
fn round_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut String| {
        if !number.is_empty() {
            out.push_str(&round_to(number, 1.0));
            number.clear();
        }
    };
    for c in text.chars() {
        let starts_number = c == '-' && number.is_empty();
        if c.is_ascii_digit() || c == '.' || starts_number {
            number.push(c);
        } else {
            flush(&mut number, &mut out);
            out.push(c);
        }
    }
    flush(&mut number, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_become_rounded_lines_with_their_text() {
        let svg = r##"<svg width="960" height="540" viewBox="0 0 960 540" xmlns="http://www.w3.org/2000/svg">
<title>A &amp; B</title>
<rect x="82" y="174.4" width="121" height="64" opacity="1" fill="#56B4E9" stroke="none"/>
<text x="142" y="206" dy="0.5ex" text-anchor="middle" font-family="DejaVu Sans" font-size="11.693548387096774" opacity="1" fill="#222222" font-weight="bold">
20.0% &lt;b&gt;
</text>
<polyline fill="none" opacity="1" stroke="#9A9A9A" stroke-width="1" points="81,109 81.6,462.2 "/>
<circle cx="10.5" cy="-0.2" r="5" opacity="0.5" fill="#0072B2" stroke="none"/>
</svg>"##;
        let want = "svg 960x540\n\
                    title \"A & B\"\n\
                    rect 82,174 121x64 fill=#56B4E9\n\
                    text 142,206 \"20.0% <b>\" 11.7px #222222 bold dy=0.5ex anchor=middle\n\
                    polyline 81,109 82,462 stroke=#9A9A9A/1\n\
                    circle 11,0 r=5 fill=#0072B2 opacity=0.5\n";
        assert_eq!(scene(svg).as_deref(), Ok(want));
    }

    #[test]
    fn numbers_in_lists_round_and_keep_their_sign() {
        assert_eq!(round_numbers("81.4,109.5 -3.6,0.2 "), "81,110 -4,0 ");
        assert_eq!(round_numbers("rotate(-90, 20.7, 300.2)"), "rotate(-90, 21, 300)");
        assert_eq!(round_to("-0.3", 1.0), "0");
        assert_eq!(round_to("12.903225806451614", 10.0), "12.9");
        assert_eq!(round_to("auto", 1.0), "auto");
    }

    #[test]
    fn broken_svg_is_an_error_not_a_panic() {
        assert!(scene("<svg><rect x=\"1\"></svg>").is_err());
    }
}
