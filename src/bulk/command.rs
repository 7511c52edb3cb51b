//! `oktui bulk`: plan, confirm, run as a resumable job, summary. The plan
//! goes to stdout, the prompt, progress and summary to stderr; the exit
//! status is non-zero when any user failed.

use super::action::Action;
use super::job::Tally;
use super::operation::Operation;
use super::plan::{Plan, render};
use super::progress;
use super::results::Format;
use super::run::{self, Described, Ran};
use super::survey::{Selection, Surveyed, survey};
use crate::display::StderrLine;
use crate::display::thousands;
use crate::export::command::resume_command;
use crate::job::{Header, JobFiles, Pause};
use crate::okta::{Client, Priority};
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::PathBuf;

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
    let shown = path.display();
    let org = client.org_url().to_string();
    let ready = if request.resume {
        if !files.unfinished() {
            return Err(format!("there is no unfinished bulk job writing {shown} to resume; run it without --resume"));
        }
        run::resume(&path, |header| same_arguments(header, &org, request, &files))?
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
        let job = Described {
            org,
            operation: request.operation.to_string(),
            selection: request.selection.describe(),
            format: request.format,
            action,
            started: jiff::Timestamp::now().to_string(),
        };
        run::begin(&path, job, units, plan.total)?
    };
    let mut line = StderrLine::new();
    let ran =
        run::execute(&client, ready, request.parallel, &Pause::default(), |p| line.update(|| progress::render(p)))
            .await;
    line.clear();
    let Ran { tally, elapsed } = ran.map_err(|stopped| {
        format!(
            "{}. The job stopped after {} of {} users; what was done is recorded with a checkpoint beside {shown}. \
             To continue where it stopped, run: {}",
            stopped.error,
            thousands(stopped.tally.done()),
            thousands(stopped.tally.total),
            resume_command(command_line)
        )
    })?;
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

/// A resume must repeat what decides a job's results.
fn same_arguments(header: &Header, org: &str, request: &BulkRequest, files: &JobFiles) -> Result<(), String> {
    let wanted = json!({
        "org": org,
        "operation": request.operation.to_string(),
        "selection": request.selection.describe(),
        "format": request.format.name(),
    });
    let fields = ["org", "operation", "selection", "format"];
    if header.kind == run::KIND && fields.iter().all(|f| header.args.get(*f) == wanted.get(*f)) {
        return Ok(());
    }
    Err(format!(
        "the unfinished job writing {} was started with other arguments ({}); resume it with the same ones, or \
         delete {} and {} to start over",
        files.target.display(),
        fields
            .iter()
            .map(|f| format!("{f} {}", header.args.get(*f).unwrap_or(&Value::Null)))
            .collect::<Vec<_>>()
            .join(", "),
        files.journal.display(),
        files.partial.display()
    ))
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
