//! The `table` format: aligned columns for a human at a terminal. Plain Rust: polars is
//! only used to read cells out of a `DataFrame` handed to `write_dataframe`.
//!
//! ```text
//! term  count  per_million
//! ----  -----  -----------
//! كِتَاب      3  1234.567800
//! ```
//!
//! The layout rules, and why, are in the crate docs ("The `table` format").

use std::fmt::Write as _;
use std::io::{self, Write};

use polars::prelude::{DataFrame, DataType};
use unicode_width::UnicodeWidthChar;

use kalima_text::display::{is_rtl, visible_controls};

use crate::table::ColumnData;
use crate::{FrameError, Table};

/// Blanks between two columns.
const GAP: &str = "  ";
/// LEFT-TO-RIGHT MARK: ends a right-to-left run without taking a cell.
const LRM: char = '\u{200E}';

/// Writes `table` as aligned text. Needs no polars.
pub(crate) fn write_pretty(table: &Table, out: &mut dyn Write) -> Result<(), FrameError> {
    table.validate()?;
    let columns: Vec<Cells> = table
        .columns()
        .map(|(name, data)| {
            let body = match data {
                ColumnData::Str(v) => v.iter().map(|s| Cell::new(s)).collect(),
                ColumnData::U64(v) => v.iter().map(|x| Cell::new(&x.to_string())).collect(),
                ColumnData::I64(v) => v.iter().map(|x| Cell::new(&x.to_string())).collect(),
                ColumnData::F64(v) => v.iter().map(|x| Cell::new(&format_f64(*x))).collect(),
            };
            Cells::new(name, data.is_numeric(), body)
        })
        .collect();
    render(&columns, table.len(), out)
}

/// Writes any `DataFrame` as aligned text: numbers right-aligned, floats as in
/// [`write_pretty`], other types as polars casts them to strings, nulls as empty cells.
pub(crate) fn write_pretty_dataframe(
    df: &DataFrame,
    out: &mut dyn Write,
) -> Result<(), FrameError> {
    let mut columns = Vec::with_capacity(df.width());
    for column in df.columns() {
        let dtype = column.dtype();
        let body: Vec<Cell> = if dtype.is_float() {
            let floats = column.cast(&DataType::Float64)?;
            floats
                .f64()?
                .iter()
                .map(|x| x.map_or_else(|| Cell::new(""), |x| Cell::new(&format_f64(x))))
                .collect()
        } else {
            let strings = column.cast(&DataType::String)?;
            strings
                .str()?
                .iter()
                .map(|s| Cell::new(s.unwrap_or("")))
                .collect()
        };
        columns.push(Cells::new(
            column.name(),
            dtype.is_primitive_numeric(),
            body,
        ));
    }
    render(&columns, df.height(), out)
}

