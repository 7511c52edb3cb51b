//! The detail tabs' dialogs: the group picker and the confirmations of a
//! removal from a group, a factor reset and clearing sessions.

use super::popup;
use super::text::clean;
use super::theme::Theme;
use super::wrap::{wrap, wrap_all};
use crate::app::tabs::{ClearSessionsChoice, Dialog, DialogKind, GroupSearch, membership_refusal};
use crate::app::{Load, State};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const WIDTH: u16 = 72;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, dialog: &Dialog, theme: &Theme) {
    let width = usize::from(WIDTH.min(area.width).saturating_sub(2));
    let login = clean(&dialog.login).into_owned();
    let (title, lines, cursor) = match &dialog.kind {
        DialogKind::AddToGroup(search) => {
            let (lines, cursor) = picker(state, search, dialog, theme);
            (format!("Add {login} to a group"), lines, cursor)
        }
        DialogKind::RemoveFromGroup { group, .. } => {
            let ask = format!("Remove {login} from the group {}?", clean(group));
            let hint = "Enter or y remove · Esc cancel";
            ("Remove from group?".to_owned(), question(&ask, None, dialog, hint, theme), None)
        }
        DialogKind::ResetFactor { factor, .. } => {
            let ask = format!("Reset the factor {} of {login}?", clean(factor));
            let why = "The user has to enroll it again before it can be used.";
            let hint = "Enter or y reset · Esc cancel";
            ("Reset factor?".to_owned(), question(&ask, Some(why), dialog, hint, theme), None)
        }
        DialogKind::ClearSessions(choice) => {
            ("Clear sessions?".to_owned(), sessions(&login, choice, dialog, width, theme), None)
        }
    };
    let lines = wrap_all(lines, width, 0);
    let height = (lines.len() as u16 + 2).min(area.height);
    let inner = popup::frame(frame, area, WIDTH, height, &title, theme);
    if let Some((row, col)) = cursor {
        let (x, y) = (inner.x + col as u16, inner.y + row as u16);
        if y < inner.bottom() && x < inner.right() {
            frame.set_cursor_position(Position { x, y });
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The last line: what keys do, or that the change is out.
fn hint(dialog: &Dialog, hint: &str, theme: &Theme) -> Line<'static> {
    match dialog.sending {
        Some(_) => Line::styled("Working…", theme.key()),
        None => Line::styled(hint.to_owned(), theme.dim()),
    }
}

fn question(ask: &str, why: Option<&str>, dialog: &Dialog, keys: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(ask.to_owned(), theme.title())];
    if let Some(why) = why {
        lines.push(Line::raw(why.to_owned()));
    }
    lines.push(Line::raw(""));
    lines.push(hint(dialog, keys, theme));
    lines
}

fn sessions(
    login: &str,
    choice: &ClearSessionsChoice,
    dialog: &Dialog,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(format!("Clear every Okta session of {login}?"), theme.title()),
        Line::raw("The user is signed out of Okta everywhere and signs in again."),
        Line::raw(""),
    ];
    let options = [
        (choice.oauth_tokens, "Also revoke the OpenID Connect and OAuth tokens issued to the user (oauthTokens)"),
        (choice.forget_devices, "Also forget the devices the user chose to remember (forgetDevices)"),
    ];
    for (i, (on, label)) in options.into_iter().enumerate() {
        let style = if choice.focus == i { theme.selected() } else { Style::new() };
        let mark = if on { "[x]" } else { "[ ]" };
        lines.extend(wrap(Line::styled(format!("{mark} {label}"), style), width, 4));
    }
    lines.push(Line::raw(""));
    lines.push(hint(dialog, "Space toggle · ↑/↓ move · Enter clear · Esc cancel", theme));
    lines
}

/// The picker's lines and where the input's cursor is.
fn picker(
    state: &State,
    search: &GroupSearch,
    dialog: &Dialog,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    let searching = if search.pending.is_some() { "  searching…" } else { "" };
    let mut lines = vec![Line::from(vec![
        Span::styled("Group name: ", theme.key()),
        Span::styled(search.input.value().to_owned(), theme.title()),
        Span::styled(searching, theme.dim()),
    ])];
    let cursor = (dialog.sending.is_none()).then_some((0, 12 + search.input.visual_cursor()));
    let mine = match &state.detail.groups {
        Load::Loaded(groups) => groups.iter().map(|g| g.id().to_owned()).collect(),
        _ => Vec::new(),
    };
    match &search.results {
        Load::Loaded(found) if found.is_empty() => {
            lines.push(Line::styled("No group's name starts with that", theme.dim()))
        }
        Load::Loaded(found) => {
            for (i, group) in found.iter().enumerate() {
                let style = if i == search.cursor { theme.selected() } else { Style::new() };
                let note = match membership_refusal(group) {
                    Some(_) => format!("  {} (cannot be changed)", group.kind()),
                    None if mine.iter().any(|id| id == group.id()) => "  (already a member)".to_owned(),
                    None => String::new(),
                };
                let mark = if i == search.cursor { "▸ " } else { "  " };
                lines.push(Line::from(vec![
                    Span::styled(format!("{mark}{}", clean(group.name())), style),
                    Span::styled(note, theme.dim()),
                ]));
            }
        }
        Load::Failed(e) => lines.push(Line::styled(clean(e).into_owned(), theme.error())),
        Load::Idle | Load::Loading(_) => lines.push(Line::styled("Searching…", theme.dim())),
    }
    if let Some(why) = &search.refusal {
        lines.push(Line::raw(""));
        lines.push(Line::styled(clean(why).into_owned(), theme.error()));
    }
    lines.push(Line::raw(""));
    let limit = crate::app::tabs::GROUP_SEARCH_LIMIT;
    if matches!(&search.results, Load::Loaded(found) if found.len() >= limit as usize) {
        lines.push(Line::styled(format!("The first {limit} matches: type more to narrow them"), theme.dim()));
    }
    lines.push(hint(dialog, "Type a name's start · ↑/↓ choose · Enter add · Esc close", theme));
    (lines, cursor)
}
