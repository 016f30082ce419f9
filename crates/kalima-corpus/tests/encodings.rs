//! Encodings: BOMs, UTF-16 with and without BOM, windows-1256 and ISO-8859-6 by detection and
//! by option, invalid UTF-8 before and after the sniff window.

mod common;

use common::*;
use encoding_rs::{Encoding, ISO_8859_6, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1256};
use kalima_corpus::{ErrorKind, Format, ReadOptions, parse_encoding};

const ARABIC: &str =
    "ذهب الولد إلى المدرسة في الصباح، وكان يوماً جميلاً.\nقرأ كتاباً عن تاريخ العرب؟\n";

fn utf16(s: &str, be: bool, bom: bool) -> Vec<u8> {
    let mut v = Vec::new();
    if bom {
        v.extend(if be { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
    }
    for u in s.encode_utf16() {
        v.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    v
}

fn single(run: &Run) -> (&str, &'static Encoding) {
    assert_eq!(
        run.docs.len(),
        1,
        "{:?} {:?}",
        run.error_lines(),
        run.note_lines()
    );
    (
        run.docs[0].text.as_str(),
        run.docs[0].chunks[0].source.encoding,
    )
}

#[test]
fn utf8_bom_is_removed() {
    let mut b = vec![0xEF, 0xBB, 0xBF];
    b.extend(ARABIC.as_bytes());
    let run = read_bytes("a.txt", b, ReadOptions::default());
    assert_eq!(single(&run), (ARABIC, UTF_8));
    assert!(run.notes.is_empty() && run.errors.is_empty());
}

#[test]
fn utf16_with_and_without_bom() {
    for (be, bom, enc) in [
        (false, true, UTF_16LE),
        (true, true, UTF_16BE),
        (false, false, UTF_16LE),
        (true, false, UTF_16BE),
    ] {
        let run = read_bytes("a.txt", utf16(ARABIC, be, bom), ReadOptions::default());
        assert_eq!(single(&run), (ARABIC, enc), "be={be} bom={bom}");
        assert!(run.errors.is_empty());
        assert_eq!(
            run.notes.len(),
            usize::from(!bom),
            "a note only without a BOM: {:?}",
            run.note_lines()
        );
    }
    // Records in UTF-16 too.
    let run = read_bytes(
        "a.json",
        utf16("[{\"content\": \"نص\"}]", false, true),
        ReadOptions::default(),
    );
    assert_eq!(run.texts(), ["نص"]);
}

#[test]
fn utf16_chunks_stay_whole() {
    let text = ARABIC.repeat(200);
    let run = read_bytes("a.txt", utf16(&text, true, true), chunked(1000));
    assert_eq!(run.docs[0].text, text);
    assert!(run.docs[0].chunks.len() > 20);
    assert!(run.docs[0].chunks.iter().all(|c| c.text.len() <= 1000));
}

#[test]
fn windows_1256_and_iso_8859_6_detected_with_a_note() {
    let (w, _, _) = WINDOWS_1256.encode(ARABIC);
    let run = read_bytes("w.txt", w.into_owned(), ReadOptions::default());
    assert_eq!(single(&run), (ARABIC, WINDOWS_1256));
    assert_eq!(
        run.note_lines(),
        ["w.txt: assumed windows-1256 (not valid UTF-8)"]
    );
    assert!(run.errors.is_empty());

    // ISO-8859-6 has no Arabic-Indic comma form for "،"? It does (0xAC); "ً" too. Use plain text.
    let plain = "ذهب الولد الى المدرسة في الصباح وكان يوما جميلا\n";
    let (i, _, had_errors) = ISO_8859_6.encode(plain);
    assert!(!had_errors);
    let run = read_bytes("i.txt", i.into_owned(), ReadOptions::default());
    assert_eq!(single(&run), (plain, ISO_8859_6));
    assert_eq!(
        run.note_lines(),
        ["i.txt: assumed ISO-8859-6 (not valid UTF-8)"]
    );
}

#[test]
fn encoding_option_is_used() {
    let plain = "كتب الطالب الدرس\n";
    let (i, _, _) = ISO_8859_6.encode(plain);
    let opts = ReadOptions {
        encoding: parse_encoding("iso-8859-6"),
        ..ReadOptions::default()
    };
    let run = read_bytes("i.txt", i.into_owned(), opts);
    assert_eq!(single(&run), (plain, ISO_8859_6));
    assert!(run.notes.is_empty());

    let (w, _, _) = WINDOWS_1256.encode(plain);
    let opts = ReadOptions {
        encoding: parse_encoding("cp1256"),
        format: Some(Format::Csv),
        ..ReadOptions::default()
    };
    let mut csv = b"text\n".to_vec();
    csv.extend(w.iter());
    let run = read_bytes("x", csv, opts);
    assert_eq!(run.texts(), ["كتب الطالب الدرس"]);
}

#[test]
fn invalid_utf8_after_the_sniff_window_is_replaced_and_reported() {
    let mut b = "نص سليم ".repeat(10_000).into_bytes(); // ~140 KB > 64 KiB
    let first_bad = b.len() as u64;
    b.extend([0xFF, 0xFE]);
    b.extend("وسط".as_bytes());
    b.push(0xC3); // a lone lead byte
    b.extend(" نهاية\n".as_bytes());
    let run = read_bytes("bad.txt", b, chunked(16 * 1024));
    assert_eq!(run.docs.len(), 1);
    let text = &run.docs[0].text;
    assert!(
        text.ends_with("\u{FFFD}\u{FFFD}وسط\u{FFFD} نهاية\n"),
        "{}",
        &text[text.len() - 40..]
    );
    assert_eq!(run.errors.len(), 1);
    let e = &run.errors[0];
    assert_eq!(e.offset, Some(first_bad));
    assert_eq!(
        e.kind,
        ErrorKind::InvalidEncoding {
            encoding: "UTF-8",
            count: 3,
            offsets: vec![first_bad, first_bad + 1, first_bad + 8],
        }
    );
    assert_eq!(
        e.to_string(),
        format!(
            "bad.txt: invalid UTF-8: 3 malformed byte sequence(s) replaced with U+FFFD, at bytes {first_bad}, {}, {}",
            first_bad + 1,
            first_bad + 8
        )
    );
}

#[test]
fn invalid_utf8_claimed_by_option_is_replaced_not_reinterpreted() {
    let (w, _, _) = WINDOWS_1256.encode(ARABIC);
    let opts = ReadOptions {
        encoding: Some(UTF_8),
        ..ReadOptions::default()
    };
    let run = read_bytes("w.txt", w.into_owned(), opts);
    assert_eq!(run.docs.len(), 1);
    assert!(run.docs[0].text.contains('\u{FFFD}'));
    assert!(matches!(
        run.errors[0].kind,
        ErrorKind::InvalidEncoding {
            encoding: "UTF-8",
            ..
        }
    ));
    assert_eq!(run.errors[0].offset, Some(0));
}

#[test]
fn a_stray_bad_byte_early_in_utf8_text_is_damage_not_windows_1256() {
    let text = ARABIC.repeat(20);
    let at = text.char_indices().nth(15).unwrap().0;
    let mut b = text.into_bytes();
    b.insert(at, 0x80);
    let run = read_bytes("d.txt", b, ReadOptions::default());
    assert_eq!(run.docs[0].chunks[0].source.encoding, UTF_8);
    assert_eq!(run.errors.len(), 1);
    assert_eq!(run.errors[0].offset, Some(at as u64));
    assert!(run.notes.is_empty());
}
