//! N-grams, skip-grams and window co-occurrence over token streams, with interned term ids,
//! per-thread tables (keys packed into one `u64` or `u128` when they fit) merged by mapping
//! each worker's ids to the result's through its terms, once per term, and external
//! aggregation when a table outgrows its memory budget.
//!
//! # Tokens, sentences and documents
//! Terms come from [`Analyzer::for_each_term`]. A term with no letter or digit is not a
//! word: it never enters an n-gram or a window and does not count as a position. If such a
//! term contains sentence-final punctuation ([`is_sentence_final`]: `. ! ? ؟ ؛ … ۔` and the
//! like) it ends a sentence; n-grams and windows never reach across a sentence end unless
//! `cross` is set. They never reach across documents.
//!
//! # Documents in several chunks
//! A reader may deliver a long document in several chunks. The [engine](mod@crate::engine) gives
//! each chunk the tail of the text before it (enough whitespace-separated fields to hold the widest
//! n-gram or window); an n-gram or window pair is counted by the chunk holding its last
//! token, so an n-gram spanning two chunks is counted exactly once.
//!
//! # Memory
//! Each worker's [`KeyTable`] estimates its size after each chunk; past its budget it writes
//! its counts, sorted by term strings, to a run file in a temporary directory and starts
//! afresh. At the end all runs are merged (k-way) and summed; the result is the same as
//! without spilling.
use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering as AtOrd};

use foldhash::fast::FixedState;
use hashbrown::{HashMap, HashTable};
use kalima_text::{Analyzer, Scratch};

use crate::counter::{intern, term_at};
use crate::engine::{self, Segment};
use crate::key::Key as TermKey;

/// Longest n-gram (in tokens) a key holds.
pub const MAX_N: usize = 6;
/// Padding of unused key slots.
pub(crate) const NONE: u32 = u32::MAX;
/// Sentence end marker in a token sequence.
pub(crate) const BREAK: u32 = u32::MAX - 1;

/// An n-gram or pair of interned term ids, padded with `u32::MAX`.
pub type Key = [u32; MAX_N];

/// True when `term` is a word: it has a letter or a digit.
pub fn is_word(term: &str) -> bool {
    term.chars().any(char::is_alphanumeric)
}

/// True when a non-word `term` ends a sentence: it holds `.`, `!`, `?`, `؟` (U+061F),
/// `؛` (U+061B, Arabic semicolon), `…`, `۔` (U+06D4), `‼`, `⁇`, `⁈`, `⁉` or `。`.
pub fn is_sentence_final(term: &str) -> bool {
    !is_word(term)
        && term.chars().any(|c| {
            matches!(
                c,
                '.' | '!'
                    | '?'
                    | '\u{061F}'
                    | '\u{061B}'
                    | '…'
                    | '\u{06D4}'
                    | '‼'
                    | '⁇'
                    | '⁈'
                    | '⁉'
                    | '。'
            )
        })
}

/// A vocabulary entry: the term's key (short terms inline, see [`crate::key`]), its id
/// ([`NONE`] until a non-word is interned by [`Vocab::id`]) and its class as a token.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: TermKey,
    id: u32,
    /// What the term is in a token sequence: [`WORD`], [`BREAK`] or [`NONE`] (neither).
    class: u32,
}

/// Class of a word in [`Entry::class`] (any value other than [`BREAK`] and [`NONE`]).
const WORD: u32 = 0;

/// Terms interned as dense `u32` ids.
///
/// One hash table of fixed-size keys (a token's lookup touches only its slot for 99.8% of
/// tokens) and one arena of term bytes in id order. Non-words met by the n-gram and window
/// passes are remembered with their class (sentence end or not) but get no id, so the
/// character scans of [`is_word`] and [`is_sentence_final`] run once per distinct term, not
/// per token.
#[derive(Debug, Clone)]
pub struct Vocab {
    table: HashTable<Entry>,
    /// All interned terms' bytes, back to back, in id order (the layout of
    /// [`crate::TermCounter`]'s arena, with its `intern` and `term_at`).
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

impl Vocab {
    #[inline]
    fn find(&self, t: &str, key: TermKey, hash: u64) -> Option<&Entry> {
        if key.is_inline() {
            self.table.find(hash, |e| e.key == key)
        } else {
            // Long non-words are never stored (they have no bytes in the arena).
            self.table.find(hash, |e| {
                e.key == key && e.id != NONE && self.term(e.id) == t
            })
        }
    }

    /// Append `t` to the arena; its new id (below [`BREAK`], see [`intern`]).
    fn push_term(&mut self, t: &str) -> u32 {
        intern(&mut self.arena, &mut self.offs, t)
    }

    /// The id of `t`, interning it when new.
    pub fn id(&mut self, t: &str) -> u32 {
        let key = TermKey::of(t.as_bytes());
        let hash = key.hash();
        match self.find(t, key, hash) {
            Some(e) if e.id != NONE => e.id,
            Some(_) => {
                // A non-word met before as a token: give it an id now.
                let id = self.push_term(t);
                let e = self
                    .table
                    .find_mut(hash, |e| e.key == key)
                    .expect("entry just found");
                e.id = id;
                id
            }
            None => {
                let id = self.push_term(t);
                let class = token_class(t);
                self.table
                    .insert_unique(hash, Entry { key, id, class }, |e| e.key.hash());
                id
            }
        }
    }

