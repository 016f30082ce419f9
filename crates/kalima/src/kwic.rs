//! Concordance lines (key word in context), showing the original text.
//!
//! Matching is done on normalized terms; the lines show the ORIGINAL text, cut with the
//! analyzer's byte offsets (light normalization unless the job says otherwise).
//! [`Concordancer::run`] gives the lines as soon as they are found, in document order; the
//! chunks are matched on the job's threads, each with a few tokens of the text before and
//! after it, and only a bounded window of chunks (a few per thread) is in memory. Sorting
//! ([`KwicOptions::sort`]) has to see every match first: it buffers them (at most
//! [`KwicOptions::limit`] when given, keeping the first lines in sort order).
//! [`render`] writes lines as CSV, TSV, JSON, JSON lines, HTML or an aligned terminal table.
//!
//! # Example
//! ```
//! use kalima::{Job, Source, kwic::{kwic, KwicOptions}};
//!
//! let job = Job::new(Source::Texts(vec!["ذهب الولد إلى المَدرسةِ صباحا".into()]));
//! let opts = KwicOptions { context: 2, ..KwicOptions::new("المدرسة") };
//! let lines = kwic(&job, &opts)?.value.lines;
//! assert_eq!(lines.len(), 1);
//! let l = &lines[0];
//! assert_eq!((l.left.as_str(), l.node.as_str(), l.right.as_str()), ("الولد إلى", "المَدرسةِ", "صباحا"));
//! assert_eq!((l.doc.as_str(), l.offset), ("text[0]", 25)); // byte offset of the node
//! # Ok::<(), kalima::Error>(())
//! ```

pub mod render;

use std::collections::BinaryHeap;
use std::fmt;
use std::ops::ControlFlow;

use kalima_frame::Table;
use kalima_stats::engine::{Ordered, Segment};
use kalima_text::{Analyzer, Normalizer, Token};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::docs::Labels;
use crate::{Error, Job, Output, Result};

/// Options of [`kwic`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KwicOptions {
    /// What to find: a term, a prefix (`ال*`), a phrase (several words), or with `regex` a
    /// regular expression matched against whole normalized terms.
    pub query: String,
    /// `query` is a regular expression (Rust regex syntax) that must match a whole normalized
    /// term.
    pub regex: bool,
    /// Tokens of context on each side.
    pub context: usize,
    /// Sort by context words (see [`SortKey::parse_list`]); ties keep document order. Empty:
    /// document order, lines given as they are found.
    pub sort: Vec<SortKey>,
    /// Stop after N lines (with `sort`: the first N in sort order).
    pub limit: Option<usize>,
}

impl KwicOptions {
    /// The default options for `query`: 7 tokens of context, not a regex, no sort, no limit.
    pub fn new(query: impl Into<String>) -> Self {
        KwicOptions {
            query: query.into(),
            regex: false,
            context: 7,
            sort: Vec::new(),
            limit: None,
        }
    }
}

/// What a node is.
#[derive(Debug, Clone)]
pub enum Query {
    /// One normalized term.
    Term(String),
    /// Terms starting with this normalized prefix.
    Prefix(String),
    /// A whole-term regular expression.
    Regex(Regex),
    /// Consecutive normalized terms.
    Phrase(Vec<String>),
}

impl Query {
    /// Parse `q` with the same analyzer as the text: `word*` is a prefix, several words a
    /// phrase; with `regex`, a regular expression that must match a whole term.
    pub fn parse(q: &str, regex: bool, analyzer: &Analyzer) -> Result<Query> {
        if regex {
            let re = Regex::new(&format!("^(?:{q})$"))
                .map_err(|e| Error::invalid(format!("bad --regex {q:?}: {e}")))?;
            return Ok(Query::Regex(re));
        }
        let terms = |s: &str| -> Vec<String> {
            analyzer
                .analyze(s)
                .iter()
                .map(|(t, _)| t.to_string())
                .collect()
        };
        if let Some(p) = q.trim().strip_suffix('*') {
            let t = terms(p);
            if t.len() != 1 {
                return Err(Error::invalid(format!(
                    "a prefix query is one word followed by `*` (got {q:?})"
                )));
            }
            return Ok(Query::Prefix(t.into_iter().next().unwrap_or_default()));
        }
        let mut t = terms(q);
        match t.len() {
            0 => Err(Error::invalid(format!("the query {q:?} has no term"))),
            1 => Ok(Query::Term(t.pop().unwrap_or_default())),
            _ => Ok(Query::Phrase(t)),
        }
    }

