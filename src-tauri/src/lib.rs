//! The PoolPass desktop shell. It adapts the `poolpass` core to a Tauri window and tray and
//! holds no business logic: each command takes the managed [`Shell`], calls the core, and maps
//! `poolpass::Error` to [`dto::IpcError`] (`{code, message}`).
//!
//! Generic over the runtime so that tests drive the same app on Tauri's mock runtime.

pub mod bindings;
mod commands;
#[macro_use]
pub mod contract;
pub mod dto;
mod events;
mod host;
mod shell;
mod window;

pub use shell::{Pending, Shell};

use tauri::{AppHandle, Builder, Emitter, Manager, RunEvent, Runtime};

/// Sent when something waits for the user (see [`Pending`]); the window calls `take_pending`.
pub const PENDING_EVENT: &str = "pending";

pub use poolpass_tray::{BACKGROUND_ARG, SIGN_OUT_ARG};

/// The app's context (tauri.conf.json, the capability, the front end), for any runtime.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The app on a builder: its state and its commands. `run` and the tests share this.
pub fn app<R: Runtime>(builder: Builder<R>, shell: Shell) -> Builder<R> {
    builder
        .manage(shell)
        .manage(events::Outbox::default())
        .manage(host::Claimed::default())
        .invoke_handler(window_commands!(handler_of))
}

/// Under `POOLPASS_TIMING=1`, when the start reached `what`, for the desktop benchmark (which
/// knows when it launched the app, by the same wall clock).
pub fn timing(what: &str) {
    if timing_on() {
        eprintln!("poolpass-desktop: timing {what} (unix_ms {})", unix_ms());
    }
}

pub(crate) fn timing_on() -> bool {
    std::env::var_os("POOLPASS_TIMING").is_some()
}

pub(crate) fn unix_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    timing("run");
    let shell = Shell::from_env()?;
    timing("state ready");
    let background = std::env::args().any(|a| a == BACKGROUND_ARG);
    if std::env::args().any(|a| a == SIGN_OUT_ARG) {
        shell.set_pending(Pending::SignOut);
    }
    let builder = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            // A link in the arguments reaches `on_open_url` (the deep-link feature).
            if argv.iter().any(|a| a == SIGN_OUT_ARG) {
                host::ask_sign_out(app);
            } else {
                window::show(app);
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![BACKGROUND_ARG]),
        ));
    let app = app(builder, shell)
        .setup(move |app| {
            timing("setup");
            let handle = app.handle().clone();
            // The window first: WebKit's processes start while the rest is set up.
            if !background {
                window::show(&handle);
            }
            timing("window built");
            host::start(&handle);
            deep_links(&handle);
            Ok(())
        })
        .build(context())?;
    app.run(|app, event| match event {
        // Closing the window is not quitting: the tray stays (Quit is in its menu), in the
        // tray program when there is one (this process then exits by itself).
        RunEvent::ExitRequested {
            code: None, api, ..
        } => {
            api.prevent_exit();
            host::window_closed(app);
        }
        RunEvent::WindowEvent {
            event: tauri::WindowEvent::Destroyed,
            ..
        } => release_memory(),
        _ => {}
    });
    Ok(())
}

/// `poolpass://import?...` links, at launch or handed over by a second launch. Nothing is
/// applied here: the window shows the link's configuration and waits for the user.
fn deep_links<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let deep = app.deep_link();
    let take = |app: &AppHandle<R>, urls: Vec<url::Url>| {
        if let Some(link) = urls.into_iter().find(|u| u.scheme() == "poolpass") {
            app.state::<Shell>().set_pending(Pending::Import {
                link: link.to_string(),
            });
            window::show(app);
            announce_pending(app);
        }
    };
    match deep.get_current() {
        Ok(Some(urls)) => take(app, urls),
        Ok(None) => {}
        Err(e) => {
            eprintln!("poolpass-desktop: could not read the link PoolPass was opened with: {e}")
        }
    }
    let handle = app.clone();
    deep.on_open_url(move |event| take(&handle, event.urls()));
}

/// Tells an open window that something waits; a window opened later asks by itself.
pub(crate) fn announce_pending<R: Runtime>(app: &AppHandle<R>) {
    if let Err(e) = app.emit_to(window::MAIN, PENDING_EVENT, ()) {
        eprintln!("poolpass-desktop: could not reach the window: {e}");
    }
}

/// The webview's memory is freed when the window goes, but glibc keeps the freed heap for
/// reuse; a PoolPass left in the tray all day should hand it back to the system.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the OS; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}
