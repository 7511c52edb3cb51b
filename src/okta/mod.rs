//! The Okta API client: the only code that speaks HTTP to an org.
//!
//! Knows nothing of terminals; the TUI, the exporter and the tests use it
//! the same way.

mod client;
mod create;
mod error;
mod model;
mod org_url;
mod paging;
mod query;
mod secret;

pub use client::{Client, ClientConfig, PageStart, USER_AGENT};
pub use create::CreateUser;
pub use error::{ApiError, Error};
pub use model::{Link, User, UserRow, UserStatus, rows_from_json};
pub use org_url::{OrgUrl, OrgUrlError, is_loopback_host};
pub use paging::{Page, next_link, parse_links};
pub use query::UserQuery;
pub use secret::Secret;
