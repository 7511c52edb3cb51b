//! The import as a job (see `crate::job`): one unit per row that writes
//! (a create or an update), run at job priority under the rate governor,
//! each finished row a line of the results file.
//!
//! A unit names its row and what the plan decided, never a secret: the
//! password and recovery answer are read again from the file on a resume.
//! A create whose answer was lost is looked up by the client; a create
//! refused because the login exists (the first try landed before a crash,
//! and the journal had not yet counted it) is resolved by reading that
//! user: holding the row's values, it is the row's user, created once.

use super::results::{Outcome, ResultKind};
use super::validate::Prepared;
use super::{Error, Options};
use crate::job::{Follow, Job};
use crate::okta::{self, Client, CreateUser, LifecycleOp, LifecycleOptions, Priority};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::future::Future;
use std::io::Write;
use std::sync::Arc;

/// One row to write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    /// The row's place in the table.
    pub index: usize,
    pub action: Action,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Action {
    Create,
    /// A partial update of `to`, made only while the user still holds
    /// `from` (what the plan saw), then the groups to join.
    Update {
        id: String,
        from: Map<String, Value>,
        to: Map<String, Value>,
        join: Vec<String>,
    },
}

/// Counts a resumed import continues from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tally {
    pub created: u64,
    pub updated: u64,
    pub failed: u64,
}

/// How far a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

pub struct ImportJob<F> {
    shared: Arc<Shared>,
    /// Where the results go, for errors writing them.
    path: std::path::PathBuf,
    pub tally: Tally,
    pub writer: super::results::ResultsWriter,
    total: u64,
    progress: F,
}

struct Shared {
    client: Client,
    rows: Vec<Option<Prepared>>,
    options: Options,
}

impl<F: FnMut(Progress)> ImportJob<F> {
    pub fn new(
        client: &Client,
        rows: Vec<Option<Prepared>>,
        options: Options,
        writer: super::results::ResultsWriter,
        path: &std::path::Path,
        total: u64,
        progress: F,
    ) -> Self {
        let client = client.with_priority(Priority::Job);
        let shared = Arc::new(Shared { client, rows, options });
        Self { shared, path: path.to_owned(), tally: Tally::default(), writer, total, progress }
    }
}

impl<F: FnMut(Progress)> Job for ImportJob<F> {
    type Unit = Step;
    type Done = Outcome;
    type Tally = Tally;
    type Error = Error;

    fn step(&self, step: Step) -> impl Future<Output = Result<Outcome, Error>> + Send + 'static {
        let shared = self.shared.clone();
        async move {
            let Some(row) = shared.rows.get(step.index).cloned().flatten() else {
                return Err(Error::Invalid(format!("row {} of the plan is no longer valid in the file", step.index)));
            };
            // A create or an update whose outcome is uncertain (a lost
            // answer, a 5xx) is simply run again: a create that landed is
            // then found by its login, an update that landed already holds.
            let mut tries = 0;
            let result = loop {
                let result = match &step.action {
                    Action::Create => create(&shared, &row).await,
                    Action::Update { id, from, to, join } => update(&shared.client, id, from, to, join).await,
                };
                match result {
                    Err(e) if e.is_uncertain() && tries < okta::JOB_MIN_RETRIES => {
                        tries += 1;
                        tracing::info!(error = %e, "an import step's outcome is uncertain; running it again");
                        tokio::time::sleep(crate::job::backoff(tries)).await;
                    }
                    other => break other,
                }
            };
            match result {
                Ok((kind, id)) => Ok(Outcome { index: step.index, kind, id: Some(id), error: None }),
                Err(e) if row_failure(&e) => {
                    let id = match &step.action {
                        Action::Update { id, .. } => Some(id.clone()),
                        Action::Create => None,
                    };
                    Ok(Outcome { index: step.index, kind: ResultKind::Failed, id, error: Some(okta_error(&e)) })
                }
                Err(e) => Err(Error::Org(e)),
            }
        }
    }

    fn follow(&mut self, _: &Step, _: &Outcome, _: usize) -> Follow<Step> {
        Follow { then: Vec::new(), keep: true }
    }

    fn write(&mut self, done: Outcome, out: &mut dyn Write) -> Result<(), Error> {
        match done.kind {
            ResultKind::Created => self.tally.created += 1,
            ResultKind::Updated => self.tally.updated += 1,
            ResultKind::Failed => self.tally.failed += 1,
            _ => {}
        }
        self.writer.write(out, &done).map_err(|source| Error::Results { path: self.path.clone(), source })?;
        let done = self.tally.created + self.tally.updated + self.tally.failed;
        (self.progress)(Progress { done, total: self.total });
        Ok(())
    }

    fn tally(&self) -> Tally {
        self.tally.clone()
    }
}

