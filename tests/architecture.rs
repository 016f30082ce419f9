//! The shape ARCHITECTURE.md promises, checked: a thin binary, commands that do not import one
//! another, and crates that only depend downwards.

use std::collections::BTreeMap;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `(path, lines)` of every Rust file under `dir`.
fn rust_files(dir: &Path) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            out.push((p.display().to_string(), text.lines().count()));
        }
    }
    out
}

#[test]
fn the_binary_is_thin() {
    let files = rust_files(&root().join("src"));
    let total: usize = files.iter().map(|(_, n)| n).sum();
    assert!(
        total <= 2_500,
        "src/ has {total} lines (at most 2,500): {files:?}"
    );
    for (path, n) in &files {
        assert!(*n <= 400, "{path} has {n} lines (at most 400)");
    }
}

#[test]
fn no_command_imports_another() {
    for (path, _) in rust_files(&root().join("src/cmd")) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            assert!(
                !line.contains("crate::cmd::") && !line.contains("super::"),
                "{path}:{}: a command module imports another: {line}",
                i + 1
            );
        }
    }
}

/// The `kalima*` dependencies (normal, not dev) of every workspace crate.
fn internal_deps() -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = e.unwrap().path();
        let Ok(toml) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let mut deps = Vec::new();
        let mut in_deps = false;
        for line in toml.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_deps = line == "[dependencies]";
            } else if in_deps && line.starts_with("kalima") {
                deps.push(line.split(['.', ' ', '=']).next().unwrap().to_string());
            }
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        deps.sort();
        out.insert(name, deps);
    }
    out
}

#[test]
fn crates_depend_only_downwards() {
    // The table of ARCHITECTURE.md: what each crate may depend on.
    let allowed: &[(&str, &[&str])] = &[
        ("kalima-fs", &[]),
        ("kalima-text", &[]),
        ("kalima-corpus", &[]),
        ("kalima-stats", &["kalima-fs", "kalima-text"]),
        ("kalima-frame", &["kalima-fs", "kalima-text"]),
        ("kalima-plot", &["kalima-text"]),
        ("kalima-report", &["kalima-text"]),
        ("kalima-bench", &["kalima-stats", "kalima-text"]),
    ];
    let deps = internal_deps();
    for (krate, may) in allowed {
        let got = deps
            .get(*krate)
            .unwrap_or_else(|| panic!("no crate {krate}"));
        for d in got {
            assert!(
                may.contains(&d.as_str()),
                "{krate} depends on {d}: not allowed"
            );
        }
    }
    // Nothing below the API crate depends on it.
    for (krate, got) in &deps {
        assert!(
            !got.contains(&"kalima".to_string()),
            "{krate} depends on the API crate"
        );
    }
}

#[test]
fn polars_and_clap_stay_in_their_crates() {
    for e in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = e.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(toml) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let has = |dep: &str| toml.lines().any(|l| l.trim_start().starts_with(dep));
        if name != "kalima-frame" {
            assert!(
                !has("polars"),
                "{name} depends on polars (only kalima-frame may)"
            );
        }
        assert!(!has("clap"), "{name} depends on clap (only the binary may)");
        assert!(
            !has("indicatif"),
            "{name} depends on indicatif (only the binary may)"
        );
    }
}
