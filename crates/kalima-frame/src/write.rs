//! Writers: CSV/TSV/JSON/JSONL/Parquet through polars, the terminal table by hand,
//! and atomic files.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use polars::prelude::{
    CsvWriter, DataFrame, JsonFormat, JsonWriter, ParquetWriter, QuoteStyle, SerWriter,
};

use crate::{FrameError, OutputFormat, Table};

/// Writes `table` to `out` in `format`.
///
/// The output is what [`write_dataframe`] writes for the same table (see there for the
/// exact bytes). CSV, TSV, JSON and JSON Lines are written row by row by a
/// [`crate::RowWriter`], without the copy into a polars `DataFrame` (the tests hold both
/// paths to the same bytes); Parquet goes through a `DataFrame`. `out` needs no buffering:
/// this function buffers and flushes it.
pub fn write(table: &Table, format: OutputFormat, out: &mut dyn Write) -> Result<(), FrameError> {
    match format {
        OutputFormat::Table => crate::pretty::write_pretty(table, out),
        OutputFormat::Parquet => write_dataframe(&mut table.to_dataframe()?, format, out),
        // A table without columns has no row objects to write: polars' spelling of it.
        _ if table.width() == 0 => write_dataframe(&mut table.to_dataframe()?, format, out),
        _ => crate::stream::write_rows_of(table, format, out),
    }
}

