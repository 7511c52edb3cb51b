//! Shared test helpers: an embedded org on loopback and a client for it.

use oktui::emulator::{self, OrgConfig, RunningOrg};
use oktui::okta::{Client, ClientConfig, OrgUrl, Secret};

pub const TOKEN: &str = "test-token-0123456789";

pub async fn demo_org() -> RunningOrg {
    emulator::start(&OrgConfig::demo(TOKEN), ([127, 0, 0, 1], 0).into()).await.expect("org starts")
}

pub fn client_for(org: &RunningOrg) -> Client {
    let url = OrgUrl::parse(&org.url()).expect("loopback url");
    Client::new(ClientConfig::new(url, Secret::new(TOKEN))).expect("client")
}
