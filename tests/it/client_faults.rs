//! The client against faults the embedded org cannot produce, served by
//! wiremock or a bare socket over loopback: what must be counted or seen
//! per request (retry headers, attempts, requests in flight), a bucket
//! with a two-second window (the org's are per minute), a body that stalls
//! half-way, bad JSON, links to another host. Faults the org's knobs make
//! (5xx, 429, latency, drops, outages, lost answers to a create) are tested
//! against it in `client_faults_org.rs`; the header timeout and ambiguous
//! create tests moved there.

use crate::client_support::{epoch_seconds, fast_client, http_date, user_json};
use futures::future::join_all;
use oktui::okta::{Client, Error};
use serde_json::json;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn okta_error(status: u16, code: &str, summary: &str, request_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-okta-request-id", request_id)
        .set_body_json(json!({"errorCode": code, "errorSummary": summary, "errorLink": code,
                              "errorId": "oae1", "errorCauses": []}))
}

fn rate_limited(n: u32) -> ResponseTemplate {
    let now = SystemTime::now();
    okta_error(429, "E0000047", "API call exceeded rate limit due to too many requests.", &format!("rl-{n}"))
        .insert_header("date", http_date(now).as_str())
        .insert_header("x-rate-limit-limit", "10")
        .insert_header("x-rate-limit-remaining", "0")
        .insert_header("x-rate-limit-reset", epoch_seconds(now).to_string().as_str())
}

/// `X-Okta-Retry-For` and `X-Okta-Retry-Count` of one request.
type RetryHeaders = (Option<String>, Option<String>);

/// The retry headers of every request, in arrival order.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<RetryHeaders>>>);

impl Seen {
    fn note(&self, req: &Request) {
        let h = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        self.0.lock().unwrap().push((h("x-okta-retry-for"), h("x-okta-retry-count")));
    }

    fn all(&self) -> Vec<RetryHeaders> {
        self.0.lock().unwrap().clone()
    }
}

/// 429 for the first `storm` requests, then the user.
struct Storm {
    storm: u32,
    count: AtomicU32,
    seen: Seen,
}

impl Respond for Storm {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.seen.note(req);
        let n = self.count.fetch_add(1, Ordering::SeqCst);
        if n < self.storm {
            rate_limited(n)
        } else {
            ResponseTemplate::new(200).set_body_json(user_json("00u1", "a@example.com"))
        }
    }
}

#[tokio::test]
async fn a_429_storm_completes_within_the_retry_bound_and_sends_the_retry_headers() {
    let server = MockServer::start().await;
    let seen = Seen::default();
    Mock::given(method("GET"))
        .and(path("/api/v1/users/00u1"))
        .respond_with(Storm { storm: 4, count: AtomicU32::new(0), seen: seen.clone() })
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let results = join_all((0..3).map(|_| client.get_user("00u1"))).await;
    for r in &results {
        assert_eq!(r.as_ref().map(|u| u.id()).ok(), Some("00u1"), "{r:?}");
    }
    let seen = seen.all();
    assert!(seen.len() <= 3 * 3, "{} requests for 3 calls with 2 retries each", seen.len());
    let retries: Vec<_> = seen.iter().filter(|(_, count)| count.is_some()).collect();
    assert!(!retries.is_empty());
    for (retry_for, count) in retries {
        assert!(retry_for.as_deref().is_some_and(|id| id.starts_with("rl-")), "X-Okta-Retry-For names the 429");
        assert!(matches!(count.as_deref(), Some("1" | "2")), "{count:?}");
    }
}

#[tokio::test]
async fn endless_429s_give_up_after_the_bound_with_a_clear_error() {
    let server = MockServer::start().await;
    let seen = Seen::default();
    Mock::given(method("GET"))
        .respond_with(Storm { storm: u32::MAX, count: AtomicU32::new(0), seen: seen.clone() })
        .mount(&server)
        .await;
    let err = fast_client(&server).get_user("00u1").await.unwrap_err();
    assert_eq!(seen.all().len(), 3, "one try and two retries (maxRetries 2)");
    assert!(matches!(err, Error::GaveUp { attempts: 3, .. }), "{err:?}");
    assert_eq!(err.status(), Some(429));
    let line = err.to_string();
    assert!(line.starts_with("gave up after 3 attempts: API call exceeded rate limit"), "{line}");
    assert!(line.contains("E0000047") && !line.contains('\n'), "{line}");
}

