//! The search box at the top of the list pane, with the parser's error
//! pointed at the character it is about.

use super::theme::Theme;
use super::wrap::wrap_at_most;
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
    let prompt = "/ ";
    let width = usize::from(area.width).saturating_sub(prompt.len() + 1);
    let scroll = search.input.visual_scroll(width);
    // The error under the caret, wrapped (up to three lines) so its
    // suggested fix can be read whole. Far right, the text after the caret
    // would be a sliver: the caret gets its own line and the text starts
    // under the input's, every line at the same column.
    let error: Vec<Line> = search.error.as_ref().map_or_else(Vec::new, |err| {
        let full = usize::from(area.width);
        let caret = err.position.saturating_sub(scroll) + prompt.len();
        let text = Line::styled(format!("{}^ {}", " ".repeat(caret), err.message), theme.error());
        if text.width() <= full || (caret + 2) * 2 <= full {
            return wrap_at_most(text, full, caret + 2, 3);
        }
        let mut lines = vec![Line::styled(format!("{}^", " ".repeat(caret)), theme.error())];
        let text = Line::styled(format!("{}{}", " ".repeat(prompt.len()), err.message), theme.error());
        lines.extend(wrap_at_most(text, full, prompt.len(), 3));
        lines
    });
    let lines = 1 + error.len() as u16;
    if area.height <= lines + 1 {
        return area;
    }
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
    let below = Rect { y: area.y + 1, height: lines - 1, ..area };
    frame.render_widget(ratatui::widgets::Paragraph::new(error), below);
    Rect { y: area.y + lines, height: area.height - lines, ..area }
}
