//! `kalima collocates`: collocates of one node word, prefix (`ال*`) or regex, with left and
//! right positional counts and association measures (like AntConc's Collocates tool).

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args as ClapArgs;
use kalima_frame::Table;
use kalima_stats::cooc::count_collocates;
use kalima_text::{Analyzer, Normalizer};
use regex::Regex;

use crate::Outcome;
use crate::cmd::cooc::{measure_row, order_by_measure, parse_measures};
use crate::cmd::ngrams::parts;
use crate::common::{InputArgs, OutputArgs, Reporter, TextArgs, stopwords, thread_pool};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima collocates`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The node: a word, a prefix ending in `*` (e.g. `ال*`), or with --regex a regular
    /// expression matched against whole terms; normalized like the text (not with --regex)
    #[arg(value_name = "NODE")]
    pub node: String,
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// NODE is a regular expression, anchored to the whole term
    #[arg(long)]
    pub regex: bool,
    /// Symmetric window: words on each side of the node
    #[arg(long, short = 'w', value_name = "N", default_value_t = 5)]
    pub window: usize,
    /// Words to the left of the node (overrides --window on that side)
    #[arg(long, value_name = "N")]
    pub left: Option<usize>,
    /// Words to the right of the node (overrides --window on that side)
    #[arg(long, value_name = "N")]
    pub right: Option<usize>,
    /// Let windows cross sentence-final punctuation
    #[arg(long)]
    pub cross: bool,
    /// Measures, comma-separated, the first one orders the rows (see `kalima cooc --help`)
    #[arg(
        long,
        short = 'm',
        value_name = "LIST",
        default_value = "logdice,mi,t,ll"
    )]
    pub measure: String,
    /// Keep only collocates seen at least N times near the node
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep only the first N rows
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Drop collocates that are stop words: `ar` (built-in list) or a file
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Whether a term is the node.
pub(crate) type Matcher = Box<dyn Fn(&str) -> bool + Sync>;

/// The node matcher from NODE.
pub(crate) fn node_matcher(node: &str, regex: bool, analyzer: &Analyzer) -> Result<Matcher> {
    if regex {
        let re = Regex::new(&format!("^(?:{node})$"))?;
        return Ok(Box::new(move |t| re.is_match(t)));
    }
    let (body, prefix) = match node.strip_suffix('*') {
        Some(b) => (b, true),
        None => (node, false),
    };
    let a = analyzer.analyze(body.trim());
    let terms: Vec<String> = a.iter().map(|(t, _)| t.to_string()).collect();
    if terms.len() != 1 {
        bail!(
            "the node {node:?} is {} terms after tokenization; give one word, a prefix like ال*, or --regex",
            terms.len()
        );
    }
    let t = terms.into_iter().next().unwrap_or_default();
    Ok(if prefix {
        Box::new(move |x: &str| x.starts_with(t.as_str()))
    } else {
        Box::new(move |x: &str| x == t)
    })
}

/// Run `kalima collocates`.
pub fn run(args: Args) -> Result<Outcome> {
    let measures = parse_measures(&args.measure)?;
    let analyzer = args.text.analyzer(Normalizer::light());
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let is_node = node_matcher(&args.node, args.regex, &analyzer)?;
    let stop = stopwords(args.stopwords.as_deref(), &analyzer)?;
    let left = args.left.unwrap_or(args.window);
    let right = args.right.unwrap_or(args.window);
    if left == 0 && right == 0 {
        bail!("the window is empty: give --window, --left or --right above 0");
    }
    let reporter = Reporter::new(args.out.quiet);
    reporter.expect_input(&args.paths);
    let corpus = args.input.open(&args.paths, false, false)?;
    let spans = parts(corpus, &reporter);
    let pool = thread_pool(args.out.threads)?;
    let c = pool.install(|| count_collocates(spans, &analyzer, &*is_node, left, right, args.cross));
    let outcome = reporter.finish();
    if c.node_freq == 0 {
        eprintln!(
            "kalima: note: the node {:?} does not occur in the input",
            args.node
        );
    }
    let rows: Vec<_> = c
        .rows
        .iter()
        .filter(|r| r.count() >= args.min_count)
        .filter(|r| stop.as_ref().is_none_or(|s| !s.contains(&r.term)))
        .collect();
    let values: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| measure_row(&measures, r.count(), c.node_pairs, r.as_collocate, c.n))
        .collect();
    let order = order_by_measure(&values, |i| rows[i].term.as_str());
    let (mut term, mut cnt, mut l, mut r, mut cn, mut ct) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); measures.len()];
    for i in order.into_iter().take(args.top.unwrap_or(usize::MAX)) {
        let row = rows[i];
        term.push(row.term.clone());
        cnt.push(row.count());
        l.push(row.left);
        r.push(row.right);
        cn.push(c.node_freq);
        ct.push(row.freq);
        for (col, v) in cols.iter_mut().zip(&values[i]) {
            col.push(*v);
        }
    }
    let mut t = Table::new();
    t.push_str("term", term)
        .push_u64("count", cnt)
        .push_u64("count_left", l)
        .push_u64("count_right", r)
        .push_u64("count_node", cn)
        .push_u64("count_term", ct);
    for (m, col) in measures.iter().zip(cols) {
        t.push_f64(m.column, col);
    }
    write_table(&t, format, args.out.output.as_deref())?;
    Ok(outcome)
}
