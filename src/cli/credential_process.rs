use std::path::PathBuf;
use std::process::ExitCode;

use poolpass::Error;
use time::format_description::well_known::Rfc3339;

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

/// RFC 3339 in UTC, as the credential_process format wants.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}
