//! Ingest: input files in, canonical [`Tables`] and a [`Ledger`] out.
//!
//! Each file goes through the same cascade: bytes → encoding ([`sniff::decode`]) →
//! `sep=` line and delimiter → header row → format ([`formats::detect`]) → rows. Rows
//! are read record by record with the `csv` crate, which keeps each record's true
//! starting line even when quoted cells hold new lines, so a rejected row can be named
//! by file, line and column (SPEC §5). That is why ingest does not use polars' CSV
//! reader: it cannot report source lines, and one ragged row fails the whole file.
//! The tables it builds are handed to polars in `metrics`.
//!
//! Files are read in this order: deals files, then follow-up logs, then touches files
//! (command-line order within each), so touches can be matched to deals by deal_id.

pub mod capsule;
pub mod cells;
pub mod container;
pub mod formats;
pub mod ledger;
pub mod mapping;
pub mod pipedrive;
pub mod sniff;

use std::fs::File;
use std::hash::{BuildHasher, Hash, Hasher};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHasher};

use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::model::{Channel, Direction, Event, OutcomeClass, Status, Tables};
use cells::{CellError, ChannelCell};
use formats::{ColumnMap, Detection, Field, Format, FormatId, FormatSpec, RowKind};
use mapping::ValueKind;
pub use ledger::{Booking, FileLedger, Ledger, RejectedRow};

/// The result of ingest.
#[derive(Debug, Default)]
pub struct Ingested {
    /// The canonical tables (touches may still hold duplicates; see [`Ingested::dedupe`]).
    pub tables: Tables,
    /// What happened to every row.
    pub ledger: Ledger,
    /// A hash of each touch's raw outcome and subject, to tell duplicate rows apart.
    pub touch_detail: Vec<u64>,
    /// For each touch-row file: (first seq, file index), ascending.
    pub seq_files: Vec<(u32, usize)>,
    /// For each deal, the input file (index into `ledger.files`) that first named it.
    pub deal_file: Vec<u32>,
}

impl Ingested {
    /// The input file a touch came from.
    pub fn file_of_seq(&self, seq: u32) -> usize {
        let i = self.seq_files.partition_point(|(start, _)| *start <= seq);
        self.seq_files.get(i.saturating_sub(1)).map_or(0, |s| s.1)
    }

    /// Books as duplicate rows the rows whose touches were all dropped as duplicates
    /// (`dropped`, by touch index). The touches of one row are adjacent and share its
    /// `seq`: a row that became three touches is one row, a duplicate only when all
    /// three repeat touches read before (SPEC §5: the ledger counts rows).
    pub fn book_duplicate_rows(&mut self, dropped: &[bool]) -> Result<()> {
        let seqs = &self.tables.touches.seq;
        let mut i = 0;
        while let Some(&seq) = seqs.get(i) {
            let mut all = true;
            while seqs.get(i) == Some(&seq) {
                all &= dropped.get(i).copied().unwrap_or(false);
                i += 1;
            }
            if all {
                let fi = self.file_of_seq(seq);
                let file = self.ledger.files.get_mut(fi).and_then(|f| f.used_to_duplicate().map(|()| f));
                if file.is_none() {
                    let name = self.ledger.files.get(fi).map_or("?", |f| f.path.as_str());
                    return Err(Error::Compute(format!("{name}: more duplicate rows than used rows (a bug: please report it)")));
                }
            }
        }
        Ok(())
    }
}

/// Where a recognised file's rows come from.
enum Source {
    /// UTF-8 on disk: stream it, skipping this many leading bytes (BOM, `sep=` line).
    File { skip: u64 },
    /// Transcoded to UTF-8 in memory (UTF-16, Windows-1252, a ZIP entry, a workbook
    /// sheet, Capsule entries), after the `sep=` line. May hold stray invalid bytes of a
    /// mostly-UTF-8 entry, which reject their rows.
    Bytes(Vec<u8>),
}

/// A file recognised from its header, its rows not read yet.
struct Loaded {
    /// Line feeds in the file: at least its number of rows.
    lines: usize,
    index: usize,
    path: PathBuf,
    source: Source,
    /// Added to a record's CSV line to give the line reported: lines before the header
    /// (a `sep=` line, rows above a sheet's table), or -1 for Capsule entries (the
    /// entry's position in the file: see [`capsule`]).
    line_offset: i64,
    delimiter: u8,
    headers: Vec<String>,
    spec: &'static FormatSpec,
    map: ColumnMap,
}

impl Loaded {
    /// The source's bytes from `offset` on (after the skipped BOM and `sep=` line).
    fn open_at(&self, offset: u64) -> Result<Box<dyn Read + Send + '_>> {
        Ok(match &self.source {
            Source::File { skip } => {
                let mut f = File::open(&self.path).map_err(Error::io(&self.path))?;
                f.seek(SeekFrom::Start(skip.saturating_add(offset))).map_err(Error::io(&self.path))?;
                Box::new(f)
            }
            Source::Bytes(b) => Box::new(usize::try_from(offset).ok().and_then(|o| b.get(o..)).unwrap_or_default()),
        })
    }

    /// All the source's bytes from `offset` on.
    fn bytes_from(&self, offset: u64) -> Result<std::borrow::Cow<'_, [u8]>> {
        match &self.source {
            Source::Bytes(b) => Ok(usize::try_from(offset).ok().and_then(|o| b.get(o..)).unwrap_or_default().into()),
            Source::File { .. } => {
                let mut v = Vec::new();
                self.open_at(offset)?.read_to_end(&mut v).map_err(Error::io(&self.path))?;
                Ok(v.into())
            }
        }
    }
}

