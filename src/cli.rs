//! The command line.

use crate::export::{self, ExportRequest, Format, Query};
use crate::okta::Secret;
use crate::okta::config::{Settings, split_scopes};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "oktui", version, about = "A fast, keyboard-driven terminal UI for the users of an Okta org")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Open the TUI on an embedded demo org (no network, no account needed)
    #[arg(long, conflicts_with_all = ["org_url", "token", "profile"])]
    pub demo: bool,

    #[command(flatten)]
    pub org: OrgArgs,

    /// Where to write logs (default: oktui.log in the user's state directory)
    #[arg(long, value_name = "FILE", global = true)]
    pub log_file: Option<PathBuf>,

    /// Enable mouse wheel and clicks
    #[arg(long)]
    pub mouse: bool,

    /// Colors for a dark or a light terminal background (NO_COLOR turns colors off)
    #[arg(long, value_enum, default_value_t = ThemeArg::Dark)]
    pub theme: ThemeArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    Dark,
    Light,
}

/// Which org to open and how to sign in. Each flag beats the matching
/// `OKTA_CLIENT_*` variable, which beats `./okta.yaml`, which beats
/// `~/.okta/okta.yaml`; `--profile` replaces the variables and files.
#[derive(Debug, Default, Args)]
pub struct OrgArgs {
    /// The org to open, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]
    #[arg(long, value_name = "URL")]
    pub org_url: Option<String>,

    /// API token (SSWS) [env: OKTA_CLIENT_TOKEN]; prefer the environment or
    /// ~/.okta/okta.yaml, since arguments are visible to other local users
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<Secret>,

    /// A named org from oktui's config file (<config dir>/oktui/config.yaml) [env: OKTUI_PROFILE]
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// SSWS (API token, default), Bearer or PrivateKey (OAuth service app) [env: OKTA_CLIENT_AUTHORIZATIONMODE]
    #[arg(long, value_name = "MODE")]
    pub authorization_mode: Option<String>,

    /// OAuth service app client id [env: OKTA_CLIENT_CLIENTID]
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// OAuth scopes, space- or comma-separated [env: OKTA_CLIENT_SCOPES]
    #[arg(long, value_name = "SCOPES")]
    pub scopes: Option<String>,

    /// Private key file (PEM or JWK) for OAuth [env: OKTA_CLIENT_PRIVATEKEY]
    #[arg(long, value_name = "FILE")]
    pub private_key: Option<Secret>,

    /// The key id (kid) of the private key [env: OKTA_CLIENT_KEYID]
    #[arg(long, value_name = "KID")]
    pub key_id: Option<String>,

    /// OAuth with DPoP-bound access tokens, for service apps that require
    /// DPoP [env: OKTA_CLIENT_DPOPENABLED]
    #[arg(long)]
    pub dpop_enabled: bool,

    /// Seconds to wait for a connection [env: OKTA_CLIENT_CONNECTIONTIMEOUT]
    #[arg(long, value_name = "SECONDS")]
    pub connection_timeout: Option<u64>,

    /// Seconds to wait for a whole request, 0 for no limit [env: OKTA_CLIENT_REQUESTTIMEOUT]
    #[arg(long, value_name = "SECONDS")]
    pub request_timeout: Option<u64>,

    /// Retries of each kind (429s; server errors and lost connections) before
    /// giving up, default 2; jobs such as export make at least 10
    /// [env: OKTA_CLIENT_RATELIMIT_MAXRETRIES]
    #[arg(long, value_name = "N")]
    pub max_retries: Option<u32>,

    /// Percent of each rate-limit bucket oktui may use, 1 to 100 (default
    /// 100: all the org allows this token); the rest is left to the org's
    /// other integrations [env: OKTA_CLIENT_RATELIMIT_MAXAPICAPACITY]
    #[arg(long, value_name = "PERCENT")]
    pub max_api_capacity: Option<u64>,

    /// Requests in flight at once, 1 to 75 (default 8) [env: OKTUI_CONCURRENCY]
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
}

