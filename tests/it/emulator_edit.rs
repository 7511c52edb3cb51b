//! The org's side of changing one user (issue 13): ETags and `If-Match`,
//! membership refusals, factors, sessions and app links.

use crate::pty::tempdir;
use crate::support::{Api, TOKEN, demo_org, org_with, valid_profile};
use oktui::emulator::OrgConfig;
use serde_json::{Value, json};

fn etag(reply: &crate::support::Reply) -> String {
    reply.header("etag").expect("an ETag").to_owned()
}

/// A demo user the org seeded active (has factors and app links).
async fn seeded_active(api: &Api) -> Value {
    let users = api.get("/api/v1/users?search=status%20eq%20%22ACTIVE%22&limit=5").await.expect(200).body;
    users[1].clone()
}

async fn post_if_match(api: &Api, id: &str, tag: &str, body: Value) -> crate::support::Reply {
    let url = api.absolute(&format!("/api/v1/users/{id}"));
    api.send(api.raw().post(url).header("if-match", tag).json(&body)).await
}

#[tokio::test]
async fn a_stale_if_match_is_refused_with_412_and_a_current_one_applies() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let user = seeded_active(&api).await;
    let id = user["id"].as_str().unwrap();
    let read = api.get(&format!("/api/v1/users/{id}")).await.expect(200);
    let first = etag(&read);
    assert!(first.starts_with("W/\""), "{first}");

    // Another admin changes the user: the ETag and lastUpdated move.
    let other = api.post(&format!("/api/v1/users/{id}"), json!({"profile": {"title": "Other"}})).await.expect(200);
    let second = etag(&other);
    assert_ne!(first, second);
    assert_ne!(other.body["lastUpdated"], read.body["lastUpdated"]);
    assert_eq!(etag(&api.get(&format!("/api/v1/users/{id}")).await.expect(200)), second, "GET agrees with the change");

    let stale = post_if_match(&api, id, &first, json!({"profile": {"department": "Mine"}})).await;
    let stale = stale.expect_error(412, "E0000412");
    assert!(stale.body["errorSummary"].as_str().unwrap().contains("changed since it was read"), "{}", stale.text);
    let url = api.absolute(&format!("/api/v1/users/{id}"));
    let put = api.raw().put(url).header("if-match", &first).json(&json!({"profile": user["profile"]}));
    api.send(put).await.expect_error(412, "E0000412");
    let now = api.get(&format!("/api/v1/users/{id}")).await.expect(200);
    assert_eq!(now.body["profile"]["title"], "Other", "nothing of the stale writes applied");
    assert_ne!(now.body["profile"]["department"], "Mine");

    // The current tag (weak or not, or `*`) applies; each change moves the tag.
    let fresh = post_if_match(&api, id, &second, json!({"profile": {"department": "Mine"}})).await.expect(200);
    assert_eq!(fresh.body["profile"]["department"], "Mine");
    let third = etag(&fresh);
    assert_ne!(third, second);
    let strong = third.trim_start_matches("W/");
    let again = post_if_match(&api, id, strong, json!({"profile": {"department": "Mine"}})).await.expect(200);
    assert_ne!(etag(&again), third, "a change that sets the same value still moves the ETag");
    post_if_match(&api, id, "*", json!({"profile": {"title": "Any"}})).await.expect(200);
}

#[tokio::test]
async fn every_change_moves_last_updated_and_the_etag() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let id = seeded_active(&api).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/users/{id}");
    let mut seen = vec![];
    let mut remember = |reply: crate::support::Reply| {
        let reply = reply.expect(200);
        seen.push((etag(&reply), reply.body["lastUpdated"].as_str().unwrap().to_owned()));
    };
    remember(api.get(&path).await);
    // Back to back, so that several land within one millisecond.
    for n in 0..5 {
        api.post(&path, json!({"profile": {"title": format!("T{n}")}})).await.expect(200);
        remember(api.get(&path).await);
    }
    api.post_empty(&format!("{path}/lifecycle/suspend")).await.expect(200);
    remember(api.get(&path).await);
    api.post_empty(&format!("{path}/lifecycle/unsuspend")).await.expect(200);
    remember(api.get(&path).await);
    let full = api.get(&path).await.body;
    remember(api.put(&path, json!({"profile": full["profile"]})).await);
    for pair in seen.windows(2) {
        assert_ne!(pair[0].0, pair[1].0, "ETag moved: {seen:?}");
        assert!(pair[0].1 < pair[1].1, "lastUpdated moved forward: {seen:?}");
    }
}

