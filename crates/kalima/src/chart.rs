//! Chart data: what each kind of `kalima chart` draws, computed from a corpus as typed
//! series ([`ChartData`]), then drawn by [`kalima_plot`] ([`ChartData::draw`]) into a chart
//! that [`encode`] turns into PNG or SVG bytes.
//!
//! [`chart_series`] computes the data of a [`ChartKind`]; [`chart`] also draws it. Each kind
//! counts as the command it mirrors (`freq`, `ngrams`, `keyness`, `collocates`, `zipf`,
//! `heaps`), so a chart shows the numbers that command prints.
//!
//! # Example
//! ```
//! use kalima::chart::{ChartData, ChartKind, ChartOptions, chart_series};
//! use kalima::{Job, Source};
//!
//! let job = Job::new(Source::Texts(vec!["الولد في المدرسة".into(), "الولد".into()]));
//! let out = chart_series(&job, ChartKind::Freq, &ChartOptions::default())?;
//! let ChartData::Bars { bars, .. } = &out.value else { unreachable!() };
//! assert_eq!(bars[0], ("الولد".to_string(), 2.0));
//! let svg = out.value.draw(&kalima_plot::Options::default())?.into_svg();
//! assert!(svg.starts_with("<svg"));
//! # Ok::<(), kalima::Error>(())
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use kalima_plot::{Series, SeriesKind, XyOptions};
use kalima_stats::engine::{Ordered, Segment};
use kalima_stats::fit::zipf_mle;
use kalima_stats::ngram::MAX_N;
use kalima_stats::per_million;
use kalima_text::{Analyzer, Normalizer, Scratch};
use serde::{Deserialize, Serialize};

use crate::collocates::{node_matcher, rank};
use crate::freq::term_counts;
use crate::heaps::{HeapsOptions, heaps as heaps_curve};
use crate::keyness::{KeynessOptions, compare, word_counts};
use crate::ngrams::{NgramsOptions, StopAt, ngrams_with};
use crate::options::stopwords;
use crate::time::{DateField, Period, break_gaps, period_positions, period_ticks, terms_over_time};
use crate::zipf::expected_frequencies;
use crate::{Error, Job, Observer, Output, Result, Source};

/// What a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    /// Horizontal bars of the top terms, counts at the bar ends.
    Freq,
    /// Horizontal bars of the top n-grams, as `kalima ngrams` counts them.
    Ngrams,
    /// Diverging bars of keywords against a reference corpus: signed log-likelihood.
    Keyness,
    /// Bars of the collocates of a node word, by a measure (as `kalima collocates`).
    Collocates,
    /// Log-log rank–frequency plot with the maximum-likelihood Zipf fit as a line.
    Zipf,
    /// Vocabulary growth curve (types against tokens) with the fitted Heaps' law.
    Heaps,
    /// Lexical dispersion plot: a strip per term, a tick per occurrence.
    Dispersion,
    /// Per-million frequency of terms over time (dated documents).
    Timeline,
    /// Word cloud.
    Cloud,
    /// Bars of one column of a `kalima bench` results file, a bar per tokenizer.
    Bench,
}

