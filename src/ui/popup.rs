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
    wrapped(f, area, 72, "Quit?", quit_question(state, theme), theme);
}

/// A popup up to `width` wide and as tall as `text` wrapped in it (up to
/// the area), so that its last line, the keys, is never cut off.
pub fn wrapped(f: &mut Frame, area: Rect, width: u16, title: &str, text: Vec<Line>, theme: &Theme) {
    let width = width.min(area.width);
    let rows = wrapped_rows(&text, width.saturating_sub(2));
    let inner = frame(f, area, width, rows.saturating_add(2), title, theme);
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

/// The rows `text` takes wrapped by words into `width` columns, as
/// `Wrap` does it (a word longer than a row is broken across rows).
pub fn wrapped_rows(text: &[Line], width: u16) -> u16 {
    let room = usize::from(width.max(1));
    let rows: usize = text
        .iter()
        .map(|line| {
            let content: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let (mut rows, mut used) = (1, 0);
            for word in content.split(' ') {
                let w = ratatui::text::Span::raw(word).width();
                if used > 0 && used + 1 + w <= room {
                    used += 1 + w;
                    continue;
                }
                if used > 0 {
                    rows += 1;
                }
                used = w;
                while used > room {
                    rows += 1;
                    used -= room;
                }
            }
            rows
        })
        .sum();
    u16::try_from(rows).unwrap_or(u16::MAX)
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
    // Typed input and a running export are lost; a bulk job or an
    // import is journaled, and offered or resumable after.
    let keys = match (form, state.export.is_some()) {
        (true, _) => "y quit and discard · any other key keeps editing",
        (false, true) => "y quit and discard · any other key keeps oktui open",
        (false, false) => "y quit · any other key keeps oktui open",
    };
    text.push(Line::styled(keys, theme.dim()));
    text
}

#[cfg(test)]
mod tests {
    use super::wrapped_rows;
    use ratatui::text::Line;

    #[test]
    fn rows_are_counted_as_words_wrap() {
        let rows = |text: &str, width| wrapped_rows(&[Line::raw(text.to_owned())], width);
        assert_eq!(rows("", 10), 1);
        assert_eq!(rows("aaa bbb", 7), 1);
        assert_eq!(rows("aaa bbb ccc", 7), 2, "the third word goes to a second row");
        assert_eq!(rows("to /a/very/long/path/of/twenty", 8), 5, "a word longer than a row is broken");
        assert_eq!(wrapped_rows(&[Line::raw("one"), Line::raw("two")], 10), 2);
    }
}
