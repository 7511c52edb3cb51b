//! Every screen at every size: its own content at the supported sizes, a
//! clear message when the terminal is too small, and no panic anywhere.
//! Pure rendering onto a `TestBackend`.

use crate::sim::{Sim, api_error, full_user_json, users};
use crossterm::event::KeyCode;
use serde_json::json;

const SIZES: [(u16, u16); 8] = [(1, 1), (20, 5), (79, 19), (80, 20), (80, 24), (120, 40), (140, 42), (300, 100)];

/// A state for each screen the app can show, with a text only that screen
/// shows.
fn screens() -> Vec<(&'static str, &'static str, Sim)> {
    let loaded = || {
        let mut sim = Sim::started_with(&users(30), Some("https://acme.okta.com/api/v1/users?after=x"));
        sim.answer_detail(full_user_json(0, "ACTIVE"));
        sim.answer_groups(&["Everyone"]);
        sim
    };
    let with = |keys: &[KeyCode]| {
        let mut sim = loaded();
        for k in keys {
            sim.key(*k);
        }
        sim
    };
    let mut out = vec![
        ("loading", "Loading users", {
            let mut s = Sim::new();
            s.start();
            s
        }),
        ("list", "Avery Fixture0", loaded()),
        ("raw", "Raw JSON", with(&[KeyCode::Char('r')])),
        ("detail focused", "Profile", with(&[KeyCode::Tab, KeyCode::Char('j')])),
        ("search", "x e", with(&[KeyCode::Char('/'), KeyCode::Char('x'), KeyCode::Char(' '), KeyCode::Char('e')])),
        ("status picker", "Show users with status", with(&[KeyCode::Char('s')])),
        ("help", "Everywhere", with(&[KeyCode::Char('?')])),
        ("messages", "Copied", with(&[KeyCode::Char('y'), KeyCode::Char('m')])),
        ("actions", "1-9 choose", with(&[KeyCode::Char('a')])),
        ("confirm", "Esc cancel", with(&[KeyCode::Char('a'), KeyCode::Enter])),
        ("form", "New user", with(&[KeyCode::Char('n')])),
        ("export dialog", "Columns", with(&[KeyCode::Char('x'), KeyCode::Right, KeyCode::Tab])),
        ("export running, quit asked", "Quit?", with(&[KeyCode::Char('x'), KeyCode::Enter, KeyCode::Char('q')])),
    ];
    let mut failed = loaded();
    failed.ch('n');
    failed.ctrl('s');
    let mut err = loaded();
    err.ch('R');
    let (req, _) = err.take_page_request();
    err.send(oktui::app::Msg::Api(
        req,
        oktui::app::ApiResult::Page(Err(api_error(
            500,
            json!({"errorCode": "E0000009", "errorSummary": "Internal Server Error"}),
        ))),
    ));
    out.push(("form with errors", "required", failed));
    out.push(("list failed", "Internal Server Error", err));
    out
}

