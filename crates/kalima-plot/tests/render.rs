//! Rendering: determinism, PNG/SVG agreement, no clipping, and OCR read-back of Arabic
//! (tesseract with the Arabic model; skipped with a message when absent unless
//! KALIMA_REQUIRE_TOOLS=1).

use kalima_plot::{
    Digits, Options, Series, SeriesKind, XyOptions, bar, cloud, dispersion, diverging, xy,
};

fn data() -> Vec<(String, f64)> {
    [
        ("الحكومة", 5120.0),
        ("الرياض", 4380.0),
        ("وزارة", 2950.0),
        ("الصحة", 1870.0),
        ("Reuters", 990.0),
    ]
    .iter()
    .map(|(w, v)| (w.to_string(), *v))
    .collect()
}

#[test]
fn same_input_same_bytes() {
    let o = Options {
        title: Some("أكثر الكلمات".into()),
        ..Options::default()
    };
    let a = bar(&data(), &o).unwrap();
    let b = bar(&data(), &o).unwrap();
    assert_eq!(a.svg(), b.svg());
    assert_eq!(a.png(1.0).unwrap(), b.png(1.0).unwrap());
    let c1 = cloud(&data(), 3, &o).unwrap();
    let c2 = cloud(&data(), 3, &o).unwrap();
    assert_eq!(c1.svg(), c2.svg());
    assert_ne!(
        c1.svg(),
        cloud(&data(), 4, &o).unwrap().svg(),
        "the seed changes the layout"
    );
}

#[test]
fn svg_is_self_contained_outlines_and_ltr() {
    let o = Options {
        title: Some("كوفيد-19 في 2020".into()),
        ..Options::default()
    };
    let svg = bar(&data(), &o).unwrap().into_svg();
    assert!(svg.contains("direction=\"ltr\""));
    assert!(!svg.contains("<text"), "text must be outlines, not <text>");
    assert!(!svg.contains("font-family"));
    assert!(svg.trim_end().ends_with("</svg>"));
}

/// Every drawn path stays inside the canvas (no clipped labels), even for a very long label.
#[test]
fn long_labels_are_not_clipped() {
    let mut d = data();
    d.push((
        "كلمةطويلةجداجداجداجداجداجداجداجداجداجداجداجداجداجداجداجدا".into(),
        700.0,
    ));
    for rtl in [true, false] {
        let o = Options {
            rtl,
            width: 800,
            height: 500,
            ..Options::default()
        };
        let svg = bar(&d, &o).unwrap().into_svg();
        for path in svg.split("<path d=\"").skip(1) {
            let d = &path[..path.find('"').unwrap()];
            let nums: Vec<f32> = d
                .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            for xy in nums.chunks(2) {
                assert!(
                    xy[0] >= -0.5 && xy[0] <= 800.5,
                    "x {} outside (rtl {rtl})",
                    xy[0]
                );
                assert!(
                    xy[1] >= -0.5 && xy[1] <= 500.5,
                    "y {} outside (rtl {rtl})",
                    xy[1]
                );
            }
        }
    }
}

#[test]
fn png_has_the_requested_size() {
    let o = Options {
        width: 640,
        height: 360,
        ..Options::default()
    };
    let png = bar(&data(), &o).unwrap().png(2.0).unwrap();
    // IHDR width and height, big-endian, at bytes 16..24.
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1280);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 720);
}

#[test]
fn every_kind_renders_and_empty_input_is_an_error() {
    let o = Options::default();
    let key: Vec<(String, f64)> = data()
        .into_iter()
        .enumerate()
        .map(|(i, (w, v))| (w, if i % 2 == 0 { v } else { -v }))
        .collect();
    diverging(&key, &o).unwrap();
    let pts: Vec<(f64, f64)> = (1..500).map(|r| (r as f64, 1000.0 / r as f64)).collect();
    xy(
        &[Series {
            name: "x".into(),
            points: pts,
            kind: SeriesKind::Points,
        }],
        &XyOptions {
            x_log: true,
            y_log: true,
            x_ticks: None,
        },
        &o,
    )
    .unwrap();
    dispersion(&[("في".into(), vec![0.0, 0.5, 1.0])], &o).unwrap();
    assert!(bar(&[], &o).is_err());
    assert!(cloud(&[], 1, &o).is_err());
    assert!(xy(&[], &XyOptions::default(), &o).is_err());
}

#[test]
fn arabic_digits_with_arabic_separators() {
    // U+066C ARABIC THOUSANDS SEPARATOR, U+066B ARABIC DECIMAL SEPARATOR.
    assert_eq!(Digits::Arabic.format(1234567.0, 0), "١٬٢٣٤٬٥٦٧");
    assert_eq!(Digits::Arabic.format(12.5, 1), "١٢٫٥");
    assert_eq!(Digits::Latin.format(-1234.5, 1), "-1,234.5");
}

