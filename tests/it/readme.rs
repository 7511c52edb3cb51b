//! The README documents what the binary does.

#[test]
fn keys_table_is_generated_from_the_keymap() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let table = oktui::app::keymap::markdown_table();
    assert!(readme.contains(&table), "README's keys table is out of date; replace it with:\n{table}");
}

#[test]
fn quick_start_is_two_commands_and_ci_runs_the_second() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).expect(".ci/run");
    assert!(readme.contains("cargo run --release -- --demo"));
    assert!(readme.contains("cargo test --locked"));
    assert!(ci.lines().any(|l| l.trim() == "cargo test --locked"), ".ci/run runs the README's test command");
}