    /// What `t` is in a token sequence: its id when it is a word (interned), else [`BREAK`]
    /// when it ends a sentence, else [`NONE`].
    #[inline]
    pub(crate) fn token(&mut self, t: &str) -> u32 {
        let key = TermKey::of(t.as_bytes());
        let hash = key.hash();
        if let Some(e) = self.find(t, key, hash) {
            return if e.class == WORD { e.id } else { e.class };
        }
        self.token_new(t, key, hash)
    }

    /// First sight of a term in [`token`](Self::token) (out of line so that stays small).
    #[inline(never)]
    fn token_new(&mut self, t: &str, key: TermKey, hash: u64) -> u32 {
        let class = token_class(t);
        if class == WORD {
            let id = self.push_term(t);
            self.table
                .insert_unique(hash, Entry { key, id, class }, |e| e.key.hash());
            id
        } else {
            if key.is_inline() {
                let e = Entry {
                    key,
                    id: NONE,
                    class,
                };
                self.table.insert_unique(hash, e, |e| e.key.hash());
            }
            class
        }
    }

    /// The id of `t` when interned.
    pub fn get(&self, t: &str) -> Option<u32> {
        let key = TermKey::of(t.as_bytes());
        self.find(t, key, key.hash())
            .map(|e| e.id)
            .filter(|&id| id != NONE)
    }
    /// The term of `id`.
    pub fn term(&self, id: u32) -> &str {
        term_at(&self.arena, &self.offs, id)
    }
    /// Number of terms.
    pub fn len(&self) -> usize {
        self.offs.len() - 1
    }
    /// True when no term is interned.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn approx_bytes(&self) -> usize {
        self.arena.capacity()
            + self.offs.capacity() * 8
            + self.table.capacity() * (std::mem::size_of::<Entry>() + 1)
    }
}

/// [`WORD`], [`BREAK`] (a non-word ending a sentence) or [`NONE`].
fn token_class(t: &str) -> u32 {
    if is_word(t) {
        WORD
    } else if is_sentence_final(t) {
        BREAK
    } else {
        NONE
    }
}

/// Rank of each term id of `v` in code-point order of the terms, plus one (0 is left for the
/// padding, so a shorter key sorts first on a common prefix). Comparing ranks then orders
/// keys as [`cmp_keys`] does, without touching the terms' bytes again.
pub fn term_ranks(v: &Vocab) -> Vec<u32> {
    use rayon::slice::ParallelSliceMut;
    let mut ids: Vec<u32> = (0..v.len() as u32).collect();
    ids.par_sort_unstable_by(|&a, &b| v.term(a).cmp(v.term(b)));
    let mut rank = vec![0u32; v.len()];
    for (r, &id) in ids.iter().enumerate() {
        rank[id as usize] = r as u32 + 1;
    }
    rank
}

/// `k` with each id replaced by its rank from [`term_ranks`] and padding by 0: these arrays
/// compare as [`cmp_keys`] compares the keys.
#[inline]
fn ranked(rank: &[u32], k: &Key) -> Key {
    k.map(|id| if id == NONE { 0 } else { rank[id as usize] })
}

/// Compare two keys by their terms, token by token (shorter first on a common prefix): the
/// same order as the code-point order of the tokens joined by one space.
pub fn cmp_keys(va: &Vocab, a: &Key, vb: &Vocab, b: &Key) -> Ordering {
    for i in 0..MAX_N {
        match (a[i] == NONE, b[i] == NONE) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let o = va.term(a[i]).cmp(vb.term(b[i]));
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// The terms of `key` joined by one space, into `out` (cleared first).
pub fn join_terms(vocab: &Vocab, key: &Key, out: &mut String) {
    out.clear();
    for (i, &id) in key[..key_len(key)].iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(vocab.term(id));
    }
}

/// Number of tokens in a key.
pub fn key_len(k: &Key) -> usize {
    k.iter().position(|&x| x == NONE).unwrap_or(MAX_N)
}

/// Word ids of `context` then `text`, with [`BREAK`] at sentence ends (unless `cross`);
/// returns the index where `text`'s tokens start.
pub(crate) fn fill_seq_pub(
    analyzer: &Analyzer,
    scratch: &mut Scratch,
    vocab: &mut Vocab,
    span: &Segment,
    cross: bool,
    ids: &mut Vec<u32>,
) -> usize {
    ids.clear();
    let mut push = |t: &str, ids: &mut Vec<u32>| match vocab.token(t) {
        NONE => {}
        BREAK => {
            if !cross && ids.last().is_some_and(|&x| x != BREAK) {
                ids.push(BREAK);
            }
        }
        id => ids.push(id),
    };
    analyzer.for_each_term(&span.context, scratch, |t| push(t, ids));
    let own = ids.len();
    analyzer.for_each_term(&span.text, scratch, |t| push(t, ids));
    own
}

/// The positions of `ids` (filled by [`fill_seq_pub`]) whose token is counted — at or after
/// `own`, not a sentence break — each with the start of its sentence, the first position a
/// window or n-gram ending there may reach back to.
pub(crate) fn counted_positions(
    ids: &[u32],
    own: usize,
) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut seg = 0;
    ids.iter().enumerate().filter_map(move |(j, &id)| {
        if id == BREAK {
            seg = j + 1;
            None
        } else {
            (j >= own).then_some((j, seg))
        }
    })
}

/// Shared temporary directory for spilled runs. It is registered with `kalima_fs`, so it is
/// removed on every return, on error, and by the binary's signal handler when the run is
/// interrupted.
#[derive(Debug)]
pub struct SpillDir {
    dir: kalima_fs::TempDir,
    next: AtomicUsize,
}

