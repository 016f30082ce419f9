//! Bad inputs: missing paths, binary files, NUL bytes, empty files, huge lines, malformed
//! records; directory walking order; early drop.

mod common;

use std::fs;

use common::*;
use kalima_corpus::{Corpus, ErrorKind, Event, Format, ReadOptions};

#[test]
fn missing_path_is_an_error_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, "نص").unwrap();
    let missing = dir.path().join("missing.txt");
    let run = read_paths(&[&missing, &good], ReadOptions::default());
    assert_eq!(run.texts(), ["نص"]);
    assert_eq!(
        run.error_lines(),
        [format!("{}: No such file or directory", missing.display())]
    );
}

#[test]
fn empty_file_is_one_empty_document() {
    let run = read_bytes("empty.txt", Vec::new(), ReadOptions::default());
    assert_eq!(run.texts(), [""]);
    let c = &run.docs[0].chunks[0];
    assert!(c.first && c.last && c.ends_line);
    assert!(run.errors.is_empty() && run.notes.is_empty());
    // A record file without records has no documents, and no error.
    let run = read_bytes("empty.jsonl", Vec::new(), ReadOptions::default());
    assert!(run.docs.is_empty() && run.errors.is_empty());
}

#[test]
fn binary_files_skipped_error_when_named_note_when_found() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("data.bin");
    let mut b = b"header text ".to_vec();
    b.extend([0u8, 1, 2, 3, 0, 0, 0xFF, 0x10]);
    fs::write(&bin, &b).unwrap();
    fs::write(dir.path().join("text.txt"), "نص").unwrap();

    let run = read_paths(&[&bin], ReadOptions::default());
    assert!(run.docs.is_empty());
    assert_eq!(
        run.error_lines(),
        [format!(
            "{}: binary file (NUL byte at offset 12), skipped",
            bin.display()
        )]
    );
    assert_eq!(run.errors[0].kind, ErrorKind::Binary { nul_at: 12 });

    let run = read_paths(&[dir.path()], ReadOptions::default());
    assert_eq!(run.texts(), ["نص"]);
    assert!(run.errors.is_empty());
    assert_eq!(
        run.note_lines(),
        [format!(
            "{}: skipped: binary file (NUL byte at offset 12)",
            bin.display()
        )]
    );
}

#[test]
fn nul_bytes_after_8_kib_are_kept() {
    let mut text = "كلمة ".repeat(2000);
    assert!(text.len() > 8 * 1024);
    text.push('\0');
    text.push_str("بعد");
    let run = read_bytes("n.txt", text.clone(), ReadOptions::default());
    assert_eq!(run.texts(), [text.as_str()]);
    assert!(run.errors.is_empty());
}

#[test]
fn five_megabyte_single_line_streams_in_bounded_chunks() {
    let mut line = String::with_capacity(5_200_000);
    let mut i = 0u32;
    while line.len() < 5_000_000 {
        line.push_str(["مرحبا", "بالعالم", "x", "١٢٣٤"][(i % 4) as usize]);
        line.push(' ');
        i += 1;
    }
    let chunk = 64 * 1024;
    let run = read_bytes("long.txt", line.clone(), chunked(chunk));
    let d = &run.docs[0];
    assert_eq!(d.text, line);
    assert!(d.chunks.len() >= 5_000_000 / chunk);
    for c in &d.chunks[..d.chunks.len() - 1] {
        assert!(c.text.len() <= chunk);
        assert!(
            c.text.len() > chunk - 20,
            "cut at the last space: {}",
            c.text.len()
        );
        assert!(c.text.ends_with(' '), "cut at whitespace");
        assert!(!c.ends_line);
    }

    // No whitespace at all: cut between characters.
    let solid = "ع".repeat(200_000);
    let run = read_bytes("solid.txt", solid.clone(), chunked(1001));
    assert_eq!(run.docs[0].text, solid);
    assert!(
        run.docs[0]
            .chunks
            .iter()
            .all(|c| c.text.len() == 1000 || c.last)
    );
}

