//! A popup whose middle scrolls while its first lines (a title line, an
//! input) and its last ones (the keys, a typed confirmation) stay in view:
//! a long plan or menu at 80×24 never hides what to press.

use super::popup;
use super::theme::Theme;
use super::wrap::wrap;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Which part of the body shows when it does not fit.
#[derive(Debug, Clone, Copy)]
pub enum At {
    /// Scrolled by this many rows (clamped to the end).
    Offset(u16),
    /// Whatever keeps the body's line with this index in view (a cursor).
    Show(usize),
}

/// The lines of a scrolling popup.
pub struct Parts {
    pub head: Vec<Line<'static>>,
    pub body: Vec<Line<'static>>,
    pub foot: Vec<Line<'static>>,
    /// Said beside "↓ more" when the body scrolls by keys of its own.
    pub scroll_keys: &'static str,
}

/// Draws `parts` in a popup `width` wide; returns its inner area and how
/// far the body scrolls before its last row shows (0 when it fits).
pub fn draw(f: &mut Frame, area: Rect, width: u16, title: &str, parts: Parts, at: At, theme: &Theme) -> (Rect, u16) {
    let room = usize::from(width.min(area.width).saturating_sub(2)).max(1);
    let wrap_each = |lines: Vec<Line<'static>>| lines.into_iter().map(|l| wrap(l, room, 0)).collect::<Vec<_>>();
    let head: Vec<Line> = wrap_each(parts.head).into_iter().flatten().collect();
    let foot: Vec<Line> = wrap_each(parts.foot).into_iter().flatten().collect();
    let body = wrap_each(parts.body);
    // Where each body line starts once wrapped, to keep a cursor in view.
    let starts: Vec<usize> = body.iter().scan(0, |row, l| Some(std::mem::replace(row, *row + l.len()))).collect();
    let body: Vec<Line> = body.into_iter().flatten().collect();

    let fixed = head.len() + foot.len();
    let most = usize::from(area.height.saturating_sub(2));
    let fits = fixed + body.len() <= most;
    // A row says there is more when it does not fit.
    let shown = if fits { body.len() } else { most.saturating_sub(fixed + 1).max(1) };
    let limit = body.len().saturating_sub(shown);
    let offset = match at {
        At::Offset(o) => usize::from(o).min(limit),
        At::Show(line) => {
            let row = starts.get(line).copied().unwrap_or(0);
            row.saturating_sub(shown.saturating_sub(1)).min(limit)
        }
    };
    let mut lines = head;
    lines.extend(body.iter().skip(offset).take(shown).cloned());
    if !fits {
        let more = match (offset < limit, offset > 0) {
            (true, _) => "↓ more",
            (false, true) => "↑ more",
            (false, false) => "",
        };
        lines.push(Line::styled(format!("{more}{}", parts.scroll_keys), theme.key()));
    }
    lines.extend(foot);
    let height = (lines.len() as u16).saturating_add(2);
    let inner = popup::frame(f, area, width, height, title, theme);
    f.render_widget(Paragraph::new(lines), inner);
    (inner, u16::try_from(limit).unwrap_or(u16::MAX))
}
