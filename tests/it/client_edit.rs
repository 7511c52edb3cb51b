//! The client's side of changing one user (issue 13), over loopback against
//! the embedded org: conditional profile updates, membership, factors,
//! sessions and app links.

use crate::support::{Api, TOKEN, client_for, demo_org, org_with};
use oktui::emulator::{Faults, OrgConfig};
use oktui::okta::{ClearSessions, Client, ClientConfig, Error, OrgUrl, Secret};
use serde_json::{Map, Value, json};
use std::time::Duration;

fn changes(pairs: Value) -> Map<String, Value> {
    pairs.as_object().unwrap().clone()
}

async fn an_active_demo_user(client: &Client) -> String {
    let query = oktui::okta::UserQuery { search: Some("status eq \"ACTIVE\"".into()), ..Default::default() };
    let page = client.list_users_page(oktui::okta::PageStart::First(&query)).await.unwrap();
    page.items[1].id().to_owned()
}

#[tokio::test]
async fn a_stale_update_is_a_typed_conflict_and_a_fresh_one_changes_exactly_what_was_sent() {
    let org = demo_org().await;
    let client = client_for(&org);
    let id = an_active_demo_user(&client).await;
    let read = client.read_user(&id).await.unwrap();
    let stale = read.etag.clone().expect("the org sends an ETag");

    // Another admin changes the user between our read and our save.
    let api = Api::new(&org);
    api.post(&format!("/api/v1/users/{id}"), json!({"profile": {"title": "Set by someone else"}})).await.expect(200);

    let mine = changes(json!({"department": "Research", "mobilePhone": "+1 555 0100"}));
    let err = client.update_profile(&id, &stale, &mine).await.unwrap_err();
    assert!(err.is_changed_meanwhile(), "{err:?}");
    assert!(matches!(err, Error::ChangedMeanwhile(_)));
    assert_eq!(err.status(), Some(412));
    let untouched = client.read_user(&id).await.unwrap();
    assert_ne!(untouched.user.json()["profile"]["department"], "Research", "the stale update did not apply");

    let fresh = untouched.etag.clone().unwrap();
    assert_ne!(fresh, stale);
    let saved = client.update_profile(&id, &fresh, &mine).await.unwrap();
    let new_tag = saved.etag.clone().expect("the answer carries the new ETag");
    assert_ne!(new_tag, fresh);
    assert_eq!(client.read_user(&id).await.unwrap().etag, Some(new_tag), "the answer's ETag is the user's");

    // Exactly the sent attributes changed; the other admin's title stays.
    let mut expected = untouched.user.json()["profile"].as_object().unwrap().clone();
    expected.extend(mine.clone());
    assert_eq!(saved.user.json()["profile"], Value::Object(expected));
    assert_eq!(saved.user.json()["profile"]["title"], "Set by someone else");
    assert_ne!(saved.user.json()["lastUpdated"], untouched.user.json()["lastUpdated"]);

    // A null removes an attribute; the old ETag is stale again.
    let removed =
        client.update_profile(&id, saved.etag.as_ref().unwrap(), &changes(json!({"mobilePhone": null}))).await.unwrap();
    assert!(removed.user.json()["profile"]["mobilePhone"].is_null());
    assert!(client.update_profile(&id, &fresh, &mine).await.unwrap_err().is_changed_meanwhile());
}

#[tokio::test]
async fn an_update_whose_answer_was_lost_is_found_applied_not_reported_as_a_conflict() {
    let org = org_with(OrgConfig::demo(TOKEN)).await;
    let url = OrgUrl::parse(&org.url()).unwrap();
    let mut config = ClientConfig::new(url, Secret::new(TOKEN));
    config.request_timeout = Some(Duration::from_secs(20));
    let client = Client::new(config).unwrap();
    let id = an_active_demo_user(&client).await;
    let read = client.read_user(&id).await.unwrap();
    org.org.set_faults(Faults { lose_rate: 1.0, ..Faults::default() });

    // The fault bites: an unconditional update lands but its answer is lost.
    let plain = client.update_user(&id, &changes(json!({"title": "Landed"}))).await.unwrap_err();
    assert!(matches!(plain.root(), Error::Network(_) | Error::Timeout(_)), "{plain:?}");
    org.org.set_faults(Faults::default());
    let landed = client.read_user(&id).await.unwrap();
    assert_eq!(landed.user.json()["profile"]["title"], "Landed");
    org.org.set_faults(Faults { lose_rate: 1.0, ..Faults::default() });

    let mine = changes(json!({"department": "Lost and found"}));
    let saved = client.update_profile(&id, landed.etag.as_ref().unwrap(), &mine).await.unwrap();
    assert_eq!(saved.user.json()["profile"]["department"], "Lost and found");
    assert_ne!(saved.etag, landed.etag);
    assert_ne!(landed.etag, read.etag);
}

