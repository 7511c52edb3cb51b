//! The client against the embedded org's fault knobs (issue 7's fault list
//! at the client level): 5xx, 429 with `X-Rate-Limit-Reset`, latency,
//! dropped connections, an org that stops and comes back, and answers lost
//! after a create. Every listing is compared with the same listing made
//! without faults: the same users in the same order, none twice, none
//! missing. Faults the org cannot make (exact request counts, retry
//! headers, a stalled body, bad JSON, foreign links) stay on wiremock and
//! raw sockets in `client_faults.rs`.

use crate::support::{Api, TOKEN, org_with};
use futures::StreamExt;
use oktui::emulator::{OrgConfig, RunningOrg};
use oktui::okta::{Client, ClientConfig, CreateUser, Error, LifecycleOp, OrgUrl, PageStart, Secret, UserQuery};
use serde_json::{Value, json};
use std::time::Duration;

/// An org with `synthetic` users beyond the demo ones, rate limits lifted
/// (pacing is not what these tests are about).
async fn org(synthetic: u32) -> RunningOrg {
    org_with(OrgConfig::demo(TOKEN).with_users(synthetic).with_rate_limit(1_000_000)).await
}

/// Sets the fault knobs through the org's hook (exempt from faults).
async fn knobs(org: &RunningOrg, faults: Value) {
    Api::new(org).post("/emulator/v1/faults", faults).await.expect(200);
}

/// A client with short backoffs and room for retries, so that faulty
/// listings finish by themselves and quickly.
fn client(org: &RunningOrg, tweak: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = ClientConfig::new(OrgUrl::parse(&org.url()).unwrap(), Secret::new(TOKEN));
    config.retry.base_backoff = Duration::from_millis(20);
    config.retry.max_backoff = Duration::from_millis(200);
    config.retry.max_retries = 8;
    config.request_timeout = Some(Duration::from_secs(10));
    tweak(&mut config);
    Client::new(config).unwrap()
}

fn paged(limit: u32) -> UserQuery {
    UserQuery::default().with_limit(limit)
}

/// The ids of every user, page by page, letting the client's own retries
/// do all the work: the first error fails the test.
async fn list_all(client: &Client, limit: u32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut pages = Box::pin(client.list_users(paged(limit)));
    while let Some(page) = pages.next().await {
        let page = page.unwrap_or_else(|e| panic!("after {} users: {e}", ids.len()));
        ids.extend(page.items.iter().map(|r| r.id().to_owned()));
    }
    ids
}

/// The ids of every user, resuming from the last good `next` link after a
/// failure, as a caller that keeps what it has does. Returns the errors
/// met on the way.
async fn list_resuming(client: &Client, limit: u32, max_errors: usize) -> (Vec<String>, Vec<Error>) {
    let query = paged(limit);
    let (mut ids, mut errors, mut next) = (Vec::new(), Vec::new(), None);
    loop {
        let from = match &next {
            None => PageStart::First(&query),
            Some(url) => PageStart::Next(url),
        };
        match client.list_users_page(from).await {
            Ok(page) => {
                ids.extend(page.items.iter().map(|r| r.id().to_owned()));
                match page.next {
                    Some(url) => next = Some(url),
                    None => return (ids, errors),
                }
            }
            Err(e) => {
                errors.push(e);
                assert!(errors.len() <= max_errors, "too many failures: {errors:?}");
            }
        }
    }
}

/// The listing without faults, whatever the knobs say now.
async fn list_all_clean(org: &RunningOrg, limit: u32) -> Vec<String> {
    let before = Api::new(org).get("/emulator/v1/faults").await.expect(200).body["faults"].clone();
    knobs(org, json!({"errorRate": 0.0})).await;
    let ids = list_all(&client(org, |_| {}), limit).await;
    knobs(org, before).await;
    ids
}

