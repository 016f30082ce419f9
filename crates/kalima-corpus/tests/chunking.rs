//! Chunking invariants on random inputs: the chunks of a document concatenate to the decoded
//! file, never split a character, respect the chunk size, and carry correct offsets.

mod common;

use common::*;
use proptest::prelude::*;

/// Random text built from pieces that stress the cutter: multi-byte characters, newlines,
/// CRLF, spaces, long runs without whitespace.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("كتاب".to_string()),
        Just("😀".to_string()),
        Just("a".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("ﷺ".to_string()),
        "[a-z]{1,40}",
        "\\PC{1,8}",
        Just("ع".repeat(70)),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

fn check(run: &Run, expected: &str, chunk_size: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(run.docs.len(), 1);
    prop_assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    let d = &run.docs[0];
    prop_assert_eq!(&d.text, expected);
    for c in &d.chunks {
        // A chunk is at most chunk_size bytes, unless it is one character larger than that.
        prop_assert!(
            c.text.len() <= chunk_size || c.text.chars().count() == 1,
            "chunk of {} bytes with chunk_size {}",
            c.text.len(),
            chunk_size
        );
        if !c.last {
            prop_assert!(!c.text.is_empty());
        }
    }
    // Each chunk's offset points at its text in the whole.
    for c in &d.chunks {
        let at = c.offset as usize;
        prop_assert_eq!(&expected[at..at + c.text.len()], c.text.as_str());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn utf8_chunks_concatenate(s in text(), chunk_size in 1usize..300) {
        let run = read_bytes("p.txt", s.clone(), chunked(chunk_size));
        check(&run, &s, chunk_size)?;
    }

    #[test]
    fn utf16_chunks_concatenate(s in text(), chunk_size in 1usize..300, be in any::<bool>()) {
        let mut bytes = if be { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for u in s.encode_utf16() {
            bytes.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        let run = read_bytes("p.txt", bytes, chunked(chunk_size));
        check(&run, &s, chunk_size)?;
    }

    #[test]
    fn compressed_chunks_concatenate(s in text(), chunk_size in 1usize..300) {
        let run = read_bytes("p.txt.gz", gzip(s.as_bytes()), chunked(chunk_size));
        check(&run, &s, chunk_size)?;
    }

    /// Random bytes never panic and always give one document (or a binary-file error).
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..3000), chunk_size in 1usize..100) {
        let run = read_bytes("r.txt", bytes, chunked(chunk_size));
        prop_assert!(run.docs.len() + run.errors.len() >= 1);
    }

    /// Random bytes in every record format never panic.
    #[test]
    fn random_records_never_panic(
        bytes in prop::collection::vec(prop_oneof![Just(b'{'), Just(b'}'), Just(b'['), Just(b']'), Just(b'"'), Just(b'\\'), Just(b'\n'), Just(b','), Just(b'<'), Just(b'>'), Just(b'/'), Just(b'#'), Just(b'\t'), any::<u8>()], 0..400),
        name in prop_oneof![Just("r.json"), Just("r.csv"), Just("r.tsv"), Just("r.trec"), Just("r.conllu")],
    ) {
        let mut b = bytes;
        if name == "r.trec" {
            b.splice(0..0, b"<DOC><TEXT>".iter().copied());
        }
        let _ = read_bytes(name, b, chunked(16));
    }
}

#[test]
fn chunks_end_at_line_ends_when_possible() {
    let s = "سطر قصير\n".repeat(1000);
    let run = read_bytes("l.txt", s.clone(), chunked(100));
    let d = &run.docs[0];
    assert_eq!(d.text, s);
    assert!(
        d.chunks
            .iter()
            .all(|c| c.text.ends_with('\n') && c.ends_line)
    );
    assert!(d.chunks.iter().all(|c| c.text.len() <= 100));
}
