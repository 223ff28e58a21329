//! The CSV outputs: `tables/*.csv` and `rejected.csv`. Cells that start with `=`, `+`,
//! `-` or `@` are prefixed with `'` so a spreadsheet shows them as text instead of
//! running them as formulas (SPEC §5); numbers are written as numbers.

use crate::error::{Error, Result};
use crate::ingest::RejectedRow;
use crate::metrics::Metrics;

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
    w.write_record(["touch", "sent", "responded", "rate", "ci_low", "ci_high", "cumulative", "cumulative_km", "km_low", "km_high"])
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

/// `rejected.csv`: every row that was not used, with file, line, column and reason.
pub fn rejected(rows: &[RejectedRow]) -> Result<Vec<u8>> {
    let what = "rejected.csv";
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "column", "value", "reason"]).map_err(err(what))?;
    for r in rows {
        w.write_record([
            neutralise(&r.file).as_ref(),
            &r.line.to_string(),
            neutralise(&r.column).as_ref(),
            neutralise(&r.value).as_ref(),
            neutralise(&r.reason).as_ref(),
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
}
