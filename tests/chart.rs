//! End-to-end tests of `kalima chart`.

mod common;

use common::{kalima_run, sample};

fn out(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).to_string_lossy().into_owned()
}

#[test]
fn every_wired_kind_writes_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let reference = out(&dir, "reference.txt");
    std::fs::write(
        &reference,
        "قال الرئيس إن الاقتصاد ينمو. وقال الوزير إن الحكومة تعمل في المدينة.\n",
    )
    .unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["freq", &s, "--stopwords", "ar", "--top", "12"],
        vec!["cloud", &s, "--stopwords", "ar", "--seed", "3"],
        vec!["zipf", &s],
        vec!["heaps", &s],
        vec!["dispersion", "مصر", "الحكومة", &s],
        vec!["ngrams", "-n", "2", &s, "--stopwords", "ar", "--top", "10"],
        vec!["collocates", "في", &s, "--window", "3", "--top", "10"],
        vec!["keyness", &s, "--reference", &reference, "--top", "5"],
    ];
    for (i, c) in cases.iter().enumerate() {
        for ext in ["png", "svg"] {
            let o = out(&dir, &format!("{i}.{ext}"));
            let mut args = vec!["chart"];
            args.extend(c.iter().copied());
            args.extend(["-o", &o, "-q"]);
            let r = kalima_run(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            let bytes = std::fs::read(&o).unwrap();
            if ext == "png" {
                assert_eq!(&bytes[1..4], b"PNG");
            } else {
                assert!(bytes.starts_with(b"<svg"));
            }
        }
    }
}

#[test]
fn same_input_same_bytes_any_threads() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let (a, b) = (out(&dir, "a.png"), out(&dir, "b.png"));
    for (o, j) in [(&a, "1"), (&b, "4")] {
        let r = kalima_run(&[
            "chart",
            "freq",
            &s,
            "-o",
            o,
            "-j",
            j,
            "-q",
            "--title",
            "أكثر الكلمات",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn bad_usage_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let r = kalima_run(&["chart", "freq", &s, "-o", &out(&dir, "x.jpg")]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(".png or .svg"));
    let r = kalima_run(&["chart", "dispersion", &s, "-o", &out(&dir, "x.png")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("TERM"), "{}", r.stderr);
    // no dates in the sample: a clear error, not an empty chart
    let r = kalima_run(&["chart", "timeline", "مصر", &s, "-o", &out(&dir, "t.png")]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("date"), "{}", r.stderr);
    assert!(!dir.path().join("t.png").exists());
}

/// The top terms of the sample are read back by OCR from the PNG.
#[test]
fn ocr_reads_back_the_top_terms_of_the_sample() {
    let have = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output();
    let ok = matches!(&have, Ok(o) if String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == "ara"));
    if !ok {
        assert_ne!(
            std::env::var("KALIMA_REQUIRE_TOOLS").as_deref(),
            Ok("1"),
            "tesseract-ocr-ara required"
        );
        eprintln!("skipping: tesseract-ocr + tesseract-ocr-ara not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    let png = out(&dir, "f.png");
    let r = kalima_run(&[
        "chart",
        "freq",
        &s,
        "--stopwords",
        "ar",
        "--top",
        "8",
        "--scale",
        "2",
        "-o",
        &png,
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let csv = kalima_run(&[
        "freq",
        &s,
        "--stopwords",
        "ar",
        "--drop-punct",
        "--top",
        "3",
        "--format",
        "csv",
    ]);
    let top: Vec<String> = csv
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let ocr = std::process::Command::new("tesseract")
        .arg(&png)
        .arg("-")
        // One block of text: the bar labels and counts form rows that tesseract's automatic
        // page segmentation (psm 3) splits into separate columns and partly drops.
        .args(["-l", "ara", "--psm", "6"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&ocr.stdout);
    for t in &top {
        assert!(
            text.contains(t.as_str()),
            "OCR did not read top term {t:?} in:\n{text}"
        );
    }
}

#[test]
fn statistics_kinds_same_bytes_any_threads_and_need_their_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample().to_string_lossy().into_owned();
    for kind in [vec!["ngrams", "-n", "2"], vec!["collocates", "في"]] {
        let (a, b) = (out(&dir, "a.svg"), out(&dir, "b.svg"));
        for (o, j) in [(&a, "1"), (&b, "3")] {
            let mut args = vec!["chart"];
            args.extend(kind.iter().copied());
            args.extend([s.as_str(), "-o", o, "-j", j, "-q"]);
            let r = kalima_run(&args);
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        }
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{kind:?}"
        );
    }
    let o = out(&dir, "k.png");
    let r = kalima_run(&["chart", "keyness", &s, "-o", &o, "-q"]);
    assert_eq!(r.code, 2, "keyness without --reference: {}", r.stderr);
    assert!(r.stderr.contains("--reference"), "{}", r.stderr);
    let r = kalima_run(&["chart", "collocates", "كلمةغيرموجودة", &s, "-o", &o, "-q"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("does not occur"), "{}", r.stderr);
}
