//! `kalima tfidf`: document-term tf-idf scores (`kalima::tfidf`), as a long table
//! (`doc, term, count, tf, idf, tfidf`) or as a sparse Matrix Market export written here
//! while the documents are scored, one at a time.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args as ClapArgs;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use kalima::tfidf::{self, DocScores, Norm, TfidfOptions, TfidfRowRef, long_rows, score_documents};
use kalima_fs::AtomicFile;
use kalima_stats::tfidf::{Idf, Tf};

use crate::Outcome;
use crate::common::{CorpusArgs, OutputArgs, Reporter, outcome};
use crate::output::{choose_format, write_rows};

/// A value parser of the names in `values` (`name`, help) into `T` by `parse`.
fn variants<T: Clone + Send + Sync + 'static>(
    values: [(&'static str, &'static str); 4],
    parse: fn(&str) -> Result<T, String>,
) -> impl TypedValueParser<Value = T> {
    let values = values.map(|(name, help)| PossibleValue::new(name).help(help));
    PossibleValuesParser::new(values).try_map(move |s| parse(&s))
}

/// Arguments of `kalima tfidf`.
#[derive(Debug, ClapArgs)]
#[command(mut_arg("paths", |a| a.help(
    "Input files or directories (recursed), compressed files and archives (read twice: \
     standard input is not accepted)"
)))]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Unit of the document-term matrix (documents)
    #[arg(long, value_name = "doc", default_value = "doc", value_parser = ["doc"])]
    pub by: String,
    /// Term-frequency variant
    #[arg(long, default_value = "raw", value_parser = variants([
        ("raw", "the count"),
        ("log", "1 + ln(count)"),
        ("augmented", "0.5 + 0.5·count/max count in the document"),
        ("boolean", "1 when present"),
    ], tfidf::parse_tf))]
    pub tf: Tf,
    /// Inverse-document-frequency variant
    #[arg(long, default_value = "idf", value_parser = variants([
        ("idf", "ln(N/df)"),
        ("smooth", "ln((1+N)/(1+df)) + 1 (scikit-learn's default)"),
        ("prob", "max(0, ln((N−df)/df))"),
        ("none", "1 (tf only)"),
    ], tfidf::parse_idf))]
    pub idf: Idf,
    /// Normalization of each document vector
    #[arg(long, default_value = "l2", value_parser = PossibleValuesParser::new([
        PossibleValue::new("l2").help("divide each document vector by its Euclidean norm"),
        PossibleValue::new("none").help("no normalization"),
    ]).try_map(|s| s.parse::<Norm>()))]
    pub norm: Norm,
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
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let job = args.corpus.job(args.out.threads, &reporter);
    let opts = TfidfOptions {
        tf: args.tf,
        idf: args.idf,
        norm: args.norm,
        top: args.top,
        min_df: args.min_df,
    };
    let Some(prefix) = &args.matrix else {
        // Pass 2 streams the long table as the documents are scored: it is never held.
        let model = tfidf::model(&job, &opts)?;
        write_rows(
            &TfidfRowRef::COLUMNS,
            format,
            args.out.output.as_deref(),
            |w| long_rows(&job, &model, &opts, |r: TfidfRowRef<'_>| r.write(w)),
        )?;
        let out = job.output(());
        reporter.finish();
        return Ok(outcome(&out));
    };
    let model = tfidf::model(&job, &opts)?;
    let mut m = MatrixWriter::new(prefix, model.docs, model.terms.len(), model.nnz())?;
    m.write_side("terms.txt", model.terms.iter().map(|r| r.term.as_str()))?;
    let mut labels = Vec::new();
    score_documents(&job, &model, &opts, |d: &DocScores| -> Result<()> {
        labels.push(d.label.clone());
        m.doc(d)
    })?;
    let out = job.output(());
    reporter.finish();
    m.write_side("docs.txt", labels.iter().map(String::as_str))?;
    m.finish()?;
    Ok(outcome(&out))
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

fn with_suffix(prefix: &Path, suffix: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

impl MatrixWriter {
    fn new(prefix: &Path, rows: u64, cols: usize, nnz: u64) -> Result<Self> {
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

    /// One document's row: `row column weight` per term, 1-based.
    fn doc(&mut self, d: &DocScores) -> Result<()> {
        for (&(id, _), x) in d.entries.iter().zip(&d.weights) {
            writeln!(self.out, "{} {} {x}", d.row, id + 1)
                .with_context(|| format!("writing {}", self.out.get_ref().target().display()))?;
        }
        self.written += d.entries.len() as u64;
        Ok(())
    }

    /// A companion text file, one line each (line breaks in them become spaces), put in place
    /// with the matrix by `finish`.
    fn write_side<'a>(&mut self, suffix: &str, lines: impl Iterator<Item = &'a str>) -> Result<()> {
        let mut text = String::new();
        for l in lines {
            text.push_str(&l.replace(['\n', '\r'], " "));
            text.push('\n');
        }
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
