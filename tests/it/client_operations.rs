//! Lifecycle, credentials, groups, types, schema and updates, against
//! wiremock until the embedded org serves them: each test pins the request
//! Okta documents (API-NOTES §1.4–1.6, §6) and reads the documented answer.

use crate::client_support::{fast_client, user_json};
use futures::StreamExt;
use oktui::okta::{GroupQuery, LifecycleOp, LifecycleOptions, Link, PageStart, Secret, USER_AGENT, User, UserQuery};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn lifecycle_ops_post_to_their_paths_with_options_and_return_their_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/lifecycle/activate"))
        .and(query_param("sendEmail", "false"))
        .and(header("user-agent", USER_AGENT))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"activationUrl": "https://x/welcome/ACT-TOKEN", "activationToken": "ACT-TOKEN"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/lifecycle/expire_password_with_temp_password"))
        .and(query_param("revokeSessions", "true"))
        .and(query_param_is_missing("sendEmail"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tempPassword": "F46gy7X4"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/lifecycle/suspend"))
        .and(header("content-length", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/credentials/forgot_password"))
        .and(query_param("sendEmail", "false"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"resetPasswordUrl": "https://x/signin/reset-password/RST"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let no_email = LifecycleOptions { send_email: Some(false), revoke_sessions: Some(true) };

    let out = client.run_lifecycle("00u1", LifecycleOp::Activate, &no_email).await.unwrap();
    assert_eq!(out.activation_token.as_ref().map(Secret::expose), Some("ACT-TOKEN"));
    assert_eq!(out.activation_url.as_ref().map(Secret::expose), Some("https://x/welcome/ACT-TOKEN"));
    let out = client.run_lifecycle("00u1", LifecycleOp::ExpirePasswordWithTempPassword, &no_email).await.unwrap();
    assert_eq!(out.temp_password.unwrap().expose(), "F46gy7X4");
    let out = client.run_lifecycle("00u1", LifecycleOp::Suspend, &no_email).await.unwrap();
    assert!(out.user.is_none() && out.temp_password.is_none());
    let out = client.forgot_password("00u1", false).await.unwrap();
    assert_eq!(out.reset_password_url.unwrap().expose(), "https://x/signin/reset-password/RST");
}

#[tokio::test]
async fn advertised_links_are_followed_as_given() {
    let server = MockServer::start().await;
    let mut expired = user_json("00u1", "a@example.com");
    expired["status"] = json!("PASSWORD_EXPIRED");
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/lifecycle/expire_password"))
        .respond_with(ResponseTemplate::new(200).set_body_json(expired))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/users/00u1"))
        .and(query_param("sendEmail", "true"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let link = |rel: &str, tail: &str, m: &str| Link {
        rel: rel.into(),
        href: format!("{}/api/v1/users/00u1{tail}", server.uri()),
        method: Some(m.into()),
    };
    let out = client
        .run_link(&link("expirePassword", "/lifecycle/expire_password", "POST"), &Default::default())
        .await
        .unwrap();
    assert_eq!(out.user.unwrap().status_str(), "PASSWORD_EXPIRED");
    let email = LifecycleOptions { send_email: Some(true), revoke_sessions: None };
    client.run_link(&link("delete", "", "DELETE"), &email).await.unwrap();
}

#[tokio::test]
async fn delete_is_two_deletes_and_a_missing_second_is_fine() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/users/00u1"))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/users/00u1"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"errorCode": "E0000007", "errorSummary": "Not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    fast_client(&server).run_lifecycle("00u1", LifecycleOp::Delete, &Default::default()).await.unwrap();
}

#[tokio::test]
async fn credentials_changes_send_the_documented_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/credentials/change_password"))
        .and(body_json(
            json!({"oldPassword": {"value": "old-pw"}, "newPassword": {"value": "new-pw"}, "revokeSessions": true}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1/credentials/change_recovery_question"))
        .and(body_json(json!({"password": {"value": "pw"}, "recovery_question": {"question": "Q?", "answer": "A"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"recovery_question": {"question": "Q?"}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let creds = client.change_password("00u1", &"old-pw".into(), &"new-pw".into(), true).await.unwrap();
    assert!(creds.contains_key("password"));
    let creds = client.change_recovery_question("00u1", &"pw".into(), "Q?", &"A".into()).await.unwrap();
    assert_eq!(creds["recovery_question"]["question"], "Q?");
}

#[tokio::test]
async fn update_posts_a_partial_profile_and_replace_puts_the_whole() {
    let server = MockServer::start().await;
    let profile = json!({"nickName": "Ada"}).as_object().cloned().unwrap();
    Mock::given(method("POST"))
        .and(path("/api/v1/users/00u1"))
        .and(body_json(json!({"profile": {"nickName": "Ada"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("00u1", "a@example.com")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v1/users/00u1"))
        .and(body_json(json!({"profile": {"nickName": "Ada"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(user_json("00u1", "a@example.com")))
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server);
    assert_eq!(client.update_user("00u1", &profile).await.unwrap().id(), "00u1");
    assert_eq!(client.replace_user("00u1", &profile).await.unwrap().id(), "00u1");
}

fn group(id: &str, name: &str) -> serde_json::Value {
    json!({"id": id, "type": "OKTA_GROUP", "profile": {"name": name, "description": null}, "_links": {"logo": [{"name": "medium", "href": "https://x/logo.png", "type": "image/png"}]}})
}

#[tokio::test]
async fn groups_page_like_users_and_membership_changes() {
    let server = MockServer::start().await;
    let next = format!("{}/api/v1/groups?after=00g2&limit=2", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/v1/groups"))
        .and(query_param("search", "type eq \"OKTA_GROUP\""))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([group("00g1", "One"), group("00g2", "Two")]))
                .append_header("link", format!("<{next}>; rel=\"next\"").as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/groups"))
        .and(query_param("after", "00g2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([group("00g3", "Three")])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/users/00u1/groups"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([group("00g1", "One")])))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/v1/groups/00g1/users/00u1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v1/groups/00g1/users/00u1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let query = GroupQuery { search: Some("type eq \"OKTA_GROUP\"".into()), limit: Some(2), ..Default::default() };
    let pages: Vec<_> = client.list_groups(query).collect().await;
    let names: Vec<String> = pages.into_iter().flat_map(|p| p.unwrap().items).map(|g| g.name().to_owned()).collect();
    assert_eq!(names, ["One", "Two", "Three"]);
    let mine = client.user_groups("00u1").await.unwrap();
    assert_eq!((mine[0].id(), mine[0].kind(), mine[0].description()), ("00g1", "OKTA_GROUP", None));
    assert_eq!(mine[0].links()[0].rel, "logo");
    client.add_user_to_group("00g1", "00u1").await.unwrap();
    client.remove_user_from_group("00g1", "00u1").await.unwrap();
}

#[tokio::test]
async fn user_types_and_schema() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/meta/types/user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "oty1", "name": "user", "displayName": "User", "default": true},
            {"id": "oty2", "name": "contractor", "displayName": "Contractor", "default": false}
        ])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/meta/schemas/user/default"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "definitions": {"base": {"properties": {"login": {"title": "Username", "type": "string"}}, "required": ["login"]},
                            "custom": {"properties": {"badge": {"title": "Badge", "type": "integer"}}}}
        })))
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let types = client.list_user_types().await.unwrap();
    assert_eq!(types.iter().filter(|t| t.default()).map(|t| t.name()).collect::<Vec<_>>(), ["user"]);
    let attrs = client.get_user_schema("default").await.unwrap().attributes();
    assert_eq!(
        attrs.iter().map(|a| (a.name.as_str(), a.required, a.custom)).collect::<Vec<_>>(),
        [("login", true, false), ("badge", false, true)]
    );
}

#[tokio::test]
async fn a_user_is_fetched_by_login_with_its_lifecycle_offers() {
    let server = MockServer::start().await;
    let mut body = user_json("00u1", "a+b@example.com");
    body["_links"] = json!({"suspend": {"href": "x", "method": "POST"}, "resetPassword": {"href": "x", "method": "POST"},
                            "expirePassword": {"href": "x", "method": "POST"}, "self": {"href": "x"}});
    Mock::given(method("GET"))
        .and(path("/api/v1/users/a+b@example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let user: User = fast_client(&server).get_user("a+b@example.com").await.unwrap();
    assert_eq!(
        LifecycleOp::offered(&user),
        [
            LifecycleOp::Suspend,
            LifecycleOp::ResetPassword,
            LifecycleOp::ExpirePassword,
            LifecycleOp::ExpirePasswordWithTempPassword
        ]
    );
}

#[tokio::test]
async fn dropping_a_user_stream_stops_fetching() {
    let server = MockServer::start().await;
    let next = format!("{}/api/v1/users?after=more&limit=1", server.uri());
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([user_json("00u1", "a@example.com")]))
                .append_header("link", format!("<{next}>; rel=\"next\"").as_str()),
        )
        .mount(&server)
        .await;
    let client = fast_client(&server);
    {
        let mut stream = Box::pin(client.list_users(UserQuery::default().with_limit(1)));
        for _ in 0..3 {
            stream.next().await.unwrap().unwrap();
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "no page fetched after the drop");
    // The first page goes through the query, the rest through the link.
    let page = client.list_users_page(PageStart::Next(&next.parse().unwrap())).await.unwrap();
    assert!(page.next.is_some());
}
