//! Co-occurrence pairs within word windows, sentences or documents, with association
//! measures: `term_a, term_b, count, count_a, count_b` and one column per measure.
//!
//! In a window (the default), a pair is a node `term_a` and a collocate `term_b` at most
//! `left` words before or `right` words after it; `count_a`, `count_b` are the terms'
//! frequencies and the measures use the window margins (Evert 2008, §5.2; see
//! [`kalima_stats::cooc`]). With [`Unit::Sentence`] or [`Unit::Doc`] a pair is two distinct
//! terms in the same unit and every count is a number of units. Rows are ordered by the first
//! measure, strongest first. Pair tables that outgrow [`Memory`] spill to temporary files.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, cooc::{cooc, CoocOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["a b a b c".into()]));
//! let opts = CoocOptions { window: 1, measures: vec!["mi".into()], ..CoocOptions::default() };
//! let out = cooc(&job, &opts)?;
//! let first = &out.value.rows[0];
//! // "a b", "b a", "a b": three times side by side (a symmetric window: unordered pairs).
//! assert_eq!((first.term_a.as_str(), first.term_b.as_str(), first.count), ("a", "b", 3));
//! assert_eq!(out.value.table().to_dataframe()?.width(), 6);
//! # Ok::<(), kalima::Error>(())
//! ```

use std::cmp::Ordering;
use std::io::{BufRead, Write};

use kalima_frame::{ColumnKind, RowEncoder, RowWriter, Table, Value};
use kalima_stats::cooc::{CoocCounts, CoocOptions as Counting, Margins, count_cooc, count_units};
use kalima_stats::extsort::{
    ExtSorter, Record, Sorted, alloc_bytes, get_first_u64, get_str, get_u64, put_str, put_u64,
};
use kalima_stats::ngram::{Key, Vocab, term_ranks};
use kalima_text::Normalizer;
use serde::{Deserialize, Serialize};

use crate::assoc::{
    DEFAULT_MEASURES, Measure, measure_row_into, measure_value, measures, stronger_first,
};
use crate::options::{Memory, stopwords};
use crate::{Error, Job, Output, Result};

/// What a pair shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// A word window ([`CoocOptions::window`], `left`, `right`).
    #[default]
    Window,
    /// The same sentence.
    Sentence,
    /// The same document.
    Doc,
}

/// Options of [`cooc`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoocOptions {
    /// Symmetric window: words on each side.
    pub window: usize,
    /// Words to the left of `term_a` (overrides `window` on that side).
    pub left: Option<usize>,
    /// Words to the right of `term_a` (overrides `window` on that side).
    pub right: Option<usize>,
    /// Co-occurrence unit: a word window, the same sentence or the same document.
    pub unit: Unit,
    /// Let windows cross sentence-final punctuation.
    pub cross: bool,
    /// Measures by name (see [`crate::assoc::MEASURES`]); the first orders the rows.
    pub measures: Vec<String>,
    /// Keep only pairs seen at least this often.
    pub min_count: u64,
    /// Keep only the first N rows.
    pub top: Option<usize>,
    /// Drop pairs with a stop word: `ar` (built-in list) or a file.
    pub stopwords: Option<String>,
    /// Memory for the pair tables, and where they spill.
    pub memory: Memory,
}

impl Default for CoocOptions {
    fn default() -> Self {
        CoocOptions {
            window: 5,
            left: None,
            right: None,
            unit: Unit::Window,
            cross: false,
            measures: DEFAULT_MEASURES.iter().map(|m| m.to_string()).collect(),
            min_count: 1,
            top: None,
            stopwords: None,
            memory: Memory::default(),
        }
    }
}

/// One pair.
#[derive(Debug, Clone, PartialEq)]
pub struct CoocRow {
    /// The node (first) term.
    pub term_a: String,
    /// The collocate (second) term.
    pub term_b: String,
    /// `O11`: pairs, or units holding both.
    pub count: u64,
    /// `term_a`'s frequency (windows) or units holding it.
    pub count_a: u64,
    /// `term_b`'s frequency (windows) or units holding it.
    pub count_b: u64,
    /// The measures' values, in [`Cooc::measures`] order.
    pub values: Vec<f64>,
}