#[tokio::test]
async fn membership_of_built_in_and_app_groups_is_refused_and_unknowns_are_404() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let groups = api.get("/api/v1/groups").await.expect(200).body;
    let kind = |k: &str| groups.as_array().unwrap().iter().find(|g| g["type"] == k).unwrap()["id"].as_str().unwrap();
    let (everyone, app, okta) = (kind("BUILT_IN"), kind("APP_GROUP"), kind("OKTA_GROUP"));
    let uid = seeded_active(&api).await["id"].as_str().unwrap().to_owned();

    for (gid, why) in [(everyone, "Everyone"), (app, "APP_GROUP")] {
        for reply in [
            api.put(&format!("/api/v1/groups/{gid}/users/{uid}"), json!(null)).await,
            api.delete(&format!("/api/v1/groups/{gid}/users/{uid}")).await,
        ] {
            let reply = reply.expect_error(403, "E0000006");
            assert!(reply.body["errorSummary"].as_str().unwrap().contains(why), "{}", reply.text);
        }
    }
    let app_members = api.get(&format!("/api/v1/groups/{app}/users")).await.expect(200).body;
    assert!(!app_members.as_array().unwrap().is_empty(), "the demo app group has members");

    api.put(&format!("/api/v1/groups/00gNOPE0000000000000/users/{uid}"), json!(null))
        .await
        .expect_error(404, "E0000007");
    api.put(&format!("/api/v1/groups/{okta}/users/00uNOPE0000000000000"), json!(null))
        .await
        .expect_error(404, "E0000007");
    api.delete(&format!("/api/v1/groups/{okta}/users/00uNOPE0000000000000")).await.expect_error(404, "E0000007");
    let q = api.get("/api/v1/groups?q=Work").await.expect(200).body;
    assert_eq!(q.as_array().unwrap().len(), 1, "{q}");
    assert_eq!(q[0]["type"], "APP_GROUP");
}

#[tokio::test]
async fn demo_users_have_a_mix_of_factors_and_one_can_be_reset() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let users = api.get("/api/v1/users?limit=200").await.expect(200).body;
    let mut types = std::collections::BTreeSet::new();
    let mut statuses = std::collections::BTreeSet::new();
    for u in users.as_array().unwrap() {
        let id = u["id"].as_str().unwrap();
        let factors = api.get(&format!("/api/v1/users/{id}/factors")).await.expect(200).body;
        for f in factors.as_array().unwrap() {
            types.insert(f["factorType"].as_str().unwrap().to_owned());
            statuses.insert(f["status"].as_str().unwrap().to_owned());
            assert!(
                f["_links"]["self"]["href"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/factors/{}", f["id"].as_str().unwrap()))
            );
            assert!(f["profile"].is_object() && f["provider"].is_string() && f["created"].is_string());
        }
    }
    for t in ["sms", "call", "token:software:totp", "push", "webauthn", "email"] {
        assert!(types.contains(t), "{t} in {types:?}");
    }
    assert!(statuses.contains("ACTIVE") && statuses.contains("PENDING_ACTIVATION"), "{statuses:?}");

    let id = seeded_active(&api).await["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/users/{id}/factors");
    let before = api.get(&path).await.body;
    assert_eq!(before, api.get(&path).await.body, "deterministic");
    let fid = before[0]["id"].as_str().unwrap();
    api.delete(&format!("{path}/{fid}")).await.expect(204);
    let after = api.get(&path).await.body;
    assert_eq!(after.as_array().unwrap().len(), before.as_array().unwrap().len() - 1);
    assert!(!after.as_array().unwrap().iter().any(|f| f["id"] == fid));
    api.delete(&format!("{path}/{fid}")).await.expect_error(404, "E0000007");
    api.delete(&format!("{path}/mblNOPE0000000000000")).await.expect_error(404, "E0000007");
    api.get("/api/v1/users/00uNOPE0000000000000/factors").await.expect_error(404, "E0000007");

    api.post_empty(&format!("/api/v1/users/{id}/lifecycle/reset_factors")).await.expect(200);
    assert_eq!(api.get(&path).await.body, json!([]), "reset all leaves none");

    let created = api.post("/api/v1/users", json!({"profile": valid_profile("fresh@example.com")})).await.expect(200);
    let cid = created.body["id"].as_str().unwrap();
    assert_eq!(api.get(&format!("/api/v1/users/{cid}/factors")).await.body, json!([]), "a new user has none");
    assert_eq!(api.get(&format!("/api/v1/users/{cid}/appLinks")).await.body, json!([]), "a new user has none");
}

