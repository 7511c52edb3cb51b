//! Pure `update` tests of the detail pane's tabs: switching, lazy loads
//! cached per user, the confirmations, the group picker's debounce, and
//! every part of the pane settling whichever way a user comes to be shown.

use crate::sim::{Sim, api_error, full_user_json, users};
use crossterm::event::KeyCode;
use oktui::app::detail::View;
use oktui::app::tabs::{DialogKind, TabEffect, TabResult};
use oktui::app::{ApiResult, Effect, Load, Msg, Overlay, Pane, ReqId, Timer};
use oktui::okta::{AppLink, ClearSessions, Factor, Group, User};
use serde_json::{Value, json};

pub fn group_json(id: &str, name: &str, kind: &str) -> Value {
    json!({"id": id, "type": kind, "profile": {"name": name, "description": format!("About {name}")}})
}

pub fn factor_json(id: &str, kind: &str, provider: &str, status: &str) -> Value {
    json!({"id": id, "factorType": kind, "provider": provider, "status": status,
           "created": "2024-05-03T10:00:00.000Z", "lastUpdated": "2024-05-04T10:00:00.000Z",
           "profile": {"phoneNumber": "+1 555 0100"}})
}

pub fn app_json(label: &str, name: &str) -> Value {
    json!({"id": format!("00ul{name}"), "label": label, "appName": name,
           "linkUrl": format!("https://acme.okta.com/home/{name}/0oa1/aln1"), "hidden": false})
}

fn groups(values: &[Value]) -> Vec<Group> {
    values.iter().cloned().filter_map(Group::from_json).collect()
}

pub fn mixed_groups() -> Vec<Group> {
    groups(&[
        group_json("00gEVERYONE", "Everyone", "BUILT_IN"),
        group_json("00gENG", "Engineering", "OKTA_GROUP"),
        group_json("00gWORKDAY", "Workday Staff", "APP_GROUP"),
    ])
}

pub fn two_factors() -> Vec<Factor> {
    [factor_json("mbl1", "sms", "OKTA", "ACTIVE"), factor_json("uft1", "token:software:totp", "GOOGLE", "ACTIVE")]
        .into_iter()
        .filter_map(Factor::from_json)
        .collect()
}

pub fn two_apps() -> Vec<AppLink> {
    [app_json("Slack", "slack"), app_json("Workday", "workday")].into_iter().filter_map(AppLink::from_json).collect()
}

