//! The fuzzing harness the `fuzz_*` targets share (stable Rust has no
//! cargo-fuzz, so proptest drives generated and mutated inputs):
//!
//! - a committed corpus of seeds per target, `tests/fuzz-corpus/<target>/`,
//!   which every target replays as is and uses as the base of mutations;
//! - byte-level mutations (flips, interesting bytes, dictionary tokens,
//!   deletions, repeats, splices between seeds, truncation);
//! - [`run`]: a few hundred cases by default, so `cargo test` stays quick,
//!   each bounded in time (a hang prints its input instead of stalling);
//!   with `OKTUI_FUZZ_SECONDS=S` (what `scripts/fuzz` sets) batch after
//!   batch until S seconds have passed, then a line with the run time,
//!   the case count and the corpus size.
//!
//! A failure prints proptest's smallest failing input; add it to the corpus
//! and as a named regression test once fixed.
#![allow(dead_code)] // shared by several targets, not each uses each helper

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseResult, TestRunner};
use std::fmt;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Bytes shown readably in failure reports.
#[derive(Clone, PartialEq, Eq)]
pub struct Input(pub Vec<u8>);

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

impl Input {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

/// The seeds of one target, in file-name order.
pub struct Corpus {
    pub target: &'static str,
    pub seeds: Vec<(String, Vec<u8>)>,
}

pub fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus").join(target)
}

impl Corpus {
    /// Panics when the directory is missing or empty: a target without
    /// seeds would fuzz nothing but noise.
    pub fn load(target: &'static str) -> Self {
        let dir = corpus_dir(target);
        let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read seed")))
            .collect();
        seeds.sort();
        assert!(!seeds.is_empty(), "corpus {} is empty", dir.display());
        Self { target, seeds }
    }

    /// Seeds whose file name ends with `suffix`.
    pub fn with_suffix(&self, suffix: &str) -> Vec<Vec<u8>> {
        self.seeds.iter().filter(|(name, _)| name.ends_with(suffix)).map(|(_, s)| s.clone()).collect()
    }

    pub fn all(&self) -> Vec<Vec<u8>> {
        self.seeds.iter().map(|(_, s)| s.clone()).collect()
    }

    pub fn bytes(&self) -> usize {
        self.seeds.iter().map(|(_, s)| s.len()).sum()
    }

    /// Runs `check` on every seed, naming the seed that fails (or hangs:
    /// each is bounded as a fuzzed case is).
    pub fn replay(&self, mut check: impl FnMut(&str, &[u8]) -> Result<(), String>) {
        let watchdog = Watchdog::start(self.target);
        for (name, seed) in &self.seeds {
            if let Err(problem) = watchdog.case(name, |name| check(name, seed)) {
                panic!("corpus {}/{name}: {problem}", self.target);
            }
        }
    }
}

/// Bytes that break parsers: delimiters, escapes, controls, invalid UTF-8.
const INTERESTING: &[u8] = b"\0\x01\x7f\x80\xbf\xc0\xff\"'\\/{}[]<>(),;:=&%+?#@\n\r\t -.0123456789eE";

#[derive(Debug, Clone)]
enum Edit {
    Flip(Index, u8),
    Set(Index, Index),
    Token(Index, Index),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Repeat(Index, usize, u8),
    Splice(Index, Index, Index),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<Index>;
    prop_oneof![
        3 => (at(), 0u8..8).prop_map(|(i, b)| Edit::Flip(i, b)),
        3 => (at(), at()).prop_map(|(i, b)| Edit::Set(i, b)),
        4 => (at(), at()).prop_map(|(i, t)| Edit::Token(i, t)),
        2 => (at(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(i, b)| Edit::Insert(i, b)),
        3 => (at(), 1usize..16).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => (at(), 1usize..32, 2u8..64).prop_map(|(i, n, k)| Edit::Repeat(i, n, k)),
        2 => (at(), at(), at()).prop_map(|(s, f, t)| Edit::Splice(s, f, t)),
        1 => at().prop_map(Edit::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit], seeds: &[Vec<u8>], dictionary: &[&str]) -> Vec<u8> {
    for e in edits {
        let pos = |i: &Index, len: usize| i.index(len + 1);
        match e {
            Edit::Flip(i, bit) if !bytes.is_empty() => {
                let p = i.index(bytes.len());
                bytes[p] ^= 1 << bit;
            }
            Edit::Set(i, b) if !bytes.is_empty() => {
                let p = i.index(bytes.len());
                bytes[p] = INTERESTING[b.index(INTERESTING.len())];
            }
            Edit::Token(i, t) if !dictionary.is_empty() => {
                let p = pos(i, bytes.len());
                let token = dictionary[t.index(dictionary.len())].as_bytes();
                bytes.splice(p..p, token.iter().copied());
            }
            Edit::Insert(i, new) => {
                let p = pos(i, bytes.len());
                bytes.splice(p..p, new.iter().copied());
            }
            Edit::Delete(i, n) if !bytes.is_empty() => {
                let p = i.index(bytes.len());
                let end = (p + n).min(bytes.len());
                bytes.drain(p..end);
            }
            Edit::Repeat(i, n, times) if !bytes.is_empty() => {
                let p = i.index(bytes.len());
                let end = (p + n).min(bytes.len());
                let piece = bytes[p..end].to_vec();
                let copies: Vec<u8> = piece.iter().copied().cycle().take(piece.len() * usize::from(*times)).collect();
                bytes.splice(end..end, copies);
            }
            Edit::Splice(s, from, to) if !seeds.is_empty() => {
                let other = &seeds[s.index(seeds.len())];
                let start = pos(from, other.len());
                let p = pos(to, bytes.len());
                bytes.splice(p..p, other[start..].iter().take(64).copied());
            }
            Edit::Truncate(i) => bytes.truncate(pos(i, bytes.len())),
            _ => {}
        }
    }
    bytes
}

/// A seed with 1 to 8 edits. Shrinking drops edits and moves positions,
/// so a failure shrinks towards the seed it came from.
pub fn mutated(seeds: Vec<Vec<u8>>, dictionary: &'static [&'static str]) -> impl Strategy<Value = Input> {
    assert!(!seeds.is_empty(), "mutating needs at least one seed");
    let seeds = Arc::new(seeds);
    (any::<Index>(), prop::collection::vec(edit(), 1..8)).prop_map(move |(pick, edits)| {
        let base = seeds[pick.index(seeds.len())].clone();
        Input(apply(base, &edits, &seeds, dictionary))
    })
}

/// Random bytes, mostly printable, sometimes anything.
pub fn noise() -> impl Strategy<Value = Input> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256).prop_map(Input),
        "[ -~\n\t]{0,200}".prop_map(|s| Input(s.into_bytes())),
        any::<String>().prop_map(|s| Input(s.into_bytes())),
    ]
}

