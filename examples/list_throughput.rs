//! Pages through every user of an org with `limit=200`, following `Link:
//! rel="next"`, and prints users per second. One client, one connection.
//!
//! `cargo run --release --example list_throughput -- URL TOKEN`
//! (see `scripts/measure-org` for the full measurement).

use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(base), Some(token)) = (args.next(), args.next()) else {
        eprintln!("usage: list_throughput ORG_URL TOKEN");
        std::process::exit(2);
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().build()?;
    let mut url = format!("{base}/api/v1/users?limit=200");
    let (mut users, mut pages) = (0usize, 0usize);
    let started = Instant::now();
    loop {
        let resp = client.get(&url).header("authorization", format!("SSWS {token}")).send().await?;
        let next = resp
            .headers()
            .get_all("link")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.ends_with("rel=\"next\""))
            .and_then(|v| v.split_once('>'))
            .map(|(u, _)| u.trim_start_matches('<').to_owned());
        let body: Vec<serde_json::Value> = resp.json().await?;
        users += body.len();
        pages += 1;
        match next {
            Some(n) => url = n,
            None => break,
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!("listed {users} users in {pages} pages in {secs:.2} s: {:.0} users/s", users as f64 / secs);
    Ok(())
}
