//! A user's `ETag` and the `If-Match` check that makes an update
//! conditional (API-NOTES §10.1).

use super::error::OktaError;
use crate::emulator::record::UserRecord;
use axum::http::{HeaderMap, StatusCode, header};
use std::hash::{Hash, Hasher};

/// Weak, like Okta's (`W/"…"`). Derived from what every change moves
/// (`lastUpdated`, which `UserRecord::touch` keeps strictly increasing),
/// so it survives a restart with `--data` and never repeats for a user.
pub fn etag(user: &UserRecord) -> String {
    // DefaultHasher::new() has fixed keys: the same user hashes the same in every run.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (user.id.as_str(), user.last_updated, user.status.as_str()).hash(&mut hasher);
    format!("W/\"{:016x}\"", hasher.finish())
}

/// No `If-Match` means no check, as on Okta. Tags compare without their
/// weak marker: Okta hands out weak tags and accepts them back.
pub fn check_if_match(headers: &HeaderMap, user: &UserRecord) -> Result<(), OktaError> {
    let mut sent = headers.get_all(header::IF_MATCH).iter().peekable();
    if sent.peek().is_none() {
        return Ok(());
    }
    let current = etag(user);
    let current = opaque(&current);
    let matches = sent
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || opaque(tag) == current);
    if matches { Ok(()) } else { Err(changed_since_read(user)) }
}

fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// Okta documents no body for a stale `If-Match`; this one is shaped like
/// its errors, with a code of our own (clients key on the 412 alone).
fn changed_since_read(user: &UserRecord) -> OktaError {
    OktaError::new(
        StatusCode::PRECONDITION_FAILED,
        "E0000412",
        format!(
            "The user {} changed since it was read; read it again and apply the change to the current user",
            user.id
        ),
    )
    .with_cause("If-Match: the ETag sent is not the user's current ETag")
}
