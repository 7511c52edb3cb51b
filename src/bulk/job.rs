//! A bulk job on the job engine (`crate::job`): one unit per user, run
//! up to `parallel` at once at job priority, one results record each, the
//! counts checkpointed with the results.
//!
//! # Exactly once through a crash
//!
//! The journal says which users' records are durable; a user whose record
//! was not yet checkpointed is run again on resume. Its operation may have
//! reached the org all the same, so before a step sends anything it writes
//! the user's id to a *sent log* beside the journal (one `write`, which a
//! `SIGKILL` does not undo). On resume, the open users found in the sent
//! log are uncertain: their current state is read and decides (see
//! `action::apply`) rather than sending again blindly. The others were
//! never sent and go ahead without the extra read.

use super::Error;
use super::action::{Action, Outcome, apply};
use super::plan::{Decision, Unit};
use super::results::Format;
use crate::job::{Follow, Job, Pause};
use crate::okta::Client;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The counts a resumed job continues from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub total: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub failed: u64,
}

impl Tally {
    pub fn done(&self) -> u64 {
        self.changed + self.unchanged + self.skipped + self.failed
    }
}

/// How far a job is, after every user.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub tally: Tally,
    /// Users done by this run (a resumed job counts from its resume).
    pub done_here: u64,
    /// Time spent running: pauses are left out, so the rate holds.
    pub elapsed: Duration,
    /// The least time the rate budget lets the writes still to send take:
    /// zero while the current window holds them. A job runs fast until
    /// the window's budget is spent and then waits for its reset, so the
    /// rate so far alone promises too little.
    pub budget_wait: Duration,
}

impl Progress {
    /// Users done per second of running time.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 { self.done_here as f64 / secs } else { 0.0 }
    }

    /// The time left: at the rate so far, or what the rate budget needs,
    /// whichever is longer; `None` before anything tells.
    pub fn time_left(&self) -> Option<Duration> {
        let left = self.tally.total.saturating_sub(self.tally.done());
        let rate = self.rate();
        let at_rate = if left == 0 {
            Duration::ZERO
        } else if rate > 0.0 {
            Duration::from_secs_f64(left as f64 / rate)
        } else if self.budget_wait.is_zero() {
            return None;
        } else {
            Duration::ZERO
        };
        Some(at_rate.max(self.budget_wait))
    }
}

/// The ids of users whose operation may have been sent.
pub struct SentLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl SentLog {
    /// Starts an empty log at `path`, or with `keep` continues the one there.
    pub fn open(path: &Path, keep: bool) -> io::Result<Self> {
        let file = OpenOptions::new().create(true).append(true).truncate(false).open(path)?;
        if !keep {
            file.set_len(0)?;
        }
        Ok(Self { path: path.to_owned(), file: Mutex::new(file) })
    }

    /// The ids in the log at `path` (none when there is no log). A torn
    /// last line was never followed by a send.
    pub fn read(path: &Path) -> io::Result<HashSet<String>> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Ok(text.split_inclusive('\n').filter_map(|l| l.strip_suffix('\n')).map(str::to_owned).collect())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HashSet::new()),
            Err(e) => Err(e),
        }
    }

    fn mark(&self, id: &str) -> io::Result<()> {
        let line = format!("{id}\n");
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(line.as_bytes())
    }

    pub fn remove(self) -> io::Result<()> {
        drop(self.file);
        std::fs::remove_file(&self.path)
    }
}

pub struct BulkJob<F> {
    client: Client,
    action: Arc<Action>,
    /// The operation's name in the results (`suspend`).
    operation: String,
    format: Format,
    sent: Arc<SentLog>,
    uncertain: Arc<HashSet<String>>,
    tally: Tally,
    done_here: u64,
    started: Instant,
    pause: Pause,
    /// Writes still to send, for the budget's part of the time left.
    to_write: u64,
    progress: F,
}

