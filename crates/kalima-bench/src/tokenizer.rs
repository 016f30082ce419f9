//! The tokenizer trait and its adapters, and the `--tokenizers` list syntax.

use std::fmt;
use std::path::Path;

use hashbrown::HashSet;
use kalima_text::{Analyzer, Normalizer, Scheme, Token};
use rayon::prelude::*;

/// What one call to [`Tokenize::encode`] produced: token byte spans in the input (and, for
/// kalima's schemes, the normalized terms, used to count out-of-vocabulary tokens).
#[derive(Debug, Default, Clone)]
pub struct Encoded {
    /// Byte range of each token in the text, in order. A byte-level token that ends inside a
    /// character is cut at that character's start (or end, for the last token).
    pub spans: Vec<(usize, usize)>,
    /// Token ids (subword tokenizers; empty for kalima's schemes).
    pub ids: Vec<u32>,
    /// Normalized terms of kalima's schemes, concatenated; `term_ends[i]` ends term `i`.
    pub terms: String,
    /// End offsets of the terms (one per term).
    pub term_ends: Vec<usize>,
}

impl Encoded {
    /// Empty the buffers, keeping their capacity.
    pub fn clear(&mut self) {
        self.spans.clear();
        self.ids.clear();
        self.terms.clear();
        self.term_ends.clear();
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there is no token.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn terms(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.term_ends.iter().map(move |&e| {
            let t = &self.terms[start..e];
            start = e;
            t
        })
    }
}

/// A tokenizer under test.
pub trait Tokenize: Send + Sync {
    /// Tokenize `text` into `out` (cleared first): tokens with their byte spans, for the
    /// figures of the test part and the gold scores.
    fn encode(&self, text: &str, out: &mut Encoded);
    /// Encode every text of `batch` the way the tokenizer's own users batch it, on the threads
    /// of the current rayon pool; the token count of each text, in order. This is the call
    /// that is timed. By default every text goes through [`encode`](Tokenize::encode) in
    /// parallel (kalima's schemes: their tokens, spans and terms, as `kalima tokenize` makes
    /// them); models override it with their library's own batch call and its native output.
    fn encode_batch(&self, batch: &[&str]) -> Vec<usize> {
        batch
            .par_iter()
            .map_init(Encoded::default, |enc, t| {
                self.encode(t, enc);
                enc.len()
            })
            .collect()
    }
    /// Threads that [`encode_batch`](Tokenize::encode_batch) really uses in a pool of
    /// `pool_threads` (fewer when the library was told not to run in parallel).
    fn batch_threads(&self, pool_threads: usize) -> usize {
        pool_threads
    }
    /// How many tokens of `out` (from [`encode`](Tokenize::encode) on the same text) are
    /// unknown: the model's unknown token for subword models, terms not seen in the training
    /// part for kalima's schemes (0 when no vocabulary was collected).
    fn unknown(&self, out: &Encoded) -> u64;
    /// Whether the text can be rebuilt exactly from its tokens: `decode(encode(x)) == x` for
    /// subword models; for word schemes, which drop whitespace, whether the tokens'
    /// (normalized) texts joined give `x` without its whitespace.
    fn round_trip(&self, text: &str, out: &Encoded) -> bool;
    /// Vocabulary size: the model's, or the number of distinct training terms of a scheme.
    fn vocab_size(&self) -> u64;
}

/// One of kalima's schemes with a normalization; its vocabulary is the set of terms of the
/// training part (see [`KalimaScheme::learn`]).
#[derive(Debug, Clone)]
pub struct KalimaScheme {
    name: String,
    analyzer: Analyzer,
    vocab: HashSet<String, foldhash::fast::FixedState>,
}

impl KalimaScheme {
    /// A scheme with its display name.
    pub fn new(name: &str, scheme: Scheme, normalizer: Normalizer) -> Self {
        KalimaScheme {
            name: name.to_string(),
            analyzer: Analyzer::new(scheme, normalizer),
            vocab: HashSet::default(),
        }
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Add the terms of a training text to the vocabulary.
    pub fn learn(&mut self, text: &str) {
        let mut scratch = kalima_text::Scratch::default();
        let vocab = &mut self.vocab;
        self.analyzer.for_each_term(text, &mut scratch, |t| {
            if !vocab.contains(t) {
                vocab.insert(t.to_string());
            }
        });
    }
}

impl Tokenize for KalimaScheme {
    fn encode(&self, text: &str, out: &mut Encoded) {
        out.clear();
        if self.analyzer.normalizer.is_none() {
            // The fast path: no normalization, offsets are the tokens'.
            let mut toks: Vec<Token> = Vec::new();
            self.analyzer.scheme.tokenize(text, &mut toks);
            for t in toks {
                out.spans.push((t.start, t.end));
                out.terms.push_str(&text[t.start..t.end]);
                out.term_ends.push(out.terms.len());
            }
        } else {
            for (term, t) in self.analyzer.analyze(text).iter() {
                out.spans.push((t.start, t.end));
                out.terms.push_str(term);
                out.term_ends.push(out.terms.len());
            }
        }
    }

