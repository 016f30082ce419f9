//! `kalima chart`: charts (PNG/SVG) with Arabic shaped and ordered correctly.
//!
//! One function per chart kind computes the numbers from the corpus and hands plain
//! (label, value) data to `kalima-plot`; `run` does the shared part (options, output).

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args as ClapArgs, ValueEnum};
use kalima_corpus::Chunk;
use kalima_plot::{Chart, Digits, Fonts, Options, Series, SeriesKind, Theme, XyOptions};
use kalima_stats::{Piece, count_parallel, per_million};
use kalima_text::{Analyzer, Normalizer, Scratch};

use crate::Outcome;
use crate::common::{InputArgs, Reporter, TextArgs, load_stopwords, thread_pool};

/// Chart kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Horizontal bars of the top terms, counts at the bar ends
    Freq,
    /// Top n-grams (not wired yet: needs the n-gram counts of `kalima ngrams`)
    Ngrams,
    /// Diverging bars, target vs reference (not wired yet: needs `kalima keyness`)
    Keyness,
    /// Collocates of a node word (not wired yet: needs `kalima collocates`)
    Collocates,
    /// Log-log rank–frequency plot
    Zipf,
    /// Vocabulary growth curve (types against tokens)
    Heaps,
    /// Lexical dispersion plot: a strip per term, a tick per occurrence
    Dispersion,
    /// Per-million frequency of terms over time (dated documents)
    Timeline,
    /// Word cloud
    Cloud,
}

/// Arguments of `kalima chart`.
#[derive(Debug, ClapArgs)]
#[command(after_help = "\
Terms: `dispersion` and `timeline` take TERM... before the paths (the leading arguments that \
are not existing files or directories), or with --term.

Examples:
  kalima chart freq data/sample --stopwords ar -o top.png --title \"أكثر الكلمات\"
  kalima chart dispersion الحكومة الرياض data/sample -o disp.svg
  kalima chart timeline كورونا saudinewsnet.tar.xz --by date --period day -o t.png
  kalima chart cloud data/sample --stopwords ar --seed 7 -o cloud.png --size square")]
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
    /// Number of bars (freq) or words (cloud; default 100)
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
    /// Timeline: the metadata field with the date (`date` looks for date, date_extracted,
    /// time, …)
    #[arg(long, value_name = "FIELD", default_value = "date")]
    pub by: String,
    /// Timeline: period of the buckets: day, month, year
    #[arg(long, default_value = "month", value_parser = ["day", "month", "year"])]
    pub period: String,
    /// Worker threads (0 = one per core); the output does not depend on it
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
        Kind::Ngrams | Kind::Keyness | Kind::Collocates => bail!(
            "`kalima chart {}` is not wired yet; kalima-plot draws it (bar/diverging) once the \
             statistics command provides the numbers",
            format!("{:?}", args.kind).to_lowercase()
        ),
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
    let wants_terms = matches!(args.kind, Kind::Dispersion | Kind::Timeline);
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
/// reader never sees half a picture.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("-o {}: not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let res = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res.with_context(|| format!("writing {}", path.display()))
}

/// Arabic or English default axis titles, following the layout direction.
fn say(opts: &Options, ar: &str, en: &str) -> Option<String> {
    Some(if opts.rtl { ar } else { en }.to_string())
}

/// Term counts over the corpus (parallel), sorted by count desc then term, and the number of
/// tokens. Terms with no letter or digit (punctuation) are left out of charts.
fn counts(job: &Job) -> Result<(Vec<(String, u64)>, u64)> {
    let corpus = job.args.input.open(&job.paths, false, false)?;
    let pieces = corpus
        .filter_map(|ev| job.reporter.filter(ev))
        .map(|c| Piece {
            doc: c.doc,
            whole: c.first && c.last,
            text: c.text,
        });
    let pool = thread_pool(job.args.threads)?;
    let counter = pool.install(|| count_parallel(pieces, &job.analyzer, |_| true));
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
    let stop = match &job.args.stopwords {
        Some(spec) => Some(load_stopwords(spec, &job.analyzer)?),
        None => None,
    };
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

/// `zipf`: rank–frequency points on log-log axes (all terms, no filter).
fn zipf(job: &Job) -> Result<Chart> {
    let (rows, _) = counts(job)?;
    let pts = rows
        .iter()
        .enumerate()
        .map(|(i, (_, c))| ((i + 1) as f64, *c as f64))
        .collect();
    let mut opts = job.opts.clone();
    opts.x_label = say(&opts, "الرتبة", "rank");
    opts.value_label = say(&opts, "التكرار", "frequency");
    let series = [Series {
        name: String::new(),
        points: pts,
        kind: SeriesKind::Points,
    }];
    let axes = XyOptions {
        x_log: true,
        y_log: true,
        x_ticks: None,
    };
    Ok(kalima_plot::xy(&series, &axes, &opts)?)
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

/// `heaps`: distinct terms against tokens read, sampled every 1000 tokens and at the end.
fn heaps(job: &Job) -> Result<Chart> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut n = 0u64;
    let mut pts = vec![(0.0, 0.0)];
    let mut scratch = Scratch::default();
    each_chunk(job, false, |c| {
        job.analyzer.for_each_term(&c.text, &mut scratch, |t| {
            n += 1;
            if !seen.contains(t) {
                seen.insert(t.to_string());
            }
            if n % 1000 == 0 {
                pts.push((n as f64, seen.len() as f64));
            }
        });
    })?;
    if n % 1000 != 0 {
        pts.push((n as f64, seen.len() as f64));
    }
    let mut opts = job.opts.clone();
    opts.x_label = say(&opts, "عدد الكلمات المقروءة", "tokens");
    opts.value_label = say(&opts, "المفردات المختلفة", "distinct terms");
    let series = [Series {
        name: String::new(),
        points: pts,
        kind: SeriesKind::Line,
    }];
    Ok(kalima_plot::xy(&series, &XyOptions::default(), &opts)?)
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
    let keys: Vec<&String> = periods.keys().collect();
    let series: Vec<Series> = job
        .terms
        .iter()
        .enumerate()
        .map(|(i, q)| Series {
            name: q.clone(),
            points: periods
                .values()
                .enumerate()
                .map(|(x, (tok, hits))| (x as f64, per_million(hits[i], *tok)))
                .collect(),
            kind: SeriesKind::Line,
        })
        .collect();
    // At most about 10 date labels, evenly spaced.
    let every = keys.len().div_ceil(10).max(1);
    let ticks = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, k)| (i as f64, job.args.digits.convert(k)))
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
