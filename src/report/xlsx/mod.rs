//! `report.xlsx` (issue 14): the report as a workbook for the managers who forward a
//! spreadsheet, not a web page. A Summary sheet with the headline figures and the
//! page's own readings, then one sheet per table, each a view of [`Metrics`] (the due
//! list, like its CSV, of the whole [`DueTable`]).
//!
//! Every sheet is a table with a frozen, bold header row and columns sized to fit.
//! Numbers are numbers with a real format (counts, `0.0%` rates, one decimal for
//! means, each amount in its own currency, dates as dates), never text; a null is an
//! empty cell. Text from the inputs is written as text — never as a formula — and,
//! as in the CSVs, one that starts with `= + - @` is prefixed with `'` (see
//! [`super::csv::neutralise`]), so the same text reads the same in both. A figure
//! resting on fewer than `metrics::SMALL_N` deals is grey and its row says "too few
//! to read" in the Note column (the metrics types' `too_few` decides). Response by
//! touch and the monthly trend carry native Excel charts that read the sheet's own
//! cells, so the charts follow the figures when someone edits them.

mod lists;
mod sheets;
mod timing;

use std::collections::HashMap;

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::error::{Error, Result};
use crate::metrics::due::DueTable;
use crate::metrics::Metrics;

pub use rust_xlsxwriter::XlsxError;

/// The number format of rates and shares.
pub const PERCENT: &str = "0.0%";
/// The number format of counts.
pub const COUNT: &str = "#,##0";
/// The number format of means and medians.
pub const DECIMAL: &str = "0.0";
/// The number format of days.
pub const DATE: &str = "yyyy-mm-dd";
/// The number format of months (a month is written as its first day).
pub const MONTH: &str = "yyyy-mm";
/// The number format of p-values.
pub const P_VALUE: &str = "0.0000";
/// The number format of differences between rates.
pub const POINTS: &str = "+0.0%;-0.0%;0.0%";

/// The workbook's bytes.
pub fn render(m: &Metrics, due: &DueTable) -> Result<Vec<u8>> {
    build(m, due).map_err(|e| Error::Render { what: "report.xlsx".into(), message: e.to_string() })
}

fn build(m: &Metrics, due: &DueTable) -> std::result::Result<Vec<u8>, XlsxError> {
    std::thread::scope(|s| {
        // The due list is most of the workbook's cells: its sheet is made on its own
        // thread while this one makes the others.
        let due_sheet = s.spawn(|| {
            let mut ws = Worksheet::new();
            sheets::set_up(&mut ws, sheets::DUE)?;
            lists::due_list(&mut ws, due, &mut Styles::new(), lists::DUE_ROWS)?;
            Ok(ws)
        });
        let due_sheet = || crate::threads::joined(due_sheet);
        build_with(m, due_sheet)
    })
}

/// The workbook, with the due list's sheet as `due_sheet` gives it.
fn build_with(
    m: &Metrics,
    due_sheet: impl FnOnce() -> std::result::Result<Worksheet, XlsxError>,
) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Dated by the as-of date, not the clock: the same data gives the same file.
    if let Some(day) = date(&m.as_of) {
        wb.set_properties(&DocProperties::new().set_title("Follow-up report").set_creation_datetime(&day));
    }
    let mut st = Styles::new();
    sheets::all(&mut wb, m, due_sheet, &mut st)?;
    // Excel's own level: a third faster than the default for a file about 5% larger.
    wb.set_zip_compression_level(3);
    wb.save_to_buffer()
}

/// The number format of an amount in `currency`: `"USD "#,##0.00`. Only the letters
/// of the code are kept (it is text from the input, here inside a format string).
pub fn money_format(currency: &str) -> String {
    let code: String = currency.chars().filter(|c| c.is_ascii_alphabetic()).take(8).collect();
    if code.is_empty() {
        "#,##0.00".to_owned()
    } else {
        format!("\"{code} \"#,##0.00")
    }
}

