//! Keys outside text inputs: the keymap's actions.

use super::super::detail::View;
use super::super::keymap::{self, Action};
use super::super::list::{Paging, next_sort};
use super::super::messages::Work;
use super::super::{Effect, Load, Overlay, Pane, State};
use super::{actions, form, import, move_cursor, open_overlay, reload_list, search, select, selection, tabs};
use crate::okta::UserStatus;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if state.too_small() && !matches!(state.overlay, Some(Overlay::ConfirmQuit)) {
        return while_too_small(state, key);
    }
    // Ctrl-C quits from anywhere, asking first only when typed form input
    // would be lost.
    if is_ctrl_c(&key) && !matches!(state.overlay, Some(Overlay::ConfirmQuit)) {
        return quit(state);
    }
    if state.list.seeking_end {
        // Any key stops `G` where it got to; the key does nothing else.
        state.list.seeking_end = false;
        let text = format!("Stopped going to the end at row {}", state.list.rows.len());
        state.messages.info(state.now, text);
        return Vec::new();
    }
    if let Some(overlay) = state.overlay.take() {
        return on_overlay_key(state, overlay, key);
    }
    if import::is_shown(state) {
        return import::on_key(state, key);
    }
    if state.form.is_some() {
        return form::on_key(state, key);
    }
    if state.context() == keymap::Context::Timeline {
        return match super::super::timeline::on_key(state, &key) {
            Some(effects) => effects,
            None => keymap::lookup(keymap::Context::Global, &key).map_or_else(Vec::new, |a| on_action(state, a)),
        };
    }
    if state.search.editing {
        return search::on_key(state, key);
    }
    match keymap::lookup(state.context(), &key) {
        Some(action) => on_action(state, action),
        None => super::unchanged(state),
    }
}

/// Quits, asking first when typed form input or a running export, import
/// or bulk job would be lost.
fn quit(state: &mut State) -> Vec<Effect> {
    let bulk_running = state.bulk_job.as_ref().is_some_and(crate::app::bulk::JobView::running);
    if state.form.as_ref().is_some_and(|f| f.is_dirty())
        || state.export.is_some()
        || import::is_running(state)
        || bulk_running
    {
        state.overlay = Some(Overlay::ConfirmQuit);
        return Vec::new();
    }
    vec![Effect::Quit]
}

/// The "too small" notice hides everything else, so a key would act
/// unseen (type into a hidden form): only the notice's `q`, and Ctrl-C,
/// act; both quit, asking first (on the notice) when something would be
/// lost.
fn while_too_small(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if is_ctrl_c(&key) || (key.code == KeyCode::Char('q') && key.modifiers.is_empty()) {
        return quit(state);
    }
    super::unchanged(state)
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('c' | 'C'))
}

