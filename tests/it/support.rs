//! Shared test helpers: an embedded org on loopback and a client for it.

#![allow(dead_code)] // shared helpers: not every suite uses every one

use oktui::emulator::{self, OrgConfig, RunningOrg};
use oktui::okta::{Client, ClientConfig, OrgUrl, Secret};

pub const TOKEN: &str = "test-token-0123456789";

pub async fn demo_org() -> RunningOrg {
    emulator::start(&OrgConfig::demo(TOKEN), ([127, 0, 0, 1], 0).into()).await.expect("org starts")
}

pub fn client_for(org: &RunningOrg) -> Client {
    let url = OrgUrl::parse(&org.url()).expect("loopback url");
    Client::new(ClientConfig::new(url, Secret::new(TOKEN))).expect("client")
}

/// An org built from `config` on a free loopback port.
pub async fn org_with(config: OrgConfig) -> RunningOrg {
    emulator::start(&config, ([127, 0, 0, 1], 0).into()).await.expect("org starts")
}

/// One HTTP answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
    /// The body as JSON (`Null` when empty or not JSON).
    pub body: serde_json::Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The URL of the `Link` with this `rel`.
    pub fn link(&self, rel: &str) -> Option<String> {
        let wanted = format!("rel=\"{rel}\"");
        self.headers.get_all("link").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
            let (url, params) = v.split_once(';')?;
            (params.trim() == wanted).then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
        })
    }

    pub fn error_code(&self) -> Option<&str> {
        self.body.get("errorCode").and_then(|c| c.as_str())
    }

    pub fn causes(&self) -> Vec<String> {
        self.body["errorCauses"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["errorSummary"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }

    /// Panics with the whole answer unless the status is `status`.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(self.status, status, "unexpected answer: {}", self.text);
        self
    }

    /// Asserts an Okta error with this status and code.
    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Self {
        assert_eq!((self.status, self.error_code()), (status, Some(code)), "unexpected answer: {}", self.text);
        self
    }
}

/// A raw HTTP caller for the org's API, authenticated like an SDK.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub auth: Option<String>,
    client: reqwest::Client,
}

impl Api {
    pub fn new(org: &RunningOrg) -> Self {
        Self::with_auth(org, Some(format!("SSWS {TOKEN}")))
    }

    pub fn with_auth(org: &RunningOrg, auth: Option<String>) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client =
            reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build().expect("http client");
        Self { base: org.url(), auth, client }
    }

    pub fn absolute(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", self.base) }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let req = match &self.auth {
            Some(a) => req.header("authorization", a),
            None => req,
        };
        let resp = req.send().await.expect("request reaches the org");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        Reply { status, headers, text, body }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(self.absolute(path))).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(self.client.delete(self.absolute(path))).await
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> Reply {
        self.send(self.client.post(self.absolute(path)).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: serde_json::Value) -> Reply {
        self.send(self.client.put(self.absolute(path)).json(&body)).await
    }

    /// A POST with no body at all (as SDKs send lifecycle operations).
    pub async fn post_empty(&self, path: &str) -> Reply {
        self.send(self.client.post(self.absolute(path))).await
    }

    pub fn raw(&self) -> &reqwest::Client {
        &self.client
    }
}

/// A profile that passes every check, for `login`.
pub fn valid_profile(login: &str) -> serde_json::Value {
    serde_json::json!({"firstName": "Robin", "lastName": "Testcase", "email": login, "login": login})
}

/// `oktui SUBCOMMAND ARGS` against the org at `url`, sandboxed in `dir`
/// (home, config, log file) with the token from the environment, as an
/// admin would run it, so a printed resume hint is a command that runs.
pub fn oktui_command(dir: &std::path::Path, url: &str, subcommand: &str, args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_oktui"));
    command
        .arg(subcommand)
        .args(args)
        .args(["--org-url", url, "--log-file"])
        .arg(dir.join("oktui.log"))
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("OKTA_CLIENT_TOKEN", TOKEN)
        .env_remove("OKTA_CLIENT_ORGURL");
    command
}
