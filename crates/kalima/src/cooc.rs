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

use kalima_frame::Table;
use kalima_stats::cooc::{CoocOptions as Counting, count_cooc, count_units};
use kalima_text::Normalizer;
use serde::{Deserialize, Serialize};

use crate::assoc::{DEFAULT_MEASURES, Measure, measure_row, measures, order_by_measure};
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
    let counts = pool
        .install(|| {
            if window {
                let o = Counting {
                    left,
                    right,
                    cross: opts.cross,
                    min_count: opts.min_count,
                    max_memory: opts.memory.budget(),
                    spill_dir: opts.memory.spill_dir.clone(),
                };
                count_cooc(segments, &analyzer, &o, keep)
            } else {
                let sentences = opts.unit == Unit::Sentence;
                count_units(segments, &analyzer, sentences, opts.min_count, keep)
            }
        })
        .map_err(|source| Error::Temp {
            what: "counting co-occurrences (temporary files)",
            source,
        })?;
    let p = &counts.pairs;
    let mut values: Vec<Vec<f64>> = p
        .rows
        .iter()
        .map(|(k, o11)| {
            let (ma, mb) = (counts.margin(k[0]), counts.margin(k[1]));
            measure_row(&ms, *o11, ma.as_node, mb.as_collocate, counts.n)
        })
        .collect();
    let order = order_by_measure(&values, |i| {
        let k = &p.rows[i].0;
        (p.vocab.term(k[0]), p.vocab.term(k[1]))
    });
    let rows = order
        .into_iter()
        .take(opts.top.unwrap_or(usize::MAX))
        .map(|i| {
            let (k, o11) = &p.rows[i];
            let (ma, mb) = (counts.margin(k[0]), counts.margin(k[1]));
            let (count_a, count_b) = if window {
                (ma.freq, mb.freq)
            } else {
                (ma.as_node, mb.as_node)
            };
            CoocRow {
                term_a: p.vocab.term(k[0]).to_string(),
                term_b: p.vocab.term(k[1]).to_string(),
                count: *o11,
                count_a,
                count_b,
                values: std::mem::take(&mut values[i]),
            }
        })
        .collect();
    Ok(job.output(Cooc {
        measures: ms,
        rows,
        n: counts.n,
        tokens: counts.tokens,
        spilled_runs: p.runs,
    }))
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
        let d = cooc(&job(), &o(Unit::Doc)).unwrap().value;
        assert_eq!(d.n, 2);
        assert_eq!(find(&d, "a", "c"), (1, 1, 2));
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
