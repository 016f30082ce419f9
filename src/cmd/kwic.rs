//! `kalima kwic`: concordance lines (key word in context), showing the original text.
//!
//! Matching is done on normalized terms; the lines show the ORIGINAL text, cut with the
//! analyzer's byte offsets. Lines are printed as soon as they are found, in document order,
//! and nothing but the current chunk (plus a few tokens carried over a chunk boundary) is
//! held in memory. `--sort` has to see every match first: it buffers them (at most `--limit`
//! when given, keeping the first lines in sort order).

use std::collections::BinaryHeap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args as ClapArgs;
use kalima_text::display::{is_rtl, visible_controls};
use kalima_text::{Analyzer, Normalizer, Token};
use regex::Regex;
use unicode_width::UnicodeWidthChar;

use crate::Outcome;
use crate::cmd::lexdiv::doc_label;
use crate::common::{InputArgs, Reporter, TextArgs};

/// Arguments of `kalima kwic`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// What to find: a term, a prefix (`ال*`), a phrase (several words), or with --regex a
    /// regular expression matched against whole normalized terms
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Tokens of context on each side
    #[arg(long, value_name = "N", default_value_t = 7)]
    pub context: usize,
    /// QUERY is a regular expression (Rust regex syntax) that must match a whole normalized term
    #[arg(long)]
    pub regex: bool,
    /// Sort by context words, e.g. `R1,R2` (first and second word after the node), `L1`
    /// (word before), `node`; ties keep document order. Sorting buffers the matches (at
    /// most --limit of them when given)
    #[arg(long, value_name = "KEYS")]
    pub sort: Option<String>,
    /// Stop after N lines (with --sort: the first N in sort order)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format: table, csv, tsv, json, jsonl, html (default: from -o's extension;
    /// table on a terminal, csv otherwise)
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Table format: width of each context column, in terminal cells
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub width: usize,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// Output formats of kwic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Csv,
    Tsv,
    Json,
    Jsonl,
    Html,
}

fn format_from(s: &str) -> Option<Format> {
    Some(match s.to_ascii_lowercase().as_str() {
        "table" | "txt" => Format::Table,
        "csv" => Format::Csv,
        "tsv" | "tab" => Format::Tsv,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::Jsonl,
        "html" | "htm" => Format::Html,
        _ => return None,
    })
}

fn choose(args: &Args) -> Result<Format> {
    if let Some(f) = &args.format {
        return format_from(f).with_context(|| {
            format!("unknown format {f:?} for kwic: table, csv, tsv, json, jsonl or html")
        });
    }
    if let Some(p) = &args.output {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        return format_from(ext).with_context(|| {
            format!(
                "cannot tell the output format from {:?}: give --format",
                p.display().to_string()
            )
        });
    }
    Ok(if io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    })
}

/// What a node is.
#[derive(Debug)]
pub(crate) enum Query {
    /// One normalized term.
    Term(String),
    /// Terms starting with this normalized prefix.
    Prefix(String),
    /// A whole-term regular expression.
    Regex(Regex),
    /// Consecutive normalized terms.
    Phrase(Vec<String>),
}

impl Query {
    /// Parse QUERY with the same analyzer as the text.
    pub(crate) fn parse(q: &str, regex: bool, analyzer: &Analyzer) -> Result<Query> {
        if regex {
            let re =
                Regex::new(&format!("^(?:{q})$")).with_context(|| format!("bad --regex {q:?}"))?;
            return Ok(Query::Regex(re));
        }
        let terms = |s: &str| -> Vec<String> {
            analyzer
                .analyze(s)
                .iter()
                .map(|(t, _)| t.to_string())
                .collect()
        };
        if let Some(p) = q.trim().strip_suffix('*') {
            let t = terms(p);
            if t.len() != 1 {
                bail!("a prefix query is one word followed by `*` (got {q:?})");
            }
            return Ok(Query::Prefix(t.into_iter().next().unwrap_or_default()));
        }
        let mut t = terms(q);
        match t.len() {
            0 => bail!("the query {q:?} has no term"),
            1 => Ok(Query::Term(t.pop().unwrap_or_default())),
            _ => Ok(Query::Phrase(t)),
        }
    }

    /// Number of tokens a match covers.
    pub(crate) fn len(&self) -> usize {
        match self {
            Query::Phrase(p) => p.len(),
            _ => 1,
        }
    }

    /// Does a match start at token `i` of `toks`?
    pub(crate) fn matches(&self, toks: &[(&str, Token)], i: usize) -> bool {
        let t = toks[i].0;
        match self {
            Query::Term(q) => t == q,
            Query::Prefix(p) => t.starts_with(p.as_str()),
            Query::Regex(r) => r.is_match(t),
            Query::Phrase(p) => {
                i + p.len() <= toks.len() && p.iter().zip(&toks[i..]).all(|(a, b)| a == b.0)
            }
        }
    }
}