impl SpillDir {
    /// A new temporary directory `kalima-spill…` under `parent` (the system's temp dir when
    /// `None`).
    pub fn new(parent: Option<&Path>) -> io::Result<Self> {
        let dir = match parent {
            Some(p) => kalima_fs::TempDir::new_in(p, "kalima-spill")?,
            None => kalima_fs::TempDir::new("kalima-spill")?,
        };
        Ok(SpillDir {
            dir,
            next: AtomicUsize::new(0),
        })
    }
    /// A new file name in the folder, for a run of another sorter ([`crate::extsort`]).
    pub(crate) fn run_path(&self) -> PathBuf {
        self.path()
    }
    fn path(&self) -> PathBuf {
        let i = self.next.fetch_add(1, AtOrd::Relaxed);
        self.dir.path().join(format!("run{i:06}"))
    }
}

/// A [`Key`] packed into fewer bits: its first `WIDTH` ids (the rest must be padding).
trait Packed: Copy + Eq + std::hash::Hash {
    /// Ids held.
    const WIDTH: usize;
    fn pack(k: &Key) -> Self;
    fn unpack(self) -> Key;
}

impl Packed for u64 {
    const WIDTH: usize = 2;
    #[inline(always)]
    fn pack(k: &Key) -> Self {
        u64::from(k[0]) | u64::from(k[1]) << 32
    }
    #[inline(always)]
    fn unpack(self) -> Key {
        [self as u32, (self >> 32) as u32, NONE, NONE, NONE, NONE]
    }
}

impl Packed for u128 {
    const WIDTH: usize = 4;
    #[inline(always)]
    fn pack(k: &Key) -> Self {
        (0..4).fold(0, |p, i| p | u128::from(k[i]) << (32 * i))
    }
    #[inline(always)]
    fn unpack(self) -> Key {
        let id = |i: usize| (self >> (32 * i)) as u32;
        [id(0), id(1), id(2), id(3), NONE, NONE]
    }
}

impl Packed for Key {
    const WIDTH: usize = MAX_N;
    #[inline(always)]
    fn pack(k: &Key) -> Self {
        *k
    }
    #[inline(always)]
    fn unpack(self) -> Key {
        self
    }
}

/// A worker's counts, keyed as narrowly as the longest key allows: a bigram or a pair is one
/// `u64`, so its slot is 16 bytes instead of 32 and hashing it is two multiplies.
#[derive(Debug)]
enum Map {
    /// Keys of at most 2 ids.
    Two(HashMap<u64, u64, FixedState>),
    /// At most 4.
    Four(HashMap<u128, u64, FixedState>),
    /// At most [`MAX_N`].
    Six(HashMap<Key, u64, FixedState>),
}

/// Runs `$body` with `$m` bound to the inner map of `$map`, whichever its key type.
macro_rules! with_map {
    ($map:expr, $m:ident => $body:expr) => {
        match $map {
            Map::Two($m) => $body,
            Map::Four($m) => $body,
            Map::Six($m) => $body,
        }
    };
}

impl Map {
    fn new(max_len: usize) -> Map {
        match max_len {
            0..=2 => Map::Two(HashMap::default()),
            3..=4 => Map::Four(HashMap::default()),
            _ => Map::Six(HashMap::default()),
        }
    }

    #[inline(always)]
    fn add(&mut self, k: &Key, by: u64) {
        with_map!(self, m => *m.entry(Packed::pack(k)).or_insert(0) += by)
    }

    fn len(&self) -> usize {
        with_map!(self, m => m.len())
    }

    fn bytes(&self) -> usize {
        fn of<P>(m: &HashMap<P, u64, FixedState>) -> usize {
            m.capacity() * (std::mem::size_of::<(P, u64)>() + 1)
        }
        with_map!(self, m => of(m))
    }

    /// All (key, count) pairs, emptying the map.
    fn drain(&mut self) -> Vec<(Key, u64)> {
        fn of<P: Packed>(m: &mut HashMap<P, u64, FixedState>) -> Vec<(Key, u64)> {
            std::mem::take(m)
                .into_iter()
                .map(|(k, c)| (k.unpack(), c))
                .collect()
        }
        with_map!(self, m => of(m))
    }

    /// Add `other`'s counts, its ids mapped through `remap` (and unordered pairs put back in
    /// id order). Both maps have the same key type.
    fn absorb(&mut self, other: Map, remap: &[u32], unordered: bool) {
        fn of<P: Packed>(
            into: &mut HashMap<P, u64, FixedState>,
            from: HashMap<P, u64, FixedState>,
            remap: &[u32],
            unordered: bool,
        ) {
            into.reserve(from.len());
            for (k, c) in from {
                let mut k = k.unpack();
                for id in k.iter_mut().take(P::WIDTH) {
                    if *id != NONE {
                        *id = remap[*id as usize];
                    }
                }
                if unordered && k[1] != NONE && k[0] > k[1] {
                    k.swap(0, 1);
                }
                *into.entry(P::pack(&k)).or_insert(0) += c;
            }
        }
        match (self, other) {
            (Map::Two(a), Map::Two(b)) => of(a, b, remap, unordered),
            (Map::Four(a), Map::Four(b)) => of(a, b, remap, unordered),
            (Map::Six(a), Map::Six(b)) => of(a, b, remap, unordered),
            _ => unreachable!("worker tables of one count have one key width"),
        }
    }

