//! [`Vocab`]: terms ↔ dense `u32` ids, for measures that work on id sequences
//! (lexical diversity, dispersion, tf-idf), and [`LocalIds`]: a segment's terms numbered on a
//! worker, for ordered passes that number the corpus's terms in corpus order.

use hashbrown::HashMap;
use kalima_text::{Analyzer, Scratch};

type Hasher = foldhash::fast::FixedState;

/// An interner: each distinct term gets the next id (0, 1, 2, … in order of first sight).
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    map: HashMap<Box<str>, u32, Hasher>,
    terms: Vec<Box<str>>,
}

impl Vocab {
    /// An empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `term`, adding it when new; the flag is true when it was new.
    pub fn intern(&mut self, term: &str) -> (u32, bool) {
        if let Some(&id) = self.map.get(term) {
            return (id, false);
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        let boxed: Box<str> = term.into();
        self.map.insert(boxed.clone(), id);
        self.terms.push(boxed);
        (id, true)
    }

    /// [`intern`](Self::intern) for a term already boxed (no copy when it is new).
    fn intern_boxed(&mut self, term: Box<str>) -> (u32, bool) {
        if let Some(&id) = self.map.get(&term) {
            return (id, false);
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.map.insert(term.clone(), id);
        self.terms.push(term);
        (id, true)
    }

    /// Intern the terms of one segment, given in corpus order after the segments before it,
    /// and tell `f` each token's id and whether the token is its term's first occurrence in
    /// the corpus: the same ids and flags as [`intern`](Self::intern) of every token in turn,
    /// with one lookup per distinct term of the segment instead of one per token.
    pub fn absorb(&mut self, local: LocalIds, mut f: impl FnMut(u32, bool)) {
        let global: Vec<(u32, bool)> = local
            .vocab
            .terms
            .into_iter()
            .map(|t| self.intern_boxed(t))
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
        self.map.get(term).copied()
    }

    /// The term of `id` (`""` for an unknown id).
    pub fn term(&self, id: u32) -> &str {
        self.terms.get(id as usize).map_or("", |t| t)
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True when no term was interned.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The tokens of one segment as ids local to it (0, 1, 2 … in order of first sight in the
/// segment), made on a worker thread; [`Vocab::absorb`] turns them into the corpus's ids in
/// corpus order. The expensive part (normalizing, tokenizing, hashing every token) is here.
#[derive(Debug, Default, Clone)]
pub struct LocalIds {
    vocab: Vocab,
    ids: Vec<u32>,
}

impl LocalIds {
    /// The terms of `text` as `analyzer` cuts them.
    pub fn new(analyzer: &Analyzer, text: &str, scratch: &mut Scratch) -> Self {
        let mut local = LocalIds::default();
        analyzer.for_each_term(text, scratch, |t| {
            let id = local.vocab.intern(t).0;
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
