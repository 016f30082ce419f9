//! Co-occurrence: word windows (ordered node → collocate pairs), same-sentence and
//! same-document co-occurrence, and the collocates of one node.
//!
//! # Window counts (Evert 2008, §5.2 "surface co-occurrence")
//! An ordered pair (node position `i`, collocate position `j`) is counted when `j` lies
//! within `left` words before `i` or `right` words after it (see [`crate::ngram`] for what a
//! word is and how sentence ends stop windows). For the pair table of terms `a`, `b`:
//! `O11` = pairs with node `a` and collocate `b`; `R1` = pairs whose node is `a` (the
//! window slots around `a`'s occurrences, truncated at sentence or document edges); `C1` =
//! pairs whose collocate is `b`; `N` = all pairs. So `E11 = R1·C1/N`, which for a symmetric
//! window of `w` words without edges is `2w·f(a)·f(b)/T` with `T` tokens: the span
//! correction of Church & Hanks (1990) and AntConc, built in.
//!
//! # Unit counts
//! `O11` = units (sentences or documents) holding both terms, `R1`, `C1` = units holding each,
//! `N` = units: the "textual co-occurrence" of Evert (2008, §5.2).
use std::io;
use std::sync::Arc;

use kalima_text::{Analyzer, Scratch};

use crate::engine::{self, Segment};

use crate::ngram::{
    BREAK, KeyCounts, KeyTable, NONE, SpillDir, Vocab, counted_positions, fill_seq_pub,
    merge_tables,
};

/// Per-term margins of a co-occurrence count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Margins {
    /// Occurrences (word tokens), or units holding the term in unit mode.
    pub freq: u64,
    /// Pairs with the term as node (`R1`); units holding it in unit mode.
    pub as_node: u64,
    /// Pairs with the term as collocate (`C1`); units holding it in unit mode.
    pub as_collocate: u64,
}

/// A co-occurrence count: pairs and margins over one vocabulary.
#[derive(Debug, Default)]
pub struct CoocCounts {
    /// Pairs `[a, b]` with their `O11`, count descending then terms.
    pub pairs: KeyCounts,
    /// Margins by term id of `pairs.vocab`.
    pub margins: Vec<Margins>,
    /// `N`: all ordered pairs (windows) or units.
    pub n: u64,
    /// Word tokens.
    pub tokens: u64,
}

impl CoocCounts {
    /// Margins of term id `id`.
    pub fn margin(&self, id: u32) -> Margins {
        self.margins.get(id as usize).copied().unwrap_or_default()
    }
}

/// Options of [`count_cooc`].
#[derive(Debug, Clone)]
pub struct CoocOptions {
    /// Window size to the left of the node (words).
    pub left: usize,
    /// Window size to the right.
    pub right: usize,
    /// Windows cross sentence ends.
    pub cross: bool,
    /// Keep pairs seen at least this often.
    pub min_count: u64,
    /// Memory budget in bytes for all workers' pair tables.
    pub max_memory: usize,
    /// Parent of the spill directory.
    pub spill_dir: Option<std::path::PathBuf>,
}

impl CoocOptions {
    /// A symmetric window: pairs are unordered (`term_a ≤ term_b`).
    pub fn symmetric(&self) -> bool {
        self.left == self.right
    }
}

fn add_margins(m: &mut Vec<Margins>, id: u32) -> &mut Margins {
    let i = id as usize;
    if m.len() <= i {
        m.resize(i + 1, Margins::default());
    }
    &mut m[i]
}

/// Adds the margins `from` to `into`, by the ids of `vocab`. Every term is interned: when
/// the pairs spilled, `vocab` starts empty (their rows are streamed by term strings).
fn merge_margins(into: &mut Vec<Margins>, vocab: &mut Vocab, from: &[(Box<str>, Margins)]) {
    for (t, mg) in from {
        let m = add_margins(into, vocab.id(t));
        m.freq += mg.freq;
        m.as_node += mg.as_node;
        m.as_collocate += mg.as_collocate;
    }
}

type Worker = (
    KeyTable,
    Vec<Margins>,
    Vec<(Box<str>, Margins)>,
    u64,
    u64,
    Option<io::Error>,
    Scratch,
    Vec<u32>,
);

