//! Output formats, by name (`--format csv`) or by file extension (`-o out.csv`).

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::FrameError;

/// The formats a [`crate::Table`] can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// Comma-separated values (RFC 4180): header row, quotes only where needed.
    Csv,
    /// Tab-separated values: like CSV with a tab as separator.
    Tsv,
    /// One JSON array of row objects: `[{"term":"كتاب","count":3}]`.
    Json,
    /// JSON Lines: one row object per line.
    Jsonl,
    /// Apache Parquet (binary, zstd-compressed).
    Parquet,
    /// Aligned columns for a human at a terminal.
    Table,
}

impl OutputFormat {
    /// Every format, in the order help texts list them.
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Csv,
        OutputFormat::Tsv,
        OutputFormat::Json,
        OutputFormat::Jsonl,
        OutputFormat::Parquet,
        OutputFormat::Table,
    ];

    /// The format a file name asks for, by its extension (case-insensitive):
    /// `.csv`, `.tsv`/`.tab`, `.json`, `.jsonl`/`.ndjson`, `.parquet`/`.pq`, `.txt` (→ `Table`).
    /// `None` for anything else, so the caller can fall back to `--format` or a default.
    pub fn from_path(p: &Path) -> Option<OutputFormat> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => OutputFormat::Csv,
            "tsv" | "tab" => OutputFormat::Tsv,
            "json" => OutputFormat::Json,
            "jsonl" | "ndjson" => OutputFormat::Jsonl,
            "parquet" | "pq" => OutputFormat::Parquet,
            "txt" => OutputFormat::Table,
            _ => return None,
        })
    }

    /// The canonical name, as accepted by [`FromStr`].
    pub fn name(&self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Tsv => "tsv",
            OutputFormat::Json => "json",
            OutputFormat::Jsonl => "jsonl",
            OutputFormat::Parquet => "parquet",
            OutputFormat::Table => "table",
        }
    }

    /// True for formats that are not text (a terminal should not receive them).
    pub fn is_binary(&self) -> bool {
        matches!(self, OutputFormat::Parquet)
    }
}

impl FromStr for OutputFormat {
    type Err = FrameError;

    /// Accepts the canonical names plus `ndjson` (= `jsonl`), ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.as_str() {
            "ndjson" => Ok(OutputFormat::Jsonl),
            _ => OutputFormat::ALL
                .into_iter()
                .find(|f| f.name() == lower)
                .ok_or_else(|| FrameError::UnsupportedFormat(s.to_string())),
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in OutputFormat::ALL {
            assert_eq!(f.name().parse::<OutputFormat>().unwrap(), f);
            assert_eq!(f.to_string(), f.name());
        }
        assert_eq!(
            "ndjson".parse::<OutputFormat>().unwrap(),
            OutputFormat::Jsonl
        );
        assert_eq!("CSV".parse::<OutputFormat>().unwrap(), OutputFormat::Csv);
    }

    #[test]
    fn unknown_name_lists_the_valid_ones() {
        let err = "xlsx".parse::<OutputFormat>().unwrap_err();
        assert!(matches!(err, FrameError::UnsupportedFormat(ref s) if s == "xlsx"));
        let msg = err.to_string();
        for name in [
            "csv", "tsv", "json", "jsonl", "ndjson", "parquet", "table", "xlsx",
        ] {
            assert!(msg.contains(name), "{msg} should mention {name}");
        }
    }

    #[test]
    fn extensions() {
        let cases = [
            ("a.csv", Some(OutputFormat::Csv)),
            ("dir/a.CSV", Some(OutputFormat::Csv)),
            ("a.tsv", Some(OutputFormat::Tsv)),
            ("a.tab", Some(OutputFormat::Tsv)),
            ("a.json", Some(OutputFormat::Json)),
            ("a.jsonl", Some(OutputFormat::Jsonl)),
            ("a.ndjson", Some(OutputFormat::Jsonl)),
            ("a.parquet", Some(OutputFormat::Parquet)),
            ("a.pq", Some(OutputFormat::Parquet)),
            ("a.txt", Some(OutputFormat::Table)),
            ("a.xlsx", None),
            ("csv", None),
            ("a.csv.gz", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(OutputFormat::from_path(Path::new(path)), want, "{path}");
        }
    }
}
