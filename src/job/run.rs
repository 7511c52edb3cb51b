//! The loop that runs a job's units: up to `parallel` at once, each on its
//! own task so fetching overlaps writing, results written by the loop
//! alone, checkpoints every [`CHECKPOINT_EVERY`] and when it stops.

use super::journal::{Event, Journal};
use super::{CHECKPOINT_EVERY, Job, Pause};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::time::Instant;

/// Where a job writes: it can say how much of it is durable.
pub trait Sink: Write {
    /// Flushes and makes everything written so far durable; returns its length.
    fn sync(&mut self) -> io::Result<u64>;
}

/// Any writer, for jobs without a journal (stdout, the TUI's export).
pub struct Unjournaled<W>(pub W);

impl<W: Write> Write for Unjournaled<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Write> Sink for Unjournaled<W> {
    fn sync(&mut self) -> io::Result<u64> {
        self.0.flush().map(|()| 0)
    }
}

/// Where a job starts: its plan's units, or where a checkpoint left it.
pub enum Start<U> {
    Plan(Vec<U>),
    Resume { open: BTreeMap<u64, U>, next_id: u64 },
}

impl<U> Start<U> {
    /// The units still to do.
    pub fn units(&self) -> Box<dyn Iterator<Item = &U> + '_> {
        match self {
            Start::Plan(units) => Box::new(units.iter()),
            Start::Resume { open, .. } => Box::new(open.values()),
        }
    }
}

/// Runs a job to the end. With a journal, a new job's plan (its units, and
/// what it already wrote) is the first checkpoint; then the state is
/// checkpointed as it goes and once more when the job stops, on success or
/// failure, so a resume redoes as little as can be. `io_error` names a
/// failed write of the output. While `pause` holds, no unit starts; once
/// the running ones are written, the output is made durable (checkpointed)
/// and the job waits.
pub async fn run<J: Job, S: Sink>(
    job: &mut J,
    start: Start<J::Unit>,
    parallel: usize,
    pause: &Pause,
    out: &mut S,
    mut journal: Option<&mut Journal>,
    io_error: impl Fn(io::Error) -> J::Error,
) -> Result<(), J::Error> {
    let (open, mut next_id) = match start {
        Start::Plan(units) => {
            let open: BTreeMap<u64, J::Unit> = (0u64..).zip(units).collect();
            if let Some(journal) = journal.as_deref_mut() {
                let then = open.iter().map(|(id, u)| (*id, u.clone())).collect();
                commit(job, out, journal, &mut vec![Event { done: None, then }], &io_error)?;
            }
            let next = open.len() as u64;
            (open, next)
        }
        Start::Resume { open, next_id } => (open, next_id),
    };
    let mut queue: VecDeque<(u64, J::Unit)> = open.into_iter().collect();
    let mut running = FuturesUnordered::new();
    let mut events: Vec<Event<J::Unit>> = Vec::new();
    let mut last_commit = Instant::now();
    let mut output_failed = false;
    let result = loop {
        start_waiting(job, &mut queue, &mut running, parallel, pause);
        let held = pause.is_paused() && !queue.is_empty();
        if held && running.is_empty() {
            let settled = match journal.as_deref_mut() {
                Some(journal) => commit(job, out, journal, &mut events, &io_error),
                None => out.sync().map(drop).map_err(&io_error),
            };
            if let Err(e) = settled {
                break Err(e);
            }
            last_commit = Instant::now();
        }
        let next = tokio::select! {
            next = running.next(), if !(held && running.is_empty()) => next,
            () = pause.until_running(), if held => continue,
        };
        let Some((id, unit, joined)) = next else { break Ok(()) };
        let done = match joined {
            Ok(Ok(done)) => done,
            Ok(Err(e)) => break Err(e),
            Err(e) => break Err(io_error(io::Error::other(format!("a step of the job stopped: {e}")))),
        };
        let follow = job.follow(&unit, &done, queue.len());
        let mut then = Vec::with_capacity(follow.then.len());
        // Depth first: what follows a unit (its next page) goes first.
        for unit in follow.then.into_iter().rev() {
            then.push((next_id, unit.clone()));
            queue.push_front((next_id, unit));
            next_id += 1;
        }
        then.reverse();
        // Start what follows before writing, so the org works meanwhile.
        start_waiting(job, &mut queue, &mut running, parallel, pause);
        if follow.keep
            && let Err(e) = job.write(done, out)
        {
            // Part of this unit may be in the output, so no checkpoint may
            // count it: the last one stands, and a resume cuts back to it.
            output_failed = true;
            break Err(e);
        }
        events.push(Event { done: Some(id), then });
        if let Some(journal) = journal.as_deref_mut()
            && last_commit.elapsed() >= CHECKPOINT_EVERY
        {
            if let Err(e) = commit(job, out, journal, &mut events, &io_error) {
                break Err(e);
            }
            last_commit = Instant::now();
        }
    };
    drop(running);
    match journal {
        Some(_) if output_failed => result,
        Some(journal) => {
            let committed = commit(job, out, journal, &mut events, &io_error);
            result.and(committed)
        }
        None => result.and_then(|()| out.sync().map(drop).map_err(io_error)),
    }
}

