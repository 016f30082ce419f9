//! Each report section built from plain data into a neutral [`Section`] (headings,
//! paragraphs, facts, charts, tables) that the HTML and Markdown writers render alike.

use crate::{
    Chart, Collocates, DispersionTable, Heaps, KeynessTable, LexdivRow, Overview, Part,
    RankedTable, ReportData, TimeSeries, Zipf,
};

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (untrusted: escaped and bidi-isolated on output).
    Text(String),
    /// An integer.
    Int(u64),
    /// A real number (`NaN` shows as a dash).
    Num(f64),
}

/// A table of a section.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Identifier, also the stem of the CSV/Parquet file in `data/` holding the same rows.
    pub id: String,
    /// Caption (trusted text).
    pub caption: String,
    /// Column headers (trusted text).
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
    /// A numeric column to draw as bars in the page.
    pub bar: Option<usize>,
}

/// A section: what both writers render.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Anchor id (ASCII).
    pub id: String,
    /// Heading (trusted text).
    pub title: String,
    /// Why the section is empty, when it is (untrusted reason).
    pub missing: Option<String>,
    /// Explanatory paragraphs (trusted text).
    pub text: Vec<String>,
    /// `(label, value)` facts; labels trusted, values untrusted.
    pub facts: Vec<(String, String)>,
    /// Charts.
    pub charts: Vec<Chart>,
    /// Tables.
    pub grids: Vec<Grid>,
}

impl Section {
    fn new(id: &str, title: &str) -> Self {
        Section {
            id: id.into(),
            title: title.into(),
            missing: None,
            text: vec![],
            facts: vec![],
            charts: vec![],
            grids: vec![],
        }
    }

    fn missing(id: &str, title: &str, why: &str) -> Self {
        let mut s = Section::new(id, title);
        s.missing = Some(why.into());
        s
    }
}

fn part<T>(p: &Part<T>, id: &str, title: &str, f: impl FnOnce(&T) -> Section) -> Section {
    match p {
        Ok(t) => f(t),
        Err(why) => Section::missing(id, title, why),
    }
}

/// Every section of the report, in page order.
pub fn all(d: &ReportData) -> Vec<Section> {
    const T_TERMS: &str = "الكلمات الأكثر تكرارًا — Top terms";
    const T_BI: &str = "الثنائيات الأكثر تكرارًا — Top bigrams";
    const T_TRI: &str = "الثلاثيات الأكثر تكرارًا — Top trigrams";
    vec![
        overview(&d.overview),
        part(&d.top_terms, "top-terms", T_TERMS, |t| {
            ranked("top-terms", T_TERMS, "top_terms", t)
        }),
        part(&d.bigrams, "bigrams", T_BI, |t| {
            ranked("bigrams", T_BI, "bigrams", t)
        }),
        part(&d.trigrams, "trigrams", T_TRI, |t| {
            ranked("trigrams", T_TRI, "trigrams", t)
        }),
        part(&d.collocates, "collocates", COLL, |c| collocates(c)),
        part(&d.keyness, "keyness", KEY, |k| keyness(k)),
        part(&d.over_time, "over-time", TIME, over_time),
        part(&d.dispersion, "dispersion", DISP, dispersion),
        part(&d.zipf, "zipf", ZIPF, zipf),
        part(&d.heaps, "heaps", HEAPS, heaps),
        part(&d.lexdiv, "lexdiv", LEX, |l| lexdiv(l)),
        methods(),
    ]
}

const COLL: &str = "المتلازمات — Collocates (logDice)";
const KEY: &str = "الكلمات المفتاحية — Keyness";
const TIME: &str = "الكلمات عبر الزمن — Terms over time";
const DISP: &str = "التشتت — Dispersion of the top terms";
const ZIPF: &str = "قانون زيف — Zipf (rank–frequency)";
const HEAPS: &str = "قانون هيبس — Heaps (vocabulary growth)";
const LEX: &str = "التنوع المعجمي — Lexical diversity";