/// Lists until the client has retried at least once, each listing the
/// same as `reference`: at these rates one listing may meet no fault at
/// all, and a listing that met none proves nothing.
async fn list_until_a_retry(client: &Client, limit: u32, reference: &[String]) {
    let before = client.retries();
    for _ in 0..10 {
        assert_same_listing(&list_all(client, limit).await, reference);
        if client.retries() > before {
            return;
        }
    }
    panic!("ten listings met no fault: the knob does not bite");
}

fn assert_same_listing(got: &[String], reference: &[String]) {
    let unique: std::collections::HashSet<&String> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "no user twice");
    assert_eq!(got.len(), reference.len(), "no user missing or added");
    assert_eq!(got, reference, "the same users in the same order");
}

#[tokio::test]
async fn twenty_percent_5xx_a_listing_completes_by_retries_or_by_resuming() {
    let org = org(300).await;
    let client = client(&org, |_| {});
    let reference = list_all(&client, 20).await;
    assert!(reference.len() > 300);

    // 500, 502 and 503 are retried for reads: the stream completes by itself.
    for status in [500, 502, 503] {
        knobs(&org, json!({"errorRate": 0.2, "errorStatus": status})).await;
        list_until_a_retry(&client, 20, &reference).await;
    }

    // Without retries the caller resumes from the last good `next` link,
    // and sees a clear error meanwhile.
    knobs(&org, json!({"errorStatus": 500})).await;
    let client = self::client(&org, |c| c.retry.max_retries = 0);
    let (ids, errors) = list_resuming(&client, 10, 100).await;
    assert_same_listing(&ids, &list_all_clean(&org, 10).await);
    assert!(!errors.is_empty(), "37 pages at 20 % meet a 500 (odds of none: 0.03 %)");
    for e in &errors {
        assert!(matches!(e, Error::Api(api) if api.status == 500 && api.is_code("E0000009")), "{e:?}");
        let text = e.to_string();
        assert!(text.starts_with("Internal Server Error [HTTP 500 E0000009, request ") && !text.contains('\n'));
    }
}

#[tokio::test]
async fn ten_percent_429_a_listing_waits_for_the_reset_and_completes() {
    let org = org(300).await;
    let client = client(&org, |_| {});
    let reference = list_all(&client, 18).await;
    knobs(&org, json!({"throttleRate": 0.1})).await;
    list_until_a_retry(&client, 18, &reference).await;

    // Every answer a 429: the bound holds and the error says why.
    knobs(&org, json!({"throttleRate": 1.0})).await;
    let strict = self::client(&org, |c| c.retry.max_retries = 1);
    let err = strict.get_user("me").await.unwrap_err();
    assert!(matches!(err, Error::GaveUp { attempts: 2, .. }), "{err:?}");
    assert_eq!(err.api().and_then(|a| a.code.as_deref()), Some("E0000047"));
    assert!(err.to_string().starts_with("gave up after 2 attempts: API call exceeded rate limit"), "{err}");
}

#[tokio::test]
async fn with_200_ms_latency_listings_complete_and_a_shorter_timeout_is_a_timeout() {
    let org = org(100).await;
    let client = client(&org, |_| {});
    let reference = list_all(&client, 40).await;
    knobs(&org, json!({"latencyMs": 200})).await;
    assert_same_listing(&list_all(&client, 40).await, &reference);
    let concurrent = futures::future::join_all((0..8).map(|_| client.get_user("me"))).await;
    assert!(concurrent.iter().all(Result::is_ok), "{concurrent:?}");

    // Moved from wiremock: a timeout before the headers is a timeout, and
    // is not retried (the admin waited long enough).
    let impatient = self::client(&org, |c| c.request_timeout = Some(Duration::from_millis(50)));
    let err = impatient.get_user("me").await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.to_string().contains("did not answer within 50ms"), "{err}");
}

