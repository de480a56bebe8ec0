//! Integration and end-to-end tests against the real peers started by `tests/peers/start.sh`
//! (the README's test command starts them): moto behind PoolPass's recording proxy, the
//! oidc-provider hosted-UI stand-in, Debian's Chromium as the user's browser, GNOME Keyring.
//! Each test has its own sandbox (HOME, AWS files, state) and its own user and connection.
//! `import` needs no peers: `cargo test --test integration import::` runs it alone.

mod bounded;
mod callback;
mod corpus;
mod durability;
mod files;
mod import;
mod injection;
mod keychain;
mod roles;
mod sessions;
mod sign_in;
mod sign_out;
mod util;
