//! Where the recorded Okta traffic lives (`../shared/okta/recorded/`, a
//! sibling checkout, not part of this repository) and its cassettes.
//!
//! A clone without it skips the tests that replay it, with a notice; CI
//! (`CI` set) must have it, as a silently skipped check is no check.

use std::path::{Path, PathBuf};

/// The recordings' directory, or `None` (after saying so) when a user's
/// clone lacks it. Panics in CI.
pub fn dir(test: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/okta/recorded");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {} is missing; CI must check out ../shared beside the repository",
        dir.display()
    );
    eprintln!("{test}: skipped, {} is absent", dir.display());
    None
}

/// Every cassette (`.yaml`) under `dir`, in path order.
pub fn cassettes(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}
