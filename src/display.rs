//! Number formatting shared by everything that shows counts to a person
//! (the TUI's header and messages, the command line's progress lines), and
//! the progress line itself.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One line on stderr redrawn in place with `\r`, at most ten times a
/// second, only when stderr is a terminal: the progress of `oktui export`,
/// `bulk` and `import`. Written by hand rather than with `indicatif`: one
/// line is all they show, not worth a dependency and a second owner of the
/// terminal.
pub struct StderrLine {
    enabled: bool,
    last: Option<Instant>,
    shown: usize,
}

impl StderrLine {
    const EVERY: Duration = Duration::from_millis(100);

    pub fn new() -> Self {
        Self { enabled: std::io::stderr().is_terminal(), last: None, shown: 0 }
    }

    /// Draws the line `render` makes, unless the last one is under 100 ms
    /// old (then `render` is not called).
    pub fn update(&mut self, render: impl FnOnce() -> String) {
        if !self.enabled || self.last.is_some_and(|t| t.elapsed() < Self::EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        let line = render();
        let pad = self.shown.saturating_sub(line.chars().count());
        self.shown = line.chars().count();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}{:pad$}", "");
        let _ = err.flush();
    }

    /// Erases the line, so a summary starts on a clean one.
    pub fn clear(&mut self) {
        if self.enabled && self.shown > 0 {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:width$}\r", "", width = self.shown);
            let _ = err.flush();
            self.shown = 0;
        }
    }
}

impl Default for StderrLine {
    fn default() -> Self {
        Self::new()
    }
}
