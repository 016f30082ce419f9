//! Term frequencies: `term, count, doc_freq, per_million, rank`.

use std::collections::HashSet;

use kalima_frame::Table;
use kalima_stats::{TermFreq, count_parallel, per_million};
use kalima_text::Normalizer;
use serde::{Deserialize, Serialize};

use crate::options::stopwords;
use crate::{Job, Output, Result};

/// Options of [`freq`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreqOptions {
    /// Keep only the N most frequent terms.
    pub top: Option<usize>,
    /// Keep only terms seen at least this often.
    pub min_count: u64,
    /// Drop stop words: `ar` (built-in Arabic list) or a file, normalized like the text.
    pub stopwords: Option<String>,
    /// Drop tokens with no letter or digit (punctuation, symbols).
    pub drop_punct: bool,
}

impl Default for FreqOptions {
    fn default() -> Self {
        FreqOptions {
            top: None,
            min_count: 1,
            stopwords: None,
            drop_punct: false,
        }
    }
}

/// A frequency table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Freq {
    /// Rows, count descending then term by code point, filtered.
    pub rows: Vec<TermFreq>,
    /// All tokens counted (before filters): the base of `per_million`.
    pub tokens: u64,
}

impl Freq {
    /// The table `term, count, doc_freq, per_million, rank`.
    pub fn table(&self) -> Table {
        self.clone().into_table()
    }

    /// [`table`](Self::table), moving the terms instead of copying them (a large table
    /// would otherwise be held twice while it is written).
    pub fn into_table(self) -> Table {
        let n = self.rows.len();
        let (mut term, mut count, mut df, mut pm, mut rank) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (i, r) in self.rows.into_iter().enumerate() {
            count.push(r.count);
            df.push(r.doc_freq);
            pm.push(per_million(r.count, self.tokens));
            rank.push(i as u64 + 1);
            term.push(r.term);
        }
        let mut t = Table::new();
        t.push_str("term", term)
            .push_u64("count", count)
            .push_u64("doc_freq", df)
            .push_f64("per_million", pm)
            .push_u64("rank", rank);
        t
    }
}

/// All term counts of the job's inputs (light normalization unless the job says otherwise),
/// count descending then term by code point, with the number of tokens.
pub fn term_counts(job: &Job) -> Result<(Vec<TermFreq>, u64)> {
    let analyzer = job.analyzer(Normalizer::light());
    let segments = job.segments()?;
    let counter = job.install(|| count_parallel(segments, &analyzer, |_| true))?;
    let tokens = counter.tokens();
    Ok((counter.into_sorted(), tokens))
}

/// Term frequencies over all inputs.
///
/// ```
/// use kalima::{Job, Source, freq::{freq, FreqOptions}};
///
/// let job = Job::new(Source::Texts(vec!["كتب الولد الدرس".into(), "كَتَبَ الولد".into()]));
/// let out = freq(&job, &FreqOptions::default())?;
/// let top = &out.value.rows[0];
/// assert_eq!((top.term.as_str(), top.count, top.doc_freq), ("الولد", 2, 2));
/// assert!(out.complete());
/// # Ok::<(), kalima::Error>(())
/// ```
pub fn freq(job: &Job, opts: &FreqOptions) -> Result<Output<Freq>> {
    let analyzer = job.analyzer(Normalizer::light());
    let stop = stopwords(opts.stopwords.as_deref(), &analyzer)?;
    let (rows, tokens) = term_counts(job)?;
    let rows = filter(rows, opts, stop.as_ref());
    Ok(job.output(Freq { rows, tokens }))
}

fn filter(
    rows: Vec<TermFreq>,
    opts: &FreqOptions,
    stop: Option<&HashSet<String>>,
) -> Vec<TermFreq> {
    rows.into_iter()
        .filter(|r| r.count >= opts.min_count)
        .filter(|r| stop.is_none_or(|s| !s.contains(&r.term)))
        .filter(|r| !opts.drop_punct || r.term.chars().any(char::is_alphanumeric))
        .take(opts.top.unwrap_or(usize::MAX))
        .collect()
}
