//! The import screen (`i`): a path prompt with completion and the
//! import's options, then the file's problems or its plan, a confirmation,
//! the job's progress and its results. Plain data; the handling is in
//! `update::import`, the file and network work in the driver, which hands
//! the app what it read (never the file's cells: they may hold passwords).

use super::ReqId;
use crate::import::{Kind, Options, Problem, Progress};
use jiff::Timestamp;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tui_input::Input;

/// One option's flag within `Options`.
pub type Flag = fn(&mut Options) -> &mut bool;

/// The options as the prompt lists them: each toggled by Space.
pub const OPTIONS: [(&str, Flag); 6] = [
    ("update existing users (only the columns in the file)", |o| &mut o.update_existing),
    ("activate new users (Okta's import leaves them staged)", |o| &mut o.activate),
    ("provider: no password, sign in through an identity provider", |o| &mut o.provider),
    ("change the password at next sign-in (needs activate)", |o| &mut o.next_login_change_password),
    ("send the activation email (needs activate)", |o| &mut o.send_email),
    ("skip invalid rows instead of refusing the file", |o| &mut o.skip_invalid),
];

/// The import screen and any import running; one at a time.
#[derive(Debug)]
pub struct Import {
    /// Hidden while a job runs in the background; `i` shows it again.
    pub shown: bool,
    pub step: Step,
}

impl Import {
    /// Whether work is under way (drives the spinner).
    pub fn is_busy(&self) -> bool {
        match &self.step {
            Step::Reading { .. } => true,
            Step::Running(running) => running.paused_since.is_none(),
            _ => false,
        }
    }
}

#[derive(Debug)]
pub enum Step {
    Prompt(Prompt),
    /// Reading the file and the org, checking and planning.
    Reading {
        req: ReqId,
        prompt: Prompt,
    },
    Problems {
        prompt: Prompt,
        problems: Vec<Problem>,
        scroll: usize,
    },
    Plan(Box<PlanView>),
    Running(Box<Running>),
    Done(Box<Finished>),
}

/// The path being typed, what Tab found, and the options.
#[derive(Debug, Clone, Default)]
pub struct Prompt {
    pub path: Input,
    /// Names that complete what is typed, when there is more than one.
    pub candidates: Vec<String>,
    /// The listing asked for by the last Tab.
    pub completing: Option<ReqId>,
    pub options: Options,
    /// 0 is the path; 1..=6 the options.
    pub focus: usize,
    pub error: Option<String>,
}

/// One entry of a directory, as the driver listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub dir: bool,
}

/// One row of the plan as shown: what happens, and the attribute changes
/// (`department: "Sales" → "Engineering"`) or the row's problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRow {
    pub row: usize,
    pub kind: Kind,
    pub login: String,
    pub details: Vec<String>,
}

/// What reading a file gave: its problems, and its plan unless the header
/// was wrong.
#[derive(Debug)]
pub struct Read {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
    pub rows: Vec<PlanRow>,
    pub loaded: LoadedFile,
}

/// The file as read, handed back to the driver to run. Opaque to the app:
/// its cells may hold passwords, so it is neither shown nor printed.
/// The default holds no file (a plan the driver did not read).
#[derive(Clone, Default)]
pub struct LoadedFile(Arc<Mutex<Option<crate::import::Loaded>>>);

impl LoadedFile {
    pub fn new(loaded: crate::import::Loaded) -> Self {
        Self(Arc::new(Mutex::new(Some(loaded))))
    }

    /// The file, once: a plan runs at most once.
    pub fn take(&self) -> Option<crate::import::Loaded> {
        self.0.lock().ok()?.take()
    }
}

impl std::fmt::Debug for LoadedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoadedFile(..)")
    }
}

/// The plan, its filter and the question before writing.
#[derive(Debug)]
pub struct PlanView {
    pub prompt: Prompt,
    pub read: Read,
    /// `None` shows every kind.
    pub filter: Option<Kind>,
    pub scroll: usize,
    pub confirming: bool,
}

impl PlanView {
    pub fn count(&self, kind: Kind) -> usize {
        self.read.rows.iter().filter(|r| r.kind == kind).count()
    }

    pub fn writes(&self) -> usize {
        self.count(Kind::Create) + self.count(Kind::Update)
    }

    /// The rows the filter lets through.
    pub fn shown(&self) -> impl Iterator<Item = &PlanRow> {
        self.read.rows.iter().filter(|r| self.filter.is_none_or(|k| r.kind == k))
    }
}

