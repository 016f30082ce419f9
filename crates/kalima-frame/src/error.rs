//! The one error type of this crate.

use std::io;

use polars::prelude::PolarsError;

/// Everything that can go wrong while building or writing a table.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Reading or writing failed. This is the original [`io::Error`] of the destination
    /// (not a copy polars made), so callers can match on [`io::ErrorKind`], e.g. to end
    /// quietly on [`io::ErrorKind::BrokenPipe`] (see [`FrameError::is_broken_pipe`]).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// Polars refused the data or failed while encoding it.
    #[error("polars: {0}")]
    Polars(String),
    /// A format name that [`crate::OutputFormat`] does not know.
    #[error(
        "unknown output format `{0}` (expected one of: csv, tsv, json, jsonl, ndjson, parquet, table)"
    )]
    UnsupportedFormat(String),
    /// A column whose length differs from the first column's.
    #[error("column `{column}` has {found} values, but the table has {expected} rows")]
    LengthMismatch {
        /// The offending column.
        column: String,
        /// Rows in the table (the first column's length).
        expected: usize,
        /// Values in the offending column.
        found: usize,
    },
    /// A row given to [`crate::RowWriter::row`] whose values do not match the columns.
    #[error("a row of {found} for columns of {expected}")]
    RowMismatch {
        /// The column types.
        expected: String,
        /// The value types given.
        found: String,
    },
    /// Two columns with the same name: every format keys values by column name.
    #[error("duplicate column name `{0}`")]
    DuplicateColumn(String),
}

impl FrameError {
    /// True when the reader at the other end went away (`kalima … | head`).
    /// The CLI ends quietly with status 0 then.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, FrameError::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl From<PolarsError> for FrameError {
    fn from(err: PolarsError) -> Self {
        // Polars keeps I/O errors behind an `Arc`, sometimes under a context message;
        // surface them as `Io` with their kind intact. (The writers in this crate also
        // capture the destination's own error, see `write::Capture`; this is the fallback.)
        match err {
            PolarsError::IO { error, msg } => match std::sync::Arc::try_unwrap(error) {
                Ok(e) => FrameError::Io(e),
                Err(shared) => {
                    let text = match msg {
                        Some(m) => format!("{m}: {shared}"),
                        None => shared.to_string(),
                    };
                    FrameError::Io(io::Error::new(shared.kind(), text))
                }
            },
            PolarsError::Context { error, .. } if matches!(*error, PolarsError::IO { .. }) => {
                FrameError::from(*error)
            }
            other => FrameError::Polars(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polars_io_error_keeps_its_kind() {
        let perr = PolarsError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(FrameError::from(perr).is_broken_pipe());
    }

    #[test]
    fn other_errors_are_not_broken_pipes() {
        let e = FrameError::Io(io::Error::from(io::ErrorKind::NotFound));
        assert!(!e.is_broken_pipe());
        assert!(!FrameError::Polars("x".into()).is_broken_pipe());
    }
}
