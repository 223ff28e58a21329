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
use crate::time::format_day;
use crate::ingest::formats::RowKind;
use crate::ingest::{self, FileLedger, Ingested};
use crate::model::{day_of, Direction, Event, Status};

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
    let unusable =
        ing.ledger.files.iter().filter(|f| f.rows > 0 && f.used == 0).map(|f| f.path.clone()).collect();
    Ok(CheckOutcome { text: render(&ing, &kept), errors, unusable })
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

/// A rejection reason with the quoted cell values taken out, so that rows rejected
/// for the same reason group together.
fn reason_kind(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut chars = reason.chars();
    while let Some(c) = chars.next() {
        if c == '"' {
            out.push_str("\"…\"");
            let mut escaped = false;
            for c in chars.by_ref() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => break,
                    _ => escaped = false,
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Per-deal facts the support analysis needs.
struct DealView {
    won: usize,
    lost: usize,
    open: usize,
    /// Won / lost / open deals with touch rows.
    with_rows: [usize; 3],
    /// Won / lost / open deals with no touch rows but a touch count.
    count_only: [usize; 3],
    won_with_amount: usize,
    closed_without_date: usize,
    with_cadence: usize,
    with_owner: usize,
}

fn status_slot(s: Status) -> usize {
    match s {
        Status::Won => 0,
        Status::Lost => 1,
        Status::Open => 2,
    }
}

/// The text of `followup check` for ingested (and de-duplicated) inputs; `kept` are
/// the touch indices that are not duplicates.
fn render(ing: &Ingested, kept: &[u32]) -> String {
    let deals = &ing.tables.deals;
    let t = &ing.tables.touches;
    let nfiles = ing.ledger.files.len();
    // Per file: touch rows (distinct input rows) and their time range.
    let mut touch_range = vec![Range::default(); nfiles];
    let mut last_seq = vec![u32::MAX; nfiles];
    let mut has_rows = vec![false; deals.len()];
    let (mut outbound, mut inbound, mut responses) = (0usize, 0usize, 0usize);
    let mut touch_cadence = false;
    let mut touch_owner = false;
    let mut by_seq: Vec<u32> = kept.to_vec();
    by_seq.sort_unstable_by_key(|&i| t.seq[i as usize]);
    for &i in &by_seq {
        let i = i as usize;
        let f = ing.file_of_seq(t.seq[i]);
        // A row linked to two deals is two touches but one row.
        if last_seq[f] != t.seq[i] {
            touch_range[f].add(t.at[i]);
            last_seq[f] = t.seq[i];
        }
        has_rows[t.deal[i] as usize] = true;
        match t.direction[i] {
            Direction::Outbound => outbound += 1,
            Direction::Inbound => inbound += 1,
        }
        if t.event[i] == Event::Response {
            responses += 1;
        }
        touch_cadence |= t.cadence[i] != 0;
        touch_owner |= t.owner[i] != 0;
    }
    // Per file: the deals it first named, by status, and their won/lost close range.
    let mut file_deals = vec![[0usize; 3]; nfiles];
    let mut close_range = vec![Range::default(); nfiles];
    let mut v = DealView {
        won: 0,
        lost: 0,
        open: 0,
        with_rows: [0; 3],
        count_only: [0; 3],
        won_with_amount: 0,
        closed_without_date: 0,
        with_cadence: 0,
        with_owner: 0,
    };
    for (d, &s) in deals.status.iter().enumerate() {
        let slot = status_slot(s);
        let f = ing.deal_file.get(d).map_or(0, |&f| f as usize);
        if let Some(fd) = file_deals.get_mut(f) {
            fd[slot] += 1;
        }
        match s {
            Status::Won => v.won += 1,
            Status::Lost => v.lost += 1,
            Status::Open => v.open += 1,
        }
        if has_rows[d] {
            v.with_rows[slot] += 1;
        } else if deals.touch_count[d].is_some_and(|n| n > 0) {
            v.count_only[slot] += 1;
        }
        if s == Status::Won && deals.amount[d].is_some() {
            v.won_with_amount += 1;
        }
        if s != Status::Open {
            match deals.closed_at[d] {
                Some(c) => {
                    if let Some(r) = close_range.get_mut(f) {
                        r.add(c);
                    }
                }
                None => v.closed_without_date += 1,
            }
        }
        v.with_cadence += usize::from(deals.cadence[d] != 0);
        v.with_owner += usize::from(deals.owner[d] != 0);
    }

    let mut out = String::new();
    let files = &ing.ledger.files;
    let _ = writeln!(out, "followup check: {}", plural(files.len(), "file", "files"));
    for (fi, f) in files.iter().enumerate() {
        let _ = writeln!(out);
        describe_file(&mut out, ing, f, touch_range[fi], file_deals[fi], close_range[fi]);
    }
    if !ing.ledger.skipped.is_empty() {
        let _ = writeln!(out, "\nNot read (inside an archive)");
        for s in &ing.ledger.skipped {
            let _ = writeln!(out, "  {}", crate::error::printable(s, 3 * crate::error::MAX_SHOWN));
        }
    }

    let _ = writeln!(out, "\nAll inputs");
    let _ = writeln!(
        out,
        "  deals:      {} ({} won, {} lost, {} open)",
        deals.len(),
        v.won,
        v.lost,
        v.open
    );
    let _ = writeln!(
        out,
        "  touches:    {} ({} outbound, {} inbound; {})",
        outbound + inbound,
        outbound,
        inbound,
        plural(responses, "response event", "response events")
    );
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
        let _ = writeln!(out, "  unknown outcomes (read as one-way; map them with --map [outcome]): {}", crate::error::shown_list(&list, ", "));
    }

    let kinds: Vec<RowKind> = files.iter().map(|f| crate::ingest::formats::rows_of(&f.format)).collect();
    let only_deal_files = !kinds.is_empty() && kinds.iter().all(|k| *k == RowKind::Deal);
    let (can, cannot) = support(&v, outbound + inbound, responses, only_deal_files, touch_cadence, touch_owner);
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
    out
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
        let _ = writeln!(out, "  skipped:    {} after the data (a report footer: totals, \"Generated By\"…), not rows", plural(f.skipped, "line", "lines"));
    }
    if let Some(s) = &f.status_from {
        let parts: Vec<String> = [("--won/--lost-stage or map", s.user), ("status column", s.status), ("won/lost flags", s.flags), ("probability", s.probability), ("stage name", s.stage)]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(what, n)| format!("{what} {n}"))
            .collect();
        if !parts.is_empty() {
            let _ = writeln!(out, "  won/lost decided by: {}", parts.join(", "));
        }
    }
    if f.planned > 0 {
        let _ = writeln!(out, "  planned:    {} not done yet (\"To do\", not Completed): not touches, their dates not used", plural(f.planned, "activity", "activities"));
    }
    if f.linked_by_account > 0 {
        let _ = writeln!(out, "  linked through the account: {} (logged on an account with one opportunity open that day)", plural(f.linked_by_account, "activity", "activities"));
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
        // Group this file's rejections by column and reason (values aside), commonest first.
        let mut groups: BTreeMap<(String, String), (usize, u64, String)> = BTreeMap::new();
        for r in ing.ledger.rejected.iter().filter(|r| r.file == f.path) {
            let e = groups.entry((r.column.clone(), reason_kind(&r.reason))).or_insert((0, r.line, r.value.clone()));
            e.0 += 1;
        }
        let mut list: Vec<_> = groups.into_iter().collect();
        list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
        let _ = writeln!(out, "  rejected, commonest reasons:");
        for ((column, reason), (n, line, value)) in list.iter().take(3) {
            let col = if column.is_empty() { String::new() } else { format!("{}: ", shown(column)) };
            let reason = crate::error::printable(reason, 3 * crate::error::MAX_SHOWN);
            let _ = writeln!(out, "    {n} × {col}{reason} (first: line {line}, \"{}\")", shown(value));
        }
        if list.len() > 3 {
            let _ = writeln!(out, "    … and {} other reasons (all rows: rejected.csv of a report)", list.len() - 3);
        }
    }
}

