//! Compression and archives: gzip, xz, zstd, tar (plain and compressed), nesting, and broken
//! streams.

mod common;

use common::*;
use kalima_corpus::{ErrorKind, Format, ReadOptions};

const TEXT: &str = "بسم الله الرحمن الرحيم\nالحمد لله رب العالمين\n";

#[test]
fn gzip_xz_zstd_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, bytes) in [
        ("a.txt.gz", gzip(TEXT.as_bytes())),
        ("b.txt.xz", xz(TEXT.as_bytes())),
        ("c.txt.zst", zst(TEXT.as_bytes())),
        ("d.json.gz", gzip(b"[{\"content\": \"json in gzip\"}]")),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    let run = read_paths(&paths, ReadOptions::default());
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    assert_eq!(run.texts(), [TEXT, TEXT, TEXT, "json in gzip"]);
    assert_eq!(
        run.docs[3].chunks[0].source.format,
        Format::Json,
        "format from the inner extension"
    );
    assert!(run.docs[0].path.ends_with("a.txt.gz"));
}

#[test]
fn multi_member_gzip_and_multi_stream_xz() {
    let mut gz = gzip("part one\n".as_bytes());
    gz.extend(gzip("part two\n".as_bytes()));
    let run = read_bytes("m.txt.gz", gz, ReadOptions::default());
    assert_eq!(run.texts(), ["part one\npart two\n"]);
    let mut x = xz("one ".as_bytes());
    x.extend(xz("two".as_bytes()));
    let run = read_bytes("m.txt.xz", x, ReadOptions::default());
    assert_eq!(run.texts(), ["one two"]);
    assert!(run.errors.is_empty());
}

#[test]
fn compression_detected_by_magic_bytes_without_extension() {
    let run = read_bytes("<stdin>", xz(TEXT.as_bytes()), ReadOptions::default());
    assert_eq!(run.texts(), [TEXT]);
}

fn archive() -> Vec<u8> {
    let trec = "<DOC>\n<DOCNO>X-1</DOCNO>\n<TEXT>\nخبر\n</TEXT>\n</DOC>\n";
    let inner_gz = gzip("مضغوط داخل الأرشيف\n".as_bytes());
    tar(&[
        ("corpus/a.txt", TEXT.as_bytes()),
        ("corpus/news/X-1.txt", trec.as_bytes()),
        (
            "corpus/day.json",
            b"[{\"content\": \"r1\"}, {\"content\": \"r2\"}]",
        ),
        ("corpus/.hidden.txt", b"secret"),
        ("corpus/._a.txt", b"\0\0\0mac"),
        ("corpus/packed.txt.gz", &inner_gz),
        ("corpus/image.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("corpus/empty.txt", b""),
    ])
}

fn check_archive(run: &Run, display: &str) {
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    assert_eq!(
        run.texts(),
        [TEXT, "خبر", "r1", "r2", "مضغوط داخل الأرشيف\n", ""],
        "{display}"
    );
    assert_eq!(run.docs[0].path, format!("{display}:corpus/a.txt"));
    assert_eq!(run.docs[1].chunks[0].source.format, Format::Trec);
    assert_eq!(run.docs[1].name.as_deref(), Some("X-1"));
    assert_eq!(run.docs[2].chunks[0].source.format, Format::Json);
    assert_eq!(run.docs[4].path, format!("{display}:corpus/packed.txt.gz"));
    let notes = run.note_lines();
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].ends_with(":corpus/.hidden.txt: skipped hidden entry"));
    assert!(notes[1].ends_with(":corpus/._a.txt: skipped hidden entry"));
    assert!(notes[2].ends_with(":corpus/image.bin: skipped: binary file (NUL byte at offset 8)"));
}

#[test]
fn tar_in_every_compression() {
    let t = archive();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("a.tar", t.clone()),
        ("a.tar.gz", gzip(&t)),
        ("a.tgz", gzip(&t)),
        ("a.tar.xz", xz(&t)),
        ("a.tar.zst", zst(&t)),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let run = read_paths(&[&p], ReadOptions::default());
        check_archive(&run, &p.to_string_lossy());
    }
    // Without a telling name, the ustar magic finds the archive.
    let run = read_bytes("blob", xz(&t), ReadOptions::default());
    check_archive(&run, "blob");
}

