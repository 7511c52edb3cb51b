//! Runs effects on tokio tasks and sends their results back as messages.
//!
//! Requests of the same kind are latest-wins: starting a new list or
//! detail fetch aborts the one still running (the client's futures are
//! cancel-safe), so a fast typist never queues a backlog of searches.

use crate::app::export::Exported;
use crate::app::timeline::LogPage;
use crate::app::{ApiResult, Created, Effect, Msg, PageFrom, ReqId};
use crate::export::{self, ExportRequest, Format, Progress, Query};
use crate::okta::{Client, CreateUser, Error, GroupQuery, LifecycleOp, LifecycleOptions, PageStart};
use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    List,
    Detail,
    Groups,
    GroupSearch,
    /// The import job: one at a time, and cancel stops it.
    Import,
    BulkJob,
    Timeline,
    TimelinePoll,
}

pub struct Runner {
    client: Client,
    tx: UnboundedSender<Msg>,
    running: HashMap<Slot, AbortHandle>,
    /// The switches of the jobs that can be paused, by the slot they run in.
    pauses: HashMap<Slot, crate::job::Pause>,
    /// Asks the running bulk job to stop and end where it is.
    bulk_stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Runner {
    pub fn new(client: Client, tx: UnboundedSender<Msg>) -> Self {
        Self { client, tx, running: HashMap::new(), pauses: HashMap::new(), bulk_stop: None }
    }

    pub fn rate_wait(&self) -> Option<crate::okta::RateWait> {
        self.client.rate_wait()
    }

    /// Starts the work for a network or timer effect. Terminal effects
    /// (copy, redraw, suspend, quit) are the event loop's.
    pub fn spawn(&mut self, effect: Effect) {
        let client = self.client.clone();
        match effect {
            Effect::FetchPage { req, from } => self.run(Some(Slot::List), req, async move {
                ApiResult::Page(match &from {
                    PageFrom::First(q) => client.list_users_page(PageStart::First(q)).await,
                    PageFrom::Next(url) => client.list_users_page(PageStart::Next(url)).await,
                })
            }),
            Effect::FetchUser { req, id } => {
                self.run(Some(Slot::Detail), req, async move { ApiResult::User(client.get_user(&id).await) })
            }
            Effect::Lookup { req, key } => {
                self.run(None, req, async move { ApiResult::Lookup(client.get_user(&key).await) })
            }
            Effect::FetchMe { req } => self.run(None, req, async move { ApiResult::Me(client.get_user("me").await) }),
            Effect::CreateUser { req, create, activate_without_email } => self.run(None, req, async move {
                ApiResult::Created(create_user(&client, create, activate_without_email).await)
            }),
            Effect::SearchGroups { req, q } => self.run(Some(Slot::GroupSearch), req, async move {
                let query = GroupQuery { q: (!q.is_empty()).then_some(q), limit: Some(50), ..GroupQuery::default() };
                ApiResult::GroupSearch(client.list_groups_page(PageStart::First(&query)).await.map(|p| p.items))
            }),
            Effect::FetchGroups { req, user_id } => {
                self.run(Some(Slot::Groups), req, async move { ApiResult::Groups(client.user_groups(&user_id).await) })
            }
            Effect::FetchSchema { req } => {
                self.run(None, req, async move { ApiResult::Schema(client.get_user_schema("default").await) })
            }
            Effect::FetchTypes { req } => {
                self.run(None, req, async move { ApiResult::Types(client.list_user_types().await) })
            }
            Effect::RunLifecycle { req, user_id, op, link, options } => self.run(None, req, async move {
                ApiResult::Lifecycle(match link {
                    Some(link) => client.run_link(&link, &options).await,
                    None => client.run_lifecycle(&user_id, op, &options).await,
                })
            }),
            Effect::Export { req, query, format, file } => {
                let tx = self.tx.clone();
                self.run(None, req, async move {
                    let progress = move |p: &Progress| {
                        let _ = tx.send(Msg::Api(req, ApiResult::ExportProgress(p.users)));
                    };
                    ApiResult::Exported(export_users(&client, query, format, file, progress).await)
                })
            }
            Effect::FetchLogs { req, page, follow } => {
                let slot = if follow { Slot::TimelinePoll } else { Slot::Timeline };
                let client = if follow { client.with_priority(crate::okta::Priority::Job) } else { client };
                self.run(Some(slot), req, async move {
                    ApiResult::Logs(match &page {
                        LogPage::First(query) => client.list_logs_page(PageStart::First(query)).await,
                        LogPage::Next(url) => client.list_logs_page(PageStart::Next(url)).await,
                    })
                })
            }
            Effect::ReadUserForEdit { req, id } => {
                self.run(None, req, async move { ApiResult::Edit(client.read_user(&id).await) })
            }
            Effect::UpdateProfile { req, id, etag, changes } => {
                self.run(None, req, async move { ApiResult::Edit(client.update_profile(&id, &etag, &changes).await) })
            }
            Effect::Schedule { after, timer } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(Msg::Timer(timer));
                });
            }
            Effect::Tab(effect) => {
                let req = effect.req();
                self.run(None, req, super::tab_effects::work(client, effect))
            }
            Effect::Import(crate::app::import::ImportEffect::Cancel) => {
                // Like a crash for the job: its journal keeps what was done.
                if let Some(job) = self.running.remove(&Slot::Import) {
                    job.abort();
                }
            }
            Effect::Import(crate::app::import::ImportEffect::Pause { paused }) => {
                if let Some(pause) = self.pauses.get(&Slot::Import) {
                    pause.set(paused);
                }
            }
            Effect::Import(effect) => {
                let slot = matches!(effect, crate::app::import::ImportEffect::Run { .. }).then_some(Slot::Import);
                let pause = crate::job::Pause::default();
                if slot.is_some() {
                    self.pauses.insert(Slot::Import, pause.clone());
                }
                let req = effect.req().unwrap_or(ReqId(0));
                self.run(slot, req, super::import_effects::work(client, effect, self.tx.clone(), pause))
            }
            Effect::Bulk(effect) => self.bulk(client, effect),
            Effect::Copy(_) | Effect::OpenUrl(_) | Effect::Redraw | Effect::Suspend | Effect::Quit => {}
        }
    }

    fn bulk(&mut self, client: Client, effect: crate::app::bulk::BulkEffect) {
        use super::bulk_effects::{self as bulk, Run};
        use crate::app::bulk::BulkEffect;
        match effect {
            BulkEffect::Survey { req, operation, users } => self.run(None, req, bulk::survey(client, operation, users)),
            BulkEffect::Run { req, operation, selection, action, units, results } => {
                let pause = crate::job::Pause::default();
                self.pauses.insert(Slot::BulkJob, pause.clone());
                let run = Run { req, operation, selection, action, units, results, pause };
                let (stop, stopped) = tokio::sync::oneshot::channel();
                self.bulk_stop = Some(stop);
                self.run(Some(Slot::BulkJob), req, bulk::run(client, self.tx.clone(), run, stopped));
            }
            // The job ends itself where it is, so that its results are
            // in its file; aborted, it would be left to resume.
            BulkEffect::Cancel { .. } => {
                self.pauses.remove(&Slot::BulkJob);
                if let Some(stop) = self.bulk_stop.take() {
                    let _ = stop.send(());
                }
            }
            BulkEffect::Pause { paused, .. } => {
                if let Some(pause) = self.pauses.get(&Slot::BulkJob) {
                    pause.set(paused);
                }
            }
            BulkEffect::FindUnfinished { req, dir } => self.run(None, req, bulk::find_unfinished(client, dir)),
            BulkEffect::Resume { req, results } => {
                let pause = crate::job::Pause::default();
                self.pauses.insert(Slot::BulkJob, pause.clone());
                let (stop, stopped) = tokio::sync::oneshot::channel();
                self.bulk_stop = Some(stop);
                let resume = bulk::resume(client, self.tx.clone(), req, results, stopped, pause);
                self.run(Some(Slot::BulkJob), req, resume);
            }
            BulkEffect::Discard { req, results } => self.run(None, req, bulk::discard(results)),
        }
    }

    fn run(&mut self, slot: Option<Slot>, req: ReqId, work: impl Future<Output = ApiResult> + Send + 'static) {
        let tx = self.tx.clone();
        let client = self.client.clone();
        let task = tokio::spawn(async move {
            let result = work.await;
            let _ = tx.send(Msg::Api(req, result));
            if let Some(budget) = client.rate_budget() {
                let _ = tx.send(Msg::Budget(budget));
            }
        });
        if let Some(slot) = slot
            && let Some(previous) = self.running.insert(slot, task.abort_handle())
        {
            previous.abort();
        }
    }
}

