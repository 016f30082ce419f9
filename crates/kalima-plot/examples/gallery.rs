//! Writes one PNG (and SVG) of each chart kind from fixed data into the folder given as the
//! first argument (default `.`): `cargo run --release -p kalima-plot --example gallery -- DIR`.

use kalima_plot::{Options, Series, SeriesKind, XyOptions, bar, cloud, dispersion, diverging, xy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let words = [
        ("في", 5120.0),
        ("من", 4380.0),
        ("على", 2950.0),
        ("كوفيد-19 في 2020", 1870.0),
        ("الحكومة", 1320.0),
        ("الرياض", 990.0),
        ("وزارة الصحة", 870.0),
        ("Reuters", 640.0),
        ("الاقتصادية", 512.0),
        ("مُحَمَّد", 430.0),
    ];
    let data: Vec<(String, f64)> = words.iter().map(|(w, v)| (w.to_string(), *v)).collect();
    let opts = Options {
        title: Some("أكثر الكلمات تكراراً".into()),
        subtitle: Some("عدد المرات في العينة".into()),
        source: Some("المصدر: عينة kalima".into()),
        ..Options::default()
    };
    let save = |name: &str, c: kalima_plot::Chart| -> Result<(), Box<dyn std::error::Error>> {
        std::fs::write(dir.join(format!("{name}.png")), c.png(1.0)?)?;
        std::fs::write(dir.join(format!("{name}.svg")), c.svg())?;
        Ok(())
    };
    save("bar", bar(&data, &opts)?)?;
    let key: Vec<(String, f64)> = data
        .iter()
        .enumerate()
        .map(|(i, (w, v))| (w.clone(), if i % 2 == 0 { v / 100.0 } else { -v / 150.0 }))
        .collect();
    save("diverging", diverging(&key, &opts)?)?;
    let pts: Vec<(f64, f64)> = (1..2000)
        .map(|r| (r as f64, 10000.0 / (r as f64).powf(1.05)))
        .collect();
    let fit: Vec<(f64, f64)> = [1.0, 2000.0]
        .iter()
        .map(|r: &f64| (*r, 10000.0 / r.powf(1.0)))
        .collect();
    save(
        "zipf",
        xy(
            &[
                Series {
                    name: "الكلمات".into(),
                    points: pts,
                    kind: SeriesKind::Points,
                },
                Series {
                    name: "Zipf fit".into(),
                    points: fit,
                    kind: SeriesKind::Fit,
                },
            ],
            &XyOptions {
                x_log: true,
                y_log: true,
                x_ticks: None,
            },
            &Options {
                x_label: Some("الرتبة".into()),
                value_label: Some("التكرار".into()),
                ..opts.clone()
            },
        )?,
    )?;
    let disp: Vec<(String, Vec<f64>)> = data
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, (w, _))| {
            (
                w.clone(),
                (0..40)
                    .map(|k| ((k * 37 + i * 11) % 100) as f64 / 100.0)
                    .collect(),
            )
        })
        .collect();
    save("dispersion", dispersion(&disp, &opts)?)?;
    save("cloud", cloud(&data, 7, &opts)?)?;
    Ok(())
}