/// [`write`] for a table the caller gives up (Parquet moves its values into the
/// `DataFrame` instead of copying them).
pub(crate) fn write_dataframe_or_pretty(
    table: Table,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<(), FrameError> {
    match format {
        OutputFormat::Parquet => write_dataframe(&mut table.into_dataframe()?, format, out),
        _ => write(&table, format, out),
    }
}

/// Writes a polars `DataFrame` to `out` in `format`.
///
/// What comes out:
/// - **CSV / TSV**: a header row, then one line per row, `\n` line ends, UTF-8 without BOM.
///   A field is quoted (`"`, doubled inside) only when it holds the separator, a quote, `\n`
///   or `\r` (RFC 4180; TSV quotes the same way, with tab as separator); an empty string is
///   written as `""`, a missing value (only possible from a `DataFrame`) as nothing.
///   Floats are positional with the fewest digits that read back to the same `f64` (Rust's
///   `Display`): `1234.5678`, `0.5`, `3` (not `3.0`), `0.0000001` (never `1e-7`), `NaN`,
///   `inf`, `-inf`. No exponent ever, so subnormal values are long strings of zeros.
/// - **JSON**: `[{"term":"كتاب","count":3,"per_million":1234.5678}]` and a final newline;
///   `[]` for no rows. **JSONL**: one such object per line, nothing for no rows. Keys follow
///   the column order. Strings are raw UTF-8 (only `"`, `\` and C0 controls are escaped).
///   Floats are polars' shortest round-trip form (the `zmij` crate): `1234.5678`, `3.0`,
///   `0.00001`, and exponent form below `1e-5` or from `1e16` on (`1e-7`, `1e+16`), which
///   JSON parsers read alike; NaN and ±inf become `null`.
/// - **Parquet**: one file, zstd-compressed, `u64` columns as `UInt64`. Polars' writer
///   only needs `Write` (it never seeks), so it can go to a pipe.
/// - **Table**: the aligned terminal layout of the crate docs; any `DataFrame` column type
///   is shown as polars casts it to a string, missing values as empty cells.
///
/// An I/O error from `out` comes back as [`FrameError::Io`] holding `out`'s own error.
pub fn write_dataframe(
    df: &mut DataFrame,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<(), FrameError> {
    let mut capture = Capture::new(out);
    let result = encode(df, format, &mut capture);
    capture.finish(result)
}

fn encode(df: &mut DataFrame, format: OutputFormat, out: &mut Capture) -> Result<(), FrameError> {
    match format {
        // CsvWriter buffers internally (its docs advise against another buffer).
        OutputFormat::Csv => write_csv(df, b',', out)?,
        OutputFormat::Tsv => write_csv(df, b'\t', out)?,
        OutputFormat::Json | OutputFormat::Jsonl => {
            // The JSON writers issue small writes; stdout is line-buffered, so buffer here.
            let mut buf = BufWriter::with_capacity(1 << 16, &mut *out);
            let json_format = if format == OutputFormat::Json {
                JsonFormat::Json
            } else {
                JsonFormat::JsonLines
            };
            JsonWriter::new(&mut buf)
                .with_json_format(json_format)
                .finish(df)?;
            if format == OutputFormat::Json {
                buf.write_all(b"\n")?;
            }
            buf.flush()?;
        }
        OutputFormat::Parquet => {
            let mut buf = BufWriter::with_capacity(1 << 16, &mut *out);
            ParquetWriter::new(&mut buf).finish(df)?;
            buf.flush()?;
        }
        OutputFormat::Table => crate::pretty::write_pretty_dataframe(df, out)?,
    }
    out.flush()?;
    Ok(())
}

/// CSV or TSV with the settings documented on [`write_dataframe`].
fn write_csv(df: &mut DataFrame, separator: u8, out: &mut Capture) -> Result<(), FrameError> {
    CsvWriter::new(out)
        .include_header(true)
        .with_separator(separator)
        .with_quote_style(QuoteStyle::Necessary)
        .with_line_terminator("\n".into())
        // Positional shortest round-trip floats: no exponent surprises.
        .with_float_scientific(Some(false))
        .finish(df)?;
    Ok(())
}

/// Atomically writes `table` to the file `path`: all of it or, on error, nothing.
///
/// The data goes to a temporary file in the same directory, which is flushed, synced to
/// disk and then renamed over `path` ([`kalima_fs::AtomicFile`]). Readers of `path` see the
/// old file or the complete new one, never a part; on error, or when the process is
/// interrupted by a signal that the binary handles with [`kalima_fs::clean_up_for_exit`],
/// `path` is untouched and the temporary file is removed. A new file gets the usual
/// permissions (`0o666` less the umask on Unix); a replaced file keeps its permissions.
pub fn write_file_atomic(
    table: &Table,
    format: OutputFormat,
    path: &Path,
) -> Result<(), FrameError> {
    // Validate first so a bad table never creates a temp file.
    table.validate()?;
    let mut tmp = kalima_fs::AtomicFile::create(path)?;
    write(table, format, tmp.file_mut())?;
    tmp.commit()?;
    Ok(())
}

/// Sits between polars and the caller's writer and keeps the caller's first I/O error.
///
/// Polars wraps I/O errors (the Parquet writer even turns them into strings), so the
/// `ErrorKind` the CLI needs to detect a closed pipe could be lost. Polars gets an error of
/// the same kind; the original is returned to the caller.
struct Capture<'a> {
    inner: &'a mut dyn Write,
    error: Option<io::Error>,
}

impl<'a> Capture<'a> {
    fn new(inner: &'a mut dyn Write) -> Self {
        Capture { inner, error: None }
    }

    fn record(&mut self, e: io::Error) -> io::Error {
        if e.kind() == io::ErrorKind::Interrupted {
            // Not a failure: `write_all` retries it.
            return e;
        }
        let stand_in = io::Error::new(e.kind(), e.to_string());
        self.error.get_or_insert(e);
        stand_in
    }

    fn check(&self) -> io::Result<()> {
        match &self.error {
            // Once the destination failed, nothing more may be written to it.
            Some(e) => Err(io::Error::new(e.kind(), e.to_string())),
            None => Ok(()),
        }
    }

    /// The captured I/O error wins over whatever polars made of it.
    fn finish(self, result: Result<(), FrameError>) -> Result<(), FrameError> {
        match (result, self.error) {
            (Err(_), Some(e)) => Err(FrameError::Io(e)),
            (result, _) => result,
        }
    }
}

impl Write for Capture<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.check()?;
        self.inner.write(buf).map_err(|e| self.record(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.check()?;
        self.inner.write_all(buf).map_err(|e| self.record(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.check()?;
        self.inner.flush().map_err(|e| self.record(e))
    }
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
