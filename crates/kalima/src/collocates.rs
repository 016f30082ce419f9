//! Collocates of one node word, prefix (`ال*`) or regular expression, with left and right
//! positional counts and association measures (like AntConc's Collocates tool): `term, count,
//! count_left, count_right, count_node, count_term` and one column per measure.
//!
//! The measures use the window margins of [`kalima_stats::cooc`]: `O11` = the term's
//! occurrences in the node's windows, `R1` = window pairs with the node as node, `C1` = window
//! pairs with the term as collocate, `N` = all window pairs. Rows are ordered by the first
//! measure, strongest first, then by term.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, collocates::{collocates, CollocatesOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["x a y. a z a".into()]));
//! let opts = CollocatesOptions { window: 1, ..CollocatesOptions::new("a") };
//! let out = collocates(&job, &opts)?;
//! assert_eq!(out.value.node_freq, 3);
//! let z = out.value.rows.iter().find(|r| r.term == "z").unwrap();
//! assert_eq!((z.left, z.right), (1, 1)); // "a z a": z follows one a and precedes another
//! # Ok::<(), kalima::Error>(())
//! ```

use kalima_frame::Table;
use kalima_stats::cooc::{Collocates as Counts, count_collocates};
use kalima_text::{Analyzer, Normalizer};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::assoc::{DEFAULT_MEASURES, Measure, measure_row, measures, order_by_measure};
use crate::options::stopwords;
use crate::{Error, Job, Output, Result};

/// Options of [`collocates`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollocatesOptions {
    /// The node: a word, a prefix ending in `*` (e.g. `ال*`), or with `regex` a regular
    /// expression matched against whole terms; normalized like the text (not with `regex`).
    pub node: String,
    /// `node` is a regular expression, anchored to the whole term.
    pub regex: bool,
    /// Symmetric window: words on each side of the node.
    pub window: usize,
    /// Words to the left of the node (overrides `window` on that side).
    pub left: Option<usize>,
    /// Words to the right of the node (overrides `window` on that side).
    pub right: Option<usize>,
    /// Let windows cross sentence-final punctuation.
    pub cross: bool,
    /// Measures by name (see [`crate::assoc::MEASURES`]); the first orders the rows.
    pub measures: Vec<String>,
    /// Keep only collocates seen at least this often near the node.
    pub min_count: u64,
    /// Keep only the first N rows.
    pub top: Option<usize>,
    /// Drop collocates that are stop words: `ar` (built-in list) or a file.
    pub stopwords: Option<String>,
}

impl Default for CollocatesOptions {
    /// The defaults, with an empty node (set one).
    fn default() -> Self {
        CollocatesOptions::new("")
    }
}

impl CollocatesOptions {
    /// The defaults, for `node`.
    pub fn new(node: impl Into<String>) -> Self {
        CollocatesOptions {
            node: node.into(),
            regex: false,
            window: 5,
            left: None,
            right: None,
            cross: false,
            measures: DEFAULT_MEASURES.iter().map(|m| m.to_string()).collect(),
            min_count: 1,
            top: None,
            stopwords: None,
        }
    }
}

/// One collocate.
#[derive(Debug, Clone, PartialEq)]
pub struct CollocateRow {
    /// The collocate.
    pub term: String,
    /// Occurrences within `left` words before a node occurrence.
    pub left: u64,
    /// Occurrences within `right` words after a node occurrence.
    pub right: u64,
    /// The term's frequency in the corpus (word tokens).
    pub freq: u64,
    /// The measures' values, in [`Collocates::measures`] order.
    pub values: Vec<f64>,
}

impl CollocateRow {
    /// Occurrences near the node: `left + right`.
    pub fn count(&self) -> u64 {
        self.left + self.right
    }
}

/// The collocates of a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Collocates {
    /// The measures of [`CollocateRow::values`].
    pub measures: Vec<&'static Measure>,
    /// Rows, by the first measure descending (NaN last), then by term.
    pub rows: Vec<CollocateRow>,
    /// Occurrences of the node.
    pub node_freq: u64,
}

impl Collocates {
    /// The table `term, count, count_left, count_right, count_node, count_term`, then one
    /// column per measure.
    pub fn table(&self) -> Table {
        self.table_of(self.rows.iter().map(|r| r.term.clone()).collect())
    }

    /// [`table`](Self::table), moving the strings into it instead of copying them.
    pub fn into_table(mut self) -> Table {
        let terms: Vec<String> = self
            .rows
            .iter_mut()
            .map(|r| std::mem::take(&mut r.term))
            .collect();
        self.table_of(terms)
    }

    fn table_of(&self, term: Vec<String>) -> Table {
        let r = &self.rows;
        let mut t = Table::new();
        t.push_str("term", term)
            .push_u64("count", r.iter().map(CollocateRow::count).collect())
            .push_u64("count_left", r.iter().map(|r| r.left).collect())
            .push_u64("count_right", r.iter().map(|r| r.right).collect())
            .push_u64("count_node", r.iter().map(|_| self.node_freq).collect())
            .push_u64("count_term", r.iter().map(|r| r.freq).collect());
        for (i, m) in self.measures.iter().enumerate() {
            t.push_f64(m.column, r.iter().map(|r| r.values[i]).collect());
        }
        t
    }
}

