//! The command line.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "oktui", version, about = "A fast, keyboard-driven terminal UI for the users of an Okta org")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Open the TUI on an embedded demo org (no network, no account needed)
    #[arg(long, conflicts_with_all = ["org_url", "token"])]
    pub demo: bool,

    /// The org to open, e.g. https://acme.okta.com [env: OKTA_CLIENT_ORGURL]
    #[arg(long, value_name = "URL")]
    pub org_url: Option<String>,

    /// API token (SSWS) [env: OKTA_CLIENT_TOKEN]; prefer the environment or
    /// ~/.okta/okta.yaml, since arguments are visible to other local users
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the embedded Okta-compatible org as a standalone HTTP server
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// API token clients must send (`Authorization: SSWS <token>`);
    /// a random one is generated and printed when omitted
    #[arg(long)]
    pub token: Option<String>,
}
