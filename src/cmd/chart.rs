//! `kalima chart`: charts (PNG/SVG) with Arabic shaped and ordered correctly.
//!
//! One function per chart kind computes the numbers from the corpus and hands plain
//! (label, value) data to `kalima-plot`; `run` does the shared part (options, output).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args as ClapArgs, ValueEnum};
use kalima_corpus::Chunk;
use kalima_plot::{Chart, Digits, Fonts, Options, Series, SeriesKind, Theme, XyOptions};
use kalima_stats::per_million;
use kalima_text::{Analyzer, Normalizer, Scratch};

use crate::Outcome;
use crate::common::{InputArgs, Reporter, TextArgs, thread_pool};

/// Chart kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Horizontal bars of the top terms, counts at the bar ends
    Freq,
    /// Horizontal bars of the top n-grams (`-n`, default 2), as `kalima ngrams` counts them
    Ngrams,
    /// Diverging bars of keywords, target vs --reference: signed log-likelihood, the top
    /// over-used terms on one side and the top under-used on the other (as `kalima keyness`)
    Keyness,
    /// Bars of the collocates of a node word (the first TERM), by --measure (as
    /// `kalima collocates`)
    Collocates,
    /// Log-log rank–frequency plot with the maximum-likelihood Zipf fit as a line
    Zipf,
    /// Vocabulary growth curve (types against tokens) with the fitted Heaps' law
    Heaps,
    /// Lexical dispersion plot: a strip per term, a tick per occurrence
    Dispersion,
    /// Per-million frequency of terms over time (dated documents)
    Timeline,
    /// Word cloud
    Cloud,
    /// Bars of one column (--metric) of a `kalima bench` results file (CSV, TSV or JSON), a
    /// bar per tokenizer
    Bench,
}

/// Arguments of `kalima chart`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "\
Terms: `dispersion`, `timeline` and `collocates` (the node) take TERM... before the paths (the leading arguments that \
are not existing files or directories), or with --term.

Examples:
  kalima chart freq data/sample --stopwords ar -o top.png --title \"أكثر الكلمات\"
  kalima chart dispersion الحكومة الرياض data/sample -o disp.svg
  kalima chart timeline كورونا saudinewsnet.tar.xz --by date --period day -o t.png
  kalima chart cloud data/sample --stopwords ar --seed 7 -o cloud.png --size square
  kalima chart ngrams -n 2 data/sample --stopwords ar -o bigrams.png
  kalima chart keyness data/sample/a --reference data/sample/b -o key.svg
  kalima chart collocates الرئيس data/sample --measure logdice -o coll.png")]
