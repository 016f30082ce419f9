//! `kalima chart`: charts (PNG/SVG) with Arabic shaped and ordered correctly. The data of
//! each kind comes from [`kalima::chart`]; this file reads the options and writes the image.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args as ClapArgs, ValueEnum};
use kalima::Source;
use kalima::chart::{ChartKind, ChartOptions, ImageFormat, chart, encode};
use kalima::time::DateField;
use kalima_plot::{Digits, Fonts, Options, Theme};

use crate::Outcome;
use crate::common::{InputArgs, Reporter, TextArgs, job, outcome};

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

impl From<Kind> for ChartKind {
    fn from(k: Kind) -> ChartKind {
        match k {
            Kind::Freq => ChartKind::Freq,
            Kind::Ngrams => ChartKind::Ngrams,
            Kind::Keyness => ChartKind::Keyness,
            Kind::Collocates => ChartKind::Collocates,
            Kind::Zipf => ChartKind::Zipf,
            Kind::Heaps => ChartKind::Heaps,
            Kind::Dispersion => ChartKind::Dispersion,
            Kind::Timeline => ChartKind::Timeline,
            Kind::Cloud => ChartKind::Cloud,
            Kind::Bench => ChartKind::Bench,
        }
    }
}

/// Run `kalima chart`.
pub fn run(args: Args) -> Result<Outcome> {
    let format = ImageFormat::choose(args.format.as_deref(), &args.output)?;
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
    let measure = match args.kind {
        Kind::Collocates => collocates_measure(&terms, &args.measure)?,
        _ => ChartOptions::default().measure,
    };
    let plot = Options {
        title: args.title.clone(),
        subtitle: args.subtitle.clone(),
        source: args.source.clone(),
        width: args.size.0,
        height: args.size.1,
        theme: args.theme,
        digits: args.digits,
        rtl: !args.ltr,
        value_label: None,
        x_label: None,
        fonts,
    };
    let opts = ChartOptions {
        terms,
        top: args.top,
        per_million: args.per_million,
        stopwords: args.stopwords.clone(),
        rtl: !args.ltr,
        seed: args.seed,
        n: args.n,
        reference: args.reference.clone(),
        min_count: args.min_count,
        window: args.window,
        measure,
        metric: args.metric.clone(),
        date_field: match args.by.as_str() {
            "date" => DateField::Auto,
            f => DateField::Named(f.to_string()),
        },
        period: args.period.parse()?,
    };
    let reporter = Reporter::new(args.quiet);
    let job = job(
        Source::Paths(paths),
        &args.input,
        &args.text,
        args.threads,
        &reporter,
    );
    let out = chart(&job, args.kind.into(), &opts, &plot)?;
    reporter.finish();
    let done = outcome(&out);
    let bytes = encode(out.value, format, scale)?;
    kalima_fs::write_atomic(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    Ok(done)
}

/// The measure that ranks the collocates of the one node (the node is checked first).
fn collocates_measure(terms: &[String], measure: &str) -> Result<String> {
    if terms.len() != 1 {
        bail!("`chart collocates` takes one node word before the paths (or one --term)");
    }
    let measures = kalima::assoc::parse_measures(measure)?;
    let [m] = measures.as_slice() else {
        bail!("`chart collocates` ranks by one --measure");
    };
    Ok(m.name.to_string())
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
