//! `kalima bench`: benchmark tokenizers on a corpus: throughput, fertility, coverage, round
//! trip, and agreement with a gold word segmentation.
//!
//! Three passes, memory bounded by `--train-bytes` + `--speed-bytes` + the vocabularies:
//! 1. read the corpus once, splitting its units (documents, or 256 KiB blocks of lines of a
//!    large document) into a training part (kept in memory up to `--train-bytes`) and a test
//!    part (streamed, only its first `--speed-bytes` kept for the throughput pass);
//! 2. train the subword models and collect the schemes' vocabularies on the training part;
//! 3. stream the test part again through every tokenizer in parallel across units, summing
//!    integer figures (the same for any thread count), then time each tokenizer alone on the
//!    in-memory speed sample with all threads, and score it against the gold file.
//!
//! Gold sentences a tokenizer was trained on are marked (`gold_overlaps_training`) and left
//! out of `word_f1_held_out`: the embedded clitic model's own training sentences (by key, see
//! `kalima_bench::gold::clitic_training_keys`), and for the models trained here, gold sentences
//! found in the training part.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args as ClapArgs;
use kalima_bench::gold::{
    GoldSentence, InText, SegScore, clitic_training_keys, read_conllu, score_words, sentence_key,
};
use kalima_bench::split::{Part, part};
use kalima_bench::{
    Encoded, HfTokenizer, KalimaScheme, Kind, Spec, Stats, Tiktoken, Tokenize, parse_specs,
    word_spans,
};
use kalima_corpus::{Event, ReadOptions};
use kalima_frame::Table;
use kalima_stats::segeval::SegScores;
use kalima_text::{Normalizer, Scheme};
use rayon::prelude::*;

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, thread_pool};
use crate::output::{choose_format, write_table};

/// Default `--tokenizers`.
const DEFAULT_TOKENIZERS: &str =
    "words,clitic,camel,whitespace,bpe,wordpiece,unigram,tiktoken:cl100k_base,tiktoken:o200k_base";

/// Size of a split unit when a document is large (a plain-text file is one document).
const UNIT_BYTES: usize = 256 * 1024;

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

/// Parse a byte count with an optional K/M/G suffix: 10^3, 10^6, 10^9 bytes (MB/s is
/// reported in 10^6 bytes too).
fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mul) = match t.char_indices().last() {
        Some((i, c)) if c.eq_ignore_ascii_case(&'k') => (&t[..i], 1e3),
        Some((i, c)) if c.eq_ignore_ascii_case(&'m') => (&t[..i], 1e6),
        Some((i, c)) if c.eq_ignore_ascii_case(&'g') => (&t[..i], 1e9),
        _ => (t, 1.0),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("not a size: {s:?} (e.g. 500K, 32M, 1G)"))?;
    if !(v >= 0.0 && v.is_finite()) {
        return Err(format!("not a size: {s:?}"));
    }
    Ok((v * mul) as u64)
}

/// A tokenizer ready to run, with how long it took to train or load.
struct Entry {
    name: String,
    kind: Kind,
    tok: Box<dyn Tokenize>,
    setup_seconds: f64,
    trained_on: TrainedOn,
}

/// What decided a tokenizer's cuts, as far as overlap with the gold sentences goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TrainedOn {
    /// Rules only (the vocabulary a scheme collects counts for `unk_rate`, not for its cuts).
    Rules,
    /// The clitic model embedded in kalima-text: its training sentences are known by key.
    CliticModel,
    /// The training part of this corpus: gold sentences are looked for in it.
    TrainingPart,
    /// Training data not known here (tiktoken encodings, tokenizer.json files).
    Unknown,
}

impl TrainedOn {
    fn of(spec: &Spec) -> Self {
        match spec {
            Spec::Scheme {
                scheme: Scheme::Clitic { .. },
                ..
            } => TrainedOn::CliticModel,
            Spec::Scheme { .. } => TrainedOn::Rules,
            Spec::Train { .. } => TrainedOn::TrainingPart,
            Spec::Tiktoken(_) | Spec::Json(_) => TrainedOn::Unknown,
        }
    }
}

/// Which part each unit goes to, including the overflow of the training part.
struct Splitter {
    seed: u64,
    sample: f64,
    train: f64,
    budget: u64,
    used: u64,
}

impl Splitter {
    fn place(&mut self, doc: u64, offset: u64, len: usize) -> Part {
        match part(self.seed, self.sample, self.train, doc, offset) {
            Part::Train if self.used + len as u64 <= self.budget => {
                self.used += len as u64;
                Part::Train
            }
            Part::Train => Part::Test,
            p => p,
        }
    }
}

