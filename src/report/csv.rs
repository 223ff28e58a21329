//! The CSV outputs: `tables/*.csv` and `rejected.csv`. Cells that start with `=`, `+`,
//! `-` or `@` are prefixed with `'` so a spreadsheet shows them as text instead of
//! running them as formulas (SPEC §5); numbers are written as numbers.

use crate::error::{Error, Result};
use crate::ingest::RejectedRow;
use crate::metrics::due::GapFrom;
use crate::metrics::Metrics;
use crate::model::Dimension;
use crate::time::civil_from_days;

mod timing;
pub use timing::{competing_outcomes, late_answers, reply_delay, spacing, speed_to_answer, waiting_on_us};

/// Neutralises a text cell that a spreadsheet would read as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn finish(w: csv::Writer<Vec<u8>>, what: &str) -> Result<Vec<u8>> {
    w.into_inner().map_err(|e| Error::Render { what: what.into(), message: e.to_string() })
}

fn err(what: &str) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::Render { what: what.into(), message: e.to_string() }
}

/// `tables/response_by_touch.csv`.
pub fn response_by_touch(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/response_by_touch.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "touch",
        "sent",
        "responded",
        "rate",
        "ci_low",
        "ci_high",
        "cumulative",
        "cumulative_km",
        "km_low",
        "km_high",
    ])
    .map_err(err(what))?;
    for r in &m.response_by_touch {
        w.write_record([
            r.touch.to_string(),
            r.sent.to_string(),
            r.responded.to_string(),
            num(r.rate),
            num(r.ci_low),
            num(r.ci_high),
            num(r.cumulative),
            num(r.cumulative_km),
            num(r.km_low),
            num(r.km_high),
        ])
        .map_err(err(what))?;
    }
    finish(w, what)
}

/// `tables/touches_to_close.csv`: deals per touch count, won beside lost.
pub fn touches_to_close(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/touches_to_close.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["touches", "won_deals", "lost_deals"]).map_err(err(what))?;
    let won = &m.touches_to_close.stats.histogram;
    let lost = &m.touches_before_loss.stats.histogram;
    let max = won.iter().chain(lost).map(|b| b.touches).max().unwrap_or(0);
    let get = |h: &[crate::metrics::Bin], n| h.iter().find(|b| b.touches == n).map_or(0, |b| b.deals);
    for n in 1..=max {
        w.write_record([n.to_string(), get(won, n).to_string(), get(lost, n).to_string()]).map_err(err(what))?;
    }
    finish(w, what)
}

/// `tables/cohorts.csv`: one row per month of touch 1.
pub fn cohorts(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/cohorts.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["month_of_touch_1", "deals", "touch_1_sent"].map(String::from).to_vec();
    header.extend((1..=crate::metrics::cohorts::COHORT_TOUCHES).map(|k| format!("response_km_{k}")));
    for d in crate::metrics::cohorts::WON_WITHIN_DAYS {
        header.extend([format!("eligible_{d}d"), format!("won_{d}d"), format!("won_within_{d}d")]);
    }
    w.write_record(&header).map_err(err(what))?;
    for c in &m.cohorts {
        let mut row = vec![c.month.clone(), c.deals.to_string(), c.touch_1_sent.to_string()];
        row.extend(c.response_km.iter().map(|v| num(*v)));
        for x in &c.won_within {
            row.extend([x.eligible.to_string(), x.won.to_string(), num(x.rate)]);
        }
        w.write_record(&row).map_err(err(what))?;
    }
    finish(w, what)
}

/// `tables/groups_<dimension>.csv`: one row per group with its headline figures.
pub fn groups(m: &Metrics, dimension: &Dimension) -> Result<Vec<u8>> {
    let what = "tables/groups.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "group",
        "deals",
        "won",
        "lost",
        "open",
        "touch_1_sent",
        "touch_1_rate",
        "response_km_touch",
        "response_km",
        "touches_to_close_mean",
        "touches_to_close_median",
        "followed_up",
        "conversion_rate",
        "single_touch_rate",
        "recovered_deals",
        "recovered_by_currency",
    ])
    .map_err(err(what))?;
    for g in m.groups.get(dimension).map_or(&[][..], Vec::as_slice) {
        let d = g.deals.as_ref();
        let first = g.response_by_touch.first();
        let km = crate::metrics::TouchRate::by_touch_5(&g.response_by_touch);
        let conv = g.conversion_after_follow_up.as_ref();
        let ttc = g.touches_to_close.as_ref();
        let rec = g.revenue_recovered.as_ref();
        let opt = |v: Option<usize>| v.map(|x| x.to_string()).unwrap_or_default();
        w.write_record([
            neutralise(&g.key).into_owned(),
            opt(d.map(|d| d.total)),
            opt(d.map(|d| d.won)),
            opt(d.map(|d| d.lost)),
            opt(d.map(|d| d.open)),
            first.map_or(String::new(), |r| r.sent.to_string()),
            num(first.and_then(|r| r.rate)),
            km.map_or(String::new(), |r| r.touch.to_string()),
            num(km.and_then(|r| r.cumulative_km)),
            num(ttc.and_then(|t| t.stats.mean)),
            num(ttc.and_then(|t| t.stats.median)),
            opt(conv.map(|c| c.followed_up)),
            num(conv.and_then(|c| c.rate)),
            num(conv.and_then(|c| c.single_touch_rate)),
            opt(rec.map(|r| r.deals)),
            rec.map_or(String::new(), |r| {
                r.by_currency.iter().map(|c| format!("{} {}", c.currency, c.amount)).collect::<Vec<_>>().join("; ")
            }),
        ])
        .map_err(err(what))?;
    }
    finish(w, what)
}

