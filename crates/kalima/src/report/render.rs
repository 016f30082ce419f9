//! The report as files in memory: the page, the Markdown with its charts, the data tables.

use kalima_frame::Table;
use kalima_plot::{Series, SeriesKind, XyOptions};
use kalima_report::sections::{self, Cell, Grid};
use kalima_report::{Overview, RankedTable};
use kalima_stats::per_million;

use super::ReportData;
use crate::Observer;
use crate::chart::ChartData;
use crate::time::{break_gaps, period_positions, period_ticks};
use crate::zipf::expected_frequencies;

/// A rendered report: what goes into its folder.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `index.html`: the self-contained page.
    pub html: String,
    /// `report.md`.
    pub markdown: String,
    /// The chart files the Markdown links to (`charts/NAME`).
    pub charts: Vec<kalima_report::ChartFile>,
    /// Every table of the report as `(file stem, table)`, for `data/STEM.csv` and
    /// `data/STEM.parquet`: the tables of the sections, the overview, and the full
    /// rank–frequency table.
    pub tables: Vec<(String, Table)>,
}

/// Draw the charts and render the page, the Markdown and the tables of `data`. A chart
/// that cannot be drawn is left out (its table stays), told to `notes`.
pub fn render(data: &ReportData, notes: &dyn Observer) -> Rendered {
    let mut page = data.sections.clone();
    add_charts(&mut page, data, notes);
    let mut tables: Vec<(String, Table)> = sections::all(&page)
        .into_iter()
        .flat_map(|s| s.grids)
        .chain([overview_grid(&page.overview)])
        .map(|g| (kalima_report::escape::file_stem(&g.id), grid_table(&g)))
        .collect();
    tables.push(("rank_frequency".into(), rank_frequency(data)));
    let (markdown, charts) = kalima_report::markdown(&page, "charts");
    Rendered {
        html: kalima_report::html(&page),
        markdown,
        charts,
        tables,
    }
}

/// The full rank–frequency table, for Zipf fits elsewhere.
fn rank_frequency(data: &ReportData) -> Table {
    let all = &data.rank_frequency;
    let mut rf = Table::new();
    rf.push_u64("rank", (1..=all.len() as u64).collect())
        .push_str("term", all.iter().map(|r| r.term.clone()).collect())
        .push_u64("count", all.iter().map(|r| r.count).collect())
        .push_u64("doc_freq", all.iter().map(|r| r.doc_freq).collect())
        .push_f64(
            "per_million",
            all.iter()
                .map(|r| per_million(r.count, data.tokens))
                .collect(),
        );
    rf
}

/// A report chart: SVG for the page, PNG for the Markdown. A chart that cannot be drawn is
/// left out with a note (an empty one silently).
fn chart(
    name: &str,
    title: &str,
    data: &ChartData,
    notes: &dyn Observer,
) -> Option<kalima_report::Chart> {
    let opts = kalima_plot::Options {
        title: Some(title.into()),
        ..kalima_plot::Options::default()
    };
    let made = data
        .plot(&opts)
        .and_then(|c| Ok((c.png(1.0)?, c.into_svg())));
    match made {
        Ok((png, svg)) => Some(kalima_report::Chart {
            name: name.into(),
            alt: title.into(),
            svg: Some(svg),
            png: Some(png),
        }),
        Err(e) => {
            if !matches!(e, kalima_plot::Error::Empty(_)) {
                notes.note(&format!("chart {name} left out: {e}"));
            }
            None
        }
    }
}

/// Bars of the first rows of a ranked table.
fn ranked_chart(
    t: &mut Result<RankedTable, String>,
    name: &str,
    title: &str,
    n: usize,
    notes: &dyn Observer,
) {
    if let Ok(t) = t {
        let bars = ChartData::Bars {
            bars: t
                .rows
                .iter()
                .take(n)
                .map(|r| (r.term.clone(), r.count as f64))
                .collect(),
            value_label: Some("التكرار — count".into()),
        };
        t.chart = chart(name, title, &bars, notes);
    }
}

