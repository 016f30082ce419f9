//! Tokenizer benchmark: throughput, fertility, coverage, round trip, and agreement with a gold
//! word segmentation, one row per tokenizer.
//!
//! Three passes, memory bounded by [`BenchOptions::train_bytes`] +
//! [`BenchOptions::speed_bytes`] + the vocabularies:
//! 1. read the corpus once, splitting its units (documents, or 256 KiB blocks of lines of a
//!    large document) into a training part (kept in memory up to `train_bytes`) and a test
//!    part (streamed, only its first `speed_bytes` kept for the throughput pass);
//! 2. train the subword models and collect the schemes' vocabularies on the training part;
//! 3. stream the test part again through every tokenizer in parallel across units (one
//!    [`kalima_stats::engine`] pass), summing integer figures (the same for any thread count),
//!    then time each tokenizer alone on the in-memory speed sample, cut into lines or
//!    documents ([`BatchUnit`]) and handed to its own batch call
//!    ([`kalima_bench::Tokenize::encode_batch`]) on one thread and on all threads, and score
//!    it against the gold file.
//!
//! Gold sentences a tokenizer was trained on are marked (`gold_overlaps_training`) and left
//! out of `word_f1_held_out`: the embedded clitic model's own training sentences (by key, see
//! [`kalima_bench::gold::clitic_training_keys`]), and for the models trained here, gold
//! sentences found in the training part.
//!
//! The inputs are read twice, so the job's source must be files or texts, not standard input.
//! The job's text options are not used: the tokenizers and their normalizations are named in
//! [`BenchOptions::tokenizers`] and [`BenchOptions::normalize`].
//!
//! # Example
//! ```
//! use kalima::{Job, Source, bench::{bench, BenchOptions}};
//!
//! let texts = vec!["قال الرئيس: «الاقتصاد ينمو»".to_string(); 40];
//! let job = Job::new(Source::Texts(texts));
//! let opts = BenchOptions {
//!     tokenizers: "words,whitespace".into(),
//!     timing: false, // the other columns are then the same from run to run
//!     ..BenchOptions::default()
//! };
//! let out = bench(&job, &opts)?;
//! let words = &out.value.rows[0];
//! assert_eq!((words.tokenizer.as_str(), words.kind.as_str()), ("words", "scheme"));
//! // 4 whitespace words, 7 tokens (":" « » are split off).
//! assert_eq!(words.fertility, 7.0 / 4.0);
//! assert_eq!(out.value.rows[1].fertility, 1.0); // whitespace
//! let df = out.value.table().to_dataframe()?;
//! assert_eq!(df.height(), 2);
//! # Ok::<(), kalima::Error>(())
//! ```

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Instant;

use kalima_bench::gold::{
    GoldSentence, InText, SegScore, clitic_training_keys, read_conllu, score_words, sentence_key,
};
use kalima_bench::speed::{Throughput, lines, time_batches};
use kalima_bench::split::{Part, part};
use kalima_bench::{
    Encoded, HfTokenizer, KalimaScheme, Spec, Stats, Tiktoken, Tokenize, parse_specs, word_spans,
};
use kalima_corpus::ReadOptions;
use kalima_frame::Table;
use kalima_stats::engine::{self, Collector, Segment};
use kalima_stats::segeval::SegScores;
use kalima_text::{Normalizer, Scheme};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{Error, Job, Observer, Output, Result, Source};

/// The tokenizers benchmarked by default.
pub const DEFAULT_TOKENIZERS: &str =
    "words,clitic,camel,whitespace,bpe,wordpiece,unigram,tiktoken:cl100k_base,tiktoken:o200k_base";

/// Size of a split unit when a document is large (a plain-text file is one document).
const UNIT_BYTES: usize = 256 * 1024;

/// What one item of a batch is when the tokenizers are timed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchUnit {
    /// A line of text without its line break (empty lines left out): what a plain-text corpus
    /// gives `tokenizer(lines)` or a `datasets` text file, one paragraph per line in news
    /// corpora; the figure then does not depend on how the text is packed into files.
    #[default]
    Line,
    /// A document (a file, a record, an archive member), or a 256 KiB block of lines of a
    /// larger one: the units of the test part.
    Document,
}

impl BatchUnit {
    /// The lowercase name, as in the `batch_unit` column.
    pub fn name(self) -> &'static str {
        match self {
            BatchUnit::Line => "line",
            BatchUnit::Document => "document",
        }
    }
}

