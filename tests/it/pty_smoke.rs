//! The real binary in a pseudo-terminal against the embedded demo org.

use crate::pty::{Pty, keys};

#[test]
fn demo_lists_users_creates_one_and_restores_the_terminal() {
    let mut tui = Pty::spawn(&["--demo"], 120, 40);
    tui.wait_text("Demo Admin");
    assert!(tui.alternate_screen(), "the UI draws on the alternate screen");

    tui.send("n");
    tui.wait_text("New user");
    for text in ["Quinn", "Ptytest", "quinn.ptytest@example.com"] {
        tui.type_text(text);
        tui.send(keys::TAB);
    }
    tui.wait_text("Username *             quinn.ptytest@example.com");
    tui.send(keys::CTRL_S);
    let screen = tui.wait_text("Created quinn.ptytest@example.com");
    assert!(screen.contains("Quinn Ptytest"), "new user listed:\n{screen}");
    assert!(screen.contains("Quinn Ptytest  ● PROVISIONED"), "and shown in detail:\n{screen}");

    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    assert!(!tui.alternate_screen(), "alternate screen left on exit");
    assert!(!tui.cursor_hidden(), "cursor visible again");
}

#[test]
fn without_a_terminal_it_fails_cleanly() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oktui"))
        .args(["--demo", "--log-file", "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run oktui");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs an interactive terminal"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    let mut tui = Pty::spawn(&["--demo"], 100, 30);
    tui.wait_text("Demo Admin");
    tui.send(keys::CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
    assert!(!tui.alternate_screen());
    assert!(!tui.cursor_hidden());
}
