//! Records of a CSV text, each with the line it truly starts on (LF, CRLF and CR line
//! ends, blank lines, quoted cells holding line breaks) and its flaw: a quote that is
//! never closed, or bytes that are not UTF-8 in a file read as UTF-8 (SPEC §5: every
//! physical line is read or named in a rejected row).

use std::io::Read;
use std::path::Path;

use super::recognise::Loaded;
use crate::error::{Error, Result};

/// A reader that notes where the line breaks of the bytes passing through it fall, so
/// that each record gets the line it truly starts on. The `csv` crate counts line feeds
/// only, and from where the previous record ended: with CRLF line ends every record
/// was named one line early (a record ends at the CR, its LF is read with the next
/// one), with CR-only line ends all on line 1, and a record after blank lines too
/// early. Here a CR, an LF and a CRLF are each one line break, and every run of breaks
/// that starts before a record's first byte is counted for it. Only the runs read
/// ahead of the parser are kept (its buffer's worth).
pub(super) struct Lines<R> {
    pub(super) inner: R,
    /// Bytes read so far.
    pub(super) read: u64,
    /// Runs of line-break bytes not yet passed: (offset of the run's first byte, breaks).
    pub(super) runs: std::collections::VecDeque<(u64, u64)>,
    /// Breaks in the runs already passed.
    pub(super) passed: u64,
    /// Offset of the last break byte seen, and whether it was a CR.
    pub(super) last: Option<(u64, bool)>,
    /// Whether the last run was passed while it may still grow.
    pub(super) last_passed: bool,
    /// Whether the inner reader reached its end.
    pub(super) eof: bool,
}

impl<R> Lines<R> {
    pub(super) fn new(inner: R) -> Self {
        Lines { inner, read: 0, runs: Default::default(), passed: 0, last: None, last_passed: false, eof: false }
    }

    /// The 1-based line of the record `csv` places at byte `at` (where the previous
    /// record's terminator ended): the line breaks of every run starting at or before
    /// `at` precede the record's first byte.
    pub(super) fn line_at(&mut self, at: u64) -> u64 {
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
pub(super) fn count_breaks(bytes: &[u8]) -> u64 {
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
pub(super) fn open_quote_at_end(bytes: &[u8], delimiter: u8) -> Option<(usize, usize)> {
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
pub(super) enum Flaw {
    /// A quote opened in cell `column` on line `quote_line` and never closed. The
    /// record ends at that line; the rows after it are read on their own.
    OpenQuote { column: usize, quote_line: u64, value: String },
    /// Cell `column` holds bytes that are not UTF-8 in a file read as UTF-8.
    NotUtf8 { column: usize, byte: u8, value: String },
}

/// The records of a file through `csv`, each with the line it truly starts on (see
/// [`Lines`]) and its [`Flaw`], if any. The first record is the header row.
pub(super) struct Records<'a> {
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
    pub(super) fn open(l: &'a Loaded, start: u64, line_base: u64) -> Result<Self> {
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
    pub(super) fn next(&mut self, rec: &mut csv::StringRecord) -> Result<Option<Option<Flaw>>> {
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
    pub(super) fn open_quote(&mut self, at: u64, line: u64) -> Result<Option<Flaw>> {
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
pub(super) fn read_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map_or(0, csv::Position::line);
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io { path: path.to_owned(), source },
        _ => Error::Csv { path: path.to_owned(), line, message },
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
