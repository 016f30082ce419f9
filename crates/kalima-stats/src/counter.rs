//! [`TermCounter`]: interned terms in one hash table whose slots hold everything a token touches.
//!
//! Layout, chosen by measurement (see `examples/count_timing.rs`):
//! - One 48-byte [`Slot`] per term: its [`Key`] (short terms inline), count, whole-document
//!   frequency, the epoch of the document it was last seen in, and its `u32` id. A token costs
//!   one hash of the term and, for 99.8% of tokens, a lookup that touches only the slot.
//! - The slots are their own open-addressing table (linear probing, ≤ 7/8 full), so a slot's
//!   address follows from the hash: [`Batch`] prefetches it [`LAG`] tokens before the lookup.
//!   With 225k terms the table is ~12 MB, past the cache; the prefetch cut the time spent in
//!   counting by ~45% (`perf` share against the tokenizer's, `examples/freq_pipeline.rs`).
//! - Term bytes live once, in one arena indexed by id: for long terms' comparisons, merging and
//!   output. Nothing is allocated per term beyond the arena's growth.
//! - Split documents go to a side list of (id, document) pairs, so the slot carries no list;
//!   the list is de-duplicated whenever it doubles, so it stays within twice the number of
//!   distinct (term, split document) pairs.

use rayon::prelude::*;

use crate::TermFreq;
use crate::key::Key;

/// Everything a token touches, in one slot.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: Key,
    count: u64,
    /// Whole documents containing the term.
    df: u64,
    /// Epoch of the last document the term was seen in; 0 = none. Epochs are numbered by this
    /// counter (see [`TermCounter::begin`]) so the slot stays at 48 bytes.
    last: u32,
    id: u32,
}

/// The side list starts being de-duplicated at this length.
const MIN_COMPACT: usize = 1 << 16;

/// `Slot::id` of an empty slot (ids stop at `u32::MAX - 1`, see [`intern`]).
const EMPTY: u32 = u32::MAX;

/// Terms queued by a [`Batch`] before they are looked up: enough lookups in flight to hide
/// the latency of a slot that is not in cache (most of a token's cost in a 10 MB table).
const LAG: usize = 8;

/// Open addressing with linear probing over the slots themselves.
///
/// Why not `hashbrown`: a lookup there reads a control-byte group and then the slot, two
/// dependent cache misses for a term outside the cache; here it is one, and the slot's address
/// is known from the hash alone, so [`Batch`] can prefetch it several tokens ahead.
#[derive(Clone)]
struct Slots {
    slots: Vec<Slot>,
    len: usize,
}

const VACANT: Slot = Slot {
    key: Key::EMPTY,
    count: 0,
    df: 0,
    last: 0,
    id: EMPTY,
};

impl Slots {
    fn new() -> Self {
        Slots {
            slots: vec![VACANT; 16],
            len: 0,
        }
    }

    #[inline(always)]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Ask the CPU to bring `hash`'s home slot into cache.
    #[inline(always)]
    fn prefetch(&self, hash: u64) {
        let p = self
            .slots
            .as_ptr()
            .wrapping_add(hash as usize & self.mask());
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint that never faults, whatever the address; `p` points
        // into `slots` anyway.
        #[allow(unsafe_code)]
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch::<_MM_HINT_T0>(p.cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = p;
    }

    /// The index of the slot holding the term `eq` accepts, or of the empty slot where it
    /// goes.
    #[inline(always)]
    fn find(&self, hash: u64, eq: impl Fn(&Slot) -> bool) -> Result<usize, usize> {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.id == EMPTY {
                return Err(i);
            }
            if eq(s) {
                return Ok(i);
            }
            i = (i + 1) & mask;
        }
    }