type Running<J> = FuturesUnordered<Task<<J as Job>::Unit, <J as Job>::Done, <J as Job>::Error>>;

fn start_waiting<J: Job>(
    job: &J,
    queue: &mut VecDeque<(u64, J::Unit)>,
    running: &mut Running<J>,
    parallel: usize,
    pause: &Pause,
) {
    while running.len() < parallel.max(1) && !pause.is_paused() {
        let Some((id, unit)) = queue.pop_front() else { break };
        let handle = tokio::spawn(job.step(unit.clone()));
        running.push(Task { id, unit: Some(unit), handle });
    }
}

fn commit<J: Job, S: Sink>(
    job: &J,
    out: &mut S,
    journal: &mut Journal,
    events: &mut Vec<Event<J::Unit>>,
    io_error: &impl Fn(io::Error) -> J::Error,
) -> Result<(), J::Error> {
    let len = out.sync().map_err(io_error)?;
    journal.commit(len, &job.tally(), events)?;
    events.clear();
    Ok(())
}

/// A unit's step on its own task; aborted when dropped unfinished.
struct Task<U, D, E> {
    id: u64,
    unit: Option<U>,
    handle: tokio::task::JoinHandle<Result<D, E>>,
}

// The task is never pinned in place: only the join handle is polled.
impl<U, D, E> Unpin for Task<U, D, E> {}

impl<U, D, E> std::future::Future for Task<U, D, E> {
    type Output = (u64, U, Result<Result<D, E>, tokio::task::JoinError>);

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let joined = std::task::ready!(std::pin::Pin::new(&mut self.handle).poll(cx));
        // FuturesUnordered polls a task no more once it is ready.
        let unit = self.unit.take().expect("a task is polled once after it finishes");
        std::task::Poll::Ready((self.id, unit, joined))
    }
}

impl<U, D, E> Drop for Task<U, D, E> {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

#[cfg(test)]
mod tests {
    //! The engine with a job of the bulk shape (one unit per user, one
    //! result line each), failing partway and resumed.

    use super::*;
    use crate::job::{Follow, Header, JobFiles, JournalError};
    use std::collections::BTreeSet;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[derive(Debug)]
    struct Failed;

    impl From<JournalError> for Failed {
        fn from(_: JournalError) -> Self {
            Failed
        }
    }

    /// Marks users; fails user 37 once, while `broken` is set; with
    /// `torn`, writing user 50 fails halfway through its line, once.
    struct Mark {
        broken: Arc<AtomicBool>,
        torn: bool,
        written: u64,
    }

    impl Job for Mark {
        type Unit = u32;
        type Done = u32;
        type Tally = u64;
        type Error = Failed;

        fn step(&self, user: u32) -> impl Future<Output = Result<u32, Failed>> + Send + 'static {
            let broken = self.broken.clone();
            async move { if user == 37 && broken.swap(false, Ordering::SeqCst) { Err(Failed) } else { Ok(user) } }
        }

        fn follow(&mut self, _: &u32, _: &u32, _: usize) -> Follow<u32> {
            Follow { then: Vec::new(), keep: true }
        }

        fn write(&mut self, user: u32, out: &mut dyn Write) -> Result<(), Failed> {
            if user == 50 && std::mem::take(&mut self.torn) {
                let _ = out.write_all(b"50 ma");
                return Err(Failed);
            }
            self.written += 1;
            writeln!(out, "{user} marked").map_err(|_| Failed)
        }

        fn tally(&self) -> u64 {
            self.written
        }
    }

