//! The self-contained right-to-left HTML page.

use std::fmt::Write;

use crate::ReportData;
use crate::escape::{base64, html as esc};
use crate::sections::{self, Cell, Grid, Section, num};

/// Noto Sans Arabic (SIL Open Font License 1.1, the files kalima-plot embeds; see
/// data/fonts/README.md), inlined whole as `data:` fonts so Arabic renders the same without
/// any system font.
const FONT_REGULAR: &[u8] = include_bytes!("../../../data/fonts/NotoSansArabic-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../../data/fonts/NotoSansArabic-Bold.ttf");

/// `@font-face` rules for the inlined fonts (family `KalimaArabic`).
fn font_faces() -> String {
    let face = |w: u32, b: &[u8]| {
        format!(
            "@font-face{{font-family:\"KalimaArabic\";font-weight:{w};font-style:normal;\
             src:url(data:font/ttf;base64,{}) format(\"truetype\")}}\n",
            base64(b)
        )
    };
    face(400, FONT_REGULAR) + &face(700, FONT_BOLD)
}

/// Inline style: the inlined Arabic font (system fonts only as fallback), RTL, readable on a phone (tables scroll sideways),
/// printable (no inputs, no broken rows, black on white).
const CSS: &str = r#"
:root{--fg:#1b1b1b;--muted:#5b5b5b;--line:#d8d8d8;--bar:#2f6f8f;--bg:#fff;--head:#f3f1ec}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;color:var(--fg);background:var(--bg);
font:16px/1.6 "KalimaArabic","Noto Naskh Arabic","Noto Sans Arabic","Amiri","Geeza Pro","Segoe UI","Tahoma",sans-serif}
h1{font-size:1.8rem;margin:.5rem 0}h2{font-size:1.35rem;border-bottom:2px solid var(--line);margin-top:2.2rem}
header p,.muted{color:var(--muted)}
nav ol{columns:2 14rem;padding:0 1.2rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.wrap{overflow-x:auto;margin:.6rem 0}
table{border-collapse:collapse;min-width:50%}
caption{text-align:start;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid var(--line);padding:.25rem .6rem;text-align:start;vertical-align:top}
th{background:var(--head);position:sticky;top:0}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
th[aria-sort]{cursor:pointer}th[aria-sort]::after{content:" ↕";color:var(--muted)}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.bar{display:inline-block;height:.7rem;background:var(--bar);margin:0 .4rem;vertical-align:middle}
input[type=search]{font:inherit;padding:.2rem .4rem;margin:.3rem 0;width:min(100%,20rem)}
figure{margin:1rem 0}figure svg,figure img{max-width:100%;height:auto}
.missing{color:var(--muted);font-style:italic}
@media print{input,nav{display:none}th{position:static}tr{break-inside:avoid}h2{break-after:avoid}body{max-width:none}}
"#;

/// Sortable (click a header) and filterable (type in the box) tables; without JS the
/// tables are plain and complete, and the filter boxes stay hidden.
const JS: &str = r#"
document.querySelectorAll("table.sortable").forEach(function(t){
 var b=t.tBodies[0],q=document.getElementById("q-"+t.id);
 if(q){q.hidden=false;q.addEventListener("input",function(){var s=q.value.trim().toLowerCase();
  Array.prototype.forEach.call(b.rows,function(r){r.hidden=s!==""&&r.textContent.toLowerCase().indexOf(s)<0;});});}
 Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h,i){h.setAttribute("aria-sort","none");
  h.addEventListener("click",function(){var up=h.getAttribute("aria-sort")!=="ascending",n=h.classList.contains("n");
   Array.prototype.forEach.call(t.tHead.rows[0].cells,function(o){o.setAttribute("aria-sort","none");});
   h.setAttribute("aria-sort",up?"ascending":"descending");
   var rows=Array.prototype.slice.call(b.rows);
   rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i];var r=n?(parseFloat(a.dataset.v)||0)-(parseFloat(c.dataset.v)||0):a.textContent.localeCompare(c.textContent,"ar");return up?r:-r;});
   rows.forEach(function(r){b.appendChild(r);});});});
});
"#;

