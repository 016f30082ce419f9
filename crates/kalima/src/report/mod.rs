//! The corpus report: every table and series of `kalima report` ([`ReportData`], from
//! [`report_data`]), the page made of them ([`render`]: HTML, Markdown, charts, data
//! tables), and the report folder ([`ReportFolder`]).
//!
//! Passes over the corpus: the first counts every term (per group with
//! [`ReportOptions::by`]) and the length of every document; the second, once the top terms
//! are known, counts them per part (dispersion) and per period (terms over time, with
//! [`crate::time`]); then bigrams and trigrams (spilling to temporary files past the memory
//! budget), the collocates of the top terms (one pass for all of them), and one pass in
//! reading order for the vocabulary growth (Heaps) and the order-dependent lexical
//! diversity measures (MATTR, MTLD; 4 bytes per token). Each section uses the same library
//! calls as the command that computes it alone ([`crate::ngrams::ngrams_with`],
//! [`crate::collocates::rank`], [`crate::keyness::WordsPerTag`] and
//! [`crate::keyness::compare`], [`crate::zipf::expected_frequencies`],
//! [`crate::heaps::heaps_and_ids`], [`crate::lexdiv::LexdivRow`]), so their numbers agree;
//! keyness counts words only, as `kalima keyness` does. Dispersion is computed per part here
//! (`kalima dispersion` has no per-part function to share). The page is built by
//! [`kalima_report`] from plain data.
//!
//! # Example
//! ```
//! use kalima::report::{ReportOptions, render, report_data};
//! use kalima::{Job, Silent, Source};
//!
//! let job = Job::new(Source::Texts(vec![
//!     "كتب الولد الدرس في المدرسة".into(),
//!     "قرأ الولد الكتاب في البيت".into(),
//! ]));
//! let data = report_data(&job, &ReportOptions::default())?.value;
//! let top = data.sections.top_terms.as_ref().unwrap();
//! assert_eq!((top.rows[0].term.as_str(), top.rows[0].count), ("الولد", 2));
//! assert_eq!(data.sections.overview.documents, 2);
//! let page = render(&data, &Silent);
//! assert!(page.html.contains("الولد"));
//! assert!(page.tables.iter().any(|(stem, _)| stem == "rank_frequency"));
//! # Ok::<(), kalima::Error>(())
//! ```

mod folder;
mod passes;
mod render;
mod sections;

use std::collections::HashSet;
use std::path::PathBuf;

use kalima_stats::{TermFreq, per_million};
use kalima_text::Normalizer;
use serde::{Deserialize, Serialize};

use crate::chart::{NoProgress, sibling};
use crate::heaps::{HeapsOptions, heaps_and_ids};
use crate::keyness::word_counts;
use crate::options::{Memory, load_stopwords};
use crate::time::DateField;
use crate::{Job, Output, Result, Source};

pub use folder::{MARKER, ReportFolder};
pub use render::{Rendered, render};

/// Terms whose dispersion is shown, and terms followed over time.
const DISPERSION_TERMS: usize = 20;
const TIME_TERMS: usize = 6;
/// Keyness rows must reach this |G²| (p < 0.05, one degree of freedom) to be listed.
const LL_CRITICAL: f64 = 3.84;
/// Nodes whose collocates are shown, collocates per node, window on each side (words), and
/// the least co-occurrence count of a collocate.
const COLLOCATE_NODES: usize = 5;
const COLLOCATES: usize = 10;
const COLLOCATE_WINDOW: usize = 5;
const COLLOCATE_MIN: u64 = 2;

