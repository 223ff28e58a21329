//! Report: [`Metrics`] in, a report folder out (SPEC §4). Every file is rendered to
//! bytes first ([`render_all`], testable without a disk), then written into a staging
//! folder beside the final one and renamed into place, so a failed run leaves no half
//! report. An existing report is replaced only with `--force`.

pub mod charts;
pub mod csv;
pub mod html;
pub mod summary;
pub mod xlsx;

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
    /// A multi-panel chart's panels one SVG each, for the page to lay out by its width
    /// (empty for a chart of one panel; see [`charts::render_panels`]).
    pub panels: Vec<charts::PanelSvg>,
}

/// One piece of work on a chart: the pieces of every chart are shared out among a few
/// threads ([`render_charts`]).
#[derive(Clone, Copy)]
enum Part {
    Png,
    Svg,
    Panels,
}

/// What one [`Part`] gave.
enum Piece {
    Png(Vec<u8>),
    Svg(String),
    Panels(Vec<charts::PanelSvg>),
}

/// Renders one part of one chart; `pixels` is the thread's scratch buffer for PNGs.
fn render_part(kind: charts::ChartKind, part: Part, m: &Metrics, pixels: &mut Vec<u8>) -> Result<Piece> {
    let spec = charts::Spec::default();
    let err =
        |e: charts::ChartError| Error::Render { what: format!("charts/{}", kind.file_stem()), message: e.to_string() };
    Ok(match part {
        Part::Png => Piece::Png(charts::render_png_into(kind, m, &spec.scaled(2), pixels).map_err(err)?),
        Part::Svg => Piece::Svg(charts::render_svg(kind, m, &spec).map_err(err)?),
        Part::Panels => Piece::Panels(charts::render_panels(kind, m).map_err(err)?),
    })
}

/// Renders every chart (with `--by`, one group comparison per dimension) both ways.
///
/// The work is cut into pieces (each chart's PNG, SVG and panels), PNGs first (they
/// dominate: a 1920×1080 picture drawn and deflated), and shared out among as many
/// threads as the machine has cores, each taking the next piece when it is done and
/// drawing every PNG into the one pixel buffer it keeps. A thread per chart made the
/// kernel hand out and clear a fresh 6 MB buffer a chart, and a dozen threads competed
/// for two cores.
pub fn render_charts(m: &Metrics) -> Result<Vec<RenderedChart>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let kinds = charts::ChartKind::for_report(m);
    let jobs: Vec<(usize, Part)> =
        [Part::Png, Part::Svg, Part::Panels].into_iter().flat_map(|p| (0..kinds.len()).map(move |i| (i, p))).collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, jobs.len().max(1));
    let done: Vec<Vec<(usize, Result<Piece>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut pixels = Vec::new();
                    let mut out = Vec::new();
                    while let Some(&(i, part)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        out.push((i, render_part(kinds[i], part, m, &mut pixels)));
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(crate::threads::joined).collect()
    });
    let mut rendered: Vec<RenderedChart> = kinds
        .iter()
        .map(|&kind| RenderedChart { kind, svg: String::new(), png: Vec::new(), panels: Vec::new() })
        .collect();
    // Errors in chart order, as when each chart was rendered on its own.
    let mut pieces: Vec<_> = done.into_iter().flatten().collect();
    pieces.sort_by_key(|(i, _)| *i);
    for (i, piece) in pieces {
        match piece? {
            Piece::Png(png) => rendered[i].png = png,
            Piece::Svg(svg) => rendered[i].svg = svg,
            Piece::Panels(panels) => rendered[i].panels = panels,
        }
    }
    Ok(rendered)
}

/// The due list's path in the report folder.
const DUE_CSV: &str = "tables/due_follow_ups.csv";

/// Renders every file of the report: the charts on their own threads while this one
/// writes the JSON and the tables (the due list of a big export is tens of MB).
pub fn render_all(
    m: &Metrics,
    rejected: &[RejectedRow],
    due: &crate::metrics::due::DueTable,
) -> Result<Vec<OutputFile>> {
    render(m, rejected, DueOut::Bytes(due))
}

