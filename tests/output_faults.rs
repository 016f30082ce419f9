//! Outputs under faults, end to end: a report replaces an earlier one whole, an interrupted run
//! leaves no temporary file or spill folder and the old output as it was, an output that
//! cannot be written is refused before any input is read, and a huge `--threads` is capped.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{kalima, kalima_run};

/// Every file under `dir`, relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, p: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A deterministic stream of pseudo-random numbers (no dependency needed for test text).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// `n` distinct made-up Arabic words.
fn words(rng: &mut Lcg, n: usize) -> Vec<String> {
    let letters: Vec<char> = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي".chars().collect();
    let mut set = std::collections::BTreeSet::new();
    while set.len() < n {
        let len = 3 + rng.next(5);
        set.insert(
            (0..len)
                .map(|_| letters[rng.next(letters.len())])
                .collect::<String>(),
        );
    }
    set.into_iter().collect()
}

/// A JSONL corpus: `groups` sources, each document dated or not.
fn jsonl_corpus(path: &Path, groups: usize, dated: bool, seed: u64) {
    let mut rng = Lcg(seed);
    let vocab = words(&mut rng, 300);
    let mut s = String::new();
    for d in 0..120 {
        let text: Vec<&str> = (0..40)
            .map(|_| vocab[rng.next(vocab.len())].as_str())
            .collect();
        let mut doc = serde_json::json!({
            "source": format!("src{}", d % groups),
            "content": text.join(" ") + " .",
        });
        if dated {
            doc["date"] = format!("2018-{:02}-01", 1 + d % 12).into();
        }
        s.push_str(&doc.to_string());
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

fn report(corpus: &Path, dir: &Path, extra: &[&str]) -> common::Out {
    let mut args = vec![
        "report",
        corpus.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--by",
        "source",
        "-q",
    ];
    args.extend(extra);
    kalima_run(&args)
}

#[test]
fn a_report_over_an_earlier_one_holds_exactly_the_new_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a.jsonl"), tmp.path().join("b.jsonl"));
    jsonl_corpus(&a, 6, true, 1);
    jsonl_corpus(&b, 2, false, 2);
    let out = tmp.path().join("out");
    let o = report(&a, &out, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let a_files = tree(&out);
    // Corpus A makes files B does not: more keyness tables, and the over-time chart.
    for f in ["data/keyness_6.csv", "charts/over_time.png"] {
        assert!(
            a_files.contains_key(Path::new(f)),
            "{f}: {:?}",
            a_files.keys()
        );
    }

    let o = report(&b, &out, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let fresh = tmp.path().join("fresh");
    let o = report(&b, &fresh, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let over = tree(&out);
    let want = tree(&fresh);
    assert!(!want.contains_key(Path::new("data/keyness_6.csv")));
    assert!(!want.contains_key(Path::new("charts/over_time.png")));
    assert_eq!(
        over.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "files left from the first report"
    );
    assert!(over == want, "the replaced report differs from a fresh one");
    // No staging or set-aside folder is left beside it.
    assert_eq!(names(tmp.path()), ["a.jsonl", "b.jsonl", "fresh", "out"]);
}

#[test]
fn a_report_refuses_a_folder_that_is_not_a_report_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c.jsonl");
    jsonl_corpus(&corpus, 2, false, 3);
    let dir = tmp.path().join("mine");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "my notes").unwrap();

    let o = report(&corpus, &dir, &[]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--force"), "{}", o.stderr);
    assert!(o.stderr.contains(dir.to_str().unwrap()), "{}", o.stderr);
    assert_eq!(names(&dir), ["notes.txt"]);
    assert_eq!(names(tmp.path()), ["c.jsonl", "mine"]);

    let o = report(&corpus, &dir, &["--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let files = names(&dir);
    assert!(!files.contains(&"notes.txt".to_string()), "{files:?}");
    assert!(files.contains(&"index.html".to_string()), "{files:?}");
    assert!(files.contains(&".kalima-report".to_string()), "{files:?}");
    assert_eq!(names(tmp.path()), ["c.jsonl", "mine"]);

    // An empty folder is fine without --force.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = report(&corpus, &empty, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(empty.join("index.html").is_file());
}

/// A corpus of about 4 MB of made-up Arabic sentences (mostly distinct trigrams).
fn big_corpus(path: &Path) {
    let mut rng = Lcg(7);
    let vocab = words(&mut rng, 20_000);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut n = 0;
    while n < 4_000_000 {
        let line: Vec<&str> = (0..12)
            .map(|_| vocab[rng.next(vocab.len())].as_str())
            .collect();
        let line = line.join(" ") + " .\n";
        f.write_all(line.as_bytes()).unwrap();
        n += line.len();
    }
    f.flush().unwrap();
}

fn wait_with_timeout(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// When to interrupt `kalima ngrams`.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// While counting: once a spilled run exists in the spill folder.
    Spilling,
    /// While writing the output: once the temporary file beside it has data.
    Writing,
}

/// Interrupt `kalima ngrams -n 3 … --max-memory 1M --spill-dir SPILL -o out.csv` at `moment`
/// with `signal` and check that it exits with `code`, leaves no temporary file or spill
/// folder, and leaves the old out.csv byte for byte.
fn interrupt_ngrams(signal: &str, code: i32, moment: Moment) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("big.txt");
    big_corpus(&corpus);
    let outdir = tmp.path().join("out");
    let spill = tmp.path().join("spill");
    std::fs::create_dir(&outdir).unwrap();
    std::fs::create_dir(&spill).unwrap();
    let target = outdir.join("out.csv");
    let old = "term,count\nقديم,1\n";
    std::fs::write(&target, old).unwrap();

    let mut child = kalima()
        .args(["ngrams", "-n", "3", "--max-memory", "1M", "--spill-dir"])
        .arg(&spill)
        .arg(&corpus)
        .arg("-o")
        .arg(&target)
        .arg("-q")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let ready = |()| -> bool {
        match moment {
            Moment::Spilling => std::fs::read_dir(&spill).unwrap().any(|d| {
                let d = d.unwrap().path();
                d.is_dir() && std::fs::read_dir(&d).is_ok_and(|mut r| r.next().is_some())
            }),
            // Non-empty: the empty file made at start to check the folder is writable is
            // removed at once.
            Moment::Writing => std::fs::read_dir(&outdir).unwrap().any(|e| {
                let e = e.unwrap();
                e.file_name().to_string_lossy().starts_with(".kalima-")
                    && e.metadata().is_ok_and(|m| m.len() > 0)
            }),
        }
    };
    let start = Instant::now();
    while !ready(()) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "kalima ended before the {moment:?} moment: make the corpus bigger"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{moment:?} never came"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = wait_with_timeout(&mut child, Duration::from_secs(30)).expect("no exit");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(code), "{status:?} {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(
        names(&outdir),
        ["out.csv"],
        "temporary files left beside the output"
    );
    assert!(
        names(&spill).is_empty(),
        "spill folder left: {:?}",
        names(&spill)
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), old);
}

#[test]
fn sigint_while_spilling_cleans_up_and_exits_130() {
    interrupt_ngrams("-INT", 130, Moment::Spilling);
}

#[test]
fn sigint_while_writing_cleans_up_and_exits_130() {
    interrupt_ngrams("-INT", 130, Moment::Writing);
}

#[test]
fn sigterm_while_writing_cleans_up_and_exits_143() {
    interrupt_ngrams("-TERM", 143, Moment::Writing);
}

#[test]
fn sigterm_while_spilling_cleans_up_and_exits_143() {
    interrupt_ngrams("-TERM", 143, Moment::Spilling);
}

/// Run `kalima ARGS` (stdin closed), killed after `limit`.
fn run_with_timeout(cmd: &mut Command, limit: Duration) -> Option<common::Out> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_with_timeout(&mut child, limit)?;
    let mut stdout = String::new();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    Some(common::Out {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    })
}

#[test]
fn a_huge_thread_count_is_capped_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in.txt");
    std::fs::write(&input, "كتب الولد الدرس. كتب الولد.\n".repeat(10)).unwrap();
    let one = kalima_run(&[
        "freq",
        input.to_str().unwrap(),
        "-j",
        "1",
        "--format",
        "csv",
    ]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    for cmd in [
        &mut kalima().args([
            "freq",
            input.to_str().unwrap(),
            "-j",
            "100000",
            "--format",
            "csv",
        ]),
        kalima()
            .args(["freq", input.to_str().unwrap(), "--format", "csv"])
            .env("RAYON_NUM_THREADS", "100000"),
    ] {
        let start = Instant::now();
        let o = run_with_timeout(cmd, Duration::from_secs(30)).expect("hung");
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        assert!(o.stderr.contains("note:"), "{}", o.stderr);
        assert!(o.stderr.contains("100000"), "{}", o.stderr);
        assert_eq!(o.stdout, one.stdout);
    }
    // Within the cap: no note.
    let o = kalima_run(&[
        "freq",
        input.to_str().unwrap(),
        "-j",
        "2",
        "--format",
        "csv",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.is_empty(), "{}", o.stderr);
}

#[test]
fn an_output_that_cannot_be_written_is_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-folder");
    let m = missing.to_str().unwrap();
    // An input that does not exist: reading it would print an error naming it.
    let input = "/nonexistent/kalima-input.txt";
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "freq".into(),
                input.into(),
                "-o".into(),
                format!("{m}/out.csv"),
            ],
            "out.csv",
        ),
        (
            vec![
                "ngrams".into(),
                input.into(),
                "-o".into(),
                format!("{m}/out.parquet"),
            ],
            "out.parquet",
        ),
        (
            vec![
                "kwic".into(),
                "كتب".into(),
                input.into(),
                "-o".into(),
                format!("{m}/k.html"),
            ],
            "k.html",
        ),
        (
            vec![
                "chart".into(),
                "freq".into(),
                input.into(),
                "-o".into(),
                format!("{m}/c.png"),
            ],
            "c.png",
        ),
        (
            vec![
                "tfidf".into(),
                input.into(),
                "--matrix".into(),
                format!("{m}/mat"),
            ],
            "mat.mtx",
        ),
        (
            vec![
                "tfidf".into(),
                input.into(),
                "-o".into(),
                format!("{m}/t.jsonl"),
            ],
            "t.jsonl",
        ),
    ];
    for (args, name) in cases {
        let o = kalima_run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert_eq!(o.stderr.matches(name).count(), 1, "{args:?}: {}", o.stderr);
        assert!(
            o.stderr.contains("does not exist"),
            "{args:?}: {}",
            o.stderr
        );
        assert!(!o.stderr.contains(".kalima-"), "{args:?}: {}", o.stderr);
        assert!(
            !o.stderr.contains("kalima-input"),
            "read first: {args:?}: {}",
            o.stderr
        );
    }
    assert!(!missing.exists());

    // Reading stdin that never ends: the check comes first, so this returns at once.
    let mut child = kalima()
        .args(["freq", "-o"])
        .arg(missing.join("out.csv"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let status = wait_with_timeout(&mut child, Duration::from_secs(20));
    drop(stdin);
    assert_eq!(status.and_then(|s| s.code()), Some(2), "waited for stdin");

    // A report whose folder cannot be made (its parent is a file).
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let o = kalima_run(&["report", input, "-o", file.join("r").to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        !o.stderr.contains("kalima-input"),
        "read first: {}",
        o.stderr
    );
}
