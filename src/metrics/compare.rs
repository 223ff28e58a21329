//! Comparing two groups on one rate (SPEC §3 "Groups"): group A with `k1` successes out
//! of `n1` against group B with `k2` out of `n2`, as two independent proportions.
//!
//! - [`newcombe_diff`]: the difference p1 − p2 with Newcombe's hybrid score interval.
//! - [`fisher_exact_two_sided`] and [`two_proportion_z`]: the two tests, and [`compare`],
//!   which picks Fisher's exact test where any expected cell of the 2×2 table is below 5
//!   and the pooled z-test otherwise.
//! - [`holm`]: Holm's step-down adjustment when several rates are compared at once.
//! - [`is_meaningful`]: the one rule for a meaningful difference; the plain-English
//!   sentence built on it is in [`super::verdict`].
//!
//! Everything is plain f64 and never panics. Counts are taken as they come, except that
//! a success count above its total is read as the total (`k.min(n)`): a caller bug must
//! not turn into NaN in a report. An empty group (`n = 0`) has no rate: functions that
//! return a rate or an interval return `None`, and the Fisher p-value is 1 (only one
//! table is possible, so there is no evidence either way).
//!
//! Cadences in a CRM are not randomised: the wording is "associated with", never "causes".

use super::stats::wilson;

/// The 80% standard normal quantile: z_β for a test with 80% power.
pub const Z80: f64 = 0.841_621_233_572_914_3;

/// Significance level of every test in this module (two-sided).
pub const ALPHA: f64 = 0.05;

/// Below this expected count in any cell of the 2×2 table, [`compare`] uses Fisher's
/// exact test instead of the z-test.
pub const MIN_EXPECTED: f64 = 5.0;

/// Newcombe's hybrid score interval (Newcombe 1998, method 10) for p1 − p2, built from
/// the two 95% Wilson intervals (l1, u1) and (l2, u2):
/// L = d − sqrt((p1 − l1)² + (u2 − p2)²), U = d + sqrt((u1 − p1)² + (p2 − l2)²).
///
/// Returns `(d, L, U)` with d = k1/n1 − k2/n2, all fractions (not percentage points);
/// `None` when `n1` or `n2` is 0. The bounds always lie in [−1, 1] and L ≤ d ≤ U.
pub fn newcombe_diff(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<(f64, f64, f64)> {
    let (k1, k2) = (k1.min(n1), k2.min(n2));
    let (l1, u1) = wilson(k1, n1)?;
    let (l2, u2) = wilson(k2, n2)?;
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let d = p1 - p2;
    // max(0): Wilson bounds contain p mathematically; guard the last bit of rounding.
    let low = d - ((p1 - l1).max(0.0).powi(2) + (u2 - p2).max(0.0).powi(2)).sqrt();
    let high = d + ((u1 - p1).max(0.0).powi(2) + (p2 - l2).max(0.0).powi(2)).sqrt();
    Some((d, low.clamp(-1.0, d), high.clamp(d, 1.0)))
}

/// Two-sided Fisher exact p-value for the 2×2 table
/// `[[k1, n1 − k1], [k2, n2 − k2]]`, conditional on both margins.
///
/// As R's `fisher.test`: the sum of the hypergeometric probabilities of every table
/// whose probability is at most the observed one times (1 + 10⁻⁷), so that tables tied
/// with the observed one up to rounding are counted. Probabilities are computed in log
/// space (ln n! by an exact table below 20 and Stirling's series above), so totals up to
/// millions work. The result is in [0, 1]; it is 1 when either group is empty or when no
/// success (or no failure) occurred at all, since then only one table is possible.
pub fn fisher_exact_two_sided(k1: u64, n1: u64, k2: u64, n2: u64) -> f64 {
    let (k1, k2) = (k1.min(n1), k2.min(n2));
    let n = n1 + n2;
    let m = k1 + k2; // successes, the first column total
                     // x = successes in group A ranges over lo..=hi given the margins.
    let lo = m.saturating_sub(n2);
    let hi = m.min(n1);
    if lo == hi {
        return 1.0;
    }
    let fixed = ln_factorial(n1) + ln_factorial(n2) + ln_factorial(m) + ln_factorial(n - m) - ln_factorial(n);
    let ln_p = |x: u64| fixed - ln_factorial(x) - ln_factorial(n1 - x) - ln_factorial(m - x) - ln_factorial(n2 + x - m);
    let cut = ln_p(k1) + (1e-7_f64).ln_1p();
    let mut sum = 0.0;
    for x in lo..=hi {
        let l = ln_p(x);
        if l <= cut {
            sum += l.exp();
        }
    }
    sum.clamp(0.0, 1.0)
}

/// Pooled two-proportion z-test of p1 = p2: z = (p1 − p2) / sqrt(p̄(1 − p̄)(1/n1 + 1/n2))
/// with p̄ = (k1 + k2)/(n1 + n2), and the two-sided p-value 2·(1 − Φ(|z|)).
///
/// Returns `(z, p)`; `None` when `n1` or `n2` is 0, or when p̄ is 0 or 1 (no success or
/// no failure at all: the standard error is 0 and z is undefined).
pub fn two_proportion_z(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<(f64, f64)> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (k1, k2) = (k1.min(n1), k2.min(n2));
    if k1 + k2 == 0 || k1 + k2 == n1 + n2 {
        return None;
    }
    let (a, b) = (n1 as f64, n2 as f64);
    let pooled = (k1 + k2) as f64 / (a + b);
    let se = (pooled * (1.0 - pooled) * (1.0 / a + 1.0 / b)).sqrt();
    let z = (k1 as f64 / a - k2 as f64 / b) / se;
    // 2·(1 − Φ(|z|)) = erfc(|z|/√2), without the cancellation of 1 − Φ.
    let p = erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0);
    Some((z, p))
}

