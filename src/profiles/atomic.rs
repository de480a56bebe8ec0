//! Replacing a file so that every reader sees either the old or the new content, never a torn
//! or empty one: temp file in the same directory, fsync, rename over the target, fsync the
//! directory. A symlinked file is written at its target, so the link stays a link.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Follows symlinks to the file that really holds the content (which may not exist yet).
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Reads a file that may not exist yet (`None`).
pub fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Why a file that exists cannot be read as a plain text file: not a regular file (a FIFO
/// would block the reader forever, a device could stream without end), or larger than `cap`.
pub fn not_a_plain_file(meta: &fs::Metadata, cap: u64) -> Option<String> {
    let t = meta.file_type();
    if !t.is_file() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return Some("it is a named pipe (FIFO), not a regular file".into());
            }
            if t.is_char_device() || t.is_block_device() {
                return Some("it is a device, not a regular file".into());
            }
            if t.is_socket() {
                return Some("it is a socket, not a regular file".into());
            }
        }
        if t.is_dir() {
            return Some("it is a folder, not a file".into());
        }
        return Some("it is not a regular file".into());
    }
    (meta.len() > cap).then(|| {
        format!(
            "it is {:.1} MiB, more than the {} MiB an AWS file may have here",
            meta.len() as f64 / 1048576.0,
            cap >> 20
        )
    })
}

/// Reads a regular file of at most `cap` bytes that may not exist yet (`None`). The checks
/// are made on the opened file, and the open does not wait for a FIFO's writer, so a file
/// swapped after an earlier check cannot hang or flood the reader either.
pub fn read_plain_optional(path: &Path, cap: u64) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let refuse = |reason: String| io::Error::new(io::ErrorKind::InvalidData, reason);
    match fs::metadata(path) {
        Ok(m) => {
            if let Some(reason) = not_a_plain_file(&m, cap) {
                return Err(refuse(reason));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut open = OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    let file = match open.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if let Some(reason) = not_a_plain_file(&file.metadata()?, cap) {
        return Err(refuse(reason));
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(refuse(format!(
            "it grew past the {} MiB an AWS file may have here while PoolPass read it",
            cap >> 20
        )));
    }
    Ok(Some(bytes))
}

/// Writes `bytes` to `path` atomically. A new file (and a missing parent directory) is
/// created private to the user; an existing file keeps its mode.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with_mode(path, bytes, None)
}

/// Like [`write`], but the file ends up 0600 whatever mode it had: for files that decide
/// where the user signs in, which no one else may be able to change.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with_mode(path, bytes, Some(0o600))
}

fn write_with_mode(path: &Path, bytes: &[u8], force: Option<u32>) -> io::Result<()> {
    let target = resolve(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir)?;
    let mode = match force {
        Some(m) => Some(m),
        None => existing_mode(&target)?,
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    remove_stale_temps(&dir, &name);
    let (tmp_path, mut tmp) = create_temp(&dir, &name, mode)?;
    let result = (|| {
        tmp.write_all(bytes)?;
        tmp.sync_all()?;
        drop(tmp);
        fs::rename(&tmp_path, &target)?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

/// A writer killed between creating its temp file and renaming it leaves the temp file
/// behind (the target itself is intact). Clear those of dead PoolPass processes.
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}.poolpass-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(".tmp"))
        else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            Some(p) if p == std::process::id() => false,
            Some(p) if cfg!(target_os = "linux") => !Path::new(&format!("/proc/{p}")).exists(),
            // Elsewhere, judge by age: a live write takes milliseconds.
            _ => e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 600),
        };
        if stale {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn create_temp(dir: &Path, name: &str, mode: Option<u32>) -> io::Result<(PathBuf, File)> {
    for attempt in 0..100u32 {
        let tmp = dir.join(format!(
            ".{name}.poolpass-{}-{}-{attempt}.tmp",
            std::process::id(),
            nanos()
        ));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(mode.unwrap_or(0o600));
        }
        match opts.open(&tmp) {
            Ok(f) => {
                // The umask may have narrowed an existing file's mode: restore it exactly.
                #[cfg(unix)]
                if let Some(m) = mode {
                    use std::os::unix::fs::PermissionsExt;
                    f.set_permissions(fs::Permissions::from_mode(m))?;
                }
                return Ok((tmp, f));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("cannot create a temporary file"))
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0)
}

#[cfg(unix)]
fn existing_mode(path: &Path) -> io::Result<Option<u32>> {
    use std::os::unix::fs::PermissionsExt;
    match fs::metadata(path) {
        Ok(m) => Ok(Some(m.permissions().mode() & 0o7777)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn existing_mode(_: &Path) -> io::Result<Option<u32>> {
    Ok(None)
}

pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn only_regular_files_of_bounded_size_are_read() {
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_plain_optional(&fifo, 100).unwrap_err().to_string();
        assert!(e.contains("named pipe"), "{e}");
        let e = read_plain_optional(Path::new("/dev/zero"), 100)
            .unwrap_err()
            .to_string();
        assert!(e.contains("device"), "{e}");
        let e = read_plain_optional(d.path(), 100).unwrap_err().to_string();
        assert!(e.contains("folder"), "{e}");
        let big = d.path().join("big");
        fs::write(&big, [b'x'; 101]).unwrap();
        let e = read_plain_optional(&big, 100).unwrap_err().to_string();
        assert!(e.contains("MiB"), "{e}");
        fs::write(&big, [b'x'; 100]).unwrap();
        assert_eq!(read_plain_optional(&big, 100).unwrap().unwrap().len(), 100);
        assert!(read_plain_optional(&d.path().join("none"), 100)
            .unwrap()
            .is_none());
    }

    #[test]
    fn new_files_are_private_and_modes_are_kept() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("aws").join("credentials");
        write(&p, b"one").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            fs::metadata(p.parent().unwrap())
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write(&p, b"two").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(
            fs::read_dir(p.parent().unwrap()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn private_writes_narrow_an_existing_mode() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("config.toml");
        fs::write(&p, b"old").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o666)).unwrap();
        write_private(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn temp_files_of_dead_writers_are_cleared() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("credentials");
        // PID 4194304 is above Linux's pid_max: no such process.
        let stale = d.path().join(".credentials.poolpass-4194304-1-0.tmp");
        let live = d.path().join(format!(
            ".credentials.poolpass-{}-1-0.tmp",
            std::process::id()
        ));
        let foreign = d.path().join(".credentials.other.tmp");
        for f in [&stale, &live, &foreign] {
            fs::write(f, b"x").unwrap();
        }
        write(&p, b"new").unwrap();
        assert_eq!(!stale.exists(), cfg!(target_os = "linux"));
        assert!(live.exists() && foreign.exists());
    }

    #[test]
    fn symlinks_stay_links() {
        let d = tempfile::tempdir().unwrap();
        let real = d.path().join("real");
        fs::write(&real, b"old").unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink("real", &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }
}
