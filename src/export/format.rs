//! Writing users out: JSON lines (each user object exactly as the org sent
//! it) or CSV (chosen attributes, RFC 4180).

use serde_json::Value;
use serde_json::value::RawValue;
use std::io::{self, Write};

/// The columns `--format csv` writes when none are given.
pub const DEFAULT_COLUMNS: &[&str] = &[
    "id",
    "status",
    "created",
    "lastLogin",
    "profile.login",
    "profile.email",
    "profile.firstName",
    "profile.lastName",
];

/// One CSV column: a top-level attribute (`status`), a profile attribute
/// (`profile.department`) or any dotted path into the user object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column(String);

impl Column {
    /// Checks the name: dotted segments of letters, digits, `_` and `$`.
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        let valid = !name.is_empty()
            && name.split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$'));
        if valid {
            Ok(Self(name.to_owned()))
        } else {
            Err(format!(
                "'{name}' is not a column: use attribute names such as id, status or profile.login, separated by commas"
            ))
        }
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    fn value<'a>(&self, user: &'a Value) -> Option<&'a Value> {
        self.0.split('.').try_fold(user, |v, key| v.get(key))
    }
}

/// How users are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// One user object per line, byte for byte as the org sent it.
    Jsonl,
    /// A header row, then one row per user. Strings are written as they
    /// are, numbers and booleans as JSON writes them, null and missing
    /// attributes as empty fields, arrays and objects as compact JSON.
    Csv(Vec<Column>),
}

impl Format {
    /// CSV with `columns` (attribute paths), or the default columns when
    /// none are named.
    pub fn csv(columns: &[String]) -> Result<Format, String> {
        let columns = match columns {
            [] => DEFAULT_COLUMNS.iter().map(|c| Column::parse(c)).collect::<Result<_, _>>()?,
            named => named.iter().map(|c| Column::parse(c)).collect::<Result<_, _>>()?,
        };
        Ok(Format::Csv(columns))
    }

    /// Whether writing needs the user parsed (CSV picks attributes).
    pub(super) fn needs_json(&self) -> bool {
        matches!(self, Format::Csv(_))
    }

    /// The CSV header row, if any.
    pub(super) fn header(&self, sink: &mut dyn Write) -> io::Result<()> {
        match self {
            Format::Jsonl => Ok(()),
            Format::Csv(columns) => write_row(sink, columns.iter().map(Column::name)),
        }
    }

    /// One user; `json` must be the parsed `raw` when the format needs it.
    pub(super) fn user(&self, sink: &mut dyn Write, raw: &RawValue, json: Option<&Value>) -> io::Result<()> {
        match self {
            Format::Jsonl => jsonl(sink, raw),
            Format::Csv(columns) => {
                let fallback = Value::Null;
                let user = json.unwrap_or(&fallback);
                let cells: Vec<String> = columns.iter().map(|c| cell(c.value(user))).collect();
                write_row(sink, cells.iter().map(String::as_str))
            }
        }
    }
}

fn jsonl(sink: &mut dyn Write, raw: &RawValue) -> io::Result<()> {
    let text = raw.get();
    // JSON strings cannot hold a raw line break, so one here is whitespace
    // between tokens (a pretty-printing org): write the object compactly.
    if text.contains(['\n', '\r']) {
        let value: Value = serde_json::from_str(text).map_err(io::Error::other)?;
        serde_json::to_writer(&mut *sink, &value).map_err(io::Error::other)?;
    } else {
        sink.write_all(text.as_bytes())?;
    }
    sink.write_all(b"\n")
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// One CSV record: fields quoted when they hold a comma, a quote or a line
/// break (quotes doubled), records ended with CRLF (RFC 4180).
pub(crate) fn write_row<'a>(sink: &mut dyn Write, fields: impl Iterator<Item = &'a str>) -> io::Result<()> {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            sink.write_all(b",")?;
        }
        if field.contains([',', '"', '\r', '\n']) {
            sink.write_all(b"\"")?;
            sink.write_all(field.replace('"', "\"\"").as_bytes())?;
            sink.write_all(b"\"")?;
        } else {
            sink.write_all(field.as_bytes())?;
        }
    }
    sink.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap()
    }

    #[test]
    fn jsonl_keeps_the_bytes() {
        let text = r#"{"id":"00u1","n":1.50,"s":"\u00e9","profile":{"z":null,"a":[1]}}"#;
        let mut out = Vec::new();
        Format::Jsonl.user(&mut out, &raw(text), None).unwrap();
        Format::Jsonl.user(&mut out, &raw("{\n  \"id\": \"00u2\"\n}"), None).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out, format!("{text}\n{{\"id\":\"00u2\"}}\n"));
    }

    #[test]
    fn csv_quotes_and_picks_columns() {
        let columns = ["id", "profile.nickName", "profile.title", "tags", "profile.missing", "n", "profile.ok"]
            .iter()
            .map(|c| Column::parse(c).unwrap())
            .collect();
        let user: Value = serde_json::from_str(
            r#"{"id":"00u1","tags":["a","b"],"n":3,"profile":{"nickName":"Ada \"the\" Countess","title":"R&D, Lab\nTwo","ok":true}}"#,
        )
        .unwrap();
        let (format, mut out) = (Format::Csv(columns), Vec::new());
        format.header(&mut out).unwrap();
        format.user(&mut out, &raw("{}"), Some(&user)).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "id,profile.nickName,profile.title,tags,profile.missing,n,profile.ok\r\n\
             00u1,\"Ada \"\"the\"\" Countess\",\"R&D, Lab\nTwo\",\"[\"\"a\"\",\"\"b\"\"]\",,3,true\r\n"
        );
    }

    #[test]
    fn column_names_are_checked() {
        assert!(Column::parse("profile.login").is_ok());
        assert!(Column::parse(" status ").is_ok());
        for bad in ["", "profile.", ".x", "a b", "profile.login,id"] {
            assert!(Column::parse(bad).is_err(), "{bad}");
        }
    }
}
