//! Lifecycle and credential operations in the embedded org: results,
//! valid-from statuses with Okta's codes, delete in two steps.

use crate::support::{Api, demo_org, valid_profile};
use serde_json::{Value, json};

async fn user(api: &Api, login: &str, query: &str, password: bool) -> String {
    let mut body = json!({"profile": valid_profile(login)});
    if password {
        body["credentials"] = json!({"password": {"value": "Sturdy-Pass-42"},
            "recovery_question": {"question": "Favourite fictional city?", "answer": "Springfield"}});
    }
    let reply = api.post(&format!("/api/v1/users{query}"), body).await.expect(200);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn status(api: &Api, id: &str) -> Value {
    api.get(&format!("/api/v1/users/{id}")).await.expect(200).body["status"].clone()
}

#[tokio::test]
async fn activation_returns_a_token_only_without_email_and_refuses_active_users() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let staged = user(&api, "act@example.com", "?activate=false", false).await;
    let reply = api.post_empty(&format!("/api/v1/users/{staged}/lifecycle/activate?sendEmail=false")).await.expect(200);
    assert!(reply.body["activationToken"].is_string());
    assert!(reply.body["activationUrl"].as_str().unwrap().starts_with(&org.url()));
    assert_eq!(status(&api, &staged).await, "PROVISIONED", "no password: the user must finish activation");

    let with_pw = user(&api, "act2@example.com", "?activate=false", true).await;
    let quiet = api.post_empty(&format!("/api/v1/users/{with_pw}/lifecycle/activate")).await.expect(200);
    assert_eq!(quiet.body, json!({}), "sendEmail defaults to true: no token");
    assert_eq!(status(&api, &with_pw).await, "ACTIVE");
    let again =
        api.post_empty(&format!("/api/v1/users/{with_pw}/lifecycle/activate")).await.expect_error(403, "E0000016");
    assert_eq!(again.body["errorSummary"], "Activation failed because the user is already active");

    let react = api.post_empty(&format!("/api/v1/users/{staged}/lifecycle/reactivate")).await.expect(200);
    assert!(react.body["activationToken"].is_string(), "reactivate defaults to sendEmail=false");
    api.post_empty(&format!("/api/v1/users/{with_pw}/lifecycle/reactivate")).await.expect_error(403, "E0000038");
}

#[tokio::test]
async fn suspend_unlock_reset_and_expire_follow_the_status_machine() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let id = user(&api, "cycle@example.com", "", true).await;
    let op = |name: &str| format!("/api/v1/users/{id}/lifecycle/{name}");

    api.post_empty(&op("unsuspend")).await.expect_error(400, "E0000001");
    let unlock = api.post_empty(&op("unlock")).await.expect_error(403, "E0000032");
    assert_eq!(unlock.causes(), ["The user is not locked out."]);

    api.post_empty(&op("suspend")).await.expect(200);
    assert_eq!(status(&api, &id).await, "SUSPENDED");
    api.post_empty(&op("suspend")).await.expect_error(400, "E0000001");
    api.post_empty(&op("unsuspend")).await.expect(200);
    assert_eq!(status(&api, &id).await, "ACTIVE");

    api.post_empty(&format!("/emulator/v1/users/{id}/lock")).await.expect(200);
    assert_eq!(status(&api, &id).await, "LOCKED_OUT");
    api.post_empty(&op("unlock")).await.expect(200);
    assert_eq!(status(&api, &id).await, "ACTIVE");

    let expired = api.post_empty(&op("expire_password")).await.expect(200);
    assert_eq!(expired.body["status"], "PASSWORD_EXPIRED", "expire_password returns the user");
    assert!(expired.body["_links"].is_object());

    let temp = api.post_empty(&op("expire_password_with_temp_password")).await.expect(200);
    assert!(temp.body["tempPassword"].as_str().is_some_and(|t| !t.is_empty()));

    let reset = api.post_empty(&format!("{}?sendEmail=false", op("reset_password"))).await.expect(200);
    assert!(reset.body["resetPasswordUrl"].as_str().unwrap().contains("/reset_password/"));
    assert_eq!(status(&api, &id).await, "RECOVERY");
    api.post_empty(&op("reset_factors")).await.expect(200);
    api.post_empty(&op("suspend")).await.expect_error(400, "E0000001");
    api.post_empty(&op("nonsense")).await.expect_error(404, "E0000008");
}

