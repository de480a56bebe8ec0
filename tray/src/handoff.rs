//! One agent at a time. The process running the agent (the window process, or the tray
//! program once the window is closed) listens on a socket in the user's runtime folder. A tray
//! program that finds someone listening leaves (the tray is already there); a window process
//! asks a tray program to hand over and waits until it has gone, so that the user never sees
//! two tray icons or gets two notifications, and two timers never refresh at once.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use crate::log;

/// What a newcomer says, and the owner's answers.
const QUIT: &str = "quit";
const HELLO: &str = "hello";
const BYE: &str = "bye";
const BUSY: &str = "busy";

/// How long a window process waits for the tray program to finish a refresh under way and go.
/// A refresh is a few requests; past this the tray program is stuck and is not waited for.
const HAND_OVER_WITHIN: Duration = Duration::from_secs(20);

/// The socket of the agent for PoolPass's records at `state_path`:
/// `$XDG_RUNTIME_DIR/poolpass/agent-<hash>.sock` (private to the user by the system's rules),
/// else a 0700 folder of our own in the temporary folder. One agent per set of records: a
/// PoolPass with other records (the local demo, a test's sandbox) is another app and must not
/// take this one's tray over.
pub fn socket_path(state_path: &Path) -> PathBuf {
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d).join("poolpass"),
        // SAFETY: getuid has no preconditions and cannot fail.
        None => std::env::temp_dir().join(format!("poolpass-{}", unsafe { libc::getuid() })),
    };
    dir.join(format!("agent-{:016x}.sock", fnv1a(state_path)))
}

/// FNV-1a: stable across builds, so an upgraded window program finds an older tray program.
fn fnv1a(path: &Path) -> u64 {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str()
        .as_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// Which process is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The window process: it takes over from a tray program.
    Window,
    /// The tray program: it gives way to anyone already running.
    Tray,
}

/// The right to run the agent: the socket, listening. Dropping it removes the socket file.
pub struct Claim {
    listener: std::os::unix::net::UnixListener,
    path: PathBuf,
    /// The socket file's inode: a newcomer that took over binds a new file at the same path,
    /// which must not be removed when this claim ends.
    inode: u64,
    role: Role,
}

/// Claims the agent for `role` at `path`. `Ok(None)`: another process runs it and stays (a
/// tray program asking, or a window process already running).
pub fn claim(path: &Path, role: Role) -> std::io::Result<Option<Claim>> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    if let Ok(stream) = UnixStream::connect(path) {
        let say = match role {
            Role::Window => QUIT,
            Role::Tray => HELLO,
        };
        match ask(stream, say) {
            Ok(answer) if answer == BYE => {}
            Ok(_) => return Ok(None),
            // Gone while answering (it was quitting anyway): the socket is free.
            Err(e) => log!("the other PoolPass process did not answer ({e}); taking over"),
        }
    }
    // Nobody answers: a socket left by a process that ended without removing it.
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let listener = std::os::unix::net::UnixListener::bind(path)?;
    Ok(Some(Claim {
        listener,
        path: path.to_path_buf(),
        inode: inode(path).unwrap_or(0),
        role,
    }))
}

fn ask(mut stream: UnixStream, say: &str) -> std::io::Result<String> {
    stream.set_read_timeout(Some(HAND_OVER_WITHIN))?;
    stream.write_all(format!("{say}\n").as_bytes())?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer)?;
    // A tray program quits right after "bye"; wait until its end closes the socket for good.
    Ok(answer.trim().to_string())
}

fn inode(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).ok().map(|m| m.ino())
}

/// Creates the socket's folder 0700, or checks the one already there. In the shared temporary
/// folder another user can create `poolpass-<uid>` first (or a symlink by that name), and
/// whoever controls the folder can replace our socket and so make the tray quit: such a
/// folder is refused, not used.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    // SAFETY: getuid has no preconditions and cannot fail.
    check_private_dir(dir, unsafe { libc::getuid() })
}

fn check_private_dir(dir: &Path, uid: u32) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let refuse = |why: String| {
        std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "the folder {} for PoolPass's socket {why}, so another user could control it; \
                 remove it (or set XDG_RUNTIME_DIR) and start PoolPass again",
                dir.display()
            ),
        )
    };
    // Not followed: a symlink would put the socket wherever its author chose.
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.file_type().is_symlink() {
        return Err(refuse("is a symbolic link".into()));
    }
    if !meta.is_dir() {
        return Err(refuse("is not a folder".into()));
    }
    if meta.uid() != uid {
        return Err(refuse(format!(
            "belongs to another user (uid {})",
            meta.uid()
        )));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode != 0o700 {
        return Err(refuse(format!("has mode {mode:04o}, not 0700")));
    }
    Ok(())
}

