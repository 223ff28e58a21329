//! The plain-English verdict on a comparison of two groups (SPEC §3 "Groups"): either
//! "A is associated with a higher … than B (…; p = …)" when the difference is
//! meaningful ([`Comparison::is_meaningful`]), or "Not yet meaningful: … about N more
//! deals per group would be needed to tell", with N from [`deals_needed`] (80% power at
//! the 5% level). Cadences are not randomised: the wording is "associated with", never
//! "causes".

use super::compare::{Comparison, Z80};
use super::stats::Z95;

/// Approximate deals per group needed to detect a difference between rates `p1` and
/// `p2` with a two-sided test at α = 0.05 and 80% power (no continuity correction):
/// n = (z_{α/2}·sqrt(2·p̄(1 − p̄)) + z_β·sqrt(p1(1 − p1) + p2(1 − p2)))² / (p1 − p2)²,
/// p̄ = (p1 + p2)/2, rounded up.
///
/// `None` when p1 == p2 (no sample size tells equal rates apart) or when either is not
/// a number in [0, 1]. Astronomical results saturate at `u64::MAX`.
pub fn deals_needed(p1: f64, p2: f64) -> Option<u64> {
    let ok = |p: f64| (0.0..=1.0).contains(&p);
    if !ok(p1) || !ok(p2) || p1 == p2 {
        return None;
    }
    let pbar = (p1 + p2) / 2.0;
    let root = Z95 * (2.0 * pbar * (1.0 - pbar)).sqrt() + Z80 * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let n = (root / (p1 - p2)).powi(2);
    Some(n.ceil() as u64) // `as` saturates
}

/// The plain-English verdict on a comparison, with the groups called "Group A" and
/// "Group B": see [`verdict_for`].
pub fn verdict(c: &Comparison, n1: u64, n2: u64, what: &str) -> String {
    verdict_for(c, n1, n2, what, "Group A", "Group B")
}

/// The plain-English verdict on a comparison of group `a` (n1 deals) with group `b`
/// (n2 deals) on the rate `what` (e.g. "response rate to touch 2").
///
/// When [`Comparison::is_meaningful`]:
/// "Cadence A is associated with a higher {what} than Cadence B (12.0% vs 8.0%,
/// difference 4.0 points, 95% CI 1.1 to 6.9; p = 0.004)." Otherwise:
/// "Not yet meaningful: the difference in {what} between A and B (4.0 points) could be
/// chance (p = 0.31); about N more deals per group would be needed to tell." where N is
/// [`deals_needed`] for the observed rates minus the smaller group's size, rounded up to
/// two significant digits. Percentages and points have one decimal; p has two
/// significant digits, or reads "p < 0.001".
pub fn verdict_for(c: &Comparison, n1: u64, n2: u64, what: &str, a: &str, b: &str) -> String {
    let stats = format!(
        "{}% vs {}%, difference {} points, 95% CI {} to {}; {}",
        pct(c.p1),
        pct(c.p2),
        pct(c.diff),
        pct(c.low),
        pct(c.high),
        format_p(c.p_value)
    );
    if c.is_meaningful() {
        let direction = if c.diff > 0.0 { "higher" } else { "lower" };
        return format!("{a} is associated with a {direction} {what} than {b} ({stats}).");
    }
    let head = format!(
        "Not yet meaningful: the difference in {what} between {a} and {b} ({} points) could be chance ({})",
        pct(c.diff),
        format_p(c.p_value)
    );
    match deals_needed(c.p1, c.p2) {
        None => format!("{head}; the two rates are equal, so no number of deals would tell them apart."),
        Some(need) => {
            let more = need.saturating_sub(n1.min(n2));
            if more == 0 {
                format!(
                    "{head}; the groups are already large enough to detect a difference this size, \
                     so the true difference is probably smaller."
                )
            } else {
                format!(
                    "{head}; about {} more deals per group would be needed to tell.",
                    group_digits(round_up_2sig(more))
                )
            }
        }
    }
}

/// A fraction as percentage points with one decimal, never "-0.0".
fn pct(x: f64) -> String {
    let s = format!("{:.1}", x * 100.0);
    if s == "-0.0" {
        "0.0".to_owned()
    } else {
        s
    }
}

