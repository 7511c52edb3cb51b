//! The org's System Log, recorded side (issue 14): every change the API
//! makes records Okta's events, with the actor, the client and one
//! transaction id per request (the request's `X-Okta-Request-Id`).

use crate::support::{Api, Reply, TOKEN, demo_org, org_with, valid_profile};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oktui::emulator::{OrgConfig, ServiceApp};
use serde_json::{Value, json};

/// The events the request that gave `reply` caused, oldest first.
pub async fn events_of(api: &Api, reply: &Reply) -> Vec<Value> {
    let transaction = reply.header("x-okta-request-id").expect("a request id");
    let filter = format!("transaction.id eq \"{transaction}\"");
    let url = format!("/api/v1/logs?filter={}", urlencoding(&filter));
    api.get(&url).await.expect(200).body.as_array().cloned().unwrap_or_default()
}

pub fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["eventType"].as_str().unwrap_or_default()).collect()
}

/// Asserts the request recorded exactly `expected`, each about `user`,
/// acted by `actor`, all in the request's one transaction.
#[track_caller]
fn assert_recorded(events: &[Value], reply: &Reply, expected: &[&str], user: &str, actor: &str) {
    assert_eq!(types(events), expected, "{events:#?}");
    let transaction = reply.header("x-okta-request-id").unwrap_or_default();
    for e in events {
        assert_eq!(e["transaction"]["id"], transaction);
        assert_eq!(e["debugContext"]["debugData"]["requestId"], transaction);
        assert_eq!(e["actor"]["id"], actor, "{e:#}");
        assert_eq!(e["target"][0]["id"], user, "{e:#}");
        assert_eq!(e["target"][0]["type"], "User");
        assert_eq!(e["outcome"]["result"], "SUCCESS");
        assert_eq!(e["client"]["ipAddress"], "127.0.0.1");
        assert!(e["published"].as_str().is_some_and(|p| p.ends_with('Z')), "{e:#}");
        assert_eq!(e["uuid"].as_str().map(str::len), Some(36));
    }
}

#[tokio::test]
async fn every_change_records_its_events_in_one_transaction_acted_by_the_admin() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let admin = api.get("/api/v1/users/me").await.expect(200).body["id"].as_str().unwrap().to_owned();
    let groups = api.get("/api/v1/groups?q=VPN").await.expect(200).body;
    let vpn = groups[0]["id"].as_str().unwrap().to_owned();

    let body = json!({"profile": valid_profile("logged@example.com"), "credentials": {"password": {"value": "Tr0ub4dor&3xyz"}},
        "groupIds": [vpn]});
    let created = api.post("/api/v1/users?activate=true", body).await.expect(200);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let events = events_of(&api, &created).await;
    assert_recorded(
        &events,
        &created,
        &["user.lifecycle.create", "user.lifecycle.activate", "group.user_membership.add"],
        &id,
        &admin,
    );
    assert_eq!(events[0]["legacyEventType"], "core.user.config.user_creation.success");
    assert_eq!(events[0]["actor"]["type"], "User");
    assert_eq!(events[0]["actor"]["alternateId"], "admin@example.com");
    assert_eq!(events[0]["target"][0]["alternateId"], "logged@example.com");
    assert_eq!(events[0]["target"][0]["displayName"], "Robin Testcase");
    assert_eq!(events[2]["target"][1]["id"], vpn.as_str());
    assert_eq!(events[2]["target"][1]["type"], "UserGroup");

    let edited =
        api.post(&format!("/api/v1/users/{id}"), json!({"profile": {"department": "Finance", "title": "Lead"}})).await;
    let events = events_of(&api, &edited.expect(200)).await;
    assert_eq!(types(&events), ["user.account.update_profile"]);
    assert_eq!(
        events[0]["target"][0]["changeDetails"],
        json!({"from": {}, "to": {"department": "Finance", "title": "Lead"}})
    );
    let edited =
        api.post(&format!("/api/v1/users/{id}"), json!({"profile": {"department": "Legal"}})).await.expect(200);
    let events = events_of(&api, &edited).await;
    assert_recorded(&events, &edited, &["user.account.update_profile"], &id, &admin);
    assert_eq!(
        events[0]["target"][0]["changeDetails"],
        json!({"from": {"department": "Finance"}, "to": {"department": "Legal"}})
    );
    let unchanged =
        api.post(&format!("/api/v1/users/{id}"), json!({"profile": {"department": "Legal"}})).await.expect(200);
    assert!(events_of(&api, &unchanged).await.is_empty(), "setting the same value changes nothing");

    let steps: [(&str, &[&str]); 9] = [
        ("lifecycle/suspend", &["user.lifecycle.suspend"]),
        ("lifecycle/unsuspend", &["user.lifecycle.unsuspend"]),
        ("lifecycle/reset_password?sendEmail=false", &["user.account.reset_password"]),
        ("lifecycle/reactivate?sendEmail=false", &["user.lifecycle.reactivate"]),
        ("lifecycle/expire_password", &["user.account.expire_password"]),
        ("lifecycle/reset_factors", &["user.mfa.factor.reset_all"]),
        ("lifecycle/deactivate", &["user.lifecycle.deactivate"]),
        ("lifecycle/activate?sendEmail=false", &["user.lifecycle.activate"]),
        ("lifecycle/deactivate", &["user.lifecycle.deactivate"]),
    ];
    for (op, expected) in steps {
        let reply = api.post_empty(&format!("/api/v1/users/{id}/{op}")).await.expect(200);
        assert_recorded(&events_of(&api, &reply).await, &reply, expected, &id, &admin);
    }
    let refused = api.post_empty(&format!("/api/v1/users/{id}/lifecycle/suspend")).await;
    assert!(events_of(&api, &refused.expect_error(400, "E0000001")).await.is_empty(), "a refusal records nothing");

    let deleted = api.delete(&format!("/api/v1/users/{id}")).await.expect(204);
    let events = events_of(&api, &deleted).await;
    assert_recorded(
        &events,
        &deleted,
        &["user.lifecycle.delete.initiated", "user.lifecycle.delete.completed"],
        &id,
        &admin,
    );
}

