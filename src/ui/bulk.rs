//! Bulk operations' dialogs and screens: clearing the selection, the
//! operations menu, the plan and the job.

use super::popup;
use super::scrolled::{self, At, Parts};
use super::text::clean;
use super::theme::Theme;
use crate::app::State;
use crate::app::bulk::{self, Dialog, JobView, OPERATIONS, Planned};
use crate::display::thousands;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Draws the dialog; returns how far a plan scrolls (0 for the others).
pub fn draw(f: &mut Frame, area: Rect, state: &State, dialog: &Dialog, theme: &Theme) -> u16 {
    match dialog {
        Dialog::Plan(planned) => return plan(f, area, planned, theme),
        Dialog::PickGroup(pick) => super::bulk_pick::group(f, area, pick, theme),
        Dialog::SetAttributes(form) => super::bulk_pick::set_form(f, area, form, theme),
        Dialog::ConfirmClear => confirm_clear(f, area, state, theme),
        Dialog::Menu { cursor } => menu(f, area, state, *cursor, theme),
        Dialog::Surveying { operation, .. } => {
            let text = vec![
                Line::raw(format!("Reading the selected users to plan {operation}…")),
                Line::styled("Nothing is changed until you confirm the plan · Esc cancels", theme.dim()),
            ];
            show(f, area, "Planning", text, theme);
        }
        Dialog::Job => job(f, area, state, theme),
        Dialog::ConfirmCancel => {
            let text = vec![
                Line::raw("Cancel the bulk job? Users already done stay done and are in its results file."),
                Line::styled("y cancel the job · any other key lets it run", theme.dim()),
            ];
            show(f, area, "Cancel the job?", text, theme);
        }
        Dialog::Unfinished(offer) => super::bulk_resume::offer(f, area, offer, theme),
        Dialog::ConfirmDiscard(offer) => super::bulk_resume::confirm_discard(f, area, offer, theme),
    }
    0
}

/// The popups' width: the terminal's, up to a comfortable line.
fn width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(76)
}

pub(super) fn show(f: &mut Frame, area: Rect, title: &str, text: Vec<Line>, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(76);
    // Long lines wrap (a plan's samples do): the popup grows with them, a
    // row spare for words that wrap early, so the keys line always shows.
    let room = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = text.iter().map(|l| l.width().div_ceil(room).max(1)).sum();
    let inner = popup::frame(f, area, width, rows as u16 + 3, title, theme);
    f.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
}

fn confirm_clear(f: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let size = bulk::size(state).map_or_else(String::new, |s| s.label());
    let text = vec![
        Line::raw(format!("Clear the selection: {size}?")),
        Line::styled("y clear · any other key keeps it", theme.dim()),
    ];
    show(f, area, "Clear the selection?", text, theme);
}

fn menu(f: &mut Frame, area: Rect, state: &State, cursor: usize, theme: &Theme) {
    let size = bulk::size(state).map_or_else(String::new, |s| s.label());
    let head = vec![Line::styled(format!("On the selection ({size}):"), theme.dim())];
    let body = OPERATIONS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let style = if i == cursor { theme.selected() } else { Style::new() };
            // These ask for the group or the attributes next.
            let more = if matches!(*name, "add-to-group" | "remove-from-group" | "set") { "…" } else { "" };
            Line::from(Span::styled(format!(" {name}{more} "), style))
        })
        .collect();
    let foot = vec![Line::styled("Enter plans it (nothing is sent) · Esc closes", theme.dim())];
    let parts = Parts { head, body, foot, scroll_keys: "" };
    scrolled::draw(f, area, width(area), "Bulk operation", parts, At::Show(cursor), theme);
}

/// The plan scrolls under its keys and the typed number, which stay in
/// view; returns how far it scrolls.
fn plan(f: &mut Frame, area: Rect, planned: &Planned, theme: &Theme) -> u16 {
    let body = crate::bulk::render(&planned.plan).lines().map(|l| Line::raw(clean(l).into_owned())).collect();
    let mut foot = vec![Line::raw("")];
    let count = planned.plan.change.count;
    if count == 0 {
        foot.push(Line::styled("Esc closes", theme.dim()));
    } else if planned.plan.destructive {
        foot.push(Line::from(vec![
            Span::raw(format!("This loses data or access. Type {} to go ahead: ", thousands(count))),
            Span::styled(format!("{}▏", planned.typed.value()), theme.key()),
        ]));
        foot.push(Line::styled("Enter starts the job · Esc drops the plan", theme.dim()));
    } else {
        foot.push(Line::styled("Enter starts the job · Esc drops the plan", theme.dim()));
    }
    if let Some(error) = &planned.error {
        foot.push(Line::styled(clean(error).into_owned(), theme.error()));
    }
    let parts = Parts { head: Vec::new(), body, foot, scroll_keys: " · j/k scroll" };
    scrolled::draw(f, area, width(area), "Plan", parts, At::Offset(planned.scroll), theme).1
}

fn job(f: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(job) = &state.bulk_job else { return };
    let tally = &job.progress.tally;
    let mut text = vec![
        Line::raw(format!("{}: {}", clean(&job.operation), job_state(job))),
        Line::raw(format!(
            "changed {} · unchanged {} · skipped {} · failed {}",
            thousands(tally.changed),
            thousands(tally.unchanged),
            thousands(tally.skipped),
            thousands(tally.failed)
        )),
        Line::raw(format!("Results: {}", clean(&job.results.display().to_string()))),
    ];
    if job.running() && job.paused {
        text.insert(1, Line::styled("Paused: the users already started finish, no other starts", theme.key()));
    }
    let keys = match (&job.ended, job.paused) {
        (None, false) => "p pauses · c cancels · Esc hides this (the job goes on; a shows it again)",
        (None, true) => "p resumes · c cancels · Esc hides this (a shows it again)",
        (Some(_), _) if crate::app::bulk_resume::resumable(job) => "r runs it on from where it stopped · Esc closes",
        (Some(_), _) => "Esc closes",
    };
    text.push(Line::styled(keys, theme.dim()));
    show(f, area, "Bulk job", text, theme);
}

fn job_state(job: &JobView) -> String {
    match &job.ended {
        None => bulk::progress_line(job, true),
        Some(Ok(())) => format!("done, {} users", thousands(job.progress.tally.done())),
        Some(Err(e)) => format!("stopped after {} users: {}", thousands(job.progress.tally.done()), clean(e)),
    }
}

/// The job's progress for the header, while it runs or is paused.
pub fn header_progress(state: &State, with_rate: bool) -> Option<String> {
    let job = state.bulk_job.as_ref().filter(|j| j.running())?;
    Some(format!("{} {}", job.operation, bulk::progress_line(job, with_rate)))
}
