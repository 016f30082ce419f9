//! Throughput: a tokenizer's own batch call, timed on a list of texts (lines or documents) in
//! batches, in a pool of a given size.

use std::time::Instant;

use crate::tokenizer::Tokenize;

/// Texts per call to [`Tokenize::encode_batch`]: the default `batch_size` of Hugging Face
/// `datasets`' `map(batched=True)`, the usual way a corpus meets a fast tokenizer. Batches of
/// this size also bound the memory the library's outputs take (an HF `Encoding` holds some 50
/// bytes per token).
pub const BATCH_ITEMS: usize = 1000;

/// One timed run: texts encoded, their bytes and tokens, the wall clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    /// Bytes of the texts handed to the tokenizer.
    pub bytes: u64,
    /// Tokens it returned.
    pub tokens: u64,
    /// Seconds of wall clock for all the batches.
    pub seconds: f64,
}

impl Throughput {
    /// Megabytes (10^6 bytes) per second; NaN when nothing was timed.
    pub fn mb_per_s(&self) -> f64 {
        per_second(self.bytes as f64 / 1e6, self.seconds)
    }

    /// Tokens per second; NaN when nothing was timed.
    pub fn tokens_per_s(&self) -> f64 {
        per_second(self.tokens as f64, self.seconds)
    }
}

fn per_second(x: f64, s: f64) -> f64 {
    if s > 0.0 { x / s } else { f64::NAN }
}

/// Time `tok`'s [`encode_batch`](Tokenize::encode_batch) over `items`, [`BATCH_ITEMS`] at a
/// time, on the threads of `pool`. The first batch is encoded once untimed before the clock
/// starts, so that caches the model fills (Hugging Face BPE keeps one of words) are as warm
/// for the first figure taken as for the next.
pub fn time_batches(tok: &dyn Tokenize, items: &[&str], pool: &rayon::ThreadPool) -> Throughput {
    let bytes = items.iter().map(|t| t.len() as u64).sum();
    pool.install(|| {
        if let Some(first) = items.chunks(BATCH_ITEMS).next() {
            std::hint::black_box(tok.encode_batch(first));
        }
        let t0 = Instant::now();
        let tokens: u64 = items
            .chunks(BATCH_ITEMS)
            .map(|b| tok.encode_batch(b).iter().sum::<usize>() as u64)
            .sum();
        Throughput {
            bytes,
            tokens,
            seconds: t0.elapsed().as_secs_f64(),
        }
    })
}

/// The lines of `texts` without their line breaks (`\n`, `\r\n`), empty lines left out: one
/// batch item each when the unit is a line.
pub fn lines(texts: &[String]) -> Vec<&str> {
    texts
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::{Encoded, KalimaScheme, Kind, Tiktoken};
    use crate::train::train;
    use kalima_text::{Normalizer, Scheme, Token};

    fn corpus() -> Vec<String> {
        let base = [
            "وقال الرئيس إن الاقتصاد ينمو بسرعة كبيرة هذا العام",
            "وأضاف الوزير أن الحكومة ستواصل دعم الاقتصاد الوطني",
            "الكتاب على الطاولة والقلم في الحقيبة والولد في المدرسة",
            "The quick brown fox jumps over the lazy dog 2024",
        ];
        (0..40)
            .map(|i| format!("{} {}", base[i % 4], base[(i * 3 + 1) % 4]))
            .collect()
    }

    /// Texts to time: seen and unseen words, double spaces, digits, an empty text, and more
    /// texts than one batch holds so that batches are cut.
    fn items() -> Vec<String> {
        let mut v = vec![
            "وقال الرئيس  إن الاقتصاد ينمو: unseen زخرف!".to_string(),
            String::new(),
            "١٢٣ 456 «الحكومة» ستواصل".to_string(),
        ];
        v.extend((0..BATCH_ITEMS + 7).map(|i| format!("{} {i}", corpus()[i % 40])));
        v
    }

    fn pool(n: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    }

    /// The batch call gives, text by text, as many tokens as the library's own one-text call
    /// (and as the `encode` behind the test-part figures), in pools of any size.
    #[test]
    fn batch_counts_are_the_single_call_counts() {
        let texts = corpus();
        let items = items();
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        let mut tokenizers: Vec<(String, Box<dyn Tokenize>, Vec<usize>)> = Vec::new();
        for kind in [Kind::Bpe, Kind::WordPiece, Kind::Unigram] {
            let hf = train(kind, 300, &texts).unwrap();
            let own: Vec<usize> = items
                .iter()
                .map(|t| hf.inner().encode(*t, false).unwrap().get_ids().len())
                .collect();
            tokenizers.push((format!("{kind:?}"), Box::new(hf), own));
        }
        for name in ["cl100k_base", "o200k_base"] {
            let core = match name {
                "cl100k_base" => tiktoken_rs::cl100k_base_singleton(),
                _ => tiktoken_rs::o200k_base_singleton(),
            };
            let own = items
                .iter()
                .map(|t| core.encode_ordinary(t).len())
                .collect();
            tokenizers.push((name.into(), Box::new(Tiktoken::new(name).unwrap()), own));
        }
        let own = items
            .iter()
            .map(|t| {
                let mut toks: Vec<Token> = Vec::new();
                Scheme::Words.tokenize(t, &mut toks);
                toks.len()
            })
            .collect();
        let words = KalimaScheme::new("words", Scheme::Words, Normalizer::none());
        tokenizers.push(("words".into(), Box::new(words), own));

        for (name, tok, own) in &tokenizers {
            assert!(own.iter().sum::<usize>() > items.len(), "{name}");
            let mut enc = Encoded::default();
            let single: Vec<usize> = items
                .iter()
                .map(|t| {
                    tok.encode(t, &mut enc);
                    enc.len()
                })
                .collect();
            assert_eq!(&single, own, "{name}: encode");
            for n in [1, 3] {
                let batch = pool(n).install(|| tok.encode_batch(&items));
                assert_eq!(&batch, own, "{name}: encode_batch in a pool of {n}");
                let timed = time_batches(tok.as_ref(), &items, &pool(n));
                assert_eq!(timed.tokens, own.iter().sum::<usize>() as u64, "{name}");
                let bytes: usize = items.iter().map(|t| t.len()).sum();
                assert_eq!(timed.bytes, bytes as u64);
                assert!(timed.seconds > 0.0 && timed.mb_per_s() > 0.0, "{name}");
            }
        }
    }

    #[test]
    fn nothing_to_time_gives_nan_not_a_panic() {
        let words = KalimaScheme::new("words", Scheme::Words, Normalizer::none());
        let t = time_batches(&words, &[], &pool(2));
        assert_eq!((t.bytes, t.tokens), (0, 0));
        assert!(t.mb_per_s().is_nan() || t.mb_per_s() == 0.0);
    }

    #[test]
    fn lines_drop_breaks_and_empty_lines() {
        let texts = ["a b\r\nc\n\n".to_string(), "\nd".to_string()];
        assert_eq!(lines(&texts), ["a b", "c", "d"]);
    }
}
