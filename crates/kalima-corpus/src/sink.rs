//! The reader thread's side of the stream: sending events, numbering documents, and the
//! per-thread context with reusable buffers.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::mpsc::SyncSender;

use crate::event::{Chunk, ErrorKind, Event, InputError, Note, Source};
use crate::options::ReadOptions;

/// The consumer dropped the [`Corpus`](crate::Corpus): stop reading.
#[derive(Debug)]
pub(crate) struct Stop;

/// Result of everything that sends events.
pub(crate) type Flow = Result<(), Stop>;

/// Size of a raw read block.
pub(crate) const RAW_BLOCK: usize = 256 * 1024;
/// Size of a decoded-text buffer for record formats.
pub(crate) const TEXT_BLOCK: usize = 256 * 1024;
/// Largest record (JSON value, TREC `<DOC>`, CoNLL-U line) held in memory.
pub(crate) const MAX_RECORD: usize = 256 * 1024 * 1024;

/// Events per batch sent through the channel (fewer wake-ups for small records).
const BATCH_EVENTS: usize = 64;
/// Text bytes after which a batch is sent at once.
const BATCH_BYTES: usize = 1 << 20;

/// Sends events in batches and hands out document numbers.
pub(crate) struct Sink {
    tx: SyncSender<Vec<Event>>,
    batch: Vec<Event>,
    batch_bytes: usize,
    next_doc: u64,
}

impl Sink {
    pub(crate) fn new(tx: SyncSender<Vec<Event>>) -> Self {
        Sink {
            tx,
            batch: Vec::with_capacity(BATCH_EVENTS),
            batch_bytes: 0,
            next_doc: 0,
        }
    }

    pub(crate) fn send(&mut self, event: Event) -> Flow {
        if let Event::Chunk(c) = &event {
            self.batch_bytes += c.text.len();
        }
        self.batch.push(event);
        if self.batch.len() >= BATCH_EVENTS || self.batch_bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends the events gathered so far.
    pub(crate) fn flush(&mut self) -> Flow {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_EVENTS));
        self.batch_bytes = 0;
        self.tx.send(batch).map_err(|_| Stop)
    }
}

/// Everything the reader thread carries from input to input.
pub(crate) struct Ctx {
    pub(crate) sink: Sink,
    pub(crate) opts: ReadOptions,
    /// Set by a decompressing reader when its stream broke; the code that created that reader
    /// reports it, everything between only unwinds quietly.
    pub(crate) stream_failed: Rc<Cell<bool>>,
    raw_pool: Vec<Vec<u8>>,
    text_pool: Vec<String>,
    byte_pool: Vec<Vec<u8>>,
}

impl Ctx {
    pub(crate) fn new(sink: Sink, mut opts: ReadOptions) -> Self {
        if opts.chunk_size == 0 {
            opts.chunk_size = crate::options::DEFAULT_CHUNK_SIZE;
        }
        Ctx {
            sink,
            opts,
            stream_failed: Rc::new(Cell::new(false)),
            raw_pool: Vec::new(),
            text_pool: Vec::new(),
            byte_pool: Vec::new(),
        }
    }

    pub(crate) fn note(&mut self, path: &str, message: impl Into<String>) -> Flow {
        self.sink.send(Event::Note(Note {
            path: path.to_string(),
            message: message.into(),
        }))
    }

    pub(crate) fn error(&mut self, error: InputError) -> Flow {
        self.sink.send(Event::Error(error))
    }

    /// Reports an error with the given location.
    pub(crate) fn fail(
        &mut self,
        path: &str,
        offset: Option<u64>,
        record: Option<u64>,
        kind: ErrorKind,
    ) -> Flow {
        self.error(InputError {
            path: path.to_string(),
            offset,
            record,
            kind,
        })
    }

    /// Reports a read error unless it comes from a broken compressed stream, which the code
    /// owning that stream reports.
    pub(crate) fn read_failed(
        &mut self,
        path: &str,
        offset: Option<u64>,
        e: &std::io::Error,
    ) -> Flow {
        if self.stream_failed.get() {
            return Ok(());
        }
        self.fail(
            path,
            offset,
            None,
            ErrorKind::Io(format!("read error: {}", crate::event::io_message(e))),
        )
    }

