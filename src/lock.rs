//! A lock file that is waited for with a deadline and says who holds it.
//!
//! An advisory lock (the OS drops it when its process dies), but a live process can still hold
//! one for long: a refresh stuck on the network, a sign-in waiting for the browser. An AWS tool
//! waits on `credential-process`, so nobody waits forever: past the deadline the error names
//! the holder, whose process id, program and start time are written into the file.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::profiles::atomic;
use crate::Error;

/// How often a waiter tries again; a refresh takes hundreds of milliseconds.
const POLL: Duration = Duration::from_millis(50);

pub struct FileLock {
    file: File,
}

impl FileLock {
    /// Waits up to `wait` for the lock at `path`, without blocking the async runtime.
    pub async fn acquire(path: &Path, what: &str, wait: Duration) -> Result<FileLock, Error> {
        let deadline = Instant::now() + wait;
        let file = open(path)?;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(FileLock::held(file)),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    tokio::time::sleep(POLL).await
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(busy(file, what, wait)),
                Err(std::fs::TryLockError::Error(e)) => return Err(state_error(path, e)),
            }
        }
    }

    /// The same, for callers outside an async runtime.
    pub fn acquire_blocking(path: &Path, what: &str, wait: Duration) -> Result<FileLock, Error> {
        let deadline = Instant::now() + wait;
        let file = open(path)?;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(FileLock::held(file)),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(POLL)
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(busy(file, what, wait)),
                Err(std::fs::TryLockError::Error(e)) => return Err(state_error(path, e)),
            }
        }
    }

    fn held(mut file: File) -> FileLock {
        let program = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "poolpass".into());
        let since = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let line = format!("{} {program} since {since}\n", std::process::id());
        // Only a note for the error above: a failure to write it must not fail the lock.
        let _ = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(line.as_bytes()));
        FileLock { file }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

fn busy(mut file: File, what: &str, wait: Duration) -> Error {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    let holder = crate::text::escaped(text.trim(), 120);
    Error::Busy {
        what: what.to_string(),
        holder: Some(holder).filter(|h| !h.is_empty()),
        waited_seconds: wait.as_secs(),
    }
}

fn state_error(path: &Path, e: std::io::Error) -> Error {
    Error::State {
        path: path.to_path_buf(),
        reason: format!("cannot lock: {e}"),
    }
}

/// Creates the lock file private to the user whatever the umask, and never through a symlink
/// someone left in its place.
fn open(path: &Path) -> Result<File, Error> {
    let folder = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    atomic::create_private_dir(&folder).map_err(|e| state_error(path, e))?;
    let mut o = std::fs::OpenOptions::new();
    o.create(true).truncate(false).read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = o.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return Error::State {
                path: path.to_path_buf(),
                reason:
                    "it is a symbolic link, which PoolPass does not follow for its locks; remove it"
                        .into(),
            };
        }
        state_error(path, e)
    })?;
    // `mode` above only applies to a file this call created; an older PoolPass (or a umask
    // of 0) may have left one readable by others.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let loose = file
            .metadata()
            .map(|m| m.permissions().mode() & 0o077 != 0)
            .unwrap_or(true);
        if loose {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| state_error(path, e))?;
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_held_lock_is_waited_for_then_named() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.lock");
        let held = FileLock::acquire(&p, "connection \"acme\"", Duration::ZERO)
            .await
            .unwrap();
        let started = Instant::now();
        let e = FileLock::acquire(&p, "connection \"acme\"", Duration::from_millis(300))
            .await
            .err()
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!(e.code(), "busy");
        let m = e.to_string();
        assert!(m.contains(&std::process::id().to_string()), "{m}");
        assert!(m.contains("acme"), "{m}");
        drop(held);
        FileLock::acquire(&p, "x", Duration::ZERO).await.unwrap();
    }

    #[test]
    fn lock_files_are_private_and_never_followed() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("y.lock");
        drop(FileLock::acquire_blocking(&p, "y", Duration::ZERO).unwrap());
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let target = d.path().join("elsewhere");
        std::fs::write(&target, "keep").unwrap();
        let link = d.path().join("z.lock");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(FileLock::acquire_blocking(&link, "z", Duration::ZERO).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}
