//! The records reader against the one it replaced: the `csv` crate on every record
//! ([`CsvOnly`], with [`Lines`] for the true lines), on texts mixing quotes, `""`,
//! CR, CRLF, LF, blank lines, bytes that are not UTF-8, a BOM and quotes never closed,
//! with each delimiter, read in blocks of a few bytes so that records cross them.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::error::Error;

/// A record as a reader gave it: its line, its cells, its flaw (as `Debug` text).
type Got = (u64, Vec<String>, Option<String>);

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

/// The reader [`Records`] replaced (issue 12, fast read): every record through the
/// `csv` crate, each with the line it truly starts on (see [`Lines`]) and its [`Flaw`],
/// if any. Kept as the reference that [`Records`] must match on every text.
struct CsvOnly<'a> {
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

impl<'a> CsvOnly<'a> {
    fn open(l: &'a Loaded, start: u64, line_base: u64) -> Result<Self> {
        let rdr = csv::ReaderBuilder::new()
            .delimiter(l.delimiter)
            .flexible(true)
            .has_headers(false)
            .buffer_capacity(1 << 20)
            .from_reader(Lines::new(l.open_at(start)?));
        Ok(CsvOnly { l, rdr, start, line_base, resume: None, raw: csv::ByteRecord::new() })
    }

