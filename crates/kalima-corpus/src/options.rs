//! What to read and how: [`Format`], [`ReadOptions`] and [`parse_encoding`].

use std::fmt;
use std::str::FromStr;

use encoding_rs::Encoding;

/// Default target size of a plain-text chunk: 1 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;

/// The layout of an input file: how its bytes split into documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: one file is one document, streamed in chunks.
    Text,
    /// A JSON array of records, or JSON Lines (one record per line); told apart by the first
    /// non-space byte (`[` or anything else). One record is one document.
    Json,
    /// Comma-separated values with a header row. One row is one document.
    Csv,
    /// Tab-separated values with a header row (no quoting). One row is one document.
    Tsv,
    /// TREC-style `<DOC>…</DOC>` blocks (as in the ANT corpus). One block is one document.
    Trec,
    /// CoNLL-U: one document per `# newdoc` (or per file), one line per sentence.
    Conllu,
}

impl Format {
    /// The canonical name, as accepted by [`FromStr`]: `text`, `json`, `csv`, `tsv`, `trec`,
    /// `conllu`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Trec => "trec",
            Format::Conllu => "conllu",
        }
    }

    /// Every format, in a fixed order (for help texts).
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Json,
        Format::Csv,
        Format::Tsv,
        Format::Trec,
        Format::Conllu,
    ];

    /// The format implied by a file name's extension, after any compression extension
    /// (`.gz`, `.xz`, `.zst`) was stripped; `None` when the extension says nothing.
    ///
    /// `.txt` maps to [`Format::Text`] here; the reader still looks at the content and takes
    /// a `.txt` (or extension-less) file whose first non-space bytes are `<DOC>` as
    /// [`Format::Trec`], and an `.xml`/`.sgml` file as TREC when it holds a `<DOC>` tag in
    /// its first 64 KiB (else as text).
    pub fn from_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "json" | "jsonl" | "ndjson" => Format::Json,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "trec" => Format::Trec,
            "conllu" | "conll" => Format::Conllu,
            _ => return None,
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of [`Format::from_str`]: the name is not a known format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?} (expected one of: text, json, csv, tsv, trec, conllu)")]
pub struct ParseFormatError(pub String);

impl FromStr for Format {
    type Err = ParseFormatError;

    /// Accepts `text`/`txt`, `json`/`jsonl`/`ndjson`, `csv`, `tsv`, `trec`/`xml`, `conllu`/`conll`
    /// (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Format::Text,
            "json" | "jsonl" | "ndjson" => Format::Json,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "trec" | "xml" => Format::Trec,
            "conllu" | "conll" => Format::Conllu,
            _ => return Err(ParseFormatError(s.to_string())),
        })
    }
}

/// How to read the inputs. `ReadOptions::default()` detects everything.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The format of every input; `None` detects it per file (and per archive member) from the
    /// extension (after stripping `.gz`/`.xz`/`.zst`) and the content.
    pub format: Option<Format>,
    /// The encoding of every input; `None` detects it per file: a byte order mark (UTF-8,
    /// UTF-16LE/BE), else UTF-16 by the pattern of NUL/0x06 bytes, else UTF-8 when the first
    /// 64 KiB are (almost all) valid UTF-8, else ISO-8859-6 or windows-1256 (with a [`Note`]).
    /// A byte order mark always wins over this option.
    ///
    /// [`Note`]: crate::Note
    pub encoding: Option<&'static Encoding>,
    /// The field that holds the text: for JSON the key (default `content`, then `text`), for
    /// TREC the tag (default `TEXT`, e.g. `TITLE`).
    pub field: Option<String>,
    /// The CSV/TSV column that holds the text (default: a column named `text` or `content`).
    pub column: Option<String>,
    /// CoNLL-U: `false` takes each sentence from its `# text = ` line, `true` joins the FORM
    /// column with spaces. Sentences without a `# text` line always use FORM.
    pub conllu_form: bool,
    /// Target size in bytes of [`Chunk::text`](crate::Chunk::text) for plain text and CoNLL-U
    /// (default 1 MiB; 0 means the default). Records are never split.
    pub chunk_size: usize,
    /// Collect the other fields of a record as [`Chunk::meta`](crate::Chunk::meta): JSON
    /// scalars, TREC tags, CSV columns.
    pub keep_meta: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            encoding: None,
            field: None,
            column: None,
            conllu_form: false,
            chunk_size: DEFAULT_CHUNK_SIZE,
            keep_meta: false,
        }
    }
}

