//! Fuzz target `org`: the embedded org's request handling, over loopback
//! HTTP, with what `fuzz_org_input` generates and mutates.
//!
//! Properties, for every request:
//! - it is answered within [`BOUND`] (or, for raw bytes, the connection
//!   ends within it): the org never hangs;
//! - no handler or connection task panics (the org's panic count stays 0;
//!   a panic would also show as 500 E0000009);
//! - no 5xx at all (no faults are injected, so any is a bug);
//! - every error is Okta's error object (`errorCode`, `errorSummary`,
//!   `errorLink`, `errorId`, `errorCauses`) as JSON; the token endpoint
//!   answers in OAuth's shape (`error`, `error_description`) instead;
//! - every `Link` header holds well-formed links to absolute URLs;
//! - the token decides: an accepted spelling of it is never refused 401,
//!   anything else never gets a 2xx from an authenticated route.
//!
//! Raw requests that are not HTTP may get hyper's bare 4xx (no body) before
//! any route sees them; anything a route answers is held to the above.

use crate::fuzz_org_input::{Auth, Known, OFF_LIMITS, Req, raw, request};
use crate::fuzz_support::{self, COSTLY, Corpus, Input};
use crate::support::TOKEN;
use oktui::emulator::{self, Faults, OrgConfig, RateLimits, RunningOrg};
use oktui::okta::parse_links;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::Runtime;

/// The longest an answer may take; far above the slowest real one, so
/// only a hang trips it.
pub const BOUND: Duration = Duration::from_secs(20);

struct Harness {
    runtime: Runtime,
    org: RunningOrg,
    http: reqwest::Client,
    tally: Mutex<Tally>,
}

/// What the cases did, so a run shows it was not vacuous.
#[derive(Debug, Default)]
struct Tally {
    sent: u64,
    raw: u64,
    unsendable: u64,
    statuses: BTreeMap<u16, u64>,
}

