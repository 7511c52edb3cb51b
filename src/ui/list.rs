//! The user list pane. Only the visible rows are built, so a frame costs
//! the same with a hundred users loaded or a million.

use super::text::clean;
use super::theme::{Theme, status_badge};
use super::wrap::{ellipsize, wrap_at_most};
use super::{search, time};
use crate::app::list::{Column, Paging};
use crate::app::{Pane, State, Viewport};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

const WIDTHS: [Constraint; 5] =
    [Constraint::Length(18), Constraint::Fill(2), Constraint::Fill(3), Constraint::Length(12), Constraint::Length(12)];

/// How many columns fit: the two time columns go first on narrow panes so
/// names and logins stay readable.
fn column_count(width: u16) -> usize {
    match width {
        w if w >= 96 => 5,
        w if w >= 76 => 4,
        _ => 3,
    }
}

/// Draws the pane and returns its geometry.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> Viewport {
    let list = &state.list;
    let border =
        if state.focus == Pane::List && state.form.is_none() { theme.focused_border() } else { theme.border() };
    let block =
        Block::default().borders(Borders::ALL).border_style(border).title(Line::styled(title(state), theme.title()));
    let mut inner = block.inner(area);
    frame.render_widget(block, area);
    inner = search::draw(frame, inner, state, theme);

    let visible = usize::from(inner.height.saturating_sub(1));
    let viewport = Viewport {
        list_rows: visible as u16,
        list_top: inner.y + 1,
        list_left: inner.x,
        list_right: inner.x + inner.width,
        detail_rows: 0,
        detail_lines: 0,
        log_scroll_limit: 0,
        help_scroll_limit: 0,
        bulk_scroll_limit: 0,
    };
    if list.rows.is_empty() {
        let text = match &list.paging {
            // The text says what to do: R, or fixing a refused credential.
            Paging::Failed(e) => Line::styled(clean(e).into_owned(), theme.error()),
            Paging::Done if state.statuses.0.is_empty() => {
                Line::styled("No status selected: s chooses which statuses to list", theme.dim())
            }
            Paging::Done => Line::styled("No users match", theme.dim()),
            _ => Line::styled("Loading users…", theme.dim()),
        };
        let lines = wrap_at_most(text, usize::from(inner.width), 0, usize::from(inner.height));
        frame.render_widget(Paragraph::new(lines), inner);
        return viewport;
    }
    // Clamp here too: the app's offset can lag one frame behind a resize.
    let offset = list.offset.min(list.selected).max((list.selected + 1).saturating_sub(visible.max(1)));
    let columns = column_count(inner.width);
    // Marks take a column of their own only while there is a selection,
    // so they read without colour.
    let marks = state.selection.shows_marks();
    let all = marks && crate::app::bulk::covers_list(state);
    let constraints: Vec<Constraint> =
        marks.then_some(Constraint::Length(1)).into_iter().chain(WIDTHS[..columns].iter().copied()).collect();
    // The table cuts cells silently; cut them here, where "…" can say so.
    let mut widths: Vec<usize> = Layout::horizontal(&constraints)
        .spacing(1)
        .split(Rect { x: 0, y: 0, width: inner.width, height: 1 })
        .iter()
        .map(|r| usize::from(r.width))
        .collect();
    if marks {
        widths.remove(0);
    }
    let fit =
        |text: &str, column: usize| ellipsize(&clean(text), widths.get(column).copied().unwrap_or(0)).into_owned();
    let rows = list.rows.iter().enumerate().skip(offset).take(visible).map(|(i, r)| {
        let style = if i == list.selected { theme.selected() } else { Style::new() };
        let cells = [
            Cell::from(Span::styled(status_badge(r.status()), theme.status(r.status()))),
            Cell::from(fit(r.name(), 1)),
            Cell::from(fit(if r.login().is_empty() { r.email() } else { r.login() }, 2)),
            Cell::from(r.last_login().map_or_else(|| "never".into(), |t| time::relative(t, state.now))),
            Cell::from(time::date(r.last_updated())),
        ];
        let mark = match crate::app::bulk::is_marked(state, r.id(), i, all) {
            true => Cell::from(Span::styled("✓", theme.key())),
            false => Cell::from(" "),
        };
        Row::new(marks.then_some(mark).into_iter().chain(cells.into_iter().take(columns))).style(style)
    });
    let titles = Column::ALL.into_iter().take(columns).map(|c| {
        let arrow = match state.sort {
            Some(s) if s.column == c && s.descending => " ▼",
            Some(s) if s.column == c => " ▲",
            _ => "",
        };
        format!("{}{arrow}", c.title())
    });
    let header = Row::new(marks.then(String::new).into_iter().chain(titles)).style(theme.title());
    frame.render_widget(Table::new(rows, constraints).header(header).column_spacing(1), inner);
    viewport
}

fn title(state: &State) -> String {
    let list = &state.list;
    let n = list.rows.len();
    let count = match &list.paging {
        Paging::Done if state.statuses.0.is_empty() => "no status selected".to_owned(),
        Paging::Done if n == 1 => "1 user".to_owned(),
        Paging::Done => format!("{n} users"),
        Paging::Loading(_) if n == 0 => "loading".to_owned(),
        // With no rows the pane says what to do (a 401 is not retried).
        Paging::Failed(_) if n == 0 => "a page failed".to_owned(),
        Paging::Failed(_) => format!("{n} loaded · a page failed, R retries it"),
        _ if list.seeking_end => format!("{n} loaded · going to the end, any key stops"),
        _ => format!("{n} loaded · more"),
    };
    let mut parts = vec![format!(" Users · {count}")];
    if let Some(label) = state.statuses.label() {
        parts.push(label);
    }
    if let Some(sort) = state.sort {
        parts.push(format!("by {} {}", sort.column.title(), if sort.descending { "▼" } else { "▲" }));
    }
    format!("{} ", parts.join(" · "))
}
