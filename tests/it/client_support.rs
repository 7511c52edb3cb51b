//! Helpers for the client tests: clients for a wiremock server, HTTP dates,
//! a user body, and a log captured at TRACE level.
#![allow(dead_code)]

use oktui::okta::{Client, ClientConfig, OrgUrl, Secret};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use wiremock::MockServer;

pub const TOKEN: &str = "00wiremock-SSWS-token-SECRET";

/// A client for a mock server with short waits, so fault tests stay quick.
pub fn fast_config(server: &MockServer) -> ClientConfig {
    let mut config = ClientConfig::new(OrgUrl::parse(&server.uri()).unwrap(), Secret::new(TOKEN));
    config.retry.base_backoff = Duration::from_millis(20);
    config.retry.max_backoff = Duration::from_millis(100);
    config.request_timeout = Some(Duration::from_millis(800));
    config
}

pub fn fast_client(server: &MockServer) -> Client {
    Client::new(fast_config(server)).unwrap()
}

pub fn epoch_seconds(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// `Date` as HTTP sends it.
pub fn http_date(t: SystemTime) -> String {
    let ts = jiff::Timestamp::from_second(epoch_seconds(t)).unwrap();
    jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&ts).unwrap()
}

pub fn user_json(id: &str, login: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "status": "ACTIVE", "created": "2025-01-01T00:00:00.000Z",
        "profile": {"firstName": "Wire", "lastName": "Mock", "login": login, "email": login},
        "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": format!("https://example.invalid/api/v1/users/{id}")}}
    })
}

/// Everything `tracing` writes in this test binary, at TRACE level.
///
/// One global subscriber rather than a scoped one: a scoped subscriber
/// misses events whose callsites other test threads registered first
/// (tracing caches callsite interest), which made the capture flaky. A
/// log holding every test's traffic is a stronger check anyway.
#[derive(Clone, Default)]
pub struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl CapturedLog {
    pub fn start() -> Self {
        static GLOBAL: std::sync::OnceLock<CapturedLog> = std::sync::OnceLock::new();
        GLOBAL
            .get_or_init(|| {
                let log = CapturedLog::default();
                let writer = log.clone();
                let subscriber = tracing_subscriber::fmt()
                    .with_max_level(tracing::Level::TRACE)
                    .with_ansi(false)
                    .with_writer(move || writer.clone())
                    .finish();
                tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber in tests");
                log
            })
            .clone()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