/// Text long enough to span several compressed blocks.
fn long_text() -> String {
    let mut s = String::new();
    let mut x: u64 = 12345;
    while s.len() < 3_000_000 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let w = ["كتاب", "قلم", "مدرسة", "word", "١٢٣", "بيت"][(x >> 60) as usize % 6];
        s.push_str(w);
        s.push(if (x >> 50).is_multiple_of(11) {
            '\n'
        } else {
            ' '
        });
    }
    s
}

fn check_truncated(name: &str, text: &str, compressed: Vec<u8>, format: &str) {
    let cut = compressed[..compressed.len() / 2].to_vec();
    let run = read_bytes(name, cut, chunked(64 * 1024));
    assert_eq!(run.errors.len(), 1, "{name}: {:?}", run.error_lines());
    let e = &run.errors[0];
    assert_eq!(e.path, name);
    assert!(
        matches!(&e.kind, ErrorKind::Decompress { format: f, .. } if *f == format),
        "{e}"
    );
    // The text before the break was delivered, as one closed document, and the offset is
    // the decompressed byte offset reached.
    if run.docs.is_empty() {
        // zstd decodes whole blocks (up to 128 KiB): a short text cut in half yields nothing.
        assert!(
            format == "zstd" && text.len() < 128 * 1024,
            "{name}: no document"
        );
        return;
    }
    assert_eq!(run.docs.len(), 1, "{name}");
    let got = &run.docs[0].text;
    assert!(
        got.len() > text.len() / 5,
        "{name}: only {} bytes delivered",
        got.len()
    );
    assert!(
        text.starts_with(got.as_str()),
        "{name}: delivered text is a prefix"
    );
    let offset = e.offset.expect("offset");
    assert!(
        offset >= got.len() as u64 && offset <= text.len() as u64,
        "{name}: {e}"
    );
    assert!(
        e.to_string().starts_with(&format!(
            "{name}: byte {offset}: truncated or corrupt {format} data"
        )),
        "{e}"
    );
}

#[test]
fn truncated_streams_report_the_offset_reached() {
    // Long, and shorter than the 64 KiB looked at to detect the encoding.
    for text in [long_text(), random_text(3, 50_000)] {
        check_truncated("t.txt.gz", &text, gzip(text.as_bytes()), "gzip");
        check_truncated("t.txt.xz", &text, xz(text.as_bytes()), "xz");
        check_truncated("t.txt.zst", &text, zst(text.as_bytes()), "zstd");
    }
}

#[test]
fn corrupt_gzip_is_an_error_and_the_next_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt.gz");
    let mut bytes = gzip(TEXT.as_bytes());
    let n = bytes.len();
    for b in &mut bytes[12..n - 8] {
        *b ^= 0x5A;
    }
    std::fs::write(&bad, bytes).unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "سليم").unwrap();
    let run = read_paths(&[&bad, &good], ReadOptions::default());
    assert_eq!(run.errors.len(), 1, "{:?}", run.error_lines());
    assert!(matches!(
        run.errors[0].kind,
        ErrorKind::Decompress { format: "gzip", .. }
    ));
    assert_eq!(run.texts().last(), Some(&"سليم"));
}

#[test]
fn truncated_tar_xz_reports_once_after_the_members_before_it() {
    let mut members = Vec::new();
    // Random letters, so that each member costs compressed bytes of its own.
    let texts: Vec<String> = (0..40u64)
        .map(|i| {
            let mut x = i + 1;
            let mut s = String::new();
            while s.len() < 20_000 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let c = char::from_u32(0x0621 + (x >> 59) as u32).unwrap();
                s.push(c);
                if (x >> 40).is_multiple_of(7) {
                    s.push(' ');
                }
            }
            s
        })
        .collect();
    for (i, t) in texts.iter().enumerate() {
        members.push((format!("d/{i:02}.txt"), t.as_bytes().to_vec()));
    }
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let full = xz(&tar(&refs));
    let cut = full[..full.len() / 2].to_vec();
    let run = read_bytes("a.tar.xz", cut, ReadOptions::default());
    assert_eq!(run.errors.len(), 1, "{:?}", run.error_lines());
    assert_eq!(run.errors[0].path, "a.tar.xz");
    assert!(matches!(
        run.errors[0].kind,
        ErrorKind::Decompress { format: "xz", .. }
    ));
    assert!(
        run.docs.len() >= 5 && run.docs.len() < 40,
        "{} docs",
        run.docs.len()
    );
    for (d, t) in run.docs.iter().zip(&texts) {
        assert!(t.starts_with(&d.text));
    }
    // All but maybe the last are whole.
    for (d, t) in run.docs.iter().zip(&texts).take(run.docs.len() - 1) {
        assert_eq!(&d.text, t);
    }
}

