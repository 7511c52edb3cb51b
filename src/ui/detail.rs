//! The detail pane: the selected user as the org returned it, in tabs:
//! the profile in sections (every attribute, nothing dropped), its groups,
//! factors and apps (`tabs`), and the raw JSON.

use super::text::clean;
use super::theme::{Theme, status_badge};
use super::wrap::{wrap, wrap_all};
use super::{json, time};
use crate::app::detail::View;
use crate::app::{Load, Pane, State};
use crate::okta::{Group, User};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
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

/// Labels take this many columns; values start after them and continue
/// under themselves when they wrap.
const LABEL: usize = 18;
const VALUE_COLUMN: usize = 2 + LABEL + 1;

/// Draws the pane and returns how many lines it shows and how many lines
/// its content takes once wrapped to the pane (the scroll limit is the
/// difference).
pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) -> (u16, u16) {
    let focused = state.focus == Pane::Detail && state.form.is_none();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focused_border() } else { theme.border() })
        .title(super::tabs::bar(state.detail.view, theme));
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    if state.detail.view == View::Log && state.detail.id.is_some() {
        return log_tab(frame, area, block, state, theme);
    }
    if matches!(state.detail.view, View::Groups | View::Factors | View::Apps) && state.detail.id.is_some() {
        let tab = super::tabs::lines(state, theme, width);
        let total = u16::try_from(tab.lines.len()).unwrap_or(u16::MAX);
        let scroll = match tab.cursor {
            // The cursor's row (and the line under it) stay in view.
            Some(row) => u16::try_from((row + 2).saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX),
            None => state.detail.scroll.min(total.saturating_sub(inner.height)),
        };
        frame.render_widget(Paragraph::new(tab.lines).block(block).scroll((scroll, 0)), area);
        return (inner.height, total);
    }
    let lines = match &state.detail.user {
        Load::Idle if state.detail.id.is_some() => vec![Line::styled("Loading user…", theme.dim())],
        Load::Idle => vec![Line::styled("No user selected", theme.dim())],
        Load::Loading(_) => vec![Line::styled("Loading user…", theme.dim())],
        Load::Failed(e) => {
            let lines =
                vec![Line::styled(clean(e).into_owned(), theme.error()), Line::styled("R to retry", theme.dim())];
            wrap_all(lines, width, 0)
        }
        Load::Loaded(user) => match state.detail.view {
            View::Sections | View::Groups | View::Factors | View::Apps | View::Log => {
                sections(user, state, theme, width)
            }
            View::Raw => json::lines(&Value::Object(user.json().clone()), theme)
                .into_iter()
                .flat_map(|line| {
                    // A long string (an href) continues under where its
                    // value started, not at column 0.
                    let value_at = match line.spans.iter().position(|s| s.content == ": ") {
                        Some(colon) => line.spans[..=colon].iter().map(Span::width).sum(),
                        None => line.spans.first().map_or(0, Span::width) + 2,
                    };
                    wrap(line, width, value_at)
                })
                .collect(),
        },
    };
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    // The app clamps too, but a frame drawn before it hears of a smaller
    // pane must not scroll into emptiness either.
    let scroll = state.detail.scroll.min(total.saturating_sub(inner.height));
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
    (inner.height, total)
}

/// The shown user's timeline, once the tab has it (it is asked for when
/// the tab is shown).
fn log_tab(frame: &mut Frame, area: Rect, block: Block, state: &State, theme: &Theme) -> (u16, u16) {
    let inner = block.inner(area);
    let docked = state.timeline.as_ref().filter(|t| t.docked && t.user_id() == state.detail.id.as_deref());
    match docked {
        Some(t) => super::timeline::draw_tab(frame, area, block, t, state.now, theme),
        None => {
            let line = Line::styled("Loading the System Log…", theme.dim());
            frame.render_widget(Paragraph::new(line).block(block), area);
        }
    }
    // The timeline scrolls itself; the pane has nothing to scroll.
    (inner.height.saturating_sub(1), 0)
}

/// Lines of the sections view, wrapped to the pane as they are added.
struct Sections<'t> {
    width: usize,
    theme: &'t Theme,
    out: Vec<Line<'static>>,
}

impl Sections<'_> {
    fn blank(&mut self) {
        self.out.push(Line::raw(""));
    }

    fn heading(&mut self, text: &str) {
        self.out.push(Line::styled(text.to_owned(), self.theme.title()));
    }

    fn line(&mut self, line: Line<'static>, indent: usize) {
        self.out.extend(wrap(line, self.width, indent));
    }

    /// A labelled value; each of its own lines starts in the value column.
    fn field(&mut self, label: &str, value: &str) {
        let label = format!("  {:<LABEL$} ", clean(label));
        let mut first = true;
        for part in value.lines().chain(value.is_empty().then_some("")) {
            let lead =
                if first { Span::styled(label.clone(), self.theme.dim()) } else { Span::raw(" ".repeat(VALUE_COLUMN)) };
            first = false;
            self.line(Line::from(vec![lead, Span::raw(clean(part).into_owned())]), VALUE_COLUMN);
        }
    }
}

