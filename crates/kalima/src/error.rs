//! The one error type of the API.

use std::path::{Path, PathBuf};

/// Why a call failed as a whole. Problems with single inputs are not errors: they are
/// reported to the [`Observer`](crate::Observer) as they happen and listed in
/// [`Output::failures`](crate::Output::failures), and the other inputs are still counted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An option or query that cannot be used (a usage error: the CLI exits with 2).
    #[error("{0}")]
    Invalid(String),
    /// Reading or writing a named file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// Temporary files (spilled counts) failed.
    #[error("{what}: {source}")]
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

    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
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
