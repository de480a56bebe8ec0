//! The user's AWS shared files: where they are, and writing PoolPass's profiles into them
//! without disturbing anything else.

pub mod atomic;
pub mod ini;

use std::path::{Path, PathBuf};

use ini::{Document, Flavor};

use crate::identity::AwsCredentials;
use crate::Error;

/// The two files every AWS SDK reads, as the SDKs locate them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsFiles {
    pub credentials: PathBuf,
    pub config: PathBuf,
}

impl AwsFiles {
    /// `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`, else `~/.aws/credentials` and
    /// `~/.aws/config`.
    pub fn from_env() -> AwsFiles {
        let home = dirs::home_dir().unwrap_or_else(|| PathBuf::from("."));
        let pick = |var: &str, default: &str| match std::env::var_os(var) {
            Some(v) if !v.is_empty() => expand_tilde(PathBuf::from(v), &home),
            _ => home.join(".aws").join(default),
        };
        AwsFiles {
            credentials: pick("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            config: pick("AWS_CONFIG_FILE", "config"),
        }
    }
}

fn expand_tilde(p: PathBuf, home: &Path) -> PathBuf {
    match p.strip_prefix("~") {
        Ok(rest) => home.join(rest),
        Err(_) => p,
    }
}

/// What PoolPass writes for one profile.
pub struct ProfileWrite<'a> {
    pub name: &'a str,
    pub credentials: &'a AwsCredentials,
    pub region: &'a str,
}

/// Keys PoolPass removes from its own credentials section: botocore reads a stale
/// `aws_security_token` before `aws_session_token`.
const STALE_CREDENTIAL_KEYS: &[&str] = &["aws_security_token"];
/// Static keys in the credentials file beat `credential_process` for the same profile, so a
/// leftover one would silently never run.
const STALE_CONFIG_KEYS: &[&str] = &["credential_process"];

/// Is there a section for `name` in either file? (Used to refuse overwriting a profile that
/// PoolPass did not create.)
pub fn profile_exists(files: &AwsFiles, name: &str) -> Result<Option<PathBuf>, Error> {
    for (path, flavor) in [
        (&files.credentials, Flavor::Credentials),
        (&files.config, Flavor::Config),
    ] {
        if let Some(doc) = read(path)? {
            if doc.has_section(flavor, name) {
                return Ok(Some(path.clone()));
            }
        }
    }
    Ok(None)
}

pub fn write_profile(files: &AwsFiles, w: &ProfileWrite<'_>) -> Result<(), Error> {
    let c = w.credentials;
    let expires = c
        .expiration
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| Error::ProfileFile {
            path: files.credentials.clone(),
            reason: e.to_string(),
        })?;
    edit(&files.credentials, |doc| {
        doc.upsert(
            Flavor::Credentials,
            w.name,
            &[
                ("aws_access_key_id", &c.access_key_id),
                ("aws_secret_access_key", c.secret_access_key.expose()),
                ("aws_session_token", c.session_token.expose()),
                ("x_security_token_expires", &expires),
            ],
            STALE_CREDENTIAL_KEYS,
        )
    })?;
    edit(&files.config, |doc| {
        doc.upsert(
            Flavor::Config,
            w.name,
            &[("region", w.region)],
            STALE_CONFIG_KEYS,
        )
    })
}

fn read(path: &Path) -> Result<Option<Document>, Error> {
    let err = |reason: String| Error::ProfileFile {
        path: path.to_path_buf(),
        reason,
    };
    let Some(bytes) = atomic::read_optional(path).map_err(|e| err(e.to_string()))? else {
        return Ok(None);
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "it is not UTF-8 text (byte {}); PoolPass will not rewrite a file it cannot read",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(Some(Document::parse(&text)))
}

fn edit(
    path: &Path,
    change: impl FnOnce(&mut Document) -> Result<(), ini::EditError>,
) -> Result<(), Error> {
    let err = |reason: String| Error::ProfileFile {
        path: path.to_path_buf(),
        reason,
    };
    let mut doc = read(path)?.unwrap_or_else(|| Document::parse(""));
    let before = doc.render();
    change(&mut doc).map_err(|e| err(e.to_string()))?;
    let after = doc.render();
    if after != before {
        atomic::write(path, after.as_bytes()).map_err(|e| err(e.to_string()))?;
    }
    Ok(())
}
