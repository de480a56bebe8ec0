//! The agent: where PoolPass's files are, refreshes (one at a time), and the timer that renews
//! credentials a few minutes before they expire and tells the user, by a notification with a
//! "Refresh" action, when that fails or when some are about to run out. What is due is decided
//! by `poolpass::schedule`; this module runs the timer and reports.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use poolpass::config::Config;
use poolpass::schedule::{self, Plan};
use poolpass::session::{self, Context, Observer, Outcome};
use poolpass::settings::Settings;
use poolpass::words::{Lang, Words};
use poolpass::workspace::Workspace;
use poolpass::Error;
use time::OffsetDateTime;

use crate::{icon, log, notify};

/// How often the records are looked at. Credentials last 15 min at least, and the refresh is
/// due 10 min before expiry, so half a minute is plenty and costs one small file read.
const TICK: Duration = Duration::from_secs(30);

/// After a failed silent refresh, wait this long before trying that connection again: a
/// revoked sign-in or a network outage is not fixed by hammering the token endpoint.
const RETRY_AFTER: time::Duration = time::Duration::minutes(5);

/// What the process around the agent does when the tray's menu asks, and how it hears that
/// profiles changed. The window process opens its window; the tray program starts the window
/// program.
pub trait Host: Send + Sync + 'static {
    /// "Open PoolPass".
    fn open(&self);
    /// "Sign out…": the window asks what to do with the profiles.
    fn sign_out(&self);
    /// "Quit PoolPass".
    fn quit(&self);
    /// Profiles changed behind the window's back: an open window reloads.
    fn changed(&self) {}
    /// Whether a window shows refresh results (then a refresh the user asked for from the
    /// tray needs no "done" notification).
    fn window_open(&self) -> bool {
        false
    }
}

/// One connection's refresh: its name ("" when the configuration could not be read) and the
/// core's result.
pub type Refresh = (String, Result<Outcome, Error>);

pub struct Agent {
    ws: Workspace,
    /// Held by a refresh of this process, so the window's, the tray's and the timer's run one
    /// after the other (the core's per-connection turn keeps other processes out).
    refreshing: tokio::sync::Mutex<()>,
    memory: Memory,
    host: OnceLock<Arc<dyn Host>>,
    tray: OnceLock<icon::Tray>,
    runtime: OnceLock<tokio::runtime::Handle>,
    /// Itself, for the tray's menu and the notifications' actions, which run on threads of
    /// their own and may outlive a call.
    me: OnceLock<Weak<Agent>>,
    stopped: AtomicBool,
}

/// What the timer remembers between ticks, so that one problem gives one notification.
#[derive(Default)]
struct Memory {
    /// Connection → when to try again after a failure.
    failed: Mutex<HashMap<String, OffsetDateTime>>,
    /// (profile, expiry) already warned about.
    warned: Mutex<HashSet<(String, OffsetDateTime)>>,
    /// Connections with no saved sign-in (the user signed out and kept the profiles): their
    /// profiles run out as the user chose, with no notification about it.
    signed_out: Mutex<HashSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain data replaced in one statement: a panic elsewhere cannot leave it half-written.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Agent {
    pub fn new(ws: Workspace) -> Agent {
        Agent {
            ws,
            refreshing: tokio::sync::Mutex::new(()),
            memory: Memory::default(),
            host: OnceLock::new(),
            tray: OnceLock::new(),
            runtime: OnceLock::new(),
            me: OnceLock::new(),
            stopped: AtomicBool::new(false),
        }
    }

    /// The same places the CLI reads: `POOLPASS_CONFIG`, else the platform's config folder.
    pub fn from_env() -> Result<Agent, Error> {
        Ok(Agent::new(Workspace::open(None)?))
    }

    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    pub fn config_path(&self) -> &Path {
        self.ws.config_path()
    }

    /// Where PoolPass reads and writes now (a copy: a refresh keeps the files it started with).
    pub fn ctx(&self) -> Context {
        self.ws.ctx()
    }

    pub fn settings_path(&self) -> PathBuf {
        self.ws.settings_path()
    }

    pub fn settings(&self) -> Result<Settings, Error> {
        self.ws.settings()
    }

    /// The words for the tray and notifications, in the language the settings name now (read
    /// each time, so a change in the window's Settings reaches the tray without a restart).
    pub fn words(&self) -> &'static Words {
        let setting = self.settings().map(|s| s.language).unwrap_or_default();
        Lang::from_setting(&setting).words()
    }

