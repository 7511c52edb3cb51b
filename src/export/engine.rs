//! An export as a job (see `crate::job`): its units are pages, either the
//! request's own listing page after page, or its `search` partitions paged
//! concurrently.
//!
//! A partitioned export first asks for the result's smallest ids (a full
//! page, `sortBy=id`) and its largest id; a result that fits in that page
//! is done. Otherwise the span between them is cut into ranges (more for a
//! larger result, never fewer than `parallel`), and up to `parallel`
//! ranges are paged at once, each following its own `next` links. When no
//! range is left waiting and a newly started one proves larger than a page,
//! it is cut again before its first page is used, so the last ranges do not
//! keep one request in flight while the others sit idle. Under a rate
//! budget that binds, `budget` decides how many ranges are worth their
//! extra requests, or that the sorted first page is followed in sequence.
//!
//! Every request goes at job priority: the admin's own requests (the TUI)
//! come first and keep a share of each bucket.
//!
//! A unit is a page's URL (a `next` link is Okta's cursor), so a journaled
//! export resumes each listing or partition at the page it had reached.

use super::budget::{self, Plan};
use super::partition::{Partition, Span};
use super::{Error, ExportRequest, PAGE_SIZE, Progress, Query, Summary};
use crate::expr::{self, Expr, Matcher, Mode};
use crate::job::{self, Follow, Job};
use crate::okta::{self, Client, Page, Priority, UserQuery};
use reqwest::{Method, Url};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use std::future::Future;
use std::io::Write;
use std::time::Instant;

type RawPage = Page<Box<RawValue>>;

/// A plain listing's set (everyone but DEPROVISIONED users) as a search:
/// Okta has no `ne`, and statuses compare as text.
const NOT_DEPROVISIONED: &str = r#"status lt "DEPROVISIONED" or status gt "DEPROVISIONED""#;

/// Initial ranges per partition paged at once, at most: each range costs
/// the org a scan of its id index, and one short last page.
const MAX_RANGES_PER_WORKER: usize = 4;
/// How many times a range may be cut again after the start.
const MAX_DEPTH: u8 = 3;

/// One page to fetch: of the whole listing (`part` is `None`), or of a
/// partition (`first` tells its first page from the rest).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct PageUnit {
    url: String,
    part: Option<Partition>,
    first: bool,
}

/// The counts a resumed export continues from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Tally {
    users: u64,
    pages: u64,
    discarded: u64,
    partitions: Option<(usize, usize)>,
    estimate: Option<u64>,
    span: Option<Span>,
    recuts: usize,
    /// Whether large ranges may be cut again (not under a binding budget).
    recut: bool,
}

pub(super) struct ExportJob<F> {
    client: Client,
    format: super::Format,
    needs_json: bool,
    /// The query as a `search` that partitions extend (partitioned only).
    base: Option<Expr>,
    /// For a filter run as a search: the filter's own (exact) matching.
    recheck: Option<Matcher>,
    parallel: usize,
    tally: Tally,
    progress: F,
    started: Instant,
    retries_before: u64,
}

impl<F: FnMut(&Progress)> ExportJob<F> {
    pub fn new(client: &Client, request: &ExportRequest, progress: F) -> Self {
        let (base, recheck) = match search_base(request).filter(|_| request.parallel() > 1) {
            Some((base, recheck)) => (Some(base), recheck),
            None => (None, None),
        };
        Self {
            client: client.with_priority(Priority::Job),
            format: request.format().clone(),
            needs_json: request.format().needs_json(),
            parallel: if base.is_some() { request.parallel() } else { 1 },
            base,
            recheck,
            tally: Tally::default(),
            progress,
            started: Instant::now(),
            retries_before: client.retries(),
        }
    }

    /// How many units run at once.
    pub fn parallel(&self) -> usize {
        self.parallel
    }

    /// Continues from a checkpoint's counts.
    pub fn restore(&mut self, tally: Tally) {
        self.tally = tally;
    }

