//! The `followup` binary: parse the command line, run the command, map the result to an
//! exit code (0 ok, 1 I/O, 2 bad input or arguments, 3 rejected rows under --strict).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use followup::cli::{Cli, Command};
use followup::commands;

#[global_allocator]
static HEAP: followup::threads::HugePages = followup::threads::HugePages;

fn main() -> ExitCode {
    followup::threads::one_heap();
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
