//! The concurrency cap, with interactive requests first: when a permit
//! frees up and the admin's request is waiting, it goes before any job's,
//! so a job's requests never queue ahead of what the admin is looking at.

use super::governor::Priority;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::Notify;

#[derive(Debug)]
pub(crate) struct Gate {
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Debug)]
struct State {
    free: usize,
    interactive_waiting: usize,
}

/// One request's place under the cap; dropping it frees the place.
pub(crate) struct Permit<'a>(&'a Gate);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.0.lock().free += 1;
        self.0.changed.notify_waiters();
    }
}

/// An interactive request counted as waiting while its future lives, so a
/// cancelled request does not hold jobs back for ever.
struct Waiting<'a>(&'a Gate);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.lock().interactive_waiting -= 1;
        self.0.changed.notify_waiters();
    }
}

impl Gate {
    pub fn new(permits: usize) -> Self {
        Self { state: Mutex::new(State { free: permits.max(1), interactive_waiting: 0 }), changed: Notify::new() }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn acquire(&self, priority: Priority) -> Permit<'_> {
        let _waiting = (priority == Priority::Interactive).then(|| {
            self.lock().interactive_waiting += 1;
            Waiting(self)
        });
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            {
                let mut state = self.lock();
                // A waiting interactive request counts itself, so only jobs
                // defer to it.
                let deferring = priority == Priority::Job && state.interactive_waiting > 0;
                if state.free > 0 && !deferring {
                    state.free -= 1;
                    return Permit(self);
                }
            }
            changed.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_freed_permit_goes_to_the_waiting_interactive_request_first() {
        let gate = Arc::new(Gate::new(1));
        let held = gate.acquire(Priority::Job).await;
        let order = Arc::new(Mutex::new(Vec::new()));
        let spawn = |priority, name: &'static str| {
            let (gate, order) = (gate.clone(), order.clone());
            tokio::spawn(async move {
                let _permit = gate.acquire(priority).await;
                order.lock().unwrap().push(name);
            })
        };
        // The job asks first, the interactive request second.
        let job = spawn(Priority::Job, "job");
        tokio::task::yield_now().await;
        let interactive = spawn(Priority::Interactive, "interactive");
        while gate.lock().interactive_waiting == 0 {
            tokio::task::yield_now().await;
        }
        drop(held);
        interactive.await.unwrap();
        job.await.unwrap();
        assert_eq!(*order.lock().unwrap(), ["interactive", "job"]);
    }

    #[tokio::test]
    async fn a_cancelled_interactive_request_does_not_hold_jobs_back() {
        let gate = Gate::new(1);
        let held = gate.acquire(Priority::Job).await;
        {
            let waiting = gate.acquire(Priority::Interactive);
            tokio::pin!(waiting);
            assert!(futures::poll!(waiting.as_mut()).is_pending());
        }
        drop(held);
        assert_eq!(gate.lock().interactive_waiting, 0);
        let again = gate.acquire(Priority::Job);
        tokio::pin!(again);
        assert!(futures::poll!(again.as_mut()).is_ready(), "the job takes the free permit at once");
    }
}
