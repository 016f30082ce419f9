//! The report's passes over the corpus.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use kalima_corpus::{Chunk, Corpus, Event, InputError, ReadOptions};
use kalima_report::{CollocateRow, Collocates, RankedRow, RankedTable, Skipped};
use kalima_stats::engine::{self, Collector, Fold, Segment};
use kalima_stats::{TermCounter, per_million};
use kalima_text::{Normalizer, Scratch};

use super::{COLLOCATE_MIN, COLLOCATE_WINDOW, COLLOCATES, ReportOptions};
use crate::assoc::measure;
use crate::collocates::rank;
use crate::keyness::WordsPerTag;
use crate::ngrams::{NgramsOptions, StopAt, ngram_rows_with};
use crate::time::{DateField, Dating, Followed, Period, PeriodCounts, PeriodRow};
use crate::{Error, Job, Observer, Result, Source};

/// Passes progress on, but not notes or input errors: for the passes that read the inputs
/// again (the first told them).
pub(super) struct ProgressOnly<'a>(pub &'a dyn Observer);

impl Observer for ProgressOnly<'_> {
    fn progress(&self, bytes: u64, docs: u64) {
        self.0.progress(bytes, docs);
    }
}

/// What the first pass learns.
pub(super) struct First {
    /// Counts of every term.
    pub total: TermCounter,
    /// Word counts per group (one group without `--by`), as `kalima keyness` counts them
    /// ([`WordsPerTag`]); none when no keyness is asked for. Group names in `group_names`.
    pub words: Vec<TermCounter>,
    pub group_names: Vec<String>,
    /// Tokens per document, by document number.
    pub doc_tokens: Vec<u64>,
    pub documents: u64,
    /// Encoding and format of each input file.
    pub files: BTreeMap<String, (String, String)>,
    pub skipped: Vec<Skipped>,
}

/// Gives each document its group, in corpus order, and remembers the files seen.
struct Groups<'a> {
    by: Option<&'a str>,
    ids: HashMap<String, u32>,
    names: Vec<String>,
    /// Groups of documents whose last chunk has not come yet.
    open: HashMap<u64, u32>,
    files: BTreeMap<String, (String, String)>,
}

impl Groups<'_> {
    fn tag(&mut self, c: &Chunk) -> u32 {
        self.files.entry(c.source.path.clone()).or_insert_with(|| {
            (
                c.source.encoding.name().to_string(),
                c.source.format.to_string(),
            )
        });
        if !c.first {
            let g = self.open.get(&c.doc).copied().unwrap_or(0);
            if c.last {
                self.open.remove(&c.doc);
            }
            return g;
        }
        let name = match self.by {
            None => String::new(),
            Some(f) if f.eq_ignore_ascii_case("file") => c.source.path.clone(),
            Some(f) => c
                .meta
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(f))
                .map_or("(none)", |(_, v)| v.as_str())
                .trim()
                .to_string(),
        };
        let n = self.names.len() as u32;
        let g = *self.ids.entry(name).or_insert_with_key(|name| {
            self.names.push(name.clone());
            n
        });
        if !c.last {
            self.open.insert(c.doc, g);
        }
        g
    }
}

/// A collector that may be left out: it collects nothing and its fruit is `None`.
struct Maybe<C>(Option<C>);

impl<C: Collector> Collector for Maybe<C> {
    type Child = Option<C::Child>;
    type Fruit = Option<C::Fruit>;

    fn context_words(&self) -> usize {
        self.0.as_ref().map_or(0, C::context_words)
    }

    fn whole_documents(&self) -> bool {
        self.0.as_ref().is_some_and(C::whole_documents)
    }

    fn child(&self) -> Self::Child {
        self.0.as_ref().map(C::child)
    }

    fn collect(&self, child: &mut Self::Child, segment: &Segment) {
        if let (Some(c), Some(child)) = (&self.0, child) {
            c.collect(child, segment);
        }
    }

    fn merge(&self, children: Vec<Self::Child>) -> Self::Fruit {
        let c = self.0.as_ref()?;
        Some(c.merge(children.into_iter().flatten().collect()))
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The inputs' reader events, with record metadata.
fn events<'j>(job: &'j Job) -> Result<Box<dyn Iterator<Item = Event> + Send + 'j>> {
    let opts = ReadOptions {
        keep_meta: true,
        ..job.read.clone()
    };
    Ok(match &job.source {
        Source::Paths(p) if p.is_empty() => {
            return Err(Error::invalid(
                "no input: give one or more files or directories",
            ));
        }
        Source::Paths(p) => Box::new(Corpus::open(p, opts)),
        Source::Stdin => Box::new(Corpus::stdin(opts)),
        // Texts in memory have no notes or errors.
        Source::Texts(_) => Box::new(job.chunks(true)?.map(Event::Chunk)),
    })
}

