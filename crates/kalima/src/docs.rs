//! Names of documents as the tables show them.

use kalima_corpus::Chunk;

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