/// A reader that notes where the line breaks of the bytes passing through it fall, so
/// that each record gets the line it truly starts on. The `csv` crate counts line feeds
/// only, and from where the previous record ended: with CRLF line ends every record
/// was named one line early (a record ends at the CR, its LF is read with the next
/// one), with CR-only line ends all on line 1, and a record after blank lines too
/// early. Here a CR, an LF and a CRLF are each one line break, and every run of breaks
/// that starts before a record's first byte is counted for it. Only the runs read
/// ahead of the parser are kept (its buffer's worth).
struct Lines<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    /// Runs of line-break bytes not yet passed: (offset of the run's first byte, breaks).
    runs: std::collections::VecDeque<(u64, u64)>,
    /// Breaks in the runs already passed.
    passed: u64,
    /// Offset of the last break byte seen, and whether it was a CR.
    last: Option<(u64, bool)>,
    /// Whether the last run was passed while it may still grow.
    last_passed: bool,
    /// Whether the inner reader reached its end.
    eof: bool,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Self {
        Lines { inner, read: 0, runs: Default::default(), passed: 0, last: None, last_passed: false, eof: false }
    }

    /// The 1-based line of the record `csv` places at byte `at` (where the previous
    /// record's terminator ended): the line breaks of every run starting at or before
    /// `at` precede the record's first byte.
    fn line_at(&mut self, at: u64) -> u64 {
        while let Some(&(start, breaks)) = self.runs.front() {
            if start > at {
                break;
            }
            self.passed = self.passed.saturating_add(breaks);
            self.runs.pop_front();
            self.last_passed = self.runs.is_empty();
        }
        self.passed.saturating_add(1)
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        let chunk = buf.get(..n).unwrap_or_default();
        for i in memchr::memchr2_iter(b'\r', b'\n', chunk) {
            let at = self.read + i as u64;
            let cr = chunk.get(i) == Some(&b'\r');
            let continues = self.last.is_some_and(|(p, _)| p + 1 == at);
            // An LF right after a CR ends the same line.
            let breaks = u64::from(!(continues && !cr && self.last.is_some_and(|(_, was_cr)| was_cr)));
            if !continues {
                self.runs.push_back((at, breaks));
                self.last_passed = false;
            } else if self.last_passed {
                self.passed = self.passed.saturating_add(breaks);
            } else if let Some(run) = self.runs.back_mut() {
                run.1 += breaks;
            }
            self.last = Some((at, cr));
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// Line breaks in `bytes`: CR, LF and CRLF each count one.
fn count_breaks(bytes: &[u8]) -> u64 {
    let crs = memchr::memchr_iter(b'\r', bytes).count();
    let crlfs = memchr::memmem::find_iter(bytes, b"\r\n").count();
    let lfs = memchr::memchr_iter(b'\n', bytes).count();
    (crs + lfs - crlfs) as u64
}

/// Where the last record of a CSV text (from `bytes`, which run to the end of the
/// file) opens a quoted cell that is never closed: (offset of the quote, cell index).
/// Follows the `csv` crate's reading (RFC 4180 quotes, `""` inside quotes, a quote
/// inside an unquoted cell is text), which would otherwise take the rest of the file
/// as that one cell.
fn open_quote_at_end(bytes: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    #[derive(PartialEq)]
    enum S {
        StartRecord,
        StartField,
        InField,
        InQuotes,
        QuoteInQuotes,
    }
    let (mut state, mut field, mut quote) = (S::StartRecord, 0, 0);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let term = b == b'\r' || b == b'\n';
        state = match state {
            S::StartRecord if term => S::StartRecord,
            S::StartRecord | S::StartField if b == b'"' => {
                quote = i;
                S::InQuotes
            }
            // Inside quotes only a quote matters: jump to the next one.
            S::InQuotes => match memchr::memchr(b'"', bytes.get(i..).unwrap_or_default()) {
                Some(j) => {
                    i += j;
                    S::QuoteInQuotes
                }
                None => return Some((quote, field)),
            },
            S::QuoteInQuotes if b == b'"' => S::InQuotes,
            _ if term => return None,
            _ if b == delimiter => {
                field += 1;
                S::StartField
            }
            _ => S::InField,
        };
        i += 1;
    }
    (state == S::InQuotes).then_some((quote, field))
}

/// What is wrong with a record beyond its cells (found by [`Records`]).
#[derive(Debug)]
enum Flaw {
    /// A quote opened in cell `column` on line `quote_line` and never closed. The
    /// record ends at that line; the rows after it are read on their own.
    OpenQuote { column: usize, quote_line: u64, value: String },
    /// Cell `column` holds bytes that are not UTF-8 in a file read as UTF-8.
    NotUtf8 { column: usize, byte: u8, value: String },
}

/// The records of a file through `csv`, each with the line it truly starts on (see
/// [`Lines`]) and its [`Flaw`], if any. The first record is the header row.
struct Records<'a> {
    l: &'a Loaded,
    rdr: csv::Reader<Lines<Box<dyn Read + Send + 'a>>>,
    /// Where this run of records starts in the source.
    start: u64,
    /// Added to the lines of this run of records.
    line_base: u64,
    /// Where to go on reading after an unclosed quote: (offset, line before it).
    resume: Option<(u64, u64)>,
}

impl<'a> Records<'a> {
    fn open(l: &'a Loaded, start: u64, line_base: u64) -> Result<Self> {
        let rdr = csv::ReaderBuilder::new()
            .delimiter(l.delimiter)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(1 << 20)
            .from_reader(Lines::new(l.open_at(start)?));
        Ok(Records { l, rdr, start, line_base, resume: None })
    }

    /// Reads the next record into `rec`, its position set to its true line. `None` at
    /// the end of the file, else the record's flaw (or none).
    fn next(&mut self, rec: &mut csv::StringRecord) -> Result<Option<Option<Flaw>>> {
        loop {
            let mut raw = std::mem::take(rec).into_byte_record();
            if !self.rdr.read_byte_record(&mut raw).map_err(|e| read_error(&self.l.path, e))? {
                *rec = csv::StringRecord::from_byte_record(raw).unwrap_or_default();
                match self.resume.take() {
                    Some((start, line_base)) => {
                        *self = Records::open(self.l, start, line_base)?;
                        continue;
                    }
                    None => return Ok(None),
                }
            }
            let at = raw.position().map_or(0, csv::Position::byte);
            let line = self.rdr.get_mut().line_at(at).saturating_add(self.line_base);
            let mut pos = raw.position().cloned().unwrap_or_else(csv::Position::new);
            pos.set_byte(self.start.saturating_add(at)).set_line(line);
            raw.set_position(Some(pos.clone()));
            // A record read up to the end of the file may have swallowed the rest of
            // it in an unclosed quote (the one rescan of bytes: the last record only).
            let lines = self.rdr.get_ref();
            let mut flaw = None;
            if lines.eof && self.rdr.position().byte() == lines.read {
                flaw = self.open_quote(at, line)?;
            }
            match csv::StringRecord::from_byte_record(raw) {
                Ok(s) => *rec = s,
                Err(e) => {
                    let (column, valid) = (e.utf8_error().field(), e.utf8_error().valid_up_to());
                    let raw = e.into_byte_record();
                    let cell = raw.get(column).unwrap_or_default();
                    let byte = cell.get(valid).copied().unwrap_or(0);
                    let value = String::from_utf8_lossy(cell).into_owned();
                    *rec = raw.iter().map(String::from_utf8_lossy).collect();
                    rec.set_position(Some(pos));
                    flaw = flaw.or(Some(Flaw::NotUtf8 { column, byte, value }));
                }
            }
            return Ok(Some(flaw));
        }
    }