/// Renders the report into the staging folder `stage` (see [`write_report_with`]): as
/// [`render_all`], but the due list, tens of MB for a big export, is written straight
/// into its file as it is made instead of being held in memory.
pub fn render_into(
    stage: &Path,
    m: &Metrics,
    rejected: &[RejectedRow],
    due: &crate::metrics::due::DueTable,
) -> Result<()> {
    let files = render(m, rejected, DueOut::Into(stage, due))?;
    write_files(stage, &files)
}

/// Writes the whole due list, tables/due_follow_ups.csv, into the staging folder `stage`.
fn write_due_list(stage: &Path, due: &crate::metrics::due::DueTable) -> Result<()> {
    let path = stage.join(DUE_CSV);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(Error::io(dir))?;
    }
    let file = std::fs::File::create(&path).map_err(Error::io(&path))?;
    csv::due_follow_ups_to(due, file)?;
    Ok(())
}

/// Where [`render`] puts the due list's CSV.
#[derive(Clone, Copy)]
enum DueOut<'a> {
    /// Among the files returned.
    Bytes(&'a crate::metrics::due::DueTable),
    /// Into its file in this staging folder, as it is made.
    Into(&'a Path, &'a crate::metrics::due::DueTable),
}

impl<'a> DueOut<'a> {
    fn table(self) -> &'a crate::metrics::due::DueTable {
        match self {
            DueOut::Bytes(t) | DueOut::Into(_, t) => t,
        }
    }
}

/// [`render_all`], or with the due list's CSV written into the staging folder and left
/// out of the files returned.
fn render(m: &Metrics, rejected: &[RejectedRow], due: DueOut<'_>) -> Result<Vec<OutputFile>> {
    std::thread::scope(|s| {
        let timer = crate::timing::Timer::new();
        let charts = s.spawn(|| render_charts(m));
        let workbook = s.spawn(|| xlsx::render(m, due.table()));
        let mut json = serde_json::to_vec_pretty(m)
            .map_err(|e| Error::Render { what: "metrics.json".into(), message: e.to_string() })?;
        json.push(b'\n');
        let mut files = vec![
            OutputFile { path: "metrics.json".into(), bytes: json },
            OutputFile { path: "tables/response_by_touch.csv".into(), bytes: csv::response_by_touch(m)? },
            OutputFile { path: "tables/touches_to_close.csv".into(), bytes: csv::touches_to_close(m)? },
            OutputFile { path: "tables/cohorts.csv".into(), bytes: csv::cohorts(m)? },
            OutputFile { path: "tables/speed_to_answer.csv".into(), bytes: csv::speed_to_answer(m)? },
            OutputFile { path: "tables/reply_delay.csv".into(), bytes: csv::reply_delay(m)? },
            OutputFile { path: "tables/spacing.csv".into(), bytes: csv::spacing(m)? },
            OutputFile { path: "tables/late_answers.csv".into(), bytes: csv::late_answers(m)? },
            OutputFile { path: "tables/competing_outcomes.csv".into(), bytes: csv::competing_outcomes(m)? },
            OutputFile { path: "tables/waiting_on_us.csv".into(), bytes: csv::waiting_on_us(m)? },
            OutputFile { path: "rejected.csv".into(), bytes: csv::rejected(rejected)? },
        ];
        if !m.plan_adherence.is_empty() {
            files.push(OutputFile { path: "tables/plan_adherence.csv".into(), bytes: csv::plan_adherence(m)? });
        }
        for dim in m.groups.keys() {
            files.push(OutputFile { path: format!("tables/groups_{dim}.csv"), bytes: csv::groups(m, dim)? });
            files.push(OutputFile { path: format!("tables/comparisons_{dim}.csv"), bytes: csv::comparisons(m, dim)? });
        }
        let summary = summary::render(m).into_bytes();
        timer.lap("json+tables");
        let charts = crate::threads::joined(charts)?;
        let page = html::render(m, &charts)?.into_bytes();
        timer.lap("charts+page");
        // The due list, tens of MB for a big export, while the workbook is finished: it
        // is done last (its due sheet, then its zip, on one core).
        let due_csv = match due {
            DueOut::Bytes(t) => Some(csv::due_follow_ups(t)?),
            DueOut::Into(stage, t) => write_due_list(stage, t).map(|()| None)?,
        };
        timer.lap("due list");
        if let Some(bytes) = due_csv {
            files.push(OutputFile { path: DUE_CSV.into(), bytes });
        }
        files.push(OutputFile { path: "summary.md".into(), bytes: summary });
        let workbook = crate::threads::joined(workbook)?;
        timer.lap("workbook (wait)");
        files.push(OutputFile { path: "report.xlsx".into(), bytes: workbook });
        files.push(OutputFile { path: "index.html".into(), bytes: page });
        for c in charts {
            let stem = c.kind.file_stem();
            files.push(OutputFile { path: format!("charts/{stem}.svg"), bytes: c.svg.into_bytes() });
            files.push(OutputFile { path: format!("charts/{stem}.png"), bytes: c.png });
        }
        Ok(files)
    })
}

