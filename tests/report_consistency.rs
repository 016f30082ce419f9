//! Every number of a report's `data/*.csv` checked against the command that computes it
//! alone, with the same options (issue 15, item 4): on data/sample, on halves of it compared
//! with `--reference` and `--by file`, and on a 200-article slice of the shared ANT corpus
//! compared with `--reference` and `--by SRC`.
//!
//! Integers must be equal, floats equal to 1e-12 (relative), terms equal, row by row for the
//! rows the report shows. Which command and options reproduce each file:
//!
//! | report file | command |
//! |---|---|
//! | top_terms | `freq --stopwords ar --drop-punct --top N` (first N rows) |
//! | rank_frequency | `freq` (every row) |
//! | bigrams, trigrams | `ngrams -n 2` / `-n 3 --stopwords ar --stopwords-at edge --top N` |
//! | collocates_K | `collocates NODE --window 5 --stopwords ar --min-count 2 --top 10 -m logdice`, NODE the K-th top term |
//! | dispersion | `dispersion --parts doc`, looked up by term; the terms: `freq --stopwords ar --drop-punct --top 20` |
//! | lexdiv | `lexdiv --window 500 --segment 500 --mtld-threshold 0.72 --hdd-sample 42`, the corpus row |
//! | heaps_points, heaps_fits | `heaps --per-decade 20`, `heaps --per-decade 20 --fit` |
//! | zipf_points, zipf_fits | `zipf` (looked up by rank), `zipf --fit` |
//! | overview | documents, tokens, types, TTR, mean and median document length: `lexdiv --by doc` |
//! | keyness_tables, keyness_N | `keyness TARGET -r REF --stopwords ar`, `keyness TARGET --by FIELD --stopwords ar`; `--by file` as `keyness FILE -r OTHER-INPUTS` |
//!
//! Each command also gets the report's `--scheme` and `--normalize` (read from options.csv).
//!
//! No command reproduces: `over_time.csv` (terms per million per period: `kalima chart
//! timeline` draws them but writes no table), the overview's "Files read", "Encodings",
//! "Formats" and "Files skipped or failed", `skipped.csv`, and `options.csv` (an echo of the
//! options, checked against the arguments given). Any other file in data/ fails the test, so
//! a new report table cannot go unchecked.
//!
//! The keyness checks are expected to fail until issue 15 is fixed: the report counts every
//! token (punctuation included) into the corpus sizes, `kalima keyness` words only, so the
//! sizes, G² and log ratio differ. Their failures say so.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{csv_text_rows, kalima_run, sample, shared_data};

type Row = BTreeMap<String, String>;

/// The tag of the checks that fail because of issue 15.
const ISSUE_15: &str = "issue 15 (report keyness counts all tokens, `kalima keyness` words only)";

/// The report's fixed settings (src/cmd/report.rs): dispersion terms, collocate nodes,
/// collocates per node, window, least co-occurrence count, keyness |G²| threshold.
const DISPERSION_TERMS: usize = 20;
const COLLOCATE_NODES: usize = 5;
const COLLOCATES: &str = "10";
const COLLOCATE_WINDOW: &str = "5";
const COLLOCATE_MIN: &str = "2";
const LL_CRITICAL: f64 = 3.84;

// ---------------------------------------------------------------------------------------
// Checks: counted, failures collected (so one run lists every mismatch), then reported.

#[derive(Default)]
struct Checks {
    /// Prefix of every failure (the issue that explains it).
    tag: Option<&'static str>,
    /// Per file (and command): checks passed, failures.
    passed: BTreeMap<String, usize>,
    failed: BTreeMap<String, Vec<String>>,
    /// Per column or fact (the last word of a check's name): (passed, failed).
    kinds: BTreeMap<String, (usize, usize)>,
}

impl Checks {
    fn tagged(tag: &'static str) -> Self {
        Checks {
            tag: Some(tag),
            ..Checks::default()
        }
    }

    fn check(&mut self, section: &str, good: bool, msg: impl FnOnce() -> String) {
        self.checked(section, "check", good, msg);
    }

    /// A check named `what`: tallied under its last word (the column) too.
    fn checked(&mut self, section: &str, what: &str, good: bool, msg: impl FnOnce() -> String) {
        // `keyness_12.csv (…) ⇔ …`, `row 3 (term) log_ratio` → `keyness_N.csv log_ratio`.
        let file = section.split(' ').next().unwrap_or(section);
        let file = match file.strip_suffix(".csv").and_then(|f| f.rsplit_once('_')) {
            Some((stem, n)) if n.bytes().all(|b| b.is_ascii_digit()) => format!("{stem}_N.csv"),
            _ => file.to_string(),
        };
        let kind = format!("{file} {}", what.rsplit(' ').next().unwrap_or(what));
        let k = self.kinds.entry(kind).or_default();
        if good {
            k.0 += 1;
        } else {
            k.1 += 1;
        }
        if good {
            *self.passed.entry(section.to_string()).or_default() += 1;
        } else {
            let m = match self.tag {
                Some(t) => format!("[{t}] {}", msg()),
                None => msg(),
            };
            self.failed.entry(section.to_string()).or_default().push(m);
        }
    }

