//! Agreement of token boundaries with a gold word segmentation (CoNLL-U).
//!
//! Whole words are scored by `kalima_stats::segeval`, the CoNLL 2018 UD shared task's word
//! segmentation scoring (Zeman et al. 2018; the official `conll18_ud_eval.py`): spans of
//! characters in the text without spaces, the longest common subsequence of word forms inside
//! multi-word tokens. [`score_words`] is the adapter: every token of a tokenizer is one system
//! word. As in the official script, the text is the gold tokens' forms (joined with a space
//! except after `SpaceAfter=No`), not the `# text` comment.
//!
//! Boundaries are scored here ([`SegScore`]): the positions inside whitespace words where a
//! token (resp. gold word) starts or ends, on the text without whitespace. Gold syntactic words
//! need not spell the surface (`للكتاب` = `ل` + `الكتاب`), so where the concatenated gold words
//! differ from the surface characters their positions are mapped onto the surface through a
//! longest common subsequence of characters. Boundary precision is the share of a tokenizer's
//! internal boundaries that fall at a gold (morpheme/clitic) boundary rather than inside a
//! gold word.

use kalima_stats::segeval::{SegEvalError, SegScores, SegToken, score};

/// A gold sentence: its surface text, tokens and syntactic words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSentence {
    /// The surface text: the token forms joined with a space except after `SpaceAfter=No`.
    pub text: String,
    /// The surface tokens with their words (multi-word tokens have two or more).
    pub tokens: Vec<SegToken>,
    /// The syntactic words (word lines; multi-word token ranges and empty nodes are not words).
    pub words: Vec<String>,
}

/// Read the sentences of a CoNLL-U file.
///
/// ```
/// use kalima_bench::gold::read_conllu;
/// let s = "# text = للكتاب.\n1-2\tللكتاب\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n1\tل\t_\t_\t_\t_\t_\t_\t_\t_\n\
///          2\tالكتاب\t_\t_\t_\t_\t_\t_\t_\t_\n3\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
/// let g = read_conllu(s);
/// assert_eq!(g[0].text, "للكتاب.");
/// assert_eq!(g[0].words, ["ل", "الكتاب", "."]);
/// assert_eq!(g[0].tokens.len(), 2);
/// ```
pub fn read_conllu(s: &str) -> Vec<GoldSentence> {
    let mut out = Vec::new();
    let mut cur = GoldSentence {
        text: String::new(),
        tokens: Vec::new(),
        words: Vec::new(),
    };
    let mut covered_to = 0u64; // last word id inside the current multi-word token
    let mut flush = |cur: &mut GoldSentence| {
        if !cur.words.is_empty() {
            let t = cur.text.trim_end().to_string();
            cur.text = t;
            out.push(std::mem::replace(
                cur,
                GoldSentence {
                    text: String::new(),
                    tokens: Vec::new(),
                    words: Vec::new(),
                },
            ));
        }
        cur.text.clear();
        cur.tokens.clear();
    };
    for line in s.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut cur);
            covered_to = 0;
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            continue;
        }
        let (id, form) = (cols[0], cols[1]);
        let space_after = !cols
            .get(9)
            .is_some_and(|m| m.split('|').any(|x| x == "SpaceAfter=No"));
        let surface = |cur: &mut GoldSentence| {
            cur.text.push_str(form);
            if space_after {
                cur.text.push(' ');
            }
        };
        if let Some((_, to)) = id.split_once('-') {
            covered_to = to.parse().unwrap_or(0);
            surface(&mut cur);
            cur.tokens.push(SegToken::multi(form, Vec::<String>::new()));
        } else if id.contains('.') {
            // An empty node: not a word.
        } else if let Ok(n) = id.parse::<u64>() {
            cur.words.push(form.to_string());
            if n > covered_to {
                surface(&mut cur);
                cur.tokens.push(SegToken::word(form));
            } else if let Some(t) = cur.tokens.last_mut() {
                t.words.push(form.to_string());
            }
        }
    }
    flush(&mut cur);
    out
}