/// Whether a term is the node.
pub type Matcher = Box<dyn Fn(&str) -> bool + Sync + Send>;

/// The matcher of `node`: a regular expression anchored to the whole term (`regex`), else a
/// word or a prefix ending in `*`, analyzed by `analyzer` (it must give one term).
pub fn node_matcher(node: &str, regex: bool, analyzer: &Analyzer) -> Result<Matcher> {
    if regex {
        let re = Regex::new(&format!("^(?:{node})$")).map_err(|e| Error::invalid(e.to_string()))?;
        return Ok(Box::new(move |t| re.is_match(t)));
    }
    let (body, prefix) = match node.strip_suffix('*') {
        Some(b) => (b, true),
        None => (node, false),
    };
    let a = analyzer.analyze(body.trim());
    let mut terms: Vec<String> = a.iter().map(|(t, _)| t.to_string()).collect();
    if terms.len() != 1 {
        return Err(Error::invalid(format!(
            "the node {node:?} is {} terms after tokenization; give one word, a prefix like ال*, or --regex",
            terms.len()
        )));
    }
    let t = terms.pop().unwrap_or_default();
    Ok(if prefix {
        Box::new(move |x: &str| x.starts_with(t.as_str()))
    } else {
        Box::new(move |x: &str| x == t)
    })
}

/// The rows of counted collocates: those seen at least `min_count` times near the node and
/// not in `stop`, with the values of `ms`, ordered by the first, the first `top`.
pub fn rank(
    counts: &Counts,
    ms: &[&Measure],
    min_count: u64,
    stop: Option<&std::collections::HashSet<String>>,
    top: Option<usize>,
) -> Vec<CollocateRow> {
    let rows: Vec<_> = counts
        .rows
        .iter()
        .filter(|r| r.count() >= min_count)
        .filter(|r| stop.is_none_or(|s| !s.contains(&r.term)))
        .collect();
    let mut values: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| measure_row(ms, r.count(), counts.node_pairs, r.as_collocate, counts.n))
        .collect();
    let order = order_by_measure(&values, |i| rows[i].term.as_str());
    order
        .into_iter()
        .take(top.unwrap_or(usize::MAX))
        .map(|i| CollocateRow {
            term: rows[i].term.clone(),
            left: rows[i].left,
            right: rows[i].right,
            freq: rows[i].freq,
            values: std::mem::take(&mut values[i]),
        })
        .collect()
}

/// Collocates of the node over all inputs (light normalization unless the job says
/// otherwise). When the node does not occur, the observer is told.
pub fn collocates(job: &Job, opts: &CollocatesOptions) -> Result<Output<Collocates>> {
    let ms = measures(&opts.measures)?;
    let analyzer = job.analyzer(Normalizer::light());
    let is_node = node_matcher(&opts.node, opts.regex, &analyzer)?;
    let stop = stopwords(opts.stopwords.as_deref(), &analyzer)?;
    let left = opts.left.unwrap_or(opts.window);
    let right = opts.right.unwrap_or(opts.window);
    if left == 0 && right == 0 {
        return Err(Error::invalid(
            "the window is empty: give --window, --left or --right above 0",
        ));
    }
    let segments = job.segments()?;
    let c =
        job.install(|| count_collocates(segments, &analyzer, &*is_node, left, right, opts.cross))?;
    if c.node_freq == 0 {
        job.observer().note(&format!(
            "the node {:?} does not occur in the input",
            opts.node
        ));
    }
    let rows = rank(&c, &ms, opts.min_count, stop.as_ref(), opts.top);
    Ok(job.output(Collocates {
        measures: ms,
        rows,
        node_freq: c.node_freq,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kalima_text::Scheme;

    #[test]
    fn nodes_are_words_prefixes_or_regexes() {
        let a = Analyzer::new(Scheme::Words, Normalizer::light());
        let word = node_matcher("الكتاب", false, &a).unwrap();
        assert!(word("الكتاب") && !word("الكتابة"));
        let prefix = node_matcher("ال*", false, &a).unwrap();
        assert!(prefix("الكتاب") && !prefix("كتاب"));
        let re = node_matcher("ك.ب", true, &a).unwrap();
        assert!(re("كتب") && !re("كتبت"));
        assert!(node_matcher("كتب الولد", false, &a).is_err_and(|e| e.is_usage()));
        assert!(node_matcher("(", true, &a).is_err_and(|e| e.is_usage()));
    }

    #[test]
    fn counts_filters_and_tables() {
        let job = crate::Job::new(crate::Source::Texts(vec!["x a y. a z a b".into()]));
        let opts = CollocatesOptions {
            window: 1,
            min_count: 2,
            measures: vec!["dice".into(), "mi".into()],
            ..CollocatesOptions::new("a")
        };
        let c = collocates(&job, &opts).unwrap().value;
        // Only z is seen twice next to an a.
        assert_eq!(c.rows.len(), 1);
        assert_eq!(
            (c.rows[0].term.as_str(), c.rows[0].count(), c.node_freq),
            ("z", 2, 3)
        );
        let debug = |t: Table| format!("{t:?}");
        assert_eq!(debug(c.table()), debug(c.clone().into_table()));
        assert_eq!(c.table().to_dataframe().unwrap().width(), 8);
    }
}
