//! The report as Markdown, with the chart files it links to.

use std::fmt::Write;

use crate::ReportData;
use crate::escape::{file_stem, markdown as esc};
use crate::sections::{self, Cell, num};

/// A chart file to write next to the Markdown: `name` is a plain file name (sanitised
/// stem plus `.png` or `.svg`) relative to the folder given to [`markdown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFile {
    /// File name, e.g. `top_terms.png`.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The report as Markdown; charts are linked as `charts_dir/NAME` and returned so the
/// caller writes them there (`charts_dir` is trusted, e.g. `charts`).
pub fn markdown(d: &ReportData, charts_dir: &str) -> (String, Vec<ChartFile>) {
    let mut o = String::with_capacity(1 << 15);
    let mut files = Vec::new();
    let _ = write!(
        o,
        "# {}\n\nتقرير التكرار — frequency report, {}\n\n",
        esc(&d.title),
        esc(&d.generator)
    );
    for s in sections::all(d) {
        let _ = write!(o, "## {}\n\n", esc(&s.title));
        if let Some(why) = &s.missing {
            let _ = write!(o, "*غير متاح — not available: {}*\n\n", esc(why));
            continue;
        }
        for p in &s.text {
            let _ = write!(o, "{}\n\n", esc(p));
        }
        if !s.facts.is_empty() {
            o.push_str("| | |\n|---|---|\n");
            for (k, v) in &s.facts {
                let _ = writeln!(o, "| {} | {} |", esc(k), esc(v));
            }
            o.push('\n');
        }
        for c in &s.charts {
            let stem = file_stem(&c.name);
            let (name, bytes) = match (&c.png, &c.svg) {
                (Some(png), _) => (format!("{stem}.png"), png.clone()),
                (None, Some(svg)) => (format!("{stem}.svg"), svg.clone().into_bytes()),
                (None, None) => continue,
            };
            let _ = write!(o, "![{}]({charts_dir}/{name})\n\n", esc(&c.alt));
            files.push(ChartFile { name, bytes });
        }
        for g in &s.grids {
            let _ = write!(
                o,
                "**{}** (`data/{}.csv`)\n\n",
                esc(&g.caption),
                file_stem(&g.id)
            );
            let _ = writeln!(
                o,
                "| {} |",
                g.columns
                    .iter()
                    .map(|c| esc(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            );
            let _ = writeln!(o, "|{}", "---|".repeat(g.columns.len()));
            for r in &g.rows {
                let cells: Vec<String> = r
                    .iter()
                    .map(|c| match c {
                        Cell::Text(t) => esc(t),
                        Cell::Int(n) => n.to_string(),
                        Cell::Num(x) => esc(&num(*x)),
                    })
                    .collect();
                let _ = writeln!(o, "| {} |", cells.join(" | "));
            }
            o.push('\n');
        }
    }
    (o, files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Chart, RankedRow, RankedTable};

    #[test]
    fn untrusted_text_stays_text_and_chart_names_stay_in_the_folder() {
        let evil = "[click](http://x) <img src=x onerror=alert(1)> | ![i](y)";
        let mut d = ReportData::new(evil);
        d.top_terms = Ok(RankedTable {
            rows: vec![RankedRow {
                term: evil.into(),
                count: 1,
                doc_freq: Some(1),
                per_million: 1.0,
            }],
            chart: Some(Chart {
                name: "../../evil".into(),
                alt: evil.into(),
                svg: None,
                png: Some(vec![1, 2, 3]),
            }),
        });
        let (md, files) = markdown(&d, "charts");
        assert!(!md.contains("http://"));
        assert!(!md.contains("<img"));
        assert!(md.contains(r"\[click\](http\://x) &lt;img"));
        // The cell's pipe is escaped, so the row keeps its 5 columns (6 unescaped pipes).
        let row = md.lines().find(|l| l.starts_with("| 1 |")).unwrap();
        assert_eq!(row.replace(r"\|", "").matches('|').count(), 6);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "______evil.png");
        assert!(md.contains("](charts/______evil.png)"));
    }
}