    /// Saves the settings and uses the AWS files they name from now on; the tray speaks the
    /// language they name at once.
    pub fn save_settings(&self, s: &Settings) -> Result<(), Error> {
        self.ws.save_settings(s)?;
        self.update_tray();
        Ok(())
    }

    /// Read on every call, so a configuration just imported is used at once; the user's
    /// settings (sign-in ports) applied.
    pub fn config(&self) -> Result<Config, Error> {
        self.ws.config()
    }

    /// Shows the tray and starts the timer. Call once, inside the tokio runtime that is to run
    /// them; `host` answers the tray's menu.
    pub async fn start(self: &Arc<Self>, host: Arc<dyn Host>) {
        if self.host.set(host).is_err() {
            return; // started already
        }
        let _ = self.runtime.set(tokio::runtime::Handle::current());
        let _ = self.me.set(Arc::downgrade(self));
        if let Some(tray) = icon::Tray::spawn(Arc::downgrade(self)).await {
            let _ = self.tray.set(tray);
        }
        let agent = Arc::clone(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            loop {
                tick.tick().await;
                agent.check().await;
            }
        });
    }

    /// Removes the tray icon and stops the timer: the process is about to exit (another may
    /// take over and show its own).
    pub async fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        if let Some(tray) = self.tray.get() {
            tray.shut_down().await;
        }
    }

    /// Waits for a refresh under way to end (before the process exits, so that it does not
    /// leave a connection half-refreshed), and keeps others from starting while `f` runs.
    pub async fn when_idle<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        let _none_running = self.refreshing.lock().await;
        f.await
    }

    pub(crate) fn me(&self) -> Weak<Agent> {
        self.me.get().cloned().unwrap_or_default()
    }

    pub(crate) fn host(&self) -> Option<&Arc<dyn Host>> {
        self.host.get()
    }

    /// Runs `f` on the agent's runtime: for callers on threads of their own (the tray's menu,
    /// a notification's action).
    pub(crate) fn spawn(&self, f: impl std::future::Future<Output = ()> + Send + 'static) {
        match self.runtime.get() {
            Some(rt) => {
                rt.spawn(f);
            }
            None => log!("the agent is not started; nothing done"),
        }
    }

    async fn check(&self) {
        if self.stopped.load(Ordering::SeqCst) {
            return;
        }
        let now = OffsetDateTime::now_utc();
        let Some(plan) = self.plan(now) else { return };
        let due: Vec<String> = plan
            .refresh
            .iter()
            .filter(|c| lock(&self.memory.failed).get(*c).is_none_or(|t| *t <= now))
            .cloned()
            .collect();
        if !due.is_empty() {
            let mut rows = self.refresh(Some(&due), &|_| {}).await;
            self.tell_window();
            rows.retain(|(_, r)| !matches!(r, Err(e) if e.code() == "not_signed_in"));
            self.report(&rows, false);
        }
        // Whatever could not be renewed and is about to run out: say so once per expiry.
        let Some(after) = self.plan(OffsetDateTime::now_utc()) else {
            return;
        };
        for e in after.warn {
            if lock(&self.memory.signed_out).contains(&e.connection) {
                continue;
            }
            if lock(&self.memory.warned).insert((e.profile.clone(), e.expires_at)) {
                let words = self.words();
                notify::show(
                    self,
                    &words.expires_soon(&e.profile, &words.left(e.expires_at, now)),
                    words.could_not_renew,
                    Some(words.refresh),
                );
            }
        }
    }

    /// The records' plan, and the tray brought up to date with it.
    fn plan(&self, now: OffsetDateTime) -> Option<Plan> {
        match session::list(&self.ctx()) {
            Ok(records) => {
                let plan = schedule::plan(&records, now);
                if let Some(tray) = self.tray.get() {
                    tray.show_soonest(plan.soonest.as_ref(), now, self.words());
                }
                Some(plan)
            }
            Err(e) => {
                log!("could not read PoolPass's records: {e}");
                None
            }
        }
    }

    /// Refreshes every connection (or those `only` names), one at a time: a second refresh
    /// that started while one runs waits, since both would spend the same refresh token. The
    /// tray shows the new soonest expiry; telling a window is the caller's business.
    pub async fn refresh(&self, only: Option<&[String]>, obs: &dyn Observer) -> Vec<Refresh> {
        let rows = {
            let _one_at_a_time = self.refreshing.lock().await;
            let config = match self.config() {
                Ok(c) => c,
                Err(e) => return vec![(String::new(), Err(e))],
            };
            let mut rows = Vec::new();
            for conn in &config.connections {
                if only.is_some_and(|o| !o.contains(&conn.name)) {
                    continue;
                }
                let r = session::refresh(conn, &self.ctx(), false, obs).await;
                rows.push((conn.name.clone(), r));
            }
            rows
        };
        self.remember(&rows);
        self.update_tray();
        rows
    }

    fn remember(&self, rows: &[Refresh]) {
        let retry = OffsetDateTime::now_utc() + RETRY_AFTER;
        for (connection, r) in rows {
            let failed = match r {
                Ok(o) => !o.all_ok(),
                Err(_) => true,
            };
            if failed {
                lock(&self.memory.failed).insert(connection.clone(), retry);
            } else {
                lock(&self.memory.failed).remove(connection);
            }
            if matches!(r, Err(e) if e.code() == "not_signed_in") {
                lock(&self.memory.signed_out).insert(connection.clone());
            } else {
                lock(&self.memory.signed_out).remove(connection);
            }
        }
    }

    /// Profiles changed behind the window's back (the timer's or the tray's refresh): an open
    /// window reloads. A refresh the window asked for is reloaded by the window itself.
    fn tell_window(&self) {
        if let Some(host) = self.host() {
            host.changed();
        }
    }

    /// Profiles changed by the window itself (a sign-in, a sign-out), which reloads on its own:
    /// only the tray needs the news.
    pub fn update_tray(&self) {
        self.plan(OffsetDateTime::now_utc());
    }

    /// "Refresh all" from the tray or a notification: in the background, failures notified.
    pub fn refresh_now(self: &Arc<Self>) {
        if self.stopped.load(Ordering::SeqCst) {
            return;
        }
        let agent = Arc::clone(self);
        self.spawn(async move {
            let rows = agent.refresh(None, &|_| {}).await;
            agent.tell_window();
            agent.report(&rows, true);
        });
    }

    /// One notification for the failures of a refresh the user did not watch in the window;
    /// `asked`: the user clicked, so success is worth a word too.
    fn report(&self, rows: &[Refresh], asked: bool) {
        let words = self.words();
        let failures = failures(rows, words);
        if !failures.is_empty() {
            notify::show(
                self,
                words.refresh_failed,
                &failures.join("\n"),
                Some(words.refresh),
            );
        } else if asked && !self.host().is_some_and(|h| h.window_open()) {
            let n: usize = rows
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok())
                .map(|o| o.profiles.len())
                .sum();
            notify::show(self, words.refreshed, &words.profiles_renewed(n), None);
        }
    }
}