    /// Sends one whole document as a single chunk.
    pub(crate) fn single(
        &mut self,
        source: &Arc<Source>,
        text: String,
        name: Option<String>,
        meta: Vec<(String, String)>,
    ) -> Flow {
        let mut w = DocWriter::new(source.clone(), name, meta);
        w.push(self, text, true)?;
        w.finish(self)
    }

    /// A raw block buffer of [`RAW_BLOCK`] bytes.
    pub(crate) fn take_raw(&mut self) -> Vec<u8> {
        self.raw_pool.pop().unwrap_or_else(|| vec![0; RAW_BLOCK])
    }

    pub(crate) fn put_raw(&mut self, v: Vec<u8>) {
        if v.len() == RAW_BLOCK {
            self.raw_pool.push(v);
        }
    }

    /// An empty string with some capacity.
    pub(crate) fn take_text(&mut self) -> String {
        let mut s = self.text_pool.pop().unwrap_or_default();
        s.clear();
        s
    }

    pub(crate) fn put_text(&mut self, s: String) {
        if s.capacity() >= 4096 && s.capacity() <= 64 * TEXT_BLOCK && self.text_pool.len() < 4 {
            self.text_pool.push(s);
        }
    }

    /// An empty byte buffer (for records).
    pub(crate) fn take_bytes(&mut self) -> Vec<u8> {
        let mut v = self.byte_pool.pop().unwrap_or_default();
        v.clear();
        v
    }

    pub(crate) fn put_bytes(&mut self, v: Vec<u8>) {
        if v.capacity() >= 4096 && v.capacity() <= 4 * TEXT_BLOCK && self.byte_pool.len() < 8 {
            self.byte_pool.push(v);
        }
    }
}

/// Sends the chunks of one document, holding back the latest so that it can be marked `last`.
pub(crate) struct DocWriter {
    source: Arc<Source>,
    name: Option<String>,
    meta: Vec<(String, String)>,
    doc: Option<u64>,
    offset: u64,
    staged: Option<(String, bool)>,
}

impl DocWriter {
    pub(crate) fn new(
        source: Arc<Source>,
        name: Option<String>,
        meta: Vec<(String, String)>,
    ) -> Self {
        DocWriter {
            source,
            name,
            meta,
            doc: None,
            offset: 0,
            staged: None,
        }
    }

    /// Nothing was pushed yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.doc.is_none() && self.staged.is_none()
    }

    /// Adds the next piece of text (sent once it is known whether it is the last).
    pub(crate) fn push(&mut self, ctx: &mut Ctx, text: String, ends_line: bool) -> Flow {
        if let Some((t, e)) = self.staged.take() {
            self.emit(ctx, t, e, false)?;
        }
        self.staged = Some((text, ends_line));
        Ok(())
    }

    /// Ends the document: sends the held-back chunk as the last, or one empty chunk when
    /// nothing was pushed.
    pub(crate) fn finish(mut self, ctx: &mut Ctx) -> Flow {
        let text = self.staged.take().map(|(t, _)| t).unwrap_or_default();
        self.emit(ctx, text, true, true)
    }

    fn emit(&mut self, ctx: &mut Ctx, text: String, ends_line: bool, last: bool) -> Flow {
        let first = self.doc.is_none();
        let doc = match self.doc {
            Some(d) => d,
            None => {
                let d = ctx.sink.next_doc;
                ctx.sink.next_doc += 1;
                self.doc = Some(d);
                d
            }
        };
        let offset = self.offset;
        self.offset += text.len() as u64;
        let meta = if first {
            std::mem::take(&mut self.meta)
        } else {
            Vec::new()
        };
        ctx.sink.send(Event::Chunk(Chunk {
            doc,
            first,
            last,
            text,
            ends_line: ends_line || last,
            offset,
            source: self.source.clone(),
            meta,
            name: self.name.clone(),
        }))
    }
}
