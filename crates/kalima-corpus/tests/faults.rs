//! Faults at input time (issue 14): damaged UTF-8 is not taken for windows-1256 while real
//! windows-1256 and ISO-8859-6 still are; malformed CSV/TSV records are reported with their
//! line and the rows after them are still read; an unclosed TREC field is named; a directory
//! without input files is an error.

mod common;

use std::fs;

use common::*;
use encoding_rs::{ISO_8859_6, UTF_8, WINDOWS_1256};
use kalima_corpus::{ErrorKind, Format, ReadOptions};

/// UTF-8 Arabic of `reps` lines with a lone 0xFF after the third word of every other line;
/// returns the bytes and the offsets of the bad bytes.
fn damaged_utf8(reps: usize) -> (Vec<u8>, Vec<u64>) {
    let words = ["كتب", "الولد", "درسه", "في", "البيت", "كل", "يوم"];
    let mut bytes = Vec::new();
    let mut bad = Vec::new();
    for i in 0..reps {
        for (j, w) in words.iter().enumerate() {
            if j > 0 {
                bytes.push(b' ');
            }
            bytes.extend_from_slice(w.as_bytes());
            if i % 2 == 1 && j == 2 {
                bytes.push(b' ');
                bad.push(bytes.len() as u64);
                bytes.push(0xFF);
            }
        }
        bytes.push(b'\n');
    }
    (bytes, bad)
}

#[test]
fn utf8_with_a_few_bad_bytes_is_utf8_and_the_error_lists_the_offsets() {
    // The case of the issue: ~500 bytes, 4 bad sequences (1.7% of the characters).
    let (bytes, bad) = damaged_utf8(8);
    assert_eq!(bad.len(), 4);
    let run = read_bytes("d.txt", bytes.clone(), ReadOptions::default());
    assert!(run.notes.is_empty(), "{:?}", run.note_lines());
    assert_eq!(run.docs.len(), 1);
    assert_eq!(run.docs[0].chunks[0].source.encoding, UTF_8);
    assert_eq!(
        run.docs[0].text,
        String::from_utf8_lossy(&bytes),
        "the rest is read as it is"
    );
    assert_eq!(run.errors.len(), 1, "{:?}", run.error_lines());
    let e = &run.errors[0];
    assert_eq!(e.offset, Some(bad[0]));
    let shown: Vec<String> = bad.iter().map(u64::to_string).collect();
    assert_eq!(
        e.to_string(),
        format!(
            "d.txt: invalid UTF-8: 4 malformed byte sequence(s) replaced with U+FFFD, at bytes {}",
            shown.join(", ")
        )
    );

    // Heavier damage: 20 bad bytes in ~2.4 KB; the first five offsets and the count.
    let (bytes, bad) = damaged_utf8(40);
    let run = read_bytes("e.txt", bytes, ReadOptions::default());
    assert_eq!(run.docs[0].chunks[0].source.encoding, UTF_8);
    assert!(run.notes.is_empty(), "{:?}", run.note_lines());
    let shown: Vec<String> = bad[..5].iter().map(u64::to_string).collect();
    assert_eq!(
        run.error_lines(),
        [format!(
            "e.txt: invalid UTF-8: 20 malformed byte sequence(s) replaced with U+FFFD, at bytes {} and 15 more",
            shown.join(", ")
        )]
    );
    assert!(matches!(
        &run.errors[0].kind,
        ErrorKind::InvalidEncoding { count: 20, offsets, .. } if offsets.len() == 5
    ));
}

#[test]
fn tiny_damaged_utf8_is_still_utf8() {
    // Two characters and one bad byte: too little for a share of letters to mean much, but a
    // valid multi-byte sequence per bad one does not happen by chance in single-byte text.
    let mut b = "نص".as_bytes().to_vec();
    b.push(0xFF);
    let run = read_bytes("t.txt", b, ReadOptions::default());
    assert_eq!(run.docs[0].chunks[0].source.encoding, UTF_8);
    assert_eq!(run.texts(), ["نص\u{FFFD}"]);
}

