//! Integration tests, one binary so the crate is linked once.

mod app_flows;
mod client_emulator;
mod pty;
mod pty_smoke;
mod readme;
mod screens;
mod sim;
mod support;