    /// Checks the last record (at byte `at` of this run, starting on `line`) for a quote
    /// that is never closed; when there is one, reading goes on after the quote's line.
    fn open_quote(&mut self, at: u64, line: u64) -> Result<Option<Flaw>> {
        let start = self.start.saturating_add(at);
        let bytes = self.l.bytes_from(start)?;
        let Some((quote, column)) = open_quote_at_end(&bytes, self.l.delimiter) else { return Ok(None) };
        let first = bytes.iter().position(|b| !matches!(b, b'\r' | b'\n')).unwrap_or(0);
        let quote_line = line.saturating_add(count_breaks(bytes.get(first..quote).unwrap_or_default()));
        let after = bytes.get(quote..).unwrap_or_default();
        let end = memchr::memchr2(b'\r', b'\n', after);
        let value = String::from_utf8_lossy(after.get(..end.unwrap_or(after.len())).unwrap_or_default());
        let value: String = value.chars().take(80).collect();
        if let Some(i) = end {
            let len = if after.get(i..i + 2) == Some(b"\r\n") { 2 } else { 1 };
            self.resume = Some((start.saturating_add((quote + i + len) as u64), quote_line));
        }
        Ok(Some(Flaw::OpenQuote { column, quote_line, value }))
    }
}

/// The error of a failed read: I/O as such, anything else as a CSV error of the file.
fn read_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map_or(0, csv::Position::line);
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io { path: path.to_owned(), source },
        _ => Error::Csv { path: path.to_owned(), line, message },
    }
}

/// How much of a file is UTF-8 (see [`sniff::Utf8Evidence`]), read in 1 MiB chunks,
/// and how many line feeds it holds (an upper bound on its rows, to size the tables
/// once). One pass, which the line count needed anyway.
fn scan_utf8(mut r: impl Read) -> std::io::Result<(sniff::Utf8Evidence, usize)> {
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
}

/// A file's text source before its header is read.
struct Prepared {
    path: PathBuf,
    /// The sheet read, for a workbook.
    sheet: Option<String>,
    source: Source,
    encoding: &'static str,
    line_offset: i64,
    delimiter: u8,
    lines: usize,
}

impl Prepared {
    /// A text in memory, decoded to UTF-8: its `sep=` line and delimiter sniffed.
    fn from_bytes(path: PathBuf, text: &[u8], encoding: sniff::Encoding) -> Prepared {
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
fn load(path: &Path, cfg: &RunConfig, skipped: &mut Vec<String>) -> Result<Vec<(Loaded, FileLedger)>> {
    let io = Error::io(path);
    let mut head = Vec::with_capacity(4096);
    File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head)).map_err(Error::io(path))?;
    if head.starts_with(b"PK\x03\x04") {
        let bytes = std::fs::read(path).map_err(io)?;
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
        let mut found = Vec::new();
        for (name, bytes) in container::zip_entries(path, &bytes)? {
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
                skipped.push(format!("{}: {what}, not needed (followup reads the opportunities, and the history from the API entries)", container::entry_path(path, &name).display()));
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
        return Ok(out);
    }
    if capsule::looks_like_json(&head) {
        let bytes = std::fs::read(path).map_err(Error::io(path))?;
        let (spec, json) = match pipedrive::activities_to_csv(path, &bytes)? {
            Some(found) => (&formats::PIPEDRIVE_API_ACTIVITIES, Some(found)),
            None => (&formats::CAPSULE_ENTRIES, capsule::entries_to_csv(path, &bytes)?),
        };
        if let Some((text, entries)) = json {
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
            return Ok(vec![(l, ledger)]);
        }
    }
    // UTF-16 (by its BOM or its NUL bytes) is transcoded in memory; anything else is
    // UTF-8 unless the evidence of the whole file says Windows-1252 (sniff).
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let (utf8, lines) = match sniff::utf16_of(&head) {
        Some(_) => (false, 0),
        None => {
            let (evidence, lines) = File::open(path).and_then(|f| scan_utf8(BufReader::new(f))).map_err(Error::io(path))?;
            (bom || evidence.is_utf8(), lines)
        }
    };
    let p = if utf8 {
        let mut prefix = Vec::new();
        File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut prefix)).map_err(io)?;
        let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&prefix);
        let (sep, body) = sniff::strip_sep_line(text);
        let skip = (if bom { 3 } else { 0 }) + (text.len() - body.len()) as u64;
        let encoding = if bom { sniff::Encoding::Utf8Bom } else { sniff::Encoding::Utf8 };
        Prepared {
            path: path.to_owned(),
            sheet: None,
            delimiter: sep.unwrap_or_else(|| sniff::sniff_delimiter(body)),
            source: Source::File { skip },
            encoding: encoding.as_str(),
            line_offset: i64::from(sep.is_some()),
            lines,
        }
    } else {
        let bytes = std::fs::read(path).map_err(io)?;
        let encoding = sniff::utf16_of(&bytes).unwrap_or(sniff::Encoding::Windows1252);
        Prepared::from_bytes(path.to_owned(), &sniff::decode_as(&bytes, encoding), encoding)
    };
    Ok(vec![recognise(p, None, cfg)?])
}

/// Checks that an input path can be read and that each of its tables has a format
/// (or fits `--map`), without reading its rows: what `followup check` tries first on
/// every file, so one bad file does not hide the others.
pub fn probe(path: &Path, cfg: &RunConfig) -> Result<()> {
    load(path, cfg, &mut Vec::new()).map(|_| ())
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

/// Reads the header row of a prepared file and detects its format (or takes `forced`,
/// for inputs recognised by their content, such as Capsule entries). A `--map` file
/// decides for the files that hold its columns, detection for the rest.
fn recognise(p: Prepared, forced: Option<&'static FormatSpec>, cfg: &RunConfig) -> Result<(Loaded, FileLedger)> {
    let mut loaded = Loaded {
        lines: p.lines,
        index: 0,
        path: p.path,
        source: p.source,
        line_offset: p.line_offset,
        delimiter: p.delimiter,
        headers: Vec::new(),
        spec: &formats::FOLLOWUP_LOG,
        map: ColumnMap::default(),
    };
    let path = loaded.path.clone();
    let mut header = csv::StringRecord::new();
    if let Some(Some(Flaw::OpenQuote { quote_line, .. })) = Records::open(&loaded, 0, 0)?.next(&mut header)? {
        return Err(Error::Csv {
            path,
            line: quote_line.saturating_add_signed(p.line_offset),
            message: "a quote opened in the header row is never closed".into(),
        });
    }
    let headers: Vec<String> = header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_owned()).collect();
    if headers.iter().all(String::is_empty) {
        return Err(Error::EmptyFile { path });
    }
    let mapped = match (&cfg.map, forced) {
        (Some(m), None) => m.fit(&path, &headers)?.map(|map| (m.spec(), map)),
        _ => None,
    };
    let (spec, map, format) = match mapped {
        Some((spec, map)) => (spec, map, Format { id: spec.id, mapped: true }.to_string()),
        None => {
            let detected = match forced {
                Some(spec) => Detection::Found(spec, ColumnMap::from_headers(&headers, spec)),
                None => formats::detect(&headers),
            };
            match detected {
                Detection::Found(spec, map) => (spec, map, spec.name().to_owned()),
                Detection::Mismatch { closest, missing } => {
                    if let Some(m) = &cfg.map {
                        // The user gave a map: what it lacks is the more useful message.
                        return Err(m.missing_error(&path, &headers, m.missing(&headers)));
                    }
                    return Err(Error::UnknownFormat { path, found: headers, closest, missing });
                }
            }
        }
    };
    let ledger = FileLedger {
        path: path.display().to_string(),
        format,
        encoding: p.encoding.to_owned(),
        delimiter: sniff::delimiter_name(p.delimiter).to_owned(),
        sheet: p.sheet,
        ..Default::default()
    };
    loaded.headers = headers;
    loaded.spec = spec;
    loaded.map = map;
    Ok((loaded, ledger))
}

