//! The chart kinds: layout computed here, drawn through plotters' elements on [`Canvas`].

use std::collections::HashSet;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::canvas::Canvas;
use crate::style::{Options, Palette, nice_ticks, tick_decimals};
use crate::text::{Fonts, shape};
use crate::{Chart, Error};

fn color(c: u32) -> RGBColor {
    RGBColor((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Draw(format!("{e:?}"))
}

/// Drawing context: the plotters area, fonts, palette, sizes and the plot box.
struct Ctx<'a, 'b> {
    root: &'b DrawingArea<Canvas<'a>, Shift>,
    fonts: &'static Fonts,
    pal: Palette,
    opts: &'b Options,
    /// Unit: 1 at 1200 px wide.
    u: f32,
    margin: f32,
    /// Plot box left, top, right, bottom.
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Ctx<'_, '_> {
    fn label_size(&self) -> f32 {
        22.0 * self.u
    }
    fn tick_size(&self) -> f32 {
        18.0 * self.u
    }

    fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        shape(self.fonts, s, size, bold).width
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        s: &str,
        x: f32,
        y: f32,
        size: f32,
        c: u32,
        bold: bool,
        h: HPos,
        v: VPos,
    ) -> Result<(), Error> {
        let font = ("sans-serif", f64::from(size))
            .into_font()
            .style(if bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            })
            .color(&color(c))
            .pos(Pos::new(h, v));
        self.root
            .draw(&Text::new(
                s.to_string(),
                (x.round() as i32, y.round() as i32),
                font,
            ))
            .map_err(draw_err)
    }

    fn rect(&self, x0: f32, y0: f32, x1: f32, y1: f32, c: u32) -> Result<(), Error> {
        let (a, b) = (
            (x0.min(x1).round() as i32, y0.min(y1).round() as i32),
            (x0.max(x1).round() as i32, y0.max(y1).round() as i32),
        );
        self.root
            .draw(&Rectangle::new([a, b], color(c).filled()))
            .map_err(draw_err)
    }

    fn line(&self, pts: &[(f32, f32)], c: u32, w: f32) -> Result<(), Error> {
        let mut p: Vec<(i32, i32)> = pts
            .iter()
            .map(|&(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        p.dedup();
        if p.len() < 2 {
            return Ok(());
        }
        let w = (w.round() as u32).max(1);
        self.root
            .draw(&PathElement::new(p, color(c).stroke_width(w)))
            .map_err(draw_err)
    }

    /// Horizontal alignment of the "start" side for the layout direction.
    fn start(&self) -> (f32, HPos) {
        if self.opts.rtl {
            (self.opts.width as f32 - self.margin, HPos::Right)
        } else {
            (self.margin, HPos::Left)
        }
    }
}

/// Lay out title, subtitle and source, call `body` with the plot box, return the chart.
fn render(
    opts: &Options,
    body: impl FnOnce(&mut Ctx) -> Result<usize, Error>,
) -> Result<Chart, Error> {
    let fonts = opts.fonts.unwrap_or_else(Fonts::embedded);
    let mut svg = String::new();
    let dropped;
    {
        let root = Canvas::new(&mut svg, (opts.width, opts.height), fonts).into_drawing_area();
        let pal = opts.theme.palette();
        root.fill(&color(pal.bg)).map_err(draw_err)?;
        let u = (opts.width.min(opts.height * 16 / 9) as f32 / 1200.0).max(0.5);
        let margin = 36.0 * u;
        let mut ctx = Ctx {
            root: &root,
            fonts,
            pal,
            opts,
            u,
            margin,
            x0: margin,
            y0: margin,
            x1: opts.width as f32 - margin,
            y1: opts.height as f32 - margin,
        };
        let (sx, sh) = ctx.start();
        let avail = ctx.x1 - ctx.x0;
        let mut y = margin;
        for (text, size, bold, c) in [
            (&opts.title, 34.0 * u, true, pal.fg),
            (&opts.subtitle, 23.0 * u, false, pal.muted),
        ] {
            if let Some(t) = text.as_deref().filter(|t| !t.trim().is_empty()) {
                let size = fit(ctx.width(t, size, bold), size, avail);
                ctx.text(t, sx, y, size, c, bold, sh, VPos::Top)?;
                y += size * 1.45;
            }
        }
        ctx.y0 = y + 12.0 * u;
        if let Some(t) = opts.source.as_deref().filter(|t| !t.trim().is_empty()) {
            let size = fit(ctx.width(t, 17.0 * u, false), 17.0 * u, avail);
            ctx.text(t, sx, ctx.y1, size, pal.muted, false, sh, VPos::Bottom)?;
            ctx.y1 -= size * 2.0;
        }
        dropped = body(&mut ctx)?;
        root.present().map_err(draw_err)?;
    }
    Ok(Chart { svg, dropped })
}

/// A font size no larger than `size` at which text `width` px wide (at `size`) fits `avail`.
fn fit(width: f32, size: f32, avail: f32) -> f32 {
    if width > avail && width > 0.0 {
        size * avail / width
    } else {
        size
    }
}

/// Sort by value descending, then label by code point (the product's table order).
fn sorted(data: &[(String, f64)]) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = data
        .iter()
        .filter(|(_, x)| x.is_finite())
        .cloned()
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// Decimals for value labels: none for whole numbers, else enough for 3 significant digits.
fn value_decimals(vals: &[f64]) -> usize {
    if vals.iter().all(|v| v.fract() == 0.0) {
        return 0;
    }
    let m = vals.iter().fold(0f64, |m, v| m.max(v.abs()));
    if m >= 100.0 {
        0
    } else if m >= 10.0 {
        1
    } else {
        2
    }
}

/// Row labels in a column beside the plot: returns the column width and the per-label font
/// sizes (shrunk so that even a very long label is never clipped).
fn label_column(ctx: &Ctx, labels: &[&str], max_share: f32) -> (f32, Vec<f32>) {
    let size = ctx.label_size();
    let cap = (ctx.x1 - ctx.x0) * max_share;
    let widths: Vec<f32> = labels.iter().map(|l| ctx.width(l, size, false)).collect();
    let col = widths.iter().fold(0f32, |m, w| m.max(*w)).min(cap);
    let sizes = widths.iter().map(|w| fit(*w, size, col)).collect();
    (col, sizes)
}

/// Horizontal bar chart of (label, value), bars sorted by value, the value printed at each
/// bar's end. In RTL layout the labels stand right-aligned on the right and bars grow
/// leftwards. Negative values are drawn as zero (use [`diverging`]).
pub fn bar(data: &[(String, f64)], opts: &Options) -> Result<Chart, Error> {
    bars(data, opts, false)
}

/// Diverging bar chart (e.g. keyness: positive = key in the target, negative = in the
/// reference): one row per label sorted by value, bars either side of a zero line, coloured by
/// sign, the value at each bar's end.
pub fn diverging(data: &[(String, f64)], opts: &Options) -> Result<Chart, Error> {
    bars(data, opts, true)
}

fn bars(data: &[(String, f64)], opts: &Options, two_sided: bool) -> Result<Chart, Error> {
    let rows = sorted(data);
    if rows.is_empty() {
        return Err(Error::Empty("no finite values"));
    }
    render(opts, |ctx| {
        let labels: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        let (col, sizes) = label_column(ctx, &labels, 0.4);
        let vals: Vec<f64> = rows
            .iter()
            .map(|r| if two_sided { r.1 } else { r.1.max(0.0) })
            .collect();
        let dec = value_decimals(&vals);
        let vsize = 19.0 * ctx.u;
        let vtext: Vec<String> = vals.iter().map(|v| opts.digits.format(*v, dec)).collect();
        let vw = vtext
            .iter()
            .fold(0f32, |m, t| m.max(ctx.width(t, vsize, false)))
            + 10.0 * ctx.u;
        let gap = 14.0 * ctx.u;
        // Axis row at the bottom: tick labels and the value-axis title.
        let ts = ctx.tick_size();
        let mut bottom = ctx.y1 - ts * 1.6;
        if opts.value_label.is_some() {
            bottom -= ts * 1.6;
        }
        let (mut bx0, mut bx1) = if opts.rtl {
            (ctx.x0 + vw, ctx.x1 - col - gap)
        } else {
            (ctx.x0 + col + gap, ctx.x1 - vw)
        };
        // Two-sided bars have values at both outer ends: room for one beside the labels too.
        if two_sided {
            if opts.rtl {
                bx1 -= vw;
            } else {
                bx0 += vw;
            }
        }
        let lo = if two_sided {
            vals.iter().fold(0f64, |m, v| m.min(*v))
        } else {
            0.0
        };
        let hi = vals.iter().fold(0f64, |m, v| m.max(*v));
        let (lo, hi) = if two_sided {
            let m = lo.abs().max(hi).max(f64::MIN_POSITIVE);
            (-m, m)
        } else {
            (0.0, hi.max(f64::MIN_POSITIVE))
        };
        // Value → x. One-sided RTL bars grow leftwards from the label column.
        let span = (bx1 - bx0) as f64;
        let base = if two_sided {
            (bx0 + bx1) as f64 / 2.0
        } else if opts.rtl {
            bx1 as f64
        } else {
            bx0 as f64
        };
        let xv = |v: f64| -> f32 {
            if two_sided {
                (base + v / (hi - lo) * span) as f32
            } else if opts.rtl {
                (base - v / hi * span) as f32
            } else {
                (base + v / hi * span) as f32
            }
        };
        let ticks = nice_ticks(lo, hi, if two_sided { 6 } else { 5 });
        let td = tick_decimals(&ticks);
        let top = ctx.y0;
        for t in &ticks {
            let x = xv(*t);
            ctx.line(&[(x, top), (x, bottom)], ctx.pal.grid, 1.0)?;
            ctx.text(
                &opts.digits.format(*t, td),
                x,
                bottom + ts * 0.5,
                ts,
                ctx.pal.muted,
                false,
                HPos::Center,
                VPos::Top,
            )?;
        }
        if let Some(l) = &opts.value_label {
            let cx = (bx0 + bx1) / 2.0;
            ctx.text(
                l,
                cx,
                ctx.y1,
                ts,
                ctx.pal.muted,
                false,
                HPos::Center,
                VPos::Bottom,
            )?;
        }
        let n = rows.len() as f32;
        let rh = (bottom - top) / n;
        for (i, ((label, _), v)) in rows.iter().zip(&vals).enumerate() {
            let cy = top + rh * (i as f32 + 0.5);
            let half = (rh * 0.34).max(1.0);
            let (xa, xb) = (xv(0.0), xv(*v));
            let c = if *v < 0.0 {
                ctx.pal.negative
            } else {
                ctx.pal.accent
            };
            ctx.rect(xa, cy - half, xb, cy + half, c)?;
            // Value at the outer end of the bar.
            let outward_left = (xb < xa) || (xb == xa && opts.rtl && !two_sided);
            let (vx, vh) = if outward_left {
                (xb - 6.0 * ctx.u, HPos::Right)
            } else {
                (xb + 6.0 * ctx.u, HPos::Left)
            };
            let vs = fit(ctx.width(&vtext[i], vsize, false), vsize, rh * 4.0)
                .min(vsize)
                .min(rh * 0.9);
            ctx.text(&vtext[i], vx, cy, vs, ctx.pal.fg, false, vh, VPos::Center)?;
            let ls = sizes[i].min(rh * 0.95);
            if opts.rtl {
                ctx.text(
                    label,
                    ctx.x1,
                    cy,
                    ls,
                    ctx.pal.fg,
                    false,
                    HPos::Right,
                    VPos::Center,
                )?;
            } else {
                ctx.text(
                    label,
                    ctx.x0,
                    cy,
                    ls,
                    ctx.pal.fg,
                    false,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
        }
        // The zero line over the bars' base.
        let z = xv(0.0);
        ctx.line(&[(z, top), (z, bottom)], ctx.pal.muted, 1.5 * ctx.u)?;
        Ok(0)
    })
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// A line through the points.
    Line,
    /// A dot per point.
    Points,
    /// A thinner line (for fitted curves).
    Fit,
}

/// One series of an [`xy`] chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Name shown in the legend (legend drawn when there are several series).
    pub name: String,
    /// (x, y) points. A point whose y is NaN breaks a line there (a gap in the data, e.g. a
    /// period without documents); a piece of line with one point is drawn as a dot.
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub kind: SeriesKind,
}

/// Axes of an [`xy`] chart.
#[derive(Debug, Clone, Default)]
pub struct XyOptions {
    /// Logarithmic x axis (points with x ≤ 0 are left out).
    pub x_log: bool,
    /// Logarithmic y axis (points with y ≤ 0 are left out).
    pub y_log: bool,
    /// Category ticks for the x axis instead of numbers (e.g. dates at x = 0, 1, 2, …).
    pub x_ticks: Option<Vec<(f64, String)>>,
}

fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    (a..=b)
        .map(|e| 10f64.powi(e))
        .filter(|t| *t >= lo * 0.999 && *t <= hi * 1.001)
        .collect()
}

/// Lines and points on linear or logarithmic axes: Zipf (log-log rank–frequency with a fitted
/// line), Heaps (vocabulary growth), timelines (x = period index with `x_ticks`).
pub fn xy(series: &[Series], axes: &XyOptions, opts: &Options) -> Result<Chart, Error> {
    let drawable = |&(x, y): &(f64, f64)| {
        x.is_finite() && y.is_finite() && (!axes.x_log || x > 0.0) && (!axes.y_log || y > 0.0)
    };
    // NaN y stays as a break marker; other unplottable points are left out.
    let keep = |p: &(f64, f64)| drawable(p) || (p.1.is_nan() && p.0.is_finite());
    let pts: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| s.points.iter().copied().filter(keep).collect())
        .collect();
    let all = pts.iter().flatten().filter(|p| drawable(p));
    let (mut xlo, mut xhi, mut ylo, mut yhi) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &(x, y) in all {
        xlo = xlo.min(x);
        xhi = xhi.max(x);
        ylo = ylo.min(y);
        yhi = yhi.max(y);
    }
    if !xlo.is_finite() {
        return Err(Error::Empty("no points"));
    }
    if !axes.y_log {
        ylo = ylo.min(0.0);
    }
    if xhi <= xlo {
        xhi = xlo + 1.0;
    }
    if yhi <= ylo {
        yhi = ylo + 1.0;
    }
    let xt: Vec<(f64, String)> = match &axes.x_ticks {
        Some(t) => t.clone(),
        None => {
            let t = if axes.x_log {
                log_ticks(xlo, xhi)
            } else {
                nice_ticks(xlo, xhi, 6)
            };
            let d = if axes.x_log { 0 } else { tick_decimals(&t) };
            t.into_iter()
                .map(|v| (v, opts.digits.format(v, d)))
                .collect()
        }
    };
    let yt = if axes.y_log {
        log_ticks(ylo, yhi)
    } else {
        nice_ticks(ylo, yhi, 5)
    };
    if !axes.y_log {
        yhi = yhi.max(*yt.last().unwrap_or(&yhi));
    }
    let yd = if axes.y_log { 0 } else { tick_decimals(&yt) };
    render(opts, |ctx| {
        let ts = ctx.tick_size();
        let ylabels: Vec<String> = yt.iter().map(|v| opts.digits.format(*v, yd)).collect();
        let yw = ylabels
            .iter()
            .fold(0f32, |m, l| m.max(ctx.width(l, ts, false)));
        let mut left = ctx.x0 + yw + 12.0 * ctx.u;
        if opts.value_label.is_some() {
            left += ts * 1.8;
        }
        // Legend row on top when several series.
        let named: Vec<usize> = (0..series.len())
            .filter(|i| !series[*i].name.is_empty())
            .collect();
        let mut top = ctx.y0 + ts * 0.6;
        if named.len() > 1 {
            let ls = ctx.label_size() * 0.85;
            let (mut x, h) = ctx.start();
            let right_aligned = opts.rtl;
            for (k, &i) in named.iter().enumerate() {
                let c = ctx.pal.series[k % ctx.pal.series.len()];
                let w = ctx.width(&series[i].name, ls, false);
                let sw = ls * 1.2;
                let (sx, tx) = if right_aligned {
                    (x - sw, x - sw - 8.0 * ctx.u)
                } else {
                    (x, x + sw + 8.0 * ctx.u)
                };
                ctx.rect(sx, ctx.y0 + ls * 0.3, sx + sw, ctx.y0 + ls * 0.7, c)?;
                ctx.text(
                    &series[i].name,
                    tx,
                    ctx.y0 + ls * 0.5,
                    ls,
                    ctx.pal.fg,
                    false,
                    h,
                    VPos::Center,
                )?;
                let adv = sw + 8.0 * ctx.u + w + 28.0 * ctx.u;
                x = if right_aligned { x - adv } else { x + adv };
            }
            top += ls * 1.6;
        }
        let right = ctx.x1 - ctx.width(xt.last().map_or("", |t| t.1.as_str()), ts, false) / 2.0;
        let mut bottom = ctx.y1 - ts * 1.7;
        if opts.x_label.is_some() {
            bottom -= ts * 1.7;
        }
        let tx = |v: f64| if axes.x_log { v.log10() } else { v };
        let ty = |v: f64| if axes.y_log { v.log10() } else { v };
        let (ax, bx) = (tx(xlo), tx(xhi));
        let (ay, by) = (ty(ylo), ty(yhi));
        let px = |x: f64| left + ((tx(x) - ax) / (bx - ax)) as f32 * (right - left);
        let py = |y: f64| bottom - ((ty(y) - ay) / (by - ay)) as f32 * (bottom - top);
        for (v, l) in yt.iter().zip(&ylabels) {
            let y = py(*v);
            ctx.line(&[(left, y), (right, y)], ctx.pal.grid, 1.0)?;
            ctx.text(
                l,
                left - 10.0 * ctx.u,
                y,
                ts,
                ctx.pal.muted,
                false,
                HPos::Right,
                VPos::Center,
            )?;
        }
        for (v, l) in &xt {
            let x = px(*v);
            if x < left - 0.5 || x > right + 0.5 {
                continue;
            }
            ctx.line(
                &[(x, bottom), (x, bottom + 6.0 * ctx.u)],
                ctx.pal.muted,
                1.0,
            )?;
            ctx.text(
                l,
                x,
                bottom + 10.0 * ctx.u,
                ts,
                ctx.pal.muted,
                false,
                HPos::Center,
                VPos::Top,
            )?;
        }
        ctx.line(
            &[(left, bottom), (right, bottom)],
            ctx.pal.muted,
            1.5 * ctx.u,
        )?;
        if let Some(l) = &opts.x_label {
            ctx.text(
                l,
                (left + right) / 2.0,
                ctx.y1,
                ts,
                ctx.pal.muted,
                false,
                HPos::Center,
                VPos::Bottom,
            )?;
        }
        if let Some(l) = &opts.value_label {
            let font = ("sans-serif", f64::from(ts))
                .into_font()
                .color(&color(ctx.pal.muted))
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Center));
            let at = (
                (ctx.x0 + ts * 0.6).round() as i32,
                ((top + bottom) / 2.0).round() as i32,
            );
            ctx.root
                .draw(&Text::new(l.clone(), at, font))
                .map_err(draw_err)?;
        }
        for (k, (s, p)) in series.iter().zip(&pts).enumerate() {
            let c = ctx.pal.series[k % ctx.pal.series.len()];
            match s.kind {
                SeriesKind::Line | SeriesKind::Fit => {
                    let width = if s.kind == SeriesKind::Line { 3.0 } else { 2.0 } * ctx.u;
                    for run in p.split(|q| q.1.is_nan()).filter(|r| !r.is_empty()) {
                        let run: Vec<(f32, f32)> =
                            run.iter().map(|&(x, y)| (px(x), py(y))).collect();
                        if let [(x, y)] = run[..] {
                            let r = (width * 0.9).round().max(1.0) as i32;
                            ctx.root
                                .draw(&Circle::new(
                                    (x.round() as i32, y.round() as i32),
                                    r,
                                    color(c).filled(),
                                ))
                                .map_err(draw_err)?;
                        } else {
                            ctx.line(&run, c, width)?;
                        }
                    }
                }
                SeriesKind::Points => {
                    // One dot per distinct pixel: same picture, bounded file size.
                    let mut seen = HashSet::new();
                    let r = (3.5 * ctx.u).round().max(1.0) as i32;
                    for (x, y) in p
                        .iter()
                        .filter(|q| !q.1.is_nan())
                        .map(|&(x, y)| (px(x), py(y)))
                    {
                        let p = (x.round() as i32, y.round() as i32);
                        if seen.insert(p) {
                            ctx.root
                                .draw(&Circle::new(p, r, color(c).mix(0.75).filled()))
                                .map_err(draw_err)?;
                        }
                    }
                }
            }
        }
        Ok(0)
    })
}

