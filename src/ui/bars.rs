//! The header (org, admin, activity), the message line and the key hints.

use super::theme::Theme;
use super::wrap::{ellipsize, ellipsize_line};
use crate::app::keymap;
use crate::app::messages::Level;
use crate::app::{Load, State, rate};
use crate::okta::WaitReason;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

const SPINNER: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];

/// What the header leaves out, in turn, while work in progress would not
/// fit beside it: the least useful first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cut {
    Nothing,
    /// The rate limit's countdown.
    Reset,
    Admin,
    /// "all 1,000 matching" becomes "1,000".
    Selection,
    /// The rate budget: a job's rate and time left already reflect it.
    Budget,
    /// The job's rate (its screen has it): its count and time left stay.
    Rate,
}

pub fn header(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let width = usize::from(area.width);
    // Work in progress (a job's count, paused or its time left) is what the
    // header must show; without any, a cut of the rate's tail is fine.
    let cuts: &[Cut] = match activity(state, Cut::Nothing) {
        Some(_) => &[Cut::Nothing, Cut::Reset, Cut::Admin, Cut::Selection, Cut::Budget, Cut::Rate],
        None => &[Cut::Nothing],
    };
    let mut lines = cuts.iter().map(|&cut| header_line(state, cut, theme));
    let mut line = lines.next().unwrap_or_default();
    while line.width() > width {
        match lines.next() {
            Some(shorter) => line = shorter,
            None => break,
        }
    }
    frame.render_widget(ellipsize_line(line, width), area);
}

fn header_line(state: &State, cut: Cut, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(" oktui ", theme.title()), Span::raw(state.org_host.clone())];
    if let (Load::Loaded(admin), true) = (&state.admin, cut < Cut::Admin) {
        spans.push(Span::styled("  as ", theme.dim()));
        spans.push(Span::raw(admin.clone()));
    }
    if let Some(size) = crate::app::bulk::size(state) {
        let label = if cut < Cut::Selection { size.label() } else { size.short_label() };
        spans.push(Span::styled(format!("  ✓ {label}"), theme.key()));
    }
    let budget = state.rate.open_budget(state.now).filter(|_| held(state).is_none() && cut < Cut::Budget);
    if let Some(budget) = budget {
        // The tightest bucket, by name: what is left of its window.
        let low = budget.remaining.saturating_mul(5) < budget.limit;
        spans.push(Span::styled(format!("  {} ", rate::bucket_name(&budget.bucket)), theme.dim()));
        spans.push(Span::styled(
            format!("{}/{}", budget.remaining, budget.limit),
            if low { theme.error() } else { theme.success() },
        ));
        if cut < Cut::Reset {
            let left = rate::seconds(budget.resets_at, state.now);
            spans.push(Span::styled(format!(" · resets in {left}s"), theme.dim()));
        }
    }
    if let Some(doing) = activity(state, cut) {
        let spinner = match state.busy() {
            true => format!("{} ", SPINNER[state.spinner % SPINNER.len()]),
            false => String::new(),
        };
        spans.push(Span::styled(format!("  {spinner}{doing}"), theme.key()));
    }
    Line::from(spans)
}

/// A wait reported before the work ended says nothing once it has.
fn held(state: &State) -> Option<&rate::Held> {
    state.rate.held.as_ref().filter(|_| state.busy())
}

/// What is in progress: a bulk job (also while paused) first, then why
/// nothing seems to happen, or what else is being done.
fn activity(state: &State, cut: Cut) -> Option<String> {
    let job = super::bulk::header_progress(state, cut < Cut::Rate);
    let other = match (held(state), &state.export) {
        (Some(held), _) => Some(waiting(held, state.now)),
        (None, Some(job)) => Some(format!("exporting, {} users written", crate::display::thousands(job.users))),
        (None, None) => None,
    };
    match (job, other) {
        (Some(job), Some(other)) => Some(format!("{job} · {other}")),
        (Some(one), None) | (None, Some(one)) => Some(one),
        (None, None) => state.busy().then(|| "working".to_owned()),
    }
}

