//! `kalima report`: a self-contained HTML (and Markdown) frequency report of a corpus, with
//! every table also in `data/` as CSV and Parquet.
//!
//! Passes over the corpus: the first counts every term (per group with `--by`) and the
//! length of every document; the second, once the top terms are known, counts them per part
//! (dispersion) and per period (terms over time); then bigrams and trigrams
//! (`kalima_stats::ngram`, spilling to temporary files past `--max-memory`), the collocates
//! of the top terms (`kalima_stats::cooc`, one pass per node), and one sequential pass in
//! reading order for the vocabulary growth (Heaps) and the order-dependent lexical diversity
//! measures (MATTR, MTLD; 4 bytes per token). Each section uses the same library calls as
//! the command that computes it alone (`ngrams`, `collocates`, `zipf`, `heaps`, `lexdiv`),
//! so their numbers agree. The page is built by `kalima-report` from plain data.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use clap::Args as ClapArgs;
use kalima_corpus::{Chunk, Event};
use kalima_frame::{OutputFormat, Table};
use kalima_report::sections::{self, Cell, Grid};
use kalima_report::{
    CollocateRow, Collocates, DispersionRow, DispersionTable, Fit, Heaps, KeynessRow, KeynessTable,
    LexdivRow, Overview, RankedRow, RankedTable, ReportData, Skipped, TimeSeries, Zipf,
};
use kalima_stats::cooc::count_collocates_many;
use kalima_stats::fit::{HeapsCurve, heaps_fit, zipf_mandelbrot_mle, zipf_mle};
use kalima_stats::lexdiv::{self as ld, Spectrum};
use kalima_stats::measures::{Contingency, Keyness, assoc, keyness};
use kalima_stats::ngram::{NgramOptions, count_ngrams, key_len};
use kalima_stats::{TermCounter, TermFreq, Vocab, dispersion, per_million};
use kalima_text::{Analyzer, Normalizer, Scratch};
use rayon::prelude::*;

use crate::Outcome;
use crate::cmd::cooc::order_by_measure;
use crate::cmd::ngrams::{MemArgs, note_spill};
use crate::common::{InputArgs, Reporter, TextArgs, load_stopwords, thread_pool};

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

/// Terms whose dispersion is shown, and terms followed over time.
const DISPERSION_TERMS: usize = 20;
const TIME_TERMS: usize = 6;
/// Keyness rows must reach this |G²| (p < 0.05, one degree of freedom) to be listed.
const LL_CRITICAL: f64 = 3.84;
/// Nodes whose collocates are shown, collocates per node, window on each side (words), and
/// the least co-occurrence count of a collocate.
const COLLOCATE_NODES: usize = 5;
const COLLOCATES: usize = 10;
const COLLOCATE_WINDOW: usize = 5;
const COLLOCATE_MIN: u64 = 2;
/// Points per decade of the vocabulary growth curve (as `kalima heaps`).
const HEAPS_PER_DECADE: u32 = crate::cmd::heaps::PER_DECADE;
/// Date fields tried, in order, when `--date` is absent.
const DATE_FIELDS: [&str; 3] = ["date", "time", "date_extracted"];

/// Run `kalima report`.
pub fn run(args: Args) -> Result<Outcome> {
    let (target, staging) = prepare_dir(&args.output, args.force)?;
    let analyzer = args.text.analyzer(Normalizer::light());
    let stop = match args.stopwords.as_str() {
        "none" => HashSet::new(),
        spec => load_stopwords(spec, &analyzer)?,
    };
    let shown = |t: &str| t.chars().any(char::is_alphanumeric) && !stop.contains(t);
    let reporter = Reporter::new(args.quiet);
    let pool = thread_pool(args.threads)?;

    // Pass 1: counts per group, document lengths, files seen.
    let first = pool.install(|| first_pass(&args, &analyzer, &reporter))?;
    let reference = if args.reference.is_empty() {
        None
    } else {
        Some(crate::common::count_terms(
            &args.input,
            &args.reference,
            &analyzer,
            &reporter,
            &pool,
            |_| true,
        )?)
    };

    let mut total = TermCounter::new();
    for g in &first.groups {
        total.merge(g.clone());
    }
    let tokens = total.tokens();
    let all_rows = total.into_sorted();
    let top: Vec<&TermFreq> = all_rows.iter().filter(|r| shown(&r.term)).collect();

    // Pass 2: the top terms per part and per period.
    let followed: Vec<String> = top
        .iter()
        .take(DISPERSION_TERMS)
        .map(|r| r.term.clone())
        .collect();
    let second =
        pool.install(|| second_pass(&args, &analyzer, &reporter, &followed, first.documents))?;
    let (bigrams, trigrams) = pool.install(|| ngram_tables(&args, &analyzer, &reporter, &stop))?;
    let nodes: Vec<String> = followed.iter().take(COLLOCATE_NODES).cloned().collect();
    let collocates =
        pool.install(|| collocate_tables(&args, &analyzer, &reporter, &stop, &nodes))?;
    let (growth, ids) = sequence_pass(&args, &analyzer, &reporter)?;
    let outcome = reporter.finish();

    let mut data = ReportData::new(&args.title.clone().unwrap_or_else(|| {
        args.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }));
    data.generator = format!("kalima {}", env!("CARGO_PKG_VERSION"));
    data.overview = overview(&args, &first, tokens, all_rows.len() as u64);
    data.top_terms = Ok(RankedTable {
        rows: top
            .iter()
            .take(args.top)
            .map(|r| RankedRow {
                term: r.term.clone(),
                count: r.count,
                doc_freq: Some(r.doc_freq),
                per_million: per_million(r.count, tokens),
            })
            .collect(),
        chart: None,
    });
    data.bigrams = bigrams;
    data.trigrams = trigrams;
    data.collocates = if collocates.is_empty() {
        Err("the corpus has no terms to take as nodes".into())
    } else {
        Ok(collocates)
    };
    data.keyness = keyness_tables(&args, &first, &all_rows, tokens, reference, &shown);
    data.over_time = over_time(&second, &followed);
    data.dispersion = dispersion_table(&second, &followed, &all_rows);
    let (zipf, lexdiv) =
        pool.install(|| rayon::join(|| zipf(&all_rows), || lexdiv(&all_rows, &ids)));
    data.zipf = Ok(zipf);
    data.heaps = Ok(heaps(growth));
    data.lexdiv = Ok(lexdiv);
    add_charts(&mut data, &all_rows, args.quiet);

    write_report(staging.path(), &data, &all_rows, tokens)?;
    staging
        .move_into_place(&target)
        .with_context(|| format!("writing {}", target.display()))?;
    Ok(outcome)
}

