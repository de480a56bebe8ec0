//! `poolpass logout`: revoke the saved sign-in, delete it, optionally remove the profiles, and
//! end the browser's session at the hosted UI.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use poolpass::session::{
    self, BrowserMode, BrowserSignOut, Event, Revocation, SignOutOptions, SignOutOutcome,
};
use poolpass::workspace::Workspace;
use poolpass::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Which connection of the configuration (needed when it has several).
    #[arg(long)]
    connection: Option<String>,
    /// Also remove the connection's profiles from the AWS files (only those PoolPass wrote).
    /// Without it they stay, and their credentials work until they expire.
    #[arg(long)]
    remove_profiles: bool,
    /// Print the hosted UI's sign-out link instead of opening a browser.
    #[arg(long)]
    no_browser: bool,
    /// Stop waiting for the browser to come back after this many seconds (default 60).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<u64>,
}

pub async fn run(ws: &Workspace, args: Args) -> Result<ExitCode, Error> {
    let config = ws.config()?;
    let conn = config.connection(args.connection.as_deref())?;
    let opts = SignOutOptions {
        remove_profiles: args.remove_profiles,
        browser: if args.no_browser {
            BrowserMode::LinkOnly
        } else {
            BrowserMode::Open
        },
        timeout: args.timeout.map(Duration::from_secs),
    };
    let outcome = session::sign_out(conn, &ws.ctx(), opts, &print_event).await?;
    Ok(report(&outcome))
}

/// The browser steps say "sign out" here; everything else reads as in the other commands.
fn print_event(e: Event) {
    let mut err = std::io::stderr().lock();
    let _ = match e {
        Event::Listening { redirect_uri } => writeln!(
            err,
            "Listening for the browser's return on {redirect_uri}"
        ),
        Event::BrowserOpened { url } => writeln!(
            err,
            "Your browser is opening the hosted UI's sign-out page, to end its session there too. If it does not, open this link:\n  {url}"
        ),
        Event::OpenLinkYourself { url, reason } => {
            if let Some(r) = reason {
                let _ = writeln!(err, "Could not open a browser ({r}).");
            }
            writeln!(
                err,
                "To end the hosted UI's session in your browser too, open this link in it:\n  {url}"
            )
        }
        Event::Waiting { timeout } => writeln!(
            err,
            "Waiting for the browser to come back (up to {} s)...",
            timeout.as_secs()
        ),
        other => {
            drop(err);
            super::print_event(other);
            Ok(())
        }
    };
}

/// The summary on stdout. Exit 2 when the saved sign-in could not be revoked at the server:
/// it stays valid there until it expires, which the user may need to act on.
fn report(o: &SignOutOutcome) -> ExitCode {
    let conn = &o.connection;
    for p in &o.removed_profiles {
        println!("{p}: removed");
    }
    for (p, r) in &o.kept_profiles {
        println!(
            "{p}: kept; its credentials work until {} ({}). `poolpass logout --remove-profiles` removes it.",
            r.expires_at,
            super::list::time_left(&r.expires_at)
        );
    }
    if o.nothing_to_do() {
        println!("Not signed in to {conn}: nothing to sign out.");
        return ExitCode::SUCCESS;
    }
    match &o.browser {
        BrowserSignOut::Ended => println!("The hosted UI's session in your browser is ended."),
        BrowserSignOut::NotNeeded => {}
        BrowserSignOut::MayBeOpen { reason } => println!(
            "The hosted UI's session in your browser may still be open ({reason}). The next sign-in in that browser may then skip the password; close the browser to end it."
        ),
    }
    match &o.revocation {
        Revocation::Failed(e) => {
            println!(
                "Signed out of {conn} on this computer, but the saved sign-in was NOT revoked at the server [{}]: see the warning above.",
                e.code()
            );
            ExitCode::from(2)
        }
        Revocation::Revoked | Revocation::NothingToRevoke => {
            println!("Signed out of {conn}.");
            ExitCode::SUCCESS
        }
    }
}
