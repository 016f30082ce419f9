//! The `words` scheme: a Unicode-aware word tokenizer made for Arabic text.
//!
//! Rules, in the order they are tried at the start of each token (every rule has a test below):
//!
//! | rule | example input | tokens |
//! |---|---|---|
//! | whitespace, control characters and invisible format characters (LRM, RLM, ALM, BOM, bidi controls) separate tokens and are dropped | `كتب\u{200F} الدرس` | `كتب` `الدرس` |
//! | U+FFFD (the reader's stand-in for undecodable bytes) separates tokens and is dropped: it is never counted as a term | `كت\u{FFFD}ب` | `كت` `ب` |
//! | URLs (`http://`, `https://`, `ftp://`, `www.`) run to the next whitespace; trailing punctuation (`. , ; : ! ? ' " » « ، ؛ ؟ …` and an unbalanced `)`) is split off | `انظر https://example.com/a?b=1.` | `انظر` `https://example.com/a?b=1` `.` |
//! | e-mail addresses (ASCII) | `راسلنا info@kalima.org` | `راسلنا` `info@kalima.org` |
//! | @mentions and #hashtags, Arabic ones too (`@` / `#` not preceded by a word character, followed by word characters) | `#السعودية_تحتفل @وزارة_الصحة` | `#السعودية_تحتفل` `@وزارة_الصحة` |
//! | emoji: one grapheme cluster (ZWJ sequences, skin tones, flags) | `👨‍👩‍👧 🇸🇦` | `👨‍👩‍👧` `🇸🇦` |
//! | words: runs of letters, combining marks (harakat, U+0670, shadda…), tatweel, digits and connector punctuation (`_`) | `وَالْكِتَابُ` | `وَالْكِتَابُ` |
//! | ZWNJ/ZWJ inside a word keep it whole (dropped at a word's edge) | `می‌خواهم` | `می‌خواهم` |
//! | numbers: Arabic-Indic, Extended Arabic-Indic or ASCII digits with separators `٫ ٬ . ,` between digits stay whole | `١٢٬٥٠٠٫٧٥ 3,141.59` | `١٢٬٥٠٠٫٧٥` `3,141.59` |
//! | an apostrophe (`'` or `’`) between two Latin letters stays inside the word | `don't` | `don't` |
//! | every other punctuation or symbol character is a token of its own (with any combining marks that follow it) | `قال: «نعم»؟` | `قال` `:` `«` `نعم` `»` `؟` |
//!
//! Combining marks are transparent to the number, apostrophe and ZWNJ rules (as Extend is in
//! Unicode word segmentation, rule WB4): `١٢٫َ٥` stays one number.
//!
//! Hyphens split (`كوفيد-19` → `كوفيد` `-` `19`), as in Unicode word segmentation. Scripts
//! written without spaces (Chinese, Thai) come out as one token per run of letters.

use unicode_properties::{
    GeneralCategory, GeneralCategoryGroup, UnicodeEmoji, UnicodeGeneralCategory,
};
use unicode_segmentation::UnicodeSegmentation;

use crate::Token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cls {
    /// Whitespace, controls and invisible format characters: separators.
    Space,
    /// Letters, non-decimal numbers, connector punctuation.
    Word,
    /// Combining marks: word material, and transparent to the number, apostrophe and joiner
    /// rules (as Extend is in Unicode word segmentation, rule WB4).
    Mark,
    /// Decimal digits (any script).
    Digit,
    /// ZWNJ / ZWJ: kept only inside a word.
    Joiner,
    /// Punctuation and symbols: one token each.
    Punct,
    /// Emoji: one grapheme cluster.
    Emoji,
}

