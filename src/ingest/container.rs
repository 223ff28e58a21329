//! Containers: XLSX workbooks and ZIP archives. A workbook sheet is turned into CSV
//! text so that every format is read by the same row code; a ZIP yields its CSV
//! entries. Spreadsheet specifics handled here: Excel date serials become ISO times
//! (1900 date system), whole floats lose their `.0` (ids, counts), and new lines inside
//! a cell become spaces so that a reported line is the spreadsheet's row number.
//!
//! Sizes an archive or a workbook claims are limits to check, never allocations to
//! make (docs/decisions.md, "Archive and workbook limits"): each entry is unpacked at
//! most to [`ENTRY_LIMIT`] bytes and an archive to [`TOTAL_LIMIT`]; a sheet is read
//! cell by cell (a sparse sheet costs its cells, not rows × columns), its used range may
//! span at most [`SHEET_CELLS_LIMIT`] cells and one cell hold at most [`CELL_LIMIT`]
//! bytes. ZIP entries are named `archive.zip!entry`, with their path made relative.

use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{DataRef, Reader, Xlsx};

use crate::error::{Error, Result};
use crate::model::SECS_PER_DAY;
use crate::time::format_day;

/// The most bytes one ZIP entry (or workbook part) may unpack to: 1 GiB.
pub const ENTRY_LIMIT: u64 = 1 << 30;
/// How many times its packed size a ZIP entry may unpack to, once it is past
/// [`RATIO_FREE`]: real CSV exports pack 5 to 50 times; a 1 MB entry that unpacks to
/// 1 GB (one repeated character: a ZIP bomb) is refused before it is held in memory.
pub const MAX_RATIO: u64 = 200;
/// Up to this size an entry may unpack at any ratio: 64 MiB.
pub const RATIO_FREE: u64 = 64 << 20;
/// The most bytes all entries of one archive (or workbook) may unpack to: 2 GiB.
pub const TOTAL_LIMIT: u64 = 2 << 30;
/// The most bytes one workbook cell may hold: 1 MiB.
pub const CELL_LIMIT: usize = 1 << 20;
/// The most cells (rows × columns) a sheet's used range may span: 50 million.
pub const SHEET_CELLS_LIMIT: u64 = 50_000_000;
/// The most unique strings a workbook may claim (its reader reserves room for them).
const SHARED_STRINGS_LIMIT: u64 = 10_000_000;
/// The longest text between two XML tags of a workbook part: a cell of [`CELL_LIMIT`]
/// characters, each escaped as an entity at worst.
const XML_TEXT_LIMIT: u64 = 8 * CELL_LIMIT as u64;

/// "1 GiB" for messages.
fn size_text(n: u64) -> String {
    if n >= 1 << 30 && n.is_multiple_of(1 << 30) {
        format!("{} GiB", n >> 30)
    } else {
        format!("{} MiB", n >> 20)
    }
}

/// An entry's name as shown: `/`-separated and relative (no root, drive, `.` or `..`
/// parts), control characters replaced by `?`. `/etc/x.csv` is shown as `etc/x.csv`.
pub fn entry_name(raw: &str) -> String {
    let parts: Vec<&str> = raw
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != ".." && !(p.len() == 2 && p.ends_with(':')))
        .collect();
    parts.join("/").chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// How a ZIP entry is named in messages and the ledger: `archive.zip!entry`.
pub fn entry_path(archive: &Path, name: &str) -> PathBuf {
    PathBuf::from(format!("{}!{}", archive.display(), name))
}

/// True when ZIP bytes are an XLSX workbook.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(Cursor::new(bytes))
        .is_ok_and(|z| z.file_names().any(|n| n.is_ok_and(|n| n == "xl/workbook.xml")))
}

/// The first serial past Excel's last date, 9999-12-31.
const SERIAL_END: f64 = 2_958_466.0;

