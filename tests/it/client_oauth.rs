//! OAuth 2.0 client credentials with `private_key_jwt`, against a wiremock
//! token endpoint that verifies each assertion with the public key, as the
//! org's `/oauth2/v1/token` does. Move to the embedded org's endpoint once
//! it lands.

use crate::client_keys::*;
use crate::client_support::user_json;
use futures::future::join_all;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use oktui::okta::{Client, ClientConfig, Error, KeySource, OrgUrl, PrivateKeyAuth, Secret};
use serde_json::Value;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CLIENT_ID: &str = "0oaservice";

/// The token endpoint: checks the form and the signed assertion, issues
/// `at-1`, `at-2`, … living `lifetime` seconds.
struct TokenEndpoint {
    public_pem: &'static str,
    algorithm: Algorithm,
    kid: Option<&'static str>,
    token_url: String,
    lifetime: u64,
    issued: AtomicU32,
    problems: Mutex<Vec<String>>,
}

impl TokenEndpoint {
    fn check(&self, req: &Request) -> Result<(), String> {
        let form: std::collections::HashMap<String, String> =
            url::form_urlencoded::parse(&req.body).into_owned().collect();
        let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
        if field("grant_type") != "client_credentials" {
            return Err(format!("grant_type {:?}", field("grant_type")));
        }
        if field("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
            return Err("client_assertion_type".into());
        }
        if field("scope") != "okta.users.read okta.users.manage" {
            return Err(format!("scope {:?}", field("scope")));
        }
        let key = match self.algorithm {
            Algorithm::RS256 => DecodingKey::from_rsa_pem(self.public_pem.as_bytes()),
            _ => DecodingKey::from_ec_pem(self.public_pem.as_bytes()),
        }
        .map_err(|e| e.to_string())?;
        let mut validation = Validation::new(self.algorithm);
        validation.set_audience(&[&self.token_url]);
        validation.set_issuer(&[CLIENT_ID]);
        validation.sub = Some(CLIENT_ID.into());
        validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
        let token =
            jsonwebtoken::decode::<Value>(field("client_assertion"), &key, &validation).map_err(|e| e.to_string())?;
        if token.header.kid.as_deref() != self.kid {
            return Err(format!("kid {:?}", token.header.kid));
        }
        if token.claims.get("jti").and_then(Value::as_str).is_none_or(str::is_empty) {
            return Err("no jti".into());
        }
        Ok(())
    }
}

impl Respond for TokenEndpoint {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if let Err(problem) = self.check(req) {
            self.problems.lock().unwrap().push(problem);
            return ResponseTemplate::new(401).set_body_json(
                serde_json::json!({"error": "invalid_client", "error_description": "The client_assertion is invalid."}),
            );
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"token_type": "Bearer", "expires_in": self.lifetime,
                                              "access_token": format!("at-{n}"), "scope": "okta.users.read okta.users.manage"}))
            // Slow enough that concurrent callers overlap.
            .set_delay(Duration::from_millis(150))
    }
}

struct Setup {
    server: MockServer,
    endpoint: std::sync::Arc<TokenEndpoint>,
}

struct Shared(std::sync::Arc<TokenEndpoint>);

impl Respond for Shared {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.0.respond(req)
    }
}

