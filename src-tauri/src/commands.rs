//! The window's commands, one handler per entry of `contract/list.rs` (which names them, their
//! requests and responses). Each takes the managed [`Shell`], calls the core and maps the error;
//! what they return is in `dto`.

use poolpass::config::Provider;
use poolpass::export;
use poolpass::import::{self, Origin};
use poolpass::session::{self, BrowserMode, Event, OtherUser, SignInOptions, SignOutOptions};
use poolpass::{ConfigError, Error};
use tauri::{AppHandle, Manager, Runtime, State, WebviewWindow};
use tauri_plugin_autostart::AutoLaunchManager;
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::contract::{
    CopyExportRequest, ImportApplyRequest, ImportPreviewRequest, PickConfigFileRequest,
    RefreshConnectionRequest, RemoveProfileRequest, SaveSettingsRequest, SignInRequest,
    SignOutRequest, WindowReadyRequest,
};
use crate::dto::{
    AppState, ConfigStatus, ConnectionRefresh, ConnectionView, ImportCheck, ImportOrigin,
    ImportSource, IpcError, PendingView, ProfileView, ReadyStage, SettingsView, SignInResult,
    SignOutResult,
};
use crate::events::progress;
use crate::{window, Pending, Shell};

#[tauri::command]
pub fn app_state(shell: State<'_, Shell>) -> Result<AppState, IpcError> {
    let profiles = session::list(&shell.ctx())?
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
    request: SignInRequest,
) -> Result<SignInResult, IpcError> {
    let SignInRequest {
        connection,
        provider,
        take_over,
        other_user,
    } = request;
    let config = shell.config()?;
    let conn = config.connection(Some(&connection))?.clone();
    let provider = Provider::parse(&provider).ok_or_else(|| Error::ProviderNotOffered {
        provider: provider.clone(),
        connection: conn.name.clone(),
        offered: conn.providers.iter().map(|p| p.to_string()).collect(),
    })?;
    let ctx = shell.ctx();
    let events = app.clone();
    let outcome = browser_task(&shell, async move {
        let opts = SignInOptions {
            provider: Some(provider),
            browser: BrowserMode::Open,
            timeout: None,
            force: take_over,
            other_user: if other_user {
                OtherUser::Proceed
            } else {
                OtherUser::Refuse
            },
        };
        session::sign_in(&conn, &ctx, opts, &|e: Event| progress(&events, e)).await
    })
    .await?;
    // The tray's soonest expiry (the window reloads by itself).
    shell.agent().update_tray();
    window::show(&app);
    Ok(outcome.into())
}

#[tauri::command]
pub fn cancel_sign_in(shell: State<'_, Shell>) -> bool {
    shell.cancel_sign_in()
}

/// Every connection in turn; one failing (say, its sign-in expired) does not stop the others.
#[tauri::command]
pub async fn refresh_all<R: Runtime>(app: AppHandle<R>) -> Vec<ConnectionRefresh> {
    refresh(&app, None).await
}

/// A row's "Refresh": its connection's profiles are renewed together (one refresh token).
#[tauri::command]
pub async fn refresh_connection<R: Runtime>(
    app: AppHandle<R>,
    request: RefreshConnectionRequest,
) -> Vec<ConnectionRefresh> {
    refresh(&app, Some(&[request.connection])).await
}

async fn refresh<R: Runtime>(
    app: &AppHandle<R>,
    only: Option<&[String]>,
) -> Vec<ConnectionRefresh> {
    let agent = app.state::<Shell>().agent().clone();
    let rows = agent.refresh(only, &|e: Event| progress(app, e)).await;
    rows.into_iter()
        .map(|(connection, r)| ConnectionRefresh::new(&connection, r))
        .collect()
}

#[tauri::command]
pub async fn remove_profile(
    shell: State<'_, Shell>,
    request: RemoveProfileRequest,
) -> Result<(), IpcError> {
    session::remove(&shell.ctx(), &request.profile).await?;
    shell.agent().update_tray();
    Ok(())
}