#[tokio::test]
async fn synthetic_users_get_factors_lazily_and_resets_persist() {
    let dir = tempdir::Dir::new();
    let file = dir.path.join("org.sqlite");
    let config = || OrgConfig::demo(TOKEN).with_users(500).with_data_file(&file);
    let (path, before) = {
        let org = org_with(config()).await;
        let api = Api::new(&org);
        // Ids follow creation: the last of the first 200 is synthetic (the demo has fewer).
        let page = api.get("/api/v1/users?limit=200").await.expect(200).body;
        let last = page.as_array().unwrap().iter().rev().find(|u| u["status"] == "ACTIVE").unwrap();
        let id = last["id"].as_str().unwrap().to_owned();
        assert!(last["profile"]["login"].as_str().unwrap().ends_with("@example.net"), "synthetic: {last}");
        let path = format!("/api/v1/users/{id}/factors");
        let before = api.get(&path).await.expect(200).body;
        assert!(!before.as_array().unwrap().is_empty(), "an active synthetic user has factors");
        let fid = before[0]["id"].as_str().unwrap();
        api.delete(&format!("{path}/{fid}")).await.expect(204);
        (path, before)
    };
    let org = org_with(config()).await;
    let api = Api::new(&org);
    let after = api.get(&path).await.expect(200).body;
    // The links name the new port: compare the factors without them.
    let bare = |v: &Value| -> Vec<Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_object().unwrap().clone())
            .map(|mut f| {
                f.remove("_links");
                Value::Object(f)
            })
            .collect()
    };
    assert_eq!(bare(&after)[..], bare(&before)[1..], "the same factors, the reset one gone");
}

#[tokio::test]
async fn sessions_clear_with_both_options_and_app_links_list_demo_apps() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let id = seeded_active(&api).await["id"].as_str().unwrap().to_owned();
    api.delete(&format!("/api/v1/users/{id}/sessions?oauthTokens=true&forgetDevices=false")).await.expect(204);
    api.delete(&format!("/api/v1/users/{id}/sessions")).await.expect(204);
    api.delete(&format!("/api/v1/users/{id}/sessions?oauthTokens=maybe")).await.expect_error(400, "E0000001");
    api.delete("/api/v1/users/00uNOPE0000000000000/sessions").await.expect_error(404, "E0000007");
    let clears: Vec<(bool, bool)> =
        org.org.session_clears().iter().map(|c| (c.oauth_tokens, c.forget_devices)).collect();
    assert_eq!(clears, [(true, false), (false, true)], "asked options, then Okta's defaults");

    let links = api.get(&format!("/api/v1/users/{id}/appLinks")).await.expect(200).body;
    let links = links.as_array().unwrap();
    assert!(links.len() >= 2, "{links:?}");
    for l in links {
        for field in ["id", "label", "linkUrl", "logoUrl", "appName", "appInstanceId", "appAssignmentId"] {
            assert!(l[field].is_string(), "{field} in {l}");
        }
        assert_eq!(l["hidden"], false);
    }
    api.get("/api/v1/users/00uNOPE0000000000000/appLinks").await.expect_error(404, "E0000007");
}
