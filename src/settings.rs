//! The user's own preferences, kept apart from the administrator's configuration (which an
//! import replaces): the window's language, which AWS files to write, and loopback ports that
//! suit this computer.
//!
//! The AWS files matter because an app started from the desktop does not see the
//! `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE` a user sets in their shell profile; the
//! setting lets them point PoolPass at the same files their tools read. When those variables
//! are set in PoolPass's own environment they win, as they do for every AWS tool.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::profiles::{atomic, AwsFiles};
use crate::Error;

pub const LANGUAGES: [&str; 3] = ["auto", "en", "ja"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// "auto" follows the OS; else "en" or "ja".
    #[serde(default = "auto")]
    pub language: String,
    pub credentials_file: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
    /// Replaces every connection's `redirect_ports` (they must still be allowed callback URLs
    /// on the app client).
    pub redirect_ports: Option<Vec<u16>>,
}

fn auto() -> String {
    "auto".into()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: auto(),
            credentials_file: None,
            config_file: None,
            redirect_ports: None,
        }
    }
}

/// Beside the configuration file, so a test or demo that points `POOLPASS_CONFIG` elsewhere
/// gets its own settings too.
pub fn path_for(config_path: &Path) -> PathBuf {
    config_path.with_file_name("settings.toml")
}

impl Settings {
    /// The saved settings; none saved yet is the defaults.
    pub fn load(path: &Path) -> Result<Settings, Error> {
        let bytes = match atomic::read_optional(path) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(Settings::default()),
            Err(e) => return Err(settings_error(path, format!("could not read it ({e})"))),
        };
        let text = String::from_utf8(bytes)
            .map_err(|_| settings_error(path, "it is not UTF-8 text".into()))?;
        let s: Settings = toml::from_str(&text).map_err(|e| {
            settings_error(
                path,
                format!("{} (delete the file to start over)", e.message()),
            )
        })?;
        s.validate().map_err(|m| settings_error(path, m))?;
        Ok(s)
    }

    /// Checks, then writes atomically (0600).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        self.validate().map_err(|m| Error::Settings {
            path: path.to_path_buf(),
            reason: m,
        })?;
        let text = toml::to_string(self)
            .map_err(|e| settings_error(path, format!("could not be written ({e})")))?;
        if let Some(dir) = path.parent() {
            atomic::create_private_dir(dir)
                .map_err(|e| settings_error(path, format!("could not create its folder ({e})")))?;
        }
        atomic::write(path, text.as_bytes())
            .map_err(|e| settings_error(path, format!("could not be saved ({e})")))
    }

    /// What is wrong, in words for the settings screen.
    pub fn validate(&self) -> Result<(), String> {
        if !LANGUAGES.contains(&self.language.as_str()) {
            return Err(format!(
                "language must be one of {}, not {:?}",
                LANGUAGES.join(", "),
                self.language
            ));
        }
        for (what, p) in [
            ("credentials file", &self.credentials_file),
            ("config file", &self.config_file),
        ] {
            if let Some(p) = p {
                if !p.is_absolute() {
                    return Err(format!(
                        "the AWS {what} must be a full path (starting with /), not {}",
                        p.display()
                    ));
                }
                if p.is_dir() {
                    return Err(format!(
                        "the AWS {what} {} is a folder; name a file",
                        p.display()
                    ));
                }
            }
        }
        if let Some(ports) = &self.redirect_ports {
            if ports.is_empty() {
                return Err(
                    "give at least one sign-in port, or none to use the configuration's".into(),
                );
            }
            if ports.contains(&0) {
                return Err("sign-in ports must be between 1 and 65535".into());
            }
            let mut seen = ports.clone();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() != ports.len() {
                return Err("a sign-in port is listed twice".into());
            }
        }
        Ok(())
    }

    /// The AWS files to use: the environment's when set, else these settings', else `~/.aws`.
    pub fn aws_files(&self) -> AwsFiles {
        let env = AwsFiles::from_env();
        let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
        AwsFiles {
            credentials: match &self.credentials_file {
                Some(p) if !set(ENV_CREDENTIALS) => p.clone(),
                _ => env.credentials,
            },
            config: match &self.config_file {
                Some(p) if !set(ENV_CONFIG) => p.clone(),
                _ => env.config,
            },
        }
    }

    /// The user's ports replace the administrator's (loopback ports clash per computer).
    pub fn apply(&self, config: &mut Config) {
        if let Some(ports) = &self.redirect_ports {
            for c in &mut config.connections {
                c.redirect_ports = ports.clone();
            }
        }
    }
}

pub const ENV_CREDENTIALS: &str = "AWS_SHARED_CREDENTIALS_FILE";
pub const ENV_CONFIG: &str = "AWS_CONFIG_FILE";

fn settings_error(path: &Path, reason: String) -> Error {
    Error::Settings {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p/settings.toml");
        assert_eq!(Settings::load(&path).unwrap(), Settings::default());
        let s = Settings {
            language: "ja".into(),
            credentials_file: Some("/tmp/creds".into()),
            config_file: None,
            redirect_ports: Some(vec![49152, 49153]),
        };
        s.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), s);
    }

    #[test]
    fn refuses_what_would_break_sign_in_or_writing() {
        let bad = [
            Settings {
                language: "fr".into(),
                ..Settings::default()
            },
            Settings {
                credentials_file: Some("relative/creds".into()),
                ..Settings::default()
            },
            Settings {
                redirect_ports: Some(vec![]),
                ..Settings::default()
            },
            Settings {
                redirect_ports: Some(vec![0]),
                ..Settings::default()
            },
            Settings {
                redirect_ports: Some(vec![5000, 5000]),
                ..Settings::default()
            },
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        for s in bad {
            assert!(s.validate().is_err(), "{s:?}");
            let e = s.save(&path).unwrap_err();
            assert_eq!(e.code(), "settings");
            assert!(!path.exists());
        }
    }

    #[test]
    fn a_damaged_file_says_where_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "language = 3\n").unwrap();
        let msg = Settings::load(&path).unwrap_err().to_string();
        assert!(msg.contains("settings.toml"), "{msg}");
        assert!(msg.contains("delete the file"), "{msg}");
    }
}