impl fmt::Display for BatchUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Options of [`bench()`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchOptions {
    /// Tokenizers, comma-separated (see [`Tokenizers`]): kalima schemes (words, camel,
    /// whitespace; SCHEME@PRESET for a normalization), bpe, wordpiece, unigram (trained here;
    /// NAME:VOCAB for one size, else every [`vocab`](Self::vocab) size),
    /// tiktoken:cl100k_base, tiktoken:o200k_base.
    pub tokenizers: String,
    /// Vocabulary sizes of the trained models.
    pub vocab: Vec<usize>,
    /// Hugging Face `tokenizer.json` files to benchmark too.
    pub tokenizer_json: Vec<PathBuf>,
    /// Normalizations of the kalima schemes (one row per value): a preset (none, light,
    /// search) or comma-separated steps; none when empty.
    pub normalize: Vec<String>,
    /// Gold segmentation (CoNLL-U files, read as one set): adds word and boundary precision,
    /// recall and F1 and fertility per gold word.
    pub gold: Vec<PathBuf>,
    /// Share of units drawn for the training part.
    pub train_fraction: f64,
    /// At most this many bytes of training text; units drawn for training beyond it join the
    /// test part.
    pub train_bytes: u64,
    /// Throughput is timed on the first this many bytes of the test part, held in memory.
    pub speed_bytes: u64,
    /// What one item of a batch is when timing: a line or a document.
    pub batch_unit: BatchUnit,
    /// Benchmark on a deterministic sample: keep this share of the units.
    pub sample: Option<f64>,
    /// Seed of the train/test split and of the sample.
    pub seed: u64,
    /// Time the tokenizers (the timing columns change from run to run; without them the
    /// result is the same for any thread count).
    pub timing: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            tokenizers: DEFAULT_TOKENIZERS.to_string(),
            vocab: vec![32000],
            tokenizer_json: Vec::new(),
            normalize: Vec::new(),
            gold: Vec::new(),
            train_fraction: 0.1,
            train_bytes: 32_000_000,
            speed_bytes: 16_000_000,
            batch_unit: BatchUnit::Line,
            sample: None,
            seed: 42,
            timing: true,
        }
    }
}

/// Parse a byte count with an optional K/M/G suffix: 10^3, 10^6, 10^9 bytes (MB/s is
/// reported in 10^6 bytes too).
pub fn parse_bytes(s: &str) -> Result<u64, String> {
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

/// A checked list of tokenizers, as the command line's `--tokenizers` spells it: a kalima
/// scheme (`words`, `camel`, `whitespace`, `clitic`, …), optionally `@NORMALIZATION`
/// (`words@light`); `bpe`, `wordpiece`, `unigram` with an optional `:VOCAB`; `tiktoken:NAME`.
/// Entries without a vocabulary size or a normalization are resolved by [`Tokenizers::specs`].
///
/// ```
/// use kalima::bench::Tokenizers;
///
/// let t: Tokenizers = "words,bpe:8000,unigram".parse()?;
/// let names: Vec<String> = t.specs(&[32000], &[]).iter().map(|s| s.name()).collect();
/// assert_eq!(names, ["words", "bpe:8000", "unigram:32000"]);
/// assert!("sentencepiece".parse::<Tokenizers>().is_err());
/// # Ok::<(), kalima::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokenizers(String);

impl FromStr for Tokenizers {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        // Whether an entry is valid depends on neither the sizes nor the normalizations.
        parse_specs(s, &[], &[]).map_err(|e| Error::invalid(e.to_string()))?;
        Ok(Tokenizers(s.to_string()))
    }
}

impl Default for Tokenizers {
    fn default() -> Self {
        Tokenizers(DEFAULT_TOKENIZERS.to_string())
    }
}

impl std::fmt::Display for Tokenizers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Tokenizers {
    /// The tokenizers to run, in order: a trained model without a size gives one per entry of
    /// `vocabs`, a scheme without `@` one per entry of `normalizations` (name and value).
    pub fn specs(&self, vocabs: &[usize], normalizations: &[(String, Normalizer)]) -> Vec<Spec> {
        parse_specs(&self.0, vocabs, normalizations).expect("checked when parsed")
    }
}

