//! The tray: the soonest expiry at a glance, and Refresh all / Open / Sign out / Quit without
//! opening the window.

use poolpass::schedule::{self, Expiring};
use tauri::image::Image;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};
use time::OffsetDateTime;

use crate::{background, window, Pending, Shell};

const ID: &str = "poolpass";

/// The menu line that says what expires first; kept to update it.
pub struct Status<R: Runtime>(MenuItem<R>);

pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let status = MenuItem::with_id(app, "status", "No credentials yet", false, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &status,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, "refresh", "Refresh all", true, None::<&str>)?,
            &MenuItem::with_id(app, "open", "Open PoolPass", true, None::<&str>)?,
            &MenuItem::with_id(app, "sign-out", "Sign out…", true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, "quit", "Quit PoolPass", true, None::<&str>)?,
        ],
    )?;
    let icon = Image::from_bytes(include_bytes!("../../icons/32x32.png"))?;
    TrayIconBuilder::with_id(ID)
        .icon(icon)
        .tooltip("PoolPass")
        .menu(&menu)
        .on_menu_event(on_menu)
        .build(app)?;
    app.manage(Status(status));
    Ok(())
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        "refresh" => background::refresh_now(app),
        "open" => window::show(app),
        "sign-out" => {
            app.state::<Shell>().set_pending(Pending::SignOut);
            window::show(app);
            crate::announce_pending(app);
        }
        "quit" => app.exit(0),
        _ => {}
    }
}

/// Puts the soonest expiry in the tray's label (shown beside the icon on Linux) and menu.
pub fn show_soonest<R: Runtime>(
    app: &AppHandle<R>,
    soonest: Option<&Expiring>,
    now: OffsetDateTime,
) {
    let (line, label) = match soonest {
        Some(e) => {
            let left = schedule::short_left(e.expires_at, now);
            (format!("{}: {}", e.profile, left_phrase(&left)), left)
        }
        None => ("No credentials yet".to_string(), String::new()),
    };
    if let Some(status) = app.try_state::<Status<R>>() {
        if let Err(e) = status.0.set_text(&line) {
            eprintln!("poolpass-desktop: could not update the tray menu: {e}");
        }
    }
    if let Some(tray) = app.tray_by_id(ID) {
        update(&tray, &line, &label);
    }
}

fn left_phrase(left: &str) -> String {
    if left == "expired" {
        "expired".into()
    } else {
        format!("expires in {left}")
    }
}

fn update<R: Runtime>(tray: &TrayIcon<R>, line: &str, label: &str) {
    let title = (!label.is_empty()).then_some(label);
    for r in [
        tray.set_tooltip(Some(format!("PoolPass: {line}"))),
        tray.set_title(title),
    ] {
        if let Err(e) = r {
            eprintln!("poolpass-desktop: could not update the tray: {e}");
        }
    }
}
