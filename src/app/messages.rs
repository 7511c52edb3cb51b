//! The message log (`m`) and the one-line toast: every error and result
//! of the session, newest last.

use jiff::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: Timestamp,
    pub level: Level,
    pub text: String,
}

/// Keeps the log bounded: a long session must not grow without limit.
const MAX_ENTRIES: usize = 1000;
/// How long a toast stays on the message line.
const TOAST_SECONDS: i64 = 6;

/// Work whose progress message leaves the message line when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    Lookup,
    Refresh,
}

#[derive(Debug, Default)]
pub struct Messages {
    pub entries: Vec<Entry>,
    /// Index of the entry shown on the message line, while fresh.
    toast: Option<usize>,
    /// The toast is this work's progress message.
    toast_work: Option<Work>,
    /// Lines scrolled up from the newest entry in the log view.
    pub scroll: usize,
}

impl Messages {
    pub fn push(&mut self, at: Timestamp, level: Level, text: impl Into<String>) {
        if self.entries.len() == MAX_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push(Entry { at, level, text: text.into() });
        self.toast = Some(self.entries.len() - 1);
        self.toast_work = None;
    }

    /// Says that `work` started; the line clears when `finished` is called,
    /// so "Looking up …" never outlives the lookup.
    pub fn progress(&mut self, at: Timestamp, work: Work, text: impl Into<String>) {
        self.push(at, Level::Info, text);
        self.toast_work = Some(work);
    }

    /// `work` ended: its progress message leaves the line (a message that
    /// came after it stays).
    pub fn finished(&mut self, work: Work) {
        if self.toast_work == Some(work) {
            self.toast = None;
            self.toast_work = None;
        }
    }

    pub fn info(&mut self, at: Timestamp, text: impl Into<String>) {
        self.push(at, Level::Info, text);
    }

    pub fn success(&mut self, at: Timestamp, text: impl Into<String>) {
        self.push(at, Level::Success, text);
    }

    pub fn error(&mut self, at: Timestamp, text: impl Into<String>) {
        self.push(at, Level::Error, text);
    }

    /// The toast to show at `now`, if one is still fresh.
    pub fn toast(&self, now: Timestamp) -> Option<&Entry> {
        let entry = self.entries.get(self.toast?)?;
        let age = now.as_second() - entry.at.as_second();
        (age < TOAST_SECONDS || entry.level == Level::Error && age < 3 * TOAST_SECONDS).then_some(entry)
    }

    pub fn dismiss_toast(&mut self) {
        self.toast = None;
    }
}