impl OrgArgs {
    /// These flags where given, else `fallback`'s (for flags accepted both
    /// before and after a subcommand).
    pub fn or(&self, fallback: &OrgArgs) -> OrgArgs {
        OrgArgs {
            org_url: self.org_url.clone().or_else(|| fallback.org_url.clone()),
            token: self.token.clone().or_else(|| fallback.token.clone()),
            profile: self.profile.clone().or_else(|| fallback.profile.clone()),
            authorization_mode: self.authorization_mode.clone().or_else(|| fallback.authorization_mode.clone()),
            client_id: self.client_id.clone().or_else(|| fallback.client_id.clone()),
            scopes: self.scopes.clone().or_else(|| fallback.scopes.clone()),
            private_key: self.private_key.clone().or_else(|| fallback.private_key.clone()),
            key_id: self.key_id.clone().or_else(|| fallback.key_id.clone()),
            dpop_enabled: self.dpop_enabled || fallback.dpop_enabled,
            connection_timeout: self.connection_timeout.or(fallback.connection_timeout),
            request_timeout: self.request_timeout.or(fallback.request_timeout),
            max_retries: self.max_retries.or(fallback.max_retries),
            max_api_capacity: self.max_api_capacity.or(fallback.max_api_capacity),
            concurrency: self.concurrency.or(fallback.concurrency),
        }
    }

    /// The flags as the highest-precedence configuration layer.
    pub fn settings(&self) -> Settings {
        Settings {
            org_url: self.org_url.clone(),
            token: self.token.clone(),
            authorization_mode: self.authorization_mode.clone(),
            client_id: self.client_id.clone(),
            scopes: self.scopes.as_deref().map(split_scopes),
            private_key: self.private_key.clone(),
            key_id: self.key_id.clone(),
            dpop_enabled: self.dpop_enabled.then_some(true),
            connection_timeout: self.connection_timeout,
            request_timeout: self.request_timeout,
            max_retries: self.max_retries,
            max_api_capacity: self.max_api_capacity,
            concurrency: self.concurrency,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the embedded Okta-compatible org as a standalone HTTP server
    Serve(ServeArgs),
    /// Export users (all, a search or a filter) as JSON lines or CSV, without the TUI
    Export(ExportArgs),
    /// Act on many users at once (suspend, delete, add to a group, set an
    /// attribute…): planned first, then run as a resumable job
    Bulk(BulkArgs),
    /// Import users from a CSV or .xlsx file: checked, planned as a diff, then written as a resumable job
    Import(ImportArgs),
    /// Read the System Log (a user's events, a filter, keywords, a time
    /// range) as JSON lines or CSV, or follow it as events arrive
    Logs(LogsArgs),
}

/// `oktui import`. Columns as Okta's import template: login, firstName,
/// lastName, email, any profile attribute by its variable name, and
/// password, recoveryQuestion, recoveryAnswer, groups (names or ids,
/// `;`-separated), userType (name or id).
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV (UTF-8, `,` or `;`) or .xlsx file
    #[arg(value_name = "FILE", required_unless_present = "template")]
    pub file: Option<PathBuf>,

    /// The sheet of an .xlsx workbook (default: the first)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// Update existing users whose attributes differ (only the file's columns; groups are joined, never left)
    #[arg(long)]
    pub update_existing: bool,

    /// Activate new users (default: STAGED, like Okta's import)
    #[arg(long)]
    pub activate: bool,

    /// Create users without a password who sign in through an identity provider
    #[arg(long)]
    pub provider: bool,

    /// change-password: new users change their password at first sign-in (needs --activate)
    #[arg(long, value_name = "WHEN", value_parser = ["change-password"])]
    pub next_login: Option<String>,

    /// Send Okta's activation email to new users (needs --activate)
    #[arg(long)]
    pub send_email: bool,

    /// Leave invalid rows out (reported, and marked skipped in the results) instead of refusing the file
    #[arg(long)]
    pub skip_invalid: bool,

    /// Print the problems or the plan and stop; nothing is sent (status 0 when the file is valid)
    #[arg(long)]
    pub dry_run: bool,

    /// Write without asking
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// The results file [default: FILE's name with .results.csv, beside it]
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,

    /// Continue the unfinished import of FILE where it stopped (same file and options)
    #[arg(long)]
    pub resume: bool,

    /// Write the org's profile attributes as a header row (a template to fill in)
    #[arg(long, conflicts_with_all = ["file", "resume", "dry_run"])]
    pub template: bool,

    /// Where --template writes (default: stdout)
    #[arg(short = 'o', long = "output", value_name = "FILE", requires = "template")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub org: OrgArgs,
}

impl ImportArgs {
    pub fn request(&self) -> Option<crate::import::command::Request> {
        Some(crate::import::command::Request {
            file: self.file.clone()?,
            sheet: self.sheet.clone(),
            options: crate::import::Options {
                update_existing: self.update_existing,
                activate: self.activate,
                provider: self.provider,
                next_login_change_password: self.next_login.is_some(),
                send_email: self.send_email,
                skip_invalid: self.skip_invalid,
            },
            dry_run: self.dry_run,
            yes: self.yes,
            results: self.results.clone(),
            resume: self.resume,
        })
    }
}

/// `oktui export`. The org flags may come before or after `export`; those
/// after it win.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only users matching this search expression (DEPROVISIONED users
    /// included), e.g. 'profile.department eq "Sales"'
    #[arg(long, value_name = "EXPR", conflicts_with = "filter")]
    pub search: Option<String>,

