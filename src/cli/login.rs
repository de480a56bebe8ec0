//! `poolpass login`: sign in through the hosted UI in the browser, then write every profile.

use std::process::ExitCode;
use std::time::Duration;

use poolpass::config::Provider;
use poolpass::session::{self, BrowserMode, OtherUser, SignInOptions};
use poolpass::workspace::Workspace;
use poolpass::Error;
use std::io::IsTerminal;

#[derive(clap::Args)]
pub struct Args {
    /// Which connection of the configuration (needed when it has several).
    #[arg(long)]
    connection: Option<String>,
    /// Google, Facebook, LoginWithAmazon, SignInWithApple, COGNITO or an IdP name; without it
    /// the hosted UI lets you choose.
    #[arg(long)]
    provider: Option<String>,
    /// Print the sign-in link instead of opening a browser.
    #[arg(long)]
    no_browser: bool,
    /// Give up waiting for the browser after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<u64>,
    /// Take over a profile of the same name that PoolPass did not write (its old sections are
    /// backed up first).
    #[arg(long)]
    force: bool,
    /// Write profiles even when you sign in as someone other than the last user of this
    /// connection (otherwise asked on a terminal, refused without one).
    #[arg(long)]
    other_user: bool,
}

pub async fn run(ws: &Workspace, args: Args) -> Result<ExitCode, Error> {
    let config = ws.config()?;
    let conn = config.connection(args.connection.as_deref())?;
    let provider = match args.provider {
        None if conn.providers.len() == 1 => Some(conn.providers[0].clone()),
        None => None,
        Some(p) => Some(
            Provider::parse(&p).ok_or_else(|| Error::ProviderNotOffered {
                provider: p.clone(),
                connection: conn.name.clone(),
                offered: conn.providers.iter().map(|p| p.to_string()).collect(),
            })?,
        ),
    };
    let opts = SignInOptions {
        provider,
        browser: if args.no_browser {
            BrowserMode::LinkOnly
        } else {
            BrowserMode::Open
        },
        timeout: args.timeout.map(Duration::from_secs),
        force: args.force,
        other_user: if args.other_user {
            OtherUser::Proceed
        } else if std::io::stdin().is_terminal() {
            OtherUser::Ask(Box::new(|previous, now| {
                eprint!("You signed in as {now}, but this computer last signed in here as {previous}.\nWrite profiles for {now}? [y/N] ");
                let mut answer = String::new();
                let _ = std::io::stdin().read_line(&mut answer);
                matches!(answer.trim(), "y" | "Y" | "yes")
            }))
        } else {
            OtherUser::Refuse
        },
    };
    let outcome = session::sign_in(conn, &ws.ctx(), opts, &super::print_event).await?;
    Ok(super::report(&outcome))
}
