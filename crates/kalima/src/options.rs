//! Options several analyses share: stop words, which terms count, the memory budget.

use std::collections::HashSet;
use std::path::PathBuf;

use kalima_text::Analyzer;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The built-in Arabic stop-word list (mohataher/arabic-stop-words, MIT; see data/stopwords/).
pub const ARABIC_STOPWORDS: &str = include_str!("../../../data/stopwords/ar.txt");

/// Stop words from `spec`: `ar` (the built-in list) or a file with one word per line, each
/// normalized and tokenized like the text; an entry that becomes exactly one term is kept as
/// that term.
pub fn load_stopwords(spec: &str, analyzer: &Analyzer) -> Result<HashSet<String>> {
    let owned;
    let list = if spec == "ar" {
        ARABIC_STOPWORDS
    } else {
        owned = std::fs::read_to_string(spec)
            .map_err(|e| Error::io(format_args!("reading stop words from {spec}"), e))?;
        &owned
    };
    let mut set = HashSet::new();
    for line in list.lines() {
        let a = analyzer.analyze(line.trim());
        if a.len() == 1 {
            set.extend(a.iter().map(|(t, _)| t.to_string()));
        }
    }
    Ok(set)
}

/// [`load_stopwords`] when a list is given.
pub fn stopwords(spec: Option<&str>, analyzer: &Analyzer) -> Result<Option<HashSet<String>>> {
    spec.map(|s| load_stopwords(s, analyzer)).transpose()
}

/// Memory for counting tables that may outgrow RAM (n-grams, co-occurrence): past the
/// budget, sorted partial counts go to temporary files and are merged at the end; the result
/// is the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    /// Budget in bytes (default: a quarter of RAM).
    pub max_memory: Option<usize>,
    /// Directory for the temporary files (default: the system's temp directory).
    pub spill_dir: Option<PathBuf>,
}

impl Memory {
    /// The budget in bytes.
    pub fn budget(&self) -> usize {
        self.max_memory.unwrap_or_else(default_budget)
    }
}

/// A quarter of total RAM (from /proc/meminfo), else 2 GiB.
pub fn default_budget() -> usize {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024 / 4)
        })
        .unwrap_or(2 << 30)
}

/// Parse `123`, `64K`, `512M`, `4G` (binary multiples).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (num, mul) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1usize << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("not a size: {s:?} (e.g. 512M, 4G)"))?;
    if v.is_nan() || v < 0.0 {
        return Err(format!("not a size: {s:?}"));
    }
    Ok((v * mul as f64) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("1.5M"), Ok(1_572_864));
        assert!(parse_size("x").is_err() && parse_size("-1").is_err());
    }
}
