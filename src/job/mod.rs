//! The job engine: long work over many users (export now; bulk operations
//! and CSV import next) as *plan → run → results*, resumable after a crash.
//!
//! A kind of job supplies only what is its own:
//! - its **plan**: the first units of work (pages to fetch, users to
//!   change), made before [`run`] by the job itself;
//! - its **step** ([`Job::step`]): one unit, run concurrently with others;
//! - what a finished step **leads to** ([`Job::follow`]: the units that
//!   replace it, e.g. the next page) and **writes** ([`Job::write`]: users,
//!   or a results line).
//!
//! The engine runs the units (up to `parallel` at once), writes their
//! results in one place, and checkpoints to a [`Journal`] so that an
//! interrupted job resumes with exactly the units that were not done.
//!
//! Modules: `journal` (the crash-safe checkpoint file), `files` (the
//! partial output beside its target, and the journal beside it), `pause`
//! (the switch that holds a running job), `run` (the loop).

mod files;
mod journal;
mod pause;
mod run;

pub use files::JobFiles;
pub use files::Output;
pub use journal::{Checkpoint, Header, Journal, JournalError, Resumed};
pub use pause::Pause;
pub use run::{Sink, Start, Unjournaled, run};

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::io::Write;
use std::time::Duration;

/// How often a running job checkpoints, at most: each checkpoint costs two
/// `fsync`s, and a crash redoes at most this much work.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// The wait before a step's `tries`-th second chance after an uncertain
/// outcome: doubles from a quarter second to 8 s, with jitter so that
/// parallel steps do not come back in lockstep.
pub fn backoff(tries: u32) -> Duration {
    let base = 250u64.saturating_mul(1 << tries.min(5)).min(8_000);
    Duration::from_millis(base / 2 + fastrand::u64(0..=base / 2))
}

/// One kind of job.
pub trait Job {
    /// One piece of work as the journal keeps it (a page's URL, a user id).
    type Unit: Serialize + DeserializeOwned + Clone + Send + 'static;
    /// What a unit's step brings back.
    type Done: Send + 'static;
    /// The counts a resumed job continues from (users written, pages).
    type Tally: Serialize + DeserializeOwned;
    type Error: From<JournalError> + Send + 'static;

    /// Runs one unit; may run beside other units.
    fn step(&self, unit: Self::Unit) -> impl Future<Output = Result<Self::Done, Self::Error>> + Send + 'static;

    /// A unit finished: the units that replace it, and whether its result
    /// is kept (then [`Job::write`] follows) or dropped in favour of them.
    /// `waiting` counts units not yet started.
    fn follow(&mut self, unit: &Self::Unit, done: &Self::Done, waiting: usize) -> Follow<Self::Unit>;

    /// Writes a kept result.
    fn write(&mut self, done: Self::Done, out: &mut dyn Write) -> Result<(), Self::Error>;

    fn tally(&self) -> Self::Tally;
}

/// What a finished unit leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Follow<U> {
    pub then: Vec<U>,
    pub keep: bool,
}
