//! Bulk operations from the TUI: the survey behind the plan screen and
//! the job, both through `crate::bulk` at job priority, so the admin's
//! browsing keeps its headroom under the shared rate governor. A job runs
//! as `oktui bulk` runs one (`crate::bulk::run`): journaled, so a crash or
//! an error leaves it to be resumed.

use crate::app::bulk::BulkResult;
use crate::app::{ApiResult, Msg, ReqId};
use crate::bulk::results::Format;
use crate::bulk::run::{self, Described, Ready};
use crate::bulk::{Action, Operation, Progress, Selection, Unit, unfinished};
use crate::job::Pause;
use crate::okta::{Client, Priority};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::oneshot::Receiver;

/// Users worked on (or read) at once: half the client's default cap, so
/// browsing still gets its turn.
const PARALLEL: usize = 4;
/// Progress reaches the app at most this often, the latest always.
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
    pub selection: String,
    pub action: Action,
    pub units: Vec<Unit>,
    pub results: PathBuf,
    /// The job's switch, kept by the driver for `p`.
    pub pause: Pause,
}

/// Starts the plan's job; `stop` ends it where it is.
pub async fn run(client: Client, tx: UnboundedSender<Msg>, run: Run, stop: Receiver<()>) -> ApiResult {
    let Run { req, operation, selection, action, units, results, pause } = run;
    let job = Described {
        org: client.org_url().to_string(),
        operation,
        selection,
        format: Format::Jsonl,
        action,
        started: jiff::Timestamp::now().to_string(),
    };
    let total = units.len() as u64;
    let ready = make_dir(&results).and_then(|()| run::begin(&results, job, units, total));
    execute(client, tx, req, ready, stop, pause, results).await
}

/// Runs the unfinished job writing `results` on from its checkpoint;
/// `stop` ends it where it is.
pub async fn resume(
    client: Client,
    tx: UnboundedSender<Msg>,
    req: ReqId,
    results: PathBuf,
    stop: Receiver<()>,
    pause: Pause,
) -> ApiResult {
    let org = client.org_url().to_string();
    let ready = run::resume(&results, |header| match header.args.get("org").and_then(|o| o.as_str()) {
        Some(theirs) if theirs == org => Ok(()),
        theirs => Err(format!("that job is for another org ({})", theirs.unwrap_or("unknown"))),
    });
    execute(client, tx, req, ready, stop, pause, results).await
}

pub async fn find_unfinished(client: Client, dir: PathBuf) -> ApiResult {
    let org = client.org_url().to_string();
    let found = tokio::task::spawn_blocking(move || unfinished::find(&dir, &org)).await.unwrap_or_default();
    ApiResult::Bulk(BulkResult::Unfinished(found))
}

pub async fn discard(results: PathBuf) -> ApiResult {
    let path = results.clone();
    let outcome = tokio::task::spawn_blocking(move || run::discard(&path))
        .await
        .unwrap_or_else(|e| Err(format!("the discard stopped: {e}")));
    ApiResult::Bulk(BulkResult::Discarded { results, outcome })
}

fn make_dir(results: &Path) -> Result<(), String> {
    let dir = results.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

async fn execute(
    client: Client,
    tx: UnboundedSender<Msg>,
    req: ReqId,
    ready: Result<Ready, String>,
    stop: Receiver<()>,
    pause: Pause,
    results: PathBuf,
) -> ApiResult {
    let ready = match ready {
        Ok(ready) => ready,
        Err(e) => return ApiResult::Bulk(BulkResult::Finished(Err(e))),
    };
    let client = client.with_priority(Priority::Job);
    let progress = forward_progress(tx, req);
    // Dropping the running job closes its files, so the discard that ends
    // it where it stopped can take them over.
    let ran = tokio::select! {
        ran = run::execute(&client, ready, PARALLEL, &pause, progress) => ran,
        Ok(()) = stop => return discard(results).await,
    };
    ApiResult::Bulk(BulkResult::Finished(ran.map(|ran| ran.tally).map_err(|stopped| stopped.error)))
}

/// What the job calls after every user: the latest progress reaches the
/// app within [`PROGRESS_EVERY`], never more often. A plain throttle
/// drops the last update of a burst, and a job whose rate window is spent
/// then showed a stale count until the window reset.
fn forward_progress(tx: UnboundedSender<Msg>, req: ReqId) -> impl FnMut(&Progress) {
    let (latest, mut watched) = tokio::sync::watch::channel(None::<Progress>);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PROGRESS_EVERY);
        // After a long quiet spell (a rate window's wait), still no faster.
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Ends once the job, holding the sender, is over.
        while watched.changed().await.is_ok() {
            let progress = watched.borrow_and_update().clone();
            if let Some(progress) = progress {
                let _ = tx.send(Msg::Api(req, ApiResult::Bulk(BulkResult::Progress(progress))));
            }
            every.tick().await;
        }
    });
    move |p: &Progress| {
        latest.send_replace(Some(p.clone()));
    }
}
