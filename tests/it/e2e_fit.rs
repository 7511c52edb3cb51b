//! The real binary in a pseudo-terminal for the fit-and-finish behaviour
//! that only shows end to end: how a refused credential is explained.

use crate::pty::Pty;
use crate::support::{TOKEN, org_with};
use oktui::emulator::OrgConfig;

#[test]
fn a_refused_token_says_which_one_and_where_it_was_read_never_its_value() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let org = rt.block_on(org_with(OrgConfig::demo(TOKEN).with_users(5)));
    let url = org.url();
    let wrong = "00wrong-token-that-the-org-refuses";
    let env = [("OKTA_CLIENT_ORGURL", url.as_str()), ("OKTA_CLIENT_TOKEN", wrong)];
    let mut tui = Pty::spawn_with_env(&[], 140, 42, &env);
    // The list's error wraps, so the two halves may sit on two lines.
    let screen = tui.wait_for("the refused token named", |s| {
        s.contains("the org refused the API token from the environment") && s.contains("(OKTA_CLIENT_TOKEN)")
    });
    assert!(!screen.contains("R retries"), "a retry cannot help a wrong token:\n{screen}");
    assert!(!screen.contains(wrong), "the token itself never shows:\n{screen}");
    tui.send("m");
    let log = tui.wait_text("Messages");
    assert!(log.contains("fix it there") && !log.contains(wrong), "{log}");
    tui.send("\x1b");
    tui.wait_for("the log closed", |s| !s.contains("Messages ·"));
    tui.send("q");
    tui.wait_exit();
    let file = std::fs::read_to_string(&tui.log_file).unwrap_or_default();
    assert!(!file.contains(wrong), "nor in the log file");
}
