//! Load: an input path's bytes to a text source — the container (XLSX workbook, ZIP of
//! CSV files, Capsule entries JSON), the encoding ([`super::sniff`]), the `sep=` line and
//! the delimiter — before its header row is read.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::formats::FormatId;
use super::recognise::{csv_error, recognise, Loaded};
use super::IngestOptions;
use super::{capsule, container, formats, pipedrive, sniff, FileLedger};
use crate::error::{Error, Result};

/// Where a recognised file's rows come from.
pub(super) enum Source {
    /// UTF-8 on disk: stream it, skipping this many leading bytes (BOM, `sep=` line).
    /// `checked`: whether the whole file's evidence said UTF-8 (or a BOM did). A file
    /// whose start is clean UTF-8 is streamed unchecked: its first bytes that are not
    /// UTF-8, if any, make the reader look at the whole file ([`super::records`]).
    File { skip: u64, checked: bool },
    /// Transcoded to UTF-8 in memory (UTF-16, Windows-1252, a ZIP entry, a workbook
    /// sheet, Capsule entries), after the `sep=` line. May hold stray invalid bytes of a
    /// mostly-UTF-8 entry, which reject their rows.
    Bytes(Vec<u8>),
}

/// How much of the file at `path` is UTF-8 (see [`sniff::Utf8Evidence`]), read in 1 MiB
/// chunks, and how many line feeds it holds (an upper bound on its rows, to size the
/// tables once). One pass, which the line count needed anyway.
pub(super) fn scan_utf8(path: &Path) -> Result<(sniff::Utf8Evidence, usize)> {
    let scan = || -> std::io::Result<(sniff::Utf8Evidence, usize)> {
        let mut r = File::open(path)?;
        let mut buf = vec![0u8; 1 << 20];
        let mut carry = 0;
        let mut lines = 0;
        let mut evidence = sniff::Utf8Evidence::default();
        loop {
            let n = r.read(buf.get_mut(carry..).unwrap_or_default())?;
            if n == 0 {
                evidence.finish(carry);
                return Ok((evidence, lines));
            }
            let len = carry + n;
            let chunk = buf.get(..len).unwrap_or_default();
            lines += memchr::memchr_iter(b'\n', chunk.get(carry..).unwrap_or_default()).count();
            // A character cut by the chunk boundary: carry its bytes over.
            let tail = evidence.feed(chunk);
            buf.copy_within(len - tail..len, 0);
            carry = tail;
        }
    };
    scan().map_err(Error::io(path))
}

/// A file's text source before its header is read.
pub(super) struct Prepared {
    pub(super) path: PathBuf,
    /// The sheet read, for a workbook.
    pub(super) sheet: Option<String>,
    pub(super) source: Source,
    pub(super) encoding: &'static str,
    pub(super) line_offset: i64,
    pub(super) delimiter: u8,
    pub(super) lines: usize,
}

impl Prepared {
    /// A text in memory, decoded to UTF-8: its `sep=` line and delimiter sniffed.
    pub(super) fn from_bytes(path: PathBuf, text: &[u8], encoding: sniff::Encoding) -> Prepared {
        let (sep, body) = sniff::strip_sep_line(text);
        Prepared {
            path,
            sheet: None,
            delimiter: sep.unwrap_or_else(|| sniff::sniff_delimiter(body)),
            lines: memchr::memchr_iter(b'\n', body).count(),
            source: Source::Bytes(body.to_vec()),
            encoding: encoding.as_str(),
            line_offset: i64::from(sep.is_some()),
        }
    }
}