/// Co-occurrence pairs with their measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Cooc {
    /// The measures of [`CoocRow::values`].
    pub measures: Vec<&'static Measure>,
    /// Rows, by the first measure descending (NaN last), then by terms.
    pub rows: Vec<CoocRow>,
    /// `N`: all window pairs, or all units.
    pub n: u64,
    /// Word tokens.
    pub tokens: u64,
    /// Sorted runs merged from temporary files (0 when the counts fit in memory).
    pub spilled_runs: usize,
}

impl Cooc {
    /// The table `term_a, term_b, count, count_a, count_b`, then one column per measure.
    pub fn table(&self) -> Table {
        let a = self.rows.iter().map(|r| r.term_a.clone()).collect();
        self.table_of(a, self.rows.iter().map(|r| r.term_b.clone()).collect())
    }

    /// [`table`](Self::table), moving the strings into it instead of copying them.
    pub fn into_table(mut self) -> Table {
        let a = self
            .rows
            .iter_mut()
            .map(|r| std::mem::take(&mut r.term_a))
            .collect();
        let b = self
            .rows
            .iter_mut()
            .map(|r| std::mem::take(&mut r.term_b))
            .collect();
        self.table_of(a, b)
    }

    fn table_of(&self, term_a: Vec<String>, term_b: Vec<String>) -> Table {
        let mut t = Table::new();
        t.push_str("term_a", term_a)
            .push_str("term_b", term_b)
            .push_u64("count", self.rows.iter().map(|r| r.count).collect())
            .push_u64("count_a", self.rows.iter().map(|r| r.count_a).collect())
            .push_u64("count_b", self.rows.iter().map(|r| r.count_b).collect());
        for (i, m) in self.measures.iter().enumerate() {
            t.push_f64(m.column, self.rows.iter().map(|r| r.values[i]).collect());
        }
        t
    }

    /// The note to give when the counts went through temporary files.
    pub fn spill_note(&self) -> Option<String> {
        crate::ngrams::spill_note(self.spilled_runs)
    }
}

/// Co-occurrence pairs over all inputs (light normalization unless the job says otherwise).
pub fn cooc(job: &Job, opts: &CoocOptions) -> Result<Output<Cooc>> {
    let out = cooc_rows(job, opts)?;
    let value = out.value.collect()?;
    Ok(Output {
        value,
        failures: out.failures,
    })
}

