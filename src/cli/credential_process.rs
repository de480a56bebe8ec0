use std::path::PathBuf;
use std::process::ExitCode;

use poolpass::Error;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose credentials to print (one PoolPass wrote).
    #[arg(long)]
    profile: String,
}

/// What AWS tools run for a `credential_process` profile: the Version 1 JSON on stdout.
pub async fn run(config: Option<PathBuf>, args: Args) -> Result<ExitCode, Error> {
    super::export::print(config, &args.profile, super::export::Format::Json).await
}
