//! The embedded org's Users API, read side: listing, paging, `q`,
//! `fields`, lookups, single-user links — over loopback HTTP.

use crate::support::{Api, demo_org, valid_profile};
use serde_json::{Value, json};
use std::collections::HashSet;

fn ids(reply: &crate::support::Reply) -> Vec<String> {
    reply.body.as_array().expect("an array").iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn plain_list_pages_with_opaque_cursors_and_absolute_links() {
    let org = demo_org().await;
    let api = Api::new(&org);

    let first = api.get("/api/v1/users?limit=5").await.expect(200);
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(ids(&first).len(), 5);
    assert_eq!(first.link("self").as_deref(), Some(format!("{}/api/v1/users?limit=5", org.url()).as_str()));
    let next = first.link("next").expect("more remain");
    assert!(next.starts_with(&format!("{}/api/v1/users?after=", org.url())), "{next}");
    let cursor = next.split("after=").nth(1).unwrap().split('&').next().unwrap();
    assert!(!ids(&first).iter().any(|id| cursor.contains(id.as_str())), "cursor is not a raw id");
    for user in first.body.as_array().unwrap() {
        assert_eq!(
            user["_links"].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["self"],
            "collections carry only self"
        );
    }

    // Default limit is 200, made explicit in the self link.
    let all = api.get("/api/v1/users").await.expect(200);
    assert_eq!(all.link("self").unwrap(), format!("{}/api/v1/users?limit=200", org.url()));
    assert!(all.link("next").is_none(), "the demo org fits one page");
    assert!(
        all.body.as_array().unwrap().iter().all(|u| u["status"] != "DEPROVISIONED"),
        "plain list omits DEPROVISIONED"
    );

    // Limits above 200 are capped.
    let capped = api.get("/api/v1/users?limit=1000").await.expect(200);
    assert!(ids(&capped).len() <= 200);

    api.get("/api/v1/users?after=not-a-cursor").await.expect_error(400, "E0000029");
    let bad = api.get(&format!("/api/v1/users?after={}", ids(&first)[0])).await.expect_error(400, "E0000029");
    assert_eq!(bad.causes(), ["Invalid cursor."]);
}

#[tokio::test]
async fn paging_while_users_are_created_has_no_duplicates_or_holes() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let before: HashSet<String> = ids(&api.get("/api/v1/users").await).into_iter().collect();

    let mut seen = Vec::new();
    let mut created = Vec::new();
    let mut url = "/api/v1/users?limit=7".to_owned();
    let mut page_no = 0;
    loop {
        let page = api.get(&url).await.expect(200);
        seen.extend(ids(&page));
        // Create a user between every two pages: it sorts after everything listed so far.
        let login = format!("midlisting.{page_no}@example.com");
        let made =
            api.post("/api/v1/users?activate=false", json!({"profile": valid_profile(&login)})).await.expect(200);
        created.push(made.body["id"].as_str().unwrap().to_owned());
        page_no += 1;
        match page.link("next") {
            Some(next) => url = next,
            None => break,
        }
        assert!(page_no < 100, "listing does not end");
    }
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates");
    assert!(before.is_subset(&unique), "no holes: every user present at the start is listed");
    // Users created mid-listing are listed too, except the one made after the last page.
    for id in &created[..created.len() - 1] {
        assert!(unique.contains(id), "created {id} during the listing and it was missed");
    }
}

#[tokio::test]
async fn q_is_a_case_insensitive_prefix_lookup_without_paging() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let reply = api.get("/api/v1/users?q=IRIS").await.expect(200);
    let users = reply.body.as_array().unwrap();
    assert!(!users.is_empty());
    for u in users {
        let p = &u["profile"];
        let hit = ["firstName", "lastName", "email"]
            .iter()
            .any(|f| p[f].as_str().unwrap_or_default().to_lowercase().starts_with("iris"));
        assert!(hit, "{u}");
    }
    assert!(reply.link("next").is_none());

    let many = api.get("/api/v1/users?q=a").await.expect(200);
    assert!(many.body.as_array().unwrap().len() <= 10, "q defaults to 10 results");
    let all_statuses = api.get("/api/v1/users?q=").await.expect(200);
    assert!(all_statuses.body.as_array().unwrap().iter().all(|u| u["status"] != "DEPROVISIONED"));
}

#[tokio::test]
async fn fields_projects_and_keeps_the_id() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let reply = api.get("/api/v1/users?limit=3&fields=status,profile:(firstName,lastName)").await.expect(200);
    for u in reply.body.as_array().unwrap() {
        let keys: Vec<_> = u.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["id", "status", "profile", "_links"], "{u}");
        let profile: Vec<_> = u["profile"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(profile, ["firstName", "lastName"]);
    }
}

#[tokio::test]
async fn get_by_id_login_percent_encoded_login_shortname_and_me() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let admin = api.get("/api/v1/users/me").await.expect(200);
    let id = admin.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("00u") && id.len() == 20, "{id}");
    assert!(admin.header("etag").is_some_and(|e| e.starts_with("W/\"")), "ETag on a single user");
    for key in [id.as_str(), "admin@example.com", "admin%40example.com", "ADMIN@example.com", "admin"] {
        let u = api.get(&format!("/api/v1/users/{key}")).await.expect(200);
        assert_eq!(u.body["id"], id.as_str(), "{key}");
    }
    let missing = api.get("/api/v1/users/nobody@example.com").await.expect_error(404, "E0000007");
    assert_eq!(missing.body["errorSummary"], "Not found: Resource not found: nobody@example.com (User)");
    assert_eq!(missing.body["errorCauses"], json!([]));
    assert!(missing.body["errorId"].as_str().unwrap().starts_with("oae"));
}

