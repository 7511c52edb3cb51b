//! The apps a user is assigned, as `GET /users/{id}/appLinks` lists them
//! (API-NOTES §6.6): a handful of demo apps, derived from the user and the
//! org seed like factors, so they cost no memory.

use super::ids::{mix, okta_id};
use super::record::UserRecord;
use serde_json::{Value, json};

/// Label and Okta app name of each demo app.
const APPS: [(&str, &str); 6] = [
    ("Slack", "slack"),
    ("Google Workspace", "google"),
    ("Salesforce.com", "salesforce"),
    ("Zoom", "zoomus"),
    ("GitHub Enterprise Cloud", "githubcloud"),
    ("Workday", "workday"),
];

/// Two to six apps for a user who can sign in at all; none for one never activated.
pub fn app_links(user: &UserRecord, seed: u64, base: &str) -> Vec<Value> {
    if user.activated.is_none() {
        return Vec::new();
    }
    let seq = user.id.seq();
    let h = mix(seed ^ mix(seq ^ 0xA991));
    let first = (h % APPS.len() as u64) as usize;
    let count = 2 + ((h >> 8) % (APPS.len() as u64 - 1)) as usize;
    (0..count)
        .map(|k| (first + k) % APPS.len())
        .enumerate()
        .map(|(order, app)| {
            let (label, name) = APPS[app];
            let instance = okta_id("0oa", app as u64 + 1, seed);
            let assignment = okta_id("0ua", seq * APPS.len() as u64 + app as u64, seed);
            json!({
                "id": assignment,
                "label": label,
                "linkUrl": format!("{base}/home/{name}/{instance}/{}", 2 + app),
                "logoUrl": format!("{base}/assets/img/logos/{name}.png"),
                "appName": name,
                "appInstanceId": instance,
                "appAssignmentId": assignment,
                "credentialsSetup": false,
                "hidden": false,
                "sortOrder": order,
            })
        })
        .collect()
}