/// A `YYYY-MM-DD…` text as an Excel date (the time of day, if any, dropped).
fn date(s: &str) -> Option<ExcelDateTime> {
    let y = s.get(0..4)?.parse::<u16>().ok()?;
    let m = s.get(5..7)?.parse::<u8>().ok()?;
    let d = s.get(8..10)?.parse::<u8>().ok()?;
    (s.get(4..5) == Some("-") && s.get(7..8) == Some("-")).then_some(())?;
    ExcelDateTime::from_ymd(y, m, d).ok()
}

/// A `YYYY-MM` month as the Excel date of its first day.
fn month(s: &str) -> Option<ExcelDateTime> {
    let y = s.get(0..4)?.parse::<u16>().ok()?;
    let m = s.get(5..7)?.parse::<u8>().ok()?;
    (s.len() == 7 && s.get(4..5) == Some("-")).then_some(())?;
    ExcelDateTime::from_ymd(y, m, 1).ok()
}

/// One cell of a table.
#[derive(Debug, Clone, Copy)]
pub(crate) enum V<'a> {
    /// A count.
    Int(u64),
    /// A mean, median or other decimal; `None` is an empty cell.
    Num(Option<f64>),
    /// A rate or share; `None` is an empty cell.
    Pct(Option<f64>),
    /// A difference between two rates.
    Points(f64),
    /// A p-value.
    P(f64),
    /// An amount in a currency.
    Money(f64, &'a str),
    /// Text (neutralised).
    Text(&'a str),
    /// A `YYYY-MM-DD` date (text if it is not one).
    Date(&'a str),
    /// A `YYYY-MM` month (text if it is not one).
    Month(&'a str),
    /// A day number (days since 1970-01-01).
    Day(i32),
    /// Nothing.
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Count,
    Decimal,
    Percent,
    Points,
    P,
    Date,
    Month,
    Text,
}

/// The formats of the workbook, made once (a due list has thousands of rows).
pub(crate) struct Styles {
    plain: HashMap<Kind, Format>,
    grey: HashMap<Kind, Format>,
    /// Amount formats by currency, black and grey (looked up by `&str`: a due list
    /// has thousands of amounts).
    money: [HashMap<String, Format>; 2],
    header: Format,
    title: Format,
    wrap: Format,
    bold: Format,
}

const GREY: Color = Color::RGB(0x80_80_80);

impl Styles {
    fn new() -> Self {
        let kinds = [
            (Kind::Count, COUNT),
            (Kind::Decimal, DECIMAL),
            (Kind::Percent, PERCENT),
            (Kind::Points, POINTS),
            (Kind::P, P_VALUE),
            (Kind::Date, DATE),
            (Kind::Month, MONTH),
            (Kind::Text, "@"),
        ];
        let plain = kinds.iter().map(|(k, f)| (*k, Format::new().set_num_format(*f))).collect();
        let grey = kinds.iter().map(|(k, f)| (*k, Format::new().set_num_format(*f).set_font_color(GREY))).collect();
        Styles {
            plain,
            grey,
            money: Default::default(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_border_bottom(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xEE_F2_F6)),
            title: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap(),
            bold: Format::new().set_bold(),
        }
    }

    fn get(&self, kind: Kind, few: bool) -> &Format {
        let map = if few { &self.grey } else { &self.plain };
        // Every kind is in both maps (made together above).
        map.get(&kind).unwrap_or(&self.wrap)
    }

    fn money(&mut self, currency: &str, few: bool) -> &Format {
        let map = &mut self.money[usize::from(few)];
        if !map.contains_key(currency) {
            let f = Format::new().set_num_format(money_format(currency));
            map.insert(currency.to_owned(), if few { f.set_font_color(GREY) } else { f });
        }
        map.get(currency).unwrap_or(&self.wrap)
    }
}

/// Writes one cell; `few` greys a number.
pub(crate) fn put(ws: &mut Worksheet, row: u32, col: u16, v: V<'_>, st: &mut Styles, few: bool) -> XlsxResult {
    match v {
        V::Int(n) => {
            ws.write_number_with_format(row, col, n as f64, st.get(Kind::Count, few))?;
        }
        V::Num(Some(x)) => {
            ws.write_number_with_format(row, col, x, st.get(Kind::Decimal, few))?;
        }
        V::Pct(Some(x)) => {
            ws.write_number_with_format(row, col, x, st.get(Kind::Percent, few))?;
        }
        V::Points(x) => {
            ws.write_number_with_format(row, col, x, st.get(Kind::Points, few))?;
        }
        V::P(x) => {
            ws.write_number_with_format(row, col, x, st.get(Kind::P, few))?;
        }
        V::Money(x, cur) => {
            ws.write_number_with_format(row, col, x, st.money(cur, few))?;
        }
        V::Text(s) => text(ws, row, col, s)?,
        V::Date(s) => match date(s) {
            Some(d) => {
                ws.write_datetime_with_format(row, col, &d, st.get(Kind::Date, false))?;
            }
            None => text(ws, row, col, s)?,
        },
        V::Month(s) => match month(s) {
            Some(d) => {
                ws.write_datetime_with_format(row, col, &d, st.get(Kind::Month, false))?;
            }
            None => text(ws, row, col, s)?,
        },
        V::Day(n) => {
            let (y, m, d) = crate::time::civil_from_days(n);
            let day = u16::try_from(y).ok().and_then(|y| ExcelDateTime::from_ymd(y, m as u8, d as u8).ok());
            match day {
                Some(day) => {
                    ws.write_datetime_with_format(row, col, &day, st.get(Kind::Date, false))?;
                }
                None => text(ws, row, col, &format!("{y:04}-{m:02}-{d:02}"))?,
            }
        }
        V::Num(None) | V::Pct(None) | V::Empty => {}
    }
    Ok(())
}

type XlsxResult = std::result::Result<(), XlsxError>;

/// Writes input text as a string cell (never a formula), neutralised as in the CSVs.
fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> XlsxResult {
    if !s.is_empty() {
        ws.write_string(row, col, super::csv::neutralise(s).as_ref())?;
    }
    Ok(())
}

/// A table: a header row (frozen, bold), then the rows, each with its "too few" flag
/// (grey numbers and, when the table has a note column, the note). Returns the row
/// after the table.
pub(crate) fn table<'a>(
    ws: &mut Worksheet,
    st: &mut Styles,
    header: &[&str],
    rows: impl IntoIterator<Item = (Vec<V<'a>>, Option<String>)>,
) -> std::result::Result<u32, XlsxError> {
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &st.header)?;
    }
    // Two lines: a long header wraps within its column (rows written here do not grow).
    ws.set_row_height(0, 30)?;
    ws.set_freeze_panes(1, 0)?;
    let note_col = header.iter().position(|h| *h == NOTE);
    let mut r = 1u32;
    for (cells, few) in rows {
        for (c, v) in cells.into_iter().enumerate() {
            put(ws, r, col(c), v, st, few.is_some())?;
        }
        if let (Some(nc), Some(note)) = (note_col, few) {
            ws.write_string_with_format(r, col(nc), note, st.get(Kind::Text, true))?;
        }
        r = r.saturating_add(1);
    }
    Ok(r)
}

/// The header of the column that says a row is too few to read.
pub(crate) const NOTE: &str = "Note";

/// The note of a row resting on `n` deals, fewer than `metrics::SMALL_N`.
pub(crate) fn few_note(n: u64) -> String {
    format!("too few to read ({})", crate::fmt::counted(n, "deal", "deals"))
}

/// `Some(note)` when `too_few` and at least one deal (no deal at all is just empty).
pub(crate) fn few(too_few: bool, n: u64) -> Option<String> {
    (too_few && n > 0).then(|| few_note(n))
}

/// A column index (tables here have at most a few dozen columns).
pub(crate) fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Sizes the columns to their content, each at most `max` characters wide (a longer
/// header wraps).
pub(crate) fn fit(ws: &mut Worksheet, max: u16) {
    ws.set_autofit_max_width(u32::from(max) * 7 + 5).autofit();
}

#[cfg(test)]
mod tests;
