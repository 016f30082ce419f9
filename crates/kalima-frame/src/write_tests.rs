//! Tests for every output format: the output is parsed back where a parser exists.

use std::io::{self, Cursor, Write};
use std::path::Path;

use polars::prelude::{DataType, ParquetReader, SerReader};
use serde_json::{Value, json};

use super::*;

/// Awkward values: Arabic with harakat, separators, quotes, line breaks, an empty string.
fn tricky_terms() -> Vec<String> {
    [
        "كِتَابٌ",
        "قلم, حبر",
        "say \"hi\"",
        "line\nbreak",
        "tab\there",
        "cr\rlf",
        "",
        "ليس",
    ]
    .map(String::from)
    .to_vec()
}

fn tricky() -> Table {
    let terms = tricky_terms();
    let n = terms.len();
    let mut t = Table::new();
    t.push_str("term", terms)
        .push_u64("count", (1..=n as u64).rev().map(|x| x * 1000).collect())
        .push_i64("delta", (0..n as i64).map(|x| x - 3).collect())
        .push_f64(
            "per_million",
            vec![
                1234.5678,
                0.5,
                3.0,
                1e-7,
                123456789.25,
                0.1 + 0.2,
                -2.5,
                0.0,
            ],
        );
    t
}

fn render(t: &Table, f: OutputFormat) -> Vec<u8> {
    let mut out = Vec::new();
    write(t, f, &mut out).unwrap();
    out
}

fn text(t: &Table, f: OutputFormat) -> String {
    String::from_utf8(render(t, f)).unwrap()
}

fn empty() -> Table {
    let mut t = Table::new();
    t.push_str("term", vec![])
        .push_u64("count", vec![])
        .push_f64("ll", vec![]);
    t
}

fn read_delimited(bytes: &[u8], sep: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().delimiter(sep).from_reader(bytes);
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_round_trips_tricky_strings() {
    for (format, sep) in [(OutputFormat::Csv, b','), (OutputFormat::Tsv, b'\t')] {
        let bytes = render(&tricky(), format);
        let (header, rows) = read_delimited(&bytes, sep);
        assert_eq!(header, ["term", "count", "delta", "per_million"]);
        let terms: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
        assert_eq!(terms, tricky_terms(), "{format}");
        assert_eq!(rows[0][1..], ["8000", "-3", "1234.5678"]);
    }
}

#[test]
fn csv_quotes_only_when_needed() {
    let out = text(&tricky(), OutputFormat::Csv);
    let lines: Vec<&str> = out.split('\n').collect();
    assert_eq!(lines[0], "term,count,delta,per_million");
    assert_eq!(lines[1], "كِتَابٌ,8000,-3,1234.5678");
    assert_eq!(lines[2], "\"قلم, حبر\",7000,-2,0.5");
    assert_eq!(lines[3], "\"say \"\"hi\"\"\",6000,-1,3");
    assert_eq!(lines[4], "\"line");
    assert_eq!(lines[5], "break\",5000,0,0.0000001");
    // A tab needs no quotes in CSV; a lone CR does (it is a line break to many readers).
    assert_eq!(lines[6], "tab\there,4000,1,123456789.25");
    assert_eq!(lines[7], "\"cr\rlf\",3000,2,0.30000000000000004");
    // Polars quotes an empty string, so it differs from a missing value.
    assert_eq!(lines[8], "\"\",2000,3,-2.5");
    assert_eq!(lines[9], "ليس,1000,4,0");
    assert_eq!(lines[10], "");
    assert_eq!(lines.len(), 11);
}

#[test]
fn tsv_uses_tabs_and_quotes_tabs() {
    let out = text(&tricky(), OutputFormat::Tsv);
    assert!(out.starts_with("term\tcount\tdelta\tper_million\nكِتَابٌ\t8000\t-3\t1234.5678\n"));
    assert!(out.contains("\nقلم, حبر\t7000\t-2\t0.5\n"), "{out}");
    assert!(out.contains("\n\"tab\there\"\t4000\t"), "{out}");
}

#[test]
fn csv_floats_never_use_exponents() {
    let mut t = Table::new();
    t.push_f64(
        "x",
        vec![
            1e-7,
            1e20,
            1.5e-10,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
        ],
    );
    assert_eq!(
        text(&t, OutputFormat::Csv),
        "x\n0.0000001\n100000000000000000000\n0.00000000015\nNaN\ninf\n-inf\n-0\n"
    );
}

#[test]
fn json_is_an_array_of_row_objects_with_raw_utf8() {
    let out = text(&tricky(), OutputFormat::Json);
    assert!(out.ends_with("]\n"));
    // Arabic is written as is, not as \u escapes.
    assert!(out.contains("\"term\":\"كِتَابٌ\""), "{out}");
    assert!(!out.contains("\\u06"), "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    assert_eq!(
        rows[0],
        json!({"term": "كِتَابٌ", "count": 8000, "delta": -3, "per_million": 1234.5678})
    );
    let terms: Vec<&str> = rows.iter().map(|r| r["term"].as_str().unwrap()).collect();
    assert_eq!(terms, tricky_terms());
    // Keys keep the column order.
    assert!(
        out.starts_with(
            "[{\"term\":\"كِتَابٌ\",\"count\":8000,\"delta\":-3,\"per_million\":1234.5678}"
        )
    );
}

#[test]
fn json_float_spelling() {
    let mut t = Table::new();
    t.push_f64("x", vec![1234.5678, 3.0, 0.5, 1e-7, 1e20, 0.0001, f64::NAN]);
    let out = text(&t, OutputFormat::Jsonl);
    let xs: Vec<String> = out
        .lines()
        .map(|l| {
            l.strip_prefix("{\"x\":")
                .unwrap()
                .strip_suffix('}')
                .unwrap()
                .to_string()
        })
        .collect();
    // Pin polars' (zmij's) spelling so an upgrade that changes it is noticed.
    assert_eq!(
        xs,
        ["1234.5678", "3.0", "0.5", "1e-7", "1e+20", "0.0001", "null"]
    );
}

#[test]
fn jsonl_is_one_object_per_line() {
    let out = text(&tricky(), OutputFormat::Jsonl);
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 8);
    assert!(out.ends_with("}\n"));
    let terms: Vec<&str> = rows.iter().map(|r| r["term"].as_str().unwrap()).collect();
    assert_eq!(terms, tricky_terms());
    assert_eq!(rows[7]["count"], json!(1000));
    assert_eq!(rows[5]["per_million"].as_f64(), Some(0.1 + 0.2));
}

