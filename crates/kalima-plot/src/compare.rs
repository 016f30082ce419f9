//! Comparing two rendered charts, for visual regression tests: is a chart still the picture
//! it was, and does a browser draw our SVG like our PNG?
//!
//! Exact byte equality is too strict across renderers (a browser anti-aliases edges a little
//! differently from resvg), and a mean difference is too lax (a word drawn with unjoined
//! letters changes well under 1% of a chart's pixels). So [`ImageDiff`] measures both pixels
//! and small blocks: anti-aliasing moves single pixels by small amounts, which averaging over
//! a 4×4 block cancels, while a misdrawn glyph changes whole blocks.
//!
//! ```
//! use kalima_plot::{Options, bar, compare::compare_png};
//!
//! let data = vec![("الحكومة".to_string(), 12.0), ("وزارة".to_string(), 7.0)];
//! let png = bar(&data, &Options::default()).unwrap().png(1.0).unwrap();
//! let d = compare_png(&png, &png).unwrap();
//! assert!(d.is_same_picture());
//! assert_eq!(d.pixels_over, 0.0);
//! ```

use crate::Error;
use resvg::tiny_skia::Pixmap;

/// Side of the square blocks averaged for [`ImageDiff::blocks_over`].
pub const BLOCK: usize = 4;
/// A pixel differs when one of its channels differs by more than this (of 255).
pub const PIXEL_THRESHOLD: u8 = 32;
/// A block differs when one of its mean channels differs by more than this (of 255).
pub const BLOCK_THRESHOLD: f64 = 16.0;

/// How two images of the same size differ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageDiff {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Mean absolute difference per channel (0–255), over all pixels and RGB channels.
    pub mean_abs: f64,
    /// Fraction of pixels with a channel differing by more than [`PIXEL_THRESHOLD`].
    pub pixels_over: f64,
    /// Fraction of [`BLOCK`]×[`BLOCK`] blocks whose mean colour differs by more than
    /// [`BLOCK_THRESHOLD`] in a channel.
    pub blocks_over: f64,
    /// Bounding box `(x0, y0, x1, y1)` of the differing pixels, if any.
    pub bbox: Option<(u32, u32, u32, u32)>,
}

impl ImageDiff {
    /// The default tolerance: no differing 4×4 block, and at most 0.1% of pixels differing
    /// (edge anti-aliasing). A chart whose Arabic labels lose their joins or their order
    /// fails this; the same chart drawn by Chromium from the SVG passes.
    pub fn is_same_picture(&self) -> bool {
        self.within(0.001, 0.0)
    }

    /// At most `pixels` (a fraction) of pixels and `blocks` of blocks differing.
    pub fn within(&self, pixels: f64, blocks: f64) -> bool {
        self.pixels_over <= pixels && self.blocks_over <= blocks
    }
}

/// Compares two PNG files' pixels (composited on white, so transparency does not matter).
/// Images of different sizes are an error: they are not the same picture.
pub fn compare_png(a: &[u8], b: &[u8]) -> Result<ImageDiff, Error> {
    let a = decode(a)?;
    let b = decode(b)?;
    if (a.0, a.1) != (b.0, b.1) {
        return Err(Error::Png(format!(
            "images differ in size: {}x{} vs {}x{}",
            a.0, a.1, b.0, b.1
        )));
    }
    Ok(diff(a.0 as usize, a.1 as usize, &a.2, &b.2))
}

/// Decodes a PNG into RGB triples on a white background.
fn decode(png: &[u8]) -> Result<(u32, u32, Vec<[u8; 3]>), Error> {
    let p = Pixmap::decode_png(png).map_err(|e| Error::Png(e.to_string()))?;
    let rgb = p
        .pixels()
        .iter()
        .map(|px| {
            // Premultiplied colour over white: c + (255 - alpha).
            let white = 255 - px.alpha();
            [px.red(), px.green(), px.blue()].map(|c| c.saturating_add(white))
        })
        .collect();
    Ok((p.width(), p.height(), rgb))
}

fn diff(w: usize, h: usize, a: &[[u8; 3]], b: &[[u8; 3]]) -> ImageDiff {
    let (mut sum, mut over) = (0u64, 0u64);
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    for (i, (p, q)) in a.iter().zip(b).enumerate() {
        let d = (0..3).map(|c| p[c].abs_diff(q[c])).collect::<Vec<_>>();
        sum += d.iter().map(|&x| u64::from(x)).sum::<u64>();
        if d.iter().any(|&x| x > PIXEL_THRESHOLD) {
            over += 1;
            let (x, y) = ((i % w) as u32, (i / w) as u32);
            bbox = Some(match bbox {
                None => (x, y, x, y),
                Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            });
        }
    }
    let (bw, bh) = (w / BLOCK, h / BLOCK);
    let mut blocks_over = 0u64;
    for by in 0..bh {
        for bx in 0..bw {
            let mut s = [0i64; 3];
            for y in by * BLOCK..(by + 1) * BLOCK {
                for x in bx * BLOCK..(bx + 1) * BLOCK {
                    let (p, q) = (a[y * w + x], b[y * w + x]);
                    for c in 0..3 {
                        s[c] += i64::from(p[c]) - i64::from(q[c]);
                    }
                }
            }
            let n = (BLOCK * BLOCK) as f64;
            if s.iter().any(|&v| (v as f64 / n).abs() > BLOCK_THRESHOLD) {
                blocks_over += 1;
            }
        }
    }
    let px = (w * h).max(1) as f64;
    ImageDiff {
        width: w as u32,
        height: h as u32,
        mean_abs: sum as f64 / (3.0 * px),
        pixels_over: over as f64 / px,
        blocks_over: blocks_over as f64 / (bw * bh).max(1) as f64,
        bbox,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pixels_and_blocks() {
        let (w, h) = (8, 8);
        let a = vec![[255u8; 3]; w * h];
        let mut b = a.clone();
        // One pixel changed a lot: a differing pixel, but its 4x4 block mean moves 255/16.
        b[9] = [0, 255, 255];
        let d = diff(w, h, &a, &b);
        assert_eq!(d.pixels_over, 1.0 / 64.0);
        assert_eq!(d.blocks_over, 0.0);
        assert_eq!(d.bbox, Some((1, 1, 1, 1)));
        // A whole block changed: the block differs too.
        for y in 4..8 {
            for x in 4..8 {
                b[y * w + x] = [0, 0, 0];
            }
        }
        let d = diff(w, h, &a, &b);
        assert_eq!(d.blocks_over, 0.25);
        assert_eq!(d.bbox, Some((1, 1, 7, 7)));
        assert!(!d.is_same_picture());
        let same = diff(w, h, &a, &a);
        assert!(same.is_same_picture() && same.mean_abs == 0.0 && same.bbox.is_none());
    }

    #[test]
    fn different_sizes_are_an_error() {
        let one = Pixmap::new(2, 2).unwrap().encode_png().unwrap();
        let other = Pixmap::new(3, 2).unwrap().encode_png().unwrap();
        assert!(compare_png(&one, &other).is_err());
        assert!(compare_png(&one, b"not a png").is_err());
        // Transparent composites to white on both sides.
        assert!(compare_png(&one, &one).unwrap().is_same_picture());
    }
}
