//! Integration tests, one binary so the crate is linked once.

mod app_flows;
mod client_ambiguous;
mod client_emulator;
mod client_faults;
mod client_keys;
mod client_oauth;
mod client_operations;
mod client_paging;
mod client_recorded;
mod client_rows;
mod client_secrets;
mod client_support;
mod config_home;
mod config_precedence;
mod pty;
mod pty_smoke;
mod readme;
mod screens;
mod sim;
mod support;
