//! The app's state machine: `update(state, msg) -> effects`, no I/O.
//!
//! The driver feeds it keys, timers and API results; it answers with
//! effects (requests to make, timers to set, text to copy). Time comes in
//! through `State::now`, which the driver sets, so tests control it.

pub mod actions;
pub mod bulk;
pub mod bulk_pick;
pub mod bulk_resume;
pub mod detail;
pub mod export;
pub mod form;
pub mod import;
pub mod keymap;
pub mod list;
pub mod messages;
pub mod msg;
pub mod rate;
pub mod search;
pub mod selection;
pub mod tabs;
pub mod timeline;
mod update;

pub use msg::{ApiResult, Created, Effect, Msg, PageFrom, ReqId, Timer, Viewport};
pub use update::{start, update};

use crate::okta::{User, UserSchema, UserType};
use detail::{DetailState, UserCache};
use form::CreateForm;
use jiff::Timestamp;
use keymap::Context;
use list::{ListState, Sort};
use messages::Messages;
use search::{SearchState, StatusFilter};
use std::collections::BTreeSet;

/// Something loaded over the network.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Idle,
    Loading(ReqId),
    Loaded(T),
    Failed(String),
}

impl<T> Load<T> {
    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading(_))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Detail,
}

/// A screen drawn over the panes that takes the keyboard.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Messages,
    StatusPicker {
        cursor: usize,
        ticked: BTreeSet<crate::okta::UserStatus>,
    },
    /// Asks before quitting with unsaved form input.
    ConfirmQuit,
    Actions(actions::Menu),
    Confirm(Box<actions::Confirm>),
    Outcome(actions::Outcome),
    /// Format and columns before an export starts.
    Export(export::ExportDialog),
    /// The detail tabs' dialogs: group picker and confirmations.
    Tab(Box<tabs::Dialog>),
    /// Bulk operations' dialogs and screens.
    Bulk(Box<bulk::Dialog>),
}

#[derive(Debug)]
pub struct State {
    /// Shown in the header.
    pub org_host: String,
    /// The signed-in admin (`/users/me`), for the header.
    pub admin: Load<String>,
    /// Which credential is used and where it was read from, never the
    /// credential: a 401 says to check it there.
    pub credential_from: String,
    /// The tightest rate-limit bucket and any wait for a reset.
    pub rate: rate::Rate,
    /// The org's user schema (titles, form fields) and user types.
    pub schema: Load<UserSchema>,
    pub types: Load<Vec<UserType>>,
    pub now: Timestamp,
    pub focus: Pane,
    pub list: ListState,
    pub sort: Option<Sort>,
    pub statuses: StatusFilter,
    pub search: SearchState,
    /// Users marked for a bulk operation.
    pub selection: selection::Selection,
    pub detail: DetailState,
    pub cache: UserCache,
    /// Factors and app links of the detail tabs, per user.
    pub tabs: tabs::TabCache,
    pub form: Option<CreateForm>,
    pub export: Option<export::ExportJob>,
    /// The import screen, and the import it runs.
    pub import: Option<Box<import::Import>>,
    /// The bulk job started here, running or ended.
    pub bulk_job: Option<bulk::JobView>,
    /// Where bulk jobs started here keep their files.
    pub bulk_jobs: bulk_resume::JobsDir,
    /// The System Log timeline (`l`, `L`), over the panes while open.
    pub timeline: Option<timeline::Timeline>,
    /// Log tabs of users no longer shown.
    pub parked_logs: timeline::ParkedLogs,
    pub overlay: Option<Overlay>,
    pub messages: Messages,
    pub size: (u16, u16),
    pub viewport: Viewport,
    /// Advances on ticks while work is pending.
    pub spinner: usize,
    /// Whether the last message may have changed what is drawn.
    pub dirty: bool,
    next_req: u64,
}

/// Full users kept for instant re-selection.
const CACHE_USERS: usize = 256;

/// Below this terminal size the panes can't show a useful row: only the
/// "too small" notice is drawn, and keys don't reach what it hides.
pub const MIN_SIZE: (u16, u16) = (80, 20);

