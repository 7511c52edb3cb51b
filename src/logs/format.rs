//! How `oktui logs` writes events: JSON lines (each event exactly as the
//! org sent it) or CSV with a fixed set of columns a person can read.

use crate::okta::logs::LogEvent;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Jsonl,
    Csv,
}

pub const CSV_COLUMNS: [&str; 12] = [
    "published",
    "eventType",
    "outcome",
    "severity",
    "actor",
    "target",
    "displayMessage",
    "ipAddress",
    "location",
    "transactionId",
    "sessionId",
    "uuid",
];

impl LogFormat {
    pub fn header(self, sink: &mut dyn Write) -> io::Result<()> {
        match self {
            LogFormat::Jsonl => Ok(()),
            LogFormat::Csv => crate::export::write_row(sink, CSV_COLUMNS.into_iter()),
        }
    }

    pub fn event(self, sink: &mut dyn Write, event: &LogEvent) -> io::Result<()> {
        match self {
            LogFormat::Jsonl => {
                serde_json::to_writer(&mut *sink, event).map_err(io::Error::other)?;
                sink.write_all(b"\n")
            }
            LogFormat::Csv => {
                let targets = event.targets().iter().map(|t| t.name()).collect::<Vec<_>>().join("; ");
                let place = event.place().unwrap_or_default();
                let cells = [
                    event.published(),
                    event.event_type(),
                    event.outcome().unwrap_or_default(),
                    event.severity(),
                    event.actor().map(|a| a.name()).unwrap_or_default(),
                    &targets,
                    event.display_message().unwrap_or_default(),
                    event.ip_address().unwrap_or_default(),
                    &place,
                    event.transaction_id().unwrap_or_default(),
                    event.session_id().unwrap_or_default(),
                    event.uuid(),
                ];
                crate::export::write_row(sink, cells.into_iter())
            }
        }
    }
}