/// [`cooc`] as a stream of rows: the table is never held. Pairs that outgrow [`Memory`]
/// are sorted through temporary files within the budget.
pub fn cooc_rows(job: &Job, opts: &CoocOptions) -> Result<Output<CoocRows>> {
    let ms = measures(&opts.measures)?;
    let analyzer = job.analyzer(Normalizer::light());
    let stop = stopwords(opts.stopwords.as_deref(), &analyzer)?;
    let keep = |ts: &[&str]| {
        stop.as_ref()
            .is_none_or(|s| !ts.iter().any(|t| s.contains(*t)))
    };
    let left = opts.left.unwrap_or(opts.window);
    let right = opts.right.unwrap_or(opts.window);
    let window = opts.unit == Unit::Window;
    let pool = job.pool()?;
    if window && left == 0 && right == 0 {
        return Err(Error::invalid(
            "the window is empty: give --window, --left or --right above 0",
        ));
    }
    let segments = job.segments()?;
    // Counting and the sort by measure run on one thread of the pool: the sort then reuses
    // the memory the merge of the counts gave back (each thread allocates from its own
    // arena, which keeps what was freed).
    let sort = || -> std::io::Result<_> {
        let mut counts = if window {
            let o = Counting {
                left,
                right,
                cross: opts.cross,
                min_count: opts.min_count,
                max_memory: opts.memory.budget(),
                spill_dir: opts.memory.spill_dir.clone(),
            };
            count_cooc(segments, &analyzer, &o, keep)?
        } else {
            let sentences = opts.unit == Unit::Sentence;
            count_units(segments, &analyzer, sentences, opts.min_count, keep)?
        };
        let pairs = std::mem::take(&mut counts.pairs);
        let spilled_runs = pairs.runs;
        // Held pairs whose sort keys fit in half the budget are sorted in memory, by ids:
        // margins by id and terms by rank, no string per pair.
        if pairs.is_held() && pairs.rows.len() * size_of::<Held>() <= opts.memory.budget() / 2 {
            let held = sort_held(pairs.rows, &pairs.vocab, &counts, ms[0]);
            return Ok((
                counts,
                Source::Held(held.into_iter()),
                pairs.vocab,
                spilled_runs,
            ));
        }
        // Otherwise the pairs, in count order, go through an external sort by the first
        // measure within half the budget (the counts' merge holds read buffers and a
        // vocabulary).
        let mut rows = pairs.into_rows();
        let mut sorter = ExtSorter::new(
            opts.memory.budget() / 2,
            opts.memory.spill_dir.clone(),
            by_measure as PairOrder,
        );
        let first = ms[0];
        while let Some((ab, _, o11)) = rows.next_row()? {
            let ab: Box<str> = ab.into();
            let (a, b) = split_pair(&ab);
            let (ma, mb) = (
                margin(&counts, rows.vocab(), a),
                margin(&counts, rows.vocab(), b),
            );
            let key = measure_value(first, o11, ma.as_node, mb.as_collocate, counts.n);
            sorter.push(Pair { key, o11, ab })?;
        }
        Ok((
            counts,
            Source::Sorted(sorter.finish()?),
            rows.into_vocab(),
            spilled_runs,
        ))
    };
    let (counts, sorted, vocab, spilled_runs) = pool.install(sort).map_err(temp)?;
    Ok(job.output(CoocRows {
        sorted,
        pool,
        vocab,
        counts,
        measures: ms,
        window,
        left: opts.top.unwrap_or(usize::MAX),
        spilled_runs,
        values: Vec::new(),
        ab: String::new(),
    }))
}

/// A held pair in the sort by measure: the first measure's value, the two term ids, `O11`.
type Held = (f64, u32, u32, u64);

/// The held pairs `rows` (ids of `vocab`) in the order of [`by_measure`]: the first measure
/// descending, then the terms, compared by rank.
fn sort_held(rows: Vec<(Key, u64)>, vocab: &Vocab, counts: &CoocCounts, m: &Measure) -> Vec<Held> {
    use rayon::prelude::*;
    let rank = term_ranks(vocab);
    let mut held: Vec<Held> = rows
        .into_par_iter()
        .map(|(k, o11)| {
            let (ma, mb) = (counts.margin(k[0]), counts.margin(k[1]));
            let key = measure_value(m, o11, ma.as_node, mb.as_collocate, counts.n);
            (key, k[0], k[1], o11)
        })
        .collect();
    let terms = |h: &Held| (rank[h.1 as usize], rank[h.2 as usize]);
    held.par_sort_unstable_by(|x, y| {
        stronger_first(x.0, y.0).then_with(|| terms(x).cmp(&terms(y)))
    });
    held
}

/// Where [`CoocRows`] reads its pairs from, in order.
#[derive(Debug)]
enum Source {
    /// Sorted in memory, by term ids.
    Held(std::vec::IntoIter<Held>),
    /// From the external sort, by terms.
    Sorted(Sorted<Pair, PairOrder>),
}

fn temp(source: std::io::Error) -> Error {
    Error::Temp {
        what: "counting co-occurrences (temporary files)",
        source,
    }
}

/// The two terms of a pair joined by one space (terms hold no space).
fn split_pair(ab: &str) -> (&str, &str) {
    ab.split_once(' ').unwrap_or((ab, ""))
}

