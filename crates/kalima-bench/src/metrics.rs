//! Per-tokenizer sums over the test part, and the figures derived from them.

use crate::tokenizer::{Encoded, Tokenize};

/// Byte spans of the whitespace-separated words of `text` (Unicode whitespace).
pub fn word_spans(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
}

/// Sums for one tokenizer over the texts it was run on. All integers, so per-thread sums
/// merge to the same result in any order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Texts (units of the test part).
    pub texts: u64,
    /// Bytes of UTF-8 text.
    pub bytes: u64,
    /// Characters (Unicode scalar values).
    pub chars: u64,
    /// Whitespace-separated words.
    pub words: u64,
    /// Tokens.
    pub tokens: u64,
    /// Unknown or out-of-vocabulary tokens (see [`Tokenize::unknown`]).
    pub unknown: u64,
    /// Whitespace words that overlap two or more tokens.
    pub split_words: u64,
    /// Texts whose round trip is exact (see [`Tokenize::round_trip`]).
    pub round_trips: u64,
}

impl Stats {
    /// Add one text's figures: `enc` is `tok.encode(text)`.
    pub fn add(&mut self, text: &str, enc: &Encoded, tok: &dyn Tokenize) {
        let mut words = Vec::new();
        word_spans(text, &mut words);
        self.add_with_words(text, &words, enc, tok);
    }

    /// [`add`](Stats::add) with the word spans of `text` computed once by the caller.
    pub fn add_with_words(
        &mut self,
        text: &str,
        words: &[(usize, usize)],
        enc: &Encoded,
        tok: &dyn Tokenize,
    ) {
        self.texts += 1;
        self.bytes += text.len() as u64;
        self.chars += text.chars().count() as u64;
        self.words += words.len() as u64;
        self.tokens += enc.len() as u64;
        self.unknown += tok.unknown(enc);
        self.split_words += split_words(words, &enc.spans);
        self.round_trips += u64::from(tok.round_trip(text, enc));
    }

    /// Add another sum.
    pub fn merge(&mut self, o: &Stats) {
        self.texts += o.texts;
        self.bytes += o.bytes;
        self.chars += o.chars;
        self.words += o.words;
        self.tokens += o.tokens;
        self.unknown += o.unknown;
        self.split_words += o.split_words;
        self.round_trips += o.round_trips;
    }

    /// Tokens per whitespace word.
    pub fn fertility(&self) -> f64 {
        ratio(self.tokens, self.words)
    }

    /// Characters per token.
    pub fn chars_per_token(&self) -> f64 {
        ratio(self.chars, self.tokens)
    }

    /// Bytes per token.
    pub fn bytes_per_token(&self) -> f64 {
        ratio(self.bytes, self.tokens)
    }

    /// Share of whitespace words cut into two or more tokens.
    pub fn split_word_rate(&self) -> f64 {
        ratio(self.split_words, self.words)
    }

    /// Share of tokens that are unknown (subword models) or out of vocabulary (schemes).
    pub fn unk_rate(&self) -> f64 {
        ratio(self.unknown, self.tokens)
    }