/// Options of [`chart_series`]; each kind reads the ones it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartOptions {
    /// Terms to chart (dispersion, timeline) or the node (collocates: one word, or a prefix
    /// like `ال*`), as typed: each is normalized like the text.
    pub terms: Vec<String>,
    /// Bars (freq, ngrams, collocates: default 20; keyness: each side, default 10; bench: the
    /// largest values, default all) or words (cloud; default 100).
    pub top: Option<usize>,
    /// Frequencies per million tokens instead of counts (freq, cloud, ngrams).
    pub per_million: bool,
    /// Drop stop words: `ar` (built-in Arabic list) or a file with one word per line.
    pub stopwords: Option<String>,
    /// Axis titles and legend names in Arabic (for the right-to-left layout); English when
    /// false.
    pub rtl: bool,
    /// Cloud layout seed (same seed, same picture).
    pub seed: u64,
    /// ngrams: words per n-gram.
    pub n: usize,
    /// keyness: the reference corpus.
    pub reference: Vec<PathBuf>,
    /// ngrams, collocates: keep only items seen at least this often.
    pub min_count: u64,
    /// collocates: words on each side of the node.
    pub window: usize,
    /// collocates: the name (or column) of the [`crate::assoc`] measure that ranks the bars
    /// (default `logdice`).
    pub measure: String,
    /// bench: the column of the results to draw.
    pub metric: String,
    /// timeline: where the documents' dates are.
    pub date_field: DateField,
    /// timeline: the periods.
    pub period: Period,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            terms: Vec::new(),
            top: None,
            per_million: false,
            stopwords: None,
            rtl: true,
            seed: 1,
            n: 2,
            reference: Vec::new(),
            min_count: 1,
            window: 5,
            measure: "logdice".into(),
            metric: "fertility".into(),
            date_field: DateField::Auto,
            period: Period::Month,
        }
    }
}

impl ChartOptions {
    /// The Arabic or the English text, following [`ChartOptions::rtl`].
    fn say(&self, ar: &str, en: &str) -> Option<String> {
        Some(if self.rtl { ar } else { en }.to_string())
    }
}

/// The data of a chart, ready to draw.
#[derive(Debug, Clone)]
pub enum ChartData {
    /// Horizontal bars, largest first ([`kalima_plot::bar`]).
    Bars {
        /// Label and value of each bar.
        bars: Vec<(String, f64)>,
        /// Title of the value axis.
        value_label: Option<String>,
    },
    /// Bars either side of zero ([`kalima_plot::diverging`]).
    Diverging {
        /// Label and signed value of each bar.
        bars: Vec<(String, f64)>,
        /// Title of the value axis.
        value_label: Option<String>,
    },
    /// A word cloud ([`kalima_plot::cloud`]).
    Cloud {
        /// Word and weight.
        words: Vec<(String, f64)>,
        /// Layout seed.
        seed: u64,
    },
    /// Lines and points ([`kalima_plot::xy`]); x tick labels are written with the chart's
    /// digits.
    Xy {
        /// The series.
        series: Vec<Series>,
        /// The axes.
        axes: XyOptions,
        /// Title of the x axis.
        x_label: Option<String>,
        /// Title of the value axis.
        value_label: Option<String>,
    },
    /// A strip per term with a tick per occurrence ([`kalima_plot::dispersion`]).
    Strips {
        /// Term and relative positions (0–1) of its occurrences.
        terms: Vec<(String, Vec<f64>)>,
        /// Title of the position axis.
        x_label: Option<String>,
    },
}

impl ChartData {
    /// Draw the chart with `opts` (the data's axis titles replace those of `opts`).
    pub fn draw(&self, opts: &kalima_plot::Options) -> Result<kalima_plot::Chart> {
        self.plot(opts).map_err(plot_error)
    }

    /// [`ChartData::draw`] with the drawing's own error.
    pub(crate) fn plot(
        &self,
        opts: &kalima_plot::Options,
    ) -> Result<kalima_plot::Chart, kalima_plot::Error> {
        let with = |x: &Option<String>, v: &Option<String>| {
            let mut o = opts.clone();
            if x.is_some() {
                o.x_label.clone_from(x);
            }
            if v.is_some() {
                o.value_label.clone_from(v);
            }
            o
        };
        match self {
            ChartData::Bars { bars, value_label } => {
                kalima_plot::bar(bars, &with(&None, value_label))
            }
            ChartData::Diverging { bars, value_label } => {
                kalima_plot::diverging(bars, &with(&None, value_label))
            }
            ChartData::Cloud { words, seed } => kalima_plot::cloud(words, *seed, opts),
            ChartData::Xy {
                series,
                axes,
                x_label,
                value_label,
            } => {
                let mut axes = axes.clone();
                if let Some(ticks) = &mut axes.x_ticks {
                    for (_, label) in ticks.iter_mut() {
                        *label = opts.digits.convert(label);
                    }
                }
                kalima_plot::xy(series, &axes, &with(x_label, value_label))
            }
            ChartData::Strips { terms, x_label } => {
                kalima_plot::dispersion(terms, &with(x_label, &None))
            }
        }
    }
}

