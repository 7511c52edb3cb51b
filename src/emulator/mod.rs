//! The embedded Okta-compatible org: `oktui serve`, `oktui --demo`, and the
//! server every test and benchmark talks to.
//!
//! It shares no code with the client in `okta/`: it is a second, independent
//! reading of Okta's API, so the two check each other.

pub mod http;
pub mod ids;
mod lifecycle;
pub mod record;
pub mod seed;
pub mod store;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use store::Store;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How to start an org.
#[derive(Clone)]
pub struct OrgConfig {
    /// The API token clients must present.
    pub token: String,
    /// Load `assets/demo-org.json`.
    pub seed_demo: bool,
}

impl std::fmt::Debug for OrgConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrgConfig").field("seed_demo", &self.seed_demo).finish_non_exhaustive()
    }
}

impl OrgConfig {
    pub fn demo(token: impl Into<String>) -> Self {
        Self { token: token.into(), seed_demo: true }
    }
}

/// A running org's shared state.
pub struct Org {
    store: RwLock<Store>,
    token: String,
}

impl Org {
    pub fn new(config: &OrgConfig) -> Self {
        let mut store = Store::new(0x0c7a);
        if config.seed_demo {
            seed::load(&mut store, &seed::demo_org());
        }
        Self { store: RwLock::new(store), token: config.token.clone() }
    }

    // A handler that panicked while holding the lock leaves the store as it
    // was at the panic; serving it is better than failing every request.
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|p| p.into_inner())
    }

    fn token_matches(&self, presented: &str) -> bool {
        !self.token.is_empty() && presented == self.token
    }
}

/// An org serving on a socket until dropped.
pub struct RunningOrg {
    pub addr: SocketAddr,
    pub org: Arc<Org>,
    task: JoinHandle<()>,
}

impl RunningOrg {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningOrg {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `listen` (port 0 picks a free port) and serves on a background task.
pub async fn start(config: &OrgConfig, listen: SocketAddr) -> std::io::Result<RunningOrg> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let org = Arc::new(Org::new(config));
    let app = http::router(org.clone());
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("embedded org stopped: {e}");
        }
    });
    Ok(RunningOrg { addr, org, task })
}

/// Serves in the foreground until the process is stopped.
pub async fn serve(config: &OrgConfig, listener: TcpListener) -> std::io::Result<()> {
    let org = Arc::new(Org::new(config));
    axum::serve(listener, http::router(org)).await
}
