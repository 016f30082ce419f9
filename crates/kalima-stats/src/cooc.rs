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

use foldhash::fast::FixedState;
use hashbrown::HashMap;
use kalima_text::{Analyzer, Scratch};

use crate::ngram::{
    BREAK_MARK, KeyCounts, KeyTable, Span, SpillDir, Vocab, fill_seq_pub, is_sentence_final,
    is_word, merge_tables,
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

fn merge_margins(into: &mut Vec<Margins>, vocab: &Vocab, from: &[(Box<str>, Margins)]) {
    for (t, mg) in from {
        if let Some(id) = vocab.get(t) {
            let m = add_margins(into, id);
            m.freq += mg.freq;
            m.as_node += mg.as_node;
            m.as_collocate += mg.as_collocate;
        }
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
    spans: impl Iterator<Item = Span> + Send,
    analyzer: &Analyzer,
    o: &CoocOptions,
    keep: impl Fn(&[&str]) -> bool,
) -> io::Result<CoocCounts> {
    use rayon::prelude::*;
    let spill = Arc::new(SpillDir::new(o.spill_dir.as_deref())?);
    let budget = o.max_memory / rayon::current_num_threads().max(1) / 2;
    let sym = o.symmetric();
    let reach = o.left.max(o.right);
    let workers: Vec<Worker> = spans
        .par_bridge()
        .fold(
            || {
                (
                    KeyTable::new(budget, Some(spill.clone()), sym),
                    Vec::new(),
                    Vec::new(),
                    0u64,
                    0u64,
                    None,
                    Scratch::default(),
                    Vec::new(),
                )
            },
            |mut w: Worker, span| {
                if w.5.is_some() {
                    return w;
                }
                let (t, m, _, n, tokens, _, scratch, ids) = &mut w;
                let own = fill_seq_pub(analyzer, scratch, &mut t.vocab, &span, o.cross, ids);
                let mut seg = 0;
                for j in 0..ids.len() {
                    let b = ids[j];
                    if b == BREAK_MARK {
                        seg = j + 1;
                        continue;
                    }
                    if j < own {
                        continue;
                    }
                    *tokens += 1;
                    add_margins(m, b).freq += 1;
                    let lo = j.saturating_sub(reach).max(seg);
                    for i in (lo..j).rev() {
                        let a = ids[i];
                        let d = j - i;
                        let r = d <= o.right; // b in a's right window
                        let l = d <= o.left; // a in b's left window
                        if sym {
                            // Both directions hold; one unordered key, counted per direction
                            // landing on it (a == b lands twice).
                            let k = t.pair_key(a, b);
                            t.add(k, if a == b { 2 } else { 1 });
                        } else {
                            if r {
                                t.add([a, b, u32::MAX, u32::MAX, u32::MAX, u32::MAX], 1);
                            }
                            if l {
                                t.add([b, a, u32::MAX, u32::MAX, u32::MAX, u32::MAX], 1);
                            }
                        }
                        if r {
                            add_margins(m, a).as_node += 1;
                            add_margins(m, b).as_collocate += 1;
                            *n += 1;
                        }
                        if l {
                            add_margins(m, b).as_node += 1;
                            add_margins(m, a).as_collocate += 1;
                            *n += 1;
                        }
                    }
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
                w
            },
        )
        .collect();
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
    let pairs = merge_tables(tabs, o.min_count, keep)?;
    let mut margins = Vec::new();
    for (m, v, side) in margins_by_term {
        let named: Vec<(Box<str>, Margins)> = m
            .into_iter()
            .enumerate()
            .map(|(i, mg)| (Box::<str>::from(v.term(i as u32)), mg))
            .collect();
        merge_margins(&mut margins, &pairs.vocab, &named);
        merge_margins(&mut margins, &pairs.vocab, &side);
    }
    Ok(CoocCounts {
        pairs,
        margins,
        n,
        tokens,
    })
}

/// Same-unit co-occurrence: each of `docs` is one document; with `sentences` each sentence
/// is a unit, else each document. Pairs are unordered (`term_a ≤ term_b`, distinct terms).
pub fn count_units(
    docs: impl Iterator<Item = String> + Send,
    analyzer: &Analyzer,
    sentences: bool,
    min_count: u64,
    keep: impl Fn(&[&str]) -> bool,
) -> io::Result<CoocCounts> {
    use rayon::prelude::*;
    type W = (KeyTable, Vec<Margins>, u64, u64, Scratch, Vec<u32>);
    let workers: Vec<W> = docs
        .par_bridge()
        .fold(
            || {
                (
                    KeyTable::new(usize::MAX, None, true),
                    Vec::new(),
                    0u64,
                    0u64,
                    Scratch::default(),
                    Vec::new(),
                )
            },
            |(mut t, mut m, mut n, mut tokens, mut scratch, mut unit), doc| {
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
                            let k = t.pair_key(a, b);
                            t.add(k, 1);
                        }
                    }
                    unit.clear();
                    1
                };
                unit.clear();
                analyzer.for_each_term(&doc, &mut scratch, |w| {
                    if is_word(w) {
                        let id = t.vocab.id(w);
                        add_margins(&mut m, id).freq += 1;
                        tokens += 1;
                        unit.push(id);
                    } else if sentences && is_sentence_final(w) {
                        n += flush(&mut unit, &mut t, &mut m);
                    }
                });
                n += flush(&mut unit, &mut t, &mut m);
                (t, m, n, tokens, scratch, unit)
            },
        )
        .collect();
    let (mut tabs, mut n, mut tokens, mut named) = (Vec::new(), 0, 0, Vec::new());
    for (t, m, wn, wt, _, _) in workers {
        n += wn;
        tokens += wt;
        for (i, mg) in m.into_iter().enumerate() {
            named.push((Box::<str>::from(t.vocab.term(i as u32)), mg));
        }
        tabs.push(t);
    }
    let pairs = merge_tables(tabs, min_count, keep)?;
    let mut margins = Vec::new();
    merge_margins(&mut margins, &pairs.vocab, &named);
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

#[derive(Default, Clone, Copy)]
struct CollAcc {
    left: u64,
    right: u64,
    freq: u64,
    as_coll: u64,
}

/// Collocates of the terms matching `is_node` within `left`/`right` word windows.
pub fn count_collocates(
    spans: impl Iterator<Item = Span> + Send,
    analyzer: &Analyzer,
    is_node: &(dyn Fn(&str) -> bool + Sync),
    left: usize,
    right: usize,
    cross: bool,
) -> Collocates {
    use rayon::prelude::*;
    type W = (Vocab, Vec<bool>, Vec<CollAcc>, [u64; 4], Scratch, Vec<u32>);
    let reach = left.max(right);
    let workers: Vec<W> = spans
        .par_bridge()
        .fold(
            || {
                (
                    Vocab::default(),
                    Vec::new(),
                    Vec::new(),
                    [0u64; 4],
                    Scratch::default(),
                    Vec::new(),
                )
            },
            |(mut v, mut node, mut acc, mut tot, mut scratch, mut ids), span| {
                let own = fill_seq_pub(analyzer, &mut scratch, &mut v, &span, cross, &mut ids);
                while node.len() < v.len() {
                    let id = node.len() as u32;
                    node.push(is_node(v.term(id)));
                }
                acc.resize(v.len(), CollAcc::default());
                let mut seg = 0;
                for j in 0..ids.len() {
                    let b = ids[j];
                    if b == BREAK_MARK {
                        seg = j + 1;
                        continue;
                    }
                    if j < own {
                        continue;
                    }
                    tot[3] += 1;
                    acc[b as usize].freq += 1;
                    if node[b as usize] {
                        tot[0] += 1;
                    }
                    let lo = j.saturating_sub(reach).max(seg);
                    for (i, &a) in ids.iter().enumerate().take(j).skip(lo) {
                        let d = j - i;
                        if d <= right {
                            // b in a's right window
                            acc[b as usize].as_coll += 1;
                            tot[2] += 1;
                            if node[a as usize] {
                                tot[1] += 1;
                                acc[b as usize].right += 1;
                            }
                        }
                        if d <= left {
                            // a in b's left window
                            acc[a as usize].as_coll += 1;
                            tot[2] += 1;
                            if node[b as usize] {
                                tot[1] += 1;
                                acc[a as usize].left += 1;
                            }
                        }
                    }
                }
                (v, node, acc, tot, scratch, ids)
            },
        )
        .collect();
    let mut all: HashMap<Box<str>, CollAcc, FixedState> = HashMap::default();
    let mut tot = [0u64; 4];
    for (v, _, acc, t, _, _) in workers {
        for i in 0..4 {
            tot[i] += t[i];
        }
        for (id, a) in acc.into_iter().enumerate() {
            let e = all.entry(v.term(id as u32).into()).or_default();
            e.left += a.left;
            e.right += a.right;
            e.freq += a.freq;
            e.as_coll += a.as_coll;
        }
    }
    let mut rows: Vec<Collocate> = all
        .into_iter()
        .filter(|(_, a)| a.left + a.right > 0)
        .map(|(t, a)| Collocate {
            term: t.into(),
            left: a.left,
            right: a.right,
            freq: a.freq,
            as_collocate: a.as_coll,
        })
        .collect();
    rows.sort_unstable_by(|a, b| a.term.cmp(&b.term));
    Collocates {
        rows,
        node_freq: tot[0],
        node_pairs: tot[1],
        n: tot[2],
        tokens: tot[3],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ngram::{Part, whole_docs, with_context};
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

    fn parts(cut_every: usize) -> Vec<Part> {
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
                out.push(Part {
                    doc: d as u64,
                    first: i == 0,
                    last: i + 1 == k,
                    text: t,
                });
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
                let spans = with_context(parts(cut).into_iter(), l.max(r));
                let c = pool
                    .install(|| count_cooc(spans, &analyzer(), &o, |_| true))
                    .unwrap();
                assert_eq!(c.n, want_n);
                let v = &c.pairs.vocab;
                let mut got = BTreeMap::new();
                for (k, cnt) in &c.pairs.rows {
                    got.insert((v.term(k[0]).to_string(), v.term(k[1]).to_string()), *cnt);
                }
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
        let docs = || whole_docs(parts(1).into_iter());
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
        let spans = with_context(parts(1).into_iter(), 3);
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
}
