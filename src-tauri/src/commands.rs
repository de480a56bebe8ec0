//! The window's commands. Each takes the managed [`Shell`], calls the core and maps the error;
//! what they return is in `dto`.

use poolpass::config::Provider;
use poolpass::session::{self, BrowserMode, Event, SignInOptions};
use poolpass::{ConfigError, Error};
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::dto::{
    AppState, ConfigStatus, ConnectionRefresh, ConnectionView, IpcError, ProfileView, Progress,
    SignInResult,
};
use crate::Shell;

/// The event the window listens to for sign-in and refresh progress.
pub const PROGRESS_EVENT: &str = "progress";

#[tauri::command]
pub fn app_state(shell: State<'_, Shell>) -> Result<AppState, IpcError> {
    let profiles = session::list(&shell.ctx)?
        .iter()
        .map(|(name, record)| ProfileView::new(name, record))
        .collect();
    let path = shell.config_path().display().to_string();
    let (config, connections) = match shell.config() {
        Ok(c) => (
            ConfigStatus {
                path,
                present: true,
                error: None,
            },
            c.connections.iter().map(ConnectionView::from).collect(),
        ),
        Err(Error::Config(ConfigError::Missing { .. })) => (
            ConfigStatus {
                path,
                present: false,
                error: None,
            },
            Vec::new(),
        ),
        Err(e) => (
            ConfigStatus {
                path,
                present: true,
                error: Some(e.into()),
            },
            Vec::new(),
        ),
    };
    Ok(AppState {
        config,
        connections,
        profiles,
    })
}

/// Runs the browser sign-in as its own task (never on the UI thread), so `cancel_sign_in` can
/// drop it: the loopback listener closes with it.
#[tauri::command]
pub async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
    connection: String,
    provider: String,
) -> Result<SignInResult, IpcError> {
    let config = shell.config()?;
    let conn = config.connection(Some(&connection))?.clone();
    let provider = Provider::parse(&provider).ok_or_else(|| Error::ProviderNotOffered {
        provider: provider.clone(),
        connection: conn.name.clone(),
        offered: conn.providers.iter().map(|p| p.to_string()).collect(),
    })?;
    let ctx = shell.ctx.clone();
    let events = app.clone();
    let task = tokio::spawn(async move {
        let opts = SignInOptions {
            provider: Some(provider),
            browser: BrowserMode::Open,
            timeout: None,
            force: false,
        };
        session::sign_in(&conn, &ctx, opts, &|e: Event| progress(&events, e)).await
    });
    let handle = task.abort_handle();
    shell.start_sign_in(handle.clone());
    let ended = task.await;
    shell.end_sign_in(&handle);
    let outcome = match ended {
        Ok(r) => r?,
        Err(e) if e.is_cancelled() => return Err(Error::Cancelled.into()),
        Err(e) => return Err(internal(e)),
    };
    front(&app);
    Ok(outcome.into())
}

#[tauri::command]
pub fn cancel_sign_in(shell: State<'_, Shell>) -> bool {
    shell.cancel_sign_in()
}

/// Every connection in turn; one failing (say, its sign-in expired) does not stop the others.
#[tauri::command]
pub async fn refresh_all<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
) -> Result<Vec<ConnectionRefresh>, IpcError> {
    let config = shell.config()?;
    let mut rows = Vec::new();
    for conn in &config.connections {
        let r = session::refresh(conn, &shell.ctx, false, &|e: Event| progress(&app, e)).await;
        rows.push(ConnectionRefresh::new(&conn.name, r));
    }
    Ok(rows)
}

#[tauri::command]
pub async fn remove_profile(shell: State<'_, Shell>, profile: String) -> Result<(), IpcError> {
    Ok(session::remove(&shell.ctx, &profile).await?)
}

fn progress<R: Runtime>(app: &AppHandle<R>, e: Event) {
    if let Err(err) = app.emit_to("main", PROGRESS_EVENT, Progress::from(e)) {
        // Progress is advisory: the command's result still reaches the window.
        eprintln!("poolpass-desktop: could not send progress to the window: {err}");
    }
}

/// The user is in the browser when the sign-in ends: bring them back to the app.
fn front<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        for r in [w.unminimize(), w.show(), w.set_focus()] {
            if let Err(err) = r {
                eprintln!("poolpass-desktop: could not bring the window to the front: {err}");
            }
        }
    }
}

/// A sign-in task that panicked: a bug, reported rather than taking the window down.
fn internal(e: tokio::task::JoinError) -> IpcError {
    IpcError {
        code: "internal".into(),
        message: format!("PoolPass hit an internal error during sign-in ({e}). Please try again and report it if it persists."),
    }
}