#[tokio::test]
async fn dropped_connections_are_retried_for_reads_and_never_for_writes() {
    let org = org(200).await;
    let client = client(&org, |_| {});
    let reference = list_all(&client, 25).await;
    knobs(&org, json!({"dropRate": 0.2})).await;
    list_until_a_retry(&client, 25, &reference).await;

    // A lifecycle POST whose connection drops is not sent again: one
    // attempt, a network error, and the org (which dropped it before
    // acting) left the user as it was.
    knobs(&org, json!({"dropRate": 1.0})).await;
    let err = client.run_lifecycle("me", LifecycleOp::Suspend, &Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::Network(_)), "not retried: {err:?}");
    assert!(err.to_string().starts_with("cannot reach the org") && !err.to_string().contains('\n'), "{err}");
    knobs(&org, json!({"dropRate": 0.0})).await;
    assert_eq!(client.get_user("me").await.unwrap().status_str(), "ACTIVE");
}

#[tokio::test]
async fn an_org_that_stops_mid_listing_is_resumed_from_the_last_good_next_link() {
    let mut org = org(150).await;
    let client = client(&org, |c| c.retry.max_retries = 1);
    let reference = list_all(&client, 16).await;

    let query = paged(16);
    let mut ids = Vec::new();
    let mut next = None;
    for _ in 0..3 {
        let from = next.as_ref().map_or(PageStart::First(&query), PageStart::Next);
        let page = client.list_users_page(from).await.unwrap();
        ids.extend(page.items.iter().map(|r| r.id().to_owned()));
        next = page.next;
    }
    org.stop().await;
    let saved = next.clone().expect("more pages after the third");
    let err = client.list_users_page(PageStart::Next(&saved)).await.unwrap_err();
    assert!(matches!(err.root(), Error::Network(_)), "{err:?}");
    assert!(err.to_string().contains("cannot reach the org"), "{err}");

    org.restart().await.unwrap();
    let mut next = Some(saved);
    while let Some(url) = next.take() {
        let page = client.list_users_page(PageStart::Next(&url)).await.unwrap();
        ids.extend(page.items.iter().map(|r| r.id().to_owned()));
        next = page.next;
    }
    assert_same_listing(&ids, &reference);
}

#[tokio::test]
async fn an_org_that_comes_back_within_the_retries_is_not_even_noticed() {
    let mut org = org(150).await;
    // Backoffs of 100, 200, 400, 800 ms, then 1 s: about 5 s of patience.
    let client = client(&org, |c| {
        c.retry.base_backoff = Duration::from_millis(100);
        c.retry.max_backoff = Duration::from_secs(1);
    });
    let reference = list_all(&client, 16).await;
    knobs(&org, json!({"latencyMs": 30})).await;

    let (pages_tx, mut pages_rx) = tokio::sync::mpsc::unbounded_channel();
    let lister = client.clone();
    let listing = tokio::spawn(async move {
        let mut ids = Vec::new();
        let mut pages = Box::pin(lister.list_users(paged(16)));
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| format!("after {} users: {e}", ids.len()))?;
            ids.extend(page.items.iter().map(|r| r.id().to_owned()));
            let _ = pages_tx.send(());
        }
        Ok::<_, String>(ids)
    });
    for _ in 0..2 {
        pages_rx.recv().await.expect("two pages before the outage");
    }
    org.stop().await; // requests in flight are cut, new ones refused
    tokio::time::sleep(Duration::from_millis(300)).await;
    org.restart().await.unwrap();
    let ids = listing.await.unwrap().expect("the stream rode out the outage");
    assert_same_listing(&ids, &reference);
}

/// Users whose login is `login`, as the org sees them.
async fn users_with_login(org: &RunningOrg, login: &str) -> usize {
    let search = format!("profile.login eq \"{login}\"");
    let path =
        format!("/api/v1/users?search={}", url::form_urlencoded::byte_serialize(search.as_bytes()).collect::<String>());
    Api::new(org).get(&path).await.expect(200).body.as_array().map_or(0, Vec::len)
}

