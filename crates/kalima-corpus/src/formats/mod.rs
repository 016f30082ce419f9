//! One reader per format; each turns decoded text into documents.

pub(crate) mod conllu;
pub(crate) mod delimited;
pub(crate) mod json;
pub(crate) mod text;
pub(crate) mod trec;

use std::io::{self, BufRead};

use crate::decode::TextReader;

/// Outcome of [`read_line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineRead {
    /// A line (without its `\n`) is in the buffer.
    Ready,
    /// A line longer than the limit was skipped.
    TooLong,
    /// No more input.
    Eof,
}

/// Reads the next line into `line` (cleared first, `\n` and a final `\r` removed), skipping
/// lines longer than `max` bytes without holding them.
pub(crate) fn read_line(
    tr: &mut TextReader<'_>,
    line: &mut Vec<u8>,
    max: usize,
) -> io::Result<LineRead> {
    let r = read_raw_line(tr, line, max)?;
    if r == LineRead::Ready && line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(r)
}

/// Reads the next line into `line` (cleared first) without its `\n` but with any `\r` kept
/// (CSV keeps `\r\n` inside quoted fields as written), skipping lines longer than `max` bytes
/// without holding them.
pub(crate) fn read_raw_line(
    tr: &mut TextReader<'_>,
    line: &mut Vec<u8>,
    max: usize,
) -> io::Result<LineRead> {
    line.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let buf = tr.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (piece, used, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        if !too_long {
            if line.len() + piece.len() > max {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(piece);
            }
        }
        tr.consume(used);
        if done {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => LineRead::Eof,
        (true, true) => LineRead::TooLong,
        (true, false) => LineRead::Ready,
    })
}
