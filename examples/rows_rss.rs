//! Resident memory of a process holding the TUI's state with N users
//! loaded (default 1,000,000): rows parsed from JSON pages and appended
//! page by page as the app does, then one frame drawn. Prints one line of
//! `key=value` figures for `scripts/bench`.
//!
//! `cargo run --release --example rows_rss -- [N]`

#[path = "../benches/common/rows.rs"]
mod common;

use oktui::app::State;
use oktui::okta::rows_from_json;
use oktui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A memory figure for fewer rows than asked would be a lie: stop instead.
fn fail(why: &str) -> ! {
    eprintln!("rows_rss: {why}");
    std::process::exit(1);
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let before = status_kb("VmRSS:");
    let mut state = State::new("bench.okta.com");
    let mut from = 0;
    while from < n {
        let count = (n - from).min(200);
        let rows = match rows_from_json(common::page_json(from, count).as_bytes()) {
            Ok(rows) if rows.len() == count => rows,
            Ok(rows) => fail(&format!("a page of {count} users parsed into {} rows", rows.len())),
            Err(e) => fail(&format!("a page did not parse: {e}")),
        };
        state.list.append_page(rows, None);
        from += count;
    }
    let mut terminal = match Terminal::new(TestBackend::new(160, 48)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rows_rss: cannot make a test terminal: {e}");
            std::process::exit(1);
        }
    };
    let _ = terminal.draw(|frame| {
        oktui::ui::draw(frame, &state, &Theme::default());
    });
    if state.list.rows.len() != n {
        fail(&format!("{} rows loaded, not {n}", state.list.rows.len()));
    }
    let heap: usize = state.list.rows.iter().map(|r| r.heap_bytes()).sum();
    println!(
        "rows={} rss_before_kb={before} rss_kb={} peak_kb={} rows_inline_kb={} rows_heap_kb={}",
        state.list.rows.len(),
        status_kb("VmRSS:"),
        status_kb("VmHWM:"),
        state.list.rows.capacity() * std::mem::size_of::<oktui::okta::UserRow>() / 1024,
        heap / 1024
    );
}