/// A profile value on one line: strings as they are, lists joined, an
/// enum value as its title with the value beside it.
fn show_value(v: &Value, choices: &[(Value, String)]) -> String {
    if let Some((_, title)) = choices.iter().find(|(c, _)| c == v) {
        let raw = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        return if *title == raw { raw } else { format!("{title} ({raw})") };
    }
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "—".into(),
        Value::Array(items) => items.iter().map(|i| show_value(i, choices)).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The profile's attributes in the schema's order, then any the schema
/// doesn't list, each with the schema's title and choices when known.
fn profile_fields(user: &User, state: &State) -> Vec<(String, String)> {
    let Some(profile) = user.profile() else { return Vec::new() };
    let attributes = match &state.schema {
        Load::Loaded(schema) => schema.attributes(),
        _ => Vec::new(),
    };
    let known = attributes
        .iter()
        .filter_map(|a| profile.get(&a.name).map(|v| (a.title.clone(), show_value(v, &a.enum_values))));
    let unknown = profile
        .iter()
        .filter(|(name, _)| !attributes.iter().any(|a| &a.name == *name))
        .map(|(name, v)| (name.clone(), show_value(v, &[])));
    known.chain(unknown).collect()
}

fn sections(user: &User, state: &State, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut s = Sections { width, theme, out: Vec::new() };
    s.line(
        Line::from(vec![
            Span::styled(clean(&user.display_name()).into_owned(), theme.title()),
            Span::raw("  "),
            Span::styled(status_badge(user.status()), theme.status(user.status())),
        ]),
        0,
    );
    s.line(Line::styled(clean(user.id()).into_owned(), theme.dim()), 0);
    s.blank();
    s.heading("Profile");
    for (label, value) in profile_fields(user, state) {
        s.field(&label, &value);
    }

    s.blank();
    s.heading("Status and timestamps");
    s.field("status", user.status_str());
    if let Some(t) = user.transitioning_to() {
        s.field("transitioning to", t);
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
            // The list says "never" for the same fact.
            None if key == "lastLogin" => "never".into(),
            None => "—".into(),
        };
        s.field(label, &value);
    }

    s.blank();
    s.heading("Credentials");
    let provider =
        user.provider().map_or("—".into(), |(t, n)| if t == n { t.to_owned() } else { format!("{t} ({n})") });
    s.field("provider", &provider);
    s.field("password", if user.has_password() { "set" } else { "not set" });
    s.field("recovery question", user.recovery_question().unwrap_or("—"));
    for (email, status) in user.credential_emails() {
        s.field("email", &format!("{email} ({status})"));
    }

    s.blank();
    s.heading("Type");
    let type_id = user.type_id().unwrap_or("—");
    let type_label = match state.type_name(type_id) {
        Some(name) => format!("{name} ({type_id})"),
        None => type_id.to_owned(),
    };
    s.field("type", &type_label);

    s.blank();
    s.heading("Groups");
    match &state.detail.groups {
        Load::Loaded(groups) if groups.is_empty() => s.line(Line::styled("  none", theme.dim()), 2),
        Load::Loaded(groups) => {
            let names: Vec<&str> = groups.iter().map(Group::name).collect();
            s.line(Line::raw(format!("  {}", clean(&names.join(", ")))), 2)
        }
        Load::Failed(e) => s.line(Line::styled(format!("  {}", clean(e)), theme.error()), 2),
        Load::Idle | Load::Loading(_) => s.line(Line::styled("  loading…", theme.dim()), 2),
    }

    // Relation and method say what the user can go through; the URLs are
    // noise here and stay one key away in the raw JSON.
    s.blank();
    s.line(
        Line::from(vec![
            Span::styled("Links", theme.title()),
            Span::styled("  (r: raw JSON with the URLs)", theme.dim()),
        ]),
        0,
    );
    let links = user.links();
    // One column for the methods, however long the relations' names.
    let rel_width = links.iter().map(|l| l.rel.chars().count()).max().unwrap_or(0).max(LABEL);
    for link in links {
        let method = link.method.as_deref().unwrap_or("GET");
        s.line(
            Line::from(vec![
                Span::styled(format!("  {:<rel_width$} ", clean(&link.rel)), theme.key()),
                Span::styled(method.to_owned(), theme.dim()),
            ]),
            VALUE_COLUMN,
        );
    }

    let other: Vec<_> = user.json().iter().filter(|(k, _)| !SHOWN.contains(&k.as_str())).collect();
    if !other.is_empty() {
        s.blank();
        s.heading("Other");
        for (k, v) in other {
            s.field(k, &v.to_string());
        }
    }
    s.out
}
