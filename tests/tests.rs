//! The one integration-test binary (polars links once): golden fixtures, the CLI,
//! ingest edge cases and properties.

mod util;

mod architecture;
mod browser;
mod cli;
mod exports;
mod exports_issue10;
mod fixtures;
mod hostile_cells;
mod hostile_fuzz;
mod hostile_output;
mod hostile_reader;
mod ingest;
mod mapping;
mod props;
mod props_bytes;
mod sample;
mod snapshots;
mod timing_tables;
mod workbook;
