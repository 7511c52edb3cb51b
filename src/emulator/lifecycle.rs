//! The user status machine: which operations a status advertises as
//! `_links` (API-NOTES §2.4, from recorded single-user answers) and which
//! it allows, with the error Okta gives otherwise (§1.6, §2.3).

use super::record::{Status, UserRecord};

const POST: &str = "POST";

/// `(rel, path below the user, method)` for each advertised operation.
pub fn links_for(user: &UserRecord) -> Vec<(&'static str, &'static str, &'static str)> {
    let has_password = user.credentials.password.is_some();
    let mut out = Vec::new();
    let credential_links = [
        ("forgotPassword", "credentials/forgot_password", POST),
        ("changePassword", "credentials/change_password", POST),
        ("changeRecoveryQuestion", "credentials/change_recovery_question", POST),
    ];
    match user.status {
        // Recorded: `activate` (+ `resetFactors`), nothing else.
        Status::Staged => out.push(("activate", "lifecycle/activate", POST)),
        Status::Provisioned => out.extend([
            ("reactivate", "lifecycle/reactivate", POST),
            ("resetPassword", "lifecycle/reset_password", POST),
            ("suspend", "lifecycle/suspend", POST),
            ("deactivate", "lifecycle/deactivate", POST),
        ]),
        Status::Active | Status::PasswordExpired => {
            out.extend([
                ("suspend", "lifecycle/suspend", POST),
                ("resetPassword", "lifecycle/reset_password", POST),
                ("expirePassword", "lifecycle/expire_password", POST),
                ("deactivate", "lifecycle/deactivate", POST),
            ]);
            if has_password {
                out.extend(credential_links);
            }
        }
        // Not recorded; what the documented operations allow from here.
        Status::Recovery => {
            out.extend([
                ("reactivate", "lifecycle/reactivate", POST),
                ("resetPassword", "lifecycle/reset_password", POST),
                ("deactivate", "lifecycle/deactivate", POST),
            ]);
            if has_password {
                out.push(("changePassword", "credentials/change_password", POST));
            }
        }
        Status::LockedOut => out.extend([
            ("unlock", "lifecycle/unlock", POST),
            ("resetPassword", "lifecycle/reset_password", POST),
            ("deactivate", "lifecycle/deactivate", POST),
        ]),
        Status::Suspended => {
            out.extend([("unsuspend", "lifecycle/unsuspend", POST), ("deactivate", "lifecycle/deactivate", POST)])
        }
        // OIE orgs (the newest recordings) give no resetFactors here.
        Status::Deprovisioned => {
            out.extend([("activate", "lifecycle/activate", POST), ("delete", "", "DELETE")]);
            return out;
        }
    }
    out.push(("resetFactors", "lifecycle/reset_factors", POST));
    out
}

/// The lifecycle and credential operations the org serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Activate,
    Reactivate,
    Deactivate,
    Suspend,
    Unsuspend,
    Unlock,
    ResetPassword,
    ExpirePassword,
    ExpirePasswordWithTemp,
    ResetFactors,
    ForgotPassword,
    ChangePassword,
    ChangeRecoveryQuestion,
}

/// Why an operation was refused: Okta's error code, HTTP status, summary
/// and causes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub summary: &'static str,
    pub cause: Option<&'static str>,
}

const NOT_IN_STATUS: Refusal = Refusal {
    status: 403,
    code: "E0000038",
    summary: "This operation is not allowed in the user's current status.",
    cause: None,
};

