//! Property-based fuzzing of the readers: arbitrary and mutated bytes in every format, with and
//! without compression, must never panic; every event is a chunk, a note or an error.
//! Run longer with `PROPTEST_CASES=100000 cargo test --release -p kalima-corpus --test fuzz`.

use std::io::Write;

use kalima_corpus::{Corpus, Event, Format, ReadOptions};
use proptest::prelude::*;

const SEEDS: &[&[u8]] = &[
    b"[{\"content\": \"\xd9\x83\xd9\x84\xd9\x85\xd8\xa9\", \"id\": 1}, {\"content\": null}]",
    b"{\"content\": \"a\"}\n{\"text\": 3}\n{bad\n",
    b"id,text\n1,\"a, \"\"b\"\"\"\n2,c\n",
    b"<DOC>\n<DOCNO>x</DOCNO>\n<TEXT>\n\xd9\x83 &amp; &#1603; &bogus;\n</TEXT>\n</DOC>\n<DOC><TEXT>",
    b"# newdoc id = d\n# text = a b\n1\ta\t_\n2\tb\t_\n\n# sent_id = 2\n1\tc\n",
    b"\xef\xbb\xbfplain text\r\nline two\n",
    b"\xff\xfe\x43\x06\x44\x06",
];

fn mutate(seed: &[u8], edits: &[(usize, u8)], cut: usize) -> Vec<u8> {
    let mut v = seed.to_vec();
    for &(i, b) in edits {
        if !v.is_empty() {
            let n = v.len();
            v[i % n] = b;
        }
    }
    v.truncate(cut.min(v.len()));
    v
}

fn drain(bytes: Vec<u8>, format: Option<Format>, chunk_size: usize) {
    let opts = ReadOptions {
        format,
        chunk_size,
        keep_meta: true,
        ..ReadOptions::default()
    };
    for ev in Corpus::from_reader("fuzz", std::io::Cursor::new(bytes), opts) {
        match ev {
            Event::Chunk(c) => {
                assert!(c.text.len() <= 4 * chunk_size.max(1 << 16) || c.first && c.last)
            }
            Event::Note(n) => assert!(!n.to_string().is_empty()),
            Event::Error(e) => assert!(!e.to_string().contains('\n'), "one-line errors: {e}"),
        }
    }
}

fn gz(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), f in 0usize..7, cs in 1usize..64) {
        let format = [None, Some(Format::Text), Some(Format::Json), Some(Format::Csv), Some(Format::Tsv), Some(Format::Trec), Some(Format::Conllu)][f];
        drain(bytes, format, cs);
    }

    #[test]
    fn mutated_records_never_panic(s in 0usize..SEEDS.len(), edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6), cut in 0usize..400, f in 0usize..7, z in any::<bool>()) {
        let format = [None, Some(Format::Text), Some(Format::Json), Some(Format::Csv), Some(Format::Tsv), Some(Format::Trec), Some(Format::Conllu)][f];
        let mut bytes = mutate(SEEDS[s], &edits, cut);
        if z {
            // Corrupt a compressed stream as well.
            let mut c = gz(&bytes);
            if let Some((i, b)) = edits.first() { let n = c.len(); c[i % n] ^= b | 1; }
            bytes = c;
        }
        drain(bytes, format, 16);
    }
}
