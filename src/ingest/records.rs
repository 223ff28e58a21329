//! Records of a CSV text, each with the line it truly starts on (LF, CRLF and CR line
//! ends, blank lines, quoted cells holding line breaks) and its flaw: a quote that is
//! never closed, or bytes that are not UTF-8 in a file read as UTF-8 (SPEC §5: every
//! physical line is read or named in a rejected row).

use std::io::Read;

use super::load::{scan_utf8, Source};
use super::recognise::Loaded;
use crate::error::{Error, Result};

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
        // One byte (the delimiter, or [`SEP`]) lies between a cell and the next.
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before)?.checked_add(1)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// The record's text at this address and length, if it lies in the record: a cell
    /// the reader thread found (see [`super::deal_index::KeyHint`]).
    pub(super) fn text_at(&self, ptr: usize, len: usize) -> Option<&'a str> {
        let start = ptr.checked_sub(self.text.as_ptr() as usize)?;
        self.text.get(start..start.checked_add(len)?)
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

/// Appends where `delimiter` occurs in `bytes` to `ends`, eight bytes at a time (the
/// bytes equal to it found with word arithmetic): cells are a few bytes long, where
/// `memchr` spends more on each call than on the search (measured: a third of the time
/// of reading a line).
fn cut_at(bytes: &[u8], delimiter: u8, ends: &mut Vec<usize>) {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let splat = u64::from_le_bytes([delimiter; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut base = 0;
    for word in words.by_ref() {
        let mut w = [0; 8];
        w.copy_from_slice(word);
        // The high bit of each byte that equals the delimiter, and of no other.
        let x = u64::from_le_bytes(w) ^ splat;
        let mut hits = !(((x & LOW).wrapping_add(LOW)) | x | LOW);
        while hits != 0 {
            ends.push(base + (hits.trailing_zeros() / 8) as usize);
            hits &= hits - 1;
        }
        base += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == delimiter {
            ends.push(base + i);
        }
    }
}

/// The byte between two cells of a record in a [`RecordBuf`] that was not read as one
/// line of the file (whose cells are kept with the file's delimiter between them).
const SEP: char = ',';

/// Records stored one after the other: the text of all their cells in one buffer and
/// the cells' ends in another (issue 12). The row thread reads a batch front to back,
/// so its memory comes in order, where a record each with its own buffers had it chase
/// three pointers per record, each a cache miss on data the reader thread wrote. The
/// buffers are kept when cleared: a batch refilled allocates nothing.
///
/// One byte separates a record's cells in its text, so that a line of the file without
/// quotes is copied as it is, its delimiters included: one copy per record, not one per
/// cell.
#[derive(Debug, Default)]
pub(super) struct RecordBuf {
    text: String,
    /// Each cell's end, from the start of its record's text; the next cell starts one
    /// byte after it.
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
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.text.push(SEP);
            }
            self.text.push_str(cell);
            self.ends.push(self.text.len() - text);
        }
        self.spans.push(Span { text: (text, self.text.len()), ends: (ends, self.ends.len()), line });
    }

    /// Appends a copy of `rec` (without its flaw).
    pub(super) fn push_rec(&mut self, rec: Rec<'_>) {
        self.push(rec.iter(), rec.line);
    }

    /// Appends the record of a line of the file without quotes or line breaks: its cells
    /// are the line cut at `delimiter` (ASCII). The line is checked as UTF-8 once and
    /// copied as it is; when it is not UTF-8, its cells are read one by one (the flaw of
    /// the first bad one is returned, see [`RecordBuf::push_bytes`]).
    fn push_line(&mut self, bytes: &[u8], delimiter: u8, line: u64) -> Option<Flaw> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return self.push_bytes(bytes.split(|&b| b == delimiter), line);
        };
        let (start, ends) = (self.text.len(), self.ends.len());
        self.text.push_str(text);
        // An ASCII delimiter is never inside a character: each cell is UTF-8 too.
        cut_at(bytes, delimiter, &mut self.ends);
        self.ends.push(bytes.len());
        self.spans.push(Span { text: (start, self.text.len()), ends: (ends, self.ends.len()), line });
        None
    }

    /// Appends a record of these cells. Where a cell is not UTF-8 (a character may also
    /// be cut between two cells: two bad cells, not one good one), each cell is read
    /// with U+FFFD for its bad bytes, and the flaw names the first bad cell.
    fn push_bytes<'c>(&mut self, cells: impl Iterator<Item = &'c [u8]> + Clone, line: u64) -> Option<Flaw> {
        let bad = cells
            .clone()
            .enumerate()
            .find_map(|(column, cell)| std::str::from_utf8(cell).err().map(|e| (column, cell, e.valid_up_to())));
        let Some((column, cell, valid)) = bad else {
            self.push(cells.map(|c| std::str::from_utf8(c).unwrap_or_default()), line);
            return None;
        };
        let byte = cell.get(valid).copied().unwrap_or(0);
        let value = String::from_utf8_lossy(cell).into_owned();
        let lossy: Vec<_> = cells.map(String::from_utf8_lossy).collect();
        self.push(lossy.iter().map(|c| c.as_ref()), line);
        Some(Flaw::NotUtf8 { column, byte, value })
    }
}

