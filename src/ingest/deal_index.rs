//! Deal ids to deal indices: an open-addressing table (linear probing, at most half
//! full) of 8-byte slots, each a deal's row and 31 bits of its id's hash, over the ids
//! where they are stored ([`StrCol`]), so no id is stored twice.
//!
//! On a million deals almost every lookup is a cache miss. The reader thread hashes
//! each row's deal key ahead ([`KeyHint`]), and the row thread prefetches the slot of a
//! row a few rows before it reads that row (issue 12).

use std::hash::BuildHasher;

use super::records::Rec;
use crate::model::StrCol;

/// The hash of a record's deal key, computed on the reader thread: the key's address
/// and length in the record (which the row thread's key must match to use the hash)
/// and its hash.
#[derive(Debug, Clone, Copy)]
pub(super) struct KeyHint {
    ptr: usize,
    len: usize,
    hash: u64,
}

/// Deal ids to deal indices (see the module doc).
#[derive(Default)]
pub(super) struct DealIndex {
    /// 0: empty; else the tag (high 32 bits, never 0) and the deal's row (low 32 bits).
    slots: Vec<u64>,
    len: usize,
    hasher: hashbrown::DefaultHashBuilder,
}

/// The high half of a slot for hash `h`: 31 bits of the hash, its top bit set.
fn tag(h: u64) -> u64 {
    ((h >> 33) | (1 << 31)) << 32
}

impl KeyHint {
    /// The key's hash.
    pub(super) fn key_hash(self) -> u64 {
        self.hash
    }

    /// The key itself, in the record it was found in (`None` for another record).
    pub(super) fn key_in<'r>(self, rec: Rec<'r>) -> Option<&'r str> {
        rec.text_at(self.ptr, self.len)
    }
}

impl DealIndex {
    /// The hasher of this index (the reader thread hashes keys with a copy).
    pub(super) fn hasher(&self) -> hashbrown::DefaultHashBuilder {
        self.hasher
    }

    /// The hint for `key` (a cell of a record), hashed with `hasher`.
    pub(super) fn hint(hasher: &hashbrown::DefaultHashBuilder, key: &str) -> KeyHint {
        KeyHint { ptr: key.as_ptr() as usize, len: key.len(), hash: hasher.hash_one(key) }
    }

