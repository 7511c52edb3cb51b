//! oktui: a terminal UI for the users of an Okta org, and an embedded
//! Okta-compatible org to run it against.
//!
//! - [`okta`]: the API client (HTTP, paging, errors); no terminal code.
//! - [`emulator`]: the embedded org (axum); shares no code with the client.
//! - [`expr`]: the search/filter expression language, shared by the org and the TUI.
//! - [`export`]: headless export of users (`oktui export`, the TUI's `x`).
//! - [`job`]: the job engine (plan, run, results) with its crash-safe journal.
//! - [`app`]: the state machine, `update(state, msg) -> effects`; no I/O.
//! - [`ui`]: rendering, a pure function of the state.
//! - [`driver`]: the terminal, the event loop and the effects runner.

pub mod app;
pub mod bulk;
pub mod cli;
pub mod display;
pub mod driver;
pub mod emulator;
pub mod export;
pub mod expr;
pub mod import;
pub mod job;
pub mod logging;
pub mod logs;
pub mod okta;
pub mod ui;