    /// Number of tokens a match covers.
    pub fn len(&self) -> usize {
        match self {
            Query::Phrase(p) => p.len(),
            _ => 1,
        }
    }

    /// Never true: a query covers at least one token.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Does a match start at token `i` of `toks` (normalized terms with their offsets)?
    pub fn matches(&self, toks: &[(&str, Token)], i: usize) -> bool {
        let t = toks[i].0;
        match self {
            Query::Term(q) => t == q,
            Query::Prefix(p) => t.starts_with(p.as_str()),
            Query::Regex(r) => r.is_match(t),
            Query::Phrase(p) => {
                i + p.len() <= toks.len() && p.iter().zip(&toks[i..]).all(|(a, b)| a == b.0)
            }
        }
    }
}

/// A sort key: a context position (`L3` = third word before, `R1` = first after, `node`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    /// The n-th word before the node (from 1).
    Left(usize),
    /// The n-th word after the node (from 1).
    Right(usize),
    /// The node.
    Node,
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SortKey::Left(n) => write!(f, "L{n}"),
            SortKey::Right(n) => write!(f, "R{n}"),
            SortKey::Node => f.write_str("node"),
        }
    }
}

impl SortKey {
    /// Parse comma-separated keys, e.g. `R1,R2` or `L1,node` (case-insensitive), each within
    /// `context` words of the node.
    pub fn parse_list(s: &str, context: usize) -> Result<Vec<SortKey>> {
        s.split(',')
            .map(|k| {
                let k = k.trim();
                if k.eq_ignore_ascii_case("node") {
                    return Ok(SortKey::Node);
                }
                let (side, n) = k.split_at(1.min(k.len()));
                let n: usize = n.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                    Error::invalid(format!(
                        "bad sort key {k:?}: expected L1…L{context}, R1…R{context} or node"
                    ))
                })?;
                if n > context {
                    return Err(beyond(k, context));
                }
                match side {
                    "L" | "l" => Ok(SortKey::Left(n)),
                    "R" | "r" => Ok(SortKey::Right(n)),
                    _ => Err(Error::invalid(format!(
                        "bad sort key {k:?}: expected L1…, R1… or node"
                    ))),
                }
            })
            .collect()
    }

    fn distance(self) -> usize {
        match self {
            SortKey::Left(n) | SortKey::Right(n) => n,
            SortKey::Node => 0,
        }
    }
}

fn beyond(k: &str, context: usize) -> Error {
    Error::invalid(format!("sort key {k:?} is beyond --context {context}"))
}

/// One concordance line. Ordered by document, then offset.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Line {
    /// Document number in the corpus (from 0, in input order).
    pub doc_index: u64,
    /// Byte offset of the node in the document's decoded text.
    pub offset: u64,
    /// The document's label (`path` or `path:name`).
    pub doc: String,
    /// Context before the node, whitespace runs made one space.
    pub left: String,
    /// The node as written in the text.
    pub node: String,
    /// Context after the node.
    pub right: String,
}

/// A line with its sort keys (compared first).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Keyed {
    keys: Vec<String>,
    line: Line,
}

/// Collapse whitespace runs (line breaks included) to one space and trim.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Concordance lines in document order, or in sort order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Concordance {
    /// The lines.
    pub lines: Vec<Line>,
}

impl Concordance {
    /// The table `doc, offset, left, node, right`.
    pub fn table(&self) -> Table {
        let l = &self.lines;
        let mut t = Table::new();
        t.push_str("doc", l.iter().map(|x| x.doc.clone()).collect())
            .push_u64("offset", l.iter().map(|x| x.offset).collect())
            .push_str("left", l.iter().map(|x| x.left.clone()).collect())
            .push_str("node", l.iter().map(|x| x.node.clone()).collect())
            .push_str("right", l.iter().map(|x| x.right.clone()).collect());
        t
    }
}

/// A parsed query with its options, ready to run over a job.
#[derive(Debug, Clone)]
pub struct Concordancer {
    analyzer: Analyzer,
    query: Query,
    opts: KwicOptions,
}

