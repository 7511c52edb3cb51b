//! The driver: terminal, event loop, effects. The only part of the TUI that
//! does I/O.

mod effects;
pub mod terminal;

use crate::app::{self, Effect, Msg, State};
use crate::okta::Client;
use crate::ui;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::time::Duration;
use terminal::TerminalGuard;
use tokio::sync::mpsc;

#[derive(Debug, Clone, Default)]
pub struct UiOptions {
    pub mouse: bool,
}

/// Runs the TUI on `client` until the user quits.
pub async fn run(client: Client, options: UiOptions) -> std::io::Result<()> {
    let mut guard = TerminalGuard::enter(options.mouse)?;
    let mut state = State::new(client.org_url().display_host());
    let size = guard.terminal.size()?;
    state.size = (size.width, size.height);

    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    // The first frame goes out before any request is made.
    let mut viewport = draw(&mut guard, &state)?;
    for effect in app::start(&mut state) {
        effects::spawn(&client, effect, &tx);
    }

    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut sigterm = signals::terminate()?;

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
            _ = sigterm.recv() => break,
        };
        let effects = app::update(&mut state, msg);
        for effect in effects {
            if matches!(effect, Effect::Quit) {
                return Ok(());
            }
            effects::spawn(&client, effect, &tx);
        }
        let rows = draw(&mut guard, &state)?;
        if rows != viewport {
            viewport = rows;
            app::update(&mut state, Msg::Viewport(rows));
            draw(&mut guard, &state)?;
        }
    }
    Ok(())
}

fn draw(guard: &mut TerminalGuard, state: &State) -> std::io::Result<u16> {
    let mut rows = 0;
    guard.terminal.draw(|frame| rows = ui::draw(frame, state).list_rows)?;
    Ok(rows)
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

mod signals {
    //! SIGTERM ends the loop like `q`, so the guard restores the terminal.
    #[cfg(unix)]
    pub fn terminate() -> std::io::Result<tokio::signal::unix::Signal> {
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    }

    #[cfg(not(unix))]
    pub fn terminate() -> std::io::Result<Never> {
        Ok(Never)
    }

    #[cfg(not(unix))]
    pub struct Never;

    #[cfg(not(unix))]
    impl Never {
        pub async fn recv(&mut self) -> Option<()> {
            std::future::pending().await
        }
    }
}
