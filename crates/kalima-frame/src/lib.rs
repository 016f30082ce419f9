//! Tables out of kalima: the one crate that knows polars.
//!
//! Counting crates produce plain vectors; this crate turns them into polars
//! `DataFrame`s and writes them as CSV, TSV, JSON, JSON Lines, Parquet or an aligned
//! terminal table, to any [`std::io::Write`] (stdout, a pipe) or atomically to a file.
//!
//! # Overview
//! - [`Table`]: ordered, named columns of text or numbers, built without polars types
//!   ([`Table::push_str`], [`Table::push_u64`], [`Table::push_i64`], [`Table::push_f64`]);
//!   [`Table::to_dataframe`] when you want polars itself (re-exported as [`polars`]).
//! - [`OutputFormat`]: parsed from a name (`"csv"`, `"jsonl"`, …) or guessed from a file
//!   extension with [`OutputFormat::from_path`].
//! - [`write()`] / [`write_dataframe`]: one table to one writer. The exact output of each
//!   format (quoting, float spelling, empty tables) is documented on [`write_dataframe`].
//! - [`RowWriter`]: a table written row by row, for tables too big to hold (same bytes as
//!   [`write()`] in every format).
//! - [`write_file_atomic`]: a temp file in the target's directory, synced, then renamed, so
//!   a failed run never leaves a half-written file.
//! - [`chart_data`]: `(label, value)` pairs from two columns of a `DataFrame`, for the plot
//!   crate (which takes plain data and knows nothing of polars).
//! - [`FrameError`]: one error type; [`FrameError::is_broken_pipe`] lets the CLI end
//!   quietly when the reader of its stdout goes away.
//!
//! # Example
//! ```
//! use kalima_frame::{OutputFormat, Table, write};
//!
//! let mut table = Table::new();
//! table
//!     .push_str("term", vec!["كِتَاب".to_string(), "قلم, حبر".to_string()])
//!     .push_u64("count", vec![3, 1])
//!     .push_f64("per_million", vec![1234.5678, 0.5]);
//!
//! let mut csv = Vec::new();
//! write(&table, "csv".parse::<OutputFormat>()?, &mut csv)?;
//! assert_eq!(
//!     String::from_utf8(csv).unwrap(),
//!     "term,count,per_million\nكِتَاب,3,1234.5678\n\"قلم, حبر\",1,0.5\n"
//! );
//!
//! let mut json = Vec::new();
//! write(&table, OutputFormat::Json, &mut json)?;
//! assert!(String::from_utf8(json).unwrap().starts_with(r#"[{"term":"كِتَاب","count":3,"#));
//! # Ok::<(), kalima_frame::FrameError>(())
//! ```
//!
//! # The `table` format
//! For people at a terminal:
//!
//! ```text
//! term  count  per_million
//! ----  -----  -----------
//! كِتَاب      3  1234.567800
//! ```
//!
//! Rules, and why (the marks mentioned last are not shown above):
//! - Widths are terminal cells, not bytes or chars: the sum of each char's width
//!   (`unicode_width::UnicodeWidthChar`), so harakat and other combining marks count 0
//!   and CJK counts 2. Per char on purpose: `UnicodeWidthStr` counts the lam-alef pair `لا` as one
//!   cell (a shaped ligature), but terminals advance the cursor per code point (`wcwidth`),
//!   so `لا` takes two cells there.
//! - Text is left-aligned, numbers right-aligned, floats with 6 decimals so the decimal
//!   points line up. The last column is not padded (no trailing blanks).
//! - Control characters (`\t`, `\n`, `\r`, other C0/C1 controls, DEL) and line/paragraph
//!   separators are shown as escapes (`\t`, `\u{1b}`), and bidi formatting characters
//!   (embeddings, overrides, isolates, LRM, RLM, ALM) as `‹U+202E›` markers, as in every
//!   output for people ([`kalima_text::display::visible_controls`]), so no value can break
//!   a line, reorder its neighbours or pass for another.
//! - A cell holding right-to-left text (Arabic, Hebrew, …) is followed by an invisible
//!   LEFT-TO-RIGHT MARK (U+200E), and such a line starts with one. Terminals and editors
//!   that apply the Unicode bidi algorithm (GNOME Terminal, Konsole, mlterm, most editors)
//!   would otherwise glue the numbers after an Arabic term into its right-to-left run and
//!   mirror the row, or pick a right-to-left direction for the whole line. With the marks,
//!   each Arabic term is rendered right-to-left inside its own cell and the columns stay put.
//!   LRM has zero width, so terminals without bidi show nothing for it.
#![deny(missing_docs)]

mod chart;
mod error;
mod format;
mod pretty;
mod stream;
mod table;
mod write;

pub use chart::chart_data;
pub use error::FrameError;
pub use format::OutputFormat;
pub use stream::{ColumnKind, RowEncoder, RowWriter, Value};
pub use table::{ColumnData, Table};
pub use write::{write, write_dataframe, write_file_atomic};

/// Polars itself, so callers can reach `DataFrame` without depending on it directly.
pub use polars;
