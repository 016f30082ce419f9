//! `kalima cooc`: co-occurrence pairs within word windows, sentences or documents, with
//! association measures. Also home of the association-measure selection shared with
//! `kalima collocates`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, ValueEnum};
use kalima_frame::Table;
use kalima_stats::cooc::{CoocOptions, count_cooc, count_units};
use kalima_stats::measures::{Contingency, assoc, chi2_sf_df1};
use kalima_text::Normalizer;

use crate::Outcome;
use crate::cmd::ngrams::{MemArgs, parts};
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, stopwords, thread_pool};
use crate::output::{choose_format, write_table};

/// One association measure: its `--measure` name, output column and formula.
pub struct Measure {
    /// Name on the command line.
    pub name: &'static str,
    /// Output column.
    pub column: &'static str,
    /// The formula on a 2×2 table.
    pub f: fn(&Contingency) -> f64,
}

impl std::fmt::Debug for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

fn ll_p(t: &Contingency) -> f64 {
    chi2_sf_df1(assoc::log_likelihood(t))
}

/// All association measures (see docs/measures-association.md).
pub const MEASURES: &[Measure] = &[
    Measure {
        name: "logdice",
        column: "logdice",
        f: assoc::log_dice,
    },
    Measure {
        name: "mi",
        column: "mi",
        f: assoc::pmi,
    },
    Measure {
        name: "t",
        column: "t_score",
        f: assoc::t_score,
    },
    Measure {
        name: "ll",
        column: "ll",
        f: assoc::log_likelihood,
    },
    Measure {
        name: "p",
        column: "p_value",
        f: ll_p,
    },
    Measure {
        name: "npmi",
        column: "npmi",
        f: assoc::npmi,
    },
    Measure {
        name: "mi2",
        column: "mi2",
        f: assoc::mi2,
    },
    Measure {
        name: "mi3",
        column: "mi3",
        f: assoc::mi3,
    },
    Measure {
        name: "z",
        column: "z_score",
        f: assoc::z_score,
    },
    Measure {
        name: "chi2",
        column: "chi2",
        f: assoc::chi2,
    },
    Measure {
        name: "chi2_yates",
        column: "chi2_yates",
        f: assoc::chi2_yates,
    },
    Measure {
        name: "dice",
        column: "dice",
        f: assoc::dice,
    },
    Measure {
        name: "jaccard",
        column: "jaccard",
        f: assoc::jaccard,
    },
    Measure {
        name: "ms",
        column: "min_sensitivity",
        f: assoc::min_sensitivity,
    },
    Measure {
        name: "dp_ba",
        column: "delta_p_b_a",
        f: assoc::delta_p_2_given_1,
    },
    Measure {
        name: "dp_ab",
        column: "delta_p_a_b",
        f: assoc::delta_p_1_given_2,
    },
    Measure {
        name: "ps",
        column: "poisson_stirling",
        f: assoc::poisson_stirling,
    },
    Measure {
        name: "or",
        column: "odds_ratio",
        f: assoc::odds_ratio,
    },
    Measure {
        name: "fisher",
        column: "fisher_p",
        f: assoc::fisher_exact_right,
    },
    Measure {
        name: "fisher2",
        column: "fisher_p_two_sided",
        f: assoc::fisher_exact_two_sided,
    },
];

/// Parse `--measure a,b,c` (or `all`).
pub fn parse_measures(s: &str) -> Result<Vec<&'static Measure>> {
    if s.trim() == "all" {
        return Ok(MEASURES.iter().collect());
    }
    let mut out: Vec<&'static Measure> = Vec::new();
    for name in s.split(',').map(str::trim).filter(|x| !x.is_empty()) {
        let Some(m) = MEASURES.iter().find(|m| m.name == name || m.column == name) else {
            let names: Vec<&str> = MEASURES.iter().map(|m| m.name).collect();
            bail!("unknown measure {name:?}; known: {}, all", names.join(", "));
        };
        if !out.iter().any(|x| x.name == m.name) {
            out.push(m);
        }
    }
    if out.is_empty() {
        bail!("--measure needs at least one measure");
    }
    Ok(out)
}

/// Measures of one row; NaN when the counts cannot form a table.
pub fn measure_row(ms: &[&Measure], o11: u64, r1: u64, c1: u64, n: u64) -> Vec<f64> {
    match Contingency::new(o11, r1, c1, n) {
        Some(t) => ms.iter().map(|m| (m.f)(&t)).collect(),
        None => vec![f64::NAN; ms.len()],
    }
}

/// Sort row indices by the first measure descending (NaN last), then by `key`.
pub fn order_by_measure<K: Ord>(values: &[Vec<f64>], key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (values[a][0], values[b][0]);
        y.partial_cmp(&x)
            .unwrap_or_else(|| x.is_nan().cmp(&y.is_nan()))
            .then_with(|| key(a).cmp(&key(b)))
    });
    idx
}

