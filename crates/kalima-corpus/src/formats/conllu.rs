//! CoNLL-U: one document per `# newdoc` (or one per file when there is none); each sentence is
//! one line of the document's text, from its `# text = ` comment or its FORM column (multiword
//! ranges `N-M` and empty nodes `N.M` left out) joined by spaces.

use std::sync::Arc;

use super::{LineRead, read_line};
use crate::decode::TextReader;
use crate::event::{ErrorKind, Source};
use crate::options::Format;
use crate::sink::{Ctx, DocWriter, Flow, MAX_RECORD};

struct Doc {
    id: Option<String>,
    w: DocWriter,
    text: String,
    /// Opened by the start of the file, not by `# newdoc`.
    implicit: bool,
}

impl Doc {
    fn new(source: &Arc<Source>, name: Option<String>, implicit: bool) -> Self {
        Doc {
            id: name.clone(),
            w: DocWriter::new(source.clone(), name, Vec::new()),
            text: String::new(),
            implicit,
        }
    }

    fn add_line(&mut self, ctx: &mut Ctx, line: &str) -> Flow {
        self.text.push_str(line);
        self.text.push('\n');
        if self.text.len() >= ctx.opts.chunk_size {
            let t = std::mem::take(&mut self.text);
            self.w.push(ctx, t, true)?;
        }
        Ok(())
    }

    /// Ends the document; `drop_if_empty`: an implicit document with nothing in it vanishes.
    fn close(mut self, ctx: &mut Ctx, drop_if_empty: bool) -> Flow {
        if !self.text.is_empty() {
            let t = std::mem::take(&mut self.text);
            self.w.push(ctx, t, true)?;
        }
        if drop_if_empty && self.implicit && self.w.is_empty() {
            return Ok(());
        }
        self.w.finish(ctx)
    }
}

#[derive(Default)]
struct Sentence {
    text: Option<String>,
    forms: String,
    tokens: usize,
}

/// Reads CoNLL-U from `tr`.
pub(crate) fn read(ctx: &mut Ctx, source: &Arc<Source>, tr: &mut TextReader<'_>) -> Flow {
    let mut line = ctx.take_bytes();
    let mut doc = Doc::new(source, None, true);
    let mut sent = Sentence::default();
    let mut missing_text = 0u64;
    let mut line_no = 0u64;
    let mut failure = None;
    let use_form = ctx.opts.conllu_form;
    let flush = |ctx: &mut Ctx, doc: &mut Doc, sent: &mut Sentence, missing: &mut u64| -> Flow {
        let s = std::mem::take(sent);
        if s.tokens == 0 && s.text.is_none() {
            return Ok(());
        }
        match s.text {
            Some(t) if !use_form => doc.add_line(ctx, &t),
            _ => {
                if !use_form {
                    *missing += 1;
                }
                doc.add_line(ctx, &s.forms)
            }
        }
    };
    loop {
        match read_line(tr, &mut line, MAX_RECORD) {
            Ok(LineRead::Ready) => {}
            Ok(LineRead::Eof) => break,
            Ok(LineRead::TooLong) => {
                line_no += 1;
                let msg = format!("line longer than {} MiB skipped", MAX_RECORD >> 20);
                ctx.fail(&source.path, None, Some(line_no), ErrorKind::Other(msg))?;
                continue;
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
        line_no += 1;
        let l = String::from_utf8_lossy(&line);
        if let Some(comment) = l.strip_prefix('#') {
            let c = comment.trim();
            if c.starts_with("newdoc") {
                flush(ctx, &mut doc, &mut sent, &mut missing_text)?;
                let id = c
                    .split_once('=')
                    .map(|(_, v)| v.trim().to_string())
                    .filter(|v| !v.is_empty());
                // Some treebanks (UD PUD) repeat `# newdoc id` on every sentence of a document.
                if id.is_none() || id != doc.id {
                    let old = std::mem::replace(&mut doc, Doc::new(source, id, false));
                    old.close(ctx, true)?;
                }
            } else if let Some((k, v)) = c.split_once('=')
                && k.trim() == "text"
            {
                sent.text = Some(v.trim().to_string());
            }
        } else if l.trim().is_empty() {
            flush(ctx, &mut doc, &mut sent, &mut missing_text)?;
        } else {
            let mut cols = l.split('\t');
            let id = cols.next().unwrap_or("");
            match cols.next() {
                None => {
                    let msg = "expected tab-separated columns (ID, FORM, …)".to_string();
                    let kind = ErrorKind::Malformed {
                        format: Format::Conllu,
                        message: msg,
                    };
                    ctx.fail(&source.path, None, Some(line_no), kind)?;
                }
                Some(form) => {
                    if !id.contains(['-', '.']) {
                        if !sent.forms.is_empty() {
                            sent.forms.push(' ');
                        }
                        sent.forms.push_str(form);
                        sent.tokens += 1;
                    }
                }
            }
        }
    }
    ctx.put_bytes(line);
    flush(ctx, &mut doc, &mut sent, &mut missing_text)?;
    if failure.is_none() || !doc.w.is_empty() || !doc.text.is_empty() {
        doc.close(ctx, false)?;
    }
    if let Some(e) = failure {
        let at = tr.dec.bytes_read();
        return ctx.read_failed(&source.path, Some(at), &e);
    }
    if missing_text > 0 {
        ctx.note(
            &source.path,
            format!("{missing_text} sentence(s) without a `# text =` line: used the FORM column"),
        )?;
    }
    Ok(())
}
