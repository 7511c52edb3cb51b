//! The create-user form, drawn over the panes: profile, credentials,
//! groups, type and activation, with each field's problem under it.

use super::popup;
use super::text::clean;
use super::theme::Theme;
use super::wrap::wrap;
use crate::app::Load;
use crate::app::State;
use crate::app::form::credentials::{Key, Mode, POLICY};
use crate::app::form::edit::Pending;
use crate::app::form::groups::GroupPicker;
use crate::app::form::{CreateForm, Item, Submit};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;

const LABEL: usize = 22;
/// Where values (and the problems under them) start.
const VALUE_COLUMN: usize = 2 + LABEL + 1;

/// Lines of the form and where the focused item and its cursor are.
struct Body {
    lines: Vec<Line<'static>>,
    /// The first lines (notice and banner) stay in view while the fields
    /// scroll, so what the last save said is read from its start.
    pinned: usize,
    focus_line: usize,
    cursor: Option<(usize, usize)>,
}

impl Body {
    fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    /// `line` wrapped to the form, continuing at `indent`.
    fn wrapped(&mut self, line: Line<'static>, width: usize, indent: usize) {
        self.lines.extend(wrap(line, width, indent));
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, form: &CreateForm, theme: &Theme) {
    let title = match (&form.edit, &form.submit) {
        (Some(edit), _) => super::edit::title(edit),
        (None, Submit::Sending { .. }) => "New user · creating…".to_owned(),
        (None, Submit::Editing) => "New user".to_owned(),
    };
    let inner = popup::frame(frame, area, 100, area.height, &title, theme);
    let mut body = body(state, form, theme, inner.width);
    // Up to half the height stays pinned; the rest scrolls with the focused
    // item two thirds down, so what comes next is in view.
    let pinned = body.pinned.min(usize::from(inner.height / 2));
    let fields = body.lines.split_off(pinned);
    let head = Rect { height: pinned as u16, ..inner };
    let rest = Rect { y: inner.y + pinned as u16, height: inner.height - pinned as u16, ..inner };
    let height = usize::from(rest.height);
    let focus_line = body.focus_line.saturating_sub(pinned);
    let scroll = focus_line.saturating_sub(height * 2 / 3).min(fields.len().saturating_sub(height));
    if let Some((row, col)) = body.cursor.map(|(row, col)| (row.saturating_sub(pinned), col))
        && row >= scroll
        && row < scroll + height
        && form.picker.is_none()
        && !form.confirm_discard
        && !form.edit.as_ref().is_some_and(|e| super::edit::covers_form(e))
    {
        let x = rest.x + (col as u16).min(rest.width.saturating_sub(1));
        frame.set_cursor_position(Position { x, y: rest.y + (row - scroll) as u16 });
    }
    frame.render_widget(Paragraph::new(body.lines), head);
    frame.render_widget(Paragraph::new(fields).scroll((scroll as u16, 0)), rest);
    if let Some(picker) = &form.picker {
        group_picker(frame, inner, form, picker, theme);
    } else if form.confirm_discard {
        let inner = popup::frame(frame, inner, 60, 4, "Discard?", theme);
        let question = match &form.edit {
            Some(_) => "Discard your changes to this user?",
            None => "Discard the new user and everything typed?",
        };
        let text = vec![Line::raw(question), Line::styled("y discard · any other key keeps editing", theme.dim())];
        frame.render_widget(Paragraph::new(text), inner);
    } else if let Some(edit) = &form.edit {
        super::edit::draw_over(frame, inner, form, edit, theme);
    }
}

fn body(state: &State, form: &CreateForm, theme: &Theme, width: u16) -> Body {
    let mut b = Body { lines: Vec::new(), pinned: 0, focus_line: 0, cursor: None };
    let width = usize::from(width);
    if let Some(notice) = &form.notice {
        b.wrapped(Line::styled(notice.clone(), theme.dim()), width, 0);
    }
    if let Some(banner) = &form.banner {
        b.wrapped(Line::styled(clean(banner).into_owned(), theme.error()), width, 0);
    }
    b.pinned = b.lines.len();
    if form.edit.as_ref().is_some_and(|e| matches!(e.pending, Some(Pending::Read(_)))) {
        let text = "Reading the user from the org… What you type now goes into the form once it is here; Esc cancels.";
        b.wrapped(Line::styled(text, theme.dim()), width, 0);
        return b;
    }
    b.push(Line::styled("Profile", theme.title()));
    for (i, f) in form.profile.iter().enumerate() {
        let label = format!("{}{}", f.attr.title, if f.attr.required { " *" } else { "" });
        let item = Item::Profile(i);
        if f.locked(form.is_edit()) {
            let value = if f.is_choice() { f.display() } else { f.input.value().to_owned() };
            let why = if f.attr.read_only { "read-only: the org sets it" } else { "set only when the user is created" };
            read_only(&mut b, form, item, &label, &value, why, theme);
        } else if f.is_choice() {
            choice(&mut b, form, item, &label, &f.display(), theme);
        } else {
            text(&mut b, form, item, &label, &f.input, false, theme);
        }
        error_line(&mut b, f.error.as_deref(), width, theme);
    }

    if form.edit.is_some() {
        b.push(Line::raw(""));
        let style = if form.focus == Item::Save { theme.selected() } else { theme.key() };
        mark_focus(&mut b, form, Item::Save);
        let marker = if form.focus == Item::Save { "▸ " } else { "  " };
        b.push(Line::from(vec![Span::styled(marker, theme.key()), Span::styled("[ Save ]", style)]));
        return b;
    }
    b.push(Line::raw(""));
    b.push(Line::styled("Credentials", theme.title()));
    let creds = &form.credentials;
    choice(&mut b, form, Item::CredentialsMode, "Sign-in", creds.mode.label(), theme);
    if creds.mode.has_typed_password() {
        let unmet = creds.password_problems(&form.login());
        let policy = if unmet.is_empty() { format!("Policy: {POLICY} ✓") } else { format!("Policy: {POLICY}") };
        b.wrapped(Line::styled(format!("  {:LABEL$} {policy}", ""), theme.dim()), width, VALUE_COLUMN);
    }
    for key in creds.inputs() {
        let item = Item::Credential(*key);
        if key.is_choice() {
            choice(&mut b, form, item, key.label(), &creds.text(*key), theme);
        } else if let Some(input) = credential_input(form, *key) {
            text(&mut b, form, item, key.label(), input, key.is_secret() && !creds.reveal, theme);
        }
        error_line(&mut b, creds.error(*key), width, theme);
    }
    match creds.mode {
        Mode::Hook => b.wrapped(
            Line::styled("  The org's password import inline hook checks the password at first sign-in.", theme.dim()),
            width,
            2,
        ),
        Mode::Provider => {
            b.wrapped(Line::styled("  Sent with provider=true; the user signs in through it.", theme.dim()), width, 2)
        }
        _ => {}
    }

    b.push(Line::raw(""));
    b.push(Line::styled("Groups and type", theme.title()));
    let groups = if form.groups.is_empty() {
        "none (Enter to choose)".to_owned()
    } else {
        form.groups.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
    };
    plain(&mut b, form, Item::Groups, "Groups", &groups, theme);
    let type_name = form.type_id.as_deref().and_then(|id| state.type_name(id)).unwrap_or("default");
    // Not "User type": that is also the title of the `userType` profile
    // attribute, a free-text field unrelated to the type.
    choice(&mut b, form, Item::UserType, "Okta user type", type_name, theme);

    b.push(Line::raw(""));
    b.push(Line::styled("Activation", theme.title()));
    checkbox(&mut b, form, Item::Activate, "Activate now", form.activate, None, theme);
    let send = form.send_email && form.send_email_reason().is_none();
    checkbox(&mut b, form, Item::SendEmail, "Send activation email", send, form.send_email_reason(), theme);
    let change = form.change_password && form.change_password_reason().is_none();
    let reason = form.change_password_reason();
    checkbox(&mut b, form, Item::ChangePassword, "Must change password at first sign-in", change, reason, theme);
    if form.activate_without_email() {
        let text = "  Created staged, then activated without email: you get the activation link.";
        b.wrapped(Line::styled(text, theme.dim()), width, 2);
    }

    b.push(Line::raw(""));
    let button = |label: &str, item: Item| {
        let style = if form.focus == item { theme.selected() } else { theme.key() };
        Span::styled(format!("[ {label} ]"), style)
    };
    let line = b.lines.len();
    if matches!(form.focus, Item::Create | Item::CreateAnother) {
        b.focus_line = line;
    }
    let marker = if matches!(form.focus, Item::Create | Item::CreateAnother) { "▸ " } else { "  " };
    b.push(Line::from(vec![
        Span::styled(marker, theme.key()),
        button("Create", Item::Create),
        Span::raw("  "),
        button("Create and add another", Item::CreateAnother),
    ]));
    b
}

fn credential_input(form: &CreateForm, key: Key) -> Option<&Input> {
    let c = &form.credentials;
    Some(match key {
        Key::Password => &c.password,
        Key::Question => &c.question,
        Key::Answer => &c.answer,
        Key::ProviderName => &c.provider_name,
        Key::WorkFactor => &c.work_factor,
        Key::Iterations => &c.iterations,
        Key::KeySize => &c.key_size,
        Key::Salt => &c.salt,
        Key::HashValue => &c.hash_value,
        _ => return None,
    })
}

fn label_spans(form: &CreateForm, item: Item, label: &str, theme: &Theme) -> Vec<Span<'static>> {
    let focused = form.focus == item;
    let marker = if focused { "▸ " } else { "  " };
    vec![
        Span::styled(marker, theme.key()),
        Span::styled(format!("{label:LABEL$} "), if focused { theme.title() } else { theme.dim() }),
    ]
}

