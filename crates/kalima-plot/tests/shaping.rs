//! Arabic shaping and ordering. These tests fail on the classic failures of chart tools:
//! isolated letters, left-to-right order, marks away from their letters, boxes for glyphs a
//! font lacks.
//!
//! The expected contextual forms are independent of the code: Noto names its Arabic glyphs
//! after the Unicode "Arabic Presentation Forms-B" code points (U+FE70–U+FEFF), whose
//! isolated/final/initial/medial assignments are fixed by the Unicode Standard
//! (e.g. U+FED3 ARABIC LETTER FEH INITIAL FORM, U+FEF2 ARABIC LETTER YEH FINAL FORM).

use kalima_plot::{Fonts, shape};

fn names(s: &str) -> Vec<String> {
    shape(Fonts::embedded(), s, 40.0, false).glyph_names(Fonts::embedded())
}

/// The glyph names of a word written without shaping (isolated forms), for contrast.
#[test]
fn fi_is_feh_initial_then_yeh_final_right_to_left() {
    // Visual order is left to right on the page: the final yeh (the word's end) is on the
    // left, the initial feh (its start) on the right.
    assert_eq!(names("في"), ["uniFEF2", "uniFED3"]);
}

#[test]
fn medial_forms_in_a_longer_word() {
    // كوفيد: kaf initial FEDB, waw final FEEE (waw does not join left), feh initial FED3,
    // yeh medial FEF4, dal final FEAA; shown right to left.
    assert_eq!(
        names("كوفيد"),
        ["uniFEAA", "uniFEF4", "uniFED3", "uniFEEE", "uniFEDB"]
    );
    // سلام: seen initial FEB3, lam-alef ligature after a joining letter (U+FEFC LAM WITH
    // ALEF FINAL FORM), then meem isolated (alef never joins to the left, so meem stands
    // alone: the isolated letter U+0645 itself).
    assert_eq!(names("سلام"), ["uni0645", "uniFEFC", "uniFEB3"]);
}

#[test]
fn mixed_arabic_latin_digits_order() {
    // "كوفيد-19 في 2020" in an RTL paragraph reads, left to right on the page:
    // 2020, في, 19, -, كوفيد — numbers keep their own left-to-right order.
    let f = Fonts::embedded();
    let text = "كوفيد-19 في 2020";
    let sh = shape(f, text, 40.0, false);
    let visual: String = sh
        .glyphs
        .iter()
        .map(|g| text[g.cluster..].chars().next().unwrap())
        .collect();
    assert_eq!(visual, "2020 يف 19-ديفوك");
    // Glyph positions increase left to right with no overlap of advances.
    assert!(sh.glyphs.windows(2).all(|w| w[0].x <= w[1].x + 0.01));
    // Latin letters come from the Latin font (Noto Sans Arabic has none): no .notdef.
    let n = names("Reuters تقرير");
    assert!(!n.iter().any(|g| g == ".notdef" || g == "gid0"), "{n:?}");
    let paren = names("في (40)");
    assert!(
        !paren.iter().any(|g| g == ".notdef" || g == "gid0"),
        "{paren:?}"
    );
    // Mirrored parentheses in RTL: the visually first glyph is a left parenthesis.
    assert_eq!(paren.first().map(String::as_str), Some("parenleft"));
}

#[test]
fn latin_title_is_left_to_right_and_not_boxes() {
    let f = Fonts::embedded();
    let sh = shape(f, "Top words", 40.0, true);
    assert!(sh.glyphs.iter().all(|g| !g.rtl));
    assert_eq!(sh.glyph_names(f).first().map(String::as_str), Some("T"));
    assert!(!sh.glyph_names(f).iter().any(|g| g == ".notdef"));
}

#[test]
fn diacritics_sit_on_their_letters() {
    // مُحَمَّد: damma on meem, fatha on hah, shadda+fatha on the second meem. Each mark's ink
    // must overlap horizontally the ink of the letter it belongs to (same cluster).
    let f = Fonts::embedded();
    let text = "مُحَمَّد";
    let sh = shape(f, text, 60.0, false);
    let boxes = sh.glyph_boxes(f);
    let names = sh.glyph_names(f);
    // Noto composes shadda+fatha into one mark glyph (U+FC60 SHADDA WITH FATHA).
    let marks = ["uni064F", "uni064E", "uni0651", "uniFC60"];
    let mut checked = 0;
    for (i, n) in names.iter().enumerate() {
        if !marks.iter().any(|m| n.starts_with(m)) {
            continue;
        }
        let m = boxes[i].expect("mark has ink");
        let base = (0..names.len())
            .find(|&j| {
                sh.glyphs[j].cluster == sh.glyphs[i].cluster
                    && !marks.iter().any(|m| names[j].starts_with(m))
            })
            .expect("a base letter in the mark's cluster");
        let b = boxes[base].expect("base has ink");
        let overlap = m.x1.min(b.x1) - m.x0.max(b.x0);
        assert!(
            overlap > 0.0,
            "mark {n} at {m:?} is not over its letter {} at {b:?}",
            names[base]
        );
        // and above the baseline letter body (fatha/damma/shadda are above).
        assert!(m.y1 < b.y1, "mark {n} not above its letter");
        checked += 1;
    }
    assert!(
        checked >= 3,
        "expected 3 marks, checked {checked}: {names:?}"
    );
}

#[test]
fn one_path_per_line_joined_without_gaps() {
    // The letters of a joined word touch: the ink of consecutive glyphs of "محمد" overlaps or
    // meets (a gap of even 1 px shows as unjoined letters).
    let f = Fonts::embedded();
    let sh = shape(f, "محمد", 60.0, false);
    let boxes: Vec<_> = sh.glyph_boxes(f).into_iter().map(Option::unwrap).collect();
    for w in boxes.windows(2) {
        assert!(w[1].x0 <= w[0].x1 + 0.5, "gap between joined glyphs: {w:?}");
    }
    let (d, _) = sh.path(f, 10.0, 50.0);
    assert!(d.matches('M').count() >= 4, "{d}");
    assert!(!d.contains("NaN"));
}