pub struct Args {
    /// Chart kind
    #[arg(value_enum)]
    pub kind: Kind,
    /// [TERM...] then input files or directories (recursed), compressed files and archives
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
    /// A term to chart (dispersion, timeline); repeatable; all positionals are then paths
    #[arg(long = "term", short = 't', value_name = "TERM")]
    pub terms: Vec<String>,
    #[command(flatten)]
    pub text: TextArgs,
    #[command(flatten)]
    pub input: InputArgs,
    /// Output file: .png or .svg (written atomically)
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// Image format when the extension does not tell: png, svg
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Number of bars (freq, ngrams, collocates, keyness: each side; bench: the largest values) or
    /// words (cloud; default 100)
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Show frequencies per million tokens instead of counts
    #[arg(long)]
    pub per_million: bool,
    /// Drop stop words: `ar` (built-in Arabic list) or a file with one word per line
    #[arg(long, value_name = "ar|FILE")]
    pub stopwords: Option<String>,
    /// Right-to-left layout (the default): titles and labels on the right
    #[arg(long, overrides_with = "ltr")]
    pub rtl: bool,
    /// Left-to-right layout
    #[arg(long, overrides_with = "rtl")]
    pub ltr: bool,
    /// Title
    #[arg(long)]
    pub title: Option<String>,
    /// Subtitle
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Footer line, e.g. "المصدر: …"
    #[arg(long)]
    pub source: Option<String>,
    /// WIDTHxHEIGHT in px or a preset: web (1200x675), square (1080x1080), story (1080x1920)
    #[arg(long, default_value = "web", value_parser = kalima_plot::parse_size)]
    pub size: (u32, u32),
    /// Colours: light, dark, print
    #[arg(long, default_value = "light")]
    pub theme: Theme,
    /// A TTF/OTF font tried first for every character (the embedded fonts stay as fallback)
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
    /// PNG pixels per chart px (2 for high-DPI screens)
    #[arg(long, default_value_t = 1.0, conflicts_with = "dpi")]
    pub scale: f32,
    /// PNG resolution, as a scale of DPI/96 (e.g. 192 = --scale 2)
    #[arg(long)]
    pub dpi: Option<f32>,
    /// Digits of numbers: latin or arabic (٠١٢٣…)
    #[arg(long, default_value = "latin")]
    pub digits: Digits,
    /// Cloud layout seed (same seed, same picture)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// ngrams: words per n-gram
    #[arg(short = 'n', long = "n", value_name = "N", default_value_t = 2)]
    pub n: usize,
    /// keyness: the reference corpus
    #[arg(long, short = 'r', value_name = "REF", num_args = 1..)]
    pub reference: Vec<PathBuf>,
    /// ngrams, collocates: keep only items seen at least N times
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// collocates: words on each side of the node
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub window: usize,
    /// collocates: the measure that ranks the bars (as in `kalima collocates --measure`)
    #[arg(long, value_name = "MEASURE", default_value = "logdice")]
    pub measure: String,
    /// bench: the column of the results to draw (fertility, word_f1, mb_per_s, …)
    #[arg(long, value_name = "COLUMN", default_value = "fertility")]
    pub metric: String,
    /// Timeline: the metadata field with the date (`date` looks for date, date_extracted,
    /// time, …)
    #[arg(long, value_name = "FIELD", default_value = "date")]
    pub by: String,
    /// Timeline: period of the buckets: day, month, year
    #[arg(long, default_value = "month", value_parser = ["day", "month", "year"])]
    pub period: String,
    /// Worker threads (0 = one per core; at most 4 per core); the output does not depend on it
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

/// Everything a kind's function needs besides its own arguments.
struct Job<'a> {
    args: &'a Args,
    analyzer: Analyzer,
    reporter: Reporter,
    paths: Vec<PathBuf>,
    terms: Vec<String>,
    opts: Options,
}

/// Run `kalima chart`.
pub fn run(args: Args) -> Result<Outcome> {
    let png = match args.format.as_deref() {
        Some("png") => true,
        Some("svg") => false,
        Some(f) => bail!("unknown image format {f:?}: png or svg"),
        None => match args.output.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("png") => true,
            Some(e) if e.eq_ignore_ascii_case("svg") => false,
            _ => bail!(
                "-o {}: give a .png or .svg file (or --format)",
                args.output.display()
            ),
        },
    };
    let scale = args.dpi.map_or(args.scale, |d| d / 96.0);
    if !(scale > 0.0 && scale <= 8.0) {
        bail!("--scale/--dpi: the scale must be in (0, 8]");
    }
    let fonts: Option<&'static Fonts> = match &args.font {
        Some(p) => {
            let data = std::fs::read(p).with_context(|| format!("reading font {}", p.display()))?;
            let f = Fonts::with_font(data).map_err(|e| anyhow!("{}: {e}", p.display()))?;
            Some(Box::leak(Box::new(f)))
        }
        None => None,
    };
    let (terms, paths) = split_terms(&args)?;
    let rtl = !args.ltr;
    let opts = Options {
        title: args.title.clone(),
        subtitle: args.subtitle.clone(),
        source: args.source.clone(),
        width: args.size.0,
        height: args.size.1,
        theme: args.theme,
        digits: args.digits,
        rtl,
        value_label: None,
        x_label: None,
        fonts,
    };
    let job = Job {
        analyzer: args.text.analyzer(Normalizer::light()),
        reporter: Reporter::new(args.quiet),
        args: &args,
        paths,
        terms,
        opts,
    };
    let chart = match args.kind {
        Kind::Freq => freq(&job)?,
        Kind::Cloud => cloud(&job)?,
        Kind::Zipf => zipf(&job)?,
        Kind::Heaps => heaps(&job)?,
        Kind::Dispersion => dispersion(&job)?,
        Kind::Timeline => timeline(&job)?,
        Kind::Ngrams => ngrams(&job)?,
        Kind::Keyness => keyness(&job)?,
        Kind::Collocates => collocates(&job)?,
        Kind::Bench => bench(&job)?,
    };
    let outcome = job.reporter.finish();
    if chart.dropped > 0 {
        eprintln!(
            "kalima: note: {} words did not fit in the cloud and were left out",
            chart.dropped
        );
    }
    let bytes = if png {
        chart.png(scale)?
    } else {
        chart.into_svg().into_bytes()
    };
    write_atomic(&args.output, &bytes)?;
    Ok(outcome)
}

