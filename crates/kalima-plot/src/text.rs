//! Text as outlines: bidi ordering (unicode-bidi), shaping (rustybuzz), glyph outlines
//! (ttf-parser) joined into one SVG path per line.
//!
//! Why outlines: drawing pre-shaped letters one at a time through a text API rounds each
//! glyph to whole pixels and leaves gaps at the joins; a `<text>` element in SVG would be
//! reordered by the browser a second time. One path per line, positioned in font units and
//! scaled once, is exact and looks the same in the PNG and the SVG.
//!
//! Bidi formatting characters (U+202A–U+202E, U+2066–U+2069, LRM, RLM, ALM) in a label are
//! drawn as `‹U+XXXX›` markers ([`kalima_text::display::visible_controls`]), as in every
//! other output for people: applied, an override in a term would draw it reversed, and a
//! mark would make two different terms look the same.

use std::fmt::Write as _;
use std::sync::OnceLock;

use kalima_text::display::visible_controls;
use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use rustybuzz::{Direction, Face, UnicodeBuffer};
use unicode_bidi::BidiInfo;

static ARABIC_REGULAR: &[u8] = include_bytes!("../../../data/fonts/NotoSansArabic-Regular.ttf");
static ARABIC_BOLD: &[u8] = include_bytes!("../../../data/fonts/NotoSansArabic-Bold.ttf");
static LATIN_REGULAR: &[u8] = include_bytes!("../../../data/fonts/NotoSans-Regular.ttf");
static LATIN_BOLD: &[u8] = include_bytes!("../../../data/fonts/NotoSans-Bold.ttf");

/// A set of fonts tried in order for each character (per-glyph fallback).
///
/// The default set is embedded in the library (Noto Sans Arabic + Noto Sans, regular and
/// bold, OFL 1.1): rendering never reads system fonts.
pub struct Fonts {
    custom: Option<Face<'static>>,
    arabic: [Face<'static>; 2],
    latin: [Face<'static>; 2],
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("custom", &self.custom.is_some())
            .finish()
    }
}

/// An error loading a font.
#[derive(Debug, thiserror::Error)]
#[error("not a usable TrueType/OpenType font")]
pub struct FontError;

impl Fonts {
    /// The embedded fonts.
    pub fn embedded() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::build(None).expect("embedded fonts parse"))
    }

    /// The embedded fonts with `data` (a TTF/OTF file's bytes) tried first for every
    /// character; the embedded fonts remain as fallback for what it lacks.
    pub fn with_font(data: Vec<u8>) -> Result<Fonts, FontError> {
        // Faces borrow their bytes; a font loaded for a chart lives as long as the program.
        let data: &'static [u8] = Box::leak(data.into_boxed_slice());
        Fonts::build(Some(data))
    }

    fn build(custom: Option<&'static [u8]>) -> Result<Fonts, FontError> {
        let face = |d: &'static [u8]| Face::from_slice(d, 0).ok_or(FontError);
        Ok(Fonts {
            custom: custom.map(face).transpose()?,
            arabic: [face(ARABIC_REGULAR)?, face(ARABIC_BOLD)?],
            latin: [face(LATIN_REGULAR)?, face(LATIN_BOLD)?],
        })
    }

    /// The font for a character: the custom font when it has the glyph; then Latin first for
    /// ASCII (Noto Sans Arabic has no Latin letters) and Arabic first for the rest.
    fn pick(&self, c: char, bold: bool) -> usize {
        let b = usize::from(bold);
        let has = |f: &Face| f.glyph_index(c).is_some();
        if self.custom.as_ref().is_some_and(has) {
            return 0;
        }
        let (first, second) = if c.is_ascii() { (2, 1) } else { (1, 2) };
        if has(self.face(first, b)) {
            first
        } else if has(self.face(second, b)) {
            second
        } else {
            1
        }
    }

    fn face(&self, which: usize, b: usize) -> &Face<'static> {
        match which {
            0 => self.custom.as_ref().unwrap_or(&self.arabic[b]),
            1 => &self.arabic[b],
            _ => &self.latin[b],
        }
    }
}

/// One glyph of a shaped line, in visual order (left to right on the page).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in its font.
    pub glyph: u16,
    /// Which font: 0 custom, 1 Arabic, 2 Latin.
    pub font: usize,
    /// Pen position of the glyph origin, in px from the start of the line.
    pub x: f32,
    /// Vertical offset (marks), px, up positive.
    pub dy: f32,
    /// Byte index of the character this glyph comes from (HarfBuzz cluster), in the text as
    /// drawn: the same as the input unless it held bidi formatting characters, which are
    /// drawn as `‹U+XXXX›` markers.
    pub cluster: usize,
    /// Whether it belongs to a right-to-left run.
    pub rtl: bool,
}