fn xy(series: Vec<Series>, axes: XyOptions, x: Option<&str>, value: &str) -> ChartData {
    ChartData::Xy {
        series,
        axes,
        x_label: x.map(String::from),
        value_label: Some(value.into()),
    }
}

/// Every chart of the report, the top terms' bar chart first.
fn add_charts(page: &mut kalima_report::ReportData, data: &ReportData, notes: &dyn Observer) {
    if data.spill_runs > 0 {
        notes.note(&format!(
            "the counts outgrew --max-memory: merged {} sorted runs from temporary files",
            data.spill_runs
        ));
    }
    let all = &data.rank_frequency;
    let title = "الكلمات الأكثر تكرارًا — top terms";
    ranked_chart(&mut page.top_terms, "top_terms", title, 20, notes);
    let title = "الثنائيات الأكثر تكرارًا — top bigrams";
    ranked_chart(&mut page.bigrams, "bigrams", title, 15, notes);
    let title = "الثلاثيات الأكثر تكرارًا — top trigrams";
    ranked_chart(&mut page.trigrams, "trigrams", title, 15, notes);
    if let Ok(t) = &mut page.over_time {
        let keys: Vec<&str> = t.rows.iter().map(|r| r.0.as_str()).collect();
        let xs = period_positions(&keys);
        let series = t
            .terms
            .iter()
            .enumerate()
            .map(|(j, term)| Series {
                name: term.clone(),
                points: break_gaps(t.rows.iter().zip(&xs).map(|(r, &x)| (x, r.2[j]))),
                kind: SeriesKind::Line,
            })
            .collect();
        let ticks = period_ticks(&keys, &xs, 12)
            .into_iter()
            .map(|(x, k)| (x, k.to_string()))
            .collect();
        let axes = XyOptions {
            x_ticks: Some(ticks),
            ..XyOptions::default()
        };
        let title = "الكلمات عبر الزمن — terms over time";
        let d = xy(series, axes, None, "لكل مليون — per million");
        t.chart = chart("over_time", title, &d, notes);
    }
    let log = XyOptions {
        x_log: true,
        y_log: true,
        x_ticks: None,
    };
    if let Ok(z) = &mut page.zipf {
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
        let v = all.len() as u64;
        if let Some(s) = z
            .fits
            .first()
            .and_then(|f| f.params.first())
            .map(|p| p.1)
            .filter(|s| s.is_finite())
        {
            let expected = expected_frequencies(n, v, s, 0.0, ranks.iter().map(|&r| r as u64));
            series.push(Series {
                name: format!("Zipf s = {}", sections::num(s)),
                points: ranks.iter().map(|&r| r as f64).zip(expected).collect(),
                kind: SeriesKind::Fit,
            });
        }
        let title = "قانون زيف — Zipf: rank and frequency";
        let d = xy(
            series,
            log.clone(),
            Some("الرتبة — rank"),
            "التكرار — frequency",
        );
        z.chart = chart("zipf", title, &d, notes);
    }
    if let Ok(h) = &mut page.heaps {
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
        let d = xy(series, log, Some("الرموز — tokens"), "الأنواع — types");
        h.chart = chart("heaps", title, &d, notes);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_columns_take_the_type_of_their_first_cell() {
        let g = Grid {
            id: "x".into(),
            caption: String::new(),
            columns: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![
                vec![Cell::Int(1), Cell::Num(0.5), Cell::Text("t".into())],
                vec![Cell::Int(2), Cell::Int(3), Cell::Num(1.5)],
            ],
            bar: None,
        };
        use kalima_frame::ColumnData;
        let t = grid_table(&g);
        assert_eq!(t.column("a"), Some(&ColumnData::U64(vec![1, 2])));
        assert_eq!(t.column("b"), Some(&ColumnData::F64(vec![0.5, 3.0])));
        assert_eq!(
            t.column("c"),
            Some(&ColumnData::Str(vec!["t".into(), "1.5".into()]))
        );
    }
}