fn csv_error(path: &Path, e: &csv::Error, line_offset: i64) -> Error {
    Error::Csv {
        path: path.to_owned(),
        line: e.position().map_or(0, |p| p.line()).saturating_add_signed(line_offset),
        message: e.to_string(),
    }
}

/// Reads every input file of the run.
pub fn ingest(cfg: &RunConfig) -> Result<Ingested> {
    let mut loaded = Vec::with_capacity(cfg.inputs.len());
    let mut files = Vec::with_capacity(cfg.inputs.len());
    let mut skipped = Vec::new();
    for path in &cfg.inputs {
        for (mut l, f) in load(path, cfg, &mut skipped)? {
            l.index = files.len();
            loaded.push(l);
            files.push(f);
        }
    }
    let rank = |l: &Loaded| match (l.spec.rows, l.spec.id) {
        (RowKind::Deal, _) => 0,
        (RowKind::Touch, FormatId::FollowupLog) => 1,
        (RowKind::Touch, _) => 2,
    };
    loaded.sort_by_key(|l| (rank(l), l.index));
    let mut b = Builder::new(cfg, loaded.iter().any(|l| l.spec.rows == RowKind::Deal));
    let rows = |kind: RowKind| loaded.iter().filter(|l| l.spec.rows == kind).map(|l| l.lines).sum::<usize>();
    b.reserve(rows(RowKind::Deal), rows(RowKind::Touch));
    b.ingested.ledger.files = files;
    b.ingested.ledger.skipped = skipped;
    let timer = crate::Timer::new();
    for l in &loaded {
        b.read_file(l)?;
        timer.lap(&format!("read {}", l.spec.name()));
    }
    Ok(b.finish())
}

/// Deal ids to deal indices: a hash table of row numbers that hashes the ids where they
/// are stored ([`crate::model::StrCol`]), so no id is stored twice.
#[derive(Default)]
struct DealIndex {
    table: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl DealIndex {
    fn get(&self, ids: &crate::model::StrCol, key: &str) -> Option<u32> {
        self.table.find(self.hasher.hash_one(key), |&i| ids.get(i as usize) == key).copied()
    }

    /// Makes room for `n` more deals, so the table is not rehashed while it fills (a
    /// rehash re-reads every stored id: 6% of a million-deal run before this).
    fn reserve(&mut self, ids: &crate::model::StrCol, n: usize) {
        let hasher = &self.hasher;
        self.table.reserve(n, |&j| hasher.hash_one(ids.get(j as usize)));
    }

    /// Indexes the last row of `ids` as deal `i`.
    fn insert(&mut self, ids: &crate::model::StrCol, i: u32) {
        let hasher = &self.hasher;
        self.table.insert_unique(hasher.hash_one(ids.get(i as usize)), i, |&j| hasher.hash_one(ids.get(j as usize)));
    }
}

/// A deal's currency: its currency cell, else its amount's symbol, else the default.
fn currency_of<'a>(d: &'a DealCells, default: &'a str) -> std::borrow::Cow<'a, str> {
    match (d.currency, d.amount.as_ref().and_then(|(_, c)| c.as_deref())) {
        (Some(c), _) if c.bytes().all(|b| b.is_ascii_uppercase()) => c.into(),
        (Some(c), _) => c.to_ascii_uppercase().into(),
        (None, Some(sym)) => sym.into(),
        (None, None) => default.into(),
    }
}

/// Looks `raw` up in a parse cache, parsing and storing it on a miss.
fn cached<T: Clone>(cache: &mut FxHashMap<String, T>, raw: &str, parse: impl FnOnce(&str) -> T) -> T {
    if let Some(v) = cache.get(raw) {
        return v.clone();
    }
    let v = parse(raw);
    cache.insert(raw.to_owned(), v.clone());
    v
}

/// Records read on the reader thread, with the flaws of some (by index, ascending).
#[derive(Default)]
struct Batch {
    records: Vec<csv::StringRecord>,
    flaws: Vec<(usize, Flaw)>,
}

/// The outcome of one row.
enum Row {
    Used,
    Duplicate,
    Rejected { column: Option<usize>, value: String, reason: String },
}

fn reject(column: Option<usize>, value: &str, e: CellError) -> Row {
    Row::Rejected { column, value: value.to_owned(), reason: e.to_string() }
}

/// A value with the (time, seq) key of the log row that gave it; the latest wins.
type Slot<T> = Option<((i64, u32), T)>;

fn offer<T>(slot: &mut Slot<T>, key: (i64, u32), v: T) {
    if slot.as_ref().is_none_or(|(k, _)| key >= *k) {
        *slot = Some((key, v));
    }
}

/// Deal columns gathered from the rows of a follow-up log (docs/decisions.md).
#[derive(Debug, Default)]
struct LogDeal {
    name: Slot<String>,
    stage: Slot<String>,
    status: Slot<Status>,
    amount: Slot<(f64, Option<String>)>,
    currency: Slot<String>,
    created: Slot<i64>,
    closed: Slot<i64>,
    cadence: Slot<String>,
    owner: Slot<String>,
    touch_count: Slot<u32>,
    first_row_at: Option<i64>,
    first_closed_row_at: Option<i64>,
}

/// Deal cells of one row, parsed and checked.
#[derive(Debug, Default)]
struct DealCells<'a> {
    name: Option<&'a str>,
    stage: Option<&'a str>,
    status: Option<Status>,
    amount: Option<(f64, Option<String>)>,
    currency: Option<&'a str>,
    created: Option<i64>,
    closed: Option<i64>,
    cadence: Option<&'a str>,
    owner: Option<&'a str>,
    touch_count: Option<u32>,
}

struct Builder<'c> {
    cfg: &'c RunConfig,
    ingested: Ingested,
    deal_index: DealIndex,
    /// Where each deal was defined by a deals file: (file index, line); None otherwise.
    deal_origin: Vec<Option<(usize, u64)>>,
    log_deals: FxHashMap<u32, LogDeal>,
    have_deal_files: bool,
    /// The file being read (index into the ledger's files).
    file: usize,
    seq: u32,
    /// The deal of the previous touch row.
    last_deal: Option<u32>,
    /// Low-cardinality cells parsed once per distinct raw text (channel, direction,
    /// outcome): millions of rows, a few dozen spellings.
    channels: FxHashMap<String, ChannelCell>,
    directions: FxHashMap<String, Result<Direction, CellError>>,
    outcomes: FxHashMap<String, (OutcomeClass, bool, u64)>,
}