/// The report as one self-contained HTML page.
pub fn html(d: &ReportData) -> String {
    let sections = sections::all(d);
    let mut o = String::with_capacity(1 << 16);
    let title = esc(&d.title);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; font-src data:\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>{title}</title>\n<style>{}{CSS}</style>\n\
         </head>\n<body>\n<header>\n<h1><bdi>{title}</bdi></h1>\n<p>تقرير التكرار — <bdi>frequency \
         report, {}</bdi></p>\n</header>\n<nav aria-label=\"المحتويات\">\n<ol>\n",
        esc(&d.generator),
        font_faces(),
        esc(&d.generator),
    );
    for s in &sections {
        let _ = writeln!(o, "<li><a href=\"#{}\">{}</a></li>", s.id, esc(&s.title));
    }
    o.push_str("</ol>\n</nav>\n<main>\n");
    for s in &sections {
        section(&mut o, s);
    }
    let _ = write!(o, "</main>\n<script>{JS}</script>\n</body>\n</html>\n");
    o
}

fn section(o: &mut String, s: &Section) {
    let _ = write!(o, "<section id=\"{}\">\n<h2>{}</h2>\n", s.id, esc(&s.title));
    if let Some(why) = &s.missing {
        let _ = write!(
            o,
            "<p class=\"missing\">غير متاح — not available: <bdi>{}</bdi></p>\n</section>\n",
            esc(why)
        );
        return;
    }
    for p in &s.text {
        let _ = writeln!(o, "<p dir=\"auto\">{}</p>", esc(p));
    }
    if !s.facts.is_empty() {
        o.push_str("<dl class=\"facts\">\n");
        for (k, v) in &s.facts {
            let _ = writeln!(o, "<dt>{}</dt><dd><bdi>{}</bdi></dd>", esc(k), esc(v));
        }
        o.push_str("</dl>\n");
    }
    for c in &s.charts {
        o.push_str("<figure>\n");
        if let Some(svg) = &c.svg {
            // HTML parses inline <svg> into the SVG namespace without xmlns; leaving the
            // namespace URL out keeps the page free of any http address.
            o.push_str(&svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1));
            o.push('\n');
        } else if let Some(png) = &c.png {
            let _ = writeln!(
                o,
                "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
                esc(&c.alt),
                base64(png)
            );
        }
        let _ = writeln!(o, "<figcaption>{}</figcaption>\n</figure>", esc(&c.alt));
    }
    for g in &s.grids {
        grid(o, g);
    }
    o.push_str("</section>\n");
}

