//! Helpers for the `secrets_*` tests: the real binary run with a private
//! home and the most verbose log, and checks that text holds no secret.
#![allow(dead_code)]

use crate::pty::tempdir::Dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Lines from the middle of every fixture private key (PEM bodies and the
/// JWKs' private parts): none may ever be shown.
pub fn key_material() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/oauth");
    let mut out = Vec::new();
    for pem in ["rsa-private.pem", "ec-private.pem"] {
        let text = std::fs::read_to_string(dir.join(pem)).expect("fixture");
        out.extend(text.lines().filter(|l| !l.starts_with("-----")).map(str::to_owned));
    }
    for jwk in ["rsa-private.jwk.json", "ec-private.jwk.json"] {
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join(jwk)).unwrap()).unwrap();
        out.push(value["d"].as_str().expect("a private JWK").to_owned());
    }
    out
}

/// Panics when `text` shows any of `secrets`, a client assertion (a JWT)
/// or key material.
#[track_caller]
pub fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets.iter().copied().filter(|s| !s.is_empty()) {
        assert!(!text.contains(secret), "{what} shows a secret ({secret}):\n{text}");
    }
    for line in key_material() {
        assert!(!text.contains(&line), "{what} shows private key material ({line}):\n{text}");
    }
    assert!(!text.contains("eyJ"), "{what} shows a JWT:\n{text}");
}

/// The longest run of letters and digits in `text`: access tokens the org
/// issues are 64 of them, ids and request ids at most 27.
pub fn longest_alphanumeric_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_alphanumeric()).map(str::len).max().unwrap_or(0)
}

/// What a run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub log: String,
}

/// A home directory for the binary: `~`, the config and state directories,
/// and the log file, all private to one test.
pub struct Home {
    pub dir: Dir,
}

impl Home {
    pub fn new() -> Self {
        Self { dir: Dir::new() }
    }

    pub fn path(&self) -> &Path {
        &self.dir.path
    }

    pub fn log_file(&self) -> PathBuf {
        self.dir.path.join("oktui.log")
    }

    /// Writes `text` at `relative` with Unix permissions `mode`.
    pub fn write(&self, relative: &str, text: &str, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    /// `oktui <args>` with nothing inherited from this process's
    /// environment but `PATH`, the log at TRACE level, and no terminal.
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_oktui"));
        cmd.args(args)
            .arg("--log-file")
            .arg(self.log_file())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("OKTUI_LOG", "trace")
            .current_dir(self.path())
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Runs `oktui <args>` to its end (without a terminal the TUI stops
    /// right after configuration, which is what these tests look at).
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = self.command(args, env).output().expect("run oktui");
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            log: std::fs::read_to_string(self.log_file()).unwrap_or_default(),
        }
    }
}
