//! PoolPass's core: everything the command line and the desktop app do, with no UI.
//! ARCHITECTURE.md at the repository root maps the modules and the path of a sign-in.

pub mod auth;
pub mod browser;
pub mod config;
pub mod error;
pub mod export;
pub mod identity;
pub mod import;
pub mod lock;
pub mod net;
pub mod profiles;
pub mod schedule;
pub mod secret;
pub mod keychain;
pub mod session;
pub mod settings;
pub mod state;
pub mod sts;
pub mod text;
pub mod workspace;

pub use error::{ConfigError, Error, Location};