/// Terms (from --term, or the leading positionals that are not existing paths, for the kinds
/// that take terms) and input paths.
fn split_terms(args: &Args) -> Result<(Vec<String>, Vec<PathBuf>)> {
    let wants_terms = matches!(
        args.kind,
        Kind::Dispersion | Kind::Timeline | Kind::Collocates
    );
    let mut terms = args.terms.clone();
    let mut rest = args.paths.as_slice();
    if wants_terms && terms.is_empty() {
        let n = rest.iter().take_while(|p| !Path::new(p).exists()).count();
        terms = rest[..n].to_vec();
        rest = &rest[n..];
    }
    if wants_terms && terms.is_empty() {
        bail!(
            "`kalima chart {:?}` needs at least one TERM before the paths (or --term)",
            args.kind
        );
    }
    if !wants_terms && !args.terms.is_empty() {
        bail!("--term is only for dispersion and timeline");
    }
    if rest.is_empty() {
        bail!("no input: give one or more files or directories after the terms");
    }
    Ok((terms, rest.iter().map(PathBuf::from).collect()))
}

/// Write `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees half a picture (removed on error and on interruption).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    kalima_fs::write_atomic(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Arabic or English default axis titles, following the layout direction.
fn say(opts: &Options, ar: &str, en: &str) -> Option<String> {
    Some(if opts.rtl { ar } else { en }.to_string())
}

/// Term counts over the corpus (parallel), sorted by count desc then term, and the number of
/// tokens. Terms with no letter or digit (punctuation) are left out of charts.
fn counts(job: &Job) -> Result<(Vec<(String, u64)>, u64)> {
    let pool = thread_pool(job.args.threads)?;
    let counter = crate::common::count_terms(
        &job.args.input,
        &job.paths,
        &job.analyzer,
        &job.reporter,
        &pool,
        |_| true,
    )?;
    let total = counter.tokens();
    let rows = counter
        .into_sorted()
        .into_iter()
        .map(|r| (r.term, r.count))
        .collect();
    Ok((rows, total))
}

/// Top terms after stop words and punctuation, as chart values (counts or per million).
fn top_terms(job: &Job, default_top: usize) -> Result<Vec<(String, f64)>> {
    let stop = stopwords(job)?;
    let (rows, total) = counts(job)?;
    Ok(rows
        .into_iter()
        .filter(|(t, _)| t.chars().any(char::is_alphanumeric))
        .filter(|(t, _)| {
            stop.as_ref()
                .is_none_or(|s: &HashSet<String>| !s.contains(t))
        })
        .take(job.args.top.unwrap_or(default_top))
        .map(|(t, c)| {
            let v = if job.args.per_million {
                per_million(c, total)
            } else {
                c as f64
            };
            (t, v)
        })
        .collect())
}

/// `freq`: horizontal bars of the top terms.
fn freq(job: &Job) -> Result<Chart> {
    let data = top_terms(job, 20)?;
    let mut opts = job.opts.clone();
    if job.args.per_million {
        opts.value_label = say(&opts, "لكل مليون كلمة", "per million tokens");
    }
    Ok(kalima_plot::bar(&data, &opts)?)
}

/// `cloud`: word cloud of the top terms.
fn cloud(job: &Job) -> Result<Chart> {
    let data = top_terms(job, 100)?;
    Ok(kalima_plot::cloud(&data, job.args.seed, &job.opts)?)
}

/// `zipf`: rank–frequency points on log-log axes (all terms, no filter; thinned to
/// log-spaced ranks so a big vocabulary stays a small picture) and the maximum-likelihood Zipf
/// fit (`kalima_stats::fit::zipf_mle`) as the expected frequency `N·r^−s / H(V, s)`.
fn zipf(job: &Job) -> Result<Chart> {
    let (rows, _) = counts(job)?;
    let freqs: Vec<u64> = rows.iter().map(|(_, c)| *c).collect();
    let pts: Vec<(f64, f64)> = log_spaced(freqs.len())
        .into_iter()
        .map(|r| (r as f64, freqs[r - 1] as f64))
        .collect();
    let fit = kalima_stats::fit::zipf_mle(&freqs);
    let mut series = vec![Series {
        name: say(&job.opts, "المشاهد", "observed").unwrap_or_default(),
        points: pts,
        kind: SeriesKind::Points,
    }];
    if fit.s.is_finite() {
        let h: f64 = (1..=fit.types).map(|r| (r as f64).powf(-fit.s)).sum();
        let line = log_spaced(freqs.len())
            .into_iter()
            .map(|r| (r as f64, fit.tokens as f64 * (r as f64).powf(-fit.s) / h))
            .collect();
        series.push(Series {
            name: format!("Zipf s = {:.3}", fit.s),
            points: line,
            kind: SeriesKind::Line,
        });
    }
    let mut opts = job.opts.clone();
    opts.x_label = say(&opts, "الرتبة", "rank");
    opts.value_label = say(&opts, "التكرار", "frequency");
    let axes = XyOptions {
        x_log: true,
        y_log: true,
        x_ticks: None,
    };
    Ok(kalima_plot::xy(&series, &axes, &opts)?)
}