/// Window co-occurrence of `spans` on the current rayon pool.
pub fn count_cooc(
    segments: impl Iterator<Item = Segment> + Send,
    analyzer: &Analyzer,
    o: &CoocOptions,
    keep: impl Fn(&[&str]) -> bool,
) -> io::Result<CoocCounts> {
    let spill = Arc::new(SpillDir::new(o.spill_dir.as_deref())?);
    let budget = o.max_memory / rayon::current_num_threads().max(1) / 2;
    let sym = o.symmetric();
    let reach = o.left.max(o.right);
    let fold = engine::Fold::new(
        || {
            (
                KeyTable::new(2, budget, Some(spill.clone()), sym),
                Vec::new(),
                Vec::new(),
                0u64,
                0u64,
                None,
                Scratch::default(),
                Vec::new(),
            )
        },
        |w: &mut Worker, span: &Segment| {
            if w.5.is_some() {
                return;
            }
            let (t, m, _, n, tokens, _, scratch, ids) = w;
            let own = fill_seq_pub(analyzer, scratch, &mut t.vocab, span, o.cross, ids);
            // Every id in `ids` gets a slot here, so the loop indexes without growing.
            if m.len() < t.vocab.len() {
                m.resize(t.vocab.len(), Margins::default());
            }
            for (j, seg) in counted_positions(ids, own) {
                let b = ids[j];
                *tokens += 1;
                let lo = j.saturating_sub(reach).max(seg);
                // Pairs with a on the left of b: b in a's right window (r), a in b's left (l).
                let (mut r_pairs, mut l_pairs) = (0, 0);
                for (d, &a) in (1..).zip(ids[lo..j].iter().rev()) {
                    let r = d <= o.right;
                    let l = d <= o.left;
                    if sym {
                        // Both directions hold; one unordered key, counted per direction
                        // landing on it (a == b lands twice).
                        t.add_pair(a, b, if a == b { 2 } else { 1 });
                    } else {
                        if r {
                            t.add_pair(a, b, 1);
                        }
                        if l {
                            t.add_pair(b, a, 1);
                        }
                    }
                    let ma = &mut m[a as usize];
                    ma.as_node += u64::from(r);
                    ma.as_collocate += u64::from(l);
                    r_pairs += u64::from(r);
                    l_pairs += u64::from(l);
                }
                let mb = &mut m[b as usize];
                mb.freq += 1;
                mb.as_collocate += r_pairs;
                mb.as_node += l_pairs;
                *n += r_pairs + l_pairs;
            }
            match t.maybe_spill() {
                Err(e) => w.5 = Some(e),
                // A spill resets the vocabulary: keep the margins by term string.
                Ok(Some(before)) => {
                    for (id, mg) in std::mem::take(&mut w.1).into_iter().enumerate() {
                        w.2.push((before.term(id as u32).into(), mg));
                    }
                }
                Ok(None) => {}
            }
        },
    )
    .with_context(reach);
    let workers = engine::run(segments, &fold);
    let (mut tabs, mut n, mut tokens) = (Vec::new(), 0, 0);
    type Named = Vec<(Box<str>, Margins)>;
    let mut margins_by_term: Vec<(Vec<Margins>, Vocab, Named)> = Vec::new();
    for (t, m, side, wn, wt, e, _, _) in workers {
        if let Some(e) = e {
            return Err(e);
        }
        n += wn;
        tokens += wt;
        margins_by_term.push((m, t.vocab.clone(), side));
        tabs.push(t);
    }
    let mut pairs = merge_tables(tabs, o.min_count, keep)?;
    let mut margins = Vec::new();
    for (m, v, side) in margins_by_term {
        let named: Vec<(Box<str>, Margins)> = m
            .into_iter()
            .enumerate()
            .map(|(i, mg)| (Box::<str>::from(v.term(i as u32)), mg))
            .collect();
        merge_margins(&mut margins, &mut pairs.vocab, &named);
        merge_margins(&mut margins, &mut pairs.vocab, &side);
    }
    Ok(CoocCounts {
        pairs,
        margins,
        n,
        tokens,
    })
}

