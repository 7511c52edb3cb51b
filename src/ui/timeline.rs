//! The System Log timeline, drawn into any area: one line per event
//! (time, outcome mark, what happened, by whom, from where), a gutter
//! joining the events of one operation, or the selected event in full.

use super::text::clean;
use super::theme::Theme;
use super::timeline_words::{by, from_where, value, what};
use super::{json, time};
use crate::app::timeline::{GroupMark, Scope, Timeline};
use crate::okta::logs::LogEvent;
use jiff::{Timestamp, tz::TimeZone};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Over the panes (`l` maximised, `L`).
pub fn draw(frame: &mut Frame, area: Rect, t: &Timeline, now: Timestamp, theme: &Theme) {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Line::styled(title(t), theme.title()))
        .title_bottom(Line::styled(status(t), theme.dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    body(frame, inner, t, now, theme);
}

/// In the detail pane's Log tab: inside the pane's block (which carries
/// the tab bar), the filters on the first line.
pub fn draw_tab(frame: &mut Frame, area: Rect, block: Block, t: &Timeline, now: Timestamp, theme: &Theme) {
    let block = block.title_bottom(Line::styled(status(t), theme.dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [filters, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(Line::styled(title(t).trim().to_owned(), theme.dim())), filters);
    body(frame, rest, t, now, theme);
}

fn body(frame: &mut Frame, inner: Rect, t: &Timeline, now: Timestamp, theme: &Theme) {
    let subject = t.user_id();
    match (t.expanded, t.selected_event()) {
        (Some(scroll), Some(event)) => {
            let lines = expanded(event, subject, now, theme);
            let limit = (lines.len() as u16).saturating_sub(inner.height);
            frame.render_widget(Paragraph::new(lines).scroll((scroll.min(limit), 0)), inner);
        }
        _ => frame.render_widget(Paragraph::new(list(t, subject, inner, theme)), inner),
    }
}

fn title(t: &Timeline) -> String {
    let whose = match &t.scope {
        Scope::User { name, .. } => clean(name).into_owned(),
        Scope::Org => "the whole org".into(),
    };
    let f = t.filters;
    format!(" System Log · {whose} · {} · {} · {} ", f.kind.label(), f.outcome.label(), f.range.label())
}

fn status(t: &Timeline) -> String {
    let mut parts = vec![format!("{} events", t.events.len())];
    if t.older.is_some() {
        parts.push("more older".into());
    }
    if t.loading.is_some() {
        parts.push("loading…".into());
    }
    if let Some(follow) = &t.follow {
        parts.push(format!("following, {} new", follow.arrived));
    }
    format!(" {} ", parts.join(" · "))
}

fn list(t: &Timeline, subject: Option<&str>, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    if let Some(error) = &t.error
        && t.events.is_empty()
    {
        return vec![Line::styled(clean(error).into_owned(), theme.error())];
    }
    if t.events.is_empty() {
        let text = if t.loading.is_some() { "Loading the System Log…" } else { "No events in this range" };
        return vec![Line::styled(format!("{text} (t type · o outcome · d range)"), theme.dim())];
    }
    let rows = usize::from(area.height).max(1);
    let offset = t.selected.saturating_sub(rows - 1);
    let marks = t.marks();
    let width = usize::from(area.width);
    t.events
        .iter()
        .zip(marks)
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, (event, mark))| {
            let line = row(event, mark, subject, width, theme);
            if i == t.selected { line.patch_style(theme.selected()) } else { line }
        })
        .collect()
}

fn gutter(mark: GroupMark) -> &'static str {
    match mark {
        GroupMark::Alone => " ",
        GroupMark::First => "┌",
        GroupMark::Middle => "│",
        GroupMark::Last => "└",
    }
}

/// `✓` done, `✗` failed or refused, `!` a security event that did not fail.
fn outcome(event: &LogEvent, theme: &Theme) -> (&'static str, Style) {
    if event.failed() {
        ("✗", theme.error())
    } else if event.is_security() {
        ("!", theme.warning())
    } else {
        ("✓", theme.success())
    }
}

fn row(event: &LogEvent, mark: GroupMark, subject: Option<&str>, width: usize, theme: &Theme) -> Line<'static> {
    let when = event
        .published_at()
        .map(|t| t.to_zoned(TimeZone::UTC).strftime("%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "--".into());
    let (sign, style) = outcome(event, theme);
    let mut rest = format!("{} · {}", what(event, subject), by(event, subject));
    if let Some(place) = from_where(event) {
        rest.push_str(" · ");
        rest.push_str(&place);
    }
    let used = 1 + 1 + when.chars().count() + 3;
    let rest = ellipsize(&clean(&rest), width.saturating_sub(used));
    let text_style = if event.failed() { theme.error() } else { Style::new() };
    Line::from(vec![
        Span::styled(gutter(mark), theme.dim()),
        Span::raw(" "),
        Span::styled(when, theme.dim()),
        Span::raw(" "),
        Span::styled(sign, style),
        Span::raw(" "),
        Span::styled(rest, text_style),
    ])
}

fn ellipsize(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(room.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The event in full: the sentence, when and how it ended, each changed
/// attribute as `before → after`, who, the client and where, the
/// operation and session, then the raw JSON.
fn expanded(event: &LogEvent, subject: Option<&str>, now: Timestamp, theme: &Theme) -> Vec<Line<'static>> {
    let label = |l: &str| Span::styled(format!("{l:<13}"), theme.dim());
    let text = |s: &str| Span::raw(clean(s).into_owned());
    let (sign, style) = outcome(event, theme);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{sign} "), style),
            Span::styled(clean(&what(event, subject)).into_owned(), theme.title()),
        ]),
        Line::from(vec![label("Event"), text(event.event_type())]),
        Line::from(vec![label("When"), text(&time::absolute_and_relative(event.published(), now))]),
    ];
    let mut result = event.outcome().unwrap_or("?").to_owned();
    if let Some(reason) = event.outcome_reason() {
        result = format!("{result} ({reason})");
    }
    lines.push(Line::from(vec![label("Outcome"), Span::styled(clean(&result).into_owned(), style)]));
    lines.push(Line::from(vec![label("Severity"), text(event.severity())]));
    if let Some(message) = event.display_message() {
        lines.push(Line::from(vec![label("Message"), text(message)]));
    }
    let changes = event.changes();
    if !changes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Changes", theme.title()));
        for change in changes {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(clean(change.attribute).into_owned(), theme.json_key()),
                Span::raw(": "),
                text(&value(change.from)),
                Span::styled(" → ", theme.dim()),
                text(&value(change.to)),
            ]));
        }
    }
    lines.push(Line::raw(""));
    if let Some(actor) = event.actor() {
        lines.push(Line::from(vec![label("Actor"), text(&format!("{} ({} {})", actor.name(), actor.kind, actor.id))]));
    }
    for target in event.targets() {
        lines.push(Line::from(vec![
            label("Target"),
            text(&format!("{} ({} {})", target.name(), target.kind, target.id)),
        ]));
    }
    if let Some(place) = from_where(event) {
        lines.push(Line::from(vec![label("Client"), text(&place)]));
    }
    if let Some(agent) = event.user_agent() {
        lines.push(Line::from(vec![label("User agent"), text(agent)]));
    }
    if let Some(id) = event.transaction_id() {
        lines.push(Line::from(vec![label("Transaction"), text(id)]));
    }
    if let Some(id) = event.session_id() {
        lines.push(Line::from(vec![label("Session"), text(id)]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Raw JSON", theme.title()));
    lines.extend(json::lines(&serde_json::Value::Object(event.json().clone()), theme));
    lines
}
