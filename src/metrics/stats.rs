//! Plain f64 statistics: the Wilson score interval for a proportion and the
//! Kaplan–Meier cumulative with Greenwood's variance on the log(−log) scale
//! (SPEC §3 rule 4); and the i-th of values given as counts (the medians of rules 5 and
//! 9).

/// The 97.5% standard normal quantile (two-sided 95% intervals).
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson 95% score interval for `k` successes out of `n`; `None` when `n` is 0.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The `i`-th (from 0) of values given in ascending order with how many times each
/// occurs; `None` past the last.
pub fn nth_counted<T>(counts: impl IntoIterator<Item = (T, u64)>, i: u64) -> Option<T> {
    let mut seen = 0u64;
    counts.into_iter().find_map(|(v, c)| {
        seen = seen.saturating_add(c);
        (seen > i).then_some(v)
    })
}

/// One step of the Kaplan–Meier cumulative response curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmPoint {
    /// 1 − S_k: share responding by touch k if followed up that far.
    pub cumulative: f64,
    /// Lower 95% bound; `None` where S_k is 0 or 1.
    pub low: Option<f64>,
    /// Upper 95% bound; `None` where S_k is 0 or 1.
    pub high: Option<f64>,
}

/// The Kaplan–Meier curve over touches 1..=K from (sent_k, responded_k) pairs.
///
/// A touch with `sent = 0` contributes a factor 1 (nobody at risk: no information).
/// The interval is Greenwood's variance on the log(−log S) scale:
/// se = sqrt(Σ d/(n(n−d))) / |ln S|, S_low = S^exp(z·se), S_high = S^exp(−z·se).
pub fn kaplan_meier(steps: &[(u64, u64)]) -> Vec<KmPoint> {
    let mut s = 1.0_f64;
    let mut greenwood = 0.0_f64;
    let mut out = Vec::with_capacity(steps.len());
    for &(n, d) in steps {
        if n > 0 {
            s *= 1.0 - d as f64 / n as f64;
            if d < n {
                greenwood += d as f64 / (n as f64 * (n - d) as f64);
            }
        }
        let (low, high) = if s > 0.0 && s < 1.0 {
            let se = greenwood.sqrt() / s.ln().abs();
            let s_low = s.powf((Z95 * se).exp());
            let s_high = s.powf((-Z95 * se).exp());
            (Some(1.0 - s_high), Some(1.0 - s_low))
        } else {
            (None, None)
        };
        out.push(KmPoint { cumulative: 1.0 - s, low, high });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_of_counted_values_skips_values_counted_zero_times() {
        // 4, 4, 6 (7 counted zero times), 9.
        let counts = [(4, 2), (6, 1), (7, 0), (9, 1)];
        let nth: Vec<Option<i32>> = (0..5).map(|i| nth_counted(counts, i)).collect();
        assert_eq!(nth, [Some(4), Some(4), Some(6), Some(9), None]);
        assert_eq!(nth_counted(Vec::<(i32, u64)>::new(), 0), None);
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score):
        // 81/263 -> 0.2553 to 0.3662; 15/148 -> 0.0624 to 0.1605; 0/20 -> 0 to 0.1611.
        let (l, h) = wilson(81, 263).unwrap();
        assert!(close(l, 0.2553) && close(h, 0.3662), "{l} {h}");
        let (l, h) = wilson(15, 148).unwrap();
        assert!(close(l, 0.0624) && close(h, 0.1605), "{l} {h}");
        let (l, h) = wilson(0, 20).unwrap();
        assert!(l == 0.0 && close(h, 0.1611), "{l} {h}");
        assert_eq!(wilson(3, 0), None);
    }

    #[test]
    fn km_with_greenwood_loglog_interval() {
        // Two steps: 10 at risk, 2 respond; 8 at risk, 2 respond.
        // S1 = 0.8, S2 = 0.6; V2 = 2/(10*8) + 2/(8*6) = 0.0666667.
        let km = kaplan_meier(&[(10, 2), (8, 2)]);
        assert!(close(km[0].cumulative, 0.2) && close(km[1].cumulative, 0.4));
        let se: f64 = (2.0_f64 / 80.0 + 2.0 / 48.0).sqrt() / 0.6_f64.ln().abs();
        let lo = 1.0 - 0.6_f64.powf((-Z95 * se).exp());
        let hi = 1.0 - 0.6_f64.powf((Z95 * se).exp());
        assert!(close(km[1].low.unwrap(), lo) && close(km[1].high.unwrap(), hi));
        // Hand value: se = 0.505454, exp(±z·se) = 2.693043 / 0.371327, bounds 0.172779 .. 0.747331.
        assert!(close(km[1].low.unwrap(), 0.172779) && close(km[1].high.unwrap(), 0.747331), "{:?}", km[1]);
    }

    #[test]
    fn km_interval_is_null_at_zero_and_one() {
        let km = kaplan_meier(&[(5, 0), (5, 5), (0, 0)]);
        assert_eq!((km[0].cumulative, km[0].low), (0.0, None));
        assert_eq!((km[1].cumulative, km[1].high), (1.0, None));
        assert_eq!(km[2].cumulative, 1.0);
    }
}
