//! Lexical diversity per document and for the whole corpus.
//!
//! The corpus is read once, in document order; each token becomes a `u32` id (4 bytes per
//! token are kept, so the sequence measures MATTR, MSTTR, MTLD and HD-D can run on each
//! document and on the whole corpus). Formulas and sources: [`kalima_stats::lexdiv`] and
//! docs/measures-corpus.md.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, lexdiv::{lexdiv, LexdivOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["أ ب أ".into(), "ج ج".into()]));
//! let opts = LexdivOptions { by_doc: true, ..LexdivOptions::default() };
//! let rows = lexdiv(&job, &opts)?.value.rows;
//! assert_eq!(rows.iter().map(|r| r.doc.as_str()).collect::<Vec<_>>(), ["text[0]", "text[1]", "(corpus)"]);
//! assert_eq!((rows[2].spectrum.tokens(), rows[2].spectrum.types()), (5, 3));
//! assert!((rows[0].spectrum.ttr() - 2.0 / 3.0).abs() < 1e-12);
//! # Ok::<(), kalima::Error>(())
//! ```

use kalima_frame::Table;
use kalima_stats::engine::{Ordered, Segment};
use kalima_stats::lexdiv::{self, Spectrum};
use kalima_stats::{LocalIds, Vocab};
use kalima_text::{Normalizer, Scratch};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::docs::Labels;
use crate::{Error, Job, Output, Result};

/// Options of [`lexdiv()`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LexdivOptions {
    /// One row per document, then the corpus row (last); without it, the corpus row only.
    pub by_doc: bool,
    /// MATTR window in tokens (Covington & McFall 2010 used 500).
    pub window: usize,
    /// MSTTR segment length in tokens.
    pub segment: usize,
    /// MTLD factor threshold (McCarthy & Jarvis 2010), strictly between 0 and 1.
    pub mtld_threshold: f64,
    /// HD-D sample size in tokens (McCarthy & Jarvis 2007).
    pub hdd_sample: usize,
}

impl Default for LexdivOptions {
    fn default() -> Self {
        LexdivOptions {
            by_doc: false,
            window: lexdiv::DEFAULT_WINDOW,
            segment: lexdiv::DEFAULT_WINDOW,
            mtld_threshold: lexdiv::MTLD_THRESHOLD,
            hdd_sample: lexdiv::HDD_SAMPLE,
        }
    }
}

impl LexdivOptions {
    /// A usage error when an option is out of range (the MTLD threshold).
    pub fn validate(&self) -> Result<()> {
        if self.mtld_threshold > 0.0 && self.mtld_threshold < 1.0 {
            Ok(())
        } else {
            Err(Error::invalid("--mtld-threshold must be between 0 and 1"))
        }
    }
}

/// Every measure of one token sequence (a document or the corpus).
#[derive(Debug, Clone, PartialEq)]
pub struct LexdivRow {
    /// The document's label (`path` or `path:name`), or `(corpus)`.
    pub doc: String,
    /// The frequency spectrum: tokens, types and the measures computed from counts only.
    pub spectrum: Spectrum,
    /// Moving-average type-token ratio.
    pub mattr: f64,
    /// Mean segmental type-token ratio.
    pub msttr: f64,
    /// Measure of textual lexical diversity.
    pub mtld: f64,
    /// HD-D (hypergeometric distribution diversity).
    pub hdd: f64,
}

impl LexdivRow {
    /// The measures of `tokens` (term ids in text order).
    pub fn new(doc: String, tokens: &[u32], opts: &LexdivOptions) -> LexdivRow {
        LexdivRow {
            doc,
            spectrum: Spectrum::from_tokens(tokens),
            mattr: lexdiv::mattr(tokens, opts.window),
            msttr: lexdiv::msttr(tokens, opts.segment),
            mtld: lexdiv::mtld(tokens, opts.mtld_threshold),
            hdd: lexdiv::hdd(tokens, opts.hdd_sample),
        }
    }
}

/// Lexical diversity rows: documents in corpus order (with `by_doc`), then the corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexdiv {
    /// The rows; the last is the whole corpus.
    pub rows: Vec<LexdivRow>,
}