#[test]
fn real_single_byte_files_are_still_detected() {
    // Windows-1256 with the punctuation and letters that happen to form valid UTF-8 pairs
    // (a letter 0xC2-0xDF before ، 0xA1, ؟ 0xBF, ک 0x98 or گ 0x90).
    let text = "ذهب الولد إلى المدرسة، وقرأ كتاباً عن تاريخ العرب؟ نعم، ثم عاد.\n\
                گفت که کتاب را خواند، و چه زيبا بود؟\n";
    let (w, _, unmappable) = WINDOWS_1256.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&w).is_err());
    let run = read_bytes("w.txt", w.into_owned(), ReadOptions::default());
    assert_eq!(run.docs[0].chunks[0].source.encoding, WINDOWS_1256);
    assert_eq!(run.texts(), [text]);
    assert_eq!(
        run.note_lines(),
        ["w.txt: assumed windows-1256 (not valid UTF-8)"]
    );
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());

    // A short one: two words.
    let (w, _, _) = WINDOWS_1256.encode("كتاب، قلم");
    let run = read_bytes("s.txt", w.into_owned(), ReadOptions::default());
    assert_eq!(run.docs[0].chunks[0].source.encoding, WINDOWS_1256);
    assert_eq!(run.texts(), ["كتاب، قلم"]);

    let plain = "ذهب الولد الى المدرسة، في الصباح؛ وكان يوما جميلا؟\n".repeat(30);
    let (i, _, unmappable) = ISO_8859_6.encode(&plain);
    assert!(!unmappable);
    let run = read_bytes("i.txt", i.into_owned(), ReadOptions::default());
    assert_eq!(run.docs[0].chunks[0].source.encoding, ISO_8859_6);
    assert_eq!(run.texts(), [plain.as_str()]);
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
}

fn malformed_csv(run: &Run) -> Vec<String> {
    for e in &run.errors {
        assert!(
            matches!(e.kind, ErrorKind::Malformed { .. }),
            "{:?}",
            e.kind
        );
    }
    run.error_lines()
}

#[test]
fn csv_unclosed_quote_skips_its_line_and_reads_the_rest() {
    let csv = "id,text\n1,أول\n2,\"مكسور\n3,ثالث\n4,رابع\n";
    let run = read_bytes("r.csv", csv, ReadOptions::default());
    assert_eq!(run.texts(), ["أول", "ثالث", "رابع"]);
    assert_eq!(
        malformed_csv(&run),
        [
            "r.csv: record 2 (byte 17): malformed CSV: line 3: the quote opened at line 3 is \
          never closed; line 3 skipped, reading resumed at line 4"
        ]
    );
    // The rows after it keep their own numbers as names.
    let names: Vec<_> = run.docs.iter().map(|d| d.name.clone().unwrap()).collect();
    assert_eq!(names, ["row 1", "row 3", "row 4"]);
}

#[test]
fn csv_quote_closed_rows_later_is_a_stray_quote() {
    let csv = "id,text,cat\n1,أول,a\n2,\"مكسور,b\n3,ثالث,c\n4,\"رابع\",d\n";
    let run = read_bytes("m.csv", csv, ReadOptions::default());
    assert_eq!(run.texts(), ["أول", "ثالث", "رابع"]);
    let errs = malformed_csv(&run);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("line 3: the quote opened at line 3 closes on line 5 followed by text"),
        "{errs:?}"
    );

    // On one line.
    let run = read_bytes("o.csv", "id,text\n1,\"a\"b\n2,c\n", ReadOptions::default());
    assert_eq!(run.texts(), ["c"]);
    assert!(
        malformed_csv(&run)[0].contains("line 2: text after the closing quote"),
        "{:?}",
        run.error_lines()
    );
}

#[test]
fn csv_quote_open_too_long_is_a_stray_quote() {
    let mut csv = String::from("id,text\n1,\"x\n");
    for i in 0..kalima_test_lines() {
        csv.push_str(&format!("{},نص\n", i + 2));
    }
    let run = read_bytes("l.csv", csv, ReadOptions::default());
    assert_eq!(run.docs.len(), kalima_test_lines());
    let errs = malformed_csv(&run);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("the quote opened at line 2 is still open after 10000 lines"),
        "{errs:?}"
    );
}

/// More lines than a quoted field may span.
fn kalima_test_lines() -> usize {
    10_050
}

#[test]
fn csv_wrong_number_of_fields_is_reported_per_row() {
    let csv = "id,text,cat\n1,أول,a\n2,ثان\n3,ثالث,c,زائد\n\n4,\"رابع\nسطر\",d,e\n5,خامس,e\n";
    let run = read_bytes("f.csv", csv, ReadOptions::default());
    // Row 4 has sound quoting: its two lines are skipped together, "سطر" is no row.
    assert_eq!(run.texts(), ["أول", "خامس"]);
    let errs = malformed_csv(&run);
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs[0].contains("record 2 ") && errs[0].contains("line 3: 2 field(s), the header has 3"),
        "{errs:?}"
    );
    assert!(
        errs[1].contains("line 4: 4 field(s), the header has 3"),
        "{errs:?}"
    );
    assert!(
        errs[2].contains("line 6: 4 field(s), the header has 3"),
        "{errs:?}"
    );
}

