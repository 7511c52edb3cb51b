//! The System Log (`GET /api/v1/logs`): events as a lossless model, a
//! bounded query as a stream of pages, and a poller that tails the log by
//! `next` link at a job's priority.

mod event;
mod poller;
mod query;

pub use event::{Change, LogEvent, Party};
pub use poller::{DEFAULT_POLL_INTERVAL, Poller};
pub use query::{LogQuery, MAX_LIMIT, SortOrder};

use super::client::{Client, PageStart};
use super::error::Error;
use super::paging::{Page, pages};
use super::users::append;
use futures::Stream;
use reqwest::Url;

/// The path, also the name of its rate-limit bucket.
pub const LOGS_PATH: &str = "/api/v1/logs";

impl Client {
    /// One page of events: the first of `query`, or the one behind a `next`
    /// link (followed exactly as given, and only on the org).
    pub async fn list_logs_page(&self, from: PageStart<'_, LogQuery>) -> Result<Page<LogEvent>, Error> {
        let url = match from {
            PageStart::First(query) => {
                let mut url = self.url(LOGS_PATH);
                append(&mut url, &query.params());
                url
            }
            PageStart::Next(url) => url.clone(),
        };
        self.page(url, |body| serde_json::from_slice::<Vec<LogEvent>>(body)).await
    }

    /// Every page of a bounded `query`, lazily, to the page without `next`.
    /// A polling query never ends: tail it with a [`Poller`] instead.
    pub fn list_logs(&self, query: LogQuery) -> impl Stream<Item = Result<Page<LogEvent>, Error>> + '_ {
        pages(move |next: Option<Url>| {
            let query = query.clone();
            async move {
                match &next {
                    None => self.list_logs_page(PageStart::First(&query)).await,
                    Some(url) => self.list_logs_page(PageStart::Next(url)).await,
                }
            }
        })
    }
}
