//! Concordance lines as text: CSV, TSV, JSON, JSON lines, HTML, or a terminal table with the
//! node column aligned. A [`Renderer`] gives the text of the header, of each line and of the
//! end; the caller writes it where it goes (streaming: nothing is kept).
//!
//! ```
//! use kalima::kwic::{Line, render::{KwicFormat, Renderer}};
//!
//! let line = Line { doc_index: 0, offset: 4, doc: "a.txt".into(), left: "x".into(),
//!                   node: "في".into(), right: "<b>".into() };
//! let mut r = Renderer::new("csv".parse()?, 40, "في");
//! assert_eq!(r.header(), "doc,offset,left,node,right\n");
//! assert_eq!(r.line(&line), "a.txt,4,x,في,<b>\n");
//! let mut h = Renderer::new(KwicFormat::Html, 40, "في");
//! assert!(h.line(&line).contains("<td class=\"r\">&lt;b&gt;</td>"));
//! # Ok::<(), kalima::Error>(())
//! ```

use std::str::FromStr;

use kalima_report::escape::html;
use kalima_text::display::{is_rtl, visible_controls};
use unicode_width::UnicodeWidthChar;

use super::Line;
use crate::Error;

/// Output formats of concordance lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KwicFormat {
    /// Aligned columns for a terminal.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// Tab-separated values with a header (tabs and line breaks in fields become spaces).
    Tsv,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A right-to-left HTML page with one table.
    Html,
}

impl KwicFormat {
    /// The format of a name or file extension (`table`/`txt`, `csv`, `tsv`/`tab`, `json`,
    /// `jsonl`/`ndjson`, `html`/`htm`; any case).
    pub fn from_name(s: &str) -> Option<KwicFormat> {
        Some(match s.to_ascii_lowercase().as_str() {
            "table" | "txt" => KwicFormat::Table,
            "csv" => KwicFormat::Csv,
            "tsv" | "tab" => KwicFormat::Tsv,
            "json" => KwicFormat::Json,
            "jsonl" | "ndjson" => KwicFormat::Jsonl,
            "html" | "htm" => KwicFormat::Html,
            _ => return None,
        })
    }
}

impl FromStr for KwicFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<KwicFormat, Error> {
        KwicFormat::from_name(s).ok_or_else(|| {
            Error::invalid(format!(
                "unknown format {s:?} for kwic: table, csv, tsv, json, jsonl or html"
            ))
        })
    }
}

const LRM: char = '\u{200E}';

const HTML_HEAD: &str = "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>kalima kwic</title>\n<style>table{border-collapse:collapse;font-family:sans-serif}td,th{padding:2px 6px}td.l{text-align:left}td.r{text-align:right}td.n{font-weight:bold;text-align:center}td.o,td.d{color:#666;font-size:small}</style></head><body>\n<table dir=\"rtl\">\n<thead><tr><th>doc</th><th>offset</th><th>left</th><th>node</th><th>right</th></tr></thead>\n<tbody>\n";

/// Turns concordance lines into text of one format.
#[derive(Debug, Clone)]
pub struct Renderer {
    format: KwicFormat,
    width: usize,
    rtl: bool,
    rows: u64,
}

impl Renderer {
    /// A renderer; `width` is the table format's width of each context column in terminal
    /// cells; a right-to-left `query` lays the table out from the right.
    pub fn new(format: KwicFormat, width: usize, query: &str) -> Renderer {
        Renderer {
            format,
            width,
            rtl: query.chars().any(is_rtl),
            rows: 0,
        }
    }

    /// The format.
    pub fn format(&self) -> KwicFormat {
        self.format
    }

