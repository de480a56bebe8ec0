//! The state the commands share: where the configuration is, the core's [`Context`], and the
//! sign-in under way (at most one).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use poolpass::config::Config;
use poolpass::session::Context;
use poolpass::settings::Settings;
use poolpass::workspace::Workspace;
use poolpass::Error;
use poolpass_tray::Agent;
use tokio::task::AbortHandle;

pub struct Shell {
    /// Where the files are, refreshes one at a time, the tray and its timer: shared with the
    /// tray program, which runs the same agent once the window is closed.
    agent: Arc<Agent>,
    sign_in: Mutex<Option<AbortHandle>>,
    /// What the window must ask the user about when it is (re)opened: an import link that
    /// arrived, or "Sign out" chosen in the tray.
    pending: Mutex<Option<Pending>>,
    /// The text the last import preview showed, under its token: applying saves exactly it,
    /// not whatever the file holds by the time the user confirms.
    previewed: Mutex<Option<(u32, String)>>,
    /// When `main` started, for the first-paint figure the benchmark reads.
    pub(crate) launched: std::time::Instant,
}

/// Something the window shows as soon as it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// A `poolpass://import?...` link: previewed, applied only if the user confirms.
    Import {
        link: String,
    },
    SignOut,
}

impl Shell {
    pub fn new(ws: Workspace) -> Shell {
        Shell::with_agent(Agent::new(ws))
    }

    /// The same places the CLI reads: `POOLPASS_CONFIG`, else the platform's config folder.
    pub fn from_env() -> Result<Shell, Error> {
        Ok(Shell::with_agent(Agent::from_env()?))
    }

    fn with_agent(agent: Agent) -> Shell {
        Shell {
            agent: Arc::new(agent),
            sign_in: Mutex::new(None),
            pending: Mutex::new(None),
            previewed: Mutex::new(None),
            launched: std::time::Instant::now(),
        }
    }

    pub fn agent(&self) -> &Arc<Agent> {
        &self.agent
    }

    pub fn config_path(&self) -> &Path {
        self.agent.config_path()
    }

    /// Where PoolPass reads and writes now (a copy: a refresh keeps the files it started with).
    pub fn ctx(&self) -> Context {
        self.agent.ctx()
    }

    pub fn settings_path(&self) -> PathBuf {
        self.agent.settings_path()
    }

    pub fn settings(&self) -> Result<Settings, Error> {
        self.agent.settings()
    }

    /// Saves the settings and uses the AWS files they name from now on.
    pub fn save_settings(&self, s: &Settings) -> Result<(), Error> {
        self.agent.save_settings(s)
    }

    /// Read on every call, so a configuration just imported is used at once.
    pub fn config(&self) -> Result<Config, Error> {
        self.agent.config()
    }

    /// Records the sign-in now under way. A previous one is aborted: its listener and port
    /// are released when its task is dropped, and the window only ever waits on one.
    pub(crate) fn start_sign_in(&self, task: AbortHandle) {
        if let Some(old) = self.slot().replace(task) {
            old.abort();
        }
    }

    /// Forgets the sign-in `task` once it ended (not a newer one that replaced it).
    pub(crate) fn end_sign_in(&self, task: &AbortHandle) {
        let mut slot = self.slot();
        if slot.as_ref().is_some_and(|t| t.id() == task.id()) {
            *slot = None;
        }
    }

    /// Aborts the sign-in under way, if any; `true` when there was one.
    pub(crate) fn cancel_sign_in(&self) -> bool {
        match self.slot().take() {
            Some(task) => {
                task.abort();
                true
            }
            None => false,
        }
    }

    /// A newer request replaces an older one not yet seen: the user acts on the latest.
    pub fn set_pending(&self, p: Pending) {
        *lock(&self.pending) = Some(p);
    }

    pub fn take_pending(&self) -> Option<Pending> {
        lock(&self.pending).take()
    }

    /// Keeps `text` as what the window previewed; returns its token. An older preview's token
    /// stops working: the dialog shows one preview at a time.
    pub(crate) fn keep_preview(&self, text: String) -> u32 {
        let mut kept = lock(&self.previewed);
        let token = kept.as_ref().map_or(1, |(t, _)| t.wrapping_add(1).max(1));
        *kept = Some((token, text));
        token
    }

    /// The previewed text for `token`, taken (a preview is applied at most once).
    pub(crate) fn take_preview(&self, token: u32) -> Option<String> {
        let mut kept = lock(&self.previewed);
        match kept.take() {
            Some((t, text)) if t == token => Some(text),
            other => {
                *kept = other;
                None
            }
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<AbortHandle>> {
        lock(&self.sign_in)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The slots hold plain values replaced in one statement: a panic elsewhere while holding
    // one cannot leave it half-updated, so a poisoned lock is still good to use.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
