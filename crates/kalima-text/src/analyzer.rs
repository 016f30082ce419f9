//! Schemes and the analyzer that joins a normalizer to a scheme.

use std::fmt;
use std::str::FromStr;

use crate::clitic::{self, CliticStyle, Kind, Part};
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
    /// Split on Unicode whitespace only (and on U+FFFD, which is never a term).
    Whitespace,
    /// The `words` scheme, then proclitics and pronominal enclitics split off Arabic words
    /// (see [`clitic`](crate::clitic)).
    Clitic {
        /// UD (article attached) or D3 (article split).
        style: CliticStyle,
        /// Spell pieces as the convention does (`للمدينة` → `ل` `المدينة`) instead of exact
        /// surface substrings. Offsets stay those of the surface.
        restore: bool,
    },
}

/// An error parsing a scheme name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scheme {0:?}: use words, camel, whitespace or clitic")]
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
            "clitic" => Ok(Scheme::Clitic {
                style: CliticStyle::Ud,
                restore: false,
            }),
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
            Scheme::Clitic { style, restore } => match (style, restore) {
                (CliticStyle::Ud, false) => "clitic",
                (CliticStyle::Ud, true) => "clitic (restore)",
                (CliticStyle::D3, false) => "clitic (d3)",
                (CliticStyle::D3, true) => "clitic (d3, restore)",
            },
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
            Scheme::Camel { split_digits } => camel::tokenize_terms(text, split_digits, out),
            Scheme::Whitespace => tokenize_whitespace(text, out),
            Scheme::Clitic { style, .. } => {
                let mut parts = Vec::new();
                tokenize_clitic(text, style, out, &mut parts, |_, _| {});
            }
        }
    }
}

/// The `words` tokens of `text` with clitics split off; `each` sees every piece pushed to
/// `out` (its index there and its [`Part`], offsets relative to the word).
fn tokenize_clitic(
    text: &str,
    style: CliticStyle,
    out: &mut Vec<Token>,
    parts: &mut Vec<Part>,
    mut each: impl FnMut(usize, &Part),
) {
    let first = out.len();
    words::tokenize(text, out);
    let words_end = out.len();
    // Split in place: move the word tokens aside only when some word is split.
    let mut i = first;
    let mut split: Vec<Token> = Vec::new();
    let mut any = false;
    while i < words_end {
        let t = out[i];
        parts.clear();
        clitic::segment(&text[t.start..t.end], style, parts);
        if parts.len() > 1 || any {
            if !any {
                split.extend_from_slice(&out[first..i]);
                any = true;
            }
            for p in parts.iter() {
                let tok = Token::new(t.start + p.start, t.start + p.end);
                each(
                    first + split.len(),
                    &Part {
                        start: tok.start,
                        end: tok.end,
                        ..*p
                    },
                );
                split.push(tok);
            }
        } else {
            each(
                i,
                &Part {
                    start: t.start,
                    end: t.end,
                    ..parts[0]
                },
            );
        }
        i += 1;
    }
    if any {
        out.truncate(first);
        out.extend_from_slice(&split);
    }
}