/// Run `kalima bench`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let quiet = args.out.quiet;
    for (what, f) in [("--train-fraction", args.train_fraction)]
        .into_iter()
        .chain(args.sample.map(|s| ("--sample", s)))
    {
        if !(0.0..=1.0).contains(&f) {
            bail!("{what} must be between 0 and 1, not {f}");
        }
    }
    let normalizers = args
        .normalize
        .iter()
        .map(|n| {
            n.parse::<Normalizer>()
                .map(|v| (n.clone(), v))
                .map_err(|e| anyhow::anyhow!("--normalize {n:?}: {e}"))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut specs = parse_specs(&args.tokenizers, &args.vocab, &normalizers)?;
    specs.extend(args.tokenizer_json.iter().cloned().map(Spec::Json));
    if specs.is_empty() {
        bail!("no tokenizer to benchmark: give --tokenizers");
    }
    let mut gold: Vec<GoldSentence> = Vec::new();
    for g in &args.gold {
        let text =
            std::fs::read_to_string(g).with_context(|| format!("reading {}", g.display()))?;
        let s = read_conllu(&text);
        if s.is_empty() {
            bail!("{}: no CoNLL-U sentence found", g.display());
        }
        gold.extend(s);
    }
    let pool = thread_pool(args.out.threads)?;
    let opts = ReadOptions {
        chunk_size: UNIT_BYTES,
        ..args.input.read_options(false)
    };
    let splitter = || Splitter {
        seed: args.seed,
        sample: args.sample.unwrap_or(1.0),
        train: args.train_fraction,
        budget: args.train_bytes,
        used: 0,
    };
    let say = |m: &str| {
        if !quiet {
            eprintln!("kalima: {m}");
        }
    };

    // Pass 1: the training part and the speed sample.
    let reporter = Reporter::new(quiet);
    reporter.expect_input(&args.paths);
    let mut train: Vec<String> = Vec::new();
    let mut speed: Vec<String> = Vec::new();
    let (mut speed_bytes, mut test_bytes) = (0u64, 0u64);
    let mut split = splitter();
    for c in
        kalima_corpus::Corpus::open(&args.paths, opts.clone()).filter_map(|e| reporter.filter(e))
    {
        match split.place(c.doc, c.offset, c.text.len()) {
            Part::Train => train.push(c.text),
            Part::Test => {
                test_bytes += c.text.len() as u64;
                if speed_bytes < args.speed_bytes {
                    speed_bytes += c.text.len() as u64;
                    speed.push(c.text);
                }
            }
            Part::Skip => {}
        }
    }
    let outcome = reporter.finish();
    say(&format!(
        "training part {:.1} MB in {} units, test part {:.1} MB",
        split.used as f64 / 1e6,
        train.len(),
        test_bytes as f64 / 1e6
    ));
    if test_bytes == 0 {
        bail!("the test part is empty: lower --train-fraction or give more text");
    }

    // Training and loading.
    let mut entries = Vec::with_capacity(specs.len());
    for spec in &specs {
        let name = spec.name();
        let t0 = Instant::now();
        let tok: Box<dyn Tokenize> = match spec {
            Spec::Scheme {
                name,
                scheme,
                normalizer,
            } => {
                let mut k = KalimaScheme::new(name, *scheme, *normalizer);
                for t in &train {
                    k.learn(t);
                }
                Box::new(k)
            }
            Spec::Train { kind, vocab } => {
                if train.is_empty() {
                    bail!(
                        "cannot train {name}: the training part is empty (raise --train-fraction)"
                    );
                }
                say(&format!(
                    "training {name} on {:.1} MB …",
                    split.used as f64 / 1e6
                ));
                let tk = pool
                    .install(|| kalima_bench::train::train(*kind, *vocab, &train))
                    .map_err(|e| anyhow::anyhow!("training {name}: {e}"))?;
                say(&format!(
                    "trained {name} in {:.1} s",
                    t0.elapsed().as_secs_f64()
                ));
                Box::new(tk)
            }
            Spec::Tiktoken(n) => Box::new(
                Tiktoken::new(n).with_context(|| format!("tiktoken encoding {n} not found"))?,
            ),
            Spec::Json(p) => Box::new(HfTokenizer::from_file(p).map_err(anyhow::Error::msg)?),
        };
        entries.push(Entry {
            name,
            kind: spec.kind(),
            tok,
            setup_seconds: t0.elapsed().as_secs_f64(),
            trained_on: TrainedOn::of(spec),
        });
    }
    // Which gold sentences each kind of training saw.
    let in_clitic_model: Vec<bool> = gold
        .iter()
        .map(|s| clitic_training_keys().contains(&sentence_key(&s.text)))
        .collect();
    let mut in_training_part = vec![false; gold.len()];
    if !gold.is_empty()
        && entries
            .iter()
            .any(|e| e.trained_on == TrainedOn::TrainingPart)
    {
        let finder = InText::new(&gold);
        for t in &train {
            finder.find(t, &mut in_training_part);
        }
    }
    drop(train);

    // Pass 2: every tokenizer on the test part, in parallel across units.
    let reporter = Reporter::new(quiet);
    reporter.expect_input(&args.paths);
    let mut split = splitter();
    let units = kalima_corpus::Corpus::open(&args.paths, opts)
        .filter_map(|e| match e {
            Event::Chunk(c) => reporter.filter(Event::Chunk(c)),
            _ => None, // already reported by the first pass
        })
        .filter(|c| split.place(c.doc, c.offset, c.text.len()) == Part::Test);
    let n = entries.len();
    let stats = pool.install(|| {
        units
            .par_bridge()
            .fold(
                || (vec![Stats::default(); n], Encoded::default(), Vec::new()),
                |(mut stats, mut enc, mut words), c| {
                    word_spans(&c.text, &mut words);
                    for (e, s) in entries.iter().zip(stats.iter_mut()) {
                        let t0 = Instant::now();
                        e.tok.encode(&c.text, &mut enc);
                        let nanos = t0.elapsed().as_nanos() as u64;
                        s.add_with_words(&c.text, &words, &enc, nanos, e.tok.as_ref());
                    }
                    (stats, enc, words)
                },
            )
            .map(|(s, _, _)| s)
            .reduce(
                || vec![Stats::default(); n],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| x.merge(y));
                    a
                },
            )
    });
    reporter.finish();

    // Throughput with all threads on the speed sample; gold agreement.
    let threads = pool.current_num_threads();
    let mut speeds = Vec::with_capacity(n);
    for e in &entries {
        if args.no_timing {
            speeds.push((f64::NAN, f64::NAN));
            continue;
        }
        let t0 = Instant::now();
        let tokens: u64 = pool.install(|| {
            speed
                .par_iter()
                .map_init(Encoded::default, |enc, t| {
                    e.tok.encode(t, enc);
                    enc.len() as u64
                })
                .sum()
        });
        let s = t0.elapsed().as_secs_f64();
        speeds.push((speed_bytes as f64 / 1e6 / s, tokens as f64 / s));
    }
    let scores: Vec<GoldScore> = pool.install(|| {
        entries
            .par_iter()
            .map(|e| {
                let mut g = GoldScore {
                    overlap_known: e.trained_on != TrainedOn::Unknown,
                    ..GoldScore::default()
                };
                let seen: &[bool] = match e.trained_on {
                    TrainedOn::CliticModel => &in_clitic_model,
                    TrainedOn::TrainingPart => &in_training_part,
                    TrainedOn::Rules | TrainedOn::Unknown => &[],
                };
                let mut enc = Encoded::default();
                for (i, s) in gold.iter().enumerate() {
                    let in_training = seen.get(i).copied().unwrap_or(false);
                    if in_training {
                        g.overlap_words += s.words.len() as u64;
                    }
                    e.tok.encode(&s.text, &mut enc);
                    g.bounds.add(&s.text, &enc.spans, &s.words);
                    match score_words(s, &enc.spans) {
                        Ok(w) => {
                            g.words.add(w);
                            if !in_training {
                                g.held_out.add(w);
                            }
                        }
                        Err(_) => g.skipped += 1,
                    }
                }
                g
            })
            .collect()
    });

    for (e, g) in entries.iter().zip(&scores) {
        let o = g.overlap();
        if o > 0.0 {
            say(&format!(
                "{}: {:.1}% of the gold words are in sentences it was trained on \
                 (gold_overlaps_training); word_f1_held_out leaves them out",
                e.name,
                100.0 * o
            ));
        }
    }
    let table = bench_table(
        &entries,
        &stats,
        &speeds,
        &scores,
        threads,
        &args,
        !gold.is_empty(),
    );
    write_table(&table, format, args.out.output.as_deref())?;
    Ok(outcome)
}