fn mark_focus(b: &mut Body, form: &CreateForm, item: Item) {
    if form.focus == item {
        b.focus_line = b.lines.len();
    }
}

fn text(b: &mut Body, form: &CreateForm, item: Item, label: &str, input: &Input, masked: bool, theme: &Theme) {
    mark_focus(b, form, item);
    let focused = form.focus == item;
    let shown = if masked { "•".repeat(input.value().chars().count()) } else { input.value().to_owned() };
    if focused {
        b.cursor = Some((b.lines.len(), 2 + LABEL + 1 + input.visual_cursor()));
    }
    let mut spans = label_spans(form, item, label, theme);
    spans.push(Span::styled(shown, if focused { theme.title() } else { Style::new() }));
    b.push(Line::from(spans));
}

/// Shown, focusable so it can be read, never editable.
fn read_only(b: &mut Body, form: &CreateForm, item: Item, label: &str, value: &str, why: &str, theme: &Theme) {
    mark_focus(b, form, item);
    let mut spans = label_spans(form, item, label, theme);
    spans.push(Span::styled(clean(value).into_owned(), theme.dim()));
    spans.push(Span::styled(format!("  ({why})"), theme.dim()));
    b.push(Line::from(spans));
}

fn choice(b: &mut Body, form: &CreateForm, item: Item, label: &str, value: &str, theme: &Theme) {
    mark_focus(b, form, item);
    let focused = form.focus == item;
    let mut spans = label_spans(form, item, label, theme);
    let shown = if value.is_empty() { "—" } else { value };
    spans.push(Span::styled(format!("‹ {shown} ›"), if focused { theme.selected() } else { Style::new() }));
    b.push(Line::from(spans));
}

