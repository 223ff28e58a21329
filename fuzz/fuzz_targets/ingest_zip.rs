//! ZIP archives (HubSpot's split exports, Capsule's account export) through the report
//! path. Input that starts with `PK` is taken as the whole file; anything else is split
//! at NUL bytes into entries, each `NAME\nCONTENT`, stored in a well-formed archive so
//! the fuzzer reaches the entry names, the Capsule rules and each entry's CSV.
#![no_main]

use followup_fuzz::{config, line_breaks, parts, run_check, run_report, write_input, zip_of, CappedAlloc};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

fuzz_target!(|data: &[u8]| {
    let (bytes, max_line) = if data.starts_with(b"PK") {
        (data.to_vec(), u64::MAX)
    } else {
        let entries: Vec<(String, &[u8])> = parts(data, 6)
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let (name, content) = match e.iter().position(|&b| b == b'\n') {
                    Some(n) => (&e[..n], &e[n + 1..]),
                    None => (&b""[..], e),
                };
                let name = String::from_utf8_lossy(name).trim().to_owned();
                (if name.is_empty() { format!("part-{i}.csv") } else { name }, content)
            })
            .collect();
        (zip_of(entries.iter().map(|(n, c)| (n.as_str(), *c))), line_breaks(data) + 1)
    };
    let path = write_input("export.zip", &bytes);
    let cfg = config(vec![path.clone()]);
    if let Some(run) = run_report(&cfg, max_line) {
        let archive = path.display().to_string();
        for f in &run.inputs {
            assert!(f.path.starts_with(&archive), "an entry reported outside its archive: {:?}", f.path);
        }
        for r in &run.rejected {
            assert!(r.file.starts_with(&archive), "a rejected row outside its archive: {r:?}");
        }
    }
    run_check(&cfg);
});
