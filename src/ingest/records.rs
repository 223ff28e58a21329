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

/// One record of a [`RecordBuf`]: its cells' text and where each cell ends in it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rec<'a> {
    text: &'a str,
    ends: &'a [usize],
    line: u64,
}

impl<'a> Rec<'a> {
    /// Cell `i`, if the record has it.
    pub(super) fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Number of cells.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The line the record truly starts on (before the file's line offset).
    pub(super) fn line(&self) -> u64 {
        self.line
    }

    /// The cells in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let rec = *self;
        (0..rec.len()).map(move |i| rec.get(i).unwrap_or(""))
    }
}

/// Where a record of a [`RecordBuf`] lies in its buffers.
#[derive(Debug, Clone, Copy)]
struct Span {
    text: (usize, usize),
    ends: (usize, usize),
    line: u64,
}

/// Records stored one after the other: the text of all their cells in one buffer and
/// the cells' ends in another (issue 12). The row thread reads a batch front to back,
/// so its memory comes in order, where a record each with its own buffers had it chase
/// three pointers per record, each a cache miss on data the reader thread wrote. The
/// buffers are kept when cleared: a batch refilled allocates nothing.
#[derive(Debug, Default)]
pub(super) struct RecordBuf {
    text: String,
    /// Each cell's end, from the start of its record's text.
    ends: Vec<usize>,
    spans: Vec<Span>,
    /// The flaws of some records, by index (ascending).
    pub(super) flaws: Vec<(usize, Flaw)>,
}

impl RecordBuf {
    /// Number of records.
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Record `i`.
    pub(super) fn get(&self, i: usize) -> Option<Rec<'_>> {
        let s = self.spans.get(i)?;
        Some(Rec { text: self.text.get(s.text.0..s.text.1)?, ends: self.ends.get(s.ends.0..s.ends.1)?, line: s.line })
    }

    /// The records in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = Rec<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Empties the buffer, keeping its memory.
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.spans.clear();
        self.flaws.clear();
    }

    /// Appends a record of these cells, starting on `line`.
    pub(super) fn push<'c>(&mut self, cells: impl IntoIterator<Item = &'c str>, line: u64) {
        let (text, ends) = (self.text.len(), self.ends.len());
        for cell in cells {
            self.text.push_str(cell);
            self.ends.push(self.text.len() - text);
        }
        self.spans.push(Span { text: (text, self.text.len()), ends: (ends, self.ends.len()), line });
    }

    /// Appends a copy of `rec` (without its flaw).
    pub(super) fn push_rec(&mut self, rec: Rec<'_>) {
        self.push(rec.iter(), rec.line);
    }

    /// Appends a record whose cells are valid UTF-8 as a whole, `text` (see
    /// [`Records::next`]).
    fn push_text(&mut self, text: &str, cell_lens: impl Iterator<Item = usize>, line: u64) {
        let (start, ends) = (self.text.len(), self.ends.len());
        self.text.push_str(text);
        let mut end = 0;
        for len in cell_lens {
            end += len;
            self.ends.push(end);
        }
        self.spans.push(Span { text: (start, self.text.len()), ends: (ends, self.ends.len()), line });
    }
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
    /// The record being read (its buffers kept from one record to the next).
    raw: csv::ByteRecord,
}

impl<'a> Records<'a> {
    pub(super) fn open(l: &'a Loaded, start: u64, line_base: u64) -> Result<Self> {
        let rdr = csv::ReaderBuilder::new()
            .delimiter(l.delimiter)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(1 << 20)
            .from_reader(Lines::new(l.open_at(start)?));
        Ok(Records { l, rdr, start, line_base, resume: None, raw: csv::ByteRecord::new() })
    }

