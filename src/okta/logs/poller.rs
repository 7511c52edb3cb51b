//! Tailing the System Log: a polling query, then its `next` links, which
//! Okta gives on every page of a poll (an empty one too).
//!
//! The poller sends at job priority, so the governor keeps a share of the
//! logs bucket for interactive requests (the TUI's timeline, another
//! oktui window reading the log) and for the org's other integrations,
//! and holds a request back rather than let it meet a 429.

use super::super::client::{Client, PageStart};
use super::super::error::Error;
use super::super::governor::Priority;
use super::{LogEvent, LogQuery, SortOrder};
use reqwest::Url;
use std::time::Duration;

/// How often a follow asks for new events: Okta's own console tails at
/// about this pace, and it costs 12 requests a minute of a bucket of 120.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(5);

/// Okta's page size when none is asked for.
const OKTA_DEFAULT_LIMIT: u32 = 100;

#[derive(Debug)]
pub struct Poller {
    client: Client,
    query: LogQuery,
    next: Option<Url>,
    interval: Duration,
    ended: bool,
}

impl Poller {
    /// Tails `query` from its `since` (Okta's default when absent: the
    /// last 7 days); `until` and a descending order are dropped, as a poll
    /// has neither.
    pub fn new(client: &Client, query: LogQuery, interval: Duration) -> Self {
        let query = LogQuery { until: None, sort_order: SortOrder::Ascending, ..query };
        Self { client: client.with_priority(Priority::Job), query, next: None, interval, ended: false }
    }

    /// The link the next poll follows (none before the first poll).
    pub fn next_url(&self) -> Option<&Url> {
        self.next.as_ref()
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Whether the org stopped giving `next` links (it does not for a poll,
    /// but a poller must not spin if it did).
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// The events that arrived since the last poll: pages are read while
    /// they come back full, and the poll stops at the first short one. On
    /// an error the link is kept, so the next poll asks again.
    pub async fn poll(&mut self) -> Result<Vec<LogEvent>, Error> {
        let limit = self.query.limit.unwrap_or(OKTA_DEFAULT_LIMIT).max(1) as usize;
        let mut events = Vec::new();
        loop {
            let page = match &self.next {
                None => self.client.list_logs_page(PageStart::First(&self.query)).await?,
                Some(url) => self.client.list_logs_page(PageStart::Next(url)).await?,
            };
            let full = page.items.len() >= limit;
            events.extend(page.items);
            match page.next {
                Some(next) => self.next = Some(next),
                None => {
                    self.ended = true;
                    return Ok(events);
                }
            }
            if !full {
                return Ok(events);
            }
        }
    }

    /// Waits one interval, then polls.
    pub async fn poll_after_interval(&mut self) -> Result<Vec<LogEvent>, Error> {
        tokio::time::sleep(self.interval).await;
        self.poll().await
    }
}
