//! `kalima tokenize`: one output line per input line, tokens separated by one space, or JSONL
//! with byte offsets into the original line.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, ValueEnum};
use kalima_text::{Analyzer, Normalizer, Scratch};

use crate::Outcome;
use crate::common::{InputArgs, Reporter, TextArgs};

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
    // Tokenize shows the text as it is unless normalization is asked for.
    let analyzer = args.text.analyzer(Normalizer::none());
    let reporter = Reporter::new(true);
    let corpus = args.input.open(&args.paths, true, false)?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = LineState {
        clitic: matches!(analyzer.scheme, kalima_text::Scheme::Clitic { .. }),
        mark: args.mark_clitics,
        ..LineState::default()
    };
    for ev in corpus {
        let Some(chunk) = reporter.filter(ev) else {
            continue;
        };
        if chunk.first {
            line.reset();
        }
        let text = chunk.text.as_str();
        let mut pos = 0;
        while pos < text.len() {
            let (piece, ends) = match memchr::memchr(b'\n', &text.as_bytes()[pos..]) {
                Some(n) => (&text[pos..pos + n], true),
                None => (&text[pos..], chunk.ends_line),
            };
            line.write(&analyzer, piece, args.format, &mut out)
                .context("writing to stdout")?;
            if ends {
                line.end(args.format, &mut out)
                    .context("writing to stdout")?;
            }
            pos += piece.len() + usize::from(ends && pos + piece.len() < text.len());
        }
        if chunk.last && line.open {
            line.end(args.format, &mut out)
                .context("writing to stdout")?;
        }
    }
    out.flush().context("writing to stdout")?;
    Ok(reporter.finish())
}

/// A line being printed; a line longer than a chunk arrives in several pieces.
#[derive(Debug, Default)]
struct LineState {
    /// Something of the current line was read.
    open: bool,
    /// A token of the current line was written.
    any: bool,
    /// Bytes of the current line before the piece being processed.
    offset: usize,
    tokens: Vec<String>,
    offsets: Vec<[usize; 2]>,
    /// The scheme is clitic: jsonl carries a `clitic` array.
    clitic: bool,
    /// Mark clitics with `+` in text output.
    mark: bool,
    clitics: Vec<Option<&'static str>>,
    /// Buffers reused from line to line.
    scratch: Scratch,
}

impl LineState {
    fn write(
        &mut self,
        analyzer: &Analyzer,
        piece: &str,
        format: TokFormat,
        out: &mut impl Write,
    ) -> io::Result<()> {
        match format {
            TokFormat::Text if self.mark && self.clitic => {
                let mut term_buf = String::new();
                for (term, _, c) in analyzer.analyze(piece).iter_clitics() {
                    term_buf.clear();
                    match c {
                        Some("pro") => {
                            term_buf.push_str(term);
                            term_buf.push('+');
                        }
                        Some(_) => {
                            term_buf.push('+');
                            term_buf.push_str(term);
                        }
                        None => term_buf.push_str(term),
                    }
                    write_term(out, &term_buf, &mut self.any)?;
                }
            }
            // Text needs no offsets: skip the alignment that `analyze` builds.
            TokFormat::Text => {
                let mut res = Ok(());
                let any = &mut self.any;
                analyzer.for_each_term(piece, &mut self.scratch, |term| {
                    if res.is_ok() {
                        res = write_term(out, term, any);
                    }
                });
                res?;
            }
            TokFormat::Jsonl => {
                for (term, tok, c) in analyzer.analyze(piece).iter_clitics() {
                    self.tokens.push(term.to_string());
                    self.clitics.push(c);
                    self.offsets
                        .push([self.offset + tok.start, self.offset + tok.end]);
                }
            }
        }
        self.open = true;
        self.offset += piece.len();
        Ok(())
    }

    fn end(&mut self, format: TokFormat, out: &mut impl Write) -> io::Result<()> {
        if format == TokFormat::Jsonl {
            // Keys in the documented order: tokens, then offsets.
            #[derive(serde::Serialize)]
            struct Line<'a> {
                tokens: &'a [String],
                offsets: &'a [[usize; 2]],
                #[serde(skip_serializing_if = "Option::is_none")]
                clitic: Option<&'a [Option<&'static str>]>,
            }
            serde_json::to_writer(
                &mut *out,
                &Line {
                    tokens: &self.tokens,
                    offsets: &self.offsets,
                    clitic: self.clitic.then_some(&self.clitics[..]),
                },
            )?;
        }
        out.write_all(b"\n")?;
        self.reset();
        Ok(())
    }

    /// Start a new line, keeping the allocations.
    fn reset(&mut self) {
        self.open = false;
        self.any = false;
        self.offset = 0;
        self.tokens.clear();
        self.offsets.clear();
        self.clitics.clear();
    }
}

/// Write one term, preceded by a space unless it is the line's first.
fn write_term(out: &mut impl Write, term: &str, any: &mut bool) -> io::Result<()> {
    if *any {
        out.write_all(b" ")?;
    }
    *any = true;
    out.write_all(term.as_bytes())
}
