//! What every answer of the embedded org carries, its errors, rate limits,
//! fault knobs, panics, and going away and coming back.

use crate::support::{Api, TOKEN, demo_org, org_with};
use oktui::emulator::{Faults, OrgConfig};
use serde_json::json;

#[tokio::test]
async fn every_answer_has_okta_headers_and_error_bodies() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let ok = api.get("/api/v1/users?limit=1").await.expect(200);
    for h in ["date", "x-okta-request-id", "x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"] {
        assert!(ok.header(h).is_some_and(|v| !v.is_empty()), "missing {h}");
    }
    assert_eq!(ok.header("x-rate-limit-limit"), Some("600"), "list/create users bucket");
    assert_eq!(api.get("/api/v1/users/me").await.header("x-rate-limit-limit"), Some("2000"), "get user bucket");

    let unknown = api.get("/api/v1/nothing-here").await.expect_error(404, "E0000008");
    assert_eq!(unknown.header("content-type"), Some("application/json"));
    assert!(unknown.header("x-okta-request-id").is_some());
    api.send(api.raw().patch(api.absolute("/api/v1/users"))).await.expect_error(405, "E0000022");
    api.send(api.raw().delete(api.absolute("/api/v1/users"))).await.expect_error(405, "E0000022");
}

#[tokio::test]
async fn tokens_are_checked_with_or_without_the_space() {
    let org = demo_org().await;
    for (auth, status) in [
        (Some(format!("SSWS {TOKEN}")), 200),
        (Some(format!("SSWS{TOKEN}")), 200),
        (Some("SSWS wrong".to_owned()), 401),
        (Some(format!("Bearer {TOKEN}")), 401),
        (Some(TOKEN.to_owned()), 401),
        (None, 401),
    ] {
        let reply = Api::with_auth(&org, auth.clone()).get("/api/v1/users?limit=1").await;
        assert_eq!(reply.status, status, "{auth:?}");
        if status == 401 {
            assert_eq!(reply.error_code(), Some("E0000011"));
            assert_eq!(reply.body["errorSummary"], "Invalid token provided");
        }
    }
    Api::with_auth(&org, None).post_empty("/emulator/v1/panic").await.expect_error(401, "E0000011");
}

#[tokio::test]
async fn over_the_limit_gives_429_with_reset() {
    let org = org_with(OrgConfig::demo(TOKEN).with_rate_limit(3)).await;
    let api = Api::new(&org);
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let r = api.get("/api/v1/users?limit=1").await.expect(200);
        remaining.push(r.header("x-rate-limit-remaining").unwrap().to_owned());
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let limited = api.get("/api/v1/users?limit=1").await.expect_error(429, "E0000047");
    assert_eq!(limited.header("x-rate-limit-limit"), Some("3"));
    assert_eq!(limited.header("x-rate-limit-remaining"), Some("0"));
    let reset: u64 = limited.header("x-rate-limit-reset").unwrap().parse().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!(reset > now.saturating_sub(1) && reset <= now + 61, "reset {reset} vs now {now}");
    // Buckets are separate: getting a user still works.
    api.get("/api/v1/users/me").await.expect(200);
    // The hooks are outside the buckets, and can lift the limit.
    api.post("/emulator/v1/faults", json!({"rateLimit": 1000})).await.expect(200);
    api.get("/api/v1/users?limit=1").await.expect(200);
}

#[tokio::test]
async fn fault_knobs_inject_errors_throttling_and_drops_and_can_be_turned_off() {
    let org = demo_org().await;
    let api = Api::new(&org);
    api.post("/emulator/v1/faults", json!({"errorRate": 1.0})).await.expect(200);
    let e = api.get("/api/v1/users?limit=1").await;
    assert!(matches!(e.status, 500 | 502 | 503), "{}", e.text);
    assert!(matches!(e.error_code(), Some("E0000009" | "E0000010")));

    api.post("/emulator/v1/faults", json!({"errorStatus": 504})).await.expect(200);
    assert_eq!(api.get("/api/v1/users?limit=1").await.status, 504);
    api.post("/emulator/v1/faults", json!({"errorStatus": 418})).await.expect_error(400, "E0000001");

    api.post("/emulator/v1/faults", json!({"errorRate": 0.0, "errorStatus": 0, "throttleRate": 1.0})).await.expect(200);
    let t = api.get("/api/v1/users?limit=1").await.expect_error(429, "E0000047");
    assert!(t.header("x-rate-limit-reset").is_some());

    api.post("/emulator/v1/faults", json!({"throttleRate": 0.0, "dropRate": 1.0})).await.expect(200);
    let dropped = api
        .raw()
        .get(api.absolute("/api/v1/users?limit=1"))
        .header("authorization", format!("SSWS {TOKEN}"))
        .send()
        .await;
    assert!(dropped.is_err(), "the connection closes without an answer");

    api.post("/emulator/v1/faults", json!({"dropRate": 0.0, "latencyMs": 1})).await.expect(200);
    let knobs = api.get("/emulator/v1/faults").await.expect(200).body;
    assert_eq!(
        knobs["faults"],
        json!({"latencyMs": 1, "errorRate": 0.0, "errorStatus": 0, "throttleRate": 0.0, "dropRate": 0.0,
               "loseRate": 0.0, "loseHoldMs": 0})
    );
    api.get("/api/v1/users?limit=1").await.expect(200);
    api.post("/emulator/v1/faults", json!({"errorRate": 2})).await.expect_error(400, "E0000001");

    let configured =
        org_with(OrgConfig::demo(TOKEN).with_faults(Faults { error_rate: 1.0, ..Faults::default() })).await;
    assert!(Api::new(&configured).get("/api/v1/users").await.status >= 500);
}