/// An Excel serial date-time (days since 1899-12-30) as `YYYY-MM-DD HH:MM:SS`, or
/// `YYYY-MM-DD` when it has no time of day. A serial outside Excel's own dates
/// (negative, past 9999-12-31, not finite) is kept as the number written, which the
/// date cell reader then rejects: it is no date, and its day number would overflow.
pub fn excel_serial_to_text(serial: f64) -> String {
    if !(0.0..SERIAL_END).contains(&serial) {
        return serial.to_string();
    }
    let secs = (serial * SECS_PER_DAY as f64).round() as i64;
    let day = secs.div_euclid(SECS_PER_DAY) - 25_569; // 1899-12-30 → 1970-01-01
    let tod = secs.rem_euclid(SECS_PER_DAY);
    if tod == 0 {
        format_day(day as i32)
    } else {
        format!("{} {:02}:{:02}:{:02}", format_day(day as i32), tod / 3600, tod % 3600 / 60, tod % 60)
    }
}

fn cell_text<'a>(c: &'a DataRef<'_>) -> Cow<'a, str> {
    let text =
        |s: &'a str| if s.contains(['\r', '\n']) { Cow::Owned(s.replace(['\r', '\n'], " ")) } else { Cow::Borrowed(s) };
    match c {
        DataRef::Empty => Cow::Borrowed(""),
        DataRef::String(s) => text(s.as_str()),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => Cow::Owned(i.to_string()),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cow::Owned(format!("{}", *f as i64)),
        DataRef::Float(f) => Cow::Owned(f.to_string()),
        DataRef::Bool(b) => Cow::Owned(b.to_string()),
        DataRef::DateTime(d) => Cow::Owned(excel_serial_to_text(d.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cow::Borrowed(s.as_str()),
        // Kept visible: a formula error in a required cell rejects the row with its text.
        DataRef::Error(e) => Cow::Owned(format!("#ERROR {e:?}")),
    }
}

/// A cell's spreadsheet name (0-based row and column → `A1`).
fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(col) + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), u64::from(row) + 1)
}

/// Unpacks every part of a workbook once, without keeping it, to check what its reader
/// would otherwise trust: each part and the whole within [`ENTRY_LIMIT`] and
/// [`TOTAL_LIMIT`], no XML text longer than a cell may be, and a shared-string count
/// the reader can reserve room for.
fn check_workbook(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |m: String| Error::Container { path: path.to_owned(), kind: "workbook", message: m };
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 << 10];
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| err(e.to_string()))?;
        let name = entry_name(&f.name().map_err(|e| err(e.to_string()))?);
        let lower = name.to_ascii_lowercase();
        let too_big = || {
            err(format!(
                "part {name} unpacks to more than {}, the most followup reads from one part; save the workbook as CSV",
                size_text(ENTRY_LIMIT)
            ))
        };
        if f.size() > ENTRY_LIMIT {
            return Err(too_big());
        }
        let xml = lower.ends_with(".xml") || lower.ends_with(".rels");
        let shared = lower.ends_with("sharedstrings.xml");
        let mut head: Vec<u8> = Vec::new();
        let (mut size, mut run) = (0u64, 0u64);
        loop {
            let k = f.read(&mut buf).map_err(|e| err(format!("part {name}: {e}")))?;
            let Some(chunk) = buf.get(..k).filter(|c| !c.is_empty()) else { break };
            size += k as u64;
            total += k as u64;
            if size > ENTRY_LIMIT {
                return Err(too_big());
            }
            if total > TOTAL_LIMIT {
                return Err(err(format!(
                    "it unpacks to more than {}, the most followup reads from one workbook; save the sheet as CSV",
                    size_text(TOTAL_LIMIT)
                )));
            }
            if xml {
                let long = || {
                    err(format!(
                        "part {name} holds a cell longer than {}, the most followup reads from one cell",
                        size_text(CELL_LIMIT as u64)
                    ))
                };
                let mut from = 0usize;
                for p in memchr::memchr_iter(b'<', chunk) {
                    if run + (p - from) as u64 > XML_TEXT_LIMIT {
                        return Err(long());
                    }
                    run = 0;
                    from = p + 1;
                }
                run += (k - from) as u64;
                if run > XML_TEXT_LIMIT {
                    return Err(long());
                }
            }
            if shared && head.len() < 4096 {
                head.extend(chunk.iter().take(4096));
            }
        }
        if shared {
            let claimed = memchr::memmem::find(&head, b"uniqueCount=\"").map(|at| {
                head.iter()
                    .skip(at + 13)
                    .take_while(|b| b.is_ascii_digit())
                    .fold(0u64, |n, &b| n.saturating_mul(10).saturating_add(u64::from(b - b'0')))
            });
            if claimed.is_some_and(|n| n > SHARED_STRINGS_LIMIT) {
                return Err(err(format!("it claims more than {SHARED_STRINGS_LIMIT} different texts, the most followup reads; save the sheet as CSV")));
            }
        }
    }
    Ok(())
}

