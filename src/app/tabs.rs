//! What the detail pane's tabs hold beyond the user itself: the factors
//! and app links loaded lazily and cached per user, and the dialogs that
//! change a user's groups, factors and sessions. Plain data; the handling
//! is in `update::tabs`.

use super::{Load, ReqId};
use crate::okta::{AppLink, ClearSessions, Error, Factor, Group};
use std::collections::{HashMap, VecDeque};
use tui_input::Input;

/// Groups the picker shows at most: it searches, it never lists them all.
pub const GROUP_SEARCH_LIMIT: u32 = 20;

/// Users whose tabs stay cached; browsing a large org keeps memory flat.
const CACHED_USERS: usize = 64;

/// What the lazy tabs loaded for one user.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub factors: Load<Vec<Factor>>,
    pub apps: Load<Vec<AppLink>>,
}

impl Default for Loaded {
    fn default() -> Self {
        Self { factors: Load::Idle, apps: Load::Idle }
    }
}

/// Per-user tab data, least recently used evicted first.
#[derive(Debug, Default)]
pub struct TabCache {
    users: HashMap<Box<str>, Loaded>,
    order: VecDeque<Box<str>>,
}

impl TabCache {
    pub fn get(&self, user_id: &str) -> Option<&Loaded> {
        self.users.get(user_id)
    }

    /// The user's entry, created empty when missing.
    pub fn entry(&mut self, user_id: &str) -> &mut Loaded {
        self.order.retain(|k| &**k != user_id);
        self.order.push_back(user_id.into());
        while self.order.len() > CACHED_USERS {
            if let Some(old) = self.order.pop_front() {
                self.users.remove(&old);
            }
        }
        self.users.entry(user_id.into()).or_default()
    }

    /// Drops what was loaded for the user (after R or a change through
    /// oktui), so the tabs read it again.
    pub fn forget(&mut self, user_id: &str) {
        self.users.remove(user_id);
        self.order.retain(|k| &**k != user_id);
    }

    /// The entry waiting for `req`, if any.
    pub fn awaiting(&mut self, req: ReqId) -> Option<&mut Loaded> {
        self.users.values_mut().find(|l| l.factors == Load::Loading(req) || l.apps == Load::Loading(req))
    }

    pub fn is_loading(&self, user_id: &str) -> bool {
        self.get(user_id).is_some_and(|l| l.factors.is_loading() || l.apps.is_loading())
    }
}

/// A dialog over the detail pane that changes the user it was opened for.
#[derive(Debug, Clone)]
pub struct Dialog {
    pub user_id: String,
    pub login: String,
    pub kind: DialogKind,
    /// The change is out; the dialog stays until its answer arrives.
    pub sending: Option<ReqId>,
}

#[derive(Debug, Clone)]
pub enum DialogKind {
    AddToGroup(GroupSearch),
    RemoveFromGroup { group_id: String, group: String },
    ResetFactor { factor_id: String, factor: String },
    ClearSessions(ClearSessionsChoice),
}

/// The group picker: searches the org's groups by name as you type.
#[derive(Debug, Clone)]
pub struct GroupSearch {
    pub input: Input,
    pub results: Load<Vec<Group>>,
    pub cursor: usize,
    /// Bumped on each edit; only the latest debounced search runs.
    pub generation: u64,
    pub pending: Option<ReqId>,
    /// Why the chosen group cannot be added, said before sending anything.
    pub refusal: Option<String>,
    /// The group being added, once sent.
    pub adding: Option<String>,
}

impl Default for GroupSearch {
    fn default() -> Self {
        Self {
            input: Input::default(),
            results: Load::Idle,
            cursor: 0,
            generation: 0,
            pending: None,
            refusal: None,
            adding: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClearSessionsChoice {
    pub oauth_tokens: bool,
    pub forget_devices: bool,
    /// 0: OAuth tokens, 1: devices.
    pub focus: usize,
}

impl ClearSessionsChoice {
    pub fn options(&self) -> ClearSessions {
        ClearSessions { oauth_tokens: self.oauth_tokens, forget_devices: self.forget_devices }
    }
}

/// Actions of the actions menu that are not lifecycle operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoreAction {
    ClearSessions,
}

impl MoreAction {
    pub fn label(self) -> &'static str {
        match self {
            MoreAction::ClearSessions => "Clear sessions…",
        }
    }
}

/// Why Okta refuses membership changes in a group of this type, if it does.
pub fn membership_refusal(group: &Group) -> Option<String> {
    let name = group.name();
    match group.kind() {
        "OKTA_GROUP" => None,
        "BUILT_IN" => Some(format!("{name} is built in: Okta keeps every user in it")),
        "APP_GROUP" => Some(format!("{name} comes from an app: change its members in the app")),
        other => Some(format!("{name} is of type {other}: only OKTA_GROUP members can be changed")),
    }
}

/// Work for the driver, answered with a `TabResult` for the same request.
#[derive(Debug, Clone)]
pub enum TabEffect {
    FetchFactors { req: ReqId, user_id: String },
    FetchApps { req: ReqId, user_id: String },
    SearchGroups { req: ReqId, q: String },
    AddToGroup { req: ReqId, user_id: String, group_id: String },
    RemoveFromGroup { req: ReqId, user_id: String, group_id: String },
    ResetFactor { req: ReqId, user_id: String, factor_id: String },
    ClearSessions { req: ReqId, user_id: String, options: ClearSessions },
}

impl TabEffect {
    pub fn req(&self) -> ReqId {
        match self {
            TabEffect::FetchFactors { req, .. }
            | TabEffect::FetchApps { req, .. }
            | TabEffect::SearchGroups { req, .. }
            | TabEffect::AddToGroup { req, .. }
            | TabEffect::RemoveFromGroup { req, .. }
            | TabEffect::ResetFactor { req, .. }
            | TabEffect::ClearSessions { req, .. } => *req,
        }
    }
}

#[derive(Debug)]
pub enum TabResult {
    Factors(Result<Vec<Factor>, Error>),
    Apps(Result<Vec<AppLink>, Error>),
    GroupSearch(Result<Vec<Group>, Error>),
    /// The answer to a change a dialog sent.
    Changed(Result<(), Error>),
}
