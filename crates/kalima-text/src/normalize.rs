//! Normalization: an ordered set of steps, applied in one fixed order, with an alignment back
//! to the original bytes.
//!
//! # Steps, in the order they are applied
//!
//! | step | what it does | example |
//! |---|---|---|
//! | `unicode` | CAMeL Tools' `normalize_unicode`: NFKC, after expanding U+FDFC (﷼) to "ريال" and U+FDFD (﷽) to "بسم الله الرحمن الرحيم" | `ﻻ` → `لا` |
//! | `nfc` | canonical composition (NFC); ignored when `unicode` is on (NFKC already composes) | `ا` + U+0653 → `آ` |
//! | `dediac` | CAMeL's `dediac_ar`: remove U+064B–U+0652 (tanwin, harakat, shadda, sukun) and U+0670 (superscript alef) | `كَتَبَ` → `كتب` |
//! | `tatweel` | remove tatweel U+0640 | `كـــتب` → `كتب` |
//! | `alef` | CAMeL's `normalize_alef_ar`: إ أ آ ٱ → ا | `أحمد` → `احمد` |
//! | `maksura` | alef maksura ى → ي | `على` → `علي` |
//! | `teh` | teh marbuta ة → ه | `مدرسة` → `مدرسه` |
//! | `hamza` | hamza carriers folded to their bare letter: أ إ → ا, ؤ → و, ئ → ي; combining hamza U+0654/U+0655 removed; ء and آ kept | `مسؤول` → `مسوول` |
//! | `digits` | Arabic-Indic (U+0660–U+0669) and Extended Arabic-Indic (U+06F0–U+06F9) digits → ASCII digits; separators ٫ ٬ are kept | `٢٠٢٠` → `2020` |
//! | `lower` | lowercase (affects cased scripts: Latin, Greek, Cyrillic…) | `COVID` → `covid` |
//!
//! # Presets
//! - `none`: no step; the text is returned untouched (byte-identical).
//! - `light`: `nfc,dediac,tatweel` — the default for counting.
//! - `search`: `light` + `alef,maksura,teh,digits`.
//!
//! # Offsets
//! [`Normalizer::normalize_aligned`] returns, for every byte of the normalized text, the range of
//! original bytes it came from, so a token found in normalized text maps back to the original
//! (see [`Normalized::original_range`]). Composition steps work on *stable segments* (a starter
//! that can neither compose with what precedes it nor be reordered, plus the marks that follow
//! it); an output character maps to the smallest piece of its segment that normalizes on its
//! own (a composed letter to the letter and the marks composed into it, a stray mark after a
//! space to the mark alone), and a character a step removes joins the range of the character
//! before it, so a word's range covers the diacritics removed from its end.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

/// One normalization step. Steps always run in the order of this enum, whatever order they
/// are given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// NFKC plus CAMeL's special cases (CAMeL Tools' `normalize_unicode`).
    Unicode,
    /// Canonical composition (NFC).
    Nfc,
    /// Remove harakat U+064B–U+0652 and superscript alef U+0670 (CAMeL's `dediac_ar`).
    Dediac,
    /// Remove tatweel U+0640.
    Tatweel,
    /// إ أ آ ٱ → ا (CAMeL's `normalize_alef_ar`).
    Alef,
    /// ى → ي.
    Maksura,
    /// ة → ه.
    Teh,
    /// أ إ → ا, ؤ → و, ئ → ي, combining hamza U+0654/U+0655 removed.
    Hamza,
    /// Arabic-Indic and Extended Arabic-Indic digits → ASCII digits.
    Digits,
    /// Lowercase cased letters.
    Lower,
}

impl Step {
    /// Every step, in application order.
    pub const ALL: [Step; 10] = [
        Step::Unicode,
        Step::Nfc,
        Step::Dediac,
        Step::Tatweel,
        Step::Alef,
        Step::Maksura,
        Step::Teh,
        Step::Hamza,
        Step::Digits,
        Step::Lower,
    ];

    /// The name used on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Step::Unicode => "unicode",
            Step::Nfc => "nfc",
            Step::Dediac => "dediac",
            Step::Tatweel => "tatweel",
            Step::Alef => "alef",
            Step::Maksura => "maksura",
            Step::Teh => "teh",
            Step::Hamza => "hamza",
            Step::Digits => "digits",
            Step::Lower => "lower",
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// An error parsing a normalization spec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown normalization {0:?}: use a preset (none, light, search) or a comma-separated list of steps (unicode, nfc, dediac, tatweel, alef, maksura, teh, hamza, digits, lower)"
)]
pub struct ParseNormalizerError(pub String);

