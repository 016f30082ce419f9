//! Keywords: the terms of a target corpus compared with a reference corpus, or of each group
//! of documents (grouped by a metadata field) compared with the rest of the corpus.
//!
//! **What is counted.** Keyness counts words: tokens with a letter or digit
//! ([`kalima_stats::ngram::is_word`]); punctuation and symbols are left out, and the corpus
//! sizes are word counts. Stop words are counted (they are part of the sizes) and only left
//! out of the rows. Every keyness in kalima ([`keyness`], the report) counts with
//! [`WordsPerTag`] and builds its rows with [`compare`], so they agree.
//!
//! Each row holds the two counts, their frequencies per million and every measure of
//! [`COLUMNS`] ([`kalima_stats::measures::keyness`]).
//!
//! # Example
//! ```
//! use kalima::{Job, Source, keyness::{compare, FreqList, KeynessOptions}};
//!
//! let target = FreqList::from_counts([("قال", 30), ("الرئيس", 20)]);
//! let reference = FreqList::from_counts([("قال", 30), ("الرئيس", 2), ("الله", 40)]);
//! let rows = compare(&target, &reference, &KeynessOptions::default(), None)?;
//! // Strongest first by log-likelihood: over-used in the target…
//! assert_eq!(rows[0].term, "الرئيس");
//! // …and under-used last (negative log-likelihood).
//! assert!(rows.last().unwrap().ll() < 0.0);
//! # Ok::<(), kalima::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use kalima_frame::Table;
use kalima_stats::engine::{self, Collector, Segment};
use kalima_stats::measures::{Keyness as Cell, keyness as k};
use kalima_stats::ngram::is_word;
use kalima_stats::{TermCounter, per_million};
use kalima_text::{Analyzer, Normalizer, Scratch};
use serde::{Deserialize, Serialize};

use crate::options::stopwords;
use crate::{Error, Job, Output, Result, Source};

/// The keyness measures, in output order (the `sort` names).
pub const COLUMNS: [&str; 13] = [
    "ll",
    "p_value",
    "log_ratio",
    "lrc",
    "chi2",
    "percent_diff",
    "relative_risk",
    "odds_ratio",
    "bic",
    "ell",
    "simple_maths",
    "log_odds",
    "log_odds_z",
];

/// Options of [`keyness`] (and of [`compare`]: `sort`, `smoothing`, `min_count`, `top`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeynessOptions {
    /// Reference corpus: files or directories (not with `by`).
    pub reference: Vec<PathBuf>,
    /// Compare each group of documents with the rest, grouping by this metadata field (TREC
    /// tag, JSON key, CSV column; any case). Documents without it form the group `""`.
    pub by: Option<String>,
    /// Order rows by this column of [`COLUMNS`], descending.
    pub sort: String,
    /// Smoothing constant k of simple maths, (fpm_target + k) / (fpm_reference + k).
    pub smoothing: f64,
    /// Keep only terms seen at least this often in target and reference together.
    pub min_count: u64,
    /// Keep only the first N rows (per group with `by`).
    pub top: Option<usize>,
    /// Drop stop words from the rows: `ar` (built-in list) or a file.
    pub stopwords: Option<String>,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        KeynessOptions {
            reference: Vec::new(),
            by: None,
            sort: "ll".into(),
            smoothing: 1.0,
            min_count: 1,
            top: None,
            stopwords: None,
        }
    }
}

/// Word counts of a corpus (or group) and its size in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FreqList {
    /// Count of each word.
    pub counts: BTreeMap<String, u64>,
    /// Words in all (the sum of `counts` when they are complete).
    pub tokens: u64,
}

impl FreqList {
    /// From a counter (its token count is the size).
    pub fn from_counter(c: TermCounter) -> Self {
        let tokens = c.tokens();
        let counts = c
            .into_sorted()
            .into_iter()
            .map(|r| (r.term, r.count))
            .collect();
        FreqList { counts, tokens }
    }

    /// From (term, count) pairs; the size is their sum.
    pub fn from_counts<S: Into<String>>(counts: impl IntoIterator<Item = (S, u64)>) -> Self {
        let mut l = FreqList::default();
        for (t, c) in counts {
            *l.counts.entry(t.into()).or_insert(0) += c;
            l.tokens += c;
        }
        l
    }

    /// The count of `term` (0 when absent).
    pub fn get(&self, term: &str) -> u64 {
        self.counts.get(term).copied().unwrap_or(0)
    }
}