/// The list with user 0 shown, its groups `mixed_groups`.
pub fn shown() -> Sim {
    let mut sim = Sim::started_with(&users(4), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    let Effect::FetchGroups { req, .. } = sim.take("groups", |e| matches!(e, Effect::FetchGroups { .. })) else {
        unreachable!()
    };
    sim.send(Msg::Api(req, ApiResult::Groups(Ok(mixed_groups()))));
    sim
}

/// The pending tab effects, removed.
pub fn take_tabs(sim: &mut Sim) -> Vec<TabEffect> {
    let mut out = Vec::new();
    sim.effects.retain(|e| match e {
        Effect::Tab(t) => {
            out.push(t.clone());
            false
        }
        _ => true,
    });
    out
}

fn only_tab(sim: &mut Sim) -> TabEffect {
    let mut tabs = take_tabs(sim);
    assert_eq!(tabs.len(), 1, "one tab effect: {tabs:?}");
    tabs.remove(0)
}

fn answer(sim: &mut Sim, req: ReqId, result: TabResult) {
    sim.send(Msg::Api(req, ApiResult::Tab(result)));
}

/// Shows the Factors tab and answers its load with `two_factors`.
pub fn factors_shown(sim: &mut Sim) {
    sim.ch('3');
    let TabEffect::FetchFactors { req, user_id } = only_tab(sim) else { panic!("a factors fetch") };
    assert_eq!(user_id, "00u00000000000000000");
    answer(sim, req, TabResult::Factors(Ok(two_factors())));
}

fn factors_of(sim: &Sim, id: &str) -> Load<Vec<Factor>> {
    sim.state.tabs.get(id).map_or(Load::Idle, |l| l.factors.clone())
}

fn messages(sim: &Sim) -> String {
    sim.state.messages.entries.iter().map(|e| e.text.clone()).collect::<Vec<_>>().join("\n")
}

#[test]
fn tab_keys_step_around_jump_by_number_and_focus_the_pane() {
    let mut sim = shown();
    assert_eq!(sim.state.detail.view, View::Sections);
    sim.ch(']');
    assert_eq!((sim.state.detail.view, sim.state.focus), (View::Groups, Pane::Detail));
    sim.ch('[');
    sim.ch('[');
    assert_eq!(sim.state.detail.view, View::Log, "wraps around backwards");
    sim.ch(']');
    assert_eq!(sim.state.detail.view, View::Sections, "and forwards");
    for (key, view) in [
        ('2', View::Groups),
        ('3', View::Factors),
        ('4', View::Apps),
        ('5', View::Raw),
        ('6', View::Log),
        ('1', View::Sections),
    ] {
        sim.ch(key);
        assert_eq!(sim.state.detail.view, view, "key {key}");
    }
    sim.ch('r');
    assert_eq!(sim.state.detail.view, View::Raw, "r still shows the JSON");
    sim.ch('r');
    assert_eq!(sim.state.detail.view, View::Sections);
}

#[test]
fn factors_and_apps_load_only_when_shown_and_once_per_user() {
    let mut sim = shown();
    sim.ch('2');
    assert!(take_tabs(&mut sim).is_empty(), "nothing is loaded before its tab is shown");
    factors_shown(&mut sim);
    sim.ch('1');
    sim.ch('3');
    assert!(take_tabs(&mut sim).is_empty(), "shown again from the cache");
    // Another user, with the Factors tab still shown: its own load.
    sim.key(KeyCode::Tab);
    sim.key(KeyCode::Down);
    sim.answer_detail(full_user_json(1, "ACTIVE"));
    let TabEffect::FetchFactors { req, user_id } = only_tab(&mut sim) else { panic!("factors of user 1") };
    assert_eq!(user_id, "00u00000000000000001");
    answer(&mut sim, req, TabResult::Factors(Ok(Vec::new())));
    // Back to the first user: cached, not asked again.
    sim.key(KeyCode::Up);
    sim.fire_timers();
    assert!(take_tabs(&mut sim).is_empty(), "user 0's factors come from the cache");
    assert!(matches!(factors_of(&sim, "00u00000000000000000"), Load::Loaded(f) if f.len() == 2));
    sim.ch('4');
    let TabEffect::FetchApps { req, .. } = only_tab(&mut sim) else { panic!("apps") };
    answer(&mut sim, req, TabResult::Apps(Ok(two_apps())));
    sim.ch('1');
    sim.ch('4');
    assert!(take_tabs(&mut sim).is_empty(), "apps are cached too");
}

#[test]
fn refresh_and_a_reset_through_oktui_read_the_tab_again() {
    let mut sim = shown();
    factors_shown(&mut sim);
    sim.ch('R');
    sim.take_page_request();
    sim.fire_timers();
    assert!(
        take_tabs(&mut sim).iter().any(|t| matches!(t, TabEffect::FetchFactors { .. })),
        "R reads the factors again"
    );
}

#[test]
fn an_answer_for_a_user_left_behind_is_kept_for_that_user() {
    let mut sim = shown();
    sim.ch('3');
    let TabEffect::FetchFactors { req, .. } = only_tab(&mut sim) else { panic!("factors") };
    sim.key(KeyCode::Tab);
    sim.key(KeyCode::Down);
    answer(&mut sim, req, TabResult::Factors(Ok(two_factors())));
    assert!(matches!(factors_of(&sim, "00u00000000000000000"), Load::Loaded(_)), "kept, not loading forever");
    // An answer nobody waits for changes nothing.
    answer(&mut sim, ReqId(9_999), TabResult::Factors(Ok(Vec::new())));
    assert!(!sim.state.dirty, "a stale answer is dropped without a frame");
}

#[test]
fn a_failed_load_says_why_and_showing_the_tab_again_retries() {
    let mut sim = shown();
    sim.ch('3');
    let TabEffect::FetchFactors { req, .. } = only_tab(&mut sim) else { panic!("factors") };
    let e = api_error(500, json!({"errorCode": "E0000009", "errorSummary": "Internal Server Error"}));
    answer(&mut sim, req, TabResult::Factors(Err(e)));
    let Load::Failed(text) = factors_of(&sim, "00u00000000000000000") else { panic!("failed") };
    assert!(text.contains("Could not load the factors") && text.contains("Internal Server Error"), "{text}");
    assert!(sim.screen(120, 30).contains("Could not load the factors"));
    sim.ch('3');
    assert!(matches!(only_tab(&mut sim), TabEffect::FetchFactors { .. }), "3 again retries");
}

#[test]
fn j_and_k_select_a_group_and_stop_at_the_ends() {
    let mut sim = shown();
    sim.ch('2');
    for _ in 0..5 {
        sim.ch('j');
    }
    assert_eq!(sim.state.detail.group_cursor, 2);
    sim.ch('g');
    assert_eq!(sim.state.detail.group_cursor, 0);
    sim.ch('G');
    assert_eq!(sim.state.detail.group_cursor, 2);
}

#[test]
fn built_in_and_app_groups_are_refused_before_anything_is_sent() {
    let mut sim = shown();
    sim.ch('2');
    sim.ch('-');
    assert!(sim.state.overlay.is_none() && take_tabs(&mut sim).is_empty(), "Everyone: nothing sent");
    assert!(messages(&sim).contains("Everyone is built in"), "{}", messages(&sim));
    sim.ch('G');
    sim.ch('-');
    assert!(sim.state.overlay.is_none() && take_tabs(&mut sim).is_empty(), "APP_GROUP: nothing sent");
    assert!(messages(&sim).contains("Workday Staff comes from an app"), "{}", messages(&sim));
}

#[test]
fn removing_from_a_group_asks_then_sends_then_reads_the_user_again() {
    let mut sim = shown();
    sim.ch('2');
    sim.ch('j');
    sim.ch('-');
    assert!(
        matches!(&sim.state.overlay, Some(Overlay::Tab(d)) if matches!(d.kind, DialogKind::RemoveFromGroup { .. }))
    );
    sim.key(KeyCode::Esc);
    assert!(sim.state.overlay.is_none() && take_tabs(&mut sim).is_empty(), "Esc cancels, nothing sent");
    sim.ch('-');
    assert!(take_tabs(&mut sim).is_empty(), "asked first");
    sim.ch('x');
    assert!(take_tabs(&mut sim).is_empty(), "only Enter or y confirms");
    sim.key(KeyCode::Enter);
    let TabEffect::RemoveFromGroup { req, user_id, group_id } = only_tab(&mut sim) else { panic!("remove") };
    assert_eq!((user_id.as_str(), group_id.as_str()), ("00u00000000000000000", "00gENG"));
    sim.key(KeyCode::Enter);
    assert!(take_tabs(&mut sim).is_empty(), "not sent twice while the answer is awaited");
    answer(&mut sim, req, TabResult::Changed(Ok(())));
    assert!(sim.state.overlay.is_none());
    assert!(messages(&sim).contains("Removed avery.fixture0@example.com from Engineering"));
    // The change moved lastUpdated: the user and then its groups are read again.
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    assert!(sim.has(|e| matches!(e, Effect::FetchGroups { .. })));
}

#[test]
fn a_refusal_from_the_org_is_shown_and_the_groups_read_again() {
    let mut sim = shown();
    sim.ch('2');
    sim.ch('j');
    sim.ch('-');
    sim.ch('y');
    let TabEffect::RemoveFromGroup { req, .. } = only_tab(&mut sim) else { panic!("remove") };
    let refused = api_error(
        403,
        json!({"errorCode": "E0000006", "errorSummary": "You do not have permission to perform the requested action"}),
    );
    answer(&mut sim, req, TabResult::Changed(Err(refused)));
    let log = messages(&sim);
    assert!(log.contains("Could not remove") && log.contains("refused it (403)") && log.contains("E0000006"), "{log}");
    assert!(sim.has(|e| matches!(e, Effect::FetchUser { .. })), "read again: a lost answer may hide a change");
    assert!(matches!(sim.state.detail.groups, Load::Idle), "the groups shown before are not shown as current");
}

/// Opens the picker; returns the first search's request.
fn open_picker(sim: &mut Sim) -> ReqId {
    sim.ch('2');
    sim.ch('+');
    let TabEffect::SearchGroups { req, q } = only_tab(sim) else { panic!("a search at once") };
    assert_eq!(q, "");
    req
}

#[test]
fn the_group_picker_searches_only_once_typing_pauses() {
    let mut sim = shown();
    let first = open_picker(&mut sim);
    sim.type_text("Sa");
    assert!(take_tabs(&mut sim).is_empty(), "nothing is sent while typing");
    let timers: Vec<Timer> = sim
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Schedule { timer: t @ Timer::TabGroupSearch(_), .. } => Some(*t),
            _ => None,
        })
        .collect();
    assert_eq!(timers.len(), 2, "one debounce per key");
    sim.effects.clear();
    sim.send(Msg::Timer(timers[0]));
    assert!(take_tabs(&mut sim).is_empty(), "a key came after this pause: no search");
    sim.send(Msg::Timer(timers[1]));
    let TabEffect::SearchGroups { req, q } = only_tab(&mut sim) else { panic!("search") };
    assert_eq!(q, "Sa");
    // The first, slower answer arrives last: dropped.
    let sales = groups(&[group_json("00gSALES", "Sales", "OKTA_GROUP")]);
    answer(&mut sim, req, TabResult::GroupSearch(Ok(sales)));
    answer(&mut sim, first, TabResult::GroupSearch(Ok(mixed_groups())));
    let Some(Overlay::Tab(d)) = &sim.state.overlay else { panic!("picker open") };
    let DialogKind::AddToGroup(search) = &d.kind else { panic!("picker") };
    assert!(matches!(&search.results, Load::Loaded(g) if g.len() == 1 && g[0].name() == "Sales"));
}