    fn unknown(&self, out: &Encoded) -> u64 {
        if self.vocab.is_empty() {
            return 0;
        }
        out.terms().filter(|t| !self.vocab.contains(*t)).count() as u64
    }

    fn round_trip(&self, text: &str, out: &Encoded) -> bool {
        let mut rest = out.terms.as_str();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            let mut it = rest.chars();
            if it.next() != Some(c) {
                return false;
            }
            rest = it.as_str();
        }
        rest.is_empty()
    }

    fn vocab_size(&self) -> u64 {
        self.vocab.len() as u64
    }
}

/// A Hugging Face `tokenizers` model: trained here or read from a `tokenizer.json`.
pub struct HfTokenizer {
    tk: tokenizers::Tokenizer,
    unk: Option<u32>,
}

impl fmt::Debug for HfTokenizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HfTokenizer")
            .field("vocab_size", &self.tk.get_vocab_size(true))
            .field("unk", &self.unk)
            .finish()
    }
}

impl HfTokenizer {
    /// Wrap a tokenizer; its unknown token is the model's own (`[UNK]`, `<unk>`, …) when it
    /// has one.
    pub fn new(tk: tokenizers::Tokenizer) -> Self {
        let unk = ["[UNK]", "<unk>", "<UNK>", "[unk]"]
            .iter()
            .find_map(|u| tk.token_to_id(u));
        HfTokenizer { tk, unk }
    }

    /// Read a Hugging Face `tokenizer.json`.
    pub fn from_file(path: &Path) -> Result<Self, String> {
        tokenizers::Tokenizer::from_file(path)
            .map(HfTokenizer::new)
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The wrapped tokenizer.
    pub fn inner(&self) -> &tokenizers::Tokenizer {
        &self.tk
    }
}

impl Tokenize for HfTokenizer {
    fn encode(&self, text: &str, out: &mut Encoded) {
        out.clear();
        // An encoding error (none is expected without truncation) leaves no tokens: it then
        // shows as a failed round trip rather than a panic.
        if let Ok(enc) = self.tk.encode(text, false) {
            out.ids.extend_from_slice(enc.get_ids());
            out.spans.extend(
                enc.get_offsets()
                    .iter()
                    .map(|&(s, e)| (floor_char(text, s), floor_char(text, e))),
            );
        }
    }

    /// The library's `encode_batch` (the Rust twin of the Python `Tokenizer.encode_batch`
    /// that `transformers` fast tokenizers call): one `Encoding` per text, with tokens and
    /// offsets, made in parallel in the current rayon pool unless `TOKENIZERS_PARALLELISM`
    /// turns that off (see [`batch_threads`](Tokenize::batch_threads)).
    fn encode_batch(&self, batch: &[&str]) -> Vec<usize> {
        match self.tk.encode_batch(batch.to_vec(), false) {
            Ok(encodings) => encodings.iter().map(tokenizers::Encoding::len).collect(),
            // As in `encode`: no tokens rather than a panic (none is expected).
            Err(_) => vec![0; batch.len()],
        }
    }

    fn batch_threads(&self, pool_threads: usize) -> usize {
        if tokenizers::utils::parallelism::get_parallelism() {
            pool_threads
        } else {
            1
        }
    }

    fn unknown(&self, out: &Encoded) -> u64 {
        self.unk
            .map_or(0, |u| out.ids.iter().filter(|&&i| i == u).count() as u64)
    }

    fn round_trip(&self, text: &str, out: &Encoded) -> bool {
        self.tk.decode(&out.ids, false).is_ok_and(|d| d == text)
    }