#[test]
fn parquet_reads_back_identically() {
    let bytes = render(&tricky(), OutputFormat::Parquet);
    assert_eq!(&bytes[..4], b"PAR1");
    let back = ParquetReader::new(Cursor::new(bytes)).finish().unwrap();
    let expected = tricky().to_dataframe().unwrap();
    assert_eq!(back.get_column_names(), expected.get_column_names());
    assert_eq!(back.column("count").unwrap().dtype(), &DataType::UInt64);
    assert!(back.equals(&expected), "{back:?}");
}

#[test]
fn parquet_needs_no_seek() {
    // A writer that is only `Write` (like a pipe) is enough.
    struct PipeLike(Vec<u8>);
    impl Write for PipeLike {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut out = PipeLike(Vec::new());
    write(&tricky(), OutputFormat::Parquet, &mut out).unwrap();
    let back = ParquetReader::new(Cursor::new(out.0)).finish().unwrap();
    assert_eq!(back.height(), 8);
}

#[test]
fn empty_tables_are_valid_in_every_format() {
    let t = empty();
    assert_eq!(text(&t, OutputFormat::Csv), "term,count,ll\n");
    assert_eq!(text(&t, OutputFormat::Tsv), "term\tcount\tll\n");
    assert_eq!(text(&t, OutputFormat::Json), "[]\n");
    assert_eq!(text(&t, OutputFormat::Jsonl), "");
    assert_eq!(
        text(&t, OutputFormat::Table),
        "term  count  ll\n----  -----  --\n"
    );
    let back = ParquetReader::new(Cursor::new(render(&t, OutputFormat::Parquet)))
        .finish()
        .unwrap();
    assert_eq!((back.height(), back.width()), (0, 3));
    assert_eq!(back.column("ll").unwrap().dtype(), &DataType::Float64);
}

#[test]
fn tables_without_columns_do_not_fail() {
    let t = Table::new();
    for f in OutputFormat::ALL {
        let mut out = Vec::new();
        let r = write(&t, f, &mut out);
        assert!(r.is_ok(), "{f}: {r:?}");
    }
}

#[test]
fn invalid_tables_are_refused_before_writing() {
    let mut t = tricky();
    t.push_u64("short", vec![1]);
    for f in OutputFormat::ALL {
        let mut out = Vec::new();
        let err = write(&t, f, &mut out).unwrap_err();
        assert!(
            matches!(err, FrameError::LengthMismatch { .. }),
            "{f}: {err:?}"
        );
        assert!(out.is_empty(), "{f}");
    }
}

#[test]
fn table_format_from_a_dataframe() {
    use polars::prelude::{Column, DataFrame};
    let mut df = DataFrame::new(
        2,
        vec![
            Column::new("term".into(), [Some("كتاب"), None]),
            Column::new("n".into(), [Some(5i32), None]),
            Column::new("x".into(), [Some(0.25f32), Some(1.0)]),
        ],
    )
    .unwrap();
    let mut out = Vec::new();
    write_dataframe(&mut df, OutputFormat::Table, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap().replace('\u{200E}', "");
    assert_eq!(
        out,
        "term  n         x\n----  -  --------\nكتاب  5  0.250000\n         1.000000\n"
    );
}

/// A writer that accepts `budget` bytes, then fails like a closed pipe.
struct ClosedPipe {
    budget: usize,
    flushes_fail: bool,
}

impl Write for ClosedPipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "reader went away",
            ));
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.flushes_fail && self.budget == 0 {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        Ok(())
    }
}