/// Writes the report folder `out` atomically: staged beside it, then moved into place
/// in one step that never replaces what appeared meanwhile (see [`crate::output::place`]).
/// An existing `out` is replaced only with `force`, and only when it is a followup
/// report (or an empty folder) that holds none of the `protected` files (the inputs) and
/// is not the current folder, home or `/`. Anything else: [`Error::OutputExists`] or
/// [`Error::Refused`] (exit 2), with nothing written.
pub fn write_report(out: &Path, force: bool, protected: &[PathBuf], files: &[OutputFile]) -> Result<()> {
    write_report_with(out, force, protected, |stage| write_files(stage, files))
}

/// [`write_report`] with the files written by `fill` into the staging folder it is
/// given (so a big file can be streamed there as it is rendered: [`render_into`]), and
/// what `fill` returns. When `fill` fails or panics the staging folder is deleted, as
/// is everything in it.
pub fn write_report_with<T>(
    out: &Path,
    force: bool,
    protected: &[PathBuf],
    fill: impl FnOnce(&Path) -> Result<T>,
) -> Result<T> {
    /// Deletes the staging folder when dropped armed (an error or a panic in `fill`).
    struct Staged<'a>(&'a Path, bool);
    impl Drop for Staged<'_> {
        fn drop(&mut self) {
            if self.1 {
                let _ = std::fs::remove_dir_all(self.0);
            }
        }
    }
    let ours = crate::output::is_replaceable_report;
    crate::output::preflight(out, force, protected, "report folder", &ours)?;
    let parent = crate::output::parent_of(out);
    std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
    let stage = crate::output::beside(out, "partial");
    std::fs::create_dir(&stage).map_err(Error::io(&stage))?;
    let mut staged = Staged(&stage, true);
    let filled = fill(&stage)?;
    // From here place() deletes the stage itself if it cannot move it in.
    staged.1 = false;
    crate::output::place(&stage, out, force, protected, "report folder", &ours)?;
    Ok(filled)
}

/// What [`write_index`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexOutcome {
    /// `index.html` was written, listing this many reports.
    Written(usize),
    /// `index.html` exists and was not written by followup: left alone.
    NotOurs(PathBuf),
}

/// True for a report folder name that is safe as a link: ASCII letters, digits, `-`,
/// `_` and `.`, not starting with `.`, at most 100 characters (names such as
/// `javascript:…` or with spaces, quotes or slashes are not listed).
pub fn is_safe_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The marker in the first lines of `reports/index.html` that says followup wrote it.
const INDEX_MARKER: &str = "<meta name=\"generator\" content=\"followup\">";

