//! The create-user form, drawn over the panes.

use super::popup;
use super::theme::Theme;
use crate::app::form::{CreateForm, Submit};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, form: &CreateForm, theme: &Theme) {
    let title = match form.submit {
        Submit::Sending(_) => "New user · creating…",
        Submit::Editing => "New user",
    };
    let height = form.fields.len() as u16 * 2 + 4;
    let inner = popup::frame(frame, area, 72, height, title, theme);
    let mut lines = Vec::new();
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "▸ " } else { "  " };
        let value = if f.secret { "•".repeat(f.value().chars().count()) } else { f.value().to_owned() };
        let label = format!("{}{}", f.label, if f.required { " *" } else { "" });
        let value_style = if focused { theme.selected() } else { Style::new() };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(format!("{label:<16}"), theme.title()),
            Span::styled(format!("{value} "), value_style),
        ]));
        let note = f.error.as_deref().map_or(Line::raw(""), |e| Line::styled(format!("    {e}"), theme.error()));
        lines.push(note);
    }
    if let Some(banner) = &form.banner {
        lines.push(Line::styled(banner.clone(), theme.error()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
