//! Reading an import file into rows of text: CSV through the `csv` crate
//! (UTF-8 with or without a byte order mark, CRLF or LF, quoted fields,
//! `,` or `;` as the header shows), `.xlsx` through `calamine` (the first
//! sheet or one named).
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1. A
//! row whose quotes do not pair up is kept as a [`RowProblem`] rather than
//! ending the read, so it is reported with every other problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// An import file as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Rows that could not be read as rows at all.
    pub broken: Vec<RowProblem>,
}

/// One row: its number in the file and its cells, trimmed, one per header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// A row the reader could not take apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub row: usize,
    /// The header of the column where it shows, when one can be named.
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} has no header row: the first row names the columns (login, firstName, lastName, email, …)", path.display())]
    Empty { path: PathBuf },
    #[error("cannot read the workbook {}: {message}", path.display())]
    Workbook { path: PathBuf, message: String },
    #[error("the workbook {} has no sheet named {name:?} (it has: {})", path.display(), available.join(", "))]
    NoSheet { path: PathBuf, name: String, available: Vec<String> },
    #[error("--sheet applies to .xlsx workbooks; {} is read as CSV", path.display())]
    SheetOfCsv { path: PathBuf },
}

/// Reads `path`: a workbook when it ends in `.xlsx`, CSV otherwise.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table, ReadError> {
    let is_xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        return read_xlsx(path, sheet);
    }
    if sheet.is_some() {
        return Err(ReadError::SheetOfCsv { path: path.to_owned() });
    }
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io { path: path.to_owned(), source })?;
    read_csv(&bytes).ok_or_else(|| ReadError::Empty { path: path.to_owned() })
}

/// CSV from bytes; `None` when there is no header row. The `csv` reader
/// drops a leading byte order mark itself.
pub fn read_csv(text: &[u8]) -> Option<Table> {
    let delimiter = separator(text);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text);
    let mut record = csv::ByteRecord::new();
    let headers: Vec<String> = match reader.read_byte_record(&mut record) {
        Ok(true) => record.iter().map(|h| String::from_utf8_lossy(h).trim().to_owned()).collect(),
        _ => return None,
    };
    if headers.iter().all(String::is_empty) {
        return None;
    }
    let mut table = Table { headers, rows: Vec::new(), broken: Vec::new() };
    for number in 2.. {
        let start = reader.position().byte() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                table.broken.push(RowProblem { row: number, column: None, message: e.to_string() });
                break;
            }
        }
        let raw = text.get(start..reader.position().byte() as usize).unwrap_or_default();
        if let Some(problem) = take_row(&mut table, number, &record, raw, delimiter) {
            table.broken.push(problem);
        }
    }
    Some(table)
}

/// Adds the record as a row, or says why it cannot be one.
fn take_row(
    table: &mut Table,
    number: usize,
    record: &csv::ByteRecord,
    raw: &[u8],
    separator: u8,
) -> Option<RowProblem> {
    if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
        return None;
    }
    let Ok(cells) = record.iter().map(std::str::from_utf8).collect::<Result<Vec<_>, _>>() else {
        let message = "is not UTF-8 text: save the file as \"CSV UTF-8\"".to_owned();
        return Some(RowProblem { row: number, column: None, message });
    };
    let cells: Vec<String> = cells.into_iter().map(|c| c.trim().to_owned()).collect();
    // Quotes come in pairs in well-formed CSV (a quote inside a quoted
    // field is doubled): one left open swallows the rows after it, and a
    // stray one inside an unquoted value is not what its author meant.
    if let Some(at) = open_quote(raw, separator) {
        return Some(RowProblem {
            row: number,
            column: table.headers.get(at).cloned(),
            message: "has a quote that is not closed (or a stray \" inside an unquoted value)".into(),
        });
    }
    let width = table.headers.len();
    if cells.len() > width && cells[width..].iter().any(|c| !c.is_empty()) {
        return Some(RowProblem {
            row: number,
            column: None,
            message: format!("has {} values where the header names {width} columns", cells.len()),
        });
    }
    table.rows.push(Row { number, cells });
    None
}

/// The column where a quote opens that never closes in the raw `record`.
fn open_quote(record: &[u8], separator: u8) -> Option<usize> {
    let (mut field, mut open) = (0, None);
    for b in record {
        if *b == b'"' {
            open = if open.is_some() { None } else { Some(field) };
        } else if *b == separator && open.is_none() {
            field += 1;
        }
    }
    open
}

/// `;` when the header holds more of them than commas (Excel writes `;`
/// where the decimal separator is a comma), else `,`.
fn separator(text: &[u8]) -> u8 {
    let header = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| header.iter().filter(|b| **b == c).count();
    if count(b';') > count(b',') { b';' } else { b',' }
}

fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<Table, ReadError> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let workbook_error = |e: &dyn fmt::Display| ReadError::Workbook { path: path.to_owned(), message: e.to_string() };
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e| workbook_error(&e))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names.iter().find(|n| n.as_str() == wanted).cloned().ok_or_else(|| ReadError::NoSheet {
            path: path.to_owned(),
            name: wanted.to_owned(),
            available: names.clone(),
        })?,
        None => names.first().cloned().ok_or_else(|| ReadError::Empty { path: path.to_owned() })?,
    };
    let range = book.worksheet_range(&name).map_err(|e| workbook_error(&e))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let first_column = range.start().map_or(0, |(_, column)| column as usize);
    let text = |cell: &Data| match cell {
        Data::Empty => String::new(),
        other => other.to_string().trim().to_owned(),
    };
    let mut rows = range.rows().enumerate();
    let Some((_, header)) = rows.next() else { return Err(ReadError::Empty { path: path.to_owned() }) };
    // Columns left of the used range are empty: keep positions as written.
    let pad = |cells: Vec<String>| std::iter::repeat_n(String::new(), first_column).chain(cells).collect::<Vec<_>>();
    let headers = pad(header.iter().map(text).collect());
    if headers.iter().all(String::is_empty) {
        return Err(ReadError::Empty { path: path.to_owned() });
    }
    let mut table = Table { headers, rows: Vec::new(), broken: Vec::new() };
    for (index, cells) in rows {
        let cells = pad(cells.iter().map(text).collect());
        if cells.iter().all(String::is_empty) {
            continue;
        }
        table.rows.push(Row { number: first_row + index + 1, cells });
    }
    Ok(table)
}
