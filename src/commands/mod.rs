//! The subcommands, one file each: its flags come from [`crate::cli`], its `run` takes
//! them, does the work through the library's layers and prints what it has to say.
//! Errors are returned to `main`, which maps them to an exit code.

pub mod check;
pub mod map;
pub mod report;
pub mod sample;

/// A line to stderr; a closed or full stderr is ignored (there is nowhere left to say it).
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
pub(crate) use note;
