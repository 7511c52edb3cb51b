//! API results: applied when their request id is still awaited, dropped
//! otherwise.

use super::super::list::Paging;
use super::super::messages::Work;
use super::super::{ApiResult, Effect, Load, ReqId, State};
use super::{after_selection, fetch_groups, load_more, retarget_detail, tabs, unchanged};
use crate::okta::{Error, User};

pub fn on_result(state: &mut State, req: ReqId, result: ApiResult) -> Vec<Effect> {
    match result {
        ApiResult::Logs(result) => super::super::timeline::on_logs(state, req, result),
        ApiResult::Page(result) => on_page(state, req, result),
        ApiResult::User(result) => {
            if state.detail.user != Load::Loading(req) {
                return unchanged(state);
            }
            match result {
                Ok(user) => {
                    state.list.update_row(user.to_row());
                    state.cache.put(user.clone());
                    state.detail.user = Load::Loaded(user);
                    let mut effects: Vec<Effect> = fetch_groups(state).into_iter().collect();
                    effects.extend(tabs::load_shown(state));
                    effects
                }
                Err(e) if e.status() == Some(404) => {
                    // Deleted meanwhile (or by a delete whose answer was lost).
                    let id = state.detail.id.clone().unwrap_or_default();
                    state.messages.info(state.now, format!("User {id} no longer exists; removed from the list"));
                    state.cache.remove(&id);
                    state.list.remove(&id);
                    retarget_detail(state).into_iter().collect()
                }
                Err(e) => {
                    let text = state.failure("Could not load the user", &e);
                    state.messages.error(state.now, text.clone());
                    state.detail.user = Load::Failed(text);
                    Vec::new()
                }
            }
        }
        ApiResult::Groups(result) => {
            if state.detail.groups != Load::Loading(req) {
                return unchanged(state);
            }
            state.detail.groups = match result {
                Ok(groups) => Load::Loaded(groups),
                Err(e) => Load::Failed(format!("Could not load the groups: {e}")),
            };
            tabs::move_cursor_within(state);
            Vec::new()
        }
        ApiResult::Schema(result) => {
            if state.schema != Load::Loading(req) {
                return unchanged(state);
            }
            state.schema = match result {
                Ok(schema) => Load::Loaded(schema),
                Err(e) => {
                    let text = state.failure("Could not read the user schema, so attribute names are shown", &e);
                    state.messages.error(state.now, text.clone());
                    Load::Failed(text)
                }
            };
            Vec::new()
        }
        ApiResult::Types(result) => {
            if state.types != Load::Loading(req) {
                return unchanged(state);
            }
            state.types = match result {
                Ok(types) => Load::Loaded(types),
                Err(e) => {
                    let text = state.failure("Could not read the user types", &e);
                    state.messages.error(state.now, text);
                    Load::Failed(e.to_string())
                }
            };
            Vec::new()
        }
        ApiResult::Lifecycle(result) => super::actions::on_result(state, req, result),
        ApiResult::ExportProgress(users) => super::export::on_progress(state, req, users),
        ApiResult::Exported(result) => super::export::on_done(state, req, result),
        ApiResult::GroupSearch(result) => super::form::on_group_results(state, req, result),
        ApiResult::Lookup(result) => {
            if state.search.lookup != Some(req) {
                return unchanged(state);
            }
            state.search.lookup = None;
            state.messages.finished(Work::Lookup);
            match result {
                Ok(user) => {
                    state.search.editing = false;
                    return show_user(state, user);
                }
                Err(e) if e.status() == Some(404) => {
                    let key = state.search.input.value().trim().to_owned();
                    state.messages.error(state.now, format!("No user has the id or login {key}"));
                }
                Err(e) => state.messages.error(state.now, format!("Lookup failed: {e}")),
            }
            Vec::new()
        }
        ApiResult::Me(result) => {
            if state.admin != Load::Loading(req) {
                return unchanged(state);
            }
            state.admin = match result {
                Ok(me) => Load::Loaded(me.login().to_owned()),
                Err(e) => {
                    let text = state.failure("Could not read the signed-in admin", &e);
                    state.messages.error(state.now, text);
                    Load::Failed(e.to_string())
                }
            };
            Vec::new()
        }
        ApiResult::Created(result) => super::form::on_created(state, req, result),
        ApiResult::Tab(result) => tabs::on_result(state, req, result),
        ApiResult::Import(result) => super::import::on_result(state, req, result),
        ApiResult::Edit(result) => super::edit::on_result(state, req, result),
        ApiResult::Bulk(result) => super::bulk::on_result(state, req, result),
    }
}

fn on_page(
    state: &mut State,
    req: ReqId,
    result: Result<crate::okta::Page<crate::okta::UserRow>, Error>,
) -> Vec<Effect> {
    if state.list.paging != Paging::Loading(req) {
        return unchanged(state);
    }
    state.messages.finished(Work::Refresh);
    match result {
        Ok(page) => {
            let first = state.list.rows.is_empty();
            let refreshed = state.list.is_refreshing();
            state.list.append_page(page.items, page.next);
            let mut effects = Vec::new();
            if first {
                effects.extend(after_selection(state, usize::MAX));
            } else if refreshed {
                // The cursor may have moved if its user is gone.
                let selected = state.list.selected;
                effects.extend(after_selection(state, selected));
            } else if state.list.seeking_end {
                let before = state.list.selected;
                state.list.select(usize::MAX);
                state.list.seeking_end = matches!(state.list.paging, Paging::More(_));
                effects.extend(after_selection(state, before));
            } else {
                effects.extend(load_more(state));
            }
            effects
        }
        Err(e) => {
            let text = state.failure("Could not load users", &e);
            state.messages.error(state.now, text.clone());
            state.list.paging = Paging::Failed(text);
            state.list.seeking_end = false;
            Vec::new()
        }
    }
}

/// Selects `user` in the list (adding it if needed) and shows it in full.
pub fn show_user(state: &mut State, user: User) -> Vec<Effect> {
    state.list.upsert_and_select(user.to_row());
    show_selected(state, user)
}

/// Shows `user`, already selected in the list, in full: the detail pane
/// and, as for any user shown, its groups.
pub fn show_selected(state: &mut State, user: User) -> Vec<Effect> {
    state.cache.put(user.clone());
    state.detail.retarget(Some(user.id().into()));
    state.detail.user = Load::Loaded(user);
    super::super::timeline::leave_tab(state);
    let mut effects: Vec<Effect> = fetch_groups(state).into_iter().collect();
    effects.extend(tabs::load_shown(state));
    effects
}
