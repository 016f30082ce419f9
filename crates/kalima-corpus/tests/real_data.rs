//! The shared corpora (`<workspace>/../shared/data` or `$KALIMA_SHARED_DATA`); each test skips
//! with a message when the data is absent, and fails instead under `KALIMA_REQUIRE_DATA=1` (CI).

mod common;

use common::*;
use kalima_corpus::{Format, ReadOptions};

/// Reads a shared archive with metadata kept and asserts it read without error; returns the run
/// and the archive's path, or `None` (with a message) when ../shared/data is absent.
fn read_shared_archive(what: &str, rel: &str) -> Option<(Run, std::path::PathBuf)> {
    let data = shared_data(what)?;
    let opts = ReadOptions {
        keep_meta: true,
        ..ReadOptions::default()
    };
    let path = data.join(rel);
    let run = read_paths(&[&path], opts);
    assert!(
        run.errors.is_empty(),
        "{:?}",
        &run.error_lines()[..run.errors.len().min(5)]
    );
    Some((run, path))
}

#[test]
fn ant_tar_yields_31525_trec_documents() {
    let Some((run, _)) = read_shared_archive(
        "the ANT corpus test",
        "ant_multisource/ant_multisource_v2.1.tar.xz",
    ) else {
        return;
    };
    assert!(
        run.notes.is_empty(),
        "{:?}",
        &run.note_lines()[..run.notes.len().min(5)]
    );
    assert_eq!(run.docs.len(), 31_525);
    assert!(
        run.docs
            .iter()
            .all(|d| d.chunks[0].source.format == Format::Trec)
    );
    // The README: 2 articles have an empty <TEXT>.
    assert_eq!(run.docs.iter().filter(|d| d.text.is_empty()).count(), 2);
    let first = &run.docs[0];
    assert!(
        first
            .path
            .contains("ant_multisource_v2.1.tar.xz:ant_multisource/Alarabia/culture/")
    );
    let name = first.name.as_deref().unwrap();
    assert!(name.starts_with("AL-culture-"), "{name}");
    assert!(first.meta.iter().any(|(k, v)| k == "SRC" && !v.is_empty()));
    assert!(first.meta.iter().any(|(k, v)| k == "CAT" && v == "culture"));
    // DOCNO matches the member's file name.
    for d in &run.docs {
        let stem = d.path.rsplit('/').next().unwrap().trim_end_matches(".txt");
        assert_eq!(d.name.as_deref(), Some(stem));
    }
}

#[test]
fn saudinewsnet_tar_yields_31030_records() {
    let Some((run, tar)) = read_shared_archive(
        "the SaudiNewsNet test",
        "saudinewsnet/saudinewsnet_2015.tar.xz",
    ) else {
        return;
    };
    assert_eq!(run.docs.len(), 31_030);
    // The README: 354 articles have an empty content (no words: 133 empty strings and 221
    // of whitespace only, as Python's json module reads them too).
    assert_eq!(run.docs.iter().filter(|d| d.text.is_empty()).count(), 133);
    assert_eq!(
        run.docs.iter().filter(|d| d.text.trim().is_empty()).count(),
        354
    );
    let d = &run.docs[0];
    assert_eq!(
        d.path,
        format!("{}:saudinewsnet/2015-07-21.json", tar.display())
    );
    assert!(d.name.as_deref().unwrap().starts_with("http"));
    for key in ["source", "date_extracted", "title", "url"] {
        assert!(
            d.meta.iter().any(|(k, _)| k == key),
            "{key} in {:?}",
            d.meta
        );
    }
}

#[test]
fn ud_pud_half_has_199_documents() {
    let Some(data) = shared_data("the UD PUD test") else {
        return;
    };
    let f = data.join("ud_arabic_pud/ar_pud-ud-test.shared-half.conllu");
    let run = read_paths(&[&f], ReadOptions::default());
    assert!(run.errors.is_empty() && run.notes.is_empty());
    assert_eq!(run.docs.len(), 199);
    let sentences: usize = run.docs.iter().map(|d| d.text.lines().count()).sum();
    assert_eq!(sentences, 505);
}

#[test]
fn padt_dev_is_one_document_of_786_sentences() {
    let Some(data) = shared_data("the PADT test") else {
        return;
    };
    let f = data.join("padt/ar-ud-dev.r1.2.conllu");
    let run = read_paths(&[&f], ReadOptions::default());
    assert!(run.errors.is_empty());
    assert_eq!(run.docs.len(), 1);
    assert_eq!(run.docs[0].text.lines().count(), 786);
    // No `# text` lines in this old release: FORM was used, with a note.
    assert_eq!(run.notes.len(), 1);
}

#[test]
fn tanzil_text_is_read_verbatim() {
    let Some(data) = shared_data("the Tanzil test") else {
        return;
    };
    let f = data.join("tanzil_quran/quran-simple-clean.txt");
    let bytes = std::fs::read(&f).unwrap();
    let run = read_paths(&[&f], chunked(64 * 1024));
    assert_eq!(run.docs.len(), 1);
    assert_eq!(run.docs[0].text.as_bytes(), &bytes[..]);
    assert!(run.docs[0].chunks.len() > 10);
}
