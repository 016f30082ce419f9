//! N-gram (and skip-gram) frequencies: `ngram, n, count, per_million`.
//!
//! Words are tokens with a letter or digit; other tokens are left out, and sentence-final
//! punctuation (`. ! ? ؟ ؛ …`) ends a sentence, which n-grams do not cross unless
//! [`NgramsOptions::cross`]. Counts that outgrow [`Memory`] go through sorted temporary files
//! and give the same result. See [`kalima_stats::ngram`].
//!
//! # Example
//! ```
//! use kalima::{Job, Source, ngrams::{ngrams, NgramsOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["كتب الولد الدرس. كتب الولد".into()]));
//! let out = ngrams(&job, &NgramsOptions::default())?;
//! let top = &out.value.rows[0];
//! assert_eq!((top.ngram.as_str(), top.n, top.count), ("كتب الولد", 2, 2));
//! // The sentence end stops "الدرس كتب".
//! assert_eq!(out.value.rows.len(), 2);
//! # Ok::<(), kalima::Error>(())
//! ```

use std::collections::HashSet;

use kalima_frame::{ColumnKind, RowEncoder, RowWriter, Table, Value};
use kalima_stats::ngram::{Key, KeyRows, MAX_N, NgramOptions, count_ngrams, join_terms, key_len};
use kalima_stats::per_million;
use kalima_text::Normalizer;
use serde::{Deserialize, Serialize};

use crate::options::{Memory, stopwords};
use crate::{Error, Job, Output, Result};

/// Where a stop word disqualifies an n-gram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StopAt {
    /// Anywhere in the n-gram.
    #[default]
    Any,
    /// As its first or last token.
    Edge,
}

/// Options of [`ngrams`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NgramsOptions {
    /// Smallest n (at least 1).
    pub min_n: usize,
    /// Largest n (at most [`MAX_N`]).
    pub max_n: usize,
    /// Skip-grams: allow up to this many skipped words in all between an n-gram's words.
    pub skip: usize,
    /// Let n-grams cross sentence-final punctuation.
    pub cross: bool,
    /// Keep only n-grams seen at least this often.
    pub min_count: u64,
    /// Keep only the N most frequent n-grams.
    pub top: Option<usize>,
    /// Drop n-grams holding a stop word: `ar` (built-in list) or a file, one word a line.
    pub stopwords: Option<String>,
    /// Where a stop word drops an n-gram.
    pub stopwords_at: StopAt,
    /// Memory for the counting tables, and where they spill.
    pub memory: Memory,
}

impl Default for NgramsOptions {
    fn default() -> Self {
        NgramsOptions {
            min_n: 2,
            max_n: 2,
            skip: 0,
            cross: false,
            min_count: 1,
            top: None,
            stopwords: None,
            stopwords_at: StopAt::Any,
            memory: Memory::default(),
        }
    }
}

/// One n-gram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NgramRow {
    /// Its words, joined by one space.
    pub ngram: String,
    /// Its length in words.
    pub n: u64,
    /// Occurrences.
    pub count: u64,
}

/// N-gram counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ngrams {
    /// Rows, count descending then words by code point, filtered.
    pub rows: Vec<NgramRow>,
    /// Word tokens counted: the base of `per_million`.
    pub tokens: u64,
    /// Sorted runs merged from temporary files (0 when the counts fit in memory).
    pub spilled_runs: usize,
}

impl Ngrams {
    /// The table `ngram, n, count, per_million`.
    pub fn table(&self) -> Table {
        self.table_of(self.rows.iter().map(|r| r.ngram.clone()).collect())
    }

    /// [`table`](Self::table), moving the strings into it instead of copying them.
    pub fn into_table(mut self) -> Table {
        let ngrams: Vec<String> = self
            .rows
            .iter_mut()
            .map(|r| std::mem::take(&mut r.ngram))
            .collect();
        self.table_of(ngrams)
    }

    fn table_of(&self, ngram: Vec<String>) -> Table {
        let mut t = Table::new();
        t.push_str("ngram", ngram)
            .push_u64("n", self.rows.iter().map(|r| r.n).collect())
            .push_u64("count", self.rows.iter().map(|r| r.count).collect())
            .push_f64(
                "per_million",
                self.rows
                    .iter()
                    .map(|r| per_million(r.count, self.tokens))
                    .collect(),
            );
        t
    }