impl Harness {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let org = runtime
            .block_on(emulator::start(&OrgConfig::demo(TOKEN).with_users(40), ([127, 0, 0, 1], 0).into()))
            .expect("org starts");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().timeout(BOUND).no_proxy().build().unwrap();
        Self { runtime, org, http, tally: Mutex::default() }
    }

    /// Back to no faults and no rate limits: a case must not spoil the next.
    fn reset(&self) {
        self.org.org.set_faults(Faults::default());
        self.org.org.rate_limiter().set_limits(RateLimits::uniform(1_000_000));
    }

    fn known(&self) -> Known {
        let get = |path: &str| -> Vec<String> {
            let url = format!("{}{path}", self.org.url());
            let reply = self.runtime.block_on(async {
                self.http.get(url).header("authorization", format!("SSWS {TOKEN}")).send().await?.json::<Value>().await
            });
            let items = reply.ok().and_then(|v| v.as_array().cloned()).unwrap_or_default();
            items.iter().filter_map(|i| i["id"].as_str().map(str::to_owned)).take(5).collect()
        };
        let mut users = get("/api/v1/users?limit=5");
        users.push("me".into());
        users.push("admin@example.com".into());
        Known { users, groups: get("/api/v1/groups?limit=5"), types: get("/api/v1/meta/types/user") }
    }

    fn panics(&self) -> Result<(), String> {
        match self.org.org.panics() {
            0 => Ok(()),
            n => Err(format!("{n} panic(s) while serving; see the log above")),
        }
    }

    fn tally(&self, change: impl FnOnce(&mut Tally)) {
        change(&mut self.tally.lock().unwrap_or_else(|p| p.into_inner()));
    }

    fn send(&self, req: &Req) -> Result<(), String> {
        let outcome = self.try_send(req);
        match &outcome {
            Ok(Some(status)) => self.tally(|t| {
                t.sent += 1;
                *t.statuses.entry(*status).or_default() += 1;
            }),
            Ok(None) => self.tally(|t| t.unsendable += 1),
            Err(_) => {}
        }
        outcome.map(|_| ())
    }

    /// The status the org answered, or `None` when the request cannot be
    /// sent with a client library (an invalid header, URL or method).
    fn try_send(&self, req: &Req) -> Result<Option<u16>, String> {
        if OFF_LIMITS.contains(&req.path.trim_end_matches('/')) {
            return Ok(None);
        }
        let mut url = format!("{}{}", self.org.url(), req.path);
        if let Some(q) = &req.query {
            url.push('?');
            url.push_str(q);
        }
        let Ok(url) = reqwest::Url::parse(&url) else { return Ok(None) };
        let Ok(method) = reqwest::Method::from_bytes(req.method.as_bytes()) else { return Ok(None) };
        let mut builder = self.http.request(method.clone(), url);
        let header = |bytes: &[u8]| reqwest::header::HeaderValue::from_bytes(bytes).ok();
        match &req.auth {
            Auth::Valid(v) => builder = builder.header("authorization", v.as_str()),
            Auth::Invalid(bytes) => match header(bytes) {
                Some(v) => builder = builder.header("authorization", v),
                None => return Ok(None),
            },
            Auth::None => {}
        }
        if let Some(ct) = req.content_type.as_deref().and_then(|c| header(c.as_bytes())) {
            builder = builder.header("content-type", ct);
        }
        if let Some(host) = &req.host {
            match header(host.as_bytes()) {
                Some(h) => builder = builder.header("host", h),
                None => return Ok(None),
            }
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.0.clone());
        }
        let answer = self.runtime.block_on(async {
            let resp = builder.send().await?;
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let body = resp.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body))
        });
        let (status, headers, body) = answer.map_err(|e| format!("no answer: {e:?}"))?;
        self.panics()?;
        if status >= 500 {
            return Err(format!("{status}: {}", String::from_utf8_lossy(&body)));
        }
        let oauth = req.path.starts_with("/oauth2/");
        if status >= 400 && method != reqwest::Method::HEAD {
            error_shape(&body, oauth).map_err(|e| format!("{status}: {e}"))?;
        }
        if (200..300).contains(&status) && !body.is_empty() && serde_json::from_slice::<Value>(&body).is_err() {
            return Err(format!("{status} with a body that is not JSON: {}", String::from_utf8_lossy(&body)));
        }
        for value in headers.get_all("link") {
            let text = value.to_str().map_err(|_| "a Link header that is not text".to_owned())?;
            let links = parse_links(text);
            if links.len() != 1 || links.iter().any(|(t, _)| reqwest::Url::parse(t).is_err()) {
                return Err(format!("a malformed Link header: {text:?}"));
            }
        }
        let verdict = match &req.auth {
            Auth::Valid(_) if status == 401 && !oauth => {
                Err(format!("the token was refused: {}", String::from_utf8_lossy(&body)))
            }
            Auth::Invalid(_) | Auth::None if !oauth && (200..300).contains(&status) => {
                Err(format!("{status} without the token"))
            }
            _ => Ok(()),
        };
        verdict.map(|()| Some(status))
    }

    fn send_raw(&self, input: &Input) -> Result<(), String> {
        let addr = self.org.addr;
        let bytes = self.runtime.block_on(async {
            let exchange = async {
                let mut socket = tokio::net::TcpStream::connect(addr).await?;
                // The server may close before reading everything: fine.
                let _ = socket.write_all(&input.0).await;
                let _ = socket.shutdown().await;
                let mut answer = Vec::new();
                let _ = socket.read_to_end(&mut answer).await;
                Ok::<_, std::io::Error>(answer)
            };
            tokio::time::timeout(BOUND, exchange).await
        });
        let answer = bytes.map_err(|_| "the connection was held open past the bound".to_owned())?;
        let answer = answer.map_err(|e| format!("cannot connect: {e}"))?;
        self.tally(|t| t.raw += 1);
        self.panics()?;
        raw_answer_shape(&answer, input.0.windows(8).any(|w| w == b"/oauth2/"))?;
        // The org still serves.
        let canary = Req {
            method: "GET".into(),
            path: "/api/v1/users".into(),
            query: Some("limit=1".into()),
            auth: Auth::Valid(format!("SSWS {TOKEN}")),
            content_type: None,
            body: None,
            host: None,
        };
        self.send(&canary)
    }
}

/// Okta's error object (or OAuth's, from the token endpoint).
fn error_shape(body: &[u8], oauth: bool) -> Result<(), String> {
    let text = String::from_utf8_lossy(body);
    let value: Value = serde_json::from_slice(body).map_err(|_| format!("an error that is not JSON: {text}"))?;
    let string = |k: &str| value.get(k).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    let fine = if oauth && value.get("error").is_some() {
        string("error") && string("error_description")
    } else {
        ["errorCode", "errorSummary", "errorLink", "errorId"].iter().all(|k| string(k))
            && value["errorCode"].as_str().is_some_and(|c| c.starts_with("E0000"))
            && value["errorCauses"].is_array()
    };
    if fine { Ok(()) } else { Err(format!("not an Okta error object: {text}")) }
}

