//! Bulk operations from the TUI: the survey behind the plan screen and
//! the job, both through `crate::bulk` at job priority, so the admin's
//! browsing keeps its headroom under the shared rate governor.

use crate::app::bulk::BulkResult;
use crate::app::{ApiResult, Msg, ReqId};
use crate::bulk::results::Format;
use crate::bulk::{Action, BulkJob, Error, Operation, Progress, Selection, SentLog, Tally, Unit};
use crate::job::{Start, Unjournaled};
use crate::okta::{Client, Priority};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;

/// Users worked on (or read) at once: half the client's default cap, so
/// browsing still gets its turn.
const PARALLEL: usize = 4;
/// Progress reaches the app at most this often; the end always does.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

pub async fn survey(client: Client, operation: Operation, users: Selection) -> ApiResult {
    let client = client.with_priority(Priority::Job);
    let result = crate::bulk::survey::survey(&client, &operation, &users, PARALLEL)
        .await
        .map(|s| Box::new((s.plan, s.units, s.action)))
        .map_err(|e| e.to_string());
    ApiResult::Bulk(BulkResult::Planned(result))
}

pub struct Run {
    pub req: ReqId,
    pub operation: String,
    pub action: Action,
    pub units: Vec<Unit>,
    pub results: PathBuf,
    /// The job's switch, kept by the driver for `p`.
    pub pause: crate::job::Pause,
}

pub async fn run(client: Client, tx: UnboundedSender<Msg>, run: Run) -> ApiResult {
    let client = client.with_priority(Priority::Job);
    ApiResult::Bulk(BulkResult::Finished(run_job(client, tx, run).await))
}

async fn run_job(client: Client, tx: UnboundedSender<Msg>, run: Run) -> Result<Tally, String> {
    let Run { req, operation, action, units, results, pause } = run;
    let shown = results.display().to_string();
    let file = std::fs::File::create(&results).map_err(|e| format!("cannot write {shown}: {e}"))?;
    let mut out = Unjournaled(std::io::BufWriter::new(file));
    out.write_all(Format::Jsonl.header().as_bytes()).map_err(|e| format!("cannot write {shown}: {e}"))?;
    let sent_path = sent_log_path(&results);
    let sent = SentLog::open(&sent_path, false).map_err(|e| format!("cannot write {}: {e}", sent_path.display()))?;
    let mut last = Instant::now();
    let paused = pause.clone();
    // While paused the last users finish one by one: each is shown, or the
    // count the job stops at could be one the throttle dropped.
    let progress = move |p: &Progress| {
        if last.elapsed() >= PROGRESS_EVERY || paused.is_paused() {
            last = Instant::now();
            let _ = tx.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Progress(p.clone()))));
        }
    };
    let total = units.len() as u64;
    let mut job = BulkJob::new(client, action, operation, Format::Jsonl, sent, progress)
        .resuming(Tally { total, ..Tally::default() }, HashSet::new())
        .paused_by(pause.clone());
    let io_error = |source| Error::Io { what: "the results".into(), source };
    let result = crate::job::run(&mut job, Start::Plan(units), PARALLEL, &pause, &mut out, None, io_error).await;
    let tally = job.tally().clone();
    let sent = job.into_sent_log();
    out.flush().map_err(|e| format!("cannot write {shown}: {e}"))?;
    result.map_err(|e| e.to_string())?;
    if let Some(sent) = sent {
        let _ = sent.remove();
    }
    Ok(tally)
}

/// `.NAME.sent` beside the results, as the command keeps it.
fn sent_log_path(results: &Path) -> PathBuf {
    let name = results.file_name().map_or_else(|| "job".into(), |n| n.to_string_lossy().into_owned());
    results.parent().unwrap_or(Path::new("")).join(format!(".{name}.sent"))
}