/// The engine collector of keyness: word counts per [`Segment::tag`] (index `i` of the fruit
/// counts the segments tagged `i`). See the module docs for what counts as a word.
#[derive(Debug, Clone, Copy)]
pub struct WordsPerTag<'a> {
    /// How text becomes terms.
    pub analyzer: &'a Analyzer,
}

impl Collector for WordsPerTag<'_> {
    type Child = (Vec<TermCounter>, Scratch);
    type Fruit = Vec<TermCounter>;

    fn child(&self) -> Self::Child {
        (Vec::new(), Scratch::default())
    }

    fn collect(&self, (counters, scratch): &mut Self::Child, s: &Segment) {
        let i = s.tag as usize;
        if counters.len() <= i {
            counters.resize_with(i + 1, TermCounter::new);
        }
        let c = &mut counters[i];
        c.begin(s.doc, s.is_whole());
        let mut batch = c.batch();
        self.analyzer.for_each_term(&s.text, scratch, |t| {
            if is_word(t) {
                batch.add(t);
            }
        });
    }

    fn merge(&self, children: Vec<Self::Child>) -> Vec<TermCounter> {
        let mut all: Vec<TermCounter> = Vec::new();
        for (counters, _) in children {
            for (i, c) in counters.into_iter().enumerate() {
                if all.len() <= i {
                    all.resize_with(i + 1, TermCounter::new);
                }
                all[i].merge(c);
            }
        }
        all
    }
}

/// Word counts of all the job's inputs (light normalization unless the job says otherwise),
/// counted on the current rayon pool.
pub fn word_counts(job: &Job) -> Result<FreqList> {
    let analyzer = job.analyzer(Normalizer::light());
    let counters = engine::run(
        job.segments()?,
        &WordsPerTag {
            analyzer: &analyzer,
        },
    );
    Ok(FreqList::from_counter(
        counters.into_iter().next().unwrap_or_default(),
    ))
}

/// Word counts of each group of documents, by the value (trimmed) of the metadata field
/// `field` (any case; `""` for documents without it), counted on the current rayon pool.
pub fn word_counts_by(job: &Job, field: &str) -> Result<BTreeMap<String, FreqList>> {
    let analyzer = job.analyzer(Normalizer::light());
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut tag = 0;
    let segments = job.chunks(true)?.map(|c| {
        if c.first {
            let g = c
                .meta
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(field))
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default();
            let next = index.len() as u32;
            tag = *index.entry(g).or_insert(next);
        }
        Segment {
            tag,
            ..Segment::new(c.doc, c.first, c.last, c.text)
        }
    });
    let mut counters = engine::run(
        segments,
        &WordsPerTag {
            analyzer: &analyzer,
        },
    );
    counters.resize_with(index.len(), TermCounter::new);
    Ok(index
        .into_iter()
        .map(|(g, i)| {
            (
                g,
                FreqList::from_counter(std::mem::take(&mut counters[i as usize])),
            )
        })
        .collect())
}

/// The keyness of one term.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessRow {
    /// The term.
    pub term: String,
    /// Occurrences in the target.
    pub count_target: u64,
    /// Occurrences in the reference.
    pub count_reference: u64,
    /// Every measure, in [`COLUMNS`] order (`ll` first).
    pub values: [f64; 13],
}

impl KeynessRow {
    /// Signed log-likelihood G² (negative: relatively rarer in the target).
    pub fn ll(&self) -> f64 {
        self.values[0]
    }
}

/// Every keyness measure of one term, in [`COLUMNS`] order.
pub fn keyness_values(kn: &Cell, smoothing: f64) -> [f64; 13] {
    let (lo, lz) = k::log_odds_pooled(kn);
    [
        k::log_likelihood(kn),
        k::ll_p_value(kn),
        k::log_ratio(kn),
        k::lrc(kn, k::Z_95),
        k::chi2(kn),
        k::percent_diff(kn),
        k::relative_risk(kn),
        k::odds_ratio(kn),
        k::bic(kn),
        k::ell(kn),
        k::simple_maths(kn, smoothing),
        lo,
        lz,
    ]
}

/// The index in [`COLUMNS`] of `sort`.
pub fn sort_column(sort: &str) -> Result<usize> {
    COLUMNS.iter().position(|c| *c == sort).ok_or_else(|| {
        Error::invalid(format!(
            "unknown --sort {sort:?}; one of {}",
            COLUMNS.join(", ")
        ))
    })
}

