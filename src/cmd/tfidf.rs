//! `kalima tfidf`: document-term tf-idf scores (`kalima_stats::tfidf`), as a long table
//! (`doc, term, count, tf, idf, tfidf`) or as a sparse Matrix Market export.
//!
//! Two passes over the inputs: pass 1 counts document frequencies in parallel; pass 2 reads
//! the documents in order and scores each one as soon as it ends. Memory: the vocabulary and
//! one document's counts (plus the long table when it is written to stdout or a file).

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, ValueEnum};
use hashbrown::HashMap;
use kalima_frame::Table;
use kalima_fs::AtomicFile;
use kalima_stats::tfidf::{self, Idf, Tf};
use kalima_stats::engine::Segment;
use kalima_stats::{Vocab, count_parallel};
use kalima_text::{Normalizer, Scratch};

use crate::Outcome;
use crate::cmd::lexdiv::doc_label;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, thread_pool};
use crate::output::{choose_format, write_table};

/// `--tf`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TfArg {
    /// the count
    Raw,
    /// 1 + ln(count)
    Log,
    /// 0.5 + 0.5·count/max count in the document
    Augmented,
    /// 1 when present
    Boolean,
}

/// `--idf`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum IdfArg {
    /// ln(N/df)
    Idf,
    /// ln((1+N)/(1+df)) + 1 (scikit-learn's default)
    Smooth,
    /// max(0, ln((N−df)/df))
    Prob,
    /// 1 (tf only)
    None,
}

/// `--norm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NormArg {
    /// divide each document vector by its Euclidean norm
    L2,
    /// no normalization
    None,
}

/// Arguments of `kalima tfidf`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives (read twice:
    /// standard input is not accepted)
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Unit of the document-term matrix (documents)
    #[arg(long, value_name = "doc", default_value = "doc", value_parser = ["doc"])]
    pub by: String,
    /// Term-frequency variant
    #[arg(long, value_enum, default_value = "raw")]
    pub tf: TfArg,
    /// Inverse-document-frequency variant
    #[arg(long, value_enum, default_value = "idf")]
    pub idf: IdfArg,
    /// Normalization of each document vector
    #[arg(long, value_enum, default_value = "l2")]
    pub norm: NormArg,
    /// Long table: keep only the N best-scoring terms of each document
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop terms seen in fewer than N documents (before scoring)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_df: u64,
    /// Write the matrix as PREFIX.mtx (Matrix Market coordinate, documents × terms, 1-based),
    /// PREFIX.terms.txt (column terms) and PREFIX.docs.txt (row documents) instead of the
    /// long table
    #[arg(long, value_name = "PREFIX")]
    pub matrix: Option<PathBuf>,
}

