//! The detail pane: the selected user as the org returned it, either in
//! sections (every attribute, nothing dropped) or as raw JSON.

use super::text::clean;
use super::theme::{Theme, status_badge};
use super::{json, time};
use crate::app::detail::View;
use crate::app::{Load, Pane, State};
use crate::okta::User;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use serde_json::Value;

/// Top-level keys the sections show on their own; anything else the org
/// sends lands in "Other", so nothing is hidden.
const SHOWN: &[&str] = &[
    "id",
    "status",
    "transitioningToStatus",
    "created",
    "activated",
    "statusChanged",
    "lastLogin",
    "lastUpdated",
    "passwordChanged",
    "type",
    "profile",
    "credentials",
    "_links",
];

/// Draws the pane and returns how many lines it shows.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> u16 {
    let focused = state.focus == Pane::Detail && state.form.is_none();
    let view = match state.detail.view {
        View::Sections => "Detail",
        View::Raw => "Raw JSON",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focused_border() } else { theme.border() })
        .title(Line::styled(format!(" {view} "), theme.title()));
    let inner = block.inner(area);
    let lines = match &state.detail.user {
        Load::Idle if state.detail.id.is_some() => vec![Line::styled("Loading user…", theme.dim())],
        Load::Idle => vec![Line::styled("No user selected", theme.dim())],
        Load::Loading(_) => vec![Line::styled("Loading user…", theme.dim())],
        Load::Failed(e) => vec![Line::styled(e.clone(), theme.error()), Line::styled("R to retry", theme.dim())],
        Load::Loaded(user) => match state.detail.view {
            View::Sections => sections(user, state, theme),
            View::Raw => json::lines(&Value::Object(user.json().clone()), theme),
        },
    };
    // Scrolling stops at the last line instead of running into emptiness.
    let max_scroll = lines.len().saturating_sub(usize::from(inner.height)) as u16;
    let scroll = state.detail.scroll.min(max_scroll);
    let wrap = state.detail.view == View::Sections;
    let mut paragraph = Paragraph::new(lines).block(block).scroll((scroll, 0));
    if wrap {
        paragraph = paragraph.wrap(Wrap { trim: false });
    }
    frame.render_widget(paragraph, area);
    inner.height
}

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(text.to_owned(), theme.title())
}

fn field(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {:<18} ", clean(label)), theme.dim()),
        Span::raw(clean(&value).into_owned()),
    ])
}

/// A profile value on one line: strings as they are, arrays joined.
fn show_value(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(show_value).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn sections(user: &User, state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::from(vec![
            Span::styled(clean(&user.display_name()).into_owned(), theme.title()),
            Span::raw("  "),
            Span::styled(status_badge(user.status()), theme.status(user.status())),
        ]),
        Line::styled(user.id().to_owned(), theme.dim()),
        Line::raw(""),
        heading("Profile", theme),
    ];
    let titles: Vec<(String, String)> = match &state.schema {
        Load::Loaded(schema) => schema.attributes().into_iter().map(|a| (a.name, a.title)).collect(),
        _ => Vec::new(),
    };
    if let Some(profile) = user.profile() {
        for (name, value) in profile {
            // The schema's title when known; the attribute name otherwise.
            let label = titles.iter().find(|(n, _)| n == name).map_or(name.as_str(), |(_, t)| t.as_str());
            out.push(field(label, show_value(value), theme));
        }
    }

    out.push(Line::raw(""));
    out.push(heading("Status and timestamps", theme));
    out.push(field("status", user.status_str().to_owned(), theme));
    if let Some(t) = user.transitioning_to() {
        out.push(field("transitioning to", t.to_owned(), theme));
    }
    for (label, key) in [
        ("created", "created"),
        ("activated", "activated"),
        ("status changed", "statusChanged"),
        ("last login", "lastLogin"),
        ("last updated", "lastUpdated"),
        ("password changed", "passwordChanged"),
    ] {
        let value = match user.json().get(key).and_then(Value::as_str) {
            Some(ts) => time::absolute_and_relative(ts, state.now),
            None => "—".into(),
        };
        out.push(field(label, value, theme));
    }

    out.push(Line::raw(""));
    out.push(heading("Credentials", theme));
    let provider =
        user.provider().map_or("—".into(), |(t, n)| if t == n { t.to_owned() } else { format!("{t} ({n})") });
    out.push(field("provider", provider, theme));
    out.push(field("password", if user.has_password() { "set".into() } else { "not set".into() }, theme));
    out.push(field("recovery question", user.recovery_question().unwrap_or("—").to_owned(), theme));
    for (email, status) in user.credential_emails() {
        out.push(field("email", format!("{email} ({status})"), theme));
    }

    out.push(Line::raw(""));
    out.push(heading("Type", theme));
    let type_id = user.type_id().unwrap_or("—");
    let type_label = match state.type_name(type_id) {
        Some(name) => format!("{name} ({type_id})"),
        None => type_id.to_owned(),
    };
    out.push(field("type", type_label, theme));

    out.push(Line::raw(""));
    out.push(heading("Groups", theme));
    match &state.detail.groups {
        Load::Loaded(names) if names.is_empty() => out.push(Line::styled("  none", theme.dim())),
        Load::Loaded(names) => out.push(Line::raw(format!("  {}", names.join(", ")))),
        Load::Failed(e) => out.push(Line::styled(format!("  {e}"), theme.error())),
        Load::Idle | Load::Loading(_) => out.push(Line::styled("  loading…", theme.dim())),
    }

    let links = user.links();
    out.push(Line::raw(""));
    out.push(heading("Links", theme));
    for link in &links {
        let method = link.method.as_deref().unwrap_or("GET");
        out.push(Line::from(vec![
            Span::styled(format!("  {:<18} ", link.rel), theme.key()),
            Span::styled(format!("{method:<6} "), theme.dim()),
            Span::raw(link.href.clone()),
        ]));
    }

    let other: Vec<_> = user.json().iter().filter(|(k, _)| !SHOWN.contains(&k.as_str())).collect();
    if !other.is_empty() {
        out.push(Line::raw(""));
        out.push(heading("Other", theme));
        for (k, v) in other {
            out.push(field(k, v.to_string(), theme));
        }
    }
    out
}
