//! The kalima frequency report as a self-contained HTML page and as Markdown, built from
//! plain data.
//!
//! This crate knows nothing of corpora or counting: the caller fills a [`ReportData`] (an
//! [`Overview`], [`RankedTable`]s for terms and n-grams, [`KeynessTable`]s, [`LexdivRow`]s,
//! [`DispersionRow`]s, …, each section optional with a reason when absent) and gets
//!
//! - [`html`]: one page with no external resource (inline CSS, a few lines of inline JS for
//!   sortable and filterable tables that stay readable without JS, charts inline as SVG or
//!   `data:` PNG), `dir="rtl"` `lang="ar"`, every corpus string escaped and isolated
//!   with `<bdi>` so Latin terms and numbers keep their order inside Arabic text;
//! - [`markdown`]: the same content as Markdown, with the chart files it links to.
//!
//! Corpus text is untrusted: every term, title, file name and group name goes through
//! [`escape::html`] or [`escape::markdown`]; chart and data file names are made by
//! [`escape::file_stem`], so they cannot leave the output folder.
//!
//! Each section is built by a function of plain data ([`sections`]), so a section whose
//! numbers come from another command only needs its data filled in.
//!
//! # Example
//! ```
//! use kalima_report::{Overview, RankedRow, RankedTable, ReportData, html};
//!
//! let mut data = ReportData::new("تقرير <تجريبي>");
//! data.overview.documents = 2;
//! data.overview.tokens = 5;
//! data.top_terms = Ok(RankedTable {
//!     rows: vec![RankedRow { term: "كتاب".into(), count: 3, doc_freq: Some(2), per_million: 600_000.0 }],
//!     chart: None,
//! });
//! let page = html(&data);
//! assert!(page.contains(r#"<html lang="ar" dir="rtl">"#));
//! assert!(page.contains("كتاب"));
//! assert!(page.contains("تقرير &lt;تجريبي&gt;"));
//! ```
#![deny(missing_docs)]

pub mod escape;
mod html;
mod markdown;
pub mod sections;

pub use html::html;
pub use markdown::{ChartFile, markdown};

/// A chart made elsewhere (kalima-plot): SVG text to inline and/or PNG bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart {
    /// File-name stem for the Markdown's chart file (sanitised with [`escape::file_stem`]).
    pub name: String,
    /// Alternative text (escaped on output).
    pub alt: String,
    /// A complete `<svg>` element, inlined in the page as is: it must come from a trusted
    /// generator that escapes its own text.
    pub svg: Option<String>,
    /// PNG bytes: inlined as a `data:` URI in the page, written next to the Markdown.
    pub png: Option<Vec<u8>>,
}

/// A section's data, or why it is absent (shown in the report instead of the section).
pub type Part<T> = Result<T, String>;

/// Everything a report shows. Absent parts say why (`Err(reason)`).
#[derive(Debug, Clone)]
pub struct ReportData {
    /// Page title (untrusted: escaped).
    pub title: String,
    /// The tool and version that made the report, e.g. `kalima 0.1.0`.
    pub generator: String,
    /// Corpus overview.
    pub overview: Overview,
    /// Most frequent terms.
    pub top_terms: Part<RankedTable>,
    /// Most frequent bigrams (terms joined by a space).
    pub bigrams: Part<RankedTable>,
    /// Most frequent trigrams.
    pub trigrams: Part<RankedTable>,
    /// Collocates of the top terms, one table per node.
    pub collocates: Part<Vec<Collocates>>,
    /// Keyness tables: target against reference, or each group against the rest.
    pub keyness: Part<Vec<KeynessTable>>,
    /// Terms over time.
    pub over_time: Part<TimeSeries>,
    /// Dispersion of the top terms.
    pub dispersion: Part<DispersionTable>,
    /// Rank–frequency distribution and Zipf fit.
    pub zipf: Part<Zipf>,
    /// Vocabulary growth and Heaps fit.
    pub heaps: Part<Heaps>,
    /// Lexical diversity measures of the whole corpus.
    pub lexdiv: Part<Vec<LexdivRow>>,
}

impl ReportData {
    /// Empty data titled `title`: every optional part says "not computed".
    pub fn new(title: &str) -> Self {
        fn nc<T>() -> Part<T> {
            Err("not computed in this run".to_string())
        }
        ReportData {
            title: title.to_string(),
            generator: String::new(),
            overview: Overview::default(),
            top_terms: nc(),
            bigrams: nc(),
            trigrams: nc(),
            collocates: nc(),
            keyness: nc(),
            over_time: nc(),
            dispersion: nc(),
            zipf: nc(),
            heaps: nc(),
            lexdiv: nc(),
        }
    }
}

