//! The bulk menu's group picker and `set` form. Their keys and the
//! typed confirmation stay in view however long the lists get.

use super::scrolled::{self, At, Parts};
use super::tab_dialogs;
use super::text::clean;
use super::theme::Theme;
use crate::app::bulk_pick::{GroupPick, SetForm, locked_reason};
use crate::okta::{AttributeKind, SchemaAttribute};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

const WIDTH: u16 = 76;

pub fn group(f: &mut Frame, area: Rect, pick: &GroupPick, theme: &Theme) {
    let keys = "Type a name's start · ↑/↓ choose · Enter plans it · Esc closes";
    let (parts, column) = tab_dialogs::picker(&pick.search, &[], false, keys, theme);
    let title = match pick.remove {
        true => "Remove the selection from a group",
        false => "Add the selection to a group",
    };
    let (inner, _) = scrolled::draw(f, area, WIDTH, title, parts, At::Show(pick.search.cursor), theme);
    put_cursor(f, inner, column);
}

fn put_cursor(f: &mut Frame, inner: Rect, column: Option<usize>) {
    let Some(column) = column else { return };
    let x = inner.x.saturating_add(u16::try_from(column).unwrap_or(u16::MAX));
    if x < inner.right() && inner.height > 0 {
        f.set_cursor_position(Position { x, y: inner.y });
    }
}

pub fn set_form(f: &mut Frame, area: Rect, form: &SetForm, theme: &Theme) {
    let (head, column, body, at) = match &form.value {
        None => {
            let label = "Attribute: ";
            let head = Line::from(vec![
                Span::styled(label, theme.key()),
                Span::styled(form.filter.value().to_owned(), theme.title()),
            ]);
            let column = label.chars().count() + form.filter.visual_cursor();
            (head, Some(column), attributes(form, theme), At::Show(form.cursor))
        }
        Some(field) => {
            let label = format!("profile.{} = ", clean(field.key()));
            let value = match field.is_choice() {
                true if field.is_empty() => "◂ (empty: clears it) ▸".to_owned(),
                true => format!("◂ {} ▸", field.display()),
                false => field.input.value().to_owned(),
            };
            let column = label.chars().count() + field.input.visual_cursor();
            let head = Line::from(vec![
                Span::styled(label, theme.key()),
                Span::styled(clean(&value).into_owned(), theme.title()),
            ]);
            let mut body =
                vec![Line::styled(format!("{}: {}", clean(&field.attr.title), about(&field.attr)), theme.dim())];
            // Once refused, the reason shows below, with the keys.
            if let Some(error) = field.error.as_ref().filter(|_| form.refusal.is_none()) {
                body.push(Line::styled(clean(error).into_owned(), theme.error()));
            }
            let column = if field.is_choice() { None } else { Some(column) };
            (head, column, body, At::Offset(0))
        }
    };
    let mut foot = vec![Line::raw(""), Line::styled("Set on each selected user:", theme.dim())];
    if form.assignments.is_empty() {
        foot.push(Line::styled("  nothing yet", theme.dim()));
    }
    for (name, value) in &form.assignments {
        let value = if value.is_empty() { "(empty: clears it)".to_owned() } else { clean(value).into_owned() };
        foot.push(Line::raw(format!("  profile.{} = {value}", clean(name))));
    }
    if let Some(why) = &form.refusal {
        foot.push(Line::styled(clean(why).into_owned(), theme.error()));
    }
    foot.push(Line::raw(""));
    foot.push(keys(form, theme));
    let parts = Parts { head: vec![head], body, foot, scroll_keys: "" };
    let (inner, _) = scrolled::draw(f, area, WIDTH, "Set profile attributes", parts, at, theme);
    if !form.confirm_discard {
        put_cursor(f, inner, column);
    }
}

/// The attributes the filter matches, those that cannot be set marked.
fn attributes(form: &SetForm, theme: &Theme) -> Vec<Line<'static>> {
    let found = form.matches();
    if found.is_empty() {
        return vec![Line::styled("No attribute's name or title holds that", theme.dim())];
    }
    found
        .iter()
        .enumerate()
        .map(|(i, attribute)| {
            let here = i == form.cursor;
            let style = if here { theme.selected() } else { Style::new() };
            let mark = if here { "▸ " } else { "  " };
            let note = match locked_reason(attribute) {
                Some(_) if attribute.read_only => "  read-only",
                Some(_) if attribute.immutable => "  set at creation only",
                Some(_) => "  unique to each user",
                None => "",
            };
            Line::from(vec![
                Span::styled(format!("{mark}{}", clean(&attribute.name)), style),
                Span::styled(format!("  {}{note}", clean(&attribute.title)), theme.dim()),
            ])
        })
        .collect()
}

/// What the attribute takes: its type, allowed values and limits.
fn about(attribute: &SchemaAttribute) -> String {
    let mut words = vec![match &attribute.kind {
        AttributeKind::String => "text".to_owned(),
        AttributeKind::Integer => "a whole number".to_owned(),
        AttributeKind::Number => "a number".to_owned(),
        AttributeKind::Boolean => "true or false".to_owned(),
        AttributeKind::Array(_) => "a list, comma-separated".to_owned(),
    }];
    if !attribute.enum_values.is_empty() {
        let titles: Vec<&str> = attribute.enum_values.iter().map(|(_, t)| t.as_str()).collect();
        words.push(format!("one of {}", titles.join(", ")));
    }
    match (attribute.min_length, attribute.max_length) {
        (Some(min), Some(max)) => words.push(format!("{min}–{max} characters")),
        (None, Some(max)) => words.push(format!("at most {max} characters")),
        (Some(min), None) => words.push(format!("at least {min} characters")),
        (None, None) => {}
    }
    if let Some(format) = &attribute.format {
        words.push(format!("format {format}"));
    }
    if attribute.required {
        words.push("required".into());
    }
    clean(&words.join(" · ")).into_owned()
}

fn keys(form: &SetForm, theme: &Theme) -> Line<'static> {
    if form.confirm_discard {
        let n = form.assignments.len();
        let what = match n {
            0 => "what was typed".to_owned(),
            1 => "the assignment and what was typed".to_owned(),
            n => format!("the {n} assignments and what was typed"),
        };
        return Line::styled(format!("Discard {what}? y discards · any other key keeps editing"), theme.error());
    }
    let text = match &form.value {
        None if form.assignments.is_empty() => "Type to filter · ↑/↓ choose · Enter picks it · Esc closes",
        None => "Enter picks · Ctrl-S/Enter on empty: plan · ⌫ on empty: drop last · Esc",
        Some(field) if field.is_choice() => "←/→ choose · Enter adds it · ⌫ back · Ctrl-S plans · Esc closes",
        Some(_) => "Enter adds the value · ⌫ on empty: back · Ctrl-S plans · Esc closes",
    };
    Line::styled(text, theme.dim())
}
