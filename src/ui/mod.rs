//! Drawing: a pure function of the app state (and the theme).
//!
//! One module per screen or widget; none of them mutates anything or does
//! I/O. `draw` reports the geometry the app needs back for scrolling.

mod actions;
mod bars;
mod bulk;
mod bulk_pick;
mod bulk_resume;
mod detail;
mod edit;
mod export;
mod form;
mod help;
mod import;
mod json;
mod list;
mod messages;
mod popup;
mod scrolled;
mod search;
mod status_picker;
mod tab_dialogs;
mod tabs;
pub mod text;
pub mod theme;
pub mod time;
mod timeline;
mod timeline_words;
mod wrap;

use crate::app::{Overlay, State, Viewport};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use theme::Theme;

pub const MIN_WIDTH: u16 = crate::app::MIN_SIZE.0;
pub const MIN_HEIGHT: u16 = crate::app::MIN_SIZE.1;
/// Narrower than this, the detail pane goes under the list.
const SIDE_BY_SIDE_WIDTH: u16 = 120;

pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) -> Viewport {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, state, theme);
        return Viewport::default();
    }
    let [header, body, message, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)])
            .areas(area);
    bars::header(frame, header, state, theme);
    bars::message_line(frame, message, state, theme);
    bars::footer(frame, footer, state, theme);

    let (list_area, detail_area) = split_panes(body);
    let mut viewport = list::draw(frame, list_area, state, theme);
    (viewport.detail_rows, viewport.detail_lines) = detail::draw(frame, detail_area, state, theme);

    if let Some(timeline) = state.timeline.as_ref().filter(|t| !t.docked) {
        timeline::draw(frame, body, timeline, state.now, theme);
    }
    if let Some(form) = &state.form {
        form::draw(frame, body, state, form, theme);
    }
    if let Some(import) = state.import.as_deref().filter(|i| i.shown) {
        import::draw(frame, body, state, import, theme);
    }
    match &state.overlay {
        Some(Overlay::Help { scroll }) => viewport.help_scroll_limit = help::draw(frame, body, *scroll, theme),
        Some(Overlay::Messages) => viewport.log_scroll_limit = messages::draw(frame, body, &state.messages, theme),
        Some(Overlay::StatusPicker { cursor, ticked }) => status_picker::draw(frame, body, *cursor, ticked, theme),
        Some(Overlay::ConfirmQuit) => popup::confirm_quit(frame, body, state, theme),
        Some(Overlay::Actions(menu)) => actions::menu(frame, body, menu, theme),
        Some(Overlay::Confirm(confirm)) => actions::confirm(frame, body, confirm, theme),
        Some(Overlay::Outcome(outcome)) => actions::outcome(frame, body, outcome, theme),
        Some(Overlay::Export(dialog)) => export::draw(frame, body, dialog, theme),
        Some(Overlay::Tab(dialog)) => tab_dialogs::draw(frame, body, state, dialog, theme),
        Some(Overlay::Bulk(dialog)) => viewport.bulk_scroll_limit = bulk::draw(frame, body, state, dialog, theme),
        None => {}
    }
    viewport
}

fn split_panes(body: Rect) -> (Rect, Rect) {
    let direction = if body.width >= SIDE_BY_SIDE_WIDTH { Direction::Horizontal } else { Direction::Vertical };
    let [a, b] = Layout::default()
        .direction(direction)
        .constraints([Constraint::Percentage(58), Constraint::Percentage(42)])
        .areas(body);
    (a, b)
}

/// While it is up only `q` and Ctrl-C act (see `app::update`), so the
/// notice says what they do now: quit, or ask first when input or an
/// export would be lost.
fn too_small(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut text = vec![
        Line::styled("Terminal too small", theme.error()),
        Line::raw(format!("{}×{}, needs {MIN_WIDTH}×{MIN_HEIGHT}", area.width, area.height)),
    ];
    if matches!(state.overlay, Some(Overlay::ConfirmQuit)) {
        text.push(Line::styled("Quit?", theme.title()));
        text.extend(popup::quit_question(state, theme));
    } else {
        text.push(Line::raw("Enlarge the window, or q to quit"));
        if state.form.is_some() || state.search.editing {
            text.push(Line::raw("Other keys do nothing until then; what you typed is kept."));
        }
    }
    frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
}