    #[tokio::test]
    async fn a_job_that_fails_partway_resumes_with_each_unit_done_once() {
        let dir = std::env::temp_dir().join(format!("oktui-run-{}-{:08x}", std::process::id(), fastrand::u32(..)));
        std::fs::create_dir_all(&dir).unwrap();
        let files = JobFiles::beside(&dir.join("results.txt"));
        let header = Header::new("mark", serde_json::json!({"users": 100}));
        let broken = Arc::new(AtomicBool::new(true));

        let (mut journal, mut out) = files.create(&header).unwrap();
        let mut job = Mark { broken: broken.clone(), torn: false, written: 0 };
        let failed =
            run(&mut job, Start::Plan((0..100).collect()), 4, &Pause::default(), &mut out, Some(&mut journal), |_| {
                Failed
            })
            .await;
        assert!(failed.is_err(), "user 37 fails the first run");
        assert!(job.written < 100, "the first run stopped partway ({} written)", job.written);
        drop((journal, out));

        let (resumed, mut out) = files.resume::<u32, u64>().unwrap();
        assert_eq!(resumed.header, header);
        let point = resumed.checkpoint.unwrap();
        assert!(point.open.contains_key(&37), "the failed unit is still to do");
        let mut journal = resumed.journal;
        let mut job = Mark { broken, torn: false, written: point.tally };
        let start = Start::Resume { open: point.open, next_id: point.next_id };
        run(&mut job, start, 4, &Pause::default(), &mut out, Some(&mut journal), |_| Failed).await.unwrap();
        files.finish(journal, out).unwrap();

        let text = std::fs::read_to_string(&files.target).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let users: BTreeSet<&str> = lines.iter().map(|l| l.trim_end_matches(" marked")).collect();
        assert_eq!((lines.len(), users.len(), job.written), (100, 100, 100), "every user once");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_write_that_fails_halfway_leaves_no_torn_line_after_the_resume() {
        let dir = std::env::temp_dir().join(format!("oktui-torn-{}-{:08x}", std::process::id(), fastrand::u32(..)));
        std::fs::create_dir_all(&dir).unwrap();
        let files = JobFiles::beside(&dir.join("results.txt"));
        let (mut journal, mut out) = files.create(&Header::new("mark", serde_json::Value::Null)).unwrap();
        let mut job = Mark { broken: Arc::new(AtomicBool::new(false)), torn: true, written: 0 };
        let failed =
            run(&mut job, Start::Plan((0..100).collect()), 1, &Pause::default(), &mut out, Some(&mut journal), |_| {
                Failed
            })
            .await;
        assert!(failed.is_err() && job.written == 50, "the write of user 50 failed");
        drop((journal, out));

        let (resumed, mut out) = files.resume::<u32, u64>().unwrap();
        let point = resumed.checkpoint.unwrap();
        let mut journal = resumed.journal;
        let mut job = Mark { broken: Arc::new(AtomicBool::new(false)), torn: false, written: point.tally };
        let start = Start::Resume { open: point.open, next_id: point.next_id };
        run(&mut job, start, 1, &Pause::default(), &mut out, Some(&mut journal), |_| Failed).await.unwrap();
        files.finish(journal, out).unwrap();
        let text = std::fs::read_to_string(&files.target).unwrap();
        let expected: String = (0..100).map(|u| format!("{u} marked\n")).collect();
        assert_eq!(text, expected);
        std::fs::remove_dir_all(&dir).unwrap();
    }
    /// Holds each unit it starts until the test lets one finish, and says
    /// what it started and wrote, so the test sees what the engine does.
    struct Held {
        started: tokio::sync::watch::Sender<u32>,
        finish: Arc<tokio::sync::Semaphore>,
        written: tokio::sync::watch::Sender<Vec<u32>>,
    }

    impl Job for Held {
        type Unit = u32;
        type Done = u32;
        type Tally = ();
        type Error = Failed;

        fn step(&self, user: u32) -> impl Future<Output = Result<u32, Failed>> + Send + 'static {
            // Counted when the engine starts the unit, not when its task runs.
            self.started.send_modify(|n| *n += 1);
            let finish = self.finish.clone();
            async move {
                finish.acquire().await.map_err(|_| Failed)?.forget();
                Ok(user)
            }
        }

        fn follow(&mut self, _: &u32, _: &u32, _: usize) -> Follow<u32> {
            Follow { then: Vec::new(), keep: true }
        }

        fn write(&mut self, user: u32, out: &mut dyn Write) -> Result<(), Failed> {
            self.written.send_modify(|w| w.push(user));
            writeln!(out, "{user}").map_err(|_| Failed)
        }

        fn tally(&self) {}
    }