async fn create(shared: &Shared, row: &Prepared) -> Result<(ResultKind, String), okta::Error> {
    let options = &shared.options;
    let mut create = CreateUser::new(row.profile.clone());
    create.credentials = row.credentials.clone();
    create.group_ids = row.group_ids.clone();
    create.type_id = row.type_id.clone();
    // An activation email is sent by the activate operation, not by create.
    create.activate = options.activate && !options.send_email;
    create.next_login_change_password = options.next_login_change_password;
    let client = &shared.client;
    let user = match client.create_user(&create).await {
        Ok(user) => user,
        Err(e) if login_taken(&e) => match client.get_user(&row.login).await {
            Ok(user) if holds(&user, &row.profile) => user,
            _ => return Err(e),
        },
        Err(e) => return Err(e),
    };
    if options.send_email && user.status_str() == "STAGED" {
        let activate = LifecycleOptions { send_email: Some(true), revoke_sessions: None };
        client.run_lifecycle(user.id(), LifecycleOp::Activate, &activate).await?;
    }
    Ok((ResultKind::Created, user.id().to_owned()))
}

async fn update(
    client: &Client,
    id: &str,
    from: &Map<String, Value>,
    to: &Map<String, Value>,
    join: &[String],
) -> Result<(ResultKind, String), okta::Error> {
    if !to.is_empty() {
        let read = client.read_user(id).await?;
        // Already as the file says: a resumed update that had landed.
        if !holds(&read.user, to) {
            if !holds(&read.user, from) {
                return Err(okta::Error::Refused(
                    "the user changed since the plan was made; run the import again to see the new difference".into(),
                ));
            }
            let etag = read.etag.unwrap_or_else(|| okta::ETag::new("*"));
            client.update_profile(id, &etag, to).await?;
        }
    }
    for group in join {
        client.add_user_to_group(group, id).await?;
    }
    Ok((ResultKind::Updated, id.to_owned()))
}

/// Whether the profile holds each of `values` (numbers by value).
fn holds(user: &okta::User, values: &Map<String, Value>) -> bool {
    let empty = Map::new();
    let profile = user.profile().unwrap_or(&empty);
    values.iter().all(|(k, v)| super::plan::same(profile.get(k).unwrap_or(&Value::Null), v))
}

fn login_taken(e: &okta::Error) -> bool {
    e.api().is_some_and(|api| {
        api.is_code("E0000001")
            && api.field_causes().iter().any(|(f, m)| *f == Some("login") && m.contains("already exists"))
    })
}

/// A failure of this row alone (the org refused it), recorded in the
/// results; anything else (the org unreachable, out of retries) stops the
/// job so that it can be resumed.
fn row_failure(e: &okta::Error) -> bool {
    matches!(e.root(), okta::Error::Refused(_) | okta::Error::ChangedMeanwhile(_))
        || e.api().is_some_and(|api| (400..500).contains(&api.status) && api.status != 429)
}

/// Okta's code and summary with its causes: `E0000001 Api validation failed: login (…)`.
fn okta_error(e: &okta::Error) -> String {
    match e.api() {
        Some(api) => {
            let mut text = format!("{} {}", api.code.as_deref().unwrap_or("HTTP"), api.summary.trim_end_matches('.'));
            if !api.causes.is_empty() {
                text.push_str(&format!(" ({})", api.causes.join("; ")));
            }
            text
        }
        None => e.to_string(),
    }
}