/// Which metrics the inputs can and cannot support, each with its reason.
fn support(
    v: &DealView,
    touches: usize,
    responses: usize,
    only_deal_files: bool,
    touch_cadence: bool,
    touch_owner: bool,
) -> (Vec<String>, Vec<String>) {
    let mut can = Vec::new();
    let mut cannot = Vec::new();
    let [won_rows, lost_rows, open_rows] = v.with_rows;
    let [won_count, lost_count, open_count] = v.count_only;
    // Response by touch (SPEC §3 rules 2–4) needs dated touch rows.
    if touches == 0 {
        cannot.push(if only_deal_files {
            "response by touch needs an activity export (calls, emails, meetings) or a follow-up log: only a deals export was given".to_owned()
        } else {
            "response by touch needs touch rows: no file gave any".to_owned()
        });
    } else if responses == 0 {
        cannot.push(
            "response by touch needs responses: no inbound touch, connected call, reply or held meeting in the inputs (every rate would be 0)"
                .to_owned(),
        );
    } else {
        can.push(format!(
            "response by touch: {} with touch rows, {}",
            plural(won_rows + lost_rows + open_rows, "deal", "deals"),
            plural(responses, "response event", "response events")
        ));
    }
    // Touches to close / before loss (rule 5).
    let per_status = |what: &str, closed: usize, rows: usize, count: usize, word: &str| -> Result<String, String> {
        if closed == 0 {
            return Err(format!("{what} needs {word} deals: there are none"));
        }
        let untracked = closed - rows - count;
        let tail = if untracked > 0 { format!("; {untracked} untracked (no touches recorded)") } else { String::new() };
        match (rows, count) {
            (0, 0) => Err(format!("{what} needs touches: no {word} deal has touch rows or a touch count")),
            (0, c) => Ok(format!(
                "{what} from Number of times contacted only ({} of {closed}{tail}): give the activity exports for exact touches",
                plural(c, &format!("{word} deal"), &format!("{word} deals"))
            )),
            (r, 0) => Ok(format!("{what}: {r} of {closed} {word} deals from touch rows{tail}")),
            (r, c) => Ok(format!("{what}: {r} {word} deals from touch rows, {c} from Number of times contacted only{tail}")),
        }
    };
    for r in [
        per_status("touches to close", v.won, won_rows, won_count, "won"),
        per_status("touches before giving up", v.lost, lost_rows, lost_count, "lost"),
    ] {
        match r {
            Ok(s) => can.push(s),
            Err(s) => cannot.push(s),
        }
    }
    // Conversion after follow-up (rule 6) needs closed deals with a touch count.
    let closed_known = won_rows + won_count + lost_rows + lost_count;
    if v.won + v.lost == 0 {
        cannot.push("conversion after follow-up needs won or lost deals: there are none".into());
    } else if closed_known == 0 {
        cannot.push("conversion after follow-up needs touches of the won and lost deals: none has any".into());
    } else {
        can.push(format!("conversion after follow-up: {closed_known} of {} won/lost deals with touches", v.won + v.lost));
    }
    // Revenue recovered (rule 7) needs won deals with amounts.
    if v.won == 0 {
        cannot.push("revenue recovered needs won deals: there are none".into());
    } else if v.won_with_amount == 0 {
        cannot.push("revenue recovered needs amounts: no won deal has one (add or map an amount column)".into());
    } else if won_rows + won_count == 0 {
        cannot.push("revenue recovered needs the touches of the won deals: none has any".into());
    } else if v.won_with_amount < v.won {
        can.push(format!(
            "revenue recovered: {} of {} won deals have an amount (the others count as \"no amount\")",
            v.won_with_amount, v.won
        ));
    } else {
        can.push(format!("revenue recovered: all {} won deals have an amount", v.won));
    }
    // Give-up point (rule 8).
    let give_up = lost_rows + lost_count + open_rows + open_count;
    if give_up == 0 {
        cannot.push("give-up point needs lost or open deals with touches: none".into());
    } else {
        can.push(format!("give-up point: {give_up} lost or open deals with touches"));
    }
    // Due a follow-up: open deals with dated touches.
    if open_rows > 0 {
        can.push(format!("due a follow-up: {open_rows} open deals with dated touches"));
    } else if open_count > 0 {
        cannot.push("due a follow-up needs dated touches: Number of times contacted carries no dates (give the activity exports)".into());
    } else if v.open == 0 {
        cannot.push("due a follow-up needs open deals: there are none".into());
    } else {
        cannot.push("due a follow-up needs touches of the open deals: none has any".into());
    }
    // Periods and the trend count closed deals by close date.
    if v.closed_without_date > 0 {
        cannot.push(format!(
            "periods and the monthly trend leave out {} without a close date",
            plural(v.closed_without_date, "won/lost deal", "won/lost deals")
        ));
    }
    // Groups.
    let mut dims = Vec::new();
    let mut missing = Vec::new();
    if v.with_cadence > 0 || touch_cadence {
        dims.push("cadence");
    } else {
        missing.push("cadence");
    }
    if v.with_owner > 0 || touch_owner {
        dims.push("owner");
    } else {
        missing.push("owner");
    }
    if touches > 0 {
        dims.push("channel");
        dims.push("month");
    }
    let counted = won_rows + lost_rows + open_rows + won_count + lost_count + open_count;
    if counted == 0 {
        cannot.push("comparisons of groups need touches: none in the inputs".into());
        return (can, cannot);
    }
    if !dims.is_empty() {
        can.push(format!("comparisons by {}", dims.join(", ")));
    }
    if !missing.is_empty() {
        cannot.push(format!("comparisons by {} need a column for it: none found", missing.join(" or ")));
    }
    (can, cannot)
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
            super::note!("followup: error: {}: no row of this file could be used (reasons above)", crate::error::shown(f));
        }
        return Err(Error::Unusable { count: outcome.unusable.len() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_group_without_their_values() {
        assert_eq!(
            reason_kind("unreadable date \"yesterday\": write it as 2026-10-31"),
            "unreadable date \"…\": write it as 2026-10-31"
        );
        assert_eq!(reason_kind("no deal \"a\\\"b\", \"c\" here"), "no deal \"…\", \"…\" here");
    }
}