/// Puts a profile's credentials on the clipboard in the chosen shell's form. The secrets go
/// from the core to the clipboard directly and never through the webview.
#[tauri::command]
pub async fn copy_export<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
    request: CopyExportRequest,
) -> Result<(), IpcError> {
    let CopyExportRequest { profile, format } = request;
    let ctx = shell.ctx();
    let c = session::current_credentials(&ctx, || shell.config(), &profile).await?;
    app.clipboard()
        .write_text(export::render(&c, format.into()))
        .map_err(|e| IpcError {
            facts: facts(&[("profile", profile.clone()), ("reason", e.to_string())]),
            code: "clipboard".into(),
            key: None,
            message: format!("Could not put the credentials on the clipboard ({e}). Use `poolpass export --profile {profile}` in a terminal instead."),
        })
}

#[tauri::command]
pub fn take_pending(shell: State<'_, Shell>) -> Option<PendingView> {
    shell.take_pending().map(|p| match p {
        Pending::Import { link } => PendingView::Import { link },
        Pending::SignOut => PendingView::SignOut,
    })
}

/// The window painted. With `POOLPASS_TIMING=1` it prints when, for the benchmark.
#[tauri::command]
pub fn window_ready(shell: State<'_, Shell>, request: WindowReadyRequest) {
    if crate::timing_on() {
        let ms = shell.launched.elapsed().as_millis();
        let what = match request.stage {
            ReadyStage::Content => "content shown",
            ReadyStage::FirstPaint => "first paint",
        };
        eprintln!(
            "poolpass-desktop: {what} after {ms} ms (unix_ms {})",
            crate::unix_ms()
        );
    }
}

/// Work that waits on the user's browser (a sign-in or sign-out), as its own task so that
/// `cancel_sign_in` can drop it: its loopback listener closes with it. One at a time.
async fn browser_task<T: Send + 'static>(
    shell: &Shell,
    work: impl std::future::Future<Output = Result<T, Error>> + Send + 'static,
) -> Result<T, IpcError> {
    let task = tokio::spawn(work);
    let handle = task.abort_handle();
    shell.start_sign_in(handle.clone());
    let ended = task.await;
    shell.end_sign_in(&handle);
    match ended {
        Ok(r) => Ok(r?),
        Err(e) if e.is_cancelled() => Err(Error::Cancelled.into()),
        Err(e) => Err(internal(e)),
    }
}

/// A sign-in task that panicked: a bug, reported rather than taking the window down.
fn internal(e: tokio::task::JoinError) -> IpcError {
    IpcError {
        facts: facts(&[("reason", e.to_string())]),
        code: "internal".into(),
        key: None,
        message: format!("PoolPass hit an internal error during sign-in ({e}). Please try again and report it if it persists."),
    }
}

#[tauri::command]
pub fn settings<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
) -> Result<SettingsView, IpcError> {
    Ok(SettingsView::new(&shell.settings()?, start_at_login(&app)))
}

/// Saves the settings; "start at login" is the OS's own record (a login item), not a file.
#[tauri::command]
pub fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
    request: SaveSettingsRequest,
) -> Result<SettingsView, IpcError> {
    let settings = request.settings;
    let s = settings.to_settings();
    shell.save_settings(&s)?;
    if settings.start_at_login != start_at_login(&app) {
        let Some(login) = app.try_state::<AutoLaunchManager>() else {
            return Err(IpcError {
                facts: facts(&[("kind", "unavailable".into()), ("reason", String::new())]),
                code: "autostart".into(),
                key: Some("error_autostart_unavailable".into()),
                message: "Starting at login is not available in this build.".into(),
            });
        };
        let r = if settings.start_at_login {
            login.enable()
        } else {
            login.disable()
        };
        r.map_err(|e| IpcError {
            facts: facts(&[("kind", "failed".into()), ("reason", e.to_string())]),
            code: "autostart".into(),
            key: Some("error_autostart_failed".into()),
            message: format!(
                "The other settings are saved, but starting at login could not be changed ({e})."
            ),
        })?;
    }
    Ok(SettingsView::new(&s, start_at_login(&app)))
}

fn start_at_login<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<AutoLaunchManager>()
        .is_some_and(|m| m.is_enabled().unwrap_or(false))
}

