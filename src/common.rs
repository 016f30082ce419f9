//! Options shared by the subcommands: inputs, scheme and normalization, threads, messages.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kalima::{Job, Source, TextOptions};
use kalima_corpus::{Format, ReadOptions};
use kalima_frame::OutputFormat;
use kalima_text::{Normalizer, Scheme};

/// How inputs are read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input format; detected from the extension and content when absent
    /// [possible values: text, json, csv, tsv, trec, conllu]
    #[arg(long = "format-in", value_name = "FORMAT", value_parser = parse_format)]
    pub format_in: Option<Format>,
    /// Text encoding (utf-8, utf-16le, utf-16be, windows-1256, iso-8859-6, …); detected when absent
    #[arg(long, value_name = "LABEL", value_parser = parse_encoding)]
    pub encoding: Option<&'static kalima_corpus::Encoding>,
    /// Field holding the text: JSON key (default content) or TREC tag (default TEXT)
    #[arg(long, value_name = "NAME")]
    pub field: Option<String>,
    /// CSV/TSV column holding the text (default: "text" or "content")
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// CoNLL-U: read the FORM column instead of the `# text =` lines
    #[arg(long)]
    pub conllu_form: bool,
}

/// How text becomes terms.
#[derive(Debug, Args)]
pub struct TextArgs {
    /// Tokenization scheme: words (Arabic-aware), camel (CAMeL Tools' simple_word_tokenize),
    /// whitespace, clitic (words, then Arabic clitics split off)
    #[arg(long, default_value = "words", value_parser = parse_scheme)]
    pub scheme: Scheme,
    /// With --scheme camel: split digits from letters (CAMeL's split_digits)
    #[arg(long)]
    pub split_digits: bool,
    /// Normalization: a preset (none, light, search) or steps (unicode, nfc, dediac, tatweel,
    /// alef, maksura, teh, hamza, digits, lower), comma-separated
    #[arg(long, value_name = "STEPS", value_parser = parse_normalizer)]
    pub normalize: Option<Normalizer>,
    /// With --scheme clitic: ud (the article stays attached, as in the UD Arabic treebanks) or
    /// d3 (the article is split too, as Farasa does)
    #[arg(long, value_name = "STYLE", default_value = "ud", value_parser = parse_clitic_style)]
    pub clitic_style: kalima_text::clitic::CliticStyle,
    /// With --scheme clitic: spell pieces as the convention does (للمدينة → ل المدينة,
    /// مدرستها → مدرسة ها) instead of exact substrings of the text; offsets are unchanged
    #[arg(long)]
    pub restore: bool,
}

fn parse_clitic_style(s: &str) -> Result<kalima_text::clitic::CliticStyle, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "ud" => Ok(kalima_text::clitic::CliticStyle::Ud),
        "d3" => Ok(kalima_text::clitic::CliticStyle::D3),
        _ => Err(format!("unknown clitic style {s:?}: use ud or d3")),
    }
}

impl TextArgs {
    /// The text options these flags give.
    pub fn options(&self) -> TextOptions {
        TextOptions {
            normalize: self.normalize,
            ..TextOptions::with_scheme(
                self.scheme,
                self.split_digits,
                self.clitic_style,
                self.restore,
            )
        }
    }
}

/// The inputs of a command that reads a corpus: paths, how to read them, how text becomes
/// terms. Flattened into each such command.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

impl CorpusArgs {
    /// The job these flags describe, reporting through `reporter`.
    pub fn job<'a>(&self, threads: usize, reporter: &'a Reporter) -> Job<'a> {
        reporter.expect_input(&self.paths);
        job(
            Source::Paths(self.paths.clone()),
            &self.input,
            &self.text,
            threads,
            reporter,
        )
    }
}

/// A job over `source`, reporting through `reporter`.
pub fn job<'a>(
    source: Source,
    input: &InputArgs,
    text: &TextArgs,
    threads: usize,
    reporter: &'a Reporter,
) -> Job<'a> {
    Job::new(source)
        .with_read(input.read_options(false))
        .with_text(text.options())
        .with_threads(threads)
        .observed(reporter)
}

/// The exit outcome of a finished call: its failures were told as they happened.
pub fn outcome<T>(out: &kalima::Output<T>) -> crate::Outcome {
    if out.complete() {
        crate::Outcome::Ok
    } else {
        crate::Outcome::SomeInputsFailed
    }
}

fn parse_scheme(s: &str) -> Result<Scheme, String> {
    s.parse()
        .map_err(|e: kalima_text::ParseSchemeError| e.to_string())
}

fn parse_normalizer(s: &str) -> Result<Normalizer, String> {
    s.parse()
        .map_err(|e: kalima_text::ParseNormalizerError| e.to_string())
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|e| format!("{e}"))
}

fn parse_encoding(s: &str) -> Result<&'static kalima_corpus::Encoding, String> {
    kalima_corpus::parse_encoding(s).ok_or_else(|| format!("unknown encoding {s:?}"))
}

