//! The `--map FILE.toml` parser. The bytes up to the first NUL are the map; the bytes
//! after it (or a fixed follow-up log) are a CSV file read through the map when it
//! parses. A map error must be a settings-file error on a line and column that exist.
#![no_main]

use followup::ingest::mapping::Mapping;
use followup_fuzz::{check_config_error, config, line_breaks, parts, run_report, write_input, CappedAlloc};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

const LOG: &[u8] = include_bytes!("../../tests/fixtures/cadence_plan/log.csv");

fuzz_target!(|data: &[u8]| {
    let p = parts(data, 2);
    let map_path = write_input("map.toml", p[0]);
    let Ok(text) = std::str::from_utf8(p[0]) else {
        // Not UTF-8: the file cannot be read as text, and says so.
        let e = Mapping::load(&map_path).expect_err("a map that is not UTF-8 was read");
        followup_fuzz::check_error(&e, &map_path);
        return;
    };
    let map = match Mapping::parse(&map_path, text) {
        Ok(map) => map,
        Err(e) => {
            check_config_error(&e, text);
            return;
        }
    };
    for (_, header) in &map.columns {
        assert!(!header.is_empty() && header.trim() == header, "mapped header {header:?}");
    }
    let csv = p.get(1).copied().unwrap_or(LOG);
    let path = write_input("log.csv", csv);
    let mut cfg = config(vec![path]);
    cfg.map = vec![map];
    run_report(&cfg, line_breaks(csv) + 1);
});