/// True when `path` is an index page followup wrote: its marker (or, for pages of
/// earlier versions, its title) is near the top.
fn is_our_index(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(1024).read_to_end(&mut head));
    let head = String::from_utf8_lossy(&head);
    read.is_ok() && (head.contains(INDEX_MARKER) || head.contains("<title>Follow-up reports</title>"))
}

/// Rewrites `dir/index.html`: every report folder in `dir` (a folder with a safe name
/// holding a readable metrics.json), newest first (by the end of its period, then its
/// as-of date; "all data" reports after the monthly ones of the same date). An
/// `index.html` that followup did not write is left alone ([`IndexOutcome::NotOurs`]).
pub fn write_index(dir: &Path) -> Result<IndexOutcome> {
    let target = dir.join("index.html");
    if std::fs::symlink_metadata(&target).is_ok() && !is_our_index(&target) {
        return Ok(IndexOutcome::NotOurs(target));
    }
    let mut found: Vec<(String, Metrics)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))?.filter_map(|e| e.ok()) {
        let Ok(name) = entry.file_name().into_string() else { continue };
        if !is_safe_folder_name(&name) {
            continue; // staging folders, and names unsafe in a link
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
    let ours = |p: &Path| is_our_index(p);
    crate::output::write_file(&target, true, &[], "report index", &ours, page.as_bytes())?;
    Ok(IndexOutcome::Written(found.len()))
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
        assert!(write_report(&out, false, &[], &failing_files()).is_err());
        assert!(leftovers(dir.path()).is_empty(), "left behind: {:?}", leftovers(dir.path()));
    }

    #[test]
    fn a_panic_while_filling_the_stage_leaves_no_report_folder_behind() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("2026-10");
        let run = std::panic::catch_unwind(|| {
            write_report_with::<()>(&out, false, &[], |stage| {
                std::fs::write(stage.join("metrics.json"), "{}").expect("write");
                panic!("render failed")
            })
        });
        assert!(run.is_err());
        assert!(leftovers(dir.path()).is_empty(), "left behind: {:?}", leftovers(dir.path()));
    }

    #[test]
    fn a_report_rendered_into_its_stage_has_the_same_files_as_in_memory() {
        let dir = tempfile::tempdir().expect("tmp");
        let mopts = crate::metrics::MetricsOptions {
            recovered_after: crate::metrics::DEFAULT_RECOVERED_AFTER,
            stale_days: crate::metrics::DEFAULT_STALE_DAYS,
            by: vec![crate::model::Dimension::Owner],
            ..Default::default()
        };
        let ing = crate::ingest::ingest(&crate::ingest::IngestOptions::sample_log()).expect("ingest");
        let c = crate::metrics::compute(ing, &mopts).expect("metrics");
        let files = render_all(&c.metrics, &c.ledger.rejected, &c.due).expect("render");
        let out = dir.path().join("2026-10");
        write_report_with(&out, false, &[], |stage| render_into(stage, &c.metrics, &c.ledger.rejected, &c.due))
            .expect("write");
        for f in &files {
            assert_eq!(std::fs::read(out.join(&f.path)).expect("file"), f.bytes, "{}", f.path);
        }
        let sub = |d: &str| leftovers(&out.join(d)).len();
        let all = leftovers(&out).len() - 2 + sub("tables") + sub("charts");
        assert_eq!(all, files.len(), "no other file in {}", out.display());
        assert!(files.iter().any(|f| f.path == DUE_CSV));
    }

    #[test]
    fn a_failed_replacement_keeps_the_previous_report() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = dir.path().join("2026-10");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join("metrics.json"), r#"{"schema": "followup/1"}"#).expect("write");
        std::fs::write(out.join("index.html"), "previous").expect("write");
        assert!(write_report(&out, true, &[], &failing_files()).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).expect("kept"), "previous");
        assert_eq!(leftovers(dir.path()), vec!["2026-10".to_string()]);
    }
}