#[test]
fn every_screen_renders_at_every_size() {
    let mut missing = Vec::new();
    for (name, marker, sim) in screens() {
        for (w, h) in SIZES {
            let screen = sim.screen(w, h);
            if supported(w, h) {
                // Its own content, not only "no panic".
                if !screen.contains(marker) {
                    missing.push(format!("{name} at {w}×{h} lacks {marker:?}:\n{screen}"));
                }
            } else if (w, h) != (1, 1) {
                assert!(screen.contains("too small") || screen.contains("Terminal"), "{name} at {w}×{h}:\n{screen}");
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn a_resize_storm_keeps_the_selection_in_view() {
    let mut sim = Sim::started_with(&users(200), None);
    for _ in 0..120 {
        sim.key(KeyCode::Down);
    }
    let sizes = [(300u16, 100u16), (20, 5), (80, 20), (1, 1), (133, 41), (80, 200), (80, 24), (140, 42)];
    for (i, (w, h)) in sizes.iter().cycle().take(64).enumerate() {
        // The viewport is the one the real layout gave this frame.
        let screen = sim.resize(*w, *h);
        let (list, rows) = (&sim.state.list, usize::from(sim.state.viewport.list_rows));
        assert_eq!(list.selected, 120, "step {i} ({w}×{h}): the selection never moves on a resize");
        if supported(*w, *h) {
            assert!(rows > 0, "step {i} ({w}×{h}): the layout has list rows");
            assert!(
                list.offset <= 120 && 120 < list.offset + rows,
                "step {i} ({w}×{h}): row 120 is among the {rows} shown from {}",
                list.offset
            );
            assert!(screen.contains("Fixture120"), "step {i} ({w}×{h}): and on screen:\n{screen}");
        }
    }
}

/// While the terminal is too small the notice hides everything, so keys
/// act only as it says: `q` quits, asking first (on the notice) when typed
/// input would be lost; nothing is typed unseen into the hidden form.
#[test]
fn while_too_small_keys_do_what_the_notice_says_and_type_nothing() {
    use oktui::app::{Effect, Msg};
    let quits = |sim: &Sim| sim.has(|e| matches!(e, Effect::Quit));
    let first_name = |sim: &Sim| sim.state.form.as_ref().expect("form kept").profile[0].input.value().to_owned();
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('n');
    sim.type_text("Robin");
    let screen = sim.resize(60, 20);
    assert!(screen.contains("q to quit") && screen.contains("what you typed is kept"), "{screen}");
    sim.type_text("xq");
    sim.send(Msg::Paste("pasted".into()));
    assert!(!quits(&sim), "typed input would be lost: asked first");
    let screen = sim.screen(60, 20);
    assert!(
        screen.contains("Quit?") && screen.contains("y quit and discard"),
        "the question is on the notice:\n{screen}"
    );
    sim.ch('n');
    assert_eq!(first_name(&sim), "Robin", "neither keys nor the paste typed into the hidden form");
    let screen = sim.resize(80, 24);
    assert!(screen.contains("Robin") && !screen.contains("Quit?"), "{screen}");
    sim.ch('!');
    assert_eq!(first_name(&sim), "Robin!", "once it fits, keys type again");

    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('n');
    sim.resize(79, 24);
    sim.ch('q');
    assert!(quits(&sim), "nothing typed, nothing to lose: q quits as the notice says");
}

fn supported(w: u16, h: u16) -> bool {
    w >= oktui::ui::MIN_WIDTH && h >= oktui::ui::MIN_HEIGHT
}

#[test]
fn hostile_profile_text_does_not_corrupt_the_layout() {
    let nasty = [
        "Zoë \u{202e}txet lanigiro\u{202c} Ñandú", // right-to-left override
        "עִבְרִית וְעַרְבִית عربى",                       // right-to-left scripts
        "漢字かなカナ한국어🙂👩‍👩‍👧",                  // wide characters and emoji
        "tab\there\u{7}bell\u{1b}[31mred",         // control characters and an escape
        &"x".repeat(5000),                         // very long
    ];
    let rows: Vec<_> = nasty
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut u = full_user_json(i, "ACTIVE");
            u["profile"]["firstName"] = json!(name);
            u["profile"]["displayName"] = json!(name);
            u["profile"]["title"] = json!(name);
            u
        })
        .collect();
    let mut sim = Sim::started_with(&rows, None);
    sim.answer_detail(rows[0].clone());
    for _ in 0..rows.len() {
        let screen = sim.screen(120, 40);
        for (y, line) in screen.lines().enumerate() {
            let unsafe_char = line.chars().find(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(c));
            assert_eq!(unsafe_char, None, "control or bidi characters reach the terminal, row {y}:\n{line}");
        }
        // The borders stay in their columns: every row is 120 cells, and the
        // panes' right edges are where they should be.
        let buffer = sim.render(120, 40);
        let buf = buffer.backend().buffer();
        assert_eq!(buf[(119, 1)].symbol(), "┐", "right border intact");
        assert_eq!(buf[(119, 37)].symbol(), "┘", "bottom border intact");
        sim.key(KeyCode::Down);
        sim.fire_timers();
        if let Some(oktui::app::Effect::FetchUser { req, id }) =
            sim.effects.iter().find(|e| matches!(e, oktui::app::Effect::FetchUser { .. })).cloned()
        {
            sim.effects.retain(|e| !matches!(e, oktui::app::Effect::FetchUser { .. }));
            let user = rows.iter().find(|u| u["id"] == json!(id)).cloned().expect("fixture");
            sim.send(oktui::app::Msg::Api(
                req,
                oktui::app::ApiResult::User(Ok(oktui::okta::User::from_json(user).unwrap())),
            ));
        }
    }
    // Pasted text with control characters is cleaned into one line.
    sim.ch('n');
    sim.send(oktui::app::Msg::Paste("Robin\n\u{1b}[2JCase\u{7}".into()));
    let typed = sim.state.form.as_ref().unwrap().field("firstName").unwrap().input.value().to_owned();
    assert!(!typed.chars().any(char::is_control), "{typed:?}");
    assert!(typed.contains("Robin") && typed.contains("Case"));
}