/// A set of normalization steps (see the [module docs](self) for each step and the presets).
///
/// ```
/// use kalima_text::Normalizer;
/// let n: Normalizer = "search".parse().unwrap();
/// assert_eq!(n.normalize("إِلَى المَدْرَسَةِ"), "الي المدرسه");
/// let none: Normalizer = "none".parse().unwrap();
/// assert_eq!(none.normalize("كَتَبَ"), "كَتَبَ");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Normalizer {
    steps: u16,
}

impl fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Normalizer({self})")
    }
}

impl fmt::Display for Normalizer {
    /// The steps as a comma-separated list in application order (`none` when empty).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.steps == 0 {
            return f.write_str("none");
        }
        let mut first = true;
        for s in self.steps() {
            if !first {
                f.write_str(",")?;
            }
            first = false;
            f.write_str(s.name())?;
        }
        Ok(())
    }
}

impl FromStr for Normalizer {
    type Err = ParseNormalizerError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut n = Normalizer::none();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "none" => {}
                "light" => n = n.union(Normalizer::light()),
                "search" => n = n.union(Normalizer::search()),
                other => {
                    let step = Step::ALL
                        .into_iter()
                        .find(|s| s.name() == other)
                        .ok_or_else(|| ParseNormalizerError(part.to_string()))?;
                    n = n.with(step);
                }
            }
        }
        Ok(n)
    }
}

/// Per-char flags for chars below U+0800 (ASCII, Latin, Arabic), computed once: bit
/// `Step::bit()` is set when that step may change the char (for `unicode`/`nfc`: the char is not
/// a stable starter), so one AND with the normalizer's step set tells whether a char is touched.
const F_NFC_NOBOUND: u16 = 1 << 10; // no NFC segment may start here
const F_NFKC_NOBOUND: u16 = 1 << 11; // no NFKC segment may start here

pub(crate) fn low_table() -> &'static [u16; 0x800] {
    static T: OnceLock<[u16; 0x800]> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = [0u16; 0x800];
        let mut buf = String::new();
        for (i, slot) in t.iter_mut().enumerate() {
            let Some(c) = char::from_u32(i as u32) else {
                continue;
            };
            let mut f = 0;
            for step in Step::ALL {
                let touched = match step {
                    Step::Unicode => !stable_slow(c, true),
                    Step::Nfc => !stable_slow(c, false),
                    _ => {
                        buf.clear();
                        Normalizer::none().with(step).map_char(c, &mut buf);
                        buf.chars().ne(std::iter::once(c))
                    }
                };
                if touched {
                    f |= step.bit();
                }
            }
            if !boundary_slow(c, false) {
                f |= F_NFC_NOBOUND;
            }
            if !boundary_slow(c, true) {
                f |= F_NFKC_NOBOUND;
            }
            *slot = f;
        }
        t
    })
}

/// A stable starter: combining class 0 and quick-check Yes, so no composition can cross the
/// boundary before it and the char alone normalizes to itself.
fn stable_slow(c: char, compat: bool) -> bool {
    if canonical_combining_class(c) != 0 {
        return false;
    }
    let one = std::iter::once(c);
    let qc = if compat {
        is_nfkc_quick(one)
    } else {
        is_nfc_quick(one)
    };
    qc == IsNormalized::Yes && !(compat && matches!(c, '\u{FDFC}' | '\u{FDFD}'))
}

/// Whether a segment may start at `c`: `c` is a starter whose decomposition starts with a
/// starter that cannot compose with what precedes it, so normalizing the text before and from
/// `c` separately gives the same result as normalizing it whole. (U+FEFB "ﻻ" is such a boundary
/// although it changes under NFKC; a combining mark or U+0653 is not.)
fn boundary_slow(c: char, compat: bool) -> bool {
    if stable_slow(c, compat) {
        return true;
    }
    if canonical_combining_class(c) != 0 {
        return false;
    }
    let first = if compat {
        std::iter::once(c).nfkd().next()
    } else {
        std::iter::once(c).nfd().next()
    };
    first.is_some_and(|d| {
        canonical_combining_class(d) == 0 && is_nfc_quick(std::iter::once(d)) == IsNormalized::Yes
    })
}