/// The file that marks a folder as a kalima report, so a later report may replace it.
pub const MARKER: &str = ".kalima-report";

/// Where the report goes, and the empty folder it is built in: a sibling of `dir` (so one
/// rename puts it in place), removed on error and on interruption. `dir` itself is left as it
/// is until the report is complete; then the new folder replaces it whole, so it never mixes
/// two runs. A non-empty `dir` that is not a report is refused unless `force`. Checked before
/// any input is read.
fn prepare_dir(dir: &Path, force: bool) -> Result<(PathBuf, kalima_fs::TempDir)> {
    let target = match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => bail!("{} exists and is not a folder", dir.display()),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
            if entries.next().is_some() && !dir.join(MARKER).is_file() && !force {
                bail!(
                    "{} is not empty and is not a kalima report (it has no {MARKER} file): \
                     give --force to replace it and everything in it",
                    dir.display()
                );
            }
            // `.`, `..` and links resolved: the folder itself is renamed, beside its parent.
            std::fs::canonicalize(dir).with_context(|| format!("reading {}", dir.display()))?
        }
        Err(_) => dir.to_path_buf(),
    };
    let parent = kalima_fs::parent_dir(&target);
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = kalima_fs::TempDir::new_in(parent, ".kalima-report-")
        .with_context(|| format!("cannot write {}", target.display()))?;
    for sub in ["data", "charts"] {
        let p = staging.path().join(sub);
        std::fs::create_dir(&p).with_context(|| format!("creating {}", p.display()))?;
    }
    kalima_fs::write_atomic(
        &staging.path().join(MARKER),
        format!("kalima {} report\n", env!("CARGO_PKG_VERSION")).as_bytes(),
    )
    .with_context(|| format!("cannot write {}", target.display()))?;
    Ok((target, staging))
}

/// What the first pass learns.
struct First {
    /// Counts per group (one group without `--by`); group names in `group_names`.
    groups: Vec<TermCounter>,
    group_names: Vec<String>,
    /// Tokens per document, by document number.
    doc_tokens: Vec<u64>,
    documents: u64,
    files: BTreeMap<String, (String, String)>,
    skipped: Vec<Skipped>,
    date_field: Option<String>,
}

/// A piece of text with its group and its part.
struct Tagged {
    group: usize,
    period: Option<usize>,
    part: u64,
    doc: u64,
    whole: bool,
    text: String,
}

/// Turns reader events into tagged pieces, in input order (single-threaded), remembering
/// groups, periods and files. Shared by both passes so they tag pieces identically.
struct Tagger<'a> {
    by: Option<&'a str>,
    date: Option<String>,
    date_auto: bool,
    group_ids: HashMap<String, usize>,
    group_names: Vec<String>,
    period_ids: HashMap<String, usize>,
    period_names: Vec<String>,
    /// Group and period of documents that come in several chunks.
    open: HashMap<u64, (usize, Option<usize>)>,
    pieces: u64,
    files: BTreeMap<String, (String, String)>,
}

impl<'a> Tagger<'a> {
    fn new(args: &'a Args) -> Self {
        Tagger {
            by: args.by.as_deref(),
            date: args.date.clone(),
            date_auto: args.date.is_none(),
            group_ids: HashMap::new(),
            group_names: vec![],
            period_ids: HashMap::new(),
            period_names: vec![],
            open: HashMap::new(),
            pieces: 0,
            files: BTreeMap::new(),
        }
    }

    fn meta<'m>(c: &'m Chunk, key: &str) -> Option<&'m str> {
        c.meta
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    fn tag(&mut self, c: Chunk) -> Tagged {
        self.files.entry(c.source.path.clone()).or_insert_with(|| {
            (
                c.source.encoding.name().to_string(),
                c.source.format.to_string(),
            )
        });
        let (group, period) = if c.first {
            let name = match self.by {
                None => String::new(),
                Some(f) if f.eq_ignore_ascii_case("file") => c.source.path.clone(),
                Some(f) => Self::meta(&c, f).unwrap_or("(none)").trim().to_string(),
            };
            let n = self.group_ids.len();
            let group = *self.group_ids.entry(name.clone()).or_insert_with(|| {
                self.group_names.push(name);
                n
            });
            if self.date_auto && self.date.is_none() {
                self.date = DATE_FIELDS
                    .iter()
                    .find(|f| Self::meta(&c, f).is_some())
                    .map(|f| f.to_string());
            }
            let period = self
                .date
                .as_deref()
                .and_then(|f| Self::meta(&c, f))
                .and_then(period_of)
                .map(|p| {
                    let n = self.period_ids.len();
                    *self.period_ids.entry(p.clone()).or_insert_with(|| {
                        self.period_names.push(p);
                        n
                    })
                });
            if !c.last {
                self.open.insert(c.doc, (group, period));
            }
            (group, period)
        } else {
            let gp = self.open.get(&c.doc).copied().unwrap_or((0, None));
            if c.last {
                self.open.remove(&c.doc);
            }
            gp
        };
        self.pieces += 1;
        Tagged {
            group,
            period,
            part: self.pieces - 1,
            doc: c.doc,
            whole: c.first && c.last,
            text: c.text,
        }
    }
}