    /// Reads the next record into `out` (its flaw, if any, too), with its true line.
    /// False at the end of the file.
    fn next(&mut self, out: &mut Vec<Got>) -> Result<bool> {
        loop {
            if !self.rdr.read_byte_record(&mut self.raw).map_err(|e| read_error(&self.l.path, e))? {
                match self.resume.take() {
                    Some((start, line_base)) => {
                        let raw = std::mem::take(&mut self.raw);
                        *self = CsvOnly::open(self.l, start, line_base)?;
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
            let cells: Vec<String> = match whole {
                Some(text) => {
                    let mut start = 0;
                    raw.iter()
                        .map(|cell| {
                            let s = text.get(start..start + cell.len()).unwrap_or_default().to_owned();
                            start += cell.len();
                            s
                        })
                        .collect()
                }
                None => {
                    let bad = raw.iter().enumerate().find_map(|(column, cell)| {
                        std::str::from_utf8(cell).err().map(|e| (column, cell, e.valid_up_to()))
                    });
                    if let Some((column, cell, valid)) = bad {
                        let byte = cell.get(valid).copied().unwrap_or(0);
                        let value = String::from_utf8_lossy(cell).into_owned();
                        flaw = flaw.or(Some(Flaw::NotUtf8 { column, byte, value }));
                    }
                    raw.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect()
                }
            };
            out.push((line, cells, flaw.map(|f| format!("{f:?}"))));
            return Ok(true);
        }
    }

    /// Checks the last record (at byte `at` of this run, starting on `line`) for a quote
    /// that is never closed; when there is one, reading goes on after the quote's line.
    fn open_quote(&mut self, at: u64, line: u64) -> Result<Option<Flaw>> {
        let Some((flaw, resume)) = unclosed_quote(self.l, self.start.saturating_add(at), line)? else {
            return Ok(None);
        };
        self.resume = resume.or(self.resume);
        Ok(Some(flaw))
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
    assert_eq!(copy.get(0).map(|r| (r.line(), r.iter().collect::<Vec<_>>())), Some((2, vec!["a", "x\r\ny", "\u{e9}"])));
    buf.clear();
    assert_eq!((buf.len(), buf.flaws.len()), (0, 0));
}

/// A text in memory, as a loaded file of this delimiter.
fn loaded(text: &[u8], delimiter: u8) -> Loaded {
    Loaded {
        lines: 0,
        index: 0,
        path: "t.csv".into(),
        source: super::super::load::Source::Bytes(text.to_vec()),
        line_offset: 0,
        delimiter,
        headers: Vec::new(),
        spec: &crate::ingest::formats::FOLLOWUP_LOG,
        map: Default::default(),
    }
}

/// Every record of `l` through the `csv` crate.
fn csv_only(l: &Loaded) -> Vec<Got> {
    let mut records = CsvOnly::open(l, 0, 0).expect("open");
    let mut got = Vec::new();
    while records.next(&mut got).expect("read") {}
    got
}

/// Every record of `l` through [`Records`], reading `block` bytes at a time, into
/// batches of `batch` records.
fn fast(l: &Loaded, block: usize, batch: usize) -> Vec<Got> {
    let mut records = Records::with_block(l, 0, 0, block).expect("open");
    let mut got = Vec::new();
    let mut buf = RecordBuf::default();
    loop {
        buf.clear();
        while buf.len() < batch && records.next(&mut buf).expect("read") {}
        if buf.len() == 0 {
            return got;
        }
        let mut flaws = buf.flaws.iter().peekable();
        for (i, rec) in buf.iter().enumerate() {
            let flaw = flaws.next_if(|(at, _)| *at == i).map(|(_, f)| format!("{f:?}"));
            got.push((rec.line(), rec.iter().map(str::to_owned).collect(), flaw));
        }
    }
}

/// Pieces of CSV text: cell text (ASCII, a two-byte character, bytes of a character
/// cut, a byte never UTF-8), each delimiter, quotes, line ends, a BOM.
const PIECES: &[&[u8]] = &[
    b"a",
    b"bc",
    b"D0001",
    b"2026-01-02",
    b" ",
    b"\xC3\xA9",
    b"\xC3",
    b"\xA9",
    b"\xFF",
    b",",
    b",",
    b";",
    b"\t",
    b"\"",
    b"\"\"",
    b"\"x,y\"",
    b"\r",
    b"\n",
    b"\n",
    b"\r\n",
    b"\xEF\xBB\xBF",
];

fn text() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The same records, cells, lines and flaws as the `csv` crate gives, whatever
    /// the text, the delimiter and the block size.
    #[test]
    fn records_match_the_csv_crate(
        text in text(),
        delimiter in prop::sample::select(vec![b',', b';', b'\t']),
        block in prop::sample::select(vec![1usize, 2, 3, 5, 16, 4096]),
        batch in 1usize..5,
    ) {
        let l = loaded(&text, delimiter);
        prop_assert_eq!(fast(&l, block, batch), csv_only(&l));
    }
}

#[test]
fn records_match_the_csv_crate_on_chosen_texts() {
    let texts: &[&[u8]] = &[
        b"",
        b"\n\r\n\r",
        b"h1,h2\na,b",
        b"h1,h2\r\na,b\r\n\r\n\"c\r\nd\",e\r\n",
        b"h\ra\rb\r",
        b"\xEF\xBB\xBF\n\na,b\nc\n",
        b"\xEF\xBB\xBF\"a\nb,c\n",
        b"a,\"b\nc,d\ne,f\n",
        b"a,\"b\r\nc,d\r\n\xEF\xBB\xBF\n\"e\nf\n",
        b"a,5\" screen,b\nc,\"d\"x\"y\n",
        b"a,\xC3,\xA9\n\"\xC3\",\xA9\n",
        b"a,b,\n,,\n ,\n",
        b"x,\"\"\"\"\n\"",
    ];
    for text in texts {
        for delimiter in [b',', b';', b'\t'] {
            let l = loaded(text, delimiter);
            let expected = csv_only(&l);
            for block in [1, 2, 3, 7, 4096] {
                assert_eq!(fast(&l, block, 3), expected, "{:?}, block {block}", String::from_utf8_lossy(text));
            }
        }
    }
}

#[test]
fn records_of_a_file_match_those_of_the_same_bytes() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("t.csv");
    let text: &[u8] = b"h1,h2,h3\r\na,\"x\r\ny\",\xC3\xA9\r\n\"\xC3\",\xA9,z\r\n,,\nq,\"open\nr,s,t\n";
    std::fs::write(&path, text).expect("write");
    let mut l = loaded(text, b',');
    let expected = csv_only(&l);
    l.path = path;
    l.source = super::super::load::Source::File { skip: 0, checked: true };
    assert_eq!(fast(&l, BLOCK, 2), expected);
    assert_eq!(fast(&l, 3, 2), expected);
    assert_eq!(expected.len(), 6);
}
