//! Desktop notifications, with a "Refresh" action that refreshes every connection.
//!
//! A notification is a courtesy: when no notification service is running (a bare X server,
//! some tiling desktops) the reason goes to stderr and the tray and window still show the
//! state.

use tauri::{AppHandle, Runtime};

/// Shows `summary`/`body`; with `refresh_action` the notification offers "Refresh", which runs
/// the same refresh as the tray's "Refresh all".
pub fn show<R: Runtime>(app: &AppHandle<R>, summary: &str, body: &str, refresh_action: bool) {
    imp::show(app, summary, body, refresh_action)
}

#[cfg(target_os = "linux")]
mod imp {
    use notify_rust::{Notification, Timeout};
    use tauri::{AppHandle, Runtime};

    pub fn show<R: Runtime>(app: &AppHandle<R>, summary: &str, body: &str, refresh_action: bool) {
        let mut n = Notification::new();
        n.appname("PoolPass")
            .summary(summary)
            .body(body)
            .icon("dialog-password")
            .timeout(Timeout::Milliseconds(60_000));
        if refresh_action {
            n.action("refresh", "Refresh");
        }
        let app = app.clone();
        // Waiting for the user's answer blocks: a thread of its own per notification, which
        // ends when the notification is closed or times out.
        let spawned = std::thread::Builder::new()
            .name("notification".into())
            .spawn(move || match n.show() {
                Ok(handle) => handle.wait_for_action(|action| {
                    if action == "refresh" {
                        crate::background::refresh_now(&app);
                    }
                }),
                Err(e) => eprintln!("poolpass-desktop: no desktop notification ({e})"),
            });
        if let Err(e) = spawned {
            eprintln!("poolpass-desktop: no desktop notification ({e})");
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use tauri::{AppHandle, Runtime};

    // macOS and Windows builds are not shipped yet; the tray and window carry the state there.
    pub fn show<R: Runtime>(_app: &AppHandle<R>, summary: &str, body: &str, _refresh: bool) {
        eprintln!("poolpass-desktop: {summary}: {body}");
    }
}
