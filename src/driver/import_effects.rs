//! The import screen's file and network work: listing a directory for
//! completion, reading and planning a file, running the plan.

use crate::app::import::{Entry, ImportEffect, ImportResult, LoadedFile, Read, plan_rows};
use crate::app::{ApiResult, Msg, ReqId};
use crate::import::{Options, Progress, prepare, run};
use crate::job::Pause;
use crate::okta::Client;
use std::path::{Path, PathBuf};
use tokio::sync::mpsc::UnboundedSender;

/// `pause` is the switch of the job a `Run` starts.
pub async fn work(client: Client, effect: ImportEffect, tx: UnboundedSender<Msg>, pause: Pause) -> ApiResult {
    ApiResult::Import(match effect {
        ImportEffect::List { dir, .. } => ImportResult::Listed(list(&home(&dir))),
        ImportEffect::Read { path, options, .. } => ImportResult::Read(read(&client, &home(&path), &options).await),
        ImportEffect::Run { req, loaded, options, results } => {
            ImportResult::Ran(run_plan(&client, req, &pause, loaded, &options, &results, tx).await)
        }
        // The runner stops and pauses the job itself.
        ImportEffect::Cancel | ImportEffect::Pause { .. } => ImportResult::Ran(Err("cancelled".into())),
    })
}

/// `~/x` is the home directory's `x`, as in a shell.
fn home(path: &Path) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_owned(),
    }
}

fn list(dir: &Path) -> Result<Vec<Entry>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    Ok(entries
        .flatten()
        .map(|e| Entry {
            name: e.file_name().to_string_lossy().into_owned(),
            // Through symlinks: a linked directory completes as one.
            dir: std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir()),
        })
        .collect())
}

async fn read(client: &Client, path: &Path, options: &Options) -> Result<Read, String> {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let loaded = prepare(client, &path, None, options, true).await.map_err(|e| e.to_string())?;
    Ok(Read { path, problems: loaded.problems.clone(), rows: plan_rows(&loaded), loaded: LoadedFile::new(loaded) })
}

async fn run_plan(
    client: &Client,
    req: ReqId,
    pause: &Pause,
    loaded: LoadedFile,
    options: &Options,
    results: &Path,
    tx: UnboundedSender<Msg>,
) -> Result<crate::import::Summary, String> {
    let loaded = loaded.take().ok_or("this plan was run already; read the file again")?;
    let file = loaded.path.clone();
    let progress = move |p: Progress| {
        let _ = tx.send(Msg::Api(req, ApiResult::Import(ImportResult::Progress(p))));
    };
    run(client, loaded, options, results, false, pause, progress).await.map_err(|e| {
        if crate::job::JobFiles::beside(results).unfinished() {
            format!(
                "{e}. The rows done so far are kept with a checkpoint beside {}; `oktui import {} --resume` with \
                 the same options continues where it stopped",
                results.display(),
                file.display()
            )
        } else {
            e.to_string()
        }
    })
}
