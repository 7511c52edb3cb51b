//! `oktui bulk`: plan, confirm, run as a resumable job, summary. The plan
//! goes to stdout, the prompt, progress and summary to stderr; the exit
//! status is non-zero when any user failed.

use super::action::Action;
use super::job::{BulkJob, SentLog, Tally};
use super::operation::Operation;
use super::plan::{Plan, Unit, render};
use super::results::Format;
use super::survey::{Selection, Surveyed, survey};
use super::{Error, progress};
use crate::display::StderrLine;
use crate::display::thousands;
use crate::export::command::resume_command;
use crate::job::{self, Header, JobFiles, Start};
use crate::okta::{Client, Priority};
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::{Path, PathBuf};

const KIND: &str = "bulk";

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct BulkRequest {
    pub operation: Operation,
    pub selection: Selection,
    pub dry_run: bool,
    pub yes: bool,
    /// Where the results go (default `bulk-OPERATION.jsonl` or `.csv`).
    pub results: Option<PathBuf>,
    pub resume: bool,
    pub format: Format,
    /// Users worked on at once.
    pub parallel: usize,
    /// `--send-email`, for the operations that email the user.
    pub send_email: Option<bool>,
}

impl BulkRequest {
    pub fn results_path(&self) -> PathBuf {
        self.results
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("bulk-{}.{}", self.operation.name(), self.format.name())))
    }
}

