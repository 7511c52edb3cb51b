//! The search box at the top of the list pane, with the parser's error
//! pointed at the character it is about.

use super::theme::Theme;
use crate::app::State;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

/// Draws the box when searching and returns the area left for the table.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> Rect {
    let search = &state.search;
    if !search.editing && search.applied.is_empty() {
        return area;
    }
    let lines = if search.error.is_some() { 2 } else { 1 };
    if area.height <= lines + 1 {
        return area;
    }
    let prompt = "/ ";
    let width = usize::from(area.width).saturating_sub(prompt.len() + 1);
    let scroll = search.input.visual_scroll(width);
    let value: String = search.input.value().chars().skip(scroll).collect();
    let style = if search.editing { theme.title() } else { theme.dim() };
    frame.render_widget(
        Line::from(vec![Span::styled(prompt, theme.key()), Span::styled(value, style)]),
        Rect { height: 1, ..area },
    );
    if search.editing {
        let x = area.x + (prompt.len() + search.input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position { x: x.min(area.right().saturating_sub(1)), y: area.y });
    }
    if let Some(err) = &search.error {
        let caret = err.position.saturating_sub(scroll) + prompt.len();
        let text = format!("{}^ {}", " ".repeat(caret), err.message);
        frame.render_widget(Line::styled(text, theme.error()), Rect { y: area.y + 1, height: 1, ..area });
    }
    Rect { y: area.y + lines, height: area.height - lines, ..area }
}