pub fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.list.viewport as isize;
    let detail_page = state.viewport.detail_rows.max(1);
    let on_detail = state.focus == Pane::Detail;
    match action {
        Action::Quit => return quit(state),
        Action::Help => return open_overlay(state, Overlay::Help { scroll: 0 }),
        Action::Messages => {
            state.messages.dismiss_toast();
            return open_overlay(state, Overlay::Messages);
        }
        Action::Redraw => return vec![Effect::Redraw],
        Action::Suspend => return vec![Effect::Suspend],
        Action::Down if tabs::has_cursor(state) => tabs::move_cursor(state, 1),
        Action::Up if tabs::has_cursor(state) => tabs::move_cursor(state, -1),
        Action::Top if tabs::has_cursor(state) => tabs::move_cursor(state, isize::MIN / 2),
        Action::Bottom if tabs::has_cursor(state) => tabs::move_cursor(state, isize::MAX / 2),
        Action::Down if on_detail => scroll_detail(state, 1),
        Action::Up if on_detail => scroll_detail(state, -1),
        Action::HalfPageDown if on_detail => scroll_detail(state, i32::from(detail_page / 2)),
        Action::HalfPageUp if on_detail => scroll_detail(state, -i32::from(detail_page / 2)),
        Action::PageDown if on_detail => scroll_detail(state, i32::from(detail_page)),
        Action::PageUp if on_detail => scroll_detail(state, -i32::from(detail_page)),
        Action::Top if on_detail => state.detail.scroll = 0,
        Action::Bottom if on_detail => state.detail.scroll = state.viewport.detail_scroll_limit(),
        Action::Down => return move_cursor(state, 1),
        Action::Up => return move_cursor(state, -1),
        Action::HalfPageDown => return move_cursor(state, (page / 2).max(1)),
        Action::HalfPageUp => return move_cursor(state, -(page / 2).max(1)),
        Action::PageDown => return move_cursor(state, page),
        Action::PageUp => return move_cursor(state, -page),
        Action::Top => return select(state, 0),
        Action::Bottom => return to_the_end(state),
        Action::NextPane | Action::PrevPane => {
            state.focus = if on_detail { Pane::List } else { Pane::Detail };
        }
        Action::Open => state.focus = Pane::Detail,
        Action::Back if on_detail => state.focus = Pane::List,
        Action::Back if selection::wants_esc(state) => return selection::on_esc(state),
        Action::Back => {
            if !state.search.applied.is_empty() || !state.search.input.value().is_empty() {
                return search::clear(state);
            }
        }
        Action::Search => search::begin(state),
        Action::StatusFilter => {
            let ticked = state.statuses.0.clone();
            return open_overlay(state, Overlay::StatusPicker { cursor: 0, ticked });
        }
        Action::Sort => {
            state.sort = next_sort(state.sort);
            return reload_list(state);
        }
        Action::NewUser => form::open(state),
        Action::RawJson => {
            let view = match state.detail.view {
                View::Raw => View::Sections,
                _ => View::Raw,
            };
            return tabs::show(state, view);
        }
        Action::Refresh => return refresh(state),
        Action::CopyId => return copy(state, "id", |u| Some(u.id().to_owned())),
        Action::CopyLogin => return copy(state, "login", |u| Some(u.login().to_owned())),
        Action::CopyJson => {
            return copy(state, "JSON", |u| serde_json::to_string_pretty(u).ok());
        }
        Action::AdminConsole => return admin_console(state),
        Action::Actions if !state.selection.is_empty() || super::bulk::job_on_a(state) => {
            return super::bulk::open_menu(state);
        }
        Action::Actions => return actions::open_menu(state),
        Action::Export => return super::export::open(state),
        Action::NextTab => return tabs::step(state, 1),
        Action::PrevTab => return tabs::step(state, -1),
        Action::ShowTab(view) => return tabs::focus(state, view),
        Action::AddToGroup => return tabs::add_to_group(state),
        Action::RemoveFromGroup => return tabs::remove_from_group(state),
        Action::ResetFactor => return tabs::reset_factor(state),
        Action::Timeline => return super::super::timeline::open_user(state),
        Action::OrgLog => return super::super::timeline::open_org(state),
        Action::TimelineExpand
        | Action::TimelineFollow
        | Action::TimelineKind
        | Action::TimelineOutcome
        | Action::TimelineRange => {}
        Action::EditProfile => return super::edit::open(state),
        Action::Import => return import::open(state),
        Action::ToggleSelected => return selection::toggle(state),
        Action::SelectRange => return selection::range(state),
        Action::SelectAllMatching => return selection::all_matching(state),
    }
    Vec::new()
}

/// `G`: the real last user. Pages load one after another (paced by the
/// client's rate budget) with the cursor following, until the last one.
fn to_the_end(state: &mut State) -> Vec<Effect> {
    state.list.seeking_end = matches!(state.list.paging, Paging::More(_) | Paging::Loading(_));
    select(state, usize::MAX)
}

pub(super) fn scroll_detail(state: &mut State, delta: i32) {
    let limit = state.viewport.detail_scroll_limit();
    state.detail.scroll_by(delta, limit);
}

/// `R`: after a failed page, ask for that page again; otherwise reload the
/// list from the first page and the shown user.
fn refresh(state: &mut State) -> Vec<Effect> {
    if let Some(from) = state.list.resumable() {
        let text = match state.list.is_refreshing() {
            true => "Refreshing".to_owned(),
            false => format!("Retrying from row {}", state.list.rows.len() + 1),
        };
        state.messages.progress(state.now, Work::Refresh, text);
        let mut effects = vec![super::fetch_page(state, from)];
        if matches!(state.detail.user, Load::Failed(_)) {
            effects.extend(super::retarget_detail(state));
        }
        return effects;
    }
    if let Some(id) = state.detail.id.clone() {
        state.cache.remove(&id);
        state.tabs.forget(&id);
        super::super::timeline::forget_user(state, &id);
    }
    state.messages.progress(state.now, Work::Refresh, "Refreshing");
    let mut effects = super::retry_failed_metadata(state);
    if state.list.rows.is_empty() {
        effects.extend(reload_list(state));
        return effects;
    }
    // The rows stay until the first page of the refresh replaces them.
    state.list.begin_refresh();
    let from = super::PageFrom::First(super::current_query(state));
    effects.push(super::fetch_page(state, from));
    effects.extend(super::retarget_detail(state));
    effects
}

