//! One way to run a bulk job, for `oktui bulk` and the TUI alike: start it
//! from a plan ([`begin`]) or reopen an unfinished one ([`resume`]), then
//! run it to its end ([`execute`]). Either way the job has a journal, a
//! sent log and `.partial` results renamed over the target when done; an
//! unfinished job can also be ended where it stopped ([`discard`]).

use super::job::{BulkJob, Progress, SentLog, Tally};
use super::plan::Unit;
use super::results::Format;
use super::{Action, Error, Outcome};
use crate::job::{self, Header, JobFiles, Journal, Output, Pause, Start};
use crate::okta::Client;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The journal header's kind for a bulk job.
pub const KIND: &str = "bulk";

/// What a job is, as its header records it: a resume must repeat the
/// fields that decide its results.
#[derive(Debug, Clone)]
pub struct Described {
    /// The org's URL.
    pub org: String,
    /// As the admin wrote it: `suspend`, `set profile.department=New IT`.
    pub operation: String,
    /// Which users: `search: status eq "ACTIVE"`.
    pub selection: String,
    pub format: Format,
    pub action: Action,
    /// When the job began (RFC 3339).
    pub started: String,
}

impl Described {
    pub fn arguments(&self) -> Value {
        json!({
            "org": self.org,
            "operation": self.operation,
            "selection": self.selection,
            "format": self.format.name(),
            "action": self.action,
            "started": self.started,
        })
    }

    /// The job a header describes; `None` when it is not a bulk job of
    /// this version's shape.
    pub fn from_header(header: &Header) -> Option<Self> {
        let text = |field: &str| header.args.get(field).and_then(Value::as_str).map(str::to_owned);
        if header.kind != KIND {
            return None;
        }
        Some(Self {
            org: text("org")?,
            operation: text("operation")?,
            selection: text("selection")?,
            format: if text("format")? == Format::Csv.name() { Format::Csv } else { Format::Jsonl },
            action: serde_json::from_value(header.args.get("action")?.clone()).ok()?,
            started: text("started").unwrap_or_default(),
        })
    }

    /// The operation's name in the results (`set`, not its attributes).
    fn name(&self) -> String {
        self.operation.split_whitespace().next().unwrap_or_default().to_owned()
    }
}

/// A job with its files open, ready to run from where it stands.
pub struct Ready {
    pub files: JobFiles,
    pub job: Described,
    /// The counts so far (a new job: none done of its total).
    pub tally: Tally,
    journal: Journal,
    out: Output,
    sent: SentLog,
    start: Start<Unit>,
    /// Users a previous run may have sent to: their state decides.
    uncertain: HashSet<String>,
}

/// `.NAME.sent` beside the results.
pub fn sent_log_path(results: &Path) -> PathBuf {
    let name = results.file_name().map_or_else(|| "job".into(), |n| n.to_string_lossy().into_owned());
    results.parent().unwrap_or(Path::new("")).join(format!(".{name}.sent"))
}