/// Corpus overview: sizes, encodings, formats, skipped inputs, options.
pub fn overview(o: &Overview) -> Section {
    let mut s = Section::new("overview", "نظرة عامة على المدونة — Corpus overview");
    let ttr = if o.tokens == 0 {
        f64::NAN
    } else {
        o.types as f64 / o.tokens as f64
    };
    let pairs = |v: &[(String, u64)]| {
        v.iter()
            .map(|(k, n)| format!("{k} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    s.facts = vec![
        ("Documents / الوثائق".into(), o.documents.to_string()),
        ("Tokens / الرموز".into(), o.tokens.to_string()),
        ("Types / الأنواع".into(), o.types.to_string()),
        ("Type/token ratio".into(), num(ttr)),
        ("Mean document length (tokens)".into(), num(o.mean_doc_len)),
        (
            "Median document length (tokens)".into(),
            num(o.median_doc_len),
        ),
        ("Files read".into(), o.files.to_string()),
        ("Encodings".into(), pairs(&o.encodings)),
        ("Formats".into(), pairs(&o.formats)),
        (
            "Files skipped or failed".into(),
            o.skipped.len().to_string(),
        ),
    ];
    if !o.skipped.is_empty() {
        s.grids.push(Grid {
            id: "skipped".into(),
            caption: "Inputs skipped or failed, and why".into(),
            columns: vec!["path".into(), "reason".into()],
            rows: o
                .skipped
                .iter()
                .map(|k| vec![Cell::Text(k.path.clone()), Cell::Text(k.reason.clone())])
                .collect(),
            bar: None,
        });
    }
    s.grids.push(Grid {
        id: "options".into(),
        caption: "Options used".into(),
        columns: vec!["option".into(), "value".into()],
        rows: o
            .options
            .iter()
            .map(|(k, v)| vec![Cell::Text(k.clone()), Cell::Text(v.clone())])
            .collect(),
        bar: None,
    });
    s
}

/// A ranked table of terms or n-grams (`id` is also the data file stem). The `doc_freq`
/// column is left out when no row has one (n-grams).
pub fn ranked(id: &str, title: &str, data_id: &str, t: &RankedTable) -> Section {
    let mut s = Section::new(id, title);
    let with_df = t.rows.iter().any(|r| r.doc_freq.is_some());
    s.text.push(if with_df {
        "Count, documents containing the term, and occurrences per million tokens; ties \
         ordered by code point."
            .into()
    } else {
        "Count and occurrences per million word tokens; ties ordered by code point.".into()
    });
    s.charts.extend(t.chart.clone());
    let mut columns: Vec<String> = ["rank", "term", "count"].map(String::from).to_vec();
    if with_df {
        columns.push("doc_freq".into());
    }
    columns.push("per_million".into());
    s.grids.push(Grid {
        id: data_id.into(),
        caption: title.into(),
        columns,
        rows: t
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut row = vec![
                    Cell::Int(i as u64 + 1),
                    Cell::Text(r.term.clone()),
                    Cell::Int(r.count),
                ];
                if with_df {
                    row.push(Cell::Int(r.doc_freq.unwrap_or(0)));
                }
                row.push(Cell::Num(r.per_million));
                row
            })
            .collect(),
        bar: Some(2),
    });
    s
}

/// Collocates of each node term.
pub fn collocates(c: &[Collocates]) -> Section {
    let mut s = Section::new("collocates", COLL);
    s.text.push(
        "logDice = 14 + log2(2·O11 / (R1 + C1)) (Rychlý 2008), 14 at most: O11 = times the \
         collocate occurs in a window around the node, R1 = window positions around the node, \
         C1 = window positions the collocate fills anywhere in the corpus (the same numbers as \
         `kalima collocates`). cooc = O11; freq = the collocate's frequency."
            .into(),
    );
    for (i, n) in c.iter().enumerate() {
        s.grids.push(Grid {
            id: format!("collocates_{}", i + 1),
            caption: format!("{} ({})", n.node, n.window),
            columns: ["collocate", "cooc", "freq", "log_dice"]
                .map(String::from)
                .to_vec(),
            rows: n
                .rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.term.clone()),
                        Cell::Int(r.cooc),
                        Cell::Int(r.freq),
                        Cell::Num(r.log_dice),
                    ]
                })
                .collect(),
            bar: Some(3),
        });
    }
    s
}

/// Keyness tables.
pub fn keyness(k: &[KeynessTable]) -> Section {
    let mut s = Section::new("keyness", KEY);
    s.text.push(
        "Signed log-likelihood G² (Rayson & Garside 2000; positive = more frequent in the \
         target; |G²| > 3.84 is p < 0.05, > 15.13 is p < 0.0001) and log ratio \
         (Hardie 2014; log2 of the ratio of relative frequencies, zero frequencies taken as \
         0.5). Ordered by G², then term."
            .into(),
    );
    s.grids.push(Grid {
        id: "keyness_tables".into(),
        caption: "Comparisons (data/keyness_N.csv)".into(),
        columns: [
            "table",
            "target",
            "reference",
            "target_tokens",
            "reference_tokens",
        ]
        .map(String::from)
        .to_vec(),
        rows: k
            .iter()
            .enumerate()
            .map(|(i, t)| {
                vec![
                    Cell::Text(format!("keyness_{}", i + 1)),
                    Cell::Text(t.target.clone()),
                    Cell::Text(t.reference.clone()),
                    Cell::Int(t.target_tokens),
                    Cell::Int(t.reference_tokens),
                ]
            })
            .collect(),
        bar: None,
    });
    for (i, t) in k.iter().enumerate() {
        s.grids.push(Grid {
            id: format!("keyness_{}", i + 1),
            // Names are untrusted, but captions are escaped like everything else.
            caption: format!(
                "{} ({} tokens) vs {} ({} tokens)",
                t.target, t.target_tokens, t.reference, t.reference_tokens
            ),
            columns: [
                "term",
                "target_freq",
                "reference_freq",
                "log_likelihood",
                "log_ratio",
            ]
            .map(String::from)
            .to_vec(),
            rows: t
                .rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.term.clone()),
                        Cell::Int(r.target_freq),
                        Cell::Int(r.reference_freq),
                        Cell::Num(r.log_likelihood),
                        Cell::Num(r.log_ratio),
                    ]
                })
                .collect(),
            bar: Some(3),
        });
    }
    s
}