/// One line per connection or profile that failed, each with its error worded in the user's
/// language.
fn failures(rows: &[Refresh], words: &Words) -> Vec<String> {
    let line = |what: &str, e: &Error| words.failure(what, &words.error(e), e.code());
    rows.iter()
        .flat_map(|(connection, r)| match r {
            Err(e) => vec![line(connection, e)],
            Ok(o) => o
                .profiles
                .iter()
                .filter_map(|(p, r)| r.as_ref().err().map(|e| line(p, e)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(dir: &Path) -> Agent {
        let ctx = Context {
            files: poolpass::profiles::AwsFiles {
                credentials: dir.join("credentials"),
                config: dir.join("config"),
            },
            state_path: dir.join("state.json"),
            http: poolpass::auth::hosted_ui::http_client().unwrap(),
            keychain: poolpass::keychain::Keychain::in_memory(),
            clock: Default::default(),
            aws: Default::default(),
        };
        Agent::new(Workspace::with_context(dir.join("poolpass.toml"), ctx))
    }

    #[tokio::test]
    async fn without_a_configuration_a_refresh_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let agent = agent(dir.path());
        let rows = agent.refresh(None, &|_| {}).await;
        assert_eq!(rows.len(), 1);
        let (connection, r) = &rows[0];
        assert_eq!(connection, "");
        let e = r.as_ref().unwrap_err();
        assert_eq!(e.code(), "config_missing");
        let path = dir.path().join("poolpass.toml");
        assert_eq!(
            failures(&rows, Lang::En.words()),
            vec![format!("There is no PoolPass configuration at {} yet. Open PoolPass and import the configuration file or link your administrator gave you.", path.display())]
        );
        // In Japanese from the same catalogue as the window's, with the code for support.
        assert_eq!(
            failures(&rows, Lang::Ja.words()),
            vec![format!("{} に PoolPass の構成がまだありません。PoolPass を開き、管理者から受け取った構成ファイルまたはリンクを取り込んでください。（エラーコード: config_missing）", path.display())]
        );
    }
}
