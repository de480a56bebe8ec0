//! Credentials as text a user pastes into a shell, or the credential_process JSON: the one
//! explicit way secrets leave PoolPass (the CLI's `export` and the app's copy buttons).

use time::format_description::well_known::Rfc3339;

use crate::aws::AwsCredentials;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// bash and zsh `export` lines.
    Env,
    Fish,
    Powershell,
    /// The credential_process JSON (Version 1).
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "env" | "bash" | "zsh" => Some(Format::Env),
            "fish" => Some(Format::Fish),
            "powershell" => Some(Format::Powershell),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// RFC 3339 in UTC, as the credential_process format wants.
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

pub fn render(c: &AwsCredentials, format: Format) -> String {
    let expires = rfc3339(c.expiration);
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
        "Expiration": rfc3339(c.expiration),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

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