fn margin(counts: &CoocCounts, vocab: &Vocab, term: &str) -> Margins {
    vocab
        .get(term)
        .map_or_else(Margins::default, |id| counts.margin(id))
}

/// The measures of a pair with `O11` and margins `ma`, `mb` into `values`; returns the
/// `count_a`, `count_b` columns (frequencies for windows, units holding the term otherwise).
fn measured(
    ms: &[&Measure],
    counts: &CoocCounts,
    window: bool,
    (o11, ma, mb): (u64, Margins, Margins),
    values: &mut Vec<f64>,
) -> (u64, u64) {
    measure_row_into(ms, o11, ma.as_node, mb.as_collocate, counts.n, values);
    if window {
        (ma.freq, mb.freq)
    } else {
        (ma.as_node, mb.as_node)
    }
}

/// A pair in the sort by measure: the first measure's value, `O11`, the terms.
#[derive(Debug)]
struct Pair {
    key: f64,
    o11: u64,
    ab: Box<str>,
}

impl Record for Pair {
    fn write_to(&self, w: &mut impl Write) -> std::io::Result<()> {
        put_u64(w, self.key.to_bits())?;
        put_u64(w, self.o11)?;
        put_str(w, &self.ab)
    }
    fn read_from(r: &mut impl BufRead) -> std::io::Result<Option<Self>> {
        let Some(key) = get_first_u64(r)? else {
            return Ok(None);
        };
        let o11 = get_u64(r)?;
        let ab = get_str(r)?;
        Ok(Some(Pair {
            key: f64::from_bits(key),
            o11,
            ab,
        }))
    }
    fn heap_bytes(&self) -> usize {
        alloc_bytes(self.ab.len())
    }
}

type PairOrder = fn(&Pair, &Pair) -> Ordering;

/// The order of [`order_by_measure`](crate::assoc::order_by_measure): the first measure
/// descending (NaN last), then the terms.
fn by_measure(x: &Pair, y: &Pair) -> Ordering {
    stronger_first(x.key, y.key).then_with(|| split_pair(&x.ab).cmp(&split_pair(&y.ab)))
}

/// The rows of [`Cooc`], one at a time, in order; see [`cooc_rows`].
#[derive(Debug)]
pub struct CoocRows {
    sorted: Source,
    /// The job's pool, for writing held rows.
    pool: rayon::ThreadPool,
    vocab: Vocab,
    counts: CoocCounts,
    measures: Vec<&'static Measure>,
    window: bool,
    left: usize,
    spilled_runs: usize,
    values: Vec<f64>,
    ab: String,
}

/// One row of [`CoocRows`], borrowed.
#[derive(Debug)]
pub struct CoocRowRef<'a> {
    /// The node (first) term.
    pub term_a: &'a str,
    /// The collocate (second) term.
    pub term_b: &'a str,
    /// `O11`.
    pub count: u64,
    /// `term_a`'s frequency (windows) or units holding it.
    pub count_a: u64,
    /// `term_b`'s frequency (windows) or units holding it.
    pub count_b: u64,
    /// The measures' values.
    pub values: &'a [f64],
}

impl CoocRows {
    /// The columns of [`Cooc::table`].
    pub fn columns(&self) -> Vec<(&'static str, ColumnKind)> {
        let mut c = vec![
            ("term_a", ColumnKind::Str),
            ("term_b", ColumnKind::Str),
            ("count", ColumnKind::U64),
            ("count_a", ColumnKind::U64),
            ("count_b", ColumnKind::U64),
        ];
        c.extend(self.measures.iter().map(|m| (m.column, ColumnKind::F64)));
        c
    }

    /// The note to give when the counts went through temporary files.
    pub fn spill_note(&self) -> Option<String> {
        crate::ngrams::spill_note(self.spilled_runs)
    }