#[tokio::test]
async fn lifecycle_posts_accept_any_or_no_content_type() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let id = user(&api, "ctype@example.com", "", true).await;
    let url = api.absolute(&format!("/api/v1/users/{id}/lifecycle/suspend"));
    api.send(api.raw().post(&url).header("content-type", "text/plain").body("")).await.expect(200);
    let url = api.absolute(&format!("/api/v1/users/{id}/lifecycle/unsuspend"));
    api.send(api.raw().post(&url).header("content-type", "application/json").header("content-length", "0"))
        .await
        .expect(200);
}

#[tokio::test]
async fn credential_operations_check_passwords_and_statuses() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let id = user(&api, "creds@example.com", "", true).await;
    let cred = |name: &str| format!("/api/v1/users/{id}/credentials/{name}");

    let forgot = api.post_empty(&format!("{}?sendEmail=false", cred("forgot_password"))).await.expect(200);
    assert!(forgot.body["resetPasswordUrl"].as_str().unwrap().contains("/signin/reset-password/"));

    let wrong = api
        .post(
            &cred("change_password"),
            json!({"oldPassword": {"value": "Wrong-Pass-1"}, "newPassword": {"value": "Newer-Pass-77"}}),
        )
        .await
        .expect_error(403, "E0000014");
    assert!(wrong.causes()[0].starts_with("oldPassword: "));
    let weak = api
        .post(
            &cred("change_password"),
            json!({"oldPassword": {"value": "Sturdy-Pass-42"}, "newPassword": {"value": "short"}}),
        )
        .await
        .expect_error(403, "E0000014");
    assert!(weak.causes()[0].starts_with("password: Password requirements were not met"));
    let changed = api
        .post(
            &cred("change_password"),
            json!({"oldPassword": {"value": "Sturdy-Pass-42"}, "newPassword": {"value": "Newer-Pass-77"}}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["password"], json!({}));
    assert_eq!(changed.body["provider"]["type"], "OKTA");

    let rq = api
        .post(
            &cred("change_recovery_question"),
            json!({"password": {"value": "Newer-Pass-77"}, "recovery_question": {"question": "First pet?", "answer": "Rex the dog"}}),
        )
        .await
        .expect(200);
    assert_eq!(rq.body["recovery_question"], json!({"question": "First pet?"}));

    let no_pw = user(&api, "nopw@example.com", "", false).await;
    api.post_empty(&format!("/api/v1/users/{no_pw}/credentials/forgot_password")).await.expect_error(403, "E0000034");
    api.post(
        &format!("/api/v1/users/{no_pw}/credentials/change_password"),
        json!({"oldPassword": {"value": "x"}, "newPassword": {"value": "Newer-Pass-77"}}),
    )
    .await
    .expect_error(403, "E0000035");
}

#[tokio::test]
async fn delete_deactivates_then_deletes_then_404() {
    let org = demo_org().await;
    let api = Api::new(&org);
    let id = user(&api, "bye@example.com", "", true).await;
    let first = api.delete(&format!("/api/v1/users/{id}")).await.expect(204);
    assert!(first.text.is_empty());
    assert_eq!(status(&api, &id).await, "DEPROVISIONED");
    let listed: Vec<Value> = api.get("/api/v1/users").await.body.as_array().unwrap().clone();
    assert!(!listed.iter().any(|u| u["id"] == id.as_str()), "plain list omits DEPROVISIONED");
    api.post_empty(&format!("/api/v1/users/{id}/lifecycle/deactivate")).await.expect_error(403, "E0000038");
    api.delete(&format!("/api/v1/users/{id}")).await.expect(204);
    api.get(&format!("/api/v1/users/{id}")).await.expect_error(404, "E0000007");
    api.delete(&format!("/api/v1/users/{id}")).await.expect_error(404, "E0000007");
    // The login is free again.
    user(&api, "bye@example.com", "", false).await;
}
