//! Paging an export: the request's own listing page after page, or its
//! `search` partitions paged concurrently.
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

use super::budget::{self, Plan};
use super::format::UserWriter;
use super::partition::{Partition, Span};
use super::{Error, ExportRequest, PAGE_SIZE, Progress, Query, Summary};
use crate::expr::{self, Expr, Matcher, Mode};
use crate::okta::{self, Client, Page, Priority, UserQuery};
use futures::stream::{FuturesUnordered, StreamExt};
use reqwest::{Method, Url};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::VecDeque;
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

pub(super) async fn run<W, F>(client: &Client, request: &ExportRequest, sink: W, progress: F) -> Result<Summary, Error>
where
    W: Write + Send,
    F: FnMut(&Progress) + Send,
{
    let client = &client.with_priority(Priority::Job);
    let writer = UserWriter::new(sink, request.format().clone()).map_err(output_error)?;
    let mut out = Output {
        needs_json: request.format().needs_json(),
        writer,
        progress,
        recheck: None,
        users: 0,
        pages: 0,
        discarded: 0,
        partitions: None,
        estimate: None,
        started: Instant::now(),
        retries_before: client.retries(),
    };
    match search_base(request) {
        Some((base, recheck)) if request.parallel() > 1 => {
            out.recheck = recheck;
            partitioned(client, &base, request.parallel(), &mut out).await?;
        }
        _ => sequential(client, request, &mut out).await?,
    }
    out.finish(client)
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

async fn sequential<W: Write, F: FnMut(&Progress)>(
    client: &Client,
    request: &ExportRequest,
    out: &mut Output<W, F>,
) -> Result<(), Error> {
    let mut query = UserQuery { limit: Some(PAGE_SIZE), ..UserQuery::default() };
    match request.query() {
        Query::All => {}
        Query::Search(s) => query.search = Some(s.clone()),
        Query::Filter(f) => query.filter = Some(f.clone()),
    }
    follow(client, listing_url(client, &query), out).await
}

/// Pages from `first` on, following `next` links. The next page is asked
/// for before this one is written, so writing overlaps the wait (a page
/// must arrive before its `next` is known).
async fn follow<W: Write, F: FnMut(&Progress)>(
    client: &Client,
    first: Url,
    out: &mut Output<W, F>,
) -> Result<(), Error> {
    let mut pending = Some(Prefetch::start(client, first));
    while let Some(fetching) = pending.take() {
        let page = fetching.finish().await.map_err(|e| out.org_error(e))?;
        pending = page.next.clone().map(|next| Prefetch::start(client, next));
        out.write(&page.items)?;
    }
    Ok(())
}

/// A page fetched on its own task; aborted when dropped unfinished.
struct Prefetch(tokio::task::JoinHandle<Result<RawPage, okta::Error>>);

impl Prefetch {
    fn start(client: &Client, url: Url) -> Self {
        let client = client.clone();
        Self(tokio::spawn(async move { fetch(&client, url).await }))
    }

    async fn finish(mut self) -> Result<RawPage, okta::Error> {
        match (&mut self.0).await {
            Ok(result) => result,
            Err(e) => Err(okta::Error::Config(format!("the page request was cancelled ({e}); try again"))),
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn partitioned<W: Write, F: FnMut(&Progress)>(
    client: &Client,
    base: &Expr,
    parallel: usize,
    out: &mut Output<W, F>,
) -> Result<(), Error> {
    let text = base.to_string();
    let sorted = |desc: bool, limit: u32| UserQuery {
        search: Some(text.clone()),
        sort_by: Some("id".into()),
        sort_desc: desc,
        limit: Some(limit),
        ..UserQuery::default()
    };
    let (smallest, largest) = futures::join!(
        fetch(client, listing_url(client, &sorted(false, PAGE_SIZE))),
        fetch(client, listing_url(client, &sorted(true, 1)))
    );
    let smallest = smallest.map_err(|e| out.org_error(e))?;
    if smallest.next.is_none() {
        // The whole result fits in one page.
        out.partitions = Some((1, 1));
        return out.write(&smallest.items);
    }
    let largest = largest.map_err(|e| out.org_error(e))?;
    let (span, mut queue, recut) = match (first_id(&smallest.items), first_id(&largest.items), last_id(&smallest.items))
    {
        (Some(min), Some(max), Some(last)) => {
            let span = Span::new(&min, &max);
            let estimate = span.estimate(smallest.items.len(), &last);
            out.estimate = Some(estimate as u64);
            let pages = estimate / f64::from(PAGE_SIZE);
            let preferred =
                ((2.0 * parallel as f64 * pages).sqrt() as usize).clamp(parallel, parallel * MAX_RANGES_PER_WORKER);
            let listing_budget = client.job_budget(&Method::GET, "/api/v1/users");
            let plan = budget::plan(listing_budget, pages.ceil() as u64, parallel, preferred);
            tracing::debug!(estimate, ?listing_budget, ?plan, "export: planned");
            match plan {
                Plan::Ranges { count, recut } => (Some(span), VecDeque::from(span.partitions(count)), recut),
                Plan::Sequential => {
                    out.discard(1);
                    out.write(&smallest.items)?;
                    return match smallest.next {
                        Some(next) => follow(client, next, out).await,
                        None => Ok(()),
                    };
                }
            }
        }
        _ => (None, VecDeque::from([Partition::everything()]), true),
    };
    out.discard(2);
    let (mut done, mut known) = (0usize, queue.len());
    let mut recuts = 0usize;
    out.partitions = Some((done, known));
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < parallel {
            let Some(part) = queue.pop_front() else { break };
            let url = listing_url(
                client,
                &UserQuery {
                    search: part.expression(Some(base)).map(|e| e.to_string()),
                    limit: Some(PAGE_SIZE),
                    ..UserQuery::default()
                },
            );
            running.push(step(client, part, url, true));
        }
        let Some((part, first, result)) = running.next().await else { break };
        let page = result.map_err(|e| out.org_error(e))?;
        if recut && first && page.next.is_some() && queue.is_empty() && recuts < parallel && part.depth < MAX_DEPTH {
            let children = span.and_then(|span| span.split(&part, parallel));
            if let Some(children) = children {
                tracing::debug!(lo = ?part.lo, hi = ?part.hi, pieces = children.len(), "export: cutting a large range");
                recuts += 1;
                known += children.len() - 1;
                queue.extend(children);
                out.partitions = Some((done, known));
                out.discard(1);
                continue;
            }
        }
        match page.next.clone() {
            Some(next) => running.push(step(client, part, next, false)),
            None => done += 1,
        }
        out.partitions = Some((done, known));
        out.write(&page.items)?;
    }
    Ok(())
}

/// One page of one partition; `first` tells its first page from the rest.
async fn step(
    client: &Client,
    part: Partition,
    url: Url,
    first: bool,
) -> (Partition, bool, Result<RawPage, okta::Error>) {
    let result = fetch(client, url).await;
    (part, first, result)
}

async fn fetch(client: &Client, url: Url) -> Result<RawPage, okta::Error> {
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

/// Where users go, and the counts behind progress and the summary.
struct Output<W: Write, F> {
    writer: UserWriter<W>,
    progress: F,
    needs_json: bool,
    recheck: Option<Matcher>,
    users: u64,
    pages: u64,
    discarded: u64,
    partitions: Option<(usize, usize)>,
    estimate: Option<u64>,
    started: Instant,
    retries_before: u64,
}

impl<W: Write, F: FnMut(&Progress)> Output<W, F> {
    fn write(&mut self, items: &[Box<RawValue>]) -> Result<(), Error> {
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
            self.writer.user(raw, json.as_ref()).map_err(output_error)?;
            self.users += 1;
        }
        self.pages += 1;
        self.report();
        Ok(())
    }

    /// Pages received but not written (planning, ranges cut again).
    fn discard(&mut self, pages: u64) {
        self.pages += pages;
        self.discarded += pages;
        self.report();
    }

    fn report(&mut self) {
        let progress = Progress {
            users: self.users,
            pages: self.pages,
            partitions: self.partitions,
            estimated_users: self.estimate,
            elapsed: self.started.elapsed(),
        };
        (self.progress)(&progress);
    }

    fn org_error(&self, source: okta::Error) -> Error {
        Error::Org { users: self.users, source }
    }

    fn finish(self, client: &Client) -> Result<Summary, Error> {
        self.writer.finish().map_err(output_error)?;
        Ok(Summary {
            users: self.users,
            pages: self.pages,
            discarded_pages: self.discarded,
            partitions: self.partitions.map_or(0, |(done, _)| done),
            elapsed: self.started.elapsed(),
            retries: client.retries().saturating_sub(self.retries_before),
        })
    }
}
