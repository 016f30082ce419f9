//! `kalima tokenize`: one output line per input line, tokens separated by one space, or JSONL
//! with byte offsets into the original line.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, ValueEnum};
use kalima::Source;
use kalima::tokenize::{Format, TokenizeOptions, tokenize_corpus};

use crate::Outcome;
use crate::common::{InputArgs, Reporter, TextArgs, job, outcome};

/// Arguments of `kalima tokenize`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input files or directories (stdin when none)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Output: text (tokens separated by one space) or jsonl (`{"tokens": [...], "offsets": [[start, end], ...]}`, byte offsets into the input line; with --scheme clitic also `"clitic": ["pro"|"enc"|null, ...]`)
    #[arg(long, value_enum, default_value_t = TokFormat::Text)]
    pub format: TokFormat,
    /// With --scheme clitic and text output: mark clitics with `+` (`و+ قال`, `كتاب +ه`), the
    /// Farasa / Penn Arabic Treebank notation
    #[arg(long)]
    pub mark_clitics: bool,
    /// No messages other than errors
    #[arg(long, short)]
    pub quiet: bool,
}

/// Output of `tokenize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokFormat {
    /// Tokens separated by one space.
    Text,
    /// One JSON object per line with tokens and byte offsets into the original line.
    Jsonl,
}

/// Run `kalima tokenize`.
pub fn run(args: Args) -> Result<Outcome> {
    let reporter = Reporter::new(true);
    let source = if args.paths.is_empty() {
        Source::Stdin
    } else {
        Source::Paths(args.paths)
    };
    let job = job(source, &args.input, &args.text, 0, &reporter);
    let opts = TokenizeOptions {
        format: match args.format {
            TokFormat::Text => Format::Text,
            TokFormat::Jsonl => Format::Jsonl,
        },
        mark_clitics: args.mark_clitics,
    };
    let stdout = io::stdout();
    let mut w = BufWriter::with_capacity(1 << 16, stdout.lock());
    let out = match tokenize_corpus(&job, &opts, &mut w) {
        Ok(out) => out,
        // The library's only I/O error here is a failed write.
        Err(kalima::Error::Io { source, .. }) => {
            return Err(anyhow::Error::new(source).context("writing to stdout"));
        }
        Err(e) => return Err(e.into()),
    };
    w.flush().context("writing to stdout")?;
    reporter.finish();
    Ok(outcome(&out))
}