impl State {
    pub fn new(org_host: impl Into<String>) -> Self {
        Self {
            org_host: org_host.into(),
            admin: Load::Idle,
            credential_from: String::new(),
            rate: rate::Rate::default(),
            schema: Load::Idle,
            types: Load::Idle,
            now: Timestamp::UNIX_EPOCH,
            focus: Pane::List,
            list: ListState::default(),
            sort: None,
            statuses: StatusFilter::default(),
            search: SearchState::default(),
            selection: selection::Selection::default(),
            detail: DetailState::default(),
            cache: UserCache::new(CACHE_USERS),
            tabs: tabs::TabCache::default(),
            form: None,
            export: None,
            import: None,
            bulk_job: None,
            bulk_jobs: bulk_resume::JobsDir::default(),
            timeline: None,
            parked_logs: timeline::ParkedLogs::default(),
            overlay: None,
            messages: Messages::default(),
            size: (80, 24),
            viewport: Viewport::default(),
            spinner: 0,
            dirty: true,
            next_req: 0,
        }
    }

    pub(crate) fn next_req(&mut self) -> ReqId {
        self.next_req += 1;
        ReqId(self.next_req)
    }

    /// Whether anything is waiting on the network (drives the spinner).
    pub fn busy(&self) -> bool {
        self.list.is_loading()
            || self.detail.user.is_loading()
            || self.detail.groups.is_loading()
            || self.admin.is_loading()
            || self.search.lookup.is_some()
            || self.form.as_ref().is_some_and(CreateForm::is_sending)
            || self.export.is_some()
            || self.import.as_ref().is_some_and(|i| i.is_busy())
            || self.bulk_job.as_ref().is_some_and(bulk::JobView::busy)
            || self.timeline.as_ref().is_some_and(timeline::Timeline::is_loading)
            || matches!(&self.overlay, Some(Overlay::Confirm(c)) if c.sending.is_some())
            || matches!(&self.overlay, Some(Overlay::Tab(d)) if d.sending.is_some())
            || self.detail.id.as_deref().is_some_and(|id| self.tabs.is_loading(id))
    }

    /// Whether the screen shows something a clock tick changes (a
    /// countdown, a message that expires), so the driver ticks while idle.
    pub fn shows_clock(&self) -> bool {
        self.rate.counts_down(self.now) || self.messages.toast(self.now).is_some()
    }

    /// Says what failed and what to do. After a 401 a retry cannot help
    /// (the credential is read at start): it names the credential and
    /// where it came from.
    pub fn failure(&self, what: &str, error: &crate::okta::Error) -> String {
        if error.status() != Some(401) {
            return format!("{what}: {error}; R retries");
        }
        let credential = if self.credential_from.is_empty() { "the API token" } else { &self.credential_from };
        format!("{what}: the org refused {credential}; fix it there and start oktui again ({error})")
    }

    /// The keymap context for the current focus.
    pub fn context(&self) -> Context {
        if self.timeline.as_ref().is_some_and(|t| !t.docked) {
            return Context::Timeline;
        }
        match (self.focus, self.detail.view) {
            (Pane::Detail, detail::View::Log) if self.timeline.as_ref().is_some_and(|t| t.docked) => Context::Timeline,
            (Pane::List, _) => Context::List,
            (Pane::Detail, detail::View::Groups) => Context::GroupsTab,
            (Pane::Detail, detail::View::Factors) => Context::FactorsTab,
            (Pane::Detail, _) => Context::Detail,
        }
    }

    /// The user the detail pane shows, once loaded.
    pub fn shown_user(&self) -> Option<&User> {
        self.detail.loaded()
    }

    /// Whether the terminal is below `MIN_SIZE`.
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_SIZE.0 || self.size.1 < MIN_SIZE.1
    }

    /// A user type's display name, once types are loaded.
    pub fn type_name(&self, id: &str) -> Option<&str> {
        match &self.types {
            Load::Loaded(types) => types.iter().find(|t| t.id() == id).map(UserType::display_name),
            _ => None,
        }
    }
}
