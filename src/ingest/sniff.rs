//! Byte-level sniffing: which encoding a file is in, which delimiter it uses, and
//! whether it starts with Excel's `sep=` line. Pure functions over bytes.
//!
//! The encoding is decided per file from evidence (docs/decisions.md): a byte-order
//! mark decides; else UTF-16 is recognised from where its NUL bytes fall; else the
//! file is UTF-8 unless its invalid byte sequences outnumber its valid multi-byte
//! ones (then it is Windows-1252). A mostly-UTF-8 file with a stray invalid byte stays
//! UTF-8, and the rows holding the stray bytes are rejected by the reader.

use std::borrow::Cow;

/// The text encoding a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little endian (Excel "Unicode text", PowerShell), with or without BOM.
    Utf16Le,
    /// UTF-16 big endian, with or without BOM.
    Utf16Be,
    /// Windows-1252: bytes that are mostly not UTF-8 (Excel "CSV" on Windows).
    Windows1252,
}

impl Encoding {
    /// The name shown in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8 (bom)",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// UTF-16 from the start of a file: its byte-order mark, else the pattern of NUL bytes
/// (text of a CSV is mostly ASCII, whose UTF-16 code units have one NUL byte: the
/// second of each pair in little endian, the first in big endian). Looks at up to 4 KiB.
pub fn utf16_of(head: &[u8]) -> Option<Encoding> {
    if head.starts_with(b"\xFF\xFE") {
        return Some(Encoding::Utf16Le);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Some(Encoding::Utf16Be);
    }
    let head = head.get(..4096).unwrap_or(head);
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if odd * 2 > pairs && even * 8 < odd {
        Some(Encoding::Utf16Le)
    } else if even * 2 > pairs && odd * 8 < even {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// Evidence for UTF-8 gathered over a file's bytes: valid multi-byte characters and
/// invalid byte sequences. Fed chunk by chunk ([`Utf8Evidence::feed`]) so a big file is
/// scanned in the same pass that counts its lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Utf8Evidence {
    /// Valid characters of two or more bytes.
    pub multibyte: usize,
    /// Invalid byte sequences (each counted once, however long).
    pub invalid: usize,
}

impl Utf8Evidence {
    /// The evidence of a whole text.
    pub fn of(bytes: &[u8]) -> Self {
        let mut e = Utf8Evidence::default();
        let tail = e.feed(bytes);
        e.finish(tail);
        e
    }

    /// Adds a chunk. Returns the length of an incomplete character at its end (the
    /// caller carries those bytes over to the next chunk, or calls [`Self::finish`]).
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        // In valid UTF-8, the bytes from 0xC0 up are exactly the lead bytes of
        // multi-byte characters.
        // Counted in byte-wide lanes, 255 bytes at a time (no lane can overflow), so the
        // loop vectorises: this runs over every byte of every input file.
        let leads = |s: &[u8]| -> usize {
            s.chunks(255).map(|c| usize::from(c.iter().fold(0u8, |n, &b| n.wrapping_add(u8::from(b >= 0xC0))))).sum()
        };
        let mut rest = bytes;
        loop {
            match std::str::from_utf8(rest) {
                Ok(_) => {
                    self.multibyte += leads(rest);
                    return 0;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    self.multibyte += leads(rest.get(..valid).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            self.invalid += 1;
                            rest = rest.get(valid + n..).unwrap_or_default();
                        }
                        None => return rest.len() - valid,
                    }
                }
            }
        }
    }

    /// Books the bytes left incomplete at the end of the file.
    pub fn finish(&mut self, tail: usize) {
        if tail > 0 {
            self.invalid += 1;
        }
    }

    /// UTF-8 unless the invalid sequences outnumber the valid multi-byte characters: a
    /// Windows-1252 file has (almost) no valid multi-byte sequence, a UTF-8 file with a
    /// stray byte has more good characters than bad bytes.
    pub fn is_utf8(&self) -> bool {
        self.invalid == 0 || self.invalid <= self.multibyte
    }
}

/// The encoding of a whole file's bytes (see the module docs).
pub fn detect(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Encoding::Utf8Bom;
    }
    if let Some(e) = utf16_of(bytes) {
        return e;
    }
    if Utf8Evidence::of(bytes).is_utf8() {
        Encoding::Utf8
    } else {
        Encoding::Windows1252
    }
}

/// The bytes of a file in `encoding`, as UTF-8 (the BOM removed). A UTF-8 file is
/// borrowed as it is: stray invalid bytes stay, for the reader to reject their rows.
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> Cow<'_, [u8]> {
    let owned = |s: Cow<'_, str>| Cow::Owned(s.into_owned().into_bytes());
    match encoding {
        Encoding::Utf8 => Cow::Borrowed(bytes),
        Encoding::Utf8Bom => Cow::Borrowed(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)),
        Encoding::Utf16Le => owned(encoding_rs::UTF_16LE.decode_with_bom_removal(bytes).0),
        Encoding::Utf16Be => owned(encoding_rs::UTF_16BE.decode_with_bom_removal(bytes).0),
        Encoding::Windows1252 => match encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0 {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        },
    }
}

/// Decodes file bytes to UTF-8 (see [`detect`] and [`decode_as`]).
pub fn decode(bytes: &[u8]) -> (Cow<'_, [u8]>, Encoding) {
    let encoding = detect(bytes);
    (decode_as(bytes, encoding), encoding)
}

