//! Tokenizer benchmark: compare tokenizers on a corpus by speed, fertility, coverage, round
//! trip and agreement with a gold word segmentation.
//!
//! Every tokenizer sits behind one trait, [`Tokenize`]: kalima's own schemes
//! ([`KalimaScheme`]), Hugging Face `tokenizers` models trained offline on the training part of
//! the corpus ([`train::train`]: BPE, WordPiece, Unigram) or loaded from a `tokenizer.json`
//! ([`HfTokenizer`]), and the tiktoken encodings that ship inside `tiktoken-rs`
//! ([`Tiktoken`]). The figures are plain sums ([`Stats`]) so that merging per-thread results
//! gives the same numbers for any thread count; [`speed`] times each tokenizer's own batch call
//! ([`Tokenize::encode_batch`]); [`gold`] scores token boundaries against a CoNLL-U gold
//! segmentation.
//!
//! This crate knows nothing of files or tables; the `kalima bench` command streams the corpus,
//! splits it ([`split`]), drives the passes and writes the table.
//!
//! # Example
//! ```
//! use kalima_bench::{Encoded, KalimaScheme, Stats, Tokenize};
//! use kalima_text::{Normalizer, Scheme};
//!
//! let words = KalimaScheme::new("words", Scheme::Words, Normalizer::none());
//! let text = "قال الرئيس: «الاقتصاد ينمو»";
//! let mut enc = Encoded::default();
//! words.encode(text, &mut enc);
//! let mut stats = Stats::default();
//! stats.add(text, &enc, &words);
//! // 4 whitespace words, 7 tokens (":" « » are split off).
//! assert_eq!((stats.words, stats.tokens), (4, 7));
//! assert_eq!(stats.fertility(), 7.0 / 4.0);
//! ```
#![deny(missing_docs)]

pub mod gold;
mod metrics;
pub mod speed;
pub mod split;
mod tokenizer;
pub mod train;

pub use metrics::{Stats, word_spans};
pub use tokenizer::{
    Encoded, HfTokenizer, KalimaScheme, Kind, ParseSpecError, Spec, Tiktoken, Tokenize, parse_specs,
};
