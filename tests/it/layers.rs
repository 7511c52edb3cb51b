//! Which part may use which: a lower part never reaches up. Read from the
//! sources, so a stray `use` fails here rather than in a review.

use std::path::Path;

/// Every `.rs` file under `dir` with its text.
fn sources(dir: &str) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut out);
    assert!(!out.is_empty(), "no sources under {dir}");
    out
}

fn assert_none_use(dir: &str, forbidden: &[&str], why: &str) {
    for (path, text) in sources(dir) {
        for word in forbidden {
            assert!(!text.contains(word), "{path} uses {word}: {why}");
        }
    }
}

#[test]
fn the_export_takes_nothing_from_the_command_line() {
    assert_none_use("src/export", &["crate::cli", "super::super::cli"], "the command line translates its flags");
}

#[test]
fn the_ui_borrows_nothing_from_the_export() {
    assert_none_use("src/ui", &["crate::export"], "display helpers live with the display");
}

#[test]
fn the_api_client_knows_nothing_of_the_terminal_or_the_app() {
    assert_none_use("src/okta", &["ratatui", "crossterm", "crate::app", "crate::ui", "crate::cli"], "layers");
}
