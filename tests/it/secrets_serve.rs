//! `oktui serve` as a process: it requires the token on every request,
//! binds loopback unless told otherwise, refuses a token no client could
//! send, and its TRACE-level log holds none of the secrets that went
//! through it (API token, wrong tokens, client assertions, access tokens,
//! passwords, recovery answers, activation tokens, temporary passwords).

use crate::secrets_support::{Home, assert_clean};
use clap::Parser;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oktui::cli::{Cli, Command};
use oktui::okta::{
    Client, ClientConfig, CreateUser, Credentials, KeySource, LifecycleOp, LifecycleOptions, OrgUrl, PrivateKeyAuth,
    Secret,
};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const TOKEN: &str = "00serve-SSWS-token-SECRET-8";
const WRONG: &str = "00wrong-token-SECRET-9";
const PASSWORD: &str = "Serve-Pass-SECRET-10";
const ANSWER: &str = "answer-SECRET-11";
const CLIENT_ID: &str = "0oaservelog000000001";

/// A running `oktui serve`, stopped with SIGINT (as Ctrl-C) on drop.
struct Served {
    child: Child,
    url: String,
    /// What it printed before the URL line and including it.
    banner: String,
}

impl Served {
    fn start(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut child = home.command(&all, env).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut banner = String::new();
        let url = loop {
            let line = lines.next().and_then(Result::ok).unwrap_or_else(|| panic!("serve printed no URL: {banner}"));
            banner.push_str(&line);
            banner.push('\n');
            if let Some(url) = line.trim().strip_prefix("OKTA_CLIENT_ORGURL=") {
                break url.to_owned();
            }
        };
        // The token line comes after the URL.
        if let Some(Ok(line)) = lines.next() {
            banner.push_str(&line);
        }
        Self { child, url, banner }
    }

