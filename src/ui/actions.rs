//! The actions menu, the confirm dialog and the outcome view.

use super::popup;
use super::theme::Theme;
use crate::app::actions::{Confirm, ConfirmFocus, Menu, Outcome, option_label};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn menu(frame: &mut Frame, area: Rect, menu: &Menu, theme: &Theme) {
    let mut lines: Vec<Line> = menu
        .ops
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let style = if i == menu.cursor { theme.selected() } else { Style::new() };
            let mark = if op.is_destructive() { " (asks you to type the login)" } else { "" };
            let mut spans = vec![
                Span::styled(format!(" {} ", i + 1), theme.key()),
                Span::styled(format!(" {} ", op.label()), style),
                Span::styled(mark, theme.dim()),
            ];
            if !menu.is_linked(*op) {
                spans.push(Span::styled(" †", theme.dim()));
            }
            Line::from(spans)
        })
        .collect();
    lines.push(Line::raw(""));
    if !menu.not_linked.is_empty() {
        let note = format!("† documented for {} users; their _links omit it", menu.status);
        lines.push(Line::styled(note, theme.dim()));
    }
    lines.push(Line::styled("Enter or 1-9 choose · Esc close · the org's answer decides", theme.dim()));
    let inner = popup::frame(frame, area, 76, lines.len() as u16 + 2, "Actions", theme);
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn confirm(frame: &mut Frame, area: Rect, c: &Confirm, theme: &Theme) {
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", c.op.label()), theme.title()),
            Span::raw(format!("{} ({})?", c.name, c.login)),
        ]),
        Line::raw(""),
    ];
    for (i, (kind, on)) in c.options.iter().enumerate() {
        let style = if c.focus == ConfirmFocus::Option(i) { theme.selected() } else { Style::new() };
        let mark = if *on { "[x]" } else { "[ ]" };
        lines.push(Line::styled(format!("{mark} {}", option_label(*kind, c.op)), style));
    }
    let mut cursor = None;
    if let Some(typed) = &c.typed {
        if !c.options.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(format!("Type {} to confirm:", c.login), theme.error()));
        let focused = c.focus == ConfirmFocus::Typed;
        let style = if focused { theme.title() } else { theme.dim() };
        cursor = focused.then_some((lines.len(), 2 + typed.visual_cursor()));
        lines.push(Line::from(vec![Span::styled("> ", theme.key()), Span::styled(typed.value().to_owned(), style)]));
    }
    if let Some(err) = &c.error {
        lines.push(Line::raw(""));
        lines.push(Line::styled(err.clone(), theme.error()));
    }
    lines.push(Line::raw(""));
    let hint = if c.sending.is_some() {
        "Working…"
    } else if c.ready() {
        "Enter run · Space toggle · Tab next · Esc cancel"
    } else {
        "Type the login, then Enter · Tab to the options · Esc cancel"
    };
    lines.push(Line::styled(hint, theme.dim()));
    let title = format!("{}?", c.op.label());
    let inner = popup::frame(frame, area, 76, lines.len() as u16 + 2, &title, theme);
    if let Some((row, col)) = cursor {
        let y = inner.y + row as u16;
        let x = inner.x + col as u16;
        if y < inner.bottom() && x < inner.right() {
            frame.set_cursor_position(Position { x, y });
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

pub fn outcome(frame: &mut Frame, area: Rect, o: &Outcome, theme: &Theme) {
    let mut lines =
        vec![Line::raw(format!("{} for {}. Hand these over securely:", o.op.label(), o.login)), Line::raw("")];
    for (i, (label, value)) in o.items.iter().enumerate() {
        let style = if i == o.cursor { theme.selected() } else { Style::new() };
        lines.push(Line::styled(format!("{label}:"), theme.title()));
        lines.push(Line::styled(format!("  {}", value.expose()), style));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("y copy the selected value · j/k move · Esc close", theme.dim()));
    let inner = popup::frame(frame, area, 90, lines.len() as u16 + 3, "Result", theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
