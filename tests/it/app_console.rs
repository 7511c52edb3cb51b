//! `o`: the shown user's page in the org's Admin Console. Pure `update`
//! tests.

use crate::sim::{Sim, full_user_json, users};
use oktui::app::Effect;

fn opened(sim: &Sim) -> Vec<String> {
    sim.effects
        .iter()
        .filter_map(|e| match e {
            Effect::OpenUrl(url) => Some(url.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn o_opens_the_shown_user_in_the_admin_console() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.answer_detail(full_user_json(0, "ACTIVE"));
    sim.ch('o');
    let url = "https://acme-admin.okta.com/admin/user/profile/view/00u00000000000000000";
    assert_eq!(opened(&sim), [url]);
    let said = sim.state.messages.entries.last().map(|e| e.text.clone()).unwrap_or_default();
    assert_eq!(said, format!("Admin Console: {url}"), "the URL is also shown, for a terminal without a browser");
}

#[test]
fn o_before_a_user_is_shown_does_nothing() {
    let mut sim = Sim::started_with(&users(3), None);
    sim.ch('o');
    assert!(opened(&sim).is_empty());
}

#[test]
fn o_on_the_embedded_org_explains_instead_of_opening() {
    for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"] {
        let mut sim = Sim::started_with(&users(3), None);
        sim.state.org_host = host.to_owned();
        sim.answer_detail(full_user_json(0, "ACTIVE"));
        sim.ch('o');
        assert!(opened(&sim).is_empty(), "{host}: nothing to open");
        let said = sim.state.messages.entries.last().map(|e| e.text.clone()).unwrap_or_default();
        assert!(said.contains("no Admin Console"), "{host}: {said}");
    }
}