#[inline]
fn boundary(c: char, compat: bool) -> bool {
    let u = c as u32;
    if u < 0x800 {
        let f = if compat {
            F_NFKC_NOBOUND
        } else {
            F_NFC_NOBOUND
        };
        low_table()[u as usize] & f == 0
    } else {
        boundary_slow(c, compat)
    }
}

impl Normalizer {
    /// No step: text is returned byte-identical.
    pub const fn none() -> Self {
        Normalizer { steps: 0 }
    }

    /// `nfc,dediac,tatweel`: the default for counting.
    pub const fn light() -> Self {
        Normalizer {
            steps: Step::Nfc.bit() | Step::Dediac.bit() | Step::Tatweel.bit(),
        }
    }

    /// `light` + `alef,maksura,teh,digits`.
    pub const fn search() -> Self {
        Normalizer {
            steps: Self::light().steps
                | Step::Alef.bit()
                | Step::Maksura.bit()
                | Step::Teh.bit()
                | Step::Digits.bit(),
        }
    }

    /// This set plus `step`.
    pub const fn with(self, step: Step) -> Self {
        Normalizer {
            steps: self.steps | step.bit(),
        }
    }

    /// The union of two sets.
    pub const fn union(self, other: Normalizer) -> Self {
        Normalizer {
            steps: self.steps | other.steps,
        }
    }

    /// Whether `step` is on.
    pub const fn has(self, step: Step) -> bool {
        self.steps & step.bit() != 0
    }

    /// True when no step is on.
    pub const fn is_none(self) -> bool {
        self.steps == 0
    }

    /// The steps that are on, in application order.
    pub fn steps(self) -> impl Iterator<Item = Step> {
        Step::ALL.into_iter().filter(move |s| self.has(*s))
    }

    fn compose(self) -> Option<bool> {
        if self.has(Step::Unicode) {
            Some(true)
        } else if self.has(Step::Nfc) {
            Some(false)
        } else {
            None
        }
    }

    /// Flags of the char-map steps that are on, to test a low char against in one AND.
    /// The bits of [`low_table`] that these steps look at.
    pub(crate) fn low_mask(self) -> u16 {
        self.steps
    }