/// A drawing error as an API error.
pub(crate) fn plot_error(e: kalima_plot::Error) -> Error {
    Error::Plot(e.to_string())
}

/// An error with what was being done, written as `what: error: its causes`.
pub(crate) fn failed(what: impl std::fmt::Display, e: &dyn std::error::Error) -> Error {
    let mut msg = format!("{what}: {e}");
    let mut cause = e.source();
    while let Some(c) = cause {
        msg.push_str(&format!(": {c}"));
        cause = c.source();
    }
    Error::Failed(msg)
}

/// The data of a `kind` chart of the job's inputs.
pub fn chart_series(job: &Job, kind: ChartKind, opts: &ChartOptions) -> Result<Output<ChartData>> {
    // The kinds that call a command returning an output keep its failures.
    let parts = |o: Output<ChartData>| (o.value, o.failures);
    let (data, mut failures) = match kind {
        ChartKind::Heaps => parts(heaps(job, opts)?),
        ChartKind::Ngrams => parts(ngrams(job, opts)?),
        ChartKind::Freq => (freq(job, opts)?, Vec::new()),
        ChartKind::Cloud => (cloud(job, opts)?, Vec::new()),
        ChartKind::Zipf => (zipf(job, opts)?, Vec::new()),
        ChartKind::Dispersion => (dispersion(job, opts)?, Vec::new()),
        ChartKind::Timeline => (timeline(job, opts)?, Vec::new()),
        ChartKind::Keyness => (keyness_bars(job, opts)?, Vec::new()),
        ChartKind::Collocates => (collocates(job, opts)?, Vec::new()),
        ChartKind::Bench => {
            let [path] = job.source.paths() else {
                return Err(Error::invalid(
                    "`chart bench` takes one results file written by `kalima bench` (CSV, TSV or JSON)",
                ));
            };
            (bench(path, opts, job.observer())?, Vec::new())
        }
    };
    let out = job.output(data);
    failures.extend(out.failures);
    Ok(Output {
        value: out.value,
        failures,
    })
}

/// The `kind` chart of the job's inputs, drawn with `plot`; a note tells the words a cloud
/// left out.
pub fn chart(
    job: &Job,
    kind: ChartKind,
    opts: &ChartOptions,
    plot: &kalima_plot::Options,
) -> Result<Output<kalima_plot::Chart>> {
    let out = chart_series(job, kind, opts)?;
    let chart = out.value.draw(plot)?;
    if chart.dropped > 0 {
        job.observer().note(&format!(
            "{} words did not fit in the cloud and were left out",
            chart.dropped
        ));
    }
    Ok(Output {
        value: chart,
        failures: out.failures,
    })
}

/// An image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// SVG.
    Svg,
}

impl ImageFormat {
    /// The format `format` names (`png`, `svg`), else the one `path`'s extension tells.
    pub fn choose(format: Option<&str>, path: &Path) -> Result<ImageFormat> {
        match format {
            Some("png") => Ok(ImageFormat::Png),
            Some("svg") => Ok(ImageFormat::Svg),
            Some(f) => Err(Error::invalid(format!(
                "unknown image format {f:?}: png or svg"
            ))),
            None => match path.extension().and_then(|e| e.to_str()) {
                Some(e) if e.eq_ignore_ascii_case("png") => Ok(ImageFormat::Png),
                Some(e) if e.eq_ignore_ascii_case("svg") => Ok(ImageFormat::Svg),
                _ => Err(Error::invalid(format!(
                    "-o {}: give a .png or .svg file (or --format)",
                    path.display()
                ))),
            },
        }
    }
}

