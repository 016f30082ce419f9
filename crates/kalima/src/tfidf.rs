//! Document-term tf-idf scores ([`kalima_stats::tfidf`]): a long table
//! (`doc, term, count, tf, idf, tfidf`), or the scored documents one at a time (for a sparse
//! matrix export).
//!
//! Two passes over the inputs: pass 1 ([`model`]) counts document frequencies in parallel;
//! pass 2 ([`score_documents`]) reads the documents in order and scores each one as soon as
//! it ends. Memory: the vocabulary and one document's counts (plus the long table for
//! [`tfidf()`]). The inputs are read twice, so standard input cannot be used.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, tfidf::{tfidf, TfidfOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["أ ب ب".into(), "أ ج".into()]));
//! let rows = tfidf(&job, &TfidfOptions::default())?.value.rows;
//! // "أ" is in every document: idf = ln(2/2) = 0; "ب" is the best term of document 0.
//! assert_eq!((rows[0].doc.as_str(), rows[0].term.as_str(), rows[0].count), ("text[0]", "ب", 2));
//! assert!((rows[0].tfidf - 1.0).abs() < 1e-12); // L2-normalized
//! assert_eq!(rows.iter().filter(|r| r.term == "أ").map(|r| r.idf).sum::<f64>(), 0.0);
//! # Ok::<(), kalima::Error>(())
//! ```

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use hashbrown::HashMap;
use kalima_frame::{ColumnKind, RowWriter, Table, Value};
use kalima_stats::tfidf::{self, Idf, Tf};
use kalima_stats::{TermFreq, Vocab, count_parallel};
use kalima_text::{Normalizer, Scratch};
use serde::{Deserialize, Serialize};

use crate::dispersion::second_pass;
use crate::docs::doc_label;
use crate::{Error, Job, Output, Result};

/// Normalization of each document vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    /// Divide each document vector by its Euclidean norm.
    L2,
    /// No normalization.
    None,
}

impl FromStr for Norm {
    type Err = String;

    /// `l2` or `none`.
    fn from_str(s: &str) -> Result<Norm, String> {
        match s {
            "l2" => Ok(Norm::L2),
            "none" => Ok(Norm::None),
            _ => Err(format!("unknown normalization {s:?}: l2 or none")),
        }
    }
}

/// The tf variant named `raw`, `log`, `augmented` or `boolean`.
pub fn parse_tf(s: &str) -> Result<Tf, String> {
    match s {
        "raw" => Ok(Tf::Raw),
        "log" => Ok(Tf::Log),
        "augmented" => Ok(Tf::Augmented),
        "boolean" => Ok(Tf::Boolean),
        _ => Err(format!(
            "unknown tf variant {s:?}: raw, log, augmented or boolean"
        )),
    }
}