/// A bucket of `limit` requests per two-second window, as Okta counts.
struct Bucket {
    limit: u32,
    state: Mutex<(i64, u32)>,
    lowest_remaining: AtomicU32,
    refused: AtomicU32,
}

impl Respond for Bucket {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let now = SystemTime::now();
        let secs = epoch_seconds(now);
        let mut state = self.state.lock().unwrap();
        if secs >= state.0 {
            *state = (secs + 2, 0);
        }
        state.1 += 1;
        let (reset, used) = *state;
        if used > self.limit {
            self.refused.fetch_add(1, Ordering::SeqCst);
            return rate_limited(used);
        }
        let remaining = self.limit - used;
        self.lowest_remaining.fetch_min(remaining, Ordering::SeqCst);
        ResponseTemplate::new(200)
            .set_body_json(user_json("00u1", "a@example.com"))
            .insert_header("date", http_date(now).as_str())
            .insert_header("x-rate-limit-limit", self.limit.to_string().as_str())
            .insert_header("x-rate-limit-remaining", remaining.to_string().as_str())
            .insert_header("x-rate-limit-reset", reset.to_string().as_str())
    }
}

#[tokio::test]
async fn the_governor_spends_a_small_bucket_to_the_end_without_a_429() {
    let server = MockServer::start().await;
    let bucket = Arc::new(Bucket {
        limit: 6,
        state: Mutex::new((0, 0)),
        lowest_remaining: AtomicU32::new(u32::MAX),
        refused: AtomicU32::new(0),
    });
    Mock::given(method("GET")).respond_with(ArcResponder(bucket.clone())).mount(&server).await;
    let client = fast_client(&server);
    // Two workers, 7 requests each: more than two windows' worth.
    let worker = |client: Client| async move {
        for _ in 0..7 {
            client.get_user("00u1").await.unwrap();
        }
    };
    join_all([worker(client.clone()), worker(client.clone())]).await;
    assert_eq!(bucket.refused.load(Ordering::SeqCst), 0, "no request was refused");
    // Spent, not spread: a window's budget goes as fast as it is asked for.
    assert_eq!(bucket.lowest_remaining.load(Ordering::SeqCst), 0);
    let budget = client.rate_budget().expect("a budget after answers");
    assert_eq!((budget.bucket.as_str(), budget.limit), ("GET /api/v1/users/{id}", 6));
}

struct ArcResponder<T>(Arc<T>);

impl<T: Respond> Respond for ArcResponder<T> {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.0.respond(req)
    }
}

/// 503, then 504, then the user.
struct Flaky {
    count: AtomicU32,
    seen: Seen,
}

impl Respond for Flaky {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.seen.note(req);
        match self.count.fetch_add(1, Ordering::SeqCst) {
            0 => okta_error(503, "E0000009", "Service unavailable", "req-503"),
            1 => ResponseTemplate::new(504).insert_header("x-okta-request-id", "req-504").set_body_string("<html>"),
            _ => ResponseTemplate::new(200).set_body_json(user_json("00u1", "a@example.com")),
        }
    }
}

#[tokio::test]
async fn server_errors_are_retried_for_reads_with_retry_headers() {
    let server = MockServer::start().await;
    let seen = Seen::default();
    Mock::given(method("GET"))
        .respond_with(Flaky { count: AtomicU32::new(0), seen: seen.clone() })
        .mount(&server)
        .await;
    let user = fast_client(&server).get_user("00u1").await.unwrap();
    assert_eq!(user.id(), "00u1");
    assert_eq!(
        seen.all(),
        vec![(None, None), (Some("req-503".into()), Some("1".into())), (Some("req-504".into()), Some("2".into())),]
    );
}

