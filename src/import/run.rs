//! Plan → job → results. [`prepare`] reads the file and the org and plans
//! without writing; [`run`] carries the plan out as a journaled job (see
//! `crate::job`) whose results replace the results file only when every
//! row is done, or continues an unfinished one with `resume`.

use super::columns::{self, Column};
use super::job::{Action, ImportJob, Progress, Step, Tally};
use super::org::{self, OrgFacts};
use super::plan::{self, Kind, Planned};
use super::read::{self, Table};
use super::results::{Outcome, ResultKind, ResultsWriter};
use super::validate::{self, Prepared};
use super::{Error, Options, Problem};
use crate::job::{self, Header, JobFiles, Start};
use crate::okta::{Client, Priority};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const KIND: &str = "import";

/// Rows written at once; the governor paces them to the budget.
pub const PARALLEL: usize = 8;

/// A file read, checked and planned.
pub struct Loaded {
    pub path: PathBuf,
    pub table: Table,
    pub columns: Vec<Column>,
    pub facts: OrgFacts,
    pub prepared: Vec<Option<Prepared>>,
    /// Every problem, by row; empty when the file is valid.
    pub problems: Vec<Problem>,
    /// Empty when the header has problems, or for a resume.
    pub planned: Vec<Planned>,
    /// SHA-256 of the file: a resume must see the same file.
    pub digest: String,
}

impl Loaded {
    pub fn count(&self, kind: Kind) -> usize {
        self.planned.iter().filter(|p| p.kind == kind).count()
    }

    pub fn group_name(&self, id: &str) -> String {
        self.facts.groups.iter().find(|g| g.id() == id).map_or_else(|| id.to_owned(), |g| g.name().to_owned())
    }
}

/// Reads `path` and the org, checks every row and, with `plan`, looks the
/// logins up and plans each row. Sends no write.
pub async fn prepare(
    client: &Client,
    path: &Path,
    sheet: Option<&str>,
    options: &Options,
    plan: bool,
) -> Result<Loaded, Error> {
    let bytes = std::fs::read(path).map_err(|source| read::ReadError::Io { path: path.to_owned(), source })?;
    let digest = hex(ring::digest::digest(&ring::digest::SHA256, &bytes).as_ref());
    let table = read::read(path, sheet)?;
    let client = client.with_priority(Priority::Job);
    let facts = OrgFacts::load(&client).await?;
    let mut loaded = Loaded {
        path: path.to_owned(),
        columns: Vec::new(),
        prepared: Vec::new(),
        problems: Vec::new(),
        planned: Vec::new(),
        digest,
        facts,
        table,
    };
    let required: Vec<String> = loaded
        .facts
        .default_type()
        .map(|t| t.attributes.iter().filter(|a| a.required && !a.read_only).map(|a| a.name.clone()).collect())
        .unwrap_or_default();
    let (columns, header_problems) =
        columns::columns(&loaded.table.headers, &loaded.facts.attribute_names(), &required);
    loaded.columns = columns;
    let checked = validate::validate(&loaded.table, &loaded.columns, &loaded.facts, options);
    loaded.prepared = checked.prepared;
    loaded.problems = header_problems;
    loaded.problems.extend(checked.problems);
    if !loaded.problems.is_empty() && loaded.problems[0].row == 1 {
        // Nothing can be planned from a header that is wrong.
        return Ok(loaded);
    }
    if !plan {
        return Ok(loaded);
    }
    let logins: Vec<String> = loaded.prepared.iter().flatten().map(|p| p.login.clone()).collect();
    let existing = org::users_by_login(&client, &logins).await?;
    let groups: BTreeSet<String> = loaded
        .prepared
        .iter()
        .flatten()
        .filter(|p| existing.contains_key(&p.login.to_lowercase()))
        .flat_map(|p| p.group_ids.iter().cloned())
        .collect();
    let members = org::members(&client, &groups).await?;
    let numbers: Vec<usize> = loaded.table.rows.iter().map(|r| r.number).collect();
    let default_type = loaded.facts.default_type().map(|t| t.id.clone());
    loaded.planned =
        plan::plan(&loaded.prepared, &numbers, &existing, &members, default_type.as_deref(), options.update_existing);
    for p in &loaded.planned {
        if let Some(note) = &p.note {
            loaded.problems.push(Problem {
                row: p.row,
                column: Some("userType".into()),
                value: None,
                message: note.clone(),
            });
        }
    }
    loaded.problems.sort_by_key(|p| p.row);
    Ok(loaded)
}