/// OCR the PNG with tesseract (Arabic model) and require the top terms to be read back. A
/// chart drawing isolated, left-to-right letters fails this.
#[test]
fn ocr_reads_the_top_terms() {
    let have = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output();
    let ok = matches!(&have, Ok(o) if String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "ara"));
    if !ok {
        if std::env::var("KALIMA_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("tesseract with the Arabic model (tesseract-ocr-ara) is required");
        }
        eprintln!("skipping OCR test: tesseract-ocr + tesseract-ocr-ara not installed");
        return;
    }
    let o = Options {
        title: Some("الكلمات الأكثر تكرارا".into()),
        ..Options::default()
    };
    let png = bar(&data(), &o).unwrap().png(2.0).unwrap();
    let dir = std::env::temp_dir().join(format!("kalima-ocr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("chart.png");
    std::fs::write(&file, png).unwrap();
    let out = std::process::Command::new("tesseract")
        .arg(&file)
        .arg("-")
        .args(["-l", "ara"])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let text = String::from_utf8_lossy(&out.stdout);
    for w in ["الحكومة", "الرياض", "وزارة"] {
        assert!(text.contains(w), "OCR did not read {w:?} in:\n{text}");
    }
}

/// The reference-image tolerance (`compare::ImageDiff::is_same_picture`) is tight enough to
/// catch the two ways tools break Arabic: letters drawn unjoined (isolated forms, as when
/// shaping is skipped; here forced with ZWNJ between letters) and letters in left-to-right
/// order (as when bidi reordering is skipped; here forced by reversing the letters: an
/// override character would be drawn as a visible `‹U+202D›` marker, not applied).
/// A chart compared with itself passes.
#[test]
fn reference_tolerance_catches_unjoined_or_reversed_arabic() {
    use kalima_plot::compare::compare_png;
    let o = Options::default();
    let good = bar(&data(), &o).unwrap().png(1.0).unwrap();
    let unjoined: Vec<(String, f64)> = data()
        .into_iter()
        .map(|(w, v)| {
            let s: Vec<String> = w.chars().map(String::from).collect();
            (s.join("\u{200C}"), v)
        })
        .collect();
    let reversed: Vec<(String, f64)> = data()
        .into_iter()
        .map(|(w, v)| (w.chars().rev().collect::<String>(), v))
        .collect();
    let same = compare_png(&good, &bar(&data(), &o).unwrap().png(1.0).unwrap()).unwrap();
    assert!(same.is_same_picture() && same.mean_abs == 0.0, "{same:?}");
    for (what, broken) in [("unjoined", unjoined), ("reversed", reversed)] {
        let bad = bar(&broken, &o).unwrap().png(1.0).unwrap();
        let d = compare_png(&good, &bad).unwrap();
        eprintln!("{what}: {d:?}");
        assert!(
            !d.is_same_picture(),
            "{what} Arabic passed as the same picture: {d:?}"
        );
    }
}

/// A NaN y breaks a line: the points either side are drawn as two lines, not joined across
/// the gap; a lone point between gaps is still drawn (as a dot).
#[test]
fn nan_breaks_a_line() {
    let line = |points: Vec<(f64, f64)>| {
        let s = [Series {
            name: "a".into(),
            points,
            kind: SeriesKind::Line,
        }];
        xy(&s, &XyOptions::default(), &Options::default())
            .unwrap()
            .into_svg()
    };
    let count = |svg: &str, what: &str| svg.matches(what).count();
    let joined = line(vec![(0.0, 1.0), (1.0, 2.0), (3.0, 2.0), (4.0, 1.0)]);
    let gap = line(vec![
        (0.0, 1.0),
        (1.0, 2.0),
        (2.0, f64::NAN),
        (3.0, 2.0),
        (4.0, 1.0),
    ]);
    assert_eq!(count(&gap, "<polyline"), count(&joined, "<polyline") + 1);
    // Same extent as `joined` (so the same grid): runs [0, 1], [2] and [3, 4].
    let lone = line(vec![
        (0.0, 1.0),
        (1.0, 2.0),
        (1.5, f64::NAN),
        (2.0, 2.0),
        (2.5, f64::NAN),
        (3.0, 1.0),
        (4.0, 1.5),
    ]);
    assert_eq!(count(&lone, "<polyline"), count(&joined, "<polyline") + 1);
    assert_eq!(count(&lone, "<circle"), count(&joined, "<circle") + 1);
    // The axes come from the finite points only.
    assert_eq!(
        count(&line(vec![(0.0, 1.0), (1.0, f64::NAN), (2.0, 3.0)]), "NaN"),
        0
    );
}
