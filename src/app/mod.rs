//! The app's state machine: `update(state, msg) -> effects`, no I/O.

pub mod form;
pub mod list;
pub mod msg;
mod update;

pub use msg::{ApiResult, Effect, Msg, PageFrom, ReqId};
pub use update::{start, update};

use crate::okta::{User, UserQuery};
use form::CreateForm;
use list::ListState;

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

#[derive(Debug)]
pub struct State {
    /// Shown in the header.
    pub org_host: String,
    pub query: UserQuery,
    pub list: ListState,
    pub detail: Load<User>,
    pub form: Option<CreateForm>,
    /// One line for the latest result or error.
    pub toast: Option<String>,
    pub size: (u16, u16),
    /// Advances on ticks while work is pending.
    pub spinner: usize,
    pub quitting: bool,
    next_req: u64,
}

impl State {
    pub fn new(org_host: impl Into<String>) -> Self {
        Self {
            org_host: org_host.into(),
            query: UserQuery::default(),
            list: ListState::default(),
            detail: Load::Idle,
            form: None,
            toast: None,
            size: (80, 24),
            spinner: 0,
            quitting: false,
            next_req: 0,
        }
    }

    fn next_req(&mut self) -> ReqId {
        self.next_req += 1;
        ReqId(self.next_req)
    }

    /// Whether anything is waiting on the network (drives the spinner).
    pub fn busy(&self) -> bool {
        self.list.is_loading()
            || self.detail.is_loading()
            || self.form.as_ref().is_some_and(|f| matches!(f.submit, form::Submit::Sending(_)))
    }
}
