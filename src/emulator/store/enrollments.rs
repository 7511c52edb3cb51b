//! Which of a user's generated factors were reset. Factors themselves are
//! derived from the user (see `emulator::factors`), so only resets take
//! memory, however many users the org has.

use super::{Store, StoreError};
use crate::emulator::ids::UserId;

impl Store {
    /// Users that existed when the org was built (seeded or synthetic) come
    /// with enrolled factors and app links; users created later start with
    /// none, as a new Okta user does.
    pub fn is_original_user(&self, id: &UserId) -> bool {
        id.seq() < self.synth.base_seq + u64::from(self.synth.count)
    }

    pub fn is_factor_reset(&self, user: &UserId, factor_id: &str) -> bool {
        self.reset_factors.get(user).is_some_and(|s| s.contains(factor_id))
    }

    /// Records the reset of the given factors; returns whether any was new.
    pub fn reset_factors(&mut self, user: UserId, factor_ids: &[String]) -> Result<bool, StoreError> {
        let known = self.reset_factors.get(&user);
        let new: Vec<&String> = factor_ids.iter().filter(|f| known.is_none_or(|k| !k.contains(*f))).collect();
        if new.is_empty() {
            return Ok(false);
        }
        if let Some(db) = &self.db {
            db.reset_factors(&user, &new)?;
        }
        self.reset_factors.entry(user).or_default().extend(new.into_iter().cloned());
        Ok(true)
    }
}
