//! `poolpass refresh`: renew a connection's sign-in (or every one's) and rewrite its profiles.

use std::process::ExitCode;

use poolpass::session;
use poolpass::workspace::Workspace;
use poolpass::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Which connection of the configuration (needed when it has several).
    #[arg(long)]
    connection: Option<String>,
    /// Refresh every connection of the configuration.
    #[arg(long, conflicts_with = "connection")]
    all: bool,
    /// Take over a profile of the same name that PoolPass did not write (its old sections are
    /// backed up first).
    #[arg(long)]
    force: bool,
}

pub async fn run(ws: &Workspace, args: Args) -> Result<ExitCode, Error> {
    let config = ws.config()?;
    let ctx = ws.ctx();
    if !args.all {
        let conn = config.connection(args.connection.as_deref())?;
        let outcome = session::refresh(conn, &ctx, args.force, &super::print_event).await?;
        return Ok(super::report(&outcome));
    }
    // One connection failing (say, its sign-in expired) does not stop the others.
    let mut code = ExitCode::SUCCESS;
    for conn in &config.connections {
        match session::refresh(conn, &ctx, args.force, &super::print_event).await {
            Ok(outcome) => {
                if super::report(&outcome) != ExitCode::SUCCESS {
                    code = ExitCode::from(2);
                }
            }
            Err(e) => {
                eprintln!("Error [{}] ({}): {e}", e.code(), conn.name);
                code = ExitCode::FAILURE;
            }
        }
    }
    Ok(code)
}