/// Standard normal cumulative distribution function Φ(x) = erfc(−x/√2)/2.
///
/// Relative accuracy about 1e-14 for x > −9 (see [`erfc`]); in the upper tail Φ rounds
/// to 1, use `erfc(x / √2) / 2` for 1 − Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Complementary error function erfc(x) = 1 − erf(x), accurate to about 1e-14 relative
/// below x = 9 and 1e-13 beyond
/// (where the rounding of x² in e^(−x²) dominates).
///
/// For |x| < 1 it uses the everywhere-positive series
/// erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (no cancellation between terms);
/// for x ≥ 1 the continued fraction
/// erfc(x) = (e^(−x²)/√π)·1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) evaluated by the
/// modified Lentz method (at most about 200 terms, at x = 1); erfc(−x) = 2 − erfc(x).
/// NaN gives NaN. Checked against python3's `math.erfc` on a grid over 0..26.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 1.0 {
        1.0 - erf_series(x)
    } else if x > 27.3 {
        0.0 // below the smallest subnormal f64
    } else {
        erfc_continued_fraction(x)
    }
}

/// erf(x) for 0 ≤ x < 1 by the positive series (see [`erfc`]).
fn erf_series(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = x;
    let mut sum = x;
    for n in 1..200 {
        term *= 2.0 * x2 / (2 * n + 1) as f64;
        sum += term;
        if term <= sum * 1e-17 {
            break;
        }
    }
    2.0 / std::f64::consts::PI.sqrt() * (-x2).exp() * sum
}