/// A line of text shaped and ordered, ready to draw.
#[derive(Debug, Clone)]
pub struct Shaped {
    /// Glyphs in visual order.
    pub glyphs: Vec<PlacedGlyph>,
    /// Advance width, px.
    pub width: f32,
    /// Font size, px.
    pub size: f32,
    bold: bool,
}

/// Shape one line of text at `size` px: bidi runs in visual order (base direction from the
/// first strong character), each split where the font changes, shaped with rustybuzz. Bidi
/// formatting characters in `text` are not applied but drawn as `‹U+XXXX›` (module docs).
pub fn shape(fonts: &Fonts, text: &str, size: f32, bold: bool) -> Shaped {
    let shown = visible_controls(text);
    let text: &str = &shown;
    let b = usize::from(bold);
    let mut glyphs = Vec::new();
    let mut pen = 0.0f32;
    if !text.is_empty() {
        let bidi = BidiInfo::new(text, None);
        for para in &bidi.paragraphs {
            let line = para.range.clone();
            let (levels, runs) = bidi.visual_runs(para, line);
            for run in runs {
                let rtl = levels[run.start].is_rtl();
                // Font segments in logical order; an RTL run shows them right to left.
                let mut segs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
                let mut prev: Option<usize> = None;
                for (i, c) in text[run.clone()].char_indices() {
                    let i = run.start + i;
                    // Marks and neutrals stay with the font of the letter before them.
                    let neutral = !c.is_alphanumeric() || is_mark(c);
                    let f = match (neutral, prev) {
                        (true, Some(p)) if fonts.face(p, b).glyph_index(c).is_some() => p,
                        _ => fonts.pick(c, bold),
                    };
                    match segs.last_mut() {
                        Some((pf, r)) if *pf == f => r.end = i + c.len_utf8(),
                        _ => segs.push((f, i..i + c.len_utf8())),
                    }
                    prev = Some(f);
                }
                if rtl {
                    segs.reverse();
                }
                for (f, r) in segs {
                    let face = fonts.face(f, b);
                    let scale = size / face.units_per_em() as f32;
                    let mut buf = UnicodeBuffer::new();
                    buf.push_str(&text[r.clone()]);
                    buf.set_direction(if rtl {
                        Direction::RightToLeft
                    } else {
                        Direction::LeftToRight
                    });
                    buf.guess_segment_properties();
                    let out = rustybuzz::shape(face, &[], buf);
                    for (info, pos) in out.glyph_infos().iter().zip(out.glyph_positions()) {
                        glyphs.push(PlacedGlyph {
                            glyph: info.glyph_id as u16,
                            font: f,
                            x: pen + pos.x_offset as f32 * scale,
                            dy: pos.y_offset as f32 * scale,
                            cluster: r.start + info.cluster as usize,
                            rtl,
                        });
                        pen += pos.x_advance as f32 * scale;
                    }
                }
            }
        }
    }
    Shaped {
        glyphs,
        width: pen,
        size,
        bold,
    }
}

fn is_mark(c: char) -> bool {
    // Arabic harakat, superscript alef, Quranic marks, and combining diacritics.
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}'
        | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}' | '\u{200C}' | '\u{200D}')
}

/// Ink bounds of drawn outlines, px (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Left.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
}

struct PathWriter<'a> {
    d: &'a mut String,
    ox: f32,
    oy: f32,
    scale: f32,
    bounds: &'a mut Option<Bounds>,
}

impl PathWriter<'_> {
    fn pt(&mut self, x: f32, y: f32) -> (f32, f32) {
        let p = (self.ox + x * self.scale, self.oy - y * self.scale);
        let b = self.bounds.get_or_insert(Bounds {
            x0: p.0,
            y0: p.1,
            x1: p.0,
            y1: p.1,
        });
        b.x0 = b.x0.min(p.0);
        b.x1 = b.x1.max(p.0);
        b.y0 = b.y0.min(p.1);
        b.y1 = b.y1.max(p.1);
        p
    }
}

fn num(d: &mut String, v: f32) {
    // Two decimals: sub-pixel exact at any PNG scale we offer, and deterministic text.
    let v = (v * 100.0).round() / 100.0;
    let _ = write!(d, "{}", if v == 0.0 { 0.0 } else { v });
}

