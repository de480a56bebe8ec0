//! PoolPass's own record of what it wrote: which profiles it owns (so it never edits one it
//! did not create), their role, account and expiry (for `list` and the app), and the cached
//! identity ids. No secret is ever stored here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::Mode;
use crate::lock::FileLock;
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
    /// Connection → how many times its sign-in was renewed. Only compared, never shown.
    #[serde(default)]
    pub renewals: BTreeMap<String, u64>,
    /// Connection → who signed in last, so that a sign-in as someone else is asked about.
    #[serde(default)]
    pub users: BTreeMap<String, KnownUser>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KnownUser {
    /// The user pool's `sub`: what tells users apart (names and emails can change hands).
    pub sub: String,
    pub name: String,
}

impl State {
    pub fn renewal(&self, connection: &str) -> u64 {
        self.renewals.get(connection).copied().unwrap_or(0)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProfileRecord {
    pub connection: String,
    pub identity_pool_id: String,
    pub role_arn: Option<String>,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub user: String,
    /// Keys in the credentials file, or in the keychain for `credential-process`. Records from
    /// before modes existed are static.
    #[serde(default)]
    pub mode: Mode,
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
/// other's updates. Held for milliseconds; the deadline only guards against a stuck holder.
pub struct Lock {
    _file: FileLock,
}

/// Longer than any read-edit-write of the AWS files takes.
const FILES_WAIT: Duration = Duration::from_secs(30);

impl Lock {
    pub fn acquire(state_path: &Path) -> Result<Lock, Error> {
        FileLock::acquire_blocking(
            &dir_of(state_path).join("poolpass.lock"),
            "PoolPass's files",
            FILES_WAIT,
        )
        .map(|f| Lock { _file: f })
    }
}

/// A connection's turn to renew: held around "read the refresh token, spend it at the token
/// endpoint, store its successor" by every caller (CLI, window, tray, credential-process,
/// export, sign-in and sign-out), so a refresh token is never spent twice, even by two
/// processes. A caller that waited finds [`State::renewals`] moved on and uses that result.
pub struct RefreshLock {
    _file: FileLock,
}

impl RefreshLock {
    pub async fn acquire(
        state_path: &Path,
        connection: &str,
        wait: Duration,
    ) -> Result<RefreshLock, Error> {
        FileLock::acquire(
            &refresh_lock_path(state_path, connection),
            &format!("the sign-in of connection {connection:?}"),
            wait,
        )
        .await
        .map(|f| RefreshLock { _file: f })
    }
}

pub fn refresh_lock_path(state_path: &Path, connection: &str) -> PathBuf {
    // Connection names may hold what a file name cannot; the hash keeps distinct names apart.
    let safe: String = connection
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut h: u64 = 0xcbf29ce484222325;
    for b in connection.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100000001b3);
    }
    dir_of(state_path).join(format!("refresh-{safe}-{h:016x}.lock"))
}

/// Records that the connection's sign-in was renewed (the refresh token spent and replaced),
/// for callers that waited for their turn.
pub fn record_renewal(state_path: &Path, connection: &str) -> Result<u64, Error> {
    let _lock = Lock::acquire(state_path)?;
    let mut state = State::load(state_path)?;
    let n = state.renewals.entry(connection.to_string()).or_insert(0);
    *n += 1;
    let n = *n;
    state.save(state_path)?;
    Ok(n)
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// The umask is the process's, so the check runs in a child process of this test binary.
    #[test]
    fn lock_files_are_0600_whatever_the_umask() {
        if let Some(dir) = std::env::var_os("POOLPASS_TEST_UMASK_CHILD") {
            unsafe { libc::umask(0) };
            let state = Path::new(&dir).join("state.json");
            let _lock = Lock::acquire(&state).unwrap();
            let _refresh = crate::lock::FileLock::acquire_blocking(
                &refresh_lock_path(&state, "acme"),
                "acme",
                std::time::Duration::ZERO,
            )
            .unwrap();
            return;
        }
        let d = tempfile::tempdir().unwrap();
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "state::tests::lock_files_are_0600_whatever_the_umask",
            ])
            .env("POOLPASS_TEST_UMASK_CHILD", d.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let state = d.path().join("state.json");
        for path in [
            d.path().join("poolpass.lock"),
            refresh_lock_path(&state, "acme"),
        ] {
            let name = path.display().to_string();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    #[test]
    fn a_lock_planted_as_a_symlink_is_not_followed() {
        let d = tempfile::tempdir().unwrap();
        let victim = d.path().join("victim");
        std::os::unix::fs::symlink(&victim, d.path().join("poolpass.lock")).unwrap();
        let e = Lock::acquire(&d.path().join("state.json"))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("symbolic link"), "{e}");
        assert!(!victim.exists());
    }

    #[test]
    fn an_old_world_readable_lock_is_made_private() {
        let d = tempfile::tempdir().unwrap();
        let lock = d.path().join("poolpass.lock");
        std::fs::write(&lock, "").unwrap();
        std::fs::set_permissions(&lock, std::fs::Permissions::from_mode(0o666)).unwrap();
        let _l = Lock::acquire(&d.path().join("state.json")).unwrap();
        let mode = std::fs::metadata(&lock).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    /// The mode is kept by the configuration's names; a record from before modes existed is
    /// a static one.
    #[test]
    fn modes_are_kept_by_name_and_default_to_static() {
        let record = |mode: &str| {
            format!(
                r#"{{"connection":"c","identity_pool_id":"p","role_arn":null,"account_id":null,"role_name":null,"user":"u",{mode}"expires_at":"x","credentials_file":"f","config_file":"g","updated_at":"y"}}"#
            )
        };
        let old: ProfileRecord = serde_json::from_str(&record("")).unwrap();
        assert_eq!(old.mode, Mode::Static);
        let process: ProfileRecord =
            serde_json::from_str(&record(r#""mode":"credential_process","#)).unwrap();
        assert_eq!(process.mode, Mode::CredentialProcess);
        assert!(serde_json::to_string(&process)
            .unwrap()
            .contains(r#""mode":"credential_process""#));
        assert!(serde_json::from_str::<ProfileRecord>(&record(r#""mode":"other","#)).is_err());
    }
}
