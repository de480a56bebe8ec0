//! `poolpass credential-process`: what AWS tools run (credential_process in the config file)
//! to get a profile's credentials as JSON, fresh from the cache or refreshed first.

use std::process::ExitCode;

use poolpass::workspace::Workspace;
use poolpass::Error;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose credentials to print (one PoolPass wrote).
    #[arg(long)]
    profile: String,
}

/// What AWS tools run for a `credential_process` profile: the Version 1 JSON on stdout.
pub async fn run(ws: &Workspace, args: Args) -> Result<ExitCode, Error> {
    poolpass::keychain::never_prompt();
    super::export::print(ws, &args.profile, super::export::Format::Json).await
}