/// The job under way.
#[derive(Debug)]
pub struct Running {
    pub req: ReqId,
    pub path: PathBuf,
    pub results: PathBuf,
    pub started: Timestamp,
    pub progress: Progress,
    pub cancelling: bool,
    /// `p`: since when no row is started, until `p` again.
    pub paused_since: Option<Timestamp>,
}

impl Running {
    /// Rows written per second of running so far; `None` before the first.
    pub fn rate(&self, now: Timestamp) -> Option<f64> {
        let seconds = self.paused_since.unwrap_or(now).duration_since(self.started).as_secs_f64();
        (self.progress.done > 0 && seconds > 0.0).then(|| self.progress.done as f64 / seconds)
    }

    /// Seconds left at the rate so far; none while paused.
    pub fn eta(&self, now: Timestamp) -> Option<f64> {
        if self.paused_since.is_some() {
            return None;
        }
        let left = self.progress.total.saturating_sub(self.progress.done) as f64;
        self.rate(now).map(|rate| left / rate)
    }
}

/// How an import ended.
#[derive(Debug)]
pub struct Finished {
    pub path: PathBuf,
    pub results: PathBuf,
    pub outcome: Result<crate::import::Summary, String>,
}

/// The file and directory work the import screen asks the driver for.
#[derive(Debug, Clone)]
pub enum ImportEffect {
    /// The entries of `dir` (`.` for the working directory).
    List { req: ReqId, dir: PathBuf },
    /// Read and check the file against the org and plan it; writes nothing.
    Read { req: ReqId, path: PathBuf, options: Options },
    /// Run the plan read before, with progress.
    Run { req: ReqId, loaded: LoadedFile, options: Options, results: PathBuf },
    /// Stop the job where it is; its checkpoint stays for `--resume`.
    Cancel,
    /// Hold the job (start no more rows), or let it go on.
    Pause { paused: bool },
}

impl ImportEffect {
    pub fn req(&self) -> Option<ReqId> {
        match self {
            ImportEffect::List { req, .. } | ImportEffect::Read { req, .. } | ImportEffect::Run { req, .. } => {
                Some(*req)
            }
            ImportEffect::Cancel | ImportEffect::Pause { .. } => None,
        }
    }
}

#[derive(Debug)]
pub enum ImportResult {
    Listed(Result<Vec<Entry>, String>),
    Read(Result<Read, String>),
    Progress(Progress),
    Ran(Result<crate::import::Summary, String>),
}

/// The plan as the app shows it, from what the driver read.
pub fn plan_rows(loaded: &crate::import::Loaded) -> Vec<PlanRow> {
    loaded
        .planned
        .iter()
        .map(|p| {
            let details = match p.kind {
                Kind::Invalid => loaded
                    .problems
                    .iter()
                    .filter(|pr| pr.row == p.row)
                    .map(|pr| format!("{}: {}", pr.column.as_deref().unwrap_or("row"), pr.message))
                    .collect(),
                Kind::Create | Kind::Unchanged => Vec::new(),
                Kind::Update | Kind::Existing => {
                    p.diff(|g| loaded.group_name(g)).split("; ").map(str::to_owned).collect()
                }
            };
            PlanRow { row: p.row, kind: p.kind, login: p.login.clone(), details }
        })
        .collect()
}

/// What Tab does with the typed path and the entries of its directory:
/// the completed path, and the candidates when more than one matches.
pub fn complete(typed: &str, entries: &[Entry]) -> (String, Vec<String>) {
    let (dir, prefix) = split_path(typed);
    let mut matches: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.name.starts_with(prefix) && (!e.name.starts_with('.') || prefix.starts_with('.')))
        .collect();
    matches.sort_by(|a, b| a.name.cmp(&b.name));
    let shown = |e: &Entry| if e.dir { format!("{}/", e.name) } else { e.name.clone() };
    match matches.as_slice() {
        [] => (typed.to_owned(), Vec::new()),
        [only] => (format!("{dir}{}", shown(only)), Vec::new()),
        many => {
            let common = many.iter().skip(1).fold(many[0].name.clone(), |common, e| {
                common.chars().zip(e.name.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect()
            });
            (format!("{dir}{common}"), many.iter().map(|e| shown(e)).collect())
        }
    }
}

/// `data/us` → (`data/`, `us`); `us` → (``, `us`).
pub fn split_path(typed: &str) -> (&str, &str) {
    match typed.rfind('/') {
        Some(at) => typed.split_at(at + 1),
        None => ("", typed),
    }
}

/// The directory to list for `typed`.
pub fn dir_of(typed: &str) -> PathBuf {
    match split_path(typed).0 {
        "" => PathBuf::from("."),
        dir => PathBuf::from(dir),
    }
}