/// `users.csv` → `users.results.csv`, beside it.
pub fn results_path(input: &Path) -> PathBuf {
    let stem = input.file_stem().map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    input.with_file_name(format!("{stem}.results.csv"))
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub failed: u64,
    pub elapsed: Duration,
    pub retries: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged, {} skipped, {} failed in {:.1} s ({} retries)",
            self.created,
            self.updated,
            self.unchanged,
            self.skipped,
            self.failed,
            self.elapsed.as_secs_f64(),
            self.retries
        )
    }
}

/// Carries out `loaded`'s plan (or, with `resume`, the unfinished import
/// of the same file to `results`), writing the results file; `pause`
/// holds it (no row is started while it is set).
pub async fn run<F: FnMut(Progress) + Send>(
    client: &Client,
    loaded: Loaded,
    options: &Options,
    results: &Path,
    resume: bool,
    pause: &job::Pause,
    progress: F,
) -> Result<Summary, Error> {
    let started = Instant::now();
    let retries_before = client.retries();
    let files = JobFiles::beside(results);
    let header = Header::new(KIND, arguments(client, &loaded, options));
    let secret: Vec<bool> = loaded.columns.iter().map(Column::is_secret).collect();
    let cells: Vec<Vec<String>> = loaded.table.rows.iter().map(|r| r.cells.clone()).collect();
    let writer = ResultsWriter::new(loaded.table.headers.clone(), secret, cells);
    let mut fixed = Summary::default();
    let (mut journal, mut out, start, total, tally) = if resume {
        if !files.unfinished() {
            return Err(Error::Invalid(format!(
                "there is no unfinished import to {} to resume; run it without --resume",
                results.display()
            )));
        }
        let (resumed, out) = files.resume::<Step, Resumed>()?;
        if resumed.header != header {
            return Err(Error::Invalid(format!(
                "the unfinished import to {} was started with another file or other options; resume it with the \
                 same ones, or delete {} and {} to start over",
                results.display(),
                files.journal.display(),
                files.partial.display()
            )));
        }
        let (start, tally, total) = match resumed.checkpoint {
            Some(point) => {
                fixed = point.tally.fixed.clone().into();
                (Start::Resume { open: point.open, next_id: point.next_id }, point.tally.job, point.tally.total)
            }
            None => {
                return Err(Error::Invalid(
                    "the unfinished import stopped before its plan was saved; start it again without --resume".into(),
                ));
            }
        };
        (resumed.journal, out, start, total, tally)
    } else {
        if files.unfinished() {
            return Err(Error::Invalid(format!(
                "an unfinished import to {} is waiting: add --resume to continue it, or delete {} and {} to start over",
                results.display(),
                files.journal.display(),
                files.partial.display()
            )));
        }
        let (journal, mut out) = files.create(&header)?;
        let results_error = |source| Error::Results { path: results.to_owned(), source };
        writer.header(&mut out).map_err(results_error)?;
        let mut steps = Vec::new();
        for p in &loaded.planned {
            let outcome = |kind, error: Option<String>| Outcome { index: p.index, kind, id: p.user_id.clone(), error };
            let written = match p.kind {
                Kind::Create => {
                    steps.push(Step { index: p.index, action: Action::Create });
                    None
                }
                Kind::Update => {
                    let from = p.changes.iter().map(|c| (c.attribute.clone(), c.from.clone())).collect();
                    let action = Action::Update {
                        id: p.user_id.clone().unwrap_or_default(),
                        from,
                        to: p.profile_changes(),
                        join: p.join.clone(),
                    };
                    steps.push(Step { index: p.index, action });
                    None
                }
                Kind::Unchanged => {
                    fixed.unchanged += 1;
                    Some(outcome(ResultKind::Unchanged, None))
                }
                Kind::Existing => {
                    fixed.skipped += 1;
                    let why = format!(
                        "exists and differs ({}); --update-existing updates it",
                        p.diff(|g| loaded.group_name(g))
                    );
                    Some(outcome(ResultKind::Skipped, Some(why)))
                }
                Kind::Invalid => {
                    fixed.skipped += 1;
                    let why: Vec<String> = loaded
                        .problems
                        .iter()
                        .filter(|pr| pr.row == p.row)
                        .map(|pr| format!("{}: {}", pr.column.as_deref().unwrap_or("row"), pr.message))
                        .collect();
                    Some(outcome(ResultKind::Skipped, Some(why.join("; "))))
                }
            };
            if let Some(outcome) = written {
                writer.write(&mut out, &outcome).map_err(results_error)?;
            }
        }
        let total = steps.len() as u64;
        (journal, out, Start::Plan(steps), total, Tally::default())
    };
    let mut job = ImportJob::new(client, loaded.prepared, *options, writer, results, total, progress);
    job.tally = tally;
    let mut journaled = Journaled { job, fixed: fixed.clone(), total };
    let result = job::run(&mut journaled, start, PARALLEL, pause, &mut out, Some(&mut journal), |source| {
        Error::Results { path: files.partial.clone(), source }
    })
    .await;
    result?;
    files.finish(journal, out)?;
    let t = &journaled.job.tally;
    Ok(Summary {
        created: t.created,
        updated: t.updated,
        failed: t.failed,
        unchanged: fixed.unchanged,
        skipped: fixed.skipped,
        elapsed: started.elapsed(),
        retries: client.retries() - retries_before,
    })
}