fn render(columns: &[Cells], rows: usize, out: &mut dyn Write) -> Result<(), FrameError> {
    if columns.is_empty() {
        return Ok(());
    }
    let mut out = io::BufWriter::new(out);
    let mut line = String::new();

    let header: Vec<&Cell> = columns.iter().map(|c| &c.header).collect();
    render_line(&mut line, columns, &header);
    out.write_all(line.as_bytes())?;
    let rules: Vec<Cell> = columns.iter().map(|c| Cell::rule(c.width)).collect();
    render_line(&mut line, columns, &rules.iter().collect::<Vec<_>>());
    out.write_all(line.as_bytes())?;
    for row in 0..rows {
        let cells: Vec<&Cell> = columns.iter().map(|c| &c.body[row]).collect();
        render_line(&mut line, columns, &cells);
        out.write_all(line.as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

/// One rendered value: escaped text plus what layout needs to know about it.
struct Cell {
    text: String,
    width: usize,
    rtl: bool,
}

impl Cell {
    fn new(raw: &str) -> Cell {
        let text = escape(raw);
        Cell {
            width: display_width(&text),
            rtl: text.chars().any(is_rtl),
            text,
        }
    }

    fn rule(width: usize) -> Cell {
        Cell {
            text: "-".repeat(width),
            width,
            rtl: false,
        }
    }
}

/// A column rendered to cells, with its width (the widest cell, header included).
struct Cells {
    header: Cell,
    body: Vec<Cell>,
    right_aligned: bool,
    width: usize,
}

impl Cells {
    fn new(name: &str, right_aligned: bool, body: Vec<Cell>) -> Cells {
        let header = Cell::new(name);
        let width = body.iter().map(|c| c.width).fold(header.width, usize::max);
        Cells {
            header,
            body,
            right_aligned,
            width,
        }
    }
}

/// Replaces `line` with one rendered row, newline included.
fn render_line(line: &mut String, columns: &[Cells], cells: &[&Cell]) {
    line.clear();
    if cells.iter().any(|c| c.rtl) {
        line.push(LRM);
    }
    let last = cells.len() - 1;
    for (i, (col, cell)) in columns.iter().zip(cells).enumerate() {
        if i > 0 {
            line.push_str(GAP);
        }
        let pad = col.width - cell.width;
        if col.right_aligned {
            push_spaces(line, pad);
        }
        line.push_str(&cell.text);
        if cell.rtl {
            line.push(LRM);
        }
        if !col.right_aligned && i != last {
            push_spaces(line, pad);
        }
    }
    line.push('\n');
}

fn push_spaces(line: &mut String, n: usize) {
    line.extend(std::iter::repeat_n(' ', n));
}

/// Floats in the terminal table: fixed 6 decimals, so decimal points align.
fn format_f64(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.6}")
    } else {
        // "NaN", "inf", "-inf": the same spelling as the CSV writer.
        x.to_string()
    }
}

/// Terminal cells taken by `s` (which holds no controls after [`escape`]).
pub(crate) fn display_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Makes a value safe to print inside one cell of one line; see the module docs. Bidi
/// formatting characters become `‹U+XXXX›` markers, the convention of every renderer for
/// people ([`kalima_text::display::visible_controls`]).
pub(crate) fn escape(s: &str) -> String {
    let s = visible_controls(s);
    if !s.chars().any(needs_escape) {
        return s.into_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() // C0, DEL, C1
        || matches!(c, '\u{2028}' | '\u{2029}') // line / paragraph separator
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &Table) -> String {
        let mut out = Vec::new();
        write_pretty(t, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Lines with the bidi marks removed, as a terminal without bidi would show them.
    fn visible(s: &str) -> Vec<String> {
        s.lines().map(|l| l.replace(LRM, "")).collect()
    }

    #[test]
    fn ascii_layout() {
        let mut t = Table::new();
        t.push_str("term", vec!["a".into(), "longer".into()])
            .push_u64("count", vec![3, 12345])
            .push_f64("per_million", vec![1234.5678, 0.5]);
        assert_eq!(
            render(&t),
            "term    count  per_million\n\
             ------  -----  -----------\n\
             a           3  1234.567800\n\
             longer  12345     0.500000\n"
        );
    }

    #[test]
    fn the_documented_example() {
        let mut t = Table::new();
        t.push_str("term", vec!["كِتَاب".into()])
            .push_u64("count", vec![3])
            .push_f64("per_million", vec![1234.5678]);
        let doc = include_str!("lib.rs");
        let shown = visible(&render(&t)).join("\n//! ");
        assert!(doc.contains(&shown), "{shown}");
    }

    #[test]
    fn harakat_take_no_cells_and_arabic_is_isolated() {
        let mut t = Table::new();
        // كِتَابٌ: 4 letters, 3 harakat; لا: two code points, two cells.
        t.push_str("term", vec!["كِتَابٌ".into(), "لا".into(), "x".into()])
            .push_u64("count", vec![3, 2, 1]);
        let out = render(&t);
        let lines = visible(&out);
        assert_eq!(lines[0], "term  count");
        assert_eq!(lines[1], "----  -----");
        assert_eq!(lines[2], "كِتَابٌ      3");
        assert_eq!(lines[3], "لا        2");
        assert_eq!(lines[4], "x         1");
        // Every line occupies the same number of cells.
        for l in &lines {
            assert_eq!(display_width(l), 11, "{l:?}");
        }
        // RTL lines start with LRM and the Arabic cell ends with one; ASCII lines have none.
        let raw: Vec<&str> = out.lines().collect();
        assert_eq!(raw[2], "\u{200E}كِتَابٌ\u{200E}      3");
        assert!(!raw[0].contains(LRM) && !raw[4].contains(LRM));
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut t = Table::new();
        t.push_str("term", vec!["a\tb\nc\rd\u{1b}[31m\u{85}\u{2028}e".into()])
            .push_i64("n", vec![-7]);
        let out = render(&t);
        assert_eq!(out.lines().count(), 3);
        assert_eq!(
            out.lines().nth(2).unwrap(),
            "a\\tb\\nc\\rd\\u{1b}[31m\\u{85}\\u{2028}e  -7"
        );
    }

    #[test]
    fn bidi_controls_are_shown_as_markers() {
        let mut t = Table::new();
        // An override (abc would read acb), the marks (a row that would look the same as
        // plain الرئيس) and isolates; ZWNJ inside a word is legitimate and stays.
        t.push_str(
            "term",
            vec![
                "a\u{202E}bc".into(),
                "الرئيس\u{200F}".into(),
                "\u{061C}x\u{2066}y\u{2069}".into(),
                "می\u{200C}خواهم".into(),
            ],
        )
        .push_u64("n", vec![1, 2, 3, 4]);
        let out = render(&t);
        let lines = visible(&out);
        assert_eq!(lines[2], "a‹U+202E›bc                 1");
        assert_eq!(lines[3], "الرئيس‹U+200F›              2");
        assert_eq!(lines[4], "‹U+061C›x‹U+2066›y‹U+2069›  3");
        assert_eq!(lines[5], "می\u{200C}خواهم                     4");
        // The only bidi characters left are the table's own LRM marks.
        assert!(
            !out.chars()
                .any(|c| kalima_text::display::is_bidi_control(c) && c != LRM),
            "{out:?}"
        );
    }

    #[test]
    fn empty_tables() {
        let mut t = Table::new();
        assert_eq!(render(&t), "");
        t.push_str("term", vec![]).push_f64("ll", vec![]);
        assert_eq!(render(&t), "term  ll\n----  --\n");
    }

    #[test]
    fn odd_floats() {
        assert_eq!(format_f64(f64::NAN), "NaN");
        assert_eq!(format_f64(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_f64(1e-9), "0.000000");
        assert_eq!(format_f64(2.0), "2.000000");
    }

    #[test]
    fn wide_chars_count_two() {
        assert_eq!(display_width("漢字"), 4);
        assert_eq!(display_width("كِتَابٌ"), 4);
        assert_eq!(display_width("لا"), 2);
    }
}
