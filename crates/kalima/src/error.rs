//! The one error type of the API.

use std::fmt::Display;

/// Why a call failed as a whole. Problems with single inputs are not errors: they are
/// reported to the [`Observer`](crate::Observer) as they happen and listed in
/// [`Output::failures`](crate::Output::failures), and the other inputs are still counted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An option or query that cannot be used (a usage error: the CLI exits with 2).
    #[error("{0}")]
    Invalid(String),
    /// Reading or writing a file failed. The message says which file (and what was being
    /// done); the I/O error is its [`source`](std::error::Error::source).
    #[error("{what}")]
    Io {
        /// The file, or what was being done with it (`reading stop words from x.txt`).
        what: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A file could be read but not used, or an output could not be made: the message says
    /// which and why (`chart.csv: row 3: …`, `cannot write out/: …`).
    #[error("{0}")]
    Failed(String),
    /// Temporary files (spilled counts) failed; the I/O error is the source.
    #[error("{what}")]
    Temp {
        /// What was being done.
        what: &'static str,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A table could not be built or written.
    #[error(transparent)]
    Frame(#[from] kalima_frame::FrameError),
    /// A chart could not be drawn.
    #[error("{0}")]
    Plot(String),
    /// A tokenizer for `bench` could not be loaded, trained or run.
    #[error("{0}")]
    Bench(String),
}

impl Error {
    /// A usage error.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid(message.into())
    }

    /// An I/O error while doing `what` (a path, or `reading stop words from x.txt`).
    pub fn io(what: impl Display, source: std::io::Error) -> Self {
        Error::Io {
            what: what.to_string(),
            source,
        }
    }

    /// True for usage errors (bad options or queries).
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Invalid(_))
    }
}

/// The API's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
