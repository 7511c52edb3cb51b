#![allow(dead_code)] // shared by the render bench and the memory probe: each uses a part
//! Realistic list rows for the render benchmark and the memory probe,
//! parsed from JSON pages the way the app receives them (so allocation
//! patterns match), without an org.

use oktui::okta::{UserRow, rows_from_json};

const FIRST: [&str; 8] = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Katherine"];
const LAST: [&str; 8] = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Johnson"];
const STATUS: [&str; 4] = ["ACTIVE", "ACTIVE", "PROVISIONED", "SUSPENDED"];

/// One page of `count` users starting at `from`, as the org sends it.
pub fn page_json(from: usize, count: usize) -> String {
    let users: Vec<String> = (from..from + count)
        .map(|i| {
            let (first, last) = (FIRST[i % 8], LAST[(i / 8) % 8]);
            let login = format!("{}.{}{}@example.com", first.to_lowercase(), last.to_lowercase(), i);
            format!(
                r#"{{"id":"00u{i:017}","status":"{status}","created":"2024-01-01T00:00:00.000Z","activated":null,"statusChanged":"2024-01-02T00:00:00.000Z","lastLogin":"2025-03-04T05:06:07.000Z","lastUpdated":"2025-01-02T03:04:05.000Z","passwordChanged":null,"type":{{"id":"oty0000000000000001"}},"profile":{{"firstName":"{first}","lastName":"{last}","mobilePhone":null,"secondEmail":null,"login":"{login}","email":"{login}","department":"Engineering","title":"Engineer"}},"credentials":{{"provider":{{"type":"OKTA","name":"OKTA"}}}},"_links":{{"self":{{"href":"https://bench.okta.com/api/v1/users/00u{i:017}"}}}}}}"#,
                status = STATUS[i % 4],
            )
        })
        .collect();
    format!("[{}]", users.join(","))
}

/// `n` rows, parsed page by page (200 a page).
pub fn rows(n: usize) -> Vec<UserRow> {
    let mut rows = Vec::with_capacity(n);
    let mut from = 0;
    while from < n {
        let count = (n - from).min(200);
        rows.extend(rows_from_json(page_json(from, count).as_bytes()).unwrap_or_default());
        from += count;
    }
    rows
}
