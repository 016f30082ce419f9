//! What every analysis starts from: the inputs ([`Source`]), how text becomes terms
//! ([`TextOptions`]), the threads, and an [`Observer`] of notes, input errors and progress.
//! Resolved once into a [`Job`]; each analysis is a function of a `Job` and its own options.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use kalima_corpus::{Chunk, Corpus, Event, InputError, ReadOptions};
use kalima_stats::engine::Segment;
use kalima_text::clitic::CliticStyle;
use kalima_text::{Analyzer, Normalizer, Scheme};

use crate::{Error, Result};

/// Where the text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Files and directories (walked recursively), compressed files and archives; `-` is
    /// standard input.
    Paths(Vec<PathBuf>),
    /// Standard input.
    Stdin,
    /// Texts in memory, one document each (named `text[0]`, `text[1]`, …).
    Texts(Vec<String>),
}

impl Source {
    /// The paths, when the source is files.
    pub fn paths(&self) -> &[PathBuf] {
        match self {
            Source::Paths(p) => p,
            _ => &[],
        }
    }
}

/// How text becomes terms: a tokenization scheme and a normalization.
// No serde: `Scheme` and `Normalizer` have no spelling that reads back in every case yet
// (their `Display` is for people); front ends parse the CLI's strings with `FromStr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextOptions {
    /// Tokenization scheme (words, camel, whitespace, clitic).
    pub scheme: Scheme,
    /// Normalization; `None` takes the analysis' default (light for counts, none for
    /// concordances and benchmarks).
    pub normalize: Option<Normalizer>,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            scheme: Scheme::Words,
            normalize: None,
        }
    }
}

impl TextOptions {
    /// The scheme with its sub-options: `split_digits` for camel, `style`/`restore` for clitic.
    pub fn with_scheme(
        scheme: Scheme,
        split_digits: bool,
        style: CliticStyle,
        restore: bool,
    ) -> Self {
        let scheme = match scheme {
            Scheme::Camel { .. } => Scheme::Camel { split_digits },
            Scheme::Clitic { .. } => Scheme::Clitic { style, restore },
            s => s,
        };
        TextOptions {
            scheme,
            normalize: None,
        }
    }

    /// The analyzer, with `default` normalization when none was chosen.
    pub fn analyzer(&self, default: Normalizer) -> Analyzer {
        Analyzer::new(self.scheme, self.normalize.unwrap_or(default))
    }
}

/// Told what happens while inputs are read. Every method has an empty default.
pub trait Observer: Sync {
    /// Something worth telling that lost no data (an assumed encoding, a skipped hidden file).
    fn note(&self, _note: &str) {}
    /// One input failed; the others are still read.
    fn input_error(&self, _error: &InputError) {}
    /// Bytes of text and documents read so far.
    fn progress(&self, _bytes: u64, _docs: u64) {}
    /// How a long call goes, for people (e.g. `bench`: "training bpe-8000 …"); not a problem.
    fn status(&self, _message: &str) {}
}

/// An observer that ignores everything (the failures are still in [`Output::failures`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

/// The result of an analysis and the inputs that failed on the way.
#[derive(Debug, Clone)]
pub struct Output<T> {
    /// The result, over every input that could be read.
    pub value: T,
    /// Inputs (or parts of them) that could not be read, in the order they failed.
    pub failures: Vec<InputError>,
}

impl<T> Output<T> {
    /// True when every input was read.
    pub fn complete(&self) -> bool {
        self.failures.is_empty()
    }

    /// The same failures with another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Output<U> {
        Output {
            value: f(self.value),
            failures: self.failures,
        }
    }
}

/// The most worker threads a run uses, as a multiple of the cores: more only adds per-thread
/// tables to merge (`--threads 10000` took over a minute on a 400-byte file).
pub const MAX_THREADS_PER_CORE: usize = 4;

/// Inputs, text options and threads, resolved once; every analysis takes one.
pub struct Job<'a> {
    /// The inputs.
    pub source: Source,
    /// How they are read (format, encoding, fields).
    pub read: ReadOptions,
    /// How text becomes terms.
    pub text: TextOptions,
    /// Worker threads (0: one per core); results do not depend on it.
    pub threads: usize,
    observer: &'a dyn Observer,
    failures: Mutex<Vec<InputError>>,
    bytes: AtomicU64,
    docs: AtomicU64,
}

