//! [`RowWriter`]: tables written one row at a time, without holding them.
//!
//! A command whose table does not fit in memory (n-grams, pairs) hands its rows over as it
//! makes them. CSV, TSV, JSON and JSON Lines are written at once, byte for byte as
//! [`crate::write_dataframe`] writes the same table through polars (the tests hold the two to
//! the same bytes); Parquet and the terminal `table` format need the whole table (Parquet's
//! column chunks, the table's column widths), so for those the rows are gathered into a
//! [`Table`] and written at [`RowWriter::finish`].

use std::io::{BufWriter, Write};

use crate::{ColumnData, FrameError, OutputFormat, Table};

/// The type of a column of a [`RowWriter`], as in [`ColumnData`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text.
    Str,
    /// Unsigned integers.
    U64,
    /// Signed integers.
    I64,
    /// Floats.
    F64,
}

/// One value of a row given to [`RowWriter::row`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// Text.
    Str(&'a str),
    /// An unsigned integer.
    U64(u64),
    /// A signed integer.
    I64(i64),
    /// A float.
    F64(f64),
}

impl Value<'_> {
    fn kind(&self) -> ColumnKind {
        match self {
            Value::Str(_) => ColumnKind::Str,
            Value::U64(_) => ColumnKind::U64,
            Value::I64(_) => ColumnKind::I64,
            Value::F64(_) => ColumnKind::F64,
        }
    }
}

/// Writes a table row by row in any [`OutputFormat`]; see the module docs.
#[allow(missing_debug_implementations)] // holds a `dyn Write`
///
/// ```
/// use kalima_frame::{ColumnKind, OutputFormat, RowWriter, Value};
///
/// let mut out = Vec::new();
/// let mut w = RowWriter::new(
///     &[("term", ColumnKind::Str), ("count", ColumnKind::U64)],
///     OutputFormat::Csv,
///     &mut out,
/// )?;
/// w.row(&[Value::Str("في"), Value::U64(7)])?;
/// w.finish()?;
/// assert_eq!(String::from_utf8(out).unwrap(), "term,count\nفي,7\n");
/// # Ok::<(), kalima_frame::FrameError>(())
/// ```
pub struct RowWriter<'w> {
    enc: RowEncoder,
    out: BufWriter<&'w mut dyn Write>,
    /// The rows so far, for the formats that need the whole table.
    held: Option<Table>,
    line: Vec<u8>,
    rows: u64,
}

/// Encodes rows of one table as the text formats' lines; see [`RowWriter::encoder`].
#[derive(Debug, Clone)]
pub struct RowEncoder {
    format: OutputFormat,
    kinds: Vec<ColumnKind>,
    names: Vec<String>,
}