/// Partitions an export from the TUI pages at once: half the client's
/// default cap, so the list and the detail pane still get their turn.
const EXPORT_PARALLEL: usize = 4;

async fn export_users(
    client: &Client,
    query: Query,
    format: Format,
    file: PathBuf,
    progress: impl FnMut(&Progress) + Send,
) -> Result<Exported, export::Error> {
    let request = ExportRequest::new(query, format, EXPORT_PARALLEL)?;
    let path = std::path::absolute(&file).unwrap_or(file);
    let summary = export::export_to_file(client, &request, &path, progress).await?;
    if summary.users == 0 {
        // An empty file only looks like a result; the app says nothing matched.
        let _ = std::fs::remove_file(&path);
    }
    Ok(Exported { path, summary })
}

/// Creates the user; with `activate_without_email`, creates it staged and
/// then activates it with `sendEmail=false`, so the admin gets the
/// activation link instead of Okta emailing the user.
async fn create_user(client: &Client, mut create: CreateUser, activate_without_email: bool) -> Result<Created, Error> {
    if !activate_without_email {
        return client.create_user(&create).await.map(|user| Created { user, activation: None });
    }
    create.activate = false;
    let staged = client.create_user(&create).await?;
    let options = LifecycleOptions { send_email: Some(false), revoke_sessions: None };
    let activation = client.run_lifecycle(staged.id(), LifecycleOp::Activate, &options).await;
    let user = match activation {
        Ok(_) => client.get_user(staged.id()).await.unwrap_or(staged),
        Err(_) => staged,
    };
    Ok(Created { user, activation: Some(activation) })
}
