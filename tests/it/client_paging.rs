//! Paging against the embedded org: a thousand users created through the
//! client, then listed seven at a time by following the `next` links.

use crate::support::{TOKEN, client_for, org_with};
use futures::{StreamExt, TryStreamExt};
use oktui::emulator::OrgConfig;
use oktui::okta::{CreateUser, Credentials, Secret, UserQuery};
use serde_json::json;
use std::collections::HashSet;

#[tokio::test]
async fn a_thousand_users_page_seven_at_a_time_without_duplicates_or_holes() {
    // Okta's create bucket (600/min) would pace this to two minutes: the
    // subject here is paging, so the org's limits are lifted.
    let org = org_with(OrgConfig::demo(TOKEN).with_rate_limit(1_000_000)).await;
    let client = client_for(&org);

    let created: Vec<String> = futures::stream::iter(0..1000)
        .map(|i| {
            let client = client.clone();
            async move {
                let login = format!("pager{i:04}@example.com");
                let mut create = CreateUser::new(
                    json!({"firstName": "Page", "lastName": format!("Number{i}"), "email": login, "login": login})
                        .as_object()
                        .cloned()
                        .unwrap(),
                );
                if i % 2 == 0 {
                    create.credentials = Credentials::Password(Secret::new("Paging-Pass-42"));
                }
                client.create_user(&create).await.map(|u| u.id().to_owned())
            }
        })
        .buffer_unordered(8)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(created.len(), 1000);

    let pages: Vec<_> = client.list_users(UserQuery::default().with_limit(7)).try_collect().await.unwrap();
    let (last, full) = pages.split_last().unwrap();
    assert!(full.iter().all(|p| p.items.len() == 7 && p.next.is_some()), "every page but the last is full");
    assert!(last.next.is_none() && !last.items.is_empty() && last.items.len() <= 7);

    let listed: Vec<&str> = pages.iter().flat_map(|p| p.items.iter().map(|r| r.id())).collect();
    let unique: HashSet<&str> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "no duplicates across {} pages", pages.len());
    assert!(created.iter().all(|id| unique.contains(id.as_str())), "every created user is listed");
    // The same org listed through differently sized pages: a hole at a
    // page boundary of one would show as a difference.
    let mut expected = HashSet::new();
    let mut stream = Box::pin(client.list_users(UserQuery::default().with_limit(200)));
    while let Some(page) = stream.next().await {
        expected.extend(page.unwrap().items.iter().map(|r| r.id().to_owned()));
    }
    assert!(expected.len() > 1000, "the demo users and ours");
    assert_eq!(unique, expected.iter().map(String::as_str).collect(), "no holes");
}