impl Concordancer {
    /// Parse the query with the job's analyzer (light normalization unless the job says
    /// otherwise) and check the sort keys: usage errors come before any input is read.
    pub fn new(job: &Job, opts: &KwicOptions) -> Result<Concordancer> {
        let analyzer = job.analyzer(Normalizer::light());
        let query = Query::parse(&opts.query, opts.regex, &analyzer)?;
        let c = Concordancer {
            analyzer,
            query,
            opts: KwicOptions {
                sort: Vec::new(),
                ..opts.clone()
            },
        };
        c.sorted_by(opts.sort.clone())
    }

    /// The same with these sort keys (checked against the context).
    pub fn sorted_by(mut self, keys: Vec<SortKey>) -> Result<Concordancer> {
        if let Some(k) = keys.iter().find(|k| k.distance() > self.opts.context) {
            return Err(beyond(&k.to_string(), self.opts.context));
        }
        self.opts.sort = keys;
        Ok(self)
    }

    /// The query.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Find the lines and give each to `each`: as soon as found, or (with sort keys) all at
    /// the end in sort order. Stops at the first error of `each`. Notes and input errors go
    /// to the job's observer; the failures are kept for [`Job::output`].
    ///
    /// Chunks are analysed and matched on the job's threads, a bounded window ahead of the
    /// lines given ([`Ordered`]); the lines come in document order all the same.
    pub fn run<E: From<Error>>(
        &self,
        job: &Job,
        mut each: impl FnMut(&Line) -> Result<(), E>,
    ) -> Result<(), E> {
        let sorted = !self.opts.sort.is_empty();
        let limit = self.opts.limit.unwrap_or(usize::MAX);
        if limit == 0 {
            // Nothing to find; the first chunk is read all the same, so input errors before
            // it are told, as always.
            job.chunks(false)?.next();
            return Ok(());
        }
        // A match's line reaches `context` tokens back, and `context` past its last token.
        let (k, len) = (self.opts.context, self.query.len());
        let find = Ordered::new(
            || (),
            |_, s: &Segment| (s.doc, s.first, s.text.len(), self.find(s, sorted)),
        )
        .with_context(k)
        .with_lookahead(k + len - 1);
        let labels = Labels::default();
        let mut heap: BinaryHeap<Keyed> = BinaryHeap::new();
        let mut given = 0usize;
        // The document's label, and the offset of the current chunk in it.
        let (mut label, mut offset) = (String::new(), 0u64);
        let pool = job.pool()?;
        let stopped = find.try_for_each(&pool, labels.segments(job)?, |(doc, first, n, found)| {
            if first {
                (label, offset) = labels.take(doc);
            }
            for mut found in found {
                found.line.doc.clone_from(&label);
                found.line.offset += offset;
                if sorted {
                    heap.push(found);
                    if heap.len() > limit {
                        heap.pop();
                    }
                } else {
                    if let Err(e) = each(&found.line) {
                        return ControlFlow::Break(Err(e));
                    }
                    given += 1;
                    if given >= limit {
                        return ControlFlow::Break(Ok(()));
                    }
                }
            }
            offset += n as u64;
            ControlFlow::Continue(())
        });
        if let ControlFlow::Break(r) = stopped {
            return r;
        }
        let mut lines = heap.into_vec();
        lines.sort();
        for l in &lines {
            each(&l.line)?;
        }
        Ok(())
    }

    /// The matches that start in `s.text`, their lines read in `s.context`, `s.text` and
    /// `s.after`; offsets from the start of `s.text`, no document label yet. With `sorted`,
    /// each with its sort keys.
    fn find(&self, s: &Segment, sorted: bool) -> Vec<Keyed> {
        let (k, len) = (self.opts.context, self.query.len());
        let text = [s.context.as_str(), &s.text, &s.after].concat();
        let own = s.context.len()..s.context.len() + s.text.len();
        let analyzed = self.analyzer.analyze(&text);
        let toks: Vec<(&str, Token)> = analyzed.iter().collect();
        let m = toks.len();
        let mut found = Vec::new();
        for i in 0..m {
            let start = toks[i].1.start;
            if !own.contains(&start) || !self.query.matches(&toks, i) {
                continue;
            }
            let end = i + len - 1;
            let lstart = toks[i.saturating_sub(k)].1.start;
            let rend = toks[(end + k).min(m - 1)].1.end;
            found.push(Keyed {
                keys: if sorted {
                    self.keys(&toks, i, end)
                } else {
                    Vec::new()
                },
                line: Line {
                    doc_index: s.doc,
                    offset: (start - own.start) as u64,
                    doc: String::new(),
                    left: one_line(&text[lstart..start]),
                    node: one_line(&text[start..toks[end].1.end]),
                    right: one_line(&text[toks[end].1.end..rend]),
                },
            });
        }
        found
    }