/// What came back on a raw socket: nothing, or HTTP whose first answer is
/// either hyper's bare refusal or held to the same rules as any other.
fn raw_answer_shape(answer: &[u8], oauth: bool) -> Result<(), String> {
    if answer.is_empty() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(answer);
    let status: u16 = text
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| text.strip_prefix("HTTP/1.0 "))
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP answer: {:?}", text.chars().take(200).collect::<String>()))?;
    if status >= 500 {
        return Err(format!("{status} to raw bytes: {text}"));
    }
    let Some((head, rest)) = text.split_once("\r\n\r\n") else { return Ok(()) };
    let head = head.to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let body = rest.as_bytes().get(..length).unwrap_or(rest.as_bytes());
    if status >= 400 && !body.is_empty() {
        error_shape(body, oauth).map_err(|e| format!("{status}: {e}"))?;
    }
    Ok(())
}

/// Where a `.json` (a body) or `.query` (a query string) seed is sent as
/// it is, and the status that shows it reached what it was written for.
/// Every such seed must be listed: an unlisted one fails the replay.
const SEED_ROUTES: &[(&str, &str, &str, u16)] = &[
    // A cursor the org never gave: E0000029.
    ("after.query", "GET", "/api/v1/users", 400),
    ("fields.query", "GET", "/api/v1/users", 200),
    ("filter.query", "GET", "/api/v1/users", 200),
    ("q.query", "GET", "/api/v1/users", 200),
    ("search-sorted.query", "GET", "/api/v1/users", 200),
    ("create-flags.query", "POST", "/api/v1/users", 400),
    // Not the admin: whether `lifecycle-empty.http` (raw bytes, half
    // closed at once) has suspended it by then is a race.
    ("lifecycle-flags.query", "POST", "/api/v1/users/iris.yarrowdale@example.org/lifecycle/reset_password", 200),
    // The password holds a part of the login.
    ("create-password.json", "POST", "/api/v1/users", 400),
    ("create-hash.json", "POST", "/api/v1/users", 200),
    ("create-provider.json", "POST", "/api/v1/users", 200),
    ("create-recovery.json", "POST", "/api/v1/users", 400),
    ("create-type.json", "POST", "/api/v1/users", 400),
    ("empty.json", "POST", "/api/v1/users", 400),
    ("change-password.json", "POST", "/api/v1/users/me/credentials/change_password", 200),
    // The password changed just before.
    ("change-recovery.json", "POST", "/api/v1/users/me/credentials/change_recovery_question", 403),
    ("update-profile.json", "POST", "/api/v1/users/me", 200),
    ("group.json", "POST", "/api/v1/groups", 200),
    ("user-type.json", "POST", "/api/v1/meta/types/user", 200),
    ("token-form.json", "POST", "/oauth2/v1/token", 401),
];

/// A `.json` or `.query` seed as the request it was written for.
fn seed_request(name: &str, seed: &[u8]) -> Result<(Req, u16), String> {
    let (_, method, path, status) =
        SEED_ROUTES.iter().find(|(seed, ..)| *seed == name).ok_or("no route for this seed: add it to SEED_ROUTES")?;
    let text = String::from_utf8_lossy(seed).trim_end().to_owned();
    let form = path.starts_with("/oauth2/");
    let req = Req {
        method: (*method).into(),
        path: (*path).into(),
        query: name.ends_with(".query").then(|| text.clone()),
        auth: Auth::Valid(format!("SSWS {TOKEN}")),
        content_type: name
            .ends_with(".json")
            .then(|| if form { "application/x-www-form-urlencoded" } else { "application/json" }.to_owned()),
        body: name.ends_with(".json").then(|| Input(text.into_bytes())),
        host: None,
    };
    Ok((req, *status))
}

