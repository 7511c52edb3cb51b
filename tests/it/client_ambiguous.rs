//! An ambiguous create against the embedded org: a proxy forwards the first
//! `POST /api/v1/users` but drops its answer, so the user exists while the
//! client only sees a broken connection. (Move to the org's `--drop-rate`
//! knob once it lands.)

use crate::support::{TOKEN, client_for, demo_org};
use oktui::okta::{Client, ClientConfig, CreateUser, OrgUrl, Secret};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads one request (head and `content-length` body); `None` at EOF.
async fn read_request(socket: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = socket.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(buf)
}

/// One request upstream on its own connection, asking it to close after.
async fn forward(upstream: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut conn = TcpStream::connect(upstream).await.unwrap();
    let split = request.windows(2).position(|w| w == b"\r\n").unwrap() + 2;
    conn.write_all(&request[..split]).await.unwrap();
    conn.write_all(b"connection: close\r\n").await.unwrap();
    conn.write_all(&request[split..]).await.unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).await.unwrap();
    answer
}

/// Drops the first create: after the org acted on it (`reaches_org`), or
/// before it ever got there.
async fn dropping_proxy(
    upstream: SocketAddr,
    dropped: Arc<AtomicBool>,
    creates: Arc<AtomicU32>,
    reaches_org: bool,
) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let (dropped, creates) = (dropped.clone(), creates.clone());
            tokio::spawn(async move {
                let Some(request) = read_request(&mut client).await else { return };
                let is_create = request.starts_with(b"POST /api/v1/users?");
                if is_create {
                    creates.fetch_add(1, Ordering::SeqCst);
                    if !dropped.swap(true, Ordering::SeqCst) {
                        if reaches_org {
                            // The org acts; the client never hears of it.
                            forward(upstream, &request).await;
                        }
                        return;
                    }
                }
                let answer = forward(upstream, &request).await;
                let _ = client.write_all(&answer).await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_returns_the_user_the_org_created() {
    let org = demo_org().await;
    let (dropped, creates) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU32::new(0)));
    let proxy = dropping_proxy(org.addr, dropped.clone(), creates.clone(), true).await;
    let client =
        Client::new(ClientConfig::new(OrgUrl::parse(&format!("http://{proxy}")).unwrap(), Secret::new(TOKEN))).unwrap();

    let login = "lost.in.transit@example.com";
    let create = CreateUser::new(
        json!({"firstName": "Lost", "lastName": "Answer", "email": login, "login": login})
            .as_object()
            .cloned()
            .unwrap(),
    );
    let user = client.create_user(&create).await.unwrap();
    assert!(dropped.load(Ordering::SeqCst), "the answer was dropped");
    assert_eq!(creates.load(Ordering::SeqCst), 1, "the create was sent once, never repeated");
    assert_eq!(user.login(), login);
    let direct = client_for(&org).get_user(login).await.unwrap();
    assert_eq!(direct.id(), user.id(), "the user the org holds");
}

#[tokio::test]
async fn a_create_lost_before_the_org_saw_it_is_sent_once_more() {
    let org = demo_org().await;
    let (dropped, creates) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU32::new(0)));
    let proxy = dropping_proxy(org.addr, dropped.clone(), creates.clone(), false).await;
    let client =
        Client::new(ClientConfig::new(OrgUrl::parse(&format!("http://{proxy}")).unwrap(), Secret::new(TOKEN))).unwrap();
    let login = "never.arrived@example.com";
    let create = CreateUser::new(
        json!({"firstName": "Never", "lastName": "Arrived", "email": login, "login": login})
            .as_object()
            .cloned()
            .unwrap(),
    );
    let user = client.create_user(&create).await.unwrap();
    assert!(dropped.load(Ordering::SeqCst));
    assert_eq!(creates.load(Ordering::SeqCst), 2, "looked up, found absent, sent once more");
    assert_eq!(client_for(&org).get_user(login).await.unwrap().id(), user.id());
}