    /// The hash of `key`: the hint's when the hint is for this very slice of text.
    pub(super) fn hash(&self, key: &str, hint: Option<KeyHint>) -> u64 {
        match hint {
            Some(h) if h.ptr == key.as_ptr() as usize && h.len == key.len() => h.hash,
            _ => self.hasher.hash_one(key),
        }
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// The deal whose id is `key` (of hash `h`).
    pub(super) fn get(&self, ids: &StrCol, key: &str, h: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let (mask, tag) = (self.mask(), tag(h));
        let mut pos = h as usize & mask;
        // At most half the slots are full: the probe meets an empty one.
        while let Some(&s) = self.slots.get(pos) {
            if s == 0 {
                return None;
            }
            if s & !0xFFFF_FFFF == tag && ids.get(s as u32 as usize) == key {
                return Some(s as u32);
            }
            pos = (pos + 1) & mask;
        }
        None
    }

    /// Asks the CPU to fetch the first slot a lookup of hash `h` reads.
    pub(super) fn prefetch(&self, h: u64) {
        #[cfg(target_arch = "x86_64")]
        if let Some(slot) = self.slots.get(h as usize & self.mask()) {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            // SAFETY: a prefetch is a hint that never faults and changes no memory; the
            // address is that of a live element (needs only SSE, which every x86_64 has).
            unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(slot).cast()) };
        }
    }

    /// Makes room for `n` more deals, so the table is not rebuilt while it fills (a
    /// rebuild re-reads every stored id).
    pub(super) fn reserve(&mut self, ids: &StrCol, n: usize) {
        let want = self.len.saturating_add(n).saturating_mul(2).max(16).next_power_of_two();
        if want <= self.slots.len() {
            return;
        }
        // A big table is backed by huge pages (the binary's allocator,
        // `threads::HugePages`): random lookups do not also miss the TLB.
        let old = std::mem::replace(&mut self.slots, vec![0; want]);
        let mask = self.mask();
        for s in old.into_iter().filter(|&s| s != 0) {
            let h = self.hasher.hash_one(ids.get(s as u32 as usize));
            let mut pos = h as usize & mask;
            while self.slots.get(pos).is_some_and(|&x| x != 0) {
                pos = (pos + 1) & mask;
            }
            if let Some(slot) = self.slots.get_mut(pos) {
                *slot = tag(h) | (s & 0xFFFF_FFFF);
            }
        }
    }

    /// Indexes deal `i`, whose id (of hash `h`) is not in the index yet.
    pub(super) fn insert(&mut self, ids: &StrCol, i: u32, h: u64) {
        if self.len.saturating_add(1).saturating_mul(2) > self.slots.len() {
            self.reserve(ids, self.len.max(8));
        }
        let mask = self.mask();
        let mut pos = h as usize & mask;
        while self.slots.get(pos).is_some_and(|&x| x != 0) {
            pos = (pos + 1) & mask;
        }
        if let Some(slot) = self.slots.get_mut(pos) {
            *slot = tag(h) | u64::from(i);
            self.len += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_id_through_growth_and_collisions() {
        let mut ids = StrCol::default();
        let mut index = DealIndex::default();
        for i in 0..5000u32 {
            let key = format!("D{i:06}");
            ids.push(&key).unwrap();
            let h = index.hash(&key, None);
            assert_eq!(index.get(&ids, &key, h), None);
            index.insert(&ids, i, h);
        }
        for i in 0..5000u32 {
            let key = format!("D{i:06}");
            assert_eq!(index.get(&ids, &key, index.hash(&key, None)), Some(i), "{key}");
        }
        assert_eq!(index.get(&ids, "D005000", index.hash("D005000", None)), None);
        assert!(index.slots.len() >= 2 * 5000, "at most half full");
        // Every id on one hash: the probe still tells them apart by their text.
        let mut same = DealIndex::default();
        same.reserve(&ids, 100); // no rebuild below (it would hash the ids truly)
        for i in 0..100u32 {
            same.insert(&ids, i, 42);
        }
        for i in 0..100u32 {
            assert_eq!(same.get(&ids, ids.get(i as usize), 42), Some(i));
        }
        assert_eq!(same.get(&ids, "nope", 42), None);
    }

    #[test]
    fn a_hint_is_used_only_for_its_own_slice() {
        let index = DealIndex::default();
        let text = String::from("D1,D1");
        let (a, b) = (&text[0..2], &text[3..5]);
        let hint = DealIndex::hint(&index.hasher(), a);
        assert_eq!(index.hash(a, Some(hint)), index.hash(a, None));
        let fake = KeyHint { hash: 7, ..hint };
        assert_eq!(index.hash(a, Some(fake)), 7, "the same slice: the hint's hash");
        assert_eq!(index.hash(b, Some(fake)), index.hash(b, None), "equal text elsewhere: hashed again");
    }

    #[test]
    fn a_hint_gives_its_key_only_in_its_own_record() {
        let mut recs = super::super::records::RecordBuf::default();
        recs.push(["D1", "x"], 2);
        recs.push(["D1", "y"], 3);
        let (r0, r1) = (recs.get(0).expect("record 0"), recs.get(1).expect("record 1"));
        let hasher = DealIndex::default().hasher();
        let hint = DealIndex::hint(&hasher, r1.get(0).expect("cell"));
        assert_eq!(hint.key_in(r1), Some("D1"));
        assert_eq!(hint.key_in(r0), None, "equal text in another record");
        let cut = KeyHint { len: 9, ..hint };
        assert_eq!(cut.key_in(r1), None, "past the record's end");
    }
}