#[test]
fn csv_sound_quoting_still_reads() {
    // Doubled quotes, a delimiter and line breaks inside quotes, CRLF, empty fields, blank
    // lines, a quote inside an unquoted field (taken literally), no final line break.
    let csv = "id,text,cat\r\n1,\"قال \"\"نعم\"\", ثم\r\nمضى\",a\r\n\r\n2,,b\r\n3,5\" أنبوب,\"\"\r\n4,\"\",c";
    let run = read_bytes("s.csv", csv, meta_opts());
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    assert_eq!(run.texts(), ["قال \"نعم\", ثم\r\nمضى", "", "5\" أنبوب", ""]);
    assert_eq!(
        run.docs[2].meta,
        vec![("id".into(), "3".into()), ("cat".into(), "".into())]
    );
    // TSV: quotes are text.
    let run = read_bytes(
        "s.tsv",
        "id\ttext\n1\t\"a\n2\tb\"\n",
        ReadOptions::default(),
    );
    assert!(run.errors.is_empty(), "{:?}", run.error_lines());
    assert_eq!(run.texts(), ["\"a", "b\""]);
    assert_eq!(run.docs[0].chunks[0].source.format, Format::Tsv);
}

#[test]
fn csv_broken_header_skips_the_file() {
    let run = read_bytes("h.csv", "id,\"text\n1,a\n", ReadOptions::default());
    assert!(run.docs.is_empty());
    assert_eq!(
        malformed_csv(&run),
        [
            "h.csv: byte 0: malformed CSV: header row (line 1): the quote opened at line 1 is \
          never closed; file skipped"
        ]
    );
}

#[test]
fn csv_line_numbers_count_comment_lines() {
    let run = read_bytes(
        "c.csv",
        "# a\n# b\nid,text\n1,\"x\n",
        ReadOptions::default(),
    );
    assert!(
        run.error_lines()[0].contains("line 4: the quote opened at line 4"),
        "{:?}",
        run.error_lines()
    );
}

fn meta_opts() -> ReadOptions {
    ReadOptions {
        keep_meta: true,
        ..ReadOptions::default()
    }
}

#[test]
fn trec_unclosed_field_is_named_with_its_line() {
    let text = "<DOC>\n<DOCNO>a</DOCNO>\n<TEXT>\nأول\n</TEXT>\n</DOC>\n\
                <DOC>\n<DOCNO>b</DOCNO>\n<TEXT>\nثان\n</DOC>\n\
                <DOC>\n<DOCNO>c</DOCNO>\n<text>ثالث</text>\n</DOC>\n";
    let run = read_bytes("d.trec", text, ReadOptions::default());
    assert_eq!(run.texts(), ["أول", "ثالث"]);
    assert_eq!(
        run.error_lines(),
        [
            "d.trec: record 2 (byte 52): malformed TREC: <TEXT> opened at line 9 is never closed; \
          document skipped"
        ]
    );
    // A document without the element at all is still "no <TEXT> element".
    let run = read_bytes(
        "n.trec",
        "<DOC>\n<DOCNO>a</DOCNO>\n<TEXTUAL>x</TEXTUAL>\n</DOC>\n",
        ReadOptions::default(),
    );
    assert!(
        run.error_lines()[0].contains("no <TEXT> element (elements: DOCNO, TEXTUAL)"),
        "{:?}",
        run.error_lines()
    );
}

#[test]
fn directory_without_input_files_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let hidden = dir.path().join("hidden");
    fs::create_dir_all(hidden.join(".git")).unwrap();
    fs::write(hidden.join(".a.txt"), "نص").unwrap();
    fs::write(hidden.join(".git/b.txt"), "نص").unwrap();
    let nested = dir.path().join("nested");
    fs::create_dir_all(nested.join("sub/empty")).unwrap();
    fs::write(nested.join("sub/a.txt"), "نص").unwrap();

    let run = read_paths(&[&empty, &hidden, &nested], ReadOptions::default());
    assert_eq!(run.texts(), ["نص"], "the other inputs are read");
    assert_eq!(
        run.error_lines(),
        [
            format!(
                "{}: no input files in this directory (hidden entries are skipped)",
                empty.display()
            ),
            format!(
                "{}: no input files in this directory (hidden entries are skipped)",
                hidden.display()
            ),
        ]
    );
    assert_eq!(run.notes.len(), 2, "{:?}", run.note_lines());
}