/// Same-unit co-occurrence: each document of `segments` (joined by the engine); with `sentences` each sentence
/// is a unit, else each document. Pairs are unordered (`term_a ≤ term_b`, distinct terms).
pub fn count_units(
    segments: impl Iterator<Item = Segment> + Send,
    analyzer: &Analyzer,
    sentences: bool,
    min_count: u64,
    keep: impl Fn(&[&str]) -> bool,
) -> io::Result<CoocCounts> {
    type W = (KeyTable, Vec<Margins>, u64, u64, Scratch, Vec<u32>);
    let fold = engine::Fold::new(
        || {
            (
                KeyTable::new(2, usize::MAX, None, true),
                Vec::new(),
                0u64,
                0u64,
                Scratch::default(),
                Vec::new(),
            )
        },
        |(t, m, n, tokens, scratch, unit): &mut W, doc: &Segment| {
            let flush = |unit: &mut Vec<u32>, t: &mut KeyTable, m: &mut Vec<Margins>| {
                if unit.is_empty() {
                    return 0;
                }
                unit.sort_unstable();
                unit.dedup();
                for (x, &a) in unit.iter().enumerate() {
                    let mg = add_margins(m, a);
                    mg.as_node += 1;
                    mg.as_collocate += 1;
                    for &b in &unit[x + 1..] {
                        t.add_pair(a, b, 1);
                    }
                }
                unit.clear();
                1
            };
            unit.clear();
            analyzer.for_each_term(&doc.text, scratch, |w| match t.vocab.token(w) {
                NONE => {}
                BREAK => {
                    if sentences {
                        *n += flush(unit, t, m);
                    }
                }
                id => {
                    add_margins(m, id).freq += 1;
                    *tokens += 1;
                    unit.push(id);
                }
            });
            *n += flush(unit, t, m);
        },
    )
    .whole_documents();
    let workers = engine::run(segments, &fold);
    let (mut tabs, mut n, mut tokens, mut named) = (Vec::new(), 0, 0, Vec::new());
    for (t, m, wn, wt, _, _) in workers {
        n += wn;
        tokens += wt;
        for (i, mg) in m.into_iter().enumerate() {
            named.push((Box::<str>::from(t.vocab.term(i as u32)), mg));
        }
        tabs.push(t);
    }
    let mut pairs = merge_tables(tabs, min_count, keep)?;
    let mut margins = Vec::new();
    merge_margins(&mut margins, &mut pairs.vocab, &named);
    Ok(CoocCounts {
        pairs,
        margins,
        n,
        tokens,
    })
}

/// One collocate of a node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Collocate {
    /// The collocate term.
    pub term: String,
    /// Occurrences within `left` words before a node occurrence.
    pub left: u64,
    /// Occurrences within `right` words after a node occurrence.
    pub right: u64,
    /// The term's frequency in the corpus (word tokens).
    pub freq: u64,
    /// Window pairs with the term as collocate, anywhere in the corpus (`C1`).
    pub as_collocate: u64,
}

impl Collocate {
    /// `O11 = left + right`.
    pub fn count(&self) -> u64 {
        self.left + self.right
    }
}

/// Collocates of the node terms (those where `is_node` is true).
#[derive(Debug, Default, Clone)]
pub struct Collocates {
    /// Collocates, in term order (code point).
    pub rows: Vec<Collocate>,
    /// Occurrences of node terms.
    pub node_freq: u64,
    /// Window pairs with a node term as node (`R1`).
    pub node_pairs: u64,
    /// All window pairs (`N`).
    pub n: u64,
    /// Word tokens.
    pub tokens: u64,
}

/// Collocates of the terms matching `is_node` within `left`/`right` word windows.
pub fn count_collocates(
    segments: impl Iterator<Item = Segment> + Send,
    analyzer: &Analyzer,
    is_node: &(dyn Fn(&str) -> bool + Sync),
    left: usize,
    right: usize,
    cross: bool,
) -> Collocates {
    count_collocates_many(segments, analyzer, &[is_node], left, right, cross)
        .pop()
        .unwrap_or_default()
}

