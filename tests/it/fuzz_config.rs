//! Fuzz target `config`: configuration resolution (`okta::config::resolve`
//! and `Client::new`) over mutated `okta.yaml` files (project and home),
//! oktui profile files, `OKTA_CLIENT_*` variables and flags.
//!
//! Properties: nothing panics; an error is one line; and a secret never
//! shows in an error, a warning, or the `Debug` of the sources, the
//! resolved configuration or the client, as long as it sits where a secret
//! belongs (a `token` or `privateKey` value, `OKTA_CLIENT_TOKEN` or
//! `OKTA_CLIENT_PRIVATEKEY`, `--token`): a mutation that moves it into,
//! say, the org URL makes it fair to quote. Two marks tell the secrets
//! apart: [`TOKEN_MARK`] must never show; [`KEY_MARK`] must never show
//! inside key material (a run of base64), while a file name holding it
//! may be quoted (a `privateKey` that is not a key names a file).

use crate::fuzz_support::{self, CHEAP, Corpus, Input, mutated};
use oktui::okta::config::{ConfigFile, ConfigSources, Settings, resolve};
use oktui::okta::{AuthConfig, Client};
use proptest::prelude::*;
use serde_yaml_ng::Value as Yaml;
use std::collections::BTreeMap;

/// In every API token of the corpus; never in anything else.
pub const TOKEN_MARK: &str = "Zq7SeCrEt";
/// In every private key (and key file name) of the corpus.
pub const KEY_MARK: &str = "Kx9KeYmAt";

fn has_mark(text: &str) -> bool {
    text.contains(TOKEN_MARK) || text.contains(KEY_MARK)
}

/// The token shows, or the key mark shows within 40 or more characters of
/// base64 (key material, not a file name).
fn leaks(text: &str) -> bool {
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_');
    text.contains(TOKEN_MARK) || text.split(|c: char| !base64(c)).any(|run| run.len() >= 40 && run.contains(KEY_MARK))
}

const YAML_TOKENS: &[&str] = &[
    "\n",
    "  ",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "'",
    "\"",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "---\n",
    "|\n  ",
    ">\n  ",
    "okta:\n  client:\n",
    "orgUrl: ",
    "token: ",
    "privateKey: ",
    "authorizationMode: PrivateKey\n",
    "authorizationMode: ",
    "clientId: ",
    "scopes: ",
    "keyId: ",
    "kid: ",
    "rateLimit:\n      maxRetries: ",
    "requestTimeout: ",
    "connectionTimeout: ",
    "concurrency: ",
    "profiles:\n  ",
    "null",
    "~",
    "-1",
    "99999999999999999999999",
    "http://acme.okta.com",
    "http://127.0.0.1:8080",
    "https://acme-admin.okta.com",
    "{yourOktaDomain}",
    "{apiToken}",
    "\t",
    "\u{0}",
    "\u{feff}",
];

const ENV_NAMES: &[&str] = &[
    "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN",
    "OKTA_CLIENT_AUTHORIZATIONMODE",
    "OKTA_CLIENT_CLIENTID",
    "OKTA_CLIENT_SCOPES",
    "OKTA_CLIENT_PRIVATEKEY",
    "OKTA_CLIENT_KEYID",
    "OKTA_CLIENT_PRIVATEKEYID",
    "OKTA_CLIENT_CONNECTIONTIMEOUT",
    "OKTA_CLIENT_REQUESTTIMEOUT",
    "OKTA_CLIENT_RATELIMIT_MAXRETRIES",
    "OKTUI_CONCURRENCY",
    "OKTUI_PROFILE",
];

const SECRET_ENV: &[&str] = &["OKTA_CLIENT_TOKEN", "OKTA_CLIENT_PRIVATEKEY"];

fn env_value(name: &'static str, values: Vec<Vec<u8>>) -> impl Strategy<Value = (String, String)> {
    mutated(values, YAML_TOKENS).prop_map(move |v| (name.to_owned(), v.text()))
}

#[derive(Debug, Clone)]
pub struct Case {
    project: Option<(Input, u32)>,
    home: Option<(Input, u32)>,
    profiles: Option<(Input, u32)>,
    env: Vec<(String, String)>,
    profile: Option<String>,
    flag_token: Option<String>,
    flag_org: Option<String>,
}

fn file(path: &str, input: &Option<(Input, u32)>) -> Option<ConfigFile> {
    input.as_ref().map(|(text, mode)| ConfigFile { path: path.into(), text: text.text(), mode: Some(*mode) })
}

