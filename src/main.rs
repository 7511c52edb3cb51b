use clap::Parser;
use oktui::cli::{Cli, Command, ServeArgs, ThemeArg};
use oktui::driver::{self, UiOptions};
use oktui::emulator::{self, OrgConfig};
use oktui::okta::config::{self, ConfigSources};
use oktui::okta::{Client, ClientConfig, OrgUrl, Secret};
use oktui::ui::theme::{Palette, Theme};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_path = cli.log_file.clone().unwrap_or_else(oktui::logging::default_path);
    let _log = oktui::logging::init(&log_path);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    let result = runtime.block_on(run(cli));
    // Background tasks (in-flight requests) must not keep the process alive.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> ExitCode {
    tracing::error!("{message}");
    eprintln!("oktui: {message}");
    ExitCode::FAILURE
}

async fn run(cli: Cli) -> Result<(), String> {
    let palette = match cli.theme {
        ThemeArg::Dark => Palette::Dark,
        ThemeArg::Light => Palette::Light,
    };
    let ui = UiOptions { mouse: cli.mouse, theme: Theme::from_env(palette) };
    match cli.command {
        Some(Command::Serve(args)) => serve(args).await,
        None if cli.demo => {
            let token = random_token();
            let org = emulator::start(&OrgConfig::demo(token.clone()), ([127, 0, 0, 1], 0).into())
                .await
                .map_err(|e| format!("cannot start the embedded org: {e}"))?;
            tracing::info!("embedded demo org on {}", org.url());
            let url = OrgUrl::parse(&org.url()).map_err(|e| e.to_string())?;
            run_tui(ClientConfig::new(url, Secret::new(token)), ui).await
        }
        None => {
            let sources = ConfigSources::from_system(cli.org.settings(), cli.org.profile.clone())?;
            let resolved = config::resolve(&sources).map_err(|e| e.to_string())?;
            for warning in &resolved.warnings {
                tracing::warn!("{warning}");
                eprintln!("oktui: warning: {warning}");
            }
            tracing::info!("org {} (from {})", resolved.config.org_url, resolved.org_url_from);
            run_tui(resolved.config, ui).await
        }
    }
}

async fn run_tui(config: ClientConfig, ui: UiOptions) -> Result<(), String> {
    let client = Client::new(config).map_err(|e| e.to_string())?;
    driver::run(client, ui).await.map_err(|e| e.to_string())
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let token = args.token.unwrap_or_else(random_token);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("oktui serve: embedded Okta org listening");
    println!("  OKTA_CLIENT_ORGURL=http://{addr}");
    println!("  OKTA_CLIENT_TOKEN={token}");
    emulator::serve(&OrgConfig::demo(token), listener).await.map_err(|e| e.to_string())
}

fn random_token() -> String {
    let mut t = String::from("00");
    t.extend(std::iter::repeat_with(fastrand::alphanumeric).take(40));
    t
}
