//! The embedded Okta-compatible org: `oktui serve`, `oktui --demo`, and the
//! server every test and benchmark talks to.
//!
//! It shares no code with the client in `okta/`: it is a second, independent
//! reading of Okta's API, so the two check each other. Only the search and
//! filter expression parser (`expr/`) is shared.

pub mod applinks;
mod config;
pub mod dpop;
pub mod factors;
pub mod http;
pub mod ids;
pub mod lifecycle;
pub mod listen;
pub mod oauth;
pub mod query;
pub mod ratelimit;
pub mod record;
pub mod schema;
mod search;
pub mod seed;
mod server;
pub mod sessions;
pub mod stats;
pub mod store;
pub mod synthetic;
pub mod syslog;

pub use config::{Faults, OrgConfig, RateLimits, ServiceApp};

use ratelimit::RateLimiter;
use schema::UserSchema;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use store::Store;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running org's shared state.
pub struct Org {
    store: RwLock<Store>,
    token: String,
    schema: UserSchema,
    faults: RwLock<Faults>,
    rate: RateLimiter,
    stats: stats::Stats,
    oauth: oauth::OAuth,
    searches: query::SearchCache,
    sessions: sessions::SessionLog,
    /// The System Log's generated past (recorded events are in the store).
    history: syslog::history::History,
    /// Panics caught while serving: each one is a bug, answered 500.
    panics: AtomicU64,
}

impl std::fmt::Debug for Org {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Org").field("users", &self.read().user_count()).finish_non_exhaustive()
    }
}

fn build_store(config: &OrgConfig) -> Result<Store, store::StoreError> {
    let mut store = Store::new(config.seed);
    if config.seed_demo {
        seed::load(&mut store, &seed::demo_org())?;
    } else {
        seed::load_minimal(&mut store)?;
    }
    store.add_synthetic(config.synthetic_users);
    store.history_end = ids::now_millis();
    Ok(store)
}

impl Org {
    pub fn new(config: &OrgConfig) -> Result<Self, store::StoreError> {
        let store = match &config.data_file {
            Some(path) => Store::open(path, || build_store(config))?,
            None => build_store(config)?,
        };
        let mut schema =
            UserSchema { created: ids::parse_millis("2023-01-01T08:00:00.000Z").unwrap_or(0), ..UserSchema::default() };
        if config.seed_demo {
            schema.custom = seed::demo_org().custom_properties;
        }
        let history = syslog::history::History::new(&store, config.seed_demo);
        Ok(Self {
            store: RwLock::new(store),
            token: config.token.clone(),
            schema,
            faults: RwLock::new(config.faults),
            rate: RateLimiter::new(config.rate_limits, config.rate_window.as_secs()),
            stats: stats::Stats::default(),
            oauth: oauth::OAuth::new(config.service_apps.clone(), config.access_token_ttl, config.oauth_dpop),
            searches: query::SearchCache::default(),
            sessions: sessions::SessionLog::default(),
            history,
            panics: AtomicU64::new(0),
        })
    }

    // A handler that panicked while holding the lock leaves the store as it
    // was at the panic; serving it is better than failing every request.
    pub fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|p| p.into_inner())
    }

    pub fn schema(&self) -> &UserSchema {
        &self.schema
    }

    pub fn faults(&self) -> Faults {
        *self.faults.read().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    /// How many requests panicked (in a handler or in the accept loop's
    /// connection tasks) since the org started; fuzzing expects none.
    pub fn panics(&self) -> u64 {
        self.panics.load(Ordering::Relaxed)
    }

    fn note_panic(&self, detail: &str) {
        self.panics.fetch_add(1, Ordering::Relaxed);
        tracing::error!("request handling panicked: {detail}");
    }

    /// The OAuth side: service apps, issued tokens, DPoP.
    pub fn oauth(&self) -> &oauth::OAuth {
        &self.oauth
    }

    /// The last session clears asked for, oldest first.
    pub fn session_clears(&self) -> Vec<sessions::SessionClear> {
        self.sessions.recent()
    }

    /// The System Log's generated past.
    pub fn history(&self) -> &syslog::history::History {
        &self.history
    }

    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.rate
    }

    pub fn stats(&self) -> &stats::Stats {
        &self.stats
    }

    fn token_matches(&self, presented: &str) -> bool {
        !self.token.is_empty() && presented == self.token
    }
}

/// An org serving on a socket until dropped. `stop` and `restart` make it
/// go away and come back on the same address with the same data.
pub struct RunningOrg {
    pub addr: SocketAddr,
    pub org: Arc<Org>,
    task: Option<JoinHandle<()>>,
}

impl RunningOrg {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Closes the listener and every open connection; requests in flight
    /// are cut off, as when a server dies.
    pub async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    /// Serves the same org on the same address again.
    pub async fn restart(&mut self) -> std::io::Result<()> {
        self.stop().await;
        let listener = TcpListener::bind(self.addr).await?;
        self.task = Some(tokio::spawn(server::run(listener, self.org.clone())));
        Ok(())
    }
}

impl Drop for RunningOrg {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

fn org_error(e: store::StoreError) -> std::io::Error {
    std::io::Error::other(e)
}

/// Binds `listen` (port 0 picks a free port) and serves on a background task.
pub async fn start(config: &OrgConfig, listen: SocketAddr) -> std::io::Result<RunningOrg> {
    let org = Arc::new(Org::new(config).map_err(org_error)?);
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(server::run(listener, org.clone()));
    Ok(RunningOrg { addr, org, task: Some(task) })
}

/// Serves in the foreground until the process is stopped.
pub async fn serve(config: &OrgConfig, listener: TcpListener) -> std::io::Result<()> {
    let org = Arc::new(Org::new(config).map_err(org_error)?);
    server::run(listener, org).await;
    Ok(())
}
