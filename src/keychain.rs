//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows): the only place a refresh token is kept.
//!
//! Keychain calls can block on D-Bus or a user prompt, so they run on the blocking pool.
//!
//! On Linux the Secret Service is reached without transport encryption: that encryption (a
//! Diffie-Hellman exchange on every call) cost 6 ms of a 7.4 ms read here, most of a
//! `credential-process` call's budget, and guards only the per-user session bus, whose
//! listeners could ask the keyring for the secret anyway.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::aws::AwsCredentials;
use crate::secret::Secret;
use crate::Error;

const SERVICE: &str = "poolpass";
/// Credentials cached for `credential-process` profiles, by profile name.
const CACHE_SERVICE: &str = "poolpass-credentials";

/// Set by callers that an AWS tool is waiting on (`credential-process`, `export`): a locked
/// keychain is then an error at once, never an unlock prompt that nobody may be there to see.
static NEVER_PROMPT: AtomicBool = AtomicBool::new(false);

pub fn never_prompt() {
    NEVER_PROMPT.store(true, Ordering::Relaxed);
}

async fn blocking<T: Send + 'static>(
    service: &'static str,
    account: &str,
    f: impl FnOnce(keyring::Entry) -> Result<T, keyring::Error> + Send + 'static,
) -> Result<T, Error> {
    let account = account.to_string();
    tokio::task::spawn_blocking(move || {
        if NEVER_PROMPT.load(Ordering::Relaxed) {
            refuse_if_locked(service, &account)?;
        }
        keyring::Entry::new(service, &account)
            .and_then(f)
            .map_err(|e| Error::Keychain {
                reason: describe(&e),
            })
    })
    .await
    .map_err(|e| Error::Keychain {
        reason: e.to_string(),
    })?
}

/// The Secret Service unlocks a locked item or collection by showing a prompt and waiting for
/// it, so the lock is looked at first: the entry's items, or the default collection, where a
/// new entry would go.
#[cfg(target_os = "linux")]
fn refuse_if_locked(service: &str, account: &str) -> Result<(), Error> {
    use dbus_secret_service::{EncryptionType, SecretService};
    let unavailable = |e: dbus_secret_service::Error| Error::Keychain {
        reason: e.to_string(),
    };
    let ss = SecretService::connect(EncryptionType::Plain).map_err(unavailable)?;
    let found = ss
        .search_items(std::collections::HashMap::from([
            ("service", service),
            ("username", account),
        ]))
        .map_err(unavailable)?;
    let locked = if found.unlocked.is_empty() && found.locked.is_empty() {
        match ss.get_default_collection() {
            Ok(c) => c.is_locked().map_err(unavailable)?,
            // No default collection: creating one would prompt as well.
            Err(_) => true,
        }
    } else {
        found.unlocked.is_empty()
    };
    if locked {
        return Err(Error::KeychainLocked);
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn refuse_if_locked(_: &str, _: &str) -> Result<(), Error> {
    Ok(())
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
    let token = token.clone();
    blocking(SERVICE, account, move |e| e.set_password(token.expose())).await
}

/// `None` when nothing is stored for this account.
pub async fn load_refresh_token(account: &str) -> Result<Option<Secret<String>>, Error> {
    blocking(SERVICE, account, |e| match e.get_password() {
        Ok(p) => Ok(Some(Secret::new(p))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e),
    })
    .await
}

/// Deleting what is not there is not an error.
pub async fn delete_refresh_token(account: &str) -> Result<(), Error> {
    blocking(SERVICE, account, |e| match e.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(e),
    })
    .await
}

/// Keeps credentials for a `credential-process` profile. Stored as bytes: Windows' Credential
/// Manager holds 2,560 bytes, and UTF-16 text would halve that.
pub async fn store_cached_credentials(profile: &str, c: &AwsCredentials) -> Result<(), Error> {
    let json = serde_json::json!({
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key.expose(),
        "SessionToken": c.session_token.expose(),
        "Expiration": c.expiration.unix_timestamp(),
    })
    .to_string();
    blocking(CACHE_SERVICE, profile, move |e| {
        e.set_secret(json.as_bytes())
    })
    .await
}

pub async fn load_cached_credentials(profile: &str) -> Result<Option<AwsCredentials>, Error> {
    let bytes = blocking(CACHE_SERVICE, profile, |e| match e.get_secret() {
        Ok(b) => Ok(Some(b)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e),
    })
    .await?;
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Cached {
        access_key_id: String,
        secret_access_key: Secret<String>,
        session_token: Secret<String>,
        expiration: i64,
    }
    // A damaged entry is a cache miss, not an error: a refresh replaces it.
    let Some(c) = bytes.and_then(|b| serde_json::from_slice::<Cached>(&b).ok()) else {
        return Ok(None);
    };
    Ok(time::OffsetDateTime::from_unix_timestamp(c.expiration)
        .ok()
        .map(|expiration| AwsCredentials {
            access_key_id: c.access_key_id,
            secret_access_key: c.secret_access_key,
            session_token: c.session_token,
            expiration,
        }))
}

pub async fn delete_cached_credentials(profile: &str) -> Result<(), Error> {
    blocking(CACHE_SERVICE, profile, |e| match e.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(e),
    })
    .await
}