    /// Apply the char-map steps (all but composition) to one char, appending the result.
    #[inline]
    fn map_char(self, c: char, out: &mut String) {
        let s = self.steps;
        let c = match c {
            '\u{064B}'..='\u{0652}' | '\u{0670}' if s & Step::Dediac.bit() != 0 => return,
            '\u{0640}' if s & Step::Tatweel.bit() != 0 => return,
            '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' if s & Step::Alef.bit() != 0 => {
                '\u{0627}'
            }
            '\u{0649}' if s & Step::Maksura.bit() != 0 => '\u{064A}',
            '\u{0629}' if s & Step::Teh.bit() != 0 => '\u{0647}',
            '\u{0623}' | '\u{0625}' if s & Step::Hamza.bit() != 0 => '\u{0627}',
            '\u{0624}' if s & Step::Hamza.bit() != 0 => '\u{0648}',
            '\u{0626}' if s & Step::Hamza.bit() != 0 => '\u{064A}',
            '\u{0654}' | '\u{0655}' if s & Step::Hamza.bit() != 0 => return,
            '\u{0660}'..='\u{0669}' if s & Step::Digits.bit() != 0 => {
                char::from(b'0' + (c as u32 - 0x0660) as u8)
            }
            '\u{06F0}'..='\u{06F9}' if s & Step::Digits.bit() != 0 => {
                char::from(b'0' + (c as u32 - 0x06F0) as u8)
            }
            _ => c,
        };
        if s & Step::Lower.bit() != 0 && !c.is_lowercase() {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }

    /// Whether char `c` may change (alone or with its neighbours) under these steps.
    #[inline]
    fn touches(self, c: char, mask: u16) -> bool {
        let u = c as u32;
        if u < 0x800 {
            return low_table()[u as usize] & mask != 0;
        }
        if let Some(compat) = self.compose()
            && !stable_slow(c, compat)
        {
            return true;
        }
        self.has(Step::Lower) && c.to_lowercase().ne(std::iter::once(c))
    }

    /// Normalize `text`; borrowed when nothing changes (always for `none`).
    pub fn normalize<'a>(self, text: &'a str) -> Cow<'a, str> {
        let mut out = String::new();
        if self.normalize_changed(text, &mut out) {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// Normalize `text` into `out` (cleared first), reusing its allocation.
    pub fn normalize_into(self, text: &str, out: &mut String) {
        if !self.normalize_changed(text, out) {
            out.clear();
            out.push_str(text);
        }
    }

    /// Normalize `text` into `out` (cleared first) only if normalization changes it: returns
    /// false, leaving `out` alone, when `text` is already normalized. Lets hot loops reuse one
    /// buffer and skip the copy for already-normalized text.
    pub fn normalize_changed(self, text: &str, out: &mut String) -> bool {
        if self.is_none() {
            return false;
        }
        let first = self.next_touch(text, 0, self.low_mask(), low_table());
        if first == text.len() {
            return false;
        }
        out.clear();
        out.reserve(text.len());
        self.run(text, out, None);
        true
    }

    /// Byte index of the first char at or after `i` that these steps may change (or
    /// `text.len()`). Decodes one- and two-byte chars (ASCII, Latin, Arabic) straight from the
    /// bytes: this scan is most of the cost of normalizing text that is mostly normal already.
    #[inline]
    pub(crate) fn next_touch(
        self,
        text: &str,
        mut i: usize,
        mask: u16,
        table: &[u16; 0x800],
    ) -> usize {
        let b = text.as_bytes();
        while i < b.len() {
            let x = b[i];
            if x < 0x80 {
                if table[x as usize] & mask != 0 {
                    return i;
                }
                i += 1;
            } else if x < 0xE0 {
                // A two-byte lead in valid UTF-8 always has its continuation byte.
                let u = ((x as usize & 0x1F) << 6) | (b[i + 1] as usize & 0x3F);
                if table[u] & mask != 0 {
                    return i;
                }
                i += 2;
            } else {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                if self.touches(c, mask) {
                    return i;
                }
                i += c.len_utf8();
            }
        }
        b.len()
    }

    /// Normalize `text` and keep, for every normalized byte, the original byte range.
    ///
    /// ```
    /// use kalima_text::Normalizer;
    /// let n: Normalizer = "light".parse().unwrap();
    /// let text = "كَتَبَ الدرس";
    /// let norm = n.normalize_aligned(text);
    /// assert_eq!(norm.text(), "كتب الدرس");
    /// // "كتب" is bytes 0..6 of the normalized text, all of "كَتَبَ" in the original:
    /// assert_eq!(norm.original_range(0, 6), (0, 12));
    /// ```
    pub fn normalize_aligned(self, text: &str) -> Normalized {
        let mut out = String::with_capacity(text.len());
        let mut align = Vec::with_capacity(text.len());
        if self.is_none() {
            out.push_str(text);
            return Normalized {
                text: out,
                align: None,
                original_len: text.len(),
            };
        }
        self.run(text, &mut out, Some(&mut align));
        Normalized {
            text: out,
            align: Some(align),
            original_len: text.len(),
        }
    }

    /// Start of the stable segment containing byte `at` (a char boundary).
    fn segment_start(self, text: &str, at: usize) -> usize {
        let Some(compat) = self.compose() else {
            return at;
        };
        if text[at..]
            .chars()
            .next()
            .is_some_and(|c| boundary(c, compat))
        {
            return at;
        }
        text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| boundary(c, compat))
            .map_or(0, |(i, _)| i)
    }

    /// Normalize `text`, appending to `out` (and alignment entries, if asked): unchanged
    /// stretches are copied whole; only segments around chars that change go char by char.
    fn run(self, text: &str, out: &mut String, mut align: Option<&mut Vec<(usize, usize)>>) {
        let mask = self.low_mask();
        let table = low_table();
        let compat = self.compose();
        // Composition buffers shared by every slow stretch of this text.
        let mut bufs = Bufs::default();
        let mut i = 0;
        while i < text.len() {
            let j = self.next_touch(text, i, mask, table);
            let seg = if j < text.len() && compat.is_some() {
                self.segment_start(text, j).max(i)
            } else {
                j
            };
            out.push_str(&text[i..seg]);
            if let Some(a) = align.as_deref_mut() {
                for (k, c) in text[i..seg].char_indices() {
                    let s = i + k;
                    a.extend(std::iter::repeat_n((s, s + c.len_utf8()), c.len_utf8()));
                }
            }
            if seg >= text.len() {
                break;
            }
            i = self.run_slow(text, seg, out, align.as_deref_mut(), mask, &mut bufs);
        }
    }