    /// Put `slot` into the empty slot `at` (from [`find`](Self::find)); grows the table past
    /// 70% load, so probes stay short.
    fn fill(&mut self, at: usize, slot: Slot) {
        self.slots[at] = slot;
        self.len += 1;
        if self.len * 8 > self.slots.len() * 7 {
            let grown = vec![VACANT; 2 * self.slots.len()];
            let old = std::mem::replace(&mut self.slots, grown);
            let mask = self.mask();
            for s in old.into_iter().filter(|s| s.id != EMPTY) {
                let mut i = s.key.hash() as usize & mask;
                while self.slots[i].id != EMPTY {
                    i = (i + 1) & mask;
                }
                self.slots[i] = s;
            }
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn iter(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.slots.iter().filter(|s| s.id != EMPTY)
    }
}

/// Term counts and document frequencies.
#[derive(Clone)]
pub struct TermCounter {
    table: Slots,
    /// All terms' bytes, back to back, in id order.
    arena: String,
    /// `offs[id]..offs[id + 1]` is term `id` in `arena`.
    offs: Vec<usize>,
    /// (term id, document) for terms seen in split documents; may repeat until de-duplicated.
    split: Vec<(u32, u64)>,
    /// Length at which `split` is next de-duplicated.
    compact_at: usize,
    tokens: u64,
    /// Current document's epoch, bumped whenever the document number changes; 0 before any.
    epoch: u32,
    doc: u64,
    whole: bool,
}

impl Default for TermCounter {
    fn default() -> Self {
        TermCounter {
            table: Slots::new(),
            arena: String::new(),
            offs: vec![0],
            split: Vec::new(),
            compact_at: MIN_COMPACT,
            tokens: 0,
            epoch: 0,
            doc: 0,
            whole: false,
        }
    }
}

impl std::fmt::Debug for TermCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TermCounter")
            .field("tokens", &self.tokens)
            .field("types", &self.types())
            .field("doc", &self.doc)
            .field("whole", &self.whole)
            .finish_non_exhaustive()
    }
}

/// Term `id`'s bytes.
#[inline(always)]
pub(crate) fn term_at<'a>(arena: &'a str, offs: &[usize], id: u32) -> &'a str {
    let id = id as usize;
    &arena[offs[id]..offs[id + 1]]
}

/// Append a new term to the arena and give it the next id. Ids stop below `u32::MAX - 1`:
/// the two top values mark empty slots and padding ([`EMPTY`]) and sentence breaks in the
/// n-gram tables.
pub(crate) fn intern(arena: &mut String, offs: &mut Vec<usize>, t: &str) -> u32 {
    let id = u32::try_from(offs.len() - 1)
        .ok()
        .filter(|&id| id < EMPTY - 1)
        .expect("more than 2^32 - 2 distinct terms");
    arena.push_str(t);
    offs.push(arena.len());
    id
}

/// Push (id, doc) to a split list, de-duplicating it when it has doubled since last time.
#[inline]
fn push_split(split: &mut Vec<(u32, u64)>, compact_at: &mut usize, pair: (u32, u64)) {
    split.push(pair);
    if split.len() >= *compact_at {
        split.sort_unstable();
        split.dedup();
        *compact_at = (2 * split.len()).max(MIN_COMPACT);
    }
}

impl TermCounter {
    /// An empty counter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Start a piece of document `doc`; `whole` says whether the piece is the whole document.
    pub fn begin(&mut self, doc: u64, whole: bool) {
        if self.epoch == 0 || doc != self.doc {
            if self.epoch == u32::MAX {
                // Once per 4 billion documents: forget every mark rather than confuse epochs.
                self.table.slots.iter_mut().for_each(|s| s.last = 0);
                self.epoch = 0;
            }
            self.epoch += 1;
            self.doc = doc;
        }
        self.whole = whole;
    }

    /// Count one occurrence of `term` in the current document. To count many terms, a
    /// [`batch`](Self::batch) is faster.
    #[inline]
    pub fn add(&mut self, term: &str) {
        let key = Key::of(term.as_bytes());
        self.add_key(term, key, key.hash());
    }

