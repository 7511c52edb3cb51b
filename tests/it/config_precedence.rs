//! Configuration resolution: flags > environment > ./okta.yaml >
//! ~/.okta/okta.yaml, profiles as a whole, warnings for readable secrets.
//! Files are written to temp dirs; the real home is never read.

use crate::pty::tempdir::Dir;
use oktui::okta::config::{ConfigSources, Settings, resolve};
use oktui::okta::{AuthConfig, KeySource, Secret};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn write(path: &Path, text: &str, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

struct Dirs {
    _root: Dir,
    cwd: std::path::PathBuf,
    home: std::path::PathBuf,
    config: std::path::PathBuf,
}

fn dirs() -> Dirs {
    let root = Dir::new();
    let d = Dirs {
        cwd: root.path.join("project"),
        home: root.path.join("home"),
        config: root.path.join("home/.config"),
        _root: root,
    };
    std::fs::create_dir_all(&d.cwd).unwrap();
    std::fs::create_dir_all(&d.home).unwrap();
    d
}

fn load(d: &Dirs, flags: Settings, profile: Option<&str>, env: BTreeMap<String, String>) -> ConfigSources {
    ConfigSources::load(flags, profile.map(str::to_owned), env, &d.cwd, Some(&d.home), Some(&d.config)).unwrap()
}

const HOME_YAML: &str = "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: home-token\n    connectionTimeout: 7\n    requestTimeout: 0\n    rateLimit:\n      maxRetries: 5\n";
const PROJECT_YAML: &str = "okta:\n  client:\n    orgUrl: https://project.okta.com\n";

fn token(auth: &AuthConfig) -> &str {
    match auth {
        AuthConfig::Ssws(t) => t.expose(),
        other => panic!("expected SSWS, got {other:?}"),
    }
}

#[test]
fn home_yaml_alone_configures_everything() {
    let d = dirs();
    write(&d.home.join(".okta/okta.yaml"), HOME_YAML, 0o600);
    let r = resolve(&load(&d, Settings::default(), None, env(&[]))).unwrap();
    assert_eq!(r.config.org_url.to_string(), "https://home.okta.com");
    assert_eq!(token(&r.config.auth), "home-token");
    assert_eq!(r.config.connect_timeout, Duration::from_secs(7));
    assert_eq!(r.config.request_timeout, None, "requestTimeout 0 means no limit, as in the SDKs");
    assert_eq!(r.config.retry.max_retries, 5);
    assert!(r.org_url_from.ends_with(".okta/okta.yaml"), "{}", r.org_url_from);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn each_layer_beats_the_one_below_setting_by_setting() {
    let d = dirs();
    write(&d.home.join(".okta/okta.yaml"), HOME_YAML, 0o600);
    write(&d.cwd.join("okta.yaml"), PROJECT_YAML, 0o600);
    // ./okta.yaml beats ~/.okta/okta.yaml for the URL; the token still
    // comes from home.
    let r = resolve(&load(&d, Settings::default(), None, env(&[]))).unwrap();
    assert_eq!(r.config.org_url.to_string(), "https://project.okta.com");
    assert_eq!(token(&r.config.auth), "home-token");
    // The environment beats both files.
    let vars = env(&[("OKTA_CLIENT_ORGURL", "https://env.okta.com"), ("OKTA_CLIENT_TOKEN", "env-token")]);
    let r = resolve(&load(&d, Settings::default(), None, vars.clone())).unwrap();
    assert_eq!((r.config.org_url.to_string().as_str(), token(&r.config.auth)), ("https://env.okta.com", "env-token"));
    assert_eq!(r.config.retry.max_retries, 5, "unsaid settings still come from below");
    // Flags beat the environment.
    let flags = Settings { org_url: Some("https://flag.okta.com/".into()), ..Settings::default() };
    let r = resolve(&load(&d, flags, None, vars)).unwrap();
    assert_eq!(r.config.org_url.to_string(), "https://flag.okta.com");
    assert_eq!(token(&r.config.auth), "env-token");
    assert_eq!(r.org_url_from, "the command line");
}

#[test]
fn a_profile_replaces_environment_and_files_but_not_flags() {
    let d = dirs();
    write(&d.home.join(".okta/okta.yaml"), HOME_YAML, 0o600);
    write(
        &d.config.join("oktui/config.yaml"),
        "profiles:\n  prod:\n    orgUrl: https://prod.okta.com\n    token: prod-token\n  dev:\n    orgUrl: http://127.0.0.1:8080\n    token: dev-token\n    concurrency: 2\n",
        0o600,
    );
    let vars = env(&[("OKTA_CLIENT_TOKEN", "env-token-for-another-org")]);
    let r = resolve(&load(&d, Settings::default(), Some("prod"), vars.clone())).unwrap();
    assert_eq!(r.config.org_url.to_string(), "https://prod.okta.com");
    assert_eq!(token(&r.config.auth), "prod-token", "the environment's token must not reach the profile's org");
    assert_eq!(r.config.retry.max_retries, 2, "home yaml is not consulted either");
    let mut with_env_profile = vars.clone();
    with_env_profile.insert("OKTUI_PROFILE".into(), "dev".into());
    let r = resolve(&load(&d, Settings::default(), None, with_env_profile)).unwrap();
    assert_eq!(r.config.concurrency, 2);
    let flags = Settings { token: Some(Secret::new("flag-token")), ..Settings::default() };
    let r = resolve(&load(&d, flags, Some("prod"), vars.clone())).unwrap();
    assert_eq!(token(&r.config.auth), "flag-token");
    let err = resolve(&load(&d, Settings::default(), Some("staging"), vars)).unwrap_err();
    assert!(err.to_string().contains("no profile \"staging\"") && err.to_string().contains("prod, dev"), "{err}");
}

#[test]
fn oauth_settings_resolve_to_a_private_key_config() {
    let d = dirs();
    write(
        &d.home.join(".okta/okta.yaml"),
        "okta:\n  client:\n    orgUrl: https://acme.okta.com\n    authorizationMode: PrivateKey\n    clientId: 0oa1\n    scopes:\n      - okta.users.read\n      - okta.users.manage\n    privateKey: /keys/service.pem\n    kid: k1\n",
        0o600,
    );
    let r = resolve(&load(&d, Settings::default(), None, env(&[("OKTA_CLIENT_KEYID", "k2")]))).unwrap();
    let AuthConfig::PrivateKey(pk) = &r.config.auth else { panic!("{:?}", r.config.auth) };
    assert_eq!(pk.client_id, "0oa1");
    assert_eq!(pk.scopes, ["okta.users.read", "okta.users.manage"]);
    assert_eq!(pk.key, KeySource::File("/keys/service.pem".into()));
    assert_eq!(pk.key_id.as_deref(), Some("k2"), "OKTA_CLIENT_KEYID beats the file's kid");
    let vars = env(&[
        ("OKTA_CLIENT_SCOPES", "okta.users.read,okta.groups.read"),
        ("OKTA_CLIENT_PRIVATEKEY", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"),
    ]);
    let r = resolve(&load(&d, Settings::default(), None, vars)).unwrap();
    let AuthConfig::PrivateKey(pk) = &r.config.auth else { panic!() };
    assert_eq!(pk.scopes, ["okta.users.read", "okta.groups.read"]);
    assert!(matches!(pk.key, KeySource::Inline(_)));
    let r = resolve(&load(&d, Settings::default(), None, env(&[("OKTA_CLIENT_CLIENTID", "")]))).unwrap();
    let AuthConfig::PrivateKey(pk) = &r.config.auth else { panic!("{:?}", r.config.auth) };
    assert_eq!(pk.client_id, "0oa1", "an empty variable is unset: the file's client id stands");
    let no_id = Settings {
        authorization_mode: Some("PrivateKey".into()),
        org_url: Some("https://a.okta.com".into()),
        ..Settings::default()
    };
    let err = resolve(&ConfigSources { flags: no_id, ..ConfigSources::default() }).unwrap_err();
    assert!(err.to_string().contains("OKTA_CLIENT_CLIENTID"), "{err}");
}

#[test]
fn readable_secrets_warn_and_bad_values_explain_themselves() {
    let d = dirs();
    write(&d.home.join(".okta/okta.yaml"), HOME_YAML, 0o644);
    let r = resolve(&load(&d, Settings::default(), None, env(&[]))).unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("chmod 600") && !r.warnings[0].contains("home-token"), "{}", r.warnings[0]);
    // A readable file without secrets is fine.
    write(&d.home.join(".okta/okta.yaml"), PROJECT_YAML, 0o644);
    let r = resolve(&load(&d, Settings::default(), None, env(&[("OKTA_CLIENT_TOKEN", "t")]))).unwrap();
    assert!(r.warnings.is_empty());

    let cases = [
        (
            env(&[("OKTA_CLIENT_ORGURL", "https://acme-admin.okta.com"), ("OKTA_CLIENT_TOKEN", "t")]),
            "https://acme.okta.com",
        ),
        (env(&[("OKTA_CLIENT_ORGURL", "http://acme.okta.com"), ("OKTA_CLIENT_TOKEN", "t")]), "plain http"),
        (env(&[("OKTA_CLIENT_ORGURL", "https://a.okta.com"), ("OKTA_CLIENT_TOKEN", "{apiToken}")]), "placeholder"),
        (env(&[("OKTA_CLIENT_ORGURL", "https://a.okta.com")]), "no API token"),
        (
            env(&[
                ("OKTA_CLIENT_ORGURL", "https://a.okta.com"),
                ("OKTA_CLIENT_TOKEN", "t"),
                ("OKTA_CLIENT_AUTHORIZATIONMODE", "Magic"),
            ]),
            "not supported",
        ),
        (
            env(&[
                ("OKTA_CLIENT_ORGURL", "https://a.okta.com"),
                ("OKTA_CLIENT_TOKEN", "t"),
                ("OKTUI_CONCURRENCY", "500"),
            ]),
            "1 to 75",
        ),
        (env(&[]), "no org configured"),
    ];
    let empty = dirs();
    for (vars, expected) in cases {
        let err = resolve(&load(&empty, Settings::default(), None, vars)).unwrap_err();
        assert!(err.to_string().contains(expected), "{err} (wanted {expected:?})");
    }
    write(&empty.cwd.join("okta.yaml"), "okta: [client: {token: SECRET-in-bad-yaml", 0o600);
    let err = resolve(&load(&empty, Settings::default(), None, env(&[]))).unwrap_err();
    assert!(err.to_string().contains("not valid YAML") && !err.to_string().contains("SECRET"), "{err}");
}

#[test]
fn the_api_capacity_comes_from_the_first_layer_that_sets_it() {
    let d = dirs();
    let yaml = |percent: u32| {
        format!(
            "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: t\n    rateLimit:\n      maxApiCapacity: {percent}\n"
        )
    };
    let capacity = |flags: Settings, vars: &[(&str, &str)]| {
        resolve(&load(&d, flags, None, env(vars))).map(|r| r.config.governor.max_capacity)
    };
    // Nothing says otherwise: the default, all the org allows this token.
    write(
        &d.home.join(".okta/okta.yaml"),
        "okta:\n  client:\n    orgUrl: https://home.okta.com\n    token: t\n",
        0o600,
    );
    assert_eq!(capacity(Settings::default(), &[]), Ok(oktui::okta::DEFAULT_MAX_CAPACITY));
    write(&d.home.join(".okta/okta.yaml"), &yaml(60), 0o600);
    assert_eq!(capacity(Settings::default(), &[]), Ok(60), "~/.okta/okta.yaml");
    write(&d.cwd.join("okta.yaml"), "okta:\n  client:\n    rateLimit:\n      maxApiCapacity: 50\n", 0o600);
    assert_eq!(capacity(Settings::default(), &[]), Ok(50), "./okta.yaml beats home");
    assert_eq!(
        capacity(Settings::default(), &[("OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY", "40")]),
        Ok(40),
        "env beats files"
    );
    assert_eq!(
        capacity(Settings::default(), &[("OKTA_CLIENT_RATE_LIMIT_MAX_API_CAPACITY", "45")]),
        Ok(45),
        "the Go SDK's spelling"
    );
    let flags = Settings { max_api_capacity: Some(30), ..Settings::default() };
    assert_eq!(capacity(flags, &[("OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY", "40")]), Ok(30), "the flag beats all");
    for bad in [0, 101] {
        let flags = Settings { max_api_capacity: Some(bad), ..Settings::default() };
        let err = capacity(flags, &[]).unwrap_err().to_string();
        assert!(err.contains("from 1 to 100") && err.contains(&bad.to_string()), "{err}");
    }
}

#[test]
fn the_credential_is_named_with_where_it_was_read_never_its_value() {
    let d = dirs();
    write(&d.home.join(".okta/okta.yaml"), HOME_YAML, 0o600);
    let r = resolve(&load(&d, Settings::default(), None, env(&[]))).unwrap();
    assert!(r.credential_from.starts_with("the API token from ") && r.credential_from.ends_with(".okta/okta.yaml"));
    let vars = env(&[("OKTA_CLIENT_TOKEN", "env-token")]);
    let r = resolve(&load(&d, Settings::default(), None, vars.clone())).unwrap();
    assert_eq!(r.credential_from, "the API token from the environment (OKTA_CLIENT_TOKEN)");
    let flags = Settings { token: Some(Secret::new("flag-token")), ..Settings::default() };
    let r = resolve(&load(&d, flags, None, vars)).unwrap();
    assert_eq!(r.credential_from, "the API token from the command line (--token)");
    write(
        &d.config.join("oktui/config.yaml"),
        "profiles:\n  prod:\n    orgUrl: https://prod.okta.com\n    token: prod-token\n",
        0o600,
    );
    let r = resolve(&load(&d, Settings::default(), Some("prod"), env(&[]))).unwrap();
    assert!(r.credential_from.starts_with("the API token from profile \"prod\" in "), "{}", r.credential_from);
    for secret in ["home-token", "env-token", "flag-token", "prod-token"] {
        assert!(!r.credential_from.contains(secret));
    }
}
