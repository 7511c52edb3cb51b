//! Groups, user types and the user schema of the embedded org.

use crate::support::{Api, demo_org, valid_profile};
use serde_json::json;

#[tokio::test]
async fn groups_list_page_search_and_membership() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let all = api.get("/api/v1/groups").await.expect(200);
    assert_eq!(all.link("self").unwrap(), format!("{}/api/v1/groups?limit=10000", org.url()));
    let groups = all.body.as_array().unwrap();
    let everyone = groups.iter().find(|g| g["profile"]["name"] == "Everyone").expect("Everyone exists");
    assert_eq!(everyone["type"], "BUILT_IN");
    assert_eq!(everyone["objectClass"], json!(["okta:user_group"]));
    assert!(groups.iter().filter(|g| g["type"] == "OKTA_GROUP").count() >= 10);

    let paged = api.get("/api/v1/groups?limit=4").await.expect(200);
    assert_eq!(paged.body.as_array().unwrap().len(), 4);
    let second = api.get(&paged.link("next").expect("next page")).await.expect(200);
    assert_ne!(second.body[0]["id"], paged.body[0]["id"]);
    api.get("/api/v1/groups?after=bogus").await.expect_error(400, "E0000029");

    let q = api.get("/api/v1/groups?q=eng").await.expect(200);
    assert_eq!(q.body.as_array().unwrap().len(), 1);
    assert!(q.link("self").is_none(), "q does not page");

    let user =
        api.post("/api/v1/users", json!({"profile": valid_profile("member@example.com")})).await.expect(200).body;
    let uid = user["id"].as_str().unwrap();
    let gid = q.body[0]["id"].as_str().unwrap();
    assert_eq!(api.get(&format!("/api/v1/groups/{gid}")).await.expect(200).body["profile"]["name"], "Engineering");
    api.get("/api/v1/groups/00gNOPE0000000000000").await.expect_error(404, "E0000007");

    let mine = api.get(&format!("/api/v1/users/{uid}/groups")).await.expect(200);
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    assert_eq!(mine.body[0]["profile"]["name"], "Everyone");

    api.put(&format!("/api/v1/groups/{gid}/users/{uid}"), json!(null)).await.expect(204);
    let members = api.get(&format!("/api/v1/groups/{gid}/users")).await.expect(200);
    assert!(members.body.as_array().unwrap().iter().any(|u| u["id"] == uid));
    assert_eq!(api.get(&format!("/api/v1/users/{uid}/groups")).await.body.as_array().unwrap().len(), 2);
    api.delete(&format!("/api/v1/groups/{gid}/users/{uid}")).await.expect(204);
    let members = api.get(&format!("/api/v1/groups/{gid}/users")).await.expect(200);
    assert!(!members.body.as_array().unwrap().iter().any(|u| u["id"] == uid));

    let everyone_id = everyone["id"].as_str().unwrap();
    let everyone_members = api.get(&format!("/api/v1/groups/{everyone_id}/users?limit=3")).await.expect(200);
    assert_eq!(everyone_members.body.as_array().unwrap().len(), 3);
    assert!(everyone_members.link("next").is_some());
}

#[tokio::test]
async fn user_types_and_their_schemas() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let types = api.get("/api/v1/meta/types/user").await.expect(200).body;
    let types = types.as_array().unwrap();
    assert!(types.len() >= 2);
    let default = types.iter().find(|t| t["default"] == true).unwrap();
    assert_eq!(default["name"], "user");
    assert_eq!(default["description"], "Okta user profile template with default permission settings");
    let tid = default["id"].as_str().unwrap();
    assert!(tid.starts_with("oty") && tid.len() == 20);
    assert_eq!(api.get(&format!("/api/v1/meta/types/user/{tid}")).await.expect(200).body["id"], tid);
    api.get("/api/v1/meta/types/user/otyNOPE0000000000000").await.expect_error(404, "E0000007");

    let schema_href = default["_links"]["schema"]["href"].as_str().unwrap();
    assert!(schema_href.contains("/api/v1/meta/schemas/user/osc"), "{schema_href}");
    let by_id = api.get(schema_href).await.expect(200).body;
    let schema = api.get("/api/v1/meta/schemas/user/default").await.expect(200).body;
    assert_eq!(by_id["definitions"], schema["definitions"]);
    let base = &schema["definitions"]["base"];
    assert_eq!(base["required"], json!(["login", "firstName", "lastName", "email"]));
    let login = &base["properties"]["login"];
    assert_eq!(
        (login["title"].as_str(), login["minLength"].as_u64(), login["maxLength"].as_u64()),
        (Some("Username"), Some(5), Some(100))
    );
    assert_eq!(base["properties"]["email"]["format"], "email");
    assert_eq!(base["properties"]["primaryPhone"]["permissions"][0]["action"], "HIDE");
    let custom = &schema["definitions"]["custom"]["properties"];
    assert_eq!(custom["employmentType"]["oneOf"][0], json!({"const": "FULL_TIME", "title": "Full-time"}));
    assert_eq!(custom["skills"]["type"], "array");
    assert_eq!(custom["clearanceLevel"]["type"], "number");
    api.get("/api/v1/meta/schemas/user/oscNOPE0000000000000").await.expect_error(404, "E0000007");
}

#[tokio::test]
async fn groups_search_and_filter_with_the_group_attributes() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let sw = api.get("/api/v1/groups?search=profile.name+sw+%22m%22").await.expect(200);
    let names: Vec<_> = sw.body.as_array().unwrap().iter().map(|g| g["profile"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Marketing", "Managers"]);
    let built_in = api.get("/api/v1/groups?filter=type+eq+%22BUILT_IN%22").await.expect(200);
    assert_eq!(built_in.body.as_array().unwrap().len(), 1);
    api.get("/api/v1/groups?search=profile.name+co+%22x%22&filter=type+eq+%22BUILT_IN%22")
        .await
        .expect_error(400, "E0000033");
    api.get("/api/v1/groups?filter=profile.name+eq+%22IT%22").await.expect_error(400, "E0000031");
}
