//! Captures the README's screenshots from the real binary: runs
//! `oktui --demo` in a pseudo-terminal, drives it with keys, and writes
//! each screen as an SVG (which GitHub renders inline) to
//! `assets/screenshots/`. Run through `scripts/screenshots`.

#[path = "../tests/it/screen_mirror.rs"]
mod screen_mirror;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::fmt::Write as _;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const COLS: u16 = 132;
const ROWS: u16 = 36;

/// One screenshot: keys to send (with a pause after each) and the text
/// that must be on screen before it is taken.
struct Scene {
    name: &'static str,
    keys: &'static [&'static str],
    wait_for: &'static str,
}

const SCENES: &[Scene] = &[
    Scene { name: "list-and-detail", keys: &["j", "j"], wait_for: "Status and timestamps" },
    Scene {
        name: "search",
        keys: &["/", "profile.department eq \"Engineering\" and status eq \"ACTIVE\"", "\r"],
        wait_for: "Users · ",
    },
    Scene { name: "actions", keys: &["a"], wait_for: "1-9 choose" },
    Scene { name: "help", keys: &["\x1b", "?"], wait_for: "Everywhere" },
    Scene {
        name: "new-user",
        // Fill the name and email, then go up past the first field (the
        // focus wraps to the buttons) to the credentials, pick a password.
        keys: &[
            "\x1b",
            "n",
            "Robin",
            "\t",
            "Case",
            "\t",
            "robin.case@example.com",
            "\x1b[Z",
            "\x1b[Z",
            "\x1b[Z",
            "\x1b[Z",
            "\x1b[A",
            "\x1b[A",
            "\x1b[A",
            "\x1b[A",
            "\x1b[A",
            "\x1b[A",
            "\x1b[C",
            "\t",
            "Sturdy-Pass-42",
        ],
        wait_for: "Policy:",
    },
];

fn main() {
    let binary = std::env::args().nth(1).unwrap_or_else(|| "target/release/oktui".into());
    let out_dir = std::path::Path::new("assets/screenshots");
    std::fs::create_dir_all(out_dir).expect("create assets/screenshots");

    let pair = native_pty_system()
        .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
        .expect("openpty");
    let binary = std::fs::canonicalize(&binary).unwrap_or_else(|e| panic!("{binary}: {e}; build it first"));
    let mut cmd = CommandBuilder::new(&binary);
    cmd.args(["--demo", "--log-file", "/dev/null"]);
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn oktui");
    drop(pair.slave);
    let parser = screen_mirror::mirror(&*pair.master, ROWS, COLS);
    let mut writer = pair.master.take_writer().expect("writer");
    wait_for(&parser, "Demo Admin");
    for scene in SCENES {
        for key in scene.keys {
            writer.write_all(key.as_bytes()).expect("send key");
            writer.flush().expect("flush");
            // A lone Esc needs a pause, or the next key reads as Alt+key.
            std::thread::sleep(Duration::from_millis(if *key == "\x1b" { 200 } else { 60 }));
        }
        wait_for(&parser, scene.wait_for);
        // Let debounced requests land and the spinner stop.
        std::thread::sleep(Duration::from_millis(800));
        let svg = to_svg(parser.lock().expect("parser").screen());
        let path = out_dir.join(format!("{}.svg", scene.name));
        std::fs::write(&path, svg).expect("write svg");
        println!("wrote {}", path.display());
    }
    let _ = writer.write_all(b"\x1b\x1bq");
    let _ = child.wait();
}

fn wait_for(parser: &Mutex<vt100::Parser>, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !parser.lock().expect("parser").screen().contents().contains(text) {
        assert!(Instant::now() < deadline, "timed out waiting for {text:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;

/// The screen as SVG: one `<text>` per run of cells with the same style,
/// each glyph placed at its column so wide and box-drawing characters
/// line up.
fn to_svg(screen: &vt100::Screen) -> String {
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    let (w, h) = (f32::from(cols) * CELL_W, f32::from(rows) * CELL_H);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"14\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#1e1e2e\"/>\n"
    );
    for row in 0..rows {
        let y = f32::from(row) * CELL_H;
        for col in 0..cols {
            let Some(cell) = screen.cell(row, col) else { continue };
            let (fg, bg) =
                if cell.inverse() { (cell.bgcolor(), cell.fgcolor()) } else { (cell.fgcolor(), cell.bgcolor()) };
            let x = f32::from(col) * CELL_W;
            if bg != vt100::Color::Default || cell.inverse() {
                let fill = color(bg, if cell.inverse() { "#cdd6f4" } else { "#1e1e2e" });
                // A hair wider than the cell so neighbours leave no seam.
                let _ = writeln!(
                    svg,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{CELL_H}\" fill=\"{fill}\"/>",
                    CELL_W + 0.6
                );
            }
            let text = cell.contents();
            if text.trim().is_empty() {
                continue;
            }
            let fill = color(fg, if cell.inverse() { "#1e1e2e" } else { "#cdd6f4" });
            let weight = if cell.bold() { " font-weight=\"bold\"" } else { "" };
            let _ = writeln!(
                svg,
                "<text x=\"{x}\" y=\"{}\" fill=\"{fill}\"{weight}>{}</text>",
                y + CELL_H - 4.0,
                escape(text)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn color(c: vt100::Color, default: &str) -> String {
    const ANSI: [&str; 16] = [
        "#45475a", "#f38ba8", "#a6e3a1", "#f9e2af", "#89b4fa", "#f5c2e7", "#94e2d5", "#bac2de", "#585b70", "#f38ba8",
        "#a6e3a1", "#f9e2af", "#89b4fa", "#f5c2e7", "#94e2d5", "#a6adc8",
    ];
    match c {
        vt100::Color::Default => default.to_owned(),
        vt100::Color::Idx(i) if usize::from(i) < ANSI.len() => ANSI[usize::from(i)].to_owned(),
        vt100::Color::Idx(_) => default.to_owned(),
        vt100::Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
    }
}