fn big() -> Table {
    let n = 50_000;
    let mut t = Table::new();
    t.push_str("term", (0..n).map(|i| format!("كلمة{i}")).collect())
        .push_u64("count", (0..n as u64).collect())
        .push_f64("per_million", (0..n).map(|i| i as f64 / 7.0).collect());
    t
}

#[test]
fn broken_pipe_comes_back_as_the_original_io_error() {
    for table in [tricky(), big()] {
        for budget in [0, 10, 5000] {
            for f in OutputFormat::ALL {
                if render(&table, f).len() <= budget {
                    continue; // everything fits before the pipe closes
                }
                let mut out = ClosedPipe {
                    budget,
                    flushes_fail: true,
                };
                let err = write(&table, f, &mut out).unwrap_err();
                assert!(err.is_broken_pipe(), "{f} budget {budget}: {err:?}");
                // The caller's own error object, message included.
                let msg = err.to_string();
                assert!(
                    msg == "reader went away" || msg == "broken pipe",
                    "{f}: {msg}"
                );
            }
        }
    }
}

#[test]
fn atomic_write_creates_and_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    write_file_atomic(&tricky(), OutputFormat::Csv, &path).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        render(&tricky(), OutputFormat::Csv)
    );
    write_file_atomic(&empty(), OutputFormat::Csv, &path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "term,count,ll\n");
    assert_eq!(entries(dir.path()), ["out.csv"]);
}

#[cfg(unix)]
#[test]
fn atomic_write_keeps_permissions_of_a_replaced_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.json");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_file_atomic(&tricky(), OutputFormat::Json, &path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A new file is not left at tempfile's private 0o600.
    let fresh = dir.path().join("fresh.json");
    write_file_atomic(&tricky(), OutputFormat::Json, &fresh).unwrap();
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
    assert_ne!(mode, 0o600, "{mode:o}");
}

#[test]
fn atomic_write_into_a_missing_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/out.csv");
    let err = write_file_atomic(&tricky(), OutputFormat::Csv, &path).unwrap_err();
    assert!(
        matches!(&err, FrameError::Io(e) if e.kind() == io::ErrorKind::NotFound),
        "{err:?}"
    );
    // The message names the missing folder, not tempfile's random name for the temporary.
    let msg = err.to_string();
    assert!(msg.contains("no/such/dir"), "{msg}");
    assert!(!msg.contains(".kalima-"), "{msg}");
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn failed_atomic_write_leaves_destination_and_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    std::fs::write(&path, "precious").unwrap();

    // Refused before any file is made.
    let mut bad = tricky();
    bad.push_u64("short", vec![1]);
    assert!(write_file_atomic(&bad, OutputFormat::Csv, &path).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    assert_eq!(entries(dir.path()), ["out.csv"]);

    // Fails at the rename: the destination is a non-empty directory.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("keep"), "x").unwrap();
    assert!(write_file_atomic(&tricky(), OutputFormat::Csv, &sub).is_err());
    assert_eq!(entries(dir.path()), ["out.csv", "sub"]);
    assert_eq!(entries(&sub), ["keep"]);
    // Nothing is left for a signal handler to remove either.
    assert!(
        !kalima_fs::registered()
            .iter()
            .any(|p| p.starts_with(dir.path()))
    );
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn a_real_closed_pipe_is_a_broken_pipe() {
    // Rust ignores SIGPIPE, so writing to a pipe without reader fails with EPIPE.
    for f in OutputFormat::ALL {
        let (reader, mut writer) = io::pipe().unwrap();
        drop(reader);
        let err = write(&big(), f, &mut writer).unwrap_err();
        assert!(err.is_broken_pipe(), "{f}: {err:?}");
    }
}

mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn csv_and_jsonl_round_trip_any_text(terms in prop::collection::vec(any::<String>(), 0..20)) {
            let mut t = Table::new();
            t.push_str("term", terms.clone()).push_u64("count", vec![1; terms.len()]);
            let (_, rows) = read_delimited(&render(&t, OutputFormat::Csv), b',');
            let back: Vec<String> = rows.into_iter().map(|r| r[0].clone()).collect();
            prop_assert_eq!(&back, &terms);
            let jsonl = text(&t, OutputFormat::Jsonl);
            let back: Vec<String> = jsonl
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()["term"].as_str().unwrap().to_string())
                .collect();
            prop_assert_eq!(&back, &terms);
        }

        #[test]
        fn table_rows_stay_one_line_each(terms in prop::collection::vec(any::<String>(), 0..20)) {
            let mut t = Table::new();
            t.push_str("term", terms.clone()).push_u64("count", vec![7; terms.len()]);
            let out = text(&t, OutputFormat::Table);
            prop_assert_eq!(out.lines().count(), terms.len() + 2);
            prop_assert!(out.lines().skip(2).all(|l| l.ends_with('7')));
        }
    }
}