impl Lexdiv {
    /// The table `doc, tokens, types, ttr, herdan_c, guiraud_r, cttr, dugast_u, summer_s,
    /// yule_k, yule_i, simpson_d, herdan_vm, maas_a2, mattr, msttr, mtld, hdd`.
    pub fn table(&self) -> Table {
        let rows = &self.rows;
        let col = |f: fn(&LexdivRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
        let mut t = Table::new();
        t.push_str("doc", rows.iter().map(|r| r.doc.clone()).collect())
            .push_u64("tokens", rows.iter().map(|r| r.spectrum.tokens()).collect())
            .push_u64("types", rows.iter().map(|r| r.spectrum.types()).collect())
            .push_f64("ttr", col(|r| r.spectrum.ttr()))
            .push_f64("herdan_c", col(|r| r.spectrum.herdan_c()))
            .push_f64("guiraud_r", col(|r| r.spectrum.guiraud_r()))
            .push_f64("cttr", col(|r| r.spectrum.cttr()))
            .push_f64("dugast_u", col(|r| r.spectrum.dugast_u()))
            .push_f64("summer_s", col(|r| r.spectrum.summer_s()))
            .push_f64("yule_k", col(|r| r.spectrum.yule_k()))
            .push_f64("yule_i", col(|r| r.spectrum.yule_i()))
            .push_f64("simpson_d", col(|r| r.spectrum.simpson_d()))
            .push_f64("herdan_vm", col(|r| r.spectrum.herdan_vm()))
            .push_f64("maas_a2", col(|r| r.spectrum.maas_a2()))
            .push_f64("mattr", col(|r| r.mattr))
            .push_f64("msttr", col(|r| r.msttr))
            .push_f64("mtld", col(|r| r.mtld))
            .push_f64("hdd", col(|r| r.hdd));
        t
    }
}

/// Lexical diversity of the job's inputs (light normalization unless the job says
/// otherwise): read once, tokenized on the job's threads and numbered in corpus order, then
/// the rows are measured on the job's threads.
pub fn lexdiv(job: &Job, opts: &LexdivOptions) -> Result<Output<Lexdiv>> {
    opts.validate()?;
    let analyzer = job.analyzer(Normalizer::light());
    let pool = job.pool()?;
    // Segments are tokenized and their terms numbered on the job's threads; the ids are
    // folded into one sequence in corpus order.
    let pass = Ordered::new(Scratch::default, |scratch, s: &Segment| {
        (s.doc, s.first, LocalIds::new(&analyzer, &s.text, scratch))
    });
    let labels = Labels::default();
    let mut vocab = Vocab::new();
    let mut ids: Vec<u32> = Vec::new();
    let mut docs: Vec<(String, usize, usize)> = Vec::new();
    pass.for_each(&pool, labels.segments(job)?, |(doc, first, local)| {
        if first {
            docs.push((labels.take(doc).0, ids.len(), ids.len()));
        }
        vocab.absorb(local, |id, _| ids.push(id));
        if let Some(d) = docs.last_mut() {
            d.2 = ids.len();
        }
    });
    let mut spans = if opts.by_doc { docs } else { vec![] };
    spans.push(("(corpus)".to_string(), 0, ids.len()));
    let rows = pool.install(|| {
        spans
            .into_par_iter()
            .map(|(doc, a, b)| LexdivRow::new(doc, &ids[a..b], opts))
            .collect()
    });
    Ok(job.output(Lexdiv { rows }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    #[test]
    fn threshold_is_checked_before_reading() {
        let job = Job::new(Source::Paths(vec!["/no/such/file".into()]));
        for t in [0.0, 1.0, -0.5, f64::NAN] {
            let opts = LexdivOptions {
                mtld_threshold: t,
                ..LexdivOptions::default()
            };
            let e = lexdiv(&job, &opts).unwrap_err();
            assert!(e.is_usage(), "{t}");
            assert_eq!(e.to_string(), "--mtld-threshold must be between 0 and 1");
        }
    }

    #[test]
    fn corpus_row_only_without_by_doc() {
        let job = Job::new(Source::Texts(vec!["أ ب".into(), "ج".into()]));
        let out = lexdiv(&job, &LexdivOptions::default()).unwrap();
        assert_eq!(out.value.rows.len(), 1);
        assert_eq!(out.value.rows[0].spectrum.tokens(), 3);
        assert_eq!(out.value.table().len(), 1);
    }
}