/// CoNLL 2018 word scores of a tokenizer's tokens (`spans`, byte spans in `gold.text`, as
/// one system word each) against the gold sentence. Tokens made of whitespace only are no
/// words; overlapping byte-level spans are cut so that each character belongs to one token.
pub fn score_words(
    gold: &GoldSentence,
    spans: &[(usize, usize)],
) -> Result<SegScores, SegEvalError> {
    let text = gold.text.as_str();
    let mut sys = Vec::with_capacity(spans.len());
    let mut prev_end = 0;
    for &(s, e) in spans {
        let s = s.max(prev_end).min(e);
        prev_end = prev_end.max(e);
        let (s, e) = trim_ws(text, s, e);
        if s < e {
            sys.push(SegToken::word(&text[s..e]));
        }
    }
    score(&gold.tokens, &sys)
}

/// The characters that identify a sentence: whitespace, Arabic marks (harakat, Quranic marks,
/// superscript alef) and tatweel dropped, alef wasla read as alef. The same sentence tokenized,
/// spaced or vocalized differently gives the same characters.
pub fn key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}'))
        })
        .map(|c| if c == '\u{0671}' { '\u{0627}' } else { c })
}

/// A sentence's identity for training-data overlap: FNV-1a 64 of the UTF-8 of [`key_chars`]
/// (`sentence_key` in scripts/clitic/clitic.py computes the same).
///
/// ```
/// use kalima_bench::gold::sentence_key;
/// assert_eq!(sentence_key("وقال الرئيس ."), sentence_key("و قال الرئيس."));
/// assert_eq!(sentence_key("قَالَ"), sentence_key("قال"));
/// assert_ne!(sentence_key("قال"), sentence_key("قالت"));
/// ```
pub fn sentence_key(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b = [0u8; 4];
    for c in key_chars(text) {
        for &x in c.encode_utf8(&mut b).as_bytes() {
            h ^= u64::from(x);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    h
}

/// Keys ([`sentence_key`]) of the sentences the clitic model embedded in `kalima-text` was
/// trained on: all of the UD Arabic-PUD shared half and the Farasa WikiNews text. Made by
/// `scripts/clitic/clitic.py training-keys`; retraining the model means remaking it.
pub fn clitic_training_keys() -> &'static hashbrown::HashSet<u64> {
    static KEYS: std::sync::OnceLock<hashbrown::HashSet<u64>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        include_str!("clitic-training-sentences.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| u64::from_str_radix(l, 16).expect("hex key in clitic-training-sentences.txt"))
            .collect()
    })
}

/// Which gold sentences occur in a training text, found by their [`key_chars`] (so spacing and
/// vocalization do not matter) with one Aho-Corasick pass per training text. Sentences shorter
/// than [`MIN_KEY_CHARS`] are never reported: a short phrase occurs in any large text.
#[derive(Debug)]
pub struct InText {
    ac: Option<aho_corasick::AhoCorasick>,
    /// Pattern number → gold sentence index.
    sentence: Vec<usize>,
}

/// Gold sentences with fewer characters than this (see [`key_chars`]) are not looked for.
pub const MIN_KEY_CHARS: usize = 20;

impl InText {
    /// Look for these gold sentences.
    pub fn new(gold: &[GoldSentence]) -> Self {
        let mut pats = Vec::new();
        let mut sentence = Vec::new();
        for (i, g) in gold.iter().enumerate() {
            let k: String = key_chars(&g.text).collect();
            if k.chars().count() >= MIN_KEY_CHARS {
                pats.push(k);
                sentence.push(i);
            }
        }
        let ac = if pats.is_empty() {
            None
        } else {
            Some(aho_corasick::AhoCorasick::new(&pats).expect("gold sentences as patterns"))
        };
        InText { ac, sentence }
    }

