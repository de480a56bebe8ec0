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
    let mut open = std::fs::OpenOptions::new();
    open.create(true).truncate(false).write(true);
    // A lock planted as a symlink would make PoolPass create or truncate-free-open a file of
    // someone else's choosing; the mode is given here because the umask may be 0.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = open.open(path).map_err(|e| {
        if e.raw_os_error() == Some(ELOOP) {
            err(
                "it is a symbolic link, which PoolPass does not follow for its locks; remove it"
                    .into(),
            )
        } else {
            err(e.to_string())
        }
    })?;
    make_private(&file).map_err(|e| err(format!("cannot make the lock private: {e}")))?;
    file.lock().map_err(|e| err(format!("cannot lock: {e}")))?;
    Ok(file)
}

#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

/// A lock file left 0666 by an older PoolPass (or a umask of 0) is made 0600.
#[cfg(unix)]
fn make_private(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if file.metadata()?.permissions().mode() & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
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
            let _refresh = RefreshLock::acquire(&state, "acme").unwrap();
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
        for name in ["poolpass.lock", "refresh-acme.lock"] {
            let mode = std::fs::metadata(d.path().join(name))
                .unwrap()
                .permissions()
                .mode();
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
}
