//! `oktui export`: a checked request written to a file or stdout, the
//! progress line and the summary on stderr. The command line builds the
//! request from its flags (`cli::ExportArgs::request`). A file is written
//! as a resumable job (see `resumable`); a failed export says how to resume.

use super::{Error, ExportRequest, Summary, export, export_resumable};
use crate::display::StderrLine;
use crate::okta::Client;
use std::io::BufWriter;
use std::path::Path;

/// Runs `request` into `output` (stdout without one), or with `resume`
/// continues the unfinished export to `output`; the summary line goes to
/// stderr. `command_line` is how oktui was started, for the resume hint.
pub async fn run(
    client: &Client,
    request: &ExportRequest,
    output: Option<&Path>,
    resume: bool,
    command_line: &[String],
) -> Result<Summary, String> {
    let mut line = StderrLine::new();
    let result = match output {
        Some(path) if is_regular_or_new(path) => {
            export_resumable(client, request, path, resume, |p| line.update(|| super::progress::render(p))).await
        }
        Some(path) if resume => {
            Err(Error::Invalid(format!("--resume needs a regular file, and {} is not one", path.display())))
        }
        Some(path) => match std::fs::OpenOptions::new().write(true).open(path) {
            Ok(file) => {
                export(client, request, BufWriter::new(file), |p| line.update(|| super::progress::render(p))).await
            }
            Err(source) => Err(Error::Io { what: path.display().to_string(), source }),
        },
        None => {
            export(client, request, BufWriter::with_capacity(256 * 1024, std::io::stdout()), |p| {
                line.update(|| super::progress::render(p))
            })
            .await
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
        (Err(e @ (Error::Org { .. } | Error::Io { .. })), Some(path))
            if crate::job::JobFiles::beside(path).unfinished() =>
        {
            Err(format!(
                "{e}. {} was not written; what was exported so far is kept with a checkpoint beside it. \
                 To continue where it stopped, run: {}",
                path.display(),
                resume_command(command_line)
            ))
        }
        (Err(e @ Error::Org { .. }), Some(path)) => Err(format!(
            "{e}. {} was not written (a file already there is left as it was); run the export again",
            path.display()
        )),
        (Err(e), _) => Err(e.to_string()),
    }
}

/// Whether `path` is (or will be) a regular file: devices and pipes are
/// written directly, with no partial file or checkpoint.
fn is_regular_or_new(path: &std::path::Path) -> bool {
    std::fs::metadata(path).map_or(true, |m| m.is_file())
}

/// The command line that continues an export: as it was run, with
/// `--resume` added and secrets given as arguments replaced by a
/// placeholder (they must never be printed). Quoted for a POSIX shell.
pub fn resume_command(command_line: &[String]) -> String {
    const SECRET_FLAGS: [&str; 2] = ["--token", "--private-key"];
    const PLACEHOLDER: &str = "'<your secret>'";
    let mut words = Vec::with_capacity(command_line.len() + 1);
    let mut hide_next = false;
    for (i, arg) in command_line.iter().enumerate() {
        let word = if hide_next {
            hide_next = false;
            PLACEHOLDER.to_owned()
        } else if let Some((flag, _)) = arg.split_once('=').filter(|(f, _)| SECRET_FLAGS.contains(f)) {
            format!("{flag}={PLACEHOLDER}")
        } else {
            hide_next = SECRET_FLAGS.contains(&arg.as_str());
            if i == 0 { arg.clone() } else { quote(arg) }
        };
        words.push(word);
    }
    if !command_line.iter().any(|a| a == "--resume") {
        words.push("--resume".into());
    }
    words.join(" ")
}

fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '%' | '+')
        });
    if plain { word.to_owned() } else { format!("'{}'", word.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_resume_command_repeats_the_arguments_without_secrets() {
        let line = words(&[
            "oktui",
            "--token",
            "00abcSECRET",
            "export",
            "--search",
            r#"profile.lastName sw "O'B""#,
            "-o",
            "out.jsonl",
            "--private-key=/keys/k.pem",
        ]);
        let command = resume_command(&line);
        assert_eq!(
            command,
            r#"oktui --token '<your secret>' export --search 'profile.lastName sw "O'\''B"' -o out.jsonl --private-key='<your secret>' --resume"#
        );
        assert!(!command.contains("SECRET") && !command.contains("k.pem"));
        let again = words(&["oktui", "export", "-o", "a b.csv", "--resume"]);
        assert_eq!(resume_command(&again), "oktui export -o 'a b.csv' --resume");
    }
}
