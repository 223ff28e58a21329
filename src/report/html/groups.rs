//! The page's comparison sections, one per `--by` dimension: the table of groups, the
//! verdicts metrics calls meaningful, and how the comparisons were made.

use super::{GroupRow, GroupSection};
use crate::fmt::{count, decimal, percent};
use crate::metrics::groups::{GroupComparison, Metric, Mode};
use crate::metrics::Metrics;

pub(super) fn group_sections(m: &Metrics) -> Vec<GroupSection> {
    m.groups
        .iter()
        .map(|(dim, groups)| {
            let rows = groups
                .iter()
                .map(|g| {
                    let first = g.response_by_touch.first();
                    let km = crate::metrics::TouchRate::by_touch_5(&g.response_by_touch);
                    GroupRow {
                        group: g.key.clone(),
                        deals: g.deals.as_ref().map_or("–".into(), |d| count(d.total as u64)),
                        touch_1: format!("{} (n = {})", percent(first.and_then(|r| r.rate)), count(first.map_or(0, |r| r.sent))),
                        km: km.map_or("–".into(), |r| format!("{} by touch {}", percent(r.cumulative_km), r.touch)),
                        conversion: g.conversion_after_follow_up.as_ref().map_or("–".into(), |c| {
                            format!("{} ({} of {})", percent(c.rate), count(c.won as u64), count((c.won + c.lost) as u64))
                        }),
                        touches_to_close: g.touches_to_close.as_ref().map_or("–".into(), |t| {
                            format!("{} (n = {})", decimal(t.stats.mean), count(t.tracked() as u64))
                        }),
                    }
                })
                .collect();
            let cmp = m.comparisons.get(dim);
            let verdicts = cmp.map_or(Vec::new(), |c| c.list.iter().filter(|x| listed(x)).map(|x| x.verdict.clone()).collect());
            let note = cmp.map_or(String::new(), |c| {
                format!(
                    "{} comparisons ({}), on conversion after follow-up and the response rate at each touch; p-values Holm-adjusted. Response-rate differences are listed only where meaningful. Cadences are not assigned at random, so a difference is an association, not proof of cause. Every comparison is in tables/comparisons_{dim}.csv.",
                    c.count,
                    match c.mode {
                        Mode::Pair => "the two groups against each other",
                        Mode::EachVsRest => "each group against the rest",
                    }
                )
            });
            let chart = crate::report::charts::ChartKind::Groups(*dim).file_stem();
            GroupSection { dimension: dim.to_string(), chart, rows, verdicts, note }
        })
        .collect()
}

/// Whether the page lists a comparison's verdict: every conversion verdict (meaningful
/// or not, it answers the section's question), and the response-rate ones metrics
/// calls meaningful.
fn listed(c: &GroupComparison) -> bool {
    c.metric == Metric::ConversionAfterFollowUp || c.is_meaningful()
}