fn plain(b: &mut Body, form: &CreateForm, item: Item, label: &str, value: &str, theme: &Theme) {
    mark_focus(b, form, item);
    let focused = form.focus == item;
    let mut spans = label_spans(form, item, label, theme);
    spans.push(Span::styled(value.to_owned(), if focused { theme.selected() } else { Style::new() }));
    b.push(Line::from(spans));
}

fn checkbox(b: &mut Body, form: &CreateForm, item: Item, label: &str, on: bool, reason: Option<&str>, theme: &Theme) {
    mark_focus(b, form, item);
    let focused = form.focus == item;
    let marker = if focused { "▸ " } else { "  " };
    let mark = if on { "[x]" } else { "[ ]" };
    let style = if reason.is_some() {
        theme.dim()
    } else if focused {
        theme.selected()
    } else {
        Style::new()
    };
    let mut spans = vec![Span::styled(marker, theme.key()), Span::styled(format!("{mark} {label}"), style)];
    if let Some(reason) = reason {
        spans.push(Span::styled(format!("  ({reason})"), theme.dim()));
    }
    b.push(Line::from(spans));
}

fn error_line(b: &mut Body, error: Option<&str>, width: usize, theme: &Theme) {
    if let Some(e) = error {
        b.wrapped(Line::styled(format!("  {:LABEL$} {}", "", clean(e)), theme.error()), width, VALUE_COLUMN);
    }
}

fn group_picker(frame: &mut Frame, area: Rect, form: &CreateForm, picker: &GroupPicker, theme: &Theme) {
    let inner = popup::frame(frame, area, 70, area.height.saturating_sub(4).max(8), "Groups", theme);
    let searching = if picker.pending.is_some() { "  searching…" } else { "" };
    let mut lines = vec![Line::from(vec![
        Span::styled("Search: ", theme.key()),
        Span::styled(picker.input.value().to_owned(), theme.title()),
        Span::styled(searching, theme.dim()),
    ])];
    match &picker.results {
        Load::Loaded(found) if found.is_empty() => lines.push(Line::styled("No group matches", theme.dim())),
        Load::Loaded(found) => {
            for (i, (id, name, built_in)) in found.iter().enumerate() {
                let ticked = form.groups.iter().any(|(g, _)| g == id);
                let style = if i == picker.cursor { theme.selected() } else { Style::new() };
                let note = if *built_in { "  (everyone is in it)" } else { "" };
                lines.push(Line::from(vec![
                    Span::styled(format!("{} {name}", if ticked { "[x]" } else { "[ ]" }), style),
                    Span::styled(note, theme.dim()),
                ]));
            }
        }
        Load::Failed(e) => lines.push(Line::styled(e.clone(), theme.error())),
        Load::Idle | Load::Loading(_) => lines.push(Line::styled("Searching…", theme.dim())),
    }
    let footer = format!(
        "{} chosen (at most {}) · type to search · Tab tick · Enter done",
        form.groups.len(),
        crate::okta::MAX_GROUP_IDS
    );
    let height = usize::from(inner.height);
    let visible = height.saturating_sub(2);
    let skip = picker.cursor.saturating_sub(visible.saturating_sub(2));
    let mut shown: Vec<Line> = lines.drain(..1).collect();
    shown.extend(lines.into_iter().skip(skip).take(visible));
    frame.render_widget(Paragraph::new(shown), inner);
    let footer_area = Rect { y: inner.bottom().saturating_sub(1), height: 1, ..inner };
    frame.render_widget(Line::styled(footer, theme.dim()), footer_area);
    let x = inner.x + 8 + picker.input.visual_cursor() as u16;
    frame.set_cursor_position(Position { x: x.min(inner.right().saturating_sub(1)), y: inner.y });
}
