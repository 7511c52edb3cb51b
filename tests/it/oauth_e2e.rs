//! OAuth 2.0 end to end: the client with `PrivateKeyAuth` (RS256 and
//! ES256, PEM and JWK keys from `tests/fixtures/oauth/`) against the
//! embedded org configured with a `ServiceApp`. It gets an access token
//! with a signed client assertion, lists and creates users with it as
//! `Bearer`, refreshes it before it expires, and reports a missing scope
//! clearly.
//!
//! A recording proxy between the two shows what went over the wire: which
//! requests carried which token, and what the org answered.

use crate::support::{TOKEN, org_with};
use oktui::emulator::{OrgConfig, RunningOrg, ServiceApp};
use oktui::okta::{Client, ClientConfig, CreateUser, Error, KeySource, OrgUrl, PageStart, PrivateKeyAuth};
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CLIENT_ID: &str = "0oae2eservice00000001";
const READ: &str = "okta.users.read";
const MANAGE: &str = "okta.users.manage";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oauth").join(name)
}

fn service_app(public_key: &str, key_id: Option<&str>, scopes: &[&str]) -> ServiceApp {
    ServiceApp {
        client_id: CLIENT_ID.into(),
        public_key: std::fs::read_to_string(fixture(public_key)).expect("fixture"),
        key_id: key_id.map(str::to_owned),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
    }
}

fn oauth_client(url: &str, private_key: &str, key_id: Option<&str>, scopes: &[&str]) -> Result<Client, Error> {
    let auth = PrivateKeyAuth {
        client_id: CLIENT_ID.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        key: KeySource::File(fixture(private_key)),
        key_id: key_id.map(str::to_owned),
    };
    Client::new(ClientConfig::oauth(OrgUrl::parse(url).unwrap(), auth))
}

/// One request seen by the proxy, and the status of its answer.
#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    path: String,
    authorization: Option<String>,
    status: Option<u16>,
}

/// A loopback proxy in front of the org that forwards bytes unchanged
/// (so the org still sees the client's Host) and notes every exchange.
struct Recorder {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Exchange>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Takes one whole HTTP/1.1 message (head and `Content-Length` body) off
/// the front of `buf`, returning its head.
fn take_message(buf: &mut Vec<u8>) -> Option<String> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let total = end + 4 + length;
    (buf.len() >= total).then(|| {
        buf.drain(..total);
        head
    })
}

