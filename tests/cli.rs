//! End-to-end tests of the `kalima` binary on data/ and on small files made here.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::{kalima, run, sample};

fn csv_rows(s: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(s.as_bytes());
    r.records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn tokenize_keeps_one_line_per_input_line() {
    let o = run(
        kalima().arg("tokenize"),
        "قال الرئيسُ: «نعم».\n\nhello, world\n".as_bytes(),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "قال الرئيسُ : « نعم » .\n\nhello , world\n");
}

#[test]
fn tokenize_last_line_without_newline_and_crlf() {
    let o = run(kalima().arg("tokenize"), b"a b\r\nc");
    assert_eq!(o.stdout, "a b\nc\n");
}

#[test]
fn tokenize_jsonl_offsets_point_into_the_original() {
    let input = "ذهبَ الطالبُ إلى المدرسةِ\nكـــتاب ٢٠٢٠\n";
    let o = run(
        kalima().args(["tokenize", "--format", "jsonl", "--normalize", "search"]),
        input.as_bytes(),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let lines: Vec<&str> = input.lines().collect();
    let out: Vec<serde_json::Value> = o
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 2);
    assert!(o.stdout.starts_with("{\"tokens\":["), "{}", o.stdout);
    let toks: Vec<&str> = out[0]["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(toks, ["ذهب", "الطالب", "الي", "المدرسه"]);
    let spans: Vec<&str> = out[0]["offsets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &lines[0][p[0].as_u64().unwrap() as usize..p[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(spans, ["ذهبَ", "الطالبُ", "إلى", "المدرسةِ"]);
    let toks2: Vec<&str> = out[1]["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(toks2, ["كتاب", "2020"]);
    let o2 = &out[1]["offsets"][1];
    assert_eq!(
        &lines[1][o2[0].as_u64().unwrap() as usize..o2[1].as_u64().unwrap() as usize],
        "٢٠٢٠"
    );
}

#[test]
fn tokenize_camel_scheme_and_whitespace() {
    let o = run(
        kalima().args(["tokenize", "--scheme", "whitespace"]),
        "a,b  c\n".as_bytes(),
    );
    assert_eq!(o.stdout, "a,b c\n");
    let o = run(
        kalima().args(["tokenize", "--scheme", "camel"]),
        "في 2020م،\n".as_bytes(),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "في 2020م ،\n");
    let o = run(
        kalima().args(["tokenize", "--scheme", "camel", "--split-digits"]),
        "في 2020م،\n".as_bytes(),
    );
    assert_eq!(o.stdout, "في 2020 م ،\n");
}

#[test]
fn freq_on_the_sample_is_ordered_and_complete() {
    let o = run(
        kalima().args(["freq", "--format", "csv"]).arg(sample()),
        b"",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows = csv_rows(&o.stdout);
    assert_eq!(
        rows[0],
        ["term", "count", "doc_freq", "per_million", "rank"]
    );
    let data = &rows[1..];
    assert!(data.len() > 1000);
    let total: u64 = data.iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
    // Independent count: tokenize the same files and count whitespace-separated tokens.
    let mut tok = kalima();
    tok.args(["tokenize", "--normalize", "light"]).arg(sample());
    let t = run(&mut tok, b"");
    assert_eq!(total, t.stdout.split_whitespace().count() as u64);
    for (i, w) in data.windows(2).enumerate() {
        let (c0, c1): (u64, u64) = (w[0][1].parse().unwrap(), w[1][1].parse().unwrap());
        assert!(
            c0 > c1 || (c0 == c1 && w[0][0] < w[1][0]),
            "row {i}: {:?} then {:?}",
            w[0],
            w[1]
        );
        assert_eq!(w[0][4], (i + 1).to_string());
    }
    let files = std::fs::read_dir(sample()).unwrap().count() as u64;
    for r in data {
        let df: u64 = r[2].parse().unwrap();
        assert!(df >= 1 && df <= files && df <= r[1].parse().unwrap());
        let pm: f64 = r[3].parse().unwrap();
        let expect = r[1].parse::<f64>().unwrap() * 1e6 / total as f64;
        assert!(
            (pm - expect).abs() < 1e-3 * expect.max(1.0),
            "{pm} vs {expect}"
        );
    }
}

#[test]
fn freq_output_is_identical_for_any_thread_count() {
    let one = run(
        kalima()
            .args(["freq", "--format", "csv", "-j", "1"])
            .arg(sample()),
        b"",
    );
    let two = run(
        kalima()
            .args(["freq", "--format", "csv", "-j", "2"])
            .arg(sample()),
        b"",
    );
    let four = run(
        kalima()
            .args(["freq", "--format", "csv", "-j", "4"])
            .arg(sample()),
        b"",
    );
    assert_eq!(one.code, 0);
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn freq_top_min_count_stopwords() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    std::fs::write(&f, "في البيت في المدرسة من البيت البيت ، .\nكتاب").unwrap();
    let o = run(
        kalima()
            .args(["freq", "--format", "csv", "--min-count", "2"])
            .arg(&f),
        b"",
    );
    let rows = csv_rows(&o.stdout);
    let terms: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(terms, ["البيت", "في"]);
    let o = run(
        kalima()
            .args([
                "freq",
                "--format",
                "csv",
                "--stopwords",
                "ar",
                "--drop-punct",
            ])
            .arg(&f),
        b"",
    );
    let rows = csv_rows(&o.stdout);
    let terms: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(terms, ["البيت", "المدرسة", "كتاب"]);
    let o = run(
        kalima()
            .args(["freq", "--format", "csv", "--top", "1"])
            .arg(&f),
        b"",
    );
    assert_eq!(csv_rows(&o.stdout).len(), 2);
    let sw = dir.path().join("stop.txt");
    std::fs::write(&sw, "البيتَ\n").unwrap();
    let o = run(
        kalima()
            .args(["freq", "--format", "tsv", "--stopwords"])
            .arg(&sw)
            .arg(&f),
        b"",
    );
    assert!(
        o.stdout
            .starts_with("term\tcount\tdoc_freq\tper_million\trank\n")
    );
    assert!(!o.stdout.contains("البيت\t"), "{}", o.stdout);
}

#[test]
fn freq_writes_every_format_to_files_atomically() {
    let dir = tempfile::tempdir().unwrap();
    for (ext, check) in [
        ("csv", b"term,count" as &[u8]),
        ("tsv", b"term\tcount"),
        ("json", b"["),
        ("jsonl", b"{"),
        ("parquet", b"PAR1"),
    ] {
        let out = dir.path().join(format!("f.{ext}"));
        let o = run(
            kalima().args(["freq", "-q", "-o"]).arg(&out).arg(sample()),
            b"",
        );
        assert_eq!(o.code, 0, "{ext}: {}", o.stderr);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(check), "{ext}");
    }
    // JSON parses, Arabic stays readable.
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("f.json")).unwrap()).unwrap();
    assert!(j[0]["term"].is_string() && j[0]["count"].as_u64().unwrap() > 10);
    // Nothing but the outputs was left behind (no temp files).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 5);
    // Unknown extension without --format is a usage error.
    let o = run(
        kalima()
            .args(["freq", "-o"])
            .arg(dir.path().join("x.unknown"))
            .arg(sample()),
        b"",
    );
    assert_eq!(o.code, 2);
}

#[test]
fn freq_table_format_aligns() {
    let o = run(
        kalima()
            .args(["freq", "--format", "table", "--top", "5"])
            .arg(sample()),
        b"",
    );
    assert_eq!(o.code, 0);
    assert!(o.stdout.lines().count() >= 6, "{}", o.stdout);
}

fn write(p: &Path, bytes: &[u8]) {
    std::fs::write(p, bytes).unwrap();
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    write(&good, "كلمة كلمة".as_bytes());
    let empty = dir.path().join("empty.txt");
    write(&empty, b"");
    let missing = dir.path().join("missing.txt");
    let broken = dir.path().join("broken.gz");
    write(&broken, b"\x1f\x8b\x08\x00garbage");
    let o = run(
        kalima()
            .args(["freq", "--format", "csv"])
            .args([&good, &empty, &missing, &broken]),
        b"",
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("missing.txt"), "{}", o.stderr);
    assert!(o.stderr.contains("broken.gz"), "{}", o.stderr);
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows[1][..3], ["كلمة", "2", "1"]);
}

#[test]
fn windows_1256_and_utf16_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let text = "السلام عليكم ورحمة الله";
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(text);
    write(&dir.path().join("a.txt"), &cp1256);
    let mut u16le = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        u16le.extend(u.to_le_bytes());
    }
    write(&dir.path().join("b.txt"), &u16le);
    let o = run(
        kalima().args(["freq", "--format", "csv"]).arg(dir.path()),
        b"",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("a.txt") && o.stderr.to_lowercase().contains("windows-1256"),
        "{}",
        o.stderr
    );
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows.len(), 5);
    assert!(
        rows[1..].iter().all(|r| r[1] == "2" && r[2] == "2"),
        "{rows:?}"
    );
}

