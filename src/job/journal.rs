//! The crash-safe journal of a job: an append-only file of JSON lines, a
//! header naming the job and its arguments, then one record per
//! checkpoint.
//!
//! # Why the output and the journal agree after a crash
//!
//! A job writes its results to an output file and, at each checkpoint,
//! appends a record naming how long the output is (`len`) and which units
//! finished since the last record (each with the units that replace it).
//! [`Journal::commit`] keeps this order:
//!
//! 1. the output is flushed and `fsync`ed, so its first `len` bytes are
//!    durable;
//! 2. only then is the record written, in a single `write` of one line,
//!    and `fsync`ed.
//!
//! So a record never names output that might be lost. Output written after
//! the last record (a crash between checkpoints) belongs to units that the
//! journal still holds open: resuming truncates the output to the last
//! record's `len` and runs those units again, so nothing is written twice.
//! A crash in the middle of step 2 leaves a torn last line (no newline, or
//! JSON that does not parse): it is ignored, cut off, and the record
//! before it stands. The header is written to a temporary file, synced and
//! renamed into place, so a journal that exists has a whole header.
//!
//! `SIGKILL` loses nothing the kernel has been handed (`write` is enough);
//! the `fsync`s are what make the same argument hold after a power cut.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

/// Bumped when records change shape; an older journal is then refused.
const VERSION: u32 = 1;

/// The first line: what job this is, with which arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub version: u32,
    /// `export`, `bulk`, `import`.
    pub kind: String,
    /// The arguments that decide the job's results; a resume must match.
    pub args: Value,
}

impl Header {
    pub fn new(kind: &str, args: Value) -> Self {
        Self { version: VERSION, kind: kind.to_owned(), args }
    }
}

/// One unit finished: `done` closed, the units in `then` opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event<U> {
    pub done: Option<u64>,
    pub then: Vec<(u64, U)>,
}

#[derive(Deserialize)]
struct Record<U, T> {
    len: u64,
    tally: T,
    events: Vec<Event<U>>,
}

#[derive(Serialize)]
struct RecordRef<'a, U, T> {
    len: u64,
    tally: &'a T,
    events: &'a [Event<U>],
}

/// Where a job stood at its last checkpoint.
#[derive(Debug, Clone)]
pub struct Checkpoint<U, T> {
    /// Bytes of output that are done.
    pub len: u64,
    pub tally: T,
    /// The units still to do, by id, in the order they were opened.
    pub open: BTreeMap<u64, U>,
    /// The next unused unit id.
    pub next_id: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot use the checkpoint {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the checkpoint {} is damaged ({why}); remove it and its partial output to start over", path.display())]
    Damaged { path: PathBuf, why: String },
    #[error("another oktui is running this job (the checkpoint {} is locked); wait for it to finish", path.display())]
    Busy { path: PathBuf },
}

/// A job found on disk, opened to continue.
pub struct Resumed<U, T> {
    pub journal: Journal,
    pub header: Header,
    /// `None` when the job stopped before its first checkpoint.
    pub checkpoint: Option<Checkpoint<U, T>>,
}

/// An open journal, locked against a second process running the same job.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Starts a new journal at `path`, replacing any.
    pub fn create(path: &Path, header: &Header) -> Result<Self, JournalError> {
        let io = |source| JournalError::Io { path: path.to_owned(), source };
        let temp = path.with_extension("new");
        let mut line = serde_json::to_vec(header).map_err(|e| io(io::Error::other(e)))?;
        line.push(b'\n');
        {
            let mut file = File::create(&temp).map_err(io)?;
            file.write_all(&line).map_err(io)?;
            file.sync_all().map_err(io)?;
        }
        fs::rename(&temp, path).map_err(io)?;
        sync_dir(path).map_err(io)?;
        Self::lock(path)
    }

    /// Opens the journal at `path`: its header, and the last checkpoint
    /// (`None` when the job never reached its first one). A torn last line
    /// is cut off.
    pub fn open<U: DeserializeOwned, T: DeserializeOwned>(path: &Path) -> Result<Resumed<U, T>, JournalError> {
        let journal = Self::lock(path)?;
        let io = |source| JournalError::Io { path: path.to_owned(), source };
        let damaged = |why: String| JournalError::Damaged { path: path.to_owned(), why };
        let mut reader = BufReader::new(&journal.file);
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).map_err(io)?;
        let header: Header =
            serde_json::from_slice(&line).map_err(|e| damaged(format!("its first line is not a header: {e}")))?;
        if header.version != VERSION {
            return Err(damaged(format!("it was written by another version of oktui (format {})", header.version)));
        }
        let mut good = line.len() as u64;
        let (mut len, mut tally, mut open, mut next_id) = (0, None, BTreeMap::new(), 0);
        loop {
            line.clear();
            let read = reader.read_until(b'\n', &mut line).map_err(io)?;
            if read == 0 {
                break;
            }
            let whole = line.last() == Some(&b'\n');
            let record = match serde_json::from_slice::<Record<U, T>>(&line) {
                Ok(record) if whole => record,
                // Only the last line can be torn: a bad line with more
                // after it was not made by a crash.
                _ if whole && !at_end(&mut reader).map_err(io)? => {
                    return Err(damaged(format!("the record at byte {good} does not parse")));
                }
                _ => break,
            };
            good += read as u64;
            len = record.len;
            tally = Some(record.tally);
            for event in record.events {
                if let Some(done) = event.done {
                    open.remove(&done);
                }
                for (id, unit) in event.then {
                    next_id = next_id.max(id + 1);
                    open.insert(id, unit);
                }
            }
        }
        let checkpoint = tally.map(|tally| Checkpoint { len, tally, open, next_id });
        drop(reader);
        journal.file.set_len(good).map_err(io)?;
        Ok(Resumed { journal, header, checkpoint })
    }

    fn lock(path: &Path) -> Result<Self, JournalError> {
        let io = |source| JournalError::Io { path: path.to_owned(), source };
        let file = OpenOptions::new().read(true).append(true).open(path).map_err(io)?;
        // SAFETY: flock on a file descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            return Err(JournalError::Busy { path: path.to_owned() });
        }
        Ok(Self { path: path.to_owned(), file })
    }

    /// Appends a checkpoint. The caller has made the first `len` bytes of
    /// the output durable (see the module comment for why that comes first).
    pub fn commit<U: Serialize, T: Serialize>(
        &mut self,
        len: u64,
        tally: &T,
        events: &[Event<U>],
    ) -> Result<(), JournalError> {
        let io = |source| JournalError::Io { path: self.path.clone(), source };
        let mut line = serde_json::to_vec(&RecordRef { len, tally, events }).map_err(|e| io(io::Error::other(e)))?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(io)?;
        self.file.sync_data().map_err(io)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Deletes the journal once the job's results are in place.
    pub fn remove(self) -> Result<(), JournalError> {
        fs::remove_file(&self.path).map_err(|source| JournalError::Io { path: self.path.clone(), source })
    }
}

fn at_end(reader: &mut BufReader<&File>) -> io::Result<bool> {
    Ok(reader.fill_buf()?.is_empty())
}

/// Makes a rename or a new file in `path`'s directory durable.
pub fn sync_dir(path: &Path) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(dir)?.sync_all()
}

/// Truncates `file` to `len` and places the cursor there.
pub fn truncate_to(file: &mut File, len: u64) -> io::Result<()> {
    file.set_len(len)?;
    file.seek(SeekFrom::Start(len))?;
    Ok(())
}
