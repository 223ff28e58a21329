//! Shared pieces of the fuzz targets: a scratch file per process, one report run of
//! followup's real ingest path over it, and the invariants every run must keep.
//!
//! The targets assert more than "no panic": the ledger of every file adds up, rejected
//! rows point at lines that exist, amounts are finite, errors name the file and stay
//! short and printable. An assertion failing is reported by libFuzzer as a crash, with
//! the input saved under `fuzz/artifacts/TARGET/`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};

use followup::cli::ReportArgs;
use followup::config::RunConfig;
use followup::error::Error;

/// The largest single allocation a run may make. A size read from a file (an XLSX
/// dimension, a ZIP entry's claimed size) must be checked before it is allocated; an
/// allocation above this is reported as a crash instead of taking the machine down.
pub const MAX_ALLOC: usize = 1 << 30;

/// A global allocator that aborts with a message on an allocation above [`MAX_ALLOC`]
/// (libFuzzer then saves the input). Each target installs it.
pub struct CappedAlloc;

unsafe impl GlobalAlloc for CappedAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check_size(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check_size(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check_size(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn check_size(size: usize) {
    if size > MAX_ALLOC {
        // No allocation here: write the message with a fixed buffer and abort.
        let mut buf = [0u8; 96];
        let msg = b"fuzz: allocation above the 1 GiB cap (a size from the input was trusted): ";
        let n = msg.len().min(buf.len());
        buf[..n].copy_from_slice(&msg[..n]);
        let _ = std::io::Write::write_all(&mut std::io::stderr(), &buf[..n]);
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut v = size;
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        let _ = std::io::Write::write_all(&mut std::io::stderr(), &digits[i..]);
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b" bytes\n");
        std::process::abort();
    }
}

/// A scratch folder for this process under /dev/shm (memory, not disk), removed and
/// re-made once per process; files in it are overwritten on each run.
pub fn scratch() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("followup-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the scratch folder");
        dir
    })
}

/// Writes `bytes` to the scratch file `name` and returns its path.
pub fn write_input(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).expect("write the scratch input");
    path
}

/// The report configuration of a fuzz run: defaults as on the command line. Polars
/// runs on one thread: on tiny inputs its thread pool costs more than it saves, and
/// the fuzzer runs one input at a time.
pub fn config(inputs: Vec<PathBuf>) -> RunConfig {
    static ONE_THREAD: std::sync::Once = std::sync::Once::new();
    ONE_THREAD.call_once(|| {
        // Set before polars or rayon start their pools (the first run).
        std::env::set_var("POLARS_MAX_THREADS", "1");
        std::env::set_var("RAYON_NUM_THREADS", "1");
    });
    let mut args = ReportArgs::default();
    args.input.inputs = inputs;
    args.out = Some(scratch().join("report"));
    RunConfig::try_from(&args).expect("a valid fuzz configuration")
}

/// Line breaks in raw bytes (LF, CR, or CRLF counted once): a row cannot start on a
/// line past this plus one. Counted on bytes, which is an upper bound for UTF-16 too.
pub fn line_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Checks a fatal error: it names the input (or its archive), and its message is
/// bounded. `input` is the path given on the command line.
pub fn check_error(e: &Error, input: &Path) {
    let msg = e.to_string();
    let name = input.display().to_string();
    assert!(msg.contains(&name), "the error does not name the file {name}: {msg}");
    assert!(msg.len() <= 64 * 1024, "an error message of {} bytes: {}", msg.len(), &msg[..msg.floor_char_boundary(300)]);
}

/// What a fuzz run of the report path saw, for target-specific checks.
pub struct Run {
    /// The per-file counts after metrics (duplicates decided).
    pub inputs: Vec<followup::ingest::FileLedger>,
    /// Every rejected row.
    pub rejected: Vec<followup::ingest::RejectedRow>,
}

/// Runs ingest and the metrics over `cfg` and asserts the invariants of SPEC §5 on the
/// result: for every file rows = used + rejected + duplicates, the rejected rows add
/// up, each rejected row names a file and a line from 1 to `max_line`, every deal
/// amount is finite. A fatal error must name the input and be short. `None` after an
/// error.
pub fn run_report(cfg: &RunConfig, max_line: u64) -> Option<Run> {
    let input = cfg.inputs[0].clone();
    let ing = match followup::ingest::ingest(&cfg.into()) {
        Ok(ing) => ing,
        Err(e) => {
            check_error(&e, &input);
            return None;
        }
    };
    for (d, a) in ing.tables.deals.amount.iter().enumerate() {
        if let Some(a) = a {
            assert!(a.is_finite(), "deal {d} has the amount {a}");
        }
    }
    let files = ing.ledger.files.clone();
    let computed = match followup::metrics::compute(ing, &followup::metrics::MetricsOptions::from(cfg)) {
        Ok(c) => c,
        Err(e) => {
            check_error(&e, &input);
            return None;
        }
    };
    let m = &computed.metrics;
    assert_eq!(m.inputs.len(), files.len());
    let mut rejected = 0usize;
    for f in &m.inputs {
        assert!(f.check(), "row accounting broken: {f:?}");
        rejected += f.rejected;
    }
    let rows = &computed.ledger.rejected;
    assert_eq!(rejected, rows.len(), "the files count {rejected} rejected rows, the list has {}", rows.len());
    for r in rows {
        assert!(!r.file.is_empty() && !r.reason.is_empty(), "a rejected row without file or reason: {r:?}");
        assert!(r.line >= 1 && r.line <= max_line, "rejected row on line {} of at most {max_line}: {r:?}", r.line);
    }
    Some(Run { inputs: m.inputs.clone(), rejected: rows.clone() })
}

/// Runs `followup check` over `cfg`: no panic, and its errors name the file.
pub fn run_check(cfg: &RunConfig) {
    let input = cfg.inputs[0].clone();
    match followup::commands::check::check(cfg) {
        Ok(out) => {
            for e in &out.errors {
                check_error(e, &input);
            }
        }
        Err(e) => check_error(&e, &input),
    }
}

/// A ZIP archive of `entries` (name, bytes), stored uncompressed with a fixed time, so
/// that the fuzzer's bytes reach the reader of each entry instead of failing a CRC.
pub fn zip_of<'a>(entries: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in entries {
        // A name the writer refuses (a duplicate) is left out.
        if zip.start_file(name, options).is_ok() {
            zip.write_all(bytes).expect("write to memory");
        }
    }
    zip.finish().expect("finish a ZIP in memory").into_inner()
}

/// Splits fuzz bytes into at most `n` parts at NUL bytes (a separator no XML, CSV
/// header or TOML text needs).
pub fn parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |&b| b == 0).collect()
}

/// Checks the error for a settings file (`--map`, `--cadence-plan`): it is a
/// `ConfigFile` error whose line and column exist in the text.
pub fn check_config_error(e: &Error, text: &str) {
    match e {
        Error::ConfigFile { line, column, message, .. } => {
            let lines = text.split('\n').count() as u64;
            assert!(*line >= 1 && *line <= lines, "error on line {line} of a {lines}-line file: {message}");
            assert!(*column >= 1, "error in column {column}: {message}");
            let longest = text.split('\n').map(|l| l.chars().count()).max().unwrap_or(0) as u64;
            assert!(*column <= longest + 1, "error in column {column}, the longest line has {longest} characters: {message}");
            assert!(message.len() <= 4096, "a {}-byte message", message.len());
        }
        other => panic!("a settings file error that is not ConfigFile: {other:?}"),
    }
}
