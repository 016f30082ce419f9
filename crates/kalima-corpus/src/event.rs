//! What the reader yields: [`Event`]s carrying [`Chunk`]s of text, [`Note`]s and
//! [`InputError`]s.

use std::fmt;
use std::sync::Arc;

use encoding_rs::Encoding;

use crate::options::Format;

/// One item of the stream read from a [`Corpus`](crate::Corpus).
#[derive(Debug, Clone)]
pub enum Event {
    /// Decoded text of (part of) a document.
    Chunk(Chunk),
    /// Something worth telling that lost no data: an assumed encoding, a skipped hidden file.
    Note(Note),
    /// Something went wrong with one input; reading goes on with the rest.
    Error(InputError),
}

/// A piece of a document's decoded text.
///
/// A document arrives as one or more chunks with the same [`doc`](Chunk::doc) number, in order,
/// the first with `first == true` and the last with `last == true` (a small document is one
/// chunk with both). Concatenating the texts of a document's chunks gives its whole text.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Sequence number of the document in the whole corpus (0, 1, 2, …, in input order).
    pub doc: u64,
    /// This is the document's first chunk.
    pub first: bool,
    /// This is the document's last chunk.
    pub last: bool,
    /// Decoded UTF-8 text, byte order mark removed. Plain text is cut after a `'\n'` when
    /// there is one in reach, else after a space or tab, else between two characters.
    pub text: String,
    /// The chunk ends at a line end or at the end of the document, so the next chunk starts a
    /// new line.
    pub ends_line: bool,
    /// Byte offset of `text` within the document's decoded text.
    pub offset: u64,
    /// Where the text comes from (shared by all chunks of a file or archive member).
    pub source: Arc<Source>,
    /// Other fields of a record (only with [`ReadOptions::keep_meta`](crate::ReadOptions);
    /// on the document's first chunk only): JSON scalars, TREC tags, CSV columns, in the
    /// record's order (JSON: key order).
    pub meta: Vec<(String, String)>,
    /// The record's name when known: TREC `DOCNO`, JSON `id` (else `url`), CSV `row N`
    /// (N counts data rows from 1), CoNLL-U `newdoc id`. Repeated on every chunk.
    pub name: Option<String>,
}

/// An input file or archive member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path to show: as given or found while walking a directory; an archive member is
    /// `archive.tar.xz:member/path.txt`; standard input is `<stdin>`.
    pub path: String,
    /// The encoding the bytes were decoded from.
    pub encoding: &'static Encoding,
    /// The format the bytes were read as.
    pub format: Format,
}

/// A message about an input that lost no data, e.g. `assumed windows-1256 (not valid UTF-8)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The input it is about (see [`Source::path`]).
    pub path: String,
    /// What happened, one line.
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&format!("{}: {}", self.path, self.message)))
    }
}

/// `s` with line breaks and other control characters (but tabs) escaped, so that a message
/// naming odd paths, keys or columns stays on one line.
fn one_line(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A problem with one input; its one-line `Display` names the path and, when known, the record
/// number and the byte offset: `PATH: invalid UTF-8: 3 malformed byte sequence(s) replaced
/// with U+FFFD, at bytes 12, 40, 97`, `PATH: byte 1234: read error: …`,
/// `PATH: record 17 (byte 5012): malformed JSON: …`, `PATH: No such file or directory`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", one_line(&format!("{path}: {}{kind}", location(.offset, .record, .kind))))]
pub struct InputError {
    /// The input (see [`Source::path`]); for a broken compressed stream, the compressed file.
    pub path: String,
    /// Byte offset where the problem is: in the decompressed input for read errors and bad
    /// bytes, in the decoded text for the start of a malformed record.
    pub offset: Option<u64>,
    /// 1-based number of the record (JSON record, CSV row, TREC `<DOC>`, CoNLL-U line) in its
    /// file.
    pub record: Option<u64>,
    /// What went wrong.
    pub kind: ErrorKind,
}

fn location(offset: &Option<u64>, record: &Option<u64>, kind: &ErrorKind) -> String {
    // These messages name their offsets themselves.
    if matches!(
        kind,
        ErrorKind::Binary { .. } | ErrorKind::InvalidEncoding { .. }
    ) {
        return String::new();
    }
    match (record, offset) {
        (Some(r), Some(o)) => format!("record {r} (byte {o}): "),
        (Some(r), None) => format!("record {r}: "),
        (None, Some(o)) => format!("byte {o}: "),
        (None, None) => String::new(),
    }
}

/// The kind of an [`InputError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Opening or reading failed; the operating system's message (e.g. `No such file or
    /// directory`).
    #[error("{0}")]
    Io(String),
    /// A compressed stream (or tar archive) is truncated or corrupt; the text before it was
    /// delivered.
    #[error("truncated or corrupt {format} data: {message}")]
    Decompress {
        /// `gzip`, `xz`, `zstd` or `tar`.
        format: &'static str,
        /// The decoder's message.
        message: String,
    },
    /// Byte sequences that are not valid in the encoding; each was replaced by U+FFFD and the
    /// rest of the input was delivered. The error's offset is the first bad byte's; the
    /// message lists the first few: `invalid UTF-8: 7 malformed byte sequence(s) replaced with
    /// U+FFFD, at bytes 12, 40, 41, 97, 130 and 2 more`.
    #[error(
        "invalid {encoding}: {count} malformed byte sequence(s) replaced with U+FFFD{}",
        list_offsets(.offsets, .count)
    )]
    InvalidEncoding {
        /// The encoding's name, e.g. `UTF-8`.
        encoding: &'static str,
        /// How many sequences were replaced.
        count: u64,
        /// Offsets in the (decompressed) input of the first few of them, in order.
        offsets: Vec<u64>,
    },
    /// A NUL byte in the first 8 KiB of a file that is not UTF-16: the file was skipped.
    #[error("binary file (NUL byte at offset {nul_at}), skipped")]
    Binary {
        /// Offset of the first NUL byte.
        nul_at: u64,
    },
    /// A record could not be parsed; reading went on with the next record when possible,
    /// else with the next file.
    #[error("malformed {}: {message}", format_label(.format))]
    Malformed {
        /// The format being read.
        format: Format,
        /// What is wrong.
        message: String,
    },
    /// The input is of a kind this crate does not read (zip, bzip2).
    #[error("unsupported input: {0}")]
    Unsupported(String),
    /// The requested field or column is missing, a record is too large, …
    #[error("{0}")]
    Other(String),
}