    /// Rows with count ≥ `min_count` whose terms pass `keep`, unordered pairs turned to term
    /// order (by `rank`, see [`term_ranks`]).
    fn rows(
        self,
        v: &Vocab,
        rank: &[u32],
        unordered: bool,
        min_count: u64,
        keep: &impl Fn(&[&str]) -> bool,
    ) -> Vec<(Key, u64)> {
        fn of<P: Packed>(
            m: HashMap<P, u64, FixedState>,
            v: &Vocab,
            rank: &[u32],
            unordered: bool,
            min_count: u64,
            keep: &impl Fn(&[&str]) -> bool,
        ) -> Vec<(Key, u64)> {
            // One table of all terms: a row then reads one slot per id, where slicing the
            // arena would read (and check) its bytes, a cache miss for millions of rows.
            let terms: Vec<&str> = (0..v.len() as u32).map(|id| v.term(id)).collect();
            m.into_iter()
                .filter(|&(_, c)| c >= min_count)
                .map(|(k, c)| (k.unpack(), c))
                .filter(|(k, _)| {
                    let n = key_len(k);
                    let mut ts = [""; MAX_N];
                    for (t, &id) in ts.iter_mut().zip(&k[..n]) {
                        *t = terms[id as usize];
                    }
                    keep(&ts[..n])
                })
                .map(|(mut k, c)| {
                    if unordered && k[1] != NONE && rank[k[0] as usize] > rank[k[1] as usize] {
                        k.swap(0, 1);
                    }
                    (k, c)
                })
                .collect()
        }
        with_map!(self, m => of(m, v, rank, unordered, min_count, keep))
    }
}

/// Counts keyed by interned id tuples, one per worker, spilling sorted runs when over budget.
#[derive(Debug)]
pub struct KeyTable {
    /// The worker's vocabulary.
    pub vocab: Vocab,
    map: Map,
    budget: usize,
    spill: Option<Arc<SpillDir>>,
    runs: Vec<PathBuf>,
    /// Pairs are unordered: a key `[a, b]` is stored with `a ≤ b` (ids; turned to term order
    /// when spilled or merged).
    unordered: bool,
}

impl KeyTable {
    /// An empty table for keys of at most `max_len` ids that spills to `spill` when its
    /// estimated size passes `budget` bytes.
    pub fn new(
        max_len: usize,
        budget: usize,
        spill: Option<Arc<SpillDir>>,
        unordered: bool,
    ) -> Self {
        KeyTable {
            vocab: Vocab::default(),
            map: Map::new(max_len),
            budget,
            spill,
            runs: Vec::new(),
            unordered,
        }
    }

    /// Add `by` to `key` (at most the `max_len` ids the table was made for).
    #[inline]
    pub fn add(&mut self, key: Key, by: u64) {
        debug_assert!(key_len(&key) <= MAX_N);
        self.map.add(&key, by);
    }

    /// Add `by` to the n-gram `ids` (at most the `max_len` the table was made for).
    #[inline]
    pub fn add_ids(&mut self, ids: &[u32], by: u64) {
        let mut k = [NONE; MAX_N];
        k[..ids.len()].copy_from_slice(ids);
        self.map.add(&k, by);
    }

    /// Add `by` to the pair of term ids `a`, `b` (put in id order when the table is unordered).
    #[inline]
    pub fn add_pair(&mut self, a: u32, b: u32, by: u64) {
        let (a, b) = if self.unordered && a > b {
            (b, a)
        } else {
            (a, b)
        };
        self.map.add(&[a, b, NONE, NONE, NONE, NONE], by);
    }

    /// Estimated bytes held.
    pub fn approx_bytes(&self) -> usize {
        self.map.bytes() + self.vocab.approx_bytes()
    }

    /// Spill when over budget; gives back the vocabulary that was in use when it spilled
    /// (the table starts a fresh one, so ids restart).
    pub fn maybe_spill(&mut self) -> io::Result<Option<Vocab>> {
        if self.spill.is_some() && self.approx_bytes() > self.budget && self.map.len() > 0 {
            return self.spill_now();
        }
        Ok(None)
    }

    fn spill_now(&mut self) -> io::Result<Option<Vocab>> {
        let Some(dir) = self.spill.clone() else {
            return Ok(None);
        };
        let mut rows = self.map.drain();
        let v = &self.vocab;
        let rank = term_ranks(v);
        if self.unordered {
            // Runs are merged by term strings: pairs go in term order.
            for (k, _) in &mut rows {
                if k[1] != NONE && rank[k[0] as usize] > rank[k[1] as usize] {
                    k.swap(0, 1);
                }
            }
        }
        rows.sort_unstable_by_key(|(k, _)| ranked(&rank, k));
        // A run is a file of `Gram` records in term order (see `merge_tables`).
        let path = dir.path();
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        let mut text = String::new();
        for (k, c) in rows {
            join_terms(&self.vocab, &k, &mut text);
            crate::extsort::put_u64(&mut w, c)?;
            crate::extsort::put_str(&mut w, &text)?;
        }
        w.flush()?;
        self.runs.push(path);
        // A fresh vocabulary too, so memory really drops.
        Ok(Some(std::mem::take(&mut self.vocab)))
    }
}

