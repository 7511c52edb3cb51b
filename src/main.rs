use clap::Parser;
use oktui::cli::LogsArgs;
use oktui::cli::{BulkArgs, Cli, Command, ExportArgs, ImportArgs, OrgArgs, ServeArgs, ThemeArg};
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
    let ui = UiOptions {
        mouse: cli.mouse,
        theme: Theme::from_env(palette),
        credential_from: String::new(),
        throwaway_org: false,
    };
    match cli.command {
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Export(args)) => export(&cli.org, &args).await,
        Some(Command::Bulk(args)) => bulk(&cli.org, &args).await,
        Some(Command::Import(args)) => import(&cli.org, &args).await,
        Some(Command::Logs(args)) => logs(&cli.org, &args).await,
        None if cli.demo => {
            let token = random_token();
            let org = emulator::start(&OrgConfig::demo(token.clone()), ([127, 0, 0, 1], 0).into())
                .await
                .map_err(|e| format!("cannot start the embedded org: {e}"))?;
            tracing::info!("embedded demo org on {}", org.url());
            let url = OrgUrl::parse(&org.url()).map_err(|e| e.to_string())?;
            let ui = UiOptions { credential_from: "the embedded org's own token".into(), ..ui };
            let ui = UiOptions { throwaway_org: true, ..ui };
            run_tui(ClientConfig::new(url, Secret::new(token)), ui).await
        }
        None => {
            let resolved = resolve(&cli.org)?;
            run_tui(resolved.config, UiOptions { credential_from: resolved.credential_from, ..ui }).await
        }
    }
}

/// The client configuration from the flags, the environment and the files.
fn resolve(org: &OrgArgs) -> Result<config::Resolved, String> {
    let sources = ConfigSources::from_system(org.settings(), org.profile.clone())?;
    let resolved = config::resolve(&sources).map_err(|e| e.to_string())?;
    for warning in &resolved.warnings {
        tracing::warn!("{warning}");
        eprintln!("oktui: warning: {warning}");
    }
    tracing::info!("org {} (from {})", resolved.config.org_url, resolved.org_url_from);
    Ok(resolved)
}

async fn export(top: &OrgArgs, args: &ExportArgs) -> Result<(), String> {
    // Checked before the configuration, so a typo costs no sign-in.
    let request = args.request().map_err(|e| e.to_string())?;
    let org = args.org.or(top);
    let mut config = resolve(&org)?.config;
    // Partitions paged at once need as many requests in flight, unless
    // --concurrency caps them on purpose.
    if org.concurrency.is_none() {
        config.concurrency = config.concurrency.max(args.parallel);
    }
    let client = Client::new(config).map_err(|e| e.to_string())?;
    let command_line: Vec<String> = std::env::args().collect();
    oktui::export::command::run(&client, &request, args.output.as_deref(), args.resume, &command_line).await.map(|_| ())
}

async fn bulk(top: &OrgArgs, args: &BulkArgs) -> Result<(), String> {
    let org = args.org.or(top);
    let config = resolve(&org)?.config;
    // Checked before the client, so a typo costs no sign-in.
    let request = args.request(config.concurrency)?;
    let client = Client::new(config).map_err(|e| e.to_string())?;
    let command_line: Vec<String> = std::env::args().collect();
    let mut input = std::io::stdin().lock();
    oktui::bulk::command::run(&client, &request, &mut input, &command_line).await.map(drop)
}

async fn import(top: &OrgArgs, args: &ImportArgs) -> Result<(), String> {
    let org = args.org.or(top);
    let mut config = resolve(&org)?.config;
    if org.concurrency.is_none() {
        config.concurrency = config.concurrency.max(oktui::import::run::PARALLEL);
    }
    let client = Client::new(config).map_err(|e| e.to_string())?;
    match args.request() {
        Some(request) => oktui::import::command::import(&client, &request).await,
        None => oktui::import::command::template(&client, args.output.as_deref()).await,
    }
}

async fn logs(top: &OrgArgs, args: &LogsArgs) -> Result<(), String> {
    let request = args.request(jiff::Timestamp::now())?;
    let client = Client::new(resolve(&args.org.or(top))?.config).map_err(|e| e.to_string())?;
    let count = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            oktui::logs::run(&client, &request, &mut std::io::BufWriter::new(file)).await?
        }
        None => oktui::logs::run(&client, &request, &mut std::io::BufWriter::new(std::io::stdout())).await?,
    };
    eprintln!("oktui: {count} events");
    Ok(())
}

async fn run_tui(config: ClientConfig, ui: UiOptions) -> Result<(), String> {
    let client = Client::new(config).map_err(|e| e.to_string())?;
    driver::run(client, ui).await.map_err(|e| e.to_string())
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let generated = args.token.is_none();
    let token = args.token.as_ref().map_or_else(random_token, |t| t.expose().to_owned());
    emulator::listen::check_token(&token)?;
    let mut config = OrgConfig::demo(token.clone())
        .with_users(args.users)
        .with_faults(emulator::Faults {
            latency_ms: args.latency,
            error_rate: args.error_rate,
            error_status: args.error_status.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0),
            throttle_rate: args.throttle_rate,
            drop_rate: args.drop_rate,
            lose_rate: args.lose_rate,
            lose_hold_ms: args.lose_hold,
        })
        .with_access_token_ttl(std::time::Duration::from_secs(args.oauth_token_ttl));
    config.seed_demo = !args.no_demo;
    config.oauth_dpop = args.oauth_dpop;
    if let Some(n) = args.rate_limit {
        config = config.with_rate_limit(n);
    }
    if let Some(path) = &args.data {
        config = config.with_data_file(path);
    }
    if let (Some(client_id), Some(key_file)) = (&args.oauth_client_id, &args.oauth_public_key) {
        let public_key = std::fs::read_to_string(key_file)
            .map_err(|e| format!("cannot read the OAuth public key {}: {e}", key_file.display()))?;
        let scopes = args.oauth_scopes.split([' ', ',']).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        config = config.with_service_app(emulator::ServiceApp {
            client_id: client_id.clone(),
            public_key,
            key_id: None,
            scopes,
        });
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if let Some(warning) = emulator::listen::exposure_warning(addr) {
        tracing::warn!("{warning}");
        eprintln!("oktui serve: WARNING: {warning}");
    }
    let serving = emulator::serve(&config, listener);
    println!("oktui serve: embedded Okta org listening");
    println!("  OKTA_CLIENT_ORGURL=http://{addr}");
    if generated {
        println!("  OKTA_CLIENT_TOKEN={token}");
    } else {
        println!("  token: the one given with --token");
    }
    if let Some(path) = &args.data {
        println!("  data: {}", path.display());
    }
    tokio::select! {
        result = serving => result.map_err(|e| format!("the embedded org stopped: {e}")),
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

fn random_token() -> String {
    let mut t = String::from("00");
    t.extend(std::iter::repeat_with(fastrand::alphanumeric).take(40));
    t
}
