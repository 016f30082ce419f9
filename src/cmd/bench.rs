//! `kalima bench`: benchmark tokenizers on a corpus: throughput, fertility, coverage, round
//! trip, and agreement with a gold word segmentation (see [`kalima::bench`]).

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args as ClapArgs, ValueEnum};
use kalima::bench::{BenchOptions, DEFAULT_TOKENIZERS, bench, parse_bytes};
use kalima::{Job, Source};

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, outcome};
use crate::output::{choose_format, write_table};

/// What one item of a batch is when timing (twin of [`kalima::bench::BatchUnit`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchUnit {
    /// A line without its line break (empty lines left out)
    Line,
    /// A document (file, record, archive member), or a 256 KiB block of lines of a larger one
    Document,
}

impl From<BatchUnit> for kalima::bench::BatchUnit {
    fn from(u: BatchUnit) -> Self {
        match u {
            BatchUnit::Line => kalima::bench::BatchUnit::Line,
            BatchUnit::Document => kalima::bench::BatchUnit::Document,
        }
    }
}

/// Arguments of `kalima bench`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Corpus files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Tokenizers, comma-separated: kalima schemes (words, camel, whitespace; SCHEME@PRESET for
    /// a normalization), bpe, wordpiece, unigram (trained here; NAME:VOCAB for one size, else
    /// every --vocab size), tiktoken:cl100k_base, tiktoken:o200k_base
    #[arg(long, short = 't', value_name = "LIST", default_value = DEFAULT_TOKENIZERS)]
    pub tokenizers: String,
    /// Vocabulary sizes of the trained models (comma-separated)
    #[arg(
        long,
        value_name = "N,...",
        value_delimiter = ',',
        default_value = "32000"
    )]
    pub vocab: Vec<usize>,
    /// A Hugging Face tokenizer.json to benchmark too (repeatable)
    #[arg(long = "tokenizer-json", value_name = "FILE")]
    pub tokenizer_json: Vec<PathBuf>,
    /// Normalization of the kalima schemes (repeatable: one row per value): a preset (none,
    /// light, search) or comma-separated steps; default none
    #[arg(long, value_name = "STEPS")]
    pub normalize: Vec<String>,
    /// Gold segmentation (CoNLL-U; repeatable, read as one set): adds word and boundary
    /// precision, recall and F1 and fertility per gold word
    #[arg(long, value_name = "FILE.conllu")]
    pub gold: Vec<PathBuf>,
    /// Share of units drawn for the training part
    #[arg(long, value_name = "F", default_value_t = 0.1)]
    pub train_fraction: f64,
    /// At most this much training text (K, M, G suffixes); units drawn for training beyond it
    /// join the test part
    #[arg(long, value_name = "BYTES", default_value = "32M", value_parser = parse_bytes)]
    pub train_bytes: u64,
    /// Throughput is timed on the first BYTES of the test part, held in memory
    #[arg(long, value_name = "BYTES", default_value = "16M", value_parser = parse_bytes)]
    pub speed_bytes: u64,
    /// Items of the timed batches: each tokenizer's own batch call (Hugging Face
    /// encode_batch) gets 1000 of them at a time, on all threads and then on one
    #[arg(long, value_enum, value_name = "UNIT", default_value = "line")]
    pub batch_unit: BatchUnit,
    /// Benchmark on a deterministic sample: keep this share of the units
    #[arg(long, value_name = "F")]
    pub sample: Option<f64>,
    /// Seed of the train/test split and of the sample
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Leave out the timing columns (their values change from run to run); the rest of the
    /// table is then byte-identical for any thread count
    #[arg(long)]
    pub no_timing: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Run `kalima bench`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    reporter.expect_input(&args.paths);
    let job = Job::new(Source::Paths(args.paths))
        .with_read(args.input.read_options(false))
        .with_threads(args.out.threads)
        .observed(&reporter);
    let opts = BenchOptions {
        tokenizers: args.tokenizers,
        vocab: args.vocab,
        tokenizer_json: args.tokenizer_json,
        normalize: args.normalize,
        gold: args.gold,
        train_fraction: args.train_fraction,
        train_bytes: args.train_bytes,
        speed_bytes: args.speed_bytes,
        batch_unit: args.batch_unit.into(),
        sample: args.sample,
        seed: args.seed,
        timing: !args.no_timing,
    };
    let out = bench(&job, &opts)?;
    reporter.finish();
    write_table(&out.value.table(), format, args.out.output.as_deref())?;
    Ok(outcome(&out))
}