    /// Only users matching this filter expression (exact values; status,
    /// lastUpdated, id, profile.login/email/firstName/lastName)
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,

    /// jsonl: every user object exactly as the org returned it, one per
    /// line; csv: the --columns, with a header row
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,

    /// CSV columns: top-level or profile attributes, e.g. id,status,profile.login
    /// [default: id,status,created,lastLogin,profile.login,profile.email,profile.firstName,profile.lastName]
    #[arg(long, value_name = "A,B,...", value_delimiter = ',')]
    pub columns: Vec<String>,

    /// Split the export into id ranges and page N of them at once (users
    /// then come in no particular order); 1 pages the query as is
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub parallel: usize,

    /// Write to FILE, replaced only once the export succeeds (default:
    /// stdout). Until then the users written and a checkpoint are kept
    /// beside it (.FILE.partial, .FILE.journal), for --resume
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Continue the unfinished export to --output FILE where it stopped
    /// (give the same arguments as when it started)
    #[arg(long, requires = "output")]
    pub resume: bool,

    #[command(flatten)]
    pub org: OrgArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

impl ExportArgs {
    /// The export's request for these flags, checked before anything is
    /// sent.
    pub fn request(&self) -> Result<ExportRequest, export::Error> {
        let query = match (&self.search, &self.filter) {
            (Some(s), None) => Query::Search(s.clone()),
            (None, Some(f)) => Query::Filter(f.clone()),
            (None, None) => Query::All,
            (Some(_), Some(_)) => {
                return Err(export::Error::Invalid(
                    "--search and --filter cannot be combined (Okta refuses both in one request): choose one".into(),
                ));
            }
        };
        let format = match self.format {
            ExportFormat::Jsonl if !self.columns.is_empty() => {
                return Err(export::Error::Invalid("--columns applies to CSV only: add --format csv".into()));
            }
            ExportFormat::Jsonl => Format::Jsonl,
            ExportFormat::Csv => Format::csv(&self.columns).map_err(export::Error::Invalid)?,
        };
        ExportRequest::new(query, format, self.parallel)
    }
}

/// `oktui bulk OPERATION [ARGS] (--search | --filter | --ids | --logins)`.
#[derive(Debug, Args)]
pub struct BulkArgs {
    /// The operation and its arguments: activate, reactivate, deactivate,
    /// suspend, unsuspend, unlock, reset_password, expire_password,
    /// reset_factors, delete, add-to-group GROUP, remove-from-group GROUP,
    /// set ATTRIBUTE=VALUE…, clear-sessions
    #[arg(value_name = "OPERATION", required = true, num_args = 1..)]
    pub operation: Vec<String>,