/// Ranks 1..=n to draw: all of the first 100, then about 60 per decade.
fn log_spaced(n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut last = -1i64;
    for r in 1..=n {
        let bin = ((r as f64).log10() * 60.0) as i64;
        if r <= 100 || bin != last || r == n {
            out.push(r);
        }
        last = bin;
    }
    out
}

/// The chunks of the corpus in input order, read on this thread (for the kinds that need
/// token positions).
fn each_chunk(job: &Job, keep_meta: bool, mut f: impl FnMut(&Chunk)) -> Result<()> {
    let corpus = job.args.input.open(&job.paths, false, keep_meta)?;
    for c in corpus.filter_map(|ev| job.reporter.filter(ev)) {
        f(&c);
    }
    Ok(())
}

/// `heaps`: distinct terms against tokens read, sampled every 1000 tokens and at the end
/// (at most ~2000 points drawn), with the fitted Heaps' law `V = K·N^β`
/// (`kalima_stats::fit::heaps_fit`) as a second line.
fn heaps(job: &Job) -> Result<Chart> {
    use kalima_stats::Vocab;
    use kalima_stats::fit::{HeapsCurve, heaps_fit};
    // The points and the fit of `kalima heaps` (geometric sampling), so the legend's K and β
    // are the numbers that command prints.
    let mut vocab = Vocab::new();
    let mut curve = HeapsCurve::new(crate::cmd::heaps::PER_DECADE);
    let mut scratch = Scratch::default();
    each_chunk(job, false, |c| {
        job.analyzer
            .for_each_term(&c.text, &mut scratch, |t| curve.push(vocab.intern(t).1));
    })?;
    let mut drawn = curve.finish();
    if drawn.is_empty() {
        bail!("no words in the input");
    }
    let fit = heaps_fit(&drawn);
    drawn.insert(0, (0, 0));
    let mut series = vec![Series {
        name: say(&job.opts, "المشاهد", "observed").unwrap_or_default(),
        points: drawn.iter().map(|&(n, v)| (n as f64, v as f64)).collect(),
        kind: SeriesKind::Line,
    }];
    if fit.k.is_finite() && fit.beta.is_finite() {
        series.push(Series {
            name: format!("K = {:.2}, β = {:.3}", fit.k, fit.beta),
            points: drawn
                .iter()
                .map(|&(n, _)| (n as f64, fit.k * (n as f64).powf(fit.beta)))
                .collect(),
            kind: SeriesKind::Line,
        });
    }
    let mut opts = job.opts.clone();
    opts.x_label = say(&opts, "عدد الكلمات المقروءة", "tokens");
    opts.value_label = say(&opts, "المفردات المختلفة", "distinct terms");
    Ok(kalima_plot::xy(&series, &XyOptions::default(), &opts)?)
}

/// Stop words of `--stopwords`, if given.
fn stopwords(job: &Job) -> Result<Option<HashSet<String>>> {
    Ok(crate::common::stopwords(job.args.stopwords.as_deref(), &job.analyzer)?)
}