async fn setup(public_pem: &'static str, algorithm: Algorithm, kid: Option<&'static str>, lifetime: u64) -> Setup {
    let server = MockServer::start().await;
    let endpoint = std::sync::Arc::new(TokenEndpoint {
        public_pem,
        algorithm,
        kid,
        token_url: format!("{}/oauth2/v1/token", server.uri()),
        lifetime,
        issued: AtomicU32::new(0),
        problems: Mutex::default(),
    });
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(Shared(endpoint.clone()))
        .mount(&server)
        .await;
    for n in 1..=3 {
        Mock::given(method("GET"))
            .and(path("/api/v1/users/me"))
            .and(header("authorization", format!("Bearer at-{n}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(user_json(&format!("00u{n}"), "svc@example.com")))
            .mount(&server)
            .await;
    }
    Setup { server, endpoint }
}

fn client(setup: &Setup, key: KeySource, key_id: Option<&str>) -> Result<Client, Error> {
    let auth = PrivateKeyAuth {
        client_id: CLIENT_ID.into(),
        scopes: vec!["okta.users.read".into(), "okta.users.manage".into()],
        key,
        key_id: key_id.map(str::to_owned),
    };
    Client::new(ClientConfig::oauth(OrgUrl::parse(&setup.server.uri()).unwrap(), auth))
}

fn inline(text: &str) -> KeySource {
    KeySource::Inline(Secret::new(text))
}

#[tokio::test]
async fn every_key_form_gets_a_token_that_is_used_as_bearer() {
    // (name, key, algorithm, kid the org expects, kid configured)
    type Case = (&'static str, &'static str, Algorithm, Option<&'static str>, Option<&'static str>);
    let cases: [Case; 6] = [
        ("RSA PKCS#1", RSA_PKCS1, Algorithm::RS256, Some("rsa-kid"), Some("rsa-kid")),
        ("RSA PKCS#8", RSA_PKCS8, Algorithm::RS256, None, None),
        ("RSA JWK", RSA_JWK, Algorithm::RS256, Some("rsa-jwk"), None),
        ("EC SEC1", EC_SEC1, Algorithm::ES256, Some("ec-kid"), Some("ec-kid")),
        ("EC PKCS#8", EC_PKCS8, Algorithm::ES256, None, None),
        ("EC JWK", EC_JWK, Algorithm::ES256, Some("ec-jwk"), None),
    ];
    for (name, key, algorithm, expected_kid, configured_kid) in cases {
        let public = if algorithm == Algorithm::RS256 { RSA_PUBLIC } else { EC_PUBLIC };
        let setup = setup(public, algorithm, expected_kid, 3600).await;
        let client = client(&setup, inline(key), configured_kid).unwrap_or_else(|e| panic!("{name}: {e}"));
        for _ in 0..3 {
            let me = client.get_user("me").await.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(me.id(), "00u1", "{name}: the cached token is reused");
        }
        assert_eq!(setup.endpoint.issued.load(Ordering::SeqCst), 1, "{name}");
        assert!(setup.endpoint.problems.lock().unwrap().is_empty(), "{name}: {:?}", setup.endpoint.problems);
    }
}

#[tokio::test]
async fn concurrent_requests_share_one_token_fetch() {
    let setup = setup(RSA_PUBLIC, Algorithm::RS256, None, 3600).await;
    let client = client(&setup, inline(RSA_PKCS8), None).unwrap();
    let results = join_all((0..8).map(|_| client.get_user("me"))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(setup.endpoint.issued.load(Ordering::SeqCst), 1, "single flight");
}

#[tokio::test]
async fn the_token_is_refreshed_before_it_expires() {
    // Two-second tokens are refreshed after three quarters of their life.
    let setup = setup(EC_PUBLIC, Algorithm::ES256, None, 2).await;
    let client = client(&setup, inline(EC_PKCS8), None).unwrap();
    assert_eq!(client.get_user("me").await.unwrap().id(), "00u1");
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(client.get_user("me").await.unwrap().id(), "00u2", "a new token, fetched before the old one died");
    assert_eq!(setup.endpoint.issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_key_file_is_read_and_a_wrong_key_is_refused_by_the_org() {
    let dir = crate::pty::tempdir::Dir::new();
    let file = dir.path.join("key.pem");
    std::fs::write(&file, RSA_PKCS1).unwrap();
    // The org knows the EC public key only: the RSA assertion fails.
    let setup = setup(EC_PUBLIC, Algorithm::ES256, None, 3600).await;
    let client = client(&setup, KeySource::File(file), None).unwrap();
    let err = client.get_user("me").await.unwrap_err();
    let api = err.api().expect("the org's answer");
    assert_eq!((api.status, api.code.as_deref()), (401, Some("invalid_client")));
    assert!(
        err.to_string()
            .starts_with("cannot get an access token: The client_assertion is invalid [HTTP 401 invalid_client"),
        "{err}"
    );
}

#[tokio::test]
async fn unusable_keys_are_reported_before_any_request() {
    let setup = setup(RSA_PUBLIC, Algorithm::RS256, None, 3600).await;
    for (key, expected) in [
        (inline(RSA_PUBLIC), "holds no private key"),
        (inline("not a key at all"), "neither PEM nor a JWK"),
        (inline(r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#), "lacks \"d\""),
        (KeySource::File("/nonexistent/oktui-key.pem".into()), "cannot read the private key file"),
    ] {
        let err = client(&setup, key, None).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    }
    assert_eq!(setup.server.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_refused_token_is_replaced_once() {
    let setup = setup(RSA_PUBLIC, Algorithm::RS256, None, 3600).await;
    // The org revoked at-1 early.
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer at-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorCauses": []}),
        ))
        .with_priority(1)
        .mount(&setup.server)
        .await;
    let client = client(&setup, inline(RSA_PKCS1), None).unwrap();
    assert_eq!(client.get_user("me").await.unwrap().id(), "00u2");
    assert_eq!(setup.endpoint.issued.load(Ordering::SeqCst), 2);
}
