//! The results file: one record per user (id, login, operation, outcome
//! with the reason or Okta's error, time), as JSON lines or CSV.

use super::action::Outcome;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

/// The last two hold the link Okta answered with instead of emailing it
/// (`--send-email false`): the admin sends it on, so it is written here.
const COLUMNS: [&str; 10] = [
    "id",
    "login",
    "operation",
    "outcome",
    "reason",
    "errorCode",
    "errorSummary",
    "time",
    "activationUrl",
    "resetPasswordUrl",
];

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }

    /// What starts the file (the CSV header row).
    pub fn header(self) -> String {
        match self {
            Format::Jsonl => String::new(),
            Format::Csv => format!("{}\n", COLUMNS.join(",")),
        }
    }

    /// One user's record, with its newline.
    pub fn line(self, id: &str, login: &str, operation: &str, outcome: &Outcome, time: &str) -> String {
        let (word, reason, code, summary) = match outcome {
            Outcome::Changed | Outcome::ChangedWithLink { .. } => ("changed", None, None, None),
            Outcome::Unchanged => ("unchanged", None, None, None),
            Outcome::Skipped(reason) => ("skipped", Some(reason.as_str()), None, None),
            Outcome::Failed { code, summary } => ("failed", None, code.as_deref(), Some(summary.as_str())),
        };
        let link = |named: &str| match outcome {
            Outcome::ChangedWithLink { field, url } if *field == named => Some(url.expose()),
            _ => None,
        };
        let fields = [
            Some(id),
            Some(login),
            Some(operation),
            Some(word),
            reason,
            code,
            summary,
            Some(time),
            link("activationUrl"),
            link("resetPasswordUrl"),
        ];
        match self {
            Format::Jsonl => {
                let mut record = Map::new();
                for (name, value) in COLUMNS.iter().zip(fields) {
                    if let Some(value) = value {
                        record.insert((*name).into(), Value::String(value.into()));
                    }
                }
                format!("{}\n", Value::Object(record))
            }
            Format::Csv => {
                let cells: Vec<String> = fields.iter().map(|f| quote(f.unwrap_or_default())).collect();
                format!("{}\n", cells.join(","))
            }
        }
    }
}

/// RFC 4180 quoting, and a leading `=`, `+`, `-` or `@` made inert for
/// spreadsheets (a login is org data).
fn quote(cell: &str) -> String {
    let inert = if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell.to_owned() };
    if inert.contains([',', '"', '\n', '\r']) { format!("\"{}\"", inert.replace('"', "\"\"")) } else { inert }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_as_json_lines_and_csv() {
        let failed = Outcome::Failed { code: Some("E0000001".into()), summary: "Api validation failed: x, y".into() };
        let line = Format::Jsonl.line("00u1", "a@x", "suspend", &failed, "2026-12-02T08:00:00Z");
        assert_eq!(
            line,
            "{\"id\":\"00u1\",\"login\":\"a@x\",\"operation\":\"suspend\",\"outcome\":\"failed\",\
             \"errorCode\":\"E0000001\",\"errorSummary\":\"Api validation failed: x, y\",\"time\":\"2026-12-02T08:00:00Z\"}\n"
        );
        let skipped = Outcome::Skipped("no such user".into());
        assert_eq!(
            Format::Csv.header(),
            "id,login,operation,outcome,reason,errorCode,errorSummary,time,activationUrl,resetPasswordUrl\n"
        );
        assert_eq!(
            Format::Csv.line("00u1", "=cmd", "suspend", &skipped, "t"),
            "00u1,'=cmd,suspend,skipped,no such user,,,t,,\n"
        );
        assert_eq!(
            Format::Csv.line("00u1", "a@x", "set", &failed, "t"),
            "00u1,a@x,set,failed,,E0000001,\"Api validation failed: x, y\",t,,\n"
        );
        let linked = Outcome::ChangedWithLink { field: "resetPasswordUrl", url: "https://o/reset_password/x".into() };
        assert_eq!(
            Format::Jsonl.line("00u1", "a@x", "reset_password", &linked, "t"),
            "{\"id\":\"00u1\",\"login\":\"a@x\",\"operation\":\"reset_password\",\"outcome\":\"changed\",\
             \"time\":\"t\",\"resetPasswordUrl\":\"https://o/reset_password/x\"}\n"
        );
    }
}