#[test]
fn the_picker_adds_an_okta_group_and_refuses_the_others_before_sending() {
    let mut sim = shown();
    let req = open_picker(&mut sim);
    let found = groups(&[
        group_json("00gEVERYONE", "Everyone", "BUILT_IN"),
        group_json("00gENG", "Engineering", "OKTA_GROUP"),
        group_json("00gSALES", "Sales", "OKTA_GROUP"),
    ]);
    answer(&mut sim, req, TabResult::GroupSearch(Ok(found)));
    sim.key(KeyCode::Enter);
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    assert!(take_tabs(&mut sim).is_empty(), "built in, then already a member: nothing sent");
    let screen = sim.screen(120, 30);
    assert!(screen.contains("The user is in Engineering already"), "{screen}");
    sim.key(KeyCode::Down);
    sim.key(KeyCode::Enter);
    let TabEffect::AddToGroup { req, user_id, group_id } = only_tab(&mut sim) else { panic!("add") };
    assert_eq!((user_id.as_str(), group_id.as_str()), ("00u00000000000000000", "00gSALES"));
    answer(&mut sim, req, TabResult::Changed(Ok(())));
    assert!(sim.state.overlay.is_none());
    assert!(messages(&sim).contains("Added avery.fixture0@example.com to Sales"));
    assert!(sim.has(|e| matches!(e, Effect::FetchUser { .. })), "the user and its groups are read again");
}