/// Bytes read from the source at a time: a line longer than this grows the buffer.
const BLOCK: usize = 256 << 10;

/// The records of a file, each with the line it truly starts on and its [`Flaw`], if
/// any. The first record is the header row.
///
/// Most lines of an export hold no quote: such a line is one record, its cells the line
/// cut at the delimiter (found with `memchr`), checked as UTF-8 once and copied into the
/// [`RecordBuf`] as it is. A record that holds a quote before its line ends goes through
/// `csv_core`, the parser of the `csv` crate, from its first byte to its end (quoted
/// cells may hold delimiters and line breaks), so that quoting reads exactly as the
/// `csv` crate reads it. Either way, a CR, an LF and a CRLF outside quotes each end a
/// record, and blank lines are skipped, as `csv_core` does.
///
/// A record's line counts the line breaks before its first byte, CR, LF and CRLF each
/// one (the `csv` crate counts line feeds only, from where the previous record ended:
/// with CRLF line ends every record was named one line early, with CR-only line ends
/// all on line 1, and a record after blank lines too early). One quirk of the reader
/// this replaces is kept: when a run of records starts with a UTF-8 BOM (which
/// `csv_core` skips), its first record is named on the run's first line.
pub(super) struct Records<'a> {
    l: &'a Loaded,
    src: Box<dyn Read + Send + 'a>,
    /// Bytes read: `buf[pos..len]` are not passed yet; `buf[0]` is byte `base` of the
    /// source.
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    base: u64,
    /// Whether the source has no more bytes.
    eof: bool,
    /// Line breaks before `buf[pos]`, plus the line base of this run of records.
    breaks: u64,
    /// Whether the byte before `buf[pos]` is a CR (an LF right after it ends the same
    /// line).
    after_cr: bool,
    /// Where the next quote at or after `pos` is in `buf` (`len` for none in the bytes
    /// read); `None` until looked for since the last read.
    quote: Option<usize>,
    /// Where this run of records starts in the source, and whether its first record is
    /// still to come (it is checked for an open quote from the run's start).
    start: u64,
    first: bool,
    /// Whether the run's first bytes are still to be checked for a BOM.
    bom_unchecked: bool,
    /// The line of the run's first record, when the run starts with a BOM.
    bom_line: Option<u64>,
    /// Where to go on reading after an unclosed quote: (offset, line before it).
    resume: Option<(u64, u64)>,
    /// Whether a line without quotes may be cut at the delimiter here (the delimiter is
    /// ASCII and neither a quote nor a line break).
    fast: bool,
    /// The parser of records that hold a quote, and its output: the cells' bytes and
    /// their ends (kept from one record to the next).
    core: csv_core::Reader,
    cells: Vec<u8>,
    ends: Vec<usize>,
    /// Whether the source is known to be read rightly as UTF-8 (see [`Source::File`]);
    /// if not, its first bytes that are not UTF-8 make [`Records::next`] look.
    utf8_checked: bool,
}