#[tokio::test]
async fn locks_unlocks_memberships_factors_and_sessions_are_recorded() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let admin = api.get("/api/v1/users/me").await.expect(200).body["id"].as_str().unwrap().to_owned();
    let users = api.get("/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=5").await.expect(200).body;
    let id = users[1]["id"].as_str().unwrap().to_owned();

    let locked = api.post_empty(&format!("/emulator/v1/users/{id}/lock")).await.expect(200);
    let events = events_of(&api, &locked).await;
    assert_recorded(&events, &locked, &["user.account.lock"], &id, &id);
    assert_eq!(events[0]["severity"], "WARN");
    let unlocked = api.post_empty(&format!("/api/v1/users/{id}/lifecycle/unlock")).await.expect(200);
    assert_recorded(&events_of(&api, &unlocked).await, &unlocked, &["user.account.unlock_by_admin"], &id, &admin);

    let factors = api.get(&format!("/api/v1/users/{id}/factors")).await.expect(200).body;
    let factor = factors[0]["id"].as_str().unwrap().to_owned();
    let reset = api.delete(&format!("/api/v1/users/{id}/factors/{factor}")).await.expect(204);
    let events = events_of(&api, &reset).await;
    assert_recorded(&events, &reset, &["user.mfa.factor.deactivate"], &id, &admin);
    assert_eq!(events[0]["target"][1]["id"], factor.as_str());

    let cleared = api.delete(&format!("/api/v1/users/{id}/sessions")).await.expect(204);
    assert_recorded(&events_of(&api, &cleared).await, &cleared, &["user.session.clear"], &id, &admin);

    let groups = api.get("/api/v1/groups?q=Contractors").await.expect(200).body;
    let gid = groups[0]["id"].as_str().unwrap().to_owned();
    let added = api.put(&format!("/api/v1/groups/{gid}/users/{id}"), json!({})).await.expect(204);
    assert_recorded(&events_of(&api, &added).await, &added, &["group.user_membership.add"], &id, &admin);
    let again = api.put(&format!("/api/v1/groups/{gid}/users/{id}"), json!({})).await.expect(204);
    assert!(events_of(&api, &again).await.is_empty(), "already a member: no change, no event");
    let removed = api.delete(&format!("/api/v1/groups/{gid}/users/{id}")).await.expect(204);
    let events = events_of(&api, &removed).await;
    assert_recorded(&events, &removed, &["group.user_membership.remove"], &id, &admin);
    assert_eq!(events[0]["target"][1]["displayName"], "Contractors");

    let created = api.post("/api/v1/groups", json!({"profile": {"name": "Auditors"}})).await.expect(200);
    let group = created.body["id"].as_str().unwrap().to_owned();
    let deleted = api.delete(&format!("/api/v1/groups/{group}")).await.expect(204);
    for (reply, expected) in [(created, "group.lifecycle.create"), (deleted, "group.lifecycle.delete")] {
        let events = events_of(&api, &reply).await;
        assert_eq!(types(&events), [expected]);
        assert_eq!(events[0]["target"][0]["id"], group.as_str());
        assert_eq!(events[0]["target"][0]["displayName"], "Auditors");
        assert_eq!(events[0]["actor"]["id"], admin.as_str());
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/oauth/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

#[tokio::test]
async fn a_service_app_is_the_actor_of_what_it_changes() {
    const CLIENT: &str = "0oalogtestclient0001";
    let app = ServiceApp {
        client_id: CLIENT.into(),
        public_key: fixture("rsa-public.pem"),
        key_id: None,
        scopes: vec!["okta.users.manage".into(), "okta.logs.read".into()],
    };
    let org = org_with(OrgConfig::demo(TOKEN).with_service_app(app)).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let claims = json!({"iss": CLIENT, "sub": CLIENT, "aud": format!("{}/oauth2/v1/token", org.url()),
        "iat": now, "exp": now + 300, "jti": "log-test-1"});
    let key = EncodingKey::from_rsa_pem(fixture("rsa-private.pem").as_bytes()).unwrap();
    let jwt = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap();
    let anonymous = Api::with_auth(&org, None);
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", "okta.users.manage okta.logs.read"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", jwt.as_str()),
    ];
    let token = anonymous.send(anonymous.raw().post(anonymous.absolute("/oauth2/v1/token")).form(&form)).await;
    let token = token.expect(200).body["access_token"].as_str().unwrap().to_owned();
    let app = Api::with_auth(&org, Some(format!("Bearer {token}")));

    let users = app.get("/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=5").await.expect(200).body;
    let id = users[1]["id"].as_str().unwrap().to_owned();
    let suspended = app.post_empty(&format!("/api/v1/users/{id}/lifecycle/suspend")).await.expect(200);
    let events = events_of(&app, &suspended).await;
    assert_recorded(&events, &suspended, &["user.lifecycle.suspend"], &id, CLIENT);
    assert_eq!(events[0]["actor"]["type"], "PublicClientApp");
}
