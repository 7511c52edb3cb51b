//! What a million list rows cost. Prints the figures (a measurement, not a
//! timing); asserts only the budget from issue 4 (well under 300 MB).

use oktui::okta::{UserRow, rows_from_json};
use serde_json::json;

/// glibc malloc: a chunk holds the request plus 8 bytes, in 16-byte steps,
/// at least 32 bytes.
fn malloc_chunk(n: usize) -> usize {
    if n == 0 { 0 } else { (n + 8).div_ceil(16).max(2) * 16 }
}

#[test]
fn a_million_rows_fit_well_under_300_mb() {
    let users: Vec<_> = (0..10_000)
        .map(|i| {
            let login = format!("firstname{i}.lastname{i}@example.com");
            json!({"id": format!("00u{i:017}"), "status": "ACTIVE", "lastLogin": "2025-09-29T03:49:51.000Z",
                   "lastUpdated": "2025-09-29T03:49:51.000Z",
                   "profile": {"firstName": format!("Firstname{i}"), "lastName": format!("Lastname{i}"),
                               "login": login, "email": login, "mobilePhone": null}})
        })
        .collect();
    let rows = rows_from_json(&serde_json::to_vec(&users).unwrap()).unwrap();
    let inline = std::mem::size_of::<UserRow>();
    let heap: usize = rows.iter().map(|r| malloc_chunk(r.heap_bytes())).sum::<usize>() / rows.len();
    let per_million_mb = (inline + heap) as f64 * 1e6 / 1e6;
    eprintln!(
        "UserRow: {inline} bytes inline + {heap} bytes heap (one allocation) = {} bytes/row; \
         a million rows ≈ {per_million_mb:.0} MB (40-character logins, email = login)",
        inline + heap
    );
    assert!(inline <= 48);
    assert!(per_million_mb < 200.0, "{per_million_mb} MB");
}