/// erfc(x) for x ≥ 1 by the continued fraction (modified Lentz; see [`erfc`]).
fn erfc_continued_fraction(x: f64) -> f64 {
    // K = 1/(x + a1/(x + a2/(x + …))) with a_j = j/2: b0 = 0, then b_j = x.
    const TINY: f64 = 1e-300;
    let mut f = TINY;
    let mut c = f;
    let mut d = 0.0;
    for j in 1..500 {
        let a = if j == 1 { 1.0 } else { (j - 1) as f64 / 2.0 };
        d = x + a * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = x + a / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / std::f64::consts::PI.sqrt() * f
}

/// n! for n ≤ 20, exact in u64.
const FACTORIALS: [u64; 21] = {
    let mut t = [1u64; 21];
    let mut i = 1;
    while i < 21 {
        t[i] = t[i - 1] * i as u64;
        i += 1;
    }
    t
};

/// ln n!: exact table below 21, Stirling's series above (error below 2e-15 absolute).
fn ln_factorial(n: u64) -> f64 {
    if n <= 20 {
        return (FACTORIALS[n as usize] as f64).ln();
    }
    let x = n as f64;
    let r = 1.0 / x;
    let r2 = r * r;
    // ln n! = n ln n − n + ½ ln(2πn) + 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷)
    let series = r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 / 1680.0)));
    x * x.ln() - x + 0.5 * (std::f64::consts::TAU * x).ln() + series
}

/// Which test produced [`Comparison::p_value`]; in JSON and CSV `fisher_exact` or
/// `pooled_z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// Fisher's exact test (some expected cell below [`MIN_EXPECTED`]).
    FisherExact,
    /// The pooled two-proportion z-test (every expected cell at least [`MIN_EXPECTED`]).
    PooledZ,
}

super::schema::named!(Test { FisherExact => "fisher_exact", PooledZ => "pooled_z" });

/// The one rule for a meaningful difference at the 5% level: `p` (Holm-adjusted where
/// several rates are compared) below [`ALPHA`] and the 95% interval `[low, high]` of
/// the difference clear of 0 — both must agree, so a verdict never contradicts its own
/// interval. [`Comparison::is_meaningful`] and the groups' comparisons in metrics.json
/// both call it; renderers read the result, never re-derive it.
pub fn is_meaningful(p: f64, low: f64, high: f64) -> bool {
    p < ALPHA && (low > 0.0 || high < 0.0)
}

/// Group A against group B on one rate: estimate, interval and test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Rate of group A, k1/n1.
    pub p1: f64,
    /// Rate of group B, k2/n2.
    pub p2: f64,
    /// p1 − p2 (a fraction: 0.04 is 4 percentage points).
    pub diff: f64,
    /// Lower 95% Newcombe bound of `diff`.
    pub low: f64,
    /// Upper 95% Newcombe bound of `diff`.
    pub high: f64,
    /// Two-sided p-value of `test` (not adjusted for multiple comparisons: see [`holm`]).
    pub p_value: f64,
    /// The test used.
    pub test: Test,
    /// The z statistic when `test` is [`Test::PooledZ`].
    pub z: Option<f64>,
    /// The smallest expected cell count of the 2×2 table (row total × column total / N).
    pub min_expected: f64,
}

impl Comparison {
    /// Whether the difference is meaningful at the 5% level: p < [`ALPHA`] and the 95%
    /// interval excludes 0 (both must agree, so the sentence never contradicts its
    /// own interval).
    pub fn is_meaningful(&self) -> bool {
        is_meaningful(self.p_value, self.low, self.high)
    }
}

