//! How to start an org: token, data, size, fault knobs, rate limits and
//! OAuth service apps. Built with `OrgConfig::demo(token)` and `with_…`.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone)]
pub struct OrgConfig {
    /// The API token clients must present (`Authorization: SSWS …`).
    pub token: String,
    /// Load `assets/demo-org.json`.
    pub seed_demo: bool,
    /// Deterministic synthetic users added after the demo users.
    pub synthetic_users: u32,
    /// SQLite file holding the org across restarts (`None`: in memory).
    pub data_file: Option<PathBuf>,
    pub faults: Faults,
    pub rate_limits: RateLimits,
    /// How long a rate-limit window lasts (Okta's management buckets: a
    /// minute); tests shorten it so a window rolls over in seconds.
    pub rate_window: Duration,
    /// OAuth 2.0 service apps allowed at `/oauth2/v1/token`.
    pub service_apps: Vec<ServiceApp>,
    /// How long issued access tokens are accepted.
    pub access_token_ttl: Duration,
    /// Service apps must use DPoP (Okta's "Require DPoP header in token requests").
    pub oauth_dpop: bool,
    /// Seeds ids and synthetic users: the same seed gives the same org.
    pub seed: u64,
}

impl std::fmt::Debug for OrgConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrgConfig")
            .field("seed_demo", &self.seed_demo)
            .field("synthetic_users", &self.synthetic_users)
            .field("data_file", &self.data_file)
            .field("faults", &self.faults)
            .field("rate_limits", &self.rate_limits)
            .field("rate_window", &self.rate_window)
            .field("service_apps", &self.service_apps)
            .finish_non_exhaustive()
    }
}

impl OrgConfig {
    /// The demo org, in memory, no faults, Okta's usual rate limits.
    pub fn demo(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            seed_demo: true,
            synthetic_users: 0,
            data_file: None,
            faults: Faults::default(),
            rate_limits: RateLimits::default(),
            rate_window: Duration::from_secs(60),
            service_apps: Vec::new(),
            access_token_ttl: Duration::from_secs(3600),
            oauth_dpop: false,
            seed: 0x0c7a,
        }
    }

    pub fn with_users(mut self, n: u32) -> Self {
        self.synthetic_users = n;
        self
    }

    pub fn with_data_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.data_file = Some(path.into());
        self
    }

    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The same per-minute limit for every bucket.
    pub fn with_rate_limit(mut self, per_minute: u32) -> Self {
        self.rate_limits = RateLimits::uniform(per_minute);
        self
    }

    /// Windows of `window` (whole seconds, at least one) instead of a minute.
    pub fn with_rate_window(mut self, window: Duration) -> Self {
        self.rate_window = window;
        self
    }

    pub fn with_service_app(mut self, app: ServiceApp) -> Self {
        self.service_apps.push(app);
        self
    }

    pub fn with_access_token_ttl(mut self, ttl: Duration) -> Self {
        self.access_token_ttl = ttl;
        self
    }

    /// Service apps must prove possession of a key with DPoP.
    pub fn with_oauth_dpop(mut self) -> Self {
        self.oauth_dpop = true;
        self
    }
}

/// Injected trouble, per request (rates are probabilities in 0..=1).
/// Requests under `/emulator/` are exempt so tests can always reach the knobs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Faults {
    /// Delay before answering, in milliseconds.
    pub latency_ms: u64,
    /// Answer 500, 502 or 503 with an Okta error body.
    pub error_rate: f64,
    /// Which 5xx `error_rate` answers with (500, 502, 503 or 504); 0 mixes 500, 502 and 503.
    pub error_status: u16,
    /// Answer 429 E0000047 with `X-Rate-Limit-*` headers.
    pub throttle_rate: f64,
    /// Close the connection without answering.
    pub drop_rate: f64,
    /// Act on a write (`POST`/`PUT`/`DELETE`), then close the connection
    /// without answering: the change happened but its answer is lost, the
    /// case a client must resolve without repeating the write. Reads are
    /// left alone (a read lost after the fact is just a drop).
    pub lose_rate: f64,
    /// How long a lost answer keeps the connection silent before closing
    /// it, in milliseconds; longer than the client's timeout, the loss
    /// shows as a timeout rather than a broken connection.
    pub lose_hold_ms: u64,
}

/// Requests per minute for each bucket (API-NOTES §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimits {
    /// `GET`/`POST /api/v1/users`.
    pub users: u32,
    /// `GET /api/v1/users/{id}` and what lies below it.
    pub user_get: u32,
    /// `POST`/`PUT`/`DELETE /api/v1/users/{id}…`: updates and lifecycle.
    pub user_update: u32,
    /// `/api/v1/groups…`.
    pub groups: u32,
    /// Everything else.
    pub other: u32,
    /// `GET /api/v1/logs` (API-NOTES §10.3); absent in older knob bodies.
    #[serde(default = "default_logs_limit")]
    pub logs: u32,
}

fn default_logs_limit() -> u32 {
    120
}

impl Default for RateLimits {
    /// Okta's Workforce figures, as recorded from a real org.
    fn default() -> Self {
        Self { users: 600, user_get: 2000, user_update: 600, groups: 500, other: 1200, logs: default_logs_limit() }
    }
}

impl RateLimits {
    pub fn uniform(per_minute: u32) -> Self {
        Self {
            users: per_minute,
            user_get: per_minute,
            user_update: per_minute,
            groups: per_minute,
            other: per_minute,
            logs: per_minute,
        }
    }
}

/// An OAuth 2.0 service app: who may ask for access tokens, with which key.
#[derive(Clone)]
pub struct ServiceApp {
    pub client_id: String,
    /// The public key that verifies client assertions: PEM (RSA or EC) or a JWK (JSON).
    pub public_key: String,
    /// `kid` the key is known by; when set, assertions naming another kid are refused.
    pub key_id: Option<String>,
    /// Scopes granted to the app; requests must ask for a subset.
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for ServiceApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceApp")
            .field("client_id", &self.client_id)
            .field("key_id", &self.key_id)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}