impl OutlineBuilder for PathWriter<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.pt(x, y);
        self.d.push('M');
        num(self.d, x);
        self.d.push(' ');
        num(self.d, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.pt(x, y);
        self.d.push('L');
        num(self.d, x);
        self.d.push(' ');
        num(self.d, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.pt(x1, y1);
        let (x, y) = self.pt(x, y);
        self.d.push('Q');
        for (i, v) in [x1, y1, x, y].into_iter().enumerate() {
            if i > 0 {
                self.d.push(' ');
            }
            num(self.d, v);
        }
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let p1 = self.pt(x1, y1);
        let p2 = self.pt(x2, y2);
        let p = self.pt(x, y);
        self.d.push('C');
        for (i, v) in [p1.0, p1.1, p2.0, p2.1, p.0, p.1].into_iter().enumerate() {
            if i > 0 {
                self.d.push(' ');
            }
            num(self.d, v);
        }
    }
    fn close(&mut self) {
        self.d.push('Z');
    }
}

impl Shaped {
    /// The SVG path data of the whole line with its left end at `x` and baseline at `y`, and
    /// the ink bounds (None for blank text).
    pub fn path(&self, fonts: &Fonts, x: f32, y: f32) -> (String, Option<Bounds>) {
        let mut d = String::new();
        let mut bounds = None;
        let b = usize::from(self.bold);
        for g in &self.glyphs {
            let face = fonts.face(g.font, b);
            let scale = self.size / face.units_per_em() as f32;
            let mut w = PathWriter {
                d: &mut d,
                ox: x + g.x,
                oy: y - g.dy,
                scale,
                bounds: &mut bounds,
            };
            face.outline_glyph(GlyphId(g.glyph), &mut w);
        }
        (d, bounds)
    }

    /// The ink box of each glyph (same order as [`Shaped::glyphs`]) with the line's left end
    /// at 0 and baseline at 0; None for blank glyphs.
    pub fn glyph_boxes(&self, fonts: &Fonts) -> Vec<Option<Bounds>> {
        let b = usize::from(self.bold);
        self.glyphs
            .iter()
            .map(|g| {
                let face = fonts.face(g.font, b);
                let mut d = String::new();
                let mut bounds = None;
                let mut w = PathWriter {
                    d: &mut d,
                    ox: g.x,
                    oy: -g.dy,
                    scale: self.size / face.units_per_em() as f32,
                    bounds: &mut bounds,
                };
                face.outline_glyph(GlyphId(g.glyph), &mut w);
                bounds
            })
            .collect()
    }

    /// The glyph names (from the font's `post` table) in visual order, for tests and
    /// debugging: e.g. Arabic contextual forms are named `….init`, `….medi`, `….fina`.
    pub fn glyph_names(&self, fonts: &Fonts) -> Vec<String> {
        let b = usize::from(self.bold);
        self.glyphs
            .iter()
            .map(|g| {
                fonts
                    .face(g.font, b)
                    .glyph_name(GlyphId(g.glyph))
                    .map_or_else(|| format!("gid{}", g.glyph), str::to_string)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        shape(Fonts::embedded(), s, 40.0, false).glyph_names(Fonts::embedded())
    }

    #[test]
    fn bidi_controls_are_drawn_as_markers_not_applied() {
        // Applied, the override would draw "acb"; Noto Sans names its glyphs after the
        // characters (Adobe Glyph List names), so the expected names do not come from the code.
        assert_eq!(
            names("a\u{202E}bc"),
            [
                "a",
                "guilsinglleft",
                "U",
                "plus",
                "two",
                "zero",
                "two",
                "E",
                "guilsinglright",
                "b",
                "c"
            ]
        );
        // A mark or isolate must not make a term look like plain الرئيس, and every
        // control gets a drawn marker (no .notdef box).
        let plain = names("الرئيس");
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            let spoof = names(&format!("الرئ{c}يس"));
            assert_ne!(spoof, plain, "U+{:04X}", c as u32);
            assert!(
                spoof.len() >= plain.len() + 8,
                "U+{:04X}: {spoof:?}",
                c as u32
            );
            assert!(
                !spoof.iter().any(|g| g == ".notdef" || g == "gid0"),
                "U+{:04X}: {spoof:?}",
                c as u32
            );
        }
        // ZWNJ stays a joining control: no marker, only the letters' forms change.
        let zwnj = names("می\u{200C}خواهم");
        assert!(!zwnj.iter().any(|g| g == "guilsinglleft"), "{zwnj:?}");
    }
}
