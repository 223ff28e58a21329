//! Report: [`Metrics`] in, a report folder out (SPEC §4). Every file is rendered to
//! bytes first ([`render_all`], testable without a disk), then written into a staging
//! folder beside the final one and renamed into place, so a failed run leaves no half
//! report. An existing report is replaced only with `--force`.

pub mod charts;
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
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// A chart rendered both ways: SVG (inlined in the page and written) and PNG.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    /// Which chart.
    pub kind: charts::ChartKind,
    /// SVG text at the page size.
    pub svg: String,
    /// PNG bytes at twice the page size (sharp in slides and print).
    pub png: Vec<u8>,
}

/// Renders one chart both ways.
fn render_chart(kind: charts::ChartKind, m: &Metrics) -> Result<RenderedChart> {
    let spec = charts::Spec::default();
    let err = |e: charts::ChartError| Error::Render { what: format!("charts/{}", kind.file_stem()), message: e.to_string() };
    Ok(RenderedChart {
        kind,
        svg: charts::render_svg(kind, m, &spec).map_err(err)?,
        png: charts::render_png(kind, m, &spec.scaled(2)).map_err(err)?,
    })
}

/// Renders every chart (with `--by`, one group comparison per dimension), one thread
/// per chart (the PNGs dominate: ~40 ms each).
pub fn render_charts(m: &Metrics) -> Result<Vec<RenderedChart>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = charts::ChartKind::for_report(m).into_iter().map(|k| s.spawn(move || render_chart(k, m))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    })
}

/// Renders every file of the report: the charts on their own threads while this one
/// writes the JSON and the tables (the due list of a big export is tens of MB).
pub fn render_all(m: &Metrics, rejected: &[RejectedRow], due: &crate::metrics::due::DueTable) -> Result<Vec<OutputFile>> {
    std::thread::scope(|s| {
        let timer = crate::Timer::new();
        let charts = s.spawn(|| render_charts(m));
        let due_csv = s.spawn(|| csv::due_follow_ups(due));
        let mut json =
            serde_json::to_vec_pretty(m).map_err(|e| Error::Render { what: "metrics.json".into(), message: e.to_string() })?;
        json.push(b'\n');
        let mut files = vec![
            OutputFile { path: "metrics.json".into(), bytes: json },
            OutputFile { path: "tables/response_by_touch.csv".into(), bytes: csv::response_by_touch(m)? },
            OutputFile { path: "tables/touches_to_close.csv".into(), bytes: csv::touches_to_close(m)? },
            OutputFile { path: "tables/cohorts.csv".into(), bytes: csv::cohorts(m)? },
            OutputFile { path: "rejected.csv".into(), bytes: csv::rejected(rejected)? },
        ];
        if !m.plan_adherence.is_empty() {
            files.push(OutputFile { path: "tables/plan_adherence.csv".into(), bytes: csv::plan_adherence(m)? });
        }
        for dim in m.groups.keys() {
            files.push(OutputFile { path: format!("tables/groups_{dim}.csv"), bytes: csv::groups(m, dim)? });
            files.push(OutputFile { path: format!("tables/comparisons_{dim}.csv"), bytes: csv::comparisons(m, dim)? });
        }
        let due_csv = due_csv.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        files.push(OutputFile { path: "tables/due_follow_ups.csv".into(), bytes: due_csv });
        timer.lap("json+tables");
        let charts = charts.join().unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        timer.lap("charts (wait)");
        files.push(OutputFile { path: "index.html".into(), bytes: html::render(m, &charts)?.into_bytes() });
        for c in charts {
            let stem = c.kind.file_stem();
            files.push(OutputFile { path: format!("charts/{stem}.svg"), bytes: c.svg.into_bytes() });
            files.push(OutputFile { path: format!("charts/{stem}.png"), bytes: c.png });
        }
        Ok(files)
    })
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

/// Rewrites `dir/index.html`: every report folder in `dir` (a folder holding a
/// readable metrics.json), newest first (by the end of its period, then its as-of
/// date; "all data" reports after the monthly ones of the same date).
pub fn write_index(dir: &Path) -> Result<()> {
    let mut found: Vec<(String, Metrics)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))?.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue; // staging folders
        }
        let Ok(text) = std::fs::read_to_string(entry.path().join("metrics.json")) else { continue };
        if let Ok(m) = serde_json::from_str::<Metrics>(&text) {
            found.push((name, m));
        }
    }
    let key = |m: &Metrics| (m.period.as_ref().map_or(m.as_of.clone(), |p| p.to.clone()), m.period.is_some());
    found.sort_by(|a, b| key(&b.1).cmp(&key(&a.1)).then(a.0.cmp(&b.0)));
    let rows = found.iter().map(|(n, m)| html::index_row(n, m)).collect();
    let page = html::render_index(rows)?;
    let tmp = dir.join(".index.html.partial");
    std::fs::write(&tmp, page).map_err(Error::io(&tmp))?;
    let target = dir.join("index.html");
    std::fs::rename(&tmp, &target).map_err(Error::io(&target))
}

fn write_files(stage: &Path, files: &[OutputFile]) -> Result<()> {
    for f in files {
        let path = stage.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
        }
        std::fs::write(&path, &f.bytes).map_err(Error::io(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failing_files() -> Vec<OutputFile> {
        vec![
            OutputFile { path: "metrics.json".into(), bytes: b"{}\n".to_vec() },
            // Its parent is the file just written: the write fails halfway through.
            OutputFile { path: "metrics.json/broken.csv".into(), bytes: b"x".to_vec() },
        ]
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_failure_mid_write_leaves_no_report_folder_behind() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("2026-10");
        assert!(write_report(&out, false, &failing_files()).is_err());
        assert!(leftovers(dir.path()).is_empty(), "left behind: {:?}", leftovers(dir.path()));
    }

    #[test]
    fn a_failed_replacement_keeps_the_previous_report() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("2026-10");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("index.html"), "previous").expect("write");
        assert!(write_report(&out, true, &failing_files()).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).expect("kept"), "previous");
        assert_eq!(leftovers(dir.path()), vec!["2026-10".to_string()]);
    }
}
