//! A job's files: its results written to `.NAME.partial` beside the target
//! `NAME`, and its journal `.NAME.journal` beside them. The partial file is
//! renamed over the target only when the job is done, so the target is
//! never half written; until then a crash or an error leaves both files,
//! and the job resumes from them.

use super::journal::{Header, Journal, JournalError, Resumed, sync_dir, truncate_to};
use super::run::Sink;
use serde::de::DeserializeOwned;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFiles {
    pub target: PathBuf,
    pub partial: PathBuf,
    pub journal: PathBuf,
}

impl JobFiles {
    pub fn beside(target: &Path) -> Self {
        let name = target.file_name().map_or_else(|| "job".into(), |n| n.to_string_lossy().into_owned());
        let dir = target.parent().unwrap_or(Path::new(""));
        Self {
            target: target.to_owned(),
            partial: dir.join(format!(".{name}.partial")),
            journal: dir.join(format!(".{name}.journal")),
        }
    }

    /// Whether an unfinished job left its journal here.
    pub fn unfinished(&self) -> bool {
        self.journal.exists()
    }

    /// Starts afresh: a new journal, an empty partial file.
    pub fn create(&self, header: &Header) -> Result<(Journal, Output), JournalError> {
        let journal = Journal::create(&self.journal, header)?;
        let output = Output::open(&self.partial, 0).map_err(|e| self.io(&self.partial, e))?;
        Ok((journal, output))
    }

    /// Opens an unfinished job; the partial file is cut back to the last
    /// checkpoint (see `journal` for why that is exactly what is done).
    pub fn resume<U: DeserializeOwned, T: DeserializeOwned>(&self) -> Result<(Resumed<U, T>, Output), JournalError> {
        let resumed = Journal::open::<U, T>(&self.journal)?;
        let len = resumed.checkpoint.as_ref().map_or(0, |c| c.len);
        let have = fs::metadata(&self.partial).map(|m| m.len()).unwrap_or(0);
        if have < len {
            return Err(JournalError::Damaged {
                path: self.partial.clone(),
                why: format!("it holds {have} bytes where the checkpoint counts {len}"),
            });
        }
        let output = Output::open(&self.partial, len).map_err(|e| self.io(&self.partial, e))?;
        Ok((resumed, output))
    }

    /// The job is done: its results replace the target, the journal goes.
    pub fn finish(&self, journal: Journal, mut output: Output) -> Result<(), JournalError> {
        output.sync().map_err(|e| self.io(&self.partial, e))?;
        drop(output);
        fs::rename(&self.partial, &self.target).map_err(|e| self.io(&self.target, e))?;
        sync_dir(&self.target).map_err(|e| self.io(&self.target, e))?;
        journal.remove()
    }

    fn io(&self, path: &Path, source: io::Error) -> JournalError {
        JournalError::Io { path: path.to_owned(), source }
    }
}

/// The partial file, buffered, knowing its length.
pub struct Output {
    file: BufWriter<File>,
    len: u64,
}

impl Output {
    fn open(path: &Path, len: u64) -> io::Result<Self> {
        let mut file = OpenOptions::new().write(true).create(true).truncate(len == 0).open(path)?;
        truncate_to(&mut file, len)?;
        Ok(Self { file: BufWriter::with_capacity(256 * 1024, file), len })
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Sink for Output {
    fn sync(&mut self) -> io::Result<u64> {
        self.file.flush()?;
        self.file.get_ref().sync_data()?;
        Ok(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::journal::Event;
    use std::collections::BTreeMap;

    fn dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("oktui-job-{}-{:08x}", std::process::id(), fastrand::u32(..)));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A crash between checkpoints leaves output past the last record and
    /// a torn record: resuming cuts both back to the last whole checkpoint.
    #[test]
    fn a_crash_between_checkpoints_resumes_from_the_last_one() {
        let dir = dir();
        let files = JobFiles::beside(&dir.join("users.jsonl"));
        let (mut journal, mut out) = files.create(&Header::new("test", serde_json::json!({"a": 1}))).unwrap();
        out.write_all(b"header\n").unwrap();
        let len = out.sync().unwrap();
        let plan = vec![Event { done: None, then: vec![(0, "p0".to_owned()), (1, "p1".to_owned())] }];
        journal.commit(len, &7u64, &plan).unwrap();
        out.write_all(b"page 0\n").unwrap();
        let len = out.sync().unwrap();
        journal.commit(len, &8u64, &[Event { done: Some(0), then: vec![(2, "p0b".to_owned())] }]).unwrap();
        // Then the crash: more output, and half a record.
        out.write_all(b"page 2, never checkpointed\n").unwrap();
        out.sync().unwrap();
        drop(out);
        {
            let mut raw = OpenOptions::new().append(true).open(&files.journal).unwrap();
            raw.write_all(br#"{"len":99,"tally":9,"events":[{"done":2,"#).unwrap();
        }
        drop(journal);

        let (resumed, mut out) = files.resume::<String, u64>().unwrap();
        let point = resumed.checkpoint.unwrap();
        assert_eq!(point.tally, 8);
        assert_eq!(point.open, BTreeMap::from([(1, "p1".to_owned()), (2, "p0b".to_owned())]));
        assert_eq!(point.next_id, 3);
        assert_eq!(fs::read_to_string(&files.partial).unwrap(), "header\npage 0\n");
        // Appends after a torn record start on a line of their own.
        let mut journal = resumed.journal;
        out.write_all(b"page 1\n").unwrap();
        let len = out.sync().unwrap();
        journal.commit(len, &9u64, &[Event::<String> { done: Some(1), then: vec![] }]).unwrap();
        drop(journal);
        let (resumed, _out) = files.resume::<String, u64>().unwrap();
        assert_eq!(resumed.checkpoint.unwrap().open.len(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_journal_is_used_by_one_process_at_a_time() {
        let dir = dir();
        let files = JobFiles::beside(&dir.join("out.csv"));
        let (_journal, _out) = files.create(&Header::new("test", serde_json::Value::Null)).unwrap();
        let second = files.resume::<String, u64>();
        assert!(matches!(second, Err(JournalError::Busy { .. })), "{:?}", second.err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
