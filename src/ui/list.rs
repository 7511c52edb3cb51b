//! The user list pane. Only the visible rows are built, so a frame costs
//! the same with a hundred users loaded or a million.

use super::theme;
use crate::app::State;
use crate::app::list::Paging;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

/// Draws the pane and returns how many rows fit.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) -> u16 {
    let list = &state.list;
    let block = Block::default().borders(Borders::ALL).title(Line::from(title(state)).style(theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let visible = usize::from(inner.height.saturating_sub(1));
    if list.rows.is_empty() {
        let text = match &list.paging {
            Paging::Failed(e) => Line::styled(e.clone(), theme::error()),
            Paging::Done => Line::styled("No users", theme::dim()),
            _ => Line::styled("Loading users…", theme::dim()),
        };
        frame.render_widget(text, inner);
        return visible as u16;
    }
    // Clamp here as well: the app's offset may lag one frame behind a resize.
    let offset = list.offset.min(list.selected).max((list.selected + 1).saturating_sub(visible.max(1)));
    let rows = list.rows.iter().enumerate().skip(offset).take(visible).map(|(i, r)| {
        let status = r.status().map_or("UNKNOWN", |s| s.as_str());
        let style = if i == list.selected { theme::selected() } else { Style::new() };
        Row::new([
            Cell::from(Span::styled(status, Style::new().fg(theme::status_color(r.status())))),
            Cell::from(r.name()),
            Cell::from(r.login()),
        ])
        .style(style)
    });
    let table = Table::new(rows, [Constraint::Length(16), Constraint::Percentage(40), Constraint::Fill(1)])
        .header(Row::new(["Status", "Name", "Login"]).style(theme::title()));
    frame.render_widget(table, inner);
    visible as u16
}

fn title(state: &State) -> String {
    let list = &state.list;
    let n = list.rows.len();
    match &list.paging {
        Paging::Done => format!(" Users · {n} users "),
        Paging::Loading(_) if n == 0 => " Users · loading ".to_owned(),
        _ => format!(" Users · {n} loaded · more "),
    }
}
