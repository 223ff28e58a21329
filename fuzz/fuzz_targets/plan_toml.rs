//! The `--cadence-plan FILE.toml` parser. The bytes up to the first NUL are the plan;
//! the bytes after it (or a fixed follow-up log with cadences) are a log reported with
//! the plan when it parses. A plan error must be a settings-file error on a line and
//! column that exist; a plan read must keep the rules of plan.rs.
#![no_main]

use followup_fuzz::{check_config_error, config, line_breaks, parts, run_report, write_input, CappedAlloc};
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc;

const LOG: &[u8] = include_bytes!("../../tests/fixtures/cadence_plan/log.csv");

fuzz_target!(|data: &[u8]| {
    let p = parts(data, 2);
    let plan_path = write_input("plan.toml", p[0]);
    let Ok(text) = std::str::from_utf8(p[0]) else {
        let e = followup::plan::load(&plan_path).expect_err("a plan that is not UTF-8 was read");
        followup_fuzz::check_error(&e, &plan_path);
        return;
    };
    let plan = match followup::plan::parse(&plan_path, text) {
        Ok(plan) => plan,
        Err(e) => {
            check_config_error(&e, text);
            return;
        }
    };
    for c in &plan.cadences {
        assert!(!c.touches.is_empty(), "cadence {:?} without touches", c.name);
        assert!(c.touches.windows(2).all(|w| w[0].day <= w[1].day), "days go down in {c:?}");
        assert!(c.touches.iter().all(|t| (0..=3650).contains(&t.day)), "a day out of range in {c:?}");
        for k in 0..=c.touches.len() as u32 + 1 {
            if let Some(gap) = c.gap_after(k) {
                assert!(gap >= 0, "negative gap after touch {k} in {c:?}");
            }
        }
        let i = plan.cadences.iter().position(|x| std::ptr::eq(x, c));
        assert_eq!(plan.position(&c.name), i, "cadence {:?} finds another cadence: two names that differ only in case or spaces", c.name);
    }
    let csv = p.get(1).copied().unwrap_or(LOG);
    let path = write_input("log.csv", csv);
    let mut cfg = config(vec![path]);
    cfg.plan = Some(plan);
    run_report(&cfg, line_breaks(csv) + 1);
});
