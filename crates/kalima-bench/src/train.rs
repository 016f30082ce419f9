//! Training subword models offline with Hugging Face `tokenizers`.
//!
//! The pipelines follow common practice for each family:
//! - BPE: byte-level (GPT-2 style: `ByteLevel` pre-tokenizer with the 256-byte initial alphabet
//!   and decoder), so every text is covered and decodes back exactly;
//! - WordPiece: BERT style (`BertPreTokenizer`, `##` continuation, `[UNK]`); it drops
//!   whitespace, so its round trip is not exact;
//! - Unigram: SentencePiece style (`Metaspace` with `▁`, `<unk>`).
//!
//! Determinism: the library's trainers count words in hash maps seeded at random, and the
//! order of that map decides token ids (for WordPiece's `##` pieces) and thus how ties between
//! equally frequent merges break; the Unigram trainer also sums floats across threads. So
//! here the words are counted first, sorted, and handed to the trainers' `do_train` in a map
//! with fixed seeds, and the Unigram EM runs on one thread: the same texts give the same model
//! on every run and for any thread count.

use std::collections::HashMap;

use compact_str::CompactString;
use rayon::prelude::*;
use tokenizers::models::bpe::{BPE, BpeTrainerBuilder};
use tokenizers::models::unigram::{Unigram, UnigramTrainerBuilder};
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
use tokenizers::{
    AddedToken, DecoderWrapper, ModelWrapper, OffsetReferential, OffsetType, PreTokenizedString,
    PreTokenizer, PreTokenizerWrapper, Tokenizer,
};

use crate::tokenizer::{HfTokenizer, Kind};

/// Train a model of `kind` with `vocab` entries on `texts` (inside the caller's rayon pool).
/// Errors are the library's messages.
pub fn train(kind: Kind, vocab: usize, texts: &[String]) -> Result<HfTokenizer, String> {
    let err = |e: tokenizers::Error| e.to_string();
    match kind {
        Kind::Bpe => {
            let bl = ByteLevel::new(false, true, true);
            let counts = fixed_map(word_counts(&bl, texts)?);
            let trainer = BpeTrainerBuilder::new()
                .vocab_size(vocab)
                .min_frequency(2)
                .show_progress(false)
                .initial_alphabet(ByteLevel::alphabet().into_iter().collect())
                .build();
            let mut model = BPE::default();
            trainer.do_train(&counts, &mut model).map_err(err)?;
            let mut tk = Tokenizer::new(ModelWrapper::BPE(model));
            tk.with_pre_tokenizer(Some(PreTokenizerWrapper::ByteLevel(bl)));
            tk.with_decoder(Some(DecoderWrapper::ByteLevel(bl)));
            Ok(HfTokenizer::new(tk))
        }
        Kind::WordPiece => {
            // What WordPieceTrainer does: a BPE with `##` continuations, read as WordPiece.
            let counts = fixed_map(word_counts(&BertPreTokenizer, texts)?);
            let trainer = BpeTrainerBuilder::new()
                .vocab_size(vocab)
                .min_frequency(2)
                .show_progress(false)
                .special_tokens(vec![AddedToken::from("[UNK]", true)])
                .continuing_subword_prefix("##".into())
                .build();
            let mut bpe = BPE::default();
            let special = trainer.do_train(&counts, &mut bpe).map_err(err)?;
            let model = WordPiece::from_bpe(&bpe);
            let mut tk = Tokenizer::new(ModelWrapper::WordPiece(model));
            tk.add_special_tokens(&special);
            tk.with_pre_tokenizer(Some(PreTokenizerWrapper::BertPreTokenizer(
                BertPreTokenizer,
            )));
            tk.with_decoder(Some(DecoderWrapper::WordPiece(
                tokenizers::decoders::wordpiece::WordPiece::default(),
            )));
            Ok(HfTokenizer::new(tk))
        }
        Kind::Unigram => {
            let meta = Metaspace::new('▁', PrependScheme::Always, true);
            let trainer = UnigramTrainerBuilder::default()
                .vocab_size(u32::try_from(vocab).unwrap_or(u32::MAX))
                .show_progress(false)
                .unk_token(Some("<unk>".into()))
                .special_tokens(vec![AddedToken::from("<unk>", true)])
                .build()
                .map_err(|e| e.to_string())?;
            let sentences = word_counts(&meta, texts)?
                .into_iter()
                .map(|(w, c)| (w, u32::try_from(c).unwrap_or(u32::MAX)))
                .collect();
            let mut model = Unigram::default();
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .map_err(|e| e.to_string())?;
            let special = one
                .install(|| trainer.do_train(sentences, &mut model))
                .map_err(err)?;
            let model = canonical_unigram(&model).map_err(err)?;
            let mut tk = Tokenizer::new(ModelWrapper::Unigram(model));
            tk.add_special_tokens(&special);
            tk.with_pre_tokenizer(Some(PreTokenizerWrapper::Metaspace(meta.clone())));
            tk.with_decoder(Some(DecoderWrapper::Metaspace(meta)));
            Ok(HfTokenizer::new(tk))
        }
        Kind::Scheme | Kind::Tiktoken | Kind::Json => {
            Err(format!("{} is not trained", kind.name()))
        }
    }
}