/// `tables/comparisons_<dimension>.csv`: every comparison with its test and verdict.
pub fn comparisons(m: &Metrics, dimension: &Dimension) -> Result<Vec<u8>> {
    let what = "tables/comparisons.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "metric",
        "touch",
        "group",
        "versus",
        "successes",
        "trials",
        "other_successes",
        "other_trials",
        "difference",
        "ci_low",
        "ci_high",
        "test",
        "p_value",
        "p_holm",
        "verdict",
    ])
    .map_err(err(what))?;
    if let Some(c) = m.comparisons.get(dimension) {
        for x in &c.list {
            w.write_record([
                x.metric.to_string(),
                x.touch.map(|t| t.to_string()).unwrap_or_default(),
                neutralise(&x.group).into_owned(),
                neutralise(&x.versus).into_owned(),
                x.k1.to_string(),
                x.n1.to_string(),
                x.k2.to_string(),
                x.n2.to_string(),
                x.diff.to_string(),
                x.ci_low.to_string(),
                x.ci_high.to_string(),
                x.test.to_string(),
                x.p_value.to_string(),
                x.p_holm.to_string(),
                neutralise(&x.verdict).into_owned(),
            ])
            .map_err(err(what))?;
        }
    }
    finish(w, what)
}

/// `tables/due_follow_ups.csv`: every deal due a follow-up, most promising first.
pub fn due_follow_ups(due: &crate::metrics::due::DueTable) -> Result<Vec<u8>> {
    due_follow_ups_to(due, Vec::with_capacity(due.len().saturating_mul(128)))
}

/// [`due_follow_ups`] written to `out` (a big export's list is tens of MB: the report
/// streams it into its staging folder rather than holding it). Returns `out`, flushed.
pub fn due_follow_ups_to<W: std::io::Write>(due: &crate::metrics::due::DueTable, out: W) -> Result<W> {
    let what = "tables/due_follow_ups.csv";
    let mut w = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(out);
    w.write_record([
        "rank",
        "deal_id",
        "deal",
        "owner",
        "cadence",
        "touches_so_far",
        "last_touch",
        "days_since",
        "usual_gap_days",
        "gap_from",
        "next_touch",
        "next_touch_response_rate",
        "amount",
        "currency",
    ])
    .map_err(err(what))?;
    // A hundred thousand rows: numbers through itoa and a reused buffer, not fmt; the
    // rates (one per touch number) formatted once each; each row built as one record,
    // which the csv crate copies in whole where no field needs quotes (field by field,
    // its writer took most of the 70 ms of 157,000 rows).
    let mut ints = itoa::Buffer::new();
    let mut buf = String::new();
    let mut rates: rustc_hash::FxHashMap<u64, String> = Default::default();
    let mut row = csv::ByteRecord::new();
    for i in 0..due.len() {
        let r = due.row(i);
        row.clear();
        row.push_field(ints.format(i.saturating_add(1)).as_bytes());
        for text in [due.id(i), due.name(i), due.text.get(r.owner), due.text.get(r.cadence)] {
            row.push_field(neutralise(text).as_bytes());
        }
        row.push_field(ints.format(r.touches).as_bytes());
        buf.clear();
        push_day(&mut buf, r.last_day);
        row.push_field(buf.as_bytes());
        row.push_field(ints.format(r.days_since).as_bytes());
        row.push_field(ints.format(r.gap).as_bytes());
        row.push_field(GapFrom::of(r.planned).as_str().as_bytes());
        row.push_field(ints.format(u64::from(r.touches) + 1).as_bytes());
        match r.rate {
            Some(v) => row.push_field(rates.entry(v.to_bits()).or_insert_with(|| v.to_string()).as_bytes()),
            None => row.push_field(b""),
        }
        buf.clear();
        if let Some(v) = due.amount(i) {
            push_amount(&mut buf, v);
        }
        row.push_field(buf.as_bytes());
        row.push_field(due.text.get(due.currency(i)).as_bytes());
        w.write_byte_record(&row).map_err(err(what))?;
    }
    w.flush().map_err(|e| Error::Render { what: what.into(), message: e.to_string() })?;
    w.into_inner().map_err(|e| Error::Render { what: what.into(), message: e.to_string() })
}

