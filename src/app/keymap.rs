//! Every key binding, as data. The footer hints and the help screen are
//! generated from this table, so they can't drift from what keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the keyboard focus is; decides which bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Applies everywhere that is not a text input.
    Global,
    List,
    Detail,
    /// The System Log timeline (`l`, `L`).
    Timeline,
    /// The detail pane showing a tab with keys of its own; the detail
    /// pane's and global keys apply too.
    GroupsTab,
    FactorsTab,
}

impl Context {
    /// The context whose keys apply when this one doesn't bind a key.
    fn parent(self) -> Option<Context> {
        match self {
            Context::GroupsTab | Context::FactorsTab => Some(Context::Detail),
            Context::Global => None,
            Context::List | Context::Detail | Context::Timeline => Some(Context::Global),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Messages,
    Redraw,
    Suspend,
    Down,
    Up,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    NextPane,
    PrevPane,
    Open,
    Back,
    Search,
    StatusFilter,
    Sort,
    NewUser,
    Actions,
    RawJson,
    Refresh,
    CopyId,
    CopyLogin,
    CopyJson,
    AdminConsole,
    Export,
    Timeline,
    OrgLog,
    TimelineExpand,
    TimelineFollow,
    TimelineKind,
    TimelineOutcome,
    TimelineRange,
    PrevTab,
    NextTab,
    ShowTab(crate::app::detail::View),
    AddToGroup,
    RemoveFromGroup,
    ResetFactor,
    EditProfile,
    Import,
    ToggleSelected,
    SelectRange,
    SelectAllMatching,
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: false }
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    /// Whether a terminal key event is this key. Shift is part of the
    /// character (`G`), so it is ignored for character keys.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let event_ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if event_ctrl != self.ctrl || event.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) if self.ctrl => a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        }
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{base}") } else { base }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub context: Context,
    pub help: &'static str,
    /// Short word for the footer; `None` keeps it out of the footer.
    pub hint: Option<&'static str>,
}

const fn bind(
    keys: &'static [Key],
    action: Action,
    context: Context,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding { keys, action, context, help, hint }
}

use crate::app::detail::View;
use Action as A;
use Context::Timeline as Log;
use Context::{Detail, FactorsTab, Global, GroupsTab, List};

pub const KEYMAP: &[Binding] = &[
    bind(&[code(KeyCode::Down), k('j')], A::Down, Global, "Move down", None),
    bind(&[code(KeyCode::Up), k('k')], A::Up, Global, "Move up", None),
    bind(&[ctrl('d')], A::HalfPageDown, Global, "Half a page down", None),
    bind(&[ctrl('u')], A::HalfPageUp, Global, "Half a page up", None),
    bind(&[code(KeyCode::PageDown)], A::PageDown, Global, "Page down", None),
    bind(&[code(KeyCode::PageUp)], A::PageUp, Global, "Page up", None),
    bind(&[k('g'), code(KeyCode::Home)], A::Top, Global, "First row", None),
    bind(&[k('G'), code(KeyCode::End)], A::Bottom, Global, "Last user (loads the rest; any key stops)", None),
    bind(&[code(KeyCode::Tab)], A::NextPane, Global, "Next pane", None),
    bind(&[code(KeyCode::BackTab)], A::PrevPane, Global, "Previous pane", None),
    bind(&[code(KeyCode::Enter)], A::Open, List, "Open the user", None),
    bind(&[code(KeyCode::Enter)], A::Actions, Detail, "Actions (lifecycle)", None),
    bind(&[code(KeyCode::Esc)], A::Back, Global, "Back / clear search", None),
    bind(&[k('/')], A::Search, Global, "Search (text or expression)", Some("search")),
    bind(&[k('s')], A::StatusFilter, Global, "Filter by status", Some("status")),
    bind(&[k('S')], A::Sort, List, "Sort: next column, again to reverse", Some("sort")),
    bind(&[k('n')], A::NewUser, Global, "New user", Some("new")),
    bind(&[k('a')], A::Actions, Global, "Actions (lifecycle)", Some("actions")),
    bind(&[k('r')], A::RawJson, Global, "Toggle raw JSON", Some("raw")),
    bind(&[k('R'), ctrl('r')], A::Refresh, Global, "Refresh", Some("refresh")),
    bind(&[k('y')], A::CopyId, Global, "Copy id", None),
    bind(&[k('Y')], A::CopyLogin, Global, "Copy login", None),
    bind(&[k('J')], A::CopyJson, Global, "Copy JSON", None),
    bind(&[k('o')], A::AdminConsole, Global, "Admin Console URL", None),
    bind(&[k('x')], A::Export, Global, "Export the list as shown (JSON lines or CSV)", None),
    bind(&[k('e')], A::EditProfile, Global, "Edit the user's profile", None),
    bind(&[k('i')], A::Import, Global, "Import users from a CSV or .xlsx file", None),
    bind(&[k('m')], A::Messages, Global, "Message log", Some("messages")),
    bind(&[k('?')], A::Help, Global, "Help", Some("help")),
    bind(&[ctrl('l')], A::Redraw, Global, "Redraw the screen", None),
    bind(&[ctrl('z')], A::Suspend, Global, "Suspend (fg to resume)", None),
    bind(&[k('q'), ctrl('c')], A::Quit, Global, "Quit", Some("quit")),
    bind(&[k(']')], A::NextTab, Global, "Next tab of the detail pane", None),
    bind(&[k('[')], A::PrevTab, Global, "Previous tab of the detail pane", None),
    bind(&[k('1')], A::ShowTab(View::Sections), Global, "Profile tab", None),
    bind(&[k('2')], A::ShowTab(View::Groups), Global, "Groups tab", None),
    bind(&[k('3')], A::ShowTab(View::Factors), Global, "Factors tab", None),
    bind(&[k('4')], A::ShowTab(View::Apps), Global, "Apps tab (loaded when shown)", None),
    bind(&[k('5')], A::ShowTab(View::Raw), Global, "Raw JSON tab", None),
    bind(&[k('6')], A::ShowTab(View::Log), Global, "System Log tab: the timeline's keys work there", None),
    bind(&[k('+')], A::AddToGroup, GroupsTab, "Add the user to a group (search by name)", Some("add")),
    bind(&[k('-')], A::RemoveFromGroup, GroupsTab, "Remove the user from the selected group", Some("remove")),
    bind(&[k('-')], A::ResetFactor, FactorsTab, "Reset the selected factor", Some("reset factor")),
    bind(&[k(' ')], A::ToggleSelected, List, "Select / unselect the user (bulk operations)", None),
    bind(&[k('V')], A::SelectRange, List, "Start / end a range selection", None),
    bind(&[k('*')], A::SelectAllMatching, List, "Select all users matching search and statuses", None),
    bind(&[k('l')], A::Timeline, Global, "The user's System Log timeline (tab 6, maximised)", None),
    bind(&[k('L')], A::OrgLog, Global, "The org's System Log", None),
    bind(
        &[code(KeyCode::Enter)],
        A::TimelineExpand,
        Log,
        "Expand the event (changes, client, raw JSON)",
        Some("expand"),
    ),
    bind(&[k('f')], A::TimelineFollow, Log, "Follow new events live (again to stop)", Some("follow")),
    bind(&[k('t')], A::TimelineKind, Log, "Event type: lifecycle, profile, sign-ins, MFA…", Some("type")),
    bind(&[k('o')], A::TimelineOutcome, Log, "Failures only, or every outcome", Some("outcome")),
    bind(&[k('d')], A::TimelineRange, Log, "Time range: 24h, 7d, 30d, 90d", Some("range")),
    bind(&[code(KeyCode::Esc)], A::Back, Log, "Close the event, then the timeline", Some("back")),
];

/// The action for `event` in `context`; context bindings win over global.
pub fn lookup(context: Context, event: &KeyEvent) -> Option<Action> {
    let find = |ctx: Context| {
        KEYMAP.iter().find(|b| b.context == ctx && b.keys.iter().any(|k| k.matches(event))).map(|b| b.action)
    };
    let mut ctx = Some(context);
    while let Some(c) = ctx {
        if let Some(action) = find(c) {
            return Some(action);
        }
        ctx = c.parent();
    }
    None
}

/// The context and those it falls back to.
fn applies_in(binding: &Binding, context: Context) -> bool {
    let mut ctx = Some(context);
    while let Some(c) = ctx {
        if binding.context == c {
            return true;
        }
        ctx = c.parent();
    }
    false
}

/// `(keys, word)` pairs for the footer in `context`.
pub fn hints(context: Context) -> Vec<(String, &'static str)> {
    let mut hints: Vec<_> = KEYMAP
        .iter()
        .filter(|b| applies_in(b, context))
        // The timeline takes the keyboard: of the rest only help and quit work.
        .filter(|b| context != Context::Timeline || b.context == context || matches!(b.action, A::Help | A::Quit))
        .filter_map(|b| {
            Some((
                b.context == context && (context == Context::Timeline || context.parent() == Some(Detail)),
                b.keys[0].label(),
                b.hint?,
            ))
        })
        .collect();
    // A tab's or the timeline's own keys lead: they are what it is for.
    hints.sort_by_key(|(own, _, _)| !own);
    hints.into_iter().map(|(_, key, hint)| (key, hint)).collect()
}

/// Keys of one binding, joined for the help screen.
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(Key::label).collect::<Vec<_>>().join(", ")
}