/// `ngrams`: bars of the top `-n`-grams, counted as `kalima ngrams` does (sentence-final
/// punctuation and documents end n-grams; with --stopwords, n-grams that start or end with a
/// stop word are dropped, like `--stopwords-at edge`).
fn ngrams(job: &Job) -> Result<Chart> {
    use kalima_stats::ngram::{MAX_N, NgramOptions, count_ngrams};
    let n = job.args.n;
    if n == 0 || n > MAX_N {
        bail!("-n must be between 1 and {MAX_N}");
    }
    let stop = stopwords(job)?;
    let opts = NgramOptions {
        min_n: n,
        max_n: n,
        skip: 0,
        cross: false,
        min_count: job.args.min_count,
        max_memory: crate::cmd::ngrams::MemArgs::default_budget(),
        spill_dir: None,
    };
    let corpus = job.args.input.open(&job.paths, false, false)?;
    let spans = crate::cmd::ngrams::parts(corpus, &job.reporter);
    let keep = |ts: &[&str]| {
        stop.as_ref()
            .is_none_or(|s| !(s.contains(ts[0]) || s.contains(ts[ts.len() - 1])))
    };
    let pool = thread_pool(job.args.threads)?;
    let counts = pool
        .install(|| count_ngrams(spans, &job.analyzer, &opts, keep))
        .context("counting n-grams (temporary files)")?;
    let total = counts.tokens;
    let c = &counts.counts;
    let data: Vec<(String, f64)> = c
        .rows
        .iter()
        .take(job.args.top.unwrap_or(20))
        .map(|(k, cnt)| {
            let v = if job.args.per_million {
                per_million(*cnt, total)
            } else {
                *cnt as f64
            };
            (c.joined(k), v)
        })
        .collect();
    let mut o = job.opts.clone();
    if job.args.per_million {
        o.value_label = say(&o, "لكل مليون كلمة", "per million tokens");
    }
    Ok(kalima_plot::bar(&data, &o)?)
}

/// `keyness`: the `--top` (default 10) most over-used and most under-used terms of the target
/// against `--reference`, by signed log-likelihood (Rayson & Garside 2000; the value drawn).
fn keyness(job: &Job) -> Result<Chart> {
    use kalima_stats::measures::{Keyness, keyness as k};
    if job.args.reference.is_empty() {
        bail!("`chart keyness` needs a reference corpus: --reference REF...");
    }
    let stop = stopwords(job)?;
    let (target, nt) = counts(job)?;
    let ref_job = Job {
        args: job.args,
        analyzer: job.analyzer,
        reporter: Reporter::new(true),
        paths: job.args.reference.clone(),
        terms: Vec::new(),
        opts: job.opts.clone(),
    };
    let (reference, nr) = counts(&ref_job)?;
    if ref_job.reporter.finish() == Outcome::SomeInputsFailed {
        eprintln!("kalima: note: some reference inputs could not be read");
    }
    let mut refs: HashMap<String, u64> = reference.into_iter().collect();
    let mut rows: Vec<(String, f64)> = Vec::new();
    let word = |t: &str| {
        t.chars().any(char::is_alphanumeric) && stop.as_ref().is_none_or(|s| !s.contains(t))
    };
    for (t, a) in target {
        let b = refs.remove(&t).unwrap_or(0);
        if word(&t) {
            rows.push((t, k::log_likelihood(&Keyness::new(a, nt, b, nr))));
        }
    }
    for (t, b) in refs {
        if word(&t) {
            rows.push((t, k::log_likelihood(&Keyness::new(0, nt, b, nr))));
        }
    }
    // Largest |LL| first, ties by term: the same picture for any thread count.
    rows.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()).then_with(|| x.0.cmp(&y.0)));
    let top = job.args.top.unwrap_or(10);
    let mut data: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| r.1 > 0.0)
        .take(top)
        .cloned()
        .collect();
    data.extend(rows.iter().filter(|r| r.1 < 0.0).take(top).cloned());
    let mut o = job.opts.clone();
    o.value_label = say(&o, "لوغاريتم الاحتمال (±G²)", "log-likelihood (±G²)");
    Ok(kalima_plot::diverging(&data, &o)?)
}