/// Final counts: keys over one vocabulary, ordered by count descending then terms.
///
/// When the counts spilled, the merged rows do not come back as one vector: they go
/// through an external sort ([`crate::extsort`]) within the tables' budget, and
/// [`KeyCounts::into_rows`] streams them, in the same order. Read the rows with
/// [`KeyCounts::into_rows`]: [`KeyCounts::rows`] is empty then.
#[derive(Debug, Default)]
pub struct KeyCounts {
    /// Vocabulary of the keys (empty when the rows are streamed from spilled runs).
    pub vocab: Vocab,
    /// (key, count), count descending then terms by code point; empty when the rows are
    /// streamed from spilled runs (see [`KeyCounts::into_rows`]).
    pub rows: Vec<(Key, u64)>,
    /// Number of spilled runs merged (0 when everything fit in memory).
    pub runs: usize,
    /// The rows, in order, when they went through an external sort.
    sorted: Option<SortedGrams>,
}

/// A row of an external sort of keys: the count and the terms joined by one space.
type Gram = (u64, Box<str>);
/// [`KeyCounts`]' order on [`Gram`]s: count descending, then the terms token by token
/// (terms hold no space, so splitting gives them back), as [`sort_rows_ranked`] orders keys.
type GramOrder = fn(&Gram, &Gram) -> Ordering;
type SortedGrams = crate::extsort::Sorted<Gram, GramOrder>;

fn gram_order(a: &Gram, b: &Gram) -> Ordering {
    b.0.cmp(&a.0)
        .then_with(|| a.1.split(' ').cmp(b.1.split(' ')))
}

/// The rows of a [`KeyCounts`] in its order, one at a time; see [`KeyCounts::into_rows`].
#[derive(Debug)]
pub struct KeyRows {
    vocab: Vocab,
    rows: std::vec::IntoIter<(Key, u64)>,
    sorted: Option<SortedGrams>,
    text: String,
}

impl KeyRows {
    /// The vocabulary of the counts (for margins by term id); empty when the rows were
    /// streamed from spilled runs, unless the caller interned more.
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// The rows not read yet and their vocabulary, when the rows are held in memory (not
    /// streamed from an external sort).
    pub fn held(&self) -> Option<(&[(Key, u64)], &Vocab)> {
        self.sorted
            .is_none()
            .then_some((self.rows.as_slice(), &self.vocab))
    }

    /// The vocabulary, when the rows are no longer needed.
    pub fn into_vocab(self) -> Vocab {
        self.vocab
    }

    /// The next row: the terms joined by one space, their number, and the count.
    pub fn next_row(&mut self) -> io::Result<Option<(&str, usize, u64)>> {
        if let Some(sorted) = &mut self.sorted {
            let Some((count, text)) = sorted.next().transpose()? else {
                return Ok(None);
            };
            self.text.clear();
            self.text.push_str(&text);
            let n = self.text.split(' ').count();
            return Ok(Some((&self.text, n, count)));
        }
        let Some((k, count)) = self.rows.next() else {
            return Ok(None);
        };
        join_terms(&self.vocab, &k, &mut self.text);
        Ok(Some((&self.text, key_len(&k), count)))
    }
}

impl KeyCounts {
    /// True when the rows are held in [`KeyCounts::rows`] (nothing went through the external
    /// sort).
    pub fn is_held(&self) -> bool {
        self.sorted.is_none()
    }

    /// The rows in order (count descending, then terms), from memory or streamed from the
    /// external sort of spilled counts.
    pub fn into_rows(self) -> KeyRows {
        KeyRows {
            vocab: self.vocab,
            rows: self.rows.into_iter(),
            sorted: self.sorted,
            text: String::new(),
        }
    }

    /// The terms of `key` joined by one space.
    pub fn joined(&self, key: &Key) -> String {
        let mut s = String::new();
        join_terms(&self.vocab, key, &mut s);
        s
    }
}

/// [`sort_rows_ranked`] ranking the terms first (the tests' entry).
#[cfg(test)]
fn sort_rows(vocab: &Vocab, rows: &mut [(Key, u64)]) {
    sort_rows_ranked(&term_ranks(vocab), rows);
}

/// Sort rows by count descending, then by terms (as [`cmp_keys`] orders them), given the
/// ranks of [`term_ranks`]: the sort compares integers, not strings.
fn sort_rows_ranked(rank: &[u32], rows: &mut [(Key, u64)]) {
    use rayon::prelude::*;
    // Ranks replace the ids for the sort, so comparing two rows reads nothing but the rows.
    let mut id_of = vec![NONE; rank.len() + 1];
    for (id, &r) in rank.iter().enumerate() {
        id_of[r as usize] = id as u32;
    }
    rows.par_iter_mut().for_each(|(k, _)| *k = ranked(rank, k));
    // Keys are distinct, so this is a total order: the unstable sort is deterministic.
    rows.par_sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.par_iter_mut()
        .for_each(|(k, _)| *k = k.map(|r| if r == 0 { NONE } else { id_of[r as usize] }));
}