/// Appends day `day` as `YYYY-MM-DD`, as [`crate::time::format_day`] writes it.
fn push_day(buf: &mut String, day: i32) {
    let (y, m, d) = civil_from_days(day);
    match u32::try_from(y).ok().filter(|&y| y <= 9999) {
        Some(y) => {
            let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
            buf.extend([digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-']);
            buf.extend([digit(m / 10), digit(m), '-', digit(d / 10), digit(d)]);
        }
        None => buf.push_str(&crate::time::format_day(day)),
    }
}

/// Appends `v` as `f64`'s `Display` writes it (the shortest text that reads back as
/// `v`). An amount of whole cents below 10^13 is written from its integer count of
/// cents: the decimal n/100 is then the shortest such text, as doubles there are
/// closer than a cent. Anything else goes through `Display`.
fn push_amount(buf: &mut String, v: f64) {
    use std::fmt::Write as _;
    let cents = (v * 100.0).round();
    if v.is_finite() && v > 0.0 && v < 1e13 && cents / 100.0 == v {
        // At most 10^15: exact in an f64 and in a u64.
        let cents = cents as u64;
        let mut ints = itoa::Buffer::new();
        buf.push_str(ints.format(cents / 100));
        let frac = (cents % 100) as u8;
        if frac != 0 {
            buf.push('.');
            buf.push(char::from(b'0' + frac / 10));
            if !frac.is_multiple_of(10) {
                buf.push(char::from(b'0' + frac % 10));
            }
        }
    } else {
        let _ = write!(buf, "{v}");
    }
}

/// `tables/plan_adherence.csv` (with `--cadence-plan`): one row per planned cadence.
pub fn plan_adherence(m: &Metrics) -> Result<Vec<u8>> {
    let what = "tables/plan_adherence.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "cadence",
        "planned_touches",
        "deals",
        "follow_ups_due",
        "follow_ups_sent",
        "share_sent",
        "median_days_late",
        "on_planned_channel",
        "conversion_rate",
        "response_km",
        "response_km_touch",
    ])
    .map_err(err(what))?;
    for a in &m.plan_adherence {
        w.write_record([
            neutralise(&a.cadence).into_owned(),
            a.planned_touches.to_string(),
            a.deals.to_string(),
            a.due.to_string(),
            a.sent.to_string(),
            num(a.share_sent),
            num(a.median_days_late),
            num(a.on_planned_channel),
            num(a.conversion_rate),
            num(a.response_km),
            a.response_km_touch.to_string(),
        ])
        .map_err(err(what))?;
    }
    finish(w, what)
}

/// `rejected.csv`: every row that was not used, with file, line, column, reason and
/// the kind of fault (the reason without the row's values).
pub fn rejected(rows: &[RejectedRow]) -> Result<Vec<u8>> {
    let what = "rejected.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "column", "value", "reason", "kind"]).map_err(err(what))?;
    for r in rows {
        w.write_record([
            neutralise(&r.file).as_ref(),
            &r.line.to_string(),
            neutralise(&r.column).as_ref(),
            neutralise(&r.value).as_ref(),
            neutralise(&r.reason).as_ref(),
            r.kind.word(),
        ])
        .map_err(err(what))?;
    }
    finish(w, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("@SUM"), "'@SUM");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("Acme"), "Acme");
    }

    #[test]
    fn amounts_and_days_read_as_display_writes_them() {
        let amounts = [
            0.0,
            -0.0,
            0.01,
            0.1,
            0.5,
            1.0,
            2150.0,
            60000.86,
            60000.7,
            1234.05,
            0.07,
            1e12 + 0.99,
            9_999_999_999_999.99,
            1e13,
            1e15,
            1e300,
            1e-7,
            0.001,
            0.015,
            -5.25,
            -1.0,
            123.456,
            2.675,
            f64::NAN,
            f64::INFINITY,
        ];
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let random = (0..200_000).map(|_| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let cents = (rng % 10_000_000_000) as f64;
            if rng.is_multiple_of(3) {
                f64::from_bits(rng >> 2)
            } else {
                cents / 100.0
            }
        });
        for v in amounts.into_iter().chain(random) {
            let mut buf = String::new();
            push_amount(&mut buf, v);
            assert_eq!(buf, v.to_string(), "{v:e}");
        }
        for day in (-800_000..3_000_000).step_by(7) {
            let mut buf = String::new();
            push_day(&mut buf, day);
            assert_eq!(buf, crate::time::format_day(day), "{day}");
        }
    }
}
