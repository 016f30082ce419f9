//! Property-based fuzzing of every tokenization scheme under every normalizer preset, with
//! invariants rather than "no panic":
//!
//! - token offsets lie inside the original text, on char boundaries, and increase without
//!   overlap;
//! - re-slicing the original by a token's offsets gives the text the term was made of: the
//!   term itself without normalization, and its normalization otherwise (or its restored
//!   spelling with the clitic scheme's `restore`);
//! - no term and no token source is empty or holds whitespace or U+FFFD;
//! - what lies between `words` tokens is separator material only (nothing is lost);
//! - the fast counting path (`for_each_term`) gives the same terms as `analyze`;
//! - cutting the text after an ASCII space, tab, CR or line feed (where the reader cuts
//!   chunks) never changes the terms.
//!
//! Cases per property: `PROPTEST_CASES` (default 512 here). `scripts/fuzz_long.sh` runs the long
//! campaign.

use kalima_text::clitic::CliticStyle;
use kalima_text::{Analyzer, Normalizer, Scheme, Scratch, Step};
use proptest::prelude::*;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Cases per property: `PROPTEST_CASES` when set, else 512.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Pieces that stress the schemes and the normalizer: Arabic with harakat, clitic-prone
/// words, marks that compose (madda, hamza above/below) or stand alone after a space,
/// presentation forms and ligatures, digits with separators, URLs, e-mails, hashtags, emoji,
/// ZWNJ/ZWJ, bidi controls, every kind of whitespace, U+FFFD, Hangul jamo (which compose
/// across NFC segments), and random printable or arbitrary characters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[\u{0621}-\u{064A}]{1,8}",
        3 => "[\u{0621}-\u{064A}\u{064B}-\u{0655}\u{0670}\u{0640}]{1,10}",
        2 => prop::sample::select(vec![
            "وقال", "بالمدينة", "للمدينة", "مدرستها", "عليه", "وَقَالَ", "فسيكفيكهم", "الذي",
            "والله", "لله", "أفبالله", "بِـالمدينة", "كتابهما", "ولي", "لل", "وبه",
        ]).prop_map(str::to_string),
        2 => prop::sample::select(vec![
            " ", "  ", "\t", "\n", "\r\n", "\r", "\u{00A0}", "\u{2003}", "\u{2028}", "\u{3000}",
            "\u{200C}", "\u{200D}", "\u{200F}", "\u{202E}", "\u{061C}", "\u{FEFF}", "\u{0}",
        ]).prop_map(str::to_string),
        2 => Just("\u{FFFD}".to_string()),
        2 => prop::sample::select(vec![
            "\u{0653}", "\u{0654}", "\u{0655}", "\u{0301}", "\u{064E}", "\u{0670}", "ا\u{0653}",
            "ي\u{0654}", " \u{0655}", "e\u{0301}", "\u{1161}", "\u{1100}\u{1161}", ".\u{1161}",
            "\u{FEFB}", "\u{FDFA}", "\u{FDFC}", "\u{FDFD}", "\u{FE70}", "\u{00B4}", "ﷲ",
            "\u{0671}", "ﻹ", "ǅ", "Σ", "ß", "İ", "ﬁ",
        ]).prop_map(str::to_string),
        2 => "[0-9٠-٩۰-۹][0-9٠-٩۰-۹.,٫٬]{0,6}",
        1 => prop::sample::select(vec![
            "https://ar.wikipedia.org/wiki/كلمة_(لغة)", "www.kalima.org.", "info@kalima.org",
            "http://", "a@b.co", "#رؤية_2030", "@وزارة_الصحة", "#", "@", "don't", "l’homme",
            "👨‍👩‍👧", "🇸🇦", "👍🏽", "❤️", "1️⃣", "«", "»", "،", "؟", "…", "(", ")", "-",
        ]).prop_map(str::to_string),
        2 => "[a-zA-Z]{1,8}",
        2 => "\\PC{1,4}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.concat())
}

/// Every scheme, every clitic style, with and without restoration.
fn schemes() -> Vec<Scheme> {
    let mut v = vec![
        Scheme::Words,
        Scheme::Camel {
            split_digits: false,
        },
        Scheme::Camel { split_digits: true },
        Scheme::Whitespace,
    ];
    for style in [CliticStyle::Ud, CliticStyle::D3] {
        for restore in [false, true] {
            v.push(Scheme::Clitic { style, restore });
        }
    }
    v
}

const PRESETS: [&str; 3] = ["none", "light", "search"];

fn normalizer(spec: &str) -> Normalizer {
    spec.parse().expect("normalizer")
}

/// The terms of `text`: (term, original start, original end).
fn analyze(a: &Analyzer, text: &str) -> Vec<(String, usize, usize)> {
    a.analyze(text)
        .iter()
        .map(|(t, tok)| (t.to_string(), tok.start, tok.end))
        .collect()
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == char::REPLACEMENT_CHARACTER
}