/// Pass 1 (on the current pool): term counts, word counts per group when `keyness`, document
/// lengths, files, and the inputs skipped, told to the job's observer as they happen; the
/// failures are returned.
pub(super) fn first(
    job: &Job,
    by: Option<&str>,
    keyness: bool,
) -> Result<(First, Vec<InputError>)> {
    let analyzer = job.analyzer(Normalizer::light());
    let observer = job.observer();
    let skipped = Mutex::new(Vec::new());
    let failures = Mutex::new(Vec::new());
    let (bytes, docs) = (AtomicU64::new(0), AtomicU64::new(0));
    let groups = Mutex::new(Groups {
        by,
        ids: HashMap::new(),
        names: Vec::new(),
        open: HashMap::new(),
        files: BTreeMap::new(),
    });
    let segments = events(job)?.filter_map(|ev| match ev {
        Event::Chunk(c) => {
            let len = c.text.len() as u64;
            let b = bytes.fetch_add(len, Ordering::Relaxed) + len;
            let d = docs.fetch_add(u64::from(c.last), Ordering::Relaxed) + u64::from(c.last);
            observer.progress(b, d);
            let mut s = Segment::new(c.doc, c.first, c.last, String::new());
            s.tag = lock(&groups).tag(&c);
            s.text = c.text;
            Some(s)
        }
        Event::Note(n) => {
            observer.note(&n.to_string());
            lock(&skipped).push(Skipped {
                path: n.path,
                reason: format!("note: {}", n.message),
            });
            None
        }
        Event::Error(e) => {
            observer.input_error(&e);
            lock(&skipped).push(Skipped {
                path: e.path.clone(),
                reason: format!("error: {}", e.kind),
            });
            lock(&failures).push(e);
            None
        }
    });
    type State = (TermCounter, Vec<(u64, u64)>, Scratch);
    let fold = Fold::new(
        || (TermCounter::new(), Vec::new(), Scratch::default()),
        |(counter, lens, scratch): &mut State, s: &Segment| {
            counter.begin(s.doc, s.is_whole());
            let before = counter.tokens();
            let mut batch = counter.batch();
            analyzer.for_each_term(&s.text, scratch, |t| batch.add(t));
            drop(batch);
            lens.push((s.doc, counter.tokens() - before));
        },
    );
    let words = Maybe(keyness.then_some(WordsPerTag {
        analyzer: &analyzer,
    }));
    let (states, words) = engine::run(segments, &(fold, words));
    let mut total = TermCounter::new();
    let mut lens = Vec::new();
    for (c, l, _) in states {
        total.merge(c);
        lens.extend(l);
    }
    let groups = groups.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut words = words.unwrap_or_default();
    if keyness {
        words.resize_with(groups.names.len().max(1), TermCounter::new);
    }
    let documents = lens.iter().map(|&(d, _)| d + 1).max().unwrap_or(0);
    let mut doc_tokens = vec![0u64; documents as usize];
    for (d, n) in lens {
        doc_tokens[d as usize] += n;
    }
    let mut skipped = skipped.into_inner().unwrap_or_else(|e| e.into_inner());
    skipped.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
    let first = First {
        total,
        words,
        group_names: groups.names,
        doc_tokens,
        documents,
        files: groups.files,
        skipped,
    };
    Ok((
        first,
        failures.into_inner().unwrap_or_else(|e| e.into_inner()),
    ))
}

/// What the second pass learns about the followed terms.
pub(super) struct Second {
    /// What a part is (documents, or chunks of a single document).
    pub parts_label: String,
    /// Size in tokens of each part.
    pub part_sizes: Vec<u64>,
    /// Per followed term: (part, count) with count > 0.
    pub per_part: Vec<Vec<(u64, u64)>>,
    /// The periods, in time order, with tokens and counts of the followed terms.
    pub periods: Vec<PeriodRow>,
    /// The date field used.
    pub date_field: Option<String>,
}