fn list_offsets(offsets: &[u64], count: &u64) -> String {
    if offsets.is_empty() {
        return String::new();
    }
    let list: Vec<String> = offsets.iter().map(u64::to_string).collect();
    let word = if offsets.len() == 1 { "byte" } else { "bytes" };
    let more = count.saturating_sub(offsets.len() as u64);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(", at {word} {}{tail}", list.join(", "))
}

fn format_label(f: &Format) -> &'static str {
    match f {
        Format::Text => "text",
        Format::Json => "JSON",
        Format::Csv => "CSV",
        Format::Tsv => "TSV",
        Format::Trec => "TREC",
        Format::Conllu => "CoNLL-U",
    }
}

impl ErrorKind {
    /// The message of an I/O error without the ` (os error N)` suffix.
    pub(crate) fn io(e: &std::io::Error) -> ErrorKind {
        ErrorKind::Io(io_message(e))
    }
}

/// `e`'s message without the ` (os error N)` suffix.
pub(crate) fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) if s.ends_with(')') => s[..i].to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(offset: Option<u64>, record: Option<u64>, kind: ErrorKind) -> String {
        InputError {
            path: "a/b.txt".into(),
            offset,
            record,
            kind,
        }
        .to_string()
    }

    #[test]
    fn odd_names_stay_on_one_line() {
        let e = InputError {
            path: "a\nb".into(),
            offset: None,
            record: None,
            kind: ErrorKind::Other("x\r\ny\tz".into()),
        };
        assert_eq!(e.to_string(), "a\\nb: x\\r\\ny\tz");
        let n = Note {
            path: "p".into(),
            message: "m\n".into(),
        };
        assert_eq!(n.to_string(), "p: m\\n");
    }

    #[test]
    fn error_display_is_one_line() {
        let nf = std::io::Error::from_raw_os_error(2);
        assert_eq!(
            err(None, None, ErrorKind::io(&nf)),
            "a/b.txt: No such file or directory"
        );
        assert_eq!(
            err(
                Some(1234),
                None,
                ErrorKind::InvalidEncoding {
                    encoding: "UTF-8",
                    count: 2,
                    offsets: vec![1234, 1300],
                }
            ),
            "a/b.txt: invalid UTF-8: 2 malformed byte sequence(s) replaced with U+FFFD, \
             at bytes 1234, 1300"
        );
        assert_eq!(
            err(
                Some(7),
                None,
                ErrorKind::InvalidEncoding {
                    encoding: "UTF-8",
                    count: 9,
                    offsets: vec![7, 8, 20, 21, 30],
                }
            ),
            "a/b.txt: invalid UTF-8: 9 malformed byte sequence(s) replaced with U+FFFD, \
             at bytes 7, 8, 20, 21, 30 and 4 more"
        );
        assert_eq!(
            err(
                Some(9),
                Some(17),
                ErrorKind::Malformed {
                    format: Format::Json,
                    message: "x".into()
                }
            ),
            "a/b.txt: record 17 (byte 9): malformed JSON: x"
        );
        assert_eq!(
            err(Some(5), None, ErrorKind::Binary { nul_at: 5 }),
            "a/b.txt: binary file (NUL byte at offset 5), skipped"
        );
    }
}
