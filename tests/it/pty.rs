//! Runs the real `oktui` binary in a pseudo-terminal and reads its screen.
#![allow(dead_code)] // a shared harness: not every suite uses every helper

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    pub log_file: PathBuf,
    dir: tempdir::Dir,
}

impl Pty {
    /// Starts `oktui <args>` at `cols`×`rows` with colors off.
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Self {
        Self::spawn_with_env(args, cols, rows, &[])
    }

    pub fn spawn_with_env(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Self {
        Self::spawn_inner(env!("CARGO_BIN_EXE_oktui"), args, true, cols, rows, env)
    }

    /// Starts another program (a shell around oktui, say) in the pty.
    pub fn spawn_program(program: &str, args: &[&str], cols: u16, rows: u16) -> Self {
        Self::spawn_inner(program, args, false, cols, rows, &[])
    }

    fn spawn_inner(program: &str, args: &[&str], log: bool, cols: u16, rows: u16, env: &[(&str, &str)]) -> Self {
        let dir = tempdir::Dir::new();
        let log_file = dir.path.join("oktui.log");
        let pair =
            native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        if log {
            cmd.arg("--log-file");
            cmd.arg(&log_file);
        }
        cmd.cwd(&dir.path);
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env("HOME", &dir.path);
        cmd.env("XDG_CONFIG_HOME", dir.path.join("config"));
        cmd.env("XDG_STATE_HOME", dir.path.join("state"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn oktui");
        // Without dropping our copy of the slave, the reader never sees EOF.
        drop(pair.slave);
        let parser = crate::screen_mirror::mirror(&*pair.master, rows, cols);
        let writer = pair.master.take_writer().expect("writer");
        Self { master: pair.master, writer, child, parser, log_file, dir }
    }

    /// Where the program runs (its working directory and HOME).
    pub fn dir(&self) -> &std::path::Path {
        &self.dir.path
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Whether the cursor sits on a line containing `text`.
    pub fn cursor_on_line_with(&self, text: &str) -> bool {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        let (row, _) = screen.cursor_position();
        screen.contents().lines().nth(usize::from(row)).is_some_and(|l| l.contains(text))
    }

    /// Whether the program still asks the terminal for mouse events.
    pub fn mouse_captured(&self) -> bool {
        self.parser.lock().unwrap().screen().mouse_protocol_mode() != vt100::MouseProtocolMode::None
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    /// Waits until `pred` holds for the screen text; panics with the screen.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until the screen stops changing (a frame may arrive in pieces).
    pub fn wait_stable(&self) -> String {
        let deadline = Instant::now() + WAIT;
        let mut last = self.screen();
        loop {
            std::thread::sleep(Duration::from_millis(60));
            let now = self.screen();
            if now == last || Instant::now() > deadline {
                return now;
            }
            last = now;
        }
    }

    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Types text one key at a time, as a person would.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(&c.to_string());
        }
    }

    /// Writes `bytes` onto the mirrored screen as if another program had
    /// written to the terminal: the program under test does not know.
    pub fn scribble(&self, bytes: &str) {
        self.parser.lock().unwrap().process(bytes.as_bytes());
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The mirror first: the program redraws as soon as the resize
        // reaches it, and a redraw read while the mirror still had the old
        // size was laid out wrong for good (nothing changes after it to
        // draw again). Bytes of an older frame read after this are redrawn
        // over by that full redraw.
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(crate::screen_mirror::nz(rows), crate::screen_mirror::nz(cols));
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize");
    }

    /// Waits for the process to exit and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader drain the last bytes (the restore sequence).
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("oktui did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub mod keys {
    pub const DOWN: &str = "\x1b[B";
    pub const UP: &str = "\x1b[A";
    pub const ENTER: &str = "\r";
    pub const TAB: &str = "\t";
    pub const SHIFT_TAB: &str = "\x1b[Z";
    pub const ESC: &str = "\x1b";
    pub const CTRL_C: &str = "\x03";
    pub const CTRL_S: &str = "\x13";
}

pub mod tempdir {
    //! A temporary directory removed on drop (no extra crate for this).
    use std::path::PathBuf;

    pub struct Dir {
        pub path: PathBuf,
    }

    impl Dir {
        pub fn new() -> Self {
            let path = std::env::temp_dir().join(format!("oktui-test-{}-{}", std::process::id(), fastrand::u64(..)));
            std::fs::create_dir_all(&path).expect("temp dir");
            Self { path }
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}
