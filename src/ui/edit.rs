//! What only the edit form draws: the login confirmation and the
//! conflict view, over the form; and the footer keys of each.

use super::popup;
use super::text::clean;
use super::theme::Theme;
use super::wrap::wrap;
use crate::app::State;
use crate::app::form::CreateForm;
use crate::app::form::edit::{Conflict, EditTarget, Pending, shown};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

const LABEL: usize = 18;

/// Draws the confirmation or the conflict view when one is up.
pub fn draw_over(frame: &mut Frame, area: Rect, form: &CreateForm, edit: &EditTarget, theme: &Theme) {
    if edit.confirm_login {
        confirm_login(frame, area, form, edit, theme);
    } else if let Some(conflict) = &edit.conflict {
        conflict_view(frame, area, edit, conflict, theme);
    }
}

/// The form's title: whose profile, and what it waits for.
pub fn title(edit: &EditTarget) -> String {
    let login = clean(&edit.login);
    match edit.pending {
        Some(Pending::Read(_)) => format!("Edit {login} · reading…"),
        Some(Pending::Save(_)) => format!("Edit {login} · saving…"),
        Some(Pending::Refetch(_)) => format!("Edit {login} · changed meanwhile, reading it again…"),
        None => format!("Edit {login}"),
    }
}

/// Whether a popup of the edit form takes the keyboard (no text cursor).
pub fn covers_form(edit: &EditTarget) -> bool {
    edit.confirm_login || edit.conflict.is_some()
}

fn confirm_login(frame: &mut Frame, area: Rect, form: &CreateForm, edit: &EditTarget, theme: &Theme) {
    let new = form.new_login().unwrap_or_default();
    let text = vec![
        Line::from(vec![
            Span::raw(clean(&edit.login).into_owned()),
            Span::styled("  →  ", theme.dim()),
            Span::styled(clean(&new).into_owned(), theme.title()),
        ]),
        Line::raw("The username is how the user signs in: from now on they need the new one."),
        Line::styled("y change it and save · any other key keeps editing", theme.dim()),
    ];
    let inner = popup::frame(frame, area, 72, 7, "Change the username?", theme);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), inner);
}

fn conflict_view(frame: &mut Frame, area: Rect, edit: &EditTarget, conflict: &Conflict, theme: &Theme) {
    let width = usize::from(area.width.min(100).saturating_sub(2));
    let mut lines: Vec<Line<'static>> = Vec::new();
    let intro = format!(
        "Someone changed {} after the form was filled. For each attribute you changed, keep yours (m) \
         or take the current value (c); then Enter saves again.",
        clean(&edit.login)
    );
    lines.extend(wrap(Line::raw(intro), width, 0));
    let mut cursor_line = 0;
    for (i, row) in conflict.rows.iter().enumerate() {
        lines.push(Line::raw(""));
        let focused = i == conflict.cursor;
        if focused {
            cursor_line = lines.len();
        }
        let who = if row.contested() { "changed by both" } else { "changed only by you" };
        lines.push(Line::from(vec![
            Span::styled(if focused { "▸ " } else { "  " }, theme.key()),
            Span::styled(clean(&row.title).into_owned(), if focused { theme.title() } else { Style::new() }),
            Span::styled(format!("  ({who})"), theme.dim()),
        ]));
        let value = |label: &str, v: &serde_json::Value, chosen: bool| {
            let mut spans = vec![
                Span::styled(format!("    {label:LABEL$} "), theme.dim()),
                Span::styled(clean(&shown(v)).into_owned(), if chosen { theme.selected() } else { Style::new() }),
            ];
            if chosen {
                spans.push(Span::styled("  ◀ saved", theme.key()));
            }
            wrap(Line::from(spans), width, 4 + LABEL + 1)
        };
        lines.extend(value("you started from", &row.base, false));
        lines.extend(value("yours", &row.mine, row.keep_mine));
        lines.extend(value("current", &row.current, !row.keep_mine));
    }
    if !conflict.taken.is_empty() {
        lines.push(Line::raw(""));
        let taken = conflict.taken.iter().map(|t| clean(t).into_owned()).collect::<Vec<_>>().join(", ");
        let text = format!("Also changed meanwhile, taken as they are now: {taken}");
        lines.extend(wrap(Line::styled(text, theme.dim()), width, 0));
    }
    let wanted = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let inner = popup::frame(frame, area, 100, wanted.min(area.height), "Changed meanwhile", theme);
    let height = usize::from(inner.height);
    // The focused attribute's four lines stay in view.
    let scroll = (cursor_line + 4).saturating_sub(height).min(lines.len().saturating_sub(height));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
}

/// The footer's keys while the edit form is up.
pub fn footer_keys(state: &State) -> Option<Vec<(String, &'static str)>> {
    let edit = state.form.as_ref()?.edit.as_ref()?;
    let pairs: &[(&str, &'static str)] = if edit.confirm_login {
        &[("y", "change the username and save"), ("any key", "keep editing")]
    } else if edit.conflict.is_some() {
        &[("↑/↓", "attribute"), ("m", "keep yours"), ("c", "take current"), ("Enter", "save"), ("Esc", "back to form")]
    } else {
        &[("Tab", "next"), ("←/→", "choose"), ("Ctrl-S", "save"), ("Esc", "cancel")]
    };
    Some(pairs.iter().map(|(k, w)| ((*k).to_owned(), *w)).collect())
}