    /// A sink that says how much of it was made durable.
    struct Synced {
        text: Vec<u8>,
        synced: tokio::sync::watch::Sender<usize>,
    }

    impl Write for Synced {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.text.write(buf)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Sink for Synced {
        fn sync(&mut self) -> io::Result<u64> {
            self.synced.send_replace(self.text.len());
            Ok(self.text.len() as u64)
        }
    }

    struct Watched {
        pause: Pause,
        started: tokio::sync::watch::Receiver<u32>,
        written: tokio::sync::watch::Receiver<Vec<u32>>,
        synced: tokio::sync::watch::Receiver<usize>,
        finish: Arc<tokio::sync::Semaphore>,
        job: tokio::task::JoinHandle<Result<String, Failed>>,
    }

    /// `users` units, 4 at a time, on a task of their own.
    fn run_held(users: u32) -> Watched {
        let (started, started_rx) = tokio::sync::watch::channel(0);
        let (written, written_rx) = tokio::sync::watch::channel(Vec::new());
        let (synced, synced_rx) = tokio::sync::watch::channel(0);
        let finish = Arc::new(tokio::sync::Semaphore::new(0));
        let pause = Pause::default();
        let mut job = Held { started, finish: finish.clone(), written };
        let job = tokio::spawn({
            let pause = pause.clone();
            async move {
                let mut out = Synced { text: Vec::new(), synced };
                run(&mut job, Start::Plan((0..users).collect()), 4, &pause, &mut out, None, |_| Failed).await?;
                Ok(String::from_utf8_lossy(&out.text).into_owned())
            }
        });
        Watched { pause, started: started_rx, written: written_rx, synced: synced_rx, finish, job }
    }

    /// Awaits what the engine should get to at once; a generous bound
    /// turns an engine that never gets there into a failure, not a hang.
    async fn surely<T>(what: &str, f: impl Future<Output = T>) -> T {
        match tokio::time::timeout(std::time::Duration::from_secs(30), f).await {
            Ok(t) => t,
            Err(_) => panic!("the engine never got there: {what}"),
        }
    }

    fn each_once(text: &str, users: u32) {
        let mut done: Vec<u32> = text.lines().filter_map(|l| l.parse().ok()).collect();
        done.sort_unstable();
        assert_eq!(done, (0..users).collect::<Vec<_>>(), "every unit written once");
    }

    #[tokio::test]
    async fn a_paused_job_starts_no_unit_lets_the_running_ones_finish_and_completes_once_resumed() {
        let mut w = run_held(20);
        surely("4 units started", w.started.wait_for(|n| *n == 4)).await.unwrap();
        w.pause.set(true);
        w.finish.add_permits(4);
        surely("the 4 running units written", w.written.wait_for(|done| done.len() == 4)).await.unwrap();
        assert_eq!(*w.started.borrow(), 4, "no unit started while paused");
        let four_lines = "0\n1\n2\n3\n".len();
        surely("what was written made durable", w.synced.wait_for(|n| *n == four_lines)).await.unwrap();

        w.pause.set(false);
        surely("4 more units started on resume", w.started.wait_for(|n| *n == 8)).await.unwrap();
        w.finish.add_permits(16);
        let text = surely("the job finished", w.job).await.unwrap().unwrap();
        each_once(&text, 20);
        assert_eq!(*w.started.borrow(), 20, "no unit started twice");
    }

    #[tokio::test]
    async fn resuming_while_units_still_run_starts_new_ones_at_once() {
        let mut w = run_held(10);
        surely("4 units started", w.started.wait_for(|n| *n == 4)).await.unwrap();
        w.pause.set(true);
        w.finish.add_permits(1);
        surely("one running unit written", w.written.wait_for(|done| done.len() == 1)).await.unwrap();
        assert_eq!(*w.started.borrow(), 4, "no unit started while paused");

        // Three units still run and none is let finish: only the resume can
        // start the fourth.
        w.pause.set(false);
        surely("a unit started on resume", w.started.wait_for(|n| *n == 5)).await.unwrap();
        w.finish.add_permits(9);
        let text = surely("the job finished", w.job).await.unwrap().unwrap();
        each_once(&text, 10);
    }
}
