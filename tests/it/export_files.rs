//! Exports to files: CSV columns and quoting, and a failed export (the org
//! stopped midway) that leaves no file behind and says why.

use crate::pty::tempdir;
use crate::support::{Api, TOKEN, client_for, org_with};
use oktui::emulator::{Faults, OrgConfig};
use oktui::export::{Column, Error, ExportRequest, Format, Progress, Query, export_to_file};
use oktui::okta::{Client, ClientConfig, OrgUrl, RetryPolicy, Secret};
use serde_json::json;
use std::time::Duration;

fn columns(names: &[&str]) -> Format {
    Format::Csv(names.iter().map(|n| Column::parse(n).expect("column")).collect())
}

#[tokio::test]
async fn csv_has_a_header_the_chosen_columns_and_rfc4180_quoting() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(500).with_rate_limit(1_000_000)).await;
    let api = Api::new(&org);
    let created = api
        .post(
            "/api/v1/users?activate=false",
            json!({"profile": {"firstName": "Quote \"Q\"", "lastName": "Comma, Jr.", "login": "q.comma@example.com",
                   "email": "q.comma@example.com", "title": "line one\nline two"}}),
        )
        .await
        .expect(200);
    let id = created.body["id"].as_str().expect("id").to_owned();
    let client = client_for(&org);
    let dir = tempdir::Dir::new();
    let path = dir.path.join("users.csv");
    let request = ExportRequest::new(
        Query::Search(r#"profile.login sw "q.comma""#.into()),
        columns(&["id", "status", "profile.firstName", "profile.lastName", "profile.title", "profile.nickName"]),
        1,
    )
    .expect("request");
    let summary = export_to_file(&client, &request, &path, |_: &Progress| {}).await.expect("export");
    assert_eq!(summary.users, 1);
    let text = std::fs::read_to_string(&path).expect("file");
    assert_eq!(
        text,
        format!(
            "id,status,profile.firstName,profile.lastName,profile.title,profile.nickName\r\n\
             {id},STAGED,\"Quote \"\"Q\"\"\",\"Comma, Jr.\",\"line one\nline two\",\r\n"
        )
    );

    // Every user, partitioned: one row each plus the header, same ids as JSON lines.
    let csv = dir.path.join("all.csv");
    let jsonl = dir.path.join("all.jsonl");
    let all = ExportRequest::new(Query::All, columns(&["id"]), 4).expect("request");
    export_to_file(&client, &all, &csv, |_: &Progress| {}).await.expect("csv");
    let all = ExportRequest::new(Query::All, Format::Jsonl, 1).expect("request");
    export_to_file(&client, &all, &jsonl, |_: &Progress| {}).await.expect("jsonl");
    let mut csv_ids: Vec<String> = std::fs::read_to_string(&csv)
        .unwrap()
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let mut json_ids: Vec<String> = std::fs::read_to_string(&jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned())
        .collect();
    csv_ids.sort();
    json_ids.sort();
    assert!(json_ids.len() > 450, "{}", json_ids.len());
    assert_eq!(csv_ids, json_ids);
}

fn impatient_client(url: &str) -> Client {
    let mut config = ClientConfig::new(OrgUrl::parse(url).expect("url"), Secret::new(TOKEN));
    config.retry = RetryPolicy { max_retries: 0, ..RetryPolicy::default() };
    config.request_timeout = Some(Duration::from_secs(5));
    Client::new(config).expect("client")
}

#[tokio::test]
async fn an_org_that_stops_midway_leaves_no_file_and_a_clear_error() {
    for parallel in [1, 4] {
        let mut org = org_with(
            OrgConfig::demo(TOKEN)
                .with_users(4_000)
                .with_rate_limit(1_000_000)
                .with_faults(Faults { latency_ms: 30, ..Faults::default() }),
        )
        .await;
        let client = impatient_client(&org.url());
        let dir = tempdir::Dir::new();
        let path = dir.path.join("users.jsonl");
        let (pages_tx, mut pages_rx) = tokio::sync::mpsc::unbounded_channel();
        let export = {
            let path = path.clone();
            tokio::spawn(async move {
                let request = ExportRequest::new(Query::All, Format::Jsonl, parallel).expect("request");
                export_to_file(&client, &request, &path, |p: &Progress| {
                    let _ = pages_tx.send(p.users);
                })
                .await
            })
        };
        // Stop once users have been written, well before the end.
        loop {
            let users = pages_rx.recv().await.expect("progress before the end");
            if users > 0 {
                break;
            }
        }
        org.stop().await;
        let error = export.await.expect("task").expect_err("the export must fail");
        let Error::Org { users, .. } = &error else { panic!("not an org error: {error}") };
        assert!(*users > 0 && *users < 3_500, "{users}");
        let message = error.to_string();
        assert!(message.contains("the export stopped after") && message.contains("cannot reach the org"), "{message}");
        let left: Vec<_> = std::fs::read_dir(&dir.path).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "parallel {parallel}: files left behind: {left:?}");
    }
}

#[tokio::test]
async fn a_failed_export_keeps_the_previous_file() {
    let mut org = org_with(OrgConfig::demo(TOKEN)).await;
    let url = org.url();
    org.stop().await;
    let dir = tempdir::Dir::new();
    let path = dir.path.join("users.jsonl");
    std::fs::write(&path, "previous\n").unwrap();
    let request = ExportRequest::new(Query::All, Format::Jsonl, 1).expect("request");
    let error = export_to_file(&impatient_client(&url), &request, &path, |_: &Progress| {}).await.expect_err("no org");
    assert!(matches!(error, Error::Org { users: 0, .. }), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous\n");
    assert_eq!(std::fs::read_dir(&dir.path).unwrap().count(), 1, "no temporary file left");
}
