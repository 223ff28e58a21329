//! The reader thread hands records to the row thread in batches, with each row's deal
//! key hashed ahead (issue 12): whatever the batch size, the tables, the ledger and the
//! true line of every rejected row are the same.

use super::*;

const DEALS: &str = "deal_id,name,stage,status,amount,currency,created_at,closed_at,cadence,owner\r\n\
D1,Acme,Won,won,100,USD,2026-01-02,2026-02-01,c,Ann\r\n\
D2,\"Multi\r\nline\r\nname\",Lost,lost,,USD,2026-01-03,2026-01-20,c,Bob\r\n\
D3,Bad date,Open,open,,USD,2026-13-45,,c,Ann\r\n\
\r\n\
D4,Ok,Open,open,,USD,2026-01-05,,c,Ann\r\n\
D1,Acme,Won,won,100,USD,2026-01-02,2026-02-01,c,Ann\r\n\
D1,Acme,Won,won,999,USD,2026-01-02,2026-02-01,c,Ann\r\n\
loose\r\n\
D5,x,Open,open,,USD,2026-01-06,,c,Ann\r\
D6,y,Open,open,,USD,2026-01-07,,c,Ann\n";

const TOUCHES: &str = "deal_id,at,channel,direction,outcome,subject\n\
D1,2026-01-03 10:00,Email,Outbound,Sent,hi\n\
D1,2026-01-04 10:00,Email,Inbound,Replied,\"re:\nmulti\"\n\
D9,2026-01-04 10:00,Email,Outbound,Sent,x\n\
D2,2026-01-05 10:00,Call,Outbound,Connected,call\n\
D2,not a date,Call,Outbound,Connected,call\n\
D4,2026-01-06 10:00,Email,Outbound,Sent,a\n\
D1,2026-01-07 10:00,Email,Outbound,Sent,b\n\
D6,2026-01-08 10:00,Email,Outbound,Sent,\"open quote\n\
D5,2026-01-09 10:00,Email,Outbound,Sent,c\n";

fn read(dir: &std::path::Path, batch: usize) -> Ingested {
    let (deals, touches) = (dir.join("deals.csv"), dir.join("touches.csv"));
    std::fs::write(&deals, DEALS).unwrap();
    std::fs::write(&touches, TOUCHES).unwrap();
    let cfg = IngestOptions { inputs: vec![deals, touches], currency: "USD".into(), ..Default::default() };
    ingest_batched(&cfg, batch).unwrap()
}

#[test]
fn batch_size_changes_nothing_and_rejected_rows_keep_their_true_lines() {
    let dir = tempfile::tempdir().unwrap();
    let whole = read(dir.path(), build::BATCH);
    let rejected: Vec<(String, u64, String)> = whole
        .ledger
        .rejected
        .iter()
        .map(|r| (r.file.rsplit('/').next().unwrap_or("").to_owned(), r.line, r.column.clone()))
        .collect();
    let at = |f: &str, line: u64, col: &str| (f.to_owned(), line, col.to_owned());
    assert_eq!(
        rejected,
        [
            at("deals.csv", 6, "created_at"), // after a cell over lines 3-5 (CRLF)
            at("deals.csv", 10, "deal_id"),   // D1 again with another amount
            at("deals.csv", 11, ""),          // one cell, more data after it
            at("touches.csv", 5, "deal_id"),  // no deal D9
            at("touches.csv", 7, "at"),       // after a cell over lines 3-4
            at("touches.csv", 10, "subject"), // a quote never closed
        ],
        "{:#?}",
        whole.ledger.rejected
    );
    let files = &whole.ledger.files;
    assert!(files.iter().all(|f| f.check()), "rows = used + rejected + duplicates: {files:#?}");
    assert_eq!(
        files.iter().map(|f| (f.rows, f.used, f.rejected, f.duplicates)).collect::<Vec<_>>(),
        [(9, 5, 3, 1), (9, 6, 3, 0)]
    );
    assert_eq!(whole.tables.deals.len(), 5, "D1, D2, D4, D5, D6");
    // Touch D5 was read on its own after the unclosed quote's line.
    assert_eq!(whole.tables.touches.len(), 6);
    let expected = format!("{:?}\n{:?}", whole.tables, whole.ledger);
    for batch in [1, 2, 3, 5, 7] {
        let ing = read(dir.path(), batch);
        assert_eq!(format!("{:?}\n{:?}", ing.tables, ing.ledger), expected, "batch of {batch} records");
    }
}

