//! Shared by the `bulk_*` suites: the real binary run against an org
//! served by the test, the org's counters, the results file, the users as
//! the API shows them.

#![allow(dead_code)] // shared helpers: not every suite uses every one

use crate::support::Api;
use oktui::emulator::RunningOrg;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Selects the synthetic users (`first.last.i@example.net`) and no demo user.
pub const SYNTHETIC: &str = r#"profile.login co "@example.net""#;
/// The active ones among them.
pub const ACTIVE_SYNTHETIC: &str = r#"profile.login co "@example.net" and status eq "ACTIVE""#;

pub fn set_latency(org: &RunningOrg, ms: u64) {
    org.org.set_faults(oktui::emulator::Faults { latency_ms: ms, ..org.org.faults() });
}

/// Requests the org carried out in one bucket (neither refused nor faulted).
pub fn served(org: &RunningOrg, bucket: &str) -> u64 {
    org.org.stats().to_json()["buckets"][bucket]["served"].as_u64().unwrap_or(0)
}

/// A bulk job's files: its results, their partial file, its journal and
/// its sent log.
pub struct JobFiles {
    pub target: PathBuf,
    pub partial: PathBuf,
    pub journal: PathBuf,
    pub sent: PathBuf,
}

impl JobFiles {
    pub fn beside(target: &Path) -> Self {
        let name = target.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let dir = target.parent().unwrap_or(Path::new(""));
        Self {
            target: target.to_owned(),
            partial: dir.join(format!(".{name}.partial")),
            journal: dir.join(format!(".{name}.journal")),
            sent: dir.join(format!(".{name}.sent")),
        }
    }

    /// The ids of the records the journal's last checkpoint vouches for.
    pub fn checkpointed(&self) -> BTreeSet<String> {
        let journal = std::fs::read_to_string(&self.journal).unwrap_or_default();
        let len = journal
            .lines()
            .skip(1)
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|r| r["len"].as_u64())
            .last()
            .unwrap_or(0) as usize;
        let bytes = std::fs::read(&self.partial).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes[..len.min(bytes.len())]).into_owned();
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// The ids in the sent log.
    pub fn sent(&self) -> BTreeSet<String> {
        std::fs::read_to_string(&self.sent).unwrap_or_default().lines().map(str::to_owned).collect()
    }
}

pub fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
    crate::support::oktui_command(dir, url, "bulk", args)
}

pub async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("run oktui")).await.expect("join")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Requests the org counted in one rate-limit bucket (0 when none came).
pub fn requests(org: &RunningOrg, bucket: &str) -> u64 {
    org.org.stats().to_json()["buckets"][bucket]["requests"].as_u64().unwrap_or(0)
}

/// The results file's records, by user id; panics on a user recorded twice.
pub fn results(path: &Path) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(path).expect("the results file");
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let record: Value = serde_json::from_str(line).expect("a JSON record per line");
        let id = record["id"].as_str().expect("id").to_owned();
        assert!(out.insert(id.clone(), record).is_none(), "{id} is recorded twice");
    }
    out
}

/// How many records have each outcome.
pub fn outcomes(results: &BTreeMap<String, Value>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for record in results.values() {
        *counts.entry(record["outcome"].as_str().unwrap_or("?").to_owned()).or_insert(0) += 1;
    }
    counts
}

/// Every user matching `search`, as the API lists them.
pub async fn users(org: &RunningOrg, search: &str) -> Vec<Value> {
    let api = Api::new(org);
    let mut url = format!("/api/v1/users?limit=200&search={}", urlencode(search));
    let mut out = Vec::new();
    loop {
        let reply = api.get(&url).await.expect(200);
        out.extend(reply.body.as_array().cloned().unwrap_or_default());
        match reply.link("next") {
            Some(next) => url = next,
            None => return out,
        }
    }
}

pub fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub fn status_of(user: &Value) -> &str {
    user["status"].as_str().unwrap_or_default()
}