    /// Mark in `found` (one flag per gold sentence) the sentences that occur in `text`.
    pub fn find(&self, text: &str, found: &mut [bool]) {
        let Some(ac) = &self.ac else { return };
        let hay: String = key_chars(text).collect();
        for m in ac.find_overlapping_iter(&hay) {
            found[self.sentence[m.pattern().as_usize()]] = true;
        }
    }
}

/// Counts for boundary precision, recall and F1, summed over sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegScore {
    /// Gold words.
    pub gold_words: u64,
    /// Gold internal boundaries (inside whitespace words).
    pub gold_bounds: u64,
    /// System internal boundaries.
    pub sys_bounds: u64,
    /// Internal boundaries in both.
    pub matched_bounds: u64,
    /// All system tokens (for fertility per gold word).
    pub tokens: u64,
}

impl SegScore {
    /// Score one sentence: `spans` are the tokens' byte spans in `text`, `gold` its words.
    pub fn add(&mut self, text: &str, spans: &[(usize, usize)], gold: &[String]) {
        // Whitespace-free index of every byte offset, and where whitespace separates.
        let mut idx = vec![0usize; text.len() + 1];
        let mut surf: Vec<char> = Vec::new();
        let mut sep_before: Vec<bool> = vec![true];
        let mut pending_space = false;
        for (i, c) in text.char_indices() {
            idx[i] = surf.len();
            if c.is_whitespace() {
                pending_space = true;
            } else {
                if !surf.is_empty() {
                    sep_before.push(pending_space);
                }
                surf.push(c);
                pending_space = false;
            }
        }
        for (i, v) in idx.iter_mut().enumerate() {
            if !text.is_char_boundary(i) || i == text.len() {
                *v = usize::MAX;
            }
        }
        idx[text.len()] = surf.len();
        sep_before.push(true);
        let n = surf.len();
        let internal = |p: usize| p > 0 && p < n && !sep_before[p];

        self.tokens += spans.len() as u64;
        let mut sys: Vec<(usize, usize)> = Vec::new();
        for &(s, e) in spans {
            let (s, e) = trim_ws(text, s, e);
            if s < e && idx[s] != usize::MAX && idx[e] != usize::MAX {
                sys.push((idx[s], idx[e]));
            }
        }

        let gchars: Vec<char> = gold
            .iter()
            .flat_map(|w| w.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        let map = align(&gchars, &surf);
        let mut gspans = Vec::with_capacity(gold.len());
        let mut at = 0;
        for w in gold {
            let len = w.chars().filter(|c| !c.is_whitespace()).count();
            gspans.push((map[at], map[at + len]));
            at += len;
        }

        self.gold_words += gspans.len() as u64;

        let bounds = |v: &[(usize, usize)]| {
            let mut b: Vec<usize> = v
                .iter()
                .flat_map(|&(s, e)| [s, e])
                .filter(|&p| internal(p))
                .collect();
            b.sort_unstable();
            b.dedup();
            b
        };
        let (sb, gb) = (bounds(&sys), bounds(&gspans));
        self.sys_bounds += sb.len() as u64;
        self.gold_bounds += gb.len() as u64;
        self.matched_bounds += sb.iter().filter(|p| gb.binary_search(p).is_ok()).count() as u64;
    }

    /// Boundary precision: system internal boundaries at a gold boundary.
    pub fn boundary_precision(&self) -> f64 {
        ratio(self.matched_bounds, self.sys_bounds)
    }
    /// Boundary recall: gold internal boundaries found.
    pub fn boundary_recall(&self) -> f64 {
        ratio(self.matched_bounds, self.gold_bounds)
    }
    /// Boundary F1.
    pub fn boundary_f1(&self) -> f64 {
        f1(self.boundary_precision(), self.boundary_recall())
    }
    /// Tokens per gold word.
    pub fn gold_fertility(&self) -> f64 {
        ratio(self.tokens, self.gold_words)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else if p == 0.0 && r == 0.0 {
        0.0
    } else {
        f64::NAN
    }
}

fn trim_ws(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let t = &text[s..e];
    let lead = t.len() - t.trim_start().len();
    s += lead;
    e -= t.len() - t.trim_end().len();
    if e < s {
        e = s;
    }
    (s, e)
}

/// Map each position `0..=g.len()` of the gold characters to a position of the surface
/// characters `s`: identity when they are equal, else through a longest common subsequence
/// (a gold position maps to the surface position of the first aligned pair at or after it).
fn align(g: &[char], s: &[char]) -> Vec<usize> {
    if g == s {
        return (0..=g.len()).collect();
    }
    let (n, m) = (g.len(), s.len());
    // dp[i][j] = LCS length of g[i..] and s[j..].
    let w = m + 1;
    let mut dp = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            dp[i * w + j] = if g[i] == s[j] {
                dp[(i + 1) * w + j + 1] + 1
            } else {
                dp[(i + 1) * w + j].max(dp[i * w + j + 1])
            };
        }
    }
    // Walk forward, collecting matched pairs (earliest matches first).
    let mut next_match = vec![m; n + 1];
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::new();
    while i < n && j < m {
        if g[i] == s[j] && dp[i * w + j] == dp[(i + 1) * w + j + 1] + 1 {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if dp[(i + 1) * w + j] >= dp[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    // next_match[g] = surface position of the first pair with gold index >= g.
    let mut k = pairs.len();
    for gpos in (0..=n).rev() {
        while k > 0 && pairs[k - 1].0 >= gpos {
            k -= 1;
        }
        next_match[gpos] = pairs.get(k).map_or(m, |p| p.1);
    }
    next_match
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Byte spans of `parts` laid end to end with `sep` between them, within `text`.
    fn spans_of(text: &str, parts: &[&str]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut at = 0;
        for p in parts {
            let s = at + text[at..].find(p).unwrap();
            out.push((s, s + p.len()));
            at = s + p.len();
        }
        out
    }

    #[test]
    fn exact_characters_boundary_scores() {
        // Gold: و + ب + القلم ; system: وب + القلم.
        let text = "وبالقلم";
        let mut s = SegScore::default();
        s.add(
            text,
            &spans_of(text, &["وب", "القلم"]),
            &words(&["و", "ب", "القلم"]),
        );
        // Internal boundaries: system {2}, gold {1, 2}.
        assert_eq!((s.sys_bounds, s.gold_bounds, s.matched_bounds), (1, 2, 1));
        assert_eq!(s.boundary_precision(), 1.0);
        assert_eq!(s.boundary_recall(), 0.5);
        assert_eq!(s.gold_fertility(), 2.0 / 3.0);
    }

    #[test]
    fn gold_characters_differ_from_the_surface() {
        // للكتاب = ل + الكتاب: the gold spells an alef-lam the surface does not have.
        let text = "للكتاب جديد";
        let gold = words(&["ل", "الكتاب", "جديد"]);
        let mut s = SegScore::default();
        s.add(text, &spans_of(text, &["ل", "لكتاب", "جديد"]), &gold);
        assert_eq!((s.matched_bounds, s.sys_bounds, s.gold_bounds), (1, 1, 1));
        // A tokenizer that keeps the word whole misses the boundary.
        let mut w = SegScore::default();
        w.add(text, &spans_of(text, &["للكتاب", "جديد"]), &gold);
        assert_eq!((w.sys_bounds, w.gold_bounds, w.matched_bounds), (0, 1, 0));
        assert!(w.boundary_precision().is_nan());
        assert_eq!(w.boundary_recall(), 0.0);
        // A boundary inside a gold word (لل|كتاب) is counted against precision.
        let mut b = SegScore::default();
        b.add(text, &spans_of(text, &["لل", "كتاب", "جديد"]), &gold);
        assert_eq!((b.sys_bounds, b.matched_bounds), (1, 0));
    }

    #[test]
    fn whitespace_and_byte_level_tokens() {
        // A byte-level token carrying the leading space (" جديد") is trimmed; a token made of
        // whitespace only is no word but counts for fertility.
        let text = "كتب  جديد\n";
        let spans = vec![(0, 6), (6, 16), (16, 17)];
        assert_eq!(&text[6..16], "  جديد");
        let mut s = SegScore::default();
        s.add(text, &spans, &words(&["كتب", "جديد"]));
        assert_eq!((s.gold_words, s.tokens), (2, 3));
        // Boundaries at whitespace are not internal.
        assert_eq!((s.sys_bounds, s.gold_bounds), (0, 0));
    }

    #[test]
    fn lcs_alignment_maps_positions() {
        let g: Vec<char> = "لالكتاب".chars().collect();
        let s: Vec<char> = "للكتاب".chars().collect();
        let map = align(&g, &s);
        assert_eq!(map[0], 0);
        assert_eq!(map[1], 1); // after ل: the surface's second ل
        assert_eq!(map[7], 6);
        // Characters missing from the gold (a surface tatweel) are skipped over.
        let g: Vec<char> = "ab".chars().collect();
        let s: Vec<char> = "a-b".chars().collect();
        assert_eq!(align(&g, &s), [0, 2, 3]);
    }

    #[test]
    fn conllu_text_comes_from_the_token_forms() {
        // The `# text` line is ignored (as by conll18_ud_eval.py): forms + SpaceAfter decide.
        let s = "1\tكتب\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n\
                 # text = something else\n1\tو\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n2\tلد\t_\t_\t_\t_\t_\t_\t_\t_\n\
                 3.1\tempty\t_\t_\t_\t_\t_\t_\t_\t_\n";
        let g = read_conllu(s);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].text, "كتب.");
        assert_eq!(g[1].text, "ولد");
        assert_eq!(g[1].words, ["و", "لد"]);
        assert_eq!(g[1].tokens, [SegToken::word("و"), SegToken::word("لد")]);
    }

    /// The adapter to segeval: each token one system word, checked by hand.
    #[test]
    fn word_scores_through_segeval() {
        // وبالقلم كتب. with gold multi-word token وبالقلم = و ب القلم, then كتب and ".".
        let g = &read_conllu(
            "1-3\tوبالقلم\t_\t_\t_\t_\t_\t_\t_\t_\n1\tو\t_\t_\t_\t_\t_\t_\t_\t_\n\
             2\tب\t_\t_\t_\t_\t_\t_\t_\t_\n3\tالقلم\t_\t_\t_\t_\t_\t_\t_\t_\n\
             4\tكتب\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n",
        )[0];
        assert_eq!(g.text, "وبالقلم كتب.");
        // System و|ب|القلم|كتب|. : all five words right.
        let sys = spans_of(&g.text, &["و", "ب", "القلم", "كتب", "."]);
        let s = score_words(g, &sys).unwrap();
        assert_eq!((s.words.gold, s.words.system, s.words.correct), (5, 5, 5));
        // System وب|القلم|كتب|. : القلم is found by the LCS of forms in the multi-word
        // region, كتب and "." by span → 3 of 4 system words, 3 of 5 gold words.
        let sys = spans_of(&g.text, &["وب", "القلم", "كتب", "."]);
        let s = score_words(g, &sys).unwrap();
        assert_eq!((s.words.gold, s.words.system, s.words.correct), (5, 4, 3));
        // Byte-level spans: a token carrying the space, one overlapping the previous one.
        let sys = vec![(0, 14), (14, 21), (19, 22)];
        assert_eq!(&g.text[14..21], " كتب");
        let s = score_words(g, &sys).unwrap();
        assert_eq!((s.words.system, s.words.correct), (3, 2));
    }
}
