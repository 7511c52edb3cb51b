//! What one list row costs, measured: the heap a thread holds after
//! parsing 10,000 Okta-shaped users into rows, counted by the allocator.
//! Prints the figure (a measurement, not a timing) and asserts the per-row
//! budget behind issue 4's "a million rows well under 300 MB": 200 bytes
//! a row. What a million rows cost in a running process is the
//! benchmark's to measure (it reads the resident memory), not this test's.

use oktui::okta::{UserRow, rows_from_json};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

const ROWS: usize = 10_000;

thread_local! {
    /// Bytes this thread's allocations hold, and how many allocations.
    static HELD: Cell<(isize, isize)> = const { Cell::new((0, 0)) };
}

fn held_change(bytes: isize, allocations: isize) {
    // `try_with`: a thread being torn down may still free memory.
    let _ = HELD.try_with(|h| {
        let (b, n) = h.get();
        h.set((b + bytes, n + allocations));
    });
}

/// The system allocator, counting per thread: other tests run on their
/// own threads and do not disturb the count.
struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            held_change(layout.size() as isize, 1);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) };
        held_change(-(layout.size() as isize), -1);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            held_change(new_size as isize - layout.size() as isize, 0);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn held() -> (isize, isize) {
    HELD.with(Cell::get)
}

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
    let page = serde_json::to_vec(&users).unwrap();
    let before = held();
    let mut rows = rows_from_json(&page).unwrap();
    rows.shrink_to_fit();
    let after = held();
    assert_eq!(rows.len(), ROWS, "every user became a row");
    let (bytes, allocations) = ((after.0 - before.0) as usize, (after.1 - before.1) as usize);
    // The list's own buffer, then one allocation per row.
    assert_eq!(allocations, ROWS + 1, "one allocation a row, plus the list");
    let inline = std::mem::size_of::<UserRow>();
    let heap = (bytes - ROWS * inline) / ROWS;
    // What malloc hands out for that request, overhead included.
    let per_row = inline + malloc_chunk(heap);
    eprintln!(
        "UserRow over {ROWS} rows, measured: {inline} bytes inline + {heap} bytes heap in one allocation \
         ({} with malloc's overhead) = {per_row} bytes/row (40-character logins, email = login)",
        malloc_chunk(heap)
    );
    assert!(inline <= 48, "{inline} bytes inline");
    assert!(per_row < 200, "{per_row} bytes a row");
    // The rows' own accounting agrees with the allocator.
    let accounted: usize = rows.iter().map(UserRow::heap_bytes).sum();
    assert_eq!(accounted, bytes - ROWS * inline, "UserRow::heap_bytes counts what the row holds");
}
