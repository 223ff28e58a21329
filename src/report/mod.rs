//! Report: [`Metrics`] in, a report folder out (SPEC §4). Every file is rendered to
//! bytes first ([`render_all`], testable without a disk), then written into a staging
//! folder beside the final one and renamed into place, so a failed run leaves no half
//! report. An existing report is replaced only with `--force`.

pub mod csv;
pub mod html;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::RejectedRow;
use crate::metrics::Metrics;

/// One output file: its path inside the report folder and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative path, e.g. `tables/response_by_touch.csv`.
    pub path: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Renders every file of the report.
pub fn render_all(m: &Metrics, rejected: &[RejectedRow]) -> Result<Vec<OutputFile>> {
    let mut json = serde_json::to_vec_pretty(m).map_err(|e| Error::Render { what: "metrics.json".into(), message: e.to_string() })?;
    json.push(b'\n');
    Ok(vec![
        OutputFile { path: "metrics.json", bytes: json },
        OutputFile { path: "index.html", bytes: html::render(m)?.into_bytes() },
        OutputFile { path: "tables/response_by_touch.csv", bytes: csv::response_by_touch(m)? },
        OutputFile { path: "tables/touches_to_close.csv", bytes: csv::touches_to_close(m)? },
        OutputFile { path: "rejected.csv", bytes: csv::rejected(rejected)? },
    ])
}

/// Writes the report folder `out` atomically (stage beside it, then rename).
pub fn write_report(out: &Path, force: bool, files: &[OutputFile]) -> Result<()> {
    if out.exists() && !force {
        return Err(Error::OutputExists { path: out.to_owned() });
    }
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
    let name = out.file_name().map_or("report".into(), |n| n.to_string_lossy().into_owned());
    let stage: PathBuf = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let result = write_files(&stage, files).and_then(|()| {
        if out.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            std::fs::rename(out, &old).map_err(Error::io(out))?;
            std::fs::rename(&stage, out).map_err(Error::io(out))?;
            std::fs::remove_dir_all(&old).map_err(Error::io(&old))
        } else {
            std::fs::rename(&stage, out).map_err(Error::io(out))
        }
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&stage);
    }
    result
}

fn write_files(stage: &Path, files: &[OutputFile]) -> Result<()> {
    for f in files {
        let path = stage.join(f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        std::fs::write(&path, &f.bytes).map_err(Error::io(&path))?;
    }
    Ok(())
}