#[test]
fn resetting_a_factor_asks_then_sends_the_selected_one_and_reloads_the_tab() {
    let mut sim = shown();
    factors_shown(&mut sim);
    sim.ch('j');
    sim.ch('-');
    let screen = sim.screen(120, 30);
    assert!(screen.contains("Reset the factor token:software:totp (GOOGLE)"), "{screen}");
    sim.key(KeyCode::Enter);
    let TabEffect::ResetFactor { req, user_id, factor_id } = only_tab(&mut sim) else { panic!("reset") };
    assert_eq!((user_id.as_str(), factor_id.as_str()), ("00u00000000000000000", "uft1"));
    answer(&mut sim, req, TabResult::Changed(Ok(())));
    assert!(messages(&sim).contains("Reset token:software:totp (GOOGLE) of avery.fixture0@example.com"));
    assert!(
        take_tabs(&mut sim).iter().any(|t| matches!(t, TabEffect::FetchFactors { .. })),
        "the factors are read again at once"
    );
}

#[test]
fn clear_sessions_is_in_the_actions_menu_with_both_choices() {
    let mut sim = shown();
    sim.ch('a');
    let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu") };
    let n = menu.ops.len() + 1;
    sim.ch(char::from(b'0' + n as u8));
    let Some(Overlay::Tab(d)) = &sim.state.overlay else { panic!("confirmation") };
    assert!(matches!(d.kind, DialogKind::ClearSessions(c) if !c.oauth_tokens && !c.forget_devices));
    let screen = sim.screen(120, 30);
    assert!(screen.contains("[ ] Also revoke") && screen.contains("(oauthTokens)"), "{screen}");
    assert!(screen.contains("(forgetDevices)"), "{screen}");
    sim.ch(' ');
    sim.ch('j');
    sim.ch(' ');
    sim.ch(' ');
    sim.key(KeyCode::Enter);
    let TabEffect::ClearSessions { req, user_id, options } = only_tab(&mut sim) else { panic!("clear") };
    assert_eq!(user_id, "00u00000000000000000");
    assert_eq!(options, ClearSessions { oauth_tokens: true, forget_devices: false });
    answer(&mut sim, req, TabResult::Changed(Ok(())));
    assert!(messages(&sim).contains("Cleared the sessions of avery.fixture0@example.com (and its OAuth tokens)"));
}