impl<'c> Builder<'c> {
    fn new(cfg: &'c RunConfig, have_deal_files: bool) -> Self {
        let mut ingested = Ingested::default();
        ingested.tables.deals.text.intern("");
        Builder {
            cfg,
            ingested,
            deal_index: DealIndex::default(),
            deal_origin: Vec::new(),
            log_deals: FxHashMap::default(),
            have_deal_files,
            file: 0,
            seq: 0,
            last_deal: None,
            channels: FxHashMap::default(),
            directions: FxHashMap::default(),
            outcomes: FxHashMap::default(),
        }
    }

    /// Sizes the tables once for (at most) this many deal and touch rows.
    fn reserve(&mut self, deal_rows: usize, touch_rows: usize) {
        let d = &mut self.ingested.tables.deals;
        d.stage.reserve(deal_rows);
        d.status.reserve(deal_rows);
        d.amount.reserve(deal_rows);
        d.currency.reserve(deal_rows);
        d.created_at.reserve(deal_rows);
        d.closed_at.reserve(deal_rows);
        d.cadence.reserve(deal_rows);
        d.owner.reserve(deal_rows);
        d.touch_count.reserve(deal_rows);
        self.deal_origin.reserve(deal_rows);
        self.deal_index.reserve(&d.id, deal_rows);
        d.id.reserve(deal_rows);
        d.name.reserve(deal_rows);
        let t = &mut self.ingested.tables.touches;
        t.deal.reserve(touch_rows);
        t.at.reserve(touch_rows);
        t.seq.reserve(touch_rows);
        t.channel.reserve(touch_rows);
        t.direction.reserve(touch_rows);
        t.event.reserve(touch_rows);
        t.cadence.reserve(touch_rows);
        t.owner.reserve(touch_rows);
        self.ingested.touch_detail.reserve(touch_rows);
    }

    /// Reads every row of a file. Parsing CSV and handling rows run on two threads: a
    /// reader thread fills batches of records, this thread turns them into table rows
    /// in order, and the emptied batches go back to be refilled (no allocation per row).
    fn read_file(&mut self, l: &Loaded) -> Result<()> {
        const BATCH: usize = 4096;
        let mut records = Records::open(l, 0, 0)?;
        self.file = l.index;
        if l.spec.rows == RowKind::Touch {
            self.ingested.seq_files.push((self.seq, l.index));
        }
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || -> Result<()> {
                // The header row, read and checked by `recognise`.
                records.next(&mut csv::StringRecord::new())?;
                loop {
                    let mut batch = empty_rx.try_recv().unwrap_or_default();
                    batch.flaws.clear();
                    batch.records.resize_with(BATCH, csv::StringRecord::new);
                    let mut n = 0;
                    while let Some(rec) = batch.records.get_mut(n) {
                        match records.next(rec)? {
                            None => break,
                            Some(flaw) => {
                                if let Some(flaw) = flaw {
                                    batch.flaws.push((n, flaw));
                                }
                                n += 1;
                            }
                        }
                    }
                    batch.records.truncate(n);
                    if n == 0 || full_tx.send(batch).is_err() {
                        return Ok(()); // end of file, or the row thread stopped
                    }
                }
            });
            let rows = (|| {
                for batch in full_rx {
                    let mut flaws = batch.flaws.iter().peekable();
                    for (i, rec) in batch.records.iter().enumerate() {
                        let flaw = flaws.next_if(|(at, _)| *at == i).map(|(_, f)| f);
                        self.read_row(l, rec, flaw)?;
                    }
                    let _ = empty_tx.send(batch);
                }
                Ok(())
            })();
            match reader.join() {
                Ok(r) => r.and(rows),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }

    /// Turns one record into table rows and books it in the ledger.
    fn read_row(&mut self, l: &Loaded, rec: &csv::StringRecord, flaw: Option<&Flaw>) -> Result<()> {
        let line = rec.position().map_or(0, |p| p.line()).saturating_add_signed(l.line_offset);
        let outcome = if let Some(flaw) = flaw {
            match flaw {
                Flaw::OpenQuote { column, quote_line, value } => Row::Rejected {
                    column: Some(*column),
                    value: value.clone(),
                    reason: if quote_line.saturating_add_signed(l.line_offset) == line {
                        "quote opened here is never closed: the rows after this line were read on their own; close the quote or remove it".to_owned()
                    } else {
                        format!(
                            "quote opened on line {} is never closed: the rows after that line were read on their own; close the quote or remove it",
                            quote_line.saturating_add_signed(l.line_offset)
                        )
                    },
                },
                Flaw::NotUtf8 { column, byte, value } => Row::Rejected {
                    column: Some(*column),
                    value: value.clone(),
                    reason: format!(
                        "byte 0x{byte:02X} in this cell is not UTF-8 (the rest of the file is): retype the cell, or save the file again as \"CSV UTF-8\""
                    ),
                },
            }
        } else if rec.len() != l.headers.len() {
            Row::Rejected {
                column: None,
                value: String::new(),
                reason: format!(
                    "the row has {} cells but the header has {}: a stray delimiter or an unclosed quote?",
                    rec.len(),
                    l.headers.len()
                ),
            }
        } else {
            match l.spec.rows {
                RowKind::Deal => self.deal_row(rec, &l.map, l.index, line),
                RowKind::Touch => self.touch_row(rec, l.spec, &l.map, l.spec.id == FormatId::FollowupLog),
            }
        };
        let overflow = || Error::Compute(format!("{}: too many rows to count", l.path.display()));
        let Some(f) = self.ingested.ledger.files.get_mut(l.index) else { return Err(overflow()) };
        self.seq = self.seq.checked_add(1).ok_or_else(overflow)?;
        match outcome {
            Row::Used => f.book(Booking::Used).ok_or_else(overflow)?,
            Row::Duplicate => f.book(Booking::Duplicate).ok_or_else(overflow)?,
            Row::Rejected { column, value, mut reason } => {
                f.book(Booking::Rejected).ok_or_else(overflow)?;
                if let Some(what) = match l.spec.id {
                    FormatId::CapsuleEntries => Some("entry"),
                    FormatId::PipedriveApiActivities => Some("activity"),
                    _ => None,
                } {
                    reason = format!("{what} id {:?}: {reason}", rec.get(0).unwrap_or(""));
                }
                self.ingested.ledger.rejected.push(RejectedRow {
                    file: l.path.display().to_string(),
                    line,
                    column: column.and_then(|c| l.headers.get(c)).cloned().unwrap_or_default(),
                    value,
                    reason,
                });
            }
        }
        Ok(())
    }