#[tokio::test]
async fn membership_factors_sessions_and_app_links() {
    let org = demo_org().await;
    let client = client_for(&org);
    let id = an_active_demo_user(&client).await;
    let groups = client
        .list_groups_page(oktui::okta::PageStart::First(&oktui::okta::GroupQuery::default()))
        .await
        .unwrap()
        .items;
    let find = |kind: &str| groups.iter().find(|g| g.kind() == kind).unwrap().id().to_owned();
    let (okta, app, everyone) = (find("OKTA_GROUP"), find("APP_GROUP"), find("BUILT_IN"));
    let names = |gs: Vec<oktui::okta::Group>| gs.iter().map(|g| g.id().to_owned()).collect::<Vec<_>>();

    client.add_user_to_group(&okta, &id).await.unwrap();
    assert!(names(client.user_groups(&id).await.unwrap()).contains(&okta));
    client.remove_user_from_group(&okta, &id).await.unwrap();
    assert!(!names(client.user_groups(&id).await.unwrap()).contains(&okta));
    for gid in [&app, &everyone] {
        let e = client.add_user_to_group(gid, &id).await.unwrap_err();
        assert_eq!(e.status(), Some(403), "{e}");
        assert!(e.to_string().contains("membership cannot be changed"), "{e}");
    }
    let e = client.add_user_to_group("00gNOPE0000000000000", &id).await.unwrap_err();
    assert_eq!(e.api().unwrap().code.as_deref(), Some("E0000007"));

    let factors = client.list_factors(&id).await.unwrap();
    assert!(!factors.is_empty());
    for f in &factors {
        assert!(!f.id().is_empty() && !f.factor_type().is_empty() && !f.provider().is_empty());
        assert!(matches!(f.status(), "ACTIVE" | "PENDING_ACTIVATION"));
        assert!(f.created().is_some() && f.last_updated().is_some() && f.profile().is_some());
    }
    let raw = Api::new(&org).get(&format!("/api/v1/users/{id}/factors")).await.body;
    assert_eq!(serde_json::to_value(&factors).unwrap(), raw, "lossless");
    client.reset_factor(&id, factors[0].id()).await.unwrap();
    let left = client.list_factors(&id).await.unwrap();
    assert_eq!(left.len(), factors.len() - 1);
    let e = client.reset_factor(&id, factors[0].id()).await.unwrap_err();
    assert_eq!((e.status(), e.api().unwrap().code.as_deref()), (Some(404), Some("E0000007")));

    client.clear_sessions(&id, ClearSessions { oauth_tokens: true, forget_devices: false }).await.unwrap();
    client.clear_sessions(&id, ClearSessions { oauth_tokens: false, forget_devices: true }).await.unwrap();
    let clears: Vec<_> =
        org.org.session_clears().iter().map(|c| (c.user.to_string(), c.oauth_tokens, c.forget_devices)).collect();
    assert_eq!(clears, [(id.clone(), true, false), (id.clone(), false, true)]);

    let apps = client.list_app_links(&id).await.unwrap();
    assert!(apps.len() >= 2);
    assert!(apps.iter().all(|a| !a.label().is_empty() && !a.app_name().is_empty() && a.link_url().is_some()));
    let raw = Api::new(&org).get(&format!("/api/v1/users/{id}/appLinks")).await.body;
    assert_eq!(serde_json::to_value(&apps).unwrap(), raw, "lossless");
}
