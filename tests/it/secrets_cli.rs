//! The real binary refusing what it must, without showing a secret on the
//! terminal or in its TRACE-level log: plain `http://` to an org that is
//! not on this machine, unusable tokens and keys, broken files; and the
//! warning about a configuration file that other users can read.

use crate::secrets_support::{Home, Run, assert_clean};

const TOKEN: &str = "00cli-SSWS-token-SECRET-7";

#[track_caller]
fn assert_refused(run: &Run, expected: &str) {
    assert_ne!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.contains(expected), "expected {expected:?} in:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(run.log.contains(expected), "the log holds the error too:\n{}", run.log);
    assert_clean("stderr", &run.stderr, &[TOKEN]);
    assert_clean("the log", &run.log, &[TOKEN]);
}

#[test]
fn plain_http_to_an_org_off_this_machine_is_refused_from_every_source() {
    let home = Home::new();
    let flag = home.run(&["--org-url", "http://acme.okta.com", "--token", TOKEN], &[]);
    assert_refused(&flag, "org URL http://acme.okta.com uses plain http; only loopback hosts may (use https://");
    assert!(flag.stderr.contains("(from the command line)"), "{}", flag.stderr);

    let env = [("OKTA_CLIENT_ORGURL", "http://10.1.2.3:8080"), ("OKTA_CLIENT_TOKEN", TOKEN)];
    let variables = home.run(&[], &env);
    assert_refused(&variables, "org URL http://10.1.2.3:8080 uses plain http");
    assert!(variables.stderr.contains("(from the environment)"), "{}", variables.stderr);

    let yaml = format!("okta:\n  client:\n    orgUrl: http://okta.internal.example\n    token: {TOKEN}\n");
    let file = home.write(".okta/okta.yaml", &yaml, 0o600);
    let from_file = home.run(&[], &[]);
    assert_refused(&from_file, "org URL http://okta.internal.example uses plain http");
    assert!(from_file.stderr.contains(&file.display().to_string()), "names the file: {}", from_file.stderr);

    // Loopback may: configuration passes, and only the missing terminal stops it.
    let local = Home::new().run(&["--org-url", "http://127.0.0.1:9", "--token", TOKEN], &[]);
    assert_refused(&local, "needs an interactive terminal");
    assert!(!local.stderr.contains("plain http"), "{}", local.stderr);
}

#[test]
fn unusable_settings_are_refused_without_quoting_the_secret() {
    let home = Home::new();
    let local = [("OKTA_CLIENT_ORGURL", "http://127.0.0.1:9")];

    let broken_token = format!("{TOKEN}\nsecond-line");
    let env = [local[0], ("OKTA_CLIENT_TOKEN", broken_token.as_str())];
    assert_refused(&home.run(&[], &env), "holds characters that cannot be sent in a header");

    let mode =
        home.run(&["--org-url", "https://acme.okta.com", "--authorization-mode", "Kerberos", "--token", TOKEN], &[]);
    assert_refused(&mode, "authorizationMode \"kerberos\" is not supported");

    // A private key pasted without its BEGIN/END lines reads as a file name.
    let unarmored: String = crate::secrets_support::key_material()[..3].concat();
    let env = [
        local[0],
        ("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey"),
        ("OKTA_CLIENT_CLIENTID", "0oacli"),
        ("OKTA_CLIENT_SCOPES", "okta.users.read"),
        ("OKTA_CLIENT_PRIVATEKEY", unarmored.as_str()),
    ];
    let key = home.run(&[], &env);
    assert_refused(&key, "cannot read the private key file <");
    assert!(!key.stderr.contains(&unarmored[..40]), "{}", key.stderr);

    let yaml = format!("okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: [{TOKEN}\n  bad: : :\n");
    home.write(".okta/okta.yaml", &yaml, 0o600);
    assert_refused(&home.run(&[], &[]), "is not valid YAML at line");
}

#[test]
fn a_secret_in_a_file_others_can_read_is_warned_about() {
    let yaml = format!("okta:\n  client:\n    orgUrl: http://127.0.0.1:9\n    token: {TOKEN}\n");
    for (mode, warned) in [(0o644, true), (0o640, true), (0o604, true), (0o600, false), (0o400, false)] {
        let home = Home::new();
        let file = home.write(".okta/okta.yaml", &yaml, mode);
        let run = home.run(&[], &[]);
        let warning =
            format!("holds a secret and other users can read it (mode {mode:o}); run: chmod 600 {}", file.display());
        assert_eq!(run.stderr.contains(&warning), warned, "mode {mode:o}:\n{}", run.stderr);
        assert_eq!(run.log.contains(&warning), warned, "mode {mode:o}, the log:\n{}", run.log);
        assert_refused(&run, "needs an interactive terminal");
    }

    // No secret in the file (the token comes from the environment): no warning.
    let home = Home::new();
    home.write(".okta/okta.yaml", "okta:\n  client:\n    orgUrl: http://127.0.0.1:9\n", 0o644);
    let run = home.run(&[], &[("OKTA_CLIENT_TOKEN", TOKEN)]);
    assert!(!run.stderr.contains("other users can read it"), "{}", run.stderr);

    // oktui's own profiles file, any profile holding a secret.
    let home = Home::new();
    let profiles = format!(
        "profiles:\n  work:\n    orgUrl: http://127.0.0.1:9\n    token: {TOKEN}\n  home:\n    orgUrl: https://home.okta.com\n"
    );
    let file = home.write("config/oktui/config.yaml", &profiles, 0o604);
    let run = home.run(&["--profile", "work"], &[]);
    assert_refused(&run, "needs an interactive terminal");
    assert!(run.stderr.contains(&format!("{} holds a secret and other users can read it", file.display())), "{run:?}");
}