impl<F: FnMut(&Progress)> BulkJob<F> {
    /// `client` sends at job priority.
    pub fn new(client: Client, action: Action, operation: String, format: Format, sent: SentLog, progress: F) -> Self {
        Self {
            client,
            action: Arc::new(action),
            operation,
            format,
            sent: Arc::new(sent),
            uncertain: Arc::new(HashSet::new()),
            tally: Tally::default(),
            done_here: 0,
            started: Instant::now(),
            pause: Pause::default(),
            to_write: 0,
            progress,
        }
    }

    /// Continues from `tally`; `uncertain`: the ids a previous run may
    /// have sent to.
    pub fn resuming(mut self, tally: Tally, uncertain: HashSet<String>) -> Self {
        self.tally = tally;
        self.uncertain = Arc::new(uncertain);
        self
    }

    /// The units still to do, whose writes the time left counts.
    pub fn to_do<'a>(mut self, units: impl IntoIterator<Item = &'a Unit>) -> Self {
        let changing = units.into_iter().filter(|u| u.decision == Decision::Change);
        self.to_write = changing.map(|u| self.action.writes_for(u.status)).sum();
        self
    }

    /// The switch the job is paused with: its pauses are not running time.
    pub fn paused_by(mut self, pause: Pause) -> Self {
        self.pause = pause;
        self
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed().saturating_sub(self.pause.paused_for())
    }

    /// The sent log, once the job is over.
    pub fn into_sent_log(self) -> Option<SentLog> {
        Arc::into_inner(self.sent)
    }
}

/// A user's step: the unit and how it ended, when.
pub struct Done {
    unit: Unit,
    outcome: Outcome,
    time: String,
}

impl<F: FnMut(&Progress)> Job for BulkJob<F> {
    type Unit = Unit;
    type Done = Done;
    type Tally = Tally;
    type Error = Error;

    fn step(&self, unit: Unit) -> impl Future<Output = Result<Done, Error>> + Send + 'static {
        let (client, action, sent) = (self.client.clone(), self.action.clone(), self.sent.clone());
        let uncertain = self.uncertain.contains(&unit.id);
        async move {
            if unit.decision == Decision::Change {
                sent.mark(&unit.id).map_err(|source| Error::Io { what: "the sent log".into(), source })?;
            }
            let outcome = apply(&client, &action, &unit, uncertain).await.map_err(Error::Org)?;
            Ok(Done { unit, outcome, time: jiff::Timestamp::now().to_string() })
        }
    }

    fn follow(&mut self, _: &Unit, _: &Done, _: usize) -> Follow<Unit> {
        Follow { then: Vec::new(), keep: true }
    }

    fn write(&mut self, done: Done, out: &mut dyn Write) -> Result<(), Error> {
        let line = self.format.line(&done.unit.id, &done.unit.login, &self.operation, &done.outcome, &done.time);
        out.write_all(line.as_bytes()).map_err(|source| Error::Io { what: "the results".into(), source })?;
        match done.outcome {
            Outcome::Changed | Outcome::ChangedWithLink { .. } => self.tally.changed += 1,
            Outcome::Unchanged => self.tally.unchanged += 1,
            Outcome::Skipped(_) => self.tally.skipped += 1,
            Outcome::Failed { .. } => self.tally.failed += 1,
        }
        self.done_here += 1;
        if done.unit.decision == Decision::Change {
            self.to_write = self.to_write.saturating_sub(self.action.writes_for(done.unit.status));
        }
        let (method, path) = self.action.write_request();
        let budget_wait = self.client.job_budget(&method, path).map_or(Duration::ZERO, |b| b.wait_for(self.to_write));
        let progress =
            Progress { tally: self.tally.clone(), done_here: self.done_here, elapsed: self.elapsed(), budget_wait };
        (self.progress)(&progress);
        Ok(())
    }

    fn tally(&self) -> Tally {
        self.tally.clone()
    }
}
