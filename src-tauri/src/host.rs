//! The window process's side of the agent (`poolpass_tray`): what the tray's menu does here,
//! and the hand-over to the tray program when the window closes.
//!
//! A process that has loaded WebKit keeps ~100 MB even with no webview left (its libraries'
//! relocated data, Mesa's software GL under X, WebKit's network process). So when the window
//! closes, this process does not linger in the tray: it starts `poolpass-tray` (the same
//! agent, without WebKit) and exits. "Open PoolPass" there starts this program again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use poolpass_tray::handoff::{self, Role};
use poolpass_tray::{sibling, Host, TRAY_PROGRAM};
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager, Runtime};

use crate::{events, window, Pending, Shell};

struct WindowHost<R: Runtime>(AppHandle<R>);

impl<R: Runtime> Host for WindowHost<R> {
    fn open(&self) {
        window::show(&self.0);
    }

    fn sign_out(&self) {
        ask_sign_out(&self.0);
    }

    fn quit(&self) {
        self.0.exit(0);
    }

    fn changed(&self) {
        events::state_changed(&self.0);
    }

    fn window_open(&self) -> bool {
        window::is_open(&self.0)
    }
}

/// The window shows its sign-out dialog (the tray's "Sign out…", here or in the tray program).
pub fn ask_sign_out<R: Runtime>(app: &AppHandle<R>) {
    app.state::<Shell>().set_pending(Pending::SignOut);
    window::show(app);
    crate::announce_pending(app);
}

/// This process's claim on the agent, answering other PoolPass processes until handed over.
#[derive(Default)]
pub struct Claimed {
    /// The start (claim, tray, timer), which may wait for a tray program to hand over.
    starting: Mutex<Option<JoinHandle<()>>>,
    serving: Mutex<Option<JoinHandle<()>>>,
    handing_over: AtomicBool,
}

/// Takes the agent over from a tray program that may be running (it finishes a refresh under
/// way, removes its icon and exits), then shows this process's tray and starts the timer. In
/// the background: the window shows at once, not after the tray program's refresh.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let starting = tauri::async_runtime::spawn(async move {
        let agent = Arc::clone(handle.state::<Shell>().agent());
        let path = handoff::socket_path(&agent.ctx().state_path);
        let shown = path.display().to_string();
        let claimed =
            tauri::async_runtime::spawn_blocking(move || handoff::claim(&path, Role::Window)).await;
        match claimed {
            Ok(Ok(Some(claim))) => {
                let serving = tauri::async_runtime::spawn(claim.serve(|| async {}));
                *lock(&handle.state::<Claimed>().serving) = Some(serving);
            }
            // Another window process: the single-instance plugin lets only one through, so
            // this is a process of another build; both keep working on the same files.
            Ok(Ok(None)) => eprintln!("poolpass-desktop: another PoolPass runs the tray already"),
            Ok(Err(e)) => eprintln!(
                "poolpass-desktop: cannot claim {shown} ({e}); a tray program started later may run beside this one"
            ),
            Err(e) => eprintln!("poolpass-desktop: could not take the tray over ({e})"),
        }
        agent.start(Arc::new(WindowHost(handle.clone()))).await;
    });
    *lock(&app.state::<Claimed>().starting) = Some(starting);
}

/// The window closed. `true`: the tray program takes over and this process exits by itself
/// shortly; `false`: there is no tray program beside this one, so this process stays in the
/// tray as it is.
pub fn window_closed<R: Runtime>(app: &AppHandle<R>) -> bool {
    let program = match sibling(TRAY_PROGRAM) {
        Ok(p) if p.is_file() => p,
        _ => {
            eprintln!(
                "poolpass-desktop: no {TRAY_PROGRAM} beside this program; staying in the tray"
            );
            return false;
        }
    };
    let claimed = app.state::<Claimed>();
    if claimed.handing_over.swap(true, Ordering::SeqCst) {
        return true;
    }
    let starting = lock(&claimed.starting).take();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // Closed before the start was done: let it finish, so that there is a claim to give up.
        if let Some(starting) = starting {
            let _ = starting.await;
        }
        let serving = lock(&app.state::<Claimed>().serving).take();
        let agent = Arc::clone(app.state::<Shell>().agent());
        agent
            .when_idle(async {
                agent.stop().await;
                // The socket goes with the claim: the tray program must find nobody there.
                if let Some(serving) = serving {
                    serving.abort();
                    let _ = serving.await;
                }
                let started = std::process::Command::new(&program).spawn();
                if let Err(e) = started {
                    // The profiles stay as they are; the next start of PoolPass renews them.
                    eprintln!(
                        "poolpass-desktop: could not start {} ({e}); credentials are not renewed until PoolPass is opened again",
                        program.display()
                    );
                }
            })
            .await;
        app.exit(0);
    });
    true
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // One handle, replaced in one statement: a poisoned lock is still good to use.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
