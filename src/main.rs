//! The `followup` binary: parse the command line, run the command, map the result to an
//! exit code (0 ok, 1 I/O, 2 bad input or arguments, 3 rejected rows under --strict).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use followup::cli::{Cli, Command};
use followup::commands;

fn main() -> ExitCode {
    give_large_blocks_back();
    let result = match Cli::parse().command {
        Command::Report(a) => commands::report::run(&a),
        Command::Sample(a) => commands::sample::run(&a),
        Command::Check(a) => commands::check::run(&a),
        Command::Map(a) => commands::map::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`followup check … | head`): not a failure.
        Err(e) if followup::output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed or full stderr: there is nowhere left to say it.
            let _ = writeln!(std::io::stderr().lock(), "followup: error: {e:#}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Makes every block of 1 MiB or more a mapping of its own, given back to the system as
/// soon as it is freed. glibc's default threshold starts at 128 KiB but rises to the
/// size of each large block freed (up to 32 MiB); after the ingest frees its buffers,
/// the tens-of-megabyte columns the metrics and polars make and drop came from the heap
/// and stayed in the process: at a million deals the report kept 400 MB resident while
/// it wrote files that need 130 MB, and the peak was 70 MB higher (docs/decisions.md,
/// "Report memory").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_large_blocks_back() {
    // SAFETY: mallopt only changes an allocator setting; it is called first thing in
    // main, before any other thread exists, and its failure (0) leaves the default.
    unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_large_blocks_back() {}
