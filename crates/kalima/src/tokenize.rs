//! Tokens: of one text, with byte offsets into it ([`tokenize`]), or of every line of a
//! corpus, one output line per input line ([`tokenize_corpus`], what `kalima tokenize` prints).
//!
//! Tokenization shows the text as it is: the normalization is none unless the
//! [`TextOptions`] name one.
//!
//! # Example
//! ```
//! use kalima::{Job, Scheme, Source, TextOptions, tokenize::{tokenize, tokenize_corpus, TokenizeOptions}};
//!
//! let clitic = TextOptions { scheme: "clitic".parse()?, normalize: None };
//! let tokens = tokenize("وقال الرئيس", &clitic);
//! let got: Vec<(&str, usize, usize)> =
//!     tokens.iter().map(|t| (t.text.as_str(), t.start, t.end)).collect();
//! assert_eq!(got, [("و", 0, 2), ("قال", 2, 8), ("الرئيس", 9, 21)]);
//! assert_eq!(tokens[0].clitic, Some("pro"));
//!
//! // A corpus: one line out per line in.
//! let job = Job::new(Source::Texts(vec!["قال: نعم\nلا".into()]));
//! let mut out = Vec::new();
//! tokenize_corpus(&job, &TokenizeOptions::default(), &mut out)?;
//! assert_eq!(String::from_utf8(out).unwrap(), "قال : نعم\nلا\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Write};

use kalima_text::{Analyzer, Normalizer, Scheme, Scratch};
use serde::{Deserialize, Serialize};

use crate::{Error, Job, Output, Result, TextOptions};

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    /// The token as the scheme and normalization spell it.
    pub text: String,
    /// Byte offset of its first byte in the original text.
    pub start: usize,
    /// Byte offset one past its last byte in the original text.
    pub end: usize,
    /// With the clitic scheme: `Some("pro")` for a proclitic, `Some("enc")` for an enclitic;
    /// `None` otherwise.
    pub clitic: Option<&'static str>,
}

/// The tokens of `text` under `opts` (normalization none unless it names one), with byte
/// offsets into `text`.
pub fn tokenize(text: &str, opts: &TextOptions) -> Vec<Token> {
    tokenize_with(&opts.analyzer(Normalizer::none()), text)
}

/// The tokens of `text` under `analyzer`, with byte offsets into `text`.
pub fn tokenize_with(analyzer: &Analyzer, text: &str) -> Vec<Token> {
    analyzer
        .analyze(text)
        .iter_clitics()
        .map(|(term, tok, clitic)| Token {
            text: term.to_string(),
            start: tok.start,
            end: tok.end,
            clitic,
        })
        .collect()
}

/// How [`tokenize_corpus`] writes a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Tokens separated by one space.
    #[default]
    Text,
    /// One JSON object per line: `{"tokens": [...], "offsets": [[start, end], ...]}`, byte
    /// offsets into the input line; with the clitic scheme also `"clitic": ["pro"|"enc"|null,
    /// ...]`.
    Jsonl,
}

impl std::str::FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(Format::Text),
            "jsonl" => Ok(Format::Jsonl),
            _ => Err(Error::invalid(format!(
                "unknown tokenize format {s:?}: use text or jsonl"
            ))),
        }
    }
}

/// Options of [`tokenize_corpus`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenizeOptions {
    /// Text (tokens separated by one space) or JSON lines with byte offsets.
    pub format: Format,
    /// With the clitic scheme and text output: mark clitics with `+` (`و+ قال`, `كتاب +ه`),
    /// the Farasa / Penn Arabic Treebank notation.
    pub mark_clitics: bool,
}

