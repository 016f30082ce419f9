//! The report's sections from the counts of the passes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use kalima_report::{
    DispersionRow, DispersionTable, Fit, Heaps, KeynessRow, KeynessTable, LexdivRow, Overview,
    TimeSeries, Zipf,
};
use kalima_stats::dispersion as disp;
use kalima_stats::fit::{zipf_mandelbrot_mle, zipf_mle};
use kalima_stats::{TermCounter, TermFreq};
use kalima_text::{Normalizer, Scheme};

use super::passes::{First, Second};
use super::{LL_CRITICAL, ReportOptions, TIME_TERMS};
use crate::Job;
use crate::keyness::{FreqList, KeynessOptions, compare};

/// The scheme's name without its sub-options, as the overview shows it.
fn scheme_name(s: Scheme) -> &'static str {
    match s {
        Scheme::Words => "words",
        Scheme::Camel { .. } => "camel",
        Scheme::Whitespace => "whitespace",
        Scheme::Clitic { .. } => "clitic",
    }
}

fn joined(paths: &[PathBuf], sep: &str) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(sep)
}

pub(super) fn overview(
    job: &Job,
    opts: &ReportOptions,
    first: &First,
    second: &Second,
    tokens: u64,
    types: u64,
) -> Overview {
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
    let mut options = vec![
        ("inputs".to_string(), joined(job.source.paths(), " ")),
        ("--scheme".into(), scheme_name(job.text.scheme).into()),
        (
            "--normalize".into(),
            job.text
                .normalize
                .unwrap_or(Normalizer::light())
                .to_string(),
        ),
        (
            "--stopwords".into(),
            opts.stopwords.clone().unwrap_or_else(|| "none".into()),
        ),
        ("--top".into(), opts.top.to_string()),
    ];
    if !opts.reference.is_empty() {
        options.push(("--reference".into(), joined(&opts.reference, " ")));
    }
    if let Some(by) = &opts.by {
        options.push(("--by".into(), by.clone()));
    }
    options.push((
        "--date".into(),
        second
            .date_field
            .clone()
            .unwrap_or_else(|| "(none found)".into()),
    ));
    if let Some(f) = job.read.format {
        options.push(("--format-in".into(), f.to_string()));
    }
    if let Some(e) = job.read.encoding {
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

/// Keywords of each target against its reference, strongest first: the rows of
/// `kalima keyness` (words counted with [`crate::keyness::WordsPerTag`], rows of
/// [`compare`]) relatively more frequent in the target (positive G²) with |G²| ≥ 3.84, the
/// first [`ReportOptions::top`]. `words`: the word counts per group, named `group_names`.
pub(super) fn keyness(
    opts: &ReportOptions,
    group_names: &[String],
    words: Vec<TermCounter>,
    reference: Option<FreqList>,
    stop: &HashSet<String>,
) -> Result<Vec<KeynessTable>, String> {
    // Only terms of the target can be listed (G² ≥ 3.84 needs more than 0 in the target), so
    // the reference is looked up for those only: the same rows, without a pass over the
    // whole vocabulary per group.
    let table = |target: String, reference: String, t: &FreqList, r: &FreqList| {
        let r = &FreqList {
            counts: t
                .counts
                .keys()
                .map(|term| (term.clone(), r.get(term)))
                .collect(),
            tokens: r.tokens,
        };
        let rows = compare(t, r, &KeynessOptions::default(), Some(stop))
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|k| k.ll() >= LL_CRITICAL)
            .take(opts.top)
            .map(|k| KeynessRow {
                log_likelihood: k.values[0],
                log_ratio: k.values[2],
                term: k.term,
                target_freq: k.count_target,
                reference_freq: k.count_reference,
            })
            .collect();
        Ok::<_, String>(KeynessTable {
            target,
            reference,
            target_tokens: t.tokens,
            reference_tokens: r.tokens,
            rows,
        })
    };
    let groups: Vec<FreqList> = words.into_iter().map(FreqList::from_counter).collect();
    let all = FreqList::from_counts(
        groups
            .iter()
            .flat_map(|g| g.counts.iter().map(|(t, c)| (t.clone(), *c))),
    );
    let mut tables = vec![];
    if let Some(reference) = reference {
        tables.push(table(
            "corpus".into(),
            format!("reference ({})", joined(&opts.reference, ", ")),
            &all,
            &reference,
        )?);
    }
    if opts.by.is_some() {
        // Groups in name order, so the tables do not depend on input order.
        let mut order: Vec<usize> = (0..group_names.len()).collect();
        order.sort_by(|&a, &b| group_names[a].cmp(&group_names[b]));
        for g in order {
            let list = &groups[g];
            let rest = FreqList {
                counts: list
                    .counts
                    .iter()
                    .map(|(t, c)| (t.clone(), all.get(t) - c))
                    .collect(),
                tokens: all.tokens - list.tokens,
            };
            tables.push(table(
                group_names[g].clone(),
                "the rest".into(),
                list,
                &rest,
            )?);
        }
    }
    if tables.is_empty() {
        return Err("give --reference REF or --by FIELD to compare corpora".into());
    }
    Ok(tables)
}

pub(super) fn over_time(second: &Second, followed: &[String]) -> Result<TimeSeries, String> {
    if second.periods.len() < 2 {
        return Err("the documents carry no dates in two periods or more (see --date)".into());
    }
    let k = followed.len().min(TIME_TERMS);
    Ok(TimeSeries {
        terms: followed[..k].to_vec(),
        rows: second
            .periods
            .iter()
            .map(|r| {
                (
                    r.period.clone(),
                    r.tokens,
                    (0..k).map(|i| r.per_million(i)).collect(),
                )
            })
            .collect(),
        chart: None,
    })
}

pub(super) fn dispersion(
    second: &Second,
    followed: &[String],
    all: &[TermFreq],
) -> Result<DispersionTable, String> {
    if second.part_sizes.len() < 2 {
        return Err("the corpus has fewer than two parts".into());
    }
    let s = disp::to_f64(&second.part_sizes);
    let counts: HashMap<&str, u64> = all.iter().map(|r| (r.term.as_str(), r.count)).collect();
    let rows = followed
        .iter()
        .zip(&second.per_part)
        .map(|(t, pp)| {
            let mut v = vec![0.0; s.len()];
            for &(p, c) in pp {
                v[p as usize] += c as f64;
            }
            let d = disp::Dispersion::new(&v, &s);
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

/// Frequencies at ranks 1, 2, 5, 10, 20, 50, … and the last rank, with the Zipf and
/// Zipf–Mandelbrot fits.
pub(super) fn zipf(all: &[TermFreq]) -> Zipf {
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

/// The vocabulary growth curve and its Heaps fit, as `kalima heaps` computes them.
pub(super) fn heaps(h: crate::heaps::Heaps) -> Heaps {
    let (points, f) = (h.points, h.fit);
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

/// The lexical diversity measures of the corpus: the `(corpus)` row of `kalima lexdiv`
/// (default options), from `ids`, every token as a term id in reading order.
pub(super) fn lexdiv(ids: &[u32]) -> Vec<LexdivRow> {
    let d = crate::lexdiv::LexdivRow::new(
        "(corpus)".into(),
        ids,
        &crate::lexdiv::LexdivOptions::default(),
    );
    let s = &d.spectrum;
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
            d.mattr,
            "mean TTR of every 500-token window (Covington & McFall 2010)",
        ),
        row(
            "MSTTR",
            d.msttr,
            "mean TTR of consecutive 500-token segments (Johnson 1944)",
        ),
        row(
            "MTLD",
            d.mtld,
            "mean length of segments keeping TTR ≥ 0.72, both directions (McCarthy & Jarvis 2010)",
        ),
        row(
            "HD-D",
            d.hdd,
            "expected TTR of a random 42-token sample, hypergeometric (McCarthy & Jarvis 2007)",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tf(counts: &[u64]) -> Vec<TermFreq> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &c)| TermFreq {
                term: format!("t{i}"),
                count: c,
                doc_freq: 1,
            })
            .collect()
    }

    #[test]
    fn zipf_points_at_round_ranks_and_the_last() {
        let z = zipf(&tf(&[30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]));
        let ranks: Vec<u64> = z.points.iter().map(|p| p.0).collect();
        assert_eq!(ranks, [1, 2, 5, 10, 12]);
        assert_eq!(z.fits.len(), 2);
        assert!(zipf(&[]).fits.is_empty());
    }

    #[test]
    fn scheme_names_leave_out_sub_options() {
        let s = Scheme::Clitic {
            style: kalima_text::clitic::CliticStyle::D3,
            restore: true,
        };
        assert_eq!(scheme_name(s), "clitic");
    }
}