/// A `csv_core` reader set as the `csv` crate sets it for [`Records`] (RFC 4180 quotes,
/// `""` inside quotes, CR / LF / CRLF line ends), primed with one line break so that it
/// skips no BOM itself: [`Records`] does, where the `csv` crate's reader did (at the
/// start of a run of records only).
fn quoted_reader(delimiter: u8) -> csv_core::Reader {
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // A line break at the start of a record is skipped: this changes nothing but the
    // reader's "has read" flag.
    let _ = core.read_record(b"\n", &mut [0u8; 1], &mut [0usize; 1]);
    core
}

impl<'a> Records<'a> {
    /// The records of `l`'s source from byte `start` on, their lines counted from
    /// `line_base`.
    pub(super) fn open(l: &'a Loaded, start: u64, line_base: u64) -> Result<Self> {
        Self::with_block(l, start, line_base, BLOCK)
    }

    /// As [`Records::open`], reading `block` bytes at a time (tests use tiny ones).
    fn with_block(l: &'a Loaded, start: u64, line_base: u64, block: usize) -> Result<Self> {
        let d = l.delimiter;
        Ok(Records {
            l,
            src: l.open_at(start)?,
            buf: vec![0; block.max(1)],
            pos: 0,
            len: 0,
            base: start,
            eof: false,
            breaks: line_base,
            after_cr: false,
            quote: None,
            start,
            first: true,
            bom_unchecked: true,
            bom_line: None,
            resume: None,
            fast: d.is_ascii() && !matches!(d, b'"' | b'\r' | b'\n'),
            core: quoted_reader(d),
            cells: vec![0; 1024],
            ends: vec![0; 64],
            utf8_checked: !matches!(l.source, Source::File { checked: false, .. }),
        })
    }

    /// Reads the next record into `out` (its flaw, if any, too), with its true line.
    /// False at the end of the file.
    ///
    /// The first flawed record in a file streamed unchecked (its start was clean UTF-8)
    /// has the whole file looked at, as [`super::load`] would have before reading it:
    /// UTF-8 with stray bytes reads on (their rows are rejected), Windows-1252 is
    /// [`Error::ReadAgainAs1252`]. Any flaw, not only bytes that are not UTF-8: a quote
    /// never closed is the record's one flaw even where its line holds such bytes too.
    pub(super) fn next(&mut self, out: &mut RecordBuf) -> Result<bool> {
        let flaws = out.flaws.len();
        let more = self.read_next(out)?;
        if !self.utf8_checked && out.flaws.len() > flaws {
            self.utf8_checked = true;
            let path = &self.l.path;
            let (evidence, _) = scan_utf8(path)?;
            if !evidence.is_utf8() {
                return Err(Error::ReadAgainAs1252 { path: path.clone() });
            }
        }
        Ok(more)
    }

    /// [`Records::next`] before its look at the encoding.
    fn read_next(&mut self, out: &mut RecordBuf) -> Result<bool> {
        loop {
            if self.bom_unchecked {
                self.skip_bom()?;
            }
            if !self.skip_breaks()? {
                match self.resume.take() {
                    Some((start, line_base)) => {
                        let (block, checked) = (self.buf.len(), self.utf8_checked);
                        *self = Self::with_block(self.l, start, line_base, block)?;
                        self.utf8_checked = checked;
                        continue;
                    }
                    None => return Ok(false),
                }
            }
            let line = self.bom_line.take().unwrap_or_else(|| self.breaks.saturating_add(1));
            let at = if std::mem::take(&mut self.first) { self.start } else { self.offset() };
            if self.fast {
                if let Some(end) = self.plain_line()? {
                    let bytes = self.buf.get(self.pos..end).unwrap_or_default();
                    if let Some(flaw) = out.push_line(bytes, self.l.delimiter, line) {
                        out.flaws.push((out.len() - 1, flaw));
                    }
                    self.pos = end;
                    self.after_cr = false;
                    return Ok(true);
                }
            }
            if self.quoted(out, at, line)? {
                return Ok(true);
            }
        }
    }

