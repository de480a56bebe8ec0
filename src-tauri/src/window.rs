//! The main window, built on demand from tauri.conf.json (`create: false`). Closing it ends
//! this process, which hands the tray to the tray program (`host.rs`); when there is no tray
//! program beside this one, the process stays in the tray and a later Open builds a fresh
//! window.

use tauri::{AppHandle, Manager, Runtime, WebviewWindow, WebviewWindowBuilder};

pub const MAIN: &str = "main";

/// Shows the window, building it when it was closed, and brings it to the front.
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    let window = match app.get_webview_window(MAIN) {
        Some(w) => w,
        None => match build(app) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("poolpass-desktop: could not open the window: {e}");
                return;
            }
        },
    };
    for r in [window.unminimize(), window.show(), window.set_focus()] {
        if let Err(e) = r {
            eprintln!("poolpass-desktop: could not bring the window to the front: {e}");
        }
    }
}

/// Whether the window is there (a closed window has no webview to send events to).
pub fn is_open<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window(MAIN).is_some()
}

fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| {
            tauri::Error::WindowNotFound // the config is embedded at build time; see tauri.conf.json
        })?;
    WebviewWindowBuilder::from_config(app, &config)?.build()
}