/// A sort key: a context position (`L3` = third word before, `R1` = first after, `node`).
#[derive(Debug, Clone, Copy)]
enum Key {
    Left(usize),
    Right(usize),
    Node,
}

fn parse_sort(s: &str, context: usize) -> Result<Vec<Key>> {
    s.split(',')
        .map(|k| {
            let k = k.trim();
            let key = if k.eq_ignore_ascii_case("node") {
                Key::Node
            } else {
                let (side, n) = k.split_at(1.min(k.len()));
                let n: usize = n.parse().ok().filter(|&n| n >= 1).with_context(|| {
                    format!("bad sort key {k:?}: expected L1…L{context}, R1…R{context} or node")
                })?;
                if n > context {
                    bail!("sort key {k:?} is beyond --context {context}");
                }
                match side {
                    "L" | "l" => Key::Left(n),
                    "R" | "r" => Key::Right(n),
                    _ => bail!("bad sort key {k:?}: expected L1…, R1… or node"),
                }
            };
            Ok(key)
        })
        .collect()
}

/// One concordance line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Line {
    keys: Vec<String>,
    doc_index: u64,
    offset: u64,
    doc: String,
    left: String,
    node: String,
    right: String,
}

/// Collapse whitespace runs (line breaks included) to one space and trim.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Run `kalima kwic`.
pub fn run(args: Args) -> Result<Outcome> {
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose(&args)?;
    let query = Query::parse(&args.query, args.regex, &analyzer)?;
    let keys = match &args.sort {
        Some(s) => Some(parse_sort(s, args.context)?),
        None => None,
    };
    let rtl = args.query.chars().any(is_rtl);
    let mut out = Out::new(format, args.output.as_deref(), args.width, rtl)?;
    let result = concordance(&args, &analyzer, &query, keys.as_deref(), &mut out);
    if result.is_err() {
        out.abandon();
        return result;
    }
    let outcome = result?;
    out.finish()?;
    Ok(outcome)
}

/// Find and write the lines.
fn concordance(
    args: &Args,
    analyzer: &Analyzer,
    query: &Query,
    keys: Option<&[Key]>,
    out: &mut Out,
) -> Result<Outcome> {
    let reporter = Reporter::new(args.quiet);
    let corpus = args.input.open(&args.paths, false, false)?;
    let limit = args.limit.unwrap_or(usize::MAX);
    let (k, len) = (args.context, query.len());
    let mut heap: BinaryHeap<Line> = BinaryHeap::new();
    let mut printed = 0usize;
    // Text carried over from the previous chunk of the same document.
    let (mut carry, mut carry_offset, mut skip) = (String::new(), 0u64, 0usize);
    let mut label = String::new();
    'read: for c in corpus.filter_map(|ev| reporter.filter(ev)) {
        if limit == 0 {
            break;
        }
        if c.first {
            label = doc_label(&c);
            carry.clear();
            carry_offset = c.offset;
            skip = 0;
        }
        carry.push_str(&c.text);
        let text = std::mem::take(&mut carry);
        let analyzed = analyzer.analyze(&text);
        let toks: Vec<(&str, Token)> = analyzed.iter().collect();
        let m = toks.len();
        let decided = if c.last {
            m
        } else {
            m.saturating_sub(k + len - 1)
        }
        .max(skip);
        for i in skip..decided.min(m) {
            if !query.matches(&toks, i) {
                continue;
            }
            let end = i + len - 1;
            let lstart = toks[i.saturating_sub(k)].1.start;
            let rend = toks[(end + k).min(m - 1)].1.end;
            let sort_keys = keys.map_or_else(Vec::new, |ks| {
                ks.iter()
                    .map(|key| {
                        let j = match *key {
                            Key::Left(n) => i.checked_sub(n),
                            Key::Right(n) => Some(end + n).filter(|&j| j < m),
                            Key::Node => Some(i),
                        };
                        j.map_or(String::new(), |j| toks[j].0.to_string())
                    })
                    .collect()
            });
            let line = Line {
                keys: sort_keys,
                doc_index: c.doc,
                offset: carry_offset + toks[i].1.start as u64,
                doc: label.clone(),
                left: one_line(&text[lstart..toks[i].1.start]),
                node: one_line(&text[toks[i].1.start..toks[end].1.end]),
                right: one_line(&text[toks[end].1.end..rend]),
            };
            if keys.is_some() {
                heap.push(line);
                if heap.len() > limit {
                    heap.pop();
                }
            } else {
                out.line(&line)?;
                printed += 1;
                if printed >= limit {
                    break 'read;
                }
            }
        }
        if !c.last {
            let keep = decided.saturating_sub(k);
            let byte = toks.get(keep).map_or(text.len(), |t| t.1.start);
            carry.push_str(&text[byte..]);
            carry_offset += byte as u64;
            skip = decided - keep;
        }
    }
    let outcome = reporter.finish();
    if keys.is_some() {
        let mut lines = heap.into_vec();
        lines.sort();
        for l in &lines {
            out.line(l)?;
        }
    }
    Ok(outcome)
}