/// Terms over time.
pub fn over_time(t: &TimeSeries) -> Section {
    let mut s = Section::new("over-time", TIME);
    s.text
        .push("Occurrences per million tokens of each term in each period.".into());
    s.charts.extend(t.chart.clone());
    let mut columns = vec!["period".to_string(), "tokens".to_string()];
    columns.extend(t.terms.iter().cloned());
    s.grids.push(Grid {
        id: "over_time".into(),
        caption: TIME.into(),
        columns,
        rows: t
            .rows
            .iter()
            .map(|(p, n, v)| {
                let mut row = vec![Cell::Text(p.clone()), Cell::Int(*n)];
                row.extend(v.iter().map(|&x| Cell::Num(x)));
                row
            })
            .collect(),
        bar: None,
    });
    s
}

/// Dispersion of the top terms.
pub fn dispersion(d: &DispersionTable) -> Section {
    let mut s = Section::new("dispersion", DISP);
    s.text.push(format!(
        "Parts: {}. Range = parts containing the term; Gries' DP (Gries 2008; 0 = spread \
         evenly, near 1 = concentrated in few parts); DPnorm (Lijffijt & Gries 2012); \
         Juilland's D (1 = even).",
        d.parts
    ));
    s.grids.push(Grid {
        id: "dispersion".into(),
        caption: DISP.into(),
        columns: ["term", "count", "range", "dp", "dp_norm", "juilland_d"]
            .map(String::from)
            .to_vec(),
        rows: d
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.term.clone()),
                    Cell::Int(r.count),
                    Cell::Int(r.range),
                    Cell::Num(r.dp),
                    Cell::Num(r.dp_norm),
                    Cell::Num(r.juilland_d),
                ]
            })
            .collect(),
        bar: None,
    });
    s
}

/// One fact per fitted law, and a grid `id` (`model, statistic, value`) with the same numbers.
fn fits(s: &mut Section, id: &str, fits: &[crate::Fit]) {
    if fits.is_empty() {
        s.facts
            .push(("Fit".into(), "not computed in this run".into()));
        return;
    }
    let mut rows = vec![];
    for f in fits {
        let show = |v: &[(String, f64)]| {
            v.iter()
                .map(|(k, x)| format!("{k} = {}", num(*x)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        s.facts.push((
            f.model.clone(),
            format!("{}; {}", show(&f.params), show(&f.goodness)),
        ));
        for (k, x) in f.params.iter().chain(&f.goodness) {
            rows.push(vec![
                Cell::Text(f.model.clone()),
                Cell::Text(k.clone()),
                Cell::Num(*x),
            ]);
        }
    }
    s.grids.push(Grid {
        id: id.into(),
        caption: "Fits".into(),
        columns: ["model", "statistic", "value"].map(String::from).to_vec(),
        rows,
        bar: None,
    });
}

/// Rank–frequency distribution with its fit.
pub fn zipf(z: &Zipf) -> Section {
    let mut s = Section::new("zipf", ZIPF);
    s.text.push(
        "Frequency of the term at each rank. Zipf's law predicts f(r) ∝ r^(−s) (a straight \
         line on log–log axes). The full table is data/rank_frequency.csv."
            .into(),
    );
    fits(&mut s, "zipf_fits", &z.fits);
    s.charts.extend(z.chart.clone());
    s.grids.push(Grid {
        id: "zipf_points".into(),
        caption: ZIPF.into(),
        columns: vec!["rank".into(), "frequency".into()],
        rows: z
            .points
            .iter()
            .map(|&(r, f)| vec![Cell::Int(r), Cell::Int(f)])
            .collect(),
        bar: None,
    });
    s
}

/// Vocabulary growth with its fit.
pub fn heaps(h: &Heaps) -> Section {
    let mut s = Section::new("heaps", HEAPS);
    s.text.push(
        "Distinct terms seen after each number of tokens. Heaps' law predicts V(N) = K·N^β.".into(),
    );
    fits(&mut s, "heaps_fits", &h.fits);
    s.charts.extend(h.chart.clone());
    s.grids.push(Grid {
        id: "heaps_points".into(),
        caption: HEAPS.into(),
        columns: vec!["tokens".into(), "types".into()],
        rows: h
            .points
            .iter()
            .map(|&(n, v)| vec![Cell::Int(n), Cell::Int(v)])
            .collect(),
        bar: None,
    });
    s
}

/// Lexical diversity measures.
pub fn lexdiv(rows: &[LexdivRow]) -> Section {
    let mut s = Section::new("lexdiv", LEX);
    s.text.push(
        "Measures of the whole corpus (all tokens, in reading order); natural logarithms. TTR \
         falls as a text grows, so compare corpora of similar size or use the \
         length-corrected measures (MATTR, MTLD, HD-D)."
            .into(),
    );
    s.grids.push(Grid {
        id: "lexdiv".into(),
        caption: LEX.into(),
        columns: vec!["measure".into(), "value".into(), "formula".into()],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.measure.clone()),
                    Cell::Num(r.value),
                    Cell::Text(r.formula.clone()),
                ]
            })
            .collect(),
        bar: None,
    });
    s
}

