//! Text shown to people (tables, reports, concordances, chart labels): bidi formatting
//! characters made visible, and right-to-left detection for layout.
//!
//! A term from a corpus may hold invisible bidi formatting characters. Printed raw, they
//! reorder what a reader sees: `a` U+202E `bc` reads "acb", and a U+202E or U+200F inside
//! الرئيس gives a second row that looks exactly like the first. Every renderer for people
//! therefore passes untrusted text through [`visible_controls`], which writes each such
//! character as `‹U+XXXX›` (SINGLE LEFT/RIGHT-POINTING ANGLE QUOTATION MARK around the code
//! point). Data files (CSV, TSV, JSON, JSONL, Parquet) keep the characters untouched.
//!
//! The quotation marks were chosen over `⟨…⟩` because the fonts embedded for charts (Noto
//! Sans) have glyphs for them, so a chart shows the same marker as the HTML and the terminal;
//! they take one terminal cell each.
//!
//! ZWNJ and ZWJ (U+200C, U+200D) are NOT touched: they are legitimate inside Arabic-script
//! words (e.g. Persian می‌خواهم) and change only how letters join, never their order.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is a bidi formatting character: the embeddings and overrides LRE, RLE, PDF,
/// LRO, RLO (U+202A–U+202E), the isolates LRI, RLI, FSI, PDI (U+2066–U+2069) and the marks
/// LRM, RLM (U+200E, U+200F) and ALM (U+061C). Unicode's Bidi_Control property, exactly.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// `s` with every bidi formatting character ([`is_bidi_control`]) written as `‹U+XXXX›`
/// (upper-case hex, four digits), so it can neither reorder nor hide in what people read.
/// Borrows `s` when it holds none.
///
/// ```
/// use kalima_text::display::visible_controls;
/// assert_eq!(visible_controls("a\u{202E}bc"), "a‹U+202E›bc");
/// assert_eq!(visible_controls("الرئيس"), "الرئيس");
/// ```
pub fn visible_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_bidi_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_bidi_control(c) {
            let _ = write!(out, "‹U+{:04X}›", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `c` belongs to a right-to-left script (strong bidi classes R and AL, by block), or
/// is the RIGHT-TO-LEFT MARK or ARABIC LETTER MARK: Hebrew, Arabic (with its supplements,
/// extensions and presentation forms), Syriac, Thaana, NKo, Samaritan, Mandaic, and the
/// historic and other right-to-left scripts of the supplementary planes.
///
/// A layout hint (should this cell be isolated with marks, is this query right-to-left?),
/// deliberately by block: the few neutral characters inside these blocks (Arabic digits,
/// harakat) only ever appear next to letters of the same script.
pub fn is_rtl(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{05FF}'      // Hebrew
        | '\u{0600}'..='\u{06FF}'    // Arabic (ALM U+061C included)
        | '\u{0700}'..='\u{074F}'    // Syriac
        | '\u{0750}'..='\u{077F}'    // Arabic Supplement
        | '\u{0780}'..='\u{089F}'    // Thaana, NKo, Samaritan, Mandaic, Syriac Supplement, Arabic Extended-B
        | '\u{08A0}'..='\u{08FF}'    // Arabic Extended-A
        | '\u{200F}'                 // RIGHT-TO-LEFT MARK
        | '\u{FB1D}'..='\u{FB4F}'    // Hebrew presentation forms
        | '\u{FB50}'..='\u{FDFF}'    // Arabic presentation forms A
        | '\u{FE70}'..='\u{FEFE}'    // Arabic presentation forms B (U+FEFF, the BOM, is not)
        | '\u{10800}'..='\u{10FFF}'  // historic right-to-left scripts, Hanifi Rohingya, …
        | '\u{1E800}'..='\u{1EFFF}') // Mende Kikakui, Adlam, Arabic mathematical symbols
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bidi formatting character, with the marker it must become.
    const CONTROLS: [(char, &str); 12] = [
        ('\u{202A}', "‹U+202A›"), // LRE
        ('\u{202B}', "‹U+202B›"), // RLE
        ('\u{202C}', "‹U+202C›"), // PDF
        ('\u{202D}', "‹U+202D›"), // LRO
        ('\u{202E}', "‹U+202E›"), // RLO
        ('\u{2066}', "‹U+2066›"), // LRI
        ('\u{2067}', "‹U+2067›"), // RLI
        ('\u{2068}', "‹U+2068›"), // FSI
        ('\u{2069}', "‹U+2069›"), // PDI
        ('\u{200E}', "‹U+200E›"), // LRM
        ('\u{200F}', "‹U+200F›"), // RLM
        ('\u{061C}', "‹U+061C›"), // ALM
    ];

    #[test]
    fn every_bidi_control_becomes_visible() {
        for (c, marker) in CONTROLS {
            assert!(is_bidi_control(c), "U+{:04X}", c as u32);
            let term = format!("الر{c}ئيس");
            assert_eq!(visible_controls(&term), format!("الر{marker}ئيس"));
            let shown = visible_controls(&term);
            assert!(!shown.chars().any(is_bidi_control), "{shown:?}");
        }
        let all: String = CONTROLS.iter().map(|(c, _)| *c).collect();
        let markers: String = CONTROLS.iter().map(|(_, m)| *m).collect();
        assert_eq!(visible_controls(&all), markers);
    }

    #[test]
    fn the_set_is_unicode_bidi_control() {
        // Bidi_Control (PropList.txt) has exactly these 12 code points; nothing near them is in.
        let n = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_bidi_control(c))
            .count();
        assert_eq!(n, CONTROLS.len());
        for c in [
            '\u{061B}', '\u{061D}', '\u{200D}', '\u{2029}', '\u{202F}', '\u{2065}',
        ] {
            assert!(!is_bidi_control(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn joiners_and_plain_text_are_left_alone() {
        // Persian "mi-khaham" with ZWNJ, and Arabic with ZWJ (tatweel-like joining).
        for s in [
            "می\u{200C}خواهم",
            "ع\u{200D}",
            "abc",
            "كِتَابٌ",
            "",
            "‹U+202E›",
        ] {
            assert!(matches!(visible_controls(s), Cow::Borrowed(_)), "{s:?}");
            assert_eq!(visible_controls(s), s);
        }
    }

    #[test]
    fn rtl_covers_arabic_hebrew_and_the_marks() {
        for c in [
            'א',        // Hebrew U+05D0
            'ك',        // Arabic U+0643
            '\u{061C}', // ALM
            '\u{0750}', // Arabic Supplement
            '\u{077F}',
            '\u{08A0}', // Arabic Extended-A
            '\u{08FF}',
            '\u{FB50}', // presentation forms A
            '\u{FDFF}',
            '\u{FE70}', // presentation forms B
            '\u{FEFC}',
            '\u{200F}',  // RLM
            'ܐ',         // Syriac U+0710
            '\u{1EE00}', // Arabic mathematical alphabetic symbols
        ] {
            assert!(is_rtl(c), "U+{:04X}", c as u32);
        }
        for c in [
            'a', '1', ' ', '\u{200E}', '\u{200C}', '\u{FEFF}', '‹', '漢', '\u{058F}',
        ] {
            assert!(!is_rtl(c), "U+{:04X}", c as u32);
        }
    }
}