    fn fail(&mut self, section: &str, msg: String) {
        self.check(section, false, || msg);
    }

    /// Integers, exactly.
    fn int(&mut self, section: &str, what: &str, rep: &str, cmd: &str) {
        let good = matches!((rep.parse::<i128>(), cmd.parse::<i128>()), (Ok(a), Ok(b)) if a == b);
        self.checked(section, what, good, || {
            format!("{what}: report {rep:?} vs command {cmd:?}")
        });
    }

    /// Floats, to 1e-12 relative (NaN equals NaN).
    fn float(&mut self, section: &str, what: &str, rep: &str, cmd: &str) {
        let good = match (rep.parse::<f64>(), cmd.parse::<f64>()) {
            (Ok(a), Ok(b)) => same_f64(a, b),
            _ => false,
        };
        self.checked(section, what, good, || {
            format!("{what}: report {rep:?} vs command {cmd:?}")
        });
    }

    fn text(&mut self, section: &str, what: &str, rep: &str, cmd: &str) {
        self.checked(section, what, rep == cmd, || {
            format!("{what}: report {rep:?} vs command {cmd:?}")
        });
    }

    fn len(&mut self, section: &str, what: &str, rep: usize, cmd: usize) {
        self.checked(section, "rows", rep == cmd, || {
            format!("{what}: report has {rep} rows, command {cmd}")
        });
    }

    /// Row by row, the columns of a frequency table (`rank, term, count, doc_freq,
    /// per_million`) of the report against the command's.
    fn freq_rows(&mut self, sec: &str, rep: &[Row], cmd: &[Row]) {
        for (i, (r, k)) in rep.iter().zip(cmd).enumerate() {
            let at = format!("row {} ({})", i + 1, r["term"]);
            self.int(sec, &format!("{at} rank"), &r["rank"], &k["rank"]);
            self.text(sec, &format!("{at} term"), &r["term"], &k["term"]);
            for col in ["count", "doc_freq"] {
                self.int(sec, &format!("{at} {col}"), &r[col], &k[col]);
            }
            let pm = "per_million";
            self.float(sec, &format!("{at} {pm}"), &r[pm], &k[pm]);
        }
    }

    /// Print what passed (per file and per column); on any failure, panic with the tallies
    /// and the first failures.
    fn finish(self, name: &str) {
        let mut s = format!("{name}:\n");
        let n_passed: usize = self.passed.values().sum();
        let n_failed: usize = self.failed.values().map(Vec::len).sum();
        let files: BTreeSet<&String> = self.passed.keys().chain(self.failed.keys()).collect();
        let _ = writeln!(
            s,
            "  {n_passed} checks passed, {n_failed} failed, in {} report files",
            files.len()
        );
        let _ = writeln!(s, "  by column:");
        for (k, (p, f)) in &self.kinds {
            let _ = writeln!(s, "    {k}: {p} passed, {f} failed");
        }
        let all = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("report_consistency")
            .join(format!("{}-failures.txt", slug(name)));
        if n_failed == 0 {
            let _ = std::fs::remove_file(&all);
            let _ = writeln!(s, "  by file:");
            for f in files {
                let _ = writeln!(s, "    {f}: {} passed", self.passed[f]);
            }
            eprint!("{s}");
            return;
        }
        let _ = writeln!(s, "  first failures:");
        for (sec, msgs) in self.failed.iter().take(6) {
            let _ = writeln!(s, "  {sec}:");
            for m in msgs.iter().take(10) {
                let _ = writeln!(s, "    {m}");
            }
            if msgs.len() > 10 {
                let _ = writeln!(s, "    … and {} more", msgs.len() - 10);
            }
        }
        if self.failed.len() > 6 {
            let _ = writeln!(
                s,
                "  … and {} more report files with failures",
                self.failed.len() - 6
            );
        }
        // Every failure, for a closer look.
        let mut text = String::new();
        for (sec, msgs) in &self.failed {
            let _ = writeln!(text, "{sec}:");
            for m in msgs {
                let _ = writeln!(text, "  {m}");
            }
        }
        if std::fs::write(&all, text).is_ok() {
            let _ = writeln!(s, "  every failure: {}", all.display());
        }
        let why = self.tag.map(|t| format!(" — {t}")).unwrap_or_default();
        panic!("{n_failed} report number(s) disagree with their commands{why}\n{s}");
    }
}

