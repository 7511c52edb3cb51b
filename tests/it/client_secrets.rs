//! Secrets (API token, private key, access token, passwords, activation
//! tokens, temporary passwords) never show in `Debug`, `Display`, error
//! messages or a TRACE-level log.

use crate::client_keys::{RSA_PKCS8, RSA_PUBLIC};
use crate::client_support::{CapturedLog, user_json};
use clap::Parser;
use oktui::cli::Cli;
use oktui::okta::config::{ConfigFile, ConfigSources, Settings, resolve};
use oktui::okta::{
    AuthConfig, Client, ClientConfig, CreateUser, Credentials, KeySource, LifecycleOp, LifecycleOptions, OrgUrl,
    PasswordHash, PrivateKeyAuth, Secret,
};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "00SSWS-token-SECRET-1";
const PASSWORD: &str = "Password-SECRET-2";
const ANSWER: &str = "answer-SECRET-3";
const ACCESS_TOKEN: &str = "access-token-SECRET-4";
const ACTIVATION: &str = "activation-SECRET-5";
const TEMP_PASSWORD: &str = "temp-SECRET-6";
const HASH: &str = "qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna";
/// A line from the middle of the private key.
fn key_line() -> &'static str {
    RSA_PKCS8.lines().nth(5).unwrap()
}

fn assert_clean(what: &str, text: &str) {
    for secret in [TOKEN, PASSWORD, ANSWER, ACCESS_TOKEN, ACTIVATION, TEMP_PASSWORD, HASH, key_line(), "SECRET"] {
        assert!(!text.contains(secret), "{what} shows a secret ({secret}):\n{text}");
    }
}

fn private_key_auth() -> PrivateKeyAuth {
    PrivateKeyAuth {
        client_id: "0oa1".into(),
        scopes: vec!["okta.users.read".into()],
        key: KeySource::Inline(Secret::new(RSA_PKCS8)),
        key_id: None,
    }
}

#[test]
fn debug_and_display_of_every_config_type_hide_secrets() {
    let url = OrgUrl::parse("https://acme.okta.com").unwrap();
    let ssws = ClientConfig::new(url.clone(), Secret::new(TOKEN));
    let oauth = ClientConfig::oauth(url.clone(), private_key_auth());
    let bearer = ClientConfig::with_auth(url.clone(), AuthConfig::Bearer(Secret::new(ACCESS_TOKEN)));
    assert_clean("ClientConfig (SSWS)", &format!("{ssws:?}"));
    assert_clean("ClientConfig (OAuth)", &format!("{oauth:?}"));
    assert_clean("ClientConfig (Bearer)", &format!("{bearer:?}"));
    assert_clean("Client (SSWS)", &format!("{:?}", Client::new(ssws).unwrap()));
    assert_clean("Client (OAuth)", &format!("{:?}", Client::new(oauth).unwrap()));
    assert_clean("Client (Bearer)", &format!("{:?}", Client::new(bearer).unwrap()));

    let mut create = CreateUser::new(json!({"login": "a@example.com"}).as_object().cloned().unwrap());
    for credentials in [
        Credentials::Password(PASSWORD.into()),
        Credentials::PasswordAndRecovery { password: PASSWORD.into(), question: "Q".into(), answer: ANSWER.into() },
        Credentials::RecoveryQuestion { question: "Q".into(), answer: ANSWER.into() },
        Credentials::Hash(PasswordHash::Bcrypt {
            work_factor: 10,
            salt: "rwh3vH166HCH/NT9XV5FYu".into(),
            value: HASH.into(),
        }),
    ] {
        create.credentials = credentials;
        assert_clean("CreateUser", &format!("{create:?}"));
    }

    let flags = Settings { token: Some(TOKEN.into()), private_key: Some(RSA_PKCS8.into()), ..Settings::default() };
    assert_clean("Settings", &format!("{flags:?}"));
    let file = ConfigFile {
        path: "/home/u/.okta/okta.yaml".into(),
        text: format!("okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: {TOKEN}\n"),
        mode: Some(0o644),
    };
    let sources = ConfigSources {
        flags,
        env: [("OKTA_CLIENT_TOKEN".to_owned(), TOKEN.to_owned())].into(),
        home_file: Some(file.clone()),
        ..ConfigSources::default()
    };
    assert_clean("ConfigSources", &format!("{sources:?}"));
    let sources = ConfigSources { flags: Settings::default(), home_file: Some(file), ..ConfigSources::default() };
    let resolved = resolve(&sources).unwrap();
    assert_clean("Resolved", &format!("{resolved:?}"));
    assert_clean("warnings", &resolved.warnings.join("\n"));

    let cli = Cli::try_parse_from(["oktui", "--org-url", "https://acme.okta.com", "--token", TOKEN]).unwrap();
    assert_clean("Cli", &format!("{cli:?}"));
}

#[tokio::test]
async fn a_trace_log_of_real_traffic_holds_no_secret() {
    let log = CapturedLog::start();
    let server = MockServer::start().await;
    let org = OrgUrl::parse(&server.uri()).unwrap();
    Mock::given(method("POST"))
        .and(path("/oauth2/v1/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"token_type": "Bearer", "expires_in": 3600, "access_token": ACCESS_TOKEN})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("00u1", "a@example.com")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/lifecycle/activate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"activationToken": ACTIVATION})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/lifecycle/expire_password_with_temp_password"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tempPassword": TEMP_PASSWORD})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {ACCESS_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("00u1", "a@example.com")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorCauses": []}),
        ))
        .mount(&server)
        .await;

    let ssws = Client::new(ClientConfig::new(org.clone(), Secret::new(TOKEN))).unwrap();
    let mut create = CreateUser::new(json!({"login": "a@example.com"}).as_object().cloned().unwrap());
    create.credentials =
        Credentials::PasswordAndRecovery { password: PASSWORD.into(), question: "Q".into(), answer: ANSWER.into() };
    assert_clean("created user", &format!("{:?}", ssws.create_user(&create).await.unwrap()));
    let none = LifecycleOptions::default();
    let outcome = ssws.run_lifecycle("00u1", LifecycleOp::Activate, &none).await.unwrap();
    assert_eq!(outcome.activation_token.as_ref().map(Secret::expose), Some(ACTIVATION));
    assert_clean("outcome", &format!("{outcome:?}"));
    let outcome = ssws.run_lifecycle("00u1", LifecycleOp::ExpirePasswordWithTempPassword, &none).await.unwrap();
    assert_clean("outcome", &format!("{outcome:?}"));
    let err = ssws.get_user("00u1").await.unwrap_err();
    assert_clean("401 error", &format!("{err} / {err:?}"));

    let oauth = Client::new(ClientConfig::oauth(org, private_key_auth())).unwrap();
    oauth.get_user("me").await.unwrap();
    assert_clean("OAuth client after a fetch", &format!("{oauth:?}"));
    // The org refuses the assertion: the error must not quote it.
    let wrong = PrivateKeyAuth { key: KeySource::Inline(Secret::new(RSA_PUBLIC)), ..private_key_auth() };
    assert!(Client::new(ClientConfig::oauth(OrgUrl::parse("https://a.okta.com").unwrap(), wrong)).is_err());

    let text = log.text();
    assert!(text.contains("okta answered") && text.contains("TRACE"), "the log was captured:\n{text}");
    assert_clean("TRACE log", &text);
    assert!(!text.contains("eyJ"), "no JWT (client assertion) in the log");
}
