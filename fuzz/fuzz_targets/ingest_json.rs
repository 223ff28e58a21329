//! JSON readers. The bytes are read (1) as a Capsule entries file (`GET /api/v2/entries`
//! saved as JSON) through the report path and `followup check`: every entry is one row
//! of the ledger; and (2) as the metrics.json of a report folder, which the index of
//! `reports/` reads back when another report is written there.
#![no_main]

use followup_fuzz::{config, run_check, run_report, scratch, write_input, CappedAlloc};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

fuzz_target!(|data: &[u8]| {
    let path = write_input("entries.json", data);
    let entries = match followup::ingest::capsule::entries_to_csv(&path, data) {
        Ok(found) => found.map(|(_, n)| n),
        Err(e) => {
            followup_fuzz::check_error(&e, &path);
            None
        }
    };
    let cfg = config(vec![path.clone()]);
    // An entry's "line" is its position in the file: at most one per `{`.
    let max_line = data.iter().filter(|&&b| b == b'{').count() as u64 + 1;
    if let Some(run) = run_report(&cfg, max_line) {
        if let (Some(n), [f]) = (entries, run.inputs.as_slice()) {
            if f.format.starts_with("capsule-entries") {
                assert_eq!(f.rows, n, "{n} entries read as {} rows", f.rows);
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