/// Reads an input path: a CSV/TSV file, an XLSX workbook (first sheet, or `--sheet`),
/// or a ZIP of CSV files (HubSpot splits big exports into one; Capsule's account export
/// is one). Returns each recognised file; ZIP entries that match no format are skipped
/// and named in `skipped`, the others must match.
///
/// A text file named in `as_1252` is read as Windows-1252: its start was clean UTF-8,
/// the rest said otherwise ([`Error::ReadAgainAs1252`]).
pub(super) fn load(
    path: &Path,
    cfg: &IngestOptions,
    skipped: &mut Vec<String>,
    as_1252: &[PathBuf],
) -> Result<Vec<(Loaded, FileLedger)>> {
    let mut head = Vec::with_capacity(4096);
    File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head)).map_err(Error::io(path))?;
    if head.starts_with(b"PK\x03\x04") {
        let bytes = std::fs::read(path).map_err(Error::io(path))?;
        if container::is_xlsx(&bytes) {
            let (text, first_row, sheet) = container::xlsx_to_csv(path, bytes, cfg.sheet.as_deref())?;
            let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
            let p = Prepared {
                path: path.to_owned(),
                sheet: Some(sheet),
                source: Source::Bytes(text.into_bytes()),
                encoding: "xlsx",
                line_offset: first_row as i64,
                delimiter: b',',
                lines,
            };
            return Ok(vec![recognise(p, None, cfg)?]);
        }
        return load_zip(path, &bytes, cfg, skipped);
    }
    if capsule::looks_like_json(&head) {
        if let Some(found) = load_json(path, cfg)? {
            return Ok(vec![found]);
        }
    }
    Ok(vec![recognise(load_text(path, &head, as_1252.iter().any(|p| p == path))?, None, cfg)?])
}

/// The CSV files of a ZIP archive: each entry recognised; entries of no known format
/// (and Capsule's contacts and projects beside its opportunities) skipped and named.
fn load_zip(
    path: &Path,
    bytes: &[u8],
    cfg: &IngestOptions,
    skipped: &mut Vec<String>,
) -> Result<Vec<(Loaded, FileLedger)>> {
    let mut found = Vec::new();
    for (name, bytes) in container::zip_entries(path, bytes)? {
        let (text, encoding) = sniff::decode(&bytes);
        let p = Prepared::from_bytes(container::entry_path(path, &name), &text, encoding);
        found.push((name, recognise(p, None, cfg)));
    }
    // Capsule's account export: beside the opportunities, its contacts and projects
    // files are recognised by name and skipped (followup needs no contacts).
    // It is one when a file reads as Capsule opportunities, or when the names are
    // Capsule's trio (in case its literal opportunity headers differ from ours).
    let capsule = found.iter().any(|(_, r)| matches!(r, Ok((l, _)) if l.spec.id == FormatId::CapsuleOpportunities))
        || (found.iter().any(|(n, _)| n.to_ascii_lowercase().contains("opportunit"))
            && found.iter().any(|(n, _)| formats::capsule_companion(n).is_some()));
    let mut out = Vec::new();
    for (name, r) in found {
        if let Some(what) = formats::capsule_companion(&name).filter(|_| capsule) {
            skipped.push(format!(
                "{}: {what}, not needed (followup reads the opportunities, and the history from the API entries)",
                container::entry_path(path, &name).display()
            ));
            continue;
        }
        match r {
            Ok(found) => out.push(found),
            Err(Error::UnknownFormat { path, found, .. } | Error::MapColumns { path, found, .. }) => {
                skipped.push(format!("{}: no known columns ({})", path.display(), found.join(", ")))
            }
            Err(e) => return Err(e),
        }
    }
    if out.is_empty() {
        return Err(Error::EmptyArchive { path: path.to_owned(), skipped: std::mem::take(skipped) });
    }
    Ok(out)
}

/// A JSON file of activities: Pipedrive's API activities, else Capsule's API entries,
/// as rows; `None` when it is neither (it is then read as text, and says so).
fn load_json(path: &Path, cfg: &IngestOptions) -> Result<Option<(Loaded, FileLedger)>> {
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    let (spec, json) = match pipedrive::activities_to_csv(path, &bytes)? {
        Some(found) => (&formats::PIPEDRIVE_API_ACTIVITIES, Some(found)),
        None => (&formats::CAPSULE_ENTRIES, capsule::entries_to_csv(path, &bytes)?),
    };
    let Some((text, entries)) = json else { return Ok(None) };
    let p = Prepared {
        path: path.to_owned(),
        sheet: None,
        source: Source::Bytes(text.into_bytes()),
        encoding: "json",
        line_offset: -1,
        delimiter: b',',
        lines: entries,
    };
    let (l, mut ledger) = recognise(p, Some(spec), cfg)?;
    ledger.delimiter = String::new();
    Ok(Some((l, ledger)))
}

/// Bytes of a text file looked at before it is streamed: its encoding, `sep=` line and
/// delimiter, and the rate of its lines.
const PREFIX: u64 = 64 * 1024;

