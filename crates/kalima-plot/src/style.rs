//! Chart options, themes and number formatting.

use crate::text::Fonts;

/// Colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Dark text on white (default).
    #[default]
    Light,
    /// Light text on a near-black background.
    Dark,
    /// Black, greys and white only (for print).
    Print,
}

impl std::str::FromStr for Theme {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            "print" => Ok(Theme::Print),
            _ => Err(format!("unknown theme {s:?} (light, dark, print)")),
        }
    }
}

/// Colours of a theme, as `0xRRGGBB`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    pub bg: u32,
    pub fg: u32,
    pub muted: u32,
    pub grid: u32,
    pub accent: u32,
    pub negative: u32,
    pub series: [u32; 6],
}

impl Theme {
    pub(crate) fn palette(self) -> Palette {
        match self {
            Theme::Light => Palette {
                bg: 0xffffff,
                fg: 0x1f2933,
                muted: 0x616e7c,
                grid: 0xe4e7eb,
                accent: 0x2b6c9e,
                negative: 0xc4553b,
                series: [0x2b6c9e, 0xc4553b, 0x3a8f5c, 0x8e5aa8, 0xd18f1f, 0x4f5b66],
            },
            Theme::Dark => Palette {
                bg: 0x15191f,
                fg: 0xe8ebef,
                muted: 0x9aa5b1,
                grid: 0x2f3640,
                accent: 0x5fa8d3,
                negative: 0xe4846a,
                series: [0x5fa8d3, 0xe4846a, 0x6cc08b, 0xb48ad0, 0xf0b64d, 0xc3ccd5],
            },
            Theme::Print => Palette {
                bg: 0xffffff,
                fg: 0x000000,
                muted: 0x444444,
                grid: 0xdddddd,
                accent: 0x333333,
                negative: 0x999999,
                series: [0x000000, 0x777777, 0x444444, 0xaaaaaa, 0x222222, 0x888888],
            },
        }
    }
}

/// Which digits numbers are written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Digits {
    /// 0123456789, thousands separated by `,`.
    #[default]
    Latin,
    /// Arabic-Indic ٠١٢٣٤٥٦٧٨٩, thousands by U+066C `٬`, decimals by U+066B `٫`.
    Arabic,
}

impl std::str::FromStr for Digits {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "latin" => Ok(Digits::Latin),
            "arabic" => Ok(Digits::Arabic),
            _ => Err(format!("unknown digits {s:?} (latin, arabic)")),
        }
    }
}

impl Digits {
    /// `v` with `decimals` decimals and thousands separators.
    pub fn format(self, v: f64, decimals: usize) -> String {
        let s = format!("{:.*}", decimals, v.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        if v < 0.0 && s.bytes().any(|b| b != b'0' && b != b'.') {
            out.push('-');
        }
        let (sep, dot) = match self {
            Digits::Latin => (',', '.'),
            Digits::Arabic => ('\u{066C}', '\u{066B}'),
        };
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(dot);
            out.push_str(frac);
        }
        self.convert(&out)
    }

    /// ASCII digits in `s` written in this system.
    pub fn convert(self, s: &str) -> String {
        match self {
            Digits::Latin => s.to_string(),
            Digits::Arabic => s
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
                    c => c,
                })
                .collect(),
        }
    }
}

/// Size presets: `web` 1200×675, `square` 1080×1080, `story` 1080×1920.
pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    match s {
        "web" => return Ok((1200, 675)),
        "square" => return Ok((1080, 1080)),
        "story" => return Ok((1080, 1920)),
        _ => {}
    }
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("bad size {s:?}: WIDTHxHEIGHT or web, square, story"))?;
    let p = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (200..=8000).contains(v))
    };
    match (p(w), p(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("bad size {s:?}: each side 200 to 8000 px")),
    }
}

/// What every chart shares: texts, size, theme, digits, direction and fonts.
#[derive(Debug, Clone)]
pub struct Options {
    /// Title (bold, top).
    pub title: Option<String>,
    /// Subtitle under the title.
    pub subtitle: Option<String>,
    /// Footer line, e.g. `المصدر: …`.
    pub source: Option<String>,
    /// Width in px (SVG user units; PNG pixels at scale 1).
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// Colours.
    pub theme: Theme,
    /// Digits of numbers.
    pub digits: Digits,
    /// Right-to-left layout: titles right-aligned, labels on the right, bars growing
    /// leftwards, corpus position starting at the right.
    pub rtl: bool,
    /// Title of the value axis (e.g. "count").
    pub value_label: Option<String>,
    /// Title of the other axis (e.g. "rank").
    pub x_label: Option<String>,
    /// Fonts; the embedded set when None.
    pub fonts: Option<&'static Fonts>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            title: None,
            subtitle: None,
            source: None,
            width: 1200,
            height: 675,
            theme: Theme::Light,
            digits: Digits::Latin,
            rtl: true,
            value_label: None,
            x_label: None,
            fonts: None,
        }
    }
}

/// Round tick values ("nice numbers", steps of 1, 2 or 5 × 10ⁿ) covering `[lo, hi]`.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater)
        || !lo.is_finite()
        || !hi.is_finite()
    {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Decimals needed to write ticks `step` apart.
pub(crate) fn tick_decimals(ticks: &[f64]) -> usize {
    if ticks.len() < 2 {
        return 0;
    }
    let step = (ticks[1] - ticks[0]).abs();
    if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
            + usize::from(step * 10f64.powf(-step.log10().floor()) % 1.0 > 1e-6)
    }
}
