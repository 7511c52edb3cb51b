//! The client against the embedded org, over loopback HTTP.

use crate::support::{client_for, demo_org};
use futures::TryStreamExt;
use oktui::emulator::record::Status;
use oktui::okta::{CreateUser, Credentials, Secret, UserQuery, UserStatus};
use serde_json::json;
use std::collections::HashSet;

fn profile(login: &str) -> serde_json::Map<String, serde_json::Value> {
    json!({"firstName": "Robin", "lastName": "Testcase", "email": login, "login": login}).as_object().cloned().unwrap()
}

#[tokio::test]
async fn create_then_get_by_login_then_find_in_a_paged_listing() {
    let org = demo_org().await;
    let client = client_for(&org);

    let mut create = CreateUser::new(profile("robin.testcase@example.com"));
    create.credentials = Credentials::Password(Secret::new("Correct-Horse-9"));
    let created = client.create_user(&create).await.unwrap();
    assert_eq!(created.status(), Some(UserStatus::Active));
    assert_eq!(created.json()["credentials"]["password"], json!({}), "password value must not be echoed");

    let fetched = client.get_user("robin.testcase@example.com").await.unwrap();
    assert_eq!(fetched.id(), created.id());
    assert!(fetched.link("suspend").is_some(), "single user carries lifecycle links");

    let pages: Vec<_> = client.list_users(UserQuery::default().with_limit(7)).try_collect().await.unwrap();
    assert!(pages.len() >= 3, "only {} pages", pages.len());
    assert!(pages[..pages.len() - 1].iter().all(|p| p.items.len() == 7 && p.next.is_some()));
    assert!(pages.last().unwrap().next.is_none());
    let ids: Vec<_> = pages.iter().flat_map(|p| p.items.iter().map(|r| r.id().to_owned())).collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no duplicates across pages");
    assert!(ids.iter().any(|id| id == created.id()), "created user is listed");
    let expected = org.org.read().users_after(None).filter(|u| u.status() != Status::Deprovisioned).count();
    assert_eq!(ids.len(), expected, "no holes");
}

#[tokio::test]
async fn errors_come_back_as_okta_errors() {
    let org = demo_org().await;
    let client = client_for(&org);

    let missing = client.get_user("nobody@example.com").await.unwrap_err();
    let api = missing.api().expect("an API error");
    assert_eq!((api.status, api.code.as_deref()), (404, Some("E0000007")));
    assert!(api.request_id.is_some());

    let dup = client.create_user(&CreateUser::new(profile("admin@example.com"))).await.unwrap_err();
    let api = dup.api().unwrap();
    assert!(api.is_code("E0000001"));
    assert!(api.field_causes().iter().any(|(f, m)| *f == Some("login") && m.contains("already exists")));
}
