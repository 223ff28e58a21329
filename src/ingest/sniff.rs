//! Byte-level sniffing: which encoding a file is in, which delimiter it uses, and
//! whether it starts with Excel's `sep=` line. Pure functions over bytes.

use std::borrow::Cow;

/// The text encoding a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little endian with BOM (Excel "Unicode text").
    Utf16Le,
    /// UTF-16 big endian with BOM.
    Utf16Be,
    /// Windows-1252: bytes that are not valid UTF-8 (Excel "CSV" on Windows).
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

/// Decodes file bytes to UTF-8 text, borrowing when the bytes already are UTF-8.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(s) = std::str::from_utf8(rest) {
            return (Cow::Borrowed(s), Encoding::Utf8Bom);
        }
    }
    if bytes.starts_with(b"\xFF\xFE") {
        let (s, _) = encoding_rs::UTF_16LE.decode_with_bom_removal(bytes);
        return (s, Encoding::Utf16Le);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        let (s, _) = encoding_rs::UTF_16BE.decode_with_bom_removal(bytes);
        return (s, Encoding::Utf16Be);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), Encoding::Utf8),
        Err(_) => {
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (s, Encoding::Windows1252)
        }
    }
}

/// Splits off a leading `sep=X` line (Excel's delimiter hint). Returns the delimiter it
/// names, if any, and the text after that line.
pub fn strip_sep_line(text: &str) -> (Option<u8>, &str) {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end_matches(['\r', '\n']);
    if first.len() == 5 && first[..4].eq_ignore_ascii_case("sep=") {
        let d = first.as_bytes()[4];
        return (Some(d), &text[first_end..]);
    }
    (None, text)
}

/// Picks the delimiter of a CSV text from its header line: the most frequent of `,`,
/// `;` and tab outside quotes (`,` on a tie or when none occurs).
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for b in text.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => break,
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

    #[test]
    fn encodings() {
        assert_eq!(decode(b"a,b").1, Encoding::Utf8);
        let (s, e) = decode(b"\xEF\xBB\xBFDeal,Date");
        assert_eq!((s.as_ref(), e), ("Deal,Date", Encoding::Utf8Bom));
        let (s, e) = decode(b"Caf\xe9 \xa31");
        assert_eq!((s.as_ref(), e), ("Café £1", Encoding::Windows1252));
        let (s, e) = decode(b"\xFF\xFEa\0,\0\xe9\0");
        assert_eq!((s.as_ref(), e), ("a,é", Encoding::Utf16Le));
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("Deal;Date;\"a,b,c\"\n1,2,3"), b';');
        assert_eq!(sniff_delimiter("Deal\tDate\tValue"), b'\t');
        assert_eq!(sniff_delimiter("Deal,Date"), b',');
        assert_eq!(sniff_delimiter("Deal"), b',');
        assert_eq!(strip_sep_line("sep=;\r\nDeal;Date\n"), (Some(b';'), "Deal;Date\n"));
        assert_eq!(strip_sep_line("Deal,Date\n"), (None, "Deal,Date\n"));
    }
}