/// Whether a restored clitic spelling `term` comes from the normalized surface `n`.
fn is_restoration(term: &str, n: &str) -> bool {
    let strip = |s: &str| {
        s.trim_end_matches(|c: char| c.general_category_group() == GeneralCategoryGroup::Mark)
            .to_string()
    };
    term == format!("ا{n}")
        || term.strip_suffix(['ة', 'ى']).is_some_and(|stem| {
            let n = strip(n);
            n.strip_suffix(['ت', 'ي'])
                .is_some_and(|m| strip(m) == strip(stem) || m == stem)
        })
}

/// The invariants of one analyzer on one text. A piece of input that normalization cannot
/// divide (a character and the marks composed into it, or ﷽, which the `unicode` step expands
/// into four words) may give several tokens, which then share its range; each such token is
/// part of the normalized piece. Otherwise ranges are disjoint and, without the `unicode` step
/// (whose expansions may bring whitespace into a piece: U+FE70 is " ً"), a token's source
/// normalizes to exactly its term.
fn check(a: &Analyzer, text: &str) -> Result<(), TestCaseError> {
    let strict = !a.normalizer.has(Step::Unicode);
    let terms = analyze(a, text);
    let mut last_end = 0;
    let mut last_start = 0;
    for (i, (term, s, e)) in terms.iter().enumerate() {
        let (s, e) = (*s, *e);
        prop_assert!(
            s < e && e <= text.len(),
            "{:?} at {s}..{e} of {}",
            term,
            text.len()
        );
        prop_assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "{term:?} at {s}..{e}"
        );
        let starts_at = |j: Option<usize>| j.and_then(|j| terms.get(j)).is_some_and(|t| t.1 == s);
        // Tokens that start in the same indivisible piece share its start.
        let shared = starts_at(i.checked_sub(1)) || starts_at(Some(i + 1));
        if strict {
            prop_assert!(
                s >= last_end || (i > 0 && s == last_start),
                "{term:?} at {s}..{e} overlaps a token at {last_start}..{last_end}"
            );
        } else {
            prop_assert!(
                s >= last_start && e >= last_end,
                "{term:?} at {s}..{e} goes back from a token at {last_start}..{last_end}"
            );
        }
        last_start = s;
        last_end = e;
        prop_assert!(!term.is_empty(), "empty term at {s}..{e}");
        prop_assert!(
            !term.chars().any(is_separator),
            "term {term:?} holds a separator"
        );
        let source = &text[s..e];
        prop_assert!(
            !source.chars().any(is_separator),
            "term {term:?} comes from {source:?}, which holds a separator"
        );
        let n = a.normalizer.normalize(source);
        let restored =
            matches!(a.scheme, Scheme::Clitic { restore: true, .. }) && is_restoration(term, &n);
        if strict && !shared {
            // The source holds the term and at most what the scheme drops (a character that
            // normalization reordered with the term's marks stays in its piece).
            let kept = || {
                let scheme = match a.scheme {
                    Scheme::Clitic { .. } => Scheme::Words,
                    s => s,
                };
                let mut v = Vec::new();
                scheme.tokenize(&n, &mut v);
                v.iter().map(|t| t.text(&n)).collect::<String>()
            };
            prop_assert!(
                *term == n || restored || kept() == *term,
                "term {term:?} but its source {source:?} normalizes to {n:?}"
            );
        } else {
            // A restored spelling: its surface is in the piece.
            let restored_in = matches!(a.scheme, Scheme::Clitic { restore: true, .. })
                && (term.strip_prefix('ا').is_some_and(|r| n.contains(r))
                    || term.strip_suffix(['ة', 'ى']).is_some_and(|r| n.contains(r)));
            prop_assert!(
                n.contains(term.as_str()) || restored_in,
                "term {term:?} is not in its source {source:?} normalized: {n:?}"
            );
        }
    }
    // The fast counting path agrees.
    let mut fast = Vec::new();
    a.for_each_term(text, &mut Scratch::default(), |t| fast.push(t.to_string()));
    let slow: Vec<&String> = terms.iter().map(|(t, _, _)| t).collect();
    prop_assert_eq!(
        fast.iter().collect::<Vec<_>>(),
        slow,
        "for_each_term vs analyze"
    );
    Ok(())
}

/// Cutting after an ASCII separator (where the reader cuts chunks) changes nothing.
fn check_cut(a: &Analyzer, text: &str, at: usize) -> Result<(), TestCaseError> {
    let cuts: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .map(|(i, _)| i + 1)
        .collect();
    if cuts.is_empty() {
        return Ok(());
    }
    let cut = cuts[at % cuts.len()];
    let whole: Vec<String> = analyze(a, text).into_iter().map(|t| t.0).collect();
    let mut parts: Vec<String> = analyze(a, &text[..cut]).into_iter().map(|t| t.0).collect();
    parts.extend(analyze(a, &text[cut..]).into_iter().map(|t| t.0));
    prop_assert_eq!(whole, parts, "cut at byte {}", cut);
    Ok(())
}

