//! Pure `update` tests of the bulk selection in the list: `Space`, `V`,
//! `*`, what survives (scrolling, paging, opening a user) and `Esc`
//! (asking first only when the selection is large), and snapshots of the
//! marked list.

use crate::sim::{Sim, users};
use crossterm::event::KeyCode;
use oktui::app::bulk::{self, Dialog};
use oktui::app::selection::Size;
use oktui::app::{Overlay, Pane};

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 42)];
const NEXT: &str = "https://acme.okta.com/api/v1/users?after=200";

fn id(i: usize) -> String {
    format!("00u{i:017}")
}

fn picked(sim: &Sim) -> Vec<String> {
    sim.state.selection.picked().map(str::to_owned).collect()
}

#[test]
fn space_toggles_the_user_under_the_cursor_and_the_selection_survives_paging_scrolling_and_opening() {
    let mut sim = Sim::started_with(&users(60), Some(NEXT));
    sim.ch(' ');
    sim.ch('j');
    sim.ch(' ');
    sim.ch('j');
    sim.ch(' ');
    sim.ch(' ');
    assert_eq!(picked(&sim), vec![id(0), id(1)], "the third toggled twice is not selected");
    assert_eq!(bulk::size(&sim.state), Some(Size::Picked(2)));

    // Scrolling near the end asks for the next page; it arrives.
    for _ in 0..30 {
        sim.ch('j');
    }
    let more: Vec<_> = (60..120).map(|i| crate::sim::user_json(i, "ACTIVE")).collect();
    sim.answer_page(&more, None);
    sim.key(KeyCode::Enter);
    assert_eq!(sim.state.focus, Pane::Detail);
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.focus, Pane::List);
    sim.ch('g');
    assert_eq!(picked(&sim), vec![id(0), id(1)]);
}

#[test]
fn v_selects_the_rows_from_where_it_was_pressed_to_the_cursor_either_way() {
    let mut sim = Sim::started_with(&users(10), None);
    sim.ch('j');
    sim.ch('j');
    sim.ch('V');
    sim.ch('j');
    sim.ch('j');
    assert!(picked(&sim).is_empty(), "an open range selects nothing yet");
    sim.ch('V');
    assert_eq!(picked(&sim), vec![id(2), id(3), id(4)]);

    // Upwards, and Esc closes an open range without clearing the rest.
    sim.ch('G');
    sim.ch('V');
    sim.ch('k');
    sim.key(KeyCode::Esc);
    assert_eq!(sim.state.selection.anchor(), None);
    assert_eq!(picked(&sim), vec![id(2), id(3), id(4)]);
    sim.ch('V');
    sim.ch('k');
    sim.ch('V');
    assert_eq!(picked(&sim), vec![id(2), id(3), id(4), id(7), id(8)]);
}

#[test]
fn star_selects_all_matching_counted_only_by_paging() {
    let mut sim = Sim::started_with(&users(60), Some(NEXT));
    sim.ch('*');
    let all = sim.state.selection.all_matching().expect("all matching").clone();
    assert!(all.expression.contains("status"), "the status filter is part of what is selected: {}", all.expression);
    assert_eq!(bulk::size(&sim.state), Some(Size::AllCounting), "60 loaded of more is not a count");
    assert!(bulk::covers_list(&sim.state));
    for _ in 0..30 {
        sim.ch('j');
    }
    let more: Vec<_> = (60..75).map(|i| crate::sim::user_json(i, "ACTIVE")).collect();
    sim.answer_page(&more, None);
    assert_eq!(bulk::size(&sim.state), Some(Size::All(75)), "paging reached the end: now it is counted");

    // Another search shows other users: they are not part of it.
    sim.ch('/');
    sim.type_text("blake");
    sim.key(KeyCode::Enter);
    assert!(!bulk::covers_list(&sim.state));
    assert_eq!(sim.state.selection.all_matching().map(|a| a.expression.clone()), Some(all.expression));
}

#[test]
fn esc_clears_a_small_selection_at_once_and_asks_before_clearing_a_large_one() {
    let mut sim = Sim::started_with(&users(80), None);
    sim.ch(' ');
    sim.key(KeyCode::Esc);
    assert!(sim.state.selection.is_empty(), "one user is cleared without asking");
    assert!(sim.state.overlay.is_none());

    sim.ch('V');
    for _ in 0..50 {
        sim.ch('j');
    }
    sim.ch('V');
    assert_eq!(bulk::size(&sim.state), Some(Size::Picked(51)));
    sim.key(KeyCode::Esc);
    assert!(matches!(&sim.state.overlay, Some(Overlay::Bulk(d)) if **d == Dialog::ConfirmClear));
    sim.ch('n');
    assert_eq!(bulk::size(&sim.state), Some(Size::Picked(51)), "any key but y keeps it");
    sim.key(KeyCode::Esc);
    sim.ch('y');
    assert!(sim.state.selection.is_empty());

    // An uncounted "all matching" may be any size: it asks too.
    let mut sim = Sim::started_with(&users(3), Some(NEXT));
    sim.ch('*');
    sim.key(KeyCode::Esc);
    assert!(matches!(&sim.state.overlay, Some(Overlay::Bulk(_))));
}

#[test]
fn snapshots_of_the_marked_list_the_open_range_and_all_matching() {
    let mut sim = Sim::started_with(&users(30), Some(NEXT));
    sim.ch(' ');
    sim.ch('j');
    sim.ch('j');
    sim.ch('V');
    sim.ch('j');
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("selection_range_{w}x{h}"), sim.render(w, h).backend());
    }
    sim.ch('V');
    sim.key(KeyCode::Esc);
    sim.ch('*');
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("selection_all_matching_{w}x{h}"), sim.render(w, h).backend());
    }
    sim.key(KeyCode::Esc);
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("selection_confirm_clear_{w}x{h}"), sim.render(w, h).backend());
    }
}