/// The trainer's final step adds the characters in hash-set order, so pieces of equal score
/// come in a random order: sort them by score (descending) and then by piece, keeping the
/// unknown token first.
fn canonical_unigram(model: &Unigram) -> tokenizers::Result<Unigram> {
    let mut pieces: Vec<(String, f64)> = model.iter().map(|(p, s)| (p.clone(), *s)).collect();
    if pieces.len() > 1 {
        pieces[1..].sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Unigram::from(pieces, Some(0), model.byte_fallback())
}

/// Pre-tokenized words of `texts` with their counts, sorted by word (counted in parallel).
fn word_counts(
    pre: &(impl PreTokenizer + Sync),
    texts: &[String],
) -> Result<Vec<(String, u64)>, String> {
    let counts = texts
        .par_iter()
        .try_fold(HashMap::<String, u64>::new, |mut counts, t| {
            let mut s = PreTokenizedString::from(t.as_str());
            pre.pre_tokenize(&mut s).map_err(|e| e.to_string())?;
            for (w, _, _) in s.get_splits(OffsetReferential::Original, OffsetType::Byte) {
                match counts.get_mut(w) {
                    Some(c) => *c += 1,
                    None => {
                        counts.insert(w.to_string(), 1);
                    }
                }
            }
            Ok::<_, String>(counts)
        })
        .try_reduce(HashMap::new, |mut a, b| {
            for (w, c) in b {
                *a.entry(w).or_insert(0) += c;
            }
            Ok(a)
        })?;
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_unstable();
    Ok(v)
}

/// The trainers' map type, with fixed seeds and filled in sorted order, so that iterating it
/// gives the same order on every run.
fn fixed_map(sorted: Vec<(String, u64)>) -> ahash::AHashMap<CompactString, u64> {
    let state = ahash::RandomState::with_seeds(1, 2, 3, 4);
    let mut m = std::collections::HashMap::with_capacity_and_hasher(sorted.len(), state);
    for (w, c) in sorted {
        m.insert(CompactString::from(w), c);
    }
    m.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::{Encoded, Tokenize};

    fn corpus() -> Vec<String> {
        let base = [
            "وقال الرئيس إن الاقتصاد ينمو بسرعة كبيرة هذا العام",
            "وأضاف الوزير أن الحكومة ستواصل دعم الاقتصاد الوطني",
            "الكتاب على الطاولة والقلم في الحقيبة والولد في المدرسة",
            "قالت الصحيفة إن المفاوضات مستمرة بين الطرفين منذ أسابيع",
            "The quick brown fox jumps over the lazy dog 2024",
        ];
        (0..40)
            .map(|i| {
                format!(
                    "{} {}",
                    base[i % base.len()],
                    base[(i * 3 + 1) % base.len()]
                )
            })
            .collect()
    }

    #[test]
    fn training_is_deterministic() {
        let texts = corpus();
        for kind in [Kind::Bpe, Kind::WordPiece, Kind::Unigram] {
            let a = train(kind, 300, &texts).unwrap();
            let b = train(kind, 300, &texts).unwrap();
            assert_eq!(
                a.inner().to_string(false).unwrap(),
                b.inner().to_string(false).unwrap(),
                "{kind:?}"
            );
            // And in a pool of another size.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(3)
                .build()
                .unwrap();
            let c = pool.install(|| train(kind, 300, &texts)).unwrap();
            assert_eq!(
                a.inner().to_string(false).unwrap(),
                c.inner().to_string(false).unwrap(),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn round_trips_of_trained_models() {
        let texts = corpus();
        let text = "وقال الرئيس  إن\nالاقتصاد ينمو: unseen زخرف!";
        let mut enc = Encoded::default();
        // Byte-level BPE rebuilds any text, also unseen letters and double spaces.
        let bpe = train(Kind::Bpe, 400, &texts).unwrap();
        bpe.encode(text, &mut enc);
        assert!(bpe.round_trip(text, &enc));
        assert_eq!(bpe.unknown(&enc), 0);
        // Spans are in order and inside the text.
        assert!(enc.spans.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(enc.spans.iter().all(|&(s, e)| s <= e && e <= text.len()));
        // WordPiece drops whitespace: no exact round trip; "ز خ ر ف" never seen → [UNK].
        let wp = train(Kind::WordPiece, 400, &texts).unwrap();
        wp.encode(text, &mut enc);
        assert!(!wp.round_trip(text, &enc));
        assert!(wp.unknown(&enc) >= 1);
        // Unigram (Metaspace) rebuilds text made of seen characters and single spaces.
        let un = train(Kind::Unigram, 200, &texts).unwrap();
        let seen = "وقال الرئيس إن الاقتصاد ينمو";
        un.encode(seen, &mut enc);
        assert!(un.round_trip(seen, &enc));
        assert!(enc.len() >= 5);
    }
}
