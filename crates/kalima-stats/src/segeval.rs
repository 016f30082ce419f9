//! Word segmentation scores in the style of the CoNLL 2018 shared task evaluation script
//! (`conll18_ud_eval.py`, Zeman et al. 2018, *CoNLL 2018 Shared Task: Multilingual Parsing from
//! Raw Text to Universal Dependencies*, §2.3 and the script's `align_words`).
//!
//! Both sides are sequences of surface [`SegToken`]s. A token with fewer than two words is a
//! plain word whose form is the token's surface; a token with two or more words is a
//! multi-word token (e.g. `وللمدينة` → `و` `ل` `المدينة`) whose words may differ in characters
//! from the surface (restored article, ta marbuta).
//!
//! The script's rules, reproduced here:
//! - The text is the concatenation of the token surfaces with space separators (Unicode `Zs`)
//!   removed, counted in characters (code points). Gold and system must have the same text,
//!   or the scores are undefined ([`SegEvalError::TextMismatch`]).
//! - A plain word's span is its characters; every word of a multi-word token gets the whole
//!   token's span.
//! - Tokens are scored by span equality.
//! - Words: outside multi-word tokens, by span equality. A region where a multi-word token
//!   (gold or system) overlaps anything is aligned by the longest common subsequence of the
//!   lowercased word forms, as `find_multiword_span` + `compute_lcs` do.
//! - Precision = correct / system, recall = correct / gold, F1 their harmonic mean.
//!
//! Counts ([`Counts`]) add up, so scores over several documents are the sums of the
//! per-document counts (the script scores a whole file; spans never cross documents).
//!
//! ```
//! use kalima_stats::segeval::{score, SegToken};
//! let gold = [SegToken::multi("وقال", ["و", "قال"]), SegToken::word("الرئيس")];
//! let sys = [SegToken::word("و"), SegToken::word("قال"), SegToken::word("الرئيس")];
//! let s = score(&gold, &sys).unwrap();
//! assert_eq!((s.words.gold, s.words.system, s.words.correct), (3, 3, 3));
//! assert_eq!(s.words.f1(), 1.0);
//! ```

/// One surface token and, when it is a multi-word token, its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegToken {
    /// The surface form (spaces inside are ignored, as the script does).
    pub form: String,
    /// The syntactic words; fewer than two means the token is one plain word.
    pub words: Vec<String>,
}

impl SegToken {
    /// A plain one-word token.
    pub fn word(form: impl Into<String>) -> Self {
        SegToken {
            form: form.into(),
            words: Vec::new(),
        }
    }

    /// A multi-word token: surface `form`, syntactic `words`.
    pub fn multi<S: Into<String>>(
        form: impl Into<String>,
        words: impl IntoIterator<Item = S>,
    ) -> Self {
        SegToken {
            form: form.into(),
            words: words.into_iter().map(Into::into).collect(),
        }
    }

    fn is_multi(&self) -> bool {
        self.words.len() >= 2
    }
}

/// Gold, system and correct counts of one unit (tokens or words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Units in the gold standard.
    pub gold: u64,
    /// Units in the system output.
    pub system: u64,
    /// System units aligned with a gold unit.
    pub correct: u64,
}

impl Counts {
    /// correct / system (0 when there is no system unit).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.system)
    }

    /// correct / gold (0 when there is no gold unit).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }

    /// 2·correct / (gold + system), the harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.correct, self.gold + self.system)
    }

    /// Add another set of counts (e.g. the next document's).
    pub fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.system += other.system;
        self.correct += other.correct;
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Token and word scores of one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SegScores {
    /// Surface tokens, by span.
    pub tokens: Counts,
    /// Syntactic words, by span and, inside multi-word regions, by LCS of forms.
    pub words: Counts,
}

impl SegScores {
    /// Add another comparison's counts.
    pub fn add(&mut self, other: SegScores) {
        self.tokens.add(other.tokens);
        self.words.add(other.words);
    }
}

/// Why two segmentations cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegEvalError {
    /// The texts (surfaces without spaces) differ.
    #[error("gold and system texts differ at character {at}: gold {gold:?}, system {system:?}")]
    TextMismatch {
        /// Index of the first differing character.
        at: usize,
        /// Up to 20 gold characters from there.
        gold: String,
        /// Up to 20 system characters from there.
        system: String,
    },
}

/// A word with its character span and the flag saying it lies in a multi-word token.
struct Word {
    start: usize,
    end: usize,
    multi: bool,
    form: String,
}