/// Why nothing seems to happen: a request sleeps until a bucket resets.
fn waiting(held: &rate::Held, now: jiff::Timestamp) -> String {
    // Never "0s" while still waiting: the wait ends on the next tick.
    let left = rate::seconds(held.until, now).max(1);
    let bucket = rate::bucket_name(&held.bucket);
    match held.reason {
        WaitReason::Throttled => format!("waiting {left}s: the org rate-limited {bucket} (429) until its reset"),
        WaitReason::Pacing => format!("waiting {left}s: {bucket} is nearly spent, the rest is kept until its reset"),
    }
}

pub fn message_line(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(entry) = state.messages.toast(state.now) else { return };
    let style = match entry.level {
        Level::Error => theme.error(),
        Level::Success => theme.success(),
        Level::Info => theme.dim(),
    };
    let text = format!(" {}", super::text::clean(&entry.text));
    // `m` opens the log only where no form, dialog or input takes the key
    // (in a form it types; in the conflict view it keeps yours).
    let m_opens_log = state.form.is_none() && state.overlay.is_none() && !state.search.editing;
    let hint = if m_opens_log { "  (m: message log)" } else { "  (whole in the message log)" };
    let width = usize::from(area.width);
    // A cut message points at the log, where it is whole.
    let line = if entry.level == Level::Error || text.chars().count() > width {
        let room = width.saturating_sub(hint.chars().count());
        Line::from(vec![Span::styled(ellipsize(&text, room).into_owned(), style), Span::styled(hint, theme.dim())])
    } else {
        Line::styled(text, style)
    };
    frame.render_widget(line, area);
}

/// Footer hints dropped first when the footer is too narrow, least useful
/// first; "help" and "quit" are never dropped.
const DROP_FIRST: &[&str] = &[
    "messages",
    "raw",
    "sort",
    "refresh",
    "status",
    "new",
    "search",
    "actions",
    "reveal",
    "choose",
    "to the list",
    "tick",
];

pub fn footer(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut pairs: Vec<(String, &str)> = if let Some(pairs) = super::edit::footer_keys(state) {
        pairs
    } else if state.form.is_some() {
        vec![
            ("Tab".into(), "next"),
            ("←/→".into(), "choose"),
            ("Space".into(), "tick"),
            ("Ctrl-R".into(), "reveal"),
            ("Ctrl-S".into(), "create"),
            ("Esc".into(), "cancel"),
        ]
    } else if state.search.editing {
        vec![("Enter".into(), "search / open exact id or login"), ("Esc".into(), "clear"), ("↓".into(), "to the list")]
    } else if state.focus == crate::app::Pane::Detail && state.timeline.as_ref().is_none_or(|t| t.docked) {
        // The tab keys are global (so `3` shows factors from the list too),
        // but only worth a hint where the tabs are.
        let mut pairs = keymap::hints(state.context());
        // In the Log tab the timeline's own keys lead, before help and quit.
        let general = |w: &str| matches!(w, "help" | "quit");
        let own = pairs
            .iter()
            .take_while(|(k, w)| {
                matches!(k.as_str(), "+" | "-") || (state.context() == keymap::Context::Timeline && !general(w))
            })
            .count();
        let tabs = format!("[ ] 1-{}", crate::app::detail::View::TABS.len());
        pairs.insert(own, (tabs, "tabs"));
        pairs
    } else {
        keymap::hints(state.context())
    };
    let width = |pairs: &[(String, &str)]| {
        1 + pairs.iter().map(|(k, w)| k.chars().count() + w.chars().count() + 3).sum::<usize>()
    };
    for word in DROP_FIRST {
        if width(&pairs) <= usize::from(area.width) {
            break;
        }
        pairs.retain(|(_, w)| w != word);
    }
    let mut spans = vec![Span::raw(" ")];
    for (key, word) in pairs {
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::styled(format!(" {word}  "), theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}
