//! The org's data file and synthetic users: state survives a restart and a
//! killed `oktui serve`; synthetic users are deterministic and behave like
//! any other user.

use crate::pty::tempdir;
use crate::support::{Api, TOKEN, org_with, valid_profile};
use oktui::emulator::OrgConfig;
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};

async fn all_ids(api: &Api, first: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut url = first.to_owned();
    loop {
        let page = api.get(&url).await.expect(200);
        ids.extend(page.body.as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()));
        match page.link("next") {
            Some(next) => url = next,
            None => return ids,
        }
    }
}

#[tokio::test]
async fn changes_survive_a_restart_from_the_data_file() {
    let dir = tempdir::Dir::new();
    let file = dir.path.join("org.sqlite");
    let config = OrgConfig::demo(TOKEN).with_users(500).with_data_file(&file);
    let (created, changed, removed, group, before) = {
        let org = org_with(config.clone()).await;
        let api = Api::new(&org);
        let created =
            api.post("/api/v1/users", json!({"profile": valid_profile("kept@example.com")})).await.expect(200);
        let created = created.body["id"].as_str().unwrap().to_owned();
        let page = api.get("/api/v1/users?limit=200").await.expect(200);
        let users = page.body.as_array().unwrap();
        let synth: Vec<_> =
            users.iter().filter(|u| u["profile"]["login"].as_str().unwrap().ends_with("@example.net")).collect();
        let (changed, removed) =
            (synth[0]["id"].as_str().unwrap().to_owned(), synth[1]["id"].as_str().unwrap().to_owned());
        api.post(&format!("/api/v1/users/{changed}"), json!({"profile": {"city": "Persistville"}})).await.expect(200);
        api.delete(&format!("/api/v1/users/{removed}")).await.expect(204);
        api.delete(&format!("/api/v1/users/{removed}")).await.expect(204);
        let group = api.get("/api/v1/groups?q=Sales").await.body[0]["id"].as_str().unwrap().to_owned();
        api.put(&format!("/api/v1/groups/{group}/users/{created}"), json!(null)).await.expect(204);
        let before = all_ids(&api, "/api/v1/users?limit=200").await;
        (created, changed, removed, group, before)
    };
    let org = org_with(config).await;
    let api = Api::new(&org);
    api.get(&format!("/api/v1/users/{created}")).await.expect(200);
    assert_eq!(api.get(&format!("/api/v1/users/{changed}")).await.expect(200).body["profile"]["city"], "Persistville");
    api.get(&format!("/api/v1/users/{removed}")).await.expect_error(404, "E0000007");
    let members = api.get(&format!("/api/v1/groups/{group}/users")).await.expect(200);
    assert!(members.body.as_array().unwrap().iter().any(|u| u["id"] == created.as_str()));
    assert_eq!(all_ids(&api, "/api/v1/users?limit=200").await, before, "the same listing after the restart");
    // New ids keep sorting after the old ones.
    let newer = api.post("/api/v1/users", json!({"profile": valid_profile("newer@example.com")})).await.expect(200);
    assert!(newer.body["id"].as_str().unwrap() > before.iter().max().unwrap().as_str());
}

#[tokio::test]
async fn synthetic_users_are_deterministic_listable_and_findable() {
    let config = OrgConfig::demo(TOKEN).with_users(3000);
    let (a, b) = (org_with(config.clone()).await, org_with(config).await);
    let (api_a, api_b) = (Api::new(&a), Api::new(&b));
    let ids_a = all_ids(&api_a, "/api/v1/users").await;
    let ids_b = all_ids(&api_b, "/api/v1/users").await;
    assert_eq!(ids_a, ids_b, "same seed, same org");
    let unique: HashSet<_> = ids_a.iter().collect();
    assert_eq!(unique.len(), ids_a.len());
    assert!(ids_a.windows(2).all(|w| w[0] < w[1]), "id order");
    assert!(ids_a.len() > 2800, "deprovisioned synthetic users are omitted, the rest listed: {}", ids_a.len());

    let last = api_a.get(&format!("/api/v1/users/{}", ids_a.last().unwrap())).await.expect(200).body;
    let login = last["profile"]["login"].as_str().unwrap().to_owned();
    assert!(login.ends_with("@example.net"));
    assert_eq!(api_a.get(&format!("/api/v1/users/{login}")).await.expect(200).body["id"], last["id"]);
    let short = login.split('@').next().unwrap();
    assert_eq!(api_a.get(&format!("/api/v1/users/{short}")).await.expect(200).body["id"], last["id"]);
    let dup = api_a.post("/api/v1/users", json!({"profile": valid_profile(&login.to_uppercase())})).await;
    dup.expect_error(400, "E0000001");
}

#[test]
fn a_killed_server_keeps_every_answered_change() {
    let dir = tempdir::Dir::new();
    let file = dir.path.join("org.sqlite");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_oktui"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--token", TOKEN, "--users", "100"])
            .arg("--data")
            .arg(&file)
            .args(["--log-file", "/dev/null"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("oktui serve starts")
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}");
    let wait_ready = |client: &reqwest::Client| {
        rt.block_on(async {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let r = client
                    .get(format!("{url}/api/v1/users/me"))
                    .header("authorization", format!("SSWS {TOKEN}"))
                    .send()
                    .await;
                if r.is_ok_and(|r| r.status() == 200) {
                    return;
                }
                assert!(Instant::now() < deadline, "oktui serve did not come up");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let mut server = spawn();
    wait_ready(&client);
    let status = rt.block_on(async {
        client
            .post(format!("{url}/api/v1/users"))
            .header("authorization", format!("SSWS {TOKEN}"))
            .json(&json!({"profile": valid_profile("survivor@example.com")}))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
    server.kill().expect("SIGKILL");
    server.wait().unwrap();

    let mut server = spawn();
    wait_ready(&client);
    let found = rt.block_on(async {
        client
            .get(format!("{url}/api/v1/users/survivor@example.com"))
            .header("authorization", format!("SSWS {TOKEN}"))
            .send()
            .await
            .unwrap()
            .status()
    });
    server.kill().ok();
    server.wait().ok();
    assert_eq!(found, 200, "a change answered before the kill survives it");
}