    /// The export's first units; writes what the plan already knows (the
    /// CSV header, or a result that fits in one page).
    pub async fn plan<W: Write + Send>(
        &mut self,
        request: &ExportRequest,
        out: &mut W,
    ) -> Result<Vec<PageUnit>, Error> {
        self.format.header(out).map_err(output_error)?;
        let Some(base) = self.base.clone() else {
            let mut query = UserQuery { limit: Some(PAGE_SIZE), ..UserQuery::default() };
            match request.query() {
                Query::All => {}
                Query::Search(s) => query.search = Some(s.clone()),
                Query::Filter(f) => query.filter = Some(f.clone()),
            }
            let url = listing_url(&self.client, &query).to_string();
            return Ok(vec![PageUnit { url, part: None, first: true }]);
        };
        let text = base.to_string();
        let sorted = |desc: bool, limit: u32| UserQuery {
            search: Some(text.clone()),
            sort_by: Some("id".into()),
            sort_desc: desc,
            limit: Some(limit),
            ..UserQuery::default()
        };
        let client = &self.client;
        let (smallest, largest) = futures::join!(
            fetch(client.clone(), listing_url(client, &sorted(false, PAGE_SIZE))),
            fetch(client.clone(), listing_url(client, &sorted(true, 1)))
        );
        let smallest = smallest.map_err(|e| self.org_error(e))?;
        if smallest.next.is_none() {
            // The whole result fits in one page.
            self.tally.partitions = Some((1, 1));
            self.write_page(&smallest.items, out)?;
            return Ok(Vec::new());
        }
        let largest = largest.map_err(|e| self.org_error(e))?;
        let parts = match (first_id(&smallest.items), first_id(&largest.items), last_id(&smallest.items)) {
            (Some(min), Some(max), Some(last)) => {
                let span = Span::new(&min, &max);
                let estimate = span.estimate(smallest.items.len(), &last);
                self.tally.estimate = Some(estimate as u64);
                self.tally.span = Some(span);
                let pages = estimate / f64::from(PAGE_SIZE);
                let parallel = self.parallel;
                let preferred =
                    ((2.0 * parallel as f64 * pages).sqrt() as usize).clamp(parallel, parallel * MAX_RANGES_PER_WORKER);
                let listing_budget = self.client.job_budget(&Method::GET, "/api/v1/users");
                let plan = budget::plan(listing_budget, pages.ceil() as u64, parallel, preferred);
                tracing::debug!(estimate, ?listing_budget, ?plan, "export: planned");
                match plan {
                    Plan::Ranges { count, recut } => {
                        self.tally.recut = recut;
                        span.partitions(count)
                    }
                    Plan::Sequential => {
                        // The sorted first page is kept, and its `next` followed.
                        self.discard(1);
                        self.write_page(&smallest.items, out)?;
                        let next = smallest.next.map(|n| PageUnit { url: n.to_string(), part: None, first: false });
                        return Ok(next.into_iter().collect());
                    }
                }
            }
            _ => {
                self.tally.recut = true;
                vec![Partition::everything()]
            }
        };
        self.discard(2);
        self.tally.partitions = Some((0, parts.len()));
        Ok(parts.into_iter().map(|part| self.first_page(&base, part)).collect())
    }

    fn first_page(&self, base: &Expr, part: Partition) -> PageUnit {
        let query = UserQuery {
            search: part.expression(Some(base)).map(|e| e.to_string()),
            limit: Some(PAGE_SIZE),
            ..UserQuery::default()
        };
        PageUnit { url: listing_url(&self.client, &query).to_string(), part: Some(part), first: true }
    }

    fn write_page(&mut self, items: &[Box<RawValue>], out: &mut dyn Write) -> Result<(), Error> {
        for raw in items {
            let json = if self.needs_json || self.recheck.is_some() {
                Some(
                    serde_json::from_str::<Value>(raw.get())
                        .map_err(|e| self.org_error(okta::Error::Decode(e.to_string())))?,
                )
            } else {
                None
            };
            if let (Some(filter), Some(user)) = (&self.recheck, &json)
                && !filter.matches(user)
            {
                continue;
            }
            self.format.user(out, raw, json.as_ref()).map_err(output_error)?;
            self.tally.users += 1;
        }
        self.tally.pages += 1;
        self.report();
        Ok(())
    }

    /// Pages received but not written (planning, ranges cut again).
    fn discard(&mut self, pages: u64) {
        self.tally.pages += pages;
        self.tally.discarded += pages;
        self.report();
    }

    fn report(&mut self) {
        let progress = Progress {
            users: self.tally.users,
            pages: self.tally.pages,
            partitions: self.tally.partitions,
            estimated_users: self.tally.estimate,
            elapsed: self.started.elapsed(),
        };
        (self.progress)(&progress);
    }

    pub fn org_error(&self, source: okta::Error) -> Error {
        Error::Org { users: self.tally.users, source }
    }

    pub fn summary(&self) -> Summary {
        Summary {
            users: self.tally.users,
            pages: self.tally.pages,
            discarded_pages: self.tally.discarded,
            partitions: self.tally.partitions.map_or(0, |(done, _)| done),
            elapsed: self.started.elapsed(),
            retries: self.client.retries().saturating_sub(self.retries_before),
        }
    }
}

impl<F: FnMut(&Progress)> Job for ExportJob<F> {
    type Unit = PageUnit;
    type Done = RawPage;
    type Tally = Tally;
    type Error = Error;

