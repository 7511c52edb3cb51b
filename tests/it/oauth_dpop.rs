//! DPoP end to end: the org with `--oauth-dpop` (its token endpoint wants a
//! proof and its nonce, its tokens are of type DPoP, its API wants a fresh
//! proof bound to the token), the client with `dpop` doing the whole flow,
//! and proofs built by hand that the org must refuse.

use crate::support::{TOKEN, org_with};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oktui::emulator::{OrgConfig, RunningOrg, ServiceApp};
use oktui::okta::{Client, ClientConfig, KeySource, OrgUrl, PageStart, PrivateKeyAuth};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CLIENT_ID: &str = "0oadpopservice0000001";
const SCOPES: &str = "okta.users.read okta.users.manage";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oauth").join(name)
}

async fn dpop_org(ttl: Duration) -> RunningOrg {
    let app = ServiceApp {
        client_id: CLIENT_ID.into(),
        public_key: std::fs::read_to_string(fixture("rsa-public.pem")).expect("fixture"),
        key_id: None,
        scopes: SCOPES.split(' ').map(str::to_owned).collect(),
    };
    org_with(OrgConfig::demo(TOKEN).with_service_app(app).with_access_token_ttl(ttl).with_oauth_dpop()).await
}

fn dpop_client(url: &str) -> Client {
    let auth = PrivateKeyAuth {
        client_id: CLIENT_ID.into(),
        scopes: SCOPES.split(' ').map(str::to_owned).collect(),
        key: KeySource::File(fixture("rsa-private.pem")),
        key_id: None,
    };
    let mut config = ClientConfig::oauth(OrgUrl::parse(url).expect("url"), auth);
    config.dpop = true;
    Client::new(config).expect("client")
}

async fn first_page(client: &Client) -> usize {
    client.list_users_page(PageStart::First(&Default::default())).await.expect("a page of users").items.len()
}

#[tokio::test]
async fn the_client_gets_a_dpop_token_after_the_nonce_retry_and_refreshes_it() {
    let org = dpop_org(Duration::from_secs(2)).await;
    let oauth = org.org.oauth();
    let client = dpop_client(&org.url());
    assert!(first_page(&client).await > 0);
    assert_eq!(oauth.dpop_nonce_challenges(), 1, "the first token request was answered use_dpop_nonce");
    let tokens = oauth.dpop_tokens_issued();
    assert_eq!(tokens, 1);

    // Past the token's life: the refresh reuses the nonce it learnt.
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert!(first_page(&client).await > 0);
    assert_eq!((oauth.dpop_tokens_issued(), oauth.dpop_nonce_challenges()), (2, 1), "refreshed, nonce kept");

    // The org moves to a new nonce: the next refresh learns it and retries.
    oauth.rotate_dpop_nonce();
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    assert!(first_page(&client).await > 0);
    assert_eq!((oauth.dpop_tokens_issued(), oauth.dpop_nonce_challenges()), (3, 2), "refreshed with the new nonce");
}

#[tokio::test]
async fn a_client_without_dpop_is_told_to_enable_it() {
    let org = dpop_org(Duration::from_secs(60)).await;
    let auth = PrivateKeyAuth {
        client_id: CLIENT_ID.into(),
        scopes: SCOPES.split(' ').map(str::to_owned).collect(),
        key: KeySource::File(fixture("rsa-private.pem")),
        key_id: None,
    };
    let client = Client::new(ClientConfig::oauth(OrgUrl::parse(&org.url()).expect("url"), auth)).expect("client");
    let error = client.list_users_page(PageStart::First(&Default::default())).await.expect_err("DPoP is required");
    let message = error.to_string();
    assert!(message.contains("DPoP proof JWT header is missing") && message.contains("dpopEnabled"), "{message}");
}

/// A DPoP key and proofs made by hand, to send what a client should not.
struct Prover {
    pair: EcdsaKeyPair,
    jwk: Value,
    rng: SystemRandom,
}