#[test]
fn invalid_utf8_names_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.txt");
    let mut bytes = "كلمة ".repeat(20_000).into_bytes();
    bytes.extend(b"\xff\xfe\xfd ");
    bytes.extend("نهاية".as_bytes());
    write(&p, &bytes);
    let o = run(
        kalima()
            .args(["freq", "--format", "csv", "--encoding", "utf-8"])
            .arg(&p),
        b"",
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("bad.txt") && o.stderr.contains("180000"),
        "{}",
        o.stderr
    );
    assert!(
        o.stdout.contains("نهاية"),
        "the rest of the file is still counted"
    );
}

#[test]
fn closed_pipe_exits_quietly() {
    let mut child = kalima()
        .args(["freq", "--format", "csv", "-q"])
        .arg(sample())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 4];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?} {err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        run(kalima().args(["freq", "--normalize", "bogus", "x"]), b"").code,
        2
    );
    assert_eq!(run(kalima().args(["freq"]), b"").code, 2);
    assert_eq!(run(kalima().args(["frobnicate"]), b"").code, 2);
    assert_eq!(run(kalima().args(["--help"]), b"").code, 0);
}

fn shared() -> Option<PathBuf> {
    common::shared_data()
}

#[test]
fn freq_reads_the_ant_tar() {
    let Some(data) = shared() else { return };
    let tar = data.join("ant_multisource/ant_multisource_v2.1.tar.xz");
    let o = run(
        kalima()
            .args(["freq", "-q", "--format", "csv", "--top", "3"])
            .arg(&tar),
        b"",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows = csv_rows(&o.stdout);
    assert_eq!(rows.len(), 4);
    // The most frequent term of Arabic news is in nearly every article but never more.
    let df: u64 = rows[1][2].parse().unwrap();
    assert!(df > 20_000 && df <= 31_525, "{df}");
}

fn freq_csv(args: &[&str], paths: &[&Path]) -> (i32, Vec<Vec<String>>, String) {
    let mut c = kalima();
    c.args(["freq", "--format", "csv", "-q"])
        .args(args)
        .args(paths);
    let o = run(&mut c, b"");
    (o.code, csv_rows(&o.stdout), o.stderr)
}

fn counts(rows: &[Vec<String>]) -> Vec<(String, u64, u64)> {
    rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap(), r[2].parse().unwrap()))
        .collect()
}

