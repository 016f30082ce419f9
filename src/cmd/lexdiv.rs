//! `kalima lexdiv`: lexical diversity per document and for the whole corpus
//! (`kalima::lexdiv`; formulas and sources: `kalima_stats::lexdiv` and
//! docs/measures-corpus.md).

use anyhow::Result;
use clap::Args as ClapArgs;
use kalima::lexdiv::{LexdivOptions, lexdiv};
use kalima_stats::lexdiv as measures;

use crate::Outcome;
use crate::common::{CorpusArgs, OutputArgs, Reporter, outcome};
use crate::output::{choose_format, write_table};

/// Arguments of `kalima lexdiv`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub out: OutputArgs,
    /// `doc`: one row per document, then the corpus row (last); without it, the corpus row only
    #[arg(long, value_name = "doc", value_parser = ["doc"])]
    pub by: Option<String>,
    /// MATTR window in tokens (Covington & McFall 2010 used 500)
    #[arg(long, value_name = "N", default_value_t = measures::DEFAULT_WINDOW)]
    pub window: usize,
    /// MSTTR segment length in tokens
    #[arg(long, value_name = "N", default_value_t = measures::DEFAULT_WINDOW)]
    pub segment: usize,
    /// MTLD factor threshold (McCarthy & Jarvis 2010)
    #[arg(long, value_name = "T", default_value_t = measures::MTLD_THRESHOLD)]
    pub mtld_threshold: f64,
    /// HD-D sample size in tokens (McCarthy & Jarvis 2007)
    #[arg(long, value_name = "N", default_value_t = measures::HDD_SAMPLE)]
    pub hdd_sample: usize,
}

/// Run `kalima lexdiv`.
pub fn run(args: Args) -> Result<Outcome> {
    let opts = LexdivOptions {
        by_doc: args.by.is_some(),
        window: args.window,
        segment: args.segment,
        mtld_threshold: args.mtld_threshold,
        hdd_sample: args.hdd_sample,
    };
    opts.validate()?;
    let format = choose_format(args.out.format, args.out.output.as_deref())?;
    let reporter = Reporter::new(args.out.quiet);
    let job = args.corpus.job(args.out.threads, &reporter);
    let out = lexdiv(&job, &opts)?;
    reporter.finish();
    write_table(&out.value.table(), format, args.out.output.as_deref())?;
    Ok(outcome(&out))
}
