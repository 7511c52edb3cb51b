//! Throughput of evaluation over a million users shaped like the org's
//! records, against the same conditions written by hand. The benchmark
//! prints figures; run it in release:
//!
//! ```sh
//! cargo test --release --lib expr::tests::speed -- --ignored --nocapture
//! ```
//!
//! Plain `cargo test` checks, user by user over a smaller set, that each
//! expression selects exactly the users its hand-written twin does.

use crate::expr::{Matcher, Mode, Subject, Value, json_any, parse};
use serde_json::{Map, Value as Json};
use std::time::Instant;

const USERS: usize = 1_000_000;
const STATUSES: [&str; 4] = ["ACTIVE", "STAGED", "SUSPENDED", "DEPROVISIONED"];
const DEPARTMENTS: [&str; 5] = ["Engineering", "Sales", "Finance", "Support", "Marketing"];
/// 2024-01-01T00:00:00.000Z
const NEW_YEAR: i64 = 1_704_067_200_000;

/// The fields the org keeps per user: typed top level, JSON profile.
struct Record {
    id: String,
    status: &'static str,
    created: i64,
    last_updated: i64,
    profile: Map<String, Json>,
}

impl Subject for Record {
    fn any_value(&self, path: &str, test: &mut dyn FnMut(Value<'_>) -> bool) -> bool {
        match path {
            "id" => test(Value::Str(&self.id)),
            "status" => test(Value::Str(self.status)),
            "created" => test(Value::Time(self.created)),
            "lastUpdated" => test(Value::Time(self.last_updated)),
            _ => {
                path.strip_prefix("profile.").and_then(|name| self.profile.get(name)).is_some_and(|v| json_any(v, test))
            }
        }
    }
}

fn record(i: usize) -> Record {
    let pick = |list: &[&'static str], n: usize| list.get(n % list.len()).copied().unwrap_or_default();
    let first = format!("First{}", i % 997);
    let last = format!("Last{}", i % 1009);
    let login = format!("{}.{}{i}@example.com", first.to_lowercase(), last.to_lowercase());
    let mut profile = Map::new();
    profile.insert("login".into(), Json::String(login.clone()));
    profile.insert("email".into(), Json::String(login));
    profile.insert("firstName".into(), Json::String(first));
    profile.insert("lastName".into(), Json::String(last));
    profile.insert("department".into(), Json::String(pick(&DEPARTMENTS, i / 3).into()));
    let day = 86_400_000;
    Record {
        id: format!("00u{i:017}"),
        status: pick(&STATUSES, i),
        created: NEW_YEAR - 400 * day + (i as i64 % 400) * day,
        last_updated: NEW_YEAR - 200 * day + (i as i64 % 400) * day,
        profile,
    }
}

/// Matches and the best of three timed passes, after one warm-up pass
/// (the machines are shared and noisy).
fn time(records: &[Record], test: impl Fn(&Record) -> bool) -> (usize, f64) {
    let mut matched = records.iter().filter(|r| test(r)).count();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        matched = records.iter().filter(|r| test(r)).count();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (matched, best)
}

fn report(label: &str, users: usize, (matched, seconds): (usize, f64)) {
    println!(
        "{:>6.1} M users/s  {:>5.1} ns/user  {matched:>7} matched  {label}",
        users as f64 / seconds / 1e6,
        seconds * 1e9 / users as f64
    );
}

/// 2023-06-01T00:00:00.000Z
const JUNE_2023: i64 = 1_685_577_600_000;

/// The conditions of an expression, written by hand in Rust.
type ByHand = fn(&Record) -> bool;

/// Each expression the benchmark times, with the same conditions written
/// by hand in Rust: the floor it is compared with, and the answer it must
/// give for every user.
fn expressions() -> [(&'static str, ByHand); 3] {
    [
        (
            r#"profile.department eq "engineering" and status eq "ACTIVE" and lastUpdated gt "2024-01-01T00:00:00.000Z""#,
            |r| {
                r.status.eq_ignore_ascii_case("active")
                    && r.last_updated > NEW_YEAR
                    && r.profile
                        .get("department")
                        .and_then(Json::as_str)
                        .is_some_and(|d| d.eq_ignore_ascii_case("engineering"))
            },
        ),
        (r#"profile.lastName sw "last10" or profile.email co "first99." or status eq "staged""#, |r| {
            let text = |name: &str| r.profile.get(name).and_then(Json::as_str).unwrap_or_default().as_bytes();
            r.status.eq_ignore_ascii_case("staged")
                || text("lastName").get(..6).is_some_and(|head| head.eq_ignore_ascii_case(b"last10"))
                || text("email").windows(8).any(|part| part.eq_ignore_ascii_case(b"first99."))
        }),
        (r#"(status lt "STAGED" or status gt "STAGED") and created lt "2023-06-01T00:00:00.000Z""#, |r| {
            r.status != "STAGED" && r.created < JUNE_2023
        }),
    ]
}

#[test]
fn selects_the_same_users_as_rust_written_by_hand() {
    let records: Vec<Record> = (0..20_000).map(record).collect();
    for (input, by_hand) in expressions() {
        let expr = parse(input, Mode::Search).unwrap_or_else(|e| panic!("{input}: {e}"));
        let matcher = Matcher::new(&expr, Mode::Search);
        let mut matched = 0;
        for r in &records {
            assert_eq!(matcher.matches(r), by_hand(r), "{input} on {}", r.id);
            matched += usize::from(by_hand(r));
        }
        assert!(matched > 0 && matched < records.len(), "{input} selects some users, not all: {matched}");
    }
}

#[test]
#[ignore = "benchmark: run in release with --ignored --nocapture"]
fn evaluates_a_million_users() {
    let records: Vec<Record> = (0..USERS).map(record).collect();
    println!(
        "{} users{}",
        records.len(),
        if cfg!(debug_assertions) { " (debug build: figures are not representative)" } else { "" }
    );
    for (input, by_hand) in expressions() {
        let expr = parse(input, Mode::Search).unwrap_or_else(|e| panic!("{input}: {e}"));
        let matcher = Matcher::new(&expr, Mode::Search);
        let evaluated = time(&records, |r| matcher.matches(r));
        report(input, records.len(), evaluated);
        let floor = time(&records, by_hand);
        report("the same written by hand in Rust", records.len(), floor);
        println!("evaluator / hand-written time: {:.2}", evaluated.1 / floor.1);
        assert_eq!(evaluated.0, floor.0, "{input}");
    }
}