#[test]
fn record_formats_count_documents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        &d.join("a.jsonl"),
        "{\"content\": \"كلمة أخرى\", \"source\": \"x\"}\n{\"content\": \"كلمة\"}\n".as_bytes(),
    );
    write(
        &d.join("b.json"),
        "[{\"body\": \"كلمة\"}, {\"body\": \"ثالثة\"}]".as_bytes(),
    );
    write(
        &d.join("c.csv"),
        "id,text\n1,\"كلمة، كلمة\"\n2,أخرى\n".as_bytes(),
    );
    write(
        &d.join("d.xml"),
        "<DOC>\n<DOCNO>1</DOCNO>\n<TITLE>عنوان</TITLE>\n<TEXT>\nكلمة &amp; كلمة\n</TEXT>\n</DOC>\n"
            .as_bytes(),
    );
    write(&d.join("e.conllu"), "# newdoc id = d1\n# text = كلمة جديدة\n1\tكلمة\t_\t_\t_\t_\t_\t_\t_\t_\n2\tجديدة\t_\t_\t_\t_\t_\t_\t_\t_\n\n".as_bytes());
    let (code, rows, err) = freq_csv(&["--drop-punct"], &[&d.join("a.jsonl")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&rows),
        [("كلمة".into(), 2, 2), ("أخرى".into(), 1, 1)]
    );
    let (_, rows, _) = freq_csv(&["--field", "body"], &[&d.join("b.json")]);
    assert_eq!(
        counts(&rows),
        [("ثالثة".into(), 1, 1), ("كلمة".into(), 1, 1)]
    );
    let (_, rows, _) = freq_csv(&["--drop-punct"], &[&d.join("c.csv")]);
    assert_eq!(
        counts(&rows),
        [("كلمة".into(), 2, 1), ("أخرى".into(), 1, 1)]
    );
    let (_, rows, _) = freq_csv(&["--drop-punct"], &[&d.join("d.xml")]);
    assert_eq!(counts(&rows), [("كلمة".into(), 2, 1)]);
    let (_, rows, _) = freq_csv(&["--drop-punct", "--field", "TITLE"], &[&d.join("d.xml")]);
    assert_eq!(counts(&rows), [("عنوان".into(), 1, 1)]);
    let (_, rows, _) = freq_csv(&[], &[&d.join("e.conllu")]);
    assert_eq!(
        counts(&rows),
        [("جديدة".into(), 1, 1), ("كلمة".into(), 1, 1)]
    );
}