/// The keyness table of `target` against `reference`: every term of either (not in `stop`)
/// seen at least `opts.min_count` times in both together, ordered by `opts.sort` descending
/// (NaN last) then by term, the first `opts.top`. `opts.reference` and `opts.by` are unused.
pub fn compare(
    target: &FreqList,
    reference: &FreqList,
    opts: &KeynessOptions,
    stop: Option<&HashSet<String>>,
) -> Result<Vec<KeynessRow>> {
    let sort = sort_column(&opts.sort)?;
    let terms = target
        .counts
        .keys()
        .chain(
            reference
                .counts
                .keys()
                .filter(|x| !target.counts.contains_key(*x)),
        )
        .filter(|x| stop.is_none_or(|s| !s.contains(*x)));
    // Sorted by reference to the terms; only the rows kept get their own strings.
    let mut rows: Vec<(&String, u64, u64, [f64; 13])> = terms
        .filter_map(|x| {
            let (a, b) = (target.get(x), reference.get(x));
            (a + b >= opts.min_count && a + b > 0).then(|| {
                let cell = Cell::new(a, target.tokens, b, reference.tokens);
                (x, a, b, keyness_values(&cell, opts.smoothing))
            })
        })
        .collect();
    rows.sort_by(|x, y| {
        let (p, q) = (x.3[sort], y.3[sort]);
        q.partial_cmp(&p)
            .unwrap_or_else(|| p.is_nan().cmp(&q.is_nan()))
            .then_with(|| x.0.cmp(y.0))
    });
    let rows = rows
        .into_iter()
        .take(opts.top.unwrap_or(usize::MAX))
        .map(|(term, a, b, values)| KeynessRow {
            term: term.clone(),
            count_target: a,
            count_reference: b,
            values,
        })
        .collect();
    Ok(rows)
}

/// One comparison: a target (the corpus, or one group) against its reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The group (with `by`), else `None`.
    pub group: Option<String>,
    /// Words in the target.
    pub target_tokens: u64,
    /// Words in the reference.
    pub reference_tokens: u64,
    /// The rows, strongest first.
    pub rows: Vec<KeynessRow>,
}

/// Keywords: one comparison, or one per group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keyness {
    /// The comparisons, groups in name order.
    pub comparisons: Vec<Comparison>,
}

impl Keyness {
    /// The table `[group,] term, count_target, count_reference, per_million_target,
    /// per_million_reference`, then one column per measure of [`COLUMNS`]; `group` when the
    /// comparisons are of groups.
    pub fn table(&self) -> Table {
        let terms = self.comparisons.iter().flat_map(|c| &c.rows);
        self.table_of(terms.map(|r| r.term.clone()).collect())
    }

    /// [`table`](Self::table), moving the strings into it instead of copying them.
    pub fn into_table(mut self) -> Table {
        let rows = self.comparisons.iter_mut().flat_map(|c| &mut c.rows);
        let terms = rows.map(|r| std::mem::take(&mut r.term)).collect();
        self.table_of(terms)
    }

    fn table_of(&self, term: Vec<String>) -> Table {
        let rows = || {
            self.comparisons
                .iter()
                .flat_map(|c| c.rows.iter().map(move |r| (c, r)))
        };
        let mut t = Table::new();
        if self.comparisons.iter().any(|c| c.group.is_some()) {
            t.push_str(
                "group",
                rows()
                    .map(|(c, _)| c.group.clone().unwrap_or_default())
                    .collect(),
            );
        }
        t.push_str("term", term)
            .push_u64(
                "count_target",
                rows().map(|(_, r)| r.count_target).collect(),
            )
            .push_u64(
                "count_reference",
                rows().map(|(_, r)| r.count_reference).collect(),
            )
            .push_f64(
                "per_million_target",
                rows()
                    .map(|(c, r)| per_million(r.count_target, c.target_tokens))
                    .collect(),
            )
            .push_f64(
                "per_million_reference",
                rows()
                    .map(|(c, r)| per_million(r.count_reference, c.reference_tokens))
                    .collect(),
            );
        for (i, name) in COLUMNS.iter().enumerate() {
            t.push_f64(name, rows().map(|(_, r)| r.values[i]).collect());
        }
        t
    }
}