    /// The note to give when the counts went through temporary files.
    pub fn spill_note(&self) -> Option<String> {
        spill_note(self.spilled_runs)
    }
}

/// The note to give when counts went through `runs` temporary files (none for 0).
pub fn spill_note(runs: usize) -> Option<String> {
    (runs > 0).then(|| {
        format!("the counts outgrew --max-memory: merged {runs} sorted runs from temporary files")
    })
}

/// Parse an n-gram length: `N`, or a range `A..B` (also `A..=B`, `A-B`), with
/// 1 ≤ A ≤ B ≤ [`MAX_N`].
pub fn parse_n(s: &str) -> Result<(usize, usize)> {
    let s = s.trim();
    let (a, b) = if let Some((a, b)) = s.split_once("..") {
        (a, b.trim_start_matches('='))
    } else if let Some((a, b)) = s.split_once('-') {
        (a, b)
    } else {
        (s, s)
    };
    let num = |x: &str| {
        x.trim()
            .parse::<usize>()
            .map_err(|e| Error::invalid(format!("bad -n {s:?}: {e}")))
    };
    let (a, b) = (num(a)?, num(b)?);
    check_n(a, b, s)?;
    Ok((a, b))
}

fn check_n(a: usize, b: usize, s: &str) -> Result<()> {
    if a == 0 || b < a || b > MAX_N {
        return Err(Error::invalid(format!(
            "-n must be between 1 and {MAX_N} (a range A..B with A ≤ B), got {s:?}"
        )));
    }
    Ok(())
}

/// N-gram frequencies over all inputs (light normalization unless the job says otherwise).
pub fn ngrams(job: &Job, opts: &NgramsOptions) -> Result<Output<Ngrams>> {
    collected(ngram_rows(job, opts)?)
}

fn collected(out: Output<NgramRows>) -> Result<Output<Ngrams>> {
    let value = out.value.collect()?;
    Ok(Output {
        value,
        failures: out.failures,
    })
}

fn check_range(opts: &NgramsOptions) -> Result<()> {
    let (a, b) = (opts.min_n, opts.max_n);
    check_n(a, b, &format!("{a}..{b}"))
}

/// [`ngrams`] with the stop words `stop` (already analyzed like the text) instead of
/// `opts.stopwords`.
pub fn ngrams_with(
    job: &Job,
    opts: &NgramsOptions,
    stop: Option<&HashSet<String>>,
) -> Result<Output<Ngrams>> {
    collected(ngram_rows_with(job, opts, stop)?)
}

/// [`ngrams`] as a stream of rows: the table is never held. When the counts outgrew
/// [`Memory`], the rows come from an external sort of temporary files within the budget.
pub fn ngram_rows(job: &Job, opts: &NgramsOptions) -> Result<Output<NgramRows>> {
    check_range(opts)?;
    let analyzer = job.analyzer(Normalizer::light());
    let stop = stopwords(opts.stopwords.as_deref(), &analyzer)?;
    ngram_rows_with(job, opts, stop.as_ref())
}

/// [`ngram_rows`] with the stop words `stop` (as for [`ngrams_with`]).
pub fn ngram_rows_with(
    job: &Job,
    opts: &NgramsOptions,
    stop: Option<&HashSet<String>>,
) -> Result<Output<NgramRows>> {
    check_range(opts)?;
    let analyzer = job.analyzer(Normalizer::light());
    let counting = NgramOptions {
        min_n: opts.min_n,
        max_n: opts.max_n,
        skip: opts.skip,
        cross: opts.cross,
        min_count: opts.min_count,
        max_memory: opts.memory.budget(),
        spill_dir: opts.memory.spill_dir.clone(),
    };
    let keep = |ts: &[&str]| match stop {
        None => true,
        Some(s) => match opts.stopwords_at {
            StopAt::Any => !ts.iter().any(|t| s.contains(*t)),
            StopAt::Edge => !(s.contains(ts[0]) || s.contains(ts[ts.len() - 1])),
        },
    };
    let segments = job.segments()?;
    let counts = job
        .install(|| count_ngrams(segments, &analyzer, &counting, keep))?
        .map_err(temp)?;
    let spilled_runs = counts.counts.runs;
    Ok(job.output(NgramRows {
        pool: job.pool()?,
        rows: counts.counts.into_rows(),
        tokens: counts.tokens,
        left: opts.top.unwrap_or(usize::MAX),
        spilled_runs,
    }))
}

