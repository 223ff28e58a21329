//! JSON readers. The bytes are read (1) as an API file saved as JSON, Capsule entries
//! (`GET /api/v2/entries`) or Pipedrive activities (`GET /v1/activities`), through the
//! report path and `followup check`: every entry or activity is one row of the ledger;
//! and (2) as the metrics.json of a report folder, which the index of `reports/` reads
//! back when another report is written there.
#![no_main]

use followup_fuzz::{config, run_check, run_report, scratch, write_input, CappedAlloc};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

fuzz_target!(|data: &[u8]| {
    let path = write_input("entries.json", data);
    let count = |r: followup::error::Result<Option<(String, usize)>>| match r {
        Ok(found) => found.map(|(_, n)| n),
        Err(e) => {
            followup_fuzz::check_error(&e, &path);
            None
        }
    };
    let entries = count(followup::ingest::capsule::entries_to_csv(&path, data));
    let activities = count(followup::ingest::pipedrive::activities_to_csv(&path, data));
    let cfg = config(vec![path.clone()]);
    // An entry's "line" is its position in the file: at most one per `{`.
    let max_line = data.iter().filter(|&&b| b == b'{').count() as u64 + 1;
    if let Some(run) = run_report(&cfg, max_line) {
        if let [f] = run.inputs.as_slice() {
            let n = if f.format.starts_with("capsule-entries") {
                entries
            } else if f.format.starts_with("pipedrive-api-activities") {
                activities
            } else {
                None
            };
            if let Some(n) = n {
                assert_eq!(f.rows, n, "{n} entries or activities read as {} rows of {}", f.rows, f.format);
            }
        }
    }
    run_check(&cfg);

    // The same bytes as a report's metrics.json, read back by the index of reports/.
    let reports = scratch().join("reports");
    let one = reports.join("2026-10");
    std::fs::create_dir_all(&one).expect("mkdir");
    std::fs::write(one.join("metrics.json"), data).expect("write");
    if let Err(e) = followup::report::write_index(&reports) {
        panic!("the index of reports/ failed on a metrics.json: {e}");
    }
});