/// Keywords of the job's inputs against `opts.reference` (read like the inputs), or of each
/// group of documents (`opts.by`) against the rest. Failures of either side are in the output.
pub fn keyness(job: &Job, opts: &KeynessOptions) -> Result<Output<Keyness>> {
    sort_column(&opts.sort)?;
    let analyzer = job.analyzer(Normalizer::light());
    let stop = stopwords(opts.stopwords.as_deref(), &analyzer)?;
    let pool = job.pool()?;
    let mut comparisons = Vec::new();
    let mut ref_failures = Vec::new();
    match &opts.by {
        None => {
            if opts.reference.is_empty() {
                return Err(Error::invalid(
                    "give a reference corpus (--reference REF...) or --by FIELD",
                ));
            }
            let ref_job = Job::new(Source::Paths(opts.reference.clone()))
                .with_read(job.read.clone())
                .with_text(job.text)
                .with_threads(job.threads)
                .observed(job.observer());
            let t = pool.install(|| word_counts(job))?;
            let r = pool.install(|| word_counts(&ref_job))?;
            ref_failures = ref_job.output(()).failures;
            comparisons.push((None, t, r));
        }
        Some(field) => {
            if !opts.reference.is_empty() {
                return Err(Error::invalid(
                    "--by compares groups within TARGET: leave out --reference",
                ));
            }
            let groups = pool.install(|| word_counts_by(job, field))?;
            if groups.len() < 2 {
                return Err(Error::invalid(format!(
                    "--by {field}: found {} group(s); keyness needs at least two (is the field in the documents' metadata?)",
                    groups.len()
                )));
            }
            let all = FreqList::from_counts(
                groups
                    .values()
                    .flat_map(|g| g.counts.iter().map(|(t, c)| (t.clone(), *c))),
            );
            for (g, list) in groups {
                let rest = FreqList {
                    counts: all
                        .counts
                        .iter()
                        .map(|(t, c)| (t.clone(), c - list.get(t)))
                        .collect(),
                    tokens: all.tokens - list.tokens,
                };
                comparisons.push((Some(g), list, rest));
            }
        }
    }
    let comparisons = comparisons
        .into_iter()
        .map(|(group, t, r)| {
            Ok(Comparison {
                rows: compare(&t, &r, opts, stop.as_ref())?,
                group,
                target_tokens: t.tokens,
                reference_tokens: r.tokens,
            })
        })
        .collect::<Result<_>>()?;
    let mut out = job.output(Keyness { comparisons });
    out.failures.extend(ref_failures);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_a_field_against_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.jsonl");
        std::fs::write(
            &f,
            "{\"Source\":\"s2\",\"content\":\"b b c .\"}\n{\"source\":\"s1\",\"content\":\"a a b\"}\n{\"x\":1,\"content\":\"a\"}\n",
        )
        .unwrap();
        let job = Job::new(Source::Paths(vec![f]));
        let groups = word_counts_by(&job, "SOURCE").unwrap();
        let names: Vec<&str> = groups.keys().map(String::as_str).collect();
        assert_eq!(names, ["", "s1", "s2"]);
        assert_eq!(groups["s2"], FreqList::from_counts([("b", 2), ("c", 1)]));
        let opts = KeynessOptions {
            by: Some("source".into()),
            ..KeynessOptions::default()
        };
        let k = keyness(&job, &opts).unwrap().value;
        let s1 = &k.comparisons[1];
        assert_eq!((s1.target_tokens, s1.reference_tokens), (3, 4));
        let a = s1.rows.iter().find(|r| r.term == "a").unwrap();
        assert_eq!((a.count_target, a.count_reference), (2, 1));
        assert_eq!(k.table().to_dataframe().unwrap().width(), 19);
        let debug = |t: Table| format!("{t:?}");
        assert_eq!(debug(k.table()), debug(k.clone().into_table()));
    }

    #[test]
    fn one_group_is_a_usage_error_and_so_is_a_bad_sort() {
        let job = Job::new(Source::Texts(vec!["a b".into()]));
        let by = KeynessOptions {
            by: Some("source".into()),
            ..KeynessOptions::default()
        };
        assert!(
            keyness(&job, &by)
                .unwrap_err()
                .to_string()
                .contains("found 1 group(s)")
        );
        let sort = KeynessOptions {
            sort: "nope".into(),
            ..KeynessOptions::default()
        };
        assert!(keyness(&job, &sort).unwrap_err().is_usage());
    }

    #[test]
    fn counts_do_not_depend_on_threads() {
        let texts: Vec<String> = (0..200)
            .map(|i| format!("w{} w{} ، x{}", i % 7, i % 13, i % 3))
            .collect();
        let job = Job::new(Source::Texts(texts));
        let counts = |n| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap();
            pool.install(|| word_counts(&job)).unwrap()
        };
        let one = counts(1);
        assert_eq!(one.tokens, 600);
        assert!(!one.counts.contains_key("،"));
        assert_eq!(one, counts(4));
    }
}