    /// The users matching this search expression
    #[arg(long, value_name = "EXPR", group = "users")]
    pub search: Option<String>,

    /// The users matching this filter expression
    #[arg(long, value_name = "EXPR", group = "users")]
    pub filter: Option<String>,

    /// The users whose ids FILE lists, one a line
    #[arg(long, value_name = "FILE", group = "users")]
    pub ids: Option<PathBuf>,

    /// The users whose logins FILE lists, one a line
    #[arg(long, value_name = "FILE", group = "users")]
    pub logins: Option<PathBuf>,

    /// Print the plan and send no change
    #[arg(long)]
    pub dry_run: bool,

    /// Go ahead without asking
    #[arg(long)]
    pub yes: bool,

    /// Where the results go, one record per user [default: bulk-OPERATION.jsonl or .csv]
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,

    /// Continue the unfinished job writing --results FILE where it stopped
    /// (give the same arguments as when it started)
    #[arg(long)]
    pub resume: bool,

    /// The results file's format
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,

    /// activate, reactivate, reset_password: whether Okta emails each user
    /// [default: Okta's: true, reactivate false]; when false, the link Okta
    /// answers with (activationUrl, resetPasswordUrl) goes to the results
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub send_email: Option<bool>,

    #[command(flatten)]
    pub org: OrgArgs,
}

impl BulkArgs {
    /// The job these flags ask for, checked before anything is sent.
    pub fn request(&self, parallel: usize) -> Result<crate::bulk::command::BulkRequest, String> {
        use crate::bulk::{Operation, Selection};
        let operation = Operation::parse(&self.operation)?;
        if self.send_email.is_some() && !crate::bulk::EMAIL_CHOICE.contains(&operation.name()) {
            let takes = crate::bulk::EMAIL_CHOICE.join(", ");
            return Err(format!("--send-email is for {takes}, not {}", operation.name()));
        }
        let selection = match (&self.search, &self.filter, &self.ids, &self.logins) {
            (Some(s), None, None, None) => Selection::Search(s.clone()),
            (None, Some(f), None, None) => Selection::Filter(f.clone()),
            (None, None, Some(p), None) => Selection::Ids(p.clone()),
            (None, None, None, Some(p)) => Selection::Logins(p.clone()),
            _ => return Err("choose the users with one of --search, --filter, --ids FILE or --logins FILE".into()),
        };
        let format = match self.format {
            ExportFormat::Jsonl => crate::bulk::results::Format::Jsonl,
            ExportFormat::Csv => crate::bulk::results::Format::Csv,
        };
        Ok(crate::bulk::command::BulkRequest {
            operation,
            selection,
            dry_run: self.dry_run,
            yes: self.yes,
            results: self.results.clone(),
            resume: self.resume,
            format,
            parallel,
            send_email: self.send_email,
        })
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but a loopback address exposes the
    /// org (and its token) to the network, so a warning is printed
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,

    /// API token clients must send (`Authorization: SSWS <token>`); a random
    /// one is generated and printed when omitted
    #[arg(long, env = "OKTUI_SERVE_TOKEN", hide_env_values = true)]
    pub token: Option<Secret>,

    /// Add N deterministic synthetic users (up to millions) after the demo users
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub users: u32,

    /// Keep the org in this SQLite file so it survives restarts (created if
    /// missing; every change is written before it is answered)
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,

    /// Fault: delay every answer by MS milliseconds
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,

    /// Fault: answer this fraction of requests (0 to 1) with 500, 502 or 503
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = probability)]
    pub error_rate: f64,

    /// Which status --error-rate answers with: 500, 502, 503 or 504 (default: a mix of 500, 502 and 503)
    #[arg(long, value_name = "CODE", value_parser = clap::builder::PossibleValuesParser::new(["500", "502", "503", "504"]))]
    pub error_status: Option<String>,