/// Collocates of several nodes in one pass over the corpus: element `k` of the result is what
/// [`count_collocates`] gives for `nodes[k]` (the same numbers; tested), for at most 64 nodes.
///
/// # Panics
/// With more than 64 nodes.
pub fn count_collocates_many(
    segments: impl Iterator<Item = Segment> + Send,
    analyzer: &Analyzer,
    nodes: &[&(dyn Fn(&str) -> bool + Sync)],
    left: usize,
    right: usize,
    cross: bool,
) -> Vec<Collocates> {
    assert!(nodes.len() <= 64, "at most 64 nodes per pass");
    let k = nodes.len();
    let reach = left.max(right);
    let fold = engine::Fold::new(
        || CollWorker::new(k),
        |w: &mut CollWorker, span: &Segment| {
            w.add(analyzer, nodes, span, cross, left, right, reach);
        },
    )
    .with_context(reach);
    let workers = engine::run(segments, &fold);
    // Merge the workers by term: the result does not depend on how spans were shared out.
    // Only terms that are some node's collocate make rows, so only they get a global id (a
    // few thousand of a vocabulary of 10⁵ for one node).
    let mut index = Vocab::default();
    for w in &workers {
        for id in 0..w.vocab.len() {
            if w.lr.iter().any(|v| v[id] != [0, 0]) {
                index.id(w.vocab.term(id as u32));
            }
        }
    }
    let g_len = index.len();
    let mut freq = vec![0u64; g_len];
    let mut as_coll = vec![0u64; g_len];
    let mut lr: Vec<Vec<[u64; 2]>> = vec![vec![[0, 0]; g_len]; k];
    let mut node_tot = vec![[0u64; 2]; k];
    let (mut n, mut tokens) = (0u64, 0u64);
    for w in workers {
        n += w.n;
        tokens += w.tokens;
        for (t, x) in node_tot.iter_mut().zip(&w.node_tot) {
            t[0] += x[0];
            t[1] += x[1];
        }
        for id in 0..w.vocab.len() {
            let Some(g) = index.get(w.vocab.term(id as u32)) else {
                continue;
            };
            let g = g as usize;
            freq[g] += w.freq[id];
            as_coll[g] += w.as_coll[id];
            for (dst, src) in lr.iter_mut().zip(&w.lr) {
                dst[g][0] += src[id][0];
                dst[g][1] += src[id][1];
            }
        }
    }
    lr.iter()
        .zip(&node_tot)
        .map(|(lr, t)| {
            let mut rows: Vec<Collocate> = lr
                .iter()
                .enumerate()
                .filter(|(_, c)| c[0] + c[1] > 0)
                .map(|(g, c)| Collocate {
                    term: index.term(g as u32).to_string(),
                    left: c[0],
                    right: c[1],
                    freq: freq[g],
                    as_collocate: as_coll[g],
                })
                .collect();
            rows.sort_unstable_by(|a, b| a.term.cmp(&b.term));
            Collocates {
                rows,
                node_freq: t[0],
                node_pairs: t[1],
                n,
                tokens,
            }
        })
        .collect()
}

/// One thread's collocate counts: per term id, its frequency and window pairs as collocate;
/// per node, its left/right counts per term and its totals.
struct CollWorker {
    vocab: Vocab,
    /// Bit k set: the term matches node k.
    mask: Vec<u64>,
    freq: Vec<u64>,
    as_coll: Vec<u64>,
    lr: Vec<Vec<[u64; 2]>>,
    /// Per node: occurrences, window pairs with it as node.
    node_tot: Vec<[u64; 2]>,
    n: u64,
    tokens: u64,
    scratch: Scratch,
    ids: Vec<u32>,
}