    fn step(&self, unit: PageUnit) -> impl Future<Output = Result<RawPage, Error>> + Send + 'static {
        let client = self.client.clone();
        async move {
            let url = Url::parse(&unit.url).map_err(|e| Error::Invalid(format!("a checkpointed page URL: {e}")))?;
            // The count is filled in by `run`, which knows what was written.
            fetch(client, url).await.map_err(|source| Error::Org { users: 0, source })
        }
    }

    fn follow(&mut self, unit: &PageUnit, page: &RawPage, waiting: usize) -> Follow<PageUnit> {
        let recut = self.tally.recut
            && unit.first
            && page.next.is_some()
            && waiting == 0
            && self.tally.recuts < self.parallel
            && unit.part.as_ref().is_some_and(|p| p.depth < MAX_DEPTH);
        if recut
            && let (Some(part), Some(span)) = (&unit.part, self.tally.span)
            && let Some(children) = span.split(part, self.parallel)
            && let Some(base) = self.base.clone()
        {
            tracing::debug!(lo = ?part.lo, hi = ?part.hi, pieces = children.len(), "export: cutting a large range");
            self.tally.recuts += 1;
            if let Some((_, known)) = &mut self.tally.partitions {
                *known += children.len() - 1;
            }
            self.discard(1);
            let then = children.into_iter().map(|child| self.first_page(&base, child)).collect();
            return Follow { then, keep: false };
        }
        let then = match &page.next {
            Some(next) => vec![PageUnit { url: next.to_string(), part: unit.part.clone(), first: false }],
            None => {
                if unit.part.is_some()
                    && let Some((done, _)) = &mut self.tally.partitions
                {
                    *done += 1;
                }
                Vec::new()
            }
        };
        Follow { then, keep: true }
    }

    fn write(&mut self, page: RawPage, out: &mut dyn Write) -> Result<(), Error> {
        self.write_page(&page.items, out)
    }

    fn tally(&self) -> Tally {
        self.tally.clone()
    }
}

/// The request as a `search` that partitions can extend, and for a filter
/// the check that brings back its case-sensitive matching. `None` when the
/// extended expression would be refused (too many conditions).
fn search_base(request: &ExportRequest) -> Option<(Expr, Option<Matcher>)> {
    let (base, recheck) = match (request.query(), &request.expr) {
        (Query::All, _) => (expr::parse(NOT_DEPROVISIONED, Mode::Search).ok()?, None),
        (Query::Search(_), Some(e)) => (e.clone(), None),
        // `search` matches values ignoring case, `filter` exactly: the
        // search finds every filter match and maybe more, which the
        // filter's own evaluation then drops.
        (Query::Filter(_), Some(e)) => (e.clone(), Some(Matcher::new(e, Mode::Filter))),
        _ => return None,
    };
    let widest = Partition { lo: Some("0".into()), hi: Some("z".into()), depth: 0 }.expression(Some(&base))?;
    expr::parse(&widest.to_string(), Mode::Search).ok().map(|_| (base, recheck))
}

/// Runs the export: plans it (or continues from `resume`), then pages it
/// through the job engine.
pub(super) async fn run<F: FnMut(&Progress), S: job::Sink + Send>(
    job: &mut ExportJob<F>,
    request: &ExportRequest,
    start: Option<job::Start<PageUnit>>,
    out: &mut S,
    journal: Option<&mut job::Journal>,
) -> Result<Summary, Error> {
    let start = match start {
        Some(start) => start,
        None => job::Start::Plan(job.plan(request, out).await?),
    };
    let parallel = job.parallel();
    match job::run(job, start, parallel, &job::Pause::default(), out, journal, output_error).await {
        Ok(()) => Ok(job.summary()),
        Err(Error::Org { source, .. }) => Err(job.org_error(source)),
        Err(other) => Err(other),
    }
}

async fn fetch(client: Client, url: Url) -> Result<RawPage, okta::Error> {
    client.page(url, |body| serde_json::from_slice::<Vec<Box<RawValue>>>(body)).await
}

fn listing_url(client: &Client, query: &UserQuery) -> Url {
    let mut url = client.url("/api/v1/users");
    url.query_pairs_mut().extend_pairs(query.params());
    url
}

#[derive(Deserialize)]
struct Id<'a> {
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
}

fn id_of(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<Id<'_>>(raw.get()).ok().map(|u| u.id.into_owned())
}

fn first_id(items: &[Box<RawValue>]) -> Option<String> {
    items.first().and_then(|raw| id_of(raw))
}

fn last_id(items: &[Box<RawValue>]) -> Option<String> {
    items.last().and_then(|raw| id_of(raw))
}

fn output_error(source: std::io::Error) -> Error {
    Error::Io { what: "the output".into(), source }
}
