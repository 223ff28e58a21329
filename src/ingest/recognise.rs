//! Recognise: the header row of a loaded text, matched against the format registry
//! ([`super::formats::detect`]) or a `--map`, gives the file's format and column map.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::formats::{ColumnMap, Detection, Format, FormatSpec};
use super::load::{Prepared, Source};
use super::records::{Flaw, RecordBuf, Records};
use super::IngestOptions;
use super::{formats, mapping, sniff, FileLedger};
use crate::error::{Error, Result};

/// A file recognised from its header, its rows not read yet.
pub(super) struct Loaded {
    /// Line feeds in the file (at least its number of rows), or for a big UTF-8 file an
    /// estimate from its first bytes: what its tables are sized for.
    pub(super) lines: usize,
    pub(super) index: usize,
    pub(super) path: PathBuf,
    pub(super) source: Source,
    /// Added to a record's CSV line to give the line reported: lines before the header
    /// (a `sep=` line, rows above a sheet's table), or -1 for Capsule entries (the
    /// entry's position in the file: see [`capsule`]).
    pub(super) line_offset: i64,
    pub(super) delimiter: u8,
    pub(super) headers: Vec<String>,
    pub(super) spec: &'static FormatSpec,
    pub(super) map: ColumnMap,
}

impl Loaded {
    /// The source's bytes from `offset` on (after the skipped BOM and `sep=` line).
    pub(super) fn open_at(&self, offset: u64) -> Result<Box<dyn Read + Send + '_>> {
        Ok(match &self.source {
            Source::File { skip, .. } => {
                let mut f = File::open(&self.path).map_err(Error::io(&self.path))?;
                f.seek(SeekFrom::Start(skip.saturating_add(offset))).map_err(Error::io(&self.path))?;
                Box::new(f)
            }
            Source::Bytes(b) => Box::new(usize::try_from(offset).ok().and_then(|o| b.get(o..)).unwrap_or_default()),
        })
    }

    /// All the source's bytes from `offset` on.
    pub(super) fn bytes_from(&self, offset: u64) -> Result<std::borrow::Cow<'_, [u8]>> {
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

/// Reads the header row of a prepared file and detects its format (or takes `forced`,
/// for inputs recognised by their content, such as Capsule entries). A `--map` file
/// decides for the files that hold its columns (one map per file), detection for the rest.
pub(super) fn recognise(
    p: Prepared,
    forced: Option<&'static FormatSpec>,
    cfg: &IngestOptions,
) -> Result<(Loaded, FileLedger)> {
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
    let mut header = RecordBuf::default();
    Records::open(&loaded, 0, 0)?.next(&mut header)?;
    if let Some((_, Flaw::OpenQuote { quote_line, .. })) = header.flaws.first() {
        return Err(Error::Csv {
            path,
            line: quote_line.saturating_add_signed(p.line_offset),
            message: "a quote opened in the header row is never closed".into(),
        });
    }
    let headers: Vec<String> =
        header.iter().flat_map(|rec| rec.iter()).map(|h| h.trim().trim_start_matches('\u{feff}').to_owned()).collect();
    if headers.iter().all(String::is_empty) {
        return Err(Error::EmptyFile { path });
    }
    let mapped = match forced {
        None => mapping::fit_one(&cfg.map, &path, &headers)?.map(|(m, map)| (m.spec(), map)),
        Some(_) => None,
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
                    // The user gave maps: what the nearest one lacks is the more useful message.
                    if let Some((m, missing)) =
                        cfg.map.iter().map(|m| (m, m.missing(&headers))).min_by_key(|(_, miss)| miss.len())
                    {
                        return Err(m.missing_error(&path, &headers, missing));
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

pub(super) fn csv_error(path: &Path, e: &csv::Error, line_offset: i64) -> Error {
    Error::Csv {
        path: path.to_owned(),
        line: e.position().map_or(0, |p| p.line()).saturating_add_signed(line_offset),
        message: e.to_string(),
    }
}
