//! Message handling. Every branch returns the effects to run.

mod actions;
mod bulk;
mod bulk_pick;
mod bulk_resume;
mod edit;
mod export;
mod form;
mod import;
mod keys;
mod results;
mod search;
mod selection;
mod tabs;

use super::list::Paging;
use super::{Effect, Load, Msg, Overlay, PageFrom, State, Timer};
use crossterm::event::{KeyEventKind, MouseEventKind};
use std::time::Duration;

/// How long the cursor must rest on a row before its user is fetched.
const DETAIL_DEBOUNCE: Duration = Duration::from_millis(120);

/// Effects to run when the app starts (after the first frame is drawn).
pub fn start(state: &mut State) -> Vec<Effect> {
    let me = state.next_req();
    state.admin = Load::Loading(me);
    let mut effects = vec![Effect::FetchMe { req: me }];
    effects.extend(load_more(state));
    effects.extend(fetch_schema(state));
    effects.extend(fetch_types(state));
    effects.extend(bulk_resume::find(state));
    effects
}

fn fetch_schema(state: &mut State) -> Option<Effect> {
    let req = state.next_req();
    state.schema = Load::Loading(req);
    Some(Effect::FetchSchema { req })
}

fn fetch_types(state: &mut State) -> Option<Effect> {
    let req = state.next_req();
    state.types = Load::Loading(req);
    Some(Effect::FetchTypes { req })
}

/// Asks again for what failed to load at start (on refresh).
fn retry_failed_metadata(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    if matches!(state.admin, Load::Failed(_)) {
        let req = state.next_req();
        state.admin = Load::Loading(req);
        effects.push(Effect::FetchMe { req });
    }
    if matches!(state.schema, Load::Failed(_)) {
        effects.extend(fetch_schema(state));
    }
    if matches!(state.types, Load::Failed(_)) {
        effects.extend(fetch_types(state));
    }
    effects
}

/// Handles one message. `state.dirty` says afterwards whether the screen
/// may have changed: stale answers, old timers and unbound keys leave it
/// false so the driver skips the frame.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    state.dirty = true;
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => unchanged(state),
        Msg::Key(key) => keys::on_key(state, key),
        Msg::Mouse(mouse) => on_mouse(state, mouse.kind, mouse.row, mouse.column),
        Msg::Paste(text) => on_paste(state, &text),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Msg::Viewport(viewport) => {
            state.viewport = viewport;
            state.list.viewport = usize::from(viewport.list_rows).max(1);
            let selected = state.list.selected;
            state.list.select(selected);
            // A wider pane or a shorter user leaves less to scroll.
            keys::scroll_detail(state, 0);
            if matches!(state.overlay, Some(Overlay::Messages)) {
                let limit = usize::from(viewport.log_scroll_limit);
                state.messages.scroll = state.messages.scroll.min(limit);
            }
            if let Some(Overlay::Help { scroll }) = &mut state.overlay {
                *scroll = (*scroll).min(viewport.help_scroll_limit);
            }
            if let Some(Overlay::Bulk(dialog)) = &mut state.overlay
                && let super::bulk::Dialog::Plan(planned) = &mut **dialog
            {
                planned.scroll = planned.scroll.min(viewport.bulk_scroll_limit);
            }
            Vec::new()
        }
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::Timer(Timer::SearchDebounce(generation)) => match search::on_debounce(state, generation) {
            effects if effects.is_empty() => unchanged(state),
            effects => effects,
        },
        Msg::Timer(Timer::DetailDebounce(generation)) if generation == state.detail.generation => {
            let mut effects: Vec<Effect> = match state.detail.user {
                Load::Idle => fetch_detail(state).into_iter().collect(),
                Load::Loaded(_) => fetch_groups(state).into_iter().collect(),
                _ => Vec::new(),
            };
            effects.extend(tabs::load_shown(state));
            effects
        }
        Msg::Timer(Timer::DetailDebounce(_)) => unchanged(state),
        Msg::Timer(Timer::GroupSearch(generation)) => form::on_group_timer(state, generation),
        Msg::Timer(Timer::TimelinePoll(generation)) => super::timeline::on_poll_timer(state, generation),
        Msg::Timer(Timer::TabGroupSearch(generation)) => tabs::on_group_timer(state, generation),
        Msg::Api(req, result) => results::on_result(state, req, result),
        Msg::Budget(budget) => {
            state.rate.on_budget(budget, state.now);
            Vec::new()
        }
        Msg::RateWait(wait) => match state.rate.on_wait(wait, state.now) {
            true => Vec::new(),
            false => unchanged(state),
        },
    }
}

/// For messages that changed nothing on screen.
fn unchanged(state: &mut State) -> Vec<Effect> {
    state.dirty = false;
    Vec::new()
}

fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    // Pasted text may carry newlines and escape sequences; inputs hold one
    // line of printable text.
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if state.too_small() {
        // Like keys, a paste would land unseen in whatever the notice hides.
        return unchanged(state);
    }
    if let Some(prompt) = import::prompt_mut(state) {
        let value = format!("{}{}", prompt.path.value(), clean.trim());
        prompt.path = prompt.path.clone().with_value(value);
        return Vec::new();
    }
    if let Some(effects) = bulk_pick::paste(state, clean.trim()) {
        return effects;
    }
    if let Some(form) = &mut state.form {
        form.paste(clean.trim());
        return Vec::new();
    }
    if state.search.editing {
        let input = &mut state.search.input;
        let value = format!("{}{}", input.value(), clean.trim());
        *input = input.clone().with_value(value);
        return search::after_edit(state);
    }
    Vec::new()
}

fn on_mouse(state: &mut State, kind: MouseEventKind, row: u16, column: u16) -> Vec<Effect> {
    if state.form.is_some() || state.overlay.is_some() || import::is_shown(state) {
        return Vec::new();
    }
    let v = state.viewport;
    // Below the list's last row (and its border) is the detail pane when
    // a narrow terminal stacks the two.
    let in_list = column >= v.list_left && column < v.list_right && row <= v.list_top + v.list_rows;
    match kind {
        MouseEventKind::ScrollDown if in_list => move_cursor(state, 3),
        MouseEventKind::ScrollUp if in_list => move_cursor(state, -3),
        MouseEventKind::ScrollDown => {
            keys::scroll_detail(state, 3);
            Vec::new()
        }
        MouseEventKind::ScrollUp => {
            keys::scroll_detail(state, -3);
            Vec::new()
        }
        MouseEventKind::Down(_) if in_list && row >= v.list_top && row < v.list_top + v.list_rows => {
            state.focus = super::Pane::List;
            let target = state.list.offset + usize::from(row - v.list_top);
            if target < state.list.rows.len() {
                let delta = target as isize - state.list.selected as isize;
                return move_cursor(state, delta);
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Moves the list cursor; schedules the detail fetch and more pages.
fn move_cursor(state: &mut State, delta: isize) -> Vec<Effect> {
    let before = state.list.selected;
    state.list.move_by(delta);
    after_selection(state, before)
}

fn select(state: &mut State, index: usize) -> Vec<Effect> {
    let before = state.list.selected;
    state.list.select(index);
    after_selection(state, before)
}

fn after_selection(state: &mut State, before: usize) -> Vec<Effect> {
    let mut effects = Vec::new();
    let selected_id = state.list.selected_row().map(|r| Box::<str>::from(r.id()));
    if state.list.selected != before || state.detail.id != selected_id {
        effects.extend(retarget_detail(state));
    }
    effects.extend(load_more(state));
    effects
}

/// Points the detail pane at the selected row: from the cache at once, or
/// fetched after the cursor rests (so holding `j` doesn't fire a request
/// per row).
fn retarget_detail(state: &mut State) -> Option<Effect> {
    let id = state.list.selected_row().map(|r| Box::<str>::from(r.id()));
    let view_scroll_keep = state.detail.view;
    let generation = state.detail.retarget(id.clone());
    state.detail.view = view_scroll_keep;
    super::timeline::leave_tab(state);
    let id = id?;
    if let Some(user) = state.cache.get(&id) {
        // Shown at once; its groups follow once the cursor rests.
        state.detail.user = Load::Loaded(user.clone());
    }
    Some(Effect::Schedule { after: DETAIL_DEBOUNCE, timer: Timer::DetailDebounce(generation) })
}

fn fetch_detail(state: &mut State) -> Option<Effect> {
    let id = state.detail.id.clone()?;
    let req = state.next_req();
    state.detail.user = Load::Loading(req);
    Some(Effect::FetchUser { req, id: id.to_string() })
}

fn fetch_groups(state: &mut State) -> Option<Effect> {
    let user_id = state.shown_user()?.id().to_owned();
    let req = state.next_req();
    state.detail.groups = Load::Loading(req);
    Some(Effect::FetchGroups { req, user_id })
}

/// Fetches the next page when the cursor nears the end of what is loaded.
fn load_more(state: &mut State) -> Option<Effect> {
    if !state.list.wants_more() {
        return None;
    }
    let from = match &state.list.paging {
        Paging::More(Some(url)) => PageFrom::Next(url.clone()),
        Paging::More(None) => PageFrom::First(current_query(state)),
        _ => return None,
    };
    Some(fetch_page(state, from))
}

fn fetch_page(state: &mut State, from: PageFrom) -> Effect {
    let req = state.next_req();
    state.list.paging = Paging::Loading(req);
    state.list.last_request = Some(from.clone());
    Effect::FetchPage { req, from }
}

fn current_query(state: &State) -> crate::okta::UserQuery {
    let plan = super::search::plan(&state.search.applied).unwrap_or(super::search::Plan::Everyone);
    super::search::build_query(&plan, &state.statuses, state.sort)
}

/// Drops the list and starts over with the current query.
fn reload_list(state: &mut State) -> Vec<Effect> {
    state.list.reset();
    if state.statuses.0.is_empty() {
        // No status ticked lists nobody; the org need not be asked.
        state.list.paging = Paging::Done;
    }
    let mut effects: Vec<Effect> = load_more(state).into_iter().collect();
    effects.extend(retarget_detail(state));
    effects
}

fn open_overlay(state: &mut State, overlay: Overlay) -> Vec<Effect> {
    state.overlay = Some(overlay);
    Vec::new()
}