/// Runs the command; `input` answers the confirmation. Returns the counts,
/// or the message to exit with.
pub async fn run(
    client: &Client,
    request: &BulkRequest,
    input: &mut dyn BufRead,
    command_line: &[String],
) -> Result<Tally, String> {
    let client = client.with_priority(Priority::Job);
    let path = request.results_path();
    let files = JobFiles::beside(&path);
    let sent_path = sent_log_path(&path);
    let shown = path.display();
    let (mut journal, mut out, start, action, uncertain, tally) = if request.resume {
        if !files.unfinished() {
            return Err(format!("there is no unfinished bulk job writing {shown} to resume; run it without --resume"));
        }
        let (resumed, out) = files.resume::<Unit, Tally>().map_err(|e| e.to_string())?;
        let header = resumed.header;
        let wanted = arguments(&client.org_url().to_string(), request, &Value::Null);
        let fields = ["org", "operation", "selection", "format"];
        if header.kind != KIND || fields.iter().any(|f| header.args.get(*f) != wanted.get(*f)) {
            return Err(format!(
                "the unfinished job writing {shown} was started with other arguments ({}); resume it with the same \
                 ones, or delete {} and {} to start over",
                fields
                    .iter()
                    .map(|f| format!("{f} {}", header.args.get(*f).unwrap_or(&Value::Null)))
                    .collect::<Vec<_>>()
                    .join(", "),
                files.journal.display(),
                files.partial.display()
            ));
        }
        let action = serde_json::from_value(header.args.get("action").cloned().unwrap_or_default()).map_err(|e| {
            format!("the checkpoint {} is damaged ({e}); delete it to start over", files.journal.display())
        })?;
        let Some(point) = resumed.checkpoint else {
            return Err(format!(
                "the job writing {shown} stopped before its plan was saved, so nothing was sent: delete {} and run it \
                 again without --resume",
                files.journal.display()
            ));
        };
        let uncertain = SentLog::read(&sent_path).map_err(|e| format!("cannot read {}: {e}", sent_path.display()))?;
        let start = Start::Resume { open: point.open, next_id: point.next_id };
        (resumed.journal, out, start, action, uncertain, point.tally)
    } else {
        if files.unfinished() {
            return Err(format!(
                "an unfinished bulk job writing {shown} is waiting: add --resume to continue it, or delete {} and {} \
                 to start over",
                files.journal.display(),
                files.partial.display()
            ));
        }
        let Surveyed { plan, units, mut action } =
            survey(&client, &request.operation, &request.selection, request.parallel)
                .await
                .map_err(|e| e.to_string())?;
        if let Action::Lifecycle { send_email, .. } = &mut action {
            *send_email = request.send_email;
        }
        print!("{}", render(&plan));
        // The plan is read before the question is answered, also through a pipe.
        let _ = std::io::Write::flush(&mut std::io::stdout());
        if request.dry_run {
            return Ok(Tally { total: plan.total, ..Tally::default() });
        }
        if !request.yes && plan.change.count > 0 {
            confirm(&plan, input)?;
        }
        let header = Header::new(
            KIND,
            arguments(&client.org_url().to_string(), request, &serde_json::to_value(&action).unwrap_or_default()),
        );
        let (journal, mut out) = files.create(&header).map_err(|e| e.to_string())?;
        std::io::Write::write_all(&mut out, request.format.header().as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", files.partial.display()))?;
        let tally = Tally { total: plan.total, ..Tally::default() };
        (journal, out, Start::Plan(units), action, Default::default(), tally)
    };
    let sent =
        SentLog::open(&sent_path, request.resume).map_err(|e| format!("cannot write {}: {e}", sent_path.display()))?;
    let mut line = StderrLine::new();
    let mut job =
        BulkJob::new(client.clone(), action, request.operation.name().to_owned(), request.format, sent, |p| {
            line.update(|| progress::render(p))
        })
        .resuming(tally, uncertain);
    let io_error = |source| Error::Io { what: "the results".into(), source };
    let result =
        job::run(&mut job, start, request.parallel, &job::Pause::default(), &mut out, Some(&mut journal), io_error)
            .await;
    let (tally, elapsed) = (job.tally().clone(), job.elapsed());
    let sent = job.into_sent_log();
    line.clear();
    if let Err(e) = result {
        return Err(format!(
            "{e}. The job stopped after {} of {} users; what was done is recorded with a checkpoint beside {shown}. \
             To continue where it stopped, run: {}",
            thousands(tally.done()),
            thousands(tally.total),
            resume_command(command_line)
        ));
    }
    files.finish(journal, out).map_err(|e| e.to_string())?;
    if let Some(sent) = sent {
        let _ = sent.remove();
    }
    eprintln!(
        "oktui: {}: {} changed, {} unchanged, {} skipped, {} failed in {:.1} s; results in {shown}",
        request.operation.name(),
        thousands(tally.changed),
        thousands(tally.unchanged),
        thousands(tally.skipped),
        thousands(tally.failed),
        elapsed.as_secs_f64()
    );
    if tally.failed > 0 {
        return Err(format!("{} users failed; their errors are in {shown}", thousands(tally.failed)));
    }
    Ok(tally)
}

/// `.NAME.sent` beside the results.
fn sent_log_path(results: &Path) -> PathBuf {
    let name = results.file_name().map_or_else(|| "job".into(), |n| n.to_string_lossy().into_owned());
    results.parent().unwrap_or(Path::new("")).join(format!(".{name}.sent"))
}

/// What decides a job's results: a resume must repeat it.
fn arguments(org: &str, request: &BulkRequest, action: &Value) -> Value {
    json!({
        "org": org,
        "operation": request.operation.to_string(),
        "selection": request.selection.describe(),
        "format": request.format.name(),
        "action": action,
    })
}

/// Asks before acting: a destructive operation needs the number of users
/// typed, any other a yes.
fn confirm(plan: &Plan, input: &mut dyn BufRead) -> Result<(), String> {
    let count = plan.change.count;
    if plan.destructive {
        eprint!(
            "{} is destructive. Type the number of users to change ({}) to go ahead: ",
            plan.operation,
            thousands(count)
        );
    } else {
        eprint!("Change {} users? [y/N] ", thousands(count));
    }
    let mut answer = String::new();
    input.read_line(&mut answer).map_err(|e| format!("cannot read the answer: {e}"))?;
    let answer = answer.trim();
    let yes = if plan.destructive {
        answer.replace([',', '_'], "") == count.to_string()
    } else {
        matches!(answer, "y" | "Y" | "yes" | "YES" | "Yes")
    };
    if yes { Ok(()) } else { Err("not confirmed: nothing was changed".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(destructive: bool) -> Plan {
        let mut plan = Plan::new("deactivate".into(), "search: x".into(), destructive);
        for i in 0..1_234 {
            plan.count(&format!("u{i}"), &super::super::plan::Decision::Change);
        }
        plan
    }

    #[test]
    fn destructive_operations_need_the_number_typed() {
        assert!(confirm(&plan(true), &mut "1,234\n".as_bytes()).is_ok());
        assert!(confirm(&plan(true), &mut "1234\n".as_bytes()).is_ok());
        assert!(confirm(&plan(true), &mut "y\n".as_bytes()).is_err());
        assert!(confirm(&plan(true), &mut "".as_bytes()).is_err());
        assert!(confirm(&plan(false), &mut "y\n".as_bytes()).is_ok());
        assert!(confirm(&plan(false), &mut "n\n".as_bytes()).is_err());
    }
}
