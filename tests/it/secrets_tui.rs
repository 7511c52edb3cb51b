//! The TUI binary in a pseudo-terminal with its log at TRACE level,
//! against an org on loopback, quitting once the first rows show: neither
//! the screen nor the log holds the API token, the private key, a client
//! assertion or an access token.

use crate::pty::Pty;
use crate::secrets_support::{assert_clean, longest_alphanumeric_run};
use oktui::emulator::{self, OrgConfig, RunningOrg, ServiceApp};

const TOKEN: &str = "00tui-SSWS-token-SECRET-12";
const CLIENT_ID: &str = "0oatuilog00000000001";

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/oauth/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn org(runtime: &tokio::runtime::Runtime) -> RunningOrg {
    let app = ServiceApp {
        client_id: CLIENT_ID.into(),
        public_key: std::fs::read_to_string(fixture("ec-public.pem")).unwrap(),
        key_id: None,
        scopes: ["okta.users.read", "okta.groups.read", "okta.schemas.read", "okta.userTypes.read"]
            .map(String::from)
            .to_vec(),
    };
    let config = OrgConfig::demo(TOKEN).with_service_app(app);
    runtime.block_on(emulator::start(&config, ([127, 0, 0, 1], 0).into())).unwrap()
}

/// Opens the TUI with `args`, waits for the first rows, quits, and returns
/// the last screen and the log.
fn first_rows_then_quit(args: &[&str]) -> (String, String) {
    let env = [("OKTUI_LOG", "trace"), ("OKTA_CLIENT_TOKEN", ""), ("OKTA_CLIENT_ORGURL", ""), ("OKTUI_PROFILE", "")];
    let mut tui = Pty::spawn_with_env(args, 120, 40, &env);
    let screen = tui.wait_text("Demo Admin");
    tui.send("q");
    assert_eq!(tui.wait_exit(), 0, "quits cleanly");
    let log = std::fs::read_to_string(&tui.log_file).expect("the log file");
    (screen, log)
}

#[test]
fn an_api_token_shows_nowhere() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let org = org(&runtime);
    let url = org.url();
    let (screen, log) = first_rows_then_quit(&["--org-url", &url, "--token", TOKEN]);
    assert!(log.contains(" TRACE ") && log.contains("okta answered"), "the client's traffic is logged:\n{log}");
    assert_clean("the screen", &screen, &[TOKEN]);
    assert_clean("the TRACE log", &log, &[TOKEN]);
    drop(org);
}

#[test]
fn a_private_key_and_its_access_tokens_show_nowhere() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let org = org(&runtime);
    let url = org.url();
    let key = fixture("ec-private.pem");
    let args = [
        "--org-url",
        &url,
        "--authorization-mode",
        "PrivateKey",
        "--client-id",
        CLIENT_ID,
        "--scopes",
        "okta.users.read okta.groups.read okta.schemas.read okta.userTypes.read",
        "--private-key",
        &key,
    ];
    let (screen, log) = first_rows_then_quit(&args);
    assert!(log.contains("fetched an access token") && log.contains("okta answered"), "OAuth traffic logged:\n{log}");
    assert_clean("the screen", &screen, &[]);
    assert_clean("the TRACE log", &log, &[]);
    // The org's access tokens are 64 letters and digits; nothing else in
    // the log comes close.
    assert!(longest_alphanumeric_run(&log) < 64, "something shaped like an access token in:\n{log}");
    assert!(!log.contains("Bearer "), "{log}");
    drop(org);
}
