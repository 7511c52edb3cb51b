//! `Debug` of the configuration and credential types that
//! `client_secrets.rs` does not cover: the embedded org's (its config, its
//! OAuth state, token requests and answers) and the client's private-key
//! settings read from a profile. Each is checked with a secret it holds.

use crate::secrets_support::{assert_clean, key_material};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oktui::emulator::oauth::{OAuth, TokenRequest};
use oktui::emulator::{OrgConfig, ServiceApp};
use oktui::okta::config::{ConfigFile, ConfigSources, resolve};
use oktui::okta::{KeySource, PrivateKeyAuth, Secret};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const ORG_TOKEN: &str = "00org-SSWS-token-SECRET-13";
const CLIENT_ID: &str = "0oadebug000000000001";
const TOKEN_URL: &str = "http://127.0.0.1:1/oauth2/v1/token";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/oauth/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn app() -> ServiceApp {
    ServiceApp {
        client_id: CLIENT_ID.into(),
        public_key: fixture("rsa-public.pem"),
        key_id: None,
        scopes: vec!["okta.users.read".into()],
    }
}

#[test]
fn the_orgs_config_and_oauth_state_hide_tokens_and_assertions() {
    let config = OrgConfig::demo(ORG_TOKEN).with_service_app(app());
    assert_clean("OrgConfig", &format!("{config:?}"), &[ORG_TOKEN]);

    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let claims =
        json!({"iss": CLIENT_ID, "sub": CLIENT_ID, "aud": TOKEN_URL, "iat": now, "exp": now + 60, "jti": "j1"});
    let key = EncodingKey::from_rsa_pem(fixture("rsa-private.pem").as_bytes()).unwrap();
    let assertion = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).unwrap();
    let request = TokenRequest {
        grant_type: Some("client_credentials".into()),
        scope: Some("okta.users.read".into()),
        client_assertion_type: Some(oktui::emulator::oauth::ASSERTION_TYPE.into()),
        client_assertion: Some(assertion.clone()),
    };
    let oauth = OAuth::new(vec![app()], Duration::from_secs(60), false);
    let issued = oauth.issue(&request, TOKEN_URL, None).expect("a token");
    assert!(oauth.token(&issued.access_token).is_some(), "the token works");
    let secrets = [issued.access_token.as_str(), assertion.as_str()];
    assert_clean("TokenRequest", &format!("{request:?}"), &secrets);
    assert_clean("TokenResponse", &format!("{issued:?}"), &secrets);
    let state = format!("{oauth:?}");
    assert_clean("the org's OAuth state", &state, &secrets);
    assert!(state.contains("tokens_issued: 1"), "{state}");
}

#[test]
fn private_keys_from_a_profile_or_inline_jwk_never_show() {
    let jwk = fixture("ec-private.jwk.json");
    let inline = PrivateKeyAuth {
        client_id: CLIENT_ID.into(),
        scopes: vec!["okta.users.read".into()],
        key: KeySource::Inline(Secret::new(jwk.clone())),
        key_id: Some("test-ec-1".into()),
    };
    assert_clean("PrivateKeyAuth (JWK)", &format!("{inline:?}"), &[]);

    let pem = fixture("rsa-private.pem");
    let indented: String = pem.lines().map(|l| format!("      {l}\n")).collect();
    let profiles = ConfigFile {
        path: "/home/u/.config/oktui/config.yaml".into(),
        text: format!(
            "profiles:\n  svc:\n    orgUrl: https://svc.okta.com\n    authorizationMode: PrivateKey\n    clientId: {CLIENT_ID}\n    scopes: okta.users.read\n    privateKey: |\n{indented}"
        ),
        mode: Some(0o644),
    };
    let sources =
        ConfigSources { profile: Some("svc".into()), profiles_file: Some(profiles), ..ConfigSources::default() };
    assert_clean("ConfigSources", &format!("{sources:?}"), &[]);
    let resolved = resolve(&sources).expect("the profile resolves");
    assert_clean("Resolved", &format!("{resolved:?}"), &[]);
    assert_eq!(resolved.warnings.len(), 1, "a key in a shared file is warned about: {:?}", resolved.warnings);
    assert_clean("the warning", &resolved.warnings[0], &[]);
    let client = oktui::okta::Client::new(resolved.config).expect("the key parses");
    assert_clean("Client", &format!("{client:?}"), &[]);
    assert!(key_material().iter().any(|line| pem.contains(line.as_str())), "the check knows this key");
}
