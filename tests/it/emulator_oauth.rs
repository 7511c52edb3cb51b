//! OAuth 2.0 for Okta APIs against the embedded org: client credentials
//! with a signed client assertion (RS256, ES256, PEM or JWK), scopes,
//! expiry. Keys: `tests/fixtures/oauth/` (test-only).

use crate::support::{Api, TOKEN, org_with};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oktui::emulator::{OrgConfig, RunningOrg, ServiceApp};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CLIENT: &str = "0oatestclient0000001";
const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/oauth/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

fn app(public_key: &str, key_id: Option<&str>) -> ServiceApp {
    ServiceApp {
        client_id: CLIENT.into(),
        public_key: fixture(public_key),
        key_id: key_id.map(Into::into),
        scopes: vec!["okta.users.read".into(), "okta.groups.read".into()],
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn assertion(org: &RunningOrg, alg: Algorithm, private: &str, kid: Option<&str>, claims: serde_json::Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(Into::into);
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(fixture(private).as_bytes()).unwrap(),
        _ => EncodingKey::from_rsa_pem(fixture(private).as_bytes()).unwrap(),
    };
    let mut full = json!({"iss": CLIENT, "sub": CLIENT, "aud": format!("{}/oauth2/v1/token", org.url()),
        "iat": now(), "exp": now() + 300, "jti": fastrand::u64(..).to_string()});
    for (k, v) in claims.as_object().unwrap() {
        full[k] = v.clone();
    }
    jsonwebtoken::encode(&header, &full, &key).unwrap()
}

async fn ask(org: &RunningOrg, assertion: &str, scope: &str) -> crate::support::Reply {
    let api = Api::with_auth(org, None);
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", scope),
        ("client_assertion_type", ASSERTION_TYPE),
        ("client_assertion", assertion),
    ];
    api.send(api.raw().post(api.absolute("/oauth2/v1/token")).form(&form)).await
}

#[tokio::test]
async fn rs256_and_es256_assertions_get_bearer_tokens_that_work() {
    for (public, private, alg) in [
        ("rsa-public.pem", "rsa-private.pem", Algorithm::RS256),
        ("rsa-public.jwk.json", "rsa-private.pem", Algorithm::RS256),
        ("ec-public.pem", "ec-private.pem", Algorithm::ES256),
    ] {
        let org = org_with(OrgConfig::demo(TOKEN).with_service_app(app(public, None))).await;
        let jwt = assertion(&org, alg, private, Some("test-rsa-1"), json!({}));
        let reply = ask(&org, &jwt, "okta.users.read").await.expect(200);
        assert_eq!(reply.body["token_type"], "Bearer", "{public}");
        assert_eq!(reply.body["expires_in"], 3600);
        assert_eq!(reply.body["scope"], "okta.users.read");
        let token = reply.body["access_token"].as_str().unwrap();
        let bearer = Api::with_auth(&org, Some(format!("Bearer {token}")));
        bearer.get("/api/v1/users?limit=2").await.expect(200);
        let denied = bearer.post("/api/v1/users", json!({"profile": {}})).await.expect_error(403, "E0000006");
        assert!(denied.causes()[0].contains("okta.users.manage"));
        bearer.get("/api/v1/groups").await.expect_error(403, "E0000006");
        Api::with_auth(&org, Some("Bearer not-a-token".into()))
            .get("/api/v1/users")
            .await
            .expect_error(401, "E0000011");
    }
}

#[tokio::test]
async fn bad_assertions_are_refused_in_oauth_shape() {
    let org = org_with(OrgConfig::demo(TOKEN).with_service_app(app("rsa-public.pem", Some("kid-1")))).await;
    let good = |claims| assertion(&org, Algorithm::RS256, "rsa-private.pem", Some("kid-1"), claims);
    let cases = [
        (good(json!({"exp": now() - 600})), "okta.users.read", 401, "invalid_client"),
        (good(json!({"exp": now() + 7200})), "okta.users.read", 401, "invalid_client"),
        (
            good(json!({"aud": "https://elsewhere.example.com/oauth2/v1/token"})),
            "okta.users.read",
            401,
            "invalid_client",
        ),
        (good(json!({"iss": "0oasomeoneelse000001"})), "okta.users.read", 401, "invalid_client"),
        (good(json!({"sub": "0oasomeoneelse000001"})), "okta.users.read", 401, "invalid_client"),
        (
            assertion(&org, Algorithm::ES256, "ec-private.pem", Some("kid-1"), json!({})),
            "okta.users.read",
            401,
            "invalid_client",
        ),
        (
            assertion(&org, Algorithm::RS256, "rsa-private.pem", Some("kid-2"), json!({})),
            "okta.users.read",
            401,
            "invalid_client",
        ),
        (good(json!({})), "okta.users.manage", 400, "invalid_scope"),
        (good(json!({})), "", 400, "invalid_scope"),
        ("not.a.jwt".to_owned(), "okta.users.read", 401, "invalid_client"),
    ];
    for (jwt, scope, status, error) in cases {
        let reply = ask(&org, &jwt, scope).await;
        assert_eq!((reply.status, reply.body["error"].as_str()), (status, Some(error)), "{}", reply.text);
        assert!(reply.body["error_description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(reply.body.get("errorCode").is_none(), "OAuth errors are not Okta error objects");
    }
    let api = Api::with_auth(&org, None);
    let wrong_grant = api
        .send(api.raw().post(api.absolute("/oauth2/v1/token")).form(&[("grant_type", "password")]))
        .await
        .expect(400);
    assert_eq!(wrong_grant.body["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn access_tokens_expire() {
    let config = OrgConfig::demo(TOKEN)
        .with_service_app(app("rsa-public.pem", None))
        .with_access_token_ttl(Duration::from_secs(1));
    let org = org_with(config).await;
    let jwt = assertion(&org, Algorithm::RS256, "rsa-private.pem", None, json!({}));
    let token = ask(&org, &jwt, "okta.users.read okta.groups.read").await.expect(200);
    assert_eq!(token.body["expires_in"], 1);
    let bearer = Api::with_auth(&org, Some(format!("Bearer {}", token.body["access_token"].as_str().unwrap())));
    bearer.get("/api/v1/groups").await.expect(200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    bearer.get("/api/v1/groups").await.expect_error(401, "E0000011");
}
