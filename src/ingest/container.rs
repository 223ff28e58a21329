//! Containers: XLSX workbooks and ZIP archives. A workbook sheet is turned into CSV
//! text so that every format is read by the same row code; a ZIP yields its CSV
//! entries. Spreadsheet specifics handled here: Excel date serials become ISO times
//! (1900 date system), whole floats lose their `.0` (ids, counts), and new lines inside
//! a cell become spaces so that a reported line is the spreadsheet's row number.

use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use crate::time::format_day;
use crate::error::{Error, Result};
use crate::model::SECS_PER_DAY;

/// True when ZIP bytes are an XLSX workbook.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|z| z.file_names().any(|n| n.is_ok_and(|n| n == "xl/workbook.xml")))
}

/// An Excel serial date-time (days since 1899-12-30) as `YYYY-MM-DD HH:MM:SS`, or
/// `YYYY-MM-DD` when it has no time of day.
pub fn excel_serial_to_text(serial: f64) -> String {
    let secs = (serial * SECS_PER_DAY as f64).round() as i64;
    let day = secs.div_euclid(SECS_PER_DAY) - 25_569; // 1899-12-30 → 1970-01-01
    let tod = secs.rem_euclid(SECS_PER_DAY);
    if tod == 0 {
        format_day(day as i32)
    } else {
        format!("{} {:02}:{:02}:{:02}", format_day(day as i32), tod / 3600, tod % 3600 / 60, tod % 60)
    }
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.replace(['\r', '\n'], " "),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_serial_to_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        // Kept visible: a formula error in a required cell rejects the row with its text.
        Data::Error(e) => format!("#ERROR {e:?}"),
    }
}

/// The first sheet (or `sheet`) of a workbook as CSV text, the number of rows above
/// its first used row (so CSV line + offset = spreadsheet row), and the sheet's name.
pub fn xlsx_to_csv(path: &Path, bytes: Vec<u8>, sheet: Option<&str>) -> Result<(String, u64, String)> {
    let err = |m: String| Error::Container { path: path.to_owned(), kind: "workbook", message: m };
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| n.eq_ignore_ascii_case(s)).cloned(),
        None => names.first().cloned(),
    };
    let Some(name) = name else {
        return Err(Error::Sheet { path: path.to_owned(), name: sheet.unwrap_or("").to_owned(), found: names });
    };
    let range = wb.worksheet_range(&name).map_err(|e| err(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut record: Vec<String> = Vec::new();
    for row in range.rows() {
        record.clear();
        record.extend(row.iter().map(cell_text));
        w.write_record(&record).map_err(|e| err(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| err(e.to_string()))?;
    Ok((text, first_row, name))
}

/// The CSV/TSV/TXT entries of a ZIP archive, by name.
pub fn zip_entries(path: &Path, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let err = |m: String| Error::Container { path: path.to_owned(), kind: "ZIP archive", message: m };
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| err(e.to_string()))?;
        let name = f.name().map_err(|e| err(e.to_string()))?.into_owned();
        let lower = name.to_ascii_lowercase();
        if f.is_dir() || name.starts_with("__MACOSX") || !(lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt")) {
            continue;
        }
        let mut buf = Vec::with_capacity(f.size() as usize);
        f.read_to_end(&mut buf).map_err(|e| err(format!("{name}: {e}")))?;
        out.push((name, buf));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials() {
        // 45961 = 2025-10-31 (Excel), .5 = noon.
        assert_eq!(excel_serial_to_text(45961.0), "2025-10-31");
        assert_eq!(excel_serial_to_text(45961.5), "2025-10-31 12:00:00");
        assert_eq!(excel_serial_to_text(25569.0), "1970-01-01");
        assert_eq!(cell_text(&Data::Float(192_236_606_158.0)), "192236606158");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::String("a\nb".into())), "a b");
    }
}