/// `name` as a file name: letters and digits, the rest as `-`.
fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn same_f64(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

// ---------------------------------------------------------------------------------------
// Reports and commands.

/// A report made once per test process (the tests of one corpus share it).
struct Made {
    /// The report folder.
    dir: PathBuf,
    /// The input paths given to the report (and to every command).
    inputs: Vec<String>,
    /// `--reference` paths, if any.
    reference: Vec<String>,
    /// `--by` field, if any.
    by: Option<String>,
}

impl Made {
    fn data(&self, stem: &str) -> PathBuf {
        self.dir.join("data").join(format!("{stem}.csv"))
    }

    fn rows(&self, stem: &str) -> Vec<Row> {
        let p = self.data(stem);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        csv_text_rows(&text)
    }

    /// Every `data/*.csv` stem.
    fn stems(&self) -> BTreeSet<String> {
        std::fs::read_dir(self.dir.join("data"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    /// The options the report lists (options.csv): option → value.
    fn options(&self) -> HashMap<String, String> {
        self.rows("options")
            .into_iter()
            .map(|r| (r["option"].clone(), r["value"].clone()))
            .collect()
    }

    /// The report's text options, to give every command: `--scheme S --normalize N`.
    fn text_options(&self) -> Vec<String> {
        let o = self.options();
        vec![
            "--scheme".into(),
            o["--scheme"].clone(),
            "--normalize".into(),
            o["--normalize"].clone(),
        ]
    }

    /// The report's stop-word option for commands: `--stopwords X`, or nothing for `none`.
    fn stopwords(&self) -> Vec<String> {
        match self.options()["--stopwords"].as_str() {
            "none" => vec![],
            s => vec!["--stopwords".into(), s.into()],
        }
    }

    fn top(&self) -> usize {
        self.options()["--top"].parse().unwrap()
    }
}

/// A scratch folder under the target directory, emptied.
fn scratch(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report_consistency")
        .join(name);
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// `kalima report INPUTS -o DIR -q [--reference …] [--by …]`, which must succeed.
fn make_report(name: &str, inputs: Vec<String>, reference: Vec<String>, by: Option<&str>) -> Made {
    let dir = scratch(name).join("report");
    let mut args: Vec<String> = vec!["report".into(), "-q".into(), "-o".into()];
    args.push(dir.to_string_lossy().into_owned());
    if let Some(by) = by {
        args.extend(["--by".into(), by.into()]);
    }
    if !reference.is_empty() {
        args.push("--reference".into());
        args.extend(reference.iter().cloned());
        // `--reference` takes several values: the inputs come after `--`.
    }
    args.push("--".into());
    args.extend(inputs.iter().cloned());
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = kalima_run(&a);
    assert_eq!(o.code, 0, "kalima report: {}", o.stderr);
    Made {
        dir,
        inputs,
        reference,
        by: by.map(String::from),
    }
}

/// A command run: how to show it, and its CSV rows.
struct Cmd {
    shown: String,
    rows: Vec<Row>,
}

/// `kalima SUB --format csv -q OPTS… -- POSITIONALS…`, which must succeed. The positionals
/// come after `--`, so a node term that starts with `-` stays a term.
fn command(sub: &str, opts: &[String], positionals: &[String]) -> Cmd {
    let mut args: Vec<&str> = vec![sub, "--format", "csv", "-q"];
    args.extend(opts.iter().map(String::as_str));
    args.push("--");
    args.extend(positionals.iter().map(String::as_str));
    let o = kalima_run(&args);
    let shown = format!("kalima {sub} {}", show_args(opts));
    assert_eq!(o.code, 0, "{shown}: {}", o.stderr);
    Cmd {
        shown,
        rows: csv_text_rows(&o.stdout),
    }
}

/// Options for display: a run of paths as its first one and a count.
fn show_args(opts: &[String]) -> String {
    let mut out: Vec<String> = vec![];
    let mut i = 0;
    while i < opts.len() {
        let run = opts[i..]
            .iter()
            .take_while(|a| a.starts_with('/') && Path::new(a).exists())
            .count();
        match run {
            0 => {
                out.push(opts[i].clone());
                i += 1;
            }
            1 => {
                out.push(short(&opts[i]));
                i += 1;
            }
            n => {
                out.push(format!("{} (+{} paths)", short(&opts[i]), n - 1));
                i += n;
            }
        }
    }
    out.join(" ")
}

/// A path shown from its last two parts.
fn short(p: &str) -> String {
    let parts: Vec<&str> = p.rsplitn(3, '/').collect();
    match parts.as_slice() {
        [a, b, _] => format!("…/{b}/{a}"),
        _ => p.to_string(),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// `opts` then `more`.
fn with(opts: &[String], more: &[&str]) -> Vec<String> {
    let mut v = opts.to_vec();
    v.extend(strings(more));
    v
}

// ---------------------------------------------------------------------------------------
// The sections other than keyness.

/// The files in data/ that no command reproduces (see the module comment).
const NOT_REPRODUCIBLE: [&str; 3] = ["over_time", "skipped", "options"];

fn is_keyness(stem: &str) -> bool {
    stem == "keyness_tables" || stem.starts_with("keyness_")
}

/// Checks every data file but the keyness tables.
fn check_sections(m: &Made, c: &mut Checks) {
    let text = m.text_options();
    let stop = m.stopwords();
    let top = m.top();
    let top_s = top.to_string();
    let mut done: BTreeSet<String> = BTreeSet::new();

    // Top terms: the report leaves out stop words and tokens with no letter or digit, and
    // counts per million over all tokens, as `freq --stopwords ar --drop-punct` does.
    {
        let rep = m.rows("top_terms");
        let cmd = command(
            "freq",
            &[
                with(&text, &["--drop-punct", "--top", &top_s]),
                stop.clone(),
            ]
            .concat(),
            &m.inputs,
        );
        let sec = format!("top_terms.csv ⇔ {}", cmd.shown);
        c.len(&sec, "rows", rep.len(), cmd.rows.len());
        c.freq_rows(&sec, &rep, &cmd.rows);
        done.insert("top_terms".into());
    }

    // The full rank–frequency table: `freq`, every row.
    {
        let rep = m.rows("rank_frequency");
        let cmd = command("freq", &text, &m.inputs);
        let sec = format!("rank_frequency.csv ⇔ {}", cmd.shown);
        c.len(&sec, "rows", rep.len(), cmd.rows.len());
        c.freq_rows(&sec, &rep, &cmd.rows);
        done.insert("rank_frequency".into());
    }

    // Bigrams and trigrams: `ngrams -n N --stopwords ar --stopwords-at edge --top N`; the
    // report's rank is the command's row number.
    for (n, stem) in [("2", "bigrams"), ("3", "trigrams")] {
        if !m.data(stem).exists() {
            continue;
        }
        let rep = m.rows(stem);
        let cmd = command(
            "ngrams",
            &[
                with(&text, &["-n", n, "--stopwords-at", "edge", "--top", &top_s]),
                stop.clone(),
            ]
            .concat(),
            &m.inputs,
        );
        let sec = format!("{stem}.csv ⇔ {}", cmd.shown);
        c.len(&sec, "rows", rep.len(), cmd.rows.len());
        for (i, (r, k)) in rep.iter().zip(&cmd.rows).enumerate() {
            let at = format!("row {} ({})", i + 1, r["term"]);
            c.int(
                &sec,
                &format!("{at} rank"),
                &r["rank"],
                &(i + 1).to_string(),
            );
            c.text(&sec, &format!("{at} term"), &r["term"], &k["ngram"]);
            c.int(&sec, &format!("{at} n"), n, &k["n"]);
            c.int(&sec, &format!("{at} count"), &r["count"], &k["count"]);
            c.float(
                &sec,
                &format!("{at} per_million"),
                &r["per_million"],
                &k["per_million"],
            );
        }
        done.insert(stem.into());
    }

    // The terms the report follows (dispersion, collocate nodes): the top terms without stop
    // words and punctuation, as `freq --stopwords ar --drop-punct --top 20` lists them.
    let followed: Vec<String> = command(
        "freq",
        &[
            with(
                &text,
                &["--drop-punct", "--top", &DISPERSION_TERMS.to_string()],
            ),
            stop.clone(),
        ]
        .concat(),
        &m.inputs,
    )
    .rows
    .into_iter()
    .map(|r| r["term"].clone())
    .collect();

    // Collocates of the first 5 followed terms (`collocates_K`, K from 1; the CSV does not
    // name its node: the K-th top term is): `collocates NODE --window 5 --stopwords ar
    // --min-count 2 --top 10 -m logdice`, row by row.
    for (i, node) in followed.iter().take(COLLOCATE_NODES).enumerate() {
        let stem = format!("collocates_{}", i + 1);
        let sec0 = format!("{stem}.csv (node {node})");
        if !m.data(&stem).exists() {
            c.fail(&sec0, format!("{stem}.csv is missing"));
            continue;
        }
        let rep = m.rows(&stem);
        let mut pos = vec![node.clone()];
        pos.extend(m.inputs.iter().cloned());
        let cmd = command(
            "collocates",
            &[
                with(
                    &text,
                    &[
                        "--window",
                        COLLOCATE_WINDOW,
                        "--min-count",
                        COLLOCATE_MIN,
                        "--top",
                        COLLOCATES,
                        "-m",
                        "logdice",
                    ],
                ),
                stop.clone(),
            ]
            .concat(),
            &pos,
        );
        let sec = format!("{sec0} ⇔ {} {node}", cmd.shown);
        c.len(&sec, "rows", rep.len(), cmd.rows.len());
        for (j, (r, k)) in rep.iter().zip(&cmd.rows).enumerate() {
            let at = format!("row {} ({})", j + 1, r["collocate"]);
            c.text(
                &sec,
                &format!("{at} collocate"),
                &r["collocate"],
                &k["term"],
            );
            c.int(&sec, &format!("{at} cooc"), &r["cooc"], &k["count"]);
            c.int(&sec, &format!("{at} freq"), &r["freq"], &k["count_term"]);
            c.float(
                &sec,
                &format!("{at} log_dice"),
                &r["log_dice"],
                &k["logdice"],
            );
        }
        done.insert(stem);
    }
    for stem in m.stems() {
        if stem.starts_with("collocates_") && !done.contains(&stem) {
            c.fail(
                "collocates",
                format!("{stem}.csv has no node among the command's top terms"),
            );
            done.insert(stem);
        }
    }

    // Dispersion of the followed terms across documents: `dispersion --parts doc` lists
    // every term (it has no stop-word option), so each report row is looked up by term; the
    // report's terms and their order are those of `freq --stopwords ar --drop-punct --top 20`.
    if m.data("dispersion").exists() {
        let rep = m.rows("dispersion");
        let cmd = command("dispersion", &with(&text, &["--parts", "doc"]), &m.inputs);
        let sec = format!("dispersion.csv ⇔ {}", cmd.shown);
        let by_term: HashMap<&str, &Row> =
            cmd.rows.iter().map(|r| (r["term"].as_str(), r)).collect();
        c.len(&sec, "rows (the followed terms)", rep.len(), followed.len());
        for (i, r) in rep.iter().enumerate() {
            let t = r["term"].as_str();
            let at = format!("row {} ({t})", i + 1);
            c.text(
                &sec,
                &format!("{at} term"),
                t,
                followed.get(i).map_or("", String::as_str),
            );
            let Some(k) = by_term.get(t) else {
                c.fail(&sec, format!("{at}: not in the command's output"));
                continue;
            };
            c.int(&sec, &format!("{at} count"), &r["count"], &k["freq"]);
            c.int(&sec, &format!("{at} range"), &r["range"], &k["range"]);
            c.float(&sec, &format!("{at} dp"), &r["dp"], &k["dp"]);
            c.float(&sec, &format!("{at} dp_norm"), &r["dp_norm"], &k["dp_norm"]);
            c.float(
                &sec,
                &format!("{at} juilland_d"),
                &r["juilland_d"],
                &k["juilland_d"],
            );
        }
        done.insert("dispersion".into());
    }

    // Lexical diversity: the corpus row of `lexdiv` with the report's settings.
    let lex = command(
        "lexdiv",
        &with(
            &text,
            &[
                "--window",
                "500",
                "--segment",
                "500",
                "--mtld-threshold",
                "0.72",
                "--hdd-sample",
                "42",
            ],
        ),
        &m.inputs,
    );
    {
        let sec = format!("lexdiv.csv ⇔ {}", lex.shown);
        let corpus = lex.rows.iter().find(|r| r["doc"] == "(corpus)").unwrap();
        let column = |measure: &str| {
            Some(match measure {
                "TTR" => "ttr",
                "Herdan's C" => "herdan_c",
                "Guiraud's R" => "guiraud_r",
                "CTTR" => "cttr",
                "Dugast's U" => "dugast_u",
                "Summer's S" => "summer_s",
                "Maas a²" => "maas_a2",
                "Yule's K" => "yule_k",
                "Yule's I" => "yule_i",
                "Simpson's D" => "simpson_d",
                "Herdan's Vm" => "herdan_vm",
                "MATTR" => "mattr",
                "MSTTR" => "msttr",
                "MTLD" => "mtld",
                "HD-D" => "hdd",
                _ => return None,
            })
        };
        let rep = m.rows("lexdiv");
        c.len(&sec, "measures (one per command column)", rep.len(), 15);
        for r in &rep {
            let m = r["measure"].as_str();
            match column(m) {
                Some(col) => c.float(&sec, &format!("{m} value"), &r["value"], &corpus[col]),
                None => c.fail(&sec, format!("{m}: no matching `kalima lexdiv` column")),
            }
        }
        done.insert("lexdiv".into());
    }

    // Vocabulary growth: `heaps --per-decade 20`, row by row, and its fit.
    {
        let rep = m.rows("heaps_points");
        let cmd = command("heaps", &with(&text, &["--per-decade", "20"]), &m.inputs);
        let sec = format!("heaps_points.csv ⇔ {}", cmd.shown);
        c.len(&sec, "rows", rep.len(), cmd.rows.len());
        for (i, (r, k)) in rep.iter().zip(&cmd.rows).enumerate() {
            c.int(
                &sec,
                &format!("row {} tokens", i + 1),
                &r["tokens"],
                &k["tokens"],
            );
            c.int(
                &sec,
                &format!("row {} types", i + 1),
                &r["types"],
                &k["types"],
            );
        }
        done.insert("heaps_points".into());
    }
    if m.data("heaps_fits").exists() {
        let cmd = command(
            "heaps",
            &with(&text, &["--per-decade", "20", "--fit"]),
            &m.inputs,
        );
        let sec = format!("heaps_fits.csv ⇔ {}", cmd.shown);
        let fit = &cmd.rows[0];
        for r in m.rows("heaps_fits") {
            let col = match r["statistic"].as_str() {
                "K" => "k",
                "β" => "beta",
                "R²" => "r2",
                s => {
                    c.fail(
                        &sec,
                        format!("{s}: no matching `kalima heaps --fit` column"),
                    );
                    continue;
                }
            };
            c.float(
                &sec,
                &format!("{} value", r["statistic"]),
                &r["value"],
                &fit[col],
            );
        }
        done.insert("heaps_fits".into());
    }

    // Zipf: the frequencies at the ranks the report samples, looked up by rank in `zipf`'s
    // rank table (every rank), and the fits of `zipf --fit`.
    {
        let cmd = command("zipf", &text, &m.inputs);
        let sec = format!("zipf_points.csv ⇔ {}", cmd.shown);
        let by_rank: HashMap<&str, &Row> =
            cmd.rows.iter().map(|r| (r["rank"].as_str(), r)).collect();
        let rep = m.rows("zipf_points");
        for r in &rep {
            match by_rank.get(r["rank"].as_str()) {
                Some(k) => c.int(
                    &sec,
                    &format!("rank {} frequency", r["rank"]),
                    &r["frequency"],
                    &k["count"],
                ),
                None => c.fail(
                    &sec,
                    format!("rank {}: not in the command's output", r["rank"]),
                ),
            }
        }
        c.int(
            &sec,
            "last rank (the number of types): rank",
            rep.last().map_or("", |r| r["rank"].as_str()),
            &cmd.rows.len().to_string(),
        );
        done.insert("zipf_points".into());
    }
    if m.data("zipf_fits").exists() {
        let cmd = command("zipf", &with(&text, &["--fit"]), &m.inputs);
        let sec = format!("zipf_fits.csv ⇔ {}", cmd.shown);
        for r in m.rows("zipf_fits") {
            let model = match r["model"].as_str() {
                "Zipf (maximum likelihood)" => "zipf",
                "Zipf–Mandelbrot (maximum likelihood)" => "zipf_mandelbrot",
                x => {
                    c.fail(&sec, format!("{x}: no matching `kalima zipf --fit` model"));
                    continue;
                }
            };
            let col = match r["statistic"].as_str() {
                "s" => "s",
                "q" => "q",
                "KS D" => "ks",
                "AIC" => "aic",
                s => {
                    c.fail(&sec, format!("{model} {s}: no matching column"));
                    continue;
                }
            };
            let k = cmd.rows.iter().find(|k| k["model"] == model).unwrap();
            c.float(
                &sec,
                &format!("{model} {} value", r["statistic"]),
                &r["value"],
                &k[col],
            );
        }
        done.insert("zipf_fits".into());
    }

    // Overview: documents, tokens, types and TTR from `lexdiv --by doc` (a row per
    // document, then the corpus row); the mean and median document length are computed here
    // from its per-document token counts (no command prints them); floats as the report
    // shows them (kalima_report::sections::num).
    {
        let per_doc = command("lexdiv", &with(&text, &["--by", "doc"]), &m.inputs);
        let sec = format!("overview.csv ⇔ {}", per_doc.shown);
        let (docs, corpus): (Vec<&Row>, Vec<&Row>) =
            per_doc.rows.iter().partition(|r| r["doc"] != "(corpus)");
        let corpus = corpus[0];
        let mut lens: Vec<u64> = docs.iter().map(|r| r["tokens"].parse().unwrap()).collect();
        lens.sort_unstable();
        let n = lens.len();
        let mean = lens.iter().sum::<u64>() as f64 / n as f64;
        let median = if n % 2 == 1 {
            lens[n / 2] as f64
        } else {
            (lens[n / 2 - 1] + lens[n / 2]) as f64 / 2.0
        };
        for r in m.rows("overview") {
            let (fact, v) = (r["fact"].as_str(), r["value"].as_str());
            let what = format!("{fact}: value");
            let w = what.as_str();
            match fact {
                "Documents / الوثائق" => c.int(&sec, w, v, &n.to_string()),
                "Tokens / الرموز" => c.int(&sec, w, v, &corpus["tokens"]),
                "Types / الأنواع" => c.int(&sec, w, v, &corpus["types"]),
                "Type/token ratio" => c.text(&sec, w, v, &num(corpus["ttr"].parse().unwrap())),
                "Mean document length (tokens)" => c.text(&sec, w, v, &num(mean)),
                "Median document length (tokens)" => c.text(&sec, w, v, &num(median)),
                // No command reports the files read, their encodings and formats, or the
                // inputs skipped.
                "Files read" | "Encodings" | "Formats" | "Files skipped or failed" => {}
                _ => c.fail(&sec, format!("unexpected fact {fact:?}")),
            }
        }
        done.insert("overview".into());
    }

    // options.csv: no computed number, an echo of the options given.
    {
        let o = m.options();
        let sec = "options.csv (the options given)";
        c.text(sec, "--top", &o["--top"], &top_s);
        match &m.by {
            Some(by) => c.text(sec, "--by", o.get("--by").map_or("", String::as_str), by),
            None => c.check(sec, !o.contains_key("--by"), || "--by listed".into()),
        }
        c.check(
            sec,
            o.contains_key("--reference") != m.reference.is_empty(),
            || "--reference listed or not as given".into(),
        );
    }

    // Every other file: keyness (checked by `check_keyness`), or one no command reproduces.
    for stem in m.stems() {
        if !done.contains(&stem) && !is_keyness(&stem) && !NOT_REPRODUCIBLE.contains(&stem.as_str())
        {
            c.fail(
                "data/*.csv",
                format!("{stem}.csv: no check knows this report file"),
            );
        }
    }
}

/// `kalima_report::sections::num`: integers as is, else 1, 3 or 4 decimals by magnitude.
fn num(x: f64) -> String {
    if x.is_nan() {
        return "—".into();
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

// ---------------------------------------------------------------------------------------
// Keyness.

/// Corpus size behind a command's per-million column: count × 10⁶ / per million, from the
/// first row with a non-zero count (`kalima keyness` prints no sizes).
fn size_from(rows: &[&Row], count: &str, pm: &str) -> Option<u64> {
    rows.iter().find_map(|r| {
        let n: f64 = r[count].parse().ok()?;
        let p: f64 = r[pm].parse().ok()?;
        (n > 0.0 && p > 0.0).then(|| (n * 1e6 / p).round() as u64)
    })
}

/// Checks keyness_tables.csv and every keyness_N.csv against `kalima keyness`.
fn check_keyness(m: &Made, c: &mut Checks) {
    let text = m.text_options();
    let stop = m.stopwords();
    let top = m.top();
    let tables = m.rows("keyness_tables");
    let stems: BTreeSet<String> = m
        .stems()
        .into_iter()
        .filter(|s| s.starts_with("keyness_") && s != "keyness_tables")
        .collect();
    c.len(
        "keyness_tables.csv",
        "tables listed vs keyness_N.csv files",
        tables.len(),
        stems.len(),
    );
    // With --by FIELD, one run of `keyness --by FIELD` serves every group.
    let by_field =
        m.by.as_deref()
            .filter(|b| !b.eq_ignore_ascii_case("file"))
            .map(|field| {
                command(
                    "keyness",
                    &[with(&text, &["--by", field]), stop.clone()].concat(),
                    &m.inputs,
                )
            });
    // One table against the reference, then one per group (per input file with `--by file`,
    // per value of the field with `--by FIELD`, as `keyness --by FIELD` groups them).
    let groups = match (&m.by, &by_field) {
        (None, _) => 0,
        (Some(_), Some(k)) => k
            .rows
            .iter()
            .map(|r| r["group"].as_str())
            .collect::<BTreeSet<_>>()
            .len(),
        (Some(_), None) => m.inputs.len(),
    };
    c.len(
        "keyness_tables.csv",
        "tables (reference, then groups)",
        tables.len(),
        usize::from(!m.reference.is_empty()) + groups,
    );
    for t in &tables {
        let stem = t["table"].as_str();
        let target = t["target"].as_str();
        // The comparison and the command that makes it.
        let (shown, rows): (String, Vec<Row>) = if target == "corpus"
            && t["reference"].starts_with("reference (")
        {
            let mut opts = with(&text, &["-r"]);
            opts.extend(m.reference.iter().cloned());
            opts.extend(stop.clone());
            let k = command("keyness", &opts, &m.inputs);
            (k.shown, k.rows)
        } else if m
            .by
            .as_deref()
            .is_some_and(|b| b.eq_ignore_ascii_case("file"))
        {
            // `kalima keyness --by` has no `file` grouping; a file's table is, by the report's
            // definition, that file against the rest of the inputs: `keyness FILE -r OTHERS`.
            let others: Vec<String> = m.inputs.iter().filter(|p| *p != target).cloned().collect();
            assert_eq!(
                others.len() + 1,
                m.inputs.len(),
                "{target} is not an input file"
            );
            let mut opts = with(&text, &["-r"]);
            opts.extend(others);
            opts.extend(stop.clone());
            let k = command("keyness", &opts, &[target.to_string()]);
            (k.shown, k.rows)
        } else {
            let k = by_field.as_ref().expect("a group table without --by");
            let rows: Vec<Row> = k
                .rows
                .iter()
                .filter(|r| r["group"] == target)
                .cloned()
                .collect();
            (k.shown.clone(), rows)
        };
        let mut reference: String = t["reference"].chars().take(40).collect();
        if reference.len() < t["reference"].len() {
            reference.push('…');
        }
        let sec = format!("{stem}.csv ({} vs {reference}) ⇔ {shown}", short(target));
        let all: Vec<&Row> = rows.iter().collect();
        if all.is_empty() {
            c.fail(&sec, "the command has no rows for this comparison".into());
            continue;
        }
        // Corpus sizes (keyness_tables.csv).
        let ts = size_from(&all, "count_target", "per_million_target");
        let rs = size_from(&all, "count_reference", "per_million_reference");
        c.int(
            &sec,
            "keyness_tables target_tokens",
            &t["target_tokens"],
            &ts.map_or("?".into(), |n| n.to_string()),
        );
        c.int(
            &sec,
            "keyness_tables reference_tokens",
            &t["reference_tokens"],
            &rs.map_or("?".into(), |n| n.to_string()),
        );
        if !m.data(stem).exists() {
            c.fail(&sec, format!("{stem}.csv is missing"));
            continue;
        }
        let rep = m.rows(stem);
        // Which terms: the command's rows (ordered by G², then term) that are more frequent
        // in the target with G² ≥ 3.84, the first N.
        let chosen: Vec<&str> = all
            .iter()
            .filter(|r| {
                r["count_target"] != "0" && r["ll"].parse::<f64>().is_ok_and(|x| x >= LL_CRITICAL)
            })
            .take(top)
            .map(|r| r["term"].as_str())
            .collect();
        c.len(&sec, "rows (G² ≥ 3.84, first N)", rep.len(), chosen.len());
        for (i, (r, k)) in rep.iter().zip(&chosen).enumerate() {
            c.text(&sec, &format!("row {} term", i + 1), &r["term"], k);
        }
        // The numbers of each shown term, looked up by term (the order depends on G², which
        // depends on the sizes).
        let by_term: HashMap<&str, &Row> = all.iter().map(|r| (r["term"].as_str(), *r)).collect();
        for (i, r) in rep.iter().enumerate() {
            let term = r["term"].as_str();
            let at = format!("row {} ({term})", i + 1);
            let Some(k) = by_term.get(term) else {
                c.fail(&sec, format!("{at}: not in the command's output"));
                continue;
            };
            c.int(
                &sec,
                &format!("{at} target_freq"),
                &r["target_freq"],
                &k["count_target"],
            );
            c.int(
                &sec,
                &format!("{at} reference_freq"),
                &r["reference_freq"],
                &k["count_reference"],
            );
            c.float(
                &sec,
                &format!("{at} log_likelihood"),
                &r["log_likelihood"],
                &k["ll"],
            );
            c.float(
                &sec,
                &format!("{at} log_ratio"),
                &r["log_ratio"],
                &k["log_ratio"],
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The corpora.

fn path_string(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// data/sample as one input folder, no comparison.
fn sample_report() -> &'static Made {
    static R: OnceLock<Made> = OnceLock::new();
    R.get_or_init(|| make_report("sample", vec![path_string(&sample())], vec![], None))
}

/// The sample's files, in name order.
fn sample_files() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(sample())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| path_string(&p))
        .collect();
    v.sort();
    v
}

/// The first 100 files of data/sample against the other 99 (`--reference`) and each file
/// against the rest of the first 100 (`--by file`).
fn sample_comparison_report() -> &'static Made {
    static R: OnceLock<Made> = OnceLock::new();
    R.get_or_init(|| {
        let files = sample_files();
        assert!(files.len() > 150, "data/sample has {} files", files.len());
        let (target, reference) = files.split_at(100);
        make_report(
            "sample-comparison",
            target.to_vec(),
            reference.to_vec(),
            Some("file"),
        )
    })
}

/// A slice of the ANT corpus (shared/data/ant_multisource): every 150th article of the
/// archive (200, all five sources, several months) as the target, every 300th from the 75th
/// (100 others) as the reference; TREC files with SRC and TIME.
fn ant_report() -> Option<&'static Made> {
    static R: OnceLock<Option<Made>> = OnceLock::new();
    R.get_or_init(|| {
        let shared = shared_data()?;
        let tar_xz = shared.join("ant_multisource/ant_multisource_v2.1.tar.xz");
        assert!(
            tar_xz.is_file(),
            "{} is missing from the shared data",
            tar_xz.display()
        );
        let root = scratch("ant");
        let (t_dir, r_dir) = (root.join("target"), root.join("reference"));
        let f = std::fs::File::open(&tar_xz).unwrap();
        let mut ar = tar::Archive::new(xz2::read::XzDecoder::new(std::io::BufReader::new(f)));
        let (mut i, mut nt, mut nr) = (0usize, 0usize, 0usize);
        for e in ar.entries().unwrap() {
            let mut e = e.unwrap();
            let path = e.path().unwrap().into_owned();
            if !e.header().entry_type().is_file() || path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let dest = if i % 150 == 0 && nt < 200 {
                nt += 1;
                Some(&t_dir)
            } else if i % 300 == 75 && nr < 100 {
                nr += 1;
                Some(&r_dir)
            } else {
                None
            };
            i += 1;
            if let Some(d) = dest {
                let p = d.join(&path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                e.unpack(&p).unwrap();
            }
        }
        assert_eq!((nt, nr), (200, 100), "the ANT archive has {i} articles");
        Some(make_report(
            "ant-report",
            vec![path_string(&t_dir)],
            vec![path_string(&r_dir)],
            Some("SRC"),
        ))
    })
    .as_ref()
}

// ---------------------------------------------------------------------------------------
// The tests.

#[test]
fn sample_report_numbers_match_their_commands() {
    let m = sample_report();
    let mut c = Checks::default();
    check_sections(m, &mut c);
    // Without --reference or --by there is no keyness table.
    c.check("keyness", !m.stems().iter().any(|s| is_keyness(s)), || {
        "keyness tables without --reference or --by".into()
    });
    c.finish("data/sample");
}

#[test]
fn sample_comparison_report_numbers_match_their_commands() {
    let mut c = Checks::default();
    check_sections(sample_comparison_report(), &mut c);
    c.finish("data/sample, 100 files --reference 99 --by file (sections but keyness)");
}

#[test]
fn sample_comparison_report_keyness_matches_kalima_keyness() {
    let mut c = Checks::tagged(ISSUE_15);
    check_keyness(sample_comparison_report(), &mut c);
    c.finish("data/sample, 100 files --reference 99 --by file (keyness)");
}

#[test]
fn shared_ant_report_numbers_match_their_commands() {
    let Some(m) = ant_report() else { return };
    let mut c = Checks::default();
    check_sections(m, &mut c);
    // The slice has dates in several months: the report has terms over time (which no
    // command reproduces) — the file exists, so the exemption above is not dead.
    c.check("over_time.csv", m.data("over_time").exists(), || {
        "no terms over time on a dated corpus".into()
    });
    c.finish("shared ANT slice, 200 articles --reference 100 --by SRC (sections but keyness)");
}

#[test]
fn shared_ant_report_keyness_matches_kalima_keyness() {
    let Some(m) = ant_report() else { return };
    let mut c = Checks::tagged(ISSUE_15);
    check_keyness(m, &mut c);
    c.finish("shared ANT slice, 200 articles --reference 100 --by SRC (keyness)");
}
