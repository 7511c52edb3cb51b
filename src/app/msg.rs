//! What the app reacts to (messages) and what it asks the driver to do
//! (effects). Both are plain data, so every flow is testable without a
//! network or a terminal.

use crate::okta::{CreateUser, Error, Page, User, UserQuery, UserRow};
use crossterm::event::KeyEvent;
use reqwest::Url;

/// Tags every request; results for an id the app no longer waits for are
/// dropped, which is how superseded searches and stale selections die.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReqId(pub u64);

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// New terminal size in cells.
    Resize(u16, u16),
    /// How many list rows the last frame could show.
    Viewport(u16),
    Tick,
    Api(ReqId, ApiResult),
}

/// The answer to one effect.
#[derive(Debug)]
pub enum ApiResult {
    Page(Result<Page<UserRow>, Error>),
    User(Result<User, Error>),
    Created(Result<User, Error>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageFrom {
    First(UserQuery),
    Next(Url),
}

#[derive(Debug, Clone)]
pub enum Effect {
    FetchPage { req: ReqId, from: PageFrom },
    FetchUser { req: ReqId, id: String },
    CreateUser { req: ReqId, create: CreateUser },
    Quit,
}
