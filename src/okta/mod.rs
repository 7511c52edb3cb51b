//! The Okta API client: the only code that speaks HTTP to an org.
//!
//! Knows nothing of terminals; the TUI, the exporter and the tests use it
//! the same way. Layers, bottom up: `transport` (the rate governor,
//! concurrency cap, retries, errors) with `ratelimit` and `retry` as pure
//! policies, `governor` (who may spend what of a bucket) and `gate` (the
//! concurrency cap, interactive first); `auth`
//! (SSWS, bearer, OAuth private-key JWT); `client` (the org, credentials,
//! paging helpers); then one module per API area (`users`, `lifecycle`,
//! `groups`, `meta`, `edit`, `factors`, `apps`, `sessions`) and the lossless models (`model`, `row`, `object`).
//! `config` resolves settings the way the official SDKs do.

mod apps;
mod auth;
mod client;
pub mod config;
mod create;
mod edit;
mod error;
mod factors;
mod gate;
mod governor;
mod groups;
mod hash;
mod lifecycle;
pub mod logs;
mod meta;
mod model;
mod object;
mod org_url;
mod paging;
mod query;
mod ratelimit;
mod retry;
mod row;
mod secret;
mod sessions;
mod transport;
mod users;

pub use apps::AppLink;
pub use auth::{AuthConfig, KeyError, KeySource, PrivateKeyAuth};
pub use client::{Client, ClientConfig, DEFAULT_CONCURRENCY, PageStart};
pub use create::{CreateUser, Credentials, MAX_GROUP_IDS, ProviderType};
pub use edit::{ETag, UserRead};
pub use error::{ApiError, Error};
pub use factors::Factor;
pub use governor::{BucketView, DEFAULT_MAX_CAPACITY, GovernorPolicy, JobBudget, Priority, Wait, when_to_send};
pub use groups::{Group, GroupQuery};
pub use hash::{HashField, HashProblem, PasswordHash, Pbkdf2Digest, SaltOrder, SaltedAlgorithm};
pub use lifecycle::{LifecycleOp, LifecycleOption, LifecycleOptionKind, LifecycleOptions, LifecycleOutcome};
pub use meta::{AttributeKind, SchemaAttribute, UserSchema, UserType};
pub use model::{User, UserStatus};
pub use object::Link;
pub use org_url::{OrgUrl, OrgUrlError, is_loopback_host};
pub use paging::{Page, next_link, parse_links};
pub use query::UserQuery;
pub use ratelimit::{RateBudget, RateWait, WaitReason, bucket_key};
pub use retry::{JOB_MIN_RETRIES, RetryPolicy};
pub use row::{UserRow, rows_from_json};
pub use secret::Secret;
pub use sessions::ClearSessions;
pub use transport::USER_AGENT;