/// A CSV/TSV text file. UTF-16 (by its BOM or its NUL bytes) is transcoded in memory;
/// anything else is UTF-8, streamed from disk, unless the evidence of the whole file
/// says Windows-1252 (sniff) or `windows_1252` is set.
///
/// Only the file's first bytes are read here when they are clean UTF-8 (or start with a
/// BOM): its lines are estimated from them, and the reader looks at the whole file only
/// if it meets bytes that are not UTF-8 (issue 12: reading each file twice, once here,
/// was the run's only single-threaded stage before the rows). Where the start already
/// holds bytes that are not UTF-8, the whole file is scanned here, as before.
fn load_text(path: &Path, head: &[u8], windows_1252: bool) -> Result<Prepared> {
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let whole = |encoding: Option<sniff::Encoding>| -> Result<Prepared> {
        let bytes = std::fs::read(path).map_err(Error::io(path))?;
        let encoding = encoding.or(sniff::utf16_of(&bytes)).unwrap_or(sniff::Encoding::Windows1252);
        Ok(Prepared::from_bytes(path.to_owned(), &sniff::decode_as(&bytes, encoding), encoding))
    };
    if windows_1252 {
        return whole(Some(sniff::Encoding::Windows1252));
    }
    if sniff::utf16_of(head).is_some() {
        return whole(None);
    }
    let size = std::fs::metadata(path).map_err(Error::io(path))?.len();
    let prefix = sample(path, 0)?;
    // Fewer bytes than asked for: the end of the file.
    let all = (prefix.len() as u64) < PREFIX;
    let mut evidence = sniff::Utf8Evidence::default();
    let tail = evidence.feed(&prefix);
    if all {
        evidence.finish(tail);
    }
    let (checked, lines) = if all {
        // The whole file: its evidence is the whole evidence.
        if !bom && !evidence.is_utf8() {
            return whole(None);
        }
        (true, memchr::memchr_iter(b'\n', &prefix).count())
    } else if bom || evidence.invalid == 0 {
        (bom, estimate_lines(&prefix, &windows(path, size)?, size))
    } else {
        let (evidence, lines) = scan_utf8(path)?;
        if !evidence.is_utf8() {
            return whole(None);
        }
        (true, lines.min(usize::try_from(size / MIN_LINE).unwrap_or(usize::MAX)))
    };
    let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&prefix);
    let (sep, body) = sniff::strip_sep_line(text);
    let skip = (if bom { 3 } else { 0 }) + (text.len() - body.len()) as u64;
    let encoding = if bom { sniff::Encoding::Utf8Bom } else { sniff::Encoding::Utf8 };
    Ok(Prepared {
        path: path.to_owned(),
        sheet: None,
        delimiter: sep.unwrap_or_else(|| sniff::sniff_delimiter(body)),
        source: Source::File { skip, checked },
        encoding: encoding.as_str(),
        line_offset: i64::from(sep.is_some()),
        lines,
    })
}

/// [`PREFIX`] bytes of the file at `path` from byte `offset` on (fewer at its end).
fn sample(path: &Path, offset: u64) -> Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    let read = || -> std::io::Result<Vec<u8>> {
        let mut f = File::open(path)?;
        f.seek(SeekFrom::Start(offset))?;
        let mut bytes = Vec::new();
        f.take(PREFIX).read_to_end(&mut bytes)?;
        Ok(bytes)
    };
    read().map_err(Error::io(path))
}

/// The samples of a file of `size` bytes in its middle and at its end: with its first
/// bytes, where its rate of lines is sampled.
fn windows(path: &Path, size: u64) -> Result<[Vec<u8>; 2]> {
    Ok([sample(path, size / 2)?, sample(path, size.saturating_sub(PREFIX))?])
}

/// A file's lines estimated from its size and the rate of lines in its first bytes
/// (`prefix`) and in `samples` of it: to size its tables and its progress bar. The
/// lowest rate is taken (a long estimate made room, and a deal index, for rows that
/// never come: a file that starts with blank lines and goes on with long rows), and at
/// most a line per [`MIN_LINE`] bytes. The tables' room is made a little over it
/// ([`super::build::Builder::reserve`]).
fn estimate_lines(prefix: &[u8], samples: &[Vec<u8>], size: u64) -> usize {
    let rate = |bytes: &[u8]| (memchr::memchr_iter(b'\n', bytes).count() as u128, bytes.len().max(1) as u128);
    let (lines, bytes) = std::iter::once(prefix)
        .chain(samples.iter().map(Vec::as_slice).filter(|w| !w.is_empty()))
        .map(rate)
        .min_by(|(l1, b1), (l2, b2)| (l1 * b2).cmp(&(l2 * b1)))
        .unwrap_or((0, 1));
    let estimate = u128::from(size) * lines / bytes;
    usize::try_from(estimate.min(u128::from(size / MIN_LINE))).unwrap_or(usize::MAX)
}

