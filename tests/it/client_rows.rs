//! What one list row costs, over 10,000 rows parsed from an Okta-shaped
//! page. Prints the figure (a measurement, not a timing) and asserts the
//! per-row budget behind issue 4's "a million rows well under 300 MB":
//! 200 bytes a row. What a million rows cost in a running process is the
//! benchmark's to measure (it reads the resident memory), not this test's.

use oktui::okta::{UserRow, rows_from_json};
use serde_json::json;

const ROWS: usize = 10_000;

/// glibc malloc: a chunk holds the request plus 8 bytes, in 16-byte steps,
/// at least 32 bytes.
fn malloc_chunk(n: usize) -> usize {
    if n == 0 { 0 } else { (n + 8).div_ceil(16).max(2) * 16 }
}

#[test]
fn a_list_row_costs_under_200_bytes() {
    let users: Vec<_> = (0..ROWS)
        .map(|i| {
            let login = format!("firstname{i}.lastname{i}@example.com");
            json!({"id": format!("00u{i:017}"), "status": "ACTIVE", "lastLogin": "2025-09-29T03:49:51.000Z",
                   "lastUpdated": "2025-09-29T03:49:51.000Z",
                   "profile": {"firstName": format!("Firstname{i}"), "lastName": format!("Lastname{i}"),
                               "login": login, "email": login, "mobilePhone": null}})
        })
        .collect();
    let rows = rows_from_json(&serde_json::to_vec(&users).unwrap()).unwrap();
    assert_eq!(rows.len(), ROWS, "every user became a row");
    let inline = std::mem::size_of::<UserRow>();
    let heap: usize = rows.iter().map(|r| malloc_chunk(r.heap_bytes())).sum();
    let per_row = inline + heap.div_ceil(ROWS);
    eprintln!(
        "UserRow over {ROWS} rows: {inline} bytes inline + {} bytes heap (one allocation) = {per_row} bytes/row \
         (40-character logins, email = login)",
        heap.div_ceil(ROWS)
    );
    assert!(inline <= 48, "{inline} bytes inline");
    assert!(per_row < 200, "{per_row} bytes a row");
}