impl Case {
    fn sources(&self) -> ConfigSources {
        ConfigSources {
            flags: Settings {
                token: self.flag_token.clone().map(Into::into),
                org_url: self.flag_org.clone(),
                ..Settings::default()
            },
            profile: self.profile.clone(),
            env: self.env.iter().cloned().collect::<BTreeMap<_, _>>(),
            project_file: file("/work/okta.yaml", &self.project),
            home_file: file("/home/u/.okta/okta.yaml", &self.home),
            profiles_file: file("/home/u/.config/oktui/config.yaml", &self.profiles),
            profiles_path: Some("/home/u/.config/oktui/config.yaml".into()),
        }
    }

    /// Whether every copy of the secret sits where a secret belongs.
    fn secrets_in_place(&self) -> bool {
        let files = [&self.project, &self.home, &self.profiles];
        files.into_iter().flatten().all(|(text, _)| yaml_secrets_in_place(&text.text()))
            && self.env.iter().all(|(k, v)| !has_mark(v) || SECRET_ENV.contains(&k.as_str()))
            && !has_mark(self.flag_org.as_deref().unwrap_or_default())
            && !has_mark(self.profile.as_deref().unwrap_or_default())
    }
}

/// A file that does not parse is reported without quoting it, so wherever
/// the secret is, it must not show; in one that parses, the secret must be
/// a `token` or `privateKey` value only.
fn yaml_secrets_in_place(text: &str) -> bool {
    fn walk(node: &Yaml, key: Option<&str>) -> bool {
        match node {
            Yaml::String(s) => !has_mark(s) || matches!(key, Some("token" | "privateKey")),
            Yaml::Sequence(items) => items.iter().all(|i| walk(i, None)),
            Yaml::Mapping(map) => map.iter().all(|(k, v)| {
                let name = k.as_str();
                !has_mark(&format!("{k:?}")) && walk(v, name)
            }),
            Yaml::Tagged(tagged) => !has_mark(&tagged.tag.to_string()) && walk(&tagged.value, key),
            _ => true,
        }
    }
    match serde_yaml_ng::from_str::<Yaml>(text) {
        Ok(doc) => walk(&doc, None),
        Err(_) => true,
    }
}

/// The property every case must keep.
pub fn check(case: &Case) -> Result<(), String> {
    let sources = case.sources();
    let mut shown = vec![format!("{sources:?}")];
    match resolve(&sources) {
        Ok(resolved) => {
            shown.push(format!("{resolved:?}"));
            shown.extend(resolved.warnings.iter().cloned());
            // The key is read and parsed only here; building a client for an
            // API token adds nothing but time.
            if matches!(resolved.config.auth, AuthConfig::PrivateKey(_)) {
                match Client::new(resolved.config) {
                    Ok(client) => shown.push(format!("{client:?}")),
                    Err(e) => shown.push(one_line("client error", e.to_string())?),
                }
            }
        }
        Err(e) => shown.push(one_line("config error", e.to_string())?),
    }
    if case.secrets_in_place()
        && let Some(leak) = shown.iter().find(|s| leaks(s))
    {
        return Err(format!("a secret shows: {leak}"));
    }
    Ok(())
}

fn one_line(what: &str, text: String) -> Result<String, String> {
    if text.contains('\n') { Err(format!("{what} spans lines: {text:?}")) } else { Ok(text) }
}

fn case(corpus: &Corpus) -> impl Strategy<Value = Case> + use<> {
    let okta = corpus.with_suffix(".okta.yaml");
    let profiles = corpus.with_suffix(".profiles.yaml");
    let values = corpus.with_suffix(".value");
    let mode = prop::sample::select(&[0o600u32, 0o644, 0o640, 0o604][..]);
    let yaml = |seeds: Vec<Vec<u8>>| prop::option::weighted(0.6, (mutated(seeds, YAML_TOKENS), mode.clone()));
    let env = prop::collection::vec(
        prop::sample::select(ENV_NAMES).prop_flat_map(move |name| env_value(name, values.clone())),
        0..5,
    );
    let profile = prop::option::weighted(0.3, prop::sample::select(&["work", "demo", "missing", ""][..]));
    let flag = |v: &'static str| prop::option::weighted(0.2, Just(v.to_owned()));
    (
        yaml(okta.clone()),
        yaml(okta),
        yaml(profiles),
        env,
        profile.prop_map(|p| p.map(String::from)),
        flag("Zq7SeCrEt-flag-token"),
        flag("https://flag.okta.com"),
    )
        .prop_map(|(project, home, profiles, env, profile, flag_token, flag_org)| Case {
            project,
            home,
            profiles,
            env,
            profile,
            flag_token,
            flag_org,
        })
}

