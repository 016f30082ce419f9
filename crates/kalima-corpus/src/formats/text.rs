//! Plain text: one input is one document, streamed in chunks of about `chunk_size` bytes.

use std::sync::Arc;

use memchr::{memrchr, memrchr3};

use crate::decode::{Fill, TextReader, ensure_room};
use crate::event::Source;
use crate::sink::{Ctx, DocWriter, Flow};

/// Where to cut `s` to get a chunk of at most `limit` bytes: after the last `'\n'` in reach,
/// else after the last space/tab/CR, else at the last character boundary (at least one
/// character). Returns the cut and whether it is a line end.
pub(crate) fn find_cut(s: &str, limit: usize) -> (usize, bool) {
    let b = s.as_bytes();
    let window = &b[..limit.min(b.len())];
    if let Some(p) = memrchr(b'\n', window) {
        return (p + 1, true);
    }
    if let Some(p) = memrchr3(b' ', b'\t', b'\r', window) {
        return (p + 1, false);
    }
    let mut cut = window.len();
    while cut > 0 && !s.is_char_boundary(cut) {
        cut -= 1;
    }
    if cut == 0 {
        cut = 1;
        while cut < b.len() && !s.is_char_boundary(cut) {
            cut += 1;
        }
    }
    (cut.min(b.len()), false)
}

/// Reads the rest of `tr` as one document.
pub(crate) fn read(ctx: &mut Ctx, source: &Arc<Source>, tr: &mut TextReader<'_>) -> Flow {
    let chunk_size = ctx.opts.chunk_size;
    let mut w = DocWriter::new(source.clone(), None, Vec::new());
    let mut pending = tr.take_buffered();
    let mut failure = None;
    loop {
        let mut start = 0;
        while pending.len() - start >= chunk_size {
            let (cut, ends_line) = find_cut(&pending[start..], chunk_size);
            w.push(ctx, pending[start..start + cut].to_owned(), ends_line)?;
            start += cut;
        }
        if start > 0 {
            pending.drain(..start);
        }
        if tr.dec.is_finished() {
            break;
        }
        ensure_room(&mut pending, chunk_size.saturating_add(64));
        match tr.dec.decode_into(&mut pending) {
            Ok(Fill::Full) => {}
            Ok(Fill::End) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    if !pending.is_empty() {
        w.push(ctx, pending.as_str().to_owned(), true)?;
    }
    ctx.put_text(pending);
    match failure {
        None => w.finish(ctx),
        Some(e) => {
            if !w.is_empty() {
                w.finish(ctx)?;
            }
            let at = tr.dec.bytes_read();
            ctx.read_failed(&source.path, Some(at), &e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts() {
        assert_eq!(find_cut("ab\ncd ef", 8), (3, true));
        assert_eq!(find_cut("ab cd\nef", 4), (3, false));
        assert_eq!(find_cut("abcdef", 4), (4, false));
        // Never inside a character: "ع" is 2 bytes.
        assert_eq!(find_cut("ععع", 3), (2, false));
        // A limit smaller than the first character still makes progress.
        assert_eq!(find_cut("ععع", 1), (2, false));
        assert_eq!(find_cut("😀x", 2), (4, false));
    }
}
