//! The official Okta Python SDK against the embedded org, as an admin's
//! script would use it (scripts/okta_sdk_check.py): a real client that was
//! not written by us must not be able to tell the org from Okta.
//!
//! The SDK comes from `scripts/okta-sdk-venv`, which `.ci/run` calls before
//! the tests; elsewhere the test says how to get it and skips, except in
//! CI, where a missing SDK is a failure.

use crate::support::{TOKEN, org_with};
use oktui::emulator::OrgConfig;
use std::path::{Path, PathBuf};
use std::process::Command;

fn sdk_python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/okta-sdk/venv/bin/python");
    let usable = Command::new(&python).args(["-c", "import okta"]).output().is_ok_and(|o| o.status.success());
    usable.then_some(python)
}

#[test]
fn the_official_python_sdk_works_against_the_org() {
    let Some(python) = sdk_python() else {
        assert!(std::env::var_os("CI").is_none(), "CI must run scripts/okta-sdk-venv before the tests");
        eprintln!("skipped: run scripts/okta-sdk-venv to install the Okta Python SDK for this test");
        return;
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let org = rt.block_on(org_with(OrgConfig::demo(TOKEN).with_rate_limit(100_000)));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/okta_sdk_check.py");
    let out = Command::new(python).arg(script).arg(org.url()).arg(TOKEN).output().expect("run the SDK script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the SDK script failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("okta_sdk_check: all checks passed"), "{stdout}");
    assert!(stdout.lines().filter(|l| l.starts_with("ok ")).count() >= 20, "every check ran:\n{stdout}");
}

/// The System Log through the SDK (scripts/okta_sdk_logs_check.py): a
/// bounded query paged to its end, and a filter (issue 14).
#[test]
fn the_official_python_sdk_reads_the_system_log() {
    let Some(python) = sdk_python() else {
        assert!(std::env::var_os("CI").is_none(), "CI must run scripts/okta-sdk-venv before the tests");
        eprintln!("skipped: run scripts/okta-sdk-venv to install the Okta Python SDK for this test");
        return;
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let org = rt.block_on(org_with(OrgConfig::demo(TOKEN).with_rate_limit(100_000)));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/okta_sdk_logs_check.py");
    let out = Command::new(python).arg(script).arg(org.url()).arg(TOKEN).output().expect("run the SDK script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the SDK script failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("okta_sdk_logs_check: all checks passed"), "{stdout}");
    assert!(stdout.lines().filter(|l| l.starts_with("ok ")).count() >= 14, "every check ran:\n{stdout}");
}
