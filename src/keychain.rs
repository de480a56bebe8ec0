//! The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows): the only place a refresh token is kept.
//!
//! Keychain calls can block on D-Bus or a user prompt, so they run on the blocking pool.
//!
//! On Linux the Secret Service is reached without transport encryption: that encryption (a
//! Diffie-Hellman exchange on every call) cost 6 ms of a 7.4 ms read here, most of a
//! `credential-process` call's budget, and guards only the per-user session bus, whose
//! listeners could ask the keyring for the secret anyway.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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

/// Where secrets are kept: the OS keychain, or (for tests of the flows without a keyring) a
/// map in memory. Carried by `session::Context`, so that every flow reaches the same one.
#[derive(Clone, Default)]
pub enum Keychain {
    #[default]
    Os,
    Memory(Arc<Mutex<Entries>>),
}

/// (service, account) → the stored value.
type Entries = HashMap<(&'static str, String), Vec<u8>>;

/// Entries are secrets: Debug says how many there are, never what.
impl std::fmt::Debug for Keychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Keychain::Os => f.write_str("Keychain::Os"),
            Keychain::Memory(m) => write!(f, "Keychain::Memory({} entries)", memory(m).len()),
        }
    }
}

fn memory(m: &Mutex<Entries>) -> std::sync::MutexGuard<'_, Entries> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// How an entry is kept by the OS: text (a password) or bytes (a secret). Windows' Credential
/// Manager holds 2,560 bytes, and UTF-16 text would halve that for the larger entries.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Bytes,
}

impl Keychain {
    /// An empty keychain in memory, for tests.
    pub fn in_memory() -> Keychain {
        Keychain::Memory(Arc::default())
    }

    async fn get(
        &self,
        service: &'static str,
        account: &str,
        kind: Kind,
    ) -> Result<Option<Vec<u8>>, Error> {
        match self {
            Keychain::Memory(m) => Ok(memory(m).get(&(service, account.to_string())).cloned()),
            Keychain::Os => {
                blocking(service, account, move |e| {
                    let got = match kind {
                        Kind::Text => e.get_password().map(String::into_bytes),
                        Kind::Bytes => e.get_secret(),
                    };
                    match got {
                        Ok(b) => Ok(Some(b)),
                        Err(keyring::Error::NoEntry) => Ok(None),
                        Err(e) => Err(e),
                    }
                })
                .await
            }
        }
    }

    async fn set(
        &self,
        service: &'static str,
        account: &str,
        kind: Kind,
        value: Vec<u8>,
    ) -> Result<(), Error> {
        match self {
            Keychain::Memory(m) => {
                memory(m).insert((service, account.to_string()), value);
                Ok(())
            }
            Keychain::Os => {
                blocking(service, account, move |e| match kind {
                    Kind::Text => e.set_password(&String::from_utf8_lossy(&value)),
                    Kind::Bytes => e.set_secret(&value),
                })
                .await
            }
        }
    }

    /// Deleting what is not there is not an error.
    async fn delete(&self, service: &'static str, account: &str) -> Result<(), Error> {
        match self {
            Keychain::Memory(m) => {
                memory(m).remove(&(service, account.to_string()));
                Ok(())
            }
            Keychain::Os => {
                blocking(service, account, |e| match e.delete_credential() {
                    Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                    Err(e) => Err(e),
                })
                .await
            }
        }
    }

    pub async fn store_refresh_token(
        &self,
        account: &str,
        token: &Secret<String>,
    ) -> Result<(), Error> {
        self.set(
            SERVICE,
            account,
            Kind::Text,
            token.expose().clone().into_bytes(),
        )
        .await
    }

    /// `None` when nothing is stored for this account.
    pub async fn load_refresh_token(&self, account: &str) -> Result<Option<Secret<String>>, Error> {
        Ok(self
            .get(SERVICE, account, Kind::Text)
            .await?
            .map(|b| Secret::new(String::from_utf8_lossy(&b).into_owned())))
    }

    pub async fn delete_refresh_token(&self, account: &str) -> Result<(), Error> {
        self.delete(SERVICE, account).await
    }

    /// Keeps credentials for a `credential-process` profile.
    pub async fn store_cached_credentials(
        &self,
        profile: &str,
        c: &AwsCredentials,
    ) -> Result<(), Error> {
        let json = serde_json::json!({
            "AccessKeyId": c.access_key_id,
            "SecretAccessKey": c.secret_access_key.expose(),
            "SessionToken": c.session_token.expose(),
            "Expiration": c.expiration.unix_timestamp(),
        })
        .to_string();
        self.set(CACHE_SERVICE, profile, Kind::Bytes, json.into_bytes())
            .await
    }

    pub async fn load_cached_credentials(
        &self,
        profile: &str,
    ) -> Result<Option<AwsCredentials>, Error> {
        let bytes = self.get(CACHE_SERVICE, profile, Kind::Bytes).await?;
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

    pub async fn delete_cached_credentials(&self, profile: &str) -> Result<(), Error> {
        self.delete(CACHE_SERVICE, profile).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_memory_keychain_keeps_deletes_and_never_prints_its_secrets() {
        let k = Keychain::in_memory();
        let token = Secret::new("rt-very-secret".to_string());
        k.store_refresh_token("acct", &token).await.unwrap();
        assert_eq!(k.load_refresh_token("acct").await.unwrap(), Some(token));
        assert_eq!(k.load_refresh_token("other").await.unwrap(), None);
        let shown = format!("{k:?}");
        assert!(!shown.contains("rt-very-secret"), "{shown}");
        // A copy is the same keychain (the context is cloned for every flow).
        let copy = k.clone();
        copy.delete_refresh_token("acct").await.unwrap();
        assert_eq!(k.load_refresh_token("acct").await.unwrap(), None);
        copy.delete_refresh_token("acct").await.unwrap();
    }
}