/// `YYYY-MM` from a date that starts with a year and a month (`2018-03-05`, `2015/7/31 …`)
/// or that names a month before a year (RFC 2822 `Sun, 18 Feb 2018 21:35:43 +0400`,
/// `March 2018`); else `YYYY` from a leading year; `None` otherwise.
fn period_of(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let s = s.trim();
    let b = s.as_bytes();
    let is_year = |w: &str| w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit());
    if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        return words.windows(2).find_map(|w| {
            let m = w[0].get(..3)?.to_ascii_lowercase();
            let m = MONTHS.iter().position(|&x| x == m)? + 1;
            is_year(w[1]).then(|| format!("{}-{m:02}", w[1]))
        });
    }
    let year = &s[..4];
    let rest = &s[4..];
    if let Some(r) = rest.strip_prefix(['-', '/', '.']) {
        let m: String = r.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(m) = m.parse::<u32>()
            && (1..=12).contains(&m)
        {
            return Some(format!("{year}-{m:02}"));
        }
    }
    Some(year.to_string())
}

fn first_pass(args: &Args, analyzer: &Analyzer, reporter: &Reporter) -> Result<First> {
    let corpus = args.input.open(&args.paths, false, true)?;
    let skipped = Mutex::new(Vec::new());
    let tagger = Mutex::new(Tagger::new(args));
    let pieces = corpus
        .filter_map(|ev| {
            match &ev {
                Event::Error(e) => lock(&skipped).push(Skipped {
                    path: e.path.clone(),
                    reason: format!("error: {}", e.kind),
                }),
                Event::Note(n) => lock(&skipped).push(Skipped {
                    path: n.path.clone(),
                    reason: format!("note: {}", n.message),
                }),
                Event::Chunk(_) => {}
            }
            reporter.filter(ev)
        })
        .map(|c| lock(&tagger).tag(c));
    struct Acc {
        groups: Vec<TermCounter>,
        lens: Vec<(u64, u64)>,
        scratch: Scratch,
    }
    let acc = pieces
        .par_bridge()
        .fold(
            || Acc {
                groups: vec![],
                lens: vec![],
                scratch: Scratch::default(),
            },
            |mut a, p| {
                if a.groups.len() <= p.group {
                    a.groups.resize_with(p.group + 1, TermCounter::new);
                }
                let counter = &mut a.groups[p.group];
                counter.begin(p.doc, p.whole);
                let before = counter.tokens();
                analyzer.for_each_term(&p.text, &mut a.scratch, |t| counter.add(t));
                a.lens.push((p.doc, counter.tokens() - before));
                a
            },
        )
        .map(|a| (a.groups, a.lens))
        .reduce(
            || (vec![], vec![]),
            |(mut g1, mut l1), (g2, l2)| {
                if g1.len() < g2.len() {
                    g1.resize_with(g2.len(), TermCounter::new);
                }
                for (a, b) in g1.iter_mut().zip(g2) {
                    a.merge(b);
                }
                l1.extend(l2);
                (g1, l1)
            },
        );
    let (mut groups, lens) = acc;
    let tagger = tagger.into_inner().unwrap_or_else(|e| e.into_inner());
    groups.resize_with(tagger.group_names.len().max(1), TermCounter::new);
    let documents = lens.iter().map(|&(d, _)| d + 1).max().unwrap_or(0);
    let mut doc_tokens = vec![0u64; documents as usize];
    for (d, n) in lens {
        doc_tokens[d as usize] += n;
    }
    let mut skipped = skipped.into_inner().unwrap_or_else(|e| e.into_inner());
    skipped.sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
    Ok(First {
        groups,
        group_names: tagger.group_names,
        doc_tokens,
        documents,
        files: tagger.files,
        skipped,
        date_field: tagger.date,
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the second pass learns about the followed terms.
struct Second {
    /// What a part is (documents, or chunks of a single document).
    parts_label: String,
    /// Size in tokens of each part.
    part_sizes: Vec<u64>,
    /// Per followed term: (part, count) with count > 0.
    per_part: Vec<Vec<(u64, u64)>>,
    /// Per period name (sorted): tokens and counts of the followed terms.
    periods: BTreeMap<String, (u64, Vec<u64>)>,
}

fn second_pass(
    args: &Args,
    analyzer: &Analyzer,
    reporter: &Reporter,
    followed: &[String],
    documents: u64,
) -> Result<Second> {
    let by_doc = documents >= 2;
    let corpus = args.input.open(&args.paths, false, true)?;
    let tagger = Mutex::new(Tagger::new(args));
    // Errors were reported by the first pass; chunks still move the progress bar.
    let pieces = corpus
        .filter_map(|ev| match ev {
            Event::Chunk(_) => reporter.filter(ev),
            _ => None,
        })
        .map(|c| lock(&tagger).tag(c));
    let index: HashMap<&str, usize> = followed
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let k = followed.len();
    // Per piece: (part, tokens, non-zero counts of followed terms), so a document costs a few
    // words of memory, not one counter per followed term.
    type Acc = (
        Vec<(u64, u64, Vec<(u32, u64)>)>,
        HashMap<usize, (u64, Vec<u64>)>,
    );
    let (parts, periods): Acc = pieces
        .par_bridge()
        .fold(
            || (Acc::default(), Scratch::default()),
            |((mut parts, mut periods), mut scratch), p| {
                let mut counts = vec![0u64; k];
                let mut n = 0u64;
                analyzer.for_each_term(&p.text, &mut scratch, |t| {
                    n += 1;
                    if let Some(&i) = index.get(t) {
                        counts[i] += 1;
                    }
                });
                if let Some(per) = p.period {
                    let e = periods.entry(per).or_insert_with(|| (0, vec![0; k]));
                    e.0 += n;
                    e.1.iter_mut().zip(&counts).for_each(|(a, b)| *a += b);
                }
                let part = if by_doc { p.doc } else { p.part };
                let nonzero = counts
                    .iter()
                    .enumerate()
                    .filter(|&(_, &c)| c > 0)
                    .map(|(i, &c)| (i as u32, c))
                    .collect();
                parts.push((part, n, nonzero));
                ((parts, periods), scratch)
            },
        )
        .map(|(acc, _)| acc)
        .reduce(Acc::default, |(mut p1, mut q1), (p2, q2)| {
            p1.extend(p2);
            for (per, (n, c)) in q2 {
                let e = q1.entry(per).or_insert_with(|| (0, vec![0; k]));
                e.0 += n;
                e.1.iter_mut().zip(&c).for_each(|(a, b)| *a += b);
            }
            (p1, q1)
        });
    let tagger = tagger.into_inner().unwrap_or_else(|e| e.into_inner());
    let nparts = if by_doc { documents } else { tagger.pieces };
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
            kalima_corpus::ReadOptions::default().chunk_size / 1000
        )
    };
    Ok(Second {
        parts_label,
        part_sizes,
        per_part,
        periods: periods
            .into_iter()
            .map(|(i, v)| (tagger.period_names[i].clone(), v))
            .collect(),
    })
}

fn overview(args: &Args, first: &First, tokens: u64, types: u64) -> Overview {
    let mut lens = first.doc_tokens.clone();
    lens.sort_unstable();
    let median = match lens.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => lens[n / 2] as f64,
        n => (lens[n / 2 - 1] + lens[n / 2]) as f64 / 2.0,
    };
    let tally = |f: fn(&(String, String)) -> &String| {
        let mut m: BTreeMap<String, u64> = BTreeMap::new();
        for v in first.files.values() {
            *m.entry(f(v).clone()).or_default() += 1;
        }
        m.into_iter().collect::<Vec<_>>()
    };
    let paths = |p: &[PathBuf]| {
        p.iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut options = vec![
        ("inputs".to_string(), paths(&args.paths)),
        ("--scheme".into(), args.text.scheme.to_string()),
        (
            "--normalize".into(),
            args.text
                .normalize
                .unwrap_or(Normalizer::light())
                .to_string(),
        ),
        ("--stopwords".into(), args.stopwords.clone()),
        ("--top".into(), args.top.to_string()),
    ];
    if !args.reference.is_empty() {
        options.push(("--reference".into(), paths(&args.reference)));
    }
    if let Some(by) = &args.by {
        options.push(("--by".into(), by.clone()));
    }
    options.push((
        "--date".into(),
        first
            .date_field
            .clone()
            .unwrap_or_else(|| "(none found)".into()),
    ));
    if let Some(f) = args.input.format_in {
        options.push(("--format-in".into(), f.to_string()));
    }
    if let Some(e) = args.input.encoding {
        options.push(("--encoding".into(), e.name().into()));
    }
    Overview {
        documents: first.documents,
        tokens,
        types,
        mean_doc_len: if first.documents == 0 {
            f64::NAN
        } else {
            tokens as f64 / first.documents as f64
        },
        median_doc_len: median,
        files: first.files.len() as u64,
        encodings: tally(|v| &v.0),
        formats: tally(|v| &v.1),
        skipped: first.skipped.clone(),
        options,
    }
}

/// Keywords of each target against its reference, strongest first: only terms relatively
/// more frequent in the target (positive G²) with |G²| ≥ 3.84.
fn keyness_tables(
    args: &Args,
    first: &First,
    all: &[TermFreq],
    tokens: u64,
    reference: Option<TermCounter>,
    shown: &dyn Fn(&str) -> bool,
) -> Result<Vec<KeynessTable>, String> {
    let keywords =
        |target: &HashMap<&str, u64>, t_size: u64, reff: &dyn Fn(&str) -> u64, r_size| {
            let mut rows: Vec<KeynessRow> = target
                .iter()
                .filter(|(t, _)| shown(t))
                .map(|(&t, &a)| {
                    let k = Keyness::new(a, t_size, reff(t), r_size);
                    KeynessRow {
                        term: t.to_string(),
                        target_freq: a,
                        reference_freq: reff(t),
                        log_likelihood: keyness::log_likelihood(&k),
                        log_ratio: keyness::log_ratio(&k),
                    }
                })
                .filter(|r| r.log_likelihood >= LL_CRITICAL)
                .collect();
            rows.sort_by(|a, b| {
                b.log_likelihood
                    .total_cmp(&a.log_likelihood)
                    .then_with(|| a.term.cmp(&b.term))
            });
            rows.truncate(args.top);
            rows
        };
    let totals: HashMap<&str, u64> = all.iter().map(|r| (r.term.as_str(), r.count)).collect();
    let mut tables = vec![];
    if let Some(reference) = reference {
        let r_size = reference.tokens();
        let rmap: HashMap<String, u64> = reference
            .into_sorted()
            .into_iter()
            .map(|r| (r.term, r.count))
            .collect();
        let reff = |t: &str| rmap.get(t).copied().unwrap_or(0);
        tables.push(KeynessTable {
            target: "corpus".into(),
            reference: format!(
                "reference ({})",
                args.reference
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            target_tokens: tokens,
            reference_tokens: r_size,
            rows: keywords(&totals, tokens, &reff, r_size),
        });
    }
    if args.by.is_some() {
        // Groups in name order, so the tables do not depend on input order.
        let mut order: Vec<usize> = (0..first.group_names.len()).collect();
        order.sort_by(|&a, &b| first.group_names[a].cmp(&first.group_names[b]));
        for g in order {
            let counter = first.groups[g].clone();
            let g_size = counter.tokens();
            let rows = counter.into_sorted();
            let target: HashMap<&str, u64> =
                rows.iter().map(|r| (r.term.as_str(), r.count)).collect();
            let reff =
                |t: &str| totals.get(t).copied().unwrap_or(0) - target.get(t).copied().unwrap_or(0);
            tables.push(KeynessTable {
                target: first.group_names[g].clone(),
                reference: "the rest".into(),
                target_tokens: g_size,
                reference_tokens: tokens - g_size,
                rows: keywords(&target, g_size, &reff, tokens - g_size),
            });
        }
    }
    if tables.is_empty() {
        return Err("give --reference REF or --by FIELD to compare corpora".into());
    }
    Ok(tables)
}

fn over_time(second: &Second, followed: &[String]) -> Result<TimeSeries, String> {
    if second.periods.len() < 2 {
        return Err("the documents carry no dates in two periods or more (see --date)".into());
    }
    let k = followed.len().min(TIME_TERMS);
    Ok(TimeSeries {
        terms: followed[..k].to_vec(),
        rows: second
            .periods
            .iter()
            .map(|(p, (n, c))| {
                (
                    p.clone(),
                    *n,
                    c[..k].iter().map(|&x| per_million(x, *n)).collect(),
                )
            })
            .collect(),
        chart: None,
    })
}

fn dispersion_table(
    second: &Second,
    followed: &[String],
    all: &[TermFreq],
) -> Result<DispersionTable, String> {
    if second.part_sizes.len() < 2 {
        return Err("the corpus has fewer than two parts".into());
    }
    let s = dispersion::to_f64(&second.part_sizes);
    let counts: HashMap<&str, u64> = all.iter().map(|r| (r.term.as_str(), r.count)).collect();
    let rows = followed
        .iter()
        .zip(&second.per_part)
        .map(|(t, pp)| {
            let mut v = vec![0.0; s.len()];
            for &(p, c) in pp {
                v[p as usize] += c as f64;
            }
            let d = dispersion::Dispersion::new(&v, &s);
            DispersionRow {
                term: t.clone(),
                count: counts.get(t.as_str()).copied().unwrap_or(0),
                range: d.range as u64,
                dp: d.gries_dp,
                dp_norm: d.dp_norm,
                juilland_d: d.juilland_d,
            }
        })
        .collect();
    Ok(DispersionTable {
        parts: second.parts_label.clone(),
        rows,
    })
}

/// Frequencies at ranks 1, 2, 5, 10, 20, 50, … and the last rank.
fn zipf(all: &[TermFreq]) -> Zipf {
    let mut points = vec![];
    let mut r = 1u64;
    let mut step = [2u64, 5, 10].into_iter().cycle();
    let mut base = 1u64;
    while (r as usize) <= all.len() {
        points.push((r, all[r as usize - 1].count));
        let m = step.next().unwrap_or(10);
        if m == 10 {
            base *= 10;
            r = base;
        } else {
            r = base * m;
        }
    }
    if let Some(last) = all.last()
        && points.last().is_none_or(|&(r, _)| r as usize != all.len())
    {
        points.push((all.len() as u64, last.count));
    }
    let counts: Vec<u64> = all.iter().map(|r| r.count).collect();
    let (z, zm) = rayon::join(|| zipf_mle(&counts), || zipf_mandelbrot_mle(&counts));
    let fits = if counts.is_empty() {
        vec![]
    } else {
        vec![
            Fit {
                model: "Zipf (maximum likelihood)".into(),
                params: vec![("s".into(), z.s)],
                goodness: vec![("KS D".into(), z.ks), ("AIC".into(), z.aic)],
            },
            Fit {
                model: "Zipf–Mandelbrot (maximum likelihood)".into(),
                params: vec![("s".into(), zm.s), ("q".into(), zm.q)],
                goodness: vec![("KS D".into(), zm.ks), ("AIC".into(), zm.aic)],
            },
        ]
    };
    Zipf {
        points,
        fits,
        chart: None,
    }
}

/// The vocabulary growth curve and its Heaps fit.
fn heaps(points: Vec<(u64, u64)>) -> Heaps {
    let f = heaps_fit(&points);
    let fits = if f.k.is_nan() {
        vec![]
    } else {
        vec![Fit {
            model: "Heaps (least squares on log V, log N)".into(),
            params: vec![("K".into(), f.k), ("β".into(), f.beta)],
            goodness: vec![("R²".into(), f.r2)],
        }]
    };
    Heaps {
        points,
        fits,
        chart: None,
    }
}

/// Chunks of a re-read of the inputs: errors and notes were reported by the first pass;
/// chunks still move the progress bar.
fn reread<'a>(
    corpus: kalima_corpus::Corpus,
    reporter: &'a Reporter,
) -> impl Iterator<Item = Chunk> + Send + 'a {
    corpus.filter_map(|ev| match ev {
        Event::Chunk(_) => reporter.filter(ev),
        _ => None,
    })
}

