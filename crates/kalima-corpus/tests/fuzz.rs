//! Property-based fuzzing of the readers: every format × compression/archive × encoding, with
//! invariants rather than "no panic":
//!
//! - a document set written in any format, encoding and wrapping (none, gzip, xz, zstd, tar,
//!   tar.gz, tar.zst) reads back without an error, to the same texts as the plain file read
//!   with the default chunk size, whatever the chunk size, and to the texts written (exactly
//!   for text, JSON, JSON Lines, CSV and TSV; word for word for TREC and CoNLL-U);
//! - invalid UTF-8 bytes become U+FFFD, exactly where they were, with an error event naming the
//!   first bad byte's offset in the decompressed input;
//! - arbitrary and mutated bytes, compressed streams corrupted at random, never panic, and the
//!   event stream keeps its shape (see `common::collect`).
//!
//! Cases per property: `PROPTEST_CASES` (default 256 here). `scripts/fuzz_long.sh` runs the long
//! campaign.

mod common;

use std::io::Write;

use common::{chunked, read_bytes, tar};
use kalima_corpus::{ErrorKind, Format, ReadOptions};
use proptest::prelude::*;

/// Cases per property: `PROPTEST_CASES` when set, else `default`.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// The layouts written: JSON as an array and as JSON Lines.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
    Text,
    JsonArray,
    JsonLines,
    Csv,
    Tsv,
    Trec,
    Conllu,
}

const LAYOUTS: [Layout; 7] = [
    Layout::Text,
    Layout::JsonArray,
    Layout::JsonLines,
    Layout::Csv,
    Layout::Tsv,
    Layout::Trec,
    Layout::Conllu,
];

impl Layout {
    fn format(self) -> Format {
        match self {
            Layout::Text => Format::Text,
            Layout::JsonArray | Layout::JsonLines => Format::Json,
            Layout::Csv => Format::Csv,
            Layout::Tsv => Format::Tsv,
            Layout::Trec => Format::Trec,
            Layout::Conllu => Format::Conllu,
        }
    }

