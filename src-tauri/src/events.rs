//! While the app runs (window open or only the tray), credentials are renewed a few minutes
//! before they expire, and the user is told, by a notification with a "Refresh" action, when
//! that fails or when some are about to run out. What is due is decided by
//! `poolpass::schedule`; this module only runs the timer and reports.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use poolpass::schedule::{self, Plan};
use poolpass::session::{self, Event};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use time::OffsetDateTime;

use crate::dto::{ConnectionRefresh, IpcError, Progress};
use crate::{notify, tray, window, Shell};

/// Sent to the window when profiles changed behind its back (a silent or tray refresh): it
/// reloads its state.
pub const STATE_EVENT: &str = "state-changed";

/// The event the window listens to for sign-in and refresh progress.
pub const PROGRESS_EVENT: &str = "progress";

/// How often the records are looked at. Credentials last 15 min at least, and the refresh is
/// due 10 min before expiry, so half a minute is plenty and costs one small file read.
const TICK: Duration = Duration::from_secs(30);

/// After a failed silent refresh, wait this long before trying that connection again: a
/// revoked sign-in or a network outage is not fixed by hammering the token endpoint.
const RETRY_AFTER: time::Duration = time::Duration::minutes(5);

/// What the timer remembers between ticks, so that one problem gives one notification.
#[derive(Default)]
pub struct Memory {
    /// Connection → when to try again after a failure.
    failed: Mutex<HashMap<String, OffsetDateTime>>,
    /// (profile, expiry) already warned about.
    warned: Mutex<HashSet<(String, OffsetDateTime)>>,
    /// Connections with no saved sign-in (the user signed out and kept the profiles): their
    /// profiles run out as the user chose, with no notification about it.
    signed_out: Mutex<HashSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain data updated in one statement: a panic elsewhere cannot leave it half-written.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        loop {
            tick.tick().await;
            check(&app).await;
        }
    });
}

async fn check<R: Runtime>(app: &AppHandle<R>) {
    let now = OffsetDateTime::now_utc();
    let Some(plan) = plan(app, now) else { return };
    let memory = app.state::<Memory>();
    let due: Vec<String> = plan
        .refresh
        .iter()
        .filter(|c| lock(&memory.failed).get(*c).is_none_or(|t| *t <= now))
        .cloned()
        .collect();
    if !due.is_empty() {
        let mut rows = refresh(app, Some(&due)).await;
        rows.retain(|r| r.error.as_ref().is_none_or(|e| e.code != "not_signed_in"));
        report(app, &rows, false);
    }
    // Whatever could not be renewed and is about to run out: say so once per expiry.
    let Some(after) = self::plan(app, OffsetDateTime::now_utc()) else {
        return;
    };
    for e in after.warn {
        if lock(&memory.signed_out).contains(&e.connection) {
            continue;
        }
        if lock(&memory.warned).insert((e.profile.clone(), e.expires_at)) {
            notify::show(
                app,
                &format!(
                    "{} expires in {}",
                    e.profile,
                    schedule::short_left(e.expires_at, now)
                ),
                "PoolPass could not renew it by itself. Refresh now, or sign in again.",
                true,
            );
        }
    }
}

/// The records' plan, and the tray brought up to date with it.
fn plan<R: Runtime>(app: &AppHandle<R>, now: OffsetDateTime) -> Option<Plan> {
    let shell = app.state::<Shell>();
    match session::list(&shell.ctx()) {
        Ok(records) => {
            let plan = schedule::plan(&records, now);
            tray::show_soonest(app, plan.soonest.as_ref(), now);
            Some(plan)
        }
        Err(e) => {
            eprintln!("poolpass-desktop: could not read PoolPass's records: {e}");
            None
        }
    }
}

/// Refreshes every connection (or those `only` names), one at a time: a second refresh that
/// started while one runs waits, since both would spend the same refresh token.
pub async fn refresh<R: Runtime>(
    app: &AppHandle<R>,
    only: Option<&[String]>,
) -> Vec<ConnectionRefresh> {
    let shell = app.state::<Shell>();
    let _one_at_a_time = shell.refreshing.lock().await;
    let config = match shell.config() {
        Ok(c) => c,
        Err(e) => return vec![ConnectionRefresh::new("", Err(e))],
    };
    let mut rows = Vec::new();
    for conn in &config.connections {
        if only.is_some_and(|o| !o.contains(&conn.name)) {
            continue;
        }
        let r = session::refresh(conn, &shell.ctx(), false, &|e: Event| progress(app, e)).await;
        rows.push(ConnectionRefresh::new(&conn.name, r));
    }
    let memory = app.state::<Memory>();
    let retry = OffsetDateTime::now_utc() + RETRY_AFTER;
    for row in &rows {
        let failed = row.error.is_some() || row.profiles.iter().any(|p| p.error.is_some());
        if failed {
            lock(&memory.failed).insert(row.connection.clone(), retry);
        } else {
            lock(&memory.failed).remove(&row.connection);
        }
        if row
            .error
            .as_ref()
            .is_some_and(|e| e.code == "not_signed_in")
        {
            lock(&memory.signed_out).insert(row.connection.clone());
        } else {
            lock(&memory.signed_out).remove(&row.connection);
        }
    }
    changed(app);
    rows
}

/// Profiles changed: the window reloads, the tray shows the new soonest expiry.
pub fn changed<R: Runtime>(app: &AppHandle<R>) {
    if let Err(e) = app.emit_to(window::MAIN, STATE_EVENT, ()) {
        eprintln!("poolpass-desktop: could not tell the window about the change: {e}");
    }
    plan(app, OffsetDateTime::now_utc());
}

/// "Refresh all" from the tray or a notification: in the background, failures notified.
pub fn refresh_now<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let rows = refresh(&app, None).await;
        report(&app, &rows, true);
    });
}

/// One notification for the failures of a refresh the user did not watch in the window;
/// `asked`: the user clicked, so success is worth a word too.
fn report<R: Runtime>(app: &AppHandle<R>, rows: &[ConnectionRefresh], asked: bool) {
    let failures: Vec<String> = rows
        .iter()
        .flat_map(|r| match &r.error {
            Some(e) => vec![line(&r.connection, e)],
            None => r
                .profiles
                .iter()
                .filter_map(|p| p.error.as_ref().map(|e| line(&p.profile, e)))
                .collect(),
        })
        .collect();
    if !failures.is_empty() {
        notify::show(
            app,
            "PoolPass could not refresh credentials",
            &failures.join("\n"),
            true,
        );
    } else if asked && !window::is_open(app) {
        let n: usize = rows.iter().map(|r| r.profiles.len()).sum();
        notify::show(
            app,
            "Credentials refreshed",
            &format!("{n} profile(s) renewed."),
            false,
        );
    }
}

fn line(what: &str, e: &IpcError) -> String {
    if what.is_empty() {
        e.message.clone()
    } else {
        format!("{what}: {}", e.message)
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
