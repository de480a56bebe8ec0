//! What the PoolPass desktop app does whether or not its window is open: the tray icon and
//! menu ([`icon`]), the silent refresh before credentials expire and the notifications when it
//! fails ([`agent`], [`notify`]), and the hand-over between the window process and the
//! tray-only process ([`handoff`]).
//!
//! Two processes run this library, never at the same time: the window process (`src-tauri`)
//! while its window is open, and the `poolpass-tray` program once the window is closed. The
//! window process starts `poolpass-tray` and exits when its window closes (WebKit's memory goes
//! with it), and "Open PoolPass" in the tray starts the window process again, which takes the
//! tray over. Everything here is the core plus D-Bus: no Tauri, no WebKit, no GTK.

pub mod agent;
#[cfg(unix)]
pub mod handoff;
pub mod icon;
pub mod notify;

pub use agent::{Agent, Host};

/// The tray-only program's file name, next to the window process's.
pub const TRAY_PROGRAM: &str = "poolpass-tray";

/// The window process's file name, next to the tray program's.
pub const WINDOW_PROGRAM: &str = "poolpass-desktop";

/// Start at login: the window program with this argument starts the tray program only.
pub const BACKGROUND_ARG: &str = "--background";

/// Asks the window process to open on its sign-out dialog (the tray's "Sign out…").
pub const SIGN_OUT_ARG: &str = "--sign-out";

/// `program` in the folder of the running executable: the two programs are installed side by
/// side (the package puts both in the same folder, `cargo build` both in `target/<profile>`).
pub fn sibling(program: &str) -> std::io::Result<std::path::PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe.parent().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "no folder for this program")
    })?;
    Ok(dir.join(format!("{program}{}", std::env::consts::EXE_SUFFIX)))
}

/// Logs for the user's journal: a tray process has no window to show a message in.
#[macro_export]
macro_rules! log {
    ($($arg:tt)*) => { eprintln!("poolpass: {}", format_args!($($arg)*)) };
}