fn temp(source: std::io::Error) -> Error {
    Error::Temp {
        what: "counting n-grams (temporary files)",
        source,
    }
}

/// The rows of [`Ngrams`], one at a time, in order; see [`ngram_rows`].
#[derive(Debug)]
pub struct NgramRows {
    /// The job's pool, for writing held rows.
    pool: rayon::ThreadPool,
    rows: KeyRows,
    tokens: u64,
    left: usize,
    spilled_runs: usize,
}

impl NgramRows {
    /// The columns of [`Ngrams::table`].
    pub const COLUMNS: [(&'static str, ColumnKind); 4] = [
        ("ngram", ColumnKind::Str),
        ("n", ColumnKind::U64),
        ("count", ColumnKind::U64),
        ("per_million", ColumnKind::F64),
    ];

    /// Word tokens counted: the base of `per_million`.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Sorted runs merged from temporary files (0 when the counts fit in memory).
    pub fn spilled_runs(&self) -> usize {
        self.spilled_runs
    }

    /// The note to give when the counts went through temporary files.
    pub fn spill_note(&self) -> Option<String> {
        spill_note(self.spilled_runs)
    }

    /// The next row: the n-gram (words joined by one space), n, and its count.
    pub fn next_row(&mut self) -> Result<Option<(&str, u64, u64)>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        Ok(self
            .rows
            .next_row()
            .map_err(temp)?
            .map(|(g, n, c)| (g, n as u64, c)))
    }

    /// Writes every row to `w` (made with [`NgramRows::COLUMNS`]), as [`Ngrams::table`]
    /// would hold them.
    pub fn write(mut self, w: &mut RowWriter<'_>) -> Result<()> {
        let tokens = self.tokens;
        if let Some((rows, vocab)) = self.rows.held() {
            let rows = &rows[..rows.len().min(self.left)];
            let encode = |enc: &RowEncoder, block: &[(Key, u64)], index: u64, out: &mut Vec<u8>| {
                let mut g = String::new();
                for (i, &(k, c)) in block.iter().enumerate() {
                    join_terms(vocab, &k, &mut g);
                    let cells = [
                        Value::Str(&g),
                        Value::U64(key_len(&k) as u64),
                        Value::U64(c),
                        Value::F64(per_million(c, tokens)),
                    ];
                    enc.encode(&cells, index + i as u64, out)?;
                }
                Ok(())
            };
            if crate::blocks::write_blocks(w, &self.pool, rows, encode)? {
                return Ok(());
            }
        }
        while let Some((g, n, c)) = self.next_row()? {
            w.row(&[
                Value::Str(g),
                Value::U64(n),
                Value::U64(c),
                Value::F64(per_million(c, tokens)),
            ])?;
        }
        Ok(())
    }