/// Merge worker tables into one [`KeyCounts`], keeping keys with count ≥ `min_count` and
/// passing `keep`. Spilled runs (if any table spilled) are merged from disk.
pub fn merge_tables(
    mut tables: Vec<KeyTable>,
    min_count: u64,
    keep: impl Fn(&[&str]) -> bool,
) -> io::Result<KeyCounts> {
    let spilled = tables.iter().any(|t| !t.runs.is_empty());
    let mut out = KeyCounts::default();
    if !spilled {
        // The largest table is the base: its vocabulary becomes the result's, so its keys
        // keep their ids; the others' ids are mapped into it by one Vec each.
        let Some(base) = (0..tables.len()).max_by_key(|&i| tables[i].map.len()) else {
            return Ok(out);
        };
        let base = tables.swap_remove(base);
        let unordered = base.unordered;
        out.vocab = base.vocab;
        let mut map = base.map;
        for t in tables {
            let remap: Vec<u32> = (0..t.vocab.len() as u32)
                .map(|id| out.vocab.id(t.vocab.term(id)))
                .collect();
            map.absorb(t.map, &remap, unordered);
        }
        let rank = term_ranks(&out.vocab);
        let mut rows = map.rows(&out.vocab, &rank, unordered, min_count, &keep);
        sort_rows_ranked(&rank, &mut rows);
        out.rows = rows;
        return Ok(out);
    }
    let mut paths = Vec::new();
    // The merged rows are sorted into their final order within the tables' budget.
    let budget = tables
        .iter()
        .fold(0usize, |b, t| b.saturating_add(t.budget));
    let dir = tables.iter().find_map(|t| t.spill.clone());
    let mut sorter = match dir {
        Some(d) => crate::extsort::ExtSorter::in_dir(budget, d, gram_order as GramOrder),
        None => crate::extsort::ExtSorter::new(budget, None, gram_order as GramOrder),
    };
    for mut t in tables {
        if t.map.len() > 0 {
            t.spill_now()?;
        }
        paths.append(&mut t.runs);
    }
    out.runs = paths.len();
    // The runs, merged in term order; equal n-grams are adjacent and summed.
    let by_terms = |a: &Gram, b: &Gram| a.1.split(' ').cmp(b.1.split(' '));
    let mut cur: Option<Gram> = None;
    let mut flush = |cur: Option<Gram>| -> io::Result<()> {
        if let Some((c, text)) = cur {
            let mut terms = [""; MAX_N];
            let mut n = 0;
            for t in text.split(' ') {
                terms[n] = t;
                n += 1;
            }
            if c >= min_count && keep(&terms[..n]) {
                sorter.push((c, text))?;
            }
        }
        Ok(())
    };
    for row in crate::extsort::merge_runs(paths, by_terms)? {
        let (c, text) = row?;
        match &mut cur {
            Some((n, t)) if *t == text => *n += c,
            _ => {
                flush(cur.take())?;
                cur = Some((c, text));
            }
        }
    }
    flush(cur)?;
    out.sorted = Some(sorter.finish()?);
    Ok(out)
}

/// What [`count_ngrams`] counts.
#[derive(Debug, Clone)]
pub struct NgramOptions {
    /// Smallest n.
    pub min_n: usize,
    /// Largest n (at most [`MAX_N`]).
    pub max_n: usize,
    /// Skip-grams: at most this many tokens skipped in all between an n-gram's tokens
    /// (the k-skip-n-grams of Guthrie et al. 2006); 0 = contiguous n-grams only.
    pub skip: usize,
    /// Let n-grams cross sentence ends.
    pub cross: bool,
    /// Keep only n-grams seen at least this often.
    pub min_count: u64,
    /// Memory budget for all workers' tables together, in bytes.
    pub max_memory: usize,
    /// Parent of the spill directory (system temp dir when `None`).
    pub spill_dir: Option<PathBuf>,
}

impl NgramOptions {
    /// Look-back in word tokens a chunk needs: `max_n − 1 + skip`.
    pub fn context(&self) -> usize {
        self.max_n.saturating_sub(1) + self.skip
    }
}

/// Emit every n-gram (min_n..=max_n tokens, at most `skip` gaps in all) whose last token is
/// at `e`, its tokens no earlier than `seg`.
#[allow(clippy::too_many_arguments)]
fn ngrams_ending(
    ids: &[u32],
    pos: usize,
    seg: usize,
    gaps_left: usize,
    buf: &mut [u32; MAX_N],
    len: usize,
    o: &NgramOptions,
    f: &mut impl FnMut(Key),
) {
    if len >= o.min_n {
        let mut k = [NONE; MAX_N];
        for i in 0..len {
            k[i] = buf[len - 1 - i];
        }
        f(k);
    }
    if len == o.max_n {
        return;
    }
    let mut p = pos;
    while p > seg {
        p -= 1;
        let gap = pos - p - 1;
        if gap > gaps_left {
            break;
        }
        buf[len] = ids[p];
        ngrams_ending(ids, p, seg, gaps_left - gap, buf, len + 1, o, f);
    }
}

/// Totals of an n-gram count.
#[derive(Debug, Default)]
pub struct NgramCounts {
    /// The n-grams.
    pub counts: KeyCounts,
    /// Word tokens counted.
    pub tokens: u64,
}

