//! `followup sample --style hubspot` (in progress).

use std::io;
use std::path::Path;

use crate::sample::{SampleOptions, SampleSummary};

/// Writes the sample deals as HubSpot exports.
pub fn write(_opts: &SampleOptions, _out_dir: &Path) -> io::Result<SampleSummary> {
    Err(io::Error::other("not yet"))
}
