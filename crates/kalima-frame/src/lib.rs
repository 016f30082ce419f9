//! Tables in and out: polars DataFrames from kalima results, CSV/TSV/JSON/JSONL/Parquet/table writers, atomic files
#![deny(missing_docs)]
