//! Stage timings for benchmarking: with `FOLLOWUP_TIMINGS` set, each stage prints its
//! time and the process's memory to stderr; otherwise nothing happens.

/// Stage timings printed to stderr when `FOLLOWUP_TIMINGS` is set (for benchmarking).
pub struct Timer {
    start: Option<std::time::Instant>,
    last: std::cell::Cell<Option<std::time::Instant>>,
    /// The process's CPU time (all threads) and minor page faults at the previous lap.
    cpu: std::cell::Cell<(f64, u64)>,
}

/// The process's user + system CPU time so far, in seconds, and its minor page faults,
/// from `/proc/self/stat` (clock ticks of 10 ms; 0 where it cannot be read).
fn cpu_and_faults() -> (f64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at its ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let field = |i: usize| rest.split_whitespace().nth(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    ((field(11) + field(12)) as f64 / 100.0, field(7))
}

impl Timer {
    /// Starts timing if `FOLLOWUP_TIMINGS` is set.
    pub fn new() -> Self {
        let start = std::env::var_os("FOLLOWUP_TIMINGS").map(|_| std::time::Instant::now());
        let cpu = if start.is_some() { cpu_and_faults() } else { (0.0, 0) };
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
            let (cpu, faults) = cpu_and_faults();
            let (cpu_before, faults_before) = self.cpu.get();
            let _ = writeln!(
                std::io::stderr().lock(),
                "timing: {what:<12} {:>8.3} s  cpu {:>6.2} s  (total {:.3} s)  rss {}  peak {}  faults {}",
                (now - last).as_secs_f64(),
                cpu - cpu_before,
                (now - start).as_secs_f64(),
                field("VmRSS:"),
                field("VmHWM:"),
                faults.saturating_sub(faults_before),
            );
            self.last.set(Some(now));
            self.cpu.set((cpu, faults));
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
