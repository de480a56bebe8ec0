//! The state the commands share: where the configuration is, the core's [`Context`], and the
//! sign-in under way (at most one).

use std::path::PathBuf;
use std::sync::Mutex;

use poolpass::config::{self, Config};
use poolpass::session::Context;
use poolpass::{ConfigError, Error};
use tokio::task::AbortHandle;

pub struct Shell {
    config_path: PathBuf,
    pub(crate) ctx: Context,
    sign_in: Mutex<Option<AbortHandle>>,
}

impl Shell {
    pub fn new(config_path: PathBuf, ctx: Context) -> Shell {
        Shell {
            config_path,
            ctx,
            sign_in: Mutex::new(None),
        }
    }

    /// The same places the CLI reads: `POOLPASS_CONFIG`, else the platform's config folder.
    pub fn from_env() -> Result<Shell, Error> {
        let config_path = std::env::var_os("POOLPASS_CONFIG")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(config::default_path)
            .unwrap_or_else(|| PathBuf::from("poolpass/config.toml"));
        Ok(Shell::new(config_path, Context::from_env()?))
    }

    pub fn config_path(&self) -> &std::path::Path {
        &self.config_path
    }

    /// Read on every call, so a file the administrator's import drops in is seen at once.
    pub fn config(&self) -> Result<Config, Error> {
        if !self.config_path.exists() {
            return Err(ConfigError::Missing {
                path: self.config_path.clone(),
            }
            .into());
        }
        Ok(Config::load(&self.config_path)?)
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

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<AbortHandle>> {
        // The slot holds only a handle: a panic elsewhere while holding it cannot leave it
        // half-updated, so a poisoned lock is still good to use.
        self.sign_in
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
