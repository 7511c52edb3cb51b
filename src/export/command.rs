//! `oktui export`: a checked request written to a file or stdout, the
//! progress line and the summary on stderr. The command line builds the
//! request from its flags (`cli::ExportArgs::request`).

use super::progress::ProgressLine;
use super::{Error, ExportRequest, Summary, export, export_to_file};
use crate::okta::Client;
use std::io::BufWriter;
use std::path::Path;

/// Runs `request` into `output` (stdout without one); the summary line
/// goes to stderr.
pub async fn run(client: &Client, request: &ExportRequest, output: Option<&Path>) -> Result<Summary, String> {
    let mut line = ProgressLine::stderr();
    let result = match output {
        Some(path) => export_to_file(client, request, path, |p| line.update(p)).await,
        None => {
            export(client, request, BufWriter::with_capacity(256 * 1024, std::io::stdout()), |p| line.update(p)).await
        }
    };
    line.clear();
    match (result, output) {
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
