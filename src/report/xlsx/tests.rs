use super::*;

#[test]
fn money_formats_keep_only_the_letters_of_the_code() {
    assert_eq!(money_format("USD"), "\"USD \"#,##0.00");
    assert_eq!(money_format("E\"UR;@"), "\"EUR \"#,##0.00");
    assert_eq!(money_format(""), "#,##0.00");
}

#[test]
fn dates_and_months_parse_strictly() {
    assert!(date("2026-10-31").is_some());
    assert!(date("2026-10-31 09:12").is_some());
    assert!(date("2026-13-01").is_none());
    assert!(date("31/10/2026").is_none());
    assert!(date("").is_none());
    assert!(month("2026-10").is_some());
    assert!(month("2026-10-01").is_none());
    assert!(month("2026-1").is_none());
}