fn is_zs(c: char) -> bool {
    // Unicode general category Zs (space separators).
    matches!(
        c,
        ' ' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Characters, token spans and words of one side.
fn load(tokens: &[SegToken]) -> (Vec<char>, Vec<(usize, usize)>, Vec<Word>) {
    let mut chars = Vec::new();
    let mut spans = Vec::with_capacity(tokens.len());
    let mut words = Vec::new();
    for t in tokens {
        let start = chars.len();
        chars.extend(t.form.chars().filter(|&c| !is_zs(c)));
        let end = chars.len();
        spans.push((start, end));
        if t.is_multi() {
            for w in &t.words {
                words.push(Word {
                    start,
                    end,
                    multi: true,
                    form: w.to_lowercase(),
                });
            }
        } else {
            words.push(Word {
                start,
                end,
                multi: false,
                form: t.form.to_lowercase(),
            });
        }
    }
    (chars, spans, words)
}

/// Score `system` against `gold` (both the same text, cut differently).
pub fn score(gold: &[SegToken], system: &[SegToken]) -> Result<SegScores, SegEvalError> {
    let (gc, gspans, gw) = load(gold);
    let (sc, sspans, sw) = load(system);
    if gc != sc {
        let at = gc
            .iter()
            .zip(&sc)
            .position(|(a, b)| a != b)
            .unwrap_or(gc.len().min(sc.len()));
        let take = |v: &[char]| v[at.min(v.len())..].iter().take(20).collect::<String>();
        return Err(SegEvalError::TextMismatch {
            at,
            gold: take(&gc),
            system: take(&sc),
        });
    }
    let tokens = Counts {
        gold: gspans.len() as u64,
        system: sspans.len() as u64,
        correct: spans_correct(&gspans, &sspans),
    };
    let words = Counts {
        gold: gw.len() as u64,
        system: sw.len() as u64,
        correct: align_words(&gw, &sw),
    };
    Ok(SegScores { tokens, words })
}

/// `spans_score` of the script: spans sorted by start; a hit is an equal start and end.
fn spans_correct(g: &[(usize, usize)], s: &[(usize, usize)]) -> u64 {
    let (mut gi, mut si, mut correct) = (0, 0, 0);
    while gi < g.len() && si < s.len() {
        if s[si].0 < g[gi].0 {
            si += 1;
        } else if g[gi].0 < s[si].0 {
            gi += 1;
        } else {
            correct += u64::from(g[gi].1 == s[si].1);
            gi += 1;
            si += 1;
        }
    }
    correct
}

fn beyond_end(words: &[Word], i: usize, end: usize) -> bool {
    match words.get(i) {
        None => true,
        Some(w) if w.multi => w.start >= end,
        Some(w) => w.end > end,
    }
}

fn extend_end(w: &Word, end: usize) -> usize {
    if w.multi && w.end > end { w.end } else { end }
}

/// `align_words` of the script; returns the number of aligned words.
fn align_words(g: &[Word], s: &[Word]) -> u64 {
    let (mut gi, mut si, mut aligned) = (0usize, 0usize, 0u64);
    while gi < g.len() && si < s.len() {
        if g[gi].multi || s[si].multi {
            // find_multiword_span
            let mut end;
            if g[gi].multi {
                end = g[gi].end;
                if !s[si].multi && s[si].start < g[gi].start {
                    si += 1;
                }
            } else {
                end = s[si].end;
                if !g[gi].multi && g[gi].start < s[si].start {
                    gi += 1;
                }
            }
            let (gs, ss) = (gi, si);
            while !beyond_end(g, gi, end) || !beyond_end(s, si, end) {
                if gi < g.len() && (si >= s.len() || g[gi].start <= s[si].start) {
                    end = extend_end(&g[gi], end);
                    gi += 1;
                } else {
                    end = extend_end(&s[si], end);
                    si += 1;
                }
            }
            if si > ss && gi > gs {
                aligned += lcs_align(&g[gs..gi], &s[ss..si]);
            }
        } else if (g[gi].start, g[gi].end) == (s[si].start, s[si].end) {
            aligned += 1;
            gi += 1;
            si += 1;
        } else if g[gi].start <= s[si].start {
            gi += 1;
        } else {
            si += 1;
        }
    }
    aligned
}

/// `compute_lcs` and the greedy walk of the script over one multi-word region.
fn lcs_align(g: &[Word], s: &[Word]) -> u64 {
    let (n, m) = (g.len(), s.len());
    // lcs[i][j]: LCS length of g[i..] and s[j..]; row/column n/m are zero.
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut v = if g[i].form == s[j].form {
                1 + lcs[i + 1][j + 1]
            } else {
                0
            };
            v = v.max(lcs[i + 1][j]).max(lcs[i][j + 1]);
            lcs[i][j] = v;
        }
    }
    let (mut i, mut j, mut aligned) = (0, 0, 0);
    while i < n && j < m {
        if g[i].form == s[j].form {
            aligned += 1;
            i += 1;
            j += 1;
        } else if lcs[i][j] == lcs[i + 1][j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    aligned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> SegToken {
        SegToken::word(s)
    }

    #[test]
    fn identical_plain_words_score_one() {
        let g = [w("ذهب"), w("الولد")];
        let s = score(&g, &g).unwrap();
        assert_eq!(
            s.words,
            Counts {
                gold: 2,
                system: 2,
                correct: 2
            }
        );
        assert_eq!(s.tokens.f1(), 1.0);
    }

    #[test]
    fn unsplit_baseline_against_clitic_gold() {
        // Gold: وقال = و + قال (2 words, 1 token), الرئيس plain. System does not split.
        let g = [SegToken::multi("وقال", ["و", "قال"]), w("الرئيس")];
        let s = score(&g, &[w("وقال"), w("الرئيس")]).unwrap();
        // Tokens agree; words: gold 3, system 2, only الرئيس aligned (وقال != و, قال).
        assert_eq!(s.tokens.correct, 2);
        assert_eq!(
            s.words,
            Counts {
                gold: 3,
                system: 2,
                correct: 1
            }
        );
        assert!((s.words.f1() - 2.0 / 5.0).abs() < 1e-12);
    }

    #[test]
    fn restored_article_matches_only_when_restored() {
        // للمدينة = ل + المدينة: the gold word has one more character than the surface.
        let g = [SegToken::multi("للمدينة", ["ل", "المدينة"])];
        let restored = [SegToken::multi("للمدينة", ["ل", "المدينة"])];
        assert_eq!(score(&g, &restored).unwrap().words.correct, 2);
        // Exact surface substrings: ل matches, لمدينة does not.
        let surface = [w("ل"), w("لمدينة")];
        let s = score(&g, &surface).unwrap();
        assert_eq!(
            s.words,
            Counts {
                gold: 2,
                system: 2,
                correct: 1
            }
        );
        // And the tokens differ: gold 0..7, system 0..1 and 1..7.
        assert_eq!(
            s.tokens,
            Counts {
                gold: 1,
                system: 2,
                correct: 0
            }
        );
    }

    #[test]
    fn ta_marbuta_restoration_compared_by_form() {
        // مدرستها = مدرسة + ها.
        let g = [SegToken::multi("مدرستها", ["مدرسة", "ها"])];
        let sys_restored = [SegToken::multi("مدرستها", ["مدرسة", "ها"])];
        let sys_surface = [SegToken::multi("مدرستها", ["مدرست", "ها"])];
        assert_eq!(score(&g, &sys_restored).unwrap().words.correct, 2);
        assert_eq!(score(&g, &sys_surface).unwrap().words.correct, 1);
    }

    #[test]
    fn lcs_skips_extra_and_missing_words() {
        // Gold و + ب + ها ; system wrongly و + بها: LCS = {و}.
        let g = [SegToken::multi("وبها", ["و", "ب", "ها"])];
        let s = [SegToken::multi("وبها", ["و", "بها"])];
        assert_eq!(score(&g, &s).unwrap().words.correct, 1);
        // Order matters in an LCS: gold a b c, system c a b → 2.
        let g = [SegToken::multi("abc", ["a", "b", "c"])];
        let s = [SegToken::multi("abc", ["c", "a", "b"])];
        assert_eq!(score(&g, &s).unwrap().words.correct, 2);
    }

    #[test]
    fn lowercase_forms_in_multiword_regions() {
        let g = [SegToken::multi("DuA", ["de", "A"])];
        let s = [SegToken::multi("DuA", ["De", "a"])];
        assert_eq!(score(&g, &s).unwrap().words.correct, 2);
    }

    #[test]
    fn wrong_boundary_in_plain_words() {
        // Gold "ab" "c"; system "a" "bc": no span agrees.
        let s = score(&[w("ab"), w("c")], &[w("a"), w("bc")]).unwrap();
        assert_eq!(
            s.words,
            Counts {
                gold: 2,
                system: 2,
                correct: 0
            }
        );
        assert_eq!(s.words.f1(), 0.0);
    }

    #[test]
    fn spaces_in_forms_are_ignored() {
        let s = score(&[w("a b"), w("c")], &[w("ab"), w("c")]).unwrap();
        assert_eq!(s.words.correct, 2);
    }

    #[test]
    fn different_texts_are_an_error() {
        let e = score(&[w("abc")], &[w("abd")]).unwrap_err();
        assert_eq!(
            e,
            SegEvalError::TextMismatch {
                at: 2,
                gold: "c".into(),
                system: "d".into()
            }
        );
        assert!(score(&[w("ab")], &[w("abc")]).is_err());
    }

    #[test]
    fn multiword_region_spans_several_system_tokens() {
        // Gold: "وبالكتاب" = و ب الكتاب, then "جاء".
        // System: و | بالكتاب (plain) | جاء: the region covers و and بالكتاب.
        let g = [SegToken::multi("وبالكتاب", ["و", "ب", "الكتاب"]), w("جاء")];
        let s = [w("و"), w("بالكتاب"), w("جاء")];
        let r = score(&g, &s).unwrap();
        assert_eq!(
            r.words,
            Counts {
                gold: 4,
                system: 3,
                correct: 2
            }
        );
        // Precision 2/3, recall 2/4, F1 = 4/7 (hand computation).
        assert!((r.words.f1() - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn counts_add_up() {
        let mut a = SegScores::default();
        let g = [SegToken::multi("وقال", ["و", "قال"])];
        a.add(score(&g, &g).unwrap());
        a.add(score(&g, &[w("وقال")]).unwrap());
        assert_eq!(
            a.words,
            Counts {
                gold: 4,
                system: 3,
                correct: 2
            }
        );
    }

    #[test]
    fn empty_inputs() {
        let s = score(&[], &[]).unwrap();
        assert_eq!(s.words.f1(), 0.0);
    }
}