#[test]
fn the_org_corpus_replays_cleanly() {
    let corpus = Corpus::load("org");
    let harness = Harness::start();
    let mut replayed = 0;
    corpus.replay(|name, seed| {
        harness.reset();
        replayed += 1;
        if name.ends_with(".http") {
            return harness.send_raw(&Input(seed.to_vec()));
        }
        let (req, expected) = seed_request(name, seed)?;
        match harness.try_send(&req)? {
            Some(status) if status == expected => Ok(()),
            other => Err(format!("answered {other:?}, not {expected}: the seed no longer reaches its handler")),
        }
    });
    assert_eq!(replayed, corpus.seeds.len(), "every seed is replayed as it is");
    assert!(corpus.with_suffix(".json").len() >= 5 && corpus.with_suffix(".query").len() >= 3);
}

#[test]
fn the_panic_count_counts() {
    // The property above relies on it: prove it moves.
    let harness = Harness::start();
    let url = format!("{}/emulator/v1/panic", harness.org.url());
    let reply = harness
        .runtime
        .block_on(async { harness.http.post(url).header("authorization", format!("SSWS {TOKEN}")).send().await });
    assert_eq!(reply.map(|r| r.status().as_u16()).ok(), Some(500));
    assert_eq!(harness.org.org.panics(), 1);
    assert!(harness.panics().is_err());
}

#[test]
fn fuzzed_org() {
    let corpus = Corpus::load("org");
    let harness = Harness::start();
    let known = harness.known();
    assert!(known.users.len() > 2 && !known.groups.is_empty() && !known.types.is_empty(), "{known:?}");
    let strategy = prop_oneof![5 => request(&corpus, &known).prop_map(Ok), 1 => raw(&corpus).prop_map(Err)];
    fuzz_support::run(&corpus, COSTLY, strategy, |case| {
        harness.reset();
        match case {
            Ok(req) => harness.send(&req),
            Err(raw) => harness.send_raw(&raw),
        }
        .map_err(TestCaseError::fail)
    });
    let tally = harness.tally.lock().unwrap();
    println!("fuzz org: {tally:?}");
    assert!(tally.unsendable * 4 < tally.sent, "most requests reach the org: {tally:?}");
    let errors: u64 = tally.statuses.range(400..).map(|(_, n)| n).sum();
    assert!(errors > 0 && errors < tally.sent, "both answers and refusals: {tally:?}");
}

/// One HTTP/1.1 answer read off `socket`: its status, or `None` when the
/// connection closed first.
async fn read_answer(socket: &mut tokio::net::TcpStream) -> Option<u16> {
    let mut seen = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&seen).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .to_ascii_lowercase()
                .lines()
                .find_map(|l| l.strip_prefix("content-length:").and_then(|n| n.trim().parse::<usize>().ok()))
                .unwrap_or(0);
            if body.len() >= length {
                return head.get(9..12).and_then(|s| s.parse().ok());
            }
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => seen.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Found by this target: an answer sent over a body the route never read
/// (here a 404) made hyper close the connection afterwards without saying
/// so, and the next request on that kept-alive connection was lost.
#[test]
fn regression_an_unread_body_does_not_spoil_the_connection() {
    let harness = Harness::start();
    let addr = harness.org.addr;
    let statuses = harness.runtime.block_on(async move {
        let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
        let body = vec![b'['; 100_000];
        let head = format!(
            "POST /no/such/route HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS {TOKEN}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        let _ = socket.write_all(&body).await;
        let first = tokio::time::timeout(BOUND, read_answer(&mut socket)).await.unwrap();
        let next = format!("GET /api/v1/users?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS {TOKEN}\r\n\r\n");
        let _ = socket.write_all(next.as_bytes()).await;
        let second = tokio::time::timeout(BOUND, read_answer(&mut socket)).await.unwrap();
        (first, second)
    });
    assert_eq!(statuses, (Some(404), Some(200)));
}

/// Found by this target: the Host header went into `Link` headers as
/// given, so a Host holding `>; rel="next", <…` added a link of its own.
#[test]
fn regression_a_host_header_cannot_add_links() {
    let harness = Harness::start();
    for host in ["a>; rel=\"next\", <http://evil.example.com", "x\"y", "user@evil.example.com", "", "a:A", "a:99999"] {
        let req = Req {
            method: "GET".into(),
            path: "/api/v1/users".into(),
            query: Some("limit=2".into()),
            auth: Auth::Valid(format!("SSWS {TOKEN}")),
            content_type: None,
            body: None,
            host: Some(host.into()),
        };
        harness.send(&req).unwrap_or_else(|e| panic!("Host {host:?}: {e}"));
    }
}
