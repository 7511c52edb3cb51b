//! Lifecycle actions on the shown user: the menu built from the user's
//! `_links` and what Okta documents for its status, the confirm dialog with the
//! operation's options, and the outcome the admin may need to hand over.

use super::ReqId;
use crate::okta::{LifecycleOp, LifecycleOptionKind, LifecycleOptions, LifecycleOutcome, Link, Secret, User};
use tui_input::Input;

#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    pub user_id: String,
    pub ops: Vec<LifecycleOp>,
    /// Those of `ops` that Okta documents for the user's status but its
    /// `_links` do not advertise; marked so, and the org's answer decides.
    pub not_linked: Vec<LifecycleOp>,
    /// The status the documented operations were chosen for.
    pub status: String,
    pub cursor: usize,
    /// Entries after the operations that are not lifecycle operations.
    pub more: Vec<super::tabs::MoreAction>,
}

impl Menu {
    /// The operations the user's links offer (expiring with a temporary
    /// password rides on the `expirePassword` link), then those documented
    /// for its status that the links omit.
    /// The ones that lose data or access come last, away from the cursor.
    pub fn for_user(user: &User) -> Self {
        let not_linked = LifecycleOp::documented_not_linked(user);
        let mut ops = LifecycleOp::offered(user);
        ops.extend(&not_linked);
        ops.sort_by_key(|op| op.is_destructive());
        Self {
            user_id: user.id().to_owned(),
            ops,
            not_linked,
            status: user.status_str().to_owned(),
            cursor: 0,
            more: vec![super::tabs::MoreAction::ClearSessions],
        }
    }

    /// Entries shown: the operations, then the others.
    pub fn len(&self) -> usize {
        self.ops.len() + self.more.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_linked(&self, op: LifecycleOp) -> bool {
        !self.not_linked.contains(&op)
    }
}

/// What focus can sit on in the confirm dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmFocus {
    Option(usize),
    Typed,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub op: LifecycleOp,
    pub user_id: String,
    pub login: String,
    pub name: String,
    /// The advertised link to follow, when the op has its own.
    pub link: Option<Link>,
    pub options: Vec<(LifecycleOptionKind, bool)>,
    /// The login, typed to confirm operations that lose data or access.
    pub typed: Option<Input>,
    pub focus: ConfirmFocus,
    pub sending: Option<ReqId>,
    pub error: Option<String>,
}

impl Confirm {
    pub fn new(op: LifecycleOp, user: &User) -> Self {
        let link = match op {
            LifecycleOp::ExpirePasswordWithTempPassword => None,
            other => user.link(other.rel()),
        };
        let typed = op.is_destructive().then(Input::default);
        let options: Vec<_> = op.options().iter().map(|o| (o.kind, o.default)).collect();
        // Typing starts in the login field: a confirmation that drops the
        // first letters of the login teaches people to distrust it.
        let focus = if typed.is_some() { ConfirmFocus::Typed } else { ConfirmFocus::Option(0) };
        Self {
            op,
            user_id: user.id().to_owned(),
            login: user.login().to_owned(),
            name: user.display_name(),
            link,
            options,
            typed,
            focus,
            sending: None,
            error: None,
        }
    }

    /// Whether Enter may run it: typed confirmation matches when required.
    pub fn ready(&self) -> bool {
        self.sending.is_none() && self.typed.as_ref().is_none_or(|t| t.value().trim() == self.login)
    }

    pub fn chosen(&self) -> LifecycleOptions {
        let pick = |kind| self.options.iter().find(|(k, _)| *k == kind).map(|(_, v)| *v);
        LifecycleOptions {
            send_email: pick(LifecycleOptionKind::SendEmail),
            revoke_sessions: pick(LifecycleOptionKind::RevokeSessions),
        }
    }

    /// Focus stops: each option, then the typed login.
    pub fn move_focus(&mut self, forward: bool) {
        let mut stops: Vec<ConfirmFocus> = (0..self.options.len()).map(ConfirmFocus::Option).collect();
        if self.typed.is_some() {
            stops.push(ConfirmFocus::Typed);
        }
        if stops.is_empty() {
            return;
        }
        let i = stops.iter().position(|s| *s == self.focus).unwrap_or(0);
        let n = stops.len();
        self.focus = stops[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    pub fn toggle_focused(&mut self) {
        if let ConfirmFocus::Option(i) = self.focus
            && let Some((_, on)) = self.options.get_mut(i)
        {
            *on = !*on;
        }
    }
}

pub fn option_label(kind: LifecycleOptionKind, op: LifecycleOp) -> &'static str {
    match (kind, op) {
        (LifecycleOptionKind::SendEmail, LifecycleOp::Deactivate | LifecycleOp::Delete) => "Email the admins about it",
        (LifecycleOptionKind::SendEmail, _) => "Send the user an email",
        (LifecycleOptionKind::RevokeSessions, _) => "Sign the user out everywhere (revoke sessions)",
    }
}

/// What an operation gave back that the admin may need: links and a
/// temporary password, kept secret until drawn or copied.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub op: LifecycleOp,
    pub login: String,
    pub items: Vec<(&'static str, Secret)>,
    pub cursor: usize,
}

impl Outcome {
    pub fn from(op: LifecycleOp, login: &str, outcome: &LifecycleOutcome) -> Option<Self> {
        let items: Vec<(&'static str, Secret)> = [
            ("Activation URL", &outcome.activation_url),
            ("Activation token", &outcome.activation_token),
            ("Reset password URL", &outcome.reset_password_url),
            ("Temporary password", &outcome.temp_password),
        ]
        .into_iter()
        .filter_map(|(label, value)| Some((label, value.clone()?)))
        .collect();
        (!items.is_empty()).then(|| Self { op, login: login.to_owned(), items, cursor: 0 })
    }
}
