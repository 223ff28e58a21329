//! The CSV / follow-up log reader: one file of arbitrary bytes through the whole ingest
//! of `followup report` (encoding, `sep=` line, delimiter, header and format detection,
//! rows, ledger, metrics), then `followup check` and `followup map --init` on it; the
//! map `--init` writes must parse again and fit the file it was guessed from.
#![no_main]

use followup::ingest::mapping::Mapping;
use followup_fuzz::{config, line_breaks, run_check, run_report, write_input, CappedAlloc};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

fuzz_target!(|data: &[u8]| {
    let path = write_input("log.csv", data);
    let max_line = line_breaks(data) + 1;
    let cfg = config(vec![path.clone()]);
    if let Some(run) = run_report(&cfg, max_line) {
        // One file: its data rows cannot outnumber its lines.
        let f = &run.inputs[0];
        assert!(f.rows as u64 <= max_line, "{} rows in a file of {max_line} lines", f.rows);
    }
    run_check(&cfg);
    match followup::commands::map::init(&path, None) {
        Ok(text) => {
            let map_path = followup_fuzz::scratch().join("map.toml");
            match Mapping::parse(&map_path, &text) {
                Ok(map) => {
                    // The map is guessed from the headers: it fits them.
                    let headers = followup::ingest::read_head(&path, None, 0).map(|(h, _)| h);
                    if let Ok(headers) = headers {
                        if let Err(e) = map.fit(&path, &headers) {
                            panic!("the map --init guessed does not fit its own file: {e}\n{text}");
                        }
                    }
                }
                Err(e) => {
                    // The guess may lack a required column, but what it writes must
                    // be TOML that followup itself reads back.
                    let msg = e.to_string();
                    assert!(!msg.contains("for the layout"), "map --init wrote TOML that does not parse: {msg}\n{text}");
                }
            }
        }
        Err(e) => followup_fuzz::check_error(&e, &path),
    }
});