/// How the numbers were computed.
pub fn methods() -> Section {
    let mut s = Section::new(
        "methods",
        "كيف حُسبت هذه الأرقام — How these numbers were computed",
    );
    s.text = [
        "Text is decoded (encoding detected or given), normalized and tokenized with the scheme \
         and normalization listed in the options; a term is a normalized token.",
        "Per million = count / tokens × 1,000,000 (normalised frequency). Tables are ordered by \
         their main measure, descending, then by term in code-point order; the same input \
         gives the same report for any thread count.",
        "Bigrams and trigrams: consecutive word tokens (tokens with a letter or digit) \
         within a sentence (sentence-final punctuation such as . ! ؟ ؛ ends one) and a \
         document; an n-gram that begins or ends with a stop word is left out (as `kalima \
         ngrams --stopwords ar --stopwords-at edge`), one inside it is kept; per million word \
         tokens.",
        "Collocates: for each of the 5 top terms, words within 5 words on either side in the \
         same sentence (as `kalima collocates NODE --window 5`), stop words left out, seen \
         at least twice near the node, the 10 best by logDice (Rychlý 2008).",
        "Keyness: signed log-likelihood G² of Rayson & Garside (2000) and log ratio of \
         Hardie (2014). Dispersion: range, Gries' DP \
         (Gries 2008), DPnorm (Lijffijt & Gries 2012), Juilland's D (Juilland & \
         Chang-Rodríguez 1964).",
        "Zipf: maximum-likelihood fits of Zipf's law (a discrete power law over ranks 1…V) \
         and of the Zipf–Mandelbrot law f(r) ∝ (r + q)^(−s) to all term frequencies \
         (as `kalima zipf --fit`), with the Kolmogorov–Smirnov distance between the fitted and \
         the observed rank distribution. Heaps: V(N) = K·N^β by least squares on log V \
         against log N over the growth curve sampled about 20 times per decade of N (as \
         `kalima heaps --fit`), with R².",
        "Lexical diversity: TTR, Herdan's C, Guiraud's R, Yule's K, Simpson's D, Maas a² and \
         others from the corpus frequency spectrum (Tweedie & Baayen 1998); MATTR over \
         windows of 500 tokens (Covington & McFall 2010), MTLD with threshold 0.72 \
         (McCarthy & Jarvis 2010, both directions), HD-D as the expected TTR of a 42-token \
         sample (McCarthy & Jarvis 2007), as `kalima lexdiv`.",
        "Every table of this page is in data/ as CSV and Parquet.",
    ]
    .map(String::from)
    .to_vec();
    s
}

/// A number for display: integers as is, else 4 significant decimals at most; NaN as "—".
pub fn num(x: f64) -> String {
    if x.is_nan() {
        return "—".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let a = x.abs();
    if a >= 100.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.3}")
    } else {
        format!("{x:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_display() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(f64::NAN), "—");
        assert_eq!(num(0.123456), "0.1235");
        assert_eq!(num(12.34567), "12.346");
        assert_eq!(num(-4321.06), "-4321.1");
        assert_eq!(num(985.6534), "985.7");
    }

    #[test]
    fn absent_parts_keep_their_section_with_the_reason() {
        let d = ReportData::new("t");
        let all = all(&d);
        let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "overview",
                "top-terms",
                "bigrams",
                "trigrams",
                "collocates",
                "keyness",
                "over-time",
                "dispersion",
                "zipf",
                "heaps",
                "lexdiv",
                "methods"
            ]
        );
        assert_eq!(all[2].missing.as_deref(), Some("not computed in this run"));
    }
}
