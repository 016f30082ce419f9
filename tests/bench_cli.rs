//! End-to-end tests of `kalima bench`.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{csv_text_rows as rows, kalima_run, sample};

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row.get(col)
        .unwrap_or_else(|| panic!("no column {col}"))
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

fn tmp_file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Whitespace-separated words, tokens and split words on a tiny corpus, counted by hand.
#[test]
fn tiny_corpus_counted_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    // Two documents. Doc 1: "قال الولد: نعم." → words scheme: قال الولد : نعم . (5 tokens,
    // 3 whitespace words, 2 of them split). Doc 2: "كتب  الدرس،\nثم نام" → كتب الدرس ، ثم نام
    // (5 tokens, 4 words, 1 split). Total: 10 tokens, 7 words, 3 split words.
    tmp_file(&dir, "a.txt", "قال الولد: نعم.");
    tmp_file(&dir, "b.txt", "كتب  الدرس،\nثم نام");
    let out = kalima_run(&[
        "bench",
        dir.path().to_str().unwrap(),
        "-t",
        "words,whitespace",
        "--train-fraction",
        "0",
        "--no-timing",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = rows(&out.stdout);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0]["tokenizer"], "words");
    assert_eq!(num(&r[0], "test_words"), 7.0);
    assert_eq!(num(&r[0], "test_tokens"), 10.0);
    assert_eq!(num(&r[0], "fertility"), 10.0 / 7.0);
    assert_eq!(num(&r[0], "split_word_rate"), 3.0 / 7.0);
    // Characters: doc 1 has 15, doc 2 has 18 → 33 characters over 10 tokens.
    assert_eq!(num(&r[0], "chars_per_token"), 3.3);
    assert_eq!(num(&r[0], "round_trip_rate"), 1.0);
    assert_eq!(r[1]["tokenizer"], "whitespace");
    assert_eq!(num(&r[1], "fertility"), 1.0);
    assert_eq!(num(&r[1], "split_word_rate"), 0.0);
    // No training part: no vocabulary, no out-of-vocabulary count.
    assert_eq!(num(&r[1], "vocab_size"), 0.0);
    assert!(!out.stdout.contains("mb_per_s"));
}

/// The table does not depend on the thread count; trained BPE round-trips exactly.
#[test]
fn same_table_for_any_thread_count_and_bpe_round_trips() {
    let s = sample();
    let run = |j: &str| {
        kalima_run(&[
            "bench",
            s.to_str().unwrap(),
            "-t",
            "words@light,camel,bpe:500,wordpiece:500,unigram:400",
            "--train-fraction",
            "0.3",
            "--seed",
            "7",
            "--no-timing",
            "--format",
            "csv",
            "-q",
            "-j",
            j,
        ])
    };
    let (a, b) = (run("1"), run("2"));
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    let r = rows(&a.stdout);
    let names: Vec<&str> = r.iter().map(|x| x["tokenizer"].as_str()).collect();
    assert_eq!(
        names,
        [
            "words@light",
            "camel",
            "bpe:500",
            "wordpiece:500",
            "unigram:400"
        ]
    );
    let bpe = &r[2];
    assert_eq!(num(bpe, "round_trip_rate"), 1.0);
    assert_eq!(num(bpe, "unk_rate"), 0.0);
    assert!(num(bpe, "vocab_size") <= 500.0);
    // A 500-entry BPE cuts Arabic words into more pieces than a word tokenizer.
    assert!(num(bpe, "fertility") > num(&r[1], "fertility"));
    // Words unseen in training are out of vocabulary for the word scheme.
    let oov = num(&r[0], "unk_rate");
    assert!(oov > 0.0 && oov < 1.0, "{oov}");
    // Another seed gives another split.
    let c = kalima_run(&[
        "bench",
        s.to_str().unwrap(),
        "-t",
        "words",
        "--train-fraction",
        "0.3",
        "--seed",
        "8",
        "--no-timing",
        "--format",
        "csv",
        "-q",
    ]);
    let d = kalima_run(&[
        "bench",
        s.to_str().unwrap(),
        "-t",
        "words",
        "--train-fraction",
        "0.3",
        "--seed",
        "7",
        "--no-timing",
        "--format",
        "csv",
        "-q",
    ]);
    assert_ne!(
        rows(&c.stdout)[0]["test_bytes"],
        rows(&d.stdout)[0]["test_bytes"]
    );
}

