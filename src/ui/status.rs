//! Header and footer lines.

use super::theme;
use crate::app::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const SPINNER: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];

pub fn header(frame: &mut Frame, area: Rect, state: &State) {
    let mut spans = vec![Span::styled(" oktui ", theme::title()), Span::raw(state.org_host.clone())];
    if state.busy() {
        spans.push(Span::raw(format!("  {}", SPINNER[state.spinner % SPINNER.len()])));
    }
    frame.render_widget(Line::from(spans), area);
}

pub fn footer(frame: &mut Frame, area: Rect, state: &State) {
    let line = if let Some(toast) = &state.toast {
        Line::from(format!(" {toast}"))
    } else if state.form.is_some() {
        Line::styled(" Tab next field · Ctrl-S create · Esc cancel", theme::dim())
    } else {
        Line::styled(" j/k move · g/G top/bottom · n new user · q quit", theme::dim())
    };
    frame.render_widget(line, area);
}
