//! PoolPass's own record of what it wrote: which profiles it owns (so it never edits one it
//! did not create), their role, account and expiry (for `list` and the app), and the cached
//! identity ids. No secret is ever stored here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::profiles::atomic;
use crate::Error;

/// `$XDG_STATE_HOME/poolpass/state.json` (or the platform's equivalent).
pub fn default_path() -> PathBuf {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("poolpass")
        .join("state.json")
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileRecord>,
    /// `"<identity pool id>|<user sub>"` → identity id, so refreshes skip GetId.
    #[serde(default)]
    pub identities: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProfileRecord {
    pub connection: String,
    pub identity_pool_id: String,
    pub role_arn: Option<String>,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub user: String,
    /// "static" (keys in the credentials file) or "credential_process" (keys in the keychain).
    #[serde(default = "static_mode")]
    pub mode: String,
    /// What STS GetCallerIdentity said these credentials are (asked once per profile and role).
    #[serde(default)]
    pub caller_arn: Option<String>,
    /// RFC 3339.
    pub expires_at: String,
    pub credentials_file: PathBuf,
    pub config_file: PathBuf,
    /// RFC 3339.
    pub updated_at: String,
}

/// PoolPass's private folder beside the state file: the lock and the backups live there.
pub fn dir_of(state_path: &Path) -> PathBuf {
    state_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Held while PoolPass reads, edits and writes the AWS files and its state, so that two
/// PoolPass processes (the app and the CLI, or ten `credential-process` calls) never lose each
/// other's updates. An advisory lock: the OS releases it when the process dies.
pub struct Lock {
    _file: std::fs::File,
}

impl Lock {
    pub fn acquire(state_path: &Path) -> Result<Lock, Error> {
        lock_file(&dir_of(state_path).join("poolpass.lock")).map(|f| Lock { _file: f })
    }
}

/// Held by the one process that refreshes a connection's sign-in, so that ten
/// `credential-process` calls finding the cache stale cause one refresh, not ten (the others
/// wait, then find the cache fresh).
pub struct RefreshLock {
    _file: std::fs::File,
}

impl RefreshLock {
    pub fn acquire(state_path: &Path, connection: &str) -> Result<RefreshLock, Error> {
        let name: String = connection
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        lock_file(&dir_of(state_path).join(format!("refresh-{name}.lock")))
            .map(|f| RefreshLock { _file: f })
    }
}

/// Opens (creating) and exclusively locks `path`, waiting for any other holder.
fn lock_file(path: &Path) -> Result<std::fs::File, Error> {
    let err = |reason: String| Error::State {
        path: path.to_path_buf(),
        reason,
    };
    atomic::create_private_dir(&dir_of(path)).map_err(|e| err(e.to_string()))?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| err(e.to_string()))?;
    file.lock().map_err(|e| err(format!("cannot lock: {e}")))?;
    Ok(file)
}

fn static_mode() -> String {
    "static".into()
}

pub fn identity_key(pool_id: &str, sub: &str) -> String {
    format!("{pool_id}|{sub}")
}

impl State {
    pub fn load(path: &Path) -> Result<State, Error> {
        let err = |reason: String| Error::State {
            path: path.to_path_buf(),
            reason,
        };
        match atomic::read_optional(path).map_err(|e| err(e.to_string()))? {
            None => Ok(State::default()),
            Some(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| err(format!("the file is damaged ({e}); move it aside to start afresh (PoolPass will then treat the profiles it wrote as not its own)"))),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let err = |reason: String| Error::State {
            path: path.to_path_buf(),
            reason,
        };
        let json = serde_json::to_vec_pretty(self).map_err(|e| err(e.to_string()))?;
        atomic::write(path, &json).map_err(|e| err(e.to_string()))
    }
}
