//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows): the only place a refresh token is kept.
//!
//! Keychain calls can block on D-Bus or a user prompt, so they run on the blocking pool.
//!
//! On Linux the Secret Service is reached without transport encryption: that encryption (a
//! Diffie-Hellman exchange on every call) cost 6 ms of a 7.4 ms read here, most of a
//! `credential-process` call's budget, and guards only the per-user session bus, whose
//! listeners could ask the keyring for the secret anyway.

use crate::identity::AwsCredentials;
use crate::secret::Secret;
use crate::Error;

const SERVICE: &str = "poolpass";
/// Credentials cached for `credential-process` profiles, by profile name.
const CACHE_SERVICE: &str = "poolpass-credentials";

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

/// Keeps credentials for a `credential-process` profile. Stored as bytes: Windows' Credential
/// Manager holds 2,560 bytes, and UTF-16 text would halve that.
pub async fn store_cached_credentials(profile: &str, c: &AwsCredentials) -> Result<(), Error> {
    let profile = profile.to_string();
    let json = serde_json::json!({
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key.expose(),
        "SessionToken": c.session_token.expose(),
        "Expiration": c.expiration.unix_timestamp(),
    })
    .to_string();
    blocking(move || keyring::Entry::new(CACHE_SERVICE, &profile)?.set_secret(json.as_bytes()))
        .await
}

pub async fn load_cached_credentials(profile: &str) -> Result<Option<AwsCredentials>, Error> {
    let profile = profile.to_string();
    let bytes =
        blocking(
            move || match keyring::Entry::new(CACHE_SERVICE, &profile)?.get_secret() {
                Ok(b) => Ok(Some(b)),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(e),
            },
        )
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
    let profile = profile.to_string();
    blocking(
        move || match keyring::Entry::new(CACHE_SERVICE, &profile)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e),
        },
    )
    .await
}
