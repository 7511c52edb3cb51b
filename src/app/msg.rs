//! What the app reacts to (messages) and what it asks the driver to do
//! (effects). Both are plain data, so every flow is testable without a
//! network or a terminal.

use crate::okta::{CreateUser, Error, Page, User, UserQuery, UserRow};
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
}

/// Delayed messages the app schedules for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Apply the search typed so far (generation of the input).
    SearchDebounce(u64),
    /// Fetch the selected user once the cursor rests (selection generation).
    DetailDebounce(u64),
}

/// The answer to one effect.
#[derive(Debug)]
pub enum ApiResult {
    Page(Result<Page<UserRow>, Error>),
    User(Result<User, Error>),
    /// A direct lookup by exact id or login from the search box.
    Lookup(Result<User, Error>),
    Me(Result<User, Error>),
    Created(Result<User, Error>),
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
    },
    /// Put text on the clipboard (OSC 52, works over SSH).
    Copy(String),
    /// Open a URL in a browser if one is available.
    OpenUrl(String),
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
