//! `followup check FILE...`: what each input file is and what the report can make of
//! the inputs together, without writing a report.
//!
//! It reads the files through the real ingest path ([`crate::ingest::ingest`], the same
//! detection, cell parsers, ledger and duplicate rule as `followup report`), then
//! describes, per file (each entry of a ZIP, the sheet read of a workbook): the format,
//! encoding and delimiter, rows used / rejected / duplicates with the commonest
//! rejection reasons, and the date range of its touches and of its deals' won/lost
//! closes. For the inputs as a whole it says which report metrics they can support and,
//! for each one they cannot, what is missing ("response by touch needs an activity
//! export: only a deals export was given").
//!
//! Files that cannot be read at all (no known format, unreadable workbook) are each
//! reported with the same message as `followup report`; the others are still checked.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::config::RunConfig;
use crate::error::{shown, Error, Result};
use crate::ingest::{self, FileLedger, Ingested, RejectKind, RejectedRow};
use crate::model::{day_of, Direction, Event, Status};
use crate::time::format_day;

/// What `followup check` found.
#[derive(Debug)]
pub struct CheckOutcome {
    /// The text to print (stdout).
    pub text: String,
    /// Files that could not be read, each with the error `followup report` would give.
    pub errors: Vec<Error>,
    /// Files that were read but of whose rows none could be used.
    pub unusable: Vec<String>,
}

/// Runs `followup check` on `cfg.inputs`.
pub fn check(cfg: &RunConfig) -> Result<CheckOutcome> {
    let mut opts = ingest::IngestOptions::from(cfg);
    let mut good: Vec<PathBuf> = Vec::new();
    let mut errors = Vec::new();
    for path in &cfg.inputs {
        match ingest::probe(path, &opts) {
            Ok(()) => good.push(path.clone()),
            Err(e @ Error::Io { .. }) => return Err(e),
            Err(e) => errors.push(e),
        }
    }
    if good.is_empty() {
        return Ok(CheckOutcome { text: String::new(), errors, unusable: Vec::new() });
    }
    opts.inputs = good;
    let mut ing = ingest::ingest(&opts)?;
    // Duplicate touches are found when the touches are sorted, as in a report.
    let kept = crate::metrics::facts::sort_and_dedupe(&mut ing)?;
    // A file whose rows are all older versions of deals (a superseded snapshot) was read
    // fine: its deals are newer elsewhere.
    let older = |i: usize| ing.versions.older.get(i).copied().unwrap_or(0);
    let unusable = ing
        .ledger
        .files
        .iter()
        .enumerate()
        .filter(|(i, f)| f.rows > 0 && f.used == 0 && older(*i) == 0)
        .map(|(_, f)| f.path.clone())
        .collect();
    let (mut text, extra) = render(&ing, &kept);
    // The figures come from the report's own computation, on the same ingest with the
    // same options as `followup report` with these flags.
    let computed = crate::metrics::compute_sorted(ing, kept, &crate::metrics::MetricsOptions::from(cfg))?;
    write_support(&mut text, &computed.metrics, extra);
    Ok(CheckOutcome { text, errors, unusable })
}

/// An inclusive range of times, widened one value at a time.
#[derive(Debug, Default, Clone, Copy)]
struct Range {
    count: usize,
    min: i64,
    max: i64,
}

impl Range {
    fn add(&mut self, t: i64) {
        if self.count == 0 {
            (self.min, self.max) = (t, t);
        } else {
            self.min = self.min.min(t);
            self.max = self.max.max(t);
        }
        self.count += 1;
    }

