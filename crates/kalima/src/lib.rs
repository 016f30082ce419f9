//! kalima (كلمة, "word"): Arabic text into trustworthy numbers — the public Rust API.
//!
//! Every front end (the `kalima` command line, the Python package, cluster drivers) calls
//! this crate: one function per analysis, from typed options to a typed result, each result
//! with a `table()` that becomes a polars `DataFrame` through [`kalima_frame`].
//!
//! # Overview
//! - A [`Job`] holds what every analysis starts from: the inputs ([`Source`]: files,
//!   directories, archives, standard input or texts in memory), how they are read
//!   ([`ReadOptions`]: format, encoding, fields), how text becomes terms ([`TextOptions`]:
//!   scheme and normalization), the worker threads, and an [`Observer`] told of notes, input
//!   errors and progress as they happen.
//! - Each analysis is a module with an options struct and a function `f(&Job, &Options) ->
//!   Result<Output<T>>`: [`freq`], … The [`Output`] carries the result and the inputs that
//!   failed (the others were still counted); an [`Error`] means the call failed as a whole.
//! - The counting itself runs in the engine of [`kalima_stats::engine`]: one pass over
//!   document segments feeds collectors on every worker, merged the same way for any thread
//!   count, so results never depend on `threads`.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, freq::{freq, FreqOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["الولد في المدرسة".into(), "الولد".into()]));
//! let out = freq(&job, &FreqOptions { top: Some(1), ..FreqOptions::default() })?;
//! assert_eq!(out.value.rows[0].term, "الولد");
//! let df = out.value.table().to_dataframe()?; // a polars DataFrame
//! assert_eq!(df.height(), 1);
//! # Ok::<(), kalima::Error>(())
//! ```
#![deny(missing_docs)]

pub mod assoc;
pub mod bench;
mod blocks;
pub mod chart;
pub mod collocates;
pub mod cooc;
pub mod dispersion;
pub mod docs;
mod error;
pub mod freq;
pub mod heaps;
mod job;
pub mod keyness;
pub mod kwic;
pub mod lexdiv;
pub mod ngrams;
pub mod options;
pub mod report;
pub mod tfidf;
pub mod time;
pub mod tokenize;
pub mod zipf;

pub use error::{Error, Result};
pub use job::{Job, MAX_THREADS_PER_CORE, Observer, Output, Silent, Source, TextOptions};
pub use kalima_corpus::{Format, InputError, ReadOptions};
pub use kalima_frame::Table;
pub use kalima_text::{Analyzer, Normalizer, Scheme};