/// The system's file chooser, run in the shell so the window needs no file-system permission.
/// The window gives the title and the filter's name in its own language; the chooser belongs
/// to the window (modal to it where the platform's dialogs can be).
#[tauri::command]
pub async fn pick_config_file<R: Runtime>(
    app: AppHandle<R>,
    window: WebviewWindow<R>,
    request: PickConfigFileRequest,
) -> Result<Option<String>, IpcError> {
    let PickConfigFileRequest { title, filter } = request;
    let Some(dialog) = app.try_state::<tauri_plugin_dialog::Dialog<R>>() else {
        return Ok(None);
    };
    let picked = dialog
        .file()
        .set_parent(&window)
        .set_title(title)
        .add_filter(filter, &["toml"])
        .blocking_pick_file();
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// Reads a configuration to import and says what it holds, or where it is wrong. Nothing is
/// written: `import_apply` does that once the user has read this and confirmed.
#[tauri::command]
pub fn import_preview(shell: State<'_, Shell>, request: ImportPreviewRequest) -> ImportCheck {
    let (origin, read) = read_import(&request.source);
    match read {
        Ok(src) => match import::preview(&src.text, src.origin, shell.config_path()) {
            Ok(p) => ImportCheck::ok(origin, shell.keep_preview(src.text), p),
            Err(e) => ImportCheck::failed(origin, Some(&src.text), &e),
        },
        Err(e) => ImportCheck::failed(origin, None, &e),
    }
}

/// Saves the configuration the user confirmed: exactly the text that preview `token` showed
/// (the file is not read again; it may have changed since). Checked again before saving.
/// Returns where it was saved.
#[tauri::command]
pub fn import_apply(
    shell: State<'_, Shell>,
    request: ImportApplyRequest,
) -> Result<String, IpcError> {
    let text = shell.take_preview(request.token).ok_or_else(|| IpcError {
        code: "import_preview_gone".into(),
        key: None,
        message: "This preview is no longer the one to apply (another configuration was opened, or it was already saved). Open the configuration again to see what it holds.".into(),
        facts: None,
    })?;
    let applied = import::apply(&text, shell.config_path())?;
    Ok(applied.path.display().to_string())
}

/// What the source says it is (for the preview's "From:"), and its text.
fn read_import(
    source: &ImportSource,
) -> (ImportOrigin, Result<import::Source, poolpass::ConfigError>) {
    match source {
        ImportSource::File { path } => {
            let path = std::path::PathBuf::from(path);
            let read = import::read_file(&path).map(|text| import::Source {
                text,
                origin: Origin::File(path.clone()),
            });
            (
                ImportOrigin::File {
                    path: path.display().to_string(),
                },
                read,
            )
        }
        ImportSource::Link { link } => {
            let read = import::parse_link(link);
            let label = match &read {
                Ok(import::Source {
                    origin: Origin::Link { name },
                    ..
                }) => name.clone(),
                _ => None,
            };
            let origin = ImportOrigin::Link { label };
            (origin, read)
        }
    }
}

/// Revokes the connection's saved sign-in, forgets it here, optionally removes its profiles,
/// and ends the browser's session. Runs as the sign-in does (one at a time, Cancel stops the
/// wait for the browser; the local steps come first and are done by then).
#[tauri::command]
pub async fn sign_out<R: Runtime>(
    app: AppHandle<R>,
    shell: State<'_, Shell>,
    request: SignOutRequest,
) -> Result<SignOutResult, IpcError> {
    let SignOutRequest {
        connection,
        remove_profiles,
    } = request;
    let config = shell.config()?;
    let conn = config.connection(Some(&connection))?.clone();
    let ctx = shell.ctx();
    let events = app.clone();
    let outcome = browser_task(&shell, async move {
        let opts = SignOutOptions {
            remove_profiles,
            browser: BrowserMode::Open,
            timeout: None,
        };
        session::sign_out(&conn, &ctx, opts, &|e: Event| progress(&events, e)).await
    })
    .await?;
    shell.agent().update_tray();
    window::show(&app);
    Ok(SignOutResult::new(&outcome))
}

/// The facts of a shell error, for the window to word it as it words the core's.
fn facts(pairs: &[(&str, String)]) -> Option<std::collections::BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}