impl Recorder {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Arc<Mutex<Vec<Exchange>>> = Arc::default();
        let log = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(upstream).await else { continue };
                tokio::spawn(Self::relay(client, server, log.clone()));
            }
        });
        Self { addr, seen, task }
    }

    async fn relay(client: TcpStream, server: TcpStream, log: Arc<Mutex<Vec<Exchange>>>) {
        let (mut client_rx, mut client_tx) = client.into_split();
        let (mut server_rx, mut server_tx) = server.into_split();
        let pending: Arc<Mutex<std::collections::VecDeque<usize>>> = Arc::default();
        let (up_log, up_pending) = (log.clone(), pending.clone());
        let up = async move {
            let (mut buf, mut chunk) = (Vec::new(), [0u8; 8192]);
            while let Ok(n @ 1..) = client_rx.read(&mut chunk).await {
                if server_tx.write_all(&chunk[..n]).await.is_err() {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                while let Some(head) = take_message(&mut buf) {
                    let mut words = head.split_whitespace();
                    let (method, path) = (words.next().unwrap_or("").to_owned(), words.next().unwrap_or("").to_owned());
                    let authorization = head.lines().find_map(|l| {
                        l.split_once(':')
                            .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                            .map(|(_, v)| v.trim().to_owned())
                    });
                    let mut log = up_log.lock().unwrap();
                    log.push(Exchange { method, path, authorization, status: None });
                    up_pending.lock().unwrap().push_back(log.len() - 1);
                }
            }
            let _ = server_tx.shutdown().await;
        };
        let down = async move {
            let (mut buf, mut chunk) = (Vec::new(), [0u8; 8192]);
            while let Ok(n @ 1..) = server_rx.read(&mut chunk).await {
                if client_tx.write_all(&chunk[..n]).await.is_err() {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                while let Some(head) = take_message(&mut buf) {
                    let status = head.get(9..12).and_then(|s| s.parse().ok());
                    if let Some(i) = pending.lock().unwrap().pop_front() {
                        log.lock().unwrap()[i].status = status;
                    }
                }
            }
            let _ = client_tx.shutdown().await;
        };
        tokio::join!(up, down);
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Exchange> {
        self.seen.lock().unwrap().clone()
    }

    /// The distinct bearer tokens the API requests carried, in first use order.
    fn bearer_tokens(&self) -> Vec<String> {
        let mut tokens: Vec<String> = Vec::new();
        for e in self.seen() {
            if let Some(t) = e.authorization.as_deref().and_then(|a| a.strip_prefix("Bearer "))
                && !tokens.iter().any(|known| known == t)
            {
                tokens.push(t.to_owned());
            }
        }
        tokens
    }

    fn token_requests(&self) -> usize {
        self.seen().iter().filter(|e| e.method == "POST" && e.path == "/oauth2/v1/token").count()
    }
}

async fn oauth_org(app: ServiceApp, ttl: Duration) -> RunningOrg {
    org_with(OrgConfig::demo(TOKEN).with_service_app(app).with_access_token_ttl(ttl).with_rate_limit(100_000)).await
}

fn new_user(login: &str) -> CreateUser {
    let profile = json!({"firstName": "Oauth", "lastName": "Made", "email": login, "login": login});
    CreateUser::new(profile.as_object().cloned().unwrap())
}

#[tokio::test]
async fn rs256_and_es256_keys_in_pem_and_jwk_list_and_create_users_with_a_bearer_token() {
    // (client's private key, org's public key, kid the client sends, kid the app requires)
    let cases = [
        ("rsa-private.pem", "rsa-public.pem", None, None),
        ("rsa-private.jwk.json", "rsa-public.jwk.json", None, Some("test-rsa-1")),
        ("rsa-private.pem", "rsa-public.jwk.json", Some("test-rsa-1"), Some("test-rsa-1")),
        ("ec-private.pem", "ec-public.pem", Some("test-ec-1"), Some("test-ec-1")),
        ("ec-private.jwk.json", "ec-public.jwk.json", None, Some("test-ec-1")),
        ("ec-private.jwk.json", "ec-public.pem", None, None),
    ];
    for (n, (private, public, kid, app_kid)) in cases.into_iter().enumerate() {
        let org = oauth_org(service_app(public, app_kid, &[READ, MANAGE]), Duration::from_secs(3600)).await;
        let proxy = Recorder::start(org.addr).await;
        let client =
            oauth_client(&proxy.url(), private, kid, &[READ, MANAGE]).unwrap_or_else(|e| panic!("{private}: {e}"));
        let page = client.list_users_page(PageStart::First(&Default::default())).await;
        let page = page.unwrap_or_else(|e| panic!("{private} → {public}: {e}"));
        assert!(page.items.len() > 10, "{private}: the demo users");
        let login = format!("oauth.e2e{n}@example.com");
        let made = client.create_user(&new_user(&login)).await.unwrap_or_else(|e| panic!("{private}: {e}"));
        assert_eq!(client.get_user(&login).await.unwrap().id(), made.id());

        let seen = proxy.seen();
        let api: Vec<&Exchange> = seen.iter().filter(|e| e.path.starts_with("/api/")).collect();
        assert_eq!(api.len(), 3, "{seen:?}");
        assert!(api.iter().all(|e| e.status == Some(200)), "{seen:?}");
        assert_eq!(proxy.token_requests(), 1, "one token, cached: {seen:?}");
        let tokens = proxy.bearer_tokens();
        assert_eq!(tokens.len(), 1, "every API request carried the same bearer token");
        assert!(seen.iter().all(|e| !e.authorization.as_deref().unwrap_or("").starts_with("SSWS")));
        assert!(!format!("{client:?}").contains(&tokens[0]), "Debug never shows the access token");
    }
}

#[tokio::test]
async fn a_short_lived_token_is_refreshed_before_it_expires() {
    // Four-second tokens are refreshed after three quarters of their life.
    let org = oauth_org(service_app("ec-public.pem", None, &[READ]), Duration::from_secs(4)).await;
    let proxy = Recorder::start(org.addr).await;
    let client = oauth_client(&proxy.url(), "ec-private.pem", None, &[READ]).unwrap();
    for _ in 0..4 {
        assert_eq!(client.get_user("me").await.unwrap().login(), "admin@example.com");
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let seen = proxy.seen();
    // The last call comes after the refresh point (3 s) of the first token.
    assert!(proxy.token_requests() >= 2, "refreshed: {seen:?}");
    assert_eq!(proxy.bearer_tokens().len(), proxy.token_requests(), "each new token used: {seen:?}");
    assert!(seen.iter().all(|e| e.status == Some(200)), "refreshed before the org refused it: {seen:?}");
}

#[tokio::test]
async fn a_token_the_org_no_longer_knows_is_replaced_once() {
    // The org restarts and forgets its tokens (as a revocation would).
    let mut org = oauth_org(service_app("rsa-public.pem", None, &[READ]), Duration::from_secs(3600)).await;
    let proxy = Recorder::start(org.addr).await;
    let client = oauth_client(&proxy.url(), "rsa-private.pem", None, &[READ]).unwrap();
    client.get_user("me").await.unwrap();
    let addr = org.addr;
    org.stop().await;
    drop(org);
    let config = OrgConfig::demo(TOKEN).with_service_app(service_app("rsa-public.pem", None, &[READ]));
    let _fresh = oktui::emulator::start(&config, addr).await.expect("a fresh org on the same address");
    client.get_user("me").await.expect("a new token after the 401");
    // (A request sent on the connection the restart cut gets no answer at
    // all and is sent again: only answers are compared.)
    let answers: Vec<u16> =
        proxy.seen().iter().filter(|e| e.path.starts_with("/api/")).filter_map(|e| e.status).collect();
    assert_eq!(answers, [200, 401, 200]);
    assert_eq!(proxy.token_requests(), 2);
}

#[tokio::test]
async fn a_scope_the_app_lacks_is_a_clear_403_and_asking_for_it_a_clear_refusal() {
    let org = oauth_org(service_app("rsa-public.pem", None, &[READ]), Duration::from_secs(3600)).await;
    let reader = oauth_client(&org.url(), "rsa-private.pem", None, &[READ]).unwrap();
    reader.get_user("me").await.expect("reading is granted");

    let err = reader.create_user(&new_user("no.scope@example.com")).await.unwrap_err();
    let api = err.api().expect("the org's answer");
    assert_eq!((api.status, api.code.as_deref()), (403, Some("E0000006")));
    let text = err.to_string();
    assert!(
        text.starts_with(
            "You do not have permission to perform the requested action \
             (The access token lacks a required scope: okta.users.manage) [HTTP 403 E0000006, request "
        ),
        "{text}"
    );

    let greedy = oauth_client(&org.url(), "rsa-private.pem", None, &[READ, MANAGE]).unwrap();
    let err = greedy.get_user("me").await.unwrap_err();
    let api = err.api().expect("the token endpoint's answer");
    assert_eq!((api.status, api.code.as_deref()), (400, Some("invalid_scope")));
    assert!(
        err.to_string().starts_with(
            "cannot get an access token: The following scopes are not granted to the client: okta.users.manage"
        ),
        "{err}"
    );

    // A key the app does not know: refused at the token endpoint, clearly.
    let stranger = oauth_client(&org.url(), "ec-private.pem", None, &[READ]).unwrap();
    let err = stranger.get_user("me").await.unwrap_err();
    assert_eq!(err.api().map(|a| (a.status, a.code.clone())), Some((401, Some("invalid_client".into()))));
    assert!(err.to_string().starts_with("cannot get an access token: The client_assertion"), "{err}");
    for e in [err.to_string(), format!("{err:?}")] {
        assert!(!e.contains("eyJ") && !e.contains("BEGIN"), "no assertion or key in errors: {e}");
    }
}
