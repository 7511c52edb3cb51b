//! The unfinished bulk job offered at start, and the question before it
//! is ended where it stopped.

use super::bulk::show;
use super::text::clean;
use super::theme::Theme;
use crate::app::bulk_resume::Offer;
use crate::bulk::Tally;
use crate::display::thousands;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

pub fn offer(f: &mut Frame, area: Rect, offer: &Offer, theme: &Theme) {
    let job = &offer.job;
    let tally = &job.tally;
    let mut text = vec![
        Line::raw("oktui stopped before this bulk job was done:"),
        Line::raw(format!("{} on {}", clean(&job.operation), clean(&job.selection))),
        Line::raw(counts(tally)),
        Line::raw(format!("Started {}", started(&job.started))),
        Line::raw(format!("Results: {}", clean(&job.results.display().to_string()))),
    ];
    match offer.more {
        0 => {}
        1 => text.push(Line::styled("1 more unfinished job waits: offered at a later start", theme.dim())),
        n => text.push(Line::styled(format!("{n} more unfinished jobs wait: offered at later starts"), theme.dim())),
    }
    text.push(Line::styled("Enter resume · d end it here · Esc later (asked again next start)", theme.dim()));
    show(f, area, "Unfinished bulk job", text, theme);
}

pub fn confirm_discard(f: &mut Frame, area: Rect, offer: &Offer, theme: &Theme) {
    let job = &offer.job;
    let text = vec![
        Line::raw(format!(
            "End the bulk {} where it stopped, {} of {} users done? It cannot be resumed afterwards; users not \
             reached stay as they are.",
            clean(&job.operation),
            thousands(job.tally.done()),
            thousands(job.tally.total)
        )),
        Line::raw(format!(
            "The results so far are kept in {}; users sent to whose outcome was not yet recorded are listed \
             there as failed, to check.",
            clean(&job.results.display().to_string())
        )),
        Line::styled("y end it · any other key goes back", theme.dim()),
    ];
    show(f, area, "End the job?", text, theme);
}

/// `2,480 of 5,000 users done · 2,460 changed · 20 unchanged`, and those
/// skipped or failed when there are any.
fn counts(tally: &Tally) -> String {
    let mut text = format!(
        "{} of {} users done · {} changed · {} unchanged",
        thousands(tally.done()),
        thousands(tally.total),
        thousands(tally.changed),
        thousands(tally.unchanged)
    );
    for (n, what) in [(tally.skipped, "skipped"), (tally.failed, "failed")] {
        if n > 0 {
            text.push_str(&format!(" · {} {what}", thousands(n)));
        }
    }
    text
}

/// `2026-12-02 11:00 UTC`, or the header's text when it is not a time.
fn started(text: &str) -> String {
    match text.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => clean(text).into_owned(),
    }
}
