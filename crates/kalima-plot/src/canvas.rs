//! A plotters drawing backend that writes SVG, with every text run drawn as one outline path
//! shaped by [`crate::text`].

use std::fmt::Write as _;

use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};

use crate::text::{Fonts, shape};

/// SVG writer behind plotters' drawing API.
pub(crate) struct Canvas<'a> {
    out: &'a mut String,
    size: (u32, u32),
    fonts: &'a Fonts,
}

impl std::fmt::Debug for Canvas<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Canvas").field("size", &self.size).finish()
    }
}

pub(crate) fn hex(c: BackendColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.rgb.0, c.rgb.1, c.rgb.2)
}

fn opacity(attr: &str, c: BackendColor) -> String {
    if c.alpha >= 1.0 {
        String::new()
    } else {
        format!(" {attr}-opacity=\"{:.3}\"", c.alpha)
    }
}

impl<'a> Canvas<'a> {
    pub(crate) fn new(out: &'a mut String, size: (u32, u32), fonts: &'a Fonts) -> Self {
        let (w, h) = size;
        // direction="ltr": an SVG inlined in an RTL page would otherwise inherit rtl.
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" direction=\"ltr\">"
        );
        Canvas { out, size, fonts }
    }

    /// Baseline y and left x of a text run anchored at `pos`.
    fn place(
        width: f32,
        size: f32,
        pos: BackendCoord,
        anchor: plotters_backend::text_anchor::Pos,
    ) -> (f32, f32) {
        let x = match anchor.h_pos {
            HPos::Left => pos.0 as f32,
            HPos::Center => pos.0 as f32 - width / 2.0,
            HPos::Right => pos.0 as f32 - width,
        };
        // Anchors by the visual body of the letters rather than the font's (tall) ascent,
        // so that Arabic and Latin labels line up on the same centre.
        let y = match anchor.v_pos {
            VPos::Top => pos.1 as f32 + size * 0.78,
            VPos::Center => pos.1 as f32 + size * 0.36,
            VPos::Bottom => pos.1 as f32 - size * 0.28,
        };
        (x, y)
    }
}

type R = Result<(), DrawingErrorKind<std::fmt::Error>>;

impl DrawingBackend for Canvas<'_> {
    type ErrorType = std::fmt::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> R {
        Ok(())
    }

    fn present(&mut self) -> R {
        if !self.out.ends_with("</svg>\n") {
            self.out.push_str("</svg>\n");
        }
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> R {
        let _ = writeln!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"1\" height=\"1\" fill=\"{}\"{}/>",
            p.0,
            p.1,
            hex(c),
            opacity("fill", c)
        );
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> R {
        let c = s.color();
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
            a.0,
            a.1,
            b.0,
            b.1,
            hex(c),
            s.stroke_width(),
            opacity("stroke", c)
        );
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> R {
        let c = s.color();
        let (x, y) = (a.0.min(b.0), a.1.min(b.1));
        let (w, h) = ((a.0 - b.0).abs(), (a.1 - b.1).abs());
        let paint = if fill {
            format!("fill=\"{}\"{}", hex(c), opacity("fill", c))
        } else {
            format!(
                "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{}",
                hex(c),
                s.stroke_width(),
                opacity("stroke", c)
            )
        };
        let _ = writeln!(
            self.out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" {paint}/>"
        );
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> R {
        let c = s.color();
        let pts: Vec<String> = path.into_iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = writeln!(
            self.out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" \
             stroke-linejoin=\"round\" stroke-linecap=\"round\"{}/>",
            pts.join(" "),
            hex(c),
            s.stroke_width(),
            opacity("stroke", c)
        );
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, c0: BackendCoord, r: u32, s: &S, fill: bool) -> R {
        let c = s.color();
        let paint = if fill {
            format!("fill=\"{}\"{}", hex(c), opacity("fill", c))
        } else {
            format!(
                "fill=\"none\" stroke=\"{}\"{}",
                hex(c),
                opacity("stroke", c)
            )
        };
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{r}\" {paint}/>",
            c0.0, c0.1
        );
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> R {
        let c = s.color();
        let pts: Vec<String> = vert.into_iter().map(|(x, y)| format!("{x},{y}")).collect();
        let _ = writeln!(
            self.out,
            "<polygon points=\"{}\" fill=\"{}\"{}/>",
            pts.join(" "),
            hex(c),
            opacity("fill", c)
        );
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> R {
        let c = style.color();
        if c.alpha == 0.0 || text.trim().is_empty() {
            return Ok(());
        }
        let size = style.size() as f32;
        let bold = matches!(style.style(), FontStyle::Bold);
        let shaped = shape(self.fonts, text, size, bold);
        let (x, y) = Self::place(shaped.width, size, pos, style.anchor());
        let rotate = match style.transform() {
            FontTransform::Rotate270 => Some(-90),
            FontTransform::Rotate90 => Some(90),
            _ => None,
        };
        // Rotated text is laid out around its anchor, then turned about it.
        let (x, y) = match rotate {
            Some(_) => (
                pos.0 as f32 - shaped.width / 2.0,
                pos.1 as f32 + size * 0.36,
            ),
            None => (x, y),
        };
        let (d, _) = shaped.path(self.fonts, x, y);
        let tr = rotate.map_or(String::new(), |r| {
            format!(" transform=\"rotate({r} {} {})\"", pos.0, pos.1)
        });
        let _ = writeln!(
            self.out,
            "<path d=\"{d}\" fill=\"{}\"{}{tr}/>",
            hex(c),
            opacity("fill", c)
        );
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let size = style.size() as f32;
        let shaped = shape(
            self.fonts,
            text,
            size,
            matches!(style.style(), FontStyle::Bold),
        );
        Ok((shaped.width.ceil() as u32, size.ceil() as u32))
    }
}

impl Canvas<'_> {
    /// Append a filled outline path (already positioned).
    pub(crate) fn raw_path(&mut self, d: &str, c: RGBColor) {
        let _ = writeln!(
            self.out,
            "<path d=\"{d}\" fill=\"#{:02x}{:02x}{:02x}\"/>",
            c.0, c.1, c.2
        );
    }
}
