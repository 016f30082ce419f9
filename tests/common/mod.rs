//! Helpers shared by the end-to-end test files (each `tests/*.rs` is its own crate).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

/// The `kalima` binary, with the environment cleared of thread settings.
pub fn kalima() -> Command {
    let mut c = Command::cargo_bin("kalima").unwrap();
    c.env_remove("RAYON_NUM_THREADS");
    c
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled sample corpus.
pub fn sample() -> PathBuf {
    root().join("data/sample")
}

/// The shared corpora ($KALIMA_SHARED_DATA, else `../shared/data`), or `None` with a message
/// when absent. Under `KALIMA_REQUIRE_DATA=1` (set by CI) an absent folder is a failure, not a
/// skip: a test that silently does nothing must not pass as "ok" where the data should be.
pub fn shared_data() -> Option<PathBuf> {
    let p = std::env::var_os("KALIMA_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data"));
    if p.is_dir() {
        Some(p)
    } else {
        assert!(
            std::env::var("KALIMA_REQUIRE_DATA").as_deref() != Ok("1"),
            "the shared corpora are required (KALIMA_REQUIRE_DATA=1) but {} is not a directory",
            p.display()
        );
        eprintln!(
            "skipped: {} is absent (set KALIMA_SHARED_DATA; KALIMA_REQUIRE_DATA=1 makes this fail)",
            p.display()
        );
        None
    }
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Out {
    /// Exit status (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Run `cmd` with `stdin` as input.
pub fn run(cmd: &mut Command, stdin: &[u8]) -> Out {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let o = child.wait_with_output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Run `kalima ARGS` with empty stdin.
pub fn kalima_run(args: &[&str]) -> Out {
    run(kalima().args(args), b"")
}

/// `name` on PATH, or `None` with a message (a failure under KALIMA_REQUIRE_TOOLS=1).
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("KALIMA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{name} is required (KALIMA_REQUIRE_TOOLS=1) but not on PATH"
        );
        eprintln!("skipped: {name} is not installed (set KALIMA_REQUIRE_TOOLS=1 to require it)");
    }
    found
}

/// Headless Chromium with `args`, its log on stderr.
pub fn chromium(args: &[&str]) -> std::process::Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .args(args)
        .output()
        .unwrap()
}

/// Rows of CSV text (with a header) as column → value maps, in order.
pub fn csv_text_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            h.iter()
                .zip(rec.unwrap().iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Rows of `kalima ARGS --format csv -q`, which must succeed.
pub fn command_rows(args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut a = args.to_vec();
    a.extend(["--format", "csv", "-q"]);
    let o = kalima_run(&a);
    assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
    csv_text_rows(&o.stdout)
}
