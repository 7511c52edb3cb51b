//! The unfinished bulk job offered at start, and the question before it
//! is ended where it stopped.

use super::bulk::show;
use super::text::clean;
use super::theme::Theme;
use crate::app::bulk_resume::Offer;
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
        Line::raw(format!(
            "{} of {} users done ({} changed · {} unchanged · {} skipped · {} failed)",
            thousands(tally.done()),
            thousands(tally.total),
            thousands(tally.changed),
            thousands(tally.unchanged),
            thousands(tally.skipped),
            thousands(tally.failed)
        )),
        Line::raw(format!("Started {}", started(&job.started))),
        Line::raw(format!("Results: {}", clean(&job.results.display().to_string()))),
    ];
    match offer.more {
        0 => {}
        1 => text.push(Line::styled("1 more unfinished job waits: offered at a later start", theme.dim())),
        n => text.push(Line::styled(format!("{n} more unfinished jobs wait: offered at later starts"), theme.dim())),
    }
    text.push(Line::styled(
        "Enter resumes it · d ends it where it stopped · Esc later (offered again next start)",
        theme.dim(),
    ));
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
        Line::raw(format!("The results so far are kept in {}", clean(&job.results.display().to_string()))),
        Line::styled("y end it · any other key goes back", theme.dim()),
    ];
    show(f, area, "End the job?", text, theme);
}

/// `2026-12-02 11:00 UTC`, or the header's text when it is not a time.
fn started(text: &str) -> String {
    match text.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => clean(text).into_owned(),
    }
}
