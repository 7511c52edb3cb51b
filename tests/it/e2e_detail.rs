//! The detail pane of the real binary against `--demo`: every line of the
//! admin's user, down to the last lifecycle link, is reachable with each
//! scrolling key at the sizes people use.

use crate::pty::{Pty, keys};

const PAGE_DOWN: &str = "\x1b[6~";
const END: &str = "\x1b[F";

/// Whether the pane shows the admin's last link, `self`.
fn last_link_shown(screen: &str) -> bool {
    // Within a pane (side by side, a line holds the list's row first).
    screen.lines().flat_map(|l| l.split('│')).any(|pane| {
        let words: Vec<&str> = pane.split_whitespace().collect();
        words.starts_with(&["self", "GET"])
    })
}

#[test]
fn the_last_link_of_the_detail_pane_is_reachable_with_every_key_at_every_size() {
    for (cols, rows) in [(80, 24), (140, 42), (220, 90)] {
        let mut tui = Pty::spawn(&["--demo"], cols, rows);
        tui.wait_for("the admin's detail", |s| s.contains("Demo Admin  ● ACTIVE"));
        tui.send(keys::TAB);
        for (name, key, presses) in [("G", "G", 1), ("End", END, 1), ("PgDn", PAGE_DOWN, 30), ("j", "j", 150)] {
            tui.send("g");
            tui.wait_for("the top", |s| s.contains("Demo Admin  ● ACTIVE"));
            tui.send(&key.repeat(presses));
            tui.wait_for(&format!("{name} to reach `self` at {cols}×{rows}"), last_link_shown);
        }
        if cols < 220 {
            // The scroll stopped at the end, so one step up shows it at once.
            tui.send("k");
            tui.wait_for(&format!("k to move up at {cols}×{rows}"), |s| !last_link_shown(s));
        }
        tui.send("q");
        assert_eq!(tui.wait_exit(), 0);
    }
}
