//! The results file: the input's columns without secrets (the password and
//! the recovery answer are left empty), then `result`, `id` and `error`.

use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    Created,
    Updated,
    Unchanged,
    Skipped,
    Failed,
}

impl ResultKind {
    pub fn word(self) -> &'static str {
        match self {
            ResultKind::Created => "created",
            ResultKind::Updated => "updated",
            ResultKind::Unchanged => "unchanged",
            ResultKind::Skipped => "skipped",
            ResultKind::Failed => "failed",
        }
    }
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub index: usize,
    pub kind: ResultKind,
    pub id: Option<String>,
    pub error: Option<String>,
}

/// Writes results lines for the rows of one file.
#[derive(Debug, Clone)]
pub struct ResultsWriter {
    headers: Vec<String>,
    /// Per column: blanked in the results.
    secret: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl ResultsWriter {
    pub fn new(headers: Vec<String>, secret: Vec<bool>, rows: Vec<Vec<String>>) -> Self {
        Self { headers, secret, rows }
    }

    pub fn header(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut record: Vec<&str> = self.headers.iter().map(String::as_str).collect();
        record.extend(["result", "id", "error"]);
        line(out, &record)
    }

    pub fn write(&self, out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
        let cells = self.rows.get(outcome.index).map_or(&[][..], Vec::as_slice);
        let mut record: Vec<&str> = (0..self.headers.len())
            .map(|i| if self.secret.get(i) == Some(&true) { "" } else { cells.get(i).map_or("", String::as_str) })
            .collect();
        record.push(outcome.kind.word());
        record.push(outcome.id.as_deref().unwrap_or(""));
        record.push(outcome.error.as_deref().unwrap_or(""));
        line(out, &record)
    }
}

fn line(out: &mut dyn Write, record: &[&str]) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    writer.write_record(record).map_err(io::Error::other)?;
    writer.flush()
}