    /// The offset in the source of `buf[pos]`.
    fn offset(&self) -> u64 {
        self.base.saturating_add(self.pos as u64)
    }

    /// The bytes read and not passed yet.
    fn rest(&self) -> &[u8] {
        self.buf.get(self.pos..self.len).unwrap_or_default()
    }

    /// Reads more of the source after the bytes not passed yet (moved to the front of
    /// the buffer, which grows when they fill it). False at the end of the source.
    fn fill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.len, 0);
            self.base = self.offset();
            self.len -= self.pos;
            self.pos = 0;
        }
        if self.len == self.buf.len() {
            let grown = self.buf.len().saturating_mul(2);
            self.buf.resize(grown, 0);
        }
        self.quote = None;
        loop {
            match self.src.read(self.buf.get_mut(self.len..).unwrap_or_default()) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::Io { path: self.l.path.clone(), source: e }),
            }
        }
    }

    /// Skips a UTF-8 BOM at the start of a run of records, as `csv_core` does on its
    /// first read (the reader this replaces started one for each run).
    fn skip_bom(&mut self) -> Result<()> {
        self.bom_unchecked = false;
        while self.rest().len() < 3 && self.fill()? {}
        if self.rest().starts_with(b"\xEF\xBB\xBF") {
            self.pos += 3;
            self.bom_line = Some(self.breaks.saturating_add(1));
        }
        Ok(())
    }

    /// Passes the line breaks before the next record (the end of the one before, blank
    /// lines), counting them. False at the end of the source.
    fn skip_breaks(&mut self) -> Result<bool> {
        loop {
            while let Some(&b) = self.rest().first() {
                match b {
                    b'\n' if self.after_cr => self.after_cr = false,
                    b'\n' => self.breaks = self.breaks.saturating_add(1),
                    b'\r' => {
                        self.breaks = self.breaks.saturating_add(1);
                        self.after_cr = true;
                    }
                    _ => return Ok(true),
                }
                self.pos += 1;
            }
            if !self.fill()? {
                return Ok(false);
            }
        }
    }

    /// Where the record at `pos` ends when it is a plain line: no quote before its line
    /// break or the end of the source. `None` when a quote comes first.
    fn plain_line(&mut self) -> Result<Option<usize>> {
        loop {
            let quote = match self.quote {
                Some(q) if q >= self.pos => q,
                _ => {
                    let q = self.pos + memchr::memchr(b'"', self.rest()).unwrap_or(self.len - self.pos);
                    self.quote = Some(q);
                    q
                }
            };
            let before = self.buf.get(self.pos..quote).unwrap_or_default();
            if let Some(i) = memchr::memchr2(b'\n', b'\r', before) {
                return Ok(Some(self.pos + i));
            }
            if quote < self.len {
                return Ok(None);
            }
            if !self.fill()? {
                return Ok(Some(self.len));
            }
        }
    }

    /// Passes `n` bytes read by `csv_core`, counting their line breaks.
    fn pass(&mut self, n: usize) {
        let Some(bytes) = self.buf.get(self.pos..self.pos + n).filter(|b| !b.is_empty()) else { return };
        let continued = u64::from(self.after_cr && bytes.first() == Some(&b'\n'));
        self.breaks = self.breaks.saturating_add(count_breaks(bytes).saturating_sub(continued));
        self.after_cr = bytes.last() == Some(&b'\r');
        self.pos += n;
    }

    /// Reads the record at `pos` with `csv_core` (it holds a quote, or the delimiter
    /// rules out cutting lines); `at` is where the reader this replaces started it (the
    /// run's start for its first record), from where a record read to the end of the
    /// source is checked for a quote never closed. False when there is no record.
    fn quoted(&mut self, out: &mut RecordBuf, at: u64, line: u64) -> Result<bool> {
        use csv_core::ReadRecordResult as R;
        let (mut nout, mut nend) = (0, 0);
        loop {
            let input = self.buf.get(self.pos..self.len).unwrap_or_default();
            let at_end = input.is_empty();
            let cells = self.cells.get_mut(nout..).unwrap_or_default();
            let ends = self.ends.get_mut(nend..).unwrap_or_default();
            let (res, nin, o, e) = self.core.read_record(input, cells, ends);
            self.pass(nin);
            nout += o;
            nend += e;
            match res {
                // At the end of the source, the empty input ends the record.
                R::InputEmpty if at_end => return Ok(false),
                R::InputEmpty => {
                    self.fill()?;
                }
                R::OutputFull => self.cells.resize(self.cells.len().saturating_mul(2), 0),
                R::OutputEndsFull => self.ends.resize(self.ends.len().saturating_mul(2), 0),
                R::Record => break,
                R::End => return Ok(false),
            }
        }
        // A record read up to the end of the source may have swallowed the rest of it
        // in an unclosed quote (the one rescan of bytes: the last record only).
        let flaw = if self.eof && self.pos == self.len { self.open_quote(at, line)? } else { None };
        let (bytes, ends) = (self.cells.get(..nout).unwrap_or_default(), self.ends.get(..nend).unwrap_or_default());
        let cells = ends.iter().scan(0, |start, &end| {
            let cell = bytes.get(*start..end).unwrap_or_default();
            *start = end;
            Some(cell)
        });
        let bad = out.push_bytes(cells, line);
        if let Some(flaw) = flaw.or(bad) {
            out.flaws.push((out.len() - 1, flaw));
        }
        Ok(true)
    }

    /// Checks the last record (from byte `start` of the source, starting on `line`) for
    /// a quote that is never closed; when there is one, reading goes on after the
    /// quote's line.
    fn open_quote(&mut self, start: u64, line: u64) -> Result<Option<Flaw>> {
        let Some((flaw, resume)) = unclosed_quote(self.l, start, line)? else { return Ok(None) };
        self.resume = resume.or(self.resume);
        Ok(Some(flaw))
    }
}