#[tokio::test]
async fn a_timeout_while_the_body_streams_is_a_timeout_not_a_decode_error() {
    // A server that sends the headers and half a body, then stalls.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stall = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"id\":\"00u1\",";
        socket.write_all(head.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    let mut config = oktui::okta::ClientConfig::new(
        oktui::okta::OrgUrl::parse(&format!("http://{addr}")).unwrap(),
        oktui::okta::Secret::new("t"),
    );
    config.request_timeout = Some(Duration::from_millis(500));
    let err = Client::new(config).unwrap().get_user("00u1").await.unwrap_err();
    stall.abort();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_that_quotes_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"id":"00u1","secretish":"zz-body-text"#, "application/json"),
        )
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let err = client.get_user("00u1").await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(!err.to_string().contains("zz-body-text"), "{err}");
    let err = client.list_users_page(oktui::okta::PageStart::First(&Default::default())).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn links_to_other_hosts_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([]))
                .append_header("link", r#"<https://evil.example.com/api/v1/users?after=x>; rel="next""#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let page = client.list_users_page(oktui::okta::PageStart::First(&Default::default())).await.unwrap();
    let next = page.next.expect("a next link");
    let err = client.list_users_page(oktui::okta::PageStart::Next(&next)).await.unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err:?}");
    let link = oktui::okta::Link {
        rel: "suspend".into(),
        href: "http://127.0.0.1:1/api/v1/users/00u1/lifecycle/suspend".into(),
        method: Some("POST".into()),
    };
    let err = client.run_link(&link, &Default::default()).await.unwrap_err();
    assert!(err.to_string().contains("not on the org"), "{err}");
}

/// A bare HTTP/1.1 server that answers every request after a pause and
/// records the most requests it ever held at once.
async fn counting_server(most: Arc<AtomicU32>) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let active = Arc::new(AtomicU32::new(0));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (active, most) = (active.clone(), most.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.clear();
                    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    active.fetch_sub(1, Ordering::SeqCst);
                    let body = user_json("00u1", "a@example.com").to_string();
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if socket.write_all(format!("{head}{body}").as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn the_concurrency_cap_holds() {
    let most = Arc::new(AtomicU32::new(0));
    let addr = counting_server(most.clone()).await;
    let mut config = oktui::okta::ClientConfig::new(
        oktui::okta::OrgUrl::parse(&format!("http://{addr}")).unwrap(),
        oktui::okta::Secret::new("t"),
    );
    config.concurrency = 3;
    let client = Client::new(config).unwrap();
    let results = join_all((0..12).map(|_| client.get_user("00u1"))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let most = most.load(Ordering::SeqCst);
    assert!((1..=3).contains(&most), "{most} requests in flight at once");
}

/// Closes the connection on the first request without answering; answers
/// the rest. Counts requests.
async fn resetting_server(requests: Arc<AtomicU32>) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let requests = requests.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                if requests.fetch_add(1, Ordering::SeqCst) == 0 {
                    return; // dropped: the connection closes unanswered
                }
                let body = user_json("00u1", "a@example.com").to_string();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_connection_lost_after_sending_is_retried_for_reads_only() {
    let requests = Arc::new(AtomicU32::new(0));
    let addr = resetting_server(requests.clone()).await;
    let url = oktui::okta::OrgUrl::parse(&format!("http://{addr}")).unwrap();
    let client = Client::new(oktui::okta::ClientConfig::new(url, oktui::okta::Secret::new("t"))).unwrap();
    assert_eq!(client.get_user("00u1").await.unwrap().id(), "00u1");
    assert_eq!(requests.load(Ordering::SeqCst), 2, "the read was sent again");

    requests.store(0, Ordering::SeqCst);
    let err = client.run_lifecycle("00u1", oktui::okta::LifecycleOp::Suspend, &Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 1, "a POST is not repeated");
    assert!(err.to_string().starts_with("cannot reach the org") && !err.to_string().contains('\n'), "{err}");
}