    /// Normalize segment by segment from `from` (a segment boundary) until the next boundary
    /// char that needs no change; returns where that char starts.
    fn run_slow(
        self,
        text: &str,
        from: usize,
        out: &mut String,
        mut align: Option<&mut Vec<(usize, usize)>>,
        mask: u16,
        bufs: &mut Bufs,
    ) -> usize {
        // Every byte appended for one piece of input maps to that piece's original range.
        let push =
            |out: &String, orig: (usize, usize), align: &mut Option<&mut Vec<(usize, usize)>>| {
                if let Some(a) = align.as_deref_mut() {
                    a.resize(out.len(), orig);
                }
            };
        // One input char mapped on its own: what it gives maps to it; a char that gives
        // nothing (a removed diacritic or tatweel) joins the range of the char before it,
        // so a word's range covers the marks normalization removed from its end.
        let emit = |n: Normalizer,
                    c: char,
                    orig: (usize, usize),
                    out: &mut String,
                    align: &mut Option<&mut Vec<(usize, usize)>>| {
            let before = out.len();
            n.map_char(c, out);
            if let Some(a) = align.as_deref_mut() {
                if out.len() > before {
                    a.resize(out.len(), orig);
                } else if let Some(last) = a.last_mut() {
                    last.1 = last.1.max(orig.1);
                }
            }
        };
        let compat = self.compose();
        let Bufs {
            fixed,
            scratch,
            head,
            tail,
            cuts,
        } = bufs;
        let mut start = from;
        let mut handled_one = false;
        while let Some(c) = text[start..].chars().next() {
            if handled_one && !self.touches(c, mask) {
                return start;
            }
            handled_one = true;
            match compat {
                None => {
                    emit(self, c, (start, start + c.len_utf8()), out, &mut align);
                    start += c.len_utf8();
                }
                Some(compat) => {
                    // Extend the segment over everything up to the next boundary.
                    let mut end = start + c.len_utf8();
                    let mut simple = stable(c, compat);
                    for d in text[end..].chars() {
                        if boundary(d, compat) {
                            break;
                        }
                        simple = false;
                        end += d.len_utf8();
                    }
                    if simple {
                        emit(self, c, (start, end), out, &mut align);
                    } else {
                        let seg = &text[start..end];
                        compose(compat, seg, fixed, scratch);
                        if scratch == seg {
                            // Composition changed nothing: char by char, so a punctuation
                            // mark keeps its own range before a Hangul vowel and a space
                            // before a stray combining mark.
                            for (k, d) in seg.char_indices() {
                                let at = start + k;
                                emit(self, d, (at, at + d.len_utf8()), out, &mut align);
                            }
                        } else {
                            // Cut the segment wherever its two sides normalize on their
                            // own (a space before a stray mark, a letter before reordered
                            // marks, a Hangul vowel after punctuation, U+00A0 under NFKC):
                            // each piece's output maps to that piece, so tokens cut between
                            // pieces keep apart, and a piece that gives nothing joins the
                            // range before it (a word keeps the marks removed from its end).
                            // What cannot be cut (a letter and the marks composed into it)
                            // maps to the whole segment.
                            cuts.clear();
                            cuts.push(0);
                            for (p, _) in seg.char_indices().skip(1) {
                                compose(compat, &seg[..p], fixed, head);
                                compose(compat, &seg[p..], fixed, tail);
                                if scratch.len() == head.len() + tail.len()
                                    && scratch.starts_with(head.as_str())
                                    && scratch.ends_with(tail.as_str())
                                {
                                    cuts.push(p);
                                }
                            }
                            cuts.push(seg.len());
                            if cuts.len() > 2 {
                                // The pieces together must give the segment's normalization.
                                tail.clear();
                                for w in cuts.windows(2) {
                                    compose(compat, &seg[w[0]..w[1]], fixed, head);
                                    tail.push_str(head);
                                }
                                if tail != scratch {
                                    cuts.truncate(1);
                                    cuts.push(seg.len());
                                }
                            }
                            if cuts.len() > 2 {
                                for w in cuts.windows(2) {
                                    compose(compat, &seg[w[0]..w[1]], fixed, head);
                                    let orig = (start + w[0], start + w[1]);
                                    let before = out.len();
                                    for d in head.chars() {
                                        self.map_char(d, out);
                                    }
                                    if out.len() > before {
                                        push(out, orig, &mut align);
                                    } else if let Some(last) =
                                        align.as_deref_mut().and_then(|a| a.last_mut())
                                    {
                                        last.1 = last.1.max(orig.1);
                                    }
                                }
                            } else {
                                for d in scratch.chars() {
                                    self.map_char(d, out);
                                }
                                push(out, (start, end), &mut align);
                            }
                        }
                    }
                    start = end;
                }
            }
        }
        text.len()
    }
}

