//! `followup sample` reproduces the committed `sample_data/` byte for byte, in every
//! style, with the flags the README gives (the defaults): the generation is
//! deterministic and the CRM-style writers translate the very same deals, so a change
//! that moves one draw of the random generator, or one byte of a writer, fails here.

use std::path::Path;

use crate::util::Workdir;

/// The files of `dir` (not its subfolders), by name.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn sample_reproduces_the_committed_sample_data_in_every_style() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    let wd = Workdir::new();
    // (style, committed folder, committed files the style does not write)
    for (style, sub, hand_written) in [
        ("canonical", "", &["cadence_plan.toml"][..]),
        ("hubspot", "hubspot", &[][..]),
        ("capsule", "capsule", &[][..]),
        ("pipedrive", "pipedrive", &[][..]),
        ("salesforce", "salesforce", &[][..]),
    ] {
        let o = wd.run(["sample", "--style", style, "--out", style]);
        assert!(o.status.success(), "{style}: {}", String::from_utf8_lossy(&o.stderr));
        let (ours, theirs) = (wd.path().join(style), committed.join(sub));
        let written = files(&ours);
        let expected: Vec<String> =
            files(&theirs).into_iter().filter(|f| !hand_written.contains(&f.as_str())).collect();
        assert_eq!(written, expected, "{style}: the files written");
        for name in &written {
            let (a, b) = (
                std::fs::read(ours.join(name)).unwrap_or_default(),
                std::fs::read(theirs.join(name)).unwrap_or_default(),
            );
            assert!(a == b, "{style}: {name} differs from sample_data/{sub} ({} vs {} bytes)", a.len(), b.len());
        }
    }
}
