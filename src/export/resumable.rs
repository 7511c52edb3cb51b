//! Exporting to a file as a resumable job: users go to a partial file
//! beside the target, with a journal beside that (see `crate::job`), and
//! the target is replaced only when every page is written. An export that
//! fails or is killed leaves both; the same export with `resume` continues
//! where it stopped, and the finished file holds each user once.

use super::engine::{self, ExportJob, PageUnit, Tally};
use super::{Error, ExportRequest, Format, Progress, Query, Summary};
use crate::job::{Header, JobFiles, Start};
use crate::okta::Client;
use serde_json::{Value, json};
use std::path::Path;

const KIND: &str = "export";

/// Exports `request` to `path`, or with `resume` continues the unfinished
/// export to `path` (which must have been started with the same request,
/// against the same org).
pub async fn export_resumable<F>(
    client: &Client,
    request: &ExportRequest,
    path: &Path,
    resume: bool,
    progress: F,
) -> Result<Summary, Error>
where
    F: FnMut(&Progress) + Send,
{
    let files = JobFiles::beside(path);
    let shown = path.display();
    let header = Header::new(KIND, arguments(client, request));
    let mut job = ExportJob::new(client, request, progress);
    let (mut journal, mut out, start) = if resume {
        if !files.unfinished() {
            return Err(Error::Invalid(format!(
                "there is no unfinished export to {shown} to resume; run the export without --resume"
            )));
        }
        let (resumed, out) = files.resume::<PageUnit, Tally>()?;
        if resumed.header != header {
            return Err(Error::Invalid(format!(
                "the unfinished export to {shown} was started with other arguments ({}); resume it with the \
                 same ones, or delete {} and {} to start over",
                differences(&resumed.header, &header),
                files.journal.display(),
                files.partial.display()
            )));
        }
        let start = resumed.checkpoint.map(|point| {
            job.restore(point.tally);
            Start::Resume { open: point.open, next_id: point.next_id }
        });
        (resumed.journal, out, start)
    } else {
        if files.unfinished() {
            return Err(Error::Invalid(format!(
                "an unfinished export to {shown} is waiting: add --resume to continue it, or delete {} and {} to \
                 start over",
                files.journal.display(),
                files.partial.display()
            )));
        }
        let (journal, out) = files.create(&header)?;
        (journal, out, None)
    };
    match engine::run(&mut job, request, start, &mut out, Some(&mut journal)).await {
        Ok(summary) => {
            files.finish(journal, out)?;
            Ok(summary)
        }
        // Nothing written, nothing to resume: leave nothing behind.
        Err(e) if job.summary().users == 0 => {
            drop(out);
            let _ = journal.remove();
            let _ = std::fs::remove_file(&files.partial);
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// What decides an export's file: a resume must repeat all of it.
fn arguments(client: &Client, request: &ExportRequest) -> Value {
    let (query, expression) = match request.query() {
        Query::All => ("all", None),
        Query::Search(s) => ("search", Some(s.as_str())),
        Query::Filter(f) => ("filter", Some(f.as_str())),
    };
    let (format, columns) = match request.format() {
        Format::Jsonl => ("jsonl", Vec::new()),
        Format::Csv(columns) => ("csv", columns.iter().map(|c| c.name().to_owned()).collect()),
    };
    json!({
        "org": client.org_url().to_string(),
        "query": query,
        "expression": expression,
        "format": format,
        "columns": columns,
        "parallel": request.parallel(),
    })
}

/// `parallel 8, now 4; format csv, now jsonl`.
fn differences(was: &Header, now: &Header) -> String {
    if was.kind != now.kind || was.version != now.version {
        return format!("it is a {} job", was.kind);
    }
    let fields = ["org", "query", "expression", "format", "columns", "parallel"];
    let shown = |v: &Value| match v {
        Value::Null => "none".to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    };
    fields
        .iter()
        .filter(|f| was.args.get(**f) != now.args.get(**f))
        .map(|f| {
            let (a, b) = (was.args.get(*f).unwrap_or(&Value::Null), now.args.get(*f).unwrap_or(&Value::Null));
            format!("{f} {}, now {}", shown(a), shown(b))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