    fn vocab_size(&self) -> u64 {
        self.tk.get_vocab_size(true) as u64
    }
}

/// A tiktoken encoding shipped inside `tiktoken-rs` (`cl100k_base`, `o200k_base`, …).
pub struct Tiktoken {
    bpe: &'static tiktoken_rs::CoreBPE,
    /// Byte length of each token id (0 for ids not in the vocabulary).
    lens: Vec<u32>,
}

impl fmt::Debug for Tiktoken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tiktoken")
            .field("vocab_size", &self.vocab_size())
            .finish()
    }
}

impl Tiktoken {
    /// The encoding called `name`, or `None` when tiktoken-rs does not ship it.
    pub fn new(name: &str) -> Option<Self> {
        let bpe = match name {
            "cl100k_base" => tiktoken_rs::cl100k_base_singleton(),
            "o200k_base" => tiktoken_rs::o200k_base_singleton(),
            "p50k_base" => tiktoken_rs::p50k_base_singleton(),
            "r50k_base" => tiktoken_rs::r50k_base_singleton(),
            _ => return None,
        };
        // Ids are dense below 2^18 in every shipped encoding; a table beats a decode per token.
        let mut lens = Vec::new();
        for id in 0..(1u32 << 18) {
            match bpe.decode_bytes(&[id]) {
                Ok(b) => {
                    lens.resize(id as usize + 1, 0);
                    lens[id as usize] = b.len() as u32;
                }
                Err(_) if id as usize > lens.len() + 4096 => break,
                Err(_) => {}
            }
        }
        Some(Tiktoken { bpe, lens })
    }
}

impl Tokenize for Tiktoken {
    fn encode(&self, text: &str, out: &mut Encoded) {
        out.clear();
        out.ids = self.bpe.encode_ordinary(text);
        let mut at = 0;
        for &id in &out.ids {
            let end = at + self.lens.get(id as usize).copied().unwrap_or(0) as usize;
            out.spans
                .push((floor_char(text, at), floor_char(text, end.min(text.len()))));
            at = end;
        }
    }

    /// `encode_ordinary` on each text in parallel: what tiktoken's `encode_ordinary_batch`
    /// does with its thread pool (tiktoken-rs has no batch call of its own); the ids only, its
    /// native output.
    fn encode_batch(&self, batch: &[&str]) -> Vec<usize> {
        batch
            .par_iter()
            .map(|t| self.bpe.encode_ordinary(t).len())
            .collect()
    }

    fn unknown(&self, _out: &Encoded) -> u64 {
        0 // byte-level: every byte has a token
    }

    fn round_trip(&self, text: &str, out: &Encoded) -> bool {
        self.bpe
            .decode_bytes(&out.ids)
            .is_ok_and(|b| b == text.as_bytes())
    }

    fn vocab_size(&self) -> u64 {
        self.lens.iter().filter(|&&l| l > 0).count() as u64
    }
}

/// The largest character boundary of `text` at or before `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The family of a tokenizer, for the `kind` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of kalima's schemes.
    Scheme,
    /// Byte-level BPE trained here.
    Bpe,
    /// WordPiece trained here.
    WordPiece,
    /// Unigram (SentencePiece-style) trained here.
    Unigram,
    /// A tiktoken encoding.
    Tiktoken,
    /// A `tokenizer.json` file.
    Json,
}

impl Kind {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Scheme => "scheme",
            Kind::Bpe => "bpe",
            Kind::WordPiece => "wordpiece",
            Kind::Unigram => "unigram",
            Kind::Tiktoken => "tiktoken",
            Kind::Json => "json",
        }
    }
}

/// One entry of the `--tokenizers` list, resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// A kalima scheme with a normalization; `name` as shown (`words`, `words@light`).
    Scheme {
        /// Display name.
        name: String,
        /// The scheme.
        scheme: Scheme,
        /// The normalization.
        normalizer: Normalizer,
    },
    /// A subword model to train with this vocabulary size.
    Train {
        /// Bpe, WordPiece or Unigram.
        kind: Kind,
        /// Target vocabulary size.
        vocab: usize,
    },
    /// A tiktoken encoding by name.
    Tiktoken(String),
    /// A `tokenizer.json` file.
    Json(std::path::PathBuf),
}

impl Spec {
    /// The name shown in the `tokenizer` column.
    pub fn name(&self) -> String {
        match self {
            Spec::Scheme { name, .. } => name.clone(),
            Spec::Train { kind, vocab } => format!("{}:{vocab}", kind.name()),
            Spec::Tiktoken(n) => format!("tiktoken:{n}"),
            Spec::Json(p) => {
                let stem = p
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("tokenizer");
                // `…/aubmindlab-bert-base-arabertv2/tokenizer.json` is named by its folder.
                let parent = p
                    .parent()
                    .and_then(|d| d.file_name())
                    .and_then(|s| s.to_str());
                match (stem, parent) {
                    ("tokenizer", Some(d)) => format!("json:{d}"),
                    _ => format!("json:{stem}"),
                }
            }
        }
    }