fn classify_slow(c: char) -> Cls {
    use GeneralCategory as G;
    if c == '\u{200C}' || c == '\u{200D}' {
        return Cls::Joiner;
    }
    // Undecodable bytes become U+FFFD in the reader: a hole in the text, never a term.
    if c.is_whitespace() || c == char::REPLACEMENT_CHARACTER {
        return Cls::Space;
    }
    let cat = c.general_category();
    match c.general_category_group() {
        GeneralCategoryGroup::Letter => Cls::Word,
        GeneralCategoryGroup::Mark => Cls::Mark,
        GeneralCategoryGroup::Number => {
            if cat == G::DecimalNumber {
                Cls::Digit
            } else {
                Cls::Word
            }
        }
        GeneralCategoryGroup::Punctuation => {
            if cat == G::ConnectorPunctuation {
                Cls::Word
            } else {
                Cls::Punct
            }
        }
        GeneralCategoryGroup::Symbol => {
            if (c as u32) >= 0x2000 && c.is_emoji_char() {
                Cls::Emoji
            } else {
                Cls::Punct
            }
        }
        GeneralCategoryGroup::Separator => Cls::Space,
        GeneralCategoryGroup::Other => match cat {
            G::Control | G::Format | G::Surrogate => Cls::Space,
            // Private use: keep as word material rather than lose it.
            G::PrivateUse => Cls::Word,
            // Unassigned: a token of its own so nothing is dropped.
            _ => {
                if unicode_properties::emoji::is_regional_indicator(c) {
                    Cls::Emoji
                } else {
                    Cls::Punct
                }
            }
        },
    }
}

fn low_table() -> &'static [Cls; 0x800] {
    static T: std::sync::OnceLock<[Cls; 0x800]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = [Cls::Space; 0x800];
        for (i, slot) in t.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(i as u32) {
                *slot = classify_slow(c);
            }
        }
        t
    })
}

type Table = [Cls; 0x800];

#[inline]
fn classify(c: char) -> Cls {
    classify_in(low_table(), c)
}

/// `classify` with the table fetched once by the caller (the hot loops).
#[inline(always)]
fn classify_in(table: &Table, c: char) -> Cls {
    let u = c as u32;
    if u < 0x800 {
        table[u as usize]
    } else if unicode_properties::emoji::is_regional_indicator(c) {
        Cls::Emoji
    } else {
        classify_slow(c)
    }
}

#[inline]
fn is_word(cls: Cls) -> bool {
    matches!(cls, Cls::Word | Cls::Digit | Cls::Mark)
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text[i..].chars().next()
}

/// The char at byte `i` (< text.len()) and its length; one- and two-byte chars (ASCII, Latin,
/// Arabic) are decoded straight from the bytes.
#[inline(always)]
fn decode(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes();
    let x = b[i];
    if x < 0x80 {
        (x as char, 1)
    } else if x < 0xE0 {
        // Valid UTF-8: a two-byte lead is followed by its continuation byte.
        let u = (u32::from(x & 0x1F) << 6) | u32::from(b[i + 1] & 0x3F);
        (char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER), 2)
    } else {
        let c = text[i..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        (c, c.len_utf8())
    }
}

fn is_num_sep(c: char) -> bool {
    matches!(c, '.' | ',' | '\u{066B}' | '\u{066C}')
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// Tokenize `text` with the `words` scheme, appending tokens to `out`.
///
/// ```
/// use kalima_text::words::tokenize;
/// let text = "قال: «سنبدأ في ٢٠٢٥» #رؤية_2030";
/// let mut toks = Vec::new();
/// tokenize(text, &mut toks);
/// let words: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
/// assert_eq!(words, ["قال", ":", "«", "سنبدأ", "في", "٢٠٢٥", "»", "#رؤية_2030"]);
/// ```
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    let table = low_table();
    let bytes = text.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    // Whether the char just before `i` is word material (for @/# and e-mail rules).
    let mut prev_word = false;
    while i < len {
        let b = bytes[i];
        // ASCII fast path for separators.
        if b == b' ' || b == b'\n' {
            i += 1;
            prev_word = false;
            continue;
        }
        let (c, clen) = decode(text, i);
        let cls = classify_in(table, c);
        match cls {
            Cls::Space | Cls::Joiner => {
                i += clen;
                prev_word = false;
            }
            Cls::Word | Cls::Digit | Cls::Mark => {
                let end = (b.is_ascii_alphabetic())
                    .then(|| scan_url(text, i))
                    .flatten()
                    .or_else(|| {
                        b.is_ascii_alphanumeric()
                            .then(|| scan_email(text, i))
                            .flatten()
                    })
                    .unwrap_or_else(|| scan_word(text, i, table));
                out.push(Token::new(i, end));
                i = end;
                prev_word = true;
            }
            Cls::Punct => {
                if (c == '@' || c == '#') && !prev_word {
                    let end = scan_word_run(text, i + 1, table);
                    if end > i + 1 {
                        out.push(Token::new(i, end));
                        i = end;
                        prev_word = true;
                        continue;
                    }
                }
                let end = skip_marks(text, i + clen);
                out.push(Token::new(i, end));
                i = end;
                prev_word = false;
            }
            Cls::Emoji => {
                let g = text[i..].graphemes(true).next().map_or(clen, str::len);
                out.push(Token::new(i, i + g));
                i += g;
                prev_word = false;
            }
        }
    }
}

