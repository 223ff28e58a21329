//! `summary.md` (issue 14): ten lines or fewer that a manager pastes into an email or a
//! chat. The period; the four headline numbers, each with its change from last month;
//! per `--by` dimension the one meaningful finding of its comparisons (the one with the
//! smallest Holm-adjusted p-value), the dimensions without one on a single line; the
//! open deals waiting on us (the prospect spoke last) and how many are due a follow-up,
//! naming the first three of each. Plain text that reads
//! well unrendered (a title line, then `- ` items), built from the page's own headline
//! sentences ([`super::html::headlines`]) so the two never disagree.

use crate::fmt::{count, counted};
use crate::metrics::groups::GroupComparison;
use crate::metrics::Metrics;

/// The most lines the summary has.
pub const MAX_LINES: usize = 10;

/// The text of `summary.md` (ends with a new line).
pub fn render(m: &Metrics) -> String {
    let mut lines = vec![title(m)];
    let h = super::html::headlines(m);
    let changes = headline_changes(m, &h);
    for (h, change) in h.iter().zip(&changes) {
        let change = if change.is_empty() { String::new() } else { format!(" ({change})") };
        lines.push(format!("- {}: {}{change}", h.label, h.value));
    }
    let tail = [waiting_line(m), due_line(m)];
    let room = MAX_LINES.saturating_sub(lines.len() + tail.len());
    lines.extend(findings(m).into_iter().take(room));
    lines.extend(tail);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn title(m: &Metrics) -> String {
    match &m.period {
        Some(p) => format!("Follow-up report, {} to {} (as of {})", p.from, p.to, m.as_of),
        None => format!("Follow-up report, all data (as of {})", m.as_of),
    }
}

/// Each headline's change from last month. A monthly report compares its month with
/// the one before (the page's own change, [`super::html::headlines`]); a report over
/// all data compares the last complete month of the trend (its last day on or before
/// the as-of date) with the one before, and says which months ("2026-10: +2.1 points
/// vs 2026-09"). Empty when there is nothing to compare.
pub fn headline_changes(m: &Metrics, h: &[super::html::Headline]) -> [String; 4] {
    let mut out: [String; 4] = std::array::from_fn(|i| h.get(i).map_or(String::new(), |h| h.change.clone()));
    if m.period.is_some() {
        return out;
    }
    let Some(i) = m.trend.iter().rposition(|t| complete(&t.month, &m.as_of)) else { return out };
    let Some(prev) = i.checked_sub(1).and_then(|j| m.trend.get(j)) else { return out };
    let cur = &m.trend[i];
    for (o, c) in out.iter_mut().zip(super::html::changes_between(cur, prev)) {
        if !c.is_empty() {
            *o = format!("{}: {c}", cur.month);
        }
    }
    out
}

/// Whether month `YYYY-MM` has ended by the as-of date `YYYY-MM-DD`.
fn complete(month: &str, as_of: &str) -> bool {
    let parse = |s: Option<&str>| s.and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(mo)) = (parse(month.get(0..4)), parse(month.get(5..7))) else { return false };
    let Some(as_of_month) = as_of.get(0..7) else { return false };
    let last_day = crate::time::days_in_month(y as i32, mo);
    as_of_month > month || (as_of_month == month && parse(as_of.get(8..10)) == Some(last_day))
}

/// Per dimension compared, its most telling meaningful finding; the dimensions with
/// none share one line.
fn findings(m: &Metrics) -> Vec<String> {
    let mut lines = Vec::new();
    let mut none = Vec::new();
    for (dim, c) in &m.comparisons {
        let best = c
            .list
            .iter()
            .filter(|x| x.is_meaningful())
            .min_by(|a, b| a.p_holm.total_cmp(&b.p_holm).then(b.diff.abs().total_cmp(&a.diff.abs())));
        match best {
            Some(x) => lines.push(format!("- By {dim}: {}", finding(x))),
            None => none.push(dim.to_string()),
        }
    }
    if !none.is_empty() {
        lines.push(format!(
            "- By {}: no difference is meaningful yet (the report says how many more deals would tell).",
            none.join(" and by ")
        ));
    }
    lines
}

/// A comparison's verdict, on one line.
fn finding(x: &GroupComparison) -> String {
    one_line(&x.verdict)
}

/// Text from the inputs on one line: a new line or other control character in a deal
/// name would break the summary's lines (and its count).
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// Open deals where the prospect spoke last and nobody answered (SPEC §3 rule 10), the
/// three waiting longest named with their owner and days.
fn waiting_line(m: &Metrics) -> String {
    let w = &m.waiting_on_us;
    if w.deals == 0 {
        return "- Waiting on us: no open deal (every prospect who wrote or called has had an answer).".to_owned();
    }
    let names: Vec<String> = w
        .list
        .iter()
        .take(3)
        .map(|d| {
            let days = counted(d.days_waiting.max(0) as u64, "day", "days");
            if d.owner.is_empty() {
                format!("{} ({days})", one_line(&d.name))
            } else {
                format!("{} ({}, {days})", one_line(&d.name), one_line(&d.owner))
            }
        })
        .collect();
    format!(
        "- Waiting on us: {} where the prospect spoke last{}: {}{}.",
        counted(w.deals as u64, "open deal", "open deals"),
        if w.deals > 1 { ", longest first" } else { "" },
        names.join(", "),
        if w.deals > names.len() {
            format!(" and {} more", count((w.deals - names.len()) as u64))
        } else {
            String::new()
        }
    )
}

/// How many open deals are due a follow-up, the first three named.
fn due_line(m: &Metrics) -> String {
    let due = &m.due_follow_ups;
    if due.deals == 0 {
        return "- Due a follow-up now: no open deal.".to_owned();
    }
    let names: Vec<String> = due
        .top
        .iter()
        .take(3)
        .map(|d| {
            if d.owner.is_empty() {
                one_line(&d.name)
            } else {
                format!("{} ({})", one_line(&d.name), one_line(&d.owner))
            }
        })
        .collect();
    format!(
        "- Due a follow-up now: {}{}: {}{}.",
        counted(due.deals as u64, "open deal", "open deals"),
        if due.deals > 1 { ", most promising first" } else { "" },
        names.join(", "),
        if due.deals > names.len() {
            format!(" and {} more", count((due.deals - names.len()) as u64))
        } else {
            String::new()
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_complete_on_its_last_day_or_after() {
        assert!(complete("2026-10", "2026-10-31"));
        assert!(!complete("2026-10", "2026-10-30"));
        assert!(complete("2026-09", "2026-10-01"));
        assert!(complete("2024-02", "2024-02-29"));
        assert!(!complete("2024-02", "2024-02-28"));
        assert!(!complete("2026-11", "2026-10-31"));
        assert!(!complete("bad", "2026-10-31"));
    }
}