/// Options of [`report_data`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// Title of the report (default: the input paths).
    pub title: Option<String>,
    /// Reference corpus for keyness: keywords of the inputs against it.
    pub reference: Vec<PathBuf>,
    /// Compare groups of documents (each against the rest) by a metadata field (JSON key,
    /// CSV column or TREC tag, any case), or by `file`.
    pub by: Option<String>,
    /// Where the documents' dates are, for terms over time.
    pub date_field: DateField,
    /// Rows in the ranked tables.
    pub top: usize,
    /// Stop words left out of the ranked tables, keyness and dispersion (not of the corpus
    /// figures): `ar` (built-in Arabic list) or a file with one word per line; `None`: none.
    pub stopwords: Option<String>,
    /// Memory for the n-gram counts.
    pub memory: Memory,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            title: None,
            reference: Vec::new(),
            by: None,
            date_field: DateField::Auto,
            top: 50,
            stopwords: Some("ar".into()),
            memory: Memory::default(),
        }
    }
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// The sections, as the page shows them; their charts are drawn by [`render`].
    pub sections: kalima_report::ReportData,
    /// Every term, rank 1 first (`data/rank_frequency.csv`, and the Zipf chart).
    pub rank_frequency: Vec<TermFreq>,
    /// Tokens of the corpus (the base of `per_million`).
    pub tokens: u64,
    /// Sorted runs the n-gram counts went through on disk (0 when they fit in memory).
    pub spill_runs: usize,
}