/// Combining marks after a punctuation character stay with it (no data is dropped).
fn skip_marks(text: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(text, i) {
        if (c as u32) < 0x300 || c.general_category_group() != GeneralCategoryGroup::Mark {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// A word starting at `start` (whose first char is word material).
fn scan_word(text: &str, start: usize, table: &Table) -> usize {
    scan_word_run(text, start, table).max(start + char_at(text, start).map_or(1, char::len_utf8))
}

/// Extend a run of word material from `i`; returns its end (== `i` when there is none).
fn scan_word_run(text: &str, mut i: usize, table: &Table) -> usize {
    let start = i;
    let mut prev: Option<char> = None;
    while i < text.len() {
        let (c, clen) = decode(text, i);
        let cls = classify_in(table, c);
        if is_word(cls) {
            if cls != Cls::Mark {
                prev = Some(c);
            }
            i += clen;
            continue;
        }
        if i == start {
            break;
        }
        // The next char that is not a combining mark.
        let mut k = i + clen;
        let mut next = None;
        while k < text.len() {
            let (d, dlen) = decode(text, k);
            if classify_in(table, d) != Cls::Mark {
                next = Some(d);
                break;
            }
            k += dlen;
        }
        let next_cls = next.map(|d| classify_in(table, d));
        let keep = match cls {
            Cls::Joiner => next_cls.is_some_and(is_word),
            _ if is_num_sep(c) => {
                prev.is_some_and(|p| classify(p) == Cls::Digit) && next_cls == Some(Cls::Digit)
            }
            _ if c == '\'' || c == '\u{2019}' => {
                prev.is_some_and(is_latin_letter) && next.is_some_and(is_latin_letter)
            }
            _ => false,
        };
        if !keep {
            break;
        }
        prev = Some(c);
        i += clen;
    }
    i
}

const URL_TRAIL: &[char] = &[
    '.', ',', ';', ':', '!', '?', '\'', '"', '»', '«', '،', '؛', '؟', '…', ']', '}', '>', '<',
];

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[..needle.len()].eq_ignore_ascii_case(needle)
}

/// A URL at `start`, or `None`.
fn scan_url(text: &str, start: usize) -> Option<usize> {
    let rest = &text.as_bytes()[start..];
    let prefix = [&b"https://"[..], b"http://", b"ftp://", b"www."]
        .into_iter()
        .find(|p| starts_with_ci(rest, p))?;
    let mut end = start;
    for (j, c) in text[start..].char_indices() {
        if c.is_whitespace()
            || matches!(classify(c), Cls::Space)
            || c == '"'
            || c == '<'
            || c == '>'
        {
            break;
        }
        end = start + j + c.len_utf8();
    }
    // Trim trailing punctuation that belongs to the sentence, not the URL.
    loop {
        // Marks after the last char go with it.
        let body = text[start..end].trim_end_matches(|c| classify(c) == Cls::Mark);
        let Some(last) = body.chars().next_back() else {
            break;
        };
        let drop = if last == ')' {
            body.matches('(').count() < body.matches(')').count()
        } else {
            URL_TRAIL.contains(&last)
        };
        if !drop || body.len() <= prefix.len() {
            break;
        }
        end = start + body.len() - last.len_utf8();
    }
    // "www." or "http://" alone is not a URL.
    (end - start > prefix.len()).then_some(end)
}

/// An ASCII e-mail address at `start`, or `None`.
fn scan_email(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b"._%+-".contains(&b[i])) {
        i += 1;
    }
    if i == start || i >= b.len() || b[i] != b'@' || b[i - 1] == b'.' {
        return None;
    }
    i += 1;
    let dom_start = i;
    let mut last_label_start = i;
    let mut dots = 0;
    let mut end = None;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() || c == b'-' {
            i += 1;
            let label = &b[last_label_start..i];
            if dots > 0 && label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic) {
                end = Some(i);
            }
        } else if c == b'.' && i > last_label_start {
            dots += 1;
            i += 1;
            last_label_start = i;
        } else {
            break;
        }
    }
    let end = end?;
    // Do not end in the middle of a label ("a@b.com2" is not an address ending at "com"), nor
    // before a combining mark, which belongs to the letter before it ("a@b.coḿ").
    if end < b.len()
        && (b[end].is_ascii_alphanumeric()
            || b[end] == b'-'
            || char_at(text, end).is_some_and(|c| classify(c) == Cls::Mark))
    {
        return None;
    }
    (end > dom_start).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let mut v = Vec::new();
        tokenize(text, &mut v);
        v.iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn whitespace_controls_and_format_chars_separate() {
        assert_eq!(toks("كتب\u{200F} الدرس"), ["كتب", "الدرس"]);
        assert_eq!(
            toks("\u{FEFF}a\u{0000}b\tc\u{00A0}d\u{2066}e\u{061C}f"),
            ["a", "b", "c", "d", "e", "f"]
        );
        assert!(toks("  \n\t ").is_empty());
    }

    #[test]
    fn replacement_character_is_never_a_token() {
        assert_eq!(toks("كت\u{FFFD}ب"), ["كت", "ب"]);
        assert_eq!(toks("\u{FFFD}\u{FFFD} x \u{FFFD}"), ["x"]);
        // Not inside a URL, a hashtag, a number or after a punctuation mark either.
        assert_eq!(toks("www.a.com/\u{FFFD}b"), ["www.a.com/", "b"]);
        assert_eq!(
            toks("#\u{FFFD}a 1,\u{FFFD}2 .\u{FFFD}"),
            ["#", "a", "1", ",", "2", "."]
        );
    }

    #[test]
    fn urls() {
        assert_eq!(
            toks("انظر https://example.com/a?b=1."),
            ["انظر", "https://example.com/a?b=1", "."]
        );
        assert_eq!(toks("(www.kalima.org)"), ["(", "www.kalima.org", ")"]);
        assert_eq!(
            toks("https://ar.wikipedia.org/wiki/كلمة_(لغة)،"),
            ["https://ar.wikipedia.org/wiki/كلمة_(لغة)", "،"]
        );
        assert_eq!(toks("http:// x"), ["http", ":", "/", "/", "x"]);
        assert_eq!(toks("www."), ["www", "."]);
        assert_eq!(
            toks("https://x.com.\u{064B} y"),
            ["https://x.com", ".\u{064B}", "y"]
        );
    }

    #[test]
    fn emails() {
        assert_eq!(
            toks("راسلنا info@kalima.org."),
            ["راسلنا", "info@kalima.org", "."]
        );
        assert_eq!(toks("a.b+c@mail.example.co"), ["a.b+c@mail.example.co"]);
        assert_eq!(toks("x@y"), ["x", "@", "y"]);
        // A combining mark after the last letter belongs to it: no address ends there (with
        // the `lower` step, "İ" becomes "i" + U+0307, which cut one char in two tokens).
        assert_eq!(toks("a@b.co\u{301}"), ["a", "@", "b", ".", "co\u{301}"]);
    }

    #[test]
    fn mentions_and_hashtags() {
        assert_eq!(
            toks("#السعودية_تحتفل @وزارة_الصحة"),
            ["#السعودية_تحتفل", "@وزارة_الصحة"]
        );
        assert_eq!(toks("#رؤية_2030!"), ["#رؤية_2030", "!"]);
        assert_eq!(toks("# عنوان"), ["#", "عنوان"]);
        assert_eq!(toks("@user"), ["@user"]);
    }

    #[test]
    fn emoji_sequences() {
        assert_eq!(toks("👨‍👩‍👧 🇸🇦"), ["👨‍👩‍👧", "🇸🇦"]);
        assert_eq!(toks("رائع👍🏽👍"), ["رائع", "👍🏽", "👍"]);
        assert_eq!(toks("❤️ok"), ["❤️", "ok"]);
    }

    #[test]
    fn words_with_marks_tatweel() {
        assert_eq!(toks("وَالْكِتَابُ هٰذا كـــتاب"), ["وَالْكِتَابُ", "هٰذا", "كـــتاب"]);
        // A mark at the start of the text is word material, not lost.
        assert_eq!(toks("\u{064E}ب"), ["\u{064E}ب"]);
    }

    #[test]
    fn zwnj_inside_word() {
        assert_eq!(toks("می‌خواهم"), ["می‌خواهم"]);
        assert_eq!(toks("كلمة\u{200C} أخرى"), ["كلمة", "أخرى"]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("١٢٬٥٠٠٫٧٥ 3,141.59 ۱۲۳"),
            ["١٢٬٥٠٠٫٧٥", "3,141.59", "۱۲۳"]
        );
        assert_eq!(toks("عام 2020."), ["عام", "2020", "."]);
        assert_eq!(toks("1, 2"), ["1", ",", "2"]);
        assert_eq!(toks("كوفيد-19"), ["كوفيد", "-", "19"]);
        assert_eq!(toks("G20 و2020م"), ["G20", "و2020م"]);
        // Combining marks are transparent to the separator rule (like WB4 in UAX #29).
        assert_eq!(
            toks("١٢٫\u{064E}٥ ١٢\u{064E}٫٥"),
            ["١٢٫\u{064E}٥", "١٢\u{064E}٫٥"]
        );
    }

    #[test]
    fn latin_apostrophe() {
        assert_eq!(toks("don't l’homme"), ["don't", "l’homme"]);
        assert_eq!(toks("'quoted'"), ["'", "quoted", "'"]);
    }

    #[test]
    fn punctuation_each_a_token() {
        assert_eq!(toks("قال: «نعم»؟"), ["قال", ":", "«", "نعم", "»", "؟"]);
        assert_eq!(
            toks("أولاً، ثانياً؛ ثالثاً..."),
            ["أولاً", "،", "ثانياً", "؛", "ثالثاً", ".", ".", "."]
        );
        assert_eq!(toks("\"x\"…!"), ["\"", "x", "\"", "…", "!"]);
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_ordered_nonempty_and_lose_only_separators(s in "\\PC{0,60}|[a-z@#.:/ \u{0627}-\u{064A}\u{064B}\u{200C}\u{0660}-\u{0669}٫٬,]{0,60}") {
            let mut v = Vec::new();
            tokenize(&s, &mut v);
            let mut last = 0;
            for t in &v {
                proptest::prop_assert!(t.start >= last && t.end > t.start);
                proptest::prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
                // What lies between tokens is separator material only.
                for c in s[last..t.start].chars() {
                    proptest::prop_assert!(matches!(classify(c), Cls::Space | Cls::Joiner), "lost {:?}", c);
                }
                last = t.end;
            }
            for c in s[last..].chars() {
                proptest::prop_assert!(matches!(classify(c), Cls::Space | Cls::Joiner), "lost {:?}", c);
            }
        }
    }
}
