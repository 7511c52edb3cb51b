//! `m`: the session's message log, newest at the bottom.

use super::popup;
use super::theme::Theme;
use crate::app::messages::{Level, Messages};
use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// "12:00:00 ✗ ": where an entry's text starts.
const TEXT_COLUMN: usize = 11;

/// Returns how far the log can scroll up (its wrapped lines beyond the box).
pub fn draw(frame: &mut Frame, area: Rect, log: &Messages, theme: &Theme) -> u16 {
    let width = area.width.saturating_sub(4).max(40);
    let inner = popup::frame(frame, area, width, area.height.saturating_sub(2), "Messages · Esc to close", theme);
    if log.entries.is_empty() {
        frame.render_widget(Line::styled("Nothing yet", theme.dim()), inner);
        return 0;
    }
    let lines: Vec<Line> = log
        .entries
        .iter()
        .map(|e| {
            let (mark, style) = match e.level {
                Level::Error => ("✗", theme.error()),
                Level::Success => ("✓", theme.success()),
                Level::Info => ("·", theme.dim()),
            };
            let at = e.at.to_zoned(TimeZone::UTC).strftime("%H:%M:%S").to_string();
            Line::from(vec![
                Span::styled(format!("{at} "), theme.dim()),
                Span::styled(format!("{mark} "), style),
                Span::raw(super::text::clean(&e.text).into_owned()),
            ])
        })
        // The log is where a message cut elsewhere is read whole: long
        // ones continue under their text, past the time and mark.
        .flat_map(|line| super::wrap::wrap(line, usize::from(inner.width), TEXT_COLUMN))
        .collect();
    // `scroll` counts lines up from the newest entry.
    let max_top = lines.len().saturating_sub(usize::from(inner.height));
    let top = max_top - log.scroll.min(max_top);
    frame.render_widget(Paragraph::new(lines).scroll((top.min(usize::from(u16::MAX)) as u16, 0)), inner);
    u16::try_from(max_top).unwrap_or(u16::MAX)
}