/// The bytes of `chart` as `format` (PNG at `scale` pixels per chart px).
pub fn encode(chart: kalima_plot::Chart, format: ImageFormat, scale: f32) -> Result<Vec<u8>> {
    match format {
        ImageFormat::Png => chart.png(scale).map_err(plot_error),
        ImageFormat::Svg => Ok(chart.into_svg().into_bytes()),
    }
}

/// A job over other inputs (or the same again) with the same reading, text options and
/// threads, told through `observer`.
pub(crate) fn sibling<'o>(
    job: &Job,
    source: Source,
    threads: usize,
    observer: &'o dyn Observer,
) -> Job<'o> {
    Job::new(source)
        .with_read(job.read.clone())
        .with_text(job.text)
        .with_threads(threads)
        .observed(observer)
}

/// Passes notes and input errors on, but not progress.
pub(crate) struct NoProgress<'a>(pub &'a dyn Observer);

impl Observer for NoProgress<'_> {
    fn note(&self, note: &str) {
        self.0.note(note);
    }
    fn input_error(&self, error: &crate::InputError) {
        self.0.input_error(error);
    }
}

/// Term counts of the job's inputs: (term, count), count descending then term, and tokens.
fn counts(job: &Job) -> Result<(Vec<(String, u64)>, u64)> {
    let (rows, tokens) = term_counts(job)?;
    Ok((
        rows.into_iter().map(|r| (r.term, r.count)).collect(),
        tokens,
    ))
}

/// Top terms after stop words and punctuation, as chart values (counts or per million).
fn top_terms(job: &Job, opts: &ChartOptions, default_top: usize) -> Result<Vec<(String, f64)>> {
    let stop = stopwords(
        opts.stopwords.as_deref(),
        &job.analyzer(Normalizer::light()),
    )?;
    let (rows, total) = counts(job)?;
    Ok(rows
        .into_iter()
        .filter(|(t, _)| t.chars().any(char::is_alphanumeric))
        .filter(|(t, _)| stop.as_ref().is_none_or(|s| !s.contains(t)))
        .take(opts.top.unwrap_or(default_top))
        .map(|(t, c)| {
            let v = if opts.per_million {
                per_million(c, total)
            } else {
                c as f64
            };
            (t, v)
        })
        .collect())
}

fn per_million_label(opts: &ChartOptions) -> Option<String> {
    if opts.per_million {
        opts.say("لكل مليون كلمة", "per million tokens")
    } else {
        None
    }
}

/// `freq`: bars of the top terms.
fn freq(job: &Job, opts: &ChartOptions) -> Result<ChartData> {
    Ok(ChartData::Bars {
        bars: top_terms(job, opts, 20)?,
        value_label: per_million_label(opts),
    })
}