/// A deal given again by a second deals file, the order of the files deciding: only a
/// version with other cells counts as decided by order. The first version's fingerprint
/// is made from the deal's columns (`stored_fingerprint`) when the second comes, the
/// second's from its cells: for rows of every shape (a name equal to the id, no name, a
/// currency from the amount's symbol or the default, a status from the stage, a touch
/// count), equal cells give equal fingerprints.
#[test]
fn a_repeated_deal_is_decided_by_order_only_when_its_cells_differ() {
    const ROWS: &str = "D1,Acme,Won,won,100,USD,2026-01-02,2026-02-01,c,Ann,3\n\
        D2,D2,Closed Lost,,$250,,2026-01-03,2026-01-20,,Bob,\n\
        D3,,Open,,,,2026-01-05,,c,,\n\
        D4,Dee,Open,open,,EUR,,,,,7\n";
    const HEADER: &str = "deal_id,name,stage,status,amount,currency,created_at,closed_at,cadence,owner,touch_count\n";
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, format!("{HEADER}{ROWS}")).unwrap();
    let mut changed = ROWS.replace("D4,Dee,Open,open,,EUR,,,,,7", "D4,Dee,Open,open,,EUR,,,,,8");
    changed.push_str("D5,New,Open,open,,USD,2026-01-06,,c,Ann,\n");
    std::fs::write(&b, format!("{HEADER}{changed}")).unwrap();
    let cfg = IngestOptions { inputs: vec![a, b], currency: "GBP".into(), ..Default::default() };
    let ing = ingest_batched(&cfg, build::BATCH).unwrap();
    let ids: Vec<&str> = ing.versions.by_order.iter().map(|&d| ing.tables.deals.id.get(d as usize)).collect();
    assert_eq!(ids, ["D4"], "only D4's cells differ between the two files");
    let files = &ing.ledger.files;
    assert_eq!(files.iter().map(|f| (f.rows, f.used, f.duplicates)).collect::<Vec<_>>(), [(4, 0, 4), (5, 5, 0)]);
}

/// A row is a duplicate row only when every touch it became was dropped: rows of one,
/// two and three touches (seq 0, 1, 2, 3 in two files), some of their touches dropped.
#[test]
fn a_row_is_a_duplicate_only_when_all_its_touches_were_dropped() {
    let book = |dropped: &[u32]| {
        let mut ing = Ingested::default();
        for s in [0, 1, 1, 2, 2, 2, 3] {
            ing.tables.touches.seq.push(s);
        }
        ing.seq_files = vec![(0, 0), (3, 1)];
        ing.ledger.files = vec![
            ledger::FileLedger { rows: 3, used: 3, ..Default::default() },
            ledger::FileLedger { rows: 1, used: 1, ..Default::default() },
        ];
        ing.book_duplicate_rows(dropped).map(|()| ing.ledger.files.iter().map(|f| f.duplicates).collect::<Vec<_>>())
    };
    assert_eq!(book(&[]).unwrap(), [0, 0]);
    assert_eq!(book(&[0]).unwrap(), [1, 0], "the one touch of row 0");
    assert_eq!(book(&[2]).unwrap(), [0, 0], "one of row 1's two");
    assert_eq!(book(&[1, 2]).unwrap(), [1, 0], "both of row 1's");
    assert_eq!(book(&[3, 5]).unwrap(), [0, 0], "two of row 2's three");
    assert_eq!(book(&[0, 3, 4, 5, 6]).unwrap(), [2, 1], "rows 0 and 2, and row 3 in the second file");
}