/// The idf variant named `idf`, `smooth`, `prob` or `none`.
pub fn parse_idf(s: &str) -> Result<Idf, String> {
    match s {
        "idf" => Ok(Idf::Idf),
        "smooth" => Ok(Idf::Smooth),
        "prob" => Ok(Idf::Prob),
        "none" => Ok(Idf::None),
        _ => Err(format!(
            "unknown idf variant {s:?}: idf, smooth, prob or none"
        )),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Tf", rename_all = "lowercase")]
enum TfName {
    Raw,
    Log,
    Augmented,
    Boolean,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Idf", rename_all = "lowercase")]
enum IdfName {
    None,
    Idf,
    Smooth,
    Prob,
}

/// Options of [`tfidf()`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TfidfOptions {
    /// Term-frequency variant (`raw`, `log`, `augmented`, `boolean`).
    #[serde(with = "TfName")]
    pub tf: Tf,
    /// Inverse-document-frequency variant (`idf`, `smooth`, `prob`, `none`).
    #[serde(with = "IdfName")]
    pub idf: Idf,
    /// Normalization of each document vector.
    pub norm: Norm,
    /// Long table: keep only the N best-scoring terms of each document.
    pub top: Option<usize>,
    /// Drop terms seen in fewer than N documents (before scoring).
    pub min_df: u64,
}

impl Default for TfidfOptions {
    fn default() -> Self {
        TfidfOptions {
            tf: Tf::Raw,
            idf: Idf::Idf,
            norm: Norm::L2,
            top: None,
            min_df: 1,
        }
    }
}

/// What pass 1 learns: the kept terms (the matrix columns) and their idf.
#[derive(Debug, Clone)]
pub struct TfidfModel {
    /// Terms seen in at least `min_df` documents, count descending then term by code
    /// point; a term's id (column, from 0) is its index.
    pub terms: Vec<TermFreq>,
    /// The idf of each term.
    pub idf: Vec<f64>,
    /// Documents in the corpus.
    pub docs: u64,
    vocab: Vocab,
}

impl TfidfModel {
    /// Non-zero entries of the document-term matrix: the sum of the kept terms' document
    /// frequencies.
    pub fn nnz(&self) -> u64 {
        self.terms.iter().map(|r| r.doc_freq).sum()
    }
}

/// One scored document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocScores {
    /// Row number, from 1, in corpus order.
    pub row: u64,
    /// The document's label (`path` or `path:name`).
    pub label: String,
    /// `(term id, count)` of the kept terms in the document, by term id.
    pub entries: Vec<(u32, u64)>,
    /// The tf of each entry.
    pub tf: Vec<f64>,
    /// The tf-idf weight of each entry, normalized as asked.
    pub weights: Vec<f64>,
}

impl DocScores {
    /// Indexes into `entries`, best weight first, ties by term (code point order).
    pub fn ranked(&self, model: &TfidfModel) -> Vec<usize> {
        let (w, e) = (&self.weights, &self.entries);
        let term = |i: usize| model.terms[e[i].0 as usize].term.as_str();
        let mut order: Vec<usize> = (0..e.len()).collect();
        order.sort_by(|&a, &b| w[b].total_cmp(&w[a]).then_with(|| term(a).cmp(term(b))));
        order
    }
}

/// One row of the long table.
#[derive(Debug, Clone, PartialEq)]
pub struct TfidfRow {
    /// The document's label.
    pub doc: String,
    /// The term.
    pub term: String,
    /// Its count in the document.
    pub count: u64,
    /// Its tf.
    pub tf: f64,
    /// Its idf.
    pub idf: f64,
    /// Its (normalized) tf-idf weight.
    pub tfidf: f64,
}

/// The long table: for each document in corpus order, its terms best weight first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tfidf {
    /// The rows.
    pub rows: Vec<TfidfRow>,
}

impl Tfidf {
    /// The table `doc, term, count, tf, idf, tfidf`.
    pub fn table(&self) -> Table {
        let r = &self.rows;
        let mut t = Table::new();
        t.push_str("doc", r.iter().map(|x| x.doc.clone()).collect())
            .push_str("term", r.iter().map(|x| x.term.clone()).collect())
            .push_u64("count", r.iter().map(|x| x.count).collect())
            .push_f64("tf", r.iter().map(|x| x.tf).collect())
            .push_f64("idf", r.iter().map(|x| x.idf).collect())
            .push_f64("tfidf", r.iter().map(|x| x.tfidf).collect());
        t
    }
}

/// Pass 1: document frequencies on the job's threads (light normalization unless the job says
/// otherwise); notes and input errors go to the job's observer.
pub fn model(job: &Job, opts: &TfidfOptions) -> Result<TfidfModel> {
    let analyzer = job.analyzer(Normalizer::light());
    let docs = AtomicU64::new(0);
    let segments = job.segments()?.inspect(|s| {
        if s.last {
            docs.fetch_add(1, Ordering::Relaxed);
        }
    });
    let counter = job.install(|| count_parallel(segments, &analyzer, |_| true))?;
    let docs = docs.into_inner();
    let terms: Vec<_> = counter
        .into_sorted()
        .into_iter()
        .filter(|r| r.doc_freq >= opts.min_df)
        .collect();
    let mut vocab = Vocab::new();
    for r in &terms {
        vocab.intern(&r.term);
    }
    let idf = terms
        .iter()
        .map(|r| tfidf::idf(opts.idf, r.doc_freq, docs))
        .collect();
    Ok(TfidfModel {
        terms,
        idf,
        docs,
        vocab,
    })
}