    /// The sort keys of the match at tokens `i..=end`: the words at the key positions (empty
    /// beyond the text).
    fn keys(&self, toks: &[(&str, Token)], i: usize, end: usize) -> Vec<String> {
        self.opts
            .sort
            .iter()
            .map(|key| {
                let j = match *key {
                    SortKey::Left(n) => i.checked_sub(n),
                    SortKey::Right(n) => Some(end + n).filter(|&j| j < toks.len()),
                    SortKey::Node => Some(i),
                };
                j.map_or(String::new(), |j| toks[j].0.to_string())
            })
            .collect()
    }
}

/// Every concordance line of the job's inputs (see [`Concordancer::run`] to stream them).
pub fn kwic(job: &Job, opts: &KwicOptions) -> Result<Output<Concordance>> {
    let mut lines = Vec::new();
    Concordancer::new(job, opts)?.run(job, |l: &Line| -> Result<()> {
        lines.push(l.clone());
        Ok(())
    })?;
    Ok(job.output(Concordance { lines }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Source;

    fn job(texts: &[&str]) -> Job<'static> {
        Job::new(Source::Texts(texts.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn sort_keys_parse_and_check_the_context() {
        assert_eq!(
            SortKey::parse_list("R1, l2,NODE", 7).unwrap(),
            [SortKey::Right(1), SortKey::Left(2), SortKey::Node]
        );
        let e = SortKey::parse_list("R9", 7).unwrap_err();
        assert_eq!(e.to_string(), "sort key \"R9\" is beyond --context 7");
        let e = SortKey::parse_list("X1", 7).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bad sort key \"X1\": expected L1…, R1… or node"
        );
        assert!(SortKey::parse_list("", 7).unwrap_err().is_usage());
        // Keys given as values are checked too.
        let opts = KwicOptions {
            context: 2,
            sort: vec![SortKey::Left(3)],
            ..KwicOptions::new("في")
        };
        let e = Concordancer::new(&job(&[]), &opts).unwrap_err();
        assert_eq!(e.to_string(), "sort key \"L3\" is beyond --context 2");
    }

    #[test]
    fn queries() {
        let a = Analyzer::new(kalima_text::Scheme::Words, Normalizer::light());
        assert!(matches!(Query::parse("ال*", false, &a), Ok(Query::Prefix(p)) if p == "ال"));
        assert!(matches!(Query::parse("عاد من", false, &a), Ok(Query::Phrase(p)) if p.len() == 2));
        assert!(Query::parse("", false, &a).unwrap_err().is_usage());
        assert!(Query::parse("أ ب*", false, &a).is_err());
        let e = Query::parse("(", true, &a).unwrap_err();
        assert!(e.to_string().starts_with("bad --regex \"(\": "), "{e}");
    }

    #[test]
    fn sorted_and_limited() {
        let j = job(&["x في ج", "y في ب", "z في <"]);
        let opts = KwicOptions {
            context: 1,
            sort: vec![SortKey::Right(1)],
            limit: Some(2),
            ..KwicOptions::new("في")
        };
        let c = kwic(&j, &opts).unwrap().value;
        let right: Vec<_> = c.lines.iter().map(|l| l.right.as_str()).collect();
        assert_eq!(right, ["<", "ب"]);
        let first = kwic(
            &j,
            &KwicOptions {
                limit: Some(1),
                ..KwicOptions::new("في")
            },
        );
        assert_eq!(first.unwrap().value.lines[0].doc, "text[0]");
        assert_eq!(c.table().len(), 2);
    }

    #[test]
    fn a_failing_sink_stops_the_run() {
        let j = job(&["في في في"]);
        let c = Concordancer::new(&j, &KwicOptions::new("في")).unwrap();
        let mut n = 0;
        let r = c.run(&j, |_: &Line| -> Result<()> {
            n += 1;
            Err(Error::invalid("stop"))
        });
        assert!(r.is_err());
        assert_eq!(n, 1);
    }
}