/// Throughput of one tokenizer (absent when [`BenchOptions::timing`] is off): its own batch
/// call on the speed sample, cut into [`batch_unit`](Timing::batch_unit) items, timed with all
/// threads and with one.
#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    /// Seconds to train or load the tokenizer.
    pub setup_seconds: f64,
    /// What one item of a batch is.
    pub batch_unit: BatchUnit,
    /// Items of the speed sample.
    pub batch_items: u64,
    /// Bytes of those items (line breaks are not part of a line).
    pub batch_bytes: u64,
    /// Tokens the batch calls returned for them.
    pub batch_tokens: u64,
    /// Threads the all-threads figures really used (1 for Hugging Face models when
    /// `TOKENIZERS_PARALLELISM` turns their parallelism off).
    pub threads: u64,
    /// Megabytes (10^6 bytes) per second, all threads, wall clock.
    pub mb_per_s: f64,
    /// Tokens per second, all threads.
    pub tokens_per_s: f64,
    /// Megabytes per second on one thread, the same items.
    pub mb_per_s_1t: f64,
    /// Tokens per second on one thread.
    pub tokens_per_s_1t: f64,
}

/// Agreement of one tokenizer with the gold segmentation.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldRow {
    /// Gold words.
    pub gold_words: u64,
    /// Tokens per gold word.
    pub gold_fertility: f64,
    /// Word precision (CoNLL 2018).
    pub word_precision: f64,
    /// Word recall (CoNLL 2018).
    pub word_recall: f64,
    /// Word F1 (CoNLL 2018).
    pub word_f1: f64,
    /// Share of the gold words in sentences the tokenizer was trained on; NaN when its
    /// training data are unknown.
    pub gold_overlaps_training: f64,
    /// Word F1 on the gold sentences it was not trained on; NaN when unknown or none.
    pub word_f1_held_out: f64,
    /// Precision of the token boundaries inside whitespace words.
    pub boundary_precision: f64,
    /// Recall of the token boundaries inside whitespace words.
    pub boundary_recall: f64,
    /// F1 of the token boundaries inside whitespace words.
    pub boundary_f1: f64,
    /// Sentences whose tokens do not spell the text (characters dropped): not word-scored.
    pub gold_skipped: u64,
}

/// One tokenizer's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchRow {
    /// Name (`words`, `words@light`, `bpe:32000`, `tiktoken:o200k_base`, `json:NAME`).
    pub tokenizer: String,
    /// Family: scheme, bpe, wordpiece, unigram, tiktoken, json.
    pub kind: String,
    /// Vocabulary size (for a scheme: the distinct tokens of the training part).
    pub vocab_size: u64,
    /// Throughput, when timed.
    pub timing: Option<Timing>,
    /// Tokens per whitespace word.
    pub fertility: f64,
    /// Characters per token.
    pub chars_per_token: f64,
    /// Bytes per token.
    pub bytes_per_token: f64,
    /// Share of whitespace words cut into two or more tokens.
    pub split_word_rate: f64,
    /// Share of tokens that are unknown (subword models) or out of vocabulary (schemes).
    pub unk_rate: f64,
    /// Share of test units whose round trip is exact.
    pub round_trip_rate: f64,
    /// Units of the test part.
    pub test_units: u64,
    /// Bytes of the test part.
    pub test_bytes: u64,
    /// Whitespace words of the test part.
    pub test_words: u64,
    /// Tokens of the test part.
    pub test_tokens: u64,
    /// Agreement with the gold segmentation, when one was given.
    pub gold: Option<GoldRow>,
}

/// The benchmark: one row per tokenizer, in the order asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Bench {
    /// The rows.
    pub rows: Vec<BenchRow>,
    /// The timing columns are present.
    pub timing: bool,
    /// The gold columns are present.
    pub gold: bool,
}

