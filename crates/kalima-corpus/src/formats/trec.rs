//! TREC-style `<DOC>…</DOC>` blocks: one block is one document.
//!
//! Real files are not always well-formed XML (bare `&` or `<` in the text), so this is a
//! lenient scanner, not an XML parser: inside a block every `<TAG>…</TAG>` pair at the top
//! level is a field; its raw bytes are trimmed, then the five XML entities and numeric
//! character references are unescaped (a `<![CDATA[…]]>` section is taken as is).

use std::borrow::Cow;
use std::io::BufRead;
use std::sync::Arc;

use memchr::memmem;

use crate::decode::TextReader;
use crate::event::{ErrorKind, Source};
use crate::options::Format;
use crate::sink::{Ctx, Flow, MAX_RECORD};

/// The text starts (after whitespace) with a `<DOC>` (or `<DOC …>`) tag.
pub(crate) fn starts_with_doc(text: &[u8]) -> bool {
    let t = text.trim_ascii_start();
    t.starts_with(b"<DOC") && matches!(t.get(4), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n'))
}

/// The text holds a `<DOC>` (or `<DOC …>`) tag somewhere (for `.xml`/`.sgml` files, which may
/// wrap the blocks in a root element).
pub(crate) fn contains_doc(text: &[u8]) -> bool {
    matches!(
        find_open(&memmem::Finder::new(b"<DOC"), text, 0, true),
        Open::Found(_)
    )
}

/// Where the next `<DOC` tag starts, searching from `from`.
enum Open {
    Found(usize),
    /// Maybe one at this position; the next byte is not read yet.
    NeedMore(usize),
    None,
}

fn find_open(finder: &memmem::Finder<'_>, block: &[u8], from: usize, eof: bool) -> Open {
    let mut at = from;
    while let Some(k) = finder.find(&block[at..]) {
        let i = at + k;
        match block.get(i + 4) {
            None if eof => return Open::None,
            None => return Open::NeedMore(i),
            Some(b'>' | b' ' | b'\t' | b'\r' | b'\n') => return Open::Found(i),
            Some(_) => at = i + 4,
        }
    }
    Open::None
}

/// Per-file state.
struct State {
    source: Arc<Source>,
    record: u64,
    missing: u64,
    junk_at: Option<u64>,
}

/// The largest character boundary of `s` at or before `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Reads `<DOC>` blocks from `tr`.
pub(crate) fn read(ctx: &mut Ctx, source: &Arc<Source>, tr: &mut TextReader<'_>) -> Flow {
    let open = memmem::Finder::new(b"<DOC");
    let close = memmem::Finder::new(b"</DOC>");
    let mut block = ctx.take_text();
    let mut st = State {
        source: source.clone(),
        record: 0,
        missing: 0,
        junk_at: None,
    };
    // block[base..] is not processed yet; block[0] is at `block_offset` in the text.
    let mut base = 0usize;
    let mut block_offset = 0u64;
    // For messages that name a line: `line_no` is the line of `block[counted_to]`; counting
    // only moves forward, so the whole text is counted once.
    let mut line_no = 1u64;
    let mut counted_to = 0usize;
    let mut search_from = 0usize;
    let mut in_doc = false;
    let mut skipping = false;
    let mut eof = false;
    let mut failure = None;
    let flow = loop {
        // Take out every complete block.
        let step: Flow = (|| {
            loop {
                let bytes = block.as_bytes();
                if !in_doc {
                    let (junk_end, found) = match find_open(&open, bytes, search_from, eof) {
                        Open::Found(i) => (i, true),
                        Open::NeedMore(i) => (i, false),
                        Open::None if eof => (bytes.len(), false),
                        Open::None => (
                            floor_boundary(&block, bytes.len().saturating_sub(3)).max(base),
                            false,
                        ),
                    };
                    if st.junk_at.is_none()
                        && let Some(p) = bytes[base..junk_end]
                            .iter()
                            .position(|b| !b.is_ascii_whitespace())
                    {
                        st.junk_at = Some(block_offset + (base + p) as u64);
                    }
                    base = junk_end;
                    search_from = junk_end;
                    if !found {
                        return Ok(());
                    }
                    in_doc = true;
                    st.record += 1;
                    search_from = base + 4;
                } else {
                    match close.find(&bytes[search_from..]) {
                        Some(k) => {
                            let end = search_from + k + 6;
                            if !skipping {
                                let at = block_offset + base as u64;
                                line_no += newlines(&bytes[counted_to..base]);
                                counted_to = base;
                                doc(ctx, &mut st, &block[base..end], at, line_no)?;
                            }
                            skipping = false;
                            in_doc = false;
                            base = end;
                            search_from = end;
                        }
                        None if eof => {
                            let at = block_offset + base as u64;
                            if !skipping {
                                let msg = "<DOC> not closed at the end of the file".to_string();
                                let kind = ErrorKind::Malformed {
                                    format: Format::Trec,
                                    message: msg,
                                };
                                ctx.fail(&st.source.path, Some(at), Some(st.record), kind)?;
                                line_no += newlines(&bytes[counted_to..base]);
                                counted_to = base;
                                doc(ctx, &mut st, &block[base..], at, line_no)?;
                            }
                            base = block.len();
                            in_doc = false;
                            return Ok(());
                        }
                        None => {
                            search_from = bytes.len().saturating_sub(5).max(base + 4);
                            if !skipping && bytes.len() - base > MAX_RECORD {
                                let at = block_offset + base as u64;
                                let msg =
                                    format!("<DOC> larger than {} MiB skipped", MAX_RECORD >> 20);
                                ctx.fail(
                                    &st.source.path,
                                    Some(at),
                                    Some(st.record),
                                    ErrorKind::Other(msg),
                                )?;
                                skipping = true;
                            }
                            if skipping {
                                // Keep only what a split "</DOC>" needs.
                                base = floor_boundary(&block, search_from);
                            }
                            return Ok(());
                        }
                    }
                }
            }
        })();
        if step.is_err() || eof {
            break step;
        }
        line_no += newlines(&block.as_bytes()[counted_to..base]);
        counted_to = 0;
        block.drain(..base);
        block_offset += base as u64;
        search_from -= base;
        base = 0;
        match tr.fill_str() {
            Ok("") => eof = true,
            Ok(piece) => {
                block.push_str(piece);
                let n = piece.len();
                tr.consume(n);
            }
            Err(e) => {
                failure = Some(e);
                break Ok(());
            }
        }
    };
    ctx.put_text(block);
    flow?;
    if let Some(e) = failure {
        let at = tr.dec.bytes_read();
        return ctx.read_failed(&source.path, Some(at), &e);
    }
    let path = &source.path;
    if st.record == 0 {
        if st.junk_at.is_some() {
            let msg = "no <DOC> element found".to_string();
            ctx.fail(
                path,
                None,
                None,
                ErrorKind::Malformed {
                    format: Format::Trec,
                    message: msg,
                },
            )?;
        }
    } else if let Some(at) = st.junk_at {
        ctx.note(
            path,
            format!("ignored text outside <DOC> elements (first at byte {at})"),
        )?;
    }
    if st.missing > 1 {
        let msg = format!(
            "{} more <DOC> elements without <{}> skipped",
            st.missing - 1,
            field_name(ctx)
        );
        ctx.fail(path, None, None, ErrorKind::Other(msg))?;
    }
    Ok(())
}

fn field_name(ctx: &Ctx) -> &str {
    ctx.opts.field.as_deref().unwrap_or("TEXT")
}

fn newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// Where an opening `<name>` (or `<name …>`) tag starts in `s`, the name matched ignoring case.
fn find_open_tag(s: &str, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let n = name.len();
    memchr::memchr_iter(b'<', b).find(|&i| {
        b.get(i + 1..i + 1 + n)
            .is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes()))
            && matches!(b.get(i + 1 + n), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n'))
    })
}