/// The journal's tally: the job's counts, and the rows settled by the plan.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Resumed {
    job: Tally,
    fixed: Fixed,
    total: u64,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Fixed {
    unchanged: u64,
    skipped: u64,
}

impl From<Fixed> for Summary {
    fn from(f: Fixed) -> Self {
        Summary { unchanged: f.unchanged, skipped: f.skipped, ..Summary::default() }
    }
}

/// The import job with what the journal keeps beside its counts.
struct Journaled<F> {
    job: ImportJob<F>,
    fixed: Summary,
    total: u64,
}

impl<F: FnMut(Progress)> job::Job for Journaled<F> {
    type Unit = Step;
    type Done = Outcome;
    type Tally = Resumed;
    type Error = Error;

    fn step(&self, unit: Step) -> impl std::future::Future<Output = Result<Outcome, Error>> + Send + 'static {
        self.job.step(unit)
    }

    fn follow(&mut self, unit: &Step, done: &Outcome, waiting: usize) -> job::Follow<Step> {
        self.job.follow(unit, done, waiting)
    }

    fn write(&mut self, done: Outcome, out: &mut dyn Write) -> Result<(), Error> {
        self.job.write(done, out)
    }

    fn tally(&self) -> Resumed {
        Resumed {
            job: self.job.tally(),
            fixed: Fixed { unchanged: self.fixed.unchanged, skipped: self.fixed.skipped },
            total: self.total,
        }
    }
}

/// What decides an import's results: a resume must repeat all of it.
fn arguments(client: &Client, loaded: &Loaded, options: &Options) -> Value {
    json!({
        "org": client.org_url().to_string(),
        "file": loaded.digest,
        "updateExisting": options.update_existing,
        "activate": options.activate,
        "provider": options.provider,
        "nextLoginChangePassword": options.next_login_change_password,
        "sendEmail": options.send_email,
        "skipInvalid": options.skip_invalid,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