/// The encoding named by `label`: `utf-8`, `utf-16le`, `utf-16be`, `windows-1256` (or
/// `cp1256`), `iso-8859-6`, or any other WHATWG label (case-insensitive; `utf8`, `utf16le`,
/// `cp-1256` and the like are accepted too). `None` for an unknown label and for the WHATWG
/// "replacement" encoding, which would turn everything into U+FFFD.
///
/// ```
/// use kalima_corpus::parse_encoding;
/// assert_eq!(parse_encoding("cp1256"), Some(encoding_rs::WINDOWS_1256));
/// assert_eq!(parse_encoding("UTF-16BE"), Some(encoding_rs::UTF_16BE));
/// assert_eq!(parse_encoding("klingon"), None);
/// ```
pub fn parse_encoding(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    let found = Encoding::for_label_no_replacement(label.as_bytes()).or_else(|| {
        let squashed: String = label
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        match squashed.as_str() {
            "utf8" => Some(encoding_rs::UTF_8),
            "utf16" | "utf16le" => Some(encoding_rs::UTF_16LE),
            "utf16be" => Some(encoding_rs::UTF_16BE),
            "cp1256" | "windows1256" | "win1256" | "arabicwindows" => {
                Some(encoding_rs::WINDOWS_1256)
            }
            "iso88596" | "iso885961987" | "arabic" => Some(encoding_rs::ISO_8859_6),
            _ => None,
        }
    });
    found.filter(|e| *e != encoding_rs::REPLACEMENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), f);
            assert_eq!(f.to_string(), f.name());
        }
        assert_eq!("TXT".parse::<Format>().unwrap(), Format::Text);
        assert_eq!("jsonl".parse::<Format>().unwrap(), Format::Json);
        assert_eq!("xml".parse::<Format>().unwrap(), Format::Trec);
        let err = "yaml".parse::<Format>().unwrap_err();
        assert!(err.to_string().contains("yaml"));
    }

    #[test]
    fn extensions() {
        assert_eq!(Format::from_extension("a.TXT"), Some(Format::Text));
        assert_eq!(Format::from_extension("x/y.jsonl"), Some(Format::Json));
        assert_eq!(Format::from_extension("t.tsv"), Some(Format::Tsv));
        assert_eq!(Format::from_extension("t.conllu"), Some(Format::Conllu));
        assert_eq!(Format::from_extension("README"), None);
        assert_eq!(Format::from_extension("a.md"), None);
    }

    #[test]
    fn encodings() {
        use encoding_rs::*;
        assert_eq!(parse_encoding("utf-8"), Some(UTF_8));
        assert_eq!(parse_encoding("UTF8"), Some(UTF_8));
        assert_eq!(parse_encoding("utf-16le"), Some(UTF_16LE));
        assert_eq!(parse_encoding("utf16le"), Some(UTF_16LE));
        assert_eq!(parse_encoding("utf-16be"), Some(UTF_16BE));
        assert_eq!(parse_encoding("windows-1256"), Some(WINDOWS_1256));
        assert_eq!(parse_encoding("cp1256"), Some(WINDOWS_1256));
        assert_eq!(parse_encoding("CP-1256"), Some(WINDOWS_1256));
        assert_eq!(parse_encoding("iso-8859-6"), Some(ISO_8859_6));
        assert_eq!(parse_encoding("arabic"), Some(ISO_8859_6));
        assert_eq!(parse_encoding("latin1"), Some(WINDOWS_1252));
        assert_eq!(parse_encoding("iso-2022-kr"), None); // the replacement encoding
        assert_eq!(parse_encoding("nope"), None);
    }
}