    /// Fault: answer this fraction of requests (0 to 1) with 429 E0000047
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = probability)]
    pub throttle_rate: f64,

    /// Fault: close the connection without answering for this fraction of requests (0 to 1)
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = probability)]
    pub drop_rate: f64,

    /// Fault: carry out this fraction of writes (0 to 1), then close the connection without answering
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = probability)]
    pub lose_rate: f64,

    /// How long a lost answer (--lose-rate) keeps the connection silent before closing it
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub lose_hold: u64,

    /// Requests per minute allowed in each rate-limit bucket (default: Okta's
    /// usual limits, 600 for listing and creating users)
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,

    /// Client id of an OAuth 2.0 service app allowed to get access tokens at
    /// /oauth2/v1/token (needs --oauth-public-key)
    #[arg(long, value_name = "ID", requires = "oauth_public_key")]
    pub oauth_client_id: Option<String>,

    /// The service app's public key (PEM or JWK JSON) that verifies its client assertions
    #[arg(long, value_name = "FILE", requires = "oauth_client_id")]
    pub oauth_public_key: Option<PathBuf>,

    /// Scopes granted to the service app (space- or comma-separated)
    #[arg(
        long,
        value_name = "SCOPES",
        default_value = "okta.users.read okta.users.manage okta.groups.read okta.groups.manage okta.schemas.read okta.userTypes.read okta.logs.read"
    )]
    pub oauth_scopes: String,

    /// Lifetime of issued access tokens, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    pub oauth_token_ttl: u64,

    /// Require DPoP for the service app: proofs at the token endpoint (with
    /// the org's nonce) and with every API call, tokens of type DPoP
    #[arg(long, requires = "oauth_client_id")]
    pub oauth_dpop: bool,

    /// Start empty (default user type and Everyone only) instead of with the demo users
    #[arg(long)]
    pub no_demo: bool,
}

fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("'{s}' is not a probability: use a number from 0 to 1, e.g. 0.2")),
    }
}

/// `oktui logs`. The org flags may come before or after `logs`; those after
/// it win.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Only events where this user (a login or an id) is the actor or a target
    #[arg(long, value_name = "LOGIN_OR_ID")]
    pub user: Option<String>,

    /// Only events matching this expression, e.g. 'eventType sw "user.lifecycle"'
    /// or 'outcome.result eq "FAILURE"'
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,

    /// Only events holding all these keywords
    #[arg(long, value_name = "WORDS")]
    pub q: Option<String>,

    /// From this time: ISO 8601 (2026-12-01T08:00:00Z, 2026-12-01) or a span
    /// back from now (30m, 2h, 7d) [default: 7 days before --until]
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Up to this time, in the same forms as --since [default: now]
    #[arg(long, value_name = "TIME", conflicts_with = "follow")]
    pub until: Option<String>,

    /// After the events already there, keep polling for new ones (Ctrl-C stops)
    #[arg(long)]
    pub follow: bool,

    /// Seconds between polls with --follow
    #[arg(long, value_name = "SECONDS", default_value_t = 5, requires = "follow")]
    pub interval: u64,

    /// jsonl: every event exactly as the org sent it, one per line; csv:
    /// published, eventType, outcome, severity, actor, target, displayMessage,
    /// ipAddress, location, transactionId, sessionId, uuid
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,

    /// Write to FILE instead of stdout
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub org: OrgArgs,
}

impl LogsArgs {
    /// The request for these flags, times read relative to `now`.
    pub fn request(&self, now: jiff::Timestamp) -> Result<crate::logs::LogsRequest, String> {
        let time = |t: &Option<String>| t.as_deref().map(|t| crate::logs::parse_time(t, now)).transpose();
        let (since, until) = (time(&self.since)?, time(&self.until)?);
        if let (Some(s), Some(u)) = (since, until)
            && s >= u
        {
            return Err("--since must be before --until".into());
        }
        Ok(crate::logs::LogsRequest {
            user: self.user.clone(),
            filter: self.filter.clone(),
            q: self.q.clone(),
            since,
            until,
            follow: self.follow,
            interval: std::time::Duration::from_secs(self.interval.max(1)),
            format: match self.format {
                ExportFormat::Jsonl => crate::logs::LogFormat::Jsonl,
                ExportFormat::Csv => crate::logs::LogFormat::Csv,
            },
        })
    }
}