    /// The family.
    pub fn kind(&self) -> Kind {
        match self {
            Spec::Scheme { .. } => Kind::Scheme,
            Spec::Train { kind, .. } => *kind,
            Spec::Tiktoken(_) => Kind::Tiktoken,
            Spec::Json(_) => Kind::Json,
        }
    }
}

/// An error in the `--tokenizers` list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad tokenizer {0:?}: {1}")]
pub struct ParseSpecError(pub String, pub String);

/// Resolve a `--tokenizers` list.
///
/// Entries: a kalima scheme (`words`, `camel`, `whitespace`, or any scheme name
/// `kalima_text::Scheme` parses), optionally `@NORMALIZATION` (`words@light`); a scheme without
/// `@` gives one row per entry of `normalizers`. `bpe`, `wordpiece`, `unigram` with an optional
/// `:VOCAB` (without it: one row per entry of `vocabs`). `tiktoken:NAME` (`cl100k_base`,
/// `o200k_base`, `p50k_base`, `r50k_base`).
///
/// ```
/// use kalima_bench::{parse_specs, Spec};
/// let specs = parse_specs("words,bpe:8000,unigram", &[32000, 64000], &[]).unwrap();
/// let names: Vec<String> = specs.iter().map(Spec::name).collect();
/// assert_eq!(names, ["words", "bpe:8000", "unigram:32000", "unigram:64000"]);
/// ```
pub fn parse_specs(
    list: &str,
    vocabs: &[usize],
    normalizers: &[(String, Normalizer)],
) -> Result<Vec<Spec>, ParseSpecError> {
    let mut out = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let bad = |why: &str| ParseSpecError(item.to_string(), why.to_string());
        let (head, arg) = match item.split_once(':') {
            Some((h, a)) => (h.to_ascii_lowercase(), Some(a)),
            None => (item.to_ascii_lowercase(), None),
        };
        let kind = match head.as_str() {
            "bpe" => Some(Kind::Bpe),
            "wordpiece" => Some(Kind::WordPiece),
            "unigram" => Some(Kind::Unigram),
            _ => None,
        };
        if let Some(kind) = kind {
            match arg {
                Some(a) => {
                    let v: usize = a.parse().map_err(|_| bad("the vocabulary size"))?;
                    if v < 2 {
                        return Err(bad("a vocabulary needs at least 2 entries"));
                    }
                    out.push(Spec::Train { kind, vocab: v });
                }
                None => out.extend(vocabs.iter().map(|&vocab| Spec::Train { kind, vocab })),
            }
            continue;
        }
        if head == "tiktoken" {
            let name = arg.ok_or_else(|| bad("give the encoding: tiktoken:o200k_base"))?;
            if !["cl100k_base", "o200k_base", "p50k_base", "r50k_base"].contains(&name) {
                return Err(bad(
                    "unknown encoding: cl100k_base, o200k_base, p50k_base, r50k_base",
                ));
            }
            out.push(Spec::Tiktoken(name.to_string()));
            continue;
        }
        let (scheme_name, norm) = match item.split_once('@') {
            Some((s, n)) => (s, Some(n)),
            None => (item, None),
        };
        let scheme: Scheme = scheme_name.parse().map_err(|_| {
            bad("use a kalima scheme (words, camel, whitespace), bpe, wordpiece, unigram or tiktoken:NAME")
        })?;
        match norm {
            Some(n) => {
                let normalizer: Normalizer = n.parse().map_err(|e| bad(&format!("{e}")))?;
                out.push(Spec::Scheme {
                    name: item.to_string(),
                    scheme,
                    normalizer,
                });
            }
            None if normalizers.is_empty() => out.push(Spec::Scheme {
                name: scheme_name.to_string(),
                scheme,
                normalizer: Normalizer::none(),
            }),
            None => {
                for (n, normalizer) in normalizers {
                    let name = if normalizer.is_none() {
                        scheme_name.to_string()
                    } else {
                        format!("{scheme_name}@{n}")
                    };
                    out.push(Spec::Scheme {
                        name,
                        scheme,
                        normalizer: *normalizer,
                    });
                }
            }
        }
    }
    Ok(out)
}
