//! Integration tests, one binary so the crate is linked once.

mod client_emulator;
mod pty;
mod pty_smoke;
mod screens;
mod support;
