//! The detail pane: the selected user exactly as the org returned it.

use super::theme;
use crate::app::{Load, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let block = Block::default().borders(Borders::ALL).title(Line::from(" Detail ").style(theme::title()));
    let body = match &state.detail {
        Load::Idle => Paragraph::new(Line::styled("Select a user", theme::dim())),
        Load::Loading(_) => Paragraph::new(Line::styled("Loading user…", theme::dim())),
        Load::Failed(e) => Paragraph::new(Line::styled(e.clone(), theme::error())).wrap(Wrap { trim: false }),
        Load::Loaded(user) => {
            let json = serde_json::to_string_pretty(user).unwrap_or_default();
            Paragraph::new(json)
        }
    };
    frame.render_widget(body.block(block), area);
}
