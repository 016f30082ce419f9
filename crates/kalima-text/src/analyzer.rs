//! Schemes and the analyzer that joins a normalizer to a scheme.

use std::fmt;
use std::str::FromStr;

use crate::{Normalized, Normalizer, Token, camel, words};

/// How text is cut into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scheme {
    /// The Arabic-aware word tokenizer (see [`words`](crate::words)).
    #[default]
    Words,
    /// CAMeL Tools' `simple_word_tokenize`, token for token (see [`camel`](crate::camel)).
    Camel {
        /// CAMeL's `split_digits` option: digits become separate tokens.
        split_digits: bool,
    },
    /// Split on Unicode whitespace only.
    Whitespace,
}

/// An error parsing a scheme name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scheme {0:?}: use words, camel or whitespace")]
pub struct ParseSchemeError(pub String);

impl FromStr for Scheme {
    type Err = ParseSchemeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "words" => Ok(Scheme::Words),
            "camel" => Ok(Scheme::Camel {
                split_digits: false,
            }),
            "whitespace" => Ok(Scheme::Whitespace),
            _ => Err(ParseSchemeError(s.to_string())),
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scheme::Words => "words",
            Scheme::Camel {
                split_digits: false,
            } => "camel",
            Scheme::Camel { split_digits: true } => "camel (split digits)",
            Scheme::Whitespace => "whitespace",
        })
    }
}

impl Scheme {
    /// Tokenize `text` (already normalized, if at all), appending tokens to `out`.
    ///
    /// ```
    /// use kalima_text::Scheme;
    /// let mut v = Vec::new();
    /// Scheme::Whitespace.tokenize("ذهب  الولد.", &mut v);
    /// assert_eq!(v.len(), 2);
    /// ```
    pub fn tokenize(self, text: &str, out: &mut Vec<Token>) {
        match self {
            Scheme::Words => words::tokenize(text, out),
            Scheme::Camel { split_digits } => camel::tokenize(text, split_digits, out),
            Scheme::Whitespace => tokenize_whitespace(text, out),
        }
    }
}

/// Split on Unicode whitespace (`char::is_whitespace`).
fn tokenize_whitespace(text: &str, out: &mut Vec<Token>) {
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(Token::new(s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(Token::new(s, text.len()));
    }
}

/// A scheme plus a normalizer: text in, normalized terms with original offsets out.
///
/// ```
/// use kalima_text::{Analyzer, Scheme};
/// let a = Analyzer::new(Scheme::Words, "search".parse().unwrap());
/// let text = "ذهبَ إلى المدرسةِ.";
/// let out = a.analyze(text);
/// let terms: Vec<&str> = out.iter().map(|(term, _)| term).collect();
/// assert_eq!(terms, ["ذهب", "الي", "المدرسه", "."]);
/// // Offsets point into the original, diacritics included.
/// let (_, tok) = out.iter().nth(2).unwrap();
/// assert_eq!(tok.text(text), "المدرسةِ");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Analyzer {
    /// How text is cut into tokens.
    pub scheme: Scheme,
    /// Normalization applied before tokenization.
    pub normalizer: Normalizer,
}

/// Reusable buffers for [`Analyzer::for_each_term`], so counting allocates nothing per token.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: String,
    tokens: Vec<Token>,
}

impl Analyzer {
    /// An analyzer from its two parts.
    pub const fn new(scheme: Scheme, normalizer: Normalizer) -> Self {
        Analyzer { scheme, normalizer }
    }

    /// Normalize and tokenize `text`, keeping offsets into the original.
    pub fn analyze(&self, text: &str) -> Analyzed {
        let normalized = self.normalizer.normalize_aligned(text);
        let mut tokens = Vec::new();
        self.scheme.tokenize(normalized.text(), &mut tokens);
        Analyzed { normalized, tokens }
    }

    /// Call `f` with every normalized term of `text`, in order. The fast path for counting.
    ///
    /// ```
    /// use kalima_text::{Analyzer, Normalizer, Scheme, Scratch};
    /// let mut n = 0;
    /// let light = Analyzer::new(Scheme::Words, Normalizer::light());
    /// light.for_each_term("كَتَبَ كتب", &mut Scratch::default(), |t| { assert_eq!(t, "كتب"); n += 1 });
    /// assert_eq!(n, 2);
    /// ```
    pub fn for_each_term(&self, text: &str, scratch: &mut Scratch, mut f: impl FnMut(&str)) {
        scratch.tokens.clear();
        let norm: &str = if self.normalizer.normalize_changed(text, &mut scratch.norm) {
            &scratch.norm
        } else {
            text
        };
        self.scheme.tokenize(norm, &mut scratch.tokens);
        for t in &scratch.tokens {
            f(&norm[t.start..t.end]);
        }
    }
}

/// The result of [`Analyzer::analyze`].
#[derive(Debug, Clone)]
pub struct Analyzed {
    normalized: Normalized,
    tokens: Vec<Token>,
}

impl Analyzed {
    /// The normalized text the tokens were cut from.
    pub fn normalized(&self) -> &str {
        self.normalized.text()
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when there is no token.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Each token: its normalized text and its byte range in the original text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Token)> + '_ {
        self.tokens.iter().map(|t| {
            let (s, e) = self.normalized.original_range(t.start, t.end);
            (t.text(self.normalized.text()), Token::new(s, e))
        })
    }
}