impl Prover {
    fn new() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let point = pair.public_key().as_ref().to_vec();
        let jwk = json!({"kty": "EC", "crv": "P-256", "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..65])});
        Self { pair, jwk, rng }
    }

    fn proof(&self, claims: Value) -> String {
        let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk});
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.pair.sign(&self.rng, input.as_bytes()).unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }

    fn claims(&self, method: &str, url: &str) -> Value {
        let mut jti = [0u8; 12];
        self.rng.fill(&mut jti).unwrap();
        json!({"htm": method, "htu": url, "iat": now(), "jti": URL_SAFE_NO_PAD.encode(jti)})
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn assertion(token_url: &str) -> String {
    let key = EncodingKey::from_rsa_pem(&std::fs::read(fixture("rsa-private.pem")).unwrap()).unwrap();
    let claims = json!({"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": token_url, "iat": now(), "exp": now() + 300,
                        "jti": format!("{:016x}", fastrand::u64(..))});
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap()
}

async fn ask_token(http: &reqwest::Client, token_url: &str, assertion: &str, proof: &str) -> reqwest::Response {
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", SCOPES),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion),
    ];
    http.post(token_url).header("dpop", proof).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn the_org_refuses_a_reused_assertion_a_wrong_ath_or_htu_and_a_replayed_jti() {
    let org = dpop_org(Duration::from_secs(600)).await;
    let http = reqwest::Client::new();
    let token_url = format!("{}/oauth2/v1/token", org.url());
    let prover = Prover::new();

    // No nonce: 400 use_dpop_nonce, and the nonce in a header.
    let first = assertion(&token_url);
    let answer = ask_token(&http, &token_url, &first, &prover.proof(prover.claims("POST", &token_url))).await;
    assert_eq!(answer.status(), 400);
    let nonce = answer.headers().get("dpop-nonce").expect("a DPoP-Nonce header").to_str().unwrap().to_owned();
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "use_dpop_nonce");

    // The nonce, but the consumed assertion again: refused.
    let mut with_nonce = prover.claims("POST", &token_url);
    with_nonce["nonce"] = nonce.clone().into();
    let answer = ask_token(&http, &token_url, &first, &prover.proof(with_nonce.clone())).await;
    assert_eq!(answer.status(), 401, "a client assertion is good once");

    // A new assertion and a new proof: a DPoP token.
    with_nonce["jti"] = "another-jti".into();
    let answer = ask_token(&http, &token_url, &assertion(&token_url), &prover.proof(with_nonce)).await;
    assert_eq!(answer.status(), 200);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["token_type"], "DPoP");
    let token = body["access_token"].as_str().unwrap().to_owned();

    let users_url = format!("{}/api/v1/users", org.url());
    let ath = |t: &str| URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, t.as_bytes()));
    let call = |scheme: &'static str, proof: String| {
        http.get(format!("{users_url}?limit=1"))
            .header("authorization", format!("{scheme} {token}"))
            .header("dpop", proof)
            .send()
    };
    let mut good = prover.claims("GET", &users_url);
    good["ath"] = ath(&token).into();
    let good = prover.proof(good);
    assert_eq!(call("DPoP", good.clone()).await.unwrap().status(), 200, "a good proof is accepted");

    let refused = |claims: Value, why: &'static str| {
        let proof = prover.proof(claims);
        let call = call("DPoP", proof);
        async move {
            let answer = call.await.unwrap();
            assert_eq!(answer.status(), 401, "{why}");
            let body: Value = answer.json().await.unwrap();
            assert!(body.to_string().contains(why), "{why}: {body}");
        }
    };
    let mut wrong_ath = prover.claims("GET", &users_url);
    wrong_ath["ath"] = ath("another token").into();
    refused(wrong_ath, "'ath'").await;
    let mut wrong_htu = prover.claims("GET", &format!("{}/api/v1/groups", org.url()));
    wrong_htu["ath"] = ath(&token).into();
    refused(wrong_htu, "'htu'").await;
    let mut wrong_htm = prover.claims("POST", &users_url);
    wrong_htm["ath"] = ath(&token).into();
    refused(wrong_htm, "'htm'").await;

    let replayed = call("DPoP", good.clone()).await.unwrap();
    assert_eq!(replayed.status(), 401, "the same proof twice");
    assert!(replayed.text().await.unwrap().contains("'jti' was already used"));

    let mut fresh = prover.claims("GET", &users_url);
    fresh["ath"] = ath(&token).into();
    let as_bearer = call("Bearer", prover.proof(fresh)).await.unwrap();
    assert_eq!(as_bearer.status(), 401, "a DPoP-bound token is not a bearer token");
}