/// Compares group A (k1 of n1) with group B (k2 of n2): the Newcombe difference and, as
/// SPEC §3 "Groups" says, Fisher's exact test where any expected cell count (row total ×
/// column total / N of the table `[[k1, n1 − k1], [k2, n2 − k2]]`) is below 5, else the
/// pooled two-proportion z-test.
///
/// `None` when `n1` or `n2` is 0 (a group with no deals has no rate to compare).
pub fn compare(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<Comparison> {
    let (k1, k2) = (k1.min(n1), k2.min(n2));
    let (diff, low, high) = newcombe_diff(k1, n1, k2, n2)?;
    let n = (n1 + n2) as f64;
    let m = (k1 + k2) as f64;
    let min_expected = n1.min(n2) as f64 * m.min(n - m) / n;
    let z = if min_expected < MIN_EXPECTED { None } else { two_proportion_z(k1, n1, k2, n2) };
    let (test, p_value, z) = match z {
        Some((z, p)) => (Test::PooledZ, p, Some(z)),
        None => (Test::FisherExact, fisher_exact_two_sided(k1, n1, k2, n2), None),
    };
    Some(Comparison {
        p1: k1 as f64 / n1 as f64,
        p2: k2 as f64 / n2 as f64,
        diff,
        low,
        high,
        p_value,
        test,
        z,
        min_expected,
    })
}

/// Holm's step-down adjusted p-values, in the input order: with the m p-values sorted
/// ascending, adj₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎) (1-based), as R's
/// `p.adjust(p, "holm")`.
///
/// Each output is ≥ its input, at most 1, and the outputs are monotone in the order of
/// the inputs. NaN inputs stay NaN and are left out of m (as R does with `NA`).
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len()).filter(|&i| !p_values[i].is_nan()).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let m = order.len();
    let mut out = vec![f64::NAN; p_values.len()];
    let mut running = 0.0_f64;
    for (j, &i) in order.iter().enumerate() {
        let adj = ((m - j) as f64 * p_values[i]).min(1.0);
        running = running.max(adj);
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::stats::Z95;
    use crate::metrics::verdict::verdict;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Asserts d, L, U to the 4 decimals a paper prints.
    fn check_newcombe(k1: u64, n1: u64, k2: u64, n2: u64, want: (f64, f64, f64)) {
        let got = newcombe_diff(k1, n1, k2, n2).expect("non-empty groups");
        assert!(
            close(got.0, want.0, 5e-5) && close(got.1, want.1, 5e-5) && close(got.2, want.2, 5e-5),
            "{k1}/{n1} vs {k2}/{n2}: got {got:?}, want {want:?}"
        );
    }

    #[test]
    fn newcombe_method_10_matches_published_examples() {
        // Newcombe RG (1998), "Interval estimation for the difference between independent
        // proportions: comparison of eleven methods", Statistics in Medicine 17:873-890,
        // Table II, method 10 (hybrid score, no continuity correction).
        check_newcombe(56, 70, 48, 80, (0.2000, 0.0524, 0.3339)); // example (a)
        check_newcombe(9, 10, 3, 10, (0.6000, 0.1705, 0.8090)); // example (b)
        check_newcombe(5, 56, 0, 29, (0.0893, -0.0381, 0.1926)); // example (d)
        check_newcombe(0, 10, 0, 20, (0.0, -0.1611, 0.2775)); // example (e)
        check_newcombe(0, 10, 0, 10, (0.0, -0.2775, 0.2775)); // example (f)
    }

    #[test]
    fn newcombe_method_10_hand_derived_examples() {
        // Newcombe 1998 Table II examples (c), (g), (h): the values recalled for these
        // rows could not be confirmed, so they are derived here by hand from the
        // formula, with python3 as the calculator (Wilson bounds rounded to 4 places):
        // (c) 6/7 vs 2/7: Wilson 0.4869..0.9743 and 0.0822..0.6411;
        //     L = 0.5714 - sqrt(0.0845^2 + 0.0697^2) = 0.0582,
        //     U = 0.5714 + sqrt(0.1171^2 + 0.2035^2) = 0.8062.
        // (g) 10/10 vs 0/20: Wilson 0.7225..1 and 0..0.1611;
        //     L = 1 - sqrt(0.2775^2 + 0.1611^2) = 0.6791, U = 1.
        // (h) 10/10 vs 0/10: L = 1 - sqrt(2)*0.2775 = 0.6075, U = 1.
        // (A lower bound of 0.7225 for (g) would be the Wilson bound of 10/10 alone.)
        check_newcombe(6, 7, 2, 7, (0.5714, 0.0582, 0.8062));
        check_newcombe(10, 10, 0, 20, (1.0, 0.6791, 1.0));
        check_newcombe(10, 10, 0, 10, (1.0, 0.6075, 1.0));
    }

    #[test]
    fn newcombe_empty_group_and_antisymmetry() {
        assert_eq!(newcombe_diff(0, 0, 3, 10), None);
        assert_eq!(newcombe_diff(3, 10, 0, 0), None);
        // Swapping groups negates the difference and mirrors the interval.
        let (d, l, h) = newcombe_diff(56, 70, 48, 80).expect("groups");
        let (d2, l2, h2) = newcombe_diff(48, 80, 56, 70).expect("groups");
        assert!(close(d, -d2, 1e-15) && close(l, -h2, 1e-15) && close(h, -l2, 1e-15));
    }

    #[test]
    fn fisher_matches_r() {
        // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857 (Fisher's tea
        // tasting table of R's ?fisher.test, two-sided; the one-sided "greater" of the
        // help page is 0.2429). Exactly 34/70 = 0.4857143 (python3 math.comb).
        assert!(close(fisher_exact_two_sided(3, 4, 1, 4), 34.0 / 70.0, 1e-12));
        // R: fisher.test(matrix(c(1, 9, 11, 3), 2))$p.value = 0.002759 (the 1, 9 / 11, 3
        // table, also the dieting example of the Wikipedia article "Fisher's exact
        // test"). R is not installed here: confirmed by the exact sum with python3
        // math.comb and R's 1 + 1e-7 rule, 0.002759456185220083.
        // Rows of that matrix are (1, 11) and (9, 3): group A 1 of 12, group B 9 of 12;
        // the columns as groups (1 of 10 vs 11 of 14) is the same test.
        assert!(close(fisher_exact_two_sided(1, 12, 9, 12), 0.002759456185220083, 1e-12));
        assert!(close(fisher_exact_two_sided(1, 10, 11, 14), 0.002759456185220083, 1e-12));
    }

    #[test]
    fn fisher_is_symmetric_and_safe() {
        for &(k1, n1, k2, n2) in &[(3, 4, 1, 4), (1, 12, 9, 12), (5, 56, 0, 29), (120, 1000, 100, 1000)] {
            let p = fisher_exact_two_sided(k1, n1, k2, n2);
            let swapped = fisher_exact_two_sided(k2, n2, k1, n1);
            // Successes and failures swapped: the same table mirrored.
            let flipped = fisher_exact_two_sided(n1 - k1, n1, n2 - k2, n2);
            assert!(close(p, swapped, 1e-9) && close(p, flipped, 1e-9), "{p} {swapped} {flipped}");
        }
        assert_eq!(fisher_exact_two_sided(0, 0, 0, 0), 1.0);
        assert_eq!(fisher_exact_two_sided(0, 0, 5, 9), 1.0);
        assert_eq!(fisher_exact_two_sided(0, 10, 0, 20), 1.0);
        assert_eq!(fisher_exact_two_sided(10, 10, 20, 20), 1.0);
        // Identical rates: the observed table is the mode, p = 1.
        assert!(close(fisher_exact_two_sided(5, 10, 5, 10), 1.0, 1e-12));
    }

    #[test]
    fn fisher_large_tables_agree_with_z() {
        // 120/1000 vs 100/1000: exact sum with python3 math.comb = 0.17440710410433727.
        assert!(close(fisher_exact_two_sided(120, 1000, 100, 1000), 0.17440710410433727, 1e-9));
        // 2400/20000 vs 2260/20000: exact integer sum with python3 math.comb (12 s there)
        // = 0.030279734708747133; log space keeps about 1e-10 relative.
        assert!(close(fisher_exact_two_sided(2400, 20_000, 2260, 20_000), 0.030279734708747133, 1e-11));
        // With large counts the exact test and the z-test nearly agree.
        let f = fisher_exact_two_sided(12_000, 100_000, 11_700, 100_000);
        let (_, z) = two_proportion_z(12_000, 100_000, 11_700, 100_000).expect("z");
        assert!((f - z).abs() < 0.01 && f > 0.0 && f < 1.0, "fisher {f} z {z}");
        // n of a million per group (log space, no overflow, fast enough).
        let f = fisher_exact_two_sided(120_000, 1_000_000, 119_000, 1_000_000);
        let (_, z) = two_proportion_z(120_000, 1_000_000, 119_000, 1_000_000).expect("z");
        assert!((f - z).abs() < 0.005, "fisher {f} z {z}");
    }

    #[test]
    fn ln_factorial_matches_lgamma() {
        // python3 math.lgamma(n + 1).
        for &(n, want) in &[
            (0u64, 0.0),
            (5, 4.787491742782047),
            (19, 39.339884187199495),
            (20, 42.335616460753485),
            (21, 45.38013889847691),
            (50, 148.47776695177305),
            (100, 363.73937555556347),
            (1000, 5912.128178488163),
            (1_000_000, 12815518.384658169),
            (2_000_000, 27017323.65031588),
        ] {
            assert!(close(ln_factorial(n), want, 1e-13 * want.max(1.0)), "{n}: {} vs {want}", ln_factorial(n));
        }
    }

    #[test]
    fn erfc_and_normal_cdf_match_reference() {
        // python3 math.erfc.
        for &(x, want) in &[
            (0.0, 1.0),
            (0.1, 0.8875370839817152),
            (0.5, 0.4795001221869535),
            (1.0, 0.15729920705028513),
            (1.5, 0.033894853524689274),
            (2.0, 0.004677734981047265),
            (2.4, 0.0006885138966450789),
            (2.5, 0.0004069520174449589),
            (2.6, 0.00023603441652934908),
            (3.0, 2.2090496998585438e-05),
            (4.0, 1.541725790028002e-08),
            (5.0, 1.5374597944280351e-12),
            (6.0, 2.1519736712498916e-17),
            (8.0, 1.1224297172982928e-29),
            (10.0, 2.088487583762545e-45),
            (20.0, 5.3958656116079005e-176),
            (26.0, 5.663192408856143e-296),
            (-1.0, 1.842700792949715),
        ] {
            assert!(close(erfc(x), want, 1e-13 * want), "erfc({x}) = {:e}, want {want:e}", erfc(x));
        }
        assert_eq!(erfc(40.0), 0.0);
        assert_eq!(erfc(-40.0), 2.0);
        assert!(erfc(f64::NAN).is_nan());
        // Standard normal table: Φ(1.959964) = 0.975, Φ(−3) = 0.0013499, Φ(0) = 0.5.
        assert!(close(normal_cdf(1.959964), 0.975, 1e-8));
        assert!(close(normal_cdf(-3.0), 0.0013498980316300957, 1e-15));
        assert!(close(normal_cdf(Z95), 0.975, 1e-15));
        assert_eq!(normal_cdf(0.0), 0.5);
    }

    #[test]
    fn z_test_hand_computed() {
        // 120/1000 vs 100/1000, computed with python3 as the calculator:
        // p̄ = 0.11, se = sqrt(0.11·0.89·(2/1000)) = 0.0139929, z = 0.02/se = 1.4293008498,
        // p = math.erfc(z/sqrt(2)) = 0.1529177818639462.
        let (z, p) = two_proportion_z(120, 1000, 100, 1000).expect("z");
        assert!(close(z, 1.4293008498232314, 1e-12) && close(p, 0.1529177818639462, 1e-12), "{z} {p}");
        let (z2, p2) = two_proportion_z(100, 1000, 120, 1000).expect("z");
        assert!(close(z2, -z, 1e-12) && close(p2, p, 1e-15));
        assert_eq!(two_proportion_z(1, 0, 1, 10), None);
        assert_eq!(two_proportion_z(0, 10, 0, 10), None);
        assert_eq!(two_proportion_z(10, 10, 5, 5), None);
    }

    #[test]
    fn compare_picks_the_test_by_expected_counts() {
        // 5/56 vs 0/29: expected successes in group B = 29·5/85 = 1.7 < 5 → Fisher.
        let c = compare(5, 56, 0, 29).expect("groups");
        assert_eq!(c.test, Test::FisherExact);
        assert!(close(c.min_expected, 29.0 * 5.0 / 85.0, 1e-12));
        assert!(close(c.p_value, fisher_exact_two_sided(5, 56, 0, 29), 0.0) && c.z.is_none());
        assert!(close(c.low, -0.0381, 5e-5) && close(c.high, 0.1926, 5e-5));
        // 120/1000 vs 100/1000: smallest expected cell 110 → pooled z.
        let c = compare(120, 1000, 100, 1000).expect("groups");
        assert_eq!(c.test, Test::PooledZ);
        assert!(close(c.p_value, 0.1529177818639462, 1e-12));
        assert!(close(c.z.expect("z"), 1.4293008498232314, 1e-12));
        assert!(close(c.diff, 0.02, 1e-15) && close(c.p1, 0.12, 1e-15) && close(c.p2, 0.1, 1e-15));
        // Boundary: all expected cells exactly 5 (10 vs 10 deals, 10 successes) → z.
        assert_eq!(compare(6, 10, 4, 10).expect("groups").test, Test::PooledZ);
        assert_eq!(compare(6, 10, 3, 10).expect("groups").test, Test::FisherExact);
        // Empty group, and all-zero or all-success groups: no panic.
        assert_eq!(compare(0, 0, 3, 10), None);
        let c = compare(0, 10, 0, 20).expect("groups");
        assert_eq!((c.test, c.p_value), (Test::FisherExact, 1.0));
        assert_eq!(Test::FisherExact.as_str(), "fisher_exact");
        assert_eq!(Test::PooledZ.as_str(), "pooled_z");
    }

    #[test]
    fn holm_matches_r() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02.
        let got = holm(&[0.01, 0.04, 0.03, 0.005]);
        for (g, w) in got.iter().zip([0.03, 0.06, 0.06, 0.02]) {
            assert!(close(*g, w, 1e-15), "{got:?}");
        }
        assert!(holm(&[]).is_empty());
        assert_eq!(holm(&[0.7]), vec![0.7]);
        assert_eq!(holm(&[0.6, 0.9]), vec![1.0, 1.0]);
        let with_nan = holm(&[0.01, f64::NAN, 0.04]);
        assert!(close(with_nan[0], 0.02, 1e-15) && with_nan[1].is_nan() && close(with_nan[2], 0.04, 1e-15));
    }

    proptest! {
        #[test]
        fn newcombe_contains_estimate_within_bounds(n1 in 1u64..500, n2 in 1u64..500, a in 0.0f64..=1.0, b in 0.0f64..=1.0) {
            let (k1, k2) = ((a * n1 as f64) as u64, (b * n2 as f64) as u64);
            let (d, l, h) = newcombe_diff(k1, n1, k2, n2).expect("non-empty");
            prop_assert!(-1.0 <= l && l <= d && d <= h && h <= 1.0, "{} {} {}", l, d, h);
        }

        #[test]
        fn fisher_p_is_a_probability(n1 in 0u64..300, n2 in 0u64..300, a in 0.0f64..=1.0, b in 0.0f64..=1.0) {
            let (k1, k2) = ((a * n1 as f64) as u64, (b * n2 as f64) as u64);
            let p = fisher_exact_two_sided(k1, n1, k2, n2);
            prop_assert!((0.0..=1.0).contains(&p), "{}", p);
            prop_assert!((p - fisher_exact_two_sided(k2, n2, k1, n1)).abs() < 1e-9);
        }

        #[test]
        fn holm_is_monotone_and_conservative(ps in proptest::collection::vec(0.0f64..=1.0, 0..20)) {
            let adj = holm(&ps);
            prop_assert_eq!(adj.len(), ps.len());
            for (p, q) in ps.iter().zip(&adj) {
                prop_assert!(q >= p && *q <= 1.0);
            }
            let mut idx: Vec<usize> = (0..ps.len()).collect();
            idx.sort_by(|&i, &j| ps[i].total_cmp(&ps[j]));
            for w in idx.windows(2) {
                prop_assert!(adj[w[0]] <= adj[w[1]]);
            }
        }

        #[test]
        fn compare_never_panics(k1 in 0u64..2000, n1 in 0u64..2000, k2 in 0u64..2000, n2 in 0u64..2000) {
            if let Some(c) = compare(k1, n1, k2, n2) {
                prop_assert!((0.0..=1.0).contains(&c.p_value));
                let _ = verdict(&c, n1, n2, "rate");
            }
        }
    }
}
