//! Stage timings for benchmarking: with `FOLLOWUP_TIMINGS` set, each stage prints its
//! time and the process's memory to stderr; otherwise nothing happens.

/// Stage timings printed to stderr when `FOLLOWUP_TIMINGS` is set (for benchmarking).
pub struct Timer {
    start: Option<std::time::Instant>,
    last: std::cell::Cell<Option<std::time::Instant>>,
    /// The process's CPU time (all threads) at the previous lap.
    cpu: std::cell::Cell<f64>,
}

/// The process's user + system CPU time so far, in seconds, from `/proc/self/stat`
/// (clock ticks of 10 ms; 0 where it cannot be read).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at its ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: u64 = rest.split_whitespace().skip(11).take(2).filter_map(|f| f.parse::<u64>().ok()).sum();
    ticks as f64 / 100.0
}

impl Timer {
    /// Starts timing if `FOLLOWUP_TIMINGS` is set.
    pub fn new() -> Self {
        let start = std::env::var_os("FOLLOWUP_TIMINGS").map(|_| std::time::Instant::now());
        let cpu = if start.is_some() { cpu_seconds() } else { 0.0 };
        Timer { start, last: std::cell::Cell::new(start), cpu: std::cell::Cell::new(cpu) }
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
            let cpu = cpu_seconds();
            let _ = writeln!(
                std::io::stderr().lock(),
                "timing: {what:<12} {:>8.3} s  cpu {:>6.2} s  (total {:.3} s)  rss {}  peak {}",
                (now - last).as_secs_f64(),
                cpu - self.cpu.get(),
                (now - start).as_secs_f64(),
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.last.set(Some(now));
            self.cpu.set(cpu);
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
