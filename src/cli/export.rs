//! `poolpass export`: a profile's credentials printed for a shell (bash, fish, PowerShell) or
//! as JSON, refreshed first when they are about to expire.

use std::process::ExitCode;

use poolpass::aws::AwsCredentials;
use poolpass::export;
use poolpass::session;
use poolpass::workspace::Workspace;
use poolpass::Error;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// bash and zsh `export` lines.
    Env,
    Fish,
    Powershell,
    /// The credential_process JSON.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The profile to export (one PoolPass wrote); refreshed first if it runs low.
    #[arg(long)]
    profile: String,
    #[arg(long, value_enum, default_value = "env")]
    format: Format,
}

/// Prints the profile's credentials for pasting into a shell: the explicit way secrets leave.
pub async fn run(ws: &Workspace, args: Args) -> Result<ExitCode, Error> {
    print(ws, &args.profile, args.format).await
}

/// Also `credential-process` (the JSON format): refreshed first when the credentials run low.
pub async fn print(ws: &Workspace, profile: &str, format: Format) -> Result<ExitCode, Error> {
    let ctx = ws.ctx();
    let c = session::current_credentials(&ctx, || ws.config(), profile).await?;
    print!("{}", render(&c, format));
    Ok(ExitCode::SUCCESS)
}

fn render(c: &AwsCredentials, format: Format) -> String {
    export::render(
        c,
        match format {
            Format::Env => export::Format::Env,
            Format::Fish => export::Format::Fish,
            Format::Powershell => export::Format::Powershell,
            Format::Json => export::Format::Json,
        },
    )
}
