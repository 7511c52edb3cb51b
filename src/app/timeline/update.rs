//! The timeline's keys, answers and poll timer. Pure, like the rest of
//! `app`: requests go out as effects.

use super::{Follow, LogPage, PAGE, POLL_INTERVAL, Scope, Timeline, tab};
use crate::app::detail::View;
use crate::app::keymap::{self, Action, Context};
use crate::app::{Effect, Pane, ReqId, State, Timer};
use crate::okta::Page;
use crate::okta::logs::LogEvent;
use crossterm::event::KeyEvent;

/// Older events are asked for when the cursor comes this close to the end.
const LOAD_AHEAD: usize = 10;

/// `l`: the shown (or selected) user's timeline. For the user the detail
/// pane shows it is the Log tab maximised: one timeline, with its filters
/// and follow mode, whichever way it is looked at.
pub fn open_user(state: &mut State) -> Vec<Effect> {
    if state.detail.id.is_some() {
        state.detail.view = View::Log;
        let effects = tab::show_tab(state);
        if let Some(t) = state.timeline.as_mut() {
            t.docked = false;
        }
        return effects;
    }
    let who = match (state.shown_user(), state.list.selected_row()) {
        (Some(user), _) => Some((user.id().to_owned(), user.login().to_owned())),
        (None, Some(row)) => Some((row.id().to_owned(), row.login().to_owned())),
        (None, None) => None,
    };
    let Some((id, name)) = who else {
        state.messages.info(state.now, "No user selected: select one for its System Log, or L for the org's");
        return Vec::new();
    };
    open(state, Scope::User { id, name })
}

/// `L`: the org's whole System Log.
pub fn open_org(state: &mut State) -> Vec<Effect> {
    open(state, Scope::Org)
}

fn open(state: &mut State, scope: Scope) -> Vec<Effect> {
    tab::park(state);
    state.timeline = Some(Timeline::new(scope));
    reload(state)
}

/// Esc: a maximised Log tab goes back into the pane; any other timeline
/// closes, and the Log tab, if shown, shows its user's again.
pub fn close(state: &mut State) -> Vec<Effect> {
    if let Some(t) =
        state.timeline.as_mut().filter(|t| t.user_id().is_some() && t.user_id() == state.detail.id.as_deref())
    {
        t.docked = true;
        state.detail.view = View::Log;
        state.focus = Pane::Detail;
        return Vec::new();
    }
    state.timeline = None;
    if state.detail.view == View::Log { tab::show_tab(state) } else { Vec::new() }
}

/// The first page of the current filters; a follow in progress restarts
/// from the end of that page's range.
pub(super) fn reload(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    let req = state.next_req();
    let poll = state.timeline.as_ref().is_some_and(|t| t.follow.is_some()).then(|| state.next_req());
    let Some(t) = state.timeline.as_mut() else { return Vec::new() };
    t.clear();
    t.generation += 1;
    t.loading = Some(req);
    let mut effects =
        vec![Effect::FetchLogs { req, page: LogPage::First(t.filters.bounded(&t.scope, now)), follow: false }];
    if let Some(poll) = poll {
        t.follow = Some(Follow { next: None, req: Some(poll), arrived: 0 });
        let page = LogPage::First(t.filters.polling(&t.scope, now));
        effects.push(Effect::FetchLogs { req: poll, page, follow: true });
    }
    effects
}

/// Keys while the timeline is open; `None` for keys it leaves to the app
/// (quit, help, messages, redraw, suspend).
pub fn on_key(state: &mut State, key: &KeyEvent) -> Option<Vec<Effect>> {
    // Full-screen, the timeline has all but the header, message line,
    // footer and its own border.
    let full_screen = usize::from(state.size.1.saturating_sub(5));
    let action = keymap::lookup(Context::Timeline, key)?;
    let t = state.timeline.as_mut()?;
    let rows = if t.docked { usize::from(state.viewport.detail_rows) } else { full_screen }.max(1);
    let last = t.events.len().saturating_sub(1);
    let moved = |t: &mut Timeline, to: usize| {
        t.selected = to.min(last);
    };
    match action {
        Action::Back if t.expanded.is_some() => t.expanded = None,
        // In the tab, Esc does what it does on the pane.
        Action::Back if t.docked => return None,
        Action::Back => return Some(close(state)),
        Action::TimelineExpand => t.expanded = if t.expanded.is_some() { None } else { t.selected_event().map(|_| 0) },
        Action::Down | Action::Up | Action::HalfPageDown | Action::HalfPageUp | Action::PageDown | Action::PageUp
            if t.expanded.is_some() =>
        {
            let by: i32 = match action {
                Action::Down => 1,
                Action::Up => -1,
                Action::HalfPageDown | Action::PageDown => rows as i32 / 2,
                _ => -(rows as i32 / 2),
            };
            let scroll = t.expanded.unwrap_or(0);
            t.expanded = Some(u16::try_from((i32::from(scroll) + by).max(0)).unwrap_or(u16::MAX));
        }
        Action::Top if t.expanded.is_some() => t.expanded = Some(0),
        Action::Down => moved(t, t.selected + 1),
        Action::Up => moved(t, t.selected.saturating_sub(1)),
        Action::HalfPageDown => moved(t, t.selected + rows / 2),
        Action::HalfPageUp => moved(t, t.selected.saturating_sub(rows / 2)),
        Action::PageDown => moved(t, t.selected + rows),
        Action::PageUp => moved(t, t.selected.saturating_sub(rows)),
        Action::Top => moved(t, 0),
        Action::Bottom => moved(t, last),
        Action::TimelineFollow => return Some(toggle_follow(state)),
        Action::TimelineKind => t.filters.kind = t.filters.kind.next(),
        Action::TimelineOutcome => t.filters.outcome = t.filters.outcome.next(),
        Action::TimelineRange => t.filters.range = t.filters.range.next(),
        Action::Refresh => {}
        Action::Quit | Action::Help | Action::Messages | Action::Redraw | Action::Suspend => return None,
        // The tab leaves the pane's other keys (tabs, actions, l) to the app.
        _ if t.docked => return None,
        _ => return Some(Vec::new()),
    }
    if matches!(action, Action::TimelineKind | Action::TimelineOutcome | Action::TimelineRange | Action::Refresh) {
        return Some(reload(state));
    }
    Some(load_older(state).into_iter().collect())
}