impl RowEncoder {
    fn check(&self, values: &[Value<'_>]) -> Result<(), FrameError> {
        if values.len() != self.kinds.len()
            || values.iter().zip(&self.kinds).any(|(v, k)| v.kind() != *k)
        {
            return Err(FrameError::RowMismatch {
                expected: format!("{:?}", self.kinds),
                found: format!("{:?}", values.iter().map(Value::kind).collect::<Vec<_>>()),
            });
        }
        Ok(())
    }

    /// Appends row number `index` (from 0) of the table to `line`.
    pub fn encode(
        &self,
        values: &[Value<'_>],
        index: u64,
        line: &mut Vec<u8>,
    ) -> Result<(), FrameError> {
        self.check(values)?;
        self.encode_unchecked(values, index, line);
        Ok(())
    }

    fn encode_unchecked(&self, values: &[Value<'_>], index: u64, line: &mut Vec<u8>) {
        match self.format {
            OutputFormat::Csv | OutputFormat::Tsv => {
                let sep = if self.format == OutputFormat::Csv {
                    b','
                } else {
                    b'\t'
                };
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        line.push(sep);
                    }
                    match v {
                        Value::Str(s) => csv_field(line, s, sep),
                        Value::U64(x) => {
                            line.extend_from_slice(itoa::Buffer::new().format(*x).as_bytes())
                        }
                        Value::I64(x) => {
                            line.extend_from_slice(itoa::Buffer::new().format(*x).as_bytes())
                        }
                        // Polars' positional float form (`with_float_scientific(Some(false))`)
                        // is Rust's `Display`.
                        Value::F64(x) => {
                            let _ = write!(line, "{x}");
                        }
                    }
                }
                line.push(b'\n');
            }
            OutputFormat::Json | OutputFormat::Jsonl => {
                if self.format == OutputFormat::Json {
                    line.push(if index == 0 { b'[' } else { b',' });
                }
                line.push(b'{');
                for (i, (v, name)) in values.iter().zip(&self.names).enumerate() {
                    if i > 0 {
                        line.push(b',');
                    }
                    // Polars writes the key without escaping it.
                    line.push(b'"');
                    line.extend_from_slice(name.as_bytes());
                    line.extend_from_slice(b"\":");
                    match v {
                        Value::Str(s) => json_str(line, s),
                        Value::U64(x) => {
                            line.extend_from_slice(itoa::Buffer::new().format(*x).as_bytes())
                        }
                        Value::I64(x) => {
                            line.extend_from_slice(itoa::Buffer::new().format(*x).as_bytes())
                        }
                        Value::F64(x) if x.is_finite() => {
                            line.extend_from_slice(zmij::Buffer::new().format(*x).as_bytes())
                        }
                        Value::F64(_) => line.extend_from_slice(b"null"),
                    }
                }
                line.push(b'}');
                if self.format == OutputFormat::Jsonl {
                    line.push(b'\n');
                }
            }
            // Held by the writer, never encoded (see `RowWriter::encoder`).
            OutputFormat::Parquet | OutputFormat::Table => {}
        }
    }
}

impl<'w> RowWriter<'w> {
    /// A writer of a table with `columns` (name, type) in `format` to `out`. The CSV/TSV
    /// header is written at once. Column names must be unique.
    pub fn new(
        columns: &[(&str, ColumnKind)],
        format: OutputFormat,
        out: &'w mut dyn Write,
    ) -> Result<Self, FrameError> {
        for (i, (name, _)) in columns.iter().enumerate() {
            if columns[..i].iter().any(|(n, _)| n == name) {
                return Err(FrameError::DuplicateColumn(name.to_string()));
            }
        }
        let held = matches!(format, OutputFormat::Parquet | OutputFormat::Table).then(|| {
            let mut t = Table::new();
            for (name, kind) in columns {
                t.push(
                    name,
                    match kind {
                        ColumnKind::Str => ColumnData::Str(Vec::new()),
                        ColumnKind::U64 => ColumnData::U64(Vec::new()),
                        ColumnKind::I64 => ColumnData::I64(Vec::new()),
                        ColumnKind::F64 => ColumnData::F64(Vec::new()),
                    },
                );
            }
            t
        });
        let mut w = RowWriter {
            enc: RowEncoder {
                format,
                kinds: columns.iter().map(|c| c.1).collect(),
                names: columns.iter().map(|c| c.0.to_string()).collect(),
            },
            out: BufWriter::with_capacity(1 << 16, out),
            held,
            line: Vec::with_capacity(256),
            rows: 0,
        };
        if let Some(sep) = w.separator() {
            for (i, name) in columns.iter().map(|c| c.0).enumerate() {
                if i > 0 {
                    w.line.push(sep);
                }
                csv_field(&mut w.line, name, sep);
            }
            w.line.push(b'\n');
            w.out.write_all(&w.line)?;
        }
        Ok(w)
    }

    fn separator(&self) -> Option<u8> {
        match self.enc.format {
            OutputFormat::Csv => Some(b','),
            OutputFormat::Tsv => Some(b'\t'),
            _ => None,
        }
    }

    /// The encoder of this writer's rows when they are written line by line (CSV, TSV, JSON,
    /// JSON Lines; not the formats that hold the table): rows encoded with it on other
    /// threads, in order, then given to [`write_encoded`](Self::write_encoded), make the
    /// same bytes as [`row`](Self::row).
    pub fn encoder(&self) -> Option<&RowEncoder> {
        self.held.is_none().then_some(&self.enc)
    }

    /// Rows encoded with [`encoder`](Self::encoder), `rows` of them, the first being this
    /// writer's next row.
    pub fn write_encoded(&mut self, bytes: &[u8], rows: u64) -> Result<(), FrameError> {
        self.out.write_all(bytes)?;
        self.rows += rows;
        Ok(())
    }

    /// Rows written so far.
    pub fn rows_written(&self) -> u64 {
        self.rows
    }

