//! `kalima ngrams`: n-gram (and skip-gram) frequencies.
//!
//! Words are tokens with a letter or digit; other tokens are left out, and sentence-final
//! punctuation (`. ! ? ؟ ؛ …`) ends a sentence, which n-grams do not cross unless `--cross`.
//! See `kalima_stats::ngram`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, ValueEnum};
use kalima_frame::Table;
use kalima_stats::engine::Segment;
use kalima_stats::ngram::{MAX_N, NgramOptions, count_ngrams};
use kalima_stats::per_million;
use kalima_text::Normalizer;

use crate::Outcome;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, stopwords, thread_pool};
use crate::output::{choose_format, write_table};

/// Where a stop word disqualifies an n-gram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StopAt {
    /// Anywhere in the n-gram.
    Any,
    /// As its first or last token.
    Edge,
}

/// Arguments of `kalima ngrams`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// N-gram length: `2`, or a range `1..5` (at most 6)
    #[arg(short = 'n', long = "n", value_name = "N|A..B", default_value = "2")]
    pub n: String,
    /// Skip-grams: allow up to K skipped words in all between an n-gram's words
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub skip: usize,
    /// Let n-grams cross sentence-final punctuation
    #[arg(long)]
    pub cross: bool,
    /// Keep only n-grams seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep only the N most frequent n-grams
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop n-grams holding a stop word: `ar` (built-in list) or a file, one word a line
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    /// Where a stop word drops an n-gram: anywhere, or only as first/last word
    #[arg(long, value_enum, default_value = "any")]
    pub stopwords_at: StopAt,
    #[command(flatten)]
    pub mem: MemArgs,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Memory bound of the counting tables.
#[derive(Debug, ClapArgs)]
pub struct MemArgs {
    /// Memory for the counting tables (e.g. 512M, 4G); past it, sorted partial counts go
    /// to temporary files and are merged at the end (default: a quarter of RAM)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<usize>,
    /// Directory for the temporary files (default: the system's temp directory)
    #[arg(long, value_name = "DIR")]
    pub spill_dir: Option<PathBuf>,
}

impl MemArgs {
    /// The default budget: a quarter of the machine's memory.
    pub fn default_budget() -> usize {
        default_memory()
    }

    /// The budget in bytes.
    pub fn budget(&self) -> usize {
        self.max_memory.unwrap_or_else(default_memory)
    }
}

/// A quarter of total RAM (from /proc/meminfo), else 2 GiB.
fn default_memory() -> usize {
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

/// Parse `N` or `A..B` (also `A..=B`, `A-B`).
fn parse_n(s: &str) -> Result<(usize, usize)> {
    let s = s.trim();
    let (a, b) = if let Some((a, b)) = s.split_once("..") {
        (a, b.trim_start_matches('='))
    } else if let Some((a, b)) = s.split_once('-') {
        (a, b)
    } else {
        (s, s)
    };
    let a: usize = a.trim().parse().with_context(|| format!("bad -n {s:?}"))?;
    let b: usize = b.trim().parse().with_context(|| format!("bad -n {s:?}"))?;
    if a == 0 || b < a || b > MAX_N {
        bail!("-n must be between 1 and {MAX_N} (a range A..B with A ≤ B), got {s:?}");
    }
    Ok((a, b))
}

/// Chunks of the inputs as engine segments.
pub fn parts<'a>(
    corpus: kalima_corpus::Corpus,
    reporter: &'a Reporter,
) -> impl Iterator<Item = Segment> + Send + 'a {
    corpus
        .filter_map(|ev| reporter.filter(ev))
        .map(|c| Segment::new(c.doc, c.first, c.last, c.text))
}

/// Tell (on stderr) that counts went through temporary files.
pub fn note_spill(runs: usize, quiet: bool) {
    if runs > 0 && !quiet {
        eprintln!(
            "kalima: note: the counts outgrew --max-memory: merged {runs} sorted runs from temporary files"
        );
    }
}

/// Run `kalima ngrams`.
pub fn run(args: Args) -> Result<Outcome> {
    let (min_n, max_n) = parse_n(&args.n)?;
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let stop = stopwords(args.stopwords.as_deref(), &analyzer)?;
    let opts = NgramOptions {
        min_n,
        max_n,
        skip: args.skip,
        cross: args.cross,
        min_count: args.min_count,
        max_memory: args.mem.budget(),
        spill_dir: args.mem.spill_dir.clone(),
    };
    let reporter = Reporter::new(args.out.quiet);
    reporter.expect_input(&args.paths);
    let corpus = args.input.open(&args.paths, false, false)?;
    let spans = parts(corpus, &reporter);
    let at = args.stopwords_at;
    let keep = |ts: &[&str]| match &stop {
        None => true,
        Some(s) => match at {
            StopAt::Any => !ts.iter().any(|t| s.contains(*t)),
            StopAt::Edge => !(s.contains(ts[0]) || s.contains(ts[ts.len() - 1])),
        },
    };
    let pool = thread_pool(args.out.threads)?;
    let counts = pool
        .install(|| count_ngrams(spans, &analyzer, &opts, keep))
        .context("counting n-grams (temporary files)")?;
    let outcome = reporter.finish();
    note_spill(counts.counts.runs, args.out.quiet);
    let total = counts.tokens;
    let c = &counts.counts;
    let rows = c.rows.iter().take(args.top.unwrap_or(usize::MAX));
    let (mut ng, mut n, mut count, mut pm) = (vec![], vec![], vec![], vec![]);
    for (k, cnt) in rows {
        ng.push(c.joined(k));
        n.push(kalima_stats::ngram::key_len(k) as u64);
        count.push(*cnt);
        pm.push(per_million(*cnt, total));
    }
    let mut t = Table::new();
    t.push_str("ngram", ng)
        .push_u64("n", n)
        .push_u64("count", count)
        .push_f64("per_million", pm);
    write_table(&t, format, args.out.output.as_deref())?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_ranges_and_sizes() {
        assert_eq!(parse_n("2").unwrap(), (2, 2));
        assert_eq!(parse_n("1..5").unwrap(), (1, 5));
        assert_eq!(parse_n("1..=3").unwrap(), (1, 3));
        assert!(parse_n("0").is_err() && parse_n("3..2").is_err() && parse_n("7").is_err());
        assert_eq!(parse_size("4K"), Ok(4096));
        assert_eq!(parse_size("1.5M"), Ok(1_572_864));
        assert!(parse_size("x").is_err());
    }
}