#[test]
fn compressed_inputs_and_archives() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = "سطر أول\nسطر ثان\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    write(&d.join("a.txt.gz"), &gz.finish().unwrap());
    let mut xz = xz2::write::XzEncoder::new(Vec::new(), 6);
    xz.write_all(text.as_bytes()).unwrap();
    write(&d.join("b.txt.xz"), &xz.finish().unwrap());
    write(
        &d.join("c.txt.zst"),
        &zstd::encode_all(text.as_bytes(), 3).unwrap(),
    );
    let mut tar = tar::Builder::new(Vec::new());
    for name in ["x/1.txt", "x/2.txt"] {
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        tar.append_data(&mut h, name, text.as_bytes()).unwrap();
    }
    write(&d.join("d.tar"), &tar.into_inner().unwrap());
    let (code, rows, err) = freq_csv(&[], &[d]);
    assert_eq!(code, 0, "{err}");
    // 5 documents (3 compressed files + 2 tar members), each with "سطر" twice.
    assert_eq!(counts(&rows)[0], ("سطر".into(), 10, 5));
}

#[test]
fn a_long_single_line_streams_and_counts_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("long.txt");
    // 24 MB, no newline at all: read in chunks cut at whitespace, never splitting a word.
    let unit = "كلمة ثانية ";
    let n = 24_000_000 / unit.len();
    write(&p, unit.repeat(n).as_bytes());
    let (code, rows, err) = freq_csv(&[], &[&p]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        counts(&rows),
        [("ثانية".into(), n as u64, 1), ("كلمة".into(), n as u64, 1)]
    );
    // tokenize keeps it as one output line.
    let o = run(kalima().arg("tokenize").arg(&p), b"");
    assert_eq!(o.stdout.matches('\n').count(), 1);
    assert_eq!(o.stdout.split_whitespace().count(), 2 * n);
}

#[test]
fn nul_bytes_mean_binary_and_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("x.bin");
    write(&bin, b"\x00\x01\x02binary\x00stuff");
    let good = dir.path().join("g.txt");
    write(&good, "نص".as_bytes());
    let (code, rows, err) = freq_csv(&[], &[&bin, &good]);
    assert_eq!(code, 1);
    assert!(err.contains("x.bin"), "{err}");
    assert_eq!(counts(&rows), [("نص".into(), 1, 1)]);
}

#[test]
fn shared_corpus_thread_determinism() {
    let Some(data) = shared() else { return };
    let tar = data.join("saudinewsnet/saudinewsnet_2015.tar.xz");
    let one = run(
        kalima()
            .args(["freq", "-q", "--format", "csv", "-j", "1"])
            .arg(&tar),
        b"",
    );
    let two = run(
        kalima()
            .args(["freq", "-q", "--format", "csv", "-j", "2"])
            .arg(&tar),
        b"",
    );
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert!(one.stdout.len() > 1_000_000);
    assert!(one.stdout == two.stdout, "-j1 and -j2 differ");
}
