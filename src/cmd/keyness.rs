//! `kalima keyness`: keywords of a target corpus against a reference corpus, or of each
//! group of documents (`--by FIELD`) against the rest of the corpus.
//!
//! Only words (tokens with a letter or digit) are counted; corpus sizes are word counts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args as ClapArgs;
use kalima_frame::Table;
use kalima_stats::measures::{Keyness, keyness as k};
use kalima_stats::ngram::is_word;
use kalima_stats::{TermCounter, per_million};
use kalima_text::{Normalizer, Scratch};
use rayon::prelude::*;

use crate::Outcome;
use crate::common::{
    InputArgs, OutputArgs, Reporter, TextArgs, count_terms, stopwords, thread_pool,
};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima keyness`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Target corpus: files or directories
    #[arg(value_name = "TARGET", required = true)]
    pub target: Vec<PathBuf>,
    /// Reference corpus: files or directories (not with --by)
    #[arg(long, short = 'r', value_name = "REF", num_args = 1..)]
    pub reference: Vec<PathBuf>,
    /// Compare each group of documents of TARGET with the rest, grouping by this metadata
    /// field (TREC tag such as SRC or CAT, JSON key such as source, CSV column; any case)
    #[arg(long, value_name = "FIELD")]
    pub by: Option<String>,
    /// Order rows by this column, descending: ll, log_ratio, lrc, chi2, percent_diff,
    /// relative_risk, odds_ratio, bic, ell, simple_maths, log_odds_z
    #[arg(long, value_name = "MEASURE", default_value = "ll")]
    pub sort: String,
    /// Smoothing constant k of simple maths, (fpm_target + k) / (fpm_reference + k)
    #[arg(long, value_name = "K", default_value_t = 1.0)]
    pub smoothing: f64,
    /// Keep only terms seen at least N times in target and reference together
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep only the first N rows (per group with --by)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop stop words: `ar` (built-in list) or a file
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Keyness columns, in output order.
pub const COLUMNS: &[&str] = &[
    "ll",
    "p_value",
    "log_ratio",
    "lrc",
    "chi2",
    "percent_diff",
    "relative_risk",
    "odds_ratio",
    "bic",
    "ell",
    "simple_maths",
    "log_odds",
    "log_odds_z",
];

/// All keyness values of one term, in [`COLUMNS`] order.
pub fn keyness_values(kn: &Keyness, smoothing: f64) -> Vec<f64> {
    let (lo, lz) = k::log_odds_pooled(kn);
    vec![
        k::log_likelihood(kn),
        k::ll_p_value(kn),
        k::log_ratio(kn),
        k::lrc(kn, k::Z_95),
        k::chi2(kn),
        k::percent_diff(kn),
        k::relative_risk(kn),
        k::odds_ratio(kn),
        k::bic(kn),
        k::ell(kn),
        k::simple_maths(kn, smoothing),
        lo,
        lz,
    ]
}

fn counts(c: TermCounter) -> (BTreeMap<String, u64>, u64) {
    let total = c.tokens();
    (
        c.into_sorted()
            .into_iter()
            .map(|r| (r.term, r.count))
            .collect(),
        total,
    )
}

/// Run `kalima keyness`.
pub fn run(args: Args) -> Result<Outcome> {
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let sort = COLUMNS
        .iter()
        .position(|c| *c == args.sort)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "unknown --sort {:?}; one of {}",
                args.sort,
                COLUMNS.join(", ")
            )
        })?;
    let stop = stopwords(args.stopwords.as_deref(), &analyzer)?;
    let reporter = Reporter::new(args.out.quiet);
    let pool = thread_pool(args.out.threads)?;
    // (group, target counts, target size, reference counts, reference size)
    let mut comparisons = Vec::new();
    match &args.by {
        None => {
            if args.reference.is_empty() {
                bail!("give a reference corpus (--reference REF...) or --by FIELD");
            }
            let side = |paths: &[PathBuf]| -> Result<(BTreeMap<String, u64>, u64)> {
                Ok(counts(count_terms(
                    &args.input,
                    paths,
                    &analyzer,
                    &reporter,
                    &pool,
                    is_word,
                )?))
            };
            let (t, ts) = side(&args.target)?;
            let (r, rs) = side(&args.reference)?;
            comparisons.push((None, t, ts, r, rs));
        }
        Some(field) => {
            if !args.reference.is_empty() {
                bail!("--by compares groups within TARGET: leave out --reference");
            }
            let corpus = args.input.open(&args.target, false, true)?;
            let mut group = String::new();
            let chunks = corpus.filter_map(|ev| reporter.filter(ev)).map(move |c| {
                if c.first {
                    group = c
                        .meta
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(field))
                        .map(|(_, v)| v.trim().to_string())
                        .unwrap_or_default();
                }
                (group.clone(), c.text)
            });
            let by_group: BTreeMap<String, BTreeMap<String, u64>> = pool.install(|| {
                chunks
                    .par_bridge()
                    .fold(
                        || {
                            (
                                BTreeMap::<String, hashbrown::HashMap<String, u64>>::new(),
                                Scratch::default(),
                            )
                        },
                        |(mut m, mut scratch), (g, text)| {
                            let e = m.entry(g).or_default();
                            analyzer.for_each_term(&text, &mut scratch, |t| {
                                if is_word(t) {
                                    match e.get_mut(t) {
                                        Some(c) => *c += 1,
                                        None => {
                                            e.insert(t.to_string(), 1);
                                        }
                                    }
                                }
                            });
                            (m, scratch)
                        },
                    )
                    .map(|(m, _)| m)
                    .reduce(BTreeMap::new, |mut a, b| {
                        for (g, m) in b {
                            let e = a.entry(g).or_default();
                            for (t, c) in m {
                                *e.entry(t).or_insert(0) += c;
                            }
                        }
                        a
                    })
                    .into_iter()
                    .map(|(g, m)| (g, m.into_iter().collect()))
                    .collect()
            });
            if by_group.len() < 2 {
                bail!(
                    "--by {field}: found {} group(s); keyness needs at least two (is the field in the documents' metadata?)",
                    by_group.len()
                );
            }
            let mut all: BTreeMap<String, u64> = BTreeMap::new();
            for m in by_group.values() {
                for (t, c) in m {
                    *all.entry(t.clone()).or_insert(0) += c;
                }
            }
            let total: u64 = all.values().sum();
            for (g, m) in by_group {
                let size: u64 = m.values().sum();
                let rest: BTreeMap<String, u64> = all
                    .iter()
                    .map(|(t, c)| (t.clone(), c - m.get(t).copied().unwrap_or(0)))
                    .collect();
                comparisons.push((Some(g), m, size, rest, total - size));
            }
        }
    }
    let outcome = reporter.finish();
    let mut groups = Vec::new();
    let (mut term, mut ct, mut cr, mut pmt, mut pmr) = (vec![], vec![], vec![], vec![], vec![]);
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); COLUMNS.len()];
    for (g, t, ts, r, rs) in comparisons {
        let mut terms: Vec<&String> = t
            .keys()
            .chain(r.keys().filter(|x| !t.contains_key(*x)))
            .collect();
        terms.retain(|x| stop.as_ref().is_none_or(|s| !s.contains(*x)));
        let mut rows: Vec<(&String, u64, u64, Vec<f64>)> = terms
            .into_iter()
            .filter_map(|x| {
                let (a, b) = (
                    t.get(x).copied().unwrap_or(0),
                    r.get(x).copied().unwrap_or(0),
                );
                (a + b >= args.min_count && a + b > 0).then(|| {
                    (
                        x,
                        a,
                        b,
                        keyness_values(&Keyness::new(a, ts, b, rs), args.smoothing),
                    )
                })
            })
            .collect();
        rows.sort_by(|x, y| {
            let (p, q) = (x.3[sort], y.3[sort]);
            q.partial_cmp(&p)
                .unwrap_or_else(|| p.is_nan().cmp(&q.is_nan()))
                .then_with(|| x.0.cmp(y.0))
        });
        for (x, a, b, v) in rows.into_iter().take(args.top.unwrap_or(usize::MAX)) {
            if let Some(g) = &g {
                groups.push(g.clone());
            }
            term.push(x.clone());
            ct.push(a);
            cr.push(b);
            pmt.push(per_million(a, ts));
            pmr.push(per_million(b, rs));
            for (c, val) in cols.iter_mut().zip(v) {
                c.push(val);
            }
        }
    }
    let mut table = Table::new();
    if args.by.is_some() {
        table.push_str("group", groups);
    }
    table
        .push_str("term", term)
        .push_u64("count_target", ct)
        .push_u64("count_reference", cr)
        .push_f64("per_million_target", pmt)
        .push_f64("per_million_reference", pmr);
    for (name, c) in COLUMNS.iter().zip(cols) {
        table.push_f64(name, c);
    }
    write_table(&table, format, args.out.output.as_deref())?;
    Ok(outcome)
}
