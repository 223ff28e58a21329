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

/// A log whose first 100 KB are plain ASCII (more than the reader looks at before it
/// streams a file), then accented names: as `text` bytes after those ASCII rows.
fn log_with_a_plain_start(tail: &[u8]) -> Vec<u8> {
    let mut bytes = b"Deal,Owner,Date,Contact method,Outcome,Deal stage,Value,Close date\n".to_vec();
    let mut i = 0;
    while bytes.len() < 100_000 {
        i += 1;
        bytes.extend(format!("Plain {i},Ann,2026-10-01 09:00,Email,Sent,Closed Lost,100,2026-10-20\n").as_bytes());
    }
    bytes.extend(tail);
    bytes
}

/// The owners a report groups by (`--by owner`).
fn owner_keys(m: &serde_json::Value) -> Vec<String> {
    let groups = m["groups"]["owner"].as_array().cloned().unwrap_or_default();
    groups.iter().filter_map(|g| g["key"].as_str().map(str::to_owned)).collect()
}

/// Windows-1252 whose first non-ASCII byte comes after the part looked at before
/// streaming: the whole file is read again as Windows-1252 (no row rejected as not
/// UTF-8, the names and the pound sign unmangled), as when the first bytes showed it.
#[test]
fn windows_1252_after_a_plain_start_is_read_as_windows_1252() {
    let tail = "Café Olé,Zoë Brontë,2026-10-01 09:00,Email,Sent,Closed Won,£900,2026-10-20\n\
                Café Olé,Zoë Brontë,2026-10-05 09:00,Email,Sent,Closed Won,£900,2026-10-20\n\
                Café Olé,Zoë Brontë,2026-10-09 09:00,Call,Connected,Closed Won,£900,2026-10-20\n";
    let (cp1252, _, lossy) = encoding_rs::WINDOWS_1252.encode(tail);
    assert!(!lossy);
    let bytes = log_with_a_plain_start(&cp1252);
    let plain = bytes.len() - cp1252.len();
    assert!(plain > 64 * 1024 && bytes[..plain].is_ascii());
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    let wd = Workdir::new();
    wd.write("log.csv", bytes);
    let m = wd.report(&["log.csv"], &["--by", "owner", "--as-of", "2026-10-31"]);
    let input = &m["inputs"][0];
    assert_eq!(input["encoding"], "windows-1252");
    assert_eq!((input["rows"].as_u64(), input["used"].as_u64()), (Some(rows), Some(rows)), "{input}");
    assert!(owner_keys(&m).contains(&"Zoë Brontë".to_owned()), "{:?}", owner_keys(&m));
    let rev = &m["revenue_recovered"]["by_currency"][0];
    assert_eq!((rev["currency"].as_str(), rev["amount"].as_f64()), (Some("GBP"), Some(900.0)));
}

/// UTF-8 with accented names and one stray byte, all after the part looked at before
/// streaming: the file stays UTF-8 (the whole file's evidence), only the stray row is
/// rejected, at its true line.
#[test]
fn utf8_stray_byte_after_a_plain_start_rejects_only_its_row() {
    let mut tail = "Café Olé,Zoë Brontë,2026-10-01 09:00,Email,Sent,Closed Won,900,2026-10-20\n\
                    Café Olé,Zoë Brontë,2026-10-05 09:00,Call,Connected,Closed Won,900,2026-10-20\n"
        .as_bytes()
        .to_vec();
    tail.extend(b"Caf\xe9 Bar,Zo\xc3\xab,2026-10-02 09:00,Email,Sent,Closed Lost,50,2026-10-20\n");
    let bytes = log_with_a_plain_start(&tail);
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() as u64 - 1;
    let wd = Workdir::new();
    wd.write("log.csv", bytes);
    let m = wd.report(&["log.csv"], &["--by", "owner", "--as-of", "2026-10-31"]);
    let input = &m["inputs"][0];
    assert_eq!(input["encoding"], "utf-8");
    assert_eq!((input["rows"].as_u64(), input["rejected"].as_u64()), (Some(rows), Some(1)), "{input}");
    let rejected = wd.read("report/rejected.csv");
    assert!(rejected.contains(&format!("log.csv,{},Deal,", rows + 1)), "the last line: {rejected}");
    assert!(rejected.contains("0xE9"), "{rejected}");
    assert!(owner_keys(&m).contains(&"Zoë Brontë".to_owned()), "{:?}", owner_keys(&m));
}

/// Windows-1252 whose only bytes above 127 sit in a row with a quote never closed, past
/// the part looked at before streaming: the unclosed quote is that row's flaw, and the
/// file is still read as Windows-1252 (the value rejected shows "Café").
#[test]
fn windows_1252_bytes_in_an_unclosed_quote_after_a_plain_start_still_decide() {
    let mut bytes = b"Deal ID,Deal,Date,Contact method,Outcome,Deal stage\n".to_vec();
    for i in 0..2000 {
        bytes.extend(format!("D{i},Deal {i},2026-10-01 09:00,Email,Sent,Open\n").as_bytes());
    }
    assert!(bytes.len() > 64 * 1024);
    bytes.extend(b"D9,Deal 9,2026-10-02 09:00,Email,Sent,\"Caf\xe9 open\n");
    let wd = Workdir::new();
    wd.write("log.csv", bytes);
    let m = wd.report(&["log.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][0]["encoding"], "windows-1252");
    assert_eq!(m["inputs"][0]["rejected"], 1);
    let rejected = wd.read("report/rejected.csv");
    assert!(rejected.contains("Café open"), "{rejected}");
}

/// A header row longer than the part looked at before streaming, whose first byte that
/// is not UTF-8 lies past that part: `check` (which reads headers only first) and the
/// report both read the file as Windows-1252.
#[test]
fn a_long_header_with_a_late_windows_1252_byte_is_read_as_windows_1252() {
    let mut bytes = b"Deal,Date,Contact method,Outcome,Deal stage,Note ".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 70_000));
    bytes.extend(b"\xe9\nM\xfcller,2026-10-01 09:00,Email,Sent,Closed Lost,n\n");
    let wd = Workdir::new();
    wd.write("log.csv", bytes);
    let check = wd.run(["check", "log.csv"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{said}{}", String::from_utf8_lossy(&check.stderr));
    assert!(said.contains("windows-1252"), "{said}");
    let m = wd.report(&["log.csv"], &["--as-of", "2026-10-31"]);
    assert_eq!(m["inputs"][0]["encoding"], "windows-1252");
    assert_eq!(m["inputs"][0]["used"], 1);
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