/// What a pair shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Unit {
    /// A word window (`--window`, `--left`, `--right`).
    Window,
    /// The same sentence.
    Sentence,
    /// The same document.
    Doc,
}

/// Arguments of `kalima cooc`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Symmetric window: words on each side
    #[arg(long, short = 'w', value_name = "N", default_value_t = 5)]
    pub window: usize,
    /// Words to the left of term_a (overrides --window on that side)
    #[arg(long, value_name = "N")]
    pub left: Option<usize>,
    /// Words to the right of term_a (overrides --window on that side)
    #[arg(long, value_name = "N")]
    pub right: Option<usize>,
    /// Co-occurrence unit: a word window, the same sentence or the same document
    #[arg(long, value_enum, default_value = "window")]
    pub unit: Unit,
    /// Let windows cross sentence-final punctuation
    #[arg(long)]
    pub cross: bool,
    /// Measures, comma-separated, the first one orders the rows: logdice, mi, t, ll, p,
    /// npmi, mi2, mi3, z, chi2, chi2_yates, dice, jaccard, ms, dp_ba, dp_ab, ps, or, fisher,
    /// fisher2, or all
    #[arg(
        long,
        short = 'm',
        value_name = "LIST",
        default_value = "logdice,mi,t,ll"
    )]
    pub measure: String,
    /// Keep only pairs seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep only the first N rows
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop pairs with a stop word: `ar` (built-in list) or a file
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    #[command(flatten)]
    pub mem: MemArgs,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Run `kalima cooc`.
pub fn run(args: Args) -> Result<Outcome> {
    let measures = parse_measures(&args.measure)?;
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let stop = stopwords(args.stopwords.as_deref(), &analyzer)?;
    let keep = |ts: &[&str]| {
        stop.as_ref()
            .is_none_or(|s| !ts.iter().any(|t| s.contains(*t)))
    };
    let reporter = Reporter::new(args.out.quiet);
    reporter.expect_input(&args.paths);
    let corpus = args.input.open(&args.paths, false, false)?;
    let pool = thread_pool(args.out.threads)?;
    let left = args.left.unwrap_or(args.window);
    let right = args.right.unwrap_or(args.window);
    let counts = match args.unit {
        Unit::Window => {
            if left == 0 && right == 0 {
                bail!("the window is empty: give --window, --left or --right above 0");
            }
            let o = CoocOptions {
                left,
                right,
                cross: args.cross,
                min_count: args.min_count,
                max_memory: args.mem.budget(),
                spill_dir: args.mem.spill_dir.clone(),
            };
            let spans = parts(corpus, &reporter);
            pool.install(|| count_cooc(spans, &analyzer, &o, keep))
        }
        u => {
            let docs = parts(corpus, &reporter);
            pool.install(|| count_units(docs, &analyzer, u == Unit::Sentence, args.min_count, keep))
        }
    }
    .context("counting co-occurrences (temporary files)")?;
    let outcome = reporter.finish();
    crate::cmd::ngrams::note_spill(counts.pairs.runs, args.out.quiet);
    let p = &counts.pairs;
    let values: Vec<Vec<f64>> = p
        .rows
        .iter()
        .map(|(k, o11)| {
            let (ma, mb) = (counts.margin(k[0]), counts.margin(k[1]));
            measure_row(&measures, *o11, ma.as_node, mb.as_collocate, counts.n)
        })
        .collect();
    let order = order_by_measure(&values, |i| {
        let k = &p.rows[i].0;
        (p.vocab.term(k[0]), p.vocab.term(k[1]))
    });
    let order = order.into_iter().take(args.top.unwrap_or(usize::MAX));
    let (mut ta, mut tb, mut cnt, mut ca, mut cb) = (vec![], vec![], vec![], vec![], vec![]);
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); measures.len()];
    for i in order {
        let (k, o11) = &p.rows[i];
        ta.push(p.vocab.term(k[0]).to_string());
        tb.push(p.vocab.term(k[1]).to_string());
        cnt.push(*o11);
        let (ma, mb) = (counts.margin(k[0]), counts.margin(k[1]));
        if args.unit == Unit::Window {
            ca.push(ma.freq);
            cb.push(mb.freq);
        } else {
            ca.push(ma.as_node);
            cb.push(mb.as_node);
        }
        for (c, v) in cols.iter_mut().zip(&values[i]) {
            c.push(*v);
        }
    }
    let mut t = Table::new();
    t.push_str("term_a", ta)
        .push_str("term_b", tb)
        .push_u64("count", cnt)
        .push_u64("count_a", ca)
        .push_u64("count_b", cb);
    for (m, c) in measures.iter().zip(cols) {
        t.push_f64(m.column, c);
    }
    write_table(&t, format, args.out.output.as_deref())?;
    Ok(outcome)
}
