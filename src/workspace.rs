//! The one way every front end (CLI, window, tray) finds what it works on: the configuration
//! with the user's settings applied, the AWS files those settings name, PoolPass's state and
//! the HTTP clients (the hosted UI's, and the one the AWS SDK's clients share). The same
//! configuration path always means the same files, whoever opens it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::clock::Clock;
use crate::config::{self, Config};
use crate::error::ConfigError;
use crate::keychain::Keychain;
use crate::net::AwsHttp;
use crate::profiles::AwsFiles;
use crate::session::Context;
use crate::settings::{self, Settings};
use crate::{state, Error};

#[derive(Debug)]
pub struct Workspace {
    config_path: PathBuf,
    state_path: PathBuf,
    http: reqwest::Client,
    keychain: Keychain,
    clock: Clock,
    aws: AwsHttp,
    /// Changes when the user saves other AWS files in the settings.
    files: Mutex<AwsFiles>,
}

impl Workspace {
    /// `--config` when given, else `POOLPASS_CONFIG`, else the platform's config folder; the
    /// settings beside that configuration, and the state in the platform's state folder.
    /// The configuration need not exist yet ([`Workspace::config`] says so).
    pub fn open(config: Option<PathBuf>) -> Result<Workspace, Error> {
        let config_path = config
            .filter(|p| !p.as_os_str().is_empty())
            .or_else(config::path_from_env)
            .ok_or_else(|| ConfigError::Missing {
                path: PathBuf::from("poolpass/config.toml"),
            })?;
        Workspace::at(
            config_path,
            state::default_path(),
            crate::auth::hosted_ui::http_client()?,
        )
    }

    /// The same, at given places (tests, sandboxes).
    pub fn at(
        config_path: PathBuf,
        state_path: PathBuf,
        http: reqwest::Client,
    ) -> Result<Workspace, Error> {
        let files = Settings::load(&settings::path_for(&config_path))?.aws_files();
        Ok(Workspace {
            config_path,
            state_path,
            http,
            keychain: Keychain::Os,
            clock: Clock::System,
            aws: AwsHttp::system(),
            files: Mutex::new(files),
        })
    }

    /// A workspace whose files and state are exactly `ctx`'s, whatever the settings say
    /// (tests and sandboxes; saving settings still changes the files from then on).
    pub fn with_context(config_path: PathBuf, ctx: Context) -> Workspace {
        Workspace {
            config_path,
            state_path: ctx.state_path,
            http: ctx.http,
            keychain: ctx.keychain,
            clock: ctx.clock,
            aws: ctx.aws,
            files: Mutex::new(ctx.files),
        }
    }

    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    pub fn settings_path(&self) -> PathBuf {
        settings::path_for(&self.config_path)
    }

    pub fn settings(&self) -> Result<Settings, Error> {
        Settings::load(&self.settings_path())
    }

    /// Saves the settings and uses the AWS files they name from now on.
    pub fn save_settings(&self, s: &Settings) -> Result<(), Error> {
        s.save(&self.settings_path())?;
        *self.files.lock().unwrap_or_else(|p| p.into_inner()) = s.aws_files();
        Ok(())
    }

    /// Read on every call, so a configuration just imported is used at once; the user's
    /// settings (sign-in ports) applied.
    pub fn config(&self) -> Result<Config, Error> {
        if !self.config_path.exists() {
            return Err(ConfigError::Missing {
                path: self.config_path.clone(),
            }
            .into());
        }
        let mut config = Config::load(&self.config_path)?;
        self.settings()?.apply(&mut config);
        Ok(config)
    }

    /// Where PoolPass reads and writes now (a copy: a refresh keeps the files it started with).
    pub fn ctx(&self) -> Context {
        Context {
            files: self.files.lock().unwrap_or_else(|p| p.into_inner()).clone(),
            state_path: self.state_path.clone(),
            http: self.http.clone(),
            keychain: self.keychain.clone(),
            clock: self.clock.clone(),
            aws: self.aws.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `poolpass --config /x/c.toml` once took its ports from /x/settings.toml but its AWS
    /// files from the default settings.
    #[test]
    fn a_configuration_path_brings_its_own_settings_for_everything() {
        let d = tempfile::tempdir().unwrap();
        let config = d.path().join("c.toml");
        let creds = d.path().join("my-credentials");
        let s = Settings {
            credentials_file: Some(creds.clone()),
            ..Settings::default()
        };
        s.save(&settings::path_for(&config)).unwrap();
        let ws = Workspace::at(
            config.clone(),
            d.path().join("state.json"),
            reqwest::Client::new(),
        )
        .unwrap();
        if std::env::var_os(settings::ENV_CREDENTIALS).is_none() {
            assert_eq!(ws.ctx().files.credentials, creds);
        }
        assert_eq!(ws.config().unwrap_err().code(), "config_missing");
    }
}