/// Fewer bytes than any deal or activity row takes, with its line break.
const MIN_LINE: u64 = 16;

/// Checks that an input path can be read and that each of its tables has a format
/// (or fits `--map`), without reading its rows: what `followup check` tries first on
/// every file, so one bad file does not hide the others.
pub fn probe(path: &Path, cfg: &IngestOptions) -> Result<()> {
    match load(path, cfg, &mut Vec::new(), &[]) {
        // A header row past the bytes looked at, and not UTF-8: read as the report would.
        Err(Error::ReadAgainAs1252 { .. }) => load(path, cfg, &mut Vec::new(), &[path.to_owned()]).map(|_| ()),
        r => r.map(|_| ()),
    }
}

/// The header row and up to `limit` data rows of a CSV file or a workbook sheet, read
/// with the same sniffing as a report (encoding, `sep=` line, delimiter): what
/// `followup map --init` guesses a mapping from. The file is read into memory; stray
/// invalid bytes of a UTF-8 file are read as U+FFFD here (a report rejects their rows).
pub fn read_head(path: &Path, sheet: Option<&str>, limit: usize) -> Result<(Vec<String>, Vec<csv::StringRecord>)> {
    let bytes = std::fs::read(path).map_err(Error::io(path))?;
    let (text, offset, delimiter) = if bytes.starts_with(b"PK\x03\x04") {
        if !container::is_xlsx(&bytes) {
            return Err(Error::Argument {
                flag: "--init",
                message: format!("{}: give one CSV or XLSX file, not a ZIP archive (unzip it first)", path.display()),
            });
        }
        let (text, first_row, _) = container::xlsx_to_csv(path, bytes, sheet)?;
        (text, first_row as i64, b',')
    } else {
        let (text, _) = sniff::decode_text(&bytes);
        let (sep, body) = sniff::strip_sep_line(text.as_bytes());
        let delimiter = sep.unwrap_or_else(|| sniff::sniff_delimiter(body));
        (String::from_utf8_lossy(body).into_owned(), i64::from(sep.is_some()), delimiter)
    };
    let mut rdr = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(path, &e, offset))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(Error::EmptyFile { path: path.to_owned() });
    }
    let mut rows = Vec::new();
    let mut rec = csv::StringRecord::new();
    while rows.len() < limit && rdr.read_record(&mut rec).map_err(|e| csv_error(path, &e, offset))? {
        rows.push(rec.clone());
    }
    Ok((headers, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_estimated_from_the_rate_of_the_first_bytes() {
        let line = format!("{},2026-10-01 09:00,Email\n", "D0000001");
        let file = line.repeat(10_000);
        let prefix = file.as_bytes().get(..PREFIX as usize).unwrap_or_default();
        let estimate = estimate_lines(prefix, &[], file.len() as u64);
        assert!((9_990..=10_000).contains(&estimate), "{estimate}");
        assert_eq!(estimate_lines(b"no line break yet", &[], 1 << 30), 0);
        assert_eq!(estimate_lines(b"", &[], 0), 0);
        let blank = [b'\n'; PREFIX as usize];
        assert_eq!(estimate_lines(&blank, &[], 1 << 34), (1 << 34) / 16, "a line per 16 bytes at most");
        // Blank lines first, then rows of 1,000 bytes: the rows' rate, sampled further on.
        let long = format!("{}\n", "x".repeat(999)).repeat(65).into_bytes();
        assert_eq!(estimate_lines(&blank, &[long.clone(), long], 1 << 30), (1 << 30) / 1000);
    }

    #[test]
    fn a_file_starting_with_blank_lines_gets_room_for_its_rows_not_its_bytes() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("deals.csv");
        let mut text = "deal_id,name,stage\n".to_owned() + &"\n".repeat(70_000);
        for i in 0..400 {
            text.push_str(&format!("D{i},{},Open\n", "n".repeat(2_000)));
        }
        std::fs::write(&path, &text).expect("write");
        let p = load_text(&path, text.as_bytes().get(..4096).unwrap_or_default(), false).expect("load");
        assert!(p.lines < 2_000, "{} lines estimated for 400 rows", p.lines);
    }
}