impl Bench {
    /// The table `tokenizer, kind, vocab_size`, the timing columns (`setup_seconds,
    /// batch_unit, batch_items, batch_bytes, batch_tokens, threads, mb_per_s, tokens_per_s, mb_per_s_1t,
    /// tokens_per_s_1t`) when timed, `fertility,
    /// chars_per_token, bytes_per_token, split_word_rate, unk_rate, round_trip_rate,
    /// test_units, test_bytes, test_words, test_tokens`, and with a gold file `gold_words,
    /// gold_fertility, word_precision, word_recall, word_f1, gold_overlaps_training,
    /// word_f1_held_out, boundary_precision, boundary_recall, boundary_f1, gold_skipped`.
    pub fn table(&self) -> Table {
        let rows = &self.rows;
        let f = |g: &dyn Fn(&BenchRow) -> f64| rows.iter().map(g).collect::<Vec<f64>>();
        let u = |g: &dyn Fn(&BenchRow) -> u64| rows.iter().map(g).collect::<Vec<u64>>();
        let tf = |g: &dyn Fn(&Timing) -> f64| f(&|r| r.timing.as_ref().map_or(f64::NAN, g));
        let gf = |g: &dyn Fn(&GoldRow) -> f64| f(&|r| r.gold.as_ref().map_or(f64::NAN, g));
        let gu = |g: &dyn Fn(&GoldRow) -> u64| u(&|r| r.gold.as_ref().map_or(0, g));
        let mut t = Table::new();
        t.push_str(
            "tokenizer",
            rows.iter().map(|r| r.tokenizer.clone()).collect(),
        )
        .push_str("kind", rows.iter().map(|r| r.kind.clone()).collect())
        .push_u64("vocab_size", u(&|r| r.vocab_size));
        if self.timing {
            let tu = |g: &dyn Fn(&Timing) -> u64| u(&|r| r.timing.as_ref().map_or(0, g));
            t.push_f64("setup_seconds", tf(&|t| t.setup_seconds))
                .push_str(
                    "batch_unit",
                    rows.iter()
                        .map(|r| {
                            r.timing
                                .as_ref()
                                .map_or("", |t| t.batch_unit.name())
                                .to_string()
                        })
                        .collect(),
                )
                .push_u64("batch_items", tu(&|t| t.batch_items))
                .push_u64("batch_bytes", tu(&|t| t.batch_bytes))
                .push_u64("batch_tokens", tu(&|t| t.batch_tokens))
                .push_u64(
                    "threads",
                    u(&|r| r.timing.as_ref().map_or(0, |t| t.threads)),
                )
                .push_f64("mb_per_s", tf(&|t| t.mb_per_s))
                .push_f64("tokens_per_s", tf(&|t| t.tokens_per_s))
                .push_f64("mb_per_s_1t", tf(&|t| t.mb_per_s_1t))
                .push_f64("tokens_per_s_1t", tf(&|t| t.tokens_per_s_1t));
        }
        t.push_f64("fertility", f(&|r| r.fertility))
            .push_f64("chars_per_token", f(&|r| r.chars_per_token))
            .push_f64("bytes_per_token", f(&|r| r.bytes_per_token))
            .push_f64("split_word_rate", f(&|r| r.split_word_rate))
            .push_f64("unk_rate", f(&|r| r.unk_rate))
            .push_f64("round_trip_rate", f(&|r| r.round_trip_rate))
            .push_u64("test_units", u(&|r| r.test_units))
            .push_u64("test_bytes", u(&|r| r.test_bytes))
            .push_u64("test_words", u(&|r| r.test_words))
            .push_u64("test_tokens", u(&|r| r.test_tokens));
        if self.gold {
            t.push_u64("gold_words", gu(&|g| g.gold_words))
                .push_f64("gold_fertility", gf(&|g| g.gold_fertility))
                .push_f64("word_precision", gf(&|g| g.word_precision))
                .push_f64("word_recall", gf(&|g| g.word_recall))
                .push_f64("word_f1", gf(&|g| g.word_f1))
                .push_f64("gold_overlaps_training", gf(&|g| g.gold_overlaps_training))
                .push_f64("word_f1_held_out", gf(&|g| g.word_f1_held_out))
                .push_f64("boundary_precision", gf(&|g| g.boundary_precision))
                .push_f64("boundary_recall", gf(&|g| g.boundary_recall))
                .push_f64("boundary_f1", gf(&|g| g.boundary_f1))
                .push_u64("gold_skipped", gu(&|g| g.gold_skipped));
        }
        t
    }
}

/// A tokenizer ready to run, with how long it took to train or load.
struct Entry {
    name: String,
    kind: kalima_bench::Kind,
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
    fn new(opts: &BenchOptions) -> Self {
        Splitter {
            seed: opts.seed,
            sample: opts.sample.unwrap_or(1.0),
            train: opts.train_fraction,
            budget: opts.train_bytes,
            used: 0,
        }
    }

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

/// Passes only progress on: the second read of the inputs reports no note or error again.
struct ProgressOnly<'a>(&'a dyn Observer);

impl Observer for ProgressOnly<'_> {
    fn progress(&self, bytes: u64, docs: u64) {
        self.0.progress(bytes, docs);
    }
}

/// The same inputs read in split units, told to `observer`.
fn units_job<'a>(job: &Job, observer: &'a dyn Observer) -> Job<'a> {
    let read = ReadOptions {
        chunk_size: UNIT_BYTES,
        ..job.read.clone()
    };
    Job::new(job.source.clone())
        .with_read(read)
        .with_text(job.text)
        .with_threads(job.threads)
        .observed(observer)
}

