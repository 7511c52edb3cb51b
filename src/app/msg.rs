//! What the app reacts to (messages) and what it asks the driver to do
//! (effects). Both are plain data, so every flow is testable without a
//! network or a terminal.

use crate::okta::{
    CreateUser, Error, Group, LifecycleOp, LifecycleOptions, LifecycleOutcome, Link, Page, RateBudget, RateWait,
    Secret, User, UserQuery, UserRow, UserSchema, UserType,
};
use crossterm::event::{KeyEvent, MouseEvent};
use reqwest::Url;
use std::time::Duration;

/// Tags every request; results for an id the app no longer waits for are
/// dropped, which is how superseded searches and stale selections die.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReqId(pub u64);

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    /// New terminal size in cells.
    Resize(u16, u16),
    /// Geometry of the last frame that the app needs for scrolling.
    Viewport(Viewport),
    /// Drives the spinner while work is pending.
    Tick,
    Timer(Timer),
    Api(ReqId, ApiResult),
    /// The tightest rate-limit bucket after a response, for the header.
    Budget(RateBudget),
    /// The client's current wait for a rate-limit reset (on each tick).
    RateWait(Option<RateWait>),
}

/// What the last frame could show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Viewport {
    /// Visible list rows.
    pub list_rows: u16,
    /// Screen row of the first list row and the list's column range, for
    /// mouse clicks.
    pub list_top: u16,
    pub list_left: u16,
    pub list_right: u16,
    /// Visible detail lines.
    pub detail_rows: u16,
    /// Lines the detail's content takes once wrapped to the pane.
    pub detail_lines: u16,
    /// How far the message log scrolls up before its oldest line is at the
    /// top (0 while the log is closed).
    pub log_scroll_limit: u16,
    /// How far the help scrolls before its last line is at the bottom
    /// (0 while it is closed).
    pub help_scroll_limit: u16,
    /// How far a bulk plan scrolls before its last line shows (0 while
    /// none is open).
    pub bulk_scroll_limit: u16,
}

impl Viewport {
    /// How far the detail pane scrolls before its last line is at the
    /// bottom: counted after wrapping, so the end of every user is
    /// reachable at any width.
    pub fn detail_scroll_limit(&self) -> u16 {
        self.detail_lines.saturating_sub(self.detail_rows)
    }
}

/// Delayed messages the app schedules for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Apply the search typed so far (generation of the input).
    SearchDebounce(u64),
    /// Fetch the selected user once the cursor rests (selection generation).
    DetailDebounce(u64),
    /// Search groups for the form's picker (picker input generation).
    GroupSearch(u64),
    /// Poll the System Log again while the timeline follows it
    /// (the timeline's generation).
    TimelinePoll(u64),
    /// Search groups for the Groups tab's picker (its input generation).
    TabGroupSearch(u64),
}

/// A created user, and the activation result when the form asked to
/// activate without Okta's email (create staged, then activate).
#[derive(Debug)]
pub struct Created {
    pub user: User,
    pub activation: Option<Result<LifecycleOutcome, Error>>,
}

/// The answer to one effect.
#[derive(Debug)]
pub enum ApiResult {
    Page(Result<Page<UserRow>, Error>),
    User(Result<User, Error>),
    /// A direct lookup by exact id or login from the search box.
    Lookup(Result<User, Error>),
    Me(Result<User, Error>),
    Created(Result<Created, Error>),
    GroupSearch(Result<Vec<Group>, Error>),
    Groups(Result<Vec<Group>, Error>),
    Schema(Result<UserSchema, Error>),
    Types(Result<Vec<UserType>, Error>),
    Lifecycle(Result<LifecycleOutcome, Error>),
    /// Users written so far by the export.
    ExportProgress(u64),
    Exported(Result<super::export::Exported, crate::export::Error>),
    /// A page of System Log events for the timeline.
    Logs(Result<Page<crate::okta::logs::LogEvent>, Error>),
    Tab(super::tabs::TabResult),
    Import(super::import::ImportResult),
    /// A bulk plan, a job's progress or its end.
    Bulk(super::bulk::BulkResult),
    /// A user read for the edit form, or the answer to its save.
    Edit(Result<crate::okta::UserRead, Error>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageFrom {
    First(UserQuery),
    Next(Url),
}

#[derive(Debug, Clone)]
pub enum Effect {
    FetchPage {
        req: ReqId,
        from: PageFrom,
    },
    FetchUser {
        req: ReqId,
        id: String,
    },
    Lookup {
        req: ReqId,
        key: String,
    },
    FetchMe {
        req: ReqId,
    },
    CreateUser {
        req: ReqId,
        create: CreateUser,
        /// Create staged, then activate with `sendEmail=false`.
        activate_without_email: bool,
    },
    SearchGroups {
        req: ReqId,
        q: String,
    },
    FetchGroups {
        req: ReqId,
        user_id: String,
    },
    FetchSchema {
        req: ReqId,
    },
    FetchTypes {
        req: ReqId,
    },
    /// Follows `link` when the op has one (only what Okta advertised),
    /// else calls the operation by name.
    RunLifecycle {
        req: ReqId,
        user_id: String,
        op: LifecycleOp,
        link: Option<Link>,
        options: LifecycleOptions,
    },
    /// Export `query` to `file` in `format`, reporting progress; an
    /// export that matched nobody leaves no file.
    Export {
        req: ReqId,
        query: crate::export::Query,
        format: crate::export::Format,
        file: std::path::PathBuf,
    },
    /// A page of the System Log for the timeline; a `follow` poll goes at
    /// job priority, leaving the logs bucket's headroom to the rest.
    FetchLogs {
        req: ReqId,
        page: super::timeline::LogPage,
        follow: bool,
    },
    /// Read a user with its `ETag`, to fill the edit form.
    ReadUserForEdit {
        req: ReqId,
        id: String,
    },
    /// Save exactly `changes` to the profile, only if the user is still at
    /// `etag`.
    UpdateProfile {
        req: ReqId,
        id: String,
        etag: crate::okta::ETag,
        changes: serde_json::Map<String, serde_json::Value>,
    },
    /// Put text on the clipboard (OSC 52, works over SSH). Secret so a
    /// copied temporary password never shows in a debug log.
    Copy(Secret),
    /// Open a URL in a browser if one is available.
    OpenUrl(String),
    /// Loads and changes of the detail tabs.
    Tab(super::tabs::TabEffect),
    Import(super::import::ImportEffect),
    /// Bulk operations: survey, run, cancel.
    Bulk(super::bulk::BulkEffect),
    Schedule {
        after: Duration,
        timer: Timer,
    },
    /// Clear and fully repaint the terminal.
    Redraw,
    /// Hand the terminal back to the shell (Ctrl-z).
    Suspend,
    Quit,
}
