//! The actions menu, the confirm dialog and the outcome view.

use super::popup;
use super::text::clean;
use super::theme::Theme;
use super::wrap::wrap;
use crate::app::actions::{Confirm, ConfirmFocus, Menu, Outcome, option_label};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Popups are this wide when the terminal allows.
const POPUP_WIDTH: u16 = 76;

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
    for (i, more) in menu.more.iter().enumerate() {
        let at = menu.ops.len() + i;
        let style = if at == menu.cursor { theme.selected() } else { Style::new() };
        let number = if at < 9 { format!(" {} ", at + 1) } else { "   ".to_owned() };
        lines.push(Line::from(vec![
            Span::styled(number, theme.key()),
            Span::styled(format!(" {} ", more.label()), style),
        ]));
    }
    lines.push(Line::raw(""));
    if !menu.not_linked.is_empty() {
        let note = format!("† documented for {} users; their _links omit it", menu.status);
        lines.push(Line::styled(note, theme.dim()));
    }
    lines.push(Line::styled("Enter or 1-9 choose · Esc close · the org's answer decides", theme.dim()));
    let inner = popup::frame(frame, area, POPUP_WIDTH, lines.len() as u16 + 2, "Actions", theme);
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn confirm(frame: &mut Frame, area: Rect, c: &Confirm, theme: &Theme) {
    // Wrapped here, not by the paragraph, so the popup is as tall as its
    // wrapped text (the key hint at the bottom stays in view) and the
    // cursor lands on the input's real row.
    let width = usize::from(POPUP_WIDTH.min(area.width).saturating_sub(2));
    let mut lines = wrap(
        Line::from(vec![
            Span::styled(format!("{} ", c.op.label()), theme.title()),
            Span::raw(format!("{} ({})?", clean(&c.name), clean(&c.login))),
        ]),
        width,
        0,
    );
    lines.push(Line::raw(""));
    for (i, (kind, on)) in c.options.iter().enumerate() {
        let style = if c.focus == ConfirmFocus::Option(i) { theme.selected() } else { Style::new() };
        let mark = if *on { "[x]" } else { "[ ]" };
        lines.extend(wrap(Line::styled(format!("{mark} {}", option_label(*kind, c.op)), style), width, 4));
    }
    let mut cursor = None;
    if let Some(typed) = &c.typed {
        if !c.options.is_empty() {
            lines.push(Line::raw(""));
        }
        // Red until the right login is typed.
        let (ask, ask_style) = if c.ready() {
            (format!("{} typed ✓", clean(&c.login)), theme.success())
        } else {
            (format!("Type {} to confirm:", clean(&c.login)), theme.error())
        };
        lines.extend(wrap(Line::styled(ask, ask_style), width, 0));
        let focused = c.focus == ConfirmFocus::Typed;
        let style = if focused { theme.title() } else { theme.dim() };
        cursor = focused.then_some((lines.len(), 2 + typed.visual_cursor()));
        lines.push(Line::from(vec![Span::styled("> ", theme.key()), Span::styled(typed.value().to_owned(), style)]));
    }
    if let Some(err) = &c.error {
        lines.push(Line::raw(""));
        lines.extend(wrap(Line::styled(clean(err).into_owned(), theme.error()), width, 0));
    }
    lines.push(Line::raw(""));
    // In the login field Space types, so the toggle is offered only on an
    // option.
    let moves = match (c.options.is_empty(), c.focus == ConfirmFocus::Typed) {
        (true, _) => "",
        (false, true) => " · Tab to the options",
        (false, false) => " · Space toggle · Tab next",
    };
    let hint = if c.sending.is_some() {
        "Working…".to_owned()
    } else if c.ready() {
        format!("Enter run{moves} · Esc cancel")
    } else {
        format!("Type the login, then Enter{moves} · Esc cancel")
    };
    lines.extend(wrap(Line::styled(hint, theme.dim()), width, 0));
    let title = format!("{}?", c.op.label());
    let inner = popup::frame(frame, area, POPUP_WIDTH, lines.len() as u16 + 2, &title, theme);
    if let Some((row, col)) = cursor {
        let y = inner.y + row as u16;
        let x = inner.x + col as u16;
        if y < inner.bottom() && x < inner.right() {
            frame.set_cursor_position(Position { x, y });
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
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
    popup::wrapped(frame, area, 90, "Result", lines, theme);
}
