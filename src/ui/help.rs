//! `?`: every binding, generated from the keymap.

use super::popup;
use super::theme::Theme;
use crate::app::keymap::{self, Context, KEYMAP};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Draws the help scrolled by `scroll`; returns how far it can scroll
/// before its last line is at the bottom.
pub fn draw(frame: &mut Frame, area: Rect, scroll: u16, theme: &Theme) -> u16 {
    let mut lines = Vec::new();
    for (context, title) in [
        (Context::Global, "Everywhere"),
        (Context::List, "User list"),
        (Context::Detail, "Detail pane"),
        (Context::GroupsTab, "Groups tab"),
        (Context::FactorsTab, "Factors tab"),
        (Context::Timeline, "System Log timeline (tab 6, l, L)"),
    ] {
        lines.push(Line::styled(title, theme.title()));
        for binding in KEYMAP.iter().filter(|b| b.context == context) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keymap::keys_label(binding)), theme.key()),
                Span::raw(binding.help),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("In the search box: Enter search · Esc clear · ↓ back to the list", theme.dim()));
    lines.push(Line::styled("In the form: Tab/Shift-Tab move · Ctrl-S create · Esc cancel", theme.dim()));
    for line in [
        "With a selection, a: the bulk menu; add-to-group… and remove-from-",
        "  group… ask for the group, set… for attributes and values",
        "In set…: Enter picks the attribute, then adds its value · ⌫ on an",
        "  empty attribute drops the last · Ctrl-S or Enter on empty plans",
        "In a plan: j/k, PgDn/PgUp, g/G scroll · Enter starts · Esc drops",
    ] {
        lines.push(Line::styled(line, theme.dim()));
    }
    lines.push(Line::styled("While a bulk job runs, a (selection or not) shows its screen", theme.dim()));
    lines.push(Line::styled("On a job screen (bulk, import): p pause / resume · c cancel · Esc hide", theme.dim()));
    lines.push(Line::styled("Bulk jobs' files: oktui/jobs/ORG/ in the state dir (~/.local/state)", theme.dim()));
    lines.push(Line::styled("Interrupted bulk jobs are offered at start · r resumes a stopped one", theme.dim()));
    let height = (lines.len() as u16 + 2).min(area.height);
    let inner = popup::frame(frame, area, 72, height, "Help · Esc to close", theme);
    let limit = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(limit), 0)), inner);
    limit
}
