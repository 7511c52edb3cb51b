//! Gathers the raw configuration sources (environment, files) so that
//! `resolve` can stay a pure function of them.

use super::settings::Settings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A configuration file as read: its text and Unix permission bits.
/// `Debug` shows the path and mode, never the text (it may hold secrets).
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub text: String,
    /// `st_mode & 0o777`, where the platform has it.
    pub mode: Option<u32>,
}

impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile").field("path", &self.path).field("mode", &self.mode).finish_non_exhaustive()
    }
}

impl ConfigFile {
    /// `Ok(None)` when the file does not exist.
    pub fn read(path: &Path) -> Result<Option<ConfigFile>, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Some(ConfigFile { path: path.to_owned(), text, mode: mode_of(path) })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// Readable by group or others.
    pub fn is_shared(&self) -> bool {
        self.mode.is_some_and(|m| m & 0o077 != 0)
    }
}

#[cfg(unix)]
fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode_of(_: &Path) -> Option<u32> {
    None
}

/// Everything configuration is resolved from. `Debug` lists the names of
/// the environment variables, not their values.
#[derive(Clone, Default)]
pub struct ConfigSources {
    /// Command-line flags (highest precedence).
    pub flags: Settings,
    /// `--profile NAME` (or `OKTUI_PROFILE`).
    pub profile: Option<String>,
    /// The process environment (only `OKTA_CLIENT_*`/`OKTUI_*` are read).
    pub env: BTreeMap<String, String>,
    /// `./okta.yaml` in the working directory.
    pub project_file: Option<ConfigFile>,
    /// `~/.okta/okta.yaml`.
    pub home_file: Option<ConfigFile>,
    /// oktui's profiles, `<config dir>/oktui/config.yaml`.
    pub profiles_file: Option<ConfigFile>,
    /// Where the profiles file is looked for (for messages).
    pub profiles_path: Option<PathBuf>,
}

impl std::fmt::Debug for ConfigSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigSources")
            .field("flags", &self.flags)
            .field("profile", &self.profile)
            .field("env", &self.env.keys().collect::<Vec<_>>())
            .field("project_file", &self.project_file)
            .field("home_file", &self.home_file)
            .field("profiles_file", &self.profiles_file)
            .finish_non_exhaustive()
    }
}

/// Where oktui keeps its profiles under the user's config directory.
pub fn profiles_path(config_dir: &Path) -> PathBuf {
    config_dir.join("oktui").join("config.yaml")
}

impl ConfigSources {
    /// Reads the sources from explicit places (tests point these at temp dirs).
    pub fn load(
        flags: Settings,
        profile: Option<String>,
        env: BTreeMap<String, String>,
        cwd: &Path,
        home: Option<&Path>,
        config_dir: Option<&Path>,
    ) -> Result<Self, String> {
        let profiles_path = config_dir.map(profiles_path);
        Ok(Self {
            flags,
            profile,
            env,
            project_file: ConfigFile::read(&cwd.join("okta.yaml"))?,
            home_file: match home {
                Some(h) => ConfigFile::read(&h.join(".okta").join("okta.yaml"))?,
                None => None,
            },
            profiles_file: match &profiles_path {
                Some(p) => ConfigFile::read(p)?,
                None => None,
            },
            profiles_path,
        })
    }

    /// Reads the sources of this process: its environment, working
    /// directory, home and config directories.
    pub fn from_system(flags: Settings, profile: Option<String>) -> Result<Self, String> {
        let env: BTreeMap<String, String> =
            std::env::vars().filter(|(k, _)| k.starts_with("OKTA_") || k.starts_with("OKTUI_")).collect();
        let cwd = std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
        let home = dirs::home_dir();
        let config_dir = dirs::config_dir();
        Self::load(flags, profile, env, &cwd, home.as_deref(), config_dir.as_deref())
    }
}