    /// Share of texts whose round trip is exact.
    pub fn round_trip_rate(&self) -> f64 {
        ratio(self.round_trips, self.texts)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// Number of words (sorted, disjoint spans) that overlap two or more tokens (sorted spans;
/// empty tokens ignored).
fn split_words(words: &[(usize, usize)], tokens: &[(usize, usize)]) -> u64 {
    let mut n = 0;
    let mut t = 0;
    for &(ws, we) in words {
        // Skip tokens that end before this word starts.
        while t < tokens.len() && tokens[t].1 <= ws {
            t += 1;
        }
        let mut overlap = 0;
        let mut k = t;
        while k < tokens.len() && tokens[k].0 < we {
            if tokens[k].1 > ws && tokens[k].0 < tokens[k].1 {
                overlap += 1;
                if overlap >= 2 {
                    break;
                }
            }
            k += 1;
        }
        if overlap >= 2 {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::KalimaScheme;
    use kalima_text::{Normalizer, Scheme};

    #[test]
    fn word_spans_on_mixed_whitespace() {
        let mut v = Vec::new();
        word_spans("  ab\tc \n d  ", &mut v);
        assert_eq!(v, [(2, 4), (5, 6), (9, 10)]);
    }

    #[test]
    fn split_words_counts_words_with_two_tokens() {
        // words: "abc" (0..3), "de" (4..6); tokens a|bc|de.
        let words = [(0, 3), (4, 6)];
        assert_eq!(split_words(&words, &[(0, 1), (1, 3), (4, 6)]), 1);
        // A token that straddles the space (byte-level " de") still counts once for "de".
        assert_eq!(split_words(&words, &[(0, 3), (3, 6)]), 0);
        assert_eq!(split_words(&words, &[(0, 2), (2, 5), (5, 6)]), 2);
    }

    /// Fertility, characters per token and split rate on a tiny corpus, counted by hand.
    #[test]
    fn fertility_on_tiny_corpus_by_hand() {
        // "وقال، الرجل: نعم." — whitespace words: وقال، | الرجل: | نعم. = 3.
        // words scheme tokens: وقال ، الرجل : نعم . = 6 → fertility 2, all 3 words split.
        // Characters: 5 + 1 + 6 + 1 + 4 = 17; tokens 6 → 17/6 chars per token.
        let text = "وقال، الرجل: نعم.";
        let words = KalimaScheme::new("words", Scheme::Words, Normalizer::none());
        let mut enc = Encoded::default();
        words.encode(text, &mut enc);
        let mut s = Stats::default();
        s.add(text, &enc, &words);
        assert_eq!((s.words, s.tokens, s.chars, s.split_words), (3, 6, 17, 3));
        assert_eq!(s.fertility(), 2.0);
        assert_eq!(s.chars_per_token(), 17.0 / 6.0);
        assert_eq!(s.split_word_rate(), 1.0);
        // 17 characters, 6 of them 1-byte (2 spaces, "،" is 2 bytes, ":" and "." 1 byte):
        // Arabic letters 12 × 2 + "،" 2 + ":" 1 + "." 1 + 2 spaces = 30 bytes.
        assert_eq!(s.bytes, 30);
        // Round trip of a word scheme: tokens joined = text without whitespace.
        assert_eq!(s.round_trips, 1);
        // Whitespace scheme: one token per word.
        let ws = KalimaScheme::new("whitespace", Scheme::Whitespace, Normalizer::none());
        ws.encode(text, &mut enc);
        let mut s = Stats::default();
        s.add(text, &enc, &ws);
        assert_eq!((s.tokens, s.split_words), (3, 0));
        assert_eq!(s.fertility(), 1.0);
    }

    #[test]
    fn out_of_vocabulary_terms_of_a_scheme() {
        let mut words = KalimaScheme::new("words", Scheme::Words, Normalizer::light());
        words.learn("كَتَبَ الولد الدرس");
        assert_eq!(words.vocab_size(), 3);
        let mut enc = Encoded::default();
        // "كتب" is known (light removes the harakat), "البنت" is not.
        words.encode("كتب البنت", &mut enc);
        assert_eq!(words.unknown(&enc), 1);
        // Normalization changed the text: no exact round trip.
        assert!(!words.round_trip("كَتَبَ", &{
            let mut e = Encoded::default();
            words.encode("كَتَبَ", &mut e);
            e
        }));
    }

    #[test]
    fn merge_is_a_sum() {
        let a = Stats {
            texts: 1,
            bytes: 10,
            tokens: 3,
            ..Stats::default()
        };
        let mut b = a.clone();
        b.merge(&a);
        assert_eq!((b.texts, b.bytes, b.tokens), (2, 20, 6));
    }
}
