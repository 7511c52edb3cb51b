//! The import screen over the panes: the path prompt and options, the
//! file's problems or its plan, the job's progress and its results.

use super::text::clean;
use super::theme::Theme;
use crate::app::State;
use crate::app::import::{Finished, Import, OPTIONS, PlanView, Prompt, Running, Step};
use crate::display::thousands;
use crate::import::{Kind, Problem};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, import: &Import, theme: &Theme) {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border())
        .title(Line::styled(" Import users ", theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (lines, hint) = match &import.step {
        Step::Prompt(prompt) => {
            prompt_cursor(frame, inner, prompt);
            (prompt_lines(prompt, None, theme), prompt_hint(prompt))
        }
        Step::Reading { prompt, .. } => {
            let spinner = SPINNER[state.spinner % SPINNER.len()];
            let doing = format!("{spinner} Reading the file and checking every row against the org…");
            (prompt_lines(prompt, Some(doing), theme), "Esc stop waiting".to_owned())
        }
        Step::Problems { prompt, problems, scroll } => (
            problem_lines(prompt, problems, *scroll, theme),
            "j/k scroll · Esc back to the file (fix it, then Enter reads it again)".to_owned(),
        ),
        Step::Plan(plan) => plan_lines(plan, theme),
        Step::Running(running) => running_lines(state, running, theme),
        Step::Done(done) => (done_lines(done, theme), "Enter close".to_owned()),
    };
    let [body, footer] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(1),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    frame.render_widget(Paragraph::new(Line::styled(hint, theme.dim())), footer);
}

const LABEL: u16 = 6;

fn prompt_lines(prompt: &Prompt, doing: Option<String>, theme: &Theme) -> Vec<Line<'static>> {
    let focus = |i: usize| if prompt.focus == i { theme.selected() } else { Style::new() };
    let mut lines = vec![Line::from(vec![
        Span::styled("File  ", theme.title()),
        Span::styled(
            clean(prompt.path.value()).into_owned(),
            if prompt.focus == 0 { theme.key() } else { theme.dim() },
        ),
    ])];
    if !prompt.candidates.is_empty() {
        lines.push(Line::styled(format!("      {}", prompt.candidates.join("  ")), theme.dim()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Options", theme.title()));
    for (i, (label, flag)) in OPTIONS.iter().enumerate() {
        let mut options = prompt.options;
        let on = *flag(&mut options);
        lines.push(Line::styled(format!("  [{}] {label}", if on { "x" } else { " " }), focus(i + 1)));
    }
    if let Some(error) = &prompt.error {
        lines.push(Line::raw(""));
        lines.push(Line::styled(error.clone(), theme.error()));
    }
    if let Some(doing) = doing {
        lines.push(Line::raw(""));
        lines.push(Line::styled(doing, theme.key()));
    }
    lines
}

fn prompt_hint(prompt: &Prompt) -> String {
    let keys = if prompt.focus == 0 { "Tab complete · ↓ options" } else { "Space toggle · ↑/↓ move" };
    format!("Enter read and check (writes nothing) · {keys} · Esc close")
}

fn prompt_cursor(frame: &mut Frame, inner: Rect, prompt: &Prompt) {
    if prompt.focus != 0 {
        return;
    }
    let x = inner.x + LABEL + prompt.path.visual_cursor() as u16;
    if x < inner.right() {
        frame.set_cursor_position(Position { x, y: inner.y });
    }
}

fn problem_lines(prompt: &Prompt, problems: &[Problem], scroll: usize, theme: &Theme) -> Vec<Line<'static>> {
    let rows: std::collections::BTreeSet<usize> = problems.iter().map(|p| p.row).collect();
    let mut lines = vec![
        Line::styled(
            format!(
                "{}: {} problems in {} rows; nothing was sent.",
                clean(prompt.path.value()),
                thousands(problems.len() as u64),
                thousands(rows.len() as u64)
            ),
            theme.error(),
        ),
        Line::styled(format!("{:<6}{:<16}{:<22}{}", "Row", "Column", "Value", "Problem"), theme.title()),
    ];
    for problem in problems.iter().skip(scroll) {
        let value = problem.value.as_deref().map(|v| format!("{:?}", clean(v))).unwrap_or_default();
        lines.push(Line::raw(format!(
            "{:<6}{:<16}{:<22}{}",
            problem.row,
            fit(problem.column.as_deref().unwrap_or(""), 15),
            fit(&value, 21),
            clean(&problem.message)
        )));
    }
    lines
}

/// `text` cut to `width` characters, marked when cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn plan_lines(plan: &PlanView, theme: &Theme) -> (Vec<Line<'static>>, String) {
    let counts: Vec<String> =
        Kind::ALL.iter().map(|k| format!("{} {}", thousands(plan.count(*k) as u64), k.word())).collect();
    let mut lines = vec![Line::raw(format!(
        "{}: {} rows · {}",
        clean(&plan.read.path.to_string_lossy()),
        thousands(plan.read.rows.len() as u64),
        counts.join(" · ")
    ))];
    let mut filter = vec![Span::styled("Show  ", theme.title())];
    let all =
        std::iter::once((0, None, "all")).chain(Kind::ALL.iter().enumerate().map(|(i, k)| (i + 1, Some(*k), k.word())));
    for (key, kind, word) in all {
        let style = if plan.filter == kind { theme.selected() } else { Style::new() };
        filter.push(Span::styled(format!("{key} {word}"), style));
        filter.push(Span::raw("  "));
    }
    lines.push(Line::from(filter));
    lines.push(Line::styled(format!("{:<7}{:<11}{}", "Row", "Plan", "Login"), theme.title()));
    for row in plan.shown().skip(plan.scroll) {
        lines.push(Line::raw(format!("{:<7}{:<11}{}", row.row, row.kind.word(), clean(&row.login))));
        for detail in &row.details {
            lines.push(Line::styled(format!("{:7}{}", "", clean(detail)), theme.dim()));
        }
    }
    if plan.shown().next().is_none() {
        lines.push(Line::styled("       (no row of this kind)", theme.dim()));
    }
    let (create, update) = (plan.count(Kind::Create), plan.count(Kind::Update));
    let hint = if plan.confirming {
        format!(
            "Write {} users to the org ({create} create, {update} update)? y yes · n no",
            thousands((create + update) as u64)
        )
    } else if create + update == 0 {
        "Nothing to write · 0–5 show · j/k scroll · Esc back".to_owned()
    } else {
        format!("Enter import {} rows · 0–5 show · j/k scroll · Esc back", thousands((create + update) as u64))
    };
    (lines, hint)
}

fn running_lines(state: &State, running: &Running, theme: &Theme) -> (Vec<Line<'static>>, String) {
    let p = running.progress;
    let share = p.done as f64 / p.total.max(1) as f64;
    let filled = ((share * 30.0).round() as usize).min(30);
    let spinner = SPINNER[state.spinner % SPINNER.len()];
    let rate = running.rate(state.now).map_or_else(|| "rate —".to_owned(), |r| format!("{r:.1} rows/s"));
    let eta =
        running.eta(state.now).map_or_else(|| "time left —".to_owned(), |s| format!("about {} left", duration(s)));
    let (doing, eta) = match running.paused_since {
        Some(_) => {
            ("Paused: importing".to_owned(), "paused: the rows already started finish, no other starts".to_owned())
        }
        None => (format!("{spinner} Importing"), eta),
    };
    let lines = vec![
        Line::raw(format!("{doing} {}", clean(&running.path.to_string_lossy()))),
        Line::raw(""),
        Line::from(vec![
            Span::styled("█".repeat(filled), theme.key()),
            Span::styled("░".repeat(30 - filled), theme.dim()),
            Span::raw(format!(" {:3.0}%  {} of {} rows", share * 100.0, thousands(p.done), thousands(p.total))),
        ]),
        Line::raw(format!("{rate} · {eta}")),
        Line::raw(""),
        Line::styled("Writes go at job priority: the list and the detail pane get their turn.", theme.dim()),
        Line::styled(format!("Results: {}", clean(&running.results.to_string_lossy())), theme.dim()),
    ];
    let hint = if running.cancelling {
        "Cancel the import? The rows written stay; --resume continues it. y cancel · n go on".to_owned()
    } else {
        let p = if running.paused_since.is_some() { "p resume" } else { "p pause" };
        format!("{p} · Esc hide (the import goes on; i shows it) · c cancel")
    };
    (lines, hint)
}

fn duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

fn done_lines(done: &Finished, theme: &Theme) -> Vec<Line<'static>> {
    let path = clean(&done.path.to_string_lossy()).into_owned();
    let summary = match &done.outcome {
        Ok(summary) => summary,
        Err(e) => {
            return vec![
                Line::styled(format!("The import of {path} stopped."), theme.error()),
                Line::raw(""),
                Line::raw(clean(e).into_owned()),
            ];
        }
    };
    let style = if summary.failed == 0 { theme.success() } else { theme.error() };
    let mut lines =
        vec![Line::styled(format!("Imported {path} in {:.1} s", summary.elapsed.as_secs_f64()), style), Line::raw("")];
    for (word, n) in [
        ("created", summary.created),
        ("updated", summary.updated),
        ("unchanged", summary.unchanged),
        ("skipped", summary.skipped),
        ("failed", summary.failed),
    ] {
        lines.push(Line::raw(format!("  {word:<10}{:>8}", thousands(n))));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(format!("Results file: {}", clean(&done.results.to_string_lossy()))));
    if summary.failed > 0 {
        lines.push(Line::styled("The failed rows and Okta's reasons are in the results file.", theme.dim()));
    }
    lines
}
