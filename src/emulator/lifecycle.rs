//! Which lifecycle operations a user's status allows (API-NOTES §2.4).

use super::record::{Status, UserRecord};

/// `(rel, path below the user, method)` for each advertised operation.
pub fn links_for(user: &UserRecord) -> Vec<(&'static str, &'static str, &'static str)> {
    const POST: &str = "POST";
    let has_password = user.credentials.password.is_some();
    let mut out = Vec::new();
    match user.status {
        Status::Staged => out.push(("activate", "lifecycle/activate", POST)),
        Status::Provisioned => {
            out.extend([
                ("reactivate", "lifecycle/reactivate", POST),
                ("resetPassword", "lifecycle/reset_password", POST),
                ("suspend", "lifecycle/suspend", POST),
            ]);
        }
        Status::Active | Status::PasswordExpired => {
            out.extend([
                ("suspend", "lifecycle/suspend", POST),
                ("resetPassword", "lifecycle/reset_password", POST),
                ("expirePassword", "lifecycle/expire_password", POST),
            ]);
            if has_password {
                out.extend([
                    ("forgotPassword", "credentials/forgot_password", POST),
                    ("changePassword", "credentials/change_password", POST),
                    ("changeRecoveryQuestion", "credentials/change_recovery_question", POST),
                ]);
            }
        }
        Status::Recovery => {
            out.extend([
                ("reactivate", "lifecycle/reactivate", POST),
                ("resetPassword", "lifecycle/reset_password", POST),
            ]);
            if has_password {
                out.push(("changePassword", "credentials/change_password", POST));
            }
        }
        Status::LockedOut => {
            out.extend([("unlock", "lifecycle/unlock", POST), ("resetPassword", "lifecycle/reset_password", POST)])
        }
        Status::Suspended => out.push(("unsuspend", "lifecycle/unsuspend", POST)),
        Status::Deprovisioned => {
            out.extend([("activate", "lifecycle/activate", POST), ("delete", "", "DELETE")]);
        }
    }
    if user.status != Status::Deprovisioned {
        out.push(("deactivate", "lifecycle/deactivate", POST));
    }
    out.push(("resetFactors", "lifecycle/reset_factors", POST));
    out
}