impl std::fmt::Debug for Job<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("source", &self.source)
            .field("text", &self.text)
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl<'a> Job<'a> {
    /// A job over `source` with default reading, words and light normalization, all cores,
    /// and no observer.
    pub fn new(source: Source) -> Job<'static> {
        Job {
            source,
            read: ReadOptions::default(),
            text: TextOptions::default(),
            threads: 0,
            observer: &Silent,
            failures: Mutex::new(Vec::new()),
            bytes: AtomicU64::new(0),
            docs: AtomicU64::new(0),
        }
    }

    /// The same job, told of notes, errors and progress through `observer`.
    pub fn observed<'b>(self, observer: &'b dyn Observer) -> Job<'b> {
        Job {
            source: self.source,
            read: self.read,
            text: self.text,
            threads: self.threads,
            observer,
            failures: self.failures,
            bytes: self.bytes,
            docs: self.docs,
        }
    }

    /// With these text options.
    pub fn with_text(mut self, text: TextOptions) -> Self {
        self.text = text;
        self
    }

    /// With `threads` workers.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = threads;
        self
    }

    /// With these read options.
    pub fn with_read(mut self, read: ReadOptions) -> Self {
        self.read = read;
        self
    }

    /// The observer.
    pub fn observer(&self) -> &dyn Observer {
        self.observer
    }

    /// The analyzer, with `default` normalization when none was chosen.
    pub fn analyzer(&self, default: Normalizer) -> Analyzer {
        self.text.analyzer(default)
    }

    /// Wrap `value` with the failures seen so far (and forget them: a job may run again).
    pub fn output<T>(&self, value: T) -> Output<T> {
        let failures =
            std::mem::take(&mut *self.failures.lock().unwrap_or_else(|e| e.into_inner()));
        Output { value, failures }
    }

    /// The thread count to use: [`Job::threads`], at most [`MAX_THREADS_PER_CORE`] × the cores
    /// (with a note when capped). 0 stays 0 (rayon's default: one per core, or
    /// `RAYON_NUM_THREADS`).
    pub fn thread_count(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let max = MAX_THREADS_PER_CORE * cores;
        let env = std::env::var("RAYON_NUM_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0);
        match self.threads {
            0 if env.is_some_and(|n| n > max) => max,
            0 => 0,
            n if n > max => {
                self.observer.note(&format!(
                    "--threads {n} is more than {MAX_THREADS_PER_CORE} threads per core; \
                     using {max} ({cores} cores)"
                ));
                max
            }
            n => n,
        }
    }

    /// A rayon pool with the job's threads.
    pub fn pool(&self) -> Result<rayon::ThreadPool> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.thread_count())
            .build()
            .map_err(|e| Error::invalid(format!("cannot start worker threads: {e}")))
    }

    /// Run `f` on the job's pool.
    pub fn install<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T> {
        Ok(self.pool()?.install(f))
    }

    /// The chunks of the inputs, in corpus order; notes, errors and progress go to the
    /// observer (errors are also kept for [`Job::output`]). `keep_meta` keeps the other
    /// fields of records (JSON, TREC, CSV) on each document's first chunk.
    pub fn chunks(&self, keep_meta: bool) -> Result<impl Iterator<Item = Chunk> + Send + '_> {
        let opts = ReadOptions {
            keep_meta,
            ..self.read.clone()
        };
        let events: Box<dyn Iterator<Item = Event> + Send> = match &self.source {
            Source::Paths(p) if p.is_empty() => {
                return Err(Error::invalid(
                    "no input: give one or more files or directories",
                ));
            }
            Source::Paths(p) => Box::new(Corpus::open(p, opts)),
            Source::Stdin => Box::new(Corpus::stdin(opts)),
            Source::Texts(texts) => Box::new(texts_as_events(texts.clone())),
        };
        Ok(events.filter_map(move |ev| self.filter(ev)))
    }

    /// The chunks of the inputs as engine segments (context is added by the engine).
    pub fn segments(&self) -> Result<impl Iterator<Item = Segment> + Send + '_> {
        Ok(self
            .chunks(false)?
            .map(|c| Segment::new(c.doc, c.first, c.last, c.text)))
    }

    fn filter(&self, ev: Event) -> Option<Chunk> {
        match ev {
            Event::Chunk(c) => {
                let len = c.text.len() as u64;
                let b = self.bytes.fetch_add(len, Ordering::Relaxed) + len;
                let d =
                    self.docs.fetch_add(u64::from(c.last), Ordering::Relaxed) + u64::from(c.last);
                self.observer.progress(b, d);
                Some(c)
            }
            Event::Note(n) => {
                self.observer.note(&n.to_string());
                None
            }
            Event::Error(e) => {
                self.observer.input_error(&e);
                self.failures
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(e);
                None
            }
        }
    }
}

/// Texts in memory as reader events: one document each, one chunk each.
fn texts_as_events(texts: Vec<String>) -> impl Iterator<Item = Event> + Send {
    texts.into_iter().enumerate().map(|(i, text)| {
        let source = std::sync::Arc::new(kalima_corpus::Source {
            path: format!("text[{i}]"),
            encoding: utf8(),
            format: kalima_corpus::Format::Text,
        });
        Event::Chunk(Chunk {
            doc: i as u64,
            first: true,
            last: true,
            text,
            ends_line: true,
            offset: 0,
            source,
            meta: Vec::new(),
            name: None,
        })
    })
}

fn utf8() -> &'static kalima_corpus::Encoding {
    kalima_corpus::parse_encoding("utf-8").expect("utf-8 is a WHATWG encoding")
}
