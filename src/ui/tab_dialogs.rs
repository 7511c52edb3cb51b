//! The detail tabs' dialogs: the group picker and the confirmations of a
//! removal from a group, a factor reset and clearing sessions.

use super::popup;
use super::scrolled::Parts;
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
            let mine: Vec<&str> = match &state.detail.groups {
                Load::Loaded(groups) => groups.iter().map(|g| g.id()).collect(),
                _ => Vec::new(),
            };
            let keys = "Type a name's start · ↑/↓ choose · Enter add · Esc close";
            let (parts, column) = picker(search, &mine, dialog.sending.is_some(), keys, theme);
            let lines = parts.head.into_iter().chain(parts.body).chain(parts.foot).collect();
            (format!("Add {login} to a group"), lines, column.map(|c| (0, c)))
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
    show(frame, area, &title, lines, cursor, theme);
}

/// A dialog of `lines` wrapped to its width, with the input's cursor at
/// `(row, column)` of the unwrapped lines when there is one.
pub fn show(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    cursor: Option<(usize, usize)>,
    theme: &Theme,
) {
    let width = usize::from(WIDTH.min(area.width).saturating_sub(2));
    let lines = wrap_all(lines, width, 0);
    let height = (lines.len() as u16 + 2).min(area.height);
    let inner = popup::frame(frame, area, WIDTH, height, title, theme);
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
    keys_line(dialog.sending.is_some(), hint, theme)
}

fn keys_line(sending: bool, hint: &str, theme: &Theme) -> Line<'static> {
    match sending {
        true => Line::styled("Working…", theme.key()),
        false => Line::styled(hint.to_owned(), theme.dim()),
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

/// The group picker's lines (the input first, the groups found, then
/// the keys) and the input's cursor column, wherever it is shown: `mine`
/// are the groups to mark as already joined, `keys` the last line.
pub fn picker(search: &GroupSearch, mine: &[&str], sending: bool, keys: &str, theme: &Theme) -> (Parts, Option<usize>) {
    let searching = if search.pending.is_some() { "  searching…" } else { "" };
    let head = vec![Line::from(vec![
        Span::styled("Group name: ", theme.key()),
        Span::styled(search.input.value().to_owned(), theme.title()),
        Span::styled(searching, theme.dim()),
    ])];
    let column = (!sending).then_some(12 + search.input.visual_cursor());
    let mut body = Vec::new();
    match &search.results {
        Load::Loaded(found) if found.is_empty() => {
            body.push(Line::styled("No group's name starts with that", theme.dim()))
        }
        Load::Loaded(found) => {
            for (i, group) in found.iter().enumerate() {
                let style = if i == search.cursor { theme.selected() } else { Style::new() };
                let note = match membership_refusal(group) {
                    Some(_) => format!("  {} (cannot be changed)", group.kind()),
                    None if mine.contains(&group.id()) => "  (already a member)".to_owned(),
                    None => String::new(),
                };
                let mark = if i == search.cursor { "▸ " } else { "  " };
                body.push(Line::from(vec![
                    Span::styled(format!("{mark}{}", clean(group.name())), style),
                    Span::styled(note, theme.dim()),
                ]));
            }
        }
        Load::Failed(e) => body.push(Line::styled(clean(e).into_owned(), theme.error())),
        Load::Idle | Load::Loading(_) => body.push(Line::styled("Searching…", theme.dim())),
    }
    let mut foot = Vec::new();
    if let Some(why) = &search.refusal {
        foot.push(Line::raw(""));
        foot.push(Line::styled(clean(why).into_owned(), theme.error()));
    }
    foot.push(Line::raw(""));
    let limit = crate::app::tabs::GROUP_SEARCH_LIMIT;
    if matches!(&search.results, Load::Loaded(found) if found.len() >= limit as usize) {
        foot.push(Line::styled(format!("The first {limit} matches: type more to narrow them"), theme.dim()));
    }
    foot.push(keys_line(sending, keys, theme));
    (Parts { head, body, foot, scroll_keys: "" }, column)
}