fn copy(state: &mut State, what: &str, pick: impl Fn(&crate::okta::User) -> Option<String>) -> Vec<Effect> {
    let Some(text) = state.shown_user().and_then(pick) else {
        state.messages.error(state.now, "Nothing to copy: no user is shown");
        return Vec::new();
    };
    state.messages.success(state.now, format!("Copied the {what} to the clipboard"));
    vec![Effect::Copy(crate::okta::Secret::new(text))]
}

/// The user's page in the Admin Console: the org host with `-admin`.
fn admin_console(state: &mut State) -> Vec<Effect> {
    let Some(user) = state.shown_user() else { return Vec::new() };
    let host = &state.org_host;
    let admin_host = match host.split_once('.') {
        Some((org, rest)) if !crate::okta::is_loopback_host(host.split(':').next().unwrap_or(host)) => {
            format!("{org}-admin.{rest}")
        }
        _ => {
            let text = "The embedded org has no Admin Console; on a real org `o` opens the user's page there";
            state.messages.info(state.now, text);
            return Vec::new();
        }
    };
    let url = format!("https://{admin_host}/admin/user/profile/view/{}", user.id());
    state.messages.info(state.now, format!("Admin Console: {url}"));
    vec![Effect::OpenUrl(url)]
}

fn on_overlay_key(state: &mut State, overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
    let close = matches!(key.code, KeyCode::Esc | KeyCode::Char('q'));
    match overlay {
        Overlay::ConfirmQuit if matches!(key.code, KeyCode::Char('y' | 'Y')) || is_ctrl_c(&key) => {
            return vec![Effect::Quit];
        }
        Overlay::Help { scroll } if !close && key.code != KeyCode::Char('?') => {
            // Up to the last line as last drawn, as in the message log.
            let limit = state.viewport.help_scroll_limit;
            let scroll = match keymap::lookup(keymap::Context::Global, &key) {
                Some(Action::Down) => scroll.saturating_add(1),
                Some(Action::Up) => scroll.saturating_sub(1),
                Some(Action::PageDown | Action::HalfPageDown) => scroll.saturating_add(10),
                Some(Action::PageUp | Action::HalfPageUp) => scroll.saturating_sub(10),
                Some(Action::Top) => 0,
                Some(Action::Bottom) => limit,
                _ => scroll,
            }
            .min(limit);
            state.overlay = Some(Overlay::Help { scroll });
        }
        Overlay::Messages if !close && key.code != KeyCode::Char('m') => {
            // Up to the oldest line as last drawn, so no key scrolls past
            // an end the next keys have to climb back from.
            let limit = usize::from(state.viewport.log_scroll_limit);
            let log = &mut state.messages;
            match keymap::lookup(keymap::Context::Global, &key) {
                Some(Action::Up) => log.scroll = (log.scroll + 1).min(limit),
                Some(Action::Down) => log.scroll = log.scroll.saturating_sub(1),
                Some(Action::Top) => log.scroll = limit,
                Some(Action::Bottom) => log.scroll = 0,
                _ => {}
            }
            state.overlay = Some(Overlay::Messages);
        }
        Overlay::Actions(menu) => return actions::on_menu_key(state, menu, key),
        Overlay::Confirm(confirm) => return actions::on_confirm_key(state, confirm, key),
        Overlay::Outcome(outcome) => return actions::on_outcome_key(state, outcome, key),
        Overlay::Export(dialog) => return super::export::on_dialog_key(state, dialog, key),
        Overlay::Tab(dialog) => return tabs::on_dialog_key(state, *dialog, key),
        Overlay::Bulk(dialog) => return super::bulk::on_key(state, *dialog, key),
        Overlay::StatusPicker { cursor, mut ticked } => {
            let n = UserStatus::ALL.len();
            let mut cursor = cursor;
            match key.code {
                KeyCode::Esc => return Vec::new(),
                KeyCode::Enter => {
                    state.statuses.0 = ticked;
                    return reload_list(state);
                }
                KeyCode::Down | KeyCode::Char('j') => cursor = (cursor + 1) % n,
                KeyCode::Up | KeyCode::Char('k') => cursor = (cursor + n - 1) % n,
                KeyCode::Char(' ') | KeyCode::Char('x') => {
                    let status = UserStatus::ALL[cursor % n];
                    if !ticked.remove(&status) {
                        ticked.insert(status);
                    }
                }
                KeyCode::Char('a') => ticked = UserStatus::ALL.into_iter().collect(),
                KeyCode::Char('n') => ticked.clear(),
                KeyCode::Char('d') => ticked = super::super::search::StatusFilter::default().0,
                _ => {}
            }
            state.overlay = Some(Overlay::StatusPicker { cursor, ticked });
        }
        _ => {}
    }
    Vec::new()
}
