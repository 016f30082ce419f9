//! [`Vocab`]: terms ↔ dense `u32` ids, for measures that work on id sequences
//! (lexical diversity, dispersion, tf-idf), and [`LocalIds`]: a segment's terms numbered on a
//! worker, for ordered passes that number the corpus's terms in corpus order.

use hashbrown::HashTable;
use kalima_text::{Analyzer, Scratch};

use crate::counter::{intern, term_at};
use crate::key::Key;

/// A term's key and id, in the table.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: Key,
    id: u32,
}

/// An interner: each distinct term gets the next id (0, 1, 2, … in order of first sight).
///
/// The layout of [`crate::TermCounter`]: one table of fixed-size keys (short terms inline, so
/// a lookup rarely leaves the slot) and the terms' bytes once, in one arena.
#[derive(Clone)]
pub struct Vocab {
    table: HashTable<Slot>,
    /// All terms' bytes, back to back, in id order.
    arena: String,
    /// `offs[id]..offs[id + 1]` is term `id` in `arena`.
    offs: Vec<usize>,
}

impl Default for Vocab {
    fn default() -> Self {
        Vocab {
            table: HashTable::new(),
            arena: String::new(),
            offs: vec![0],
        }
    }
}

impl std::fmt::Debug for Vocab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocab")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl Vocab {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `term`, adding it when new; the flag is true when it was new.
    pub fn intern(&mut self, term: &str) -> (u32, bool) {
        let key = Key::of(term.as_bytes());
        self.intern_keyed(term, key, key.hash())
    }

    /// [`intern`](Self::intern) with the key and its hash already made.
    fn intern_keyed(&mut self, term: &str, key: Key, hash: u64) -> (u32, bool) {
        if let Some(id) = self.find(term, key, hash) {
            return (id, false);
        }
        let id = intern(&mut self.arena, &mut self.offs, term);
        self.table
            .insert_unique(hash, Slot { key, id }, |s| s.key.hash());
        (id, true)
    }

    fn find(&self, term: &str, key: Key, hash: u64) -> Option<u32> {
        let (arena, offs) = (&self.arena, &self.offs);
        self.table
            .find(hash, |s| {
                s.key == key && (key.is_inline() || term_at(arena, offs, s.id) == term)
            })
            .map(|s| s.id)
    }

    /// Intern the terms of one segment, given in corpus order after the segments before it,
    /// and tell `f` each token's id and whether the token is its term's first occurrence in
    /// the corpus: the same ids and flags as [`intern`](Self::intern) of every token in turn,
    /// with one lookup per distinct term of the segment (its key made on the worker) instead
    /// of one per token.
    pub fn absorb(&mut self, local: LocalIds, mut f: impl FnMut(u32, bool)) {
        let global: Vec<(u32, bool)> = (0..local.vocab.len())
            .zip(&local.keys)
            .map(|(l, &(key, hash))| self.intern_keyed(local.vocab.term(l as u32), key, hash))
            .collect();
        // Local ids are numbered in order of first sight: the first occurrence of local id
        // `l` is the token where `l` equals the number of local terms seen so far.
        let mut seen = 0u32;
        for l in local.ids {
            let (id, new) = global[l as usize];
            let first = l == seen;
            seen += u32::from(first);
            f(id, new && first);
        }
    }

    /// The id of `term` when known.
    pub fn get(&self, term: &str) -> Option<u32> {
        let key = Key::of(term.as_bytes());
        self.find(term, key, key.hash())
    }

    /// The term of `id` (`""` for an unknown id).
    pub fn term(&self, id: u32) -> &str {
        if (id as usize) < self.len() {
            term_at(&self.arena, &self.offs, id)
        } else {
            ""
        }
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.offs.len() - 1
    }

    /// True when no term was interned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The tokens of one segment as ids local to it (0, 1, 2 … in order of first sight in the
/// segment), made on a worker thread; [`Vocab::absorb`] turns them into the corpus's ids in
/// corpus order. The expensive part (normalizing, tokenizing, hashing every token) is here.
#[derive(Debug, Default, Clone)]
pub struct LocalIds {
    vocab: Vocab,
    /// Key and hash of each local term, by local id.
    keys: Vec<(Key, u64)>,
    ids: Vec<u32>,
}

impl LocalIds {
    /// The terms of `text` as `analyzer` cuts them.
    pub fn new(analyzer: &Analyzer, text: &str, scratch: &mut Scratch) -> Self {
        // Sized for news text (about 8 bytes a token, a distinct term per 40 bytes of a
        // megabyte chunk): growing the table step by step costs as much as filling it.
        let mut local = LocalIds {
            vocab: Vocab {
                table: HashTable::with_capacity(text.len() / 40),
                arena: String::with_capacity(text.len() / 4),
                offs: Vec::with_capacity(text.len() / 40 + 1),
            },
            keys: Vec::with_capacity(text.len() / 40),
            ids: Vec::with_capacity(text.len() / 8),
        };
        local.vocab.offs.push(0);
        analyzer.for_each_term(text, scratch, |t| {
            let key = Key::of(t.as_bytes());
            let hash = key.hash();
            let (id, new) = local.vocab.intern_keyed(t, key, hash);
            if new {
                local.keys.push((key, hash));
            }
            local.ids.push(id);
        });
        local
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True without tokens.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_of_first_sight() {
        let mut v = Vocab::new();
        assert_eq!(v.intern("ب"), (0, true));
        assert_eq!(v.intern("a"), (1, true));
        assert_eq!(v.intern("ب"), (0, false));
        assert_eq!((v.get("a"), v.get("x")), (Some(1), None));
        assert_eq!((v.term(0), v.term(9), v.len()), ("ب", "", 2));
    }

    #[test]
    fn absorbing_segments_in_order_numbers_tokens_as_interning_each_would() {
        use kalima_text::{Normalizer, Scheme};
        let a = Analyzer::new(Scheme::Words, Normalizer::light());
        let segments = ["ب أ ب ج", "", "ج د أ د", "أ هـ ب"];
        // Reference: every token interned in turn.
        let (mut v, mut want) = (Vocab::new(), Vec::new());
        let mut scratch = Scratch::default();
        for s in segments {
            a.for_each_term(s, &mut scratch, |t| want.push(v.intern(t)));
        }
        let (mut v2, mut got) = (Vocab::new(), Vec::new());
        for s in segments {
            let local = LocalIds::new(&a, s, &mut scratch);
            v2.absorb(local, |id, new| got.push((id, new)));
        }
        assert_eq!(got, want);
        assert_eq!(got.iter().filter(|p| p.1).count(), 5);
        assert!((0..5).all(|i| v.term(i) == v2.term(i)));
    }
}