/// The first sheet (or `sheet`) of a workbook as CSV text, the number of rows above
/// its first used row (so CSV line + offset = spreadsheet row), and the sheet's name.
pub fn xlsx_to_csv(path: &Path, bytes: Vec<u8>, sheet: Option<&str>) -> Result<(String, u64, String)> {
    let err = |m: String| Error::Container { path: path.to_owned(), kind: "workbook", message: m };
    check_workbook(path, &bytes)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| n.eq_ignore_ascii_case(s)).cloned(),
        None => names.first().cloned(),
    };
    let Some(name) = name else {
        return Err(Error::Sheet { path: path.to_owned(), name: sheet.unwrap_or("").to_owned(), found: names });
    };
    // Cell by cell: the texts in one arena, each cell as (row, column, start, length).
    let mut arena = String::new();
    let mut cells: Vec<(u32, u32, u32, u32)> = Vec::new();
    {
        let mut reader = wb.worksheet_cells_reader(&name).map_err(|e| err(e.to_string()))?;
        while let Some(cell) = reader.next_cell().map_err(|e| err(e.to_string()))? {
            let (row, col) = cell.get_position();
            let text = cell_text(cell.get_value());
            if text.is_empty() {
                continue;
            }
            if text.len() > CELL_LIMIT {
                return Err(err(format!(
                    "cell {} of sheet {name:?} holds {} bytes, more than the {} followup reads from one cell",
                    a1(row, col),
                    text.len(),
                    size_text(CELL_LIMIT as u64)
                )));
            }
            if (arena.len() + text.len()) as u64 > ENTRY_LIMIT || cells.len() as u64 >= SHEET_CELLS_LIMIT {
                return Err(err(format!(
                    "sheet {name:?} holds more than {}, the most followup reads from one sheet; save it as CSV",
                    size_text(ENTRY_LIMIT)
                )));
            }
            cells.push((row, col, arena.len() as u32, text.len() as u32));
            arena.push_str(&text);
        }
    }
    if !cells.is_sorted_by_key(|c| (c.0, c.1)) {
        cells.sort_by_key(|c| (c.0, c.1));
    }
    let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
        return Ok((String::new(), 0, name));
    };
    let (first_row, last_row) = (first.0, last.0);
    let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let last_col = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let width = u64::from(last_col - first_col) + 1;
    let span = (u64::from(last_row - first_row) + 1) * width;
    if span > SHEET_CELLS_LIMIT {
        return Err(err(format!(
            "the cells of sheet {name:?} span {}:{} ({span} cells), more than the {SHEET_CELLS_LIMIT} followup reads: \
             delete the stray cells outside the table (Ctrl+End in Excel shows the last one) and save again",
            a1(first_row, first_col),
            a1(last_row, last_col)
        )));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut record: Vec<&str> = vec![""; width as usize];
    let mut next = cells.iter().peekable();
    for row in first_row..=last_row {
        record.iter_mut().for_each(|f| *f = "");
        while let Some(&(_, col, start, len)) = next.next_if(|c| c.0 == row) {
            let (start, len) = (start as usize, len as usize);
            if let (Some(field), Some(text)) =
                (record.get_mut((col - first_col) as usize), arena.get(start..start + len))
            {
                *field = text;
            }
        }
        w.write_record(&record).map_err(|e| err(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| err(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| err(e.to_string()))?;
    Ok((text, u64::from(first_row), name))
}

/// The CSV/TSV/TXT entries of a ZIP archive, by name ([`entry_name`]): each unpacked
/// at most to [`ENTRY_LIMIT`] bytes, all together to [`TOTAL_LIMIT`].
pub fn zip_entries(path: &Path, bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let err = |m: String| Error::Container { path: path.to_owned(), kind: "ZIP archive", message: m };
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?;
    let mut out = Vec::new();
    let mut total = 0u64;
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| err(e.to_string()))?;
        let name = entry_name(&f.name().map_err(|e| err(e.to_string()))?);
        let lower = name.to_ascii_lowercase();
        if f.is_dir()
            || name.starts_with("__MACOSX")
            || !(lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt"))
        {
            continue;
        }
        let entry_err = |m: String| Error::Container { path: entry_path(path, &name), kind: "ZIP entry", message: m };
        let too_big = || {
            entry_err(format!(
                "it unpacks to more than {}, the most followup reads from one entry; unzip the archive and split the file",
                size_text(ENTRY_LIMIT)
            ))
        };
        if f.size() > ENTRY_LIMIT {
            return Err(too_big());
        }
        // What the packed size allows: a bomb stops at the ratio, not at 1 GiB.
        let by_ratio = f.compressed_size().saturating_mul(MAX_RATIO).max(RATIO_FREE);
        // The claimed size is a hint, never trusted for an allocation beyond 64 MiB.
        let mut buf = Vec::with_capacity(f.size().min(64 << 20) as usize);
        (&mut f).take(ENTRY_LIMIT.min(by_ratio) + 1).read_to_end(&mut buf).map_err(|e| entry_err(e.to_string()))?;
        if buf.len() as u64 > ENTRY_LIMIT {
            return Err(too_big());
        }
        if buf.len() as u64 > by_ratio {
            return Err(entry_err(format!(
                "it unpacks to more than {MAX_RATIO} times its packed size (a ZIP bomb, or one character repeated); unzip the archive and give the file itself"
            )));
        }
        total += buf.len() as u64;
        if total > TOTAL_LIMIT {
            return Err(err(format!(
                "its entries unpack to more than {}, the most followup reads from one archive; unzip it and give the files one by one",
                size_text(TOTAL_LIMIT)
            )));
        }
        out.push((name, buf));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 9: a 1 MB ZIP holding a 1 GB cell took 3.1 GB. An entry past 64 MiB that
    /// unpacks to more than 200 times its packed size is refused as it is read.
    #[test]
    fn an_entry_far_larger_than_its_packed_size_is_refused() {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("deals.csv", opts).expect("entry");
        z.write_all(b"deal_id,stage\nD1,\"").expect("head");
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..70 {
            z.write_all(&chunk).expect("cell");
        }
        z.write_all(b"\"\n").expect("tail");
        let bytes = z.finish().expect("zip").into_inner();
        assert!(bytes.len() < 1 << 20, "{} bytes packed", bytes.len());
        let e = zip_entries(Path::new("bomb.zip"), &bytes).expect_err("refused").to_string();
        assert!(e.contains("bomb.zip!deals.csv") && e.contains("200 times its packed size"), "{e}");
    }

    #[test]
    fn excel_serials() {
        // 45961 = 2025-10-31 (Excel), .5 = noon.
        assert_eq!(excel_serial_to_text(45961.0), "2025-10-31");
        assert_eq!(excel_serial_to_text(45961.5), "2025-10-31 12:00:00");
        assert_eq!(excel_serial_to_text(25569.0), "1970-01-01");
        assert_eq!(cell_text(&DataRef::Float(192_236_606_158.0)), "192236606158");
        assert_eq!(cell_text(&DataRef::Float(2.5)), "2.5");
        assert_eq!(cell_text(&DataRef::String("a\nb".into())), "a b");
        assert_eq!(cell_text(&DataRef::SharedString("a\r\nb")), "a  b");
    }

    #[test]
    fn entry_names_are_relative_and_printable() {
        assert_eq!(entry_name("/etc/x.csv"), "etc/x.csv");
        assert_eq!(entry_name("../../x.csv"), "x.csv");
        assert_eq!(entry_name("C:\\Users\\me\\deals.csv"), "Users/me/deals.csv");
        assert_eq!(entry_name("a/./b\u{1b}[31m.csv"), "a/b?[31m.csv");
        assert_eq!(entry_path(Path::new("in/export.zip"), "deals.csv"), PathBuf::from("in/export.zip!deals.csv"));
    }

    #[test]
    fn cell_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(9, 26), "AA10");
    }
}