    /// An adder that counts terms a few tokens behind, with their slots prefetched; all of
    /// them are counted when it is dropped. For the terms of one [`begin`](Self::begin).
    pub fn batch(&mut self) -> Batch<'_> {
        Batch {
            counter: self,
            queue: [(Key::EMPTY, 0); LAG],
            head: 0,
            len: 0,
        }
    }

    /// Count `term`, whose key and hash are given.
    #[inline(always)]
    fn add_key(&mut self, term: &str, key: Key, hash: u64) {
        let found = {
            let (arena, offs) = (&self.arena, &self.offs);
            if key.is_inline() {
                self.table.find(hash, |s| s.key == key)
            } else {
                self.table
                    .find(hash, |s| s.key == key && term_at(arena, offs, s.id) == term)
            }
        };
        match found {
            Ok(i) => self.seen(i),
            Err(at) => self.insert_new(term, key, at),
        }
    }

    /// Count a term whose key is inline (it holds the term's bytes).
    #[inline(always)]
    fn add_inline(&mut self, key: Key, hash: u64) {
        match self.table.find(hash, |s| s.key == key) {
            Ok(i) => self.seen(i),
            Err(at) => {
                let (bytes, len) = key.inline_bytes();
                let term = std::str::from_utf8(&bytes[..len])
                    .expect("an inline key holds the bytes of a str");
                self.insert_new(term, key, at)
            }
        }
    }

    /// One more occurrence of the term in slot `i`.
    #[inline(always)]
    fn seen(&mut self, i: usize) {
        self.tokens += 1;
        let s = &mut self.table.slots[i];
        s.count += 1;
        let fresh = s.last != self.epoch;
        s.last = self.epoch;
        if self.whole {
            // Branch-free: whether a token is its term's first in the document is a coin
            // toss the predictor loses.
            s.df += u64::from(fresh);
        } else if fresh {
            push_split(&mut self.split, &mut self.compact_at, (s.id, self.doc));
        }
    }

    /// First occurrence of a term, into the empty slot `at` (kept out of line so `add` stays
    /// small).
    #[inline(never)]
    fn insert_new(&mut self, t: &str, key: Key, at: usize) {
        self.tokens += 1;
        let id = intern(&mut self.arena, &mut self.offs, t);
        let mut df = 0;
        if self.epoch != 0 {
            if self.whole {
                df = 1;
            } else {
                push_split(&mut self.split, &mut self.compact_at, (id, self.doc));
            }
        }
        let slot = Slot {
            key,
            count: 1,
            df,
            last: self.epoch,
            id,
        };
        self.table.fill(at, slot);
    }

    /// Tokens counted (before any filtering of the output).
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Distinct terms.
    pub fn types(&self) -> usize {
        self.table.len()
    }

    /// Add another counter's counts to this one.
    ///
    /// The smaller vocabulary is merged into the larger; each of its terms is looked up once by
    /// its key's hash (no re-hashing of bytes) and only new terms' bytes are copied. Call
    /// [`begin`](Self::begin) before counting more into the result.
    pub fn merge(&mut self, mut other: TermCounter) {
        if other.types() > self.types() {
            std::mem::swap(self, &mut other);
        }
        self.tokens += other.tokens;
        // other's id → self's id, needed only to carry split-document pairs across.
        let mut remap = if other.split.is_empty() {
            Vec::new()
        } else {
            vec![0u32; other.offs.len() - 1]
        };
        for o in other.table.iter() {
            let hash = o.key.hash();
            let t = term_at(&other.arena, &other.offs, o.id);
            let found = {
                let (arena, offs) = (&self.arena, &self.offs);
                if o.key.is_inline() {
                    self.table.find(hash, |s| s.key == o.key)
                } else {
                    self.table
                        .find(hash, |s| s.key == o.key && term_at(arena, offs, s.id) == t)
                }
            };
            let id = match found {
                Ok(i) => {
                    let s = &mut self.table.slots[i];
                    s.count += o.count;
                    s.df += o.df;
                    s.id
                }
                Err(at) => {
                    let id = intern(&mut self.arena, &mut self.offs, t);
                    // Not seen in this counter's current document.
                    self.table.fill(at, Slot { last: 0, id, ..*o });
                    id
                }
            };
            if let Some(r) = remap.get_mut(o.id as usize) {
                *r = id;
            }
        }
        for &(id, doc) in &other.split {
            push_split(
                &mut self.split,
                &mut self.compact_at,
                (remap[id as usize], doc),
            );
        }
    }

    /// The table in kalima's order: count descending, then term by code point.
    pub fn into_sorted(self) -> Vec<TermFreq> {
        // Split documents: each distinct (term, document) pair adds one to the term's df.
        let mut split_df = Vec::new();
        if !self.split.is_empty() {
            let mut split = self.split;
            split.par_sort_unstable();
            split.dedup();
            split_df = vec![0u64; self.offs.len() - 1];
            for (id, _) in split {
                split_df[id as usize] += 1;
            }
        }
        let (arena, offs) = (&self.arena, &self.offs);
        let mut rows: Vec<Row> = self
            .table
            .iter()
            .map(|s| {
                // Inline keys give their prefix without a visit to the arena.
                let bytes = if s.key.is_inline() {
                    &[][..]
                } else {
                    term_at(arena, offs, s.id).as_bytes()
                };
                let [p0, p1] = s.key.prefix(bytes);
                Row {
                    order: [!s.count, p0, p1],
                    df: s.df + split_df.get(s.id as usize).copied().unwrap_or(0),
                    id: s.id,
                }
            })
            .collect();
        drop(self.table);
        // Sort small rows on integers (count, then the 16-byte prefix settles nearly every
        // tie without touching the arena) while another thread copies the terms out of the
        // arena in id order; allocating strings does not scale across threads, sorting does
        // not need them. UTF-8 byte order is code point order.
        let (mut strings, ()) = rayon::join(
            || {
                (0..offs.len() - 1)
                    .map(|id| term_at(arena, offs, id as u32).to_owned())
                    .collect::<Vec<String>>()
            },
            || {
                rows.par_sort_unstable_by(|a, b| {
                    a.order
                        .cmp(&b.order)
                        .then_with(|| term_at(arena, offs, a.id).cmp(term_at(arena, offs, b.id)))
                })
            },
        );
        rows.iter()
            .map(|r| TermFreq {
                term: std::mem::take(&mut strings[r.id as usize]),
                count: !r.order[0],
                doc_freq: r.df,
            })
            .collect()
    }
}