#[inline]
fn stable(c: char, compat: bool) -> bool {
    let u = c as u32;
    if u < 0x800 {
        let f = if compat {
            Step::Unicode.bit()
        } else {
            Step::Nfc.bit()
        };
        low_table()[u as usize] & f == 0
    } else {
        stable_slow(c, compat)
    }
}

/// Buffers reused by every slow stretch of one text.
#[derive(Default)]
struct Bufs {
    fixed: String,
    scratch: String,
    head: String,
    tail: String,
    cuts: Vec<usize>,
}

/// `seg` composed into `out` (cleared first): NFKC after CAMeL's ligature expansion when
/// `compat`, else NFC; `fixed` is scratch space.
fn compose(compat: bool, seg: &str, fixed: &mut String, out: &mut String) {
    out.clear();
    if compat {
        fixed.clear();
        camel_unicode_fix(seg, fixed);
        out.extend(fixed.nfkc());
    } else {
        out.extend(seg.nfc());
    }
}

/// CAMeL Tools' `normalize_unicode` expands these two ligatures before NFKC.
fn camel_unicode_fix(seg: &str, out: &mut String) {
    for c in seg.chars() {
        match c {
            '\u{FDFC}' => out.push_str("ريال"),
            '\u{FDFD}' => out.push_str("بسم الله الرحمن الرحيم"),
            _ => out.push(c),
        }
    }
}

/// Normalized text with an alignment to the original bytes.
#[derive(Debug, Clone)]
pub struct Normalized {
    text: String,
    /// Original byte range for every normalized byte; `None` when the text is unchanged.
    align: Option<Vec<(usize, usize)>>,
    original_len: usize,
}

