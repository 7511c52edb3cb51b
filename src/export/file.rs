//! Exporting to a file without ever leaving a partial one that looks
//! complete: users go to a temporary file beside the target, which is
//! renamed over it only once every page is written and synced. On an
//! error, or when the export is dropped, the temporary file is removed.

use super::{Error, ExportRequest, Progress, Summary, export};
use crate::okta::Client;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Exports `request` to the file at `path` (see [`export`]), replacing it
/// only when the export succeeds. A `path` that exists and is not a
/// regular file (`/dev/null`, a pipe) is written directly.
pub async fn export_to_file<F>(
    client: &Client,
    request: &ExportRequest,
    path: &Path,
    progress: F,
) -> Result<Summary, Error>
where
    F: FnMut(&Progress) + Send,
{
    if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let file = fs::OpenOptions::new().write(true).open(path).map_err(|e| io_error(path, e))?;
        return export(client, request, BufWriter::new(file), progress).await.map_err(|e| with_path(e, path));
    }
    let temp = Temp::create(path)?;
    let file = temp.file.try_clone().map_err(|e| io_error(&temp.path, e))?;
    let summary = export(client, request, BufWriter::with_capacity(256 * 1024, file), progress)
        .await
        .map_err(|e| with_path(e, path))?;
    temp.persist(path)?;
    Ok(summary)
}

/// The temporary file, removed on drop unless persisted.
struct Temp {
    path: PathBuf,
    file: File,
    keep: bool,
}

impl Temp {
    fn create(target: &Path) -> Result<Self, Error> {
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let path = dir.join(format!(".{name}.{}-{:08x}.partial", std::process::id(), fastrand::u32(..)));
        let file = fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| io_error(&path, e))?;
        Ok(Self { path, file, keep: false })
    }

    fn persist(mut self, target: &Path) -> Result<(), Error> {
        self.file.sync_all().map_err(|e| io_error(&self.path, e))?;
        fs::rename(&self.path, target).map_err(|e| io_error(target, e))?;
        self.keep = true;
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io { what: path.display().to_string(), source }
}

/// Output errors name the file the user asked for.
fn with_path(error: Error, path: &Path) -> Error {
    match error {
        Error::Io { source, .. } => io_error(path, source),
        other => other,
    }
}