/// `cloud`: the top terms.
fn cloud(job: &Job, opts: &ChartOptions) -> Result<ChartData> {
    Ok(ChartData::Cloud {
        words: top_terms(job, opts, 100)?,
        seed: opts.seed,
    })
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

/// `zipf`: rank–frequency points on log-log axes (all terms, no filter; thinned to
/// log-spaced ranks so a big vocabulary stays a small picture) and the maximum-likelihood
/// Zipf fit as the expected frequency `N·r^−s / H(V, s)`.
fn zipf(job: &Job, opts: &ChartOptions) -> Result<ChartData> {
    let (rows, _) = counts(job)?;
    let freqs: Vec<u64> = rows.iter().map(|(_, c)| *c).collect();
    let ranks = log_spaced(freqs.len());
    let fit = zipf_mle(&freqs);
    let mut series = vec![Series {
        name: opts.say("المشاهد", "observed").unwrap_or_default(),
        points: ranks
            .iter()
            .map(|&r| (r as f64, freqs[r - 1] as f64))
            .collect(),
        kind: SeriesKind::Points,
    }];
    if fit.s.is_finite() {
        let expected = expected_frequencies(
            fit.tokens as f64,
            fit.types,
            fit.s,
            0.0,
            ranks.iter().map(|&r| r as u64),
        );
        series.push(Series {
            name: format!("Zipf s = {:.3}", fit.s),
            points: ranks.iter().map(|&r| r as f64).zip(expected).collect(),
            kind: SeriesKind::Line,
        });
    }
    Ok(ChartData::Xy {
        series,
        axes: XyOptions {
            x_log: true,
            y_log: true,
            x_ticks: None,
        },
        x_label: opts.say("الرتبة", "rank"),
        value_label: opts.say("التكرار", "frequency"),
    })
}

/// `heaps`: distinct terms against tokens read (the points of `kalima heaps`) with the
/// fitted Heaps' law `V = K·N^β` as a second line.
fn heaps(job: &Job, opts: &ChartOptions) -> Result<Output<ChartData>> {
    let out = heaps_curve(job, &HeapsOptions::default())?;
    let (mut drawn, fit) = (out.value.points, out.value.fit);
    if drawn.is_empty() {
        return Err(Error::invalid("no words in the input"));
    }
    drawn.insert(0, (0, 0));
    let mut series = vec![Series {
        name: opts.say("المشاهد", "observed").unwrap_or_default(),
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
    Ok(Output {
        value: ChartData::Xy {
            series,
            axes: XyOptions::default(),
            x_label: opts.say("عدد الكلمات المقروءة", "tokens"),
            value_label: opts.say("المفردات المختلفة", "distinct terms"),
        },
        failures: out.failures,
    })
}

/// The terms normalized like the text (a term that is not exactly one token is an error:
/// it could never match).
fn query_terms(analyzer: &Analyzer, terms: &[String]) -> Result<Vec<String>> {
    terms
        .iter()
        .map(|q| {
            let a = analyzer.analyze(q);
            let v: Vec<String> = a.iter().map(|(t, _)| t.to_string()).collect();
            match v.as_slice() {
                [one] => Ok(one.clone()),
                _ => Err(Error::invalid(format!(
                    "term {q:?} is {} tokens with this scheme; give single words",
                    v.len()
                ))),
            }
        })
        .collect()
}

/// `dispersion`: the relative position (token index / tokens) of each occurrence of each
/// term.
fn dispersion(job: &Job, opts: &ChartOptions) -> Result<ChartData> {
    let analyzer = job.analyzer(Normalizer::light());
    let queries = query_terms(&analyzer, &opts.terms)?;
    let index: HashMap<&str, usize> = queries
        .iter()
        .enumerate()
        .map(|(i, q)| (q.as_str(), i))
        .collect();
    // Positions in each segment on the job's threads, in the corpus in corpus order.
    let find = Ordered::new(Scratch::default, |scratch, s: &Segment| {
        let (mut found, mut n) = (Vec::new(), 0u64);
        analyzer.for_each_term(&s.text, scratch, |t| {
            if let Some(&i) = index.get(t) {
                found.push((i, n));
            }
            n += 1;
        });
        (found, n)
    });
    let (mut hits, mut n) = (vec![Vec::new(); queries.len()], 0u64);
    find.for_each(&job.pool()?, job.segments()?, |(found, m)| {
        for (i, p) in found {
            hits[i].push(n + p);
        }
        n += m;
    });
    if n == 0 {
        return Err(Error::invalid("no tokens in the input"));
    }
    Ok(ChartData::Strips {
        terms: opts
            .terms
            .iter()
            .zip(hits)
            .map(|(q, h)| (q.clone(), h.iter().map(|&p| p as f64 / n as f64).collect()))
            .collect(),
        x_label: opts.say("الموضع في المدونة", "position in the corpus"),
    })
}

/// `timeline`: per-million frequency of each term per period of the documents' dates
/// ([`terms_over_time`]); documents without a readable date are counted and noted.
fn timeline(job: &Job, opts: &ChartOptions) -> Result<ChartData> {
    let queries = query_terms(&job.analyzer(Normalizer::light()), &opts.terms)?;
    let t = terms_over_time(job, &queries, &opts.date_field, opts.period)?.value;
    if t.undated > 0 {
        let field = match &opts.date_field {
            DateField::Auto => "date",
            DateField::Named(f) => f,
        };
        job.observer().note(&format!(
            "{} of {} documents have no readable date in field {field:?} and are not in the timeline",
            t.undated, t.documents
        ));
    }
    if t.rows.is_empty() {
        return Err(Error::invalid(
            "no dated documents: the inputs need a date field (--by; e.g. SaudiNewsNet JSON, ANT TREC <TIME>)",
        ));
    }
    // x is the period's place on the calendar, so a period without documents leaves its gap
    // instead of drawing its neighbours together.
    let keys: Vec<&str> = t.rows.iter().map(|r| r.period.as_str()).collect();
    let xs = period_positions(&keys);
    let series = opts
        .terms
        .iter()
        .enumerate()
        .map(|(i, q)| Series {
            name: q.clone(),
            points: break_gaps(t.rows.iter().zip(&xs).map(|(r, &x)| (x, r.per_million(i)))),
            kind: SeriesKind::Line,
        })
        .collect();
    let ticks = period_ticks(&keys, &xs, 8)
        .into_iter()
        .map(|(x, k)| (x, k.to_string()))
        .collect();
    Ok(ChartData::Xy {
        series,
        axes: XyOptions {
            x_log: false,
            y_log: false,
            x_ticks: Some(ticks),
        },
        x_label: None,
        value_label: opts.say("لكل مليون كلمة", "per million tokens"),
    })
}

/// `ngrams`: bars of the top n-grams, counted as `kalima ngrams` does (sentence-final
/// punctuation and documents end n-grams; with stop words, n-grams that start or end with
/// one are dropped, like `--stopwords-at edge`).
fn ngrams(job: &Job, opts: &ChartOptions) -> Result<Output<ChartData>> {
    let n = opts.n;
    if n == 0 || n > MAX_N {
        return Err(Error::invalid(format!("-n must be between 1 and {MAX_N}")));
    }
    let stop = stopwords(
        opts.stopwords.as_deref(),
        &job.analyzer(Normalizer::light()),
    )?;
    let o = NgramsOptions {
        min_n: n,
        max_n: n,
        min_count: opts.min_count,
        top: Some(opts.top.unwrap_or(20)),
        stopwords_at: StopAt::Edge,
        ..NgramsOptions::default()
    };
    let out = ngrams_with(job, &o, stop.as_ref())?;
    let total = out.value.tokens;
    let bars = out
        .value
        .rows
        .into_iter()
        .map(|r| {
            let v = if opts.per_million {
                per_million(r.count, total)
            } else {
                r.count as f64
            };
            (r.ngram, v)
        })
        .collect();
    Ok(Output {
        value: ChartData::Bars {
            bars,
            value_label: per_million_label(opts),
        },
        failures: out.failures,
    })
}

/// `keyness`: the top (default 10) most over-used and most under-used terms of the inputs
/// against the reference, by signed log-likelihood (Rayson & Garside 2000).
fn keyness_bars(job: &Job, opts: &ChartOptions) -> Result<ChartData> {
    if opts.reference.is_empty() {
        return Err(Error::invalid(
            "`chart keyness` needs a reference corpus: --reference REF...",
        ));
    }
    let stop = stopwords(
        opts.stopwords.as_deref(),
        &job.analyzer(Normalizer::light()),
    )?;
    // Counted as `kalima keyness` counts: words only.
    let target = job.install(|| word_counts(job))??;
    // The reference's read problems are told, but do not make the chart incomplete.
    let quiet = NoProgress(job.observer());
    let ref_job = sibling(
        job,
        Source::Paths(opts.reference.clone()),
        job.threads,
        &quiet,
    );
    let reference = ref_job.install(|| word_counts(&ref_job))??;
    if !ref_job.output(()).complete() {
        job.observer()
            .note("some reference inputs could not be read");
    }
    let mut rows: Vec<(String, f64)> = compare(
        &target,
        &reference,
        &KeynessOptions::default(),
        stop.as_ref(),
    )?
    .into_iter()
    .map(|r| {
        let ll = r.ll();
        (r.term, ll)
    })
    .collect();
    // Largest |LL| first, ties by term: the same picture for any thread count.
    rows.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()).then_with(|| x.0.cmp(&y.0)));
    let top = opts.top.unwrap_or(10);
    let mut bars: Vec<(String, f64)> = rows
        .iter()
        .filter(|r| r.1 > 0.0)
        .take(top)
        .cloned()
        .collect();
    bars.extend(rows.iter().filter(|r| r.1 < 0.0).take(top).cloned());
    Ok(ChartData::Diverging {
        bars,
        value_label: opts.say("لوغاريتم الاحتمال (±G²)", "log-likelihood (±G²)"),
    })
}

/// `collocates`: bars of the top collocates of the node (the one term: a word or a prefix
/// like `ال*`) in a ±window word window, ranked by the measure.
fn collocates(job: &Job, opts: &ChartOptions) -> Result<ChartData> {
    let [node] = opts.terms.as_slice() else {
        return Err(Error::invalid(
            "`chart collocates` takes one node word before the paths (or one --term)",
        ));
    };
    let m = crate::assoc::measure(&opts.measure)?;
    let analyzer = job.analyzer(Normalizer::light());
    let is_node = node_matcher(node, false, &analyzer)?;
    let stop = stopwords(opts.stopwords.as_deref(), &analyzer)?;
    let w = opts.window.max(1);
    let spans = job.segments()?;
    let c = job.install(|| {
        kalima_stats::cooc::count_collocates(spans, &analyzer, &*is_node, w, w, false)
    })?;
    if c.node_freq == 0 {
        return Err(Error::invalid(format!(
            "the node {node:?} does not occur in the input"
        )));
    }
    // Ranked as `kalima collocates` ranks them (collocates are words).
    let rows = rank(
        &c,
        &[m],
        opts.min_count,
        stop.as_ref(),
        Some(opts.top.unwrap_or(20)),
    );
    let bars = rows.into_iter().map(|r| (r.term, r.values[0])).collect();
    Ok(ChartData::Bars {
        bars,
        value_label: Some(m.column.to_string()),
    })
}

/// `bench`: one bar per tokenizer of the metric column of a results file written by
/// `kalima bench` (CSV, TSV, or JSON records).
fn bench(path: &Path, opts: &ChartOptions, observer: &dyn Observer) -> Result<ChartData> {
    let metric = opts.metric.as_str();
    let records = read_records(path)?;
    let mut bars = Vec::with_capacity(records.len());
    let mut missing = 0usize;
    for r in &records {
        let name = r
            .get("tokenizer")
            .ok_or_else(|| Error::invalid(format!("{}: no tokenizer column", path.display())))?;
        let Some(v) = r.get(metric) else {
            let mut cols: Vec<&str> = r.keys().map(String::as_str).collect();
            cols.sort_unstable();
            return Err(Error::invalid(format!(
                "{}: no column {metric:?}; --metric is one of: {}",
                path.display(),
                cols.join(", ")
            )));
        };
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => bars.push((name.clone(), x)),
            _ => missing += 1,
        }
    }
    if missing > 0 {
        observer.note(&format!(
            "{missing} tokenizers have no {metric} value and are not drawn"
        ));
    }
    if let Some(n) = opts.top {
        // The n largest values, as the bars are drawn (value desc, then name).
        bars.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        bars.truncate(n);
    }
    Ok(ChartData::Bars {
        bars,
        value_label: Some(metric.to_string()),
    })
}

