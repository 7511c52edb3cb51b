//! Time from starting `oktui` to its first frame and to its first user
//! row, measured through a pseudo-terminal (as `tests/it/pty.rs` drives the
//! binary): one line of `key=value` figures for `scripts/bench`, each value
//! every run's milliseconds, comma-separated (the script takes medians).
//!
//! `cargo run --release --example tui_startup -- OKTUI_BIN ORG_URL TOKEN [RUNS]`
//!
//! Also starts the TUI against a socket that accepts connections and never
//! answers: a first frame there is drawn before any answer could arrive.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::num::NonZero;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(20);

/// Milliseconds to the first frame and to the first row showing `login`.
fn run_once(
    bin: &str,
    org_url: &str,
    token: &str,
    login: Option<&str>,
    home: &Path,
) -> Result<(f64, Option<f64>), String> {
    let pair = native_pty_system()
        .openpty(PtySize { rows: 40, cols: 140, pixel_width: 0, pixel_height: 0 })
        .map_err(|e| e.to_string())?;
    let mut cmd = CommandBuilder::new(bin);
    cmd.args(["--org-url", org_url, "--token", token, "--log-file"]);
    cmd.arg(home.join("oktui.log"));
    cmd.cwd(home);
    cmd.env("TERM", "xterm-256color");
    cmd.env("NO_COLOR", "1");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    let (rows, cols) = (NonZero::new(40u16).ok_or("size")?, NonZero::new(140u16).ok_or("size")?);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let mut reader = pair.master.try_clone_reader().map_err(|e| e.to_string())?;
    let mut writer = pair.master.take_writer().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).map_err(|e| e.to_string())?;
    drop(pair.slave);
    let sink = parser.clone();
    let feeder = std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut p) = sink.lock() {
                p.process(&buf[..n]);
            }
        }
    });
    let (mut first_frame, mut first_row) = (None, None);
    while started.elapsed() < DEADLINE {
        let screen = parser.lock().map(|p| p.screen().contents()).unwrap_or_default();
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if first_frame.is_none() && !screen.trim().is_empty() {
            first_frame = Some(ms);
        }
        if first_row.is_none() && login.is_some_and(|l| screen.contains(l)) {
            first_row = Some(ms);
        }
        if first_frame.is_some() && (first_row.is_some() || login.is_none()) {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = writer.write_all(b"q");
    let _ = writer.flush();
    let quit = Instant::now();
    while quit.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    drop(writer);
    drop(pair.master);
    let _ = feeder.join();
    let frame = first_frame.ok_or("no frame within 20 s")?;
    if login.is_some() && first_row.is_none() {
        return Err("no user row within 20 s".into());
    }
    Ok((frame, first_row))
}

fn samples(v: &[f64]) -> String {
    v.iter().map(|ms| format!("{ms:.2}")).collect::<Vec<_>>().join(",")
}

/// The login of the org's first listed user: the row to wait for.
fn first_login(org_url: &str, token: &str) -> Result<String, String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let users: serde_json::Value = reqwest::Client::new()
            .get(format!("{org_url}/api/v1/users?limit=1"))
            .header("authorization", format!("SSWS {token}"))
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        users[0]["profile"]["login"].as_str().map(str::to_owned).ok_or_else(|| "the org listed no user".to_owned())
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(bin), Some(org_url), Some(token)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: tui_startup OKTUI_BIN ORG_URL TOKEN [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    // The pty spawner looks a relative program up on PATH.
    let bin = &std::fs::canonicalize(bin).map(|p| p.display().to_string()).unwrap_or_else(|_| bin.clone());
    let home = std::env::temp_dir().join(format!("oktui-startup-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&home);
    let outcome = (|| -> Result<String, String> {
        let login = first_login(org_url, token)?;
        let (mut frames, mut rows) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (frame, row) = run_once(bin, org_url, token, Some(&login), &home)?;
            frames.push(frame);
            rows.extend(row);
        }
        // An org that accepts the connection and never answers.
        let silent = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let silent_url = format!("http://{}", silent.local_addr().map_err(|e| e.to_string())?);
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in silent.incoming().flatten() {
                held.push(stream);
            }
        });
        let mut silent_frames = Vec::new();
        for _ in 0..runs {
            silent_frames.push(run_once(bin, &silent_url, token, None, &home)?.0);
        }
        Ok(format!(
            "first_frame_ms={} first_row_ms={} silent_org_first_frame_ms={} runs={runs}",
            samples(&frames),
            samples(&rows),
            samples(&silent_frames)
        ))
    })();
    let _ = std::fs::remove_dir_all(&home);
    match outcome {
        Ok(line) => println!("{line}"),
        Err(e) => {
            eprintln!("tui_startup: {e}");
            std::process::exit(1);
        }
    }
}