/// Split on Unicode whitespace (`char::is_whitespace`) and on U+FFFD, the reader's stand-in
/// for undecodable bytes, which is never part of a term.
fn tokenize_whitespace(text: &str, out: &mut Vec<Token>) {
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || c == char::REPLACEMENT_CHARACTER {
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
    parts: Vec<Part>,
    extra: Vec<(usize, Part)>,
    term: String,
}

impl Analyzer {
    /// An analyzer from its two parts.
    pub const fn new(scheme: Scheme, normalizer: Normalizer) -> Self {
        Analyzer { scheme, normalizer }
    }

    /// Normalize and tokenize `text`, keeping offsets into the original.
    pub fn analyze(&self, text: &str) -> Analyzed {
        let normalized = self.normalizer.normalize_aligned(text);
        let norm = normalized.text();
        let (mut tokens, mut parts, mut pieces) = (Vec::new(), Vec::new(), Vec::new());
        self.tokens_of(norm, &mut tokens, &mut parts, |_, p| pieces.push(*p));
        let restore = self.restores();
        // One entry per token with the clitic scheme (the only one that reports pieces).
        let info = pieces
            .into_iter()
            .map(|p| TokInfo {
                clitic: p.kind,
                term: p
                    .restore
                    .filter(|_| restore)
                    .map(|r| r.apply(&norm[p.start..p.end])),
            })
            .collect();
        Analyzed {
            normalized,
            tokens,
            info,
        }
    }

    /// Call `f` with every normalized term of `text`, in order. The fast path for counting:
    /// the same terms as [`analyze`](Self::analyze) (tested for every scheme and
    /// normalization), without offsets and without allocating per token.
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
        scratch.extra.clear();
        let norm: &str = if self.normalizer.normalize_changed(text, &mut scratch.norm) {
            &scratch.norm
        } else {
            text
        };
        let restore = self.restores();
        let extra = &mut scratch.extra;
        self.tokens_of(norm, &mut scratch.tokens, &mut scratch.parts, |i, p| {
            if restore && p.restore.is_some() {
                extra.push((i, *p));
            }
        });
        // Tokens whose spelling is restored are rare: walk them alongside.
        let mut next = scratch.extra.iter().peekable();
        for (i, t) in scratch.tokens.iter().enumerate() {
            match next.next_if(|(j, _)| *j == i) {
                Some((_, p)) => {
                    let r = p.restore.unwrap_or(clitic::Restore::Alef);
                    scratch.term.clear();
                    scratch.term.push_str(&r.apply(&norm[t.start..t.end]));
                    f(&scratch.term);
                }
                None => f(&norm[t.start..t.end]),
            }
        }
    }

    /// True when terms take the convention's spelling (clitic scheme with `restore`).
    fn restores(&self) -> bool {
        matches!(self.scheme, Scheme::Clitic { restore: true, .. })
    }

    /// The one tokenization path behind [`analyze`](Self::analyze) and
    /// [`for_each_term`](Self::for_each_term): the tokens of the normalized text `norm`; with
    /// the clitic scheme, `piece` is told each token's index and clitic part.
    fn tokens_of(
        &self,
        norm: &str,
        tokens: &mut Vec<Token>,
        parts: &mut Vec<Part>,
        piece: impl FnMut(usize, &Part),
    ) {
        match self.scheme {
            Scheme::Clitic { style, .. } => tokenize_clitic(norm, style, tokens, parts, piece),
            scheme => scheme.tokenize(norm, tokens),
        }
    }
}

/// The result of [`Analyzer::analyze`].
#[derive(Debug, Clone)]
pub struct Analyzed {
    normalized: Normalized,
    tokens: Vec<Token>,
    /// With the clitic scheme: per token, its role and restored spelling.
    info: Vec<TokInfo>,
}

#[derive(Debug, Clone)]
struct TokInfo {
    clitic: Kind,
    term: Option<String>,
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