/// A term on its way out, sized for sorting.
struct Row {
    /// `[!count, prefix]`: ascending order is count descending, then the term's first bytes.
    order: [u64; 3],
    df: u64,
    id: u32,
}

/// Counts terms into a [`TermCounter`] a few tokens behind ([`LAG`]), prefetching each term's
/// slot when it is queued, so several lookups are in flight at once; see
/// [`TermCounter::batch`]. Dropping it counts what is still queued.
pub struct Batch<'c> {
    counter: &'c mut TermCounter,
    /// Inline keys and their hashes, a ring from `head`.
    queue: [(Key, u64); LAG],
    head: usize,
    len: usize,
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("queued", &self.len).finish()
    }
}

impl Batch<'_> {
    /// Count one occurrence of `term` (now or a few terms later).
    #[inline]
    pub fn add(&mut self, term: &str) {
        let key = Key::of(term.as_bytes());
        let hash = key.hash();
        if !key.is_inline() {
            // A long term needs its bytes when it is looked up: count it now. The order of
            // counting changes no count.
            self.counter.add_key(term, key, hash);
            return;
        }
        self.counter.table.prefetch(hash);
        if self.len == LAG {
            let (k, h) = std::mem::replace(&mut self.queue[self.head], (key, hash));
            self.head = (self.head + 1) % LAG;
            self.counter.add_inline(k, h);
        } else {
            self.queue[(self.head + self.len) % LAG] = (key, hash);
            self.len += 1;
        }
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        for i in 0..self.len {
            let (k, h) = self.queue[(self.head + i) % LAG];
            self.counter.add_inline(k, h);
        }
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::INLINE_MAX;
    use std::collections::HashMap;

    /// The obviously correct counter: a std HashMap and a set of documents per term.
    #[derive(Default)]
    struct Reference {
        map: HashMap<String, (u64, std::collections::BTreeSet<(bool, u64)>)>,
        tokens: u64,
    }

    impl Reference {
        fn add(&mut self, doc: Option<(u64, bool)>, t: &str) {
            self.tokens += 1;
            let e = self.map.entry(t.to_string()).or_default();
            e.0 += 1;
            if let Some((doc, whole)) = doc {
                e.1.insert((whole, doc));
            }
        }
        fn sorted(&self) -> Vec<TermFreq> {
            let mut rows: Vec<TermFreq> = self
                .map
                .iter()
                .map(|(t, (c, docs))| TermFreq {
                    term: t.clone(),
                    count: *c,
                    doc_freq: docs.len() as u64,
                })
                .collect();
            rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.term.cmp(&b.term)));
            rows
        }
    }

    /// Pieces `(doc, whole, terms)` counted by one counter.
    fn count(pieces: &[(u64, bool, Vec<String>)]) -> TermCounter {
        let mut c = TermCounter::new();
        for (doc, whole, terms) in pieces {
            c.begin(*doc, *whole);
            for t in terms {
                c.add(t);
            }
        }
        c
    }

    /// As [`count`], through [`TermCounter::batch`].
    fn count_batched(pieces: &[(u64, bool, Vec<String>)]) -> TermCounter {
        let mut c = TermCounter::new();
        for (doc, whole, terms) in pieces {
            c.begin(*doc, *whole);
            let mut b = c.batch();
            for t in terms {
                b.add(t);
            }
        }
        c
    }

    fn reference(pieces: &[(u64, bool, Vec<String>)]) -> Reference {
        let mut r = Reference::default();
        for (doc, whole, terms) in pieces {
            for t in terms {
                r.add(Some((*doc, *whole)), t);
            }
        }
        r
    }

    #[test]
    fn many_terms_grow_the_table_and_keep_their_counts() {
        let mut c = TermCounter::new();
        c.begin(0, true);
        for round in 0..3u64 {
            // Through the batched adder: the table grows while terms are queued.
            let mut b = c.batch();
            for i in 0..50_000u64 {
                if i % 3 >= round {
                    b.add(&format!("t{i}"));
                }
            }
        }
        assert_eq!(c.types(), 50_000);
        let rows = c.into_sorted();
        assert_eq!(rows.len(), 50_000);
        // Among counts of 3 (i % 3 == 2), "t10001" is first by bytes.
        assert_eq!(
            (rows[0].term.as_str(), rows[0].count, rows[0].doc_freq),
            ("t10001", 3, 1)
        );
        assert!(
            rows.iter()
                .all(|r| r.count == (r.term[1..].parse::<u64>().unwrap() % 3 + 1))
        );
    }

    #[test]
    fn long_terms_and_the_inline_boundary() {
        let base = "ك".repeat(20); // 40 bytes
        let mut terms = Vec::new();
        for n in [INLINE_MAX - 1, INLINE_MAX, INLINE_MAX + 1, 30, 40] {
            terms.push("a".repeat(n));
            terms.push(format!("{}b", "a".repeat(n - 1)));
        }
        terms.push(base.clone());
        terms.push(format!("{base}x"));
        terms.push(format!("x{base}"));
        let pieces = vec![
            (0, true, terms.clone()),
            (1, true, terms[..5].to_vec()),
            (2, false, terms.clone()),
        ];
        assert_eq!(count(&pieces).into_sorted(), reference(&pieces).sorted());
    }

    #[test]
    fn arabic_terms_in_code_point_order() {
        let words = [
            "كتب",
            "كتاب",
            "مكتبة",
            "الكتاب",
            "وبالكتابات",
            "ء",
            "ي",
            "آ",
            "كتب",
        ];
        let mut c = TermCounter::new();
        c.begin(7, true);
        words.iter().for_each(|w| c.add(w));
        let got: Vec<(String, u64)> = c
            .into_sorted()
            .into_iter()
            .map(|r| (r.term, r.count))
            .collect();
        let mut want: Vec<(String, u64)> = vec![("كتب".into(), 2)];
        let mut rest: Vec<&str> = words[..8].iter().copied().filter(|w| *w != "كتب").collect();
        rest.sort_by(|a, b| a.chars().cmp(b.chars()));
        want.extend(rest.into_iter().map(|w| (w.to_string(), 1)));
        assert_eq!(got, want);
    }

    #[test]
    fn nul_and_empty_terms_are_terms() {
        let terms: Vec<String> = ["", "\0", "a", "a\0", "a", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let pieces = vec![(0, true, terms)];
        assert_eq!(count(&pieces).into_sorted(), reference(&pieces).sorted());
    }

    #[test]
    fn merge_overlapping_and_disjoint_vocabularies() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let long = "ب".repeat(15);
        let a = vec![
            (0, true, w("x y كتب")),
            (1, false, w(&format!("y {long}"))),
            (1, false, w("z")),
        ];
        let b = vec![
            (2, true, w(&format!("x {long} كتب q"))),
            (1, false, w("y z r")),
            (3, false, w("s")),
        ];
        let disjoint = vec![(4, true, w("m n o p q2")), (5, false, w("m"))];
        let all = |parts: &[&Vec<(u64, bool, Vec<String>)>]| {
            parts
                .iter()
                .flat_map(|p| p.iter().cloned())
                .collect::<Vec<_>>()
        };
        for (left, right) in [(&a, &b), (&b, &a), (&a, &disjoint), (&disjoint, &a)] {
            let mut m = count(left);
            m.merge(count(right));
            let want = reference(&all(&[left, right]));
            assert_eq!(m.tokens(), want.tokens);
            assert_eq!(m.types(), want.map.len());
            assert_eq!(m.into_sorted(), want.sorted());
        }
        // Merging into an empty counter, and an empty one in.
        let mut e = TermCounter::new();
        e.merge(count(&a));
        e.merge(TermCounter::new());
        assert_eq!(e.into_sorted(), reference(&a).sorted());
    }

    #[test]
    fn counting_goes_on_after_a_merge() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let mut m = count(&[(0, true, w("a b"))]);
        m.merge(count(&[(1, true, w("b c d e"))]));
        m.begin(2, true);
        for t in ["a", "c", "c", "f"] {
            m.add(t);
        }
        let want = reference(&[
            (0, true, w("a b")),
            (1, true, w("b c d e")),
            (2, true, w("a c c f")),
        ]);
        assert_eq!(m.into_sorted(), want.sorted());
    }

    #[test]
    fn tokens_before_any_document_count_but_have_no_document() {
        let mut c = TermCounter::new();
        c.add("a");
        c.begin(0, true);
        c.add("a");
        c.add("b");
        let rows = c.into_sorted();
        assert_eq!(
            rows[0],
            TermFreq {
                term: "a".into(),
                count: 2,
                doc_freq: 1
            }
        );
        assert_eq!(
            rows[1],
            TermFreq {
                term: "b".into(),
                count: 1,
                doc_freq: 1
            }
        );
    }

    #[test]
    fn epoch_wraparound_keeps_doc_freq_exact() {
        let mut c = TermCounter::new();
        c.epoch = u32::MAX - 2;
        let mut r = Reference::default();
        for doc in 0..6u64 {
            c.begin(doc, doc % 2 == 0);
            for t in ["a", "b", "a"].iter().take(1 + doc as usize % 3) {
                c.add(t);
                r.add(Some((doc, doc % 2 == 0)), t);
            }
        }
        assert!(c.epoch < 10, "wrapped");
        assert_eq!(c.into_sorted(), r.sorted());
    }

    #[test]
    fn split_list_stays_bounded_by_distinct_pairs() {
        // Two split documents interleaved piece by piece: every piece re-adds every term.
        let mut c = TermCounter::new();
        for piece in 0..200u64 {
            c.begin(piece % 2, false);
            for i in 0..1000 {
                c.add(&format!("w{i}"));
            }
        }
        assert!(
            c.split.len() <= 2 * 2000_usize.max(MIN_COMPACT),
            "{}",
            c.split.len()
        );
        let rows = c.into_sorted();
        assert!(rows.iter().all(|r| r.count == 200 && r.doc_freq == 2));
    }

    fn piece_strategy() -> impl proptest::strategy::Strategy<Value = Vec<(u64, bool, Vec<String>)>>
    {
        use proptest::prelude::*;
        let term = prop_oneof![
            4 => "[ab\\x00بت]{0,3}",
            1 => "[aب]{10,16}",
        ];
        proptest::collection::vec(
            (
                0u64..6,
                any::<bool>(),
                proptest::collection::vec(term, 0..12),
            ),
            0..12,
        )
        // A document is whole in all its pieces or split in all of them.
        .prop_map(|ps| {
            ps.into_iter()
                .map(|(d, _, ts)| (d, d % 2 == 0 && d < 4, ts))
                .collect()
        })
    }

    proptest::proptest! {
        #[test]
        fn matches_the_reference(pieces in piece_strategy()) {
            // Whole documents must come in one piece: keep the first piece of each.
            let mut seen = std::collections::HashSet::new();
            let pieces: Vec<_> = pieces.into_iter().filter(|(d, w, _)| !*w || seen.insert(*d)).collect();
            let c = count(&pieces);
            let r = reference(&pieces);
            proptest::prop_assert_eq!(c.tokens(), r.tokens);
            proptest::prop_assert_eq!(c.types(), r.map.len());
            proptest::prop_assert_eq!(c.into_sorted(), r.sorted());
            // The batched adder: the same counts, terms queued across the lag included.
            let b = count_batched(&pieces);
            proptest::prop_assert_eq!(b.tokens(), r.tokens);
            proptest::prop_assert_eq!(b.into_sorted(), r.sorted());
        }

        #[test]
        fn merging_any_split_matches_the_reference(pieces in piece_strategy(), cut in 0usize..12, cut2 in 0usize..12) {
            let mut seen = std::collections::HashSet::new();
            let pieces: Vec<_> = pieces.into_iter().filter(|(d, w, _)| !*w || seen.insert(*d)).collect();
            let (a, rest) = pieces.split_at(cut.min(pieces.len()));
            let (b, c) = rest.split_at(cut2.min(rest.len()));
            let mut m = count(c);
            let mut ab = count(a);
            ab.merge(count(b));
            m.merge(ab);
            proptest::prop_assert_eq!(m.into_sorted(), reference(&pieces).sorted());
        }
    }
}
