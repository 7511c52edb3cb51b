//! The driver's dealings with the world outside the terminal UI: the
//! clipboard, the browser, job control and termination signals.

use super::terminal;
use std::io::Write;

/// Puts `text` on the clipboard with OSC 52, which terminals honor even
/// over SSH. The text is never logged.
pub fn copy_osc52(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Opens `url` in a browser when this session has one (a desktop session
/// on Linux, or macOS); otherwise the URL is only shown.
pub fn open_url(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        Some("open")
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        Some("xdg-open")
    } else {
        None
    };
    if let Some(cmd) = opener {
        let spawned = std::process::Command::new(cmd)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if let Err(e) = spawned {
            tracing::warn!("could not run {cmd}: {e}");
        }
    }
}

/// Ctrl-z: give the terminal back, stop until `fg`, then take it again.
pub fn suspend() -> std::io::Result<()> {
    terminal::restore();
    #[cfg(unix)]
    {
        // SIGTSTP stops us like the shell's own Ctrl-z; we continue here
        // after SIGCONT.
        // SAFETY: raise has no preconditions; it only signals this process.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
    }
    terminal::setup()
}

/// SIGTERM ends the loop like `q`, so the guard restores the terminal.
#[cfg(unix)]
pub fn terminate_signal() -> std::io::Result<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
}

#[cfg(not(unix))]
pub fn terminate_signal() -> std::io::Result<Never> {
    Ok(Never)
}

#[cfg(not(unix))]
pub struct Never;

#[cfg(not(unix))]
impl Never {
    pub async fn recv(&mut self) -> Option<()> {
        std::future::pending().await
    }
}