fn grid(o: &mut String, g: &Grid) {
    let id = format!("t-{}", crate::escape::file_stem(&g.id));
    let numeric: Vec<bool> = (0..g.columns.len())
        .map(|i| {
            !g.rows.is_empty()
                && g.rows
                    .iter()
                    .all(|r| !matches!(r.get(i), Some(Cell::Text(_))))
        })
        .collect();
    let max_bar = g.bar.map_or(0.0, |b| {
        g.rows
            .iter()
            .filter_map(|r| value(r.get(b)?))
            .fold(
                0.0f64,
                |m, x| if x.is_finite() { m.max(x.abs()) } else { m },
            )
    });
    let _ = write!(
        o,
        "<input type=\"search\" id=\"q-{id}\" placeholder=\"تصفية — filter\" \
         aria-label=\"filter {}\" hidden>\n<div class=\"wrap\">\n<table id=\"{id}\" \
         class=\"sortable\">\n<caption><bdi>{}</bdi></caption>\n<thead><tr>",
        esc(&g.id),
        esc(&g.caption)
    );
    for (i, c) in g.columns.iter().enumerate() {
        let cls = if numeric[i] { " class=\"n\"" } else { "" };
        let _ = write!(o, "<th scope=\"col\"{cls}><bdi>{}</bdi></th>", esc(c));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &g.rows {
        o.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            match c {
                Cell::Text(t) => {
                    let _ = write!(o, "<td><bdi>{}</bdi></td>", esc(t));
                }
                Cell::Int(n) => {
                    let _ = write!(o, "<td class=\"n\" data-v=\"{n}\">{n}");
                    bar(o, g.bar == Some(i), *n as f64, max_bar);
                    o.push_str("</td>");
                }
                Cell::Num(x) => {
                    let v = if x.is_finite() {
                        x.to_string()
                    } else {
                        String::new()
                    };
                    let _ = write!(o, "<td class=\"n\" data-v=\"{v}\" dir=\"ltr\">{}", num(*x));
                    bar(o, g.bar == Some(i), *x, max_bar);
                    o.push_str("</td>");
                }
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</div>\n");
}

fn value(c: &Cell) -> Option<f64> {
    match c {
        Cell::Int(n) => Some(*n as f64),
        Cell::Num(x) => Some(*x),
        Cell::Text(_) => None,
    }
}

fn bar(o: &mut String, on: bool, x: f64, max: f64) {
    if on && max > 0.0 && x.is_finite() {
        let w = (x.abs() / max * 8.0).max(0.05);
        let _ = write!(o, "<span class=\"bar\" style=\"width:{w:.2}rem\"></span>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KeynessRow, KeynessTable, RankedRow, RankedTable, Skipped};

    fn evil_data() -> ReportData {
        let evil = r#"<script>alert(1)</script>"><img src=x onerror=alert(2)>"#;
        let mut d = ReportData::new(evil);
        d.overview.skipped.push(Skipped {
            path: evil.into(),
            reason: "<b>bad</b>".into(),
        });
        d.overview.options.push(("--title".into(), evil.into()));
        d.top_terms = Ok(RankedTable {
            rows: vec![RankedRow {
                term: evil.into(),
                count: 2,
                doc_freq: Some(1),
                per_million: 1.0,
            }],
            chart: None,
        });
        d.keyness = Ok(vec![KeynessTable {
            target: evil.into(),
            reference: "rest".into(),
            target_tokens: 1,
            reference_tokens: 1,
            rows: vec![KeynessRow {
                term: evil.into(),
                target_freq: 1,
                reference_freq: 0,
                log_likelihood: 1.0,
                log_ratio: 1.0,
            }],
        }]);
        d.lexdiv = Err(evil.into());
        d
    }

    #[test]
    fn untrusted_text_never_becomes_markup() {
        let page = html(&evil_data());
        // The only <script> element is ours, at the end, and no <img> exists at all.
        assert_eq!(page.matches("<script").count(), 1);
        assert!(page.trim_end().ends_with("</script>\n</body>\n</html>"));
        assert!(!page.contains("<img"));
        assert!(!page.contains("<b>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"));
    }

    #[test]
    fn page_is_rtl_self_contained_and_sortable() {
        let page = html(&evil_data());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"));
        for bad in ["http://", "https://", "src=\"//", "@import"] {
            assert!(!page.contains(bad), "{bad}");
        }
        // The only url()s are the inlined fonts.
        assert_eq!(page.matches("url(").count(), 2);
        assert_eq!(page.matches("url(data:font/ttf;base64,").count(), 2);
        assert!(page.contains("<table id=\"t-top_terms\" class=\"sortable\">"));
        assert!(page.contains("<input type=\"search\" id=\"q-t-top_terms\""));
        // Numeric cells carry their raw value for sorting.
        assert!(page.contains("<td class=\"n\" data-v=\"2\">2"));
    }

    #[test]
    fn charts_are_inlined_with_escaped_alt_text() {
        let mut d = ReportData::new("t");
        d.top_terms = Ok(RankedTable {
            rows: vec![],
            chart: Some(crate::Chart {
                name: "top".into(),
                alt: "<x>".into(),
                svg: None,
                png: Some(b"foo".to_vec()),
            }),
        });
        d.zipf = Ok(crate::Zipf {
            points: vec![(1, 9)],
            fits: vec![],
            chart: Some(crate::Chart {
                name: "zipf".into(),
                alt: "zipf".into(),
                svg: Some("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".into()),
                png: None,
            }),
        });
        let page = html(&d);
        // RFC 4648: base64("foo") = "Zm9v".
        assert!(page.contains("<img alt=\"&lt;x&gt;\" src=\"data:image/png;base64,Zm9v\">"));
        assert!(page.contains("<figure>\n<svg></svg>"));
    }

    #[test]
    fn ids_are_unique() {
        let page = html(&evil_data());
        let mut ids: Vec<&str> = page
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