/// Where reading goes on after an unclosed quote: (offset, line before it).
pub(super) type Resume = (u64, u64);

/// The flaw of a last record (from byte `start` of `l`'s source, starting on `line`)
/// that opens a quote never closed, and where reading goes on: after the quote's line,
/// or nowhere when that line is the file's last.
pub(super) fn unclosed_quote(l: &Loaded, start: u64, line: u64) -> Result<Option<(Flaw, Option<Resume>)>> {
    let bytes = l.bytes_from(start)?;
    let Some((quote, column)) = open_quote_at_end(&bytes, l.delimiter) else { return Ok(None) };
    let first = bytes.iter().position(|b| !matches!(b, b'\r' | b'\n')).unwrap_or(0);
    let quote_line = line.saturating_add(count_breaks(bytes.get(first..quote).unwrap_or_default()));
    let after = bytes.get(quote..).unwrap_or_default();
    let end = memchr::memchr2(b'\r', b'\n', after);
    let value = String::from_utf8_lossy(after.get(..end.unwrap_or(after.len())).unwrap_or_default());
    let value: String = value.chars().take(80).collect();
    let resume = end.map(|i| {
        let len = if after.get(i..i + 2) == Some(b"\r\n") { 2 } else { 1 };
        (start.saturating_add((quote + i + len) as u64), quote_line)
    });
    Ok(Some((Flaw::OpenQuote { column, quote_line, value }, resume)))
}

#[cfg(test)]
mod tests;
