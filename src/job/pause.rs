//! Pausing a running job: the engine starts no unit while paused, and the
//! units already running finish as usual (an aborted write would be an
//! outcome nobody knows).

use std::time::{Duration, Instant};
use tokio::sync::watch;

/// A job's pause switch, shared by whoever pauses it and the engine. A
/// `Pause::default()` nobody else holds never pauses.
#[derive(Debug, Clone, Default)]
pub struct Pause(watch::Sender<Held>);

/// When the current pause began, and how long the ones before it lasted.
#[derive(Debug, Clone, Copy, Default)]
struct Held {
    since: Option<Instant>,
    before: Duration,
}

impl Pause {
    pub fn set(&self, paused: bool) {
        self.0.send_if_modified(|held| match (held.since, paused) {
            (None, true) => {
                held.since = Some(Instant::now());
                true
            }
            (Some(since), false) => {
                held.before += since.elapsed();
                held.since = None;
                true
            }
            _ => false,
        });
    }

    pub fn is_paused(&self) -> bool {
        self.0.borrow().since.is_some()
    }

    /// How long the job has been paused in all, this pause included: a
    /// rate is measured over the rest of the time, or it decays while paused.
    pub fn paused_for(&self) -> Duration {
        let held = *self.0.borrow();
        held.before + held.since.map_or(Duration::ZERO, |since| since.elapsed())
    }

    /// Returns once the job may run: at once unless paused. Awaits the
    /// switch rather than polling it, so a paused job costs nothing.
    pub async fn until_running(&self) {
        // The sender is in `self`, so the channel cannot close under us.
        let _ = self.0.subscribe().wait_for(|held| held.since.is_none()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_paused_adds_up_over_pauses_and_stops_on_resume() {
        let pause = Pause::default();
        assert_eq!(pause.paused_for(), Duration::ZERO);
        let nap = Duration::from_millis(20);
        for _ in 0..2 {
            pause.set(true);
            pause.set(true);
            std::thread::sleep(nap);
            pause.set(false);
        }
        let paused = pause.paused_for();
        // A sleep lasts at least as long as asked; only the lower bound holds
        // on a busy machine, and the stop is seen as equality after resume.
        assert!(paused >= nap * 2, "{paused:?}");
        std::thread::sleep(nap);
        assert_eq!(pause.paused_for(), paused, "running time is not paused time");
    }
}
