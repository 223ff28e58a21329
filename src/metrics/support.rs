//! What the report can and cannot show, read from the computed [`Metrics`] only: the
//! lines `followup check` prints under "The report can show" / "It cannot show". Every
//! figure here is a figure of metrics.json (the same computation as `followup report`
//! with the same options), so check and the report cannot disagree; "cannot" starts with
//! the report's own [`Metrics::limitations`], then names each headline figure that is
//! empty and why.

use super::{too_few, Metrics};
use crate::fmt::{count, counted};

/// The two lists of `followup check`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Support {
    /// What the report can show, each with the figure it rests on.
    pub can: Vec<String>,
    /// What it cannot show, and why (the report's limitations first).
    pub cannot: Vec<String>,
}

/// " — too few to read" when a figure rests on fewer than [`super::SMALL_N`] deals.
fn few(n: usize) -> &'static str {
    if too_few(n) {
        " — too few to read"
    } else {
        ""
    }
}

/// The support lines of computed metrics.
pub fn support(m: &Metrics) -> Support {
    let mut s = Support { can: Vec::new(), cannot: m.limitations.clone() };
    let touch_rows = m.touches.outbound + m.touches.inbound;
    // Response by touch (rule 4); with no touch rows the limitations say why.
    if touch_rows > 0 {
        let sent = m.response_by_touch.first().map_or(0, |r| r.sent);
        let responded: u64 = m.response_by_touch.iter().map(|r| r.responded).sum();
        if responded == 0 {
            s.cannot.push(
                "response by touch needs responses: no inbound touch, connected call, reply or held meeting answers a touch (every rate would be 0)"
                    .to_owned(),
            );
        } else {
            let n = usize::try_from(sent).unwrap_or(usize::MAX);
            s.can.push(format!(
                "response by touch: {} received touch 1, {} answered{}",
                counted(sent, "deal", "deals"),
                count(responded),
                few(n)
            ));
        }
    }
    // Touches to close and before giving up (rule 5).
    let ttc = &m.touches_to_close;
    let tbl = &m.touches_before_loss;
    let per_status = |what: &str, word: &str, closed: usize, untracked: usize| -> Result<String, String> {
        let tracked = closed.saturating_sub(untracked);
        if closed == 0 {
            Err(format!("{what} needs {word} deals: there are none"))
        } else if tracked == 0 {
            Err(format!("{what} needs touches: no {word} deal has touches recorded"))
        } else {
            let tail = if untracked > 0 {
                format!("; {} untracked (no touches recorded)", count(untracked as u64))
            } else {
                String::new()
            };
            Ok(format!(
                "{what}: {} of {} with touches{tail}{}",
                count(tracked as u64),
                counted(closed as u64, &format!("{word} deal"), &format!("{word} deals")),
                few(tracked)
            ))
        }
    };
    for r in [
        per_status("touches to close", "won", ttc.won, ttc.stats.untracked),
        per_status("touches before giving up", "lost", tbl.lost, tbl.stats.untracked),
    ] {
        match r {
            Ok(line) => s.can.push(line),
            Err(line) => s.cannot.push(line),
        }
    }
    // Conversion after follow-up (rule 6).
    let conv = &m.conversion_after_follow_up;
    let closed = ttc.won + tbl.lost;
    let left_out = if conv.no_touch_data > 0 {
        format!("; {} had no touch data", counted(conv.no_touch_data as u64, "closed deal", "closed deals"))
    } else {
        String::new()
    };
    if closed == 0 {
        s.cannot.push("conversion after follow-up needs won or lost deals: there are none".into());
    } else if conv.won + conv.lost == 0 {
        s.cannot.push(format!(
            "conversion after follow-up needs won or lost deals with 2 or more touches: none of {}{left_out}",
            count(closed as u64)
        ));
    } else {
        s.can.push(format!(
            "conversion after follow-up: {} won of {} followed-up won/lost deals{}{left_out}",
            count(conv.won as u64),
            count((conv.won + conv.lost) as u64),
            few(conv.won + conv.lost)
        ));
    }
    // Revenue recovered (rule 7); no amounts at all is a limitation.
    let rec = &m.revenue_recovered;
    if ttc.won == 0 {
        s.cannot.push("revenue recovered needs won deals: there are none".into());
    } else if !rec.by_currency.is_empty() {
        let amounts = if rec.no_amount > 0 {
            format!(", {} without an amount", count(rec.no_amount as u64))
        } else {
            String::new()
        };
        s.can.push(format!(
            "revenue recovered: {} closed at touch {} or later{amounts}",
            counted(rec.deals as u64, "won deal", "won deals"),
            rec.recovered_after.saturating_add(1)
        ));
    }
    // Give-up point (rule 8).
    if m.give_up.deals == 0 {
        s.cannot.push(format!(
            "give-up point needs lost deals, or open deals with no answer and no touch for {} days, with touches: none",
            m.give_up.stale_days
        ));
    } else {
        s.can.push(format!(
            "give-up point: {} (lost, or open with no touch for {} days){}",
            counted(m.give_up.deals as u64, "deal", "deals"),
            m.give_up.stale_days,
            few(m.give_up.deals)
        ));
    }
    // The due list needs dated touches (else a limitation says so).
    if touch_rows > 0 {
        s.can.push(format!(
            "due a follow-up: {} due now",
            counted(m.due_follow_ups.deals as u64, "open deal", "open deals")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn km_fixture() -> Metrics {
        serde_json::from_str(include_str!("../../tests/fixtures/response_by_touch_km/metrics.full.json"))
            .expect("fixture")
    }

    #[test]
    fn conversion_line_on_nine_deals_says_too_few_on_ten_not_and_counts_the_left_out() {
        let mut m = km_fixture();
        let c = &mut m.conversion_after_follow_up;
        (c.won, c.lost, c.no_touch_data) = (3, 6, 20);
        let s = support(&m);
        assert!(s.can.contains(&"conversion after follow-up: 3 won of 9 followed-up won/lost deals — too few to read; 20 closed deals had no touch data".to_owned()), "{:?}", s.can);
        m.conversion_after_follow_up.lost = 7;
        let s = support(&m);
        assert!(s.can.contains(&"conversion after follow-up: 3 won of 10 followed-up won/lost deals; 20 closed deals had no touch data".to_owned()), "{:?}", s.can);
    }

    /// The report's limitations come first, word for word.
    #[test]
    fn cannot_starts_with_the_reports_limitations() {
        let mut m = km_fixture();
        m.limitations =
            vec!["Revenue recovered needs amounts: no won deal has one (add or map an amount column).".into()];
        assert_eq!(support(&m).cannot.first(), m.limitations.first());
    }
}