impl InputArgs {
    /// Reader options from the flags.
    pub fn read_options(&self, keep_meta: bool) -> ReadOptions {
        ReadOptions {
            format: self.format_in,
            encoding: self.encoding,
            field: self.field.clone(),
            column: self.column.clone(),
            conllu_form: self.conllu_form,
            keep_meta,
            ..ReadOptions::default()
        }
    }
}

/// Messages and failure bookkeeping while a corpus is read: notes and errors go to stderr as
/// they happen (one line each, naming the file), and any error makes the exit status 1.
#[derive(Debug)]
pub struct Reporter {
    failed: AtomicBool,
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Reporter {
    /// A reporter; with a progress bar on stderr when it is a terminal and not `quiet`.
    pub fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(250));
            bar
        });
        Reporter {
            failed: AtomicBool::new(false),
            bar,
            quiet,
        }
    }

    /// Turn the spinner into a bar with a percentage and an ETA when the size of the input is
    /// known (see [`kalima_corpus::plain_size`]): one pass over `paths`.
    pub fn expect_input(&self, paths: &[PathBuf]) {
        let (Some(bar), Some(total)) = (&self.bar, kalima_corpus::plain_size(paths)) else {
            return;
        };
        bar.set_length(total);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {percent:>3}% {elapsed} (eta {eta}) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }

    fn message(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Remove the bar and give the outcome.
    pub fn finish(&self) -> crate::Outcome {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.failed.load(Ordering::Relaxed) {
            crate::Outcome::SomeInputsFailed
        } else {
            crate::Outcome::Ok
        }
    }
}

impl kalima::Observer for Reporter {
    fn note(&self, note: &str) {
        self.message(&format!("kalima: note: {note}"));
    }

    fn input_error(&self, error: &kalima::InputError) {
        self.failed.store(true, Ordering::Relaxed);
        self.message(&format!("kalima: error: {error}"));
    }

    fn status(&self, message: &str) {
        if !self.quiet {
            self.message(&format!("kalima: {message}"));
        }
    }

    fn progress(&self, bytes: u64, docs: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{:.1} MB, {docs} documents", bytes as f64 / 1e6));
        }
    }
}

use kalima::MAX_THREADS_PER_CORE;

fn max_threads() -> (usize, usize) {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    (MAX_THREADS_PER_CORE * cores, cores)
}

/// `RAYON_NUM_THREADS` when it is a positive number.
fn env_threads() -> Option<usize> {
    let v = std::env::var("RAYON_NUM_THREADS").ok()?;
    v.trim().parse::<usize>().ok().filter(|&n| n > 0)
}

fn note_capped(flag: &str, asked: usize, max: usize, cores: usize) {
    eprintln!(
        "kalima: note: {flag}{asked} is more than {MAX_THREADS_PER_CORE} threads per core; \
         using {max} ({cores} cores)"
    );
}

/// Cap `RAYON_NUM_THREADS` like `--threads` (with a note): rayon's global pool, which some
/// library code uses, reads it, so that pool is built here with the capped count. Called once,
/// before any work.
pub fn cap_thread_env() {
    let (max, cores) = max_threads();
    if let Some(n) = env_threads().filter(|&n| n > max) {
        note_capped("RAYON_NUM_THREADS=", n, max, cores);
        // Fails only when the global pool already exists; then there is nothing to cap.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(max)
            .build_global();
    }
}

/// Memory bound of the counting tables (n-grams, co-occurrence, the report's n-grams).
#[derive(Debug, Args)]
pub struct MemArgs {
    /// Memory for the counting tables (e.g. 512M, 4G); past it, sorted partial counts go
    /// to temporary files and are merged at the end (default: a quarter of RAM)
    #[arg(long, value_name = "SIZE", value_parser = kalima::options::parse_size)]
    pub max_memory: Option<usize>,
    /// Directory for the temporary files (default: the system's temp directory)
    #[arg(long, value_name = "DIR")]
    pub spill_dir: Option<PathBuf>,
}

impl MemArgs {
    /// The library's memory options.
    pub fn memory(self) -> kalima::options::Memory {
        kalima::options::Memory {
            max_memory: self.max_memory,
            spill_dir: self.spill_dir,
        }
    }
}

/// Tell (on stderr, unless `quiet`) that counts went through temporary files.
pub fn note_spill(note: Option<String>, quiet: bool) {
    if let Some(note) = note.filter(|_| !quiet) {
        eprintln!("kalima: note: {note}");
    }
}

/// Where results go and how the work runs: shared by the table-producing commands.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format: csv, tsv, json, jsonl, parquet, table (default: from -o's extension;
    /// table on a terminal, csv otherwise)
    #[arg(long, value_name = "FORMAT", value_parser = parse_output_format)]
    pub format: Option<OutputFormat>,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Worker threads (0 = one per core; at most 4 per core); the output does not depend on it
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parse `--format`.
pub fn parse_output_format(s: &str) -> Result<OutputFormat, String> {
    s.parse().map_err(|e| format!("{e}"))
}
