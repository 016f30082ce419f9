//! Arabic-aware normalization and tokenization with byte offsets into the original text.
//!
//! This is the lowest layer of kalima: it knows nothing of files, threads or tables. Text goes
//! through a [`Normalizer`] (an ordered set of steps such as removing diacritics or folding alef
//! variants) and is cut into [`Token`]s by a [`Scheme`]; an [`Analyzer`] joins the two and keeps
//! every token's byte range in the ORIGINAL text, also when normalization changed it.
//!
//! - [`words`]: the default scheme, a Unicode word tokenizer with Arabic rules (harakat,
//!   tatweel, ZWNJ, Arabic punctuation and digits, URLs, e-mails, hashtags, emoji).
//! - [`camel`]: a token-for-token reproduction of CAMeL Tools' `simple_word_tokenize`.
//! - whitespace: split on Unicode whitespace.
//! - [`clitic`]: the words scheme, then proclitics and pronominal enclitics split off Arabic
//!   words by a small embedded model (UD or D3 convention).
//! - [`normalize`]: the steps, their fixed order, the presets `none`, `light` and `search`.
//! - [`display`]: for text shown to people: bidi controls made visible
//!   ([`display::visible_controls`]) and right-to-left detection ([`display::is_rtl`]).
//!
//! # Example
//! ```
//! use kalima_text::{Analyzer, Scheme};
//! let analyzer = Analyzer::new(Scheme::Words, "light".parse().unwrap());
//! let text = "قالَ الرئيسُ: «الاقتصادُ ينمو بنسبة ٣٫٥٪»";
//! for (term, tok) in analyzer.analyze(text).iter() {
//!     println!("{term}\t{}..{}\t{}", tok.start, tok.end, tok.text(text));
//! }
//! let terms: Vec<String> = analyzer.analyze(text).iter().map(|(t, _)| t.to_string()).collect();
//! assert_eq!(terms, ["قال", "الرئيس", ":", "«", "الاقتصاد", "ينمو", "بنسبة", "٣٫٥", "٪", "»"]);
//! ```
#![deny(missing_docs)]

mod analyzer;
pub mod camel;
pub mod clitic;
pub mod display;
pub mod normalize;
mod token;
pub mod words;

pub use analyzer::{Analyzed, Analyzer, ParseSchemeError, Scheme, Scratch};
pub use normalize::{Normalized, Normalizer, ParseNormalizerError, Step};
pub use token::Token;
