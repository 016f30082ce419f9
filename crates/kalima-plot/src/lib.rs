//! Charts for articles from plain data — labels and values in, PNG or SVG bytes out — with
//! Arabic shaped and ordered correctly.
//!
//! # Overview
//!
//! Most plotting tools draw Arabic as isolated letters in left-to-right order. Here every text
//! run (title, label, tick, word of a cloud) is ordered with the Unicode bidirectional
//! algorithm (`unicode-bidi`), shaped with `rustybuzz` (a HarfBuzz port: contextual letter
//! forms, ligatures, marks on their letters) and drawn as **one outline path** from the glyph
//! outlines of embedded fonts (Noto Sans Arabic + Noto Sans, OFL, with per-glyph fallback), so
//! no system font is read and letters join without gaps.
//!
//! Charts are laid out here and drawn through plotters' drawing API on a custom backend that
//! writes SVG; the PNG is that SVG rasterized by `resvg`. The SVG and the PNG therefore look
//! the same, and the same input gives byte-identical files.
//!
//! Chart kinds: [`bar`] (horizontal bars, e.g. top terms), [`diverging`] (keyness: bars either
//! side of zero, coloured by sign), [`xy`] (lines and points on linear or log axes: Zipf,
//! Heaps, timelines), [`dispersion`] (a strip per term, a tick per occurrence) and [`cloud`]
//! (word cloud, spiral placement without overlap, deterministic with a seed).
//!
//! # Example
//!
//! ```
//! use kalima_plot::{Options, bar};
//!
//! let data = vec![("كوفيد-19".to_string(), 120.0), ("في".to_string(), 80.0)];
//! let opts = Options { title: Some("أكثر الكلمات".into()), ..Options::default() };
//! let chart = bar(&data, &opts).unwrap();
//! assert!(chart.svg().starts_with("<svg"));
//! let png = chart.png(1.0).unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! ```
#![deny(missing_docs)]

mod canvas;
mod charts;
pub mod compare;
mod style;
pub mod text;

pub use charts::{Series, SeriesKind, XyOptions, bar, cloud, dispersion, diverging, xy};
pub use style::{Digits, Options, Theme, parse_size};
pub use text::{Fonts, shape};

/// A rendered chart (an SVG document with all text as outlines).
#[derive(Debug, Clone)]
pub struct Chart {
    svg: String,
    /// Words a cloud could not place (0 for other charts).
    pub dropped: usize,
}

/// What can go wrong making a chart.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing to draw.
    #[error("nothing to chart: {0}")]
    Empty(&'static str),
    /// The drawing failed (an internal error).
    #[error("drawing failed: {0}")]
    Draw(String),
    /// The PNG could not be made.
    #[error("PNG rendering failed: {0}")]
    Png(String),
}

impl Chart {
    /// The SVG document.
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// The SVG document, owned.
    pub fn into_svg(self) -> String {
        self.svg
    }

    /// The chart as PNG bytes, `scale` pixels per SVG unit (1.0: the chart's size; 2.0 for
    /// high-DPI screens).
    pub fn png(&self, scale: f32) -> Result<Vec<u8>, Error> {
        use resvg::{tiny_skia, usvg};
        if !(scale > 0.0 && scale <= 8.0) {
            return Err(Error::Png(format!("scale {scale} out of range (0, 8]")));
        }
        let tree = usvg::Tree::from_str(&self.svg, &usvg::Options::default())
            .map_err(|e| Error::Png(e.to_string()))?;
        let size = tree.size();
        let w = (size.width() * scale).round() as u32;
        let h = (size.height() * scale).round() as u32;
        let mut pixmap =
            tiny_skia::Pixmap::new(w, h).ok_or_else(|| Error::Png("empty image".into()))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|e| Error::Png(e.to_string()))
    }
}