impl Claim {
    /// Answers newcomers until the process ends. A tray program asked to quit runs
    /// `hand_over` (which stops its tray and waits for a refresh under way), says "bye" and
    /// returns: the caller exits. A window process never hands over: it answers "busy".
    pub async fn serve<F, Fut>(self, hand_over: F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let listener = match self
            .listener
            .try_clone()
            .and_then(|l| {
                l.set_nonblocking(true)?;
                Ok(l)
            })
            .and_then(tokio::net::UnixListener::from_std)
        {
            Ok(l) => l,
            Err(e) => {
                log!("cannot listen for other PoolPass processes ({e})");
                return std::future::pending().await;
            }
        };
        loop {
            let (stream, _) = match listener.accept().await {
                Ok(s) => s,
                Err(e) => {
                    log!("a PoolPass process could not reach this one ({e})");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            };
            let (read, mut write) = stream.into_split();
            let mut line = String::new();
            let mut read = tokio::io::BufReader::new(read);
            let heard = tokio::time::timeout(Duration::from_secs(2), read.read_line(&mut line))
                .await
                .is_ok_and(|r| r.is_ok());
            if heard && line.trim() == QUIT && self.role == Role::Tray {
                hand_over().await;
                let _ = write.write_all(format!("{BYE}\n").as_bytes()).await;
                return;
            }
            let _ = write.write_all(format!("{BUSY}\n").as_bytes()).await;
        }
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        // Only our own socket: a newcomer that took over may have bound a new one there.
        if inode(&self.path) == Some(self.inode) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_second_tray_program_gives_way() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run/agent.sock");
        let first = claim(&path, Role::Tray)
            .unwrap()
            .expect("nobody ran it yet");
        let rt = runtime();
        let serving = rt.spawn(first.serve(|| async {}));
        let second = rt
            .block_on(rt.spawn_blocking({
                let path = path.clone();
                move || claim(&path, Role::Tray)
            }))
            .unwrap()
            .unwrap();
        assert!(second.is_none(), "a tray program is running already");
        serving.abort();
    }

    #[test]
    fn the_window_takes_over_from_the_tray_program() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run/agent.sock");
        let tray = claim(&path, Role::Tray).unwrap().unwrap();
        let rt = runtime();
        let handed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = handed.clone();
        let serving = rt.spawn(tray.serve(move || {
            let flag = flag.clone();
            async move { flag.store(true, std::sync::atomic::Ordering::SeqCst) }
        }));
        let window = rt
            .block_on(rt.spawn_blocking({
                let path = path.clone();
                move || claim(&path, Role::Window)
            }))
            .unwrap()
            .unwrap();
        assert!(window.is_some(), "the window process runs the agent now");
        assert!(handed.load(std::sync::atomic::Ordering::SeqCst));
        rt.block_on(serving).unwrap();
        // And a tray program started now finds the window process and leaves.
        let window = window.unwrap();
        let serving = rt.spawn(window.serve(|| async {}));
        let late = rt
            .block_on(rt.spawn_blocking(move || claim(&path, Role::Tray)))
            .unwrap()
            .unwrap();
        assert!(late.is_none());
        serving.abort();
    }

    #[test]
    fn each_set_of_records_has_its_own_agent() {
        let a = socket_path(Path::new("/home/u/.local/state/poolpass/state.json"));
        let b = socket_path(Path::new(
            "/home/u/src/poolpass/.demo/state/poolpass/state.json",
        ));
        assert_ne!(a, b);
        assert_eq!(
            a,
            socket_path(Path::new("/home/u/.local/state/poolpass/state.json"))
        );
    }

    #[test]
    fn a_fresh_socket_folder_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("poolpass-run");
        assert!(claim(&run.join("agent.sock"), Role::Tray)
            .unwrap()
            .is_some());
        let mode = std::fs::symlink_metadata(&run)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o7777, 0o700);
    }

    #[test]
    fn a_socket_folder_others_can_enter_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("poolpass-run");
        std::fs::create_dir(&run).unwrap();
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o755)).unwrap();
        let e = claim(&run.join("agent.sock"), Role::Tray)
            .err()
            .expect("a 0755 folder was used");
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(e.to_string().contains("mode 0755"), "{e}");
        assert!(!run.join("agent.sock").exists());
    }

    #[test]
    fn a_socket_folder_that_is_a_symlink_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let run = dir.path().join("poolpass-run");
        std::os::unix::fs::symlink(&elsewhere, &run).unwrap();
        let e = claim(&run.join("agent.sock"), Role::Tray)
            .err()
            .expect("a symlinked folder was used");
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(!elsewhere.join("agent.sock").exists());
    }

    #[test]
    fn a_socket_folder_of_another_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        // SAFETY: getuid has no preconditions and cannot fail.
        let me = unsafe { libc::getuid() };
        let e = check_private_dir(dir.path(), me.wrapping_add(1)).unwrap_err();
        assert!(e.to_string().contains("another user"), "{e}");
    }

    #[test]
    fn a_socket_left_by_a_crash_is_taken() {
        use std::os::unix::fs::DirBuilderExt;
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run");
        std::fs::DirBuilder::new().mode(0o700).create(&run).unwrap();
        let path = run.join("agent.sock");
        drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
        assert!(path.exists(), "a stale socket file");
        assert!(claim(&path, Role::Tray).unwrap().is_some());
    }
}
