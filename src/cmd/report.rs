//! `kalima report`: a self-contained HTML (and Markdown) frequency report of a corpus, with
//! every table also in `data/` as CSV and Parquet ([`kalima::report`]).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;

use kalima::report::{ReportFolder, ReportOptions, report_data};
use kalima::time::DateField;
use kalima::{Observer, Silent, Source};

use crate::Outcome;
use crate::common::{InputArgs, MemArgs, Reporter, TextArgs, job, outcome};

/// Arguments of `kalima report`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Folder to write the report into (created if needed): index.html, report.md, charts/,
    /// data/. An earlier report there is replaced whole; any other non-empty folder only with
    /// --force
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
    /// Replace DIR even when it is a non-empty folder that is not a kalima report (no
    /// `.kalima-report` file in it): everything in it is deleted
    #[arg(long)]
    pub force: bool,
    /// Reference corpus for keyness: keywords of the inputs against it
    #[arg(long, value_name = "REF", num_args = 1..)]
    pub reference: Vec<PathBuf>,
    /// Compare groups of documents (each against the rest) by a metadata field (JSON key,
    /// CSV column or TREC tag, case-insensitive, e.g. `source` or `SRC`), or by `file`
    #[arg(long, value_name = "FIELD")]
    pub by: Option<String>,
    /// Metadata field holding the document date, for terms over time (default: the first of
    /// date, time, date_extracted present)
    #[arg(long, value_name = "FIELD")]
    pub date: Option<String>,
    /// Title of the report (default: the input paths)
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Rows in the ranked tables
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub top: usize,
    /// Stop words left out of the ranked tables, keyness and dispersion (not of the corpus
    /// figures): `ar` (built-in Arabic list), a file with one word per line, or `none`
    #[arg(long, value_name = "ar|FILE|none", default_value = "ar")]
    pub stopwords: String,
    #[command(flatten)]
    pub mem: MemArgs,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Worker threads (0 = one per core; at most 4 per core); the report does not depend on it
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run `kalima report`.
pub fn run(args: Args) -> Result<Outcome> {
    // Checked (and the folder to build in made) before any input is read.
    let folder = ReportFolder::prepare(&args.output, args.force)?;
    let opts = ReportOptions {
        title: args.title,
        reference: args.reference,
        by: args.by,
        date_field: args.date.map_or(DateField::Auto, DateField::Named),
        top: args.top,
        stopwords: (args.stopwords != "none").then_some(args.stopwords),
        memory: args.mem.memory(),
    };
    let reporter = Reporter::new(args.quiet);
    let job = job(
        Source::Paths(args.paths),
        &args.input,
        &args.text,
        args.threads,
        &reporter,
    );
    let out = report_data(&job, &opts)?;
    reporter.finish();
    // Notes on the report itself (charts left out, counts spilled) follow --quiet.
    let notes: &dyn Observer = if args.quiet { &Silent } else { &reporter };
    folder.write(&out.value, notes)?;
    Ok(outcome(&out))
}