/// `collocates`: bars of the top collocates of the node (first TERM: a word or a prefix
/// like `ال*`) in a ±`--window` word window, ranked by `--measure`.
fn collocates(job: &Job) -> Result<Chart> {
    use crate::cmd::cooc::{measure_row, order_by_measure, parse_measures};
    use kalima_stats::cooc::count_collocates;
    let [node] = job.terms.as_slice() else {
        bail!("`chart collocates` takes one node word before the paths (or one --term)");
    };
    let measures = parse_measures(&job.args.measure)?;
    let [measure] = measures.as_slice() else {
        bail!("`chart collocates` ranks by one --measure");
    };
    let is_node = crate::cmd::collocates::node_matcher(node, false, &job.analyzer)?;
    let stop = stopwords(job)?;
    let w = job.args.window.max(1);
    let corpus = job.args.input.open(&job.paths, false, false)?;
    let spans = crate::cmd::ngrams::parts(corpus, &job.reporter);
    let pool = thread_pool(job.args.threads)?;
    let c = pool.install(|| count_collocates(spans, &job.analyzer, &*is_node, w, w, false));
    if c.node_freq == 0 {
        bail!("the node {node:?} does not occur in the input");
    }
    let rows: Vec<_> = c
        .rows
        .iter()
        .filter(|r| r.term.chars().any(char::is_alphanumeric))
        .filter(|r| r.count() >= job.args.min_count)
        .filter(|r| stop.as_ref().is_none_or(|s| !s.contains(&r.term)))
        .collect();
    let values: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| measure_row(&[*measure], r.count(), c.node_pairs, r.as_collocate, c.n))
        .collect();
    let order = order_by_measure(&values, |i| rows[i].term.as_str());
    let data: Vec<(String, f64)> = order
        .into_iter()
        .take(job.args.top.unwrap_or(20))
        .map(|i| (rows[i].term.clone(), values[i][0]))
        .collect();
    let mut o = job.opts.clone();
    o.value_label = Some(measure.column.to_string());
    Ok(kalima_plot::bar(&data, &o)?)
}

/// The query terms normalized like the text (a query that is not exactly one term is an
/// error: it could never match).
fn query_terms(job: &Job) -> Result<Vec<String>> {
    job.terms
        .iter()
        .map(|q| {
            let a = job.analyzer.analyze(q);
            let v: Vec<String> = a.iter().map(|(t, _)| t.to_string()).collect();
            match v.as_slice() {
                [one] => Ok(one.clone()),
                _ => Err(anyhow!(
                    "term {q:?} is {} tokens with this scheme; give single words",
                    v.len()
                )),
            }
        })
        .collect()
}

/// `dispersion`: the relative position (token index / tokens) of each occurrence of each term.
fn dispersion(job: &Job) -> Result<Chart> {
    let queries = query_terms(job)?;
    let index: HashMap<&str, usize> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| (q.as_str(), i))
        .collect();
    let mut hits: Vec<Vec<u64>> = vec![Vec::new(); queries.len()];
    let mut n = 0u64;
    let mut scratch = Scratch::default();
    each_chunk(job, false, |c| {
        job.analyzer.for_each_term(&c.text, &mut scratch, |t| {
            if let Some(&i) = index.get(t) {
                hits[i].push(n);
            }
            n += 1;
        });
    })?;
    if n == 0 {
        bail!("no tokens in the input");
    }
    let data: Vec<(String, Vec<f64>)> = job
        .terms
        .iter()
        .zip(hits)
        .map(|(q, h)| (q.clone(), h.iter().map(|&p| p as f64 / n as f64).collect()))
        .collect();
    let mut opts = job.opts.clone();
    opts.x_label = say(&opts, "الموضع في المدونة", "position in the corpus");
    Ok(kalima_plot::dispersion(&data, &opts)?)
}

/// A calendar date (year, month, day) from the start of a field: ISO `2015-07-21 02:51:32`,
/// `2015/07/21`, or RFC 2822 `Mon, 26 Feb 2018 02:20:10 GMT`.
fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let s = s.trim();
    let iso: Vec<&str> = s.get(..10).unwrap_or("").split(['-', '/']).collect();
    if let [y, m, d] = iso.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse())
    {
        return ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d));
    }
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    for w in words.windows(3) {
        let m = MONTHS
            .iter()
            .position(|m| w[1].to_ascii_lowercase().starts_with(m));
        if let (Ok(d), Some(m), Ok(y)) = (w[0].parse::<u32>(), m, w[2].parse::<u32>())
            && (1..=31).contains(&d)
        {
            return Some((y, m as u32 + 1, d));
        }
    }
    None
}

/// The date field of a record: `--by` itself (any case), or for `date` the usual names.
fn find_date<'m>(meta: &'m [(String, String)], by: &str) -> Option<&'m str> {
    let exact = meta.iter().find(|(k, _)| k.eq_ignore_ascii_case(by));
    let auto = || {
        const NAMES: [&str; 6] = [
            "date",
            "date_extracted",
            "time",
            "datetime",
            "published",
            "timestamp",
        ];
        NAMES
            .iter()
            .find_map(|n| meta.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)))
    };
    exact
        .or_else(|| if by == "date" { auto() } else { None })
        .map(|(_, v)| v.as_str())
}