fn check_all(scheme: Scheme, text: &str, at: usize) -> Result<(), TestCaseError> {
    for spec in PRESETS {
        let a = Analyzer::new(scheme, normalizer(spec));
        check(&a, text)?;
        check_cut(&a, text, at)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn words_invariants(text in text(), at in any::<usize>()) {
        check_all(Scheme::Words, &text, at)?;
        // Between tokens only separator material: whitespace, controls, format characters,
        // joiners, U+FFFD; nothing else is ever dropped.
        let a = Analyzer::new(Scheme::Words, Normalizer::none());
        let mut last = 0;
        let mut gaps = String::new();
        for (_, s, e) in analyze(&a, &text) {
            gaps.push_str(&text[last..s]);
            last = e;
        }
        gaps.push_str(&text[last..]);
        for c in gaps.chars() {
            let other = c.general_category_group() == GeneralCategoryGroup::Other
                && !matches!(c.general_category(), unicode_properties::GeneralCategory::PrivateUse | unicode_properties::GeneralCategory::Unassigned);
            prop_assert!(
                is_separator(c) || other || c.general_category_group() == GeneralCategoryGroup::Separator,
                "lost {:?}", c
            );
        }
    }

    #[test]
    fn camel_invariants(text in text(), at in any::<usize>(), split_digits in any::<bool>()) {
        check_all(Scheme::Camel { split_digits }, &text, at)?;
    }

    #[test]
    fn whitespace_invariants(text in text(), at in any::<usize>()) {
        check_all(Scheme::Whitespace, &text, at)?;
        // Exactly the non-separator runs, nothing else.
        let a = Analyzer::new(Scheme::Whitespace, Normalizer::none());
        let got: Vec<String> = analyze(&a, &text).into_iter().map(|t| t.0).collect();
        let want: Vec<&str> = text.split(is_separator).filter(|s| !s.is_empty()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn clitic_invariants(text in text(), at in any::<usize>(), d3 in any::<bool>(), restore in any::<bool>()) {
        let style = if d3 { CliticStyle::D3 } else { CliticStyle::Ud };
        check_all(Scheme::Clitic { style, restore }, &text, at)?;
        // The pieces of a word cover exactly the `words` token they came from.
        let words = Analyzer::new(Scheme::Words, Normalizer::light());
        let clitic = Analyzer::new(Scheme::Clitic { style, restore: false }, Normalizer::light());
        let w = analyze(&words, &text);
        let c = analyze(&clitic, &text);
        let mut ci = c.iter().peekable();
        for (_, ws, we) in &w {
            let mut at = *ws;
            while let Some((_, s, e)) = ci.peek() {
                if *s >= *we { break; }
                prop_assert_eq!(*s, at, "clitic pieces of {:?} leave a gap", &text[*ws..*we]);
                at = *e;
                ci.next();
            }
            prop_assert_eq!(at, *we, "clitic pieces of {:?} do not cover it", &text[*ws..*we]);
        }
        prop_assert!(ci.next().is_none());
    }

    /// Any set of steps (the `unicode` step included, with the weaker offset invariants that
    /// its expansions allow) and every scheme.
    #[test]
    fn any_steps_any_scheme(text in text(), bits in any::<u16>(), s in 0usize..8, at in any::<usize>()) {
        let spec: Vec<&str> = Step::ALL.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, s)| s.name()).collect();
        let n = normalizer(&spec.join(","));
        let a = Analyzer::new(schemes()[s], n);
        check(&a, &text)?;
        if !n.has(Step::Unicode) {
            check_cut(&a, &text, at)?;
        }
    }

    /// Arbitrary strings, not only the pieces above.
    #[test]
    fn arbitrary_strings(text in "\\PC{0,80}|(.|\\s){0,80}", s in 0usize..8, p in 0usize..3, at in any::<usize>()) {
        let a = Analyzer::new(schemes()[s], normalizer(PRESETS[p]));
        check(&a, &text)?;
        check_cut(&a, &text, at)?;
    }
}

#[test]
fn hamza_below_after_a_space_is_not_sourced_from_the_space() {
    // NFC works on segments (a starter plus the marks after it); a stray combining mark after
    // a space made the term's source range include the space.
    for scheme in schemes() {
        let a = Analyzer::new(scheme, Normalizer::light());
        let text = "كتب \u{0655}x";
        for (term, tok) in a.analyze(text).iter() {
            assert!(
                !tok.text(text).contains(' '),
                "{scheme}: {term:?} from {:?}",
                tok.text(text)
            );
        }
    }
}

#[test]
fn a_lowercased_dotted_capital_i_stays_in_one_token() {
    // `lower` turns "İ" into "i" + U+0307; an e-mail address ended before the mark, which cut
    // the one original char into two overlapping tokens.
    for scheme in schemes() {
        let a = Analyzer::new(scheme, normalizer("lower"));
        let text = "info@kalima.orgİ x";
        let got = analyze(&a, text);
        for w in got.windows(2) {
            assert!(w[1].1 >= w[0].2, "{scheme}: {got:?}");
        }
    }
}
