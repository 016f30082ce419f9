//! CSV and TSV with a header row: one row is one document. Lines starting with `#` before the
//! header are skipped (with a note) as comments; TSV has no quoting.
//!
//! Quoting is read strictly (RFC 4180: a field is quoted only when it starts with `"`, and
//! `""` is a quote inside it) because the lenient readers merge rows silently: one stray quote
//! makes the rest of the file, or every row up to the next quote, a single field. Here a bad
//! record is reported with its line and skipped, and reading goes on:
//!
//! - a quoted field never closed (at the end of the file, or after [`MAX_QUOTED_LINES`]
//!   lines), or closed by a quote followed by text (`"a"b`, typically a quote that opened a
//!   later row): the opening quote is taken for a stray one, the record's first line is
//!   skipped, and reading starts again at the next line, so the rows it would have swallowed
//!   are read as rows;
//! - a record with more or fewer fields than the header: skipped whole (its quoting is sound,
//!   so its lines are not read again);
//! - empty lines between records are ignored; a line ends at `\n` or `\r\n`, and inside a
//!   quoted field the line break is kept as written.

use std::collections::VecDeque;
use std::io::{self, BufRead};
use std::sync::Arc;

use crate::decode::TextReader;
use crate::event::{ErrorKind, Source};
use crate::formats::{LineRead, read_raw_line};
use crate::sink::{Ctx, Flow, MAX_RECORD};

/// How many lines a quoted field may span before its opening quote is taken for a stray one
/// (the lines are held in memory to be read again).
pub(crate) const MAX_QUOTED_LINES: usize = 10_000;

/// Skips leading lines that start with `#`; returns how many.
fn skip_comments(tr: &mut TextReader<'_>) -> io::Result<u64> {
    let mut n = 0;
    loop {
        let buf = tr.fill_buf()?;
        if buf.first() != Some(&b'#') {
            return Ok(n);
        }
        n += 1;
        loop {
            let buf = tr.fill_buf()?;
            if buf.is_empty() {
                return Ok(n);
            }
            match memchr::memchr(b'\n', buf) {
                Some(i) => {
                    tr.consume(i + 1);
                    break;
                }
                None => {
                    let len = buf.len();
                    tr.consume(len);
                }
            }
        }
    }
}

/// One physical line of the text.
struct Line {
    /// 1-based line number in the file.
    no: u64,
    /// Byte offset of its start in the decoded text.
    offset: u64,
    /// Its bytes without the `\n` (a `\r` before it is kept: inside a quoted field it is text).
    text: Vec<u8>,
    /// Longer than [`MAX_RECORD`]: not held.
    too_long: bool,
}

/// Where the scanner is within a record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of the field, or the first of `""`.
    QuoteSeen,
}

/// How a line ended for the scanner.
enum LineEnd {
    /// The record ends here.
    Record,
    /// Inside a quoted field: the record goes on on the next line.
    Open,
    /// Text after the closing quote of a field.
    AfterQuote,
}

/// The outcome of [`Rows::record`].
enum Parsed {
    /// A record of `lines` lines; its fields are [`Rows::field`]s.
    Record { lines: usize },
    /// A quoted field opened at line `open` is not closed by the end of the file
    /// (`limit == false`) or within [`MAX_QUOTED_LINES`] lines or [`MAX_RECORD`] bytes.
    Unclosed { open: u64, limit: bool },
    /// Text follows the quote that closes the field opened at line `open`, on line `at`.
    AfterQuote { open: u64, at: u64 },
    /// Line `at` is longer than [`MAX_RECORD`].
    TooLong { at: u64 },
    /// No more records.
    End,
}

/// Splits decoded text into records, keeping the lines of an unfinished record so that they
/// can be read again after a stray quote.
struct Rows {
    delimiter: u8,
    quoting: bool,
    pending: VecDeque<Line>,
    next_no: u64,
    eof: bool,
    spare: Vec<Vec<u8>>,
    /// The fields of the record being scanned, one after the other (one buffer for all, as
    /// in `csv::StringRecord`: no allocation per field).
    field: Vec<u8>,
    /// Where each field ends in `field`, then in `record`.
    ends: Vec<usize>,
    /// The last record read, checked once as UTF-8.
    record: String,
    /// Line of the last opening quote.
    open: u64,
}

impl Rows {
    fn new(delimiter: u8) -> Self {
        Rows {
            delimiter,
            quoting: delimiter != b'\t',
            pending: VecDeque::new(),
            next_no: 1,
            eof: false,
            spare: Vec::new(),
            field: Vec::new(),
            ends: Vec::new(),
            record: String::new(),
            open: 0,
        }
    }

    /// Makes sure line `k` of the pending ones is read; false at the end of the text.
    fn fill(&mut self, tr: &mut TextReader<'_>, k: usize) -> io::Result<bool> {
        while self.pending.len() <= k {
            if self.eof {
                return Ok(false);
            }
            let offset = tr.offset();
            let mut text = self.spare.pop().unwrap_or_default();
            match read_raw_line(tr, &mut text, MAX_RECORD)? {
                LineRead::Eof => {
                    self.eof = true;
                    self.spare.push(text);
                    return Ok(false);
                }
                r => {
                    self.pending.push_back(Line {
                        no: self.next_no,
                        offset,
                        text,
                        too_long: r == LineRead::TooLong,
                    });
                    self.next_no += 1;
                }
            }
        }
        Ok(true)
    }