/// Answers the pending detail, groups and tab loads until none is left;
/// returns how many tab loads it answered.
fn settle(sim: &mut Sim) -> usize {
    let mut tab_loads = 0;
    for _ in 0..6 {
        sim.fire_timers();
        let pending: Vec<Effect> = sim
            .effects
            .iter()
            .filter(|e| matches!(e, Effect::FetchUser { .. } | Effect::FetchGroups { .. } | Effect::Tab(_)))
            .cloned()
            .collect();
        sim.effects.retain(|e| !matches!(e, Effect::FetchUser { .. } | Effect::FetchGroups { .. } | Effect::Tab(_)));
        for effect in pending {
            match effect {
                Effect::FetchUser { req, id } => {
                    let i: usize = id.trim_start_matches("00u").parse().expect("fixture id");
                    let user = User::from_json(full_user_json(i, "ACTIVE")).expect("user");
                    sim.send(Msg::Api(req, ApiResult::User(Ok(user))));
                }
                Effect::FetchGroups { req, .. } => sim.send(Msg::Api(req, ApiResult::Groups(Ok(mixed_groups())))),
                Effect::Tab(TabEffect::FetchFactors { req, .. }) => {
                    tab_loads += 1;
                    answer(sim, req, TabResult::Factors(Ok(two_factors())))
                }
                Effect::Tab(TabEffect::FetchApps { req, .. }) => {
                    tab_loads += 1;
                    answer(sim, req, TabResult::Apps(Ok(two_apps())))
                }
                _ => {}
            }
        }
    }
    tab_loads
}

fn assert_settled(sim: &Sim, how: &str) {
    let id = sim.state.detail.id.as_deref().expect("a user shown");
    let loaded = sim.state.tabs.get(id).expect("the shown tab's entry");
    let (factors, apps) = (&loaded.factors, &loaded.apps);
    match sim.state.detail.view {
        View::Factors => assert!(matches!(factors, Load::Loaded(_) | Load::Failed(_)), "{how}: {factors:?}"),
        View::Apps => assert!(matches!(apps, Load::Loaded(_) | Load::Failed(_)), "{how}: {apps:?}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(sim.state.detail.groups, Load::Loaded(_) | Load::Failed(_)), "{how}: groups");
}

#[test]
fn the_shown_tab_settles_whichever_way_a_user_comes_to_be_shown() {
    for tab in ['3', '4'] {
        let mut sim = Sim::started_with(&users(5), None);
        settle(&mut sim);
        sim.ch(tab);
        settle(&mut sim);
        assert_settled(&sim, "showing the tab");
        sim.key(KeyCode::Tab);
        sim.key(KeyCode::Down);
        settle(&mut sim);
        assert_settled(&sim, "moving down");
        sim.key(KeyCode::Up);
        settle(&mut sim);
        assert_settled(&sim, "back to a cached user");
        sim.ch('G');
        settle(&mut sim);
        assert_settled(&sim, "G");
        sim.ch('R');
        sim.answer_page(&users(5), None);
        settle(&mut sim);
        assert_settled(&sim, "R");
        let req = sim.look_up("00u00000000000000042");
        let user = User::from_json(full_user_json(42, "ACTIVE")).expect("user");
        sim.send(Msg::Api(req, ApiResult::Lookup(Ok(user))));
        settle(&mut sim);
        assert_eq!(sim.state.detail.id.as_deref(), Some("00u00000000000000042"));
        assert_settled(&sim, "opening by id");
        // A lifecycle action (reset factors may change them): read again.
        sim.ch('a');
        let Some(Overlay::Actions(menu)) = &sim.state.overlay else { panic!("menu") };
        let i = menu.ops.iter().position(|op| op.label() == "Suspend").expect("suspend");
        sim.ch(char::from(b'1' + i as u8));
        sim.key(KeyCode::Enter);
        let Effect::RunLifecycle { req, .. } = sim.take("lifecycle", |e| matches!(e, Effect::RunLifecycle { .. }))
        else {
            unreachable!()
        };
        let outcome = oktui::okta::LifecycleOutcome::default();
        sim.send(Msg::Api(req, ApiResult::Lifecycle(Ok(outcome))));
        assert_eq!(settle(&mut sim), 1, "the shown tab is read again after a lifecycle action");
        assert_settled(&sim, "a lifecycle action");
    }
}