/// Sends the document of one block (`<DOC…>…</DOC>`, the end tag possibly missing) that
/// starts at byte `at` and line `line` of the text.
fn doc(ctx: &mut Ctx, st: &mut State, block: &str, at: u64, line: u64) -> Flow {
    let start = memchr::memchr(b'>', block.as_bytes()).map_or(block.len(), |i| i + 1);
    let end = if block.ends_with("</DOC>") {
        block.len() - 6
    } else {
        block.len()
    };
    let inner = &block[start.min(end)..end];
    let fields = fields(inner);
    let want = field_name(ctx);
    let mut text: Option<String> = None;
    let mut name = None;
    let mut meta = Vec::new();
    for (tag, raw) in &fields {
        if tag.eq_ignore_ascii_case(want) {
            let v = value(raw);
            match &mut text {
                None => text = Some(v.into_owned()),
                Some(t) => {
                    t.push('\n');
                    t.push_str(&v);
                }
            }
        } else if ctx.opts.keep_meta || tag.eq_ignore_ascii_case("DOCNO") {
            let v = value(raw).into_owned();
            if name.is_none() && tag.eq_ignore_ascii_case("DOCNO") {
                name = Some(v.clone());
            }
            if ctx.opts.keep_meta {
                meta.push((tag.to_string(), v));
            }
        }
    }
    let Some(text) = text else {
        if let Some(open) = find_open_tag(inner, want) {
            // Not "missing": the element is there, its end tag is not.
            let open_line = line + newlines(&block.as_bytes()[..start.min(end) + open]);
            let msg =
                format!("<{want}> opened at line {open_line} is never closed; document skipped");
            let kind = ErrorKind::Malformed {
                format: Format::Trec,
                message: msg,
            };
            return ctx.fail(&st.source.path, Some(at), Some(st.record), kind);
        }
        st.missing += 1;
        if st.missing > 1 {
            return Ok(());
        }
        let tags: Vec<&str> = fields.iter().map(|(t, _)| *t).collect();
        let msg = format!(
            "no <{}> element (elements: {}); such documents are skipped",
            field_name(ctx),
            tags.join(", ")
        );
        return ctx.fail(
            &st.source.path,
            Some(at),
            Some(st.record),
            ErrorKind::Other(msg),
        );
    };
    ctx.single(&st.source, text, name, meta)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':')
}