    /// The next row.
    pub fn next_row(&mut self) -> Result<Option<CoocRowRef<'_>>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        let (ids, o11, ma, mb) = match &mut self.sorted {
            Source::Held(held) => {
                let Some((_, a, b, o11)) = held.next() else {
                    return Ok(None);
                };
                let m = (self.counts.margin(a), self.counts.margin(b));
                (Some((a, b)), o11, m.0, m.1)
            }
            Source::Sorted(sorted) => {
                let Some(p) = sorted.next().transpose().map_err(temp)? else {
                    return Ok(None);
                };
                self.ab.clear();
                self.ab.push_str(&p.ab);
                let (a, b) = split_pair(&self.ab);
                let m = (
                    margin(&self.counts, &self.vocab, a),
                    margin(&self.counts, &self.vocab, b),
                );
                (None, p.o11, m.0, m.1)
            }
        };
        let (count_a, count_b) = measured(
            &self.measures,
            &self.counts,
            self.window,
            (o11, ma, mb),
            &mut self.values,
        );
        let (a, b) = match ids {
            Some((a, b)) => (self.vocab.term(a), self.vocab.term(b)),
            None => split_pair(&self.ab),
        };
        Ok(Some(CoocRowRef {
            term_a: a,
            term_b: b,
            count: o11,
            count_a,
            count_b,
            values: &self.values,
        }))
    }

    /// Writes every row to `w` (made with [`CoocRows::columns`]).
    pub fn write(mut self, w: &mut RowWriter<'_>) -> Result<()> {
        if let Source::Held(held) = &self.sorted {
            let held = &held.as_slice()[..held.len().min(self.left)];
            let this = &self;
            let encode = |enc: &RowEncoder, block: &[Held], index: u64, out: &mut Vec<u8>| {
                this.encode_held(enc, block, index, out)
            };
            if crate::blocks::write_blocks(w, &self.pool, held, encode)? {
                return Ok(());
            }
        }
        while let Some(r) = self.next_row()? {
            let mut cells = Vec::with_capacity(5 + r.values.len());
            cells.extend([
                Value::Str(r.term_a),
                Value::Str(r.term_b),
                Value::U64(r.count),
                Value::U64(r.count_a),
                Value::U64(r.count_b),
            ]);
            cells.extend(r.values.iter().map(|&v| Value::F64(v)));
            w.row(&cells)?;
        }
        Ok(())
    }

    /// The lines of held pairs `block`, the first being row `index` of the table.
    fn encode_held(
        &self,
        enc: &RowEncoder,
        block: &[Held],
        index: u64,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let mut cells = Vec::with_capacity(5 + self.measures.len());
        let mut values = Vec::with_capacity(self.measures.len());
        for (i, &(_, a, b, o11)) in block.iter().enumerate() {
            let (ma, mb) = (self.counts.margin(a), self.counts.margin(b));
            let (count_a, count_b) = measured(
                &self.measures,
                &self.counts,
                self.window,
                (o11, ma, mb),
                &mut values,
            );
            cells.clear();
            cells.extend([
                Value::Str(self.vocab.term(a)),
                Value::Str(self.vocab.term(b)),
                Value::U64(o11),
                Value::U64(count_a),
                Value::U64(count_b),
            ]);
            cells.extend(values.iter().map(|&v| Value::F64(v)));
            enc.encode(&cells, index + i as u64, out)?;
        }
        Ok(())
    }

    /// All the rows, as [`Cooc`].
    pub fn collect(mut self) -> Result<Cooc> {
        let mut rows = Vec::new();
        while let Some(r) = self.next_row()? {
            rows.push(CoocRow {
                term_a: r.term_a.to_string(),
                term_b: r.term_b.to_string(),
                count: r.count,
                count_a: r.count_a,
                count_b: r.count_b,
                values: r.values.to_vec(),
            });
        }
        Ok(Cooc {
            measures: self.measures,
            rows,
            n: self.counts.n,
            tokens: self.counts.tokens,
            spilled_runs: self.spilled_runs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn job() -> Job<'static> {
        Job::new(Source::Texts(vec!["a b a b c. a c".into(), "b c".into()]))
    }

    #[test]
    fn units_count_sentences_or_documents() {
        let o = |unit| CoocOptions {
            unit,
            measures: vec!["dice".into()],
            ..CoocOptions::default()
        };
        let find = |c: &Cooc, a: &str, b: &str| {
            let r = c
                .rows
                .iter()
                .find(|r| r.term_a == a && r.term_b == b)
                .unwrap();
            (r.count, r.count_a, r.count_b)
        };
        let s = cooc(&job(), &o(Unit::Sentence)).unwrap().value;
        assert_eq!(s.n, 3);
        assert_eq!(find(&s, "a", "c"), (2, 2, 3));
        let same = |t: Table, u: Table| assert_eq!(format!("{t:?}"), format!("{u:?}"));
        same(s.table(), s.clone().into_table());
        // Streamed rows: the bytes of the held table through polars, spilled or not.
        let dir = tempfile::tempdir().unwrap();
        for opts in [
            CoocOptions {
                measures: vec!["mi".into(), "ll".into(), "dice".into()],
                window: 2,
                ..CoocOptions::default()
            },
            CoocOptions {
                memory: Memory {
                    max_memory: Some(1),
                    spill_dir: Some(dir.path().into()),
                },
                left: Some(1),
                ..CoocOptions::default()
            },
        ] {
            let held = cooc(&job(), &opts).unwrap().value;
            let mut want = Vec::new();
            kalima_frame::write_dataframe(
                &mut held.table().to_dataframe().unwrap(),
                kalima_frame::OutputFormat::Csv,
                &mut want,
            )
            .unwrap();
            let rows = cooc_rows(&job(), &opts).unwrap().value;
            let mut got = Vec::new();
            let cols = rows.columns();
            let mut w = RowWriter::new(&cols, kalima_frame::OutputFormat::Csv, &mut got).unwrap();
            rows.write(&mut w).unwrap();
            w.finish().unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
        let d = cooc(&job(), &o(Unit::Doc)).unwrap().value;
        assert_eq!(d.n, 2);
        assert_eq!(find(&d, "a", "c"), (1, 1, 2));
    }

    #[test]
    fn held_rows_written_block_by_block_on_a_pool_match_polars() {
        // ~100k distinct pairs: more than three blocks of the parallel writer.
        let mut x = 7u64;
        let texts: Vec<String> = (0..40)
            .map(|_| {
                (0..1500)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        format!("w{}", (x >> 33) % 4000)
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let opts = CoocOptions {
            measures: vec!["ll".into(), "mi".into()],
            ..CoocOptions::default()
        };
        let job = |threads| Job::new(Source::Texts(texts.clone())).with_threads(threads);
        let held = cooc(&job(1), &opts).unwrap().value;
        assert!(held.rows.len() > 3 << 15, "{} rows", held.rows.len());
        for format in [
            kalima_frame::OutputFormat::Csv,
            kalima_frame::OutputFormat::Json,
        ] {
            let mut want = Vec::new();
            kalima_frame::write_dataframe(
                &mut held.table().to_dataframe().unwrap(),
                format,
                &mut want,
            )
            .unwrap();
            for threads in [1, 3] {
                let rows = cooc_rows(&job(threads), &opts).unwrap().value;
                let mut got = Vec::new();
                let cols = rows.columns();
                let mut w = RowWriter::new(&cols, format, &mut got).unwrap();
                rows.write(&mut w).unwrap();
                w.finish().unwrap();
                assert!(got == want, "{format:?}, {threads} threads");
            }
        }
    }

    #[test]
    fn an_empty_window_is_a_usage_error() {
        let o = CoocOptions {
            window: 0,
            ..CoocOptions::default()
        };
        assert!(cooc(&job(), &o).unwrap_err().is_usage());
        let o = CoocOptions {
            window: 0,
            right: Some(1),
            ..CoocOptions::default()
        };
        assert!(
            cooc(&job(), &o)
                .unwrap()
                .value
                .rows
                .iter()
                .all(|r| r.values.len() == 4)
        );
    }
}
