//! Every screen at every size: no panic, and a clear message when the
//! terminal is too small. Pure rendering onto a `TestBackend`.

use crate::sim::{Sim, api_error, full_user_json, users};
use crossterm::event::KeyCode;
use serde_json::json;

const SIZES: [(u16, u16); 6] = [(1, 1), (20, 5), (79, 19), (80, 20), (120, 40), (300, 100)];

/// A state for each screen the app can show.
fn screens() -> Vec<(&'static str, Sim)> {
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
        ("loading", {
            let mut s = Sim::new();
            s.start();
            s
        }),
        ("list", loaded()),
        ("raw", with(&[KeyCode::Char('r')])),
        ("detail focused", with(&[KeyCode::Tab, KeyCode::Char('j')])),
        ("search", with(&[KeyCode::Char('/'), KeyCode::Char('x'), KeyCode::Char(' '), KeyCode::Char('e')])),
        ("status picker", with(&[KeyCode::Char('s')])),
        ("help", with(&[KeyCode::Char('?')])),
        ("messages", with(&[KeyCode::Char('y'), KeyCode::Char('m')])),
        ("actions", with(&[KeyCode::Char('a')])),
        ("confirm", with(&[KeyCode::Char('a'), KeyCode::Enter])),
        ("form", with(&[KeyCode::Char('n')])),
        ("export dialog", with(&[KeyCode::Char('e'), KeyCode::Right, KeyCode::Tab])),
        ("export running, quit asked", with(&[KeyCode::Char('e'), KeyCode::Enter, KeyCode::Char('q')])),
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
    out.push(("form with errors", failed));
    out.push(("list failed", err));
    out
}

#[test]
fn every_screen_renders_at_every_size() {
    for (name, sim) in screens() {
        for (w, h) in SIZES {
            let screen = sim.screen(w, h);
            if (w, h) != (1, 1) && (w < oktui::ui::MIN_WIDTH || h < oktui::ui::MIN_HEIGHT) {
                assert!(screen.contains("too small") || screen.contains("Terminal"), "{name} at {w}×{h}:\n{screen}");
            }
        }
    }
}

#[test]
fn a_resize_storm_keeps_the_cursor_and_scroll_sane() {
    let mut sim = Sim::started_with(&users(200), None);
    for _ in 0..120 {
        sim.key(KeyCode::Down);
    }
    for (i, (w, h)) in
        [(300u16, 100u16), (20, 5), (80, 20), (1, 1), (133, 41), (80, 200)].iter().cycle().take(60).enumerate()
    {
        sim.send(oktui::app::Msg::Resize(*w, *h));
        let viewport = sim.render(*w, *h);
        let rows = viewport.backend().buffer().area.height;
        sim.send(oktui::app::Msg::Viewport(oktui::app::Viewport {
            list_rows: rows.saturating_sub(8),
            ..Default::default()
        }));
        let list = &sim.state.list;
        assert_eq!(list.selected, 120, "step {i}: the selection never moves on a resize");
        assert!(list.offset <= list.selected, "step {i}: the selected row stays visible");
    }
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