#[tokio::test]
async fn ambiguous_shortnames_do_not_resolve() {
    let org = demo_org().await;
    let api = Api::new(&org);
    for login in ["twin@example.com", "twin@example.org"] {
        api.post("/api/v1/users", json!({"profile": valid_profile(login)})).await.expect(200);
    }
    api.get("/api/v1/users/twin").await.expect_error(404, "E0000007");
}

fn rels(user: &Value) -> Vec<String> {
    let mut rels: Vec<String> = user["_links"].as_object().unwrap().keys().cloned().collect();
    rels.sort();
    rels
}

#[tokio::test]
async fn single_users_carry_the_links_their_status_allows() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let create = |login: &str, activate: bool, password: bool| {
        let mut body = json!({"profile": valid_profile(login)});
        if password {
            body["credentials"] = json!({"password": {"value": "Sturdy-Pass-42"}});
        }
        let api = api.clone();
        async move {
            let reply = api.post(&format!("/api/v1/users?activate={activate}"), body).await.expect(200);
            reply.body
        }
    };
    let staged = create("links.staged@example.com", false, false).await;
    assert_eq!(rels(&staged), ["activate", "resetFactors", "schema", "self", "type"]);
    let provisioned = create("links.prov@example.com", true, false).await;
    assert_eq!(
        rels(&provisioned),
        ["deactivate", "reactivate", "resetFactors", "resetPassword", "schema", "self", "suspend", "type"]
    );
    let active = create("links.active@example.com", true, true).await;
    assert_eq!(
        rels(&active),
        [
            "changePassword",
            "changeRecoveryQuestion",
            "deactivate",
            "expirePassword",
            "forgotPassword",
            "resetFactors",
            "resetPassword",
            "schema",
            "self",
            "suspend",
            "type"
        ]
    );
    assert_eq!(active["_links"]["suspend"]["method"], "POST");
    assert!(active["_links"]["self"].get("method").is_none());
    let id = active["id"].as_str().unwrap();
    let schema = active["_links"]["schema"]["href"].as_str().unwrap();
    assert!(schema.contains("/api/v1/meta/schemas/user/osc"), "{schema}");

    api.post_empty(&format!("/api/v1/users/{id}/lifecycle/suspend")).await.expect(200);
    let suspended = api.get(&format!("/api/v1/users/{id}")).await.expect(200).body;
    assert_eq!(rels(&suspended), ["deactivate", "resetFactors", "schema", "self", "type", "unsuspend"]);

    api.post_empty(&format!("/api/v1/users/{id}/lifecycle/deactivate")).await.expect(200);
    let gone = api.get(&format!("/api/v1/users/{id}")).await.expect(200).body;
    assert_eq!(rels(&gone), ["activate", "delete", "schema", "self", "type"]);
    assert_eq!(gone["_links"]["delete"]["method"], "DELETE");

    api.post_empty(&format!("/emulator/v1/users/{}/lock", provisioned["id"].as_str().unwrap())).await.expect(200);
    let locked = api.get(&format!("/api/v1/users/{}", provisioned["id"].as_str().unwrap())).await.expect(200).body;
    assert_eq!(locked["status"], "LOCKED_OUT");
    assert!(rels(&locked).contains(&"unlock".to_owned()));
}

#[tokio::test]
async fn unset_attributes_are_omitted_except_mobile_phone_and_second_email() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let u = api.post("/api/v1/users", json!({"profile": valid_profile("sparse@example.com")})).await.expect(200).body;
    let keys: HashSet<_> = u["profile"].as_object().unwrap().keys().cloned().collect();
    let expected: HashSet<String> =
        ["firstName", "lastName", "email", "login", "mobilePhone", "secondEmail"].map(String::from).into();
    assert_eq!(keys, expected);
    assert_eq!(u["profile"]["mobilePhone"], Value::Null);
    for ts in ["created", "lastUpdated"] {
        let s = u[ts].as_str().unwrap();
        assert!(s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.', "{ts}: {s}");
    }
}

#[tokio::test]
async fn search_with_filter_and_bad_expressions_are_refused_as_okta_does() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let both = api.get("/api/v1/users?search=status+eq+%22ACTIVE%22&filter=status+eq+%22ACTIVE%22").await;
    assert_eq!(
        both.expect_error(400, "E0000033").body["errorSummary"],
        "Bad request. Can't specify a search query and filter in the same request."
    );
    for bad in ["status+eq", "profile.login+ne+%22x%22", "(status+eq+%22ACTIVE%22"] {
        let r = api.get(&format!("/api/v1/users?search={bad}")).await.expect_error(400, "E0000031");
        assert_eq!(r.body["errorSummary"], "Invalid search criteria.");
        let cause = r.causes().first().cloned().unwrap_or_default();
        assert!(cause.contains("position"), "{bad}: the cause says where: {cause}");
    }
}
