//! A partitioned export returns exactly the sequential export's users (the
//! same ids, the same JSON, none twice), for everyone, a search and a
//! filter, over loopback against an org of a few thousand synthetic users
//! in every status.

use crate::support::{TOKEN, client_for, org_with};
use oktui::emulator::OrgConfig;
use oktui::export::{ExportRequest, Format, Progress, Query, Summary, export};
use oktui::okta::Client;
use std::collections::BTreeSet;

const USERS: u32 = 3_000;

async fn lines(client: &Client, query: Query, parallel: usize) -> (Vec<String>, Summary) {
    let request = ExportRequest::new(query, Format::Jsonl, parallel).expect("valid request");
    let mut out = Vec::new();
    let mut last = None;
    let summary = export(client, &request, &mut out, |p: &Progress| last = Some(p.clone())).await.expect("export");
    let last = last.expect("progress reported");
    assert_eq!((last.users, last.pages), (summary.users, summary.pages), "the last report is the final count");
    let text = String::from_utf8(out).expect("utf-8");
    (text.lines().map(str::to_owned).collect(), summary)
}

fn id(line: &str) -> String {
    let user: serde_json::Value = serde_json::from_str(line).expect("each line is one JSON object");
    user["id"].as_str().expect("id").to_owned()
}

/// Exports `query` both ways and checks that the two sets are equal.
/// Returns the sequential lines and the partitioned summary.
async fn same_both_ways(client: &Client, query: Query) -> (Vec<String>, Summary) {
    let (sequential, one) = lines(client, query.clone(), 1).await;
    assert_eq!(one.partitions, 0, "parallel 1 pages the query as is");
    for parallel in [4, 8] {
        let (partitioned, summary) = lines(client, query.clone(), parallel).await;
        let ids: Vec<String> = partitioned.iter().map(|l| id(l)).collect();
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{query:?} x{parallel}: a user exported twice");
        let expected: BTreeSet<&String> = sequential.iter().collect();
        let got: BTreeSet<&String> = partitioned.iter().collect();
        let missing: Vec<_> = expected.difference(&got).map(|l| id(l)).collect();
        let extra: Vec<_> = got.difference(&expected).map(|l| id(l)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{query:?} x{parallel}: missing {missing:?}, extra {extra:?}");
        assert_eq!(summary.users as usize, partitioned.len());
        if sequential.len() > 200 {
            assert!(summary.partitions > 1, "{query:?} x{parallel}: not partitioned: {summary:?}");
        }
    }
    (sequential, one)
}

#[tokio::test]
async fn everyone_partitioned_equals_the_plain_listing() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(1_000_000)).await;
    let client = client_for(&org);
    let (users, summary) = same_both_ways(&client, Query::All).await;
    let statuses: BTreeSet<String> = users
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["status"].as_str().unwrap().to_owned())
        .collect();
    assert!(statuses.len() >= 6, "several statuses: {statuses:?}");
    assert!(!statuses.contains("DEPROVISIONED"), "a plain listing omits DEPROVISIONED users");
    let total = org.org.read().user_count();
    assert!(users.len() > 2_500 && users.len() < total, "{} of {total}", users.len());
    assert_eq!(summary.users as usize, users.len());
}

#[tokio::test]
async fn a_search_partitioned_equals_the_search() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(1_000_000)).await;
    let client = client_for(&org);
    let search = r#"profile.department eq "engineering" or status eq "DEPROVISIONED""#;
    let (users, _) = same_both_ways(&client, Query::Search(search.into())).await;
    assert!(users.len() > 300, "{}", users.len());
    assert!(users.iter().any(|l| l.contains(r#""status":"DEPROVISIONED""#)), "a search includes DEPROVISIONED users");
    // A search that fits in one page.
    let (few, _) = same_both_ways(&client, Query::Search(r#"profile.lastName sw "zz""#.into())).await;
    assert!(few.len() < 200, "{}", few.len());
}

#[tokio::test]
async fn a_filter_partitioned_equals_the_filter_case_sensitively() {
    let org = org_with(OrgConfig::demo(TOKEN).with_users(USERS).with_rate_limit(1_000_000)).await;
    let client = client_for(&org);
    let (users, _) =
        same_both_ways(&client, Query::Filter(r#"status eq "ACTIVE" or status eq "DEPROVISIONED""#.into())).await;
    assert!(users.len() > 2_000, "{}", users.len());
    // A filter compares values exactly: this one matches nobody, although
    // the same expression as a search (what partitions send) matches most.
    let (none, _) = same_both_ways(&client, Query::Filter(r#"status eq "active""#.into())).await;
    assert!(none.is_empty(), "{}", none.len());
}

#[tokio::test]
async fn expressions_are_checked_before_anything_is_sent() {
    let bad = ExportRequest::new(Query::Search(r#"status eq"#.into()), Format::Jsonl, 4).unwrap_err();
    assert!(bad.to_string().contains("--search expression is not valid"), "{bad}");
    let filter =
        ExportRequest::new(Query::Filter(r#"profile.department eq "x""#.into()), Format::Jsonl, 1).unwrap_err();
    assert!(filter.to_string().contains("--filter expression is not valid"), "{filter}");
    let parallel = ExportRequest::new(Query::All, Format::Jsonl, 0).unwrap_err();
    assert!(parallel.to_string().contains("--parallel 0"), "{parallel}");
}