    /// Writes one row: one value per column, of the column's type.
    pub fn row(&mut self, values: &[Value<'_>]) -> Result<(), FrameError> {
        self.enc.check(values)?;
        if let Some(t) = &mut self.held {
            for ((_, col), v) in t.columns_mut().zip(values) {
                match (col, v) {
                    (ColumnData::Str(c), Value::Str(s)) => c.push(s.to_string()),
                    (ColumnData::U64(c), Value::U64(x)) => c.push(*x),
                    (ColumnData::I64(c), Value::I64(x)) => c.push(*x),
                    (ColumnData::F64(c), Value::F64(x)) => c.push(*x),
                    _ => unreachable!("the kinds were checked above"),
                }
            }
            return Ok(());
        }
        self.line.clear();
        self.enc.encode_unchecked(values, self.rows, &mut self.line);
        self.rows += 1;
        self.out.write_all(&self.line)?;
        Ok(())
    }

    /// Ends the table (closes the JSON array, writes a held table) and flushes.
    pub fn finish(mut self) -> Result<(), FrameError> {
        if let Some(t) = self.held.take() {
            let mut out = self.out.into_inner().map_err(|e| e.into_error())?;
            return crate::write::write_dataframe_or_pretty(t, self.enc.format, &mut out);
        }
        if self.enc.format == OutputFormat::Json {
            self.out
                .write_all(if self.rows == 0 { b"[]\n" } else { b"]\n" })?;
        }
        self.out.flush()?;
        Ok(())
    }
}

/// A CSV/TSV field as polars writes it with `QuoteStyle::Necessary`: quoted when it holds
/// the separator, `\n`, `\r` or a quote (quotes doubled); an empty string as `""`.
fn csv_field(line: &mut Vec<u8>, s: &str, sep: u8) {
    let b = s.as_bytes();
    if b.is_empty() {
        line.extend_from_slice(b"\"\"");
        return;
    }
    if !b
        .iter()
        .any(|&c| c == sep || c == b'\n' || c == b'\r' || c == b'"')
    {
        line.extend_from_slice(b);
        return;
    }
    line.push(b'"');
    for part in s.split('"').enumerate() {
        if part.0 > 0 {
            line.extend_from_slice(b"\"\"");
        }
        line.extend_from_slice(part.1.as_bytes());
    }
    line.push(b'"');
}

/// A JSON string as polars writes it: raw UTF-8, with `"`, `\` and C0 controls escaped
/// (`\b \t \n \f \r` by name, the others as `\u00XX`).
fn json_str(line: &mut Vec<u8>, s: &str) {
    line.push(b'"');
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0..=0x1f => &[],
            _ => continue,
        };
        line.extend_from_slice(&b[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            line.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(c >> 4) as usize],
                HEX[(c & 0xf) as usize],
            ]);
        } else {
            line.extend_from_slice(esc);
        }
        start = i + 1;
    }
    line.extend_from_slice(&b[start..]);
    line.push(b'"');
}

