//! Integration tests, one binary so the crate is linked once.

mod app_flows;
mod client_emulator;
mod conformance;
mod emulator_create;
mod emulator_groups;
mod emulator_http;
mod emulator_lifecycle;
mod emulator_oauth;
mod emulator_persist;
mod emulator_search;
mod emulator_users;
mod pty;
mod pty_smoke;
mod readme;
mod screens;
mod sim;
mod support;
