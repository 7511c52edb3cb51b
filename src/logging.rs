//! Logs go to a file, never to the terminal the UI draws on.

use std::path::{Path, PathBuf};
use tracing_subscriber::EnvFilter;

/// The default log file: `oktui.log` in the user's state directory.
pub fn default_path() -> PathBuf {
    dirs::state_dir().or_else(dirs::cache_dir).unwrap_or_else(std::env::temp_dir).join("oktui").join("oktui.log")
}

/// Sends `tracing` output to `path`, filtered by `OKTUI_LOG` (default
/// `info`). A log file that cannot be opened is not fatal.
pub fn init(path: &Path) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).ok()?;
    let file = std::fs::OpenOptions::new().create(true).append(true).open(path).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("OKTUI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false).try_init().ok()?;
    Some(guard)
}
