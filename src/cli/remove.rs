//! `poolpass remove`: take a profile PoolPass wrote out of the AWS files (never another's).

use std::process::ExitCode;

use poolpass::session;
use poolpass::workspace::Workspace;
use poolpass::Error;

#[derive(clap::Args)]
pub struct Args {
    /// The profile to remove from the AWS files (only one PoolPass wrote).
    profile: String,
}

pub async fn run(ws: &Workspace, args: Args) -> Result<ExitCode, Error> {
    session::remove(&ws.ctx(), &args.profile).await?;
    println!("Removed the profile {} from the AWS files.", args.profile);
    Ok(ExitCode::SUCCESS)
}