/// Run `kalima tfidf`.
pub fn run(args: Args) -> Result<Outcome> {
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let tf_kind = match args.tf {
        TfArg::Raw => Tf::Raw,
        TfArg::Log => Tf::Log,
        TfArg::Augmented => Tf::Augmented,
        TfArg::Boolean => Tf::Boolean,
    };
    let idf_kind = match args.idf {
        IdfArg::Idf => Idf::Idf,
        IdfArg::Smooth => Idf::Smooth,
        IdfArg::Prob => Idf::Prob,
        IdfArg::None => Idf::None,
    };
    // Pass 1: document frequencies and the number of documents.
    let docs = std::sync::atomic::AtomicU64::new(0);
    let corpus = args.input.open(&args.paths, false, false)?;
    let pieces = corpus.filter_map(|ev| reporter.filter(ev)).map(|c| {
        if c.last {
            docs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Segment::new(c.doc, c.first, c.last, c.text)
    });
    let pool = thread_pool(args.out.threads)?;
    let counter = pool.install(|| count_parallel(pieces, &analyzer, |_| true));
    let n_docs = docs.into_inner();
    let rows: Vec<_> = counter
        .into_sorted()
        .into_iter()
        .filter(|r| r.doc_freq >= args.min_df)
        .collect();
    let mut vocab = Vocab::new();
    for r in &rows {
        vocab.intern(&r.term);
    }
    let idfs: Vec<f64> = rows
        .iter()
        .map(|r| tfidf::idf(idf_kind, r.doc_freq, n_docs))
        .collect();
    let nnz: u64 = rows.iter().map(|r| r.doc_freq).sum();

    let mut sink = match &args.matrix {
        Some(prefix) => Sink::Matrix(MatrixWriter::new(prefix, n_docs, rows.len(), nnz)?),
        None => Sink::Long(Long::default()),
    };
    if let Sink::Matrix(m) = &mut sink {
        let mut terms = String::new();
        for r in &rows {
            terms.push_str(&r.term.replace(['\n', '\r'], " "));
            terms.push('\n');
        }
        m.write_side("terms.txt", &terms)?;
    }

    // Pass 2: one document at a time.
    let corpus = args.input.open(&args.paths, false, false)?;
    let mut scratch = Scratch::default();
    let mut local: HashMap<u32, u64, foldhash::fast::FixedState> = HashMap::default();
    let mut doc_index = 0u64;
    let mut label = String::new();
    let mut doc_labels = String::new();
    for ev in corpus {
        let kalima_corpus::Event::Chunk(c) = ev else {
            continue;
        };
        if c.first {
            label = doc_label(&c);
        }
        analyzer.for_each_term(&c.text, &mut scratch, |t| {
            if let Some(id) = vocab.get(t) {
                *local.entry(id).or_insert(0) += 1;
            }
        });
        if !c.last {
            continue;
        }
        doc_index += 1;
        doc_labels.push_str(&label.replace(['\n', '\r'], " "));
        doc_labels.push('\n');
        let mut entries: Vec<(u32, u64)> = local.drain().collect();
        entries.sort_unstable();
        let max = entries.iter().map(|e| e.1).max().unwrap_or(0);
        let mut w: Vec<f64> = entries
            .iter()
            .map(|&(id, c)| tfidf::tf(tf_kind, c, max) * idfs[id as usize])
            .collect();
        if args.norm == NormArg::L2 {
            tfidf::l2_normalize(&mut w);
        }
        match &mut sink {
            Sink::Matrix(m) => m.doc(doc_index, &entries, &w)?,
            Sink::Long(l) => {
                let mut order: Vec<usize> = (0..entries.len()).collect();
                order.sort_by(|&a, &b| {
                    w[b].total_cmp(&w[a]).then_with(|| {
                        rows[entries[a].0 as usize]
                            .term
                            .cmp(&rows[entries[b].0 as usize].term)
                    })
                });
                for &i in order.iter().take(args.top.unwrap_or(usize::MAX)) {
                    let (id, c) = entries[i];
                    l.doc.push(label.clone());
                    l.term.push(rows[id as usize].term.clone());
                    l.count.push(c);
                    l.tf.push(tfidf::tf(tf_kind, c, max));
                    l.idf.push(idfs[id as usize]);
                    l.score.push(w[i]);
                }
            }
        }
    }
    if doc_index != n_docs {
        bail!("the inputs changed between the two passes ({n_docs} then {doc_index} documents)");
    }
    let outcome = reporter.finish();
    match sink {
        Sink::Matrix(mut m) => {
            m.write_side("docs.txt", &doc_labels)?;
            m.finish()?;
        }
        Sink::Long(l) => {
            let mut t = Table::new();
            t.push_str("doc", l.doc)
                .push_str("term", l.term)
                .push_u64("count", l.count)
                .push_f64("tf", l.tf)
                .push_f64("idf", l.idf)
                .push_f64("tfidf", l.score);
            write_table(&t, format, args.out.output.as_deref())?;
        }
    }
    Ok(outcome)
}

enum Sink {
    Long(Long),
    Matrix(MatrixWriter),
}

#[derive(Default)]
struct Long {
    doc: Vec<String>,
    term: Vec<String>,
    count: Vec<u64>,
    tf: Vec<f64>,
    idf: Vec<f64>,
    score: Vec<f64>,
}

/// Streams the Matrix Market file to a temporary file beside `PREFIX.mtx`; the three files
/// are renamed into place together at the end, so a failed or interrupted run leaves the
/// previous set whole and no temporary file.
struct MatrixWriter {
    prefix: PathBuf,
    out: BufWriter<AtomicFile>,
    sides: Vec<AtomicFile>,
    nnz: u64,
    written: u64,
}

fn with_suffix(prefix: &std::path::Path, suffix: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

impl MatrixWriter {
    fn new(prefix: &std::path::Path, rows: u64, cols: usize, nnz: u64) -> Result<Self> {
        let path = with_suffix(prefix, "mtx");
        let file =
            AtomicFile::create(&path).with_context(|| format!("writing {}", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        writeln!(out, "%%MatrixMarket matrix coordinate real general")?;
        writeln!(
            out,
            "% kalima tfidf: rows = documents (.docs.txt), columns = terms (.terms.txt)"
        )?;
        writeln!(out, "{rows} {cols} {nnz}")?;
        Ok(MatrixWriter {
            prefix: prefix.to_path_buf(),
            out,
            sides: Vec::new(),
            nnz,
            written: 0,
        })
    }

    fn doc(&mut self, row: u64, entries: &[(u32, u64)], w: &[f64]) -> Result<()> {
        for (&(id, _), x) in entries.iter().zip(w) {
            writeln!(self.out, "{row} {} {x}", id + 1)
                .with_context(|| format!("writing {}", self.out.get_ref().target().display()))?;
        }
        self.written += entries.len() as u64;
        Ok(())
    }

    /// A companion text file, put in place with the matrix by `finish`.
    fn write_side(&mut self, suffix: &str, text: &str) -> Result<()> {
        let path = with_suffix(&self.prefix, suffix);
        let mut f =
            AtomicFile::create(&path).with_context(|| format!("writing {}", path.display()))?;
        f.write_all(text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        self.sides.push(f);
        Ok(())
    }

    fn finish(self) -> Result<()> {
        let path = self.out.get_ref().target().to_path_buf();
        if self.written != self.nnz {
            bail!(
                "internal: {} entries written, {} announced",
                self.written,
                self.nnz
            );
        }
        let file = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", path.display()))?;
        for f in std::iter::once(file).chain(self.sides) {
            let p = f.target().to_path_buf();
            f.commit()
                .with_context(|| format!("writing {}", p.display()))?;
        }
        Ok(())
    }
}