/// The rows of a results table as column → text: CSV or TSV with a header (by extension,
/// CSV by default) or a JSON array of objects.
fn read_records(path: &Path) -> Result<Vec<HashMap<String, String>>> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(|e| failed(format_args!("reading {shown}"), &e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "json" || text.trim_start().starts_with('[') {
        let v: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&text)
            .map_err(|e| failed(format_args!("{shown}: not a JSON array of records"), &e))?;
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
        .map_err(|e| failed(format_args!("{shown}: no header"), &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| failed(format_args!("{shown}: row {}", i + 2), &e))?;
        out.push(
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect(),
        );
    }
    if out.is_empty() {
        return Err(Error::invalid(format!("{shown}: no rows")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(texts: &[&str]) -> Job<'static> {
        Job::new(Source::Texts(texts.iter().map(|t| t.to_string()).collect()))
    }

    #[test]
    fn log_spaced_ranks_keep_the_first_hundred_and_the_last() {
        let r = log_spaced(1000);
        assert_eq!(&r[..100], (1..=100).collect::<Vec<_>>());
        assert_eq!(r.last(), Some(&1000));
        assert!(r.len() < 200);
    }

    #[test]
    fn bars_and_labels_follow_the_options() {
        let j = job(&["كتب الولد الدرس، كتب الولد", "الولد"]);
        let opts = ChartOptions {
            per_million: true,
            rtl: false,
            top: Some(1),
            ..ChartOptions::default()
        };
        let ChartData::Bars { bars, value_label } =
            chart_series(&j, ChartKind::Freq, &opts).unwrap().value
        else {
            panic!()
        };
        // 3 of 7 tokens (the comma is one).
        assert_eq!(bars, [("الولد".to_string(), per_million(3, 7))]);
        assert_eq!(value_label.as_deref(), Some("per million tokens"));
    }

    #[test]
    fn dispersion_positions_are_relative() {
        let j = job(&["أ ب أ ج"]);
        let opts = ChartOptions {
            terms: vec!["أ".into()],
            ..ChartOptions::default()
        };
        let ChartData::Strips { terms, .. } = chart_series(&j, ChartKind::Dispersion, &opts)
            .unwrap()
            .value
        else {
            panic!()
        };
        assert_eq!(terms, [("أ".to_string(), vec![0.0, 0.5])]);
    }

    #[test]
    fn collocates_need_one_node_that_occurs() {
        let j = job(&["الولد في المدرسة والولد في البيت"]);
        let mut opts = ChartOptions::default();
        let err = |o: &ChartOptions| chart_series(&j, ChartKind::Collocates, o).unwrap_err();
        assert!(err(&opts).to_string().contains("one node word"));
        opts.terms = vec!["مدينة".into()];
        assert!(err(&opts).to_string().contains("does not occur"));
        opts.terms = vec!["ال*".into()];
        let ChartData::Bars { bars, value_label } = chart_series(&j, ChartKind::Collocates, &opts)
            .unwrap()
            .value
        else {
            panic!()
        };
        assert!(bars.iter().any(|(t, _)| t == "في"));
        assert_eq!(value_label.as_deref(), Some("logdice"));
    }

    #[test]
    fn image_formats() {
        let p = Path::new("x.SVG");
        assert_eq!(ImageFormat::choose(None, p).unwrap(), ImageFormat::Svg);
        assert_eq!(
            ImageFormat::choose(Some("png"), p).unwrap(),
            ImageFormat::Png
        );
        assert!(ImageFormat::choose(None, Path::new("x.jpg")).is_err());
        assert!(ImageFormat::choose(Some("gif"), p).is_err());
    }
}
