//! `search` and `filter` on the embedded org over HTTP: Okta's semantics,
//! precedence, escapes, sorting with keyset paging, and the Link encoding.

use crate::support::{Api, demo_org, valid_profile};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashSet};

fn enc(expr: &str) -> String {
    url::form_urlencoded::byte_serialize(expr.as_bytes()).collect()
}

async fn ids(api: &Api, param: &str, expr: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut url = format!("/api/v1/users?limit=200&{param}={}", enc(expr));
    loop {
        let page = api.get(&url).await.expect(200);
        out.extend(page.body.as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        match page.link("next") {
            Some(next) => url = next,
            None => return out,
        }
    }
}

async fn users(api: &Api, expr: &str) -> Vec<Value> {
    api.get(&format!("/api/v1/users?limit=200&search={}", enc(expr))).await.expect(200).body.as_array().unwrap().clone()
}

#[tokio::test]
async fn search_values_are_case_insensitive_and_include_deprovisioned() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let eng = users(&api, r#"profile.department eq "engineering""#).await;
    assert_eq!(eng.len(), 8);
    assert!(eng.iter().all(|u| u["profile"]["department"] == "Engineering"));
    let gone = users(&api, r#"status eq "DEPROVISIONED""#).await;
    assert_eq!(gone.len(), 4, "search includes DEPROVISIONED users");
    assert_eq!(ids(&api, "filter", r#"status eq "DEPROVISIONED""#).await.len(), 4, "and so does filter");

    // filter compares values case-sensitively.
    assert!(ids(&api, "filter", r#"profile.lastName eq "yarrowdale""#).await.is_empty());
    assert_eq!(ids(&api, "filter", r#"profile.lastName eq "Yarrowdale""#).await.len(), 5);
    // Property names are case-sensitive: a wrong-case name matches nothing.
    assert!(users(&api, r#"profile.LastName eq "Yarrowdale""#).await.is_empty());

    let sw = users(&api, r#"profile.login sw "IRIS.""#).await;
    assert!(!sw.is_empty() && sw.iter().all(|u| u["profile"]["login"].as_str().unwrap().starts_with("iris.")));
    let co = users(&api, r#"profile.email co "YARROW""#).await;
    assert!(!co.is_empty() && co.iter().all(|u| u["profile"]["email"].as_str().unwrap().contains("yarrow")));
    api.get(&format!("/api/v1/users?search={}", enc(r#"profile.city co "x""#))).await.expect_error(400, "E0000031");
    api.get(&format!("/api/v1/users?search={}", enc(r#"status ne "ACTIVE""#))).await.expect_error(400, "E0000031");
    api.get(&format!("/api/v1/users?filter={}", enc(r#"profile.city eq "x""#))).await.expect_error(400, "E0000031");
}

#[tokio::test]
async fn custom_attributes_numbers_arrays_presence_and_time() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let high = users(&api, "profile.clearanceLevel ge 4").await;
    assert_eq!(high.len(), 19);
    assert!(high.iter().all(|u| u["profile"]["clearanceLevel"].as_f64().unwrap() >= 4.0));
    let okta = users(&api, r#"profile.skills eq "OKTA""#).await;
    assert!(!okta.is_empty());
    assert!(okta.iter().all(|u| u["profile"]["skills"].as_array().unwrap().iter().any(|s| s == "okta")), "any element");
    let phones = users(&api, "profile.mobilePhone pr").await;
    assert!(!phones.is_empty() && phones.iter().all(|u| u["profile"]["mobilePhone"].is_string()));
    let typed = users(&api, r#"employmentType eq "x""#).await;
    assert!(typed.is_empty(), "unknown top-level attributes match nothing");

    let all = ids(&api, "search", r#"created gt "2000-01-01T00:00:00.000Z""#).await;
    let recent = ids(&api, "search", r#"created ge "2025-01-01T00:00:00.000Z""#).await;
    let older = ids(&api, "search", r#"created lt "2025-01-01T00:00:00.000Z""#).await;
    assert!(!recent.is_empty() && !older.is_empty());
    assert!(recent.is_disjoint(&older));
    assert_eq!(recent.union(&older).cloned().collect::<BTreeSet<_>>(), all, "lt and ge split the org");
    let not_staged = ids(&api, "search", r#"status lt "STAGED" or status gt "STAGED""#).await;
    let staged = ids(&api, "search", r#"status eq "STAGED""#).await;
    assert_eq!(not_staged.len() + staged.len(), all.len(), "Okta's documented stand-in for ne");
}

#[tokio::test]
async fn and_binds_tighter_than_or_and_parentheses_group() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let staged = ids(&api, "search", r#"status eq "STAGED""#).await;
    let it = ids(&api, "search", r#"profile.department eq "IT""#).await;
    let active = ids(&api, "search", r#"status eq "ACTIVE""#).await;
    let it_active: BTreeSet<_> = it.intersection(&active).cloned().collect();
    let mixed = ids(&api, "search", r#"status eq "STAGED" or profile.department eq "IT" and status eq "ACTIVE""#).await;
    assert_eq!(mixed, staged.union(&it_active).cloned().collect(), "a or (b and c)");
    let grouped =
        ids(&api, "search", r#"(status eq "STAGED" or profile.department eq "IT") and status eq "ACTIVE""#).await;
    let either: BTreeSet<_> = staged.union(&it).cloned().collect();
    assert_eq!(grouped, either.intersection(&active).cloned().collect(), "(a or b) and c");
    assert_ne!(mixed, grouped);
}

#[tokio::test]
async fn quoted_strings_with_escapes_find_what_they_say() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let mut p = valid_profile("quote.test@example.com");
    p["lastName"] = json!(r#"O"Brien\Smith"#);
    let made = api.post("/api/v1/users", json!({"profile": p})).await.expect(200).body;
    let found = users(&api, r#"profile.lastName eq "o\"brien\\smith""#).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], made["id"]);
    // Okta's documented encoding of a quote inside a quoted value.
    let url = "/api/v1/users?search=profile.lastName%20eq%20%22O%5C%22Brien%5C%5CSmith%22";
    assert_eq!(api.get(url).await.expect(200).body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn sorted_search_pages_in_order_with_links_encoded_as_okta_does() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let first = api.get("/api/v1/users?search=status+eq+%22ACTIVE%22&limit=5").await.expect(200);
    assert_eq!(
        first.link("self").unwrap(),
        format!("{}/api/v1/users?search=status+eq+%22ACTIVE%22&limit=5", org.url())
    );
    let next = first.link("next").unwrap();
    assert!(next.starts_with(&format!("{}/api/v1/users?after=", org.url())));
    assert!(next.ends_with("&limit=5&search=status+eq+%22ACTIVE%22"), "{next}");

    for order in ["asc", "desc"] {
        let mut seen = Vec::new();
        let mut url =
            format!("/api/v1/users?search=status+eq+%22ACTIVE%22&sortBy=profile.lastName&sortOrder={order}&limit=4");
        let mut pages = 0;
        loop {
            let page = api.get(&url).await.expect(200);
            seen.extend(page.body.as_array().unwrap().iter().cloned());
            // A user created mid-listing must not disturb the pages.
            let login = format!("sorted.{order}.{pages}@example.com");
            let body =
                json!({"profile": valid_profile(&login), "credentials": {"password": {"value": "Sturdy-Pass-42"}}});
            api.post("/api/v1/users", body).await.expect(200);
            pages += 1;
            match page.link("next") {
                Some(n) => {
                    assert!(n.contains("sortBy=profile.lastName") && n.contains(&format!("sortOrder={order}")));
                    url = n;
                }
                None => break,
            }
        }
        let unique: HashSet<_> = seen.iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(unique.len(), seen.len(), "{order}: no duplicates");
        let names: Vec<String> =
            seen.iter().map(|u| u["profile"]["lastName"].as_str().unwrap().to_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        if order == "desc" {
            sorted.reverse();
        }
        assert_eq!(names, sorted, "{order}");
        let expected = ids(&api, "search", r#"status eq "ACTIVE""#).await;
        assert!(unique.iter().all(|id| expected.contains(id)));
    }
}