/// Benchmark the tokenizers of `opts` on the job's inputs. The observer's
/// [`status`](crate::Observer::status) is told how the work goes: the sizes of the training
/// and test parts, each model trained and how long it took, and which tokenizers were trained
/// on gold sentences.
pub fn bench(job: &Job, opts: &BenchOptions) -> Result<Output<Bench>> {
    let say = |m: &str| job.observer().status(m);
    let say: &dyn Fn(&str) = &say;
    for (what, f) in [("--train-fraction", opts.train_fraction)]
        .into_iter()
        .chain(opts.sample.map(|s| ("--sample", s)))
    {
        if !(0.0..=1.0).contains(&f) {
            return Err(Error::invalid(format!(
                "{what} must be between 0 and 1, not {f}"
            )));
        }
    }
    let normalizers = opts
        .normalize
        .iter()
        .map(|n| {
            n.parse::<Normalizer>()
                .map(|v| (n.clone(), v))
                .map_err(|e| Error::invalid(format!("--normalize {n:?}: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut specs = opts
        .tokenizers
        .parse::<Tokenizers>()?
        .specs(&opts.vocab, &normalizers);
    specs.extend(opts.tokenizer_json.iter().cloned().map(Spec::Json));
    if specs.is_empty() {
        return Err(Error::invalid(
            "no tokenizer to benchmark: give --tokenizers",
        ));
    }
    if job.source == Source::Stdin {
        return Err(Error::invalid(
            "bench reads its inputs twice: give files or texts, not standard input",
        ));
    }
    let gold = read_gold(&opts.gold)?;
    let pool = job.pool()?;

    // Pass 1: the training part and the speed sample.
    let reading = units_job(job, job.observer());
    let mut train: Vec<String> = Vec::new();
    let mut speed: Vec<String> = Vec::new();
    let (mut speed_bytes, mut test_bytes) = (0u64, 0u64);
    let mut split = Splitter::new(opts);
    for c in reading.chunks(false)? {
        match split.place(c.doc, c.offset, c.text.len()) {
            Part::Train => train.push(c.text),
            Part::Test => {
                test_bytes += c.text.len() as u64;
                if speed_bytes < opts.speed_bytes {
                    speed_bytes += c.text.len() as u64;
                    speed.push(c.text);
                }
            }
            Part::Skip => {}
        }
    }
    say(&format!(
        "training part {:.1} MB in {} units, test part {:.1} MB",
        split.used as f64 / 1e6,
        train.len(),
        test_bytes as f64 / 1e6
    ));
    if test_bytes == 0 {
        return Err(Error::Bench(
            "the test part is empty: lower --train-fraction or give more text".into(),
        ));
    }

    // Training and loading.
    let mut entries = Vec::with_capacity(specs.len());
    for spec in &specs {
        entries.push(load(spec, &train, split.used, &pool, say)?);
    }
    let (in_clitic_model, in_training_part) = gold_seen(&gold, &entries, &train);
    drop(train);

    // Pass 2: every tokenizer on the test part, in parallel across units.
    let progress = ProgressOnly(job.observer());
    let rereading = units_job(job, &progress);
    let mut split = Splitter::new(opts);
    let units = rereading
        .chunks(false)?
        .filter(|c| split.place(c.doc, c.offset, c.text.len()) == Part::Test)
        .map(|c| Segment::new(c.doc, c.first, c.last, c.text));
    let stats = pool.install(|| engine::run(units, &TestPass { entries: &entries }));

    // Throughput on the speed sample: all threads, then one; gold agreement.
    let items: Vec<&str> = match opts.batch_unit {
        BatchUnit::Line => lines(&speed),
        BatchUnit::Document => speed.iter().map(String::as_str).collect(),
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| Error::invalid(format!("cannot start a worker thread: {e}")))?;
    let speeds: Vec<Option<Timing>> = entries
        .iter()
        .map(|e| {
            opts.timing.then(|| {
                let threads = e.tok.batch_threads(pool.current_num_threads());
                if threads < pool.current_num_threads() {
                    say(&format!(
                        "{}: TOKENIZERS_PARALLELISM turns the library's parallelism off: \
                         timed on {threads} thread",
                        e.name
                    ));
                }
                timing(e, &items, opts.batch_unit, threads, &pool, &one)
            })
        })
        .collect();
    let seen = |e: &Entry| -> &[bool] {
        match e.trained_on {
            TrainedOn::CliticModel => &in_clitic_model,
            TrainedOn::TrainingPart => &in_training_part,
            TrainedOn::Rules | TrainedOn::Unknown => &[],
        }
    };
    let scores: Vec<GoldScore> = pool.install(|| {
        entries
            .par_iter()
            .map(|e| score(e, &gold, seen(e)))
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
    let rows = entries
        .iter()
        .zip(stats.iter().zip(speeds.into_iter().zip(&scores)))
        .map(|(e, (s, (sp, g)))| row(e, s, g, !gold.is_empty(), sp))
        .collect();
    Ok(reading.output(Bench {
        rows,
        timing: opts.timing,
        gold: !gold.is_empty(),
    }))
}

/// The gold sentences of the files, read as one set.
fn read_gold(files: &[PathBuf]) -> Result<Vec<GoldSentence>> {
    let mut gold = Vec::new();
    for g in files {
        let text = std::fs::read_to_string(g)
            .map_err(|e| Error::Bench(format!("reading {}: {e}", g.display())))?;
        let s = read_conllu(&text);
        if s.is_empty() {
            return Err(Error::Bench(format!(
                "{}: no CoNLL-U sentence found",
                g.display()
            )));
        }
        gold.extend(s);
    }
    Ok(gold)
}

/// Train or load the tokenizer of `spec` (a scheme learns its vocabulary from `train`).
fn load(
    spec: &Spec,
    train: &[String],
    train_bytes: u64,
    pool: &rayon::ThreadPool,
    say: &dyn Fn(&str),
) -> Result<Entry> {
    let name = spec.name();
    let t0 = Instant::now();
    let tok: Box<dyn Tokenize> = match spec {
        Spec::Scheme {
            name,
            scheme,
            normalizer,
        } => {
            let mut k = KalimaScheme::new(name, *scheme, *normalizer);
            for t in train {
                k.learn(t);
            }
            Box::new(k)
        }
        Spec::Train { kind, vocab } => {
            if train.is_empty() {
                return Err(Error::Bench(format!(
                    "cannot train {name}: the training part is empty (raise --train-fraction)"
                )));
            }
            say(&format!(
                "training {name} on {:.1} MB …",
                train_bytes as f64 / 1e6
            ));
            let tk = pool
                .install(|| kalima_bench::train::train(*kind, *vocab, train))
                .map_err(|e| Error::Bench(format!("training {name}: {e}")))?;
            say(&format!(
                "trained {name} in {:.1} s",
                t0.elapsed().as_secs_f64()
            ));
            Box::new(tk)
        }
        Spec::Tiktoken(n) => Box::new(
            Tiktoken::new(n)
                .ok_or_else(|| Error::Bench(format!("tiktoken encoding {n} not found")))?,
        ),
        Spec::Json(p) => Box::new(HfTokenizer::from_file(p).map_err(Error::Bench)?),
    };
    Ok(Entry {
        name,
        kind: spec.kind(),
        tok,
        setup_seconds: t0.elapsed().as_secs_f64(),
        trained_on: TrainedOn::of(spec),
    })
}

/// Which gold sentences each kind of training saw: the clitic model's, the training part's
/// (looked for only when a model is trained here).
fn gold_seen(gold: &[GoldSentence], entries: &[Entry], train: &[String]) -> (Vec<bool>, Vec<bool>) {
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
        let finder = InText::new(gold);
        for t in train {
            finder.find(t, &mut in_training_part);
        }
    }
    (in_clitic_model, in_training_part)
}

/// The test pass: per worker, one sum per tokenizer (and reused buffers); sums merge the same
/// in any order.
struct TestPass<'a> {
    entries: &'a [Entry],
}

impl Collector for TestPass<'_> {
    type Child = (Vec<Stats>, Encoded, Vec<(usize, usize)>);
    type Fruit = Vec<Stats>;

    fn child(&self) -> Self::Child {
        (
            vec![Stats::default(); self.entries.len()],
            Encoded::default(),
            Vec::new(),
        )
    }

    fn collect(&self, (stats, enc, words): &mut Self::Child, segment: &Segment) {
        word_spans(&segment.text, words);
        for (e, s) in self.entries.iter().zip(stats.iter_mut()) {
            e.tok.encode(&segment.text, enc);
            s.add_with_words(&segment.text, words, enc, e.tok.as_ref());
        }
    }

    fn merge(&self, children: Vec<Self::Child>) -> Vec<Stats> {
        let mut all = vec![Stats::default(); self.entries.len()];
        for (stats, _, _) in &children {
            all.iter_mut().zip(stats).for_each(|(x, y)| x.merge(y));
        }
        all
    }
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

/// Score `e` against the gold sentences; `seen[i]` when it was trained on sentence `i`.
fn score(e: &Entry, gold: &[GoldSentence], seen: &[bool]) -> GoldScore {
    let mut g = GoldScore {
        overlap_known: e.trained_on != TrainedOn::Unknown,
        ..GoldScore::default()
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
}

/// Time `e`'s batch call on `items` in `pool` (`threads` of it really used) and in `one`.
fn timing(
    e: &Entry,
    items: &[&str],
    batch_unit: BatchUnit,
    threads: usize,
    pool: &rayon::ThreadPool,
    one: &rayon::ThreadPool,
) -> Timing {
    let all: Throughput = time_batches(e.tok.as_ref(), items, pool);
    let single = time_batches(e.tok.as_ref(), items, one);
    Timing {
        setup_seconds: e.setup_seconds,
        batch_unit,
        batch_items: items.len() as u64,
        batch_bytes: all.bytes,
        batch_tokens: all.tokens,
        threads: threads as u64,
        mb_per_s: all.mb_per_s(),
        tokens_per_s: all.tokens_per_s(),
        mb_per_s_1t: single.mb_per_s(),
        tokens_per_s_1t: single.tokens_per_s(),
    }
}

/// One row: the sums of the test pass, the timed speeds and the gold scores.
fn row(e: &Entry, s: &Stats, g: &GoldScore, with_gold: bool, timing: Option<Timing>) -> BenchRow {
    BenchRow {
        tokenizer: e.name.clone(),
        kind: e.kind.name().to_string(),
        vocab_size: e.tok.vocab_size(),
        timing,
        fertility: s.fertility(),
        chars_per_token: s.chars_per_token(),
        bytes_per_token: s.bytes_per_token(),
        split_word_rate: s.split_word_rate(),
        unk_rate: s.unk_rate(),
        round_trip_rate: s.round_trip_rate(),
        test_units: s.texts,
        test_bytes: s.bytes,
        test_words: s.words,
        test_tokens: s.tokens,
        gold: with_gold.then(|| GoldRow {
            gold_words: g.bounds.gold_words,
            gold_fertility: g.bounds.gold_fertility(),
            word_precision: g.words.words.precision(),
            word_recall: g.words.words.recall(),
            word_f1: g.words.words.f1(),
            gold_overlaps_training: g.overlap(),
            word_f1_held_out: g.held_out_f1(),
            boundary_precision: g.bounds.boundary_precision(),
            boundary_recall: g.bounds.boundary_recall(),
            boundary_f1: g.bounds.boundary_f1(),
            gold_skipped: g.skipped,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kalima_frame::ColumnData;

    #[test]
    fn byte_sizes() {
        assert_eq!(parse_bytes("32M"), Ok(32_000_000));
        assert_eq!(parse_bytes("1.5k"), Ok(1500));
        assert_eq!(parse_bytes("100"), Ok(100));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("-1M").is_err());
    }

    #[test]
    fn tokenizer_lists_are_checked_when_parsed_and_resolved_later() {
        let err = "words,sentencepiece".parse::<Tokenizers>().unwrap_err();
        assert!(err.is_usage() && err.to_string().contains("sentencepiece"));
        let t: Tokenizers = "words,bpe".parse().unwrap();
        let light = ("light".to_string(), Normalizer::light());
        let names: Vec<String> = t
            .specs(&[100, 200], &[("none".into(), Normalizer::none()), light])
            .iter()
            .map(Spec::name)
            .collect();
        assert_eq!(names, ["words", "words@light", "bpe:100", "bpe:200"]);
        assert_eq!(Tokenizers::default().to_string(), DEFAULT_TOKENIZERS);
    }

    fn texts() -> Vec<String> {
        (0..60)
            .map(|i| format!("قال الرئيس {i}: «الاقتصاد ينمو» وللمدينة مدرستها"))
            .collect()
    }

    #[test]
    fn the_same_rows_for_any_thread_count() {
        let opts = BenchOptions {
            tokenizers: "words,clitic,whitespace,bpe:60".into(),
            train_fraction: 0.3,
            timing: false,
            ..BenchOptions::default()
        };
        let run = |threads| {
            let job = Job::new(Source::Texts(texts())).with_threads(threads);
            bench(&job, &opts).unwrap().value
        };
        let one = run(1);
        assert_eq!(one.rows.len(), 4);
        assert!(
            one.rows
                .iter()
                .all(|r| r.timing.is_none() && r.gold.is_none())
        );
        // Every text is a unit, 60 in all, split between the parts.
        let train_units = 60 - one.rows[0].test_units;
        assert!(train_units > 0 && one.rows[0].test_units > 0);
        assert_eq!(one.rows[2].fertility, 1.0);
        for threads in [2, 3] {
            let other = run(threads);
            // Compared as text: a NaN figure (a rate over nothing) equals itself there.
            assert_eq!(format!("{other:?}"), format!("{one:?}"));
        }
    }

    #[test]
    fn the_table_has_the_timing_columns_only_when_timed() {
        let job = Job::new(Source::Texts(texts()));
        let timed = bench(
            &job,
            &BenchOptions {
                tokenizers: "whitespace".into(),
                ..BenchOptions::default()
            },
        )
        .unwrap()
        .value;
        let t = timed.rows[0].timing.as_ref().unwrap();
        assert!(t.mb_per_s > 0.0 && t.threads >= 1);
        let table = timed.table();
        let names: Vec<&str> = table.columns().map(|(n, _)| n).collect();
        assert_eq!(
            &names[..4],
            ["tokenizer", "kind", "vocab_size", "setup_seconds"]
        );
        assert!(!names.contains(&"gold_words"));
    }

    /// The timed items are the lines or the units of the speed sample: here every text is a
    /// test unit of two lines, and the sample holds the whole test part.
    #[test]
    fn the_batch_unit_decides_the_timed_items() {
        let texts: Vec<String> = texts().iter().map(|t| format!("{t}\nسطر ثان")).collect();
        let run = |batch_unit| {
            let job = Job::new(Source::Texts(texts.clone())).with_threads(2);
            let opts = BenchOptions {
                tokenizers: "whitespace,tiktoken:o200k_base".into(),
                batch_unit,
                ..BenchOptions::default()
            };
            bench(&job, &opts).unwrap().value
        };
        for (unit, per_text) in [(BatchUnit::Line, 2), (BatchUnit::Document, 1)] {
            let b = run(unit);
            for r in &b.rows {
                let t = r.timing.as_ref().unwrap();
                assert_eq!(t.batch_unit, unit);
                assert_eq!(t.batch_items, per_text * r.test_units, "{unit}");
                // A line does not hold its line break: one byte less per text.
                let breaks = if unit == BatchUnit::Line {
                    r.test_units
                } else {
                    0
                };
                assert_eq!(t.batch_bytes, r.test_bytes - breaks, "{unit}");
                assert_eq!(t.threads, 2);
                assert!(t.mb_per_s > 0.0 && t.mb_per_s_1t > 0.0);
                // The same tokens on one thread as on two: tokens per second over MB per
                // second is tokens per MB in both runs.
                let per_mb = |tokens: f64, mb: f64| tokens / mb;
                let (all, one) = (
                    per_mb(t.tokens_per_s, t.mb_per_s),
                    per_mb(t.tokens_per_s_1t, t.mb_per_s_1t),
                );
                assert!((all - one).abs() < 1e-9 * all, "{all} {one}");
            }
            // The whitespace tokens of a text are those of its lines: the timed count is the
            // test part's.
            assert_eq!(
                b.rows[0].timing.as_ref().unwrap().batch_tokens,
                b.rows[0].test_tokens
            );
            match b.table().column("batch_unit") {
                Some(ColumnData::Str(v)) => assert_eq!(v, &[unit.name(), unit.name()]),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn usage_errors() {
        let job = Job::new(Source::Texts(texts()));
        let bad = |opts: BenchOptions| bench(&job, &opts).unwrap_err().to_string();
        let msg = bad(BenchOptions {
            train_fraction: 1.5,
            tokenizers: "nonsense".into(),
            ..BenchOptions::default()
        });
        assert_eq!(msg, "--train-fraction must be between 0 and 1, not 1.5");
        let msg = bad(BenchOptions {
            tokenizers: " , ".into(),
            ..BenchOptions::default()
        });
        assert_eq!(msg, "no tokenizer to benchmark: give --tokenizers");
        let stdin = Job::new(Source::Stdin);
        assert!(
            bench(&stdin, &BenchOptions::default())
                .unwrap_err()
                .is_usage()
        );
    }
}
