#![allow(dead_code)] // shared by the render bench and the memory probe: each uses a part
//! Realistic list rows for the render benchmark and the memory probe,
//! parsed from JSON pages the way the app receives them (so allocation
//! patterns match), without an org.

use oktui::okta::{User, UserRow, rows_from_json};

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

/// `n` rows, parsed page by page (200 a page). Panics when a page does not
/// parse into as many rows as asked: a benchmark of an empty list measures
/// nothing.
pub fn rows(n: usize) -> Vec<UserRow> {
    let mut rows = Vec::with_capacity(n);
    let mut from = 0;
    while from < n {
        let count = (n - from).min(200);
        let page = rows_from_json(page_json(from, count).as_bytes()).expect("a benchmark page parses");
        assert_eq!(page.len(), count, "a benchmark page of {count} users parsed into {} rows", page.len());
        rows.extend(page);
        from += count;
    }
    rows
}

/// A full ACTIVE user as the detail pane gets it: a long profile with
/// custom attributes, credentials and the eleven lifecycle links of an
/// active user, long enough that the pane wraps and scrolls.
pub fn full_user(i: usize) -> User {
    let id = format!("00u{i:017}");
    let href = |rel: &str| format!("https://bench.okta.com/api/v1/users/{id}/lifecycle/{rel}");
    let links: Vec<String> = [
        "suspend",
        "deactivate",
        "reset_password",
        "expire_password",
        "reset_factors",
        "unlock",
        "forgotPassword",
        "changePassword",
        "changeRecoveryQuestion",
        "type",
        "schema",
    ]
    .iter()
    .map(|rel| format!(r#""{rel}":{{"href":"{}","method":"POST"}}"#, href(rel)))
    .collect();
    let json = format!(
        r#"{{"id":"{id}","status":"ACTIVE","created":"2024-01-01T00:00:00.000Z","activated":"2024-01-01T00:00:01.000Z","statusChanged":"2024-01-02T00:00:00.000Z","lastLogin":"2025-03-04T05:06:07.000Z","lastUpdated":"2025-01-02T03:04:05.000Z","passwordChanged":"2024-06-01T00:00:00.000Z","type":{{"id":"oty0000000000000001"}},"profile":{{"firstName":"Katherine","lastName":"Johnson","login":"katherine.johnson{i}@example.com","email":"katherine.johnson{i}@example.com","secondEmail":"kj{i}@personal.example.org","mobilePhone":"+1 555 0100 {i}","primaryPhone":"+1 555 0199","department":"Flight Research and Orbital Mechanics","title":"Senior Research Mathematician, Trajectory Analysis","division":"Langley","costCenter":"CC-4711","organization":"Example Aeronautics","manager":"Dorothy Vaughan","managerId":"00u00000000000000042","employeeNumber":"{i}","employmentType":"FULL_TIME","city":"Hampton","state":"VA","countryCode":"US","zipCode":"23666","streetAddress":"1 Example Way, Building 1244, Room 210 (use the north entrance after six)","locale":"en_US","timezone":"America/New_York","preferredLanguage":"en","userType":"Employee","nickName":"Katie","displayName":"Katherine Johnson","profileUrl":"https://intranet.example.com/people/katherine.johnson{i}"}},"credentials":{{"password":{{}},"recovery_question":{{"question":"Which rocket did you compute the trajectory of first?"}},"provider":{{"type":"OKTA","name":"OKTA"}}}},"_links":{{{},"self":{{"href":"https://bench.okta.com/api/v1/users/{id}"}}}}}}"#,
        links.join(",")
    );
    serde_json::from_str(&json).expect("the benchmark user parses")
}
