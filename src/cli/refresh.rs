use std::path::PathBuf;
use std::process::ExitCode;

use poolpass::session::{self, Context};
use poolpass::Error;

#[derive(clap::Args)]
pub struct Args {
    /// Which connection of the configuration (needed when it has several).
    #[arg(long)]
    connection: Option<String>,
    /// Take over a profile of the same name that PoolPass did not write (its old sections are
    /// backed up first).
    #[arg(long)]
    force: bool,
}

pub async fn run(config: Option<PathBuf>, args: Args) -> Result<ExitCode, Error> {
    let config = super::load_config(config)?;
    let conn = config.connection(args.connection.as_deref())?;
    let outcome =
        session::refresh(conn, &Context::from_env()?, args.force, &super::print_event).await?;
    Ok(super::report(&outcome))
}
