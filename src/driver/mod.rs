//! The driver: terminal, event loop, effects. The only part of the TUI that
//! does I/O.

mod bulk_effects;
mod effects;
mod import_effects;
mod outside;
mod tab_effects;
pub mod terminal;

use crate::app::{self, Effect, Msg, State};
use crate::okta::Client;
use crate::ui::{self, theme::Theme};
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::time::Duration;
use terminal::TerminalGuard;
use tokio::sync::mpsc;

#[derive(Debug, Clone, Default)]
pub struct UiOptions {
    pub mouse: bool,
    pub theme: Theme,
    /// Which credential is used and where it was read from (never the
    /// credential), for the advice after a 401.
    pub credential_from: String,
    /// The org is the demo's, new at every start: its bulk jobs are not
    /// offered for resume at the next.
    pub throwaway_org: bool,
}

/// Runs the TUI on `client` until the user quits.
pub async fn run(client: Client, options: UiOptions) -> std::io::Result<()> {
    let mut guard = TerminalGuard::enter(options.mouse)?;
    let theme = options.theme;
    let mut state = State::new(client.org_url().display_host());
    state.now = jiff::Timestamp::now();
    state.credential_from = options.credential_from;
    state.bulk_jobs = crate::app::bulk_resume::JobsDir {
        dir: crate::bulk::unfinished::jobs_dir(client.org_url(), options.throwaway_org),
        offer: !options.throwaway_org,
    };
    let size = guard.terminal.size()?;
    state.size = (size.width, size.height);

    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut runner = effects::Runner::new(client, tx);
    // The first frame goes out before any request is made.
    let mut viewport = draw(&mut guard, &state, &theme)?;
    app::update(&mut state, Msg::Viewport(viewport));
    let start = app::start(&mut state);
    if handle(&mut guard, &mut runner, start)? {
        return Ok(());
    }

    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // While idle, a countdown or an expiring message still needs a frame
    // each second.
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut sigterm = outside::terminate_signal()?;

    loop {
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(msg) = rx.recv() => msg,
            _ = tick.tick(), if state.busy() => Msg::Tick,
            _ = clock.tick(), if !state.busy() && state.shows_clock() => Msg::Tick,
            _ = sigterm.recv() => break,
        };
        // Coalesce: apply everything already waiting, then draw once.
        let mut pending = vec![msg];
        if matches!(pending[0], Msg::Tick) {
            // A request held back by the rate limit says so while it waits.
            pending.push(Msg::RateWait(runner.rate_wait()));
        }
        while let Ok(more) = rx.try_recv() {
            pending.push(more);
        }
        let mut dirty = false;
        for msg in pending {
            state.now = jiff::Timestamp::now();
            let effects = app::update(&mut state, msg);
            dirty |= state.dirty;
            if handle(&mut guard, &mut runner, effects)? {
                return Ok(());
            }
        }
        // Frames are drawn only when something changed (or the toast may
        // have expired, which the next real change redraws anyway).
        if !dirty {
            continue;
        }
        let drawn = draw(&mut guard, &state, &theme)?;
        if drawn != viewport {
            viewport = drawn;
            app::update(&mut state, Msg::Viewport(viewport));
            draw(&mut guard, &state, &theme)?;
        }
    }
    Ok(())
}

/// Runs effects; returns true when the app asked to quit.
fn handle(guard: &mut TerminalGuard, runner: &mut effects::Runner, effects: Vec<Effect>) -> std::io::Result<bool> {
    for effect in effects {
        match effect {
            Effect::Quit => return Ok(true),
            Effect::Copy(text) => outside::copy_osc52(text.expose())?,
            Effect::OpenUrl(url) => outside::open_url(&url),
            Effect::Redraw => repaint(guard)?,
            Effect::Suspend => {
                outside::suspend()?;
                repaint(guard)?;
            }
            other => runner.spawn(other),
        }
    }
    Ok(false)
}

/// Clears the screen and makes the next frame paint every cell. Not
/// `Terminal::clear`: that asks the terminal for the cursor position, and
/// the answer is swallowed by the event stream (the read then times out).
fn repaint(guard: &mut TerminalGuard) -> std::io::Result<()> {
    let size = guard.terminal.size()?;
    guard.terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

fn draw(guard: &mut TerminalGuard, state: &State, theme: &Theme) -> std::io::Result<app::Viewport> {
    let mut viewport = app::Viewport::default();
    guard.terminal.draw(|frame| viewport = ui::draw(frame, state, theme))?;
    Ok(viewport)
}

fn to_msg(event: Event) -> Option<Msg> {
    #[cfg(feature = "test-hooks")]
    test_hooks::maybe_panic(&event);
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

#[cfg(feature = "test-hooks")]
mod test_hooks {
    //! Only in test builds: `OKTUI_TEST_PANIC_KEY=!` makes that key panic,
    //! so a test can prove the terminal survives a bug.
    use crossterm::event::{Event, KeyCode};

    pub fn maybe_panic(event: &Event) {
        let Ok(key) = std::env::var("OKTUI_TEST_PANIC_KEY") else { return };
        if let Event::Key(k) = event
            && k.code == KeyCode::Char(key.chars().next().unwrap_or('!'))
        {
            panic!("forced by OKTUI_TEST_PANIC_KEY");
        }
    }
}