/// Write the tokens of every line of the job's inputs to `out`: one output line per input
/// line (a last line without a line break still gets one), in corpus order. Inputs that
/// cannot be read are told to the observer and listed in the output's failures. A failed
/// write is an [`Error::Io`] whose path is `<output>`; `out` is not flushed.
pub fn tokenize_corpus(
    job: &Job,
    opts: &TokenizeOptions,
    out: &mut impl Write,
) -> Result<Output<()>> {
    let analyzer = job.analyzer(Normalizer::none());
    let mut line = LineState {
        clitic: matches!(analyzer.scheme, Scheme::Clitic { .. }),
        mark: opts.mark_clitics,
        ..LineState::default()
    };
    let written = |r: io::Result<()>| r.map_err(|e| Error::io("<output>", e));
    for chunk in job.chunks(false)? {
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
            written(line.write(&analyzer, piece, opts.format, out))?;
            if ends {
                written(line.end(opts.format, out))?;
            }
            pos += piece.len() + usize::from(ends && pos + piece.len() < text.len());
        }
        if chunk.last && line.open {
            written(line.end(opts.format, out))?;
        }
    }
    Ok(job.output(()))
}

/// A line being written; a line longer than a chunk arrives in several pieces.
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
        format: Format,
        out: &mut impl Write,
    ) -> io::Result<()> {
        match format {
            Format::Text if self.mark && self.clitic => {
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
            Format::Text => {
                let mut res = Ok(());
                let any = &mut self.any;
                analyzer.for_each_term(piece, &mut self.scratch, |term| {
                    if res.is_ok() {
                        res = write_term(out, term, any);
                    }
                });
                res?;
            }
            Format::Jsonl => {
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

    fn end(&mut self, format: Format, out: &mut impl Write) -> io::Result<()> {
        if format == Format::Jsonl {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn corpus(texts: &[&str], scheme: &str, opts: TokenizeOptions) -> String {
        let text = TextOptions {
            scheme: scheme.parse().unwrap(),
            normalize: None,
        };
        let job =
            Job::new(Source::Texts(texts.iter().map(|t| t.to_string()).collect())).with_text(text);
        let mut out = Vec::new();
        let o = tokenize_corpus(&job, &opts, &mut out).unwrap();
        assert!(o.complete());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_line_out_per_line_in_with_offsets_into_the_line() {
        let text = corpus(&["a b\n\nc", "d"], "words", TokenizeOptions::default());
        assert_eq!(text, "a b\n\nc\nd\n");
        let jsonl = TokenizeOptions {
            format: Format::Jsonl,
            ..TokenizeOptions::default()
        };
        let got = corpus(&["x yz\nw"], "whitespace", jsonl);
        assert_eq!(
            got,
            "{\"tokens\":[\"x\",\"yz\"],\"offsets\":[[0,1],[2,4]]}\n\
             {\"tokens\":[\"w\"],\"offsets\":[[0,1]]}\n"
        );
    }

    #[test]
    fn clitics_marked_and_listed() {
        let marked = TokenizeOptions {
            mark_clitics: true,
            ..TokenizeOptions::default()
        };
        assert_eq!(corpus(&["وقال"], "clitic", marked), "و+ قال\n");
        let jsonl = TokenizeOptions {
            format: Format::Jsonl,
            ..TokenizeOptions::default()
        };
        let got = corpus(&["وقال"], "clitic", jsonl);
        assert!(got.ends_with(",\"clitic\":[\"pro\",null]}\n"), "{got}");
    }

    #[test]
    fn one_text_agrees_with_the_corpus_output() {
        let opts = TextOptions::default();
        let line = "قال الرئيس: «الاقتصاد ينمو»";
        let tokens = tokenize(line, &opts);
        let joined: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            corpus(&[line], "words", TokenizeOptions::default()),
            format!("{}\n", joined.join(" "))
        );
        for t in &tokens {
            assert_eq!(&line[t.start..t.end], t.text);
            assert_eq!(t.clitic, None);
        }
    }

    #[test]
    fn formats_parse() {
        assert_eq!("jsonl".parse::<Format>().unwrap(), Format::Jsonl);
        assert_eq!(" Text".parse::<Format>().unwrap(), Format::Text);
        assert!("csv".parse::<Format>().unwrap_err().is_usage());
    }
}
