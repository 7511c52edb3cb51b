//! `oktui` with no flags, in a directory with nothing but
//! `~/.okta/okta.yaml` pointing at a running org, opens on that org.

use crate::pty::{Pty, tempdir::Dir};
use crate::support::TOKEN;
use oktui::emulator::{self, OrgConfig};

#[test]
fn no_flags_and_only_the_home_okta_yaml_opens_that_org() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let org = runtime.block_on(emulator::start(&OrgConfig::demo(TOKEN), ([127, 0, 0, 1], 0).into())).unwrap();
    let home = Dir::new();
    let yaml = format!("okta:\n  client:\n    orgUrl: {}\n    token: {TOKEN}\n", org.url());
    std::fs::create_dir_all(home.path.join(".okta")).unwrap();
    std::fs::write(home.path.join(".okta/okta.yaml"), yaml).unwrap();
    let home_str = home.path.to_str().unwrap();
    // Variables a developer may have set must not leak in (empty = unset).
    let env = [("HOME", home_str), ("OKTA_CLIENT_ORGURL", ""), ("OKTA_CLIENT_TOKEN", ""), ("OKTUI_PROFILE", "")];
    let mut tui = Pty::spawn_with_env(&[], 120, 40, &env);
    let screen = tui.wait_text("Demo Admin");
    assert!(screen.contains(&org.addr.to_string()), "the header names the org:\n{screen}");
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0);
    drop(org);
}