#[test]
fn the_config_corpus_replays_cleanly_from_real_files() {
    let corpus = Corpus::load("config");
    let texts: Vec<String> = corpus.all().iter().map(|s| String::from_utf8_lossy(s).into_owned()).collect();
    assert!(texts.iter().any(|t| t.contains(TOKEN_MARK)) && texts.iter().any(|t| t.contains(KEY_MARK)));
    let dir = crate::pty::tempdir::Dir::new();
    let (home, config) = (dir.path.join("home"), dir.path.join("config"));
    std::fs::create_dir_all(home.join(".okta")).unwrap();
    std::fs::create_dir_all(config.join("oktui")).unwrap();
    for (name, seed) in &corpus.seeds {
        let (target, profile) = if name.ends_with(".okta.yaml") {
            (home.join(".okta/okta.yaml"), None)
        } else if name.ends_with(".profiles.yaml") {
            (config.join("oktui/config.yaml"), Some("work".to_owned()))
        } else {
            continue;
        };
        std::fs::write(&target, seed).unwrap();
        let sources =
            ConfigSources::load(Settings::default(), profile, BTreeMap::new(), &dir.path, Some(&home), Some(&config))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        std::fs::remove_file(&target).unwrap();
        let case = Case {
            project: None,
            home: sources.home_file.as_ref().map(|f| (Input(f.text.clone().into_bytes()), f.mode.unwrap_or(0o600))),
            profiles: sources
                .profiles_file
                .as_ref()
                .map(|f| (Input(f.text.clone().into_bytes()), f.mode.unwrap_or(0o600))),
            env: Vec::new(),
            profile: sources.profile.clone(),
            flag_token: None,
            flag_org: None,
        };
        check(&case).unwrap_or_else(|e| panic!("corpus config/{name}: {e}"));
    }
}

#[test]
fn fuzzed_config() {
    let corpus = Corpus::load("config");
    fuzz_support::run(&corpus, CHEAP, case(&corpus), |case| check(&case).map_err(TestCaseError::fail));
}

/// Found by this target: a `privateKey` without its BEGIN/END lines is
/// taken for a file name, and was printed whole by `Debug` and by the
/// "cannot read the private key file" error.
#[test]
fn regression_a_key_without_its_armour_is_not_quoted_as_a_file_name() {
    let unarmored = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+F6YYuAQtWoZSAPqq8NIssJtBJus0a3GxyWjbi8FPqKh";
    let path_like = "/home/alice/keys/okta-service-2024.pem";
    for (setting, quoted) in [(unarmored, false), (path_like, true)] {
        let env: BTreeMap<String, String> = [
            ("OKTA_CLIENT_ORGURL", "https://acme.okta.com"),
            ("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey"),
            ("OKTA_CLIENT_CLIENTID", "0oaservice"),
            ("OKTA_CLIENT_SCOPES", "okta.users.read"),
            ("OKTA_CLIENT_PRIVATEKEY", setting),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let resolved = resolve(&ConfigSources { env, ..ConfigSources::default() }).expect("resolves");
        let debug = format!("{resolved:?}");
        let err = Client::new(resolved.config).expect_err("no such file").to_string();
        assert!(err.starts_with("cannot read the private key file"), "{err}");
        assert_eq!(debug.contains(setting), quoted, "{debug}");
        assert_eq!(err.contains(setting), quoted, "{err}");
    }
}

/// Found by this target: a profile name holding a line break was echoed
/// raw in the "defines no profiles" hint.
#[test]
fn regression_a_profile_name_is_quoted_escaped() {
    let file = ConfigFile { path: "/c/oktui/config.yaml".into(), text: "profiles: {}\n".into(), mode: Some(0o600) };
    let sources = ConfigSources { profile: Some("a\nb".into()), profiles_file: Some(file), ..ConfigSources::default() };
    let err = resolve(&sources).unwrap_err().to_string();
    assert!(err.contains(r#"profiles: { "a\nb": "#) && !err.contains('\n'), "{err}");
}