/// Where sorted period keys go on a time axis: on the calendar (see [`period_ordinal`]) when
/// they are all of one kind (years, months or days), else one step each.
pub(crate) fn period_positions(keys: &[&str]) -> Vec<f64> {
    let kind = |k: &str| k.split('-').count();
    match keys.first() {
        Some(first) if keys.iter().all(|k| kind(k) == kind(first)) => {
            keys.iter().map(|k| period_ordinal(k)).collect()
        }
        _ => (0..keys.len()).map(|i| i as f64).collect(),
    }
}

/// Time-series points with a NaN (a break in the line) after each period followed by a gap of
/// periods without documents, so the line is not drawn across days with no data.
pub(crate) fn break_gaps(points: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (x, y) in points {
        if let Some(&(px, _)) = out.last()
            && x - px > 1.5
        {
            out.push((px + 1.0, f64::NAN));
        }
        out.push((x, y));
    }
    out
}

/// At most about `max` labels for a time axis, at least 1/`max` of the span apart so that
/// they do not overlap where periods without documents leave gaps.
pub(crate) fn period_ticks<'k>(keys: &[&'k str], xs: &[f64], max: usize) -> Vec<(f64, &'k str)> {
    let (Some(first), Some(last)) = (xs.first(), xs.last()) else {
        return Vec::new();
    };
    let gap = (last - first) / max.max(1) as f64;
    let mut out: Vec<(f64, &str)> = Vec::new();
    for (&x, &k) in xs.iter().zip(keys) {
        if out.last().is_none_or(|&(px, _)| x - px >= gap) {
            out.push((x, k));
        }
    }
    out
}

/// `bench`: one bar per tokenizer of the `--metric` column of a results file written by
/// `kalima bench` (CSV, TSV, or JSON records).
fn bench(job: &Job) -> Result<Chart> {
    let [path] = job.paths.as_slice() else {
        bail!("`chart bench` takes one results file written by `kalima bench` (CSV, TSV or JSON)");
    };
    let metric = job.args.metric.as_str();
    let records = read_records(path)?;
    let mut data = Vec::with_capacity(records.len());
    let mut missing = 0usize;
    for r in &records {
        let name = r
            .get("tokenizer")
            .with_context(|| format!("{}: no tokenizer column", path.display()))?;
        let Some(v) = r.get(metric) else {
            let mut cols: Vec<&str> = r.keys().map(String::as_str).collect();
            cols.sort_unstable();
            bail!(
                "{}: no column {metric:?}; --metric is one of: {}",
                path.display(),
                cols.join(", ")
            );
        };
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => data.push((name.clone(), x)),
            _ => missing += 1,
        }
    }
    if missing > 0 {
        eprintln!("kalima: note: {missing} tokenizers have no {metric} value and are not drawn");
    }
    if let Some(n) = job.args.top {
        // The n largest values, as the bars are drawn (value desc, then name).
        data.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        data.truncate(n);
    }
    let mut o = job.opts.clone();
    o.value_label = Some(metric.to_string());
    Ok(kalima_plot::bar(&data, &o)?)
}

