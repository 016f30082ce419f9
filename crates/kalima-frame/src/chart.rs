//! DataFrames to chart data. The plot crate (`kalima-plot`) takes plain `(label, value)`
//! pairs so that it does not depend on polars; this is the bridge for callers holding a
//! `DataFrame`, e.g. one from a `kalima` result's `table()` or read by polars from a file.

use polars::prelude::{DataFrame, DataType};

use crate::FrameError;

/// `(label, value)` pairs from two columns of `df`, in row order: `label` of any type shown as
/// text, `value` of any numeric type (cast to `f64`). Rows with a null in either are left out.
///
/// ```
/// use kalima_frame::{Table, chart_data};
///
/// let mut t = Table::new();
/// t.push_str("term", vec!["الحكومة".into(), "وزارة".into()])
///     .push_u64("count", vec![12, 7]);
/// let df = t.to_dataframe()?;
/// assert_eq!(
///     chart_data(&df, "term", "count")?,
///     vec![("الحكومة".to_string(), 12.0), ("وزارة".to_string(), 7.0)]
/// );
/// // The pairs go straight to `kalima_plot::bar(&data, &options)`.
/// # Ok::<(), kalima_frame::FrameError>(())
/// ```
pub fn chart_data(
    df: &DataFrame,
    label: &str,
    value: &str,
) -> Result<Vec<(String, f64)>, FrameError> {
    let err = |e: polars::prelude::PolarsError| FrameError::Polars(e.to_string());
    let labels = df
        .column(label)
        .map_err(err)?
        .cast(&DataType::String)
        .map_err(err)?;
    let values = df.column(value).map_err(err)?;
    if !values.dtype().is_primitive_numeric() {
        return Err(FrameError::Polars(format!(
            "column `{value}` is {}, not a number",
            values.dtype()
        )));
    }
    let values = values.cast(&DataType::Float64).map_err(err)?;
    let labels = labels.str().map_err(err)?;
    let values = values.f64().map_err(err)?;
    Ok(labels
        .iter()
        .zip(values.iter())
        .filter_map(|(l, v)| Some((l?.to_string(), v?)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Table;

    #[test]
    fn nulls_left_out_and_text_values_refused() {
        let mut t = Table::new();
        t.push_str("tokenizer", vec!["words".into(), "bpe".into(), "x".into()])
            .push_f64("fertility", vec![1.13, f64::NAN, 2.0])
            .push_i64("rank", vec![1, 2, 3]);
        let df = t.to_dataframe().unwrap();
        let d = chart_data(&df, "tokenizer", "fertility").unwrap();
        // NaN is a value (not null): it stays, and the plot crate leaves non-finite values out.
        assert_eq!(d.len(), 3);
        assert_eq!(d[0], ("words".to_string(), 1.13));
        assert_eq!(
            chart_data(&df, "rank", "fertility").unwrap()[2],
            ("3".to_string(), 2.0)
        );
        assert!(chart_data(&df, "fertility", "tokenizer").is_err());
        assert!(chart_data(&df, "missing", "fertility").is_err());
    }
}