/// Lexical dispersion plot: one strip per term, a tick at each occurrence's relative position
/// in the corpus (0 = start, 1 = end; in RTL layout the corpus starts at the right).
pub fn dispersion(terms: &[(String, Vec<f64>)], opts: &Options) -> Result<Chart, Error> {
    if terms.is_empty() {
        return Err(Error::Empty("no terms"));
    }
    render(opts, |ctx| {
        let labels: Vec<String> = terms
            .iter()
            .map(|(t, p)| format!("{t} ({})", opts.digits.format(p.len() as f64, 0)))
            .collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let (col, sizes) = label_column(ctx, &refs, 0.35);
        let gap = 16.0 * ctx.u;
        let (l, r) = if opts.rtl {
            (ctx.x0, ctx.x1 - col - gap)
        } else {
            (ctx.x0 + col + gap, ctx.x1)
        };
        let ts = ctx.tick_size();
        let mut bottom = ctx.y1 - ts * 1.7;
        if opts.x_label.is_some() {
            bottom -= ts * 1.7;
        }
        let top = ctx.y0;
        let px = |f: f64| -> f32 {
            let f = f.clamp(0.0, 1.0) as f32;
            if opts.rtl {
                r - f * (r - l)
            } else {
                l + f * (r - l)
            }
        };
        for t in nice_ticks(0.0, 100.0, 5) {
            let x = px(t / 100.0);
            ctx.line(&[(x, top), (x, bottom)], ctx.pal.grid, 1.0)?;
            ctx.text(
                &format!("{}%", opts.digits.format(t, 0)),
                x,
                bottom + 10.0 * ctx.u,
                ts,
                ctx.pal.muted,
                false,
                HPos::Center,
                VPos::Top,
            )?;
        }
        if let Some(lab) = &opts.x_label {
            ctx.text(
                lab,
                (l + r) / 2.0,
                ctx.y1,
                ts,
                ctx.pal.muted,
                false,
                HPos::Center,
                VPos::Bottom,
            )?;
        }
        let rh = (bottom - top) / terms.len() as f32;
        for (i, (_, pos)) in terms.iter().enumerate() {
            let cy = top + rh * (i as f32 + 0.5);
            let c = ctx.pal.series[i % ctx.pal.series.len()];
            ctx.line(&[(l, cy), (r, cy)], ctx.pal.grid, 1.0)?;
            let half = (rh * 0.32).max(2.0);
            let mut seen = HashSet::new();
            for p in pos {
                let x = px(*p).round() as i32;
                if seen.insert(x) {
                    ctx.line(
                        &[(x as f32, cy - half), (x as f32, cy + half)],
                        c,
                        1.5 * ctx.u,
                    )?;
                }
            }
            let ls = sizes[i].min(rh * 0.9);
            let (lx, h) = if opts.rtl {
                (ctx.x1, HPos::Right)
            } else {
                (ctx.x0, HPos::Left)
            };
            ctx.text(&labels[i], lx, cy, ls, ctx.pal.fg, false, h, VPos::Center)?;
        }
        Ok(0)
    })
}

