//! `kalima lexdiv`: lexical diversity per document and for the whole corpus.
//!
//! The corpus is read once, in document order; each token becomes a `u32` id (4 bytes per
//! token are kept, so the sequence measures MATTR, MSTTR, MTLD and HD-D can run on each
//! document and on the whole corpus). Formulas and sources: `kalima_stats::lexdiv` and
//! docs/measures-corpus.md.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima_corpus::Chunk;
use kalima_frame::Table;
use kalima_stats::Vocab;
use kalima_stats::lexdiv::{self, Spectrum};
use kalima_text::{Normalizer, Scratch};
use rayon::prelude::*;

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, thread_pool};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima lexdiv`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// `doc`: one row per document, then the corpus row (last); without it, the corpus row only
    #[arg(long, value_name = "doc", value_parser = ["doc"])]
    pub by: Option<String>,
    /// MATTR window in tokens (Covington & McFall 2010 used 500)
    #[arg(long, value_name = "N", default_value_t = lexdiv::DEFAULT_WINDOW)]
    pub window: usize,
    /// MSTTR segment length in tokens
    #[arg(long, value_name = "N", default_value_t = lexdiv::DEFAULT_WINDOW)]
    pub segment: usize,
    /// MTLD factor threshold (McCarthy & Jarvis 2010)
    #[arg(long, value_name = "T", default_value_t = lexdiv::MTLD_THRESHOLD)]
    pub mtld_threshold: f64,
    /// HD-D sample size in tokens (McCarthy & Jarvis 2007)
    #[arg(long, value_name = "N", default_value_t = lexdiv::HDD_SAMPLE)]
    pub hdd_sample: usize,
}

/// The label of a document: its record name (`path:name`) when it has one, else its path.
pub(crate) fn doc_label(c: &Chunk) -> String {
    match &c.name {
        Some(n) => format!("{}:{n}", c.source.path),
        None => c.source.path.clone(),
    }
}

/// Run `kalima lexdiv`.
pub fn run(args: Args) -> Result<Outcome> {
    anyhow::ensure!(
        args.mtld_threshold > 0.0 && args.mtld_threshold < 1.0,
        "--mtld-threshold must be between 0 and 1"
    );
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let corpus = args.input.open(&args.paths, false, false)?;
    let mut vocab = Vocab::new();
    let mut ids: Vec<u32> = Vec::new();
    let mut docs: Vec<(String, usize, usize)> = Vec::new();
    let mut scratch = Scratch::default();
    for c in corpus.filter_map(|ev| reporter.filter(ev)) {
        if c.first {
            docs.push((doc_label(&c), ids.len(), ids.len()));
        }
        analyzer.for_each_term(&c.text, &mut scratch, |t| ids.push(vocab.intern(t).0));
        if let Some(d) = docs.last_mut() {
            d.2 = ids.len();
        }
    }
    let outcome = reporter.finish();
    let mut spans: Vec<(String, usize, usize)> = if args.by.is_some() { docs } else { vec![] };
    spans.push(("(corpus)".to_string(), 0, ids.len()));
    let pool = thread_pool(args.out.threads)?;
    let rows: Vec<Row> = pool.install(|| {
        spans
            .par_iter()
            .map(|(_, a, b)| Row::new(&ids[*a..*b], &args))
            .collect()
    });
    let table = build_table(spans.into_iter().map(|s| s.0).collect(), &rows);
    write_table(&table, format, args.out.output.as_deref())?;
    Ok(outcome)
}

/// Every measure of one token sequence.
struct Row {
    s: Spectrum,
    mattr: f64,
    msttr: f64,
    mtld: f64,
    hdd: f64,
}

impl Row {
    fn new(t: &[u32], args: &Args) -> Row {
        Row {
            s: Spectrum::from_tokens(t),
            mattr: lexdiv::mattr(t, args.window),
            msttr: lexdiv::msttr(t, args.segment),
            mtld: lexdiv::mtld(t, args.mtld_threshold),
            hdd: lexdiv::hdd(t, args.hdd_sample),
        }
    }
}

fn build_table(labels: Vec<String>, rows: &[Row]) -> Table {
    let col = |f: fn(&Row) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    let mut t = Table::new();
    t.push_str("doc", labels)
        .push_u64("tokens", rows.iter().map(|r| r.s.tokens()).collect())
        .push_u64("types", rows.iter().map(|r| r.s.types()).collect())
        .push_f64("ttr", col(|r| r.s.ttr()))
        .push_f64("herdan_c", col(|r| r.s.herdan_c()))
        .push_f64("guiraud_r", col(|r| r.s.guiraud_r()))
        .push_f64("cttr", col(|r| r.s.cttr()))
        .push_f64("dugast_u", col(|r| r.s.dugast_u()))
        .push_f64("summer_s", col(|r| r.s.summer_s()))
        .push_f64("yule_k", col(|r| r.s.yule_k()))
        .push_f64("yule_i", col(|r| r.s.yule_i()))
        .push_f64("simpson_d", col(|r| r.s.simpson_d()))
        .push_f64("herdan_vm", col(|r| r.s.herdan_vm()))
        .push_f64("maas_a2", col(|r| r.s.maas_a2()))
        .push_f64("mattr", col(|r| r.mattr))
        .push_f64("msttr", col(|r| r.msttr))
        .push_f64("mtld", col(|r| r.mtld))
        .push_f64("hdd", col(|r| r.hdd));
    t
}
