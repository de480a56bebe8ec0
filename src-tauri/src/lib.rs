//! The PoolPass desktop shell. It adapts the `poolpass` core to a Tauri window and holds no
//! business logic: each command takes the managed [`Shell`], calls `poolpass::session`, and
//! maps `poolpass::Error` to [`dto::IpcError`] (`{code, message}`).
//!
//! Generic over the runtime so that tests drive the same app on Tauri's mock runtime.

pub mod bindings;
mod commands;
pub mod dto;
mod shell;

pub use shell::Shell;

use tauri::{Builder, Runtime};

/// The app's context (tauri.conf.json, the capability, the front end), for any runtime.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The app on a builder: its state and its commands. `run` and the tests share this.
pub fn app<R: Runtime>(builder: Builder<R>, shell: Shell) -> Builder<R> {
    builder
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::sign_in,
            commands::cancel_sign_in,
            commands::refresh_all,
            commands::remove_profile,
        ])
}

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let shell = Shell::from_env()?;
    app(tauri::Builder::default(), shell).run(context())?;
    Ok(())
}
