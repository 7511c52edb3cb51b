//! `oktui import`: the problems or the plan on the terminal, a question
//! before writing (unless `--yes`), a progress line, the summary; and
//! `--template`, the org's attributes as a header row.

use super::org::OrgFacts;
use super::{Kind, Loaded, Options, Progress, columns, prepare, results_path, run};
use crate::display::thousands;
use crate::okta::Client;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub options: Options,
    pub dry_run: bool,
    pub yes: bool,
    pub results: Option<PathBuf>,
    pub resume: bool,
}

/// Runs the import; `Err` holds what to print, and means exit status 1.
pub async fn import(client: &Client, request: &Request) -> Result<(), String> {
    request.options.check()?;
    let results = request.results.clone().unwrap_or_else(|| results_path(&request.file));
    let shown = request.file.display().to_string();
    let loaded = prepare(client, &request.file, request.sheet.as_deref(), &request.options, !request.resume)
        .await
        .map_err(|e| e.to_string())?;
    let header_broken = loaded.problems.iter().any(|p| p.row == 1);
    if !loaded.problems.is_empty() {
        let mut text = String::new();
        for problem in &loaded.problems {
            text.push_str(&format!("{shown}: {problem}\n"));
        }
        let rows: std::collections::BTreeSet<usize> = loaded.problems.iter().map(|p| p.row).collect();
        if header_broken || !request.options.skip_invalid {
            print_problems(request.dry_run, &text);
            return Err(format!(
                "{} problems in {} rows of {shown}; nothing was sent. Fix them (or add --skip-invalid to leave those \
                 rows out) and run again",
                thousands(loaded.problems.len() as u64),
                thousands(rows.len() as u64)
            ));
        }
        print_problems(request.dry_run, &text);
        eprintln!("oktui: {} invalid rows will be skipped (--skip-invalid)", thousands(rows.len() as u64));
    }
    if request.resume {
        eprintln!("oktui: resuming the import of {shown}");
    } else {
        print_plan(&loaded, request.dry_run);
        if request.dry_run {
            return Ok(());
        }
        let writes = loaded.count(Kind::Create) + loaded.count(Kind::Update);
        if writes > 0 && !request.yes && !confirm(writes)? {
            return Err("nothing was sent".into());
        }
    }
    let mut line = crate::display::StderrLine::new();
    let summary = run(client, loaded, &request.options, &results, request.resume, &crate::job::Pause::default(), |p| {
        line.update(|| render(&p))
    })
    .await;
    line.clear();
    match summary {
        Ok(summary) if summary.failed == 0 => {
            eprintln!("oktui: {summary}; results in {}", results.display());
            Ok(())
        }
        Ok(summary) => Err(format!("{summary}; the failed rows and Okta's reasons are in {}", results.display())),
        Err(e) if crate::job::JobFiles::beside(&results).unfinished() => Err(format!(
            "{e}. The rows done so far are kept with a checkpoint beside {}; to continue where it stopped, run the \
             same command with --resume",
            results.display()
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn print_problems(dry_run: bool, text: &str) {
    if dry_run {
        print!("{text}");
    } else {
        eprint!("{text}");
    }
}

/// Counts per kind, then (with `all`) each row that changes something.
fn print_plan(loaded: &Loaded, all: bool) {
    let counts: Vec<String> =
        Kind::ALL.iter().map(|k| format!("{} {}", thousands(loaded.count(*k) as u64), plan_word(*k))).collect();
    let line =
        format!("{}: {} rows: {}", loaded.path.display(), thousands(loaded.planned.len() as u64), counts.join(", "));
    if !all {
        eprintln!("oktui: {line}");
        return;
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    for p in loaded.planned.iter().filter(|p| matches!(p.kind, Kind::Create | Kind::Update | Kind::Existing)) {
        let diff = p.diff(|g| loaded.group_name(g));
        let _ = match p.kind {
            Kind::Create => writeln!(out, "row {}: create {}", p.row, p.login),
            kind => writeln!(out, "row {}: {} {}: {diff}", p.row, kind.word(), p.login),
        };
    }
}

fn plan_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Create => "to create",
        Kind::Update => "to update",
        Kind::Unchanged => "unchanged",
        Kind::Existing => "existing (not updated without --update-existing)",
        Kind::Invalid => "invalid",
    }
}

fn confirm(writes: usize) -> Result<bool, String> {
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "the import would write {} users; add --yes to run it without a terminal to confirm on, or --dry-run to \
             see the plan",
            thousands(writes as u64)
        ));
    }
    eprint!("Write {} users? [y/N] ", thousands(writes as u64));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|e| e.to_string())?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// The org's attributes as a header row (the default type's, then those of
/// other types), with the columns that are not attributes at the end.
pub async fn template(client: &Client, output: Option<&std::path::Path>) -> Result<(), String> {
    let facts = OrgFacts::load(client).await.map_err(|e| e.to_string())?;
    let mut names: Vec<String> = columns::REQUIRED.iter().map(|s| (*s).to_owned()).collect();
    let mut types: Vec<_> = facts.types.iter().collect();
    types.sort_by_key(|t| !t.default);
    for attr in types.iter().flat_map(|t| &t.attributes) {
        if !attr.read_only && attr.name != columns::USER_TYPE && !names.contains(&attr.name) {
            names.push(attr.name.clone());
        }
    }
    names.extend(
        [columns::PASSWORD, columns::RECOVERY_QUESTION, columns::RECOVERY_ANSWER, columns::GROUPS, columns::USER_TYPE]
            .map(str::to_owned),
    );
    let mut line = Vec::new();
    {
        let mut writer = csv::Writer::from_writer(&mut line);
        writer.write_record(&names).map_err(|e| e.to_string())?;
        writer.flush().map_err(|e| e.to_string())?;
    }
    match output {
        Some(path) => std::fs::write(path, &line).map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => std::io::stdout().write_all(&line).map_err(|e| e.to_string()),
    }
}

/// `[#####...............]  25% 1,250 of 5,000 rows written`
fn render(p: &Progress) -> String {
    let share = p.done as f64 / (p.total.max(1)) as f64;
    let filled = (share * 20.0).round() as usize;
    format!(
        "[{}{}] {:3.0}% {} of {} rows written",
        "#".repeat(filled),
        ".".repeat(20 - filled.min(20)),
        share * 100.0,
        thousands(p.done),
        thousands(p.total)
    )
}
