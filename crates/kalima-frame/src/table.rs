//! [`Table`]: ordered, named, typed columns that callers fill without touching polars.

use polars::prelude::{
    Column, DataFrame, Float64Chunked, Int64Chunked, IntoColumn, NewChunkedArray, StringChunked,
    UInt64Chunked,
};

use crate::FrameError;

/// The values of one column. Each variant maps to one polars dtype
/// (`String`, `UInt64`, `Int64`, `Float64`).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Text (terms, n-grams, document ids).
    Str(Vec<String>),
    /// Counts.
    U64(Vec<u64>),
    /// Signed integers (offsets, differences).
    I64(Vec<i64>),
    /// Measures (`per_million`, `ll`, …).
    F64(Vec<f64>),
}

impl ColumnData {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Str(v) => v.len(),
            ColumnData::U64(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::F64(v) => v.len(),
        }
    }

    /// True when the column holds no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True for number columns (right-aligned in the terminal table).
    pub fn is_numeric(&self) -> bool {
        !matches!(self, ColumnData::Str(_))
    }
}

/// A column-oriented table: named columns, kept in insertion order.
///
/// Build it with the `push_*` methods, then hand it to [`crate::write()`] or
/// [`crate::write_file_atomic`]. Column lengths are checked when the table is written
/// or converted, not on every push, so building stays a chain of cheap calls.
///
/// ```
/// let mut t = kalima_frame::Table::new();
/// t.push_str("term", vec!["في".into(), "من".into()])
///     .push_u64("count", vec![7, 5]);
/// assert_eq!((t.len(), t.width()), (2, 2));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    columns: Vec<(String, ColumnData)>,
}

impl Table {
    /// An empty table: no columns, no rows.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a column of any type.
    pub fn push(&mut self, name: &str, data: ColumnData) -> &mut Self {
        self.columns.push((name.to_string(), data));
        self
    }

    /// Appends a text column.
    pub fn push_str(&mut self, name: &str, values: Vec<String>) -> &mut Self {
        self.push(name, ColumnData::Str(values))
    }

    /// Appends an unsigned integer column (counts).
    pub fn push_u64(&mut self, name: &str, values: Vec<u64>) -> &mut Self {
        self.push(name, ColumnData::U64(values))
    }

    /// Appends a signed integer column.
    pub fn push_i64(&mut self, name: &str, values: Vec<i64>) -> &mut Self {
        self.push(name, ColumnData::I64(values))
    }

    /// Appends a floating-point column.
    pub fn push_f64(&mut self, name: &str, values: Vec<f64>) -> &mut Self {
        self.push(name, ColumnData::F64(values))
    }

    /// Number of rows: the length of the first column (0 without columns).
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// The columns, in order, as `(name, values)`.
    pub fn columns(&self) -> impl ExactSizeIterator<Item = (&str, &ColumnData)> {
        self.columns.iter().map(|(n, c)| (n.as_str(), c))
    }

    /// The columns, to append values to (for [`crate::RowWriter`]).
    pub(crate) fn columns_mut(&mut self) -> impl Iterator<Item = (&str, &mut ColumnData)> {
        self.columns.iter_mut().map(|(n, c)| (n.as_str(), c))
    }

    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&ColumnData> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Checks what every output format needs: all columns equally long, names unique.
    pub fn validate(&self) -> Result<(), FrameError> {
        let rows = self.len();
        for (i, (name, data)) in self.columns.iter().enumerate() {
            if data.len() != rows {
                return Err(FrameError::LengthMismatch {
                    column: name.clone(),
                    expected: rows,
                    found: data.len(),
                });
            }
            if self.columns[..i].iter().any(|(n, _)| n == name) {
                return Err(FrameError::DuplicateColumn(name.clone()));
            }
        }
        Ok(())
    }

    /// A polars `DataFrame` with the same columns (the values are copied).
    pub fn to_dataframe(&self) -> Result<DataFrame, FrameError> {
        self.validate()?;
        let columns = self
            .columns
            .iter()
            .map(|(name, data)| to_column(name, data.clone()))
            .collect();
        Ok(DataFrame::new(self.len(), columns)?)
    }

    /// Like [`Table::to_dataframe`], but moves the values instead of copying them.
    pub fn into_dataframe(self) -> Result<DataFrame, FrameError> {
        self.validate()?;
        let rows = self.len();
        let columns = self
            .columns
            .into_iter()
            .map(|(name, data)| to_column(&name, data))
            .collect();
        Ok(DataFrame::new(rows, columns)?)
    }
}

fn to_column(name: &str, data: ColumnData) -> Column {
    let name = name.into();
    match data {
        ColumnData::Str(v) => {
            StringChunked::from_iter_values(name, v.iter().map(String::as_str)).into_column()
        }
        ColumnData::U64(v) => UInt64Chunked::from_vec(name, v).into_column(),
        ColumnData::I64(v) => Int64Chunked::from_vec(name, v).into_column(),
        ColumnData::F64(v) => Float64Chunked::from_vec(name, v).into_column(),
    }
}

#[cfg(test)]
mod tests {
    use polars::prelude::DataType;

    use super::*;

    fn sample() -> Table {
        let mut t = Table::new();
        t.push_str("term", vec!["كِتَاب".into(), "a,b".into()])
            .push_u64("count", vec![3, 1])
            .push_i64("delta", vec![-1, 2])
            .push_f64("per_million", vec![1234.5678, 0.5]);
        t
    }

    #[test]
    fn dataframe_has_the_columns_in_order_with_their_dtypes() {
        let df = sample().to_dataframe().unwrap();
        assert_eq!(df.height(), 2);
        let names: Vec<_> = df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(names, ["term", "count", "delta", "per_million"]);
        let dtypes: Vec<_> = df.columns().iter().map(|c| c.dtype().clone()).collect();
        assert_eq!(
            dtypes,
            [
                DataType::String,
                DataType::UInt64,
                DataType::Int64,
                DataType::Float64
            ]
        );
        assert_eq!(
            df.column("term").unwrap().str().unwrap().get(0),
            Some("كِتَاب")
        );
        assert_eq!(sample().into_dataframe().unwrap(), df);
    }

    #[test]
    fn length_mismatch_is_an_error() {
        let mut t = sample();
        t.push_u64("short", vec![1]);
        let err = t.to_dataframe().unwrap_err();
        assert!(
            matches!(err, FrameError::LengthMismatch { ref column, expected: 2, found: 1 } if column == "short"),
            "{err:?}"
        );
    }

    #[test]
    fn duplicate_names_are_an_error() {
        let mut t = sample();
        t.push_u64("count", vec![1, 2]);
        assert!(matches!(t.validate(), Err(FrameError::DuplicateColumn(n)) if n == "count"));
    }

    #[test]
    fn empty_tables() {
        let t = Table::new();
        assert!(t.is_empty());
        assert_eq!(t.to_dataframe().unwrap().height(), 0);
        let mut t = Table::new();
        t.push_str("term", vec![]).push_u64("count", vec![]);
        let df = t.to_dataframe().unwrap();
        assert_eq!((df.height(), df.width()), (0, 2));
    }
}
