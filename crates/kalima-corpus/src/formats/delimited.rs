//! CSV and TSV with a header row: one row is one document. Lines starting with `#` before the
//! header are skipped (with a note) as comments; TSV has no quoting.

use std::io::{self, BufRead};
use std::sync::Arc;

use crate::decode::TextReader;
use crate::event::{ErrorKind, Source};
use crate::sink::{Ctx, Flow};

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
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(delimiter != b'\t')
        .flexible(true)
        .has_headers(true)
        .buffer_capacity(64 * 1024)
        .from_reader(&mut *tr);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return csv_error(ctx, path, format, None, e),
    };
    if headers.is_empty() {
        return Ok(());
    }
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
        let available: Vec<&str> = headers.iter().collect();
        let msg = format!(
            "no column named {} (columns: {}); file skipped",
            names.join(" or "),
            available.join(", ")
        );
        return ctx.fail(path, None, None, ErrorKind::Other(msg));
    };
    let column = headers.get(idx).unwrap_or_default().to_string();
    let mut rec = csv::StringRecord::new();
    let mut row = 0u64;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                row += 1;
                let Some(text) = rec.get(idx) else {
                    let msg = format!("row has {} field(s), no column {column:?}", rec.len());
                    let at = rec.position().map(|p| p.byte());
                    let kind = ErrorKind::Malformed {
                        format,
                        message: msg,
                    };
                    ctx.fail(path, at, Some(row), kind)?;
                    continue;
                };
                let meta = if ctx.opts.keep_meta {
                    headers
                        .iter()
                        .zip(rec.iter())
                        .enumerate()
                        .filter(|(i, _)| *i != idx)
                        .map(|(_, (h, v))| (h.to_string(), v.to_string()))
                        .collect()
                } else {
                    Vec::new()
                };
                ctx.single(source, text.to_string(), Some(format!("row {row}")), meta)?;
            }
            Err(e) => {
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return csv_error(ctx, path, format, Some(row + 1), e);
                }
                row += 1;
                csv_error(ctx, path, format, Some(row), e)?;
            }
        }
    }
}

fn csv_error(
    ctx: &mut Ctx,
    path: &str,
    format: crate::options::Format,
    row: Option<u64>,
    e: csv::Error,
) -> Flow {
    let at = e.position().map(|p| p.byte());
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(io) => ctx.read_failed(path, at, &io),
        _ => ctx.fail(path, at, row, ErrorKind::Malformed { format, message }),
    }
}