const LRM: char = '\u{200E}';

/// Streaming writer of concordance lines.
struct Out {
    format: Format,
    w: Dest,
    rows: u64,
    width: usize,
    rtl: bool,
    flush_each: bool,
}

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

/// `s` escaped for HTML text, bidi formatting characters shown as `‹U+XXXX›`.
fn html(s: &str) -> String {
    let s = visible_controls(s);
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

impl Out {
    fn new(format: Format, output: Option<&Path>, width: usize, rtl: bool) -> Result<Out> {
        let (w, flush_each) = match output {
            Some(p) => {
                let f = kalima_fs::AtomicFile::create(p)
                    .with_context(|| format!("writing {}", p.display()))?;
                (Dest::File(BufWriter::new(f)), false)
            }
            None => {
                let tty = io::stdout().is_terminal();
                (
                    Dest::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
                    tty,
                )
            }
        };
        let mut o = Out {
            format,
            w,
            rows: 0,
            width,
            rtl,
            flush_each,
        };
        o.header()?;
        Ok(o)
    }

    fn header(&mut self) -> Result<()> {
        let h = match self.format {
            Format::Csv => "doc,offset,left,node,right\n".to_string(),
            Format::Tsv => "doc\toffset\tleft\tnode\tright\n".to_string(),
            Format::Json => "[".to_string(),
            Format::Jsonl => String::new(),
            Format::Html => "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>kalima kwic</title>\n<style>table{border-collapse:collapse;font-family:sans-serif}td,th{padding:2px 6px}td.l{text-align:left}td.r{text-align:right}td.n{font-weight:bold;text-align:center}td.o,td.d{color:#666;font-size:small}</style></head><body>\n<table dir=\"rtl\">\n<thead><tr><th>doc</th><th>offset</th><th>left</th><th>node</th><th>right</th></tr></thead>\n<tbody>\n".to_string(),
            Format::Table => String::new(),
        };
        self.w.write_all(h.as_bytes())?;
        Ok(())
    }

    fn line(&mut self, l: &Line) -> Result<()> {
        let s = match self.format {
            Format::Csv | Format::Tsv => {
                let sep = if self.format == Format::Csv {
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
            Format::Json | Format::Jsonl => {
                let obj = format!(
                    "{{\"doc\":{},\"offset\":{},\"left\":{},\"node\":{},\"right\":{}}}",
                    json(&l.doc),
                    l.offset,
                    json(&l.left),
                    json(&l.node),
                    json(&l.right)
                );
                if self.format == Format::Jsonl {
                    obj + "\n"
                } else if self.rows == 0 {
                    format!("\n{obj}")
                } else {
                    format!(",\n{obj}")
                }
            }
            // In the right-to-left table the preceding context sits right of the node and the
            // following context left of it: align each toward the node.
            Format::Html => format!(
                "<tr><td class=\"d\">{}</td><td class=\"o\">{}</td><td class=\"l\">{}</td><td class=\"n\">{}</td><td class=\"r\">{}</td></tr>\n",
                html(&l.doc),
                l.offset,
                html(&l.left),
                html(&l.node),
                html(&l.right)
            ),
            Format::Table => self.table_line(l),
        };
        self.rows += 1;
        self.w.write_all(s.as_bytes())?;
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
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

    /// Remove the temporary file of a failed run (dropping it does).
    fn abandon(self) {}

    fn finish(mut self) -> Result<()> {
        let tail = match self.format {
            Format::Json => "\n]\n",
            Format::Html => "</tbody>\n</table>\n</body></html>\n",
            _ => "",
        };
        self.w.write_all(tail.as_bytes())?;
        self.w.flush()?;
        if let Dest::File(b) = self.w {
            let f = b.into_inner().map_err(io::IntoInnerError::into_error)?;
            let path = f.target().to_path_buf();
            f.commit()
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

/// Where the lines go: stdout, or a file put in place whole at the end (its temporary file
/// removed on error or interruption).
enum Dest {
    Stdout(BufWriter<io::Stdout>),
    File(BufWriter<kalima_fs::AtomicFile>),
}

impl Write for Dest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Dest::Stdout(w) => w.write(buf),
            Dest::File(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Dest::Stdout(w) => w.write_all(buf),
            Dest::File(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Dest::Stdout(w) => w.flush(),
            Dest::File(w) => w.flush(),
        }
    }
}
