//! `oktui logs`: the System Log without the TUI. A bounded query is paged
//! to its end; `--follow` then tails the log with the client's poller (at
//! job priority, within the governor's share of the logs bucket).
//!
//! Modules: `time` (ISO 8601 and relative times), `format` (JSON lines,
//! CSV).

mod format;
mod time;

pub use format::{CSV_COLUMNS, LogFormat};
pub use time::parse_time;

use crate::okta::logs::{LogQuery, MAX_LIMIT, Poller};
use crate::okta::{Client, Error};
use futures::StreamExt;
use jiff::Timestamp;
use std::io::{self, Write};
use std::time::Duration;

/// A checked `oktui logs` request.
#[derive(Debug, Clone)]
pub struct LogsRequest {
    /// A login or id; looked up first, then the events where that user is
    /// the actor or a target.
    pub user: Option<String>,
    pub filter: Option<String>,
    pub q: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Keep polling for new events after the ones already there.
    pub follow: bool,
    pub interval: Duration,
    pub format: LogFormat,
}

/// Runs `request`, writing every event to `sink`; returns how many. With
/// `follow` it only ends on an error (or when the process is stopped).
pub async fn run(client: &Client, request: &LogsRequest, sink: &mut dyn Write) -> Result<u64, String> {
    let mut query = LogQuery {
        since: request.since,
        until: request.until,
        q: request.q.clone(),
        limit: Some(MAX_LIMIT),
        ..LogQuery::default()
    };
    if let Some(filter) = &request.filter {
        query = query.and_filter(filter.clone());
    }
    if let Some(user) = &request.user {
        let found = client.get_user(user).await.map_err(|e| match e.status() {
            Some(404) => format!("no user '{user}' on the org (give a login or an id)"),
            _ => format!("could not look up the user '{user}': {e}"),
        })?;
        query = query.and_filter(LogQuery::involving(found.id()));
    }
    let failed = |e: Error| format!("could not read the System Log: {e}");
    let written = |e: io::Error| format!("could not write the events: {e}");
    request.format.header(sink).map_err(written)?;
    let mut count = 0;
    if request.follow {
        let mut poller = Poller::new(client, query, request.interval);
        loop {
            for event in poller.poll().await.map_err(failed)? {
                request.format.event(sink, &event).map_err(written)?;
                count += 1;
            }
            sink.flush().map_err(written)?;
            if poller.ended() {
                return Ok(count);
            }
            tokio::time::sleep(poller.interval()).await;
        }
    }
    // Without `until` Okta treats the query as a poll, which never ends.
    query.until = Some(query.until.unwrap_or_else(Timestamp::now));
    let mut pages = std::pin::pin!(client.list_logs(query));
    while let Some(page) = pages.next().await {
        for event in page.map_err(failed)?.items {
            request.format.event(sink, &event).map_err(written)?;
            count += 1;
        }
    }
    sink.flush().map_err(written)?;
    Ok(count)
}