    fn days(&self) -> String {
        let (a, b) = (format_day(day_of(self.min)), format_day(day_of(self.max)));
        if a == b {
            a
        } else {
            format!("{a} to {b}")
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What check adds to the report's figures: facts of the columns, not figures.
#[derive(Debug, Clone, Copy, Default)]
struct Columns {
    /// Won/lost deals without a close date (left out of periods and the trend).
    closed_without_date: usize,
    /// A cadence column gave a value.
    cadence: bool,
    /// An owner column gave a value.
    owner: bool,
    /// Some deal has touches (rows or a count).
    touched: bool,
    /// Some touch row was read.
    touch_rows: bool,
}

fn status_slot(s: Status) -> usize {
    match s {
        Status::Won => 0,
        Status::Lost => 1,
        Status::Open => 2,
    }
}

/// The per-file and all-inputs text of `followup check` for ingested (and
/// de-duplicated) inputs, and the column facts for the support lines; `kept` are the
/// touch indices that are not duplicates.
fn render(ing: &Ingested, kept: &[u32]) -> (String, Columns) {
    let deals = &ing.tables.deals;
    let t = &ing.tables.touches;
    let nfiles = ing.ledger.files.len();
    // Per file: touch rows (distinct input rows) and their time range.
    let mut touch_range = vec![Range::default(); nfiles];
    let mut last_seq = vec![u32::MAX; nfiles];
    let mut has_rows = vec![false; deals.len()];
    let (mut outbound, mut inbound, mut responses) = (0usize, 0usize, 0usize);
    let mut cols = Columns::default();
    let seq: Vec<u32> = t.seq.iter().collect();
    let mut by_seq: Vec<u32> = kept.to_vec();
    by_seq.sort_unstable_by_key(|&i| seq[i as usize]);
    for &i in &by_seq {
        let i = i as usize;
        let f = ing.file_of_seq(seq[i]);
        // A row linked to two deals is two touches but one row.
        if last_seq[f] != seq[i] {
            touch_range[f].add(t.at[i]);
            last_seq[f] = seq[i];
        }
        has_rows[t.deal[i] as usize] = true;
        match t.direction[i] {
            Direction::Outbound => outbound += 1,
            Direction::Inbound => inbound += 1,
        }
        if t.event[i] == Event::Response {
            responses += 1;
        }
        cols.cadence |= t.cadence.get(i) != 0;
        cols.owner |= t.owner.get(i) != 0;
    }
    cols.touch_rows = outbound + inbound > 0;
    // Per file: the deals it first named, by status, and their won/lost close range.
    let mut file_deals = vec![[0usize; 3]; nfiles];
    let mut close_range = vec![Range::default(); nfiles];
    let (mut won, mut lost, mut open) = (0usize, 0usize, 0usize);
    for (d, &s) in deals.status.iter().enumerate() {
        let slot = status_slot(s);
        let f = ing.deal_file.get(d).map_or(0, |&f| f as usize);
        if let Some(fd) = file_deals.get_mut(f) {
            fd[slot] += 1;
        }
        match s {
            Status::Won => won += 1,
            Status::Lost => lost += 1,
            Status::Open => open += 1,
        }
        cols.touched |= has_rows[d] || deals.touch_count.get(d).is_some_and(|n| n > 0);
        if s != Status::Open {
            match deals.closed_at.get(d) {
                Some(c) => {
                    if let Some(r) = close_range.get_mut(f) {
                        r.add(c);
                    }
                }
                None => cols.closed_without_date += 1,
            }
        }
        cols.cadence |= deals.cadence[d] != 0;
        cols.owner |= deals.owner[d] != 0;
    }

    let mut out = String::new();
    let files = &ing.ledger.files;
    let _ = writeln!(out, "followup check: {}", plural(files.len(), "file", "files"));
    for (fi, f) in files.iter().enumerate() {
        let _ = writeln!(out);
        describe_file(&mut out, ing, f, touch_range[fi], file_deals[fi], close_range[fi]);
        describe_versions(&mut out, ing, fi);
    }
    if !ing.ledger.skipped.is_empty() {
        let _ = writeln!(out, "\nNot read (inside an archive)");
        for s in &ing.ledger.skipped {
            let _ = writeln!(out, "  {}", crate::error::printable(s, 3 * crate::error::MAX_SHOWN));
        }
    }

    let _ = writeln!(out, "\nAll inputs");
    let _ = writeln!(out, "  deals:      {} ({} won, {} lost, {} open)", deals.len(), won, lost, open);
    let _ = writeln!(
        out,
        "  touches:    {} ({} outbound, {} inbound; {})",
        outbound + inbound,
        outbound,
        inbound,
        plural(responses, "response event", "response events")
    );
    describe_snapshots(&mut out, ing);
    let l = &ing.ledger;
    let mut not_touches = Vec::new();
    if l.bounced > 0 {
        not_touches.push(format!("{} bounced", l.bounced));
    }
    if l.notes_and_tasks > 0 {
        not_touches.push(format!("{} notes and tasks", l.notes_and_tasks));
    }
    if l.unlinked > 0 {
        not_touches.push(format!("{} linked to no deal", l.unlinked));
    }
    if l.planned > 0 {
        not_touches.push(format!("{} planned, not done", l.planned));
    }
    if !not_touches.is_empty() {
        let _ = writeln!(out, "  not touches: {}", not_touches.join(", "));
    }
    if l.automatic_replies > 0 || l.opt_outs > 0 {
        let _ = writeln!(out, "  automatic replies: {}, opt-outs: {}", l.automatic_replies, l.opt_outs);
    }
    if !l.unknown_outcomes.is_empty() {
        let list: Vec<String> = l.unknown_outcomes.iter().map(|(o, n)| format!("\"{}\" ({n})", shown(o))).collect();
        let _ = writeln!(
            out,
            "  unknown outcomes (read as one-way; map them with --map [outcome]): {}",
            crate::error::shown_list(&list, ", ")
        );
    }
    (out, cols)
}

/// "The report can show" / "It cannot show": the report's figures and limitations
/// ([`crate::metrics::support`]), then what the columns allow (periods, comparisons).
fn write_support(out: &mut String, m: &crate::metrics::Metrics, cols: Columns) {
    let crate::metrics::support::Support { mut can, mut cannot } = crate::metrics::support::support(m);
    // Periods and the trend count closed deals by close date.
    if cols.closed_without_date > 0 {
        cannot.push(format!(
            "periods and the monthly trend leave out {} without a close date",
            plural(cols.closed_without_date, "won/lost deal", "won/lost deals")
        ));
    }
    // Groups.
    if !cols.touched {
        cannot.push("comparisons of groups need touches: none in the inputs".into());
    } else {
        let mut dims = Vec::new();
        let mut missing = Vec::new();
        for (has, name) in [(cols.cadence, "cadence"), (cols.owner, "owner")] {
            if has {
                dims.push(name);
            } else {
                missing.push(name);
            }
        }
        if cols.touch_rows {
            dims.extend(["channel", "month"]);
        }
        if !dims.is_empty() {
            can.push(format!("comparisons by {}", dims.join(", ")));
        }
        if !missing.is_empty() {
            cannot.push(format!("comparisons by {} need a column for it: none found", missing.join(" or ")));
        }
    }
    let _ = writeln!(out, "\nThe report can show");
    for c in &can {
        let _ = writeln!(out, "  + {c}");
    }
    if can.is_empty() {
        let _ = writeln!(out, "  (nothing yet)");
    }
    let _ = writeln!(out, "\nIt cannot show");
    for c in &cannot {
        let _ = writeln!(out, "  - {c}");
    }
    if cannot.is_empty() {
        let _ = writeln!(out, "  (nothing missing)");
    }
}

fn describe_file(out: &mut String, ing: &Ingested, f: &FileLedger, touches: Range, deals: [usize; 3], closes: Range) {
    let _ = writeln!(out, "{}", crate::error::printable(&f.path, crate::error::MAX_PATH));
    let _ = writeln!(out, "  format:     {}", f.format);
    if let Some(sheet) = &f.sheet {
        let _ = writeln!(out, "  sheet:      {}", shown(sheet));
    }
    if f.encoding == "xlsx" {
        let _ = writeln!(out, "  encoding:   xlsx workbook");
    } else if f.delimiter.is_empty() {
        let _ = writeln!(out, "  encoding:   {}", f.encoding);
    } else {
        let _ = writeln!(out, "  encoding:   {}, {}-delimited", f.encoding, f.delimiter);
    }
    // The ledger counts rows (an activity linked to three deals is one row); should
    // it ever not add up, say so rather than print a false equation.
    let _ = writeln!(
        out,
        "  rows:       {} {} {} used + {} rejected + {} duplicates{}",
        f.rows,
        if f.check() { "=" } else { "≠" },
        f.used,
        f.rejected,
        f.duplicates,
        if f.check() { "" } else { " (the counts do not add up: please report this file)" }
    );
    if f.skipped > 0 {
        let _ = writeln!(
            out,
            "  skipped:    {} after the data (a report footer: totals, \"Generated By\"…), not rows",
            plural(f.skipped, "line", "lines")
        );
    }
    if let Some(s) = &f.status_from {
        let parts: Vec<String> = [
            ("--won/--lost-stage or map", s.user),
            ("status column", s.status),
            ("won/lost flags", s.flags),
            ("probability", s.probability),
            ("stage name", s.stage),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{what} {n}"))
        .collect();
        if !parts.is_empty() {
            let _ = writeln!(out, "  won/lost decided by: {}", parts.join(", "));
        }
    }
    if f.planned > 0 {
        let _ = writeln!(
            out,
            "  planned:    {} not done yet (\"To do\", not Completed): not touches, their dates not used",
            plural(f.planned, "activity", "activities")
        );
    }
    if f.linked_by_account > 0 {
        let _ = writeln!(
            out,
            "  linked through the account: {} (logged on an account with one opportunity open that day)",
            plural(f.linked_by_account, "activity", "activities")
        );
    }
    let total_deals: usize = deals.iter().sum();
    if total_deals > 0 {
        let _ = writeln!(out, "  deals:      {} ({} won, {} lost, {} open)", total_deals, deals[0], deals[1], deals[2]);
    }
    if touches.count > 0 {
        let _ = writeln!(out, "  touches:    {} rows, {}", touches.count, touches.days());
    }
    if closes.count > 0 {
        let _ = writeln!(out, "  closes:     {} won/lost, {}", closes.count, closes.days());
    }
    if f.rejected > 0 {
        // Group this file's rejections by kind (the reason without the row's values),
        // commonest first, each with its first row as the example.
        let mut groups: BTreeMap<RejectKind, (usize, &RejectedRow)> = BTreeMap::new();
        for r in ing.ledger.rejected.iter().filter(|r| r.file == f.path) {
            groups.entry(r.kind).or_insert((0, r)).0 += 1;
        }
        let mut list: Vec<_> = groups.into_values().collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.line.cmp(&b.1.line)));
        let _ = writeln!(out, "  rejected, commonest reasons:");
        for (n, r) in list.iter().take(3) {
            let _ = writeln!(out, "    {}", reason_group(*n, r));
        }
        if list.len() > 3 {
            let _ = writeln!(out, "    … and {} other reasons (all rows: rejected.csv of a report)", list.len() - 3);
        }
    }
}

/// A file's rows that are older versions of deals, and where the newer ones are.
fn describe_versions(out: &mut String, ing: &Ingested, fi: usize) {
    let v = &ing.versions;
    let Some(&n) = v.older.get(fi).filter(|&&n| n > 0) else { return };
    let files = &ing.ledger.files;
    let mut newer: Vec<String> = v
        .newer_in
        .get(fi)
        .into_iter()
        .flatten()
        .filter_map(|&f| files.get(f))
        .map(|f| crate::error::printable(&f.path, crate::error::MAX_PATH))
        .collect();
    newer.sort_unstable();
    let _ = writeln!(out, "  older versions: {n} of the duplicates (newer versions in {})", newer.join(", "));
}

/// Deals named by id (and name), at most five.
fn some_deals(ing: &Ingested, list: &[u32], with_names: bool) -> String {
    let deals = &ing.tables.deals;
    let mut list = list.to_vec();
    list.sort_unstable_by(|&a, &b| deals.id.get(a as usize).cmp(deals.id.get(b as usize)));
    let mut named: Vec<String> = list
        .iter()
        .take(5)
        .map(|&d| {
            let (id, name) = (deals.id.get(d as usize), deals.name(d as usize));
            if with_names && name != id {
                format!("{} ({})", shown(id), shown(name))
            } else {
                shown(id)
            }
        })
        .collect();
    if list.len() > 5 {
        named.push(format!("… and {} more", list.len() - 5));
    }
    named.join(", ")
}

/// Several deals files holding the same deals (snapshots): how the newest version of
/// each was found, the deals only in older exports, and whether the order decided.
fn describe_snapshots(out: &mut String, ing: &Ingested) {
    let v = &ing.versions;
    if v.files.len() < 2 {
        return;
    }
    let by = match (v.by_modified, v.by_file_date) {
        (true, true) => ": the newest version of each deal is used, by last-modified date, then by the export date in the file names",
        (true, false) => ": the newest version of each deal is used, by last-modified date",
        (false, true) => ": the newest version of each deal is used, by the export date in the file names",
        (false, false) => ": the version of the file given last is used",
    };
    let _ = writeln!(
        out,
        "  snapshots:  {} exports of the same deals ({} in several){by}",
        v.files.len(),
        plural(v.deals, "deal", "deals")
    );
    if !v.only_in_older.is_empty() {
        let n = v.only_in_older.len();
        let _ = writeln!(
            out,
            "  {} only in older exports and {} their last known state: {}",
            plural(n, "deal is", "deals are"),
            if n == 1 { "keeps" } else { "keep" },
            some_deals(ing, &v.only_in_older, true)
        );
    }
    if !v.by_order.is_empty() {
        let _ = writeln!(
            out,
            "  the order the files were given decided for {} ({}): no last-modified column and no export date in the file names, so the file given last won",
            plural(v.by_order.len(), "deal", "deals"),
            some_deals(ing, &v.by_order, false)
        );
    }
}

/// One group of rejections: `5 × no such deal in the deals file(s) (e.g. "X" in Deal ID,
/// line 4)`.
fn reason_group(n: usize, r: &RejectedRow) -> String {
    let mut example = Vec::new();
    if !r.value.is_empty() {
        example.push(format!("\"{}\"", shown(&r.value)));
    }
    if !r.column.is_empty() {
        example.push(format!("in {}", shown(&r.column)));
    }
    let what = if example.is_empty() { String::new() } else { format!("{}, ", example.join(" ")) };
    format!("{n} × {} (e.g. {what}line {})", r.kind.describe(), r.line)
}

/// Runs `followup check`: prints what each file is, then returns the error of the last
/// unreadable file (each earlier one is printed), or [`Error::Unusable`].
pub fn run(a: &crate::cli::CheckArgs) -> Result<()> {
    let cfg = RunConfig::try_from(a)?;
    let mut outcome = check(&cfg)?;
    crate::output::print(&outcome.text)?;
    // Each unreadable file gets the message `followup report` would give; the last one
    // is returned so that it sets the exit code (2).
    let last = outcome.errors.pop();
    for e in &outcome.errors {
        super::note!("followup: error: {e:#}");
    }
    if let Some(e) = last {
        return Err(e);
    }
    if !outcome.unusable.is_empty() {
        for f in &outcome.unusable {
            super::note!(
                "followup: error: {}: no row of this file could be used (reasons above)",
                crate::error::shown(f)
            );
        }
        return Err(Error::Unusable { count: outcome.unusable.len() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown_deal(line: u64, id: &str) -> RejectedRow {
        RejectedRow {
            file: "calls.csv".into(),
            line,
            column: "Deal ID".into(),
            value: id.into(),
            reason: format!("no deal {id:?} in the deals file(s): give the deals export that holds it"),
            kind: RejectKind::UnknownDeal,
        }
    }

    /// Issue 10: each reason carried its deal id, so five rows for five unknown deals
    /// made five "commonest reasons" of one each.
    #[test]
    fn reasons_of_one_kind_group_whatever_their_values() {
        let mut ing = Ingested::default();
        ing.ledger.files.push(FileLedger {
            path: "calls.csv".into(),
            format: "hubspot-calls".into(),
            rows: 6,
            used: 1,
            rejected: 5,
            ..Default::default()
        });
        for (i, id) in ["X", "Y", "Z", "W", "V"].into_iter().enumerate() {
            ing.ledger.rejected.push(unknown_deal(i as u64 + 2, id));
        }
        let mut out = String::new();
        describe_file(&mut out, &ing, &ing.ledger.files[0].clone(), Range::default(), [0; 3], Range::default());
        let groups: Vec<&str> = out.lines().filter(|l| l.contains(" × ")).collect();
        assert_eq!(groups, ["    5 × no such deal in the deals file(s) (e.g. \"X\" in Deal ID, line 2)"], "{out}");
    }
}