    /// Drops the first `n` pending lines.
    fn consume(&mut self, n: usize) {
        for _ in 0..n {
            if let Some(l) = self.pending.pop_front()
                && self.spare.len() < 16
            {
                self.spare.push(l.text);
            }
        }
    }

    /// Line number and offset of the first pending line (the record [`Rows::record`] looked
    /// at).
    fn start(&self) -> (u64, u64) {
        self.pending.front().map_or((0, 0), |l| (l.no, l.offset))
    }

    fn end_field(&mut self) {
        self.ends.push(self.field.len());
    }

    /// The number of fields of the last record.
    fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i` of the last record.
    fn field(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        // Fields are split at ASCII bytes only: character boundaries.
        self.record.get(start..self.ends[i]).unwrap_or_default()
    }

    /// Moves the scanned bytes into `record` once the record is complete.
    fn seal(&mut self) {
        let bytes = std::mem::take(&mut self.field);
        self.record = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }

    /// Scans line `no`, going on from `state`.
    fn scan(&mut self, line: &[u8], no: u64, state: &mut State) -> LineEnd {
        let mut i = 0;
        loop {
            match *state {
                State::FieldStart => {
                    if self.quoting && line.get(i) == Some(&b'"') {
                        *state = State::Quoted;
                        self.open = no;
                        i += 1;
                    } else {
                        *state = State::Unquoted;
                    }
                }
                State::Unquoted => match memchr::memchr(self.delimiter, &line[i..]) {
                    Some(k) => {
                        self.field.extend_from_slice(&line[i..i + k]);
                        self.end_field();
                        i += k + 1;
                        *state = State::FieldStart;
                    }
                    None => {
                        self.field.extend_from_slice(&line[i..]);
                        return LineEnd::Record;
                    }
                },
                State::Quoted => match memchr::memchr(b'"', &line[i..]) {
                    Some(k) => {
                        self.field.extend_from_slice(&line[i..i + k]);
                        i += k + 1;
                        *state = State::QuoteSeen;
                    }
                    None => {
                        self.field.extend_from_slice(&line[i..]);
                        return LineEnd::Open;
                    }
                },
                State::QuoteSeen => match line.get(i) {
                    None => return LineEnd::Record,
                    Some(b'"') => {
                        self.field.push(b'"');
                        i += 1;
                        *state = State::Quoted;
                    }
                    Some(&c) if c == self.delimiter => {
                        self.end_field();
                        i += 1;
                        *state = State::FieldStart;
                    }
                    Some(_) => return LineEnd::AfterQuote,
                },
            }
        }
    }

    /// Parses the next record from the pending lines (reading more as needed); consumes
    /// nothing but empty lines before it.
    fn record(&mut self, tr: &mut TextReader<'_>) -> io::Result<Parsed> {
        loop {
            if !self.fill(tr, 0)? {
                return Ok(Parsed::End);
            }
            let l = &self.pending[0];
            if l.too_long || !matches!(l.text[..], [] | [b'\r']) {
                break;
            }
            self.consume(1);
        }
        let mut reuse = std::mem::take(&mut self.record).into_bytes();
        reuse.clear();
        self.field = reuse;
        self.ends.clear();
        let mut state = State::FieldStart;
        let mut k = 0;
        loop {
            if !self.fill(tr, k)? {
                let open = self.open;
                return Ok(Parsed::Unclosed { open, limit: false });
            }
            let line = std::mem::take(&mut self.pending[k].text);
            let (no, too_long) = (self.pending[k].no, self.pending[k].too_long);
            if too_long {
                self.pending[k].text = line;
                return Ok(Parsed::TooLong { at: no });
            }
            let body = line.strip_suffix(b"\r").unwrap_or(&line);
            let end = self.scan(body, no, &mut state);
            if matches!(end, LineEnd::Open) {
                // The line break is part of the quoted field, as written.
                self.field.extend_from_slice(&line[body.len()..]);
                self.field.push(b'\n');
            }
            self.pending[k].text = line;
            let open = self.open;
            match end {
                LineEnd::Record => {
                    self.end_field();
                    self.seal();
                    return Ok(Parsed::Record { lines: k + 1 });
                }
                LineEnd::AfterQuote => return Ok(Parsed::AfterQuote { open, at: no }),
                LineEnd::Open => {
                    if k + 1 >= MAX_QUOTED_LINES || self.field.len() > MAX_RECORD {
                        return Ok(Parsed::Unclosed { open, limit: true });
                    }
                    k += 1;
                }
            }
        }
    }
}

/// Reads CSV (`delimiter == b','`) or TSV (`b'\t'`) rows from `tr`.
pub(crate) fn read(
    ctx: &mut Ctx,
    source: &Arc<Source>,
    tr: &mut TextReader<'_>,
    delimiter: u8,
) -> Flow {
    // The delimiter may change after a look at the header.
    let path = source.path.as_str();
    let format = source.format;
    let comments = match skip_comments(tr) {
        Ok(n) => n,
        Err(e) => {
            let at = tr.dec.bytes_read();
            return ctx.read_failed(path, Some(at), &e);
        }
    };
    if comments > 0 {
        ctx.note(
            path,
            format!("skipped {comments} comment line(s) starting with '#' before the header"),
        )?;
    }
    let mut delimiter = delimiter;
    if delimiter == b',' {
        let head = match tr.fill_buf() {
            Ok(b) => b,
            Err(e) => {
                let at = tr.dec.bytes_read();
                return ctx.read_failed(path, Some(at), &e);
            }
        };
        let first = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
        if first.contains(&b'\t') && !first.contains(&b',') {
            delimiter = b'\t';
            ctx.note(path, "the header row has tabs and no commas: read as TSV")?;
        }
    }
    let mut rows = Rows::new(delimiter);
    // Comment lines come before the first line the scanner numbers.
    rows.next_no += comments;
    let malformed = |message: String| ErrorKind::Malformed { format, message };
    let headers = match rows.record(tr) {
        Ok(Parsed::End) => return Ok(()),
        Ok(Parsed::Record { lines }) => {
            rows.consume(lines);
            (0..rows.len())
                .map(|i| rows.field(i).to_string())
                .collect::<Vec<_>>()
        }
        Ok(bad) => {
            let (line, offset) = rows.start();
            let msg = format!("header row (line {line}): {}; file skipped", explain(&bad));
            return ctx.fail(path, Some(offset), None, malformed(msg));
        }
        Err(e) => return ctx.read_failed(path, Some(tr.dec.bytes_read()), &e),
    };
    let norm = |s: &str| s.trim().trim_start_matches('#').trim().to_lowercase();
    let wanted: Vec<String> = match &ctx.opts.column {
        Some(c) => vec![c.clone()],
        None => vec!["text".into(), "content".into()],
    };
    let idx = wanted.iter().find_map(|w| {
        headers
            .iter()
            .position(|h| h == w)
            .or_else(|| headers.iter().position(|h| norm(h) == norm(w)))
    });
    let Some(idx) = idx else {
        let names: Vec<String> = wanted.iter().map(|w| format!("{w:?}")).collect();
        let msg = format!(
            "no column named {} (columns: {}); file skipped",
            names.join(" or "),
            headers.join(", ")
        );
        return ctx.fail(path, None, None, ErrorKind::Other(msg));
    };
    let mut row = 0u64;
    loop {
        let parsed = match rows.record(tr) {
            Ok(p) => p,
            Err(e) => return ctx.read_failed(path, Some(tr.dec.bytes_read()), &e),
        };
        let (line, offset) = rows.start();
        match parsed {
            Parsed::End => return Ok(()),
            Parsed::Record { lines } => {
                rows.consume(lines);
                row += 1;
                if rows.len() != headers.len() {
                    let msg = format!(
                        "line {line}: {} field(s), the header has {}; row skipped",
                        rows.len(),
                        headers.len()
                    );
                    ctx.fail(path, Some(offset), Some(row), malformed(msg))?;
                    continue;
                }
                let meta = if ctx.opts.keep_meta {
                    headers
                        .iter()
                        .zip((0..rows.len()).map(|i| rows.field(i)))
                        .enumerate()
                        .filter(|(i, _)| *i != idx)
                        .map(|(_, (h, v))| (h.clone(), v.to_string()))
                        .collect()
                } else {
                    Vec::new()
                };
                let text = rows.field(idx).to_string();
                ctx.single(source, text, Some(format!("row {row}")), meta)?;
            }
            bad => {
                row += 1;
                // Only the first line is dropped: the lines after it may be the rows a stray
                // quote would swallow, and are read again as records.
                rows.consume(1);
                let msg = format!(
                    "line {line}: {}; line {line} skipped, reading resumed at line {}",
                    explain(&bad),
                    line + 1
                );
                ctx.fail(path, Some(offset), Some(row), malformed(msg))?;
            }
        }
    }
}

/// What is wrong with a record that [`Rows::record`] could not read.
fn explain(p: &Parsed) -> String {
    match p {
        Parsed::Unclosed { open, limit: false } => {
            format!("the quote opened at line {open} is never closed")
        }
        Parsed::Unclosed { open, limit: true } => format!(
            "the quote opened at line {open} is still open after {MAX_QUOTED_LINES} lines or {} MiB",
            MAX_RECORD >> 20
        ),
        Parsed::AfterQuote { open, at } if open == at => {
            format!("text after the closing quote of a field on line {at} (a stray quote?)")
        }
        Parsed::AfterQuote { open, at } => format!(
            "the quote opened at line {open} closes on line {at} followed by text \
             (a stray quote that swallowed the lines between?)"
        ),
        Parsed::TooLong { at } => format!("line {at} is longer than {} MiB", MAX_RECORD >> 20),
        Parsed::Record { .. } | Parsed::End => String::new(),
    }
}