fn new_user(login: &str) -> CreateUser {
    CreateUser::new(
        json!({"firstName": "Lost", "lastName": "Answer", "email": login, "login": login})
            .as_object()
            .cloned()
            .unwrap(),
    )
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_resolved_by_login_and_never_repeated() {
    let org = org(0).await;
    let client = client(&org, |c| c.request_timeout = Some(Duration::from_millis(500)));

    // The org creates the user, then closes the connection unanswered
    // (first seen without our client, so the fault is known to bite).
    knobs(&org, json!({"loseRate": 1.0, "loseHoldMs": 0})).await;
    let api = Api::new(&org);
    let body = json!({"profile": crate::support::valid_profile("raw.lost@example.com")});
    let raw = api.raw().post(api.absolute("/api/v1/users")).header("authorization", format!("SSWS {TOKEN}"));
    assert!(raw.json(&body).send().await.is_err(), "no answer");
    assert_eq!(users_with_login(&org, "raw.lost@example.com").await, 1, "yet the user was made");

    let user = client.create_user(&new_user("lost.connection@example.com")).await.expect("resolved by login");
    assert_eq!(user.login(), "lost.connection@example.com");
    // ... or holds it silent past the client's timeout.
    knobs(&org, json!({"loseHoldMs": 1500})).await;
    let timed_out = client.create_user(&new_user("lost.timeout@example.com")).await.expect("resolved by login");
    assert_eq!(timed_out.login(), "lost.timeout@example.com");

    knobs(&org, json!({"loseRate": 0.0})).await;
    for (login, id) in [("lost.connection@example.com", user.id()), ("lost.timeout@example.com", timed_out.id())] {
        assert_eq!(users_with_login(&org, login).await, 1, "{login} exists once");
        assert_eq!(client.get_user(login).await.unwrap().id(), id, "the user returned is the one created");
    }
}

#[tokio::test]
async fn a_create_that_did_not_happen_returns_the_original_error_and_creates_nothing() {
    let org = org(0).await;
    let client = client(&org, |c| c.retry.max_retries = 2);
    // Dropped before the org acts: the lookup finds nothing (its own
    // requests drop too), so the create's own error comes back.
    knobs(&org, json!({"dropRate": 1.0})).await;
    let err = client.create_user(&new_user("never.made@example.com")).await.unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    // A 503 before acting: a create is not retried on a server error.
    knobs(&org, json!({"dropRate": 0.0, "errorRate": 1.0, "errorStatus": 503})).await;
    let err = client.create_user(&new_user("never.made@example.com")).await.unwrap_err();
    assert!(matches!(&err, Error::Api(api) if api.status == 503), "one attempt, not GaveUp: {err:?}");
    knobs(&org, json!({"errorRate": 0.0})).await;
    assert_eq!(users_with_login(&org, "never.made@example.com").await, 0);
}

#[tokio::test]
async fn creates_under_every_fault_at_once_are_never_duplicated() {
    let org = org(0).await;
    let client = client(&org, |c| c.request_timeout = Some(Duration::from_millis(800)));
    knobs(
        &org,
        json!({"errorRate": 0.15, "errorStatus": 0, "dropRate": 0.1, "loseRate": 0.25, "loseHoldMs": 0, "latencyMs": 5}),
    )
    .await;
    let logins: Vec<String> = (0..30).map(|i| format!("storm{i:02}@example.com")).collect();
    let creates: Vec<CreateUser> = logins.iter().map(|l| new_user(l)).collect();
    let results = futures::future::join_all(creates.iter().map(|c| client.create_user(c))).await;
    knobs(&org, json!({"errorRate": 0.0, "dropRate": 0.0, "loseRate": 0.0, "latencyMs": 0})).await;

    let mut created = 0;
    for (login, result) in logins.iter().zip(&results) {
        let held = users_with_login(&org, login).await;
        match result {
            Ok(user) => {
                created += 1;
                assert_eq!((user.login(), held), (login.as_str(), 1), "{login}");
            }
            // A blind resend would meet the first attempt's user.
            Err(e) => {
                assert!(!e.to_string().contains("already exists"), "{login} was sent twice: {e}");
                assert!(held <= 1 && !e.to_string().contains('\n'), "{login}: {e}");
            }
        }
    }
    assert!(created > 0, "{results:?}");
}
