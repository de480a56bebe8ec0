//! What the window hears without asking: progress of a sign-in or refresh (batched), and
//! "state changed" when profiles changed behind its back (the tray's or the timer's refresh).

use std::sync::Mutex;
use std::time::Duration;

use poolpass::session::Event;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::dto::Progress;
use crate::window;

/// Sent to the window when profiles changed behind its back (a silent or tray refresh): it
/// reloads its state.
pub const STATE_EVENT: &str = "state-changed";

/// The event the window listens to for sign-in and refresh progress.
pub const PROGRESS_EVENT: &str = "progress";

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain data updated in one statement: a panic elsewhere cannot leave it half-written.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Tells an open window to reload its state.
pub fn state_changed<R: Runtime>(app: &AppHandle<R>) {
    if !window::is_open(app) {
        return;
    }
    if let Err(e) = app.emit_to(window::MAIN, STATE_EVENT, ()) {
        eprintln!("poolpass-desktop: could not tell the window about the change: {e}");
    }
}

/// Progress events wait this long to travel together: a refresh of many profiles makes a
/// burst of them, and one IPC message per burst keeps the window from re-rendering for each.
const BATCH: Duration = Duration::from_millis(40);

/// Events not yet sent to the window.
#[derive(Default)]
pub struct Outbox(Mutex<Vec<Progress>>);

pub fn progress<R: Runtime>(app: &AppHandle<R>, e: Event) {
    if !window::is_open(app) {
        return;
    }
    let Some(outbox) = app.try_state::<Outbox>() else {
        return;
    };
    let first = {
        let mut queue = lock(&outbox.0);
        queue.push(Progress::from(e));
        queue.len() == 1
    };
    // The first event of a burst schedules the send; the others ride along.
    if first {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(BATCH).await;
            let batch = std::mem::take(&mut *lock(&app.state::<Outbox>().0));
            if let Err(err) = app.emit_to(window::MAIN, PROGRESS_EVENT, batch) {
                // Progress is advisory: the command's result still reaches the window.
                eprintln!("poolpass-desktop: could not send progress to the window: {err}");
            }
        });
    }
}