/// "p = 0.31", "p = 0.004", "p = 1", or "p < 0.001".
fn format_p(p: f64) -> String {
    if p.is_nan() {
        return "p unknown".to_owned();
    }
    if p < 0.001 {
        return "p < 0.001".to_owned();
    }
    let p = p.min(1.0);
    let decimals = (1 - p.log10().floor() as i32).max(1) as usize;
    let s = format!("{p:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("p = {s}")
}

/// Rounds up to two significant digits: 686 → 690, 12 → 12, 1_234_567 → 1_300_000.
fn round_up_2sig(n: u64) -> u64 {
    let mut scale = 1u64;
    while n / scale >= 100 {
        scale *= 10;
    }
    n.div_ceil(scale).saturating_mul(scale)
}

/// 1234567 → "1,234,567".
fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::compare::compare;

    #[test]
    fn deals_needed_textbook() {
        // p1 = 0.10, p2 = 0.15: (1.959964·sqrt(2·0.125·0.875) + 0.841621·sqrt(0.09 + 0.1275))²
        // / 0.05² = 685.597 with python3 as the calculator → 686 per group (the
        // standard formula without continuity correction, as in Fleiss, Statistical
        // Methods for Rates and Proportions; the number itself was computed here, not
        // copied from a printed table).
        assert_eq!(deals_needed(0.10, 0.15), Some(686));
        assert_eq!(deals_needed(0.15, 0.10), Some(686));
        // 0.12 vs 0.08: 881.819 → 882; 0.5 vs 0.6: 387.339 → 388 (python3).
        assert_eq!(deals_needed(0.12, 0.08), Some(882));
        assert_eq!(deals_needed(0.5, 0.6), Some(388));
        assert_eq!(deals_needed(0.2, 0.2), None);
        assert_eq!(deals_needed(f64::NAN, 0.2), None);
        assert_eq!(deals_needed(1.5, 0.2), None);
        // 0 vs 1: (1.959964·sqrt(0.5))² = 1.92 → 2 (python3).
        assert_eq!(deals_needed(0.0, 1.0), Some(2));
    }

    #[test]
    fn verdict_wording() {
        // Meaningful: 120/1000 vs 80/1000 → z = 2.98, p = 0.0029.
        let c = compare(120, 1000, 80, 1000).expect("groups");
        let v = verdict_for(&c, 1000, 1000, "response rate", "Cadence A", "Cadence B");
        assert!(v.starts_with("Cadence A is associated with a higher response rate than Cadence B (12.0% vs 8.0%, difference 4.0 points, 95% CI "), "{v}");
        assert!(v.ends_with("; p = 0.0029)."), "{v}");
        assert!(!v.contains("cause"));
        let v = verdict_for(&compare(80, 1000, 120, 1000).expect("groups"), 1000, 1000, "response rate", "A", "B");
        assert!(
            v.starts_with(
                "A is associated with a lower response rate than B (8.0% vs 12.0%, difference -4.0 points, 95% CI -"
            ),
            "{v}"
        );
        // Not meaningful: 12/100 vs 8/100.
        let c = compare(12, 100, 8, 100).expect("groups");
        let v = verdict(&c, 100, 100, "win rate");
        let more = deals_needed(0.12, 0.08).expect("differs") - 100; // 782 → "790"
        assert_eq!(more, 782);
        assert!(v.starts_with("Not yet meaningful: the difference in win rate between Group A and Group B (4.0 points) could be chance (p = 0.35"), "{v}");
        assert!(v.ends_with("; about 790 more deals per group would be needed to tell."), "{v}");
        // Equal rates.
        let v = verdict(&compare(5, 50, 10, 100).expect("groups"), 50, 100, "win rate");
        assert!(v.contains("(0.0 points) could be chance (p = 1)") && v.contains("equal"), "{v}");
        // Very small p.
        let v = verdict(&compare(300, 1000, 100, 1000).expect("groups"), 1000, 1000, "win rate");
        assert!(v.ends_with("; p < 0.001)."), "{v}");
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(format_p(0.31), "p = 0.31");
        assert_eq!(format_p(0.004), "p = 0.004");
        assert_eq!(format_p(0.00432), "p = 0.0043");
        assert_eq!(format_p(0.0996), "p = 0.1");
        assert_eq!(format_p(0.05), "p = 0.05");
        assert_eq!(format_p(1.0), "p = 1");
        assert_eq!(format_p(0.0009), "p < 0.001");
        assert_eq!(format_p(0.001), "p = 0.001");
        assert_eq!(pct(-0.00001), "0.0");
        assert_eq!(pct(0.04), "4.0");
        assert_eq!(round_up_2sig(686), 690);
        assert_eq!(round_up_2sig(12), 12);
        assert_eq!(round_up_2sig(100), 100);
        assert_eq!(round_up_2sig(1_234_567), 1_300_000);
        assert_eq!(group_digits(1_300_000), "1,300,000");
        assert_eq!(group_digits(790), "790");
    }
}