/// Pass 2: read the inputs again in corpus order (quietly: pass 1 gave the messages) and
/// give each document's scores to `each` as soon as it ends. Fails when the inputs changed
/// since pass 1 (another number of documents), or when `each` fails.
pub fn score_documents<E: From<Error>>(
    job: &Job,
    model: &TfidfModel,
    opts: &TfidfOptions,
    mut each: impl FnMut(&DocScores) -> Result<(), E>,
) -> Result<(), E> {
    let analyzer = job.analyzer(Normalizer::light());
    let mut scratch = Scratch::default();
    let mut local: HashMap<u32, u64, foldhash::fast::FixedState> = HashMap::default();
    let mut row = 0u64;
    let mut label = String::new();
    for c in second_pass(job).chunks(false)? {
        if c.first {
            label = doc_label(&c);
        }
        analyzer.for_each_term(&c.text, &mut scratch, |t| {
            if let Some(id) = model.vocab.get(t) {
                *local.entry(id).or_insert(0) += 1;
            }
        });
        if !c.last {
            continue;
        }
        row += 1;
        let mut entries: Vec<(u32, u64)> = local.drain().collect();
        entries.sort_unstable();
        let max = entries.iter().map(|e| e.1).max().unwrap_or(0);
        let tf: Vec<f64> = entries
            .iter()
            .map(|&(_, c)| tfidf::tf(opts.tf, c, max))
            .collect();
        let mut weights: Vec<f64> = entries
            .iter()
            .zip(&tf)
            .map(|(&(id, _), tf)| tf * model.idf[id as usize])
            .collect();
        if opts.norm == Norm::L2 {
            tfidf::l2_normalize(&mut weights);
        }
        let doc = DocScores {
            row,
            label: label.clone(),
            entries,
            tf,
            weights,
        };
        each(&doc)?;
    }
    if row != model.docs {
        let n = model.docs;
        return Err(Error::invalid(format!(
            "the inputs changed between the two passes ({n} then {row} documents)"
        ))
        .into());
    }
    Ok(())
}

/// The long table of tf-idf scores: both passes; for each document in corpus order, its
/// terms best weight first (ties by term), the `top` best when given.
pub fn tfidf(job: &Job, opts: &TfidfOptions) -> Result<Output<Tfidf>> {
    let model = model(job, opts)?;
    let mut rows = Vec::new();
    long_rows(job, &model, opts, |r: TfidfRowRef<'_>| -> Result<()> {
        rows.push(TfidfRow {
            doc: r.doc.to_string(),
            term: r.term.to_string(),
            count: r.count,
            tf: r.tf,
            idf: r.idf,
            tfidf: r.tfidf,
        });
        Ok(())
    })?;
    Ok(job.output(Tfidf { rows }))
}

/// A row of the long table, borrowed; see [`long_rows`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TfidfRowRef<'a> {
    /// The document's label.
    pub doc: &'a str,
    /// The term.
    pub term: &'a str,
    /// Its count in the document.
    pub count: u64,
    /// Its tf.
    pub tf: f64,
    /// Its idf.
    pub idf: f64,
    /// Its (normalized) tf-idf weight.
    pub tfidf: f64,
}

impl TfidfRowRef<'_> {
    /// The columns of [`Tfidf::table`], for a [`RowWriter`].
    pub const COLUMNS: [(&'static str, ColumnKind); 6] = [
        ("doc", ColumnKind::Str),
        ("term", ColumnKind::Str),
        ("count", ColumnKind::U64),
        ("tf", ColumnKind::F64),
        ("idf", ColumnKind::F64),
        ("tfidf", ColumnKind::F64),
    ];

    /// Writes the row to `w` (made with [`TfidfRowRef::COLUMNS`]).
    pub fn write(&self, w: &mut RowWriter<'_>) -> Result<()> {
        w.row(&[
            Value::Str(self.doc),
            Value::Str(self.term),
            Value::U64(self.count),
            Value::F64(self.tf),
            Value::F64(self.idf),
            Value::F64(self.tfidf),
        ])?;
        Ok(())
    }
}