/// Starts a job writing `results`: its journal with the header that
/// describes it, the results' header line, an empty sent log.
pub fn begin(results: &Path, job: Described, units: Vec<Unit>, total: u64) -> Result<Ready, String> {
    let files = JobFiles::beside(results);
    let header = Header::new(KIND, job.arguments());
    let (journal, mut out) = files.create(&header).map_err(|e| e.to_string())?;
    std::io::Write::write_all(&mut out, job.format.header().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", files.partial.display()))?;
    let sent_path = sent_log_path(results);
    let sent = SentLog::open(&sent_path, false).map_err(|e| format!("cannot write {}: {e}", sent_path.display()))?;
    let tally = Tally { total, ..Tally::default() };
    Ok(Ready { files, job, tally, journal, out, sent, start: Start::Plan(units), uncertain: HashSet::new() })
}

/// Reopens the unfinished job writing `results`, once `check` accepts its
/// header: from its last checkpoint, with the users of its sent log
/// uncertain.
pub fn resume(results: &Path, check: impl FnOnce(&Header) -> Result<(), String>) -> Result<Ready, String> {
    let files = JobFiles::beside(results);
    let (resumed, out) = files.resume::<Unit, Tally>().map_err(|e| e.to_string())?;
    check(&resumed.header)?;
    let Some(job) = Described::from_header(&resumed.header) else {
        return Err(format!(
            "the checkpoint {} is damaged (its header is not a bulk job's); delete it to start over",
            files.journal.display()
        ));
    };
    let Some(point) = resumed.checkpoint else {
        return Err(format!(
            "the job writing {} stopped before its plan was saved, so nothing was sent: delete {} and run it again \
             without --resume",
            results.display(),
            files.journal.display()
        ));
    };
    let sent_path = sent_log_path(results);
    let uncertain = SentLog::read(&sent_path).map_err(|e| format!("cannot read {}: {e}", sent_path.display()))?;
    let sent = SentLog::open(&sent_path, true).map_err(|e| format!("cannot write {}: {e}", sent_path.display()))?;
    let start = Start::Resume { open: point.open, next_id: point.next_id };
    Ok(Ready { files, job, tally: point.tally, journal: resumed.journal, out, sent, start, uncertain })
}

/// How a job that ran to its end ended.
#[derive(Debug, Clone)]
pub struct Ran {
    pub tally: Tally,
    pub elapsed: Duration,
}

/// A job that stopped before its end: why, and the counts it reached. Its
/// journal stays, so it can be resumed.
#[derive(Debug, Clone)]
pub struct Stopped {
    pub error: String,
    pub tally: Tally,
}

/// Runs the job to its end, `parallel` users at once, through `client`
/// (at job priority, the caller's choice), held while `pause` is set;
/// `progress` hears after every user. Done, the results replace their
/// target and the journal and the sent log go.
pub async fn execute(
    client: &Client,
    ready: Ready,
    parallel: usize,
    pause: &Pause,
    progress: impl FnMut(&Progress),
) -> Result<Ran, Stopped> {
    let Ready { files, job, tally, mut journal, mut out, sent, start, uncertain } = ready;
    let mut bulk = BulkJob::new(client.clone(), job.action.clone(), job.name(), job.format, sent, progress)
        .resuming(tally, uncertain)
        .paused_by(pause.clone());
    let io_error = |source| Error::Io { what: "the results".into(), source };
    let result = job::run(&mut bulk, start, parallel, pause, &mut out, Some(&mut journal), io_error).await;
    let (tally, elapsed) = (bulk.tally().clone(), bulk.elapsed());
    let sent = bulk.into_sent_log();
    if let Err(e) = result {
        return Err(Stopped { error: e.to_string(), tally });
    }
    files.finish(journal, out).map_err(|e| Stopped { error: e.to_string(), tally: tally.clone() })?;
    if let Some(sent) = sent {
        let _ = sent.remove();
    }
    Ok(Ran { tally, elapsed })
}

/// Ends the unfinished job writing `results` where it stopped: the
/// results recorded so far become the finished file, the journal and the
/// sent log go. Whole JSON records written after the last checkpoint are
/// kept too (the step they record was over); a user the job may have sent
/// to whose record is missing is recorded as failed, saying its outcome
/// is unknown, so no user it may have touched goes unrecorded. Returns
/// the counts.
pub fn discard(results: &Path) -> Result<Tally, String> {
    let files = JobFiles::beside(results);
    // Read before the checkpoint's length cuts the file back.
    let written = std::fs::read(&files.partial).unwrap_or_default();
    let (resumed, mut out) = files.resume::<Unit, Tally>().map_err(|e| e.to_string())?;
    let job = Described::from_header(&resumed.header);
    let sent_path = sent_log_path(results);
    let mut tally = Tally::default();
    if let (Some(job), Some(point)) = (job, resumed.checkpoint) {
        tally = point.tally;
        let open: HashSet<&str> = point.open.values().map(|u| u.id.as_str()).collect();
        let tail = written.get(point.len as usize..).unwrap_or_default();
        let mut recorded = HashSet::new();
        if job.format == Format::Jsonl {
            for line in tail.split_inclusive(|b| *b == b'\n').filter(|l| l.ends_with(b"\n")) {
                let Ok(record) = serde_json::from_slice::<Value>(line) else { continue };
                let Some(id) = record["id"].as_str().filter(|id| open.contains(id)) else { continue };
                if !recorded.insert(id.to_owned()) {
                    continue;
                }
                match record["outcome"].as_str() {
                    Some("changed") => tally.changed += 1,
                    Some("unchanged") => tally.unchanged += 1,
                    Some("skipped") => tally.skipped += 1,
                    _ => tally.failed += 1,
                }
                std::io::Write::write_all(&mut out, line)
                    .map_err(|e| format!("cannot write {}: {e}", files.partial.display()))?;
            }
        }
        let sent = SentLog::read(&sent_path).map_err(|e| format!("cannot read {}: {e}", sent_path.display()))?;
        let outcome = Outcome::Failed {
            code: None,
            summary: "sent before the job was interrupted, and the job was ended before its outcome was \
                      recorded: check this user"
                .into(),
        };
        let time = jiff::Timestamp::now().to_string();
        for unit in point.open.values().filter(|u| sent.contains(&u.id) && !recorded.contains(&u.id)) {
            let line = job.format.line(&unit.id, &unit.login, &job.name(), &outcome, &time);
            std::io::Write::write_all(&mut out, line.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", files.partial.display()))?;
            tally.failed += 1;
        }
    }
    files.finish(resumed.journal, out).map_err(|e| e.to_string())?;
    match std::fs::remove_file(&sent_path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", sent_path.display()))
        }
        _ => Ok(tally),
    }
}
