//! `kalima kwic`: concordance lines (key word in context), showing the original text
//! (`kalima::kwic`). Lines are written as soon as they are found (flushed one by one on a
//! terminal); `--sort` buffers them (at most `--limit`).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use kalima::kwic::render::{KwicFormat, Renderer};
use kalima::kwic::{Concordancer, KwicOptions, Line, SortKey};

use crate::Outcome;
use crate::common::{CorpusArgs, Reporter, outcome};

/// Arguments of `kalima kwic`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// What to find: a term, a prefix (`ال*`), a phrase (several words), or with --regex a
    /// regular expression matched against whole normalized terms
    #[arg(value_name = "QUERY")]
    pub query: String,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Tokens of context on each side
    #[arg(long, value_name = "N", default_value_t = 7)]
    pub context: usize,
    /// QUERY is a regular expression (Rust regex syntax) that must match a whole normalized term
    #[arg(long)]
    pub regex: bool,
    /// Sort by context words, e.g. `R1,R2` (first and second word after the node), `L1`
    /// (word before), `node`; ties keep document order. Sorting buffers the matches (at
    /// most --limit of them when given)
    #[arg(long, value_name = "KEYS")]
    pub sort: Option<String>,
    /// Stop after N lines (with --sort: the first N in sort order)
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Output format: table, csv, tsv, json, jsonl, html (default: from -o's extension;
    /// table on a terminal, csv otherwise)
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Table format: width of each context column, in terminal cells
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub width: usize,
    /// Worker threads (0 = one per core; at most 4 per core); the output does not depend on it
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// The output format: `--format`, else `-o`'s extension, else table on a terminal, csv
/// otherwise.
fn choose(args: &Args) -> Result<KwicFormat> {
    if let Some(f) = &args.format {
        return Ok(f.parse()?);
    }
    if let Some(p) = &args.output {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        return KwicFormat::from_name(ext).with_context(|| {
            format!(
                "cannot tell the output format from {:?}: give --format",
                p.display().to_string()
            )
        });
    }
    Ok(if io::stdout().is_terminal() {
        KwicFormat::Table
    } else {
        KwicFormat::Csv
    })
}

/// Run `kalima kwic`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = choose(&args)?;
    let reporter = Reporter::new(args.quiet);
    let job = args.corpus.job(args.threads, &reporter);
    let opts = KwicOptions {
        query: args.query.clone(),
        regex: args.regex,
        context: args.context,
        sort: Vec::new(),
        limit: args.limit,
    };
    // Usage errors in the order they were always found: the query, then the sort keys.
    let mut search = Concordancer::new(&job, &opts)?;
    if let Some(s) = &args.sort {
        search = search.sorted_by(SortKey::parse_list(s, args.context)?)?;
    }
    let renderer = Renderer::new(format, args.width, &args.query);
    let mut out = Out::new(renderer, args.output.as_deref())?;
    // On an error the output is dropped: its temporary file is removed.
    search.run(&job, |l: &Line| out.line(l))?;
    let result = job.output(());
    reporter.finish();
    out.finish()?;
    Ok(outcome(&result))
}

/// Streaming writer of concordance lines.
struct Out {
    r: Renderer,
    w: Dest,
    flush_each: bool,
}

impl Out {
    fn new(r: Renderer, output: Option<&Path>) -> Result<Out> {
        let (w, flush_each) = match output {
            Some(p) => {
                let f = kalima_fs::AtomicFile::create(p)
                    .with_context(|| format!("writing {}", p.display()))?;
                (Dest::File(BufWriter::new(f)), false)
            }
            None => {
                let tty = io::stdout().is_terminal();
                (
                    Dest::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())),
                    tty,
                )
            }
        };
        let mut o = Out { r, w, flush_each };
        o.w.write_all(o.r.header().as_bytes())?;
        Ok(o)
    }

    fn line(&mut self, l: &Line) -> Result<()> {
        self.w.write_all(self.r.line(l).as_bytes())?;
        if self.flush_each {
            self.w.flush()?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.w.write_all(self.r.footer().as_bytes())?;
        self.w.flush()?;
        if let Dest::File(b) = self.w {
            let f = b.into_inner().map_err(io::IntoInnerError::into_error)?;
            let path = f.target().to_path_buf();
            f.commit()
                .with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }
}

/// Where the lines go: stdout, or a file put in place whole at the end (its temporary file
/// removed on error or interruption).
enum Dest {
    Stdout(BufWriter<io::Stdout>),
    File(BufWriter<kalima_fs::AtomicFile>),
}

impl Write for Dest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Dest::Stdout(w) => w.write(buf),
            Dest::File(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Dest::Stdout(w) => w.write_all(buf),
            Dest::File(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Dest::Stdout(w) => w.flush(),
            Dest::File(w) => w.flush(),
        }
    }
}