/// Pass 2 of [`tfidf()`] with the `model` of pass 1: the rows of the long table, given to
/// `each` one by one as each document is scored, so the table is never held.
pub fn long_rows<E: From<Error>>(
    job: &Job,
    model: &TfidfModel,
    opts: &TfidfOptions,
    mut each: impl FnMut(TfidfRowRef<'_>) -> Result<(), E>,
) -> Result<(), E> {
    score_documents(job, model, opts, |d: &DocScores| -> Result<(), E> {
        for i in d
            .ranked(model)
            .into_iter()
            .take(opts.top.unwrap_or(usize::MAX))
        {
            let (id, count) = d.entries[i];
            each(TfidfRowRef {
                doc: &d.label,
                term: &model.terms[id as usize].term,
                count,
                tf: d.tf[i],
                idf: model.idf[id as usize],
                tfidf: d.weights[i],
            })?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    #[test]
    fn streamed_long_rows_are_the_held_table() {
        let opts = TfidfOptions::default();
        let held = tfidf(&job(), &opts).unwrap().value;
        let mut want = Vec::new();
        kalima_frame::write_dataframe(
            &mut held.table().to_dataframe().unwrap(),
            kalima_frame::OutputFormat::Jsonl,
            &mut want,
        )
        .unwrap();
        let m = model(&job(), &opts).unwrap();
        let mut got = Vec::new();
        let mut w = RowWriter::new(
            &TfidfRowRef::COLUMNS,
            kalima_frame::OutputFormat::Jsonl,
            &mut got,
        )
        .unwrap();
        long_rows(&job(), &m, &opts, |r: TfidfRowRef<'_>| r.write(&mut w)).unwrap();
        w.finish().unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }

    fn job() -> Job<'static> {
        Job::new(Source::Texts(vec![
            "أ ب ب".into(),
            "أ ج".into(),
            "د".into(),
        ]))
    }

    #[test]
    fn model_counts_documents_and_keeps_min_df() {
        let opts = TfidfOptions {
            min_df: 2,
            ..TfidfOptions::default()
        };
        let m = model(&job(), &opts).unwrap();
        assert_eq!(m.docs, 3);
        assert_eq!(m.terms.len(), 1);
        assert_eq!((m.terms[0].term.as_str(), m.nnz()), ("أ", 2));
        assert!((m.idf[0] - 1.5f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn documents_come_in_order_with_rows_from_one() {
        let opts = TfidfOptions::default();
        let m = model(&job(), &opts).unwrap();
        let mut seen = vec![];
        score_documents(&job(), &m, &opts, |d: &DocScores| -> Result<()> {
            seen.push((d.row, d.label.clone(), d.entries.len()));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                (1, "text[0]".into(), 2),
                (2, "text[1]".into(), 2),
                (3, "text[2]".into(), 1)
            ]
        );
    }

    #[test]
    fn other_inputs_in_pass_two_are_an_error() {
        let opts = TfidfOptions::default();
        let m = model(&job(), &opts).unwrap();
        let fewer = Job::new(Source::Texts(vec!["أ".into()]));
        let e = score_documents(&fewer, &m, &opts, |_: &DocScores| -> Result<()> { Ok(()) })
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the inputs changed between the two passes (3 then 1 documents)"
        );
    }

    #[test]
    fn top_keeps_the_best_of_each_document() {
        let opts = TfidfOptions {
            top: Some(1),
            norm: Norm::None,
            ..TfidfOptions::default()
        };
        let t = tfidf(&job(), &opts).unwrap().value;
        let terms: Vec<_> = t.rows.iter().map(|r| r.term.as_str()).collect();
        assert_eq!(terms, ["ب", "ج", "د"]);
        // ب: count 2 (raw tf) × ln(3/1), not normalized.
        assert!((t.rows[0].tfidf - 2.0 * 3f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn variants_parse_by_the_names_they_serialize_to() {
        for name in ["raw", "log", "augmented", "boolean"] {
            let tf = parse_tf(name).unwrap();
            let o = TfidfOptions {
                tf,
                ..TfidfOptions::default()
            };
            assert!(
                serde_json::to_string(&o)
                    .unwrap()
                    .contains(&format!("\"tf\":\"{name}\""))
            );
        }
        for name in ["idf", "smooth", "prob", "none"] {
            let idf = parse_idf(name).unwrap();
            let o = TfidfOptions {
                idf,
                ..TfidfOptions::default()
            };
            assert!(
                serde_json::to_string(&o)
                    .unwrap()
                    .contains(&format!("\"idf\":\"{name}\""))
            );
        }
        assert_eq!("none".parse(), Ok(Norm::None));
        assert!(parse_tf("x").is_err() && parse_idf("x").is_err() && "x".parse::<Norm>().is_err());
    }

    #[test]
    fn options_serialize_by_name() {
        let o = TfidfOptions::default();
        let j = serde_json::to_string(&o).unwrap();
        assert!(
            j.contains("\"tf\":\"raw\"") && j.contains("\"idf\":\"idf\""),
            "{j}"
        );
        assert_eq!(serde_json::from_str::<TfidfOptions>(&j).unwrap(), o);
    }
}