impl Normalized {
    /// The normalized text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The original byte range covered by normalized bytes `start..end`.
    ///
    /// An empty range maps to an empty range at the corresponding original position.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(a) = &self.align else {
            return (start, end);
        };
        let s = if start < a.len() {
            a[start].0
        } else {
            self.original_len
        };
        if end <= start {
            return (s, s);
        }
        let e = a.get(end - 1).map_or(self.original_len, |r| r.1);
        (s, e.max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(spec: &str) -> Normalizer {
        spec.parse().unwrap()
    }

    #[test]
    fn none_is_identity() {
        let t = "كَتَبَ ـ ﻻ Ä";
        assert!(matches!(n("none").normalize(t), Cow::Borrowed(s) if s == t));
        let a = n("none").normalize_aligned(t);
        assert_eq!(a.text(), t);
        assert_eq!(a.original_range(2, 4), (2, 4));
    }

    #[test]
    fn each_step() {
        assert_eq!(n("dediac").normalize("كَتَبَ وَعُلَمَاءُ هٰذا"), "كتب وعلماء هذا");
        assert_eq!(n("tatweel").normalize("كـــتاب"), "كتاب");
        assert_eq!(n("alef").normalize("أإآٱا"), "ااااا");
        assert_eq!(n("maksura").normalize("على"), "علي");
        assert_eq!(n("teh").normalize("مدرسة"), "مدرسه");
        assert_eq!(
            n("hamza").normalize("مسؤول رئيس أحمد إلى ء آ"),
            "مسوول رييس احمد الى ء آ"
        );
        assert_eq!(n("digits").normalize("٢٠٢٠ و۱۲٫٥"), "2020 و12٫5");
        assert_eq!(
            n("lower").normalize("COVID Ünïcode كلمة"),
            "covid ünïcode كلمة"
        );
        // NFC composes alef + madda above; NFKC also folds presentation forms.
        assert_eq!(n("nfc").normalize("\u{0627}\u{0653}"), "\u{0622}");
        assert_eq!(n("nfc").normalize("ﻻ"), "ﻻ");
        assert_eq!(n("unicode").normalize("ﻻ ﷼"), "لا ريال");
        assert_eq!(n("unicode").normalize("e\u{0301}"), "é");
    }

    #[test]
    fn order_is_fixed() {
        assert_eq!(n("teh,dediac"), n("dediac,teh"));
        assert_eq!(
            n("search").to_string(),
            "nfc,dediac,tatweel,alef,maksura,teh,digits"
        );
        assert_eq!(n("light").to_string(), "nfc,dediac,tatweel");
        assert!("bogus".parse::<Normalizer>().is_err());
        assert!("light,bogus".parse::<Normalizer>().is_err());
    }

    #[test]
    fn alignment_maps_back() {
        let t = "أَهْلاً ﻻ";
        let a = n("unicode,dediac,alef").normalize_aligned(t);
        assert_eq!(a.text(), "اهلا لا");
        // "اهلا" = 8 normalized bytes covering the whole first word.
        assert_eq!(a.original_range(0, 8), (0, "أَهْلاً".len()));
        let la = a.text().find("لا ").unwrap_or(0);
        let _ = la;
        let sp = a.text().rfind(' ').unwrap();
        assert_eq!(
            a.original_range(sp + 1, a.text().len()),
            (t.rfind(' ').unwrap() + 1, t.len())
        );
    }

    #[test]
    fn alignment_is_as_fine_as_normalization_allows() {
        // A stray hamza below after a space: the space is not part of the mark's source.
        let t = "كتب \u{0655}x";
        let a = n("light").normalize_aligned(t);
        assert_eq!(a.text(), t);
        let mark = t.find('\u{0655}').unwrap();
        assert_eq!(a.original_range(mark, t.len()), (mark, t.len()));
        assert_eq!(a.original_range(mark - 1, mark), (mark - 1, mark));
        let t = "\u{FFFD}\u{0655}\u{200F}\u{0301}";
        let a = n("light").normalize_aligned(t);
        assert_eq!(a.original_range(3, 5), (3, 5));
        assert_eq!(a.original_range(8, 10), (8, 10));
        // A composed letter maps to everything it was made of, a mark left over to itself.
        let t = "\u{064A}\u{0654}\u{0301}";
        let a = n("nfc").normalize_aligned(t);
        assert_eq!(a.text(), "\u{0626}\u{0301}");
        assert_eq!(a.original_range(0, 2), (0, 4));
        assert_eq!(a.original_range(2, 4), (4, 6));
        // Reordered marks stay together; a Hangul vowel after them keeps its own range.
        let t = "!\u{0653}\u{0670}\u{1161}";
        let a = n("nfc").normalize_aligned(t);
        assert_eq!(a.text(), "!\u{0670}\u{0653}\u{1161}");
        assert_eq!(a.original_range(0, 1), (0, 1));
        assert_eq!(a.original_range(1, 5), (1, 5));
        assert_eq!(a.original_range(5, 8), (5, 8));
        // A letter keeps the marks that normalization removed after it.
        let t = "\u{0627}\u{064B} x";
        let a = n("light").normalize_aligned(t);
        assert_eq!(a.text(), "\u{0627} x");
        assert_eq!(a.original_range(0, 2), (0, 4));
    }

    #[test]
    fn fast_path_borrows() {
        assert!(matches!(
            n("light").normalize("كتب الدرس hello"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(n("light").normalize("كَتب"), Cow::Owned(_)));
    }

    proptest::proptest! {
        #[test]
        fn streaming_equals_whole(s in "\\PC{0,40}") {
            for spec in ["light", "search", "unicode,dediac,alef,maksura,teh", "nfc,lower"] {
                let norm = n(spec);
                let whole = norm.normalize(&s).into_owned();
                let aligned = norm.normalize_aligned(&s);
                proptest::prop_assert_eq!(&whole, aligned.text());
                let mut steps = s.clone();
                if norm.has(Step::Unicode) { steps = { let mut o = String::new(); camel_unicode_fix(&steps, &mut o); o }.nfkc().collect(); }
                else if norm.has(Step::Nfc) { steps = steps.nfc().collect(); }
                let mut expect = String::new();
                for c in steps.chars() { norm.map_char(c, &mut expect); }
                proptest::prop_assert_eq!(whole, expect);
            }
        }
    }
}
