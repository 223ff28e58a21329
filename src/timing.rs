//! Stage timings for benchmarking: with `FOLLOWUP_TIMINGS` set, each stage prints its
//! time and the process's memory to stderr; otherwise nothing happens.

/// Stage timings printed to stderr when `FOLLOWUP_TIMINGS` is set (for benchmarking).
pub struct Timer {
    start: Option<std::time::Instant>,
    last: std::cell::Cell<Option<std::time::Instant>>,
}

impl Timer {
    /// Starts timing if `FOLLOWUP_TIMINGS` is set.
    pub fn new() -> Self {
        let start = std::env::var_os("FOLLOWUP_TIMINGS").map(|_| std::time::Instant::now());
        Timer { start, last: std::cell::Cell::new(start) }
    }

    /// Prints the time since the previous lap.
    pub fn lap(&self, what: &str) {
        if let (Some(start), Some(last)) = (self.start, self.last.get()) {
            let now = std::time::Instant::now();
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field =
                |k: &str| status.lines().find(|l| l.starts_with(k)).map_or("?", |l| l[k.len()..].trim()).to_owned();
            // A closed stderr is no reason to fail the run.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr().lock(),
                "timing: {what:<12} {:>8.3} s  (total {:.3} s)  rss {}  peak {}",
                (now - last).as_secs_f64(),
                (now - start).as_secs_f64(),
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.last.set(Some(now));
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