/// Count n-grams of `segments` on the current rayon pool. `keep` filters n-grams (given
/// their terms) when the result is built.
pub fn count_ngrams(
    segments: impl Iterator<Item = Segment> + Send,
    analyzer: &Analyzer,
    o: &NgramOptions,
    keep: impl Fn(&[&str]) -> bool,
) -> io::Result<NgramCounts> {
    let spill = Arc::new(SpillDir::new(o.spill_dir.as_deref())?);
    let budget = o.max_memory / rayon::current_num_threads().max(1) / 2;
    type Worker = (KeyTable, u64, Option<io::Error>, Scratch, Vec<u32>);
    let fold = engine::Fold::new(
        || {
            (
                KeyTable::new(o.max_n, budget, Some(spill.clone()), false),
                0u64,
                None,
                Scratch::default(),
                Vec::new(),
            )
        },
        |(t, tokens, err, scratch, ids): &mut Worker, span: &Segment| {
            if err.is_some() {
                return;
            }
            let own = fill_seq_pub(analyzer, scratch, &mut t.vocab, span, o.cross, ids);
            let mut buf = [NONE; MAX_N];
            for (e, seg) in counted_positions(ids, own) {
                *tokens += 1;
                if o.skip == 0 {
                    // Contiguous n-grams: the slices ending at e, as far back as the sentence
                    // start allows.
                    let longest = o.max_n.min(e + 1 - seg);
                    for n in o.min_n..=longest {
                        t.add_ids(&ids[e + 1 - n..=e], 1);
                    }
                    continue;
                }
                buf[0] = ids[e];
                ngrams_ending(ids, e, seg, o.skip, &mut buf, 1, o, &mut |k| t.add(k, 1));
            }
            if let Err(e) = t.maybe_spill() {
                *err = Some(e);
            }
        },
    )
    .with_context(o.context());
    let mut tokens = 0;
    let mut tabs = Vec::new();
    for (t, n, e, _, _) in engine::run(segments, &fold) {
        if let Some(e) = e {
            return Err(e);
        }
        tokens += n;
        tabs.push(t);
    }
    let counts = merge_tables(tabs, o.min_count, keep)?;
    Ok(NgramCounts { counts, tokens })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kalima_text::{Normalizer, Scheme};
    use std::collections::BTreeMap;

    fn analyzer() -> Analyzer {
        Analyzer::new(Scheme::Words, Normalizer::light())
    }

    /// Independent reference: whole documents, split on whitespace, words and breaks by
    /// the same rules, every (start, gap pattern) enumerated by brute force.
    fn naive(docs: &[&str], min_n: usize, max_n: usize, skip: usize) -> BTreeMap<String, u64> {
        let a = analyzer();
        let mut out = BTreeMap::new();
        for d in docs {
            let an = a.analyze(d);
            let mut sents: Vec<Vec<String>> = vec![vec![]];
            for (t, _) in an.iter() {
                if is_word(t) {
                    sents.last_mut().unwrap().push(t.to_string());
                } else if is_sentence_final(t) {
                    sents.push(vec![]);
                }
            }
            for s in sents {
                // all increasing index tuples with span ≤ n + skip
                for n in min_n..=max_n {
                    let mut idx: Vec<usize> = (0..n).collect();
                    if n > s.len() {
                        continue;
                    }
                    loop {
                        if idx[n - 1] - idx[0] + 1 - n <= skip {
                            let g: Vec<&str> = idx.iter().map(|&i| s[i].as_str()).collect();
                            *out.entry(g.join(" ")).or_insert(0) += 1;
                        }
                        // next combination
                        let mut i = n;
                        loop {
                            if i == 0 {
                                break;
                            }
                            i -= 1;
                            if idx[i] < s.len() - n + i {
                                idx[i] += 1;
                                for j in i + 1..n {
                                    idx[j] = idx[j - 1] + 1;
                                }
                                break;
                            }
                            if i == 0 {
                                idx.clear();
                            }
                        }
                        if idx.is_empty() {
                            break;
                        }
                    }
                }
            }
        }
        out
    }

    /// Cut each document into chunks at spaces after every `cut` fields.
    fn parts(docs: &[&str], cut: usize) -> Vec<Segment> {
        let mut out = Vec::new();
        for (d, text) in docs.iter().enumerate() {
            let mut pieces = Vec::new();
            let mut cur = String::new();
            let mut fields = 0;
            for (i, f) in text.split(' ').enumerate() {
                if i > 0 {
                    cur.push(' ');
                }
                if fields == cut && cut > 0 {
                    pieces.push(std::mem::take(&mut cur));
                    fields = 0;
                }
                cur.push_str(f);
                fields += 1;
            }
            pieces.push(cur);
            let k = pieces.len();
            for (i, p) in pieces.into_iter().enumerate() {
                out.push(Segment::new(d as u64, i == 0, i + 1 == k, p));
            }
        }
        out
    }

    fn counted(
        docs: &[&str],
        cut: usize,
        o: &NgramOptions,
        threads: usize,
    ) -> (BTreeMap<String, u64>, usize) {
        let a = analyzer();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let spans = parts(docs, cut).into_iter();
        let c = pool
            .install(|| count_ngrams(spans, &a, o, |_| true))
            .unwrap();
        let mut m = BTreeMap::new();
        let mut last: Option<(u64, String)> = None;
        let runs = c.counts.runs;
        let mut rows = c.counts.into_rows();
        while let Some((s, _, n)) = rows.next_row().unwrap() {
            let (s, n) = (s.to_string(), &n);
            // ordering: count desc then terms
            if let Some((pn, ps)) = &last {
                assert!(
                    *pn > *n || (*pn == *n && ps.as_str() < s.as_str()),
                    "order {ps} {s}"
                );
            }
            last = Some((*n, s.clone()));
            m.insert(s, *n);
        }
        (m, runs)
    }

    fn opts(min_n: usize, max_n: usize, skip: usize, max_memory: usize) -> NgramOptions {
        NgramOptions {
            min_n,
            max_n,
            skip,
            cross: false,
            min_count: 1,
            max_memory,
            spill_dir: None,
        }
    }

    const DOCS: &[&str] = &[
        "كتب الولد الدرس، ثم كتب الولد الرسالة. قرأ الأب الرسالة؟ نعم قرأ الأب الرسالة",
        "the cat sat on the mat . the cat sat",
        "a b a b a b a b a b ! a b c",
    ];

    #[test]
    fn ngrams_match_brute_force_across_chunks_and_threads() {
        for (min_n, max_n, skip) in [(1, 1, 0), (2, 2, 0), (1, 5, 0), (2, 3, 2), (3, 3, 1)] {
            let want = naive(DOCS, min_n, max_n, skip);
            for cut in [0, 1, 2, 3, 7] {
                for threads in [1, 3] {
                    let (got, _) = counted(DOCS, cut, &opts(min_n, max_n, skip, 1 << 30), threads);
                    assert_eq!(
                        got, want,
                        "n={min_n}..{max_n} skip={skip} cut={cut} threads={threads}"
                    );
                }
            }
        }
    }

    #[test]
    fn spilling_gives_the_same_counts() {
        let want = naive(DOCS, 1, 4, 1);
        let (got, runs) = counted(DOCS, 2, &opts(1, 4, 1, 1), 2);
        assert!(runs > 1, "a 1-byte budget must spill");
        assert_eq!(got, want);
    }

    #[test]
    fn sentence_ends_and_cross() {
        let doc = ["a b. c d"];
        let (got, _) = counted(&doc, 0, &opts(2, 2, 0, 1 << 30), 1);
        assert!(!got.contains_key("b c"));
        let mut o = opts(2, 2, 0, 1 << 30);
        o.cross = true;
        let (got, _) = counted(&doc, 1, &o, 1);
        assert_eq!(got.get("b c"), Some(&1));
        assert!(is_sentence_final("؟") && is_sentence_final("؛") && is_sentence_final("…"));
        assert!(!is_sentence_final("،") && !is_sentence_final("a."));
    }

    /// Every n, the three key widths: packing keeps the ids and the padding.
    #[test]
    fn packed_keys_round_trip_for_every_n() {
        fn check<P: Packed>() {
            let ids = [0, 7, u32::MAX - 2, 1 << 31, 42, 1];
            for n in 1..=P::WIDTH {
                let mut k = [NONE; MAX_N];
                k[..n].copy_from_slice(&ids[..n]);
                assert_eq!(P::pack(&k).unpack(), k, "width {} n {n}", P::WIDTH);
            }
        }
        check::<u64>();
        check::<u128>();
        check::<Key>();
        // Each n gets a map wide enough for it.
        for n in 1..=MAX_N {
            let mut m = Map::new(n);
            let k: Key = std::array::from_fn(|i| if i < n { i as u32 * 3 } else { NONE });
            m.add(&k, 2);
            m.add(&k, 1);
            assert_eq!(m.drain(), vec![(k, 3)], "n {n}");
        }
    }

    /// Vocabulary lookups: ids in order of first sight, classes of non-words cached without
    /// ids, a non-word interned on demand, long terms (not inline) compared by bytes.
    #[test]
    fn vocab_ids_and_token_classes() {
        let mut v = Vocab::default();
        let long_a = "ك".repeat(20);
        let long_b = format!("{}ب", "ك".repeat(19));
        assert_eq!(v.token("كتب"), 0);
        assert_eq!(v.token("."), BREAK);
        assert_eq!(v.token("؟"), BREAK);
        assert_eq!(v.token("،"), NONE);
        assert_eq!(v.token(&long_a), 1);
        assert_eq!(v.token(&long_b), 2);
        assert_eq!(v.token(&".".repeat(30)), BREAK);
        assert_eq!(v.token(&"-".repeat(30)), NONE);
        assert_eq!(v.token("كتب"), 0);
        assert_eq!(v.token("."), BREAK);
        assert_eq!(v.token(&long_b), 2);
        assert_eq!(v.len(), 3);
        assert_eq!(v.get("."), None);
        assert_eq!(v.get(&long_a), Some(1));
        assert_eq!(v.get(&format!("{long_a}x")), None);
        assert_eq!(v.id("."), 3);
        assert_eq!((v.get("."), v.token("."), v.term(3)), (Some(3), BREAK, "."));
        assert_eq!(v.id(&"-".repeat(30)), 4);
        assert_eq!(v.get(&"-".repeat(30)), Some(4));
        assert_eq!(
            (v.term(0), v.term(1), v.term(2)),
            ("كتب", &*long_a, &*long_b)
        );
    }

    /// The rank order of keys is [`cmp_keys`]'s order, and [`sort_rows`] sorts by count
    /// descending then that order, giving back the same ids.
    #[test]
    fn ranks_order_keys_as_their_terms() {
        let mut v = Vocab::default();
        let terms = ["b", "ab", "a", "ب", "z", "aa", "كتب", "كتاب"];
        for t in terms {
            v.id(t);
        }
        let rank = term_ranks(&v);
        let mut keys = Vec::new();
        for a in 0..terms.len() as u32 {
            keys.push([a, NONE, NONE, NONE, NONE, NONE]);
            for b in 0..terms.len() as u32 {
                keys.push([a, b, NONE, NONE, NONE, NONE]);
                keys.push([a, b, (a + b) % 8, NONE, NONE, NONE]);
            }
        }
        for x in &keys {
            for y in &keys {
                assert_eq!(
                    ranked(&rank, x).cmp(&ranked(&rank, y)),
                    cmp_keys(&v, x, &v, y)
                );
            }
        }
        let mut rows: Vec<(Key, u64)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, (i % 3) as u64))
            .collect();
        let mut want = rows.clone();
        want.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| cmp_keys(&v, &a.0, &v, &b.0)));
        sort_rows(&v, &mut rows);
        assert_eq!(rows, want);
    }
}