impl CollWorker {
    fn new(k: usize) -> Self {
        CollWorker {
            vocab: Vocab::default(),
            mask: Vec::new(),
            freq: Vec::new(),
            as_coll: Vec::new(),
            lr: vec![Vec::new(); k],
            node_tot: vec![[0; 2]; k],
            n: 0,
            tokens: 0,
            scratch: Scratch::default(),
            ids: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        analyzer: &Analyzer,
        nodes: &[&(dyn Fn(&str) -> bool + Sync)],
        span: &Segment,
        cross: bool,
        left: usize,
        right: usize,
        reach: usize,
    ) {
        let own = fill_seq_pub(
            analyzer,
            &mut self.scratch,
            &mut self.vocab,
            span,
            cross,
            &mut self.ids,
        );
        while self.mask.len() < self.vocab.len() {
            let term = self.vocab.term(self.mask.len() as u32);
            let m = nodes
                .iter()
                .enumerate()
                .filter(|(_, f)| f(term))
                .fold(0u64, |m, (k, _)| m | 1 << k);
            self.mask.push(m);
        }
        let v = self.vocab.len();
        self.freq.resize(v, 0);
        self.as_coll.resize(v, 0);
        self.lr.iter_mut().for_each(|x| x.resize(v, [0, 0]));
        let ids = &self.ids;
        for (j, seg) in counted_positions(ids, own) {
            let b = ids[j] as usize;
            self.tokens += 1;
            self.freq[b] += 1;
            for_bits(self.mask[b], |k| self.node_tot[k][0] += 1);
            let lo = j.saturating_sub(reach).max(seg);
            for (i, &a) in ids.iter().enumerate().take(j).skip(lo) {
                let (a, d) = (a as usize, j - i);
                if d <= right {
                    // b in a's right window
                    self.as_coll[b] += 1;
                    self.n += 1;
                    for_bits(self.mask[a], |k| {
                        self.node_tot[k][1] += 1;
                        self.lr[k][b][1] += 1;
                    });
                }
                if d <= left {
                    // a in b's left window
                    self.as_coll[a] += 1;
                    self.n += 1;
                    for_bits(self.mask[b], |k| {
                        self.node_tot[k][1] += 1;
                        self.lr[k][a][0] += 1;
                    });
                }
            }
        }
    }
}

/// Calls `f` with the index of each set bit of `m`.
#[inline]
fn for_bits(mut m: u64, mut f: impl FnMut(usize)) {
    while m != 0 {
        f(m.trailing_zeros() as usize);
        m &= m - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Segment;
    use crate::ngram::{is_sentence_final, is_word};
    use kalima_text::{Normalizer, Scheme};
    use std::collections::BTreeMap;

    fn analyzer() -> Analyzer {
        Analyzer::new(Scheme::Words, Normalizer::light())
    }

    const DOCS: &[&str] = &[
        "كتب الولد الدرس، ثم كتب الولد الرسالة. قرأ الأب الرسالة؟ نعم قرأ الأب الرسالة",
        "x y x z x y . y x",
        "a b a b c a",
    ];

    fn sentences(doc: &str) -> Vec<Vec<String>> {
        let mut s: Vec<Vec<String>> = vec![vec![]];
        for (t, _) in analyzer().analyze(doc).iter() {
            if is_word(t) {
                s.last_mut().unwrap().push(t.to_string());
            } else if is_sentence_final(t) {
                s.push(vec![]);
            }
        }
        s
    }

    /// Brute force: every (node, collocate) position pair in one sentence.
    fn naive_pairs(left: usize, right: usize) -> (BTreeMap<(String, String), u64>, u64) {
        let mut m = BTreeMap::new();
        let mut n = 0;
        for d in DOCS {
            for s in sentences(d) {
                for i in 0..s.len() {
                    for j in 0..s.len() {
                        let inside = (j > i && j - i <= right) || (j < i && i - j <= left);
                        if inside {
                            *m.entry((s[i].clone(), s[j].clone())).or_insert(0) += 1;
                            n += 1;
                        }
                    }
                }
            }
        }
        (m, n)
    }

    fn parts(cut_every: usize) -> Vec<Segment> {
        let mut out = Vec::new();
        for (d, text) in DOCS.iter().enumerate() {
            let f: Vec<&str> = text.split(' ').collect();
            let chunks: Vec<String> = f
                .chunks(cut_every)
                .enumerate()
                .map(|(i, c)| {
                    if i == 0 {
                        c.join(" ")
                    } else {
                        format!(" {}", c.join(" "))
                    }
                })
                .collect();
            let k = chunks.len();
            for (i, t) in chunks.into_iter().enumerate() {
                out.push(Segment::new(d as u64, i == 0, i + 1 == k, t));
            }
        }
        out
    }

    #[test]
    fn window_pairs_match_brute_force() {
        for (l, r) in [(2, 2), (1, 3), (0, 2), (5, 5)] {
            let (want, want_n) = naive_pairs(l, r);
            for (cut, mem) in [(100, 1 << 30), (1, 1 << 30), (2, 1)] {
                let o = CoocOptions {
                    left: l,
                    right: r,
                    cross: false,
                    min_count: 1,
                    max_memory: mem,
                    spill_dir: None,
                };
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(2)
                    .build()
                    .unwrap();
                let spans = parts(cut).into_iter();
                let mut c = pool
                    .install(|| count_cooc(spans, &analyzer(), &o, |_| true))
                    .unwrap();
                assert_eq!(c.n, want_n);
                let vocab = c.pairs.vocab.clone();
                let mut got = BTreeMap::new();
                let mut rows = std::mem::take(&mut c.pairs).into_rows();
                while let Some((ab, _, cnt)) = rows.next_row().unwrap() {
                    let (a, b) = ab.split_once(' ').unwrap();
                    got.insert((a.to_string(), b.to_string()), cnt);
                }
                let v = &vocab;
                if l == r {
                    // Unordered rows a ≤ b carry the count of the ordered pair (a, b).
                    let sym: BTreeMap<_, _> = want
                        .iter()
                        .filter(|((a, b), _)| a <= b)
                        .map(|(k, v)| (k.clone(), *v))
                        .collect();
                    assert_eq!(got, sym, "l={l} r={r} cut={cut}");
                } else {
                    assert_eq!(got, want, "l={l} r={r} cut={cut}");
                }
                // Margins: R1 = pairs with node a, C1 = pairs with collocate b.
                for (a, id) in [("x", v.get("x")), ("الولد", v.get("الولد"))] {
                    let Some(id) = id else { continue };
                    let r1: u64 = want
                        .iter()
                        .filter(|((x, _), _)| x == a)
                        .map(|(_, c)| c)
                        .sum();
                    let c1: u64 = want
                        .iter()
                        .filter(|((_, y), _)| y == a)
                        .map(|(_, c)| c)
                        .sum();
                    assert_eq!((c.margin(id).as_node, c.margin(id).as_collocate), (r1, c1));
                }
            }
        }
    }

    #[test]
    fn units_count_sentences_and_documents() {
        let docs = || parts(1).into_iter();
        let c = count_units(docs(), &analyzer(), true, 1, |_| true).unwrap();
        // sentences: 3 + 2 + 1
        assert_eq!(c.n, 6);
        let v = &c.pairs.vocab;
        let get = |a: &str, b: &str| {
            c.pairs
                .rows
                .iter()
                .find(|(k, _)| v.term(k[0]) == a && v.term(k[1]) == b)
                .map(|x| x.1)
        };
        assert_eq!(get("الأب", "الرسالة"), Some(2));
        assert_eq!(get("x", "y"), Some(2));
        assert_eq!(c.margin(v.get("x").unwrap()).as_node, 2);
        let d = count_units(docs(), &analyzer(), false, 1, |_| true).unwrap();
        assert_eq!(d.n, 3);
        let dv = &d.pairs.vocab;
        assert_eq!(d.margin(dv.get("الرسالة").unwrap()).as_node, 1);
    }

    #[test]
    fn collocates_agree_with_pairs() {
        let (want, want_n) = naive_pairs(2, 3);
        let spans = parts(1).into_iter();
        let c = count_collocates(spans, &analyzer(), &|t: &str| t == "x", 2, 3, false);
        assert_eq!(c.n, want_n);
        assert_eq!(c.node_freq, 4); // x x x in sentence 1, x in sentence 2
        for row in &c.rows {
            let w = want
                .get(&("x".to_string(), row.term.clone()))
                .copied()
                .unwrap_or(0);
            assert_eq!(row.count(), w, "{}", row.term);
        }
        let y = c.rows.iter().find(|r| r.term == "y").unwrap();
        // "x y x z x y . y x": y after x within 3: positions (0→1),(2→5)... by hand:
        // nodes x at 0,2,4 (sentence 1) and 1 (sentence 2: "y x").
        // right of x@0: y@1; right of x@2: y@5? no, sentence 1 is x y x z x y (0..5): y@5 (d=3) yes.
        // right of x@4: y@5. left of x@2 within 2: y@1. left of x@4: z, x → none. x@1 (s2): left y@0.
        assert_eq!((y.left, y.right), (2, 3));
    }

    /// One pass for several nodes (overlapping ones too) gives each node's own result, for
    /// any cut of the corpus into parts and any thread count.
    #[test]
    fn many_nodes_in_one_pass_equal_one_pass_each() {
        let x = |t: &str| t == "x";
        let y = |t: &str| t == "y";
        let xy = |t: &str| t == "x" || t == "y";
        let none = |t: &str| t == "absent";
        let nodes: [&(dyn Fn(&str) -> bool + Sync); 4] = [&x, &y, &xy, &none];
        for cut in [1, 2, 3] {
            for threads in [1, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let many = pool.install(|| {
                    let spans = parts(cut).into_iter();
                    count_collocates_many(spans, &analyzer(), &nodes, 2, 3, false)
                });
                assert_eq!(many.len(), 4);
                for (got, node) in many.iter().zip(nodes) {
                    let spans = parts(cut).into_iter();
                    let one = count_collocates(spans, &analyzer(), node, 2, 3, false);
                    assert_eq!(got.rows, one.rows);
                    assert_eq!(
                        (got.node_freq, got.node_pairs, got.n, got.tokens),
                        (one.node_freq, one.node_pairs, one.n, one.tokens)
                    );
                }
                assert!(many[3].rows.is_empty() && many[3].node_freq == 0);
                assert_eq!(many[2].node_freq, many[0].node_freq + many[1].node_freq);
            }
        }
    }
}