    /// Reads the next record into `out` (its flaw, if any, too), with its true line.
    /// False at the end of the file.
    pub(super) fn next(&mut self, out: &mut RecordBuf) -> Result<bool> {
        loop {
            if !self.rdr.read_byte_record(&mut self.raw).map_err(|e| read_error(&self.l.path, e))? {
                match self.resume.take() {
                    Some((start, line_base)) => {
                        let raw = std::mem::take(&mut self.raw);
                        *self = Records::open(self.l, start, line_base)?;
                        self.raw = raw;
                        continue;
                    }
                    None => return Ok(false),
                }
            }
            let at = self.raw.position().map_or(0, csv::Position::byte);
            let line = self.rdr.get_mut().line_at(at).saturating_add(self.line_base);
            // A record read up to the end of the file may have swallowed the rest of
            // it in an unclosed quote (the one rescan of bytes: the last record only).
            let lines = self.rdr.get_ref();
            let mut flaw = None;
            if lines.eof && self.rdr.position().byte() == lines.read {
                flaw = self.open_quote(at, line)?;
            }
            // Valid UTF-8 as a whole, and each cell too (a cell may not end inside a
            // character that the next cell finishes): the `csv` crate's check, once.
            let raw = &self.raw;
            let whole = std::str::from_utf8(raw.as_slice()).ok().filter(|text| {
                let mut end = 0;
                raw.iter().all(|cell| {
                    end += cell.len();
                    text.is_char_boundary(end)
                })
            });
            match whole {
                Some(text) => out.push_text(text, raw.iter().map(<[u8]>::len), line),
                None => {
                    let bad = raw.iter().enumerate().find_map(|(column, cell)| {
                        std::str::from_utf8(cell).err().map(|e| (column, cell, e.valid_up_to()))
                    });
                    if let Some((column, cell, valid)) = bad {
                        let byte = cell.get(valid).copied().unwrap_or(0);
                        let value = String::from_utf8_lossy(cell).into_owned();
                        flaw = flaw.or(Some(Flaw::NotUtf8 { column, byte, value }));
                    }
                    let cells: Vec<_> = raw.iter().map(String::from_utf8_lossy).collect();
                    out.push(cells.iter().map(|c| c.as_ref()), line);
                }
            }
            if let Some(flaw) = flaw {
                out.flaws.push((out.len() - 1, flaw));
            }
            return Ok(true);
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

    #[test]
    fn a_batch_keeps_each_record_its_cells_line_and_flaw() {
        let l = Loaded {
            lines: 0,
            index: 0,
            path: "t.csv".into(),
            source: super::super::load::Source::Bytes(
                b"h1,h2,h3\r\na,\"x\r\ny\",\xC3\xA9\r\n\"\xC3\",\xA9,z\r\n,,\n".to_vec(),
            ),
            line_offset: 0,
            delimiter: b',',
            headers: Vec::new(),
            spec: &crate::ingest::formats::FOLLOWUP_LOG,
            map: Default::default(),
        };
        let mut records = Records::open(&l, 0, 0).expect("open");
        let mut buf = RecordBuf::default();
        while records.next(&mut buf).expect("read") {}
        let got: Vec<(u64, Vec<&str>)> = buf.iter().map(|r| (r.line(), r.iter().collect())).collect();
        assert_eq!(
            got,
            [
                (1, vec!["h1", "h2", "h3"]),
                (2, vec!["a", "x\r\ny", "\u{e9}"]),
                // A character cut between two cells is two bad cells, not one good one.
                (4, vec!["\u{fffd}", "\u{fffd}", "z"]),
                (5, vec!["", "", ""]),
            ]
        );
        assert!(matches!(buf.flaws.as_slice(), [(2, Flaw::NotUtf8 { column: 0, byte: 0xC3, .. })]), "{:?}", buf.flaws);
        assert_eq!(buf.get(1).and_then(|r| r.get(3)), None);
        let mut copy = RecordBuf::default();
        copy.push_rec(buf.get(1).expect("record"));
        assert_eq!(
            copy.get(0).map(|r| (r.line(), r.iter().collect::<Vec<_>>())),
            Some((2, vec!["a", "x\r\ny", "\u{e9}"]))
        );
        buf.clear();
        assert_eq!((buf.len(), buf.flaws.len()), (0, 0));
    }
}