fn ngram_parts(
    corpus: kalima_corpus::Corpus,
    reporter: &Reporter,
) -> impl Iterator<Item = kalima_stats::engine::Segment> + Send + '_ {
    reread(corpus, reporter)
        .map(|c| kalima_stats::engine::Segment::new(c.doc, c.first, c.last, c.text))
}

type Ranked = Result<RankedTable, String>;

/// The top bigrams and trigrams, left out when they begin or end with a stop word (as
/// `kalima ngrams -n 2..3 --stopwords … --stopwords-at edge`).
fn ngram_tables(
    args: &Args,
    analyzer: &Analyzer,
    reporter: &Reporter,
    stop: &HashSet<String>,
) -> Result<(Ranked, Ranked)> {
    let opts = NgramOptions {
        min_n: 2,
        max_n: 3,
        skip: 0,
        cross: false,
        min_count: 1,
        max_memory: args.mem.budget(),
        spill_dir: args.mem.spill_dir.clone(),
    };
    let corpus = args.input.open(&args.paths, false, false)?;
    let spans = ngram_parts(corpus, reporter);
    let keep = |ts: &[&str]| !(stop.contains(ts[0]) || stop.contains(ts[ts.len() - 1]));
    let counts =
        count_ngrams(spans, analyzer, &opts, keep).context("counting n-grams (temporary files)")?;
    note_spill(counts.counts.runs, args.quiet);
    let c = &counts.counts;
    let (mut bi, mut tri) = (vec![], vec![]);
    for (k, n) in &c.rows {
        let v = match key_len(k) {
            2 => &mut bi,
            _ => &mut tri,
        };
        if v.len() < args.top {
            v.push(RankedRow {
                term: c.joined(k),
                count: *n,
                doc_freq: None,
                per_million: per_million(*n, counts.tokens),
            });
        }
        if bi.len() >= args.top && tri.len() >= args.top {
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
    Ok((table(bi, "bigrams"), table(tri, "trigrams")))
}

/// Collocates of each node within ±[`COLLOCATE_WINDOW`] words, stop words left out, seen at
/// least [`COLLOCATE_MIN`] times near the node, the best [`COLLOCATES`] by logDice (as
/// `kalima collocates NODE --window 5 --stopwords … --min-count 2 --top 10 -m logdice`).
fn collocate_tables(
    args: &Args,
    analyzer: &Analyzer,
    reporter: &Reporter,
    stop: &HashSet<String>,
    nodes: &[String],
) -> Result<Vec<Collocates>> {
    // One pass over the corpus for all nodes.
    let corpus = args.input.open(&args.paths, false, false)?;
    let spans = ngram_parts(corpus, reporter);
    let matchers: Vec<_> = nodes.iter().map(|node| move |t: &str| t == node).collect();
    let refs: Vec<&(dyn Fn(&str) -> bool + Sync)> = matchers
        .iter()
        .map(|m| m as &(dyn Fn(&str) -> bool + Sync))
        .collect();
    let counted = count_collocates_many(
        spans,
        analyzer,
        &refs,
        COLLOCATE_WINDOW,
        COLLOCATE_WINDOW,
        false,
    );
    let mut out = vec![];
    for (node, c) in nodes.iter().zip(counted) {
        let rows: Vec<_> = c
            .rows
            .iter()
            .filter(|r| r.count() >= COLLOCATE_MIN && !stop.contains(&r.term))
            .collect();
        let values: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| {
                vec![
                    Contingency::new(r.count(), c.node_pairs, r.as_collocate, c.n)
                        .map_or(f64::NAN, |t| assoc::log_dice(&t)),
                ]
            })
            .collect();
        let order = order_by_measure(&values, |i| rows[i].term.as_str());
        out.push(Collocates {
            node: node.clone(),
            window: format!("±{COLLOCATE_WINDOW} words, {} occurrences", c.node_freq),
            rows: order
                .into_iter()
                .take(COLLOCATES)
                .map(|i| CollocateRow {
                    term: rows[i].term.clone(),
                    cooc: rows[i].count(),
                    freq: rows[i].freq,
                    log_dice: values[i][0],
                })
                .collect(),
        });
    }
    Ok(out)
}

/// The vocabulary growth curve `(tokens, types)` and every token as a term id.
type GrowthAndIds = (Vec<(u64, u64)>, Vec<u32>);

/// One pass in reading order: the vocabulary growth curve and every token as a term id
/// (for MATTR and MTLD, which depend on the order).
fn sequence_pass(args: &Args, analyzer: &Analyzer, reporter: &Reporter) -> Result<GrowthAndIds> {
    let corpus = args.input.open(&args.paths, false, false)?;
    let mut vocab = Vocab::new();
    let mut curve = HeapsCurve::new(HEAPS_PER_DECADE);
    let mut ids = vec![];
    let mut scratch = Scratch::default();
    for c in reread(corpus, reporter) {
        analyzer.for_each_term(&c.text, &mut scratch, |t| {
            let (id, new) = vocab.intern(t);
            curve.push(new);
            ids.push(id);
        });
    }
    Ok((curve.finish(), ids))
}

fn lexdiv(all: &[TermFreq], ids: &[u32]) -> Vec<LexdivRow> {
    let s = Spectrum::from_counts(all.iter().map(|r| r.count));
    let row = |m: &str, v: f64, f: &str| LexdivRow {
        measure: m.into(),
        value: v,
        formula: f.into(),
    };
    vec![
        row("TTR", s.ttr(), "V / N"),
        row("Herdan's C", s.herdan_c(), "ln V / ln N (Herdan 1960)"),
        row("Guiraud's R", s.guiraud_r(), "V / √N (Guiraud 1954)"),
        row("CTTR", s.cttr(), "V / √(2N) (Carroll 1964)"),
        row(
            "Dugast's U",
            s.dugast_u(),
            "(ln N)² / (ln N − ln V) (Dugast 1978)",
        ),
        row(
            "Summer's S",
            s.summer_s(),
            "ln ln V / ln ln N (Somers 1966)",
        ),
        row(
            "Maas a²",
            s.maas_a2(),
            "(ln N − ln V) / (ln N)² (Maas 1972)",
        ),
        row("Yule's K", s.yule_k(), "10⁴ (M₂ − N) / N² (Yule 1944)"),
        row("Yule's I", s.yule_i(), "V² / (M₂ − V) (Yule 1944)"),
        row(
            "Simpson's D",
            s.simpson_d(),
            "Σ V_m m(m−1) / (N(N−1)) (Simpson 1949)",
        ),
        row("Herdan's Vm", s.herdan_vm(), "√(M₂/N² − 1/V) (Herdan 1955)"),
        row(
            "MATTR",
            ld::mattr(ids, ld::DEFAULT_WINDOW),
            "mean TTR of every 500-token window (Covington & McFall 2010)",
        ),
        row(
            "MSTTR",
            ld::msttr(ids, ld::DEFAULT_WINDOW),
            "mean TTR of consecutive 500-token segments (Johnson 1944)",
        ),
        row(
            "MTLD",
            ld::mtld(ids, ld::MTLD_THRESHOLD),
            "mean length of segments keeping TTR ≥ 0.72, both directions (McCarthy & Jarvis 2010)",
        ),
        row(
            "HD-D",
            ld::hdd(ids, ld::HDD_SAMPLE),
            "expected TTR of a random 42-token sample, hypergeometric (McCarthy & Jarvis 2007)",
        ),
    ]
}

/// A report chart from a kalima-plot chart: SVG for the page, PNG for the Markdown. A chart
/// that cannot be drawn is left out with a note (its table stays).
fn chart(
    name: &str,
    alt: &str,
    c: Result<kalima_plot::Chart, kalima_plot::Error>,
    quiet: bool,
) -> Option<kalima_report::Chart> {
    let made = c.and_then(|c| Ok((c.png(1.0)?, c.into_svg())));
    match made {
        Ok((png, svg)) => Some(kalima_report::Chart {
            name: name.into(),
            alt: alt.into(),
            svg: Some(svg),
            png: Some(png),
        }),
        Err(e) => {
            if !quiet && !matches!(e, kalima_plot::Error::Empty(_)) {
                eprintln!("kalima: note: chart {name} left out: {e}");
            }
            None
        }
    }
}

fn plot_options(title: &str, value: &str, x: Option<&str>) -> kalima_plot::Options {
    kalima_plot::Options {
        title: Some(title.into()),
        value_label: Some(value.into()),
        x_label: x.map(String::from),
        ..kalima_plot::Options::default()
    }
}

/// Bars of the first rows of a ranked table.
fn ranked_chart(t: &mut Result<RankedTable, String>, name: &str, title: &str, n: usize, q: bool) {
    if let Ok(t) = t {
        let data: Vec<(String, f64)> = t
            .rows
            .iter()
            .take(n)
            .map(|r| (r.term.clone(), r.count as f64))
            .collect();
        let opts = plot_options(title, "التكرار — count", None);
        t.chart = chart(name, title, kalima_plot::bar(&data, &opts), q);
    }
}

/// Every chart of the report, the top terms' bar chart first.
fn add_charts(data: &mut ReportData, all: &[TermFreq], q: bool) {
    use kalima_plot::{Series, SeriesKind, XyOptions, xy};
    ranked_chart(
        &mut data.top_terms,
        "top_terms",
        "الكلمات الأكثر تكرارًا — top terms",
        20,
        q,
    );
    ranked_chart(
        &mut data.bigrams,
        "bigrams",
        "الثنائيات الأكثر تكرارًا — top bigrams",
        15,
        q,
    );
    ranked_chart(
        &mut data.trigrams,
        "trigrams",
        "الثلاثيات الأكثر تكرارًا — top trigrams",
        15,
        q,
    );
    if let Ok(t) = &mut data.over_time {
        let keys: Vec<&str> = t.rows.iter().map(|r| r.0.as_str()).collect();
        let xs = crate::cmd::chart::period_positions(&keys);
        let series: Vec<Series> = t
            .terms
            .iter()
            .enumerate()
            .map(|(j, term)| Series {
                name: term.clone(),
                points: crate::cmd::chart::break_gaps(
                    t.rows.iter().zip(&xs).map(|(r, &x)| (x, r.2[j])),
                ),
                kind: SeriesKind::Line,
            })
            .collect();
        let ticks = crate::cmd::chart::period_ticks(&keys, &xs, 12)
            .into_iter()
            .map(|(x, k)| (x, k.to_string()))
            .collect();
        let axes = XyOptions {
            x_ticks: Some(ticks),
            ..XyOptions::default()
        };
        let title = "الكلمات عبر الزمن — terms over time";
        let opts = plot_options(title, "لكل مليون — per million", None);
        t.chart = chart("over_time", title, xy(&series, &axes, &opts), q);
    }
    let log = XyOptions {
        x_log: true,
        y_log: true,
        x_ticks: None,
    };
    if let Ok(z) = &mut data.zipf {
        // Every rank up to 100, then about 50 ranks per decade.
        let mut ranks = vec![];
        let mut r = 1usize;
        while r <= all.len() {
            ranks.push(r);
            r = if r < 100 {
                r + 1
            } else {
                ((r as f64 * 10f64.powf(1.0 / 50.0)).ceil() as usize).max(r + 1)
            };
        }
        if ranks.last() != Some(&all.len()) && !all.is_empty() {
            ranks.push(all.len());
        }
        let mut series = vec![Series {
            name: "observed".into(),
            points: ranks
                .iter()
                .map(|&r| (r as f64, all[r - 1].count as f64))
                .collect(),
            kind: SeriesKind::Points,
        }];
        // Expected frequencies N·r^(−s)/H(V, s) of the fitted Zipf law (as `kalima zipf`).
        let n: f64 = all.iter().map(|r| r.count as f64).sum();
        let v = all.len();
        if let Some(s) = z
            .fits
            .first()
            .and_then(|f| f.params.first())
            .map(|p| p.1)
            .filter(|s| s.is_finite())
        {
            let h: f64 = (1..=v).map(|r| (r as f64).powf(-s)).sum();
            series.push(Series {
                name: format!("Zipf s = {}", sections::num(s)),
                points: ranks
                    .iter()
                    .map(|&r| (r as f64, n * (r as f64).powf(-s) / h))
                    .collect(),
                kind: SeriesKind::Fit,
            });
        }
        let title = "قانون زيف — Zipf: rank and frequency";
        let opts = plot_options(title, "التكرار — frequency", Some("الرتبة — rank"));
        z.chart = chart("zipf", title, xy(&series, &log, &opts), q);
    }
    if let Ok(h) = &mut data.heaps {
        let mut series = vec![Series {
            name: "observed".into(),
            points: h
                .points
                .iter()
                .map(|&(n, v)| (n as f64, v as f64))
                .collect(),
            kind: SeriesKind::Points,
        }];
        if let Some(f) = h.fits.first() {
            let (k, b) = (f.params[0].1, f.params[1].1);
            series.push(Series {
                name: format!("V = {}·N^{}", sections::num(k), sections::num(b)),
                points: h
                    .points
                    .iter()
                    .map(|&(n, _)| (n as f64, k * (n as f64).powf(b)))
                    .collect(),
                kind: SeriesKind::Fit,
            });
        }
        let title = "قانون هيبس — Heaps: vocabulary growth";
        let opts = plot_options(title, "الأنواع — types", Some("الرموز — tokens"));
        h.chart = chart("heaps", title, xy(&series, &log, &opts), q);
    }
}

/// Write index.html, report.md, charts/ and data/ (each file atomically, all inside `out`).
fn write_report(out: &Path, data: &ReportData, all: &[TermFreq], tokens: u64) -> Result<()> {
    let data_dir = out.join("data");
    let mut grids: Vec<Grid> = sections::all(data)
        .into_iter()
        .flat_map(|s| s.grids)
        .collect();
    grids.push(overview_grid(&data.overview));
    for g in &grids {
        let table = grid_table(g);
        let stem = kalima_report::escape::file_stem(&g.id);
        for (ext, f) in [
            ("csv", OutputFormat::Csv),
            ("parquet", OutputFormat::Parquet),
        ] {
            let p = data_dir.join(format!("{stem}.{ext}"));
            kalima_frame::write_file_atomic(&table, f, &p)
                .with_context(|| format!("writing {}", p.display()))?;
        }
    }
    // The full rank–frequency table, for Zipf fits elsewhere.
    let mut rf = Table::new();
    rf.push_u64("rank", (1..=all.len() as u64).collect())
        .push_str("term", all.iter().map(|r| r.term.clone()).collect())
        .push_u64("count", all.iter().map(|r| r.count).collect())
        .push_u64("doc_freq", all.iter().map(|r| r.doc_freq).collect())
        .push_f64(
            "per_million",
            all.iter().map(|r| per_million(r.count, tokens)).collect(),
        );
    for (ext, f) in [
        ("csv", OutputFormat::Csv),
        ("parquet", OutputFormat::Parquet),
    ] {
        let p = data_dir.join(format!("rank_frequency.{ext}"));
        kalima_frame::write_file_atomic(&rf, f, &p)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    let (md, charts) = kalima_report::markdown(data, "charts");
    for c in charts {
        write_atomic(&out.join("charts").join(&c.name), &c.bytes)?;
    }
    write_atomic(&out.join("report.md"), md.as_bytes())?;
    write_atomic(
        &out.join("index.html"),
        kalima_report::html(data).as_bytes(),
    )?;
    Ok(())
}

/// The overview's facts as a table (`data/overview.csv`).
fn overview_grid(o: &Overview) -> Grid {
    let s = sections::overview(o);
    Grid {
        id: "overview".into(),
        caption: String::new(),
        columns: vec!["fact".into(), "value".into()],
        rows: s
            .facts
            .into_iter()
            .map(|(k, v)| vec![Cell::Text(k), Cell::Text(v)])
            .collect(),
        bar: None,
    }
}

/// A report grid as a frame table; a column's type is that of its first row's cell.
fn grid_table(g: &Grid) -> Table {
    let mut t = Table::new();
    for (i, name) in g.columns.iter().enumerate() {
        let cells = g.rows.iter().map(|r| r.get(i));
        match g.rows.first().and_then(|r| r.get(i)) {
            Some(Cell::Int(_)) => t.push_u64(
                name,
                cells
                    .map(|c| if let Some(Cell::Int(n)) = c { *n } else { 0 })
                    .collect(),
            ),
            Some(Cell::Num(_)) => t.push_f64(
                name,
                cells
                    .map(|c| match c {
                        Some(Cell::Num(x)) => *x,
                        Some(Cell::Int(n)) => *n as f64,
                        _ => f64::NAN,
                    })
                    .collect(),
            ),
            _ => t.push_str(
                name,
                cells
                    .map(|c| match c {
                        Some(Cell::Text(s)) => s.clone(),
                        Some(Cell::Int(n)) => n.to_string(),
                        Some(Cell::Num(x)) => x.to_string(),
                        None => String::new(),
                    })
                    .collect(),
            ),
        };
    }
    t
}

/// Write `bytes` to `path` through a temporary file in the same folder, synced, and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    kalima_fs::write_atomic(path, bytes).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_from_dates() {
        assert_eq!(period_of("2018-03-05").as_deref(), Some("2018-03"));
        assert_eq!(period_of("2015/7/31 10:00").as_deref(), Some("2015-07"));
        assert_eq!(period_of("2015").as_deref(), Some("2015"));
        assert_eq!(period_of("2015-13-01").as_deref(), Some("2015"));
        assert_eq!(
            period_of("Sun, 18 Feb 2018 21:35:43 +0400").as_deref(),
            Some("2018-02")
        );
        assert_eq!(period_of("March 2018").as_deref(), Some("2018-03"));
        assert_eq!(period_of("yesterday"), None);
        assert_eq!(period_of("Mon, 5 Mars"), None);
    }
}