    /// The text before the first line.
    pub fn header(&self) -> &'static str {
        match self.format {
            KwicFormat::Csv => "doc,offset,left,node,right\n",
            KwicFormat::Tsv => "doc\toffset\tleft\tnode\tright\n",
            KwicFormat::Json => "[",
            KwicFormat::Html => HTML_HEAD,
            KwicFormat::Jsonl | KwicFormat::Table => "",
        }
    }

    /// The text of one line (the next after those already rendered).
    pub fn line(&mut self, l: &Line) -> String {
        let s = match self.format {
            KwicFormat::Csv | KwicFormat::Tsv => {
                let sep = if self.format == KwicFormat::Csv {
                    ','
                } else {
                    '\t'
                };
                let f = |x: &str| csv_field(x, sep);
                format!(
                    "{}{sep}{}{sep}{}{sep}{}{sep}{}\n",
                    f(&l.doc),
                    l.offset,
                    f(&l.left),
                    f(&l.node),
                    f(&l.right)
                )
            }
            KwicFormat::Json | KwicFormat::Jsonl => {
                let obj = format!(
                    "{{\"doc\":{},\"offset\":{},\"left\":{},\"node\":{},\"right\":{}}}",
                    json(&l.doc),
                    l.offset,
                    json(&l.left),
                    json(&l.node),
                    json(&l.right)
                );
                if self.format == KwicFormat::Jsonl {
                    obj + "\n"
                } else if self.rows == 0 {
                    format!("\n{obj}")
                } else {
                    format!(",\n{obj}")
                }
            }
            // In the right-to-left table the preceding context sits right of the node and the
            // following context left of it: align each toward the node.
            KwicFormat::Html => format!(
                "<tr><td class=\"d\">{}</td><td class=\"o\">{}</td><td class=\"l\">{}</td><td class=\"n\">{}</td><td class=\"r\">{}</td></tr>\n",
                html(&l.doc),
                l.offset,
                html(&l.left),
                html(&l.node),
                html(&l.right)
            ),
            KwicFormat::Table => self.table_line(l),
        };
        self.rows += 1;
        s
    }

    /// The text after the last line.
    pub fn footer(&self) -> &'static str {
        match self.format {
            KwicFormat::Json => "\n]\n",
            KwicFormat::Html => "</tbody>\n</table>\n</body></html>\n",
            _ => "",
        }
    }

    /// One terminal line, the node column aligned. For right-to-left text the columns are laid
    /// out in reading order from the right: `right | node | left` on screen, so the words
    /// before the node sit at its right; each cell is followed by a left-to-right mark, which
    /// keeps the columns in place whatever the terminal's bidi handling.
    /// Bidi formatting characters are shown as `‹U+XXXX›`: applied, they would reorder the
    /// line or hide inside a word.
    fn table_line(&self, l: &Line) -> String {
        let w = self.width;
        let doc = format!("{}:{}", visible_controls(&l.doc), l.offset);
        let (left, node, right) = (
            visible_controls(&l.left),
            visible_controls(&l.node),
            visible_controls(&l.right),
        );
        let mut s = String::new();
        s.push(LRM);
        if self.rtl {
            // Following context: its start (next to the node) at the cell's right edge.
            let right = fit(&right, w, false);
            let left = fit(&left, w, true);
            s.push_str(&" ".repeat(w - width_of(&right)));
            s.push_str(&right);
            s.push(LRM);
            s.push_str("  ");
            s.push_str(&node);
            s.push(LRM);
            s.push_str("  ");
            s.push_str(&left);
            s.push(LRM);
            s.push_str(&" ".repeat(w - width_of(&left)));
        } else {
            let left = fit(&left, w, true);
            let right = fit(&right, w, false);
            s.push_str(&" ".repeat(w - width_of(&left)));
            s.push_str(&left);
            s.push_str("  ");
            s.push_str(&node);
            s.push_str("  ");
            s.push_str(&right);
            s.push_str(&" ".repeat(w - width_of(&right)));
        }
        s.push_str("  ");
        s.push_str(&doc);
        s.push('\n');
        s
    }
}

/// Terminal cells of `s`.
fn width_of(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The last `w` cells of `s` (keep the end), or the first `w` (keep the start).
fn fit(s: &str, w: usize, keep_end: bool) -> String {
    if width_of(s) <= w {
        return s.to_string();
    }
    let mut used = 0;
    let mut out: Vec<char> = Vec::new();
    let chars: Vec<char> = if keep_end {
        s.chars().rev().collect()
    } else {
        s.chars().collect()
    };
    for c in chars {
        let cw = c.width().unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    if keep_end {
        out.reverse();
    }
    out.into_iter().collect()
}

fn csv_field(s: &str, sep: char) -> String {
    if sep == '\t' {
        return s.replace(['\t', '\n', '\r'], " ");
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(left: &str, node: &str, right: &str) -> Line {
        Line {
            doc_index: 0,
            offset: 7,
            doc: "d".into(),
            left: left.into(),
            node: node.into(),
            right: right.into(),
        }
    }

    #[test]
    fn fit_keeps_the_side_next_to_the_node() {
        assert_eq!(fit("abcdef", 4, true), "…def");
        assert_eq!(fit("abcdef", 4, false), "abc…");
        assert_eq!(fit("abc", 4, false), "abc");
    }

    #[test]
    fn table_columns_are_aligned() {
        let mut r = Renderer::new(KwicFormat::Table, 6, "abc");
        let a = r.line(&line("x", "abc", "yyyyyyyyy"));
        let b = r.line(&line("xxxxxxxxxx", "abc", "y"));
        let column = |s: &str| s.chars().take_while(|&c| c != 'a').count();
        assert_eq!(column(&a), column(&b));
        assert_eq!(a, "\u{200E}     x  abc  yyyyy…  d:7\n");
    }

    #[test]
    fn json_array_separators() {
        let mut r = Renderer::new(KwicFormat::Json, 40, "x");
        let first = r.line(&line("", "x", ""));
        let second = r.line(&line("", "x", ""));
        assert!(first.starts_with("\n{") && second.starts_with(",\n{"));
        assert_eq!(r.footer(), "\n]\n");
    }

    #[test]
    fn fields_are_quoted_or_flattened() {
        assert_eq!(csv_field("a,\"b\"", ','), "\"a,\"\"b\"\"\"");
        assert_eq!(csv_field("a\tb\nc", '\t'), "a b c");
        assert!("xml".parse::<KwicFormat>().is_err());
        assert_eq!(KwicFormat::from_name("NDJSON"), Some(KwicFormat::Jsonl));
    }
}