#[tokio::test]
async fn a_handler_panic_becomes_500_e0000009_and_the_org_keeps_serving() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let reply = api.post_empty("/emulator/v1/panic").await.expect_error(500, "E0000009");
    assert_eq!(reply.body["errorSummary"], "Internal Server Error");
    api.get("/api/v1/users/me").await.expect(200);
}

#[tokio::test]
async fn an_org_that_goes_away_comes_back_on_the_same_port_with_its_data() {
    let mut org = demo_org().await;
    let api = Api::new(&org);
    let made =
        api.post("/api/v1/users", json!({"profile": crate::support::valid_profile("phoenix@example.com")})).await;
    made.expect(200);
    org.stop().await;
    let refused =
        api.raw().get(api.absolute("/api/v1/users/me")).header("authorization", format!("SSWS {TOKEN}")).send().await;
    assert!(refused.is_err(), "stopped org refuses connections");
    org.restart().await.expect("restart on the same address");
    api.get("/api/v1/users/phoenix@example.com").await.expect(200);
}

#[tokio::test]
async fn garbage_in_gives_okta_errors_out_and_never_a_panic() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let gets = [
        "/api/v1/users/%FF%FE",
        "/api/v1/users?limit=-5",
        "/api/v1/users?limit=99999999999999999999999",
        "/api/v1/users?limit=ten",
        "/api/v1/users?after=%E2%9C%93",
        "/api/v1/users?fields=profile:(,,,",
        "/api/v1/users?fields=)))",
        "/api/v1/users?search=%22%22%22",
        "/api/v1/users?filter=(((",
        "/api/v1/users?q=%00%01",
        "/api/v1/users?sortBy=profile.lastName&sortOrder=sideways",
        "/api/v1/users/me/lifecycle/activate",
        "/api/v1/groups?limit=0&after=%00",
        "/api/v1/groups/%2e%2e/users",
        "/api/v1/meta/schemas/user/%20",
        "/api/v1/users/a%2Fb",
    ];
    for path in gets {
        let r = api.get(path).await;
        assert!(r.status < 500, "{path}: {}", r.text);
        if r.status >= 400 {
            assert!(r.error_code().is_some(), "{path}: not an Okta error: {}", r.text);
            assert_eq!(r.header("content-type"), Some("application/json"), "{path}");
        }
    }
    let bodies = [
        "[]",
        "null",
        "42",
        "{\"profile\": 5}",
        "{\"profile\": {\"login\": []}}",
        "{\"credentials\": {\"password\": {\"hash\": {\"algorithm\": 7}}}}",
        "{\"groupIds\": \"00g\"}",
        "\u{feff}{}",
        &"[".repeat(10_000),
        &format!("{{\"profile\": {{\"login\": \"{}\"}}}}", "x".repeat(3_000_000)),
    ];
    for body in bodies {
        for path in
            ["/api/v1/users", "/api/v1/users/me", "/api/v1/users/me/credentials/change_password", "/api/v1/groups"]
        {
            let req =
                api.raw().post(api.absolute(path)).header("content-type", "application/json").body(body.to_owned());
            let r = api.send(req).await;
            assert!(r.status < 500, "{path} {}: {}", &body[..body.len().min(40)], r.text);
            if r.status >= 400 {
                assert!(r.error_code().is_some(), "{path}: not an Okta error: {}", r.text);
            }
        }
    }
}

#[test]
fn serve_help_documents_every_flag() {
    let out =
        std::process::Command::new(env!("CARGO_BIN_EXE_oktui")).args(["serve", "--help"]).output().expect("run oktui");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--listen",
        "--token",
        "--users",
        "--data",
        "--latency",
        "--error-rate",
        "--error-status",
        "--throttle-rate",
        "--drop-rate",
        "--rate-limit",
        "--oauth-client-id",
        "--oauth-public-key",
        "--oauth-scopes",
        "--oauth-token-ttl",
        "--no-demo",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_oktui"))
        .args(["serve", "--error-rate", "1.5"])
        .output()
        .expect("run oktui");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a probability"));
}
