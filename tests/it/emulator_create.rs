//! Creating and updating users in the embedded org: the nine create
//! variants, the creation status table, and validation with Okta's texts.

use crate::support::{Api, Reply, demo_org, valid_profile};
use serde_json::{Value, json};

async fn create(api: &Api, query: &str, body: Value) -> Reply {
    api.post(&format!("/api/v1/users{query}"), body).await
}

#[tokio::test]
async fn the_nine_variants_give_the_documented_statuses_and_never_echo_secrets() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let p = |n: &str| valid_profile(&format!("variant.{n}@example.com"));
    let engineering = api.get("/api/v1/groups?q=Engineering").await.body[0]["id"].as_str().unwrap().to_owned();
    let types = api.get("/api/v1/meta/types/user").await.body;
    let contractor = types.as_array().unwrap().iter().find(|t| t["name"] == "contractor").unwrap()["id"].clone();
    let rq = json!({"question": "Favourite fictional city?", "answer": "Springfield"});
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("?activate=false", json!({"profile": p("none")}), "STAGED", "OKTA"),
        ("", json!({"profile": p("none-active")}), "PROVISIONED", "OKTA"),
        ("?activate=false", json!({"profile": p("rq"), "credentials": {"recovery_question": rq}}), "STAGED", "OKTA"),
        (
            "?activate=true",
            json!({"profile": p("pw"), "credentials": {"password": {"value": "Sturdy-Pass-42"}}}),
            "ACTIVE",
            "OKTA",
        ),
        (
            "?activate=false",
            json!({"profile": p("bcrypt"), "credentials": {"password": {"hash": {"algorithm": "BCRYPT", "workFactor": 10,
                "salt": "rwh3vH166HCH/NT9XV5FYu", "value": "qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna"}}}}),
            "STAGED",
            "IMPORT",
        ),
        (
            "?activate=true",
            json!({"profile": p("sha256"), "credentials": {"password": {"hash": {"algorithm": "SHA-256",
                "salt": "MPu13OmY", "saltOrder": "PREFIX", "value": "Gjxo7mxvvzQWa83ovhYRUH2dWUhC1N77Ntc56UfI4sY"}}}}),
            "ACTIVE",
            "IMPORT",
        ),
        (
            "?activate=true",
            json!({"profile": p("hook"), "credentials": {"password": {"hook": {"type": "default"}}}}),
            "ACTIVE",
            "IMPORT",
        ),
        (
            "?activate=true",
            json!({"profile": p("pw-rq"), "credentials": {"password": {"value": "Sturdy-Pass-42"}, "recovery_question": rq}}),
            "ACTIVE",
            "OKTA",
        ),
        (
            "?provider=true",
            json!({"profile": p("fed"), "credentials": {"provider": {"type": "FEDERATION", "name": "FEDERATION"}}}),
            "ACTIVE",
            "FEDERATION",
        ),
        ("?activate=false", json!({"profile": p("grp"), "groupIds": [engineering]}), "STAGED", "OKTA"),
        ("?activate=false", json!({"profile": p("typed"), "type": {"id": contractor}}), "STAGED", "OKTA"),
        (
            "?activate=true&nextLogin=changePassword",
            json!({"profile": p("expired"), "credentials": {"password": {"value": "Sturdy-Pass-42"}}}),
            "PASSWORD_EXPIRED",
            "OKTA",
        ),
    ];
    for (query, body, status, provider) in cases {
        let reply = create(&api, query, body.clone()).await.expect(200);
        let user = &reply.body;
        assert_eq!(user["status"], status, "{query} {body}");
        assert_eq!(user["credentials"]["provider"]["type"], provider, "{body}");
        let text = reply.text.clone();
        for secret in [
            "Sturdy-Pass-42",
            "Springfield",
            "qaMqvAPULkbiQzkTCWo5XDcvzpk8Tna",
            "Gjxo7mxvvzQWa83ovhYRUH2dWUhC1N77Ntc56UfI4sY",
        ] {
            assert!(!text.contains(secret), "secret {secret} echoed: {text}");
        }
        if body["credentials"]["password"].is_object() {
            assert_eq!(user["credentials"]["password"], json!({}));
        }
        if body["credentials"]["recovery_question"].is_object() {
            assert_eq!(user["credentials"]["recovery_question"], json!({"question": "Favourite fictional city?"}));
        }
    }
    let typed = api.get("/api/v1/users/variant.typed@example.com").await.expect(200).body;
    assert_eq!(typed["type"]["id"], contractor);
    let grp = api.get("/api/v1/users/variant.grp@example.com").await.body["id"].as_str().unwrap().to_owned();
    let groups = api.get(&format!("/api/v1/users/{grp}/groups")).await.expect(200).body;
    let names: Vec<_> = groups.as_array().unwrap().iter().map(|g| g["profile"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Everyone", "Engineering"]);
}

#[tokio::test]
async fn validation_uses_okta_texts_with_field_causes() {
    let org = demo_org().await;
    let api = Api::new(&org);

    let empty = create(&api, "", json!({"profile": {}})).await.expect_error(400, "E0000001");
    assert_eq!(empty.body["errorSummary"], "Api validation failed: login");
    assert_eq!(
        empty.causes(),
        [
            "login: The field cannot be left blank",
            "firstName: The field cannot be left blank",
            "lastName: The field cannot be left blank",
            "email: The field cannot be left blank"
        ]
    );

    let mut p = valid_profile("not-an-email");
    p["email"] = json!("also-not");
    let shape = create(&api, "", json!({"profile": p})).await.expect_error(400, "E0000001");
    assert!(shape.causes().contains(&"login: Username must be in the form of an email address".to_owned()));
    assert!(shape.causes().contains(&"email: Does not match required pattern".to_owned()));

    let mut long = valid_profile("long@example.com");
    long["firstName"] = json!("x".repeat(51));
    let too_long = create(&api, "", json!({"profile": long})).await.expect_error(400, "E0000001");
    assert_eq!(too_long.causes(), ["firstName: The field cannot be longer than 50 characters"]);

    let dup =
        create(&api, "", json!({"profile": valid_profile("ADMIN@EXAMPLE.COM")})).await.expect_error(400, "E0000001");
    assert_eq!(dup.body["errorSummary"], "Api validation failed: login");
    assert_eq!(dup.causes(), ["login: An object with this field already exists in the current organization"]);

    let mut unknown = valid_profile("unknown@example.com");
    unknown["notValid"] = json!("x");
    let u = create(&api, "", json!({"profile": unknown})).await.expect_error(400, "E0000001");
    assert_eq!(u.body["errorSummary"], "Api validation failed: newUser");
    assert_eq!(u.causes(), ["Property name 'notValid' is not defined in profile"]);

    let mut custom = valid_profile("custom@example.com");
    custom["employmentType"] = json!("ASTRONAUT");
    custom["clearanceLevel"] = json!("high");
    let c = create(&api, "", json!({"profile": custom})).await.expect_error(400, "E0000001");
    assert_eq!(c.causes().len(), 2, "{:?}", c.causes());
    assert!(c.causes().iter().all(|c| c.starts_with("employmentType: ") || c.starts_with("clearanceLevel: ")));

    let weak = create(
        &api,
        "",
        json!({"profile": valid_profile("weak@example.com"), "credentials": {"password": {"value": "weakling"}}}),
    )
    .await
    .expect_error(400, "E0000001");
    assert_eq!(weak.body["errorSummary"], "Api validation failed: password");
    assert!(weak.causes()[0].starts_with("password: Password requirements were not met"), "{:?}", weak.causes());

    let bad_hash = create(
        &api,
        "?activate=false",
        json!({"profile": valid_profile("hash@example.com"), "credentials": {"password": {"hash": {"algorithm": "PBKDF2",
            "value": "eKe8/dcL5gvRsMmp7WwxZq0Y7WAodielIcLaelLlgNs=", "salt": "RBDXRWs9", "iterationCount": 10}}}}),
    )
    .await
    .expect_error(400, "E0000001");
    assert!(bad_hash.causes().iter().all(|c| c.starts_with("password: ")), "{:?}", bad_hash.causes());
    assert!(bad_hash.causes().len() >= 3, "iterations, digest and key size: {:?}", bad_hash.causes());

    let groups: Vec<String> = (0..21).map(|i| format!("00g{i:017}")).collect();
    let many = create(&api, "", json!({"profile": valid_profile("many@example.com"), "groupIds": groups})).await;
    many.expect_error(400, "E0000093");
    let missing_group =
        create(&api, "", json!({"profile": valid_profile("g@example.com"), "groupIds": ["00gNOPE0000000000000"]}))
            .await;
    assert!(missing_group.expect_error(400, "E0000001").causes()[0].starts_with("groupIds: "));
    let missing_type =
        create(&api, "", json!({"profile": valid_profile("t@example.com"), "type": {"id": "otyNOPE0000000000000"}}))
            .await;
    assert!(missing_type.expect_error(400, "E0000001").causes()[0].starts_with("type: "));

    let e124 = create(&api, "?nextLogin=changePassword", json!({"profile": valid_profile("e124@example.com")})).await;
    e124.expect_error(400, "E0000124");
    let e125 = create(
        &api,
        "?activate=false&nextLogin=changePassword",
        json!({"profile": valid_profile("e125@example.com"), "credentials": {"password": {"value": "Sturdy-Pass-42"}}}),
    )
    .await;
    e125.expect_error(400, "E0000125");

    let malformed = api
        .send(api.raw().post(api.absolute("/api/v1/users")).header("content-type", "application/json").body("{nope"))
        .await;
    malformed.expect_error(400, "E0000003");
}

#[tokio::test]
async fn partial_update_merges_and_replace_is_the_only_way_to_change_type() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let user = create(&api, "", json!({"profile": valid_profile("upd@example.com")})).await.expect(200).body;
    let id = user["id"].as_str().unwrap();
    let updated =
        api.post(&format!("/api/v1/users/{id}"), json!({"profile": {"city": "Springfield"}})).await.expect(200);
    assert_eq!(updated.body["profile"]["city"], "Springfield");
    assert_eq!(updated.body["profile"]["firstName"], "Robin", "partial keeps the rest");
    assert!(updated.body["_links"]["deactivate"].is_object(), "single-user answer");

    let types = api.get("/api/v1/meta/types/user").await.body;
    let contractor = types.as_array().unwrap().iter().find(|t| t["name"] == "contractor").unwrap()["id"].clone();
    let refused = api.post(&format!("/api/v1/users/{id}"), json!({"type": {"id": contractor}})).await;
    assert!(refused.expect_error(400, "E0000001").causes()[0].starts_with("type: "));

    let replaced = api
        .put(
            &format!("/api/v1/users/{id}"),
            json!({"profile": valid_profile("upd2@example.com"), "type": {"id": contractor}}),
        )
        .await
        .expect(200);
    assert_eq!(replaced.body["type"]["id"], contractor);
    assert!(replaced.body["profile"].get("city").is_none(), "PUT drops what it does not send");
    assert_eq!(replaced.body["profile"]["login"], "upd2@example.com");
    api.get("/api/v1/users/upd@example.com").await.expect_error(404, "E0000007");

    let conflict =
        api.put(&format!("/api/v1/users/{id}"), json!({"profile": valid_profile("admin@example.com")})).await;
    assert_eq!(
        conflict.expect_error(400, "E0000001").causes(),
        ["login: An object with this field already exists in the current organization"]
    );
    let blank = api.put(&format!("/api/v1/users/{id}"), json!({"profile": {"login": "upd2@example.com"}})).await;
    assert_eq!(blank.expect_error(400, "E0000001").causes().len(), 3);
}