/// The top-level `<TAG>…</TAG>` pairs of a block's inside, in order.
fn fields(inner: &str) -> Vec<(&str, &str)> {
    let bytes = inner.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(k) = memchr::memchr(b'<', &bytes[pos..]) {
        let lt = pos + k;
        pos = lt + 1;
        let name_start = lt + 1;
        let mut j = name_start;
        while j < bytes.len() && is_name_byte(bytes[j]) {
            j += 1;
        }
        if j == name_start || j >= bytes.len() {
            continue;
        }
        let name = &inner[name_start..j];
        let gt = match bytes[j] {
            b'>' => j,
            b' ' | b'\t' | b'\r' | b'\n' => match memchr::memchr(b'>', &bytes[j..]) {
                Some(g) => j + g,
                None => continue,
            },
            b'/' if bytes.get(j + 1) == Some(&b'>') => {
                out.push((name, ""));
                pos = j + 2;
                continue;
            }
            _ => continue,
        };
        if bytes[gt - 1] == b'/' {
            out.push((name, ""));
            pos = gt + 1;
            continue;
        }
        match find_closing(bytes, gt + 1, name.as_bytes()) {
            Some(c) => {
                out.push((name, &inner[gt + 1..c]));
                pos = c + name.len() + 3;
            }
            None => pos = gt + 1,
        }
    }
    out
}

/// The position of `</name>` at or after `from`.
fn find_closing(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut q = from;
    while let Some(k) = memchr::memchr(b'<', &bytes[q..]) {
        let at = q + k;
        let rest = &bytes[at + 1..];
        if rest.first() == Some(&b'/')
            && rest[1..].starts_with(name)
            && rest.get(1 + name.len()) == Some(&b'>')
        {
            return Some(at);
        }
        q = at + 1;
    }
    None
}

/// A field's text: trimmed, CDATA taken as is, else entities unescaped.
fn value(raw: &str) -> Cow<'_, str> {
    let s = raw.trim();
    if let Some(inner) = s
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        return Cow::Borrowed(inner);
    }
    unescape(s)
}

/// Replaces `&amp; &lt; &gt; &quot; &apos;` and `&#N;`/`&#xH;`; anything else stays as is.
pub(crate) fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let b = rest.as_bytes();
        let semi = b[..b.len().min(12)].iter().position(|&c| c == b';');
        if let Some(semi) = semi {
            let ent = &rest[1..semi];
            let ch = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    if let Some(h) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                        u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
                    } else if let Some(d) = ent.strip_prefix('#') {
                        d.parse::<u32>().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            if let Some(c) = ch {
                out.push(c);
                rest = &rest[semi + 1..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescaping() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &quot;&apos;"),
            "a & b <c> \"'"
        );
        assert_eq!(unescape("&#1575;&#x644;"), "ال");
        assert_eq!(
            unescape("AT&T & co; &nbsp; &#xZZ; &"),
            "AT&T & co; &nbsp; &#xZZ; &"
        );
        assert_eq!(unescape("no entities"), "no entities");
    }

    #[test]
    fn lenient_fields() {
        let inner =
            "\n<DOCNO>X-1</DOCNO>\n<AUTHOR></AUTHOR><EMPTY/>\n<TEXT>\na < b && c\n</TEXT>\n";
        let f = fields(inner);
        let names: Vec<&str> = f.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, vec!["DOCNO", "AUTHOR", "EMPTY", "TEXT"]);
        assert_eq!(value(f[3].1), "a < b && c");
        assert_eq!(value(" <![CDATA[x &amp; y]]> "), "x &amp; y");
    }

    #[test]
    fn doc_detection() {
        assert!(starts_with_doc(b"  \n<DOC>\n"));
        assert!(starts_with_doc(b"<DOC id=\"1\">"));
        assert!(!starts_with_doc(b"<DOCNO>"));
        assert!(!starts_with_doc(b"text <DOC>"));
    }
}