/// The status the operation leads to, or why it is refused.
pub fn transition(op: Op, user: &UserRecord) -> Result<Status, Refusal> {
    use Status::*;
    let status = user.status;
    let has_password = user.credentials.password.is_some();
    match op {
        Op::Activate => match status {
            Staged | Deprovisioned => Ok(if has_password { Active } else { Provisioned }),
            _ => Err(Refusal {
                status: 403,
                code: "E0000016",
                summary: "Activation failed because the user is already active",
                cause: None,
            }),
        },
        Op::Reactivate => match status {
            Provisioned | Recovery => Ok(status),
            _ => Err(NOT_IN_STATUS),
        },
        Op::Deactivate => match status {
            Deprovisioned => Err(NOT_IN_STATUS),
            _ => Ok(Deprovisioned),
        },
        // LEGACY documents 400 E0000001 for both; the recorded links show
        // `suspend` on PROVISIONED and PASSWORD_EXPIRED users too, so it is allowed there.
        Op::Suspend => match status {
            Active | Provisioned | PasswordExpired => Ok(Suspended),
            _ => Err(Refusal {
                status: 400,
                code: "E0000001",
                summary: "Api validation failed: status",
                cause: Some("Only an ACTIVE user can be suspended."),
            }),
        },
        Op::Unsuspend => match status {
            Suspended => Ok(Active),
            _ => Err(Refusal {
                status: 400,
                code: "E0000001",
                summary: "Api validation failed: status",
                cause: Some("Only a SUSPENDED user can be unsuspended."),
            }),
        },
        Op::Unlock => match status {
            LockedOut => Ok(Active),
            _ => Err(Refusal {
                status: 403,
                code: "E0000032",
                summary: "Unlock is not allowed for this user.",
                cause: Some("The user is not locked out."),
            }),
        },
        Op::ResetPassword => match status {
            Active | PasswordExpired | Provisioned | LockedOut | Recovery => Ok(Recovery),
            _ => Err(NOT_IN_STATUS),
        },
        Op::ExpirePassword | Op::ExpirePasswordWithTemp => match status {
            Active | PasswordExpired | Recovery | LockedOut => Ok(PasswordExpired),
            _ => Err(NOT_IN_STATUS),
        },
        Op::ResetFactors => Ok(status),
        Op::ForgotPassword => match status {
            Active | PasswordExpired if has_password => Ok(status),
            _ => Err(Refusal {
                status: 403,
                code: "E0000034",
                summary: "Forgot password not allowed on specified user.",
                cause: None,
            }),
        },
        Op::ChangePassword => match status {
            Staged | Active | PasswordExpired | Recovery if has_password => {
                Ok(if status == Staged { Staged } else { Active })
            }
            _ => Err(Refusal {
                status: 403,
                code: "E0000035",
                summary: "Change password not allowed on specified user.",
                cause: None,
            }),
        },
        Op::ChangeRecoveryQuestion => match status {
            Staged | Active | PasswordExpired | Recovery if has_password => Ok(status),
            _ => Err(Refusal {
                status: 403,
                code: "E0000036",
                summary: "Change recovery question not allowed on specified user.",
                cause: None,
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every advertised POST link must be an operation the status allows.
    #[test]
    fn advertised_links_are_allowed_operations() {
        let ops = [
            ("activate", Op::Activate),
            ("reactivate", Op::Reactivate),
            ("deactivate", Op::Deactivate),
            ("suspend", Op::Suspend),
            ("unsuspend", Op::Unsuspend),
            ("unlock", Op::Unlock),
            ("resetPassword", Op::ResetPassword),
            ("expirePassword", Op::ExpirePassword),
            ("resetFactors", Op::ResetFactors),
            ("forgotPassword", Op::ForgotPassword),
            ("changePassword", Op::ChangePassword),
            ("changeRecoveryQuestion", Op::ChangeRecoveryQuestion),
        ];
        for status in Status::ALL {
            for password in [false, true] {
                let mut user = crate::emulator::synthetic::record(0, 1, 1, "oty");
                user.status = status;
                user.credentials.password = password.then_some(super::super::record::PasswordCredential::Opaque);
                for (rel, _, _) in links_for(&user) {
                    if let Some((_, op)) = ops.iter().find(|(r, _)| *r == rel) {
                        assert!(transition(*op, &user).is_ok(), "{status:?} advertises {rel} but refuses it");
                    }
                }
            }
        }
    }
}