    fn cell<'r>(rec: &'r csv::StringRecord, map: &ColumnMap, f: Field) -> Option<&'r str> {
        map.get(f).and_then(|i| rec.get(i)).map(cells::trim_cell).filter(|s| !s.is_empty())
    }

    /// Reads and checks the deal columns of a row.
    fn deal_cells<'r>(&self, rec: &'r csv::StringRecord, map: &ColumnMap) -> Result<DealCells<'r>, Row> {
        let c = |f| Self::cell(rec, map, f);
        let col = |f| map.get(f);
        let mut d = DealCells {
            name: c(Field::Name),
            stage: c(Field::Stage),
            currency: c(Field::Currency),
            cadence: c(Field::Cadence),
            owner: c(Field::Owner),
            ..Default::default()
        };
        if let Some(s) = c(Field::Status) {
            let word = map.value(ValueKind::Status, s).unwrap_or(s);
            d.status = Some(cells::parse_status(word).ok_or_else(|| Row::Rejected {
                column: col(Field::Status),
                value: s.to_owned(),
                reason: format!("unknown status {s:?}: expected won, lost or open"),
            })?);
        }
        if d.status.is_none() {
            d.status = Self::status_from_flags(rec, map)?;
        }
        if d.status.is_none() {
            // A `--map` [status] entry for the stage decides before the stage rules.
            d.status = d.stage.and_then(|st| map.value(ValueKind::Status, st)).and_then(cells::parse_status);
        }
        if let Some(s) = c(Field::Amount) {
            d.amount = cells::parse_amount(s).map_err(|e| reject(col(Field::Amount), s, e))?;
        }
        let (day_first, tz) = (self.cfg.day_first, self.cfg.timezone);
        if let Some(s) = c(Field::CreatedAt) {
            d.created = Some(cells::parse_datetime_in(s, day_first, tz).map_err(|e| reject(col(Field::CreatedAt), s, e))?);
        }
        if let Some(s) = c(Field::ClosedAt) {
            d.closed = Some(cells::parse_datetime_in(s, day_first, tz).map_err(|e| reject(col(Field::ClosedAt), s, e))?);
        }
        if let Some(s) = c(Field::TouchCount) {
            d.touch_count = cells::parse_count(s).map_err(|e| reject(col(Field::TouchCount), s, e))?;
        }
        if let Some(cur) = d.currency {
            if cur.len() != 3 || !cur.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(Row::Rejected {
                    column: col(Field::Currency),
                    value: cur.to_owned(),
                    reason: format!("unknown currency {cur:?}: expected an ISO code such as USD, EUR or GBP"),
                });
            }
        }
        Ok(d)
    }

    /// Status from won/lost flags (HubSpot "Is Closed Won" / "Is closed lost"), else from
    /// a stage probability of 1.0 (won) or 0.0 (lost); `None` when the row has neither.
    fn status_from_flags(rec: &csv::StringRecord, map: &ColumnMap) -> Result<Option<Status>, Row> {
        let flag = |f: Field| -> Result<Option<bool>, Row> {
            match Self::cell(rec, map, f) {
                None => Ok(None),
                Some(v) => cells::parse_bool(v).map(Some).map_err(|e| reject(map.get(f), v, e)),
            }
        };
        let (won, lost) = (flag(Field::WonFlag)?, flag(Field::LostFlag)?);
        if won.is_some() || lost.is_some() {
            return Ok(Some(match (won, lost) {
                (Some(true), _) => Status::Won,
                (_, Some(true)) => Status::Lost,
                _ => Status::Open,
            }));
        }
        match Self::cell(rec, map, Field::Probability) {
            None => Ok(None),
            Some(v) => match cells::parse_amount(v) {
                Ok(Some((p, None))) if p == 1.0 || p == 100.0 => Ok(Some(Status::Won)),
                Ok(Some((p, None))) if p == 0.0 => Ok(Some(Status::Lost)),
                Ok(Some((_, None))) => Ok(Some(Status::Open)),
                _ => Err(Row::Rejected {
                    column: map.get(Field::Probability),
                    value: v.to_owned(),
                    reason: format!("unreadable probability {v:?}: expected a number such as 0.4"),
                }),
            },
        }
    }

    /// The deal key of a row: the deal id column, else the name.
    fn deal_key<'r>(rec: &'r csv::StringRecord, map: &ColumnMap) -> Result<&'r str, Row> {
        let col = map.get(Field::DealId).or(map.get(Field::Name));
        let raw = col.and_then(|i| rec.get(i)).unwrap_or("");
        cells::parse_id(raw).map_err(|e| match e {
            CellError::Empty => Row::Rejected {
                column: col,
                value: String::new(),
                reason: "no deal id or deal name: every row needs the deal it belongs to".into(),
            },
            e => reject(col, raw, e),
        })
    }

    /// Status of a deal from its status cell or, failing that, its stage.
    fn status(&self, status: Option<Status>, stage: &str) -> Status {
        if let Some(s) = status {
            return s;
        }
        let named = |list: &[String]| list.iter().any(|w| w.eq_ignore_ascii_case(stage.trim()) || *w == stage.trim().to_lowercase());
        if !self.cfg.won_stages.is_empty() && named(&self.cfg.won_stages) {
            Status::Won
        } else if !self.cfg.lost_stages.is_empty() && named(&self.cfg.lost_stages) {
            Status::Lost
        } else {
            cells::status_from_stage(stage)
        }
    }

    fn new_deal(&mut self, key: &str) -> u32 {
        let deals = &mut self.ingested.tables.deals;
        let i = deals.id.len() as u32;
        let default_currency = deals.text.intern(&self.cfg.currency);
        deals.id.push(key);
        deals.name.push("");
        deals.stage.push(0);
        deals.status.push(Status::Open);
        deals.amount.push(None);
        deals.currency.push(default_currency);
        deals.created_at.push(None);
        deals.closed_at.push(None);
        deals.cadence.push(0);
        deals.owner.push(0);
        deals.touch_count.push(None);
        self.deal_origin.push(None);
        self.ingested.deal_file.push(self.file as u32);
        self.deal_index.insert(&self.ingested.tables.deals.id, i);
        i
    }

    /// Writes parsed deal cells into deal `i` (deals-file rows and finished log deals).
    fn set_deal(&mut self, i: usize, d: &DealCells) {
        let status = self.status(d.status, d.stage.unwrap_or(""));
        let deals = &mut self.ingested.tables.deals;
        if let Some(n) = d.name {
            deals.name.set(i, if n == deals.id.get(i) { "" } else { n });
        }
        deals.stage[i] = deals.text.intern(d.stage.unwrap_or(""));
        deals.status[i] = status;
        deals.amount[i] = d.amount.as_ref().map(|(v, _)| *v);
        deals.currency[i] = deals.text.intern(&currency_of(d, &self.cfg.currency));
        deals.created_at[i] = d.created;
        deals.closed_at[i] = d.closed;
        deals.cadence[i] = deals.text.intern(d.cadence.unwrap_or(""));
        deals.owner[i] = deals.text.intern(d.owner.unwrap_or(""));
        deals.touch_count[i] = d.touch_count;
    }

    /// True when deal `i` already holds exactly these cells.
    fn same_deal(&self, i: usize, d: &DealCells) -> bool {
        let deals = &self.ingested.tables.deals;
        let text = &deals.text;
        let currency = currency_of(d, &self.cfg.currency);
        deals.name(i) == d.name.unwrap_or(deals.id.get(i))
            && text.get(deals.stage[i]) == d.stage.unwrap_or("")
            && deals.status[i] == self.status(d.status, d.stage.unwrap_or(""))
            && deals.amount[i] == d.amount.as_ref().map(|(v, _)| *v)
            && text.get(deals.currency[i]) == currency
            && deals.created_at[i] == d.created
            && deals.closed_at[i] == d.closed
            && text.get(deals.cadence[i]) == d.cadence.unwrap_or("")
            && text.get(deals.owner[i]) == d.owner.unwrap_or("")
            && deals.touch_count[i] == d.touch_count
    }

    fn deal_row(&mut self, rec: &csv::StringRecord, map: &ColumnMap, file: usize, line: u64) -> Row {
        let key = match Self::deal_key(rec, map) {
            Ok(k) => k,
            Err(row) => return row,
        };
        let cells = match self.deal_cells(rec, map) {
            Ok(d) => d,
            Err(row) => return row,
        };
        if let Some(i) = self.deal_index.get(&self.ingested.tables.deals.id, key) {
            if self.same_deal(i as usize, &cells) {
                return Row::Duplicate;
            }
            let (f, l) = self.deal_origin[i as usize].unwrap_or((file, 0));
            return Row::Rejected {
                column: map.get(Field::DealId).or(map.get(Field::Name)),
                value: key.to_owned(),
                reason: format!(
                    "deal {key:?} is already defined on line {l} of {} with different values; keep one row per deal",
                    self.ingested.ledger.files[f].path
                ),
            };
        }
        let i = self.new_deal(key) as usize;
        self.deal_origin[i] = Some((file, line));
        self.set_deal(i, &cells);
        Row::Used
    }

    fn touch_row(&mut self, rec: &csv::StringRecord, spec: &FormatSpec, map: &ColumnMap, is_log: bool) -> Row {
        // The deal(s): one key, or several `;`-separated ids (HubSpot associations; only
        // ids columns are split, names may contain `;`).
        let mut keys: Vec<&str> = Vec::with_capacity(1);
        if let Some(col) = map.get(Field::DealIds) {
            let cell = rec.get(col).unwrap_or("");
            for id in cell.split(';').map(cells::trim_cell).filter(|s| !s.is_empty()) {
                match cells::parse_id(id) {
                    Ok(id) => keys.push(id),
                    Err(e) => return reject(Some(col), cell, e),
                }
            }
            // One row listing a deal twice is one touch of that deal.
            if keys.len() > 1 {
                let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(keys.len(), Default::default());
                keys.retain(|k| seen.insert(*k));
            }
        } else {
            match Self::deal_key(rec, map) {
                Ok(k) => keys.push(k),
                Err(row) => return row,
            }
        }
        let deal_cells = if is_log {
            match self.deal_cells(rec, map) {
                Ok(d) => Some(d),
                Err(row) => return row,
            }
        } else {
            None
        };
        let at_col = map.get(Field::At);
        let at_raw = cells::trim_cell(at_col.and_then(|i| rec.get(i)).unwrap_or(""));
        let at = if at_raw.is_empty() && is_log {
            None
        } else {
            match cells::parse_datetime_in(at_raw, self.cfg.day_first, self.cfg.timezone) {
                Ok(t) => Some(t),
                Err(e) => return reject(at_col, at_raw, e),
            }
        };
        let direction = match Self::cell(rec, map, Field::Direction) {
            None => Direction::Outbound,
            Some(raw) => match cached(&mut self.directions, map.value(ValueKind::Direction, raw).unwrap_or(raw), cells::parse_direction) {
                Ok(d) => d,
                Err(e) => return reject(map.get(Field::Direction), raw, e),
            },
        };
        let channel = match spec.channel {
            Some(formats::ChannelOf::Touch(c)) => ChannelCell::Touch(c),
            Some(formats::ChannelOf::NotATouch) => ChannelCell::NotATouch,
            None => Self::cell(rec, map, Field::Channel)
                .map_or(ChannelCell::Touch(Channel::Other), |raw| {
                    cached(&mut self.channels, map.value(ValueKind::Channel, raw).unwrap_or(raw), cells::parse_channel)
                }),
        };
        let outcome = Self::cell(rec, map, Field::Outcome).map_or("", |raw| map.value(ValueKind::Outcome, raw).unwrap_or(raw));
        let subject = Self::cell(rec, map, Field::Subject).unwrap_or("");
        // Every cell is valid: from here on the row is used (or a duplicate).
        if keys.is_empty() {
            // An activity linked to no deal is no deal's touch: counted, not used.
            self.ingested.ledger.unlinked += 1;
            return Row::Used;
        }
        let mut row_deals: Vec<u32> = Vec::with_capacity(keys.len());
        let mut missing: Vec<&str> = Vec::new();
        for key in &keys {
            // Exports usually list a deal's touches together: remember the last deal.
            let memo = self.last_deal.filter(|&d| self.ingested.tables.deals.id.get(d as usize) == *key);
            match memo.or_else(|| self.deal_index.get(&self.ingested.tables.deals.id, key)) {
                Some(i) => row_deals.push(i),
                None if self.have_deal_files && !is_log => missing.push(key),
                None => row_deals.push(self.new_deal(key)),
            }
        }
        if row_deals.is_empty() {
            return Row::Rejected {
                column: map.get(Field::DealIds).or(map.get(Field::DealId)).or(map.get(Field::Name)),
                value: keys.join(";"),
                reason: format!(
                    "no deal {} in the deals file(s): give the deals export that holds it",
                    missing.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ")
                ),
            };
        }
        let deal = row_deals[0];
        self.last_deal = Some(deal);
        let seq = self.seq;
        if let Some(d) = deal_cells {
            let status = self.status(d.status, d.stage.unwrap_or(""));
            let acc = self.log_deals.entry(deal).or_default();
            let k = (at.unwrap_or(i64::MIN), seq);
            if let Some(v) = d.name {
                offer(&mut acc.name, k, v.to_owned());
            }
            if let Some(v) = d.stage {
                offer(&mut acc.stage, k, v.to_owned());
            }
            if let Some(v) = d.status {
                offer(&mut acc.status, k, v);
            }
            if let Some(v) = d.amount {
                offer(&mut acc.amount, k, v);
            }
            if let Some(v) = d.currency {
                offer(&mut acc.currency, k, v.to_owned());
            }
            if let Some(v) = d.created {
                offer(&mut acc.created, k, v);
            }
            if let Some(v) = d.closed {
                offer(&mut acc.closed, k, v);
            }
            if let Some(v) = d.cadence {
                offer(&mut acc.cadence, k, v.to_owned());
            }
            if let Some(v) = d.owner {
                offer(&mut acc.owner, k, v.to_owned());
            }
            if let Some(v) = d.touch_count {
                offer(&mut acc.touch_count, k, v);
            }
            if let Some(t) = at {
                acc.first_row_at = Some(acc.first_row_at.map_or(t, |f| f.min(t)));
                if (d.status.is_some() || d.stage.is_some()) && status != Status::Open {
                    acc.first_closed_row_at = Some(acc.first_closed_row_at.map_or(t, |f| f.min(t)));
                }
            }
        }
        let Some(at) = at else { return Row::Used };
        let ChannelCell::Touch(channel) = channel else {
            self.ingested.ledger.notes_and_tasks += 1;
            return Row::Used;
        };
        let (class, known, outcome_hash) = cached(&mut self.outcomes, outcome, |o| {
            let (class, known) = cells::classify_outcome(o);
            let mut h = FxHasher::default();
            o.to_lowercase().hash(&mut h);
            (class, known, h.finish())
        });
        let ledger = &mut self.ingested.ledger;
        if !known {
            *ledger.unknown_outcomes.entry(outcome.to_owned()).or_default() += 1;
        }
        let event = if class == OutcomeClass::Bounced {
            ledger.bounced += 1;
            return Row::Used;
        } else if class == OutcomeClass::AutoReply
            || (direction == Direction::Inbound
                && channel == Channel::Email
                && outcome.is_empty()
                && cells::is_auto_reply_subject(subject))
        {
            ledger.automatic_replies += 1;
            Event::AutoReply
        } else if class == OutcomeClass::OptOut {
            ledger.opt_outs += 1;
            Event::OptOut
        } else if channel == Channel::Meeting {
            if class == OutcomeClass::NotHeld {
                Event::Plain
            } else {
                Event::Response
            }
        } else if direction == Direction::Inbound || class == OutcomeClass::TwoWay {
            Event::Response
        } else {
            Event::Plain
        };
        let mut h = FxHasher::default();
        outcome_hash.hash(&mut h);
        subject.hash(&mut h);
        let deals = &mut self.ingested.tables.deals;
        let cadence = Self::cell(rec, map, Field::Cadence).map_or(0, |c| deals.text.intern(c));
        let owner = Self::cell(rec, map, Field::Owner).map_or(0, |o| deals.text.intern(o));
        let detail = h.finish();
        for deal in row_deals {
            let t = &mut self.ingested.tables.touches;
            t.deal.push(deal);
            t.at.push(at);
            t.seq.push(seq);
            t.channel.push(channel);
            t.direction.push(direction);
            t.event.push(event);
            t.cadence.push(cadence);
            t.owner.push(owner);
            self.ingested.touch_detail.push(detail);
        }
        Row::Used
    }

    fn finish(mut self) -> Ingested {
        let mut log_deals: Vec<(u32, LogDeal)> = std::mem::take(&mut self.log_deals).into_iter().collect();
        log_deals.sort_by_key(|(i, _)| *i);
        for (i, acc) in log_deals {
            if self.deal_origin[i as usize].is_some() {
                continue; // a deals file defined it: its columns win
            }
            let v = |s: &Slot<String>| s.as_ref().map(|(_, v)| v.clone());
            let (name, stage, currency, cadence, owner) =
                (v(&acc.name), v(&acc.stage), v(&acc.currency), v(&acc.cadence), v(&acc.owner));
            let mut cells = DealCells {
                name: name.as_deref(),
                stage: stage.as_deref(),
                status: acc.status.map(|(_, s)| s),
                amount: acc.amount.map(|(_, a)| a),
                currency: currency.as_deref(),
                created: acc.created.map(|(_, t)| t).or(acc.first_row_at),
                closed: acc.closed.map(|(_, t)| t),
                cadence: cadence.as_deref(),
                owner: owner.as_deref(),
                touch_count: acc.touch_count.map(|(_, c)| c),
            };
            if cells.closed.is_none() && self.status(cells.status, cells.stage.unwrap_or("")) != Status::Open {
                cells.closed = acc.first_closed_row_at;
            }
            self.set_deal(i as usize, &cells);
        }
        self.ingested
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of each record of `text` as the reader sees it, read in chunks of
    /// `chunk` bytes (so runs of line breaks are cut between reads).
    fn record_lines(text: &[u8], chunk: usize) -> Vec<u64> {
        struct Chunked<'a>(&'a [u8], usize);
        impl Read for Chunked<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(chunk.max(1))
            .from_reader(Lines::new(Chunked(text, chunk)));
        let mut rec = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while rdr.read_byte_record(&mut rec).expect("read") {
            let at = rec.position().map_or(0, csv::Position::byte);
            lines.push(rdr.get_mut().line_at(at));
        }
        lines
    }

    #[test]
    fn lines_count_lf_crlf_cr_blank_lines_and_quoted_breaks() {
        for chunk in [1, 2, 3, 7, 1 << 16] {
            assert_eq!(record_lines(b"h\na\nb\n", chunk), [1, 2, 3], "LF, chunk {chunk}");
            assert_eq!(record_lines(b"h\r\na\r\nb\r\n", chunk), [1, 2, 3], "CRLF, chunk {chunk}");
            assert_eq!(record_lines(b"h\ra\rb\r", chunk), [1, 2, 3], "CR, chunk {chunk}");
            assert_eq!(record_lines(b"h\n\na\r\n\r\n\rb", chunk), [1, 3, 6], "blank lines, chunk {chunk}");
            assert_eq!(record_lines(b"h\r\n\"x\r\ny\r\nz\"\r\nb\r\n", chunk), [1, 2, 5], "quoted CRLF, chunk {chunk}");
            assert_eq!(record_lines(b"h\r\"x\ry\"\rb", chunk), [1, 2, 4], "quoted CR, chunk {chunk}");
        }
        assert_eq!(count_breaks(b"a\r\nb\nc\rd\n\r"), 5);
    }

    #[test]
    fn an_open_quote_is_found_only_when_it_runs_to_the_end() {
        assert_eq!(open_quote_at_end(b"a,\"b\nc,d\n", b','), Some((2, 1)));
        assert_eq!(open_quote_at_end(b"\r\na,b,\"", b','), Some((6, 2)));
        assert_eq!(open_quote_at_end(b"a;\"b\"\"c\n", b';'), Some((2, 1)), "an escaped quote does not close");
        assert_eq!(open_quote_at_end(b"a,\"b\nc\"\n", b','), None, "closed on the next line");
        assert_eq!(open_quote_at_end(b"a,\"b\"\"\"\n", b','), None);
        assert_eq!(open_quote_at_end(b"a,5\" screen\n", b','), None, "a quote inside an unquoted cell is text");
        assert_eq!(open_quote_at_end(b"a,\"b\"x\"y\n", b','), None, "text after a closing quote");
        assert_eq!(open_quote_at_end(b"", b','), None);
    }
}
