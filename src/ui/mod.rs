//! Drawing: a pure function of the app state.

mod detail;
mod form;
mod list;
mod status;
pub mod theme;

use crate::app::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// What the frame learned about geometry that the app needs back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameInfo {
    pub list_rows: u16,
}

pub fn draw(frame: &mut Frame, state: &State) -> FrameInfo {
    let area = frame.area();
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
    status::header(frame, header, state);
    status::footer(frame, footer, state);

    let (list_area, detail_area) = split_panes(body);
    let list_rows = list::draw(frame, list_area, state);
    detail::draw(frame, detail_area, state);
    if let Some(form) = &state.form {
        form::draw(frame, body, form);
    }
    FrameInfo { list_rows }
}

/// Side by side when wide enough, stacked otherwise.
fn split_panes(body: Rect) -> (Rect, Rect) {
    let direction = if body.width >= 100 { Direction::Horizontal } else { Direction::Vertical };
    let [a, b] = Layout::default()
        .direction(direction)
        .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
        .areas(body);
    (a, b)
}