/// The data of a report on the job's inputs, read several times (see the module docs;
/// standard input is only read by the first pass). Read problems are told by the first pass
/// only; the inputs of [`ReportOptions::reference`] that failed are in the output's
/// failures too.
pub fn report_data(job: &Job, opts: &ReportOptions) -> Result<Output<ReportData>> {
    let analyzer = job.analyzer(Normalizer::light());
    let stop = match &opts.stopwords {
        None => HashSet::new(),
        Some(spec) => load_stopwords(spec, &analyzer)?,
    };
    let shown = |t: &str| t.chars().any(char::is_alphanumeric) && !stop.contains(t);
    // One thread count (told once when capped) for every pass.
    let threads = job.thread_count();
    let quiet = passes::ProgressOnly(job.observer());
    let again = sibling(job, job.source.clone(), threads, &quiet);
    let pool = again.pool()?;

    // Pass 1: term counts, word counts per group (for keyness), document lengths, files seen.
    let keyness = !opts.reference.is_empty() || opts.by.is_some();
    let (mut first, mut failures) =
        pool.install(|| passes::first(job, opts.by.as_deref(), keyness))?;
    let reference = if opts.reference.is_empty() {
        None
    } else {
        let told = NoProgress(job.observer());
        let ref_job = sibling(job, Source::Paths(opts.reference.clone()), threads, &told);
        let counts = ref_job.install(|| word_counts(&ref_job))??;
        failures.extend(ref_job.output(()).failures);
        Some(counts)
    };

    let total = std::mem::take(&mut first.total);
    let tokens = total.tokens();
    let all_rows = total.into_sorted();
    let top: Vec<&TermFreq> = all_rows.iter().filter(|r| shown(&r.term)).collect();

    // Pass 2: the top terms per part and per period.
    let followed: Vec<String> = top
        .iter()
        .take(DISPERSION_TERMS)
        .map(|r| r.term.clone())
        .collect();
    let second =
        pool.install(|| passes::second(&again, &followed, first.documents, &opts.date_field))?;
    let ngrams = pool.install(|| passes::ngrams(&again, opts, &stop))?;
    let nodes: Vec<String> = followed.iter().take(COLLOCATE_NODES).cloned().collect();
    let collocates = pool.install(|| passes::collocates(&again, &stop, &nodes))?;
    let (growth, ids) = heaps_and_ids(&again, &HeapsOptions::default(), true)?;

    let mut data = kalima_report::ReportData::new(&opts.title.clone().unwrap_or_else(|| {
        job.source
            .paths()
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }));
    data.generator = format!("kalima {}", env!("CARGO_PKG_VERSION"));
    data.overview = sections::overview(job, opts, &first, &second, tokens, all_rows.len() as u64);
    data.top_terms = Ok(kalima_report::RankedTable {
        rows: top
            .iter()
            .take(opts.top)
            .map(|r| kalima_report::RankedRow {
                term: r.term.clone(),
                count: r.count,
                doc_freq: Some(r.doc_freq),
                per_million: per_million(r.count, tokens),
            })
            .collect(),
        chart: None,
    });
    data.bigrams = ngrams.bigrams;
    data.trigrams = ngrams.trigrams;
    data.collocates = if collocates.is_empty() {
        Err("the corpus has no terms to take as nodes".into())
    } else {
        Ok(collocates)
    };
    let words = std::mem::take(&mut first.words);
    data.keyness = sections::keyness(opts, &first.group_names, words, reference, &stop);
    data.over_time = sections::over_time(&second, &followed);
    data.dispersion = sections::dispersion(&second, &followed, &all_rows);
    let (zipf, lexdiv) =
        pool.install(|| rayon::join(|| sections::zipf(&all_rows), || sections::lexdiv(&ids)));
    data.zipf = Ok(zipf);
    data.heaps = Ok(sections::heaps(growth.value));
    data.lexdiv = Ok(lexdiv);

    failures.extend(job.output(()).failures);
    Ok(Output {
        value: ReportData {
            sections: data,
            rank_frequency: all_rows,
            tokens,
            spill_runs: ngrams.spill_runs,
        },
        failures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_parts_and_keyness_come_from_one_reading() {
        let job = Job::new(Source::Texts(vec![
            "كتب الولد الدرس كتب الولد الدرس".into(),
            "قرأت البنت الكتاب قرأت البنت الكتاب".into(),
        ]));
        let opts = ReportOptions {
            by: Some("file".into()),
            stopwords: None,
            ..ReportOptions::default()
        };
        let out = report_data(&job, &opts).unwrap();
        assert!(out.complete());
        let d = out.value;
        assert_eq!((d.tokens, d.rank_frequency.len()), (12, 6));
        let tables = d.sections.keyness.unwrap();
        let targets: Vec<&str> = tables.iter().map(|t| t.target.as_str()).collect();
        assert_eq!(targets, ["text[0]", "text[1]"]);
        assert_eq!(
            (tables[0].target_tokens, tables[0].reference_tokens),
            (6, 6)
        );
        let disp = d.sections.dispersion.unwrap();
        assert_eq!(disp.parts, "2 documents");
        // Each term is in one document of two: DP = 0.5.
        assert!(disp.rows.iter().all(|r| r.range == 1 && r.dp == 0.5));
        assert!(d.sections.over_time.is_err());
        assert_eq!(
            d.sections.overview.options[5],
            ("--by".into(), "file".into())
        );
    }

    #[test]
    fn keyness_counts_words_as_kalima_keyness_does() {
        let texts = vec![
            "كتب الولد، كتب الولد، كتب الولد، كتب الولد.".to_string(),
            "قرأت البنت؛ قرأت البنت؛ قرأت البنت؛ قرأت البنت!".to_string(),
        ];
        let job = Job::new(Source::Texts(texts.clone()));
        let opts = ReportOptions {
            by: Some("file".into()),
            stopwords: None,
            ..ReportOptions::default()
        };
        let d = report_data(&job, &opts).unwrap().value;
        // The corpus figures count every token, keyness only the words.
        assert_eq!(d.tokens, 24);
        let tables = d.sections.keyness.unwrap();
        assert_eq!(
            (tables[0].target_tokens, tables[0].reference_tokens),
            (8, 8)
        );
        // The rows are those of `compare` on the word counts of each side.
        let words = |t: &str| {
            crate::keyness::word_counts(&Job::new(Source::Texts(vec![t.to_string()]))).unwrap()
        };
        let (a, b) = (words(&texts[0]), words(&texts[1]));
        let rows = crate::keyness::compare(&a, &b, &Default::default(), None).unwrap();
        let expected: Vec<(&str, f64)> = rows
            .iter()
            .filter(|r| r.ll() >= LL_CRITICAL)
            .map(|r| (r.term.as_str(), r.ll()))
            .collect();
        let got: Vec<(&str, f64)> = tables[0]
            .rows
            .iter()
            .map(|r| (r.term.as_str(), r.log_likelihood))
            .collect();
        assert!(!got.is_empty());
        assert_eq!(got, expected);
    }
}
