//! [`Vocab`]: terms ↔ dense `u32` ids, for measures that work on id sequences
//! (lexical diversity, dispersion, tf-idf).

use hashbrown::HashMap;

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
}
