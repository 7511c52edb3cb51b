//! The System Log timeline: a user's events (where they are the actor or
//! a target) or the whole org's, newest first, grouped into the
//! operations that caused them, with filters and a live follow mode.
//!
//! Its own state and keys (`update`), drawn by `ui::timeline` into
//! whatever area it is given: the detail pane's Log tab (`tab`), or the
//! whole screen (`l` maximises the tab, `L` opens the org's).
//! `filters` turns the filter choices into the query; `groups` orders the
//! events and marks the groups.

mod filters;
mod groups;
mod tab;
mod update;

pub use filters::{Filters, Kind, Outcome, Range};
pub use groups::{GroupMark, group_key};
pub use tab::{ParkedLogs, forget_user, leave_tab, show_tab};
pub use update::{close, on_key, on_logs, on_poll_timer, open_org, open_user};

use super::ReqId;
use crate::okta::logs::LogEvent;
use reqwest::Url;
use std::collections::HashSet;
use std::time::Duration;

/// Events per page: a screen or two, so the first one comes fast.
pub const PAGE: u32 = 100;
/// Between polls while following: the client's pace for tailing.
pub const POLL_INTERVAL: Duration = crate::okta::logs::DEFAULT_POLL_INTERVAL;

/// Whose events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    User { id: String, name: String },
    Org,
}

/// Which page of events to read.
#[derive(Debug, Clone, PartialEq)]
pub enum LogPage {
    First(crate::okta::logs::LogQuery),
    Next(Url),
}

/// The live tail while following.
#[derive(Debug, Clone, PartialEq)]
pub struct Follow {
    /// The poll's `next` link, once the first poll answered.
    pub next: Option<Url>,
    /// The poll in flight, if any.
    pub req: Option<ReqId>,
    /// Events that arrived since following began.
    pub arrived: usize,
}

#[derive(Debug)]
pub struct Timeline {
    pub scope: Scope,
    pub filters: Filters,
    /// Newest first, each group's events together (see `groups`).
    pub events: Vec<LogEvent>,
    seen: HashSet<String>,
    /// The bounded query's next page (older events), loaded lazily.
    pub older: Option<Url>,
    /// The page request in flight.
    pub loading: Option<ReqId>,
    pub error: Option<String>,
    pub selected: usize,
    /// The selected event shown in full, scrolled this far.
    pub expanded: Option<u16>,
    pub follow: Option<Follow>,
    /// Bumped when following stops or the query changes, so a poll timer
    /// of an older generation does nothing.
    pub generation: u64,
    /// Shown in the detail pane's Log tab rather than over the panes.
    pub docked: bool,
}

impl Timeline {
    pub fn new(scope: Scope) -> Self {
        Self {
            scope,
            filters: Filters::default(),
            events: Vec::new(),
            seen: HashSet::new(),
            older: None,
            loading: None,
            error: None,
            selected: 0,
            expanded: None,
            follow: None,
            generation: 0,
            docked: false,
        }
    }

    pub fn selected_event(&self) -> Option<&LogEvent> {
        self.events.get(self.selected)
    }

    /// The user whose events these are, if one user's.
    pub fn user_id(&self) -> Option<&str> {
        match &self.scope {
            Scope::User { id, .. } => Some(id),
            Scope::Org => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some() || self.follow.as_ref().is_some_and(|f| f.req.is_some())
    }

    /// The group mark of every event, in order.
    pub fn marks(&self) -> Vec<GroupMark> {
        groups::marks(&self.events)
    }

    /// Adds events not seen yet (a poll may repeat the newest one), keeps
    /// the order, and keeps the selection on the same event. Returns how
    /// many were new.
    fn add(&mut self, events: Vec<LogEvent>) -> usize {
        let selected = self.selected_event().map(|e| e.uuid().to_owned());
        let before = self.events.len();
        for event in events {
            if self.seen.insert(event.uuid().to_owned()) {
                self.events.push(event);
            }
        }
        let added = self.events.len() - before;
        if added > 0 {
            groups::order(&mut self.events);
            if let Some(uuid) = selected {
                self.selected = self.events.iter().position(|e| e.uuid() == uuid).unwrap_or(0);
            }
        }
        added
    }

    fn clear(&mut self) {
        self.events.clear();
        self.seen.clear();
        self.older = None;
        self.error = None;
        self.selected = 0;
        self.expanded = None;
    }
}
