//! Pausing a running job: the engine starts no unit while paused, and the
//! units already running finish as usual (an aborted write would be an
//! outcome nobody knows).

use tokio::sync::watch;

/// A job's pause switch, shared by whoever pauses it and the engine. A
/// `Pause::default()` nobody else holds never pauses.
#[derive(Debug, Clone, Default)]
pub struct Pause(watch::Sender<bool>);

impl Pause {
    pub fn set(&self, paused: bool) {
        self.0.send_replace(paused);
    }

    pub fn is_paused(&self) -> bool {
        *self.0.borrow()
    }

    /// Returns once the job may run: at once unless paused. Awaits the
    /// switch rather than polling it, so a paused job costs nothing.
    pub async fn until_running(&self) {
        // The sender is in `self`, so the channel cannot close under us.
        let _ = self.0.subscribe().wait_for(|paused| !paused).await;
    }
}