/// splitmix64: a tiny, well-mixed deterministic generator for the cloud's layout.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Word cloud: words sized by value (font size ∝ √value between a minimum and a maximum),
/// largest first, each placed on an Archimedean spiral from the centre at the first position
/// where its glyph ink box (plus padding) overlaps no placed word and stays inside the plot.
/// The same `seed` gives the same picture. Words that find no room are dropped
/// ([`Chart::dropped`]).
pub fn cloud(words: &[(String, f64)], seed: u64, opts: &Options) -> Result<Chart, Error> {
    let rows: Vec<(String, f64)> = sorted(words)
        .into_iter()
        .filter(|r| r.1 > 0.0 && !r.0.trim().is_empty())
        .collect();
    if rows.is_empty() {
        return Err(Error::Empty("no words with a positive value"));
    }
    render(opts, |ctx| {
        let (w, h) = (ctx.x1 - ctx.x0, ctx.y1 - ctx.y0);
        let (cx, cy) = ((ctx.x0 + ctx.x1) / 2.0, (ctx.y0 + ctx.y1) / 2.0);
        let vmax = rows[0].1;
        let vmin = rows.last().map_or(vmax, |r| r.1);
        let (smin, smax) = (15.0 * ctx.u, (h * 0.28).min(120.0 * ctx.u));
        let mut rng = seed ^ 0x6b61_6c69_6d61;
        let mut placed: Vec<[f32; 4]> = Vec::new();
        let mut dropped = 0;
        let pad = 3.0 * ctx.u;
        for (k, (word, v)) in rows.iter().enumerate() {
            let t = if vmax > vmin {
                ((v - vmin) / (vmax - vmin)).sqrt() as f32
            } else {
                1.0
            };
            let mut size = smin + t * (smax - smin);
            let shaped0 = shape(ctx.fonts, word, size, false);
            size = fit(shaped0.width, size, w * 0.9);
            let shaped = shape(ctx.fonts, word, size, false);
            let (_, bounds) = shaped.path(ctx.fonts, 0.0, 0.0);
            let Some(b) = bounds else { continue };
            let padx = pad + size * 0.12;
            let (bw, bh) = (b.x1 - b.x0 + 2.0 * padx, b.y1 - b.y0 + 2.0 * pad);
            let start = (splitmix(&mut rng) % 6283) as f32 / 1000.0;
            let aspect = w / h;
            let mut spot = None;
            let mut a = 0.0f32;
            while a < 600.0 {
                let r = 2.0 * ctx.u * a;
                let (x, y) = (
                    cx + r * (a + start).cos() * aspect.sqrt(),
                    cy + r * (a + start).sin() / aspect.sqrt(),
                );
                let bx = [x - bw / 2.0, y - bh / 2.0, x + bw / 2.0, y + bh / 2.0];
                let inside =
                    bx[0] >= ctx.x0 && bx[2] <= ctx.x1 && bx[1] >= ctx.y0 && bx[3] <= ctx.y1;
                if inside
                    && !placed
                        .iter()
                        .any(|p| p[0] < bx[2] && bx[0] < p[2] && p[1] < bx[3] && bx[1] < p[3])
                {
                    spot = Some(bx);
                    break;
                }
                if r > w.max(h) {
                    break;
                }
                a += (0.35 / (1.0 + a * 0.05)).max(0.04);
            }
            let Some(bx) = spot else {
                dropped += 1;
                continue;
            };
            placed.push(bx);
            // Origin such that the ink box lands in the chosen box.
            let ox = bx[0] + padx - b.x0;
            let oy = bx[1] + pad - b.y0;
            let (d, _) = shaped.path(ctx.fonts, ox, oy);
            let c = ctx.pal.series[(k + (seed as usize % 6)) % ctx.pal.series.len()];
            ctx.root
                .draw(&OutlinePath { d, color: color(c) })
                .map_err(draw_err)?;
        }
        Ok(dropped)
    })
}

/// A pre-built outline path as a plotters element (the cloud places its words by ink box,
/// which text anchors cannot express).
struct OutlinePath {
    d: String,
    color: RGBColor,
}

impl<'a> plotters::element::PointCollection<'a, (i32, i32)> for &'a OutlinePath {
    type Point = &'a (i32, i32);
    type IntoIter = std::iter::Empty<&'a (i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
    }
}

impl plotters::element::Drawable<Canvas<'_>> for OutlinePath {
    fn draw<I: Iterator<Item = (i32, i32)>>(
        &self,
        _pos: I,
        backend: &mut Canvas<'_>,
        _parent_dim: (u32, u32),
    ) -> Result<(), plotters_backend::DrawingErrorKind<std::fmt::Error>> {
        backend.raw_path(&self.d, self.color);
        Ok(())
    }
}