    /// Each token: its normalized text (restored spelling with the clitic scheme's
    /// `restore`) and its byte range in the original text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Token)> + '_ {
        self.iter_clitics().map(|(t, tok, _)| (t, tok))
    }

    /// As [`iter`](Self::iter), plus whether the token is a proclitic (`Some("pro")`) or an
    /// enclitic (`Some("enc")`); always `None` outside the clitic scheme.
    ///
    /// ```
    /// use kalima_text::{Analyzer, Scheme};
    /// let a = Analyzer::new("clitic".parse().unwrap(), "none".parse().unwrap());
    /// let text = "وقال";
    /// let out = a.analyze(text);
    /// let got: Vec<(&str, usize, Option<&str>)> =
    ///     out.iter_clitics().map(|(t, tok, c)| (t, tok.start, c)).collect();
    /// assert_eq!(got, [("و", 0, Some("pro")), ("قال", 2, None)]);
    /// ```
    pub fn iter_clitics(&self) -> impl Iterator<Item = (&str, Token, Option<&'static str>)> + '_ {
        self.tokens.iter().enumerate().map(|(i, t)| {
            let (s, e) = self.normalized.original_range(t.start, t.end);
            let info = self.info.get(i);
            let term = info
                .and_then(|x| x.term.as_deref())
                .unwrap_or_else(|| t.text(self.normalized.text()));
            (
                term,
                Token::new(s, e),
                info.and_then(|x| x.clitic.clitic_name()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clitic::CliticStyle;

    /// The terms of `text` under `scheme`, by both paths (`analyze` and `for_each_term`).
    fn terms(scheme: Scheme, text: &str) -> Vec<String> {
        let a = Analyzer::new(scheme, Normalizer::light());
        let got: Vec<String> = a.analyze(text).iter().map(|(t, _)| t.to_string()).collect();
        let mut fast = Vec::new();
        a.for_each_term(text, &mut Scratch::default(), |t| fast.push(t.to_string()));
        assert_eq!(got, fast, "{scheme}");
        got
    }

    const BAD: &str = "\u{FFFD}وقال\u{FFFD}الرئيس \u{FFFD} كتابهم\u{FFFD}\u{FFFD}";

    #[test]
    fn replacement_character_is_never_a_term_words() {
        assert_eq!(terms(Scheme::Words, BAD), ["وقال", "الرئيس", "كتابهم"]);
    }

    #[test]
    fn replacement_character_is_never_a_term_camel() {
        for split_digits in [false, true] {
            let got = terms(Scheme::Camel { split_digits }, BAD);
            assert_eq!(got, ["وقال", "الرئيس", "كتابهم"]);
        }
    }

    #[test]
    fn replacement_character_is_never_a_term_whitespace() {
        assert_eq!(terms(Scheme::Whitespace, BAD), ["وقال", "الرئيس", "كتابهم"]);
        assert_eq!(terms(Scheme::Whitespace, "a\u{FFFD}b"), ["a", "b"]);
    }

    #[test]
    fn replacement_character_is_never_a_term_clitic() {
        for style in [CliticStyle::Ud, CliticStyle::D3] {
            for restore in [false, true] {
                let got = terms(Scheme::Clitic { style, restore }, BAD);
                assert!(!got.is_empty());
                assert!(
                    got.iter().all(|t| !t.contains('\u{FFFD}')),
                    "{style:?} {restore}: {got:?}"
                );
                // The words around the holes are still split as usual.
                assert_eq!(got[0], "و", "{style:?} {restore}: {got:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// `analyze` and `for_each_term` share one driver; they must give the same terms for
        /// every scheme and normalization, on Arabic with clitics, marks, digits, punctuation,
        /// controls and broken text.
        #[test]
        fn both_paths_give_the_same_terms(
            text in "[وفبلكسال ةتهيمنكاهماأإآىئؤءًٌٍَُِّّـ0-9٠-٩a-zA-Z .,،؛؟!\u{200C}\u{200F}\u{FFFD}\t\n-]{0,60}",
            scheme_i in 0usize..8,
            norm_i in 0usize..6,
        ) {
            let schemes = [
                Scheme::Words,
                Scheme::Whitespace,
                Scheme::Camel { split_digits: false },
                Scheme::Camel { split_digits: true },
                Scheme::Clitic { style: CliticStyle::Ud, restore: false },
                Scheme::Clitic { style: CliticStyle::Ud, restore: true },
                Scheme::Clitic { style: CliticStyle::D3, restore: false },
                Scheme::Clitic { style: CliticStyle::D3, restore: true },
            ];
            let norms = ["none", "light", "search", "dediac,alef", "tatweel,teh,maksura", "unicode,nfc,hamza,digits,lower"];
            let a = Analyzer::new(schemes[scheme_i], norms[norm_i].parse().unwrap());
            let slow: Vec<String> = a.analyze(&text).iter().map(|(t, _)| t.to_string()).collect();
            let mut fast = Vec::new();
            let mut scratch = Scratch::default();
            // Twice with the same scratch: reused buffers must not leak between calls.
            for _ in 0..2 {
                fast.clear();
                a.for_each_term(&text, &mut scratch, |t| fast.push(t.to_string()));
                proptest::prop_assert_eq!(&slow, &fast);
            }
        }
    }
}