/// The rows of a results table as column → text: CSV or TSV with a header (by extension,
/// CSV by default) or a JSON array of objects.
fn read_records(path: &Path) -> Result<Vec<HashMap<String, String>>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "json" || text.trim_start().starts_with('[') {
        let v: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a JSON array of records", path.display()))?;
        return Ok(v
            .into_iter()
            .map(|m| {
                m.into_iter()
                    .map(|(k, v)| {
                        let s = match v {
                            serde_json::Value::String(s) => s,
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        (k, s)
                    })
                    .collect()
            })
            .collect());
    }
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(if ext == "tsv" { b'\t' } else { b',' })
        .from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .with_context(|| format!("{}: no header", path.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", path.display(), i + 2))?;
        out.push(
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect(),
        );
    }
    if out.is_empty() {
        bail!("{}: no rows", path.display());
    }
    Ok(out)
}

/// A period key (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) as a number that counts years, months or
/// days: consecutive periods differ by 1.
fn period_ordinal(key: &str) -> f64 {
    let mut parts = key.split('-').map(|p| p.parse::<i64>().unwrap_or(0));
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) => days_from_civil(y, m, d) as f64,
        (Some(y), Some(m), None) => (y * 12 + m - 1) as f64,
        (Some(y), ..) => y as f64,
        _ => 0.0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `timeline`: per-million frequency of each term per period (day, month or year) of the
/// documents' dates. Documents without a readable date are counted and reported.
fn timeline(job: &Job) -> Result<Chart> {
    let queries = query_terms(job)?;
    let index: HashMap<&str, usize> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| (q.as_str(), i))
        .collect();
    // period → (tokens, hits per term)
    let mut periods: std::collections::BTreeMap<String, (u64, Vec<u64>)> = Default::default();
    let mut current: Option<String> = None;
    let (mut undated, mut docs) = (0u64, 0u64);
    let mut scratch = Scratch::default();
    let period = job.args.period.as_str();
    each_chunk(job, true, |c| {
        if c.first {
            docs += 1;
            current = find_date(&c.meta, &job.args.by)
                .and_then(parse_date)
                .map(|(y, m, d)| match period {
                    "day" => format!("{y:04}-{m:02}-{d:02}"),
                    "year" => format!("{y:04}"),
                    _ => format!("{y:04}-{m:02}"),
                });
            if current.is_none() {
                undated += 1;
            }
        }
        let Some(key) = &current else { return };
        let entry = periods
            .entry(key.clone())
            .or_insert_with(|| (0, vec![0; queries.len()]));
        job.analyzer.for_each_term(&c.text, &mut scratch, |t| {
            entry.0 += 1;
            if let Some(&i) = index.get(t) {
                entry.1[i] += 1;
            }
        });
    })?;
    if undated > 0 {
        eprintln!(
            "kalima: note: {undated} of {docs} documents have no readable date in field {:?} and are not in the timeline",
            job.args.by
        );
    }
    if periods.is_empty() {
        bail!(
            "no dated documents: the inputs need a date field (--by; e.g. SaudiNewsNet JSON, ANT TREC <TIME>)"
        );
    }
    // x is the period's place on the calendar, so a period without documents leaves its gap
    // instead of drawing its neighbours together.
    let keys: Vec<&str> = periods.keys().map(String::as_str).collect();
    let xs = period_positions(&keys);
    let series: Vec<Series> = job
        .terms
        .iter()
        .enumerate()
        .map(|(i, q)| Series {
            name: q.clone(),
            points: break_gaps(
                periods
                    .values()
                    .zip(&xs)
                    .map(|((tok, hits), &x)| (x, per_million(hits[i], *tok))),
            ),
            kind: SeriesKind::Line,
        })
        .collect();
    let ticks = period_ticks(&keys, &xs, 8)
        .into_iter()
        .map(|(x, k)| (x, job.args.digits.convert(k)))
        .collect();
    let mut opts = job.opts.clone();
    opts.value_label = say(&opts, "لكل مليون كلمة", "per million tokens");
    let axes = XyOptions {
        x_log: false,
        y_log: false,
        x_ticks: Some(ticks),
    };
    Ok(kalima_plot::xy(&series, &axes, &opts)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_placed_on_the_calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        // 2015-07-31 → 2015-08-01 is one day; 2016 is a leap year.
        assert_eq!(
            period_ordinal("2015-08-01") - period_ordinal("2015-07-31"),
            1.0
        );
        assert_eq!(
            period_ordinal("2016-03-01") - period_ordinal("2016-02-28"),
            2.0
        );
        assert_eq!(period_ordinal("2016-01") - period_ordinal("2015-12"), 1.0);
        assert_eq!(period_ordinal("2016") - period_ordinal("2015"), 1.0);
        assert_eq!(
            period_positions(&["2015-11", "2016-02"]),
            [24190.0, 24193.0]
        );
        assert_eq!(period_positions(&["2015", "2015-07"]), [0.0, 1.0]);
        let b = break_gaps([(0.0, 1.0), (1.0, 2.0), (4.0, 3.0)]);
        assert_eq!(b.len(), 4);
        assert_eq!((b[2].0, b[3]), (2.0, (4.0, 3.0)));
        assert!(b[2].1.is_nan());
        let keys = ["a", "b", "c", "d", "e"];
        let ticks = period_ticks(&keys, &[0.0, 1.0, 2.0, 9.0, 10.0], 5);
        assert_eq!(ticks, [(0.0, "a"), (2.0, "c"), (9.0, "d")]);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2015-07-21 02:51:32"), Some((2015, 7, 21)));
        assert_eq!(
            parse_date("Mon, 26 Feb 2018 02:20:10 GMT"),
            Some((2018, 2, 26))
        );
        assert_eq!(parse_date("2015/13/01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
