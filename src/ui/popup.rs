//! Centered popups drawn over the panes.

use super::theme::Theme;
use crate::app::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// A `width`×`height` rectangle centered in `area` (clamped to it), cleared
/// and framed with `title`; returns the inner area.
pub fn frame(frame: &mut Frame, area: Rect, width: u16, height: u16, title: &str, theme: &Theme) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    let [_, mid, _] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(width), Constraint::Fill(1)]).areas(area);
    let [_, popup, _] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(height), Constraint::Fill(1)]).areas(mid);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Line::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    inner
}

pub fn confirm_quit(f: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let text = quit_question(state, theme);
    let inner = frame(f, area, 72, text.len() as u16 + 3, "Quit?", theme);
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
}

/// What quitting would lose, and the keys that answer.
pub fn quit_question(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let form = state.form.as_ref().is_some_and(|form| form.is_dirty());
    let mut text = Vec::new();
    if form {
        let which = if state.form.as_ref().is_some_and(|f| f.is_edit()) { "edit" } else { "new-user" };
        text.push(Line::raw(format!("The {which} form has unsaved input.")));
    }
    if let Some(job) = &state.export {
        text.push(Line::raw(format!(
            "The export to {} is still running.",
            super::text::clean(&job.file.to_string_lossy())
        )));
    }
    if let Some(crate::app::import::Step::Running(job)) = state.import.as_ref().map(|i| &i.step) {
        text.push(Line::raw(format!(
            "The import of {} is still running; `oktui import … --resume` continues it.",
            super::text::clean(&job.path.to_string_lossy())
        )));
    }
    if let Some(job) = state.bulk_job.as_ref().filter(|j| j.running()) {
        let how = if job.paused { "paused" } else { "still running" };
        text.push(Line::raw(format!(
            "The bulk {} is {how}: quitting stops it, and the next start offers to run it on from \
             where it stopped (its results go to {}).",
            job.operation,
            super::text::clean(&job.results.to_string_lossy())
        )));
    }
    let keep = if form { "keeps editing" } else { "keeps oktui open" };
    text.push(Line::styled(format!("y quit and discard · any other key {keep}"), theme.dim()));
    text
}
