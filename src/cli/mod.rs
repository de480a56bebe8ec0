//! The `poolpass` command line: its arguments, the workspace every command opens, the progress
//! it prints on stderr and the summary on stdout. One file per command beside it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use poolpass::session::{Event, Outcome};
use poolpass::workspace::Workspace;

mod credential_process;
mod export;
mod import;
mod list;
mod login;
mod logout;
mod refresh;
mod remove;

#[derive(Parser)]
#[command(
    name = "poolpass",
    version,
    about = "Sign in to AWS through Amazon Cognito and keep AWS profiles fresh"
)]
struct Cli {
    /// The configuration file your administrator gave you.
    #[arg(long, global = true, env = "POOLPASS_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign in through the browser and write fresh credentials to every profile of a connection.
    Login(login::Args),
    /// Sign out: revoke and delete the saved sign-in, optionally remove the profiles, and end
    /// the hosted UI's session in the browser.
    Logout(logout::Args),
    /// Get fresh credentials from the saved sign-in, without a browser.
    Refresh(refresh::Args),
    /// Show the profiles PoolPass wrote, with account, role and time left.
    List,
    /// Remove a profile PoolPass wrote from the AWS files.
    Remove(remove::Args),
    /// Print a profile's credentials as shell exports (env, fish, powershell) or JSON.
    Export(export::Args),
    /// What AWS tools run for a credential_process profile (not for people).
    CredentialProcess(credential_process::Args),
    /// Import the configuration your administrator gave you (a file or a poolpass:// link):
    /// shows what it contains and where sign-in goes, then saves it where PoolPass reads it.
    Import(import::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("poolpass: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = Workspace::open(cli.config).and_then(|ws| {
        runtime.block_on(async {
            match cli.command {
                Command::Login(a) => login::run(&ws, a).await,
                Command::Logout(a) => logout::run(&ws, a).await,
                Command::Refresh(a) => refresh::run(&ws, a).await,
                Command::List => list::run(&ws),
                Command::Remove(a) => remove::run(&ws, a).await,
                Command::Export(a) => export::run(&ws, a).await,
                Command::CredentialProcess(a) => credential_process::run(&ws, a).await,
                Command::Import(a) => import::run(&ws, a),
            }
        })
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}

/// Progress on stderr, so stdout stays for results.
fn print_event(e: Event) {
    let mut err = std::io::stderr().lock();
    let _ = match e {
        Event::Listening { redirect_uri } => writeln!(err, "Listening for the sign-in reply on {redirect_uri}"),
        Event::BrowserOpened { url } => writeln!(err, "Your browser is opening the sign-in page. If it does not, open this link:\n  {url}"),
        Event::OpenLinkYourself { url, reason } => {
            if let Some(r) = reason {
                let _ = writeln!(err, "Could not open a browser ({r}).");
            }
            writeln!(err, "Open this link in your browser to sign in:\n  {url}")
        }
        Event::Waiting { timeout } => writeln!(err, "Waiting for you to finish signing in (up to {} s)...", timeout.as_secs()),
        Event::CallbackReceived => writeln!(err, "Sign-in reply received; checking it..."),
        Event::SignedIn { user, via } => match via {
            Some(v) => writeln!(err, "Signed in as {user} (via {v})."),
            None => writeln!(err, "Signed in as {user}."),
        },
        Event::RefreshedTokens { user } => writeln!(err, "Sign-in renewed for {user}."),
        Event::RefreshedElsewhere { connection } => writeln!(
            err,
            "Another PoolPass process just renewed the sign-in of {connection:?}; using its result."
        ),
        Event::KeychainUnavailable { reason } => writeln!(
            err,
            "Warning: the sign-in could not be saved for later refreshes: {reason}\n  The credentials below are still written; refreshing them will need a new sign-in."
        ),
        Event::Fetching { profile, identity_pool } => writeln!(err, "Getting credentials for {profile} from {identity_pool}..."),
        Event::ProfileWritten { .. } => Ok(()),
        Event::TookOver { profile, backup } => writeln!(
            err,
            "Took over the profile {profile}; its previous sections are saved in {}",
            backup.display()
        ),
        Event::Warning { warning } => writeln!(err, "Warning: {warning}"),
        Event::ProfileFailed { profile, error } => writeln!(err, "Profile {profile} failed [{}]: {error}", error.code()),
        Event::Revoked => writeln!(err, "Revoked the saved sign-in at the hosted UI."),
        Event::RevokeFailed { error } => writeln!(err, "Warning [{}]: {error}", error.code()),
        Event::ProfileRemoved { profile } => writeln!(err, "Removed the profile {profile} from the AWS files."),
        Event::SignedOut { connection } => writeln!(err, "Deleted the saved sign-in of {connection} from the keychain."),
    };
}

/// The summary on stdout; a non-zero exit when any profile failed.
fn report(outcome: &Outcome) -> ExitCode {
    for (profile, r) in &outcome.profiles {
        match r {
            Ok(rec) => println!(
                "{profile}: written, expires {} ({})",
                rec.expires_at,
                list::time_left(&rec.expires_at)
            ),
            Err(e) => println!("{profile}: FAILED [{}] {e}", e.code()),
        }
    }
    if outcome.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