/// Agreement of one tokenizer with the gold file.
#[derive(Debug, Default)]
struct GoldScore {
    /// Boundaries inside whitespace words, and tokens per gold word.
    bounds: SegScore,
    /// CoNLL 2018 word scores.
    words: SegScores,
    /// Sentences whose tokens do not spell the text (characters dropped): not word-scored.
    skipped: u64,
    /// Whether the tokenizer's training data are known (else the overlap is unknown).
    overlap_known: bool,
    /// Gold words in sentences the tokenizer was trained on.
    overlap_words: u64,
    /// Word scores on the sentences it was not trained on.
    held_out: SegScores,
}

impl GoldScore {
    /// Share of the gold words whose sentence the tokenizer was trained on; NaN when unknown.
    fn overlap(&self) -> f64 {
        if !self.overlap_known || self.bounds.gold_words == 0 {
            f64::NAN
        } else {
            self.overlap_words as f64 / self.bounds.gold_words as f64
        }
    }
    /// Word F1 on the sentences the tokenizer was not trained on; NaN when unknown or none.
    fn held_out_f1(&self) -> f64 {
        if !self.overlap_known || self.held_out.words.gold == 0 {
            f64::NAN
        } else {
            self.held_out.words.f1()
        }
    }
}

/// The output table: one row per tokenizer, in the order asked for.
fn bench_table(
    entries: &[Entry],
    stats: &[Stats],
    speeds: &[(f64, f64)],
    scores: &[GoldScore],
    threads: usize,
    args: &Args,
    with_gold: bool,
) -> Table {
    let col = |f: &dyn Fn(&Stats) -> f64| stats.iter().map(f).collect::<Vec<f64>>();
    let gcol = |f: &dyn Fn(&GoldScore) -> f64| scores.iter().map(f).collect::<Vec<f64>>();
    let mut t = Table::new();
    t.push_str(
        "tokenizer",
        entries.iter().map(|e| e.name.clone()).collect(),
    )
    .push_str(
        "kind",
        entries.iter().map(|e| e.kind.name().to_string()).collect(),
    )
    .push_u64(
        "vocab_size",
        entries.iter().map(|e| e.tok.vocab_size()).collect(),
    );
    if !args.no_timing {
        t.push_f64(
            "setup_seconds",
            entries.iter().map(|e| e.setup_seconds).collect(),
        )
        .push_u64("threads", vec![threads as u64; entries.len()])
        .push_f64("mb_per_s", speeds.iter().map(|s| s.0).collect())
        .push_f64("tokens_per_s", speeds.iter().map(|s| s.1).collect())
        .push_f64("mb_per_s_1t", col(&Stats::mb_per_s_1t))
        .push_f64("tokens_per_s_1t", col(&Stats::tokens_per_s_1t));
    }
    t.push_f64("fertility", col(&Stats::fertility))
        .push_f64("chars_per_token", col(&Stats::chars_per_token))
        .push_f64("bytes_per_token", col(&Stats::bytes_per_token))
        .push_f64("split_word_rate", col(&Stats::split_word_rate))
        .push_f64("unk_rate", col(&Stats::unk_rate))
        .push_f64("round_trip_rate", col(&Stats::round_trip_rate))
        .push_u64("test_units", stats.iter().map(|s| s.texts).collect())
        .push_u64("test_bytes", stats.iter().map(|s| s.bytes).collect())
        .push_u64("test_words", stats.iter().map(|s| s.words).collect())
        .push_u64("test_tokens", stats.iter().map(|s| s.tokens).collect());
    if with_gold {
        t.push_u64(
            "gold_words",
            scores.iter().map(|s| s.bounds.gold_words).collect(),
        )
        .push_f64("gold_fertility", gcol(&|s| s.bounds.gold_fertility()))
        .push_f64("word_precision", gcol(&|s| s.words.words.precision()))
        .push_f64("word_recall", gcol(&|s| s.words.words.recall()))
        .push_f64("word_f1", gcol(&|s| s.words.words.f1()))
        .push_f64("gold_overlaps_training", gcol(&GoldScore::overlap))
        .push_f64("word_f1_held_out", gcol(&GoldScore::held_out_f1))
        .push_f64(
            "boundary_precision",
            gcol(&|s| s.bounds.boundary_precision()),
        )
        .push_f64("boundary_recall", gcol(&|s| s.bounds.boundary_recall()))
        .push_f64("boundary_f1", gcol(&|s| s.bounds.boundary_f1()))
        .push_u64("gold_skipped", scores.iter().map(|s| s.skipped).collect());
    }
    t
}

#[cfg(test)]
mod tests {
    use super::parse_bytes;

    #[test]
    fn byte_sizes() {
        assert_eq!(parse_bytes("32M"), Ok(32_000_000));
        assert_eq!(parse_bytes("1.5k"), Ok(1500));
        assert_eq!(parse_bytes("100"), Ok(100));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("-1M").is_err());
    }
}
