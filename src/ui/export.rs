//! The export dialog: JSON lines or CSV, and the CSV columns.

use super::popup;
use super::theme::Theme;
use crate::app::export::{DialogFocus, ExportDialog};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, dialog: &ExportDialog, theme: &Theme) {
    let radio = |on: bool| if on { "(•)" } else { "( )" };
    let format_style = if dialog.focus == DialogFocus::Format { theme.selected() } else { Style::new() };
    let mut lines = vec![
        Line::raw("The list as shown: its search and status filter, in the org's order."),
        Line::raw(""),
        Line::from(vec![
            Span::styled("Format   ", theme.title()),
            Span::styled(
                format!("{} JSON lines (users as the org sent them)  {} CSV", radio(!dialog.csv), radio(dialog.csv)),
                format_style,
            ),
        ]),
    ];
    let mut cursor = None;
    if dialog.csv {
        let focused = dialog.focus == DialogFocus::Columns;
        cursor = focused.then_some((lines.len(), 9 + dialog.columns.visual_cursor()));
        // The cursor position assumes the value fits on its row.
        lines.push(Line::from(vec![
            Span::styled("Columns  ", theme.title()),
            Span::styled(dialog.columns.value().to_owned(), if focused { theme.key() } else { theme.dim() }),
        ]));
        lines.push(Line::styled("         attribute names, comma separated (as --columns)", theme.dim()));
    }
    if let Some(error) = &dialog.error {
        lines.push(Line::raw(""));
        lines.push(Line::styled(error.clone(), theme.error()));
    }
    lines.push(Line::raw(""));
    let hint = if dialog.csv {
        "Enter export · ←/→ format · Tab columns · Esc cancel"
    } else {
        "Enter export · ←/→ format · Esc cancel"
    };
    lines.push(Line::styled(hint, theme.dim()));
    // Long column lists wrap: the popup grows to hold every row.
    let width = usize::from(area.width.min(80).saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let inner = popup::frame(frame, area, 80, rows as u16 + 2, "Export", theme);
    if let Some((row, col)) = cursor {
        let (x, y) = (inner.x + col as u16, inner.y + row as u16);
        if y < inner.bottom() && x < inner.right() {
            frame.set_cursor_position(Position { x, y });
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