/// Gold agreement on a hand-made CoNLL-U file, checked by hand.
#[test]
fn gold_scores_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = tmp_file(&dir, "c.txt", "نص للتجربة فقط");
    // Sentence: "وبالقلم كتب." gold words: و ب القلم كتب .
    let gold = tmp_file(
        &dir,
        "g.conllu",
        "# text = وبالقلم كتب.\n\
         1-3\tوبالقلم\t_\t_\t_\t_\t_\t_\t_\t_\n\
         1\tو\t_\t_\t_\t_\t_\t_\t_\t_\n\
         2\tب\t_\t_\t_\t_\t_\t_\t_\t_\n\
         3\tالقلم\t_\t_\t_\t_\t_\t_\t_\t_\n\
         4\tكتب\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n\
         5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n",
    );
    let out = kalima_run(&[
        "bench",
        corpus.to_str().unwrap(),
        "-t",
        "words,whitespace",
        "--gold",
        gold.to_str().unwrap(),
        "--train-fraction",
        "0",
        "--no-timing",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = rows(&out.stdout);
    // words: وبالقلم | كتب | . → 3 tokens; gold 5 words; matches: كتب and "." → P 2/3, R 2/5.
    assert_eq!(num(&r[0], "gold_words"), 5.0);
    assert_eq!(num(&r[0], "gold_fertility"), 3.0 / 5.0);
    assert_eq!(num(&r[0], "word_precision"), 2.0 / 3.0);
    assert_eq!(num(&r[0], "word_recall"), 2.0 / 5.0);
    // Internal boundaries: words has {كتب|.}; gold has و|ب, ب|القلم, كتب|. → P 1, R 1/3.
    assert_eq!(num(&r[0], "boundary_precision"), 1.0);
    assert_eq!(num(&r[0], "boundary_recall"), 1.0 / 3.0);
    // whitespace: وبالقلم | كتب. → no word matches, no internal boundary.
    assert_eq!(num(&r[1], "word_precision"), 0.0);
    assert_eq!(num(&r[1], "boundary_recall"), 0.0);
    assert_eq!(r[1]["boundary_precision"], "NaN");
}

#[test]
fn tiktoken_round_trips_and_timing_columns() {
    let s = sample();
    let out = kalima_run(&[
        "bench",
        s.to_str().unwrap(),
        "-t",
        "tiktoken:o200k_base,whitespace",
        "--sample",
        "0.2",
        "--format",
        "csv",
        "-q",
        "-j",
        "2",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = rows(&out.stdout);
    assert_eq!(num(&r[0], "round_trip_rate"), 1.0);
    assert_eq!(num(&r[0], "unk_rate"), 0.0);
    assert!(num(&r[0], "vocab_size") > 199_000.0);
    assert_eq!(num(&r[0], "threads"), 2.0);
    for col in ["mb_per_s", "tokens_per_s", "mb_per_s_1t", "tokens_per_s_1t"] {
        assert!(num(&r[0], col) > 0.0, "{col}");
    }
    // Timed by line unless told otherwise.
    assert_eq!(r[0]["batch_unit"], "line");
    // The whitespace scheme has exactly one token per whitespace word.
    assert_eq!(num(&r[1], "test_tokens"), num(&r[1], "test_words"));
}

/// The timing columns name the batch unit and the threads; `-j 1` times on one thread, and a
/// Hugging Face model told `TOKENIZERS_PARALLELISM=false` is said to run on one.
#[test]
fn batch_unit_and_threads_are_stated() {
    let dir = tempfile::tempdir().unwrap();
    // Three documents of two lines each, one with a blank line and a CRLF.
    tmp_file(&dir, "a.txt", "قال الولد: نعم.\nكتب الدرس");
    tmp_file(&dir, "b.txt", "ذهب إلى المدرسة\r\n\nثم عاد");
    tmp_file(&dir, "c.txt", "الكتاب على الطاولة\nوالقلم في الحقيبة");
    let run = |extra: &[&str]| {
        let mut args = vec!["bench", dir.path().to_str().unwrap(), "-t", "whitespace"];
        args.extend(["--train-fraction", "0", "--format", "csv", "-q"]);
        args.extend(extra);
        let out = kalima_run(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out
    };
    let out = run(&["-j", "1"]);
    let r = rows(&out.stdout);
    assert_eq!(r[0]["batch_unit"], "line");
    assert_eq!(num(&r[0], "threads"), 1.0);
    // Six lines with text; their bytes are the files' less the line breaks.
    let file_bytes: usize = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap().len())
        .sum();
    assert_eq!(num(&r[0], "batch_items"), 6.0);
    assert_eq!(num(&r[0], "batch_bytes"), (file_bytes - 5) as f64);
    assert_eq!(num(&r[0], "batch_tokens"), num(&r[0], "test_tokens"));
    let out = run(&["-j", "2", "--batch-unit", "document"]);
    let r = rows(&out.stdout);
    assert_eq!(r[0]["batch_unit"], "document");
    assert_eq!(num(&r[0], "batch_items"), 3.0);
    assert_eq!(num(&r[0], "batch_bytes"), file_bytes as f64);
    assert_eq!(num(&r[0], "threads"), 2.0);
    // Hugging Face's switch: its rows say 1 thread and a note says why; kalima's are not
    // affected. (A trained BPE needs a training part.)
    let s = sample();
    let mut cmd = common::kalima();
    cmd.args(["bench", s.to_str().unwrap(), "-t", "whitespace,bpe:300"])
        .args([
            "--train-fraction",
            "0.3",
            "--seed",
            "7",
            "--speed-bytes",
            "200K",
        ])
        .args(["--format", "csv", "-j", "2"])
        .env("TOKENIZERS_PARALLELISM", "false");
    let out = common::run(&mut cmd, b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = rows(&out.stdout);
    assert_eq!(r[1]["tokenizer"], "bpe:300");
    assert_eq!(num(&r[0], "threads"), 2.0);
    assert_eq!(num(&r[1], "threads"), 1.0);
    assert!(
        out.stderr.contains("bpe:300: TOKENIZERS_PARALLELISM"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_arguments_are_errors_that_say_why() {
    let s = sample();
    let p = s.to_str().unwrap();
    let out = kalima_run(&["bench", p, "-t", "sentencepiece", "-q"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("sentencepiece"), "{}", out.stderr);
    let out = kalima_run(&["bench", p, "-t", "tiktoken:gpt5", "-q"]);
    assert_eq!(out.code, 2);
    let out = kalima_run(&["bench", p, "--gold", "/nonexistent/g.conllu", "-q"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("/nonexistent/g.conllu"),
        "{}",
        out.stderr
    );
    let out = kalima_run(&["bench", p, "-t", "words", "--train-fraction", "1.5", "-q"]);
    assert_eq!(out.code, 2);
    let out = kalima_run(&[
        "bench",
        p,
        "--tokenizer-json",
        "/nonexistent/tokenizer.json",
        "-q",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("/nonexistent/tokenizer.json"),
        "{}",
        out.stderr
    );
}

/// A tokenizer.json file written by the library itself round-trips through the command.
#[test]
fn tokenizer_json_file() {
    let dir = tempfile::tempdir().unwrap();
    // A tiny WordLevel tokenizer in the Hugging Face format, written by hand.
    let json = r#"{
      "version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
      "normalizer": null,
      "pre_tokenizer": {"type": "Whitespace"},
      "post_processor": null, "decoder": null,
      "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "قال": 1, "الولد": 2},
                "unk_token": "[UNK]"}
    }"#;
    let tj = dir.path().join("mytok");
    std::fs::create_dir(&tj).unwrap();
    let tj = tmp_file(&dir, "mytok/tokenizer.json", json);
    let corpus = tmp_file(&dir, "c.txt", "قال الولد قال البنت");
    let out = kalima_run(&[
        "bench",
        corpus.to_str().unwrap(),
        "-t",
        "",
        "--tokenizer-json",
        tj.to_str().unwrap(),
        "--train-fraction",
        "0",
        "--no-timing",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = rows(&out.stdout);
    assert_eq!(r[0]["tokenizer"], "json:mytok");
    assert_eq!(r[0]["kind"], "json");
    assert_eq!(num(&r[0], "vocab_size"), 3.0);
    // 4 tokens, one unknown (البنت).
    assert_eq!(num(&r[0], "test_tokens"), 4.0);
    assert_eq!(num(&r[0], "unk_rate"), 0.25);
}

/// `kalima chart bench` draws a column of a results file: the same picture from the CSV and
/// the JSON of one run, and exactly the bars `kalima_plot::bar` draws from that column.
#[test]
fn results_file_charted_by_metric() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample();
    let (csv_out, json_out) = (dir.path().join("b.csv"), dir.path().join("b.json"));
    for o in [&csv_out, &json_out] {
        let out = kalima_run(&[
            "bench",
            s.to_str().unwrap(),
            "-t",
            "words,whitespace,clitic",
            "--no-timing",
            "-o",
            o.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let svg = |input: &PathBuf, metric: &str| -> String {
        let o = dir.path().join("c.svg");
        let out = kalima_run(&[
            "chart",
            "bench",
            input.to_str().unwrap(),
            "--metric",
            metric,
            "-o",
            o.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        std::fs::read_to_string(o).unwrap()
    };
    let from_csv = svg(&csv_out, "fertility");
    assert_eq!(from_csv, svg(&json_out, "fertility"));
    let table = rows(&std::fs::read_to_string(&csv_out).unwrap());
    let data: Vec<(String, f64)> = table
        .iter()
        .map(|r| (r["tokenizer"].clone(), num(r, "fertility")))
        .collect();
    assert_eq!(data.len(), 3);
    let opts = kalima_plot::Options {
        value_label: Some("fertility".into()),
        ..kalima_plot::Options::default()
    };
    assert_eq!(from_csv, kalima_plot::bar(&data, &opts).unwrap().svg());
    assert_ne!(from_csv, svg(&csv_out, "split_word_rate"));
    // --top 2: the two largest values.
    let o = dir.path().join("top.svg");
    let out = kalima_run(&[
        "chart",
        "bench",
        csv_out.to_str().unwrap(),
        "--top",
        "2",
        "-o",
        o.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut top = data.clone();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    top.truncate(2);
    assert_eq!(
        std::fs::read_to_string(&o).unwrap(),
        kalima_plot::bar(&top, &opts).unwrap().svg()
    );
    let o = dir.path().join("x.svg");
    let out = kalima_run(&[
        "chart",
        "bench",
        csv_out.to_str().unwrap(),
        "--metric",
        "speed",
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("word_f1") || out.stderr.contains("fertility"),
        "{}",
        out.stderr
    );
}

/// A CoNLL-U sentence with one word per whitespace token (no clitic split): enough for the
/// overlap columns, which identify a sentence by its characters.
fn conllu_of(text: &str) -> (String, usize) {
    let mut s = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        s.push_str(&format!("{}\t{w}\t_\t_\t_\t_\t_\t_\t_\t_\n", i + 1));
    }
    s.push('\n');
    (s, words.len())
}

/// The first sentence of the bundled sample: the UD Arabic-PUD shared half, which the embedded
/// clitic model was trained on (docs/clitic.md).
fn pud_training_sentence() -> String {
    let t = std::fs::read_to_string(sample().join("000-n01001.txt")).unwrap();
    t.lines().next().unwrap().to_string()
}

/// A sentence made up here: in no training data.
const NEW_SENTENCE: &str = "ذهب الولد إلى المدرسة صباحا وكتب درسه بقلمه الجديد .";

/// `gold_overlaps_training` marks gold sentences the clitic model was trained on, and
/// `word_f1_held_out` leaves them out: it equals `word_f1` on the other sentences alone.
#[test]
fn gold_overlap_with_the_clitic_models_training_data() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = tmp_file(&dir, "c.txt", "نص للتجربة فقط");
    let (a, na) = conllu_of(&pud_training_sentence());
    // The same sentence re-spaced and vocalized is still the same sentence.
    let (a2, na2) = conllu_of(
        &pud_training_sentence()
            .replace(" ,", ",")
            .replace("كتبت", "كَتَبَتْ"),
    );
    let (b, nb) = conllu_of(NEW_SENTENCE);
    let both = tmp_file(&dir, "both.conllu", &format!("{a}{b}{a2}"));
    let only_b = tmp_file(&dir, "b.conllu", &b);
    let run = |gold: &PathBuf| {
        let out = kalima_run(&[
            "bench",
            corpus.to_str().unwrap(),
            "-t",
            "clitic,words,tiktoken:o200k_base",
            "--gold",
            gold.to_str().unwrap(),
            "--train-fraction",
            "0",
            "--no-timing",
            "--format",
            "csv",
            "-q",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        rows(&out.stdout)
    };
    let r = run(&both);
    assert_eq!(r[0]["tokenizer"], "clitic");
    assert_eq!(num(&r[0], "gold_words"), (na + nb + na2) as f64);
    assert_eq!(
        num(&r[0], "gold_overlaps_training"),
        (na + na2) as f64 / (na + nb + na2) as f64
    );
    let alone = run(&only_b);
    assert_eq!(num(&alone[0], "gold_overlaps_training"), 0.0);
    assert_eq!(
        num(&r[0], "word_f1_held_out"),
        num(&alone[0], "word_f1"),
        "held-out F1 = F1 on the sentence not trained on"
    );
    assert_ne!(num(&r[0], "word_f1"), num(&r[0], "word_f1_held_out"));
    // A rule-based scheme trained on nothing; tiktoken's training data are unknown.
    assert_eq!(num(&r[1], "gold_overlaps_training"), 0.0);
    assert_eq!(num(&r[1], "word_f1_held_out"), num(&r[1], "word_f1"));
    assert_eq!(r[2]["gold_overlaps_training"], "NaN");
    assert_eq!(r[2]["word_f1_held_out"], "NaN");
}

/// A model trained here on a training part that holds a gold sentence is marked too.
#[test]
fn gold_overlap_with_the_training_part() {
    let dir = tempfile::tempdir().unwrap();
    // a.txt (read first) fills --train-bytes and is the training part; b.txt is tested.
    let a_text = std::fs::read_to_string(sample().join("000-n01001.txt")).unwrap();
    tmp_file(&dir, "a.txt", &a_text);
    let b_text = std::fs::read_to_string(sample().join("001-n01003.txt")).unwrap();
    tmp_file(&dir, "b.txt", &b_text);
    let (a, na) = conllu_of(&pud_training_sentence());
    let (b, nb) = conllu_of(NEW_SENTENCE);
    let gold = tmp_file(&dir, "g.conllu", &format!("{a}{b}"));
    let out = kalima_run(&[
        "bench",
        dir.path().join("a.txt").to_str().unwrap(),
        dir.path().join("b.txt").to_str().unwrap(),
        "-t",
        "bpe:300",
        "--gold",
        gold.to_str().unwrap(),
        "--train-fraction",
        "1",
        "--train-bytes",
        // A few bytes of slack in case the reader trims the text; b.txt is far larger.
        &(a_text.len() + 8).to_string(),
        "--no-timing",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = rows(&out.stdout);
    assert_eq!(num(&r[0], "test_bytes"), b_text.len() as f64);
    assert_eq!(
        num(&r[0], "gold_overlaps_training"),
        na as f64 / (na + nb) as f64
    );
}

/// On the shared gold files: every sentence of the PUD shared half is training data of the
/// clitic model, no sentence of PADT r1.2 dev is. The word counts are read here from the files.
#[test]
fn gold_overlap_on_the_shared_gold_files() {
    let Some(d) = common::shared_data() else {
        return;
    };
    let pud = d.join("ud_arabic_pud/ar_pud-ud-test.shared-half.conllu");
    let padt = d.join("padt/ar-ud-dev.r1.2.conllu");
    let words = |p: &PathBuf| {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| {
                l.split('\t')
                    .next()
                    .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            })
            .count() as f64
    };
    let (wp, wd) = (words(&pud), words(&padt));
    let s = sample();
    let out = kalima_run(&[
        "bench",
        s.to_str().unwrap(),
        "-t",
        "clitic,words",
        "--gold",
        pud.to_str().unwrap(),
        "--gold",
        padt.to_str().unwrap(),
        "--train-fraction",
        "0",
        "--no-timing",
        "--format",
        "csv",
        "-q",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = rows(&out.stdout);
    assert_eq!(num(&r[0], "gold_words"), wp + wd);
    assert_eq!(num(&r[0], "gold_overlaps_training"), wp / (wp + wd));
    assert_eq!(num(&r[1], "gold_overlaps_training"), 0.0);
    eprintln!(
        "clitic on PUD shared half + PADT r1.2 dev: word_f1 {} (PUD trained on), word_f1_held_out {} (PADT only)",
        r[0]["word_f1"], r[0]["word_f1_held_out"]
    );
}
