//! `s`: choose which statuses the list shows.

use super::popup;
use super::theme::{Theme, status_badge};
use crate::okta::UserStatus;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::BTreeSet;

const WIDTH: u16 = 72;

pub fn draw(frame: &mut Frame, area: Rect, cursor: usize, ticked: &BTreeSet<UserStatus>, theme: &Theme) {
    let mut lines: Vec<Line> = UserStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mark = if ticked.contains(s) { "[x] " } else { "[ ] " };
            let style = if i == cursor { theme.selected() } else { ratatui::style::Style::new() };
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(status_badge(Some(*s)), theme.status(Some(*s)).patch(style)),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    let hint = Line::styled("Space toggle · a all · n none · d default · Enter apply · Esc cancel", theme.dim());
    lines.extend(super::wrap::wrap(hint, usize::from(WIDTH.min(area.width).saturating_sub(2)), 0));
    let inner = popup::frame(frame, area, WIDTH, lines.len() as u16 + 2, "Show users with status", theme);
    frame.render_widget(Paragraph::new(lines), inner);
}