    /// All the rows, as [`Ngrams`].
    pub fn collect(mut self) -> Result<Ngrams> {
        let mut rows = Vec::new();
        while let Some((g, n, count)) = self.next_row()? {
            rows.push(NgramRow {
                ngram: g.to_string(),
                n,
                count,
            });
        }
        Ok(Ngrams {
            rows,
            tokens: self.tokens,
            spilled_runs: self.spilled_runs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;
    use kalima_frame::OutputFormat;

    #[test]
    fn n_ranges() {
        assert_eq!(parse_n("2").unwrap(), (2, 2));
        assert_eq!(parse_n("1..5").unwrap(), (1, 5));
        assert_eq!(parse_n("1..=3").unwrap(), (1, 3));
        assert_eq!(parse_n(" 2-3 ").unwrap(), (2, 3));
        assert!(parse_n("0").is_err() && parse_n("3..2").is_err() && parse_n("7").is_err());
        assert_eq!(
            parse_n("x").unwrap_err().to_string(),
            "bad -n \"x\": invalid digit found in string"
        );
    }

    #[test]
    fn stop_words_anywhere_or_at_the_edges() {
        let dir = tempfile::tempdir().unwrap();
        let stop = dir.path().join("stop.txt");
        std::fs::write(&stop, "of\n").unwrap();
        let job = Job::new(Source::Texts(vec!["a of b c of d".into()]));
        let grams = |at| {
            let o = NgramsOptions {
                min_n: 3,
                max_n: 3,
                stopwords: Some(stop.to_str().unwrap().into()),
                stopwords_at: at,
                ..NgramsOptions::default()
            };
            let mut v: Vec<String> = ngrams(&job, &o)
                .unwrap()
                .value
                .rows
                .into_iter()
                .map(|r| r.ngram)
                .collect();
            v.sort();
            v
        };
        assert!(grams(StopAt::Any).is_empty());
        assert_eq!(grams(StopAt::Edge), ["a of b", "c of d"]);
    }

    #[test]
    fn spilling_gives_the_same_rows_and_says_so() {
        let text: String = (0..3000)
            .map(|i| format!("w{} w{} ", i % 97, i % 89))
            .collect();
        let job = Job::new(Source::Texts(vec![text]));
        let base = NgramsOptions {
            min_n: 1,
            max_n: 3,
            ..NgramsOptions::default()
        };
        let mem = ngrams(&job, &base).unwrap().value;
        let dir = tempfile::tempdir().unwrap();
        let small = NgramsOptions {
            memory: Memory {
                max_memory: Some(16 << 10),
                spill_dir: Some(dir.path().into()),
            },
            ..base.clone()
        };
        let spilled = ngrams(&job, &small).unwrap().value;
        assert!(
            ngram_rows(&job, &small).unwrap().value.spilled_runs > 0,
            "16 KiB must spill"
        );
        assert_eq!(mem.rows, spilled.rows);
        assert_eq!(mem.spill_note(), None);
        assert!(
            spilled
                .spill_note()
                .unwrap()
                .contains("sorted runs from temporary files")
        );
        assert_eq!(mem.table().to_dataframe().unwrap().height(), mem.rows.len());
        assert_eq!(mem.table(), mem.clone().into_table());
        // Streamed rows: the bytes of the held table through polars, spilled or not.
        for f in [OutputFormat::Csv, OutputFormat::Json] {
            let mut want = Vec::new();
            kalima_frame::write_dataframe(&mut mem.table().to_dataframe().unwrap(), f, &mut want)
                .unwrap();
            for o in [&base, &small] {
                let mut got = Vec::new();
                let mut w = RowWriter::new(&NgramRows::COLUMNS, f, &mut got).unwrap();
                ngram_rows(&job, o).unwrap().value.write(&mut w).unwrap();
                w.finish().unwrap();
                assert!(got == want, "{f}");
            }
        }
    }

    #[test]
    fn held_rows_written_block_by_block_on_a_pool_match_polars() {
        // ~120k distinct bigrams: more than three blocks of the parallel writer.
        let mut x = 11u64;
        let text: String = (0..120_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("w{} ", (x >> 33) % 3000)
            })
            .collect();
        let o = NgramsOptions {
            min_n: 2,
            max_n: 2,
            ..NgramsOptions::default()
        };
        let job = |threads| Job::new(Source::Texts(vec![text.clone()])).with_threads(threads);
        let held = ngrams(&job(1), &o).unwrap().value;
        assert!(held.rows.len() > 3 << 15, "{} rows", held.rows.len());
        for f in [OutputFormat::Csv, OutputFormat::Json] {
            let mut want = Vec::new();
            kalima_frame::write_dataframe(&mut held.table().to_dataframe().unwrap(), f, &mut want)
                .unwrap();
            for threads in [1, 3] {
                let mut got = Vec::new();
                let mut w = RowWriter::new(&NgramRows::COLUMNS, f, &mut got).unwrap();
                ngram_rows(&job(threads), &o)
                    .unwrap()
                    .value
                    .write(&mut w)
                    .unwrap();
                w.finish().unwrap();
                assert!(got == want, "{f}, {threads} threads");
            }
        }
    }
}