/// Pass 2 (on the current pool): the followed terms per part (the documents, or the chunks
/// of a single document) and per period of the documents' dates.
pub(super) fn second(
    job: &Job,
    followed: &[String],
    documents: u64,
    date_field: &DateField,
) -> Result<Second> {
    let analyzer = job.analyzer(Normalizer::light());
    let by_doc = documents >= 2;
    let follow = Followed::new(followed);
    let k = follow.len();
    let mut dating = Dating::new(date_field.clone(), Period::MonthOrYear);
    let mut pieces = 0u64;
    // Segments of this pass are parts: `doc` is the part's number; `tag` the period + 1.
    let segments = job.chunks(true)?.map(|c| {
        let period = dating.tag(&c);
        let part = if by_doc { c.doc } else { pieces };
        pieces += 1;
        let mut s = Segment::new(part, c.first, c.last, c.text);
        s.tag = period.map_or(0, |p| p + 1);
        s
    });
    // Per piece: (part, tokens, non-zero counts of followed terms), so a document costs a
    // few words of memory, not one counter per followed term.
    type State = (Vec<(u64, u64, Vec<(u32, u64)>)>, PeriodCounts, Scratch);
    let fold = Fold::new(
        || (Vec::new(), PeriodCounts::new(k), Scratch::default()),
        |(parts, periods, scratch): &mut State, s: &Segment| {
            let mut counts = vec![0u64; k];
            let n = follow.count(&analyzer, &s.text, scratch, &mut counts);
            if s.tag > 0 {
                periods.add(s.tag - 1, n, &counts);
            }
            let nonzero = counts
                .iter()
                .enumerate()
                .filter(|&(_, &c)| c > 0)
                .map(|(i, &c)| (i as u32, c))
                .collect();
            parts.push((s.doc, n, nonzero));
        },
    );
    let mut parts = Vec::new();
    let mut periods = PeriodCounts::new(k);
    for (p, q, _) in engine::run(segments, &fold) {
        parts.extend(p);
        periods.merge(q);
    }
    let nparts = if by_doc { documents } else { pieces };
    let mut part_sizes = vec![0u64; nparts as usize];
    let mut per_part = vec![Vec::new(); k];
    for (part, n, counts) in parts {
        part_sizes[part as usize] += n;
        for (i, c) in counts {
            per_part[i as usize].push((part, c));
        }
    }
    let parts_label = if by_doc {
        format!("{nparts} documents")
    } else {
        format!(
            "{nparts} consecutive chunks of the single document (about {} KB each)",
            ReadOptions::default().chunk_size / 1000
        )
    };
    Ok(Second {
        parts_label,
        part_sizes,
        per_part,
        periods: periods.rows(dating.names()),
        date_field: dating.field().map(str::to_string),
    })
}

type Ranked = Result<RankedTable, String>;

/// The top bigrams and trigrams, and the runs they spilled to disk.
pub(super) struct Ngrams {
    pub bigrams: Ranked,
    pub trigrams: Ranked,
    pub spill_runs: usize,
}

/// The top bigrams and trigrams, left out when they begin or end with a stop word: the rows
/// of `kalima ngrams -n 2..3 --stopwords … --stopwords-at edge`, the first [`ReportOptions::top`]
/// of each length.
pub(super) fn ngrams(job: &Job, opts: &ReportOptions, stop: &HashSet<String>) -> Result<Ngrams> {
    let o = NgramsOptions {
        min_n: 2,
        max_n: 3,
        stopwords_at: StopAt::Edge,
        memory: opts.memory.clone(),
        ..NgramsOptions::default()
    };
    // Streamed: only the top rows of each length are ever made into strings.
    let mut counts = ngram_rows_with(job, &o, Some(stop))?.value;
    let (tokens, spill_runs) = (counts.tokens(), counts.spilled_runs());
    let (mut bi, mut tri) = (vec![], vec![]);
    while let Some((g, n, count)) = counts.next_row()? {
        let v = match n {
            2 => &mut bi,
            _ => &mut tri,
        };
        if v.len() < opts.top {
            v.push(RankedRow {
                term: g.to_string(),
                count,
                doc_freq: None,
                per_million: per_million(count, tokens),
            });
        }
        if bi.len() >= opts.top && tri.len() >= opts.top {
            break;
        }
    }
    let table = |rows: Vec<RankedRow>, what: &str| {
        if rows.is_empty() {
            Err(format!("the corpus has no {what}"))
        } else {
            Ok(RankedTable { rows, chart: None })
        }
    };
    Ok(Ngrams {
        bigrams: table(bi, "bigrams"),
        trigrams: table(tri, "trigrams"),
        spill_runs,
    })
}

/// Collocates of each node within ±[`COLLOCATE_WINDOW`] words, stop words left out, seen at
/// least [`COLLOCATE_MIN`] times near the node, the best [`COLLOCATES`] by logDice: the rows
/// of `kalima collocates NODE --window 5 --stopwords … --min-count 2 --top 10 -m logdice`
/// ([`rank`]), counted in one pass for all nodes (on the current pool).
pub(super) fn collocates(
    job: &Job,
    stop: &HashSet<String>,
    nodes: &[String],
) -> Result<Vec<Collocates>> {
    let analyzer = job.analyzer(Normalizer::light());
    let log_dice = measure("logdice")?;
    let matchers: Vec<_> = nodes.iter().map(|node| move |t: &str| t == node).collect();
    let refs: Vec<&(dyn Fn(&str) -> bool + Sync)> = matchers
        .iter()
        .map(|m| m as &(dyn Fn(&str) -> bool + Sync))
        .collect();
    let counted = kalima_stats::cooc::count_collocates_many(
        job.segments()?,
        &analyzer,
        &refs,
        COLLOCATE_WINDOW,
        COLLOCATE_WINDOW,
        false,
    );
    Ok(nodes
        .iter()
        .zip(counted)
        .map(|(node, c)| Collocates {
            node: node.clone(),
            window: format!("±{COLLOCATE_WINDOW} words, {} occurrences", c.node_freq),
            rows: rank(&c, &[log_dice], COLLOCATE_MIN, Some(stop), Some(COLLOCATES))
                .into_iter()
                .map(|r| CollocateRow {
                    cooc: r.count(),
                    log_dice: r.values[0],
                    term: r.term,
                    freq: r.freq,
                })
                .collect(),
        })
        .collect())
}