/// `OKTUI_FUZZ_SECONDS`, when a long run was asked for.
pub fn budget() -> Option<f64> {
    std::env::var("OKTUI_FUZZ_SECONDS").ok().and_then(|s| s.trim().parse::<f64>().ok()).filter(|s| *s > 0.0)
}

/// The longest one case may run: far above the slowest real case (the
/// `org` target's HTTP exchanges are bounded at a third of it), so only a
/// hang trips it.
pub const CASE_BOUND: Duration = Duration::from_secs(60);

/// The case in progress: when it started, and its input.
type Current = Arc<Mutex<Option<(Instant, String)>>>;

/// Watches the cases of one run from a thread of its own: a case that
/// runs past [`CASE_BOUND`] cannot be interrupted, so its input is printed
/// and the process ends, rather than stalling the run with no word.
struct Watchdog {
    current: Current,
    stop: Arc<AtomicBool>,
}

impl Watchdog {
    fn start(target: &'static str) -> Self {
        let current = Current::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (watched, stopped) = (current.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let guard = watched.lock().unwrap_or_else(|p| p.into_inner());
                if let Some((since, input)) = guard.as_ref().filter(|(since, _)| since.elapsed() > CASE_BOUND) {
                    // Straight to stderr: the test harness's capture of
                    // `eprintln!` would die with the process, unseen.
                    let _ = writeln!(
                        std::io::stderr(),
                        "fuzz {target}: a case ran over {CASE_BOUND:?} ({:.0?} so far); its input:\n{input}",
                        since.elapsed()
                    );
                    std::process::exit(70);
                }
            }
        });
        Self { current, stop }
    }

    /// Runs one case under watch.
    fn case<V: fmt::Debug, R>(&self, value: V, test: impl FnOnce(V) -> R) -> R {
        let input = format!("{value:?}");
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), input));
        let result = test(value);
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
        result
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Checks `test` on `cases` generated inputs (or, with a budget, batch
/// after batch until the time is up), each case bounded by
/// [`CASE_BOUND`]. Panics with the smallest failing input proptest finds.
pub fn run<S>(corpus: &Corpus, cases: u32, strategy: S, test: impl Fn(S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: fmt::Debug,
{
    let budget = budget();
    let started = Instant::now();
    let mut total = 0u64;
    let watchdog = Watchdog::start(corpus.target);
    loop {
        let batch = if budget.is_some() { cases.max(500) } else { cases };
        let config = Config { cases: batch, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new(config);
        if let Err(failure) = runner.run(&strategy, |value| watchdog.case(value, &test)) {
            panic!("fuzz {}: {failure}", corpus.target);
        }
        total += u64::from(batch);
        match budget {
            Some(seconds) if started.elapsed().as_secs_f64() < seconds => continue,
            _ => break,
        }
    }
    // Seen with --nocapture; scripts/fuzz collects these lines.
    println!(
        "fuzz {}: {total} cases in {:.1} s; corpus {} seeds, {} bytes",
        corpus.target,
        started.elapsed().as_secs_f64(),
        corpus.seeds.len(),
        corpus.bytes()
    );
}

/// Case count for a target whose cases are cheap (pure parsing).
pub const CHEAP: u32 = 512;
/// Case count for a target whose cases are HTTP round trips.
pub const COSTLY: u32 = 400;