/// Asks for the next page of older events when the cursor nears the end
/// of what is loaded.
fn load_older(state: &mut State) -> Option<Effect> {
    let t = state.timeline.as_ref()?;
    if t.loading.is_some() || t.selected + LOAD_AHEAD < t.events.len() {
        return None;
    }
    let next = t.older.clone()?;
    let req = state.next_req();
    state.timeline.as_mut()?.loading = Some(req);
    Some(Effect::FetchLogs { req, page: LogPage::Next(next), follow: false })
}

fn toggle_follow(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    let req = state.next_req();
    let Some(t) = state.timeline.as_mut() else { return Vec::new() };
    t.generation += 1;
    if t.follow.take().is_some() {
        state.messages.info(now, "Stopped following the System Log");
        return Vec::new();
    }
    // From the newest event shown, or from now: the org answers a poll
    // with what was stored since, and repeats are dropped by uuid.
    let since = t.events.first().and_then(LogEvent::published_at).unwrap_or(now);
    t.follow = Some(Follow { next: None, req: Some(req), arrived: 0 });
    let page = LogPage::First(t.filters.polling(&t.scope, since));
    vec![Effect::FetchLogs { req, page, follow: true }]
}

/// A page of events: the bounded query's, or a poll's.
pub fn on_logs(state: &mut State, req: ReqId, result: Result<Page<LogEvent>, crate::okta::Error>) -> Vec<Effect> {
    let Some(t) = state.timeline.as_mut() else { return stale(state) };
    if t.loading == Some(req) {
        t.loading = None;
        match result {
            Ok(page) => {
                t.add(page.items);
                t.older = page.next;
                t.error = None;
            }
            Err(e) => {
                let text = state.failure("Could not read the System Log", &e);
                state.messages.error(state.now, text.clone());
                if let Some(t) = state.timeline.as_mut() {
                    t.error = Some(text);
                }
            }
        }
        return load_older(state).into_iter().collect();
    }
    let Some(follow) = t.follow.as_mut().filter(|f| f.req == Some(req)) else { return stale(state) };
    follow.req = None;
    let generation = t.generation;
    match result {
        Ok(page) => {
            let full = page.items.len() >= PAGE as usize;
            follow.next = page.next;
            let no_next = follow.next.is_none();
            let added = t.add(page.items);
            if let Some(follow) = t.follow.as_mut() {
                follow.arrived += added;
            }
            t.error = None;
            if no_next {
                // A poll always has a `next` link; without one there is
                // nothing to follow.
                t.follow = None;
                state.messages.error(state.now, "The org ended the System Log poll; f to follow again");
                return Vec::new();
            }
            if full {
                // More is waiting: read on without waiting the interval.
                return on_poll_timer(state, generation);
            }
        }
        Err(e) => {
            let text = state.failure("Could not poll the System Log (trying again)", &e);
            state.messages.error(state.now, text.clone());
            if let Some(t) = state.timeline.as_mut() {
                t.error = Some(text);
            }
        }
    }
    vec![Effect::Schedule { after: POLL_INTERVAL, timer: Timer::TimelinePoll(generation) }]
}

/// The poll interval is over: poll again, if still following.
pub fn on_poll_timer(state: &mut State, generation: u64) -> Vec<Effect> {
    let now = state.now;
    let req = state.next_req();
    let Some(t) = state.timeline.as_mut().filter(|t| t.generation == generation) else { return stale(state) };
    let Some(follow) = t.follow.as_mut().filter(|f| f.req.is_none()) else { return stale(state) };
    follow.req = Some(req);
    let page = match &follow.next {
        Some(url) => LogPage::Next(url.clone()),
        None => LogPage::First(t.filters.polling(&t.scope, now)),
    };
    vec![Effect::FetchLogs { req, page, follow: true }]
}

fn stale(state: &mut State) -> Vec<Effect> {
    state.dirty = false;
    Vec::new()
}
