//! Number formatting shared by the HTML page and chart labels: percentages, counts with
//! thousands separators, amounts with their currency.

/// `0.1234` → `12.3%`; `None` → `–`.
pub fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1234.5, "USD"` → `USD 1,235`.
pub fn money(v: f64, currency: &str) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{currency} {sign}{}", count(v.abs().round() as u64))
}

/// `Some(4.25)` → `4.3`; `None` → `–`.
pub fn decimal(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |x| format!("{x:.1}"))
}

/// A count with its noun, singular for one: "1 deal", "1,204 deals".
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// A rate as a manager should read it: the percentage, or, when the metrics say it
/// rests on too few deals (`too_few`, decided once on the metrics types), the plain
/// count: "3 of 4 deals — too few to read". No deals at all is "–".
pub fn rate_or_few(k: u64, n: u64, rate: Option<f64>, too_few: bool) -> String {
    if n > 0 && too_few {
        format!("{} of {} — too few to read", count(k), counted(n, "deal", "deals"))
    } else {
        percent(rate)
    }
}

/// Escapes text for XML content and attribute values (SVG titles, XLSX cells).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A waiting time in hours as people say it: `0.5` → `30 minutes`, `5.25` → `5.3 hours`,
/// `80.0` → `3.3 days`; `None` → `–`.
pub fn hours(h: Option<f64>) -> String {
    match h {
        None => "–".to_owned(),
        Some(h) if h < 1.0 => format!("{} minutes", (h * 60.0).round() as i64),
        Some(h) if h < 48.0 => format!("{h:.1} hours"),
        Some(h) => format!("{:.1} days", h / 24.0),
    }
}

/// A delay in days: `0.5` → `12.0 hours`, `1.25` → `1.3 days`; `None` → `–`.
pub fn days(d: Option<f64>) -> String {
    match d {
        Some(d) if d <= 0.0 => "0 days".to_owned(),
        Some(d) if d < 1.0 => hours(Some(d * 24.0)),
        Some(d) => format!("{d:.1} days"),
        None => "–".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(percent(Some(0.1234)), "12.3%");
        assert_eq!(percent(None), "–");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(999), "999");
        assert_eq!(money(182_000.4, "USD"), "USD 182,000");
        assert_eq!(decimal(Some(4.25)), "4.2");
        assert_eq!(rate_or_few(3, 4, Some(0.75), true), "3 of 4 deals — too few to read");
        assert_eq!(rate_or_few(1, 1, Some(1.0), true), "1 of 1 deal — too few to read");
        assert_eq!(rate_or_few(3, 10, Some(0.3), false), "30.0%");
        assert_eq!(rate_or_few(0, 0, None, true), "–");
    }
}
