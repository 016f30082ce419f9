//! `kalima collocates`: collocates of one node word, prefix (`ال*`) or regex, with left and
//! right positional counts and association measures (see [`kalima::collocates`]).

use anyhow::Result;
use clap::Args as ClapArgs;

use kalima::assoc::parse_measures;
use kalima::collocates::{CollocatesOptions, collocates};

use crate::Outcome;
use crate::common::{CorpusArgs, OutputArgs, Reporter, outcome};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima collocates`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The node: a word, a prefix ending in `*` (e.g. `ال*`), or with --regex a regular
    /// expression matched against whole terms; normalized like the text (not with --regex)
    #[arg(value_name = "NODE")]
    pub node: String,
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
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Run `kalima collocates`.
pub fn run(args: Args) -> Result<Outcome> {
    let measures = parse_measures(&args.measure)?;
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let opts = CollocatesOptions {
        node: args.node,
        regex: args.regex,
        window: args.window,
        left: args.left,
        right: args.right,
        cross: args.cross,
        measures: measures.iter().map(|m| m.name.to_string()).collect(),
        min_count: args.min_count,
        top: args.top,
        stopwords: args.stopwords,
    };
    let reporter = Reporter::new(args.out.quiet);
    let job = args.corpus.job(args.out.threads, &reporter);
    let out = collocates(&job, &opts)?;
    reporter.finish();
    let code = outcome(&out);
    write_table(&out.value.into_table(), format, args.out.output.as_deref())?;
    Ok(code)
}
