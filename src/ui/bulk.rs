//! Bulk operations' dialogs and screens.

use super::popup;
use super::theme::Theme;
use crate::app::State;
use crate::app::bulk::{self, Dialog};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(f: &mut Frame, area: Rect, state: &State, dialog: &Dialog, theme: &Theme) {
    match dialog {
        Dialog::ConfirmClear => confirm_clear(f, area, state, theme),
    }
}

fn confirm_clear(f: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let size = bulk::size(state).map_or_else(String::new, |s| s.label());
    let text = vec![
        Line::raw(format!("Clear the selection: {size}?")),
        Line::styled("y clear · any other key keeps it", theme.dim()),
    ];
    let inner = popup::frame(f, area, 60, text.len() as u16 + 3, "Clear the selection?", theme);
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
}
