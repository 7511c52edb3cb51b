//! The org's System Log: the events every change records (`record`), the
//! past of the demo and synthetic users, generated rather than stored
//! (`history`), and the queries `GET /api/v1/logs` runs over both
//! (`query`). Events are kept as the JSON Okta serves, with a key that
//! orders them (`event`).

pub mod event;
pub mod history;
pub mod query;
pub mod record;
