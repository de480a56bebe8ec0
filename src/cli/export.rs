use std::path::PathBuf;
use std::process::ExitCode;

use poolpass::identity::AwsCredentials;
use poolpass::session;
use poolpass::state;
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
pub async fn run(config: Option<PathBuf>, args: Args) -> Result<ExitCode, Error> {
    print(config, &args.profile, args.format).await
}

/// Also `credential-process` (the JSON format): refreshed first when the credentials run low.
pub async fn print(
    config: Option<PathBuf>,
    profile: &str,
    format: Format,
) -> Result<ExitCode, Error> {
    let c = session::current_credentials(
        &state::default_path(),
        || super::load_config(config),
        profile,
    )
    .await?;
    print!("{}", render(&c, format));
    Ok(ExitCode::SUCCESS)
}

fn render(c: &AwsCredentials, format: Format) -> String {
    let expires = super::credential_process::rfc3339(c.expiration);
    let vars = [
        ("AWS_ACCESS_KEY_ID", c.access_key_id.as_str()),
        (
            "AWS_SECRET_ACCESS_KEY",
            c.secret_access_key.expose().as_str(),
        ),
        ("AWS_SESSION_TOKEN", c.session_token.expose().as_str()),
        ("AWS_CREDENTIAL_EXPIRATION", expires.as_str()),
    ];
    let sh = |v: &str| format!("'{}'", v.replace('\'', r"'\''"));
    let ps = |v: &str| format!("'{}'", v.replace('\'', "''"));
    match format {
        Format::Env => vars
            .iter()
            .map(|(k, v)| format!("export {k}={}\n", sh(v)))
            .collect(),
        Format::Fish => vars
            .iter()
            .map(|(k, v)| format!("set -gx {k} {}\n", sh(v).replace(r"'\''", r"\'")))
            .collect(),
        Format::Powershell => vars
            .iter()
            .map(|(k, v)| format!("$Env:{k} = {}\n", ps(v)))
            .collect(),
        Format::Json => format!("{}\n", process_json(c)),
    }
}

/// The credential_process output, Version 1.
pub fn process_json(c: &AwsCredentials) -> String {
    serde_json::json!({
        "Version": 1,
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key.expose(),
        "SessionToken": c.session_token.expose(),
        "Expiration": super::credential_process::rfc3339(c.expiration),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use poolpass::secret::Secret;

    #[test]
    fn every_format_quotes_for_its_shell() {
        let c = AwsCredentials {
            access_key_id: "ASIAX".into(),
            secret_access_key: Secret::new("se'cret".into()),
            session_token: Secret::new("tok".into()),
            expiration: time::macros::datetime!(2030-01-02 03:04:05 UTC),
        };
        assert!(render(&c, Format::Env).contains("export AWS_SECRET_ACCESS_KEY='se'\\''cret'\n"));
        assert!(render(&c, Format::Fish).contains("set -gx AWS_SECRET_ACCESS_KEY 'se\\'cret'\n"));
        assert!(
            render(&c, Format::Powershell).contains("$Env:AWS_SECRET_ACCESS_KEY = 'se''cret'\n")
        );
        assert!(render(&c, Format::Env)
            .contains("export AWS_CREDENTIAL_EXPIRATION='2030-01-02T03:04:05Z'"));
        let j: serde_json::Value = serde_json::from_str(&render(&c, Format::Json)).unwrap();
        assert_eq!(j["Version"], 1);
        assert_eq!(j["Expiration"], "2030-01-02T03:04:05Z");
    }
}