/// The corpus at a glance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    /// Documents read.
    pub documents: u64,
    /// Tokens counted.
    pub tokens: u64,
    /// Distinct terms.
    pub types: u64,
    /// Mean document length in tokens.
    pub mean_doc_len: f64,
    /// Median document length in tokens.
    pub median_doc_len: f64,
    /// Input files (or archive members) read.
    pub files: u64,
    /// Encodings seen, with the number of files in each.
    pub encodings: Vec<(String, u64)>,
    /// Formats seen, with the number of files in each.
    pub formats: Vec<(String, u64)>,
    /// Inputs that were skipped or failed, with why.
    pub skipped: Vec<Skipped>,
    /// The exact options used, as `(option, value)`.
    pub options: Vec<(String, String)>,
}

/// An input that was skipped or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The path (untrusted).
    pub path: String,
    /// Why, one line.
    pub reason: String,
}

/// A ranked list of terms or n-grams with counts, in the report's order (count descending,
/// then term by code point).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RankedTable {
    /// The rows, rank 1 first.
    pub rows: Vec<RankedRow>,
    /// A bar chart of the rows, when made.
    pub chart: Option<Chart>,
}

/// One row of a [`RankedTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct RankedRow {
    /// The term or n-gram.
    pub term: String,
    /// Occurrences.
    pub count: u64,
    /// Documents containing it, when counted (n-grams are not counted per document).
    pub doc_freq: Option<u64>,
    /// Occurrences per million tokens.
    pub per_million: f64,
}

/// Collocates of one node term.
#[derive(Debug, Clone, PartialEq)]
pub struct Collocates {
    /// The node term.
    pub node: String,
    /// The window, e.g. `±5 tokens`.
    pub window: String,
    /// Collocates, best first.
    pub rows: Vec<CollocateRow>,
}

/// One collocate of a node.
#[derive(Debug, Clone, PartialEq)]
pub struct CollocateRow {
    /// The collocate.
    pub term: String,
    /// Co-occurrences with the node in the window (`O11`).
    pub cooc: u64,
    /// Corpus frequency of the collocate.
    pub freq: u64,
    /// logDice (Rychlý 2008).
    pub log_dice: f64,
}

/// Keywords of a target against a reference.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessTable {
    /// Name of the target (corpus paths or group value; untrusted).
    pub target: String,
    /// Name of the reference.
    pub reference: String,
    /// Tokens in the target.
    pub target_tokens: u64,
    /// Tokens in the reference.
    pub reference_tokens: u64,
    /// Keywords, strongest first.
    pub rows: Vec<KeynessRow>,
}

/// One keyword.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessRow {
    /// The term.
    pub term: String,
    /// Frequency in the target.
    pub target_freq: u64,
    /// Frequency in the reference.
    pub reference_freq: u64,
    /// Signed log-likelihood G² (Rayson & Garside 2000).
    pub log_likelihood: f64,
    /// Log ratio (Hardie 2014).
    pub log_ratio: f64,
}

/// Relative frequencies of a few terms per period.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries {
    /// The terms (columns).
    pub terms: Vec<String>,
    /// `(period, tokens in the period, per-million frequency of each term)`, in time order.
    pub rows: Vec<(String, u64, Vec<f64>)>,
    /// A line chart, when made.
    pub chart: Option<Chart>,
}

/// Dispersion of the top terms over the parts of the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct DispersionTable {
    /// What the parts are, e.g. `199 documents`.
    pub parts: String,
    /// One row per term.
    pub rows: Vec<DispersionRow>,
}

/// Dispersion of one term.
#[derive(Debug, Clone, PartialEq)]
pub struct DispersionRow {
    /// The term.
    pub term: String,
    /// Corpus frequency.
    pub count: u64,
    /// Parts in which it occurs.
    pub range: u64,
    /// Gries' DP (0 = perfectly even).
    pub dp: f64,
    /// DP normalised (Lijffijt & Gries 2012).
    pub dp_norm: f64,
    /// Juilland's D (1 = perfectly even).
    pub juilland_d: f64,
}

/// A fitted law: its name, parameters and goodness of fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// E.g. `Zipf (maximum likelihood)`.
    pub model: String,
    /// Parameter names and values.
    pub params: Vec<(String, f64)>,
    /// Goodness-of-fit statistics, e.g. `("R²", 0.98)`.
    pub goodness: Vec<(String, f64)>,
}

/// The rank–frequency distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Zipf {
    /// `(rank, frequency)` at a few ranks (e.g. 1, 2, 5, 10, …).
    pub points: Vec<(u64, u64)>,
    /// The fitted laws (e.g. Zipf, Zipf–Mandelbrot), best known first.
    pub fits: Vec<Fit>,
    /// The log–log plot, when made.
    pub chart: Option<Chart>,
}

/// Vocabulary growth.
#[derive(Debug, Clone, PartialEq)]
pub struct Heaps {
    /// `(tokens read, types seen)`.
    pub points: Vec<(u64, u64)>,
    /// The fitted laws.
    pub fits: Vec<Fit>,
    /// The plot, when made.
    pub chart: Option<Chart>,
}

/// One lexical diversity measure of the corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct LexdivRow {
    /// The measure's name, e.g. `Yule's K`.
    pub measure: String,
    /// Its value.
    pub value: f64,
    /// The formula and its source, short.
    pub formula: String,
}
