//! Ingest edge cases: dialects, encodings, duplicates, line numbers.

use crate::util::Workdir;

#[test]
fn bom_semicolons_and_decimal_commas() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        "\u{feff}Prospect;Date;Contact method;Outcome;Deal stage;Estimated value;Close date\n\
         Café Lumière;2026-10-01 09:00;Email;Sent;Closed Won;\"1.234,50 €\";2026-10-09\n\
         Café Lumière;2026-10-04 09:00;E-mail;Sent;Closed Won;\"1.234,50 €\";2026-10-09\n\
         Café Lumière;2026-10-08 09:00;Phone;Connected;Closed Won;\"1.234,50 €\";2026-10-09\n",
    );
    let m = wd.report(&["log.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][0]["encoding"], "utf-8 (bom)");
    assert_eq!(m["inputs"][0]["delimiter"], "semicolon");
    assert_eq!(m["revenue_recovered"]["by_currency"][0]["currency"], "EUR");
    assert_eq!(m["revenue_recovered"]["by_currency"][0]["amount"], 1234.5);
    assert_eq!(m["touches_to_close"]["median"], 3.0);
}

#[test]
fn windows_1252_and_tabs() {
    let wd = Workdir::new();
    let mut bytes = b"Deal\tDate\tContact method\tOutcome\tDeal stage\tValue\n".to_vec();
    bytes.extend(b"M\xfcller GmbH\t2026-10-01 09:00\tEmail\tSent\tClosed Lost\t\xa3900\n");
    wd.write("log.tsv", bytes);
    let m = wd.report(&["log.tsv"], &[]);
    assert_eq!(m["inputs"][0]["encoding"], "windows-1252");
    assert_eq!(m["inputs"][0]["delimiter"], "tab");
    assert_eq!(m["deals"]["lost"], 1);
}

/// The same accented log as UTF-16 LE and BE (Excel's "Unicode text") and as
/// Windows-1252: names and the pound sign come through unmangled.
#[test]
fn utf16_and_windows_1252_keep_accented_names() {
    let text = "Deal,Owner,Date,Contact method,Outcome,Deal stage,Value,Close date\n\
                Café Olé,Zoë Brontë,2026-10-01 09:00,Email,Sent,Closed Won,£900,2026-10-20\n\
                Café Olé,Zoë Brontë,2026-10-05 09:00,Email,Sent,Closed Won,£900,2026-10-20\n\
                Café Olé,Zoë Brontë,2026-10-09 09:00,Call,Connected,Closed Won,£900,2026-10-20\n";
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let (cp1252, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!lossy);
    for (name, bytes, encoding) in
        [("le.csv", le, "utf-16le"), ("be.csv", be, "utf-16be"), ("ansi.csv", cp1252.into_owned(), "windows-1252")]
    {
        let wd = Workdir::new();
        wd.write(name, bytes);
        let m = wd.report(&[name], &["--by", "owner"]);
        assert_eq!(m["inputs"][0]["encoding"], encoding, "{name}");
        assert_eq!(m["inputs"][0]["used"], 3, "{name}");
        assert_eq!(m["groups"]["owner"][0]["key"], "Zoë Brontë", "{name}");
        let rev = &m["revenue_recovered"]["by_currency"][0];
        assert_eq!((rev["currency"].as_str(), rev["amount"].as_f64()), (Some("GBP"), Some(900.0)), "{name}");
        let html = wd.read("report/index.html");
        assert!(html.contains("Zoë Brontë"), "{name}: the page shows the owner's name as written");
    }
}

#[test]
fn quoted_new_lines_keep_true_line_numbers() {
    let wd = Workdir::new();
    wd.write(
        "log.csv",
        "Deal,Date,Contact method,Subject\n\
         Acme,2026-10-01 09:00,Email,\"line one\r\nline two\"\n\
         Acme,31/10/2026 09:00,Email,x\n",
    );
    wd.report(&["log.csv"], &[]);
    let rejected = wd.read("report/rejected.csv");
    assert!(rejected.contains("log.csv,4,Date,31/10/2026 09:00,"), "{rejected}");
    assert!(rejected.contains("--day-first"), "the hint names the flag: {rejected}");
    let m = wd.report(&["log.csv"], &["--day-first"]);
    assert_eq!(m["inputs"][0]["rejected"], 0);
}

#[test]
fn deals_and_touches_across_files() {
    let wd = Workdir::new();
    wd.write(
        "deals.csv",
        "deal_id,name,stage,amount,closed_at\n\
         1,Acme,Closed Won,100,2026-10-05\n\
         1,Acme,Closed Won,100,2026-10-05\n\
         1,Acme,Closed Lost,100,2026-10-05\n\
         2,Globex,Proposal,,\n",
    );
    wd.write(
        "touches.csv",
        "deal_id,at,channel,direction,outcome\n\
         1,2026-10-01 09:00,email,outbound,sent\n\
         1,2026-10-01 09:00,email,outbound,sent\n\
         3,2026-10-01 09:00,email,outbound,sent\n\
         2,2026-10-02 09:00,call,outbound,no answer\n",
    );
    let m = wd.report(&["touches.csv", "deals.csv"], &["--as-of", "2026-10-31"]);
    let inputs = m["inputs"].as_array().expect("inputs");
    // Command-line order is kept in the summary.
    assert_eq!(inputs[0]["path"], "touches.csv");
    assert_eq!(
        (inputs[0]["used"].as_u64(), inputs[0]["rejected"].as_u64(), inputs[0]["duplicates"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(
        (inputs[1]["used"].as_u64(), inputs[1]["rejected"].as_u64(), inputs[1]["duplicates"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    let rejected = wd.read("report/rejected.csv");
    assert!(rejected.contains("already defined on line 2 of deals.csv"), "{rejected}");
    assert!(rejected.contains("no deal \"\"3\"\" in the deals file"), "{rejected}");
    assert_eq!(m["deals"]["total"], 2);
    assert_eq!(m["touches_to_close"]["histogram"][0]["touches"], 1);
}

#[test]
fn excel_damaged_ids_are_rejected() {
    let wd = Workdir::new();
    wd.write(
        "deals.csv",
        "Record ID,Deal Name,Deal Stage\n1.92236E+11,Acme,Closed Won\n192236606159,Globex,Closed Lost\n",
    );
    let m = wd.report(&["deals.csv"], &[]);
    assert_eq!(m["inputs"][0]["rejected"], 1);
    assert!(wd.read("report/rejected.csv").contains("damaged by a spreadsheet"));
}
