//! Names of documents as the tables show them.

use std::collections::VecDeque;
use std::sync::Mutex;

use kalima_corpus::Chunk;
use kalima_stats::engine::Segment;

use crate::{Job, Result};

/// The label of a document: its record name (`path:name`) when it has one, else its path.
///
/// ```
/// use std::sync::Arc;
/// use kalima_corpus::{Chunk, Format, Source, parse_encoding};
///
/// let source = Arc::new(Source {
///     path: "news.jsonl".into(),
///     encoding: parse_encoding("utf-8").unwrap(),
///     format: Format::Json,
/// });
/// let mut c = Chunk {
///     doc: 0, first: true, last: true, text: String::new(), ends_line: true, offset: 0,
///     source, meta: vec![], name: Some("a17".into()),
/// };
/// assert_eq!(kalima::docs::doc_label(&c), "news.jsonl:a17");
/// c.name = None;
/// assert_eq!(kalima::docs::doc_label(&c), "news.jsonl");
/// ```
pub fn doc_label(c: &Chunk) -> String {
    match &c.name {
        Some(n) => format!("{}:{n}", c.source.path),
        None => c.source.path.clone(),
    }
}

/// Labels of the documents of an ordered pass ([`kalima_stats::engine::Ordered`]): the reader,
/// running ahead, notes each document's label and the offset of its first chunk; the fold,
/// behind it in the same order, takes them. Only documents read but not yet folded are held.
#[derive(Debug, Default)]
pub(crate) struct Labels(Mutex<VecDeque<(u64, String, u64)>>);

impl Labels {
    /// The job's segments, noting the label of each document as it starts.
    pub(crate) fn segments<'a>(
        &'a self,
        job: &'a Job,
    ) -> Result<impl Iterator<Item = Segment> + Send + 'a> {
        Ok(job.chunks(false)?.map(move |c| {
            if c.first {
                let label = (c.doc, doc_label(&c), c.offset);
                self.0
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_back(label);
            }
            Segment::new(c.doc, c.first, c.last, c.text)
        }))
    }

    /// The label of document `doc` and the offset of its first chunk (documents before it are
    /// forgotten).
    pub(crate) fn take(&self, doc: u64) -> (String, u64) {
        let mut q = self.0.lock().unwrap_or_else(|e| e.into_inner());
        while let Some((d, label, offset)) = q.pop_front() {
            if d == doc {
                return (label, offset);
            }
        }
        (String::new(), 0)
    }
}