/// Decodes file bytes to text, replacing stray invalid bytes of a UTF-8 file with
/// U+FFFD: for reading a header and a few rows (`map --init`), not for a report.
pub fn decode_text(bytes: &[u8]) -> (String, Encoding) {
    let (b, encoding) = decode(bytes);
    let text = match b {
        Cow::Borrowed(b) => String::from_utf8_lossy(b).into_owned(),
        Cow::Owned(b) => String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    };
    (text, encoding)
}

/// Splits off a leading `sep=X` line (Excel's delimiter hint). Returns the delimiter it
/// names, if any, and the bytes after that line. Works on bytes: the first line may be
/// anything, including a multi-byte character where `X` would be.
pub fn strip_sep_line(text: &[u8]) -> (Option<u8>, &[u8]) {
    let first_end = memchr::memchr(b'\n', text).map_or(text.len(), |i| i + 1);
    let (first, rest) = text.split_at(first_end);
    let first = first.strip_suffix(b"\n").unwrap_or(first);
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    match first {
        [s, e, p, eq, d]
            if [*s, *e, *p, *eq].eq_ignore_ascii_case(b"sep=")
                && d.is_ascii()
                && !matches!(d, b'"' | b'\r' | b'\n') =>
        {
            (Some(*d), rest)
        }
        _ => (None, text),
    }
}

/// Picks the delimiter of a CSV text from its header line: the most frequent of `,`,
/// `;` and tab outside quotes (`,` on a tie or when none occurs).
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for &b in text {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            b',' if !in_quotes => counts[0] += 1,
            b';' if !in_quotes => counts[1] += 1,
            b'\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let delims = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    delims[best]
}

/// A delimiter's name for summaries.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "pipe",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> (String, Encoding) {
        let (b, e) = decode(bytes);
        (String::from_utf8_lossy(&b).into_owned(), e)
    }

    #[test]
    fn encodings() {
        assert_eq!(decode(b"a,b").1, Encoding::Utf8);
        assert_eq!(text(b"\xEF\xBB\xBFDeal,Date"), ("Deal,Date".to_owned(), Encoding::Utf8Bom));
        assert_eq!(text(b"Caf\xe9 \xa31"), ("Café £1".to_owned(), Encoding::Windows1252));
        assert_eq!(text(b"\xFF\xFEa\0,\0\xe9\0"), ("a,é".to_owned(), Encoding::Utf16Le));
    }

    #[test]
    fn one_stray_byte_does_not_make_a_utf8_file_windows_1252() {
        // Two good "é", one stray byte: UTF-8, the stray byte kept for the reader.
        let bytes = b"Deal\nCaf\xc3\xa9-1\nCaf\xc3\xa9-2\nbad \xe9\n";
        let (b, e) = decode(bytes);
        assert_eq!((e, b.as_ref()), (Encoding::Utf8, &bytes[..]));
        // Only invalid bytes and no valid multi-byte character: Windows-1252.
        assert_eq!(decode(b"Deal\nM\xfcller\nCaf\xe9\n").1, Encoding::Windows1252);
        assert_eq!(Utf8Evidence::of(b"Caf\xc3\xa9 \xe9 \xff\xfe"), Utf8Evidence { multibyte: 1, invalid: 3 });
        // A character cut between two chunks is carried over, not counted invalid.
        let mut ev = Utf8Evidence::default();
        let tail = ev.feed(b"Caf\xc3");
        assert_eq!(tail, 1);
        let tail = ev.feed(b"\xc3\xa9!");
        ev.finish(tail);
        assert_eq!(ev, Utf8Evidence { multibyte: 1, invalid: 0 });
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_from_its_nul_bytes() {
        let s = "Deal,Date\nCafé,2026-10-01\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(text(&le), (s.to_owned(), Encoding::Utf16Le));
        assert_eq!(text(&be), (s.to_owned(), Encoding::Utf16Be));
        assert_eq!(utf16_of(b"Deal,Date\n"), None);
        assert_eq!(utf16_of(b"a"), None);
        assert_eq!(utf16_of(b""), None);
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"Deal;Date;\"a,b,c\"\n1,2,3"), b';');
        assert_eq!(sniff_delimiter(b"Deal\tDate\tValue"), b'\t');
        assert_eq!(sniff_delimiter(b"Deal,Date"), b',');
        assert_eq!(sniff_delimiter(b"Deal"), b',');
        assert_eq!(sniff_delimiter(b"Deal;Date\r1,2,3,4\r"), b';', "a CR-only header line ends at its CR");
        assert_eq!(strip_sep_line(b"sep=;\r\nDeal;Date\n"), (Some(b';'), &b"Deal;Date\n"[..]));
        assert_eq!(strip_sep_line(b"SEP=\t\nDeal\tDate\n"), (Some(b'\t'), &b"Deal\tDate\n"[..]));
        assert_eq!(strip_sep_line(b"Deal,Date\n"), (None, &b"Deal,Date\n"[..]));
    }

    /// A first line of five bytes holding a two-byte character used to be sliced at
    /// byte 4, inside the character: a panic on `Café`.
    #[test]
    fn five_byte_first_line_with_a_two_byte_character_does_not_panic() {
        for first in ["Café", "Café\n", "Café\r\nx", "séé", "sep=é", "€ab", "ab€", "sep=", "s", ""] {
            assert_eq!(strip_sep_line(first.as_bytes()), (None, first.as_bytes()), "{first:?}");
            let _ = sniff_delimiter(first.as_bytes());
        }
        assert_eq!(strip_sep_line(b"sep=\xc3\n"), (None, &b"sep=\xc3\n"[..]));
    }
}
