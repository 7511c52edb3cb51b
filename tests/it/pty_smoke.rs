//! The real binary in a pseudo-terminal against the embedded demo org.

use crate::e2e_tui::{choose, press_and_settle};
use crate::pty::{Pty, keys};

const PASSWORD: &str = "Sturdy-Pass-42";

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
    choose(&mut tui, "Sign-in", "Password");
    press_and_settle(&mut tui, keys::TAB);
    tui.type_text(PASSWORD);
    let screen = tui.wait_text(&"•".repeat(PASSWORD.len()));
    assert!(!screen.contains(PASSWORD), "the password is masked while typed:\n{screen}");
    tui.send(keys::CTRL_S);
    let screen = tui.wait_text("Created quinn.ptytest@example.com");
    assert!(screen.contains("Quinn Ptytest"), "new user listed:\n{screen}");
    assert!(screen.contains("Quinn Ptytest  ● ACTIVE"), "and shown in detail, active with its password:\n{screen}");
    assert!(!screen.contains(PASSWORD), "password never on screen:\n{screen}");
    tui.send("m");
    let log = tui.wait_text("Messages");
    assert!(!log.contains(PASSWORD), "nor in the messages:\n{log}");
    tui.send(keys::ESC);
    tui.wait_for("the messages to close", |s| !s.contains("Messages"));

    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    assert!(!tui.alternate_screen(), "alternate screen left on exit");
    assert!(!tui.cursor_hidden(), "cursor visible again");
}

#[test]
fn a_real_resize_lays_the_screen_out_again() {
    let mut tui = Pty::spawn(&["--demo"], 140, 46);
    // 140 columns set the list and the detail side by side; 100 stack
    // them. Once the shown user's groups are in, nothing else is on its
    // way: only the SIGWINCH can make the program draw again.
    let side_by_side = |s: &str| s.lines().any(|l| l.contains("┐┌ [Profile]"));
    tui.wait_for("the side-by-side layout, groups loaded", |s| side_by_side(s) && s.contains("Everyone, IT, Managers"));
    tui.resize(100, 30);
    tui.wait_for("the stacked layout", |s| !side_by_side(s) && s.contains("Demo Admin"));
    tui.resize(140, 46);
    let screen = tui.wait_for("the side-by-side layout again", side_by_side);
    assert!(screen.lines().count() > 30 && screen.contains("Demo Admin"), "{screen}");
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
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

/// The pid of `oktui` running under `parent`.
fn child_pid(parent: u32) -> Option<u32> {
    let out = std::process::Command::new("pgrep").args(["-P", &parent.to_string(), "oktui"]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).split_whitespace().next()?.parse().ok()
}

fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit(')').next()?.trim_start().chars().next()
}

#[test]
fn ctrl_z_suspends_and_resumes_cleanly() {
    // Job control needs a shell: a process group without one is orphaned
    // and POSIX discards SIGTSTP for it. bash -i gives oktui a job.
    let bin = env!("CARGO_BIN_EXE_oktui");
    // Stopped, the job hands the terminal back to the shell, which waits a
    // moment (so the test sees the stop) and then resumes it with `fg`.
    let script = format!("{bin} --demo --log-file /dev/null; sleep 2; fg; echo oktui-exited");
    let mut tui = Pty::spawn_program("bash", &["--norc", "--noprofile", "-i", "-c", &script], 100, 30);
    tui.wait_text("Demo Admin");
    let shell = tui.pid().expect("shell pid");
    let pid = child_pid(shell).expect("oktui under the shell");
    tui.send("\x1a");
    tui.wait_for("oktui stopped", |_| process_state(pid) == Some('T'));
    tui.wait_for("the terminal handed back", |_| !tui.alternate_screen());
    assert!(!tui.cursor_hidden());
    tui.wait_for("the UI back after fg", |s| tui.alternate_screen() && s.contains("Demo Admin"));
    tui.send("j");
    tui.wait_text("Iris Yarrowdale  ● ACTIVE");
    tui.send("q");
    tui.wait_text("oktui-exited");
    assert!(!tui.alternate_screen());
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut tui = Pty::spawn(&["--demo"], 100, 30);
    tui.wait_text("Demo Admin");
    let pid = tui.pid().expect("pid");
    assert!(std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
    tui.wait_exit();
    assert!(!tui.alternate_screen(), "alternate screen left");
    assert!(!tui.cursor_hidden(), "cursor shown");
}

#[test]
fn ctrl_l_repaints_without_leaving() {
    let mut tui = Pty::spawn(&["--demo"], 100, 30);
    tui.wait_text("│Profile");
    let before = tui.wait_stable();
    // Something else wipes the terminal; only a full repaint brings the
    // frame back (a redraw sends just the cells that changed: none). The
    // first and last lines are left out: the header counts down to the
    // rate limit's reset, and a message may expire meanwhile.
    let body = |s: &str| s.lines().skip(1).take(28).map(str::to_owned).collect::<Vec<_>>();
    tui.scribble("\x1b[2J");
    assert!(!tui.screen().contains("Demo Admin"));
    tui.send("\x0c");
    tui.wait_for("the whole frame repainted", |s| body(s) == body(&before));
    tui.send("j");
    tui.wait_text("Iris Yarrowdale  ● ACTIVE");
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
}

#[test]
fn a_panic_restores_the_terminal_and_says_what_happened() {
    let mut tui =
        Pty::spawn_with_env(&["--demo", "--mouse"], 100, 30, &[("OKTUI_TEST_PANIC_KEY", "!"), ("RUST_BACKTRACE", "0")]);
    tui.wait_text("Demo Admin");
    assert!(tui.mouse_captured(), "--mouse asks for mouse events");
    tui.send("!");
    assert_ne!(tui.wait_exit(), 0, "a panic is a failure exit");
    assert!(!tui.alternate_screen(), "alternate screen left");
    assert!(!tui.cursor_hidden(), "cursor shown");
    assert!(!tui.mouse_captured(), "mouse capture off");
    let screen = tui.screen();
    assert!(screen.contains("oktui crashed"), "a clear message:\n{screen}");
    assert!(screen.contains("forced by OKTUI_TEST_PANIC_KEY"), "with the panic's own text:\n{screen}");
}

#[test]
fn ctrl_c_while_a_request_hangs_quits_and_restores() {
    // An org that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let mut tui = Pty::spawn(&["--org-url", &url, "--token", "t"], 100, 30);
    tui.wait_text("Loading users");
    tui.send("j");
    tui.send(keys::CTRL_C);
    assert_eq!(tui.wait_exit(), 0);
    assert!(!tui.alternate_screen());
    assert!(!tui.cursor_hidden());
    drop(listener);
}