/// Writes `table` in a text format (CSV, TSV, JSON, JSON Lines) through a [`RowWriter`].
pub(crate) fn write_rows_of(
    table: &Table,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<(), FrameError> {
    table.validate()?;
    let columns: Vec<(&str, ColumnKind)> = table
        .columns()
        .map(|(n, c)| {
            (
                n,
                match c {
                    ColumnData::Str(_) => ColumnKind::Str,
                    ColumnData::U64(_) => ColumnKind::U64,
                    ColumnData::I64(_) => ColumnKind::I64,
                    ColumnData::F64(_) => ColumnKind::F64,
                },
            )
        })
        .collect();
    let cols: Vec<&ColumnData> = table.columns().map(|c| c.1).collect();
    let mut w = RowWriter::new(&columns, format, out)?;
    let mut row = Vec::with_capacity(cols.len());
    for i in 0..table.len() {
        row.clear();
        row.extend(cols.iter().map(|c| match c {
            ColumnData::Str(v) => Value::Str(&v[i]),
            ColumnData::U64(v) => Value::U64(v[i]),
            ColumnData::I64(v) => Value::I64(v[i]),
            ColumnData::F64(v) => Value::F64(v[i]),
        }));
        w.row(&row)?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::write_dataframe;

    const TEXT: [OutputFormat; 4] = [
        OutputFormat::Csv,
        OutputFormat::Tsv,
        OutputFormat::Json,
        OutputFormat::Jsonl,
    ];

    /// The independent reference: the same table through a polars `DataFrame`.
    fn polars_bytes(t: &Table, f: OutputFormat) -> Vec<u8> {
        let mut out = Vec::new();
        write_dataframe(&mut t.to_dataframe().unwrap(), f, &mut out).unwrap();
        out
    }

    fn streamed(t: &Table, f: OutputFormat) -> Vec<u8> {
        let mut out = Vec::new();
        write_rows_of(t, f, &mut out).unwrap();
        out
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            // Separators, quotes, line ends, escapes, controls, Arabic with harakat.
            "[a-z \",\t\n\r\\\\\u{0}-\u{1f}\u{7f}كِتَابٌ؟\u{200f}\u{2028}]{0,10}",
            any::<String>(),
        ]
    }

    fn float() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            any::<i32>().prop_map(f64::from),
            (any::<i64>(), -30i32..30).prop_map(|(m, e)| m as f64 * 10f64.powi(e)),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            Just(1e-7),
            Just(1e16),
            Just(f64::MIN_POSITIVE / 3.0),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn rows_are_written_as_polars_writes_them(
            rows in prop::collection::vec((text(), any::<u64>(), any::<i64>(), float(), text()), 0..20)
        ) {
            let mut t = Table::new();
            t.push_str("term", rows.iter().map(|r| r.0.clone()).collect())
                .push_u64("count", rows.iter().map(|r| r.1).collect())
                .push_i64("delta", rows.iter().map(|r| r.2).collect())
                .push_f64("per_million", rows.iter().map(|r| r.3).collect())
                .push_str("other", rows.iter().map(|r| r.4.clone()).collect());
            for f in TEXT {
                let want = polars_bytes(&t, f);
                let got = streamed(&t, f);
                prop_assert_eq!(
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(&want),
                    "{}", f
                );
                let mut through_write = Vec::new();
                crate::write(&t, f, &mut through_write).unwrap();
                prop_assert_eq!(through_write, want);
            }
        }
    }

    #[test]
    fn header_names_are_quoted_like_values_and_empty_tables_match() {
        let mut t = Table::new();
        t.push_str("a,b", vec![]).push_f64("c\"d", vec![]);
        for f in TEXT {
            assert_eq!(streamed(&t, f), polars_bytes(&t, f), "{f}");
        }
        let mut t = Table::new();
        t.push_u64("n", vec![1, 2]);
        for f in TEXT {
            assert_eq!(streamed(&t, f), polars_bytes(&t, f), "{f}");
        }
    }

    #[test]
    fn held_formats_write_the_gathered_table() {
        let mut t = Table::new();
        t.push_str("term", vec!["كتاب".into(), "x".into()])
            .push_f64("v", vec![0.5, f64::NAN]);
        for f in [OutputFormat::Table, OutputFormat::Parquet] {
            let mut want = Vec::new();
            crate::write(&t, f, &mut want).unwrap();
            let mut got = Vec::new();
            let mut w = RowWriter::new(
                &[("term", ColumnKind::Str), ("v", ColumnKind::F64)],
                f,
                &mut got,
            )
            .unwrap();
            w.row(&[Value::Str("كتاب"), Value::F64(0.5)]).unwrap();
            w.row(&[Value::Str("x"), Value::F64(f64::NAN)]).unwrap();
            w.finish().unwrap();
            assert_eq!(got, want, "{f}");
        }
    }

    #[test]
    fn rows_of_the_wrong_shape_and_duplicate_names_are_errors() {
        let mut out = Vec::new();
        let cols = [("a", ColumnKind::Str), ("b", ColumnKind::U64)];
        let mut w = RowWriter::new(&cols, OutputFormat::Csv, &mut out).unwrap();
        assert!(matches!(
            w.row(&[Value::Str("x")]),
            Err(FrameError::RowMismatch { .. })
        ));
        assert!(matches!(
            w.row(&[Value::U64(1), Value::Str("x")]),
            Err(FrameError::RowMismatch { .. })
        ));
        drop(w);
        let dup = [("a", ColumnKind::Str), ("a", ColumnKind::U64)];
        assert!(matches!(
            RowWriter::new(&dup, OutputFormat::Csv, &mut Vec::new()),
            Err(FrameError::DuplicateColumn(n)) if n == "a"
        ));
    }
}