    /// Stops it as Ctrl-C would, so the log is flushed; returns its stderr.
    fn stop(mut self) -> String {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signalling our own child process.
        unsafe { libc::kill(pid, libc::SIGINT) };
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().ok().flatten().is_none() {
            assert!(std::time::Instant::now() < deadline, "serve did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        stderr
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oauth").join(name)
}

/// A client assertion signed with the fixture RSA key.
fn assertion(url: &str) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let claims = json!({"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": format!("{url}/oauth2/v1/token"),
                        "iat": now, "exp": now + 300, "jti": fastrand::u64(..).to_string()});
    let key = EncodingKey::from_rsa_pem(&std::fs::read(fixture("rsa-private.pem")).unwrap()).unwrap();
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap()
}

#[test]
fn serve_at_trace_level_logs_traffic_but_no_secret() {
    let home = Home::new();
    let public_key = fixture("rsa-public.pem");
    let served = Served::start(
        &home,
        &["--token", TOKEN, "--oauth-client-id", CLIENT_ID, "--oauth-public-key", public_key.to_str().unwrap()],
        &[],
    );
    assert!(!served.banner.contains(TOKEN), "a given token is not printed back: {}", served.banner);
    let url = served.url.clone();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut seen_secrets: Vec<String> = Vec::new();
    runtime.block_on(async {
        let org = OrgUrl::parse(&url).unwrap();
        let ssws = Client::new(ClientConfig::new(org.clone(), Secret::new(TOKEN))).unwrap();
        let mut create = CreateUser::new(
            json!({"firstName": "Log", "lastName": "Watch", "email": "log.watch@example.com", "login": "log.watch@example.com"})
                .as_object()
                .cloned()
                .unwrap(),
        );
        create.activate = false;
        create.credentials =
            Credentials::PasswordAndRecovery { password: PASSWORD.into(), question: "Colour?".into(), answer: ANSWER.into() };
        let user = ssws.create_user(&create).await.unwrap();
        let none = LifecycleOptions { send_email: Some(false), ..LifecycleOptions::default() };
        for op in [LifecycleOp::Activate, LifecycleOp::ExpirePasswordWithTempPassword, LifecycleOp::ResetPassword] {
            let outcome = ssws.run_lifecycle(user.id(), op, &none).await.unwrap_or_else(|e| panic!("{op:?}: {e}"));
            for secret in [&outcome.activation_token, &outcome.activation_url, &outcome.temp_password, &outcome.reset_password_url] {
                seen_secrets.extend(secret.as_ref().map(|s| s.expose().to_owned()));
            }
        }
        assert!(seen_secrets.len() >= 3, "the org answered secrets to watch for: {}", seen_secrets.len());

        let http = reqwest::Client::new();
        let wrong = http.get(format!("{url}/api/v1/users/me")).header("authorization", format!("SSWS {WRONG}"));
        assert_eq!(wrong.send().await.unwrap().status(), 401);
        let jwt = assertion(&url);
        let form = [
            ("grant_type", "client_credentials"),
            ("scope", "okta.users.read"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", jwt.as_str()),
        ];
        let answer: serde_json::Value =
            http.post(format!("{url}/oauth2/v1/token")).form(&form).send().await.unwrap().json().await.unwrap();
        let access = answer["access_token"].as_str().expect("an access token").to_owned();
        let bearer = http.get(format!("{url}/api/v1/users?limit=2")).header("authorization", format!("Bearer {access}"));
        assert_eq!(bearer.send().await.unwrap().status(), 200);
        seen_secrets.push(access);
        seen_secrets.push(jwt);

        // The client's own OAuth flow too (its token is unknown to us:
        // the check below looks for anything shaped like one).
        let auth = PrivateKeyAuth {
            client_id: CLIENT_ID.into(),
            scopes: vec!["okta.users.read".into()],
            key: KeySource::File(fixture("rsa-private.jwk.json")),
            key_id: None,
        };
        Client::new(ClientConfig::oauth(org, auth)).unwrap().get_user("me").await.unwrap();
    });
    let stderr = served.stop();
    let log = std::fs::read_to_string(home.log_file()).expect("a log file");

    assert!(log.contains(" TRACE "), "the log is at its most verbose:\n{log}");
    let answered = log.lines().filter(|l| l.contains(" answered ")).count();
    assert!(answered >= 9, "and logged every exchange ({answered}):\n{log}");
    for exchange in [
        "path=\"/oauth2/v1/token\" status=200",
        "path=\"/api/v1/users/me\" status=401",
        "/lifecycle/activate\" status=200",
    ] {
        assert!(log.contains(exchange), "{exchange} logged:\n{log}");
    }
    let mut secrets = vec![TOKEN, WRONG, PASSWORD, ANSWER];
    secrets.extend(seen_secrets.iter().map(String::as_str));
    assert_clean("serve's TRACE log", &log, &secrets);
    assert_clean("serve's stderr", &stderr, &secrets);
    assert!(crate::secrets_support::longest_alphanumeric_run(&log) < 64, "nothing shaped like an access token");
}

#[test]
fn serve_requires_the_token_and_generates_one_when_none_is_given() {
    let home = Home::new();
    let served = Served::start(&home, &[], &[]);
    let token = served
        .banner
        .lines()
        .find_map(|l| l.trim().strip_prefix("OKTA_CLIENT_TOKEN="))
        .expect("a generated token is printed for the admin")
        .to_owned();
    assert!(token.len() >= 40, "{token}");
    let url = served.url.clone();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let statuses: Vec<u16> = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let http = reqwest::Client::new();
        let mut out = Vec::new();
        for auth in
            [None, Some("SSWS wrong".to_owned()), Some(format!("Bearer {token}")), Some(format!("SSWS {token}"))]
        {
            let mut req = http.get(format!("{url}/api/v1/users/me"));
            if let Some(a) = auth {
                req = req.header("authorization", a);
            }
            out.push(req.send().await.unwrap().status().as_u16());
        }
        out
    });
    assert_eq!(statuses, [401, 401, 401, 200]);
    served.stop();
    let log = std::fs::read_to_string(home.log_file()).unwrap_or_default();
    assert!(!log.contains(&token), "the generated token is shown once, on stdout, never logged");
}

#[test]
fn serve_refuses_a_token_no_client_could_present() {
    for (args, env) in [
        (vec!["serve", "--token", ""], vec![]),
        (vec!["serve"], vec![("OKTUI_SERVE_TOKEN", "   ")]),
        (vec!["serve", "--token", "two words"], vec![]),
    ] {
        let home = Home::new();
        let run = home.run(&args, &env);
        assert_ne!(run.code, Some(0), "{run:?}");
        assert!(run.stderr.contains("oktui: the ") && run.stderr.contains("token"), "{run:?}");
        assert!(!run.stdout.contains("listening"), "it did not start: {run:?}");
    }
}

#[test]
fn serve_binds_loopback_unless_told_otherwise_and_hides_its_token_from_debug() {
    let cli = Cli::try_parse_from(["oktui", "serve", "--token", TOKEN]).unwrap();
    let Some(Command::Serve(args)) = &cli.command else { panic!("serve parsed: {cli:?}") };
    assert!(args.listen.ip().is_loopback(), "{}", args.listen);
    assert!(!format!("{cli:?}").contains(TOKEN), "{cli:?}");
    let exposed = Cli::try_parse_from(["oktui", "serve", "--listen", "0.0.0.0:8080"]).unwrap();
    let Some(Command::Serve(args)) = &exposed.command else { panic!() };
    let warning = oktui::emulator::listen::exposure_warning(args.listen).expect("a warning off loopback");
    assert!(warning.contains("0.0.0.0:8080") && warning.contains("needs the token"), "{warning}");
}
