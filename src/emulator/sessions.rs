//! Session clears the org was asked for. The org keeps no sessions, but a
//! test needs to see what a client asked for: the last few clears stay in
//! memory.

use super::ids::UserId;
use std::collections::VecDeque;
use std::sync::Mutex;

const KEPT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionClear {
    pub user: UserId,
    pub oauth_tokens: bool,
    pub forget_devices: bool,
}

#[derive(Debug, Default)]
pub struct SessionLog(Mutex<VecDeque<SessionClear>>);

impl SessionLog {
    pub fn record(&self, clear: SessionClear) {
        let mut log = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if log.len() == KEPT {
            log.pop_front();
        }
        log.push_back(clear);
    }

    /// Oldest first.
    pub fn recent(&self) -> Vec<SessionClear> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).iter().copied().collect()
    }
}
