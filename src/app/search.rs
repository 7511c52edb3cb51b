//! The search box and the status filter, and how they become a query.
//!
//! Plain text searches login, email, first and last name by prefix; text
//! that reads as an expression is checked by the same parser the embedded
//! org uses and sent as `search=` as typed.

use super::list::Sort;
use crate::expr::{self, Expr, Mode, Op, ParseError};
use crate::okta::{UserQuery, UserStatus};
use std::collections::BTreeSet;
use tui_input::Input;

/// Input shorter than this uses `q` (Okta's people-picker lookup), which is
/// cheaper for the org than a prefix search matching half the directory.
const Q_MAX_CHARS: usize = 2;
/// Page size for paged listings.
pub const PAGE_SIZE: u32 = 200;

#[derive(Debug, Default)]
pub struct SearchState {
    pub input: Input,
    /// The search box has the keyboard.
    pub editing: bool,
    /// A syntax error in the current input, shown under it; nothing is sent.
    pub error: Option<ParseError>,
    /// The text behind the list currently shown.
    pub applied: String,
    /// Bumped on each edit; only the latest debounce timer applies.
    pub generation: u64,
    /// A direct lookup by exact id or login in flight.
    pub lookup: Option<super::ReqId>,
}

/// What the search text means.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Everyone,
    /// Short plain text, looked up with `q`.
    Lookup(String),
    /// Plain text as a prefix search over the name attributes.
    Prefix(String),
    /// An expression, checked by the shared parser.
    Expression(Expr),
}

pub fn plan(text: &str) -> Result<Plan, ParseError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Plan::Everyone);
    }
    if expr::looks_like_expression(text) {
        return expr::parse(text, Mode::Search).map(Plan::Expression);
    }
    if text.chars().count() <= Q_MAX_CHARS && !text.contains(char::is_whitespace) {
        Ok(Plan::Lookup(text.to_owned()))
    } else {
        Ok(Plan::Prefix(text.to_owned()))
    }
}

/// `login, email, first or last name starts with the text`; with two words,
/// also `first name starts with one and last name with the other`.
fn prefix_expression(text: &str) -> Expr {
    let sw = |attr: &str, v: &str| Expr::compare(attr, Op::Sw, v);
    let mut terms: Vec<Expr> = ["profile.login", "profile.email", "profile.firstName", "profile.lastName"]
        .iter()
        .map(|a| sw(a, text))
        .collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    if let [first, last] = words[..] {
        terms.push(sw("profile.firstName", first).and(sw("profile.lastName", last)));
    }
    Expr::any_of(terms).unwrap_or_else(|| sw("profile.login", text))
}

/// Which statuses to show. Deactivated users only when asked, as in the
/// Admin Console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusFilter(pub BTreeSet<UserStatus>);

impl Default for StatusFilter {
    fn default() -> Self {
        Self(UserStatus::ALL.into_iter().filter(|s| *s != UserStatus::Deprovisioned).collect())
    }
}

impl StatusFilter {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    pub fn is_everything(&self) -> bool {
        self.0.len() == UserStatus::ALL.len()
    }

    fn expression(&self) -> Option<Expr> {
        if self.is_everything() {
            return None;
        }
        if self.is_default() {
            // Okta has no `ne`; this is its documented workaround.
            let dep = UserStatus::Deprovisioned.as_str();
            return Some(Expr::compare("status", Op::Lt, dep).or(Expr::compare("status", Op::Gt, dep)));
        }
        Some(
            Expr::any_of(self.0.iter().map(|s| Expr::compare("status", Op::Eq, s.as_str())))
                // Nothing ticked: a status no user has, so the list is empty.
                .unwrap_or_else(|| Expr::compare("status", Op::Eq, "NONE")),
        )
    }

    /// Short label for the list title.
    pub fn label(&self) -> Option<String> {
        if self.is_default() || self.0.is_empty() {
            // Nothing ticked is said in place of the count.
            return None;
        }
        if self.is_everything() {
            return Some("all statuses".into());
        }
        Some(self.0.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("|"))
    }
}

/// The `search` expression for the text and the statuses (`status pr`,
/// everyone, when both are as open as can be). Short text is a prefix
/// search here, as `q` has no `search` form.
pub fn search_expression(plan: &Plan, statuses: &StatusFilter) -> String {
    list_expression(plan, statuses).map_or_else(|| "status pr".to_owned(), |e| e.to_string())
}

/// The text and the statuses as one expression; `None` for everyone.
fn list_expression(plan: &Plan, statuses: &StatusFilter) -> Option<Expr> {
    let text_term = match plan {
        Plan::Everyone => None,
        Plan::Lookup(t) | Plan::Prefix(t) => Some(prefix_expression(t)),
        Plan::Expression(e) => Some(e.clone()),
    };
    Expr::all_of(text_term.into_iter().chain(statuses.expression()))
}

/// Whether the list for `plan` and `statuses` would hold `user`: decides
/// whether a user created here joins the list on screen. Evaluated with
/// the org's own expression engine, as the org would.
pub fn would_list(plan: &Plan, statuses: &StatusFilter, user: &crate::okta::User) -> bool {
    let json = serde_json::Value::Object(user.json().clone());
    list_expression(plan, statuses).is_none_or(|e| e.matches(&json, Mode::Search))
}

/// What an export of the list as shown asks for: the plain listing when it
/// can (the same users, cheapest for the org), else the list's search
/// without its sort (an export's order is the org's).
pub fn export_query(plan: &Plan, statuses: &StatusFilter) -> crate::export::Query {
    match plan {
        Plan::Everyone if statuses.is_default() => crate::export::Query::All,
        _ => crate::export::Query::Search(search_expression(plan, statuses)),
    }
}

/// The list query for a plan, a status filter and a sort. The plain listing
/// is used whenever it can be (it is the cheapest call); sorting or
/// filtering by status needs `search`, which is the only form Okta sorts.
pub fn build_query(plan: &Plan, statuses: &StatusFilter, sort: Option<Sort>) -> UserQuery {
    let plain_statuses = statuses.is_default();
    let mut query = match plan {
        Plan::Everyone if plain_statuses && sort.is_none() => UserQuery::default(),
        Plan::Lookup(text) if plain_statuses && sort.is_none() => {
            return UserQuery { q: Some(text.clone()), limit: Some(PAGE_SIZE), ..UserQuery::default() };
        }
        _ => UserQuery::search(search_expression(plan, statuses)),
    };
    if let Some(sort) = sort {
        query.sort_by = Some(sort.column.sort_by().to_owned());
        query.sort_desc = sort.descending;
    }
    query.limit = Some(PAGE_SIZE);
    query
}
