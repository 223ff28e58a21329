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

#[test]
fn a_due_list_past_the_cap_ends_with_how_many_more_the_csv_holds() {
    use crate::metrics::due::{DueRow, DueTable};
    use calamine::{Data, Reader, Xlsx};
    let row = |deal| DueRow {
        deal,
        touches: 2,
        last_day: 20_000,
        days_since: 9,
        gap: 4,
        rate: Some(0.1),
        owner: 0,
        cadence: 0,
        planned: false,
    };
    let mut due = DueTable::default();
    assert_eq!(due.text.intern(""), 0, "owner, cadence and currency 0 are empty");
    for i in 0..5 {
        due.push(row(i), &format!("D{i}"), &format!("Deal {i}"), None, 0).unwrap();
    }
    let read = |cap| {
        let mut wb = Workbook::new();
        let mut st = Styles::new();
        lists::due_list(wb.add_worksheet().set_name("Due").expect("name"), &due, &mut st, cap).expect("written");
        let bytes = wb.save_to_buffer().expect("saved");
        let mut x: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("read back");
        x.worksheet_range("Due").expect("sheet")
    };
    let cut = read(3);
    assert_eq!(cut.height(), 1 + 3 + 1, "header, three deals, the closing line");
    assert_eq!(cut.get((3, 1)), Some(&Data::String("D2".into())));
    assert_eq!(
        cut.get((4, 1)),
        Some(&Data::String("… and 2 more: every due deal is in tables/due_follow_ups.csv".into()))
    );
    let whole = read(5);
    assert_eq!(whole.height(), 1 + 5, "no closing line when every deal fits");
}
