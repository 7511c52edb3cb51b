//! The factors a user has enrolled (API-NOTES §6.5, §10.2), derived from
//! the user and the org seed so that a million synthetic users cost no
//! memory: the same user always has the same factors, with the same ids.

use super::ids::{Millis, format_millis, mix, okta_id};
use super::record::UserRecord;
use serde_json::{Value, json};

/// One kind of factor as Okta lists it.
struct Kind {
    factor_type: &'static str,
    provider: &'static str,
    vendor_name: &'static str,
    /// Okta's id prefix for this kind of factor.
    prefix: &'static str,
}

const KINDS: [Kind; 6] = [
    Kind { factor_type: "sms", provider: "OKTA", vendor_name: "OKTA", prefix: "mbl" },
    Kind { factor_type: "call", provider: "OKTA", vendor_name: "OKTA", prefix: "clf" },
    Kind { factor_type: "token:software:totp", provider: "GOOGLE", vendor_name: "GOOGLE", prefix: "uft" },
    Kind { factor_type: "push", provider: "OKTA", vendor_name: "OKTA", prefix: "opf" },
    Kind { factor_type: "webauthn", provider: "FIDO", vendor_name: "FIDO", prefix: "fwf" },
    Kind { factor_type: "email", provider: "OKTA", vendor_name: "OKTA", prefix: "emf" },
];

const HOUR: Millis = 3_600_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub id: String,
    kind: usize,
    pending: bool,
    created: Millis,
    last_updated: Millis,
    profile: Value,
}

/// What `user` enrolled. Users that were never activated have enrolled
/// nothing; the others have one to six factors, about one in five still
/// waiting for activation.
pub fn generated(user: &UserRecord, seed: u64) -> Vec<Factor> {
    let Some(activated) = user.activated else { return Vec::new() };
    let seq = user.id.seq();
    let h = mix(seed ^ mix(seq ^ 0xFAC7));
    let always = (h % KINDS.len() as u64) as usize;
    (0..KINDS.len())
        .filter(|i| *i == always || (h >> (8 + i)) & 1 == 1)
        .map(|i| {
            let bits = mix(h ^ i as u64);
            let created = activated + (bits % 72) as Millis * HOUR;
            Factor {
                id: okta_id(KINDS[i].prefix, seq * KINDS.len() as u64 + i as u64, seed),
                kind: i,
                pending: (bits >> 16).is_multiple_of(5),
                created,
                last_updated: created + ((bits >> 24) % 48) as Millis * HOUR,
                profile: profile(i, user, bits),
            }
        })
        .collect()
}

fn profile(kind: usize, user: &UserRecord, bits: u64) -> Value {
    let text = |name: &str| user.profile.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let phone = || {
        let phone = text("mobilePhone");
        if phone.is_empty() { format!("+1 555 01{:02}", bits % 100) } else { phone }
    };
    match KINDS[kind].factor_type {
        "sms" | "call" => json!({ "phoneNumber": phone() }),
        "token:software:totp" => json!({ "credentialId": user.login() }),
        "push" => json!({
            "credentialId": user.login(),
            "deviceType": "SmartPhone_IPhone",
            "name": format!("{}'s iPhone", text("firstName")),
            "platform": "IOS",
            "version": "17.4.1",
        }),
        "webauthn" => json!({
            "credentialId": format!("{:016x}{:016x}", mix(bits), mix(bits ^ 1)),
            "authenticatorName": if bits & 1 == 0 { "MacBook Touch ID" } else { "YubiKey 5 NFC" },
        }),
        _ => json!({ "email": text("email") }),
    }
}

impl Factor {
    pub fn factor_type(&self) -> &'static str {
        KINDS[self.kind].factor_type
    }

    /// The factor as Okta answers it, with the links its status allows.
    pub fn to_json(&self, base: &str, user_id: &str) -> Value {
        let kind = &KINDS[self.kind];
        let user_href = format!("{base}/api/v1/users/{user_id}");
        let href = format!("{user_href}/factors/{}", self.id);
        let mut links = json!({
            "self": { "href": href, "hints": { "allow": ["GET", "DELETE"] } },
            "user": { "href": user_href, "hints": { "allow": ["GET"] } },
        });
        let (name, action) = if self.pending { ("activate", "lifecycle/activate") } else { ("verify", "verify") };
        links[name] = json!({ "href": format!("{href}/{action}"), "hints": { "allow": ["POST"] } });
        json!({
            "id": self.id,
            "factorType": kind.factor_type,
            "provider": kind.provider,
            "vendorName": kind.vendor_name,
            "status": if self.pending { "PENDING_ACTIVATION" } else { "ACTIVE" },
            "created": format_millis(self.created),
            "lastUpdated": format_millis(self.last_updated),
            "profile": self.profile,
            "_links": links,
        })
    }
}
