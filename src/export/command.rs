//! `oktui export`: the request from the flags, the output (a file or
//! stdout), the progress line and the summary on stderr.

use super::progress::ProgressLine;
use super::{Column, DEFAULT_COLUMNS, Error, ExportRequest, Format, Query, Summary, export, export_to_file};
use crate::cli::{ExportArgs, ExportFormat};
use crate::okta::Client;
use std::io::BufWriter;

/// The request the flags describe, checked before anything is sent.
pub fn request(args: &ExportArgs) -> Result<ExportRequest, Error> {
    let query = match (&args.search, &args.filter) {
        (Some(s), None) => Query::Search(s.clone()),
        (None, Some(f)) => Query::Filter(f.clone()),
        (None, None) => Query::All,
        (Some(_), Some(_)) => {
            return Err(Error::Invalid(
                "--search and --filter cannot be combined (Okta refuses both in one request): choose one".into(),
            ));
        }
    };
    let format = match args.format {
        ExportFormat::Jsonl if !args.columns.is_empty() => {
            return Err(Error::Invalid("--columns applies to CSV only: add --format csv".into()));
        }
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Csv if args.columns.is_empty() => Format::Csv(
            DEFAULT_COLUMNS.iter().map(|c| Column::parse(c)).collect::<Result<_, _>>().map_err(Error::Invalid)?,
        ),
        ExportFormat::Csv => Format::Csv(
            args.columns.iter().map(|c| Column::parse(c)).collect::<Result<_, _>>().map_err(Error::Invalid)?,
        ),
    };
    ExportRequest::new(query, format, args.parallel)
}

/// Runs the export the flags describe; the summary line goes to stderr.
pub async fn run(client: &Client, args: &ExportArgs) -> Result<Summary, String> {
    let request = request(args).map_err(|e| e.to_string())?;
    let mut line = ProgressLine::stderr();
    let result = match &args.output {
        Some(path) => export_to_file(client, &request, path, |p| line.update(p)).await,
        None => {
            export(client, &request, BufWriter::with_capacity(256 * 1024, std::io::stdout()), |p| line.update(p)).await
        }
    };
    line.clear();
    match (result, &args.output) {
        (Ok(summary), Some(path)) => {
            eprintln!("oktui: {summary} to {}", path.display());
            Ok(summary)
        }
        (Ok(summary), None) => {
            eprintln!("oktui: {summary}");
            Ok(summary)
        }
        (Err(e @ Error::Org { .. }), Some(path)) => Err(format!(
            "{e}. {} was not written (a file already there is left as it was); run the export again",
            path.display()
        )),
        (Err(e), _) => Err(e.to_string()),
    }
}