    fn ext(self) -> &'static str {
        match self {
            Layout::Text => "txt",
            Layout::JsonArray => "json",
            Layout::JsonLines => "jsonl",
            Layout::Csv => "csv",
            Layout::Tsv => "tsv",
            Layout::Trec => "trec",
            Layout::Conllu => "conllu",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Enc {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1256,
    Iso88596,
}

const ENCS: [Enc; 6] = [
    Enc::Utf8,
    Enc::Utf8Bom,
    Enc::Utf16Le,
    Enc::Utf16Be,
    Enc::Windows1256,
    Enc::Iso88596,
];

impl Enc {
    fn single_byte(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Enc::Windows1256 => Some(encoding_rs::WINDOWS_1256),
            Enc::Iso88596 => Some(encoding_rs::ISO_8859_6),
            _ => None,
        }
    }

    /// The bytes of `s`, or `None` when the encoding cannot represent it.
    fn encode(self, s: &str) -> Option<Vec<u8>> {
        Some(match self {
            Enc::Utf8 => s.as_bytes().to_vec(),
            Enc::Utf8Bom => [&b"\xEF\xBB\xBF"[..], s.as_bytes()].concat(),
            Enc::Utf16Le => [0xFF, 0xFE]
                .into_iter()
                .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            Enc::Utf16Be => [0xFE, 0xFF]
                .into_iter()
                .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            Enc::Windows1256 | Enc::Iso88596 => {
                let (b, _, bad) = self.single_byte()?.encode(s);
                if bad {
                    return None;
                }
                b.into_owned()
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Wrap {
    None,
    Gz,
    Xz,
    Zst,
    Tar,
    TarGz,
    TarZst,
}

const WRAPS: [Wrap; 7] = [
    Wrap::None,
    Wrap::Gz,
    Wrap::Xz,
    Wrap::Zst,
    Wrap::Tar,
    Wrap::TarGz,
    Wrap::TarZst,
];

// Fast settings: the xz encoder's default preset allocates a large dictionary per stream.
fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn xz(b: &[u8]) -> Vec<u8> {
    let mut e = xz2::write::XzEncoder::new(Vec::new(), 0);
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn zst(b: &[u8]) -> Vec<u8> {
    zstd::encode_all(b, 1).unwrap()
}

/// `bytes` (a file named `doc.EXT`) wrapped; the name to read it as.
fn wrap(w: Wrap, ext: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let member = format!("d/doc.{ext}");
    match w {
        Wrap::None => (format!("doc.{ext}"), bytes.to_vec()),
        Wrap::Gz => (format!("doc.{ext}.gz"), gzip(bytes)),
        Wrap::Xz => (format!("doc.{ext}.xz"), xz(bytes)),
        Wrap::Zst => (format!("doc.{ext}.zst"), zst(bytes)),
        Wrap::Tar => ("docs.tar".into(), tar(&[(&member, bytes)])),
        Wrap::TarGz => ("docs.tar.gz".into(), gzip(&tar(&[(&member, bytes)]))),
        Wrap::TarZst => ("docs.tar.zst".into(), zst(&tar(&[(&member, bytes)]))),
    }
}

/// Text pieces: Arabic with harakat, Latin, digits, punctuation that formats must escape or
/// quote, every line ending, tabs, emoji, random printable characters.
fn unicode_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[\u{0621}-\u{064A}\u{064B}-\u{0652}]{1,8}",
        2 => "[a-zA-Z0-9]{1,6}",
        3 => prop::sample::select(vec![
            " ", " ", "  ", "\n", "\r\n", "\t", ",", "\"", "'", "\\", "&", "<", ">", "&amp;",
            "#", "{", "}", "[", "]", "،", "؟", "«", "»", "😀", "👨‍👩‍👧", "\u{00A0}", "\u{200C}",
            "\u{FFFD}", "\u{2028}",
        ]).prop_map(str::to_string),
        1 => "\\PC{1,4}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// Text that windows-1256 and ISO-8859-6 can both encode: ASCII and the Arabic letters and
/// harakat they share.
fn arabic_8bit_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[\u{0621}-\u{063A}\u{0641}-\u{064A}\u{064B}-\u{0652}]{1,8}",
        2 => "[a-zA-Z0-9]{1,6}",
        3 => prop::sample::select(vec![
            " ", " ", "\n", "\r\n", "\t", ",", "\"", "&", "<", ">", "#", "،", "؟", "؛", ".",
        ]).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn text_for(enc: Enc) -> BoxedStrategy<String> {
    if enc.single_byte().is_some() {
        arabic_8bit_text().boxed()
    } else {
        unicode_text().boxed()
    }
}

fn trec_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The documents written in `layout`, as text (before encoding).
fn render(layout: Layout, docs: &[String]) -> String {
    let mut out = String::new();
    match layout {
        Layout::Text => out.push_str(&docs.concat()),
        Layout::JsonArray => {
            let v: Vec<serde_json::Value> = docs
                .iter()
                .enumerate()
                .map(|(i, d)| serde_json::json!({"id": i, "content": d}))
                .collect();
            out = serde_json::to_string(&v).unwrap();
        }
        Layout::JsonLines => {
            for (i, d) in docs.iter().enumerate() {
                out.push_str(&serde_json::json!({"id": i, "text": d}).to_string());
                out.push('\n');
            }
        }
        Layout::Csv => {
            out.push_str("id,text\n");
            for (i, d) in docs.iter().enumerate() {
                out.push_str(&format!("{i},\"{}\"\n", d.replace('"', "\"\"")));
            }
        }
        Layout::Tsv => {
            out.push_str("id\ttext\n");
            for (i, d) in docs.iter().enumerate() {
                out.push_str(&format!("{i}\t{}\n", tsv_clean(d)));
            }
        }
        Layout::Trec => {
            for (i, d) in docs.iter().enumerate() {
                out.push_str(&format!(
                    "<DOC>\n<DOCNO>d{i}</DOCNO>\n<TEXT>\n{}\n</TEXT>\n</DOC>\n",
                    trec_escape(d)
                ));
            }
        }
        Layout::Conllu => {
            for (i, d) in docs.iter().enumerate() {
                out.push_str(&format!("# newdoc id = d{i}\n"));
                for (j, line) in d.lines().enumerate() {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    if words.is_empty() {
                        continue;
                    }
                    out.push_str(&format!(
                        "# sent_id = d{i}-{j}\n# text = {}\n",
                        words.join(" ")
                    ));
                    for (k, w) in words.iter().enumerate() {
                        out.push_str(&format!("{}\t{w}\t_\t_\t_\t_\t_\t_\t_\t_\n", k + 1));
                    }
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// TSV has no quoting: a field holds no tab or line break.
fn tsv_clean(d: &str) -> String {
    d.replace(['\t', '\n', '\r'], " ")
}

fn words(texts: &[&str]) -> Vec<String> {
    texts
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(str::to_string)
        .collect()
}

fn options(layout: Layout, enc: Enc, detect: bool, chunk_size: usize) -> ReadOptions {
    ReadOptions {
        format: (!detect).then(|| layout.format()),
        encoding: enc.single_byte(),
        chunk_size,
        ..ReadOptions::default()
    }
}

fn case() -> impl Strategy<Value = (Layout, Enc, Wrap, Vec<String>, bool, usize)> {
    (
        prop::sample::select(LAYOUTS.to_vec()),
        prop::sample::select(ENCS.to_vec()),
        prop::sample::select(WRAPS.to_vec()),
        any::<bool>(),
        1usize..300,
    )
        .prop_flat_map(|(layout, enc, wrap, detect, cs)| {
            let n = if layout == Layout::Text { 1..2 } else { 0..6 };
            (
                Just(layout),
                Just(enc),
                Just(wrap),
                prop::collection::vec(text_for(enc), n),
                Just(detect),
                Just(cs),
            )
        })
}

proptest! {
    #![proptest_config(config(256))]

    /// Every format × encoding × wrapping reads back what was written, with no error, for any
    /// chunk size, equal to the plain file's reading.
    #[test]
    fn every_format_encoding_and_wrapping_reads_back((layout, enc, w, docs, detect, cs) in case()) {
        let rendered = render(layout, &docs);
        let bytes = enc.encode(&rendered);
        prop_assume!(bytes.is_some());
        let bytes = bytes.unwrap();
        let plain = read_bytes(&format!("doc.{}", layout.ext()), bytes.clone(), options(layout, enc, false, 0));
        prop_assert!(plain.errors.is_empty(), "{layout:?} {enc:?}: {:?}", plain.error_lines());
        let (name, wrapped_bytes) = wrap(w, layout.ext(), &bytes);
        let wrapped = read_bytes(&name, wrapped_bytes, options(layout, enc, detect, cs));
        prop_assert!(wrapped.errors.is_empty(), "{layout:?} {enc:?} {w:?}: {:?}", wrapped.error_lines());
        prop_assert_eq!(plain.texts(), wrapped.texts(), "{:?} {:?} {:?} chunk size {}", layout, enc, w, cs);
        let got = plain.texts();
        match layout {
            Layout::Text => prop_assert_eq!(got.concat(), docs.concat()),
            Layout::JsonArray | Layout::JsonLines | Layout::Csv => prop_assert_eq!(got, docs.iter().map(String::as_str).collect::<Vec<_>>()),
            Layout::Tsv => prop_assert_eq!(got, docs.iter().map(|d| tsv_clean(d)).collect::<Vec<_>>()),
            Layout::Trec | Layout::Conllu => {
                let want: Vec<&str> = docs.iter().map(String::as_str).collect();
                prop_assert_eq!(words(&got), words(&want));
            }
        }
    }

    /// Invalid UTF-8 bytes (one to four insertions) in Arabic UTF-8 text (at least 30 words)
    /// become U+FFFD where they were, with one error naming the file and the first bad byte's
    /// offset (in the decompressed input), and the rest read as is: the text is not re-read
    /// in another encoding.
    #[test]
    fn invalid_utf8_is_reported_and_replaced(
        doc in (prop::collection::vec("[\u{0621}-\u{064A}]{2,8}", 30..80), unicode_text())
            .prop_map(|(words, tail)| words.join(" ") + &tail),
        bad in prop::collection::vec((any::<usize>(), prop::sample::select(vec![&b"\xFF"[..], b"\xC0", b"\x80", b"\xD8", b"\xE2\x82", b"\xF0\x9F\x98", b"\xED\xA0\x80"])), 1..5),
        w in prop::sample::select(vec![Wrap::None, Wrap::Gz, Wrap::Xz, Wrap::Zst, Wrap::Tar]),
        cs in 1usize..300,
    ) {
        // Insert the bad bytes at char boundaries, each followed by an ASCII letter so that a
        // truncated sequence cannot be completed by what follows.
        let mut bytes = Vec::new();
        let mut cuts: Vec<usize> = bad.iter().map(|(i, _)| {
            let b = doc.char_indices().map(|(i, _)| i).chain([doc.len()]).collect::<Vec<_>>();
            b[i % b.len()]
        }).collect();
        cuts.sort_unstable();
        let mut last = 0;
        let mut first_bad = None;
        for (cut, (_, b)) in cuts.iter().zip(&bad) {
            bytes.extend_from_slice(&doc.as_bytes()[last..*cut]);
            first_bad.get_or_insert(bytes.len());
            bytes.extend_from_slice(b);
            bytes.push(b'x');
            last = *cut;
        }
        bytes.extend_from_slice(&doc.as_bytes()[last..]);
        let (name, wrapped) = wrap(w, "txt", &bytes);
        let run = read_bytes(&name, wrapped, chunked(cs));
        prop_assert_eq!(run.texts().concat(), String::from_utf8_lossy(&bytes).into_owned());
        let bad_events: Vec<_> = run.errors.iter().filter(|e| matches!(e.kind, ErrorKind::InvalidEncoding { .. })).collect();
        prop_assert_eq!(bad_events.len(), 1, "{:?}", run.error_lines());
        prop_assert_eq!(bad_events[0].offset, first_bad.map(|o| o as u64), "{:?}", run.error_lines());
        prop_assert!(bad_events[0].path.contains("doc.txt"), "{:?}", run.error_lines());
    }

    /// Arbitrary bytes in every format never panic and keep the stream's shape.
    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        f in 0usize..7,
        w in prop::sample::select(WRAPS.to_vec()),
        cs in 1usize..64,
    ) {
        let format = [None, Some(Format::Text), Some(Format::Json), Some(Format::Csv), Some(Format::Tsv), Some(Format::Trec), Some(Format::Conllu)][f];
        let (name, b) = wrap(w, "bin", &bytes);
        let run = read_bytes(&name, b, ReadOptions { format, chunk_size: cs, keep_meta: true, ..ReadOptions::default() });
        let _ = run;
    }

    /// Valid files of every format, mutated before or after compression, never panic; a
    /// corrupted compressed stream gives an error, never silence about lost data.
    #[test]
    fn mutated_files_never_panic(
        (layout, enc, w, docs, detect, cs) in case(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        cut in any::<usize>(),
        after in any::<bool>(),
    ) {
        let rendered = render(layout, &docs);
        let Some(mut bytes) = enc.encode(&rendered) else { return Ok(()) };
        if !after {
            for &(i, b) in &edits {
                if !bytes.is_empty() {
                    let n = bytes.len();
                    bytes[i % n] = b;
                }
            }
            bytes.truncate(cut % (bytes.len() + 1));
        }
        let (name, mut wrapped) = wrap(w, layout.ext(), &bytes);
        if after {
            for &(i, b) in &edits {
                let n = wrapped.len();
                if n > 0 {
                    wrapped[i % n] ^= b | 1;
                }
            }
            if cut % 2 == 0 {
                wrapped.truncate(cut % (wrapped.len() + 1));
            }
        }
        let _ = read_bytes(&name, wrapped, options(layout, enc, detect, cs));
    }
}