/// The keys table of the README, generated so it can't drift (a test
/// checks the README holds exactly this).
pub fn markdown_table() -> String {
    let mut out = String::from("| keys | where | action |\n|---|---|---|\n");
    for b in KEYMAP {
        let keys = b.keys.iter().map(|k| format!("`{}`", k.label())).collect::<Vec<_>>().join(", ");
        let place = match b.context {
            Context::Global => "anywhere",
            Context::List => "user list",
            Context::Detail => "detail pane",
            Context::Timeline => "System Log timeline",
            Context::GroupsTab => "Groups tab",
            Context::FactorsTab => "Factors tab",
        };
        out.push_str(&format!("| {keys} | {place} | {} |\n", b.help));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn shifted_letters_and_control_keys_resolve() {
        assert_eq!(lookup(List, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(A::Bottom));
        assert_eq!(lookup(List, &ev(KeyCode::Char('g'), KeyModifiers::NONE)), Some(A::Top));
        assert_eq!(lookup(List, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(A::Quit));
        assert_eq!(lookup(List, &ev(KeyCode::Char('d'), KeyModifiers::CONTROL)), Some(A::HalfPageDown));
        assert_eq!(lookup(List, &ev(KeyCode::Char('d'), KeyModifiers::ALT)), None);
    }

    #[test]
    fn context_bindings_win() {
        assert_eq!(lookup(List, &ev(KeyCode::Enter, KeyModifiers::NONE)), Some(A::Open));
        assert_eq!(lookup(Detail, &ev(KeyCode::Enter, KeyModifiers::NONE)), Some(A::Actions));
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                let overlap = a.context == b.context && a.keys.iter().any(|k| b.keys.contains(k));
                assert!(!overlap, "{:?} and {:?} share a key", a.action, b.action);
            }
        }
    }
}