#[test]
fn truncated_plain_tar_is_an_error() {
    let t = archive();
    let run = read_bytes("a.tar", t[..700].to_vec(), ReadOptions::default());
    assert_eq!(run.errors.len(), 1, "{:?}", run.error_lines());
    assert!(
        matches!(
            run.errors[0].kind,
            ErrorKind::Decompress { format: "tar", .. }
        ),
        "{:?}",
        run.error_lines()
    );
}

#[test]
fn zip_and_bzip2_are_unsupported() {
    let run = read_bytes(
        "a.zip",
        b"PK\x03\x04\x14\0\0\0rest".to_vec(),
        ReadOptions::default(),
    );
    assert!(matches!(run.errors[0].kind, ErrorKind::Unsupported(_)));
    let run = read_bytes("a.bz2", b"BZh91AY&SYrest".to_vec(), ReadOptions::default());
    assert!(matches!(run.errors[0].kind, ErrorKind::Unsupported(_)));
}

/// Random Arabic letters and spaces: compresses poorly.
fn random_text(seed: u64, len: usize) -> String {
    let mut x = seed;
    let mut s = String::new();
    while s.len() < len {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s.push(char::from_u32(0x0621 + (x >> 59) as u32).unwrap());
        if (x >> 40).is_multiple_of(7) {
            s.push(' ');
        }
    }
    s
}

#[test]
fn broken_gzip_member_in_a_tar_is_reported_for_the_member_only() {
    let a = gzip(random_text(1, 200_000).as_bytes());
    let t = tar(&[
        ("a.txt.gz", &a[..a.len() / 2]),
        ("b.txt", "سليم".as_bytes()),
    ]);
    let run = read_bytes("x.tar", t, ReadOptions::default());
    assert_eq!(run.error_lines().len(), 1, "{:?}", run.error_lines());
    assert_eq!(run.errors[0].path, "x.tar:a.txt.gz");
    assert!(matches!(
        run.errors[0].kind,
        ErrorKind::Decompress { format: "gzip", .. }
    ));
    assert_eq!(run.docs.len(), 2);
    assert_eq!(run.docs[1].text, "سليم");
}

#[test]
fn truncated_archive_around_a_gzip_member_is_one_error() {
    let a = gzip(random_text(2, 400_000).as_bytes());
    let t = xz(&tar(&[("a.txt.gz", &a[..]), ("b.txt", b"after")]));
    let run = read_bytes(
        "x.tar.xz",
        t[..t.len() / 2].to_vec(),
        ReadOptions::default(),
    );
    assert_eq!(run.error_lines().len(), 1, "{:?}", run.error_lines());
    assert_eq!(run.errors[0].path, "x.tar.xz");
    assert!(matches!(
        run.errors[0].kind,
        ErrorKind::Decompress { format: "xz", .. }
    ));
    assert_eq!(run.docs.len(), 1, "the partial member, closed");
}

#[test]
fn truncated_jsonl_delivers_the_records_before_the_break() {
    let mut jsonl = String::new();
    for i in 0..2000 {
        jsonl.push_str(&format!(
            "{{\"id\": {i}, \"content\": \"{}\"}}\n",
            random_text(i, 200)
        ));
    }
    let gz = gzip(jsonl.as_bytes());
    let run = read_bytes(
        "r.jsonl.gz",
        gz[..gz.len() / 2].to_vec(),
        ReadOptions::default(),
    );
    assert_eq!(run.error_lines().len(), 1, "{:?}", run.error_lines());
    assert!(matches!(
        run.errors[0].kind,
        ErrorKind::Decompress { format: "gzip", .. }
    ));
    assert!(
        run.docs.len() > 500 && run.docs.len() < 2000,
        "{}",
        run.docs.len()
    );
    for (i, d) in run.docs.iter().enumerate() {
        assert_eq!(d.name.as_deref(), Some(i.to_string().as_str()));
    }
}
