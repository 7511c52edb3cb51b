//! The detail pane's tab bar and the Groups, Factors and Apps tabs.

use super::text::clean;
use super::theme::Theme;
use super::time;
use super::wrap::{ellipsize, wrap};
use crate::app::detail::View;
use crate::app::tabs::Loaded;
use crate::app::{Load, State};
use crate::okta::{AppLink, Factor, Group};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

/// The pane's title: every tab, the shown one in brackets.
pub fn bar(view: View, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for tab in View::TABS {
        let (text, style) = if tab == view {
            (format!("[{}]", tab.label()), theme.title())
        } else {
            (tab.label().to_owned(), theme.dim())
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// Lines of the shown tab and the line of its cursor row, which the pane
/// keeps in view.
pub struct TabLines {
    pub lines: Vec<Line<'static>>,
    pub cursor: Option<usize>,
}

pub fn lines(state: &State, theme: &Theme, width: usize) -> TabLines {
    let loaded = state.detail.id.as_deref().and_then(|id| state.tabs.get(id));
    let none = Loaded::default();
    let loaded = loaded.unwrap_or(&none);
    match state.detail.view {
        View::Groups => groups(state, theme, width),
        View::Factors => factors(&loaded.factors, state, theme, width),
        _ => apps(&loaded.apps, theme, width),
    }
}

/// Loading, failed, or empty: one message.
fn status<T>(load: &Load<Vec<T>>, what: &str, empty: &str, theme: &Theme, width: usize) -> Option<TabLines> {
    let lines = match load {
        Load::Idle | Load::Loading(_) => vec![Line::styled(format!("Loading {what}…"), theme.dim())],
        Load::Failed(e) => {
            let mut lines = wrap(Line::styled(clean(e).into_owned(), theme.error()), width, 0);
            lines.push(Line::styled("R to retry", theme.dim()));
            lines
        }
        Load::Loaded(items) if items.is_empty() => vec![Line::styled(empty.to_owned(), theme.dim())],
        Load::Loaded(_) => return None,
    };
    Some(TabLines { lines, cursor: None })
}

fn row_style(selected: bool, theme: &Theme) -> (&'static str, Style) {
    if selected { ("▸ ", theme.selected()) } else { ("  ", Style::new()) }
}

fn groups(state: &State, theme: &Theme, width: usize) -> TabLines {
    if let (Load::Idle | Load::Loading(_), Load::Failed(e)) = (&state.detail.groups, &state.detail.user) {
        // The groups are read once the user is; it was not.
        return TabLines { lines: wrap(Line::styled(clean(e).into_owned(), theme.error()), width, 0), cursor: None };
    }
    if let Some(lines) = status(&state.detail.groups, "groups", "In no group", theme, width) {
        return lines;
    }
    let Load::Loaded(groups) = &state.detail.groups else { return TabLines { lines: Vec::new(), cursor: None } };
    let name_width = groups.iter().map(|g| g.name().chars().count()).max().unwrap_or(0).clamp(8, 28);
    let mut out = Vec::new();
    let mut cursor = None;
    for (i, group) in groups.iter().enumerate() {
        let selected = i == state.detail.group_cursor;
        if selected {
            cursor = Some(out.len());
        }
        out.extend(group_row(group, selected, name_width, theme, width));
    }
    out.push(Line::raw(""));
    let note = "Only OKTA_GROUP members can be changed here: Okta keeps everyone in BUILT_IN groups, \
                and an APP_GROUP's members come from its app.";
    out.extend(wrap(Line::styled(note, theme.dim()), width, 0));
    TabLines { lines: out, cursor }
}

fn group_row(group: &Group, selected: bool, name_width: usize, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let (mark, style) = row_style(selected, theme);
    let name = ellipsize(&clean(group.name()), name_width).into_owned();
    let description = clean(group.description().unwrap_or_default()).into_owned();
    let line = Line::from(vec![
        Span::styled(format!("{mark}{name:<name_width$}"), style),
        Span::styled(format!("  {:<10}", group.kind()), theme.dim()),
        Span::raw(format!("  {description}")),
    ]);
    wrap(line, width, name_width + 14)
}

/// A value of a factor's profile on one line: strings as they are.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn factors(load: &Load<Vec<Factor>>, state: &State, theme: &Theme, width: usize) -> TabLines {
    if let Some(lines) = status(load, "factors", "No factor enrolled", theme, width) {
        return lines;
    }
    let Load::Loaded(factors) = load else { return TabLines { lines: Vec::new(), cursor: None } };
    let mut out = Vec::new();
    let mut cursor = None;
    for (i, factor) in factors.iter().enumerate() {
        // One value column per factor, however long its profile's keys.
        let keys = factor.profile().into_iter().flatten().map(|(k, _)| k.chars().count());
        let label_width = keys.chain([12]).max().unwrap_or(12);
        let field = |out: &mut Vec<Line<'static>>, label: &str, value: String| {
            let line = Line::from(vec![
                Span::styled(format!("    {:<label_width$}  ", clean(label)), theme.dim()),
                Span::raw(clean(&value).into_owned()),
            ]);
            out.extend(wrap(line, width, label_width + 6));
        };
        let selected = i == state.detail.factor_cursor;
        if selected {
            cursor = Some(out.len());
        }
        let (mark, style) = row_style(selected, theme);
        let status_style = if factor.status() == "ACTIVE" { theme.success() } else { theme.key() };
        out.extend(wrap(
            Line::from(vec![
                Span::styled(format!("{mark}{}", clean(factor.factor_type())), style),
                Span::styled(format!("  {}", clean(factor.provider())), theme.dim()),
                Span::styled(format!("  {}", clean(factor.status())), status_style),
            ]),
            width,
            4,
        ));
        let when = |ts: Option<&str>| ts.map_or_else(|| "—".to_owned(), |t| time::absolute_and_relative(t, state.now));
        field(&mut out, "enrolled", when(factor.created()));
        field(&mut out, "last updated", when(factor.last_updated()));
        if let Some(vendor) = factor.vendor_name().filter(|v| *v != factor.provider()) {
            field(&mut out, "vendor", vendor.to_owned());
        }
        for (key, value) in factor.profile().into_iter().flatten() {
            field(&mut out, key, plain(value));
        }
        out.push(Line::raw(""));
    }
    out.push(Line::styled("Resetting all factors is a lifecycle action (a)", theme.dim()));
    TabLines { lines: out, cursor }
}

fn apps(load: &Load<Vec<AppLink>>, theme: &Theme, width: usize) -> TabLines {
    if let Some(lines) = status(load, "app links", "No app assigned", theme, width) {
        return lines;
    }
    let Load::Loaded(apps) = load else { return TabLines { lines: Vec::new(), cursor: None } };
    let mut out = Vec::new();
    for app in apps {
        let hidden = if app.hidden() { "  (hidden from the user)" } else { "" };
        out.extend(wrap(
            Line::from(vec![
                Span::styled(format!("  {}", clean(app.label())), theme.title()),
                Span::styled(format!("  {}{hidden}", clean(app.app_name())), theme.dim()),
            ]),
            width,
            4,
        ));
        let url = app.link_url().map_or_else(|| "—".to_owned(), |u| clean(u).into_owned());
        out.extend(wrap(Line::raw(format!("    {url}")), width, 4));
    }
    TabLines { lines: out, cursor: None }
}