#[test]
fn malformed_json_records_are_skipped_and_reading_goes_on() {
    let jsonl = concat!(
        "{\"content\": \"one\"}\n",
        "{\"content\": \"broken\" \"x\": 1}\n",
        "{\"content\": \"unterminated\n",
        "{\"content\": \"three\"}\n",
        "{\"content\": [\"a\", \"b\"]}\n",
        "42\n",
        "{\"content\": \"not closed\"\n",
        "{\"content\": \"four\"}\n",
    );
    let run = read_bytes("r.jsonl", jsonl, ReadOptions::default());
    assert_eq!(run.texts(), ["one", "three", "a\nb", "four"]);
    let recs: Vec<Option<u64>> = run.errors.iter().map(|e| e.record).collect();
    assert_eq!(
        recs,
        [Some(2), Some(3), Some(6), Some(7)],
        "{:?}",
        run.error_lines()
    );
    assert!(run.errors.iter().all(|e| matches!(
        e.kind,
        ErrorKind::Malformed {
            format: Format::Json,
            ..
        }
    )));
    assert!(run.error_lines()[0].starts_with("r.jsonl: record 2 (byte 19): malformed JSON: "));
}

#[test]
fn malformed_json_array_skips_the_rest_of_the_file() {
    let json = "[{\"content\": \"one\"}, {\"content\": \"two\"} {\"content\": \"lost\"}]";
    let run = read_bytes("a.json", json, ReadOptions::default());
    assert_eq!(run.texts(), ["one", "two"]);
    assert_eq!(run.errors.len(), 1);
    assert!(
        run.error_lines()[0].contains("expected ',' or ']' after the record"),
        "{:?}",
        run.error_lines()
    );
    assert!(run.error_lines()[0].contains("the rest of the file was skipped"));

    // A record that parses badly inside a well-formed array is skipped alone.
    let json = "[{\"content\": \"one\"}, {\"content\": tru}, {\"content\": \"three\"}]";
    let run = read_bytes("a.json", json, ReadOptions::default());
    assert_eq!(run.texts(), ["one", "three"]);
    assert_eq!(run.errors[0].record, Some(2));

    // A truncated array.
    let run = read_bytes(
        "a.json",
        "[{\"content\": \"one\"}, {\"content\": \"tw",
        ReadOptions::default(),
    );
    assert_eq!(run.texts(), ["one"]);
    assert_eq!(run.errors.len(), 1);
}

#[test]
fn directory_walk_is_sorted_and_skips_hidden_entries() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, text) in [
        ("b.txt", "b"),
        ("a/z.txt", "a/z"),
        ("a.txt", "a.txt"),
        ("a/b/c.txt", "a/b/c"),
        ("A.txt", "A"),
        ("a-b.txt", "a-b"),
        (".git/config", "hidden"),
        (".hidden.txt", "hidden"),
        ("a/.x.txt", "hidden"),
    ] {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("a"), root.join("link")).unwrap();
    let run = read_paths(&[root], ReadOptions::default());
    // Byte-wise path order: "A.txt" < "a-b.txt" < "a.txt" < "a/…" < "b.txt".
    assert_eq!(run.texts(), ["A", "a-b", "a.txt", "a/b/c", "a/z", "b"]);
    assert!(run.errors.is_empty());
    let notes = run.note_lines();
    assert!(
        notes
            .iter()
            .filter(|n| n.ends_with("skipped hidden entry"))
            .count()
            == 3,
        "{notes:?}"
    );
    #[cfg(unix)]
    assert!(
        notes
            .iter()
            .any(|n| n.ends_with("link: skipped symbolic link to a directory")),
        "{notes:?}"
    );
    // Same input, same stream.
    let again = read_paths(&[root], ReadOptions::default());
    assert_eq!(again.texts(), run.texts());
    assert_eq!(again.note_lines(), notes);
}

#[test]
fn explicit_paths_keep_their_order_and_hidden_ones_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("b.txt");
    let a = dir.path().join(".a.txt");
    fs::write(&b, "b").unwrap();
    fs::write(&a, "a").unwrap();
    let run = read_paths(&[&b, &a], ReadOptions::default());
    assert_eq!(run.texts(), ["b", "a"]);
}

#[test]
fn dropping_the_corpus_early_stops_the_reader() {
    let big = "كلمة\n".repeat(2_000_000);
    let mut corpus = Corpus::from_reader(
        "big.txt",
        std::io::Cursor::new(big.into_bytes()),
        chunked(1024),
    );
    let first = corpus.next();
    assert!(matches!(first, Some(Event::Chunk(_))));
    drop(corpus); // must not hang or panic
}

#[test]
fn chunk_size_zero_means_the_default() {
    let run = read_bytes("a.txt", "نص\n".repeat(10), chunked(0));
    assert_eq!(run.docs[0].chunks.len(), 1);
}
