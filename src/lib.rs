//! PoolPass's core: everything the command line and the desktop app do, with no UI.
//! ARCHITECTURE.md at the repository root maps the modules and the path of a sign-in.

pub mod auth;
pub mod aws;
pub mod browser;
pub mod clock;
pub mod config;
pub mod error;
pub mod export;
#[cfg(test)]
mod fake_aws;
pub mod identity;
pub mod import;
pub mod keychain;
pub mod lock;
pub mod net;
pub mod profiles;
pub mod schedule;
pub mod secret;
pub mod session;
pub mod settings;
pub mod state;
pub mod sts;
pub mod text;
pub mod words;
pub mod workspace;

pub use error::{ConfigError, Error, Location};

#[cfg(test)]
mod layering {
    /// The `crate::module` paths a source file names (not the root's re-exports such as
    /// `crate::Error`, which come from `error`).
    fn modules_used(src: &str) -> Vec<String> {
        let mut out: Vec<String> = src
            .split("crate::")
            .skip(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect::<String>()
            })
            .filter(|m| !m.is_empty())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The modules the rest are built on name nothing above them, so the layers cannot grow a
    /// cycle again (config → identity → hosted_ui → config was one: a change to any of them
    /// rebuilt and re-tested all three).
    #[test]
    fn the_lower_modules_depend_only_on_lower_ones() {
        let layers: [(&str, &str, &[&str]); 7] = [
            ("secret", include_str!("secret.rs"), &[]),
            ("text", include_str!("text.rs"), &[]),
            ("net", include_str!("net.rs"), &[]),
            ("aws", include_str!("aws.rs"), &["secret", "text"]),
            ("error", include_str!("error.rs"), &["aws"]),
            ("config", include_str!("config/mod.rs"), &["aws", "error"]),
            (
                "config",
                include_str!("config/validate.rs"),
                &["aws", "error"],
            ),
        ];
        for (name, src, allowed) in layers {
            for m in modules_used(src) {
                assert!(
                    allowed.contains(&m.as_str()),
                    "{name}.rs uses crate::{m}, which is not below it"
                );
            }
        }
    }
}
