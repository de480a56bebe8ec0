//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows): the only place a refresh token is kept.
//!
//! Keychain calls can block on D-Bus or a user prompt, so they run on the blocking pool.

use crate::secret::Secret;
use crate::Error;

const SERVICE: &str = "poolpass";

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, keyring::Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Keychain {
            reason: e.to_string(),
        })?
        .map_err(|e| Error::Keychain {
            reason: describe(&e),
        })
}

/// keyring's messages can quote what was stored; keep to the kind of failure.
fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::PlatformFailure(inner) => format!("platform failure: {inner}"),
        keyring::Error::NoStorageAccess(inner) => {
            format!("the keychain is locked or unreachable: {inner}")
        }
        keyring::Error::TooLong(what, max) => {
            format!("the {what} is longer than the keychain allows ({max})")
        }
        keyring::Error::BadEncoding(_) => "the stored entry is not text".into(),
        keyring::Error::Invalid(what, why) => format!("invalid {what}: {why}"),
        keyring::Error::Ambiguous(_) => "several entries match".into(),
        keyring::Error::NoEntry => "no entry".into(),
        other => other.to_string(),
    }
}

pub async fn store_refresh_token(account: &str, token: &Secret<String>) -> Result<(), Error> {
    let account = account.to_string();
    let token = token.clone();
    blocking(move || keyring::Entry::new(SERVICE, &account)?.set_password(token.expose())).await
}

/// `None` when nothing is stored for this account.
pub async fn load_refresh_token(account: &str) -> Result<Option<Secret<String>>, Error> {
    let account = account.to_string();
    blocking(
        move || match keyring::Entry::new(SERVICE, &account)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        },
    )
    .await
}

/// Deleting what is not there is not an error.
pub async fn delete_refresh_token(account: &str) -> Result<(), Error> {
    let account = account.to_string();
    blocking(
        move || match keyring::Entry::new(SERVICE, &account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e),
        },
    )
    .await
}
