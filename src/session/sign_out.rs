//! Signing out of a connection: the refresh token revoked at the hosted UI and deleted from the
//! keychain, the connection's cached credentials and identity ids forgotten, its profiles
//! removed when asked, and the hosted UI's browser session ended.
//!
//! The local part never depends on the server: a refused or unreachable revocation is reported
//! and the sign-in is deleted here all the same, since leaving it would keep a working token
//! on a computer whose user asked to be signed out. Every step is safe to repeat, so a
//! sign-out that stops part way is finished by running it again.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::auth::hosted_ui::{self, HostedUi};
use crate::auth::loopback::Listener;
use crate::config::Connection;
use crate::error::SignOutDone;
use crate::profiles::{self, AwsFiles};
use crate::state::{self, ProfileRecord, State};
use crate::Error;

use super::{BrowserMode, Context, Event, Observer};

/// Where the hosted UI sends the browser after `/logout`. With each redirect port it makes a
/// sign-out URL the administrator registers on the app client:
/// `http://localhost:<port>/signed-out`.
pub const SIGNED_OUT_PATH: &str = "/signed-out";

/// How long to wait for the browser to come back from `/logout` when no timeout is given.
/// Short: there is nothing to type, and a browser that never comes back costs only the
/// hosted UI's session cookie.
pub const DEFAULT_SIGN_OUT_TIMEOUT: Duration = Duration::from_secs(60);

pub struct SignOutOptions {
    /// Also remove every profile of the connection from the AWS files. Without it they stay
    /// (their credentials expire by themselves) and PoolPass keeps owning them.
    pub remove_profiles: bool,
    pub browser: BrowserMode,
    /// How long to wait for the browser; `None`: [`DEFAULT_SIGN_OUT_TIMEOUT`].
    pub timeout: Option<Duration>,
}

/// What became of the saved refresh token at the hosted UI.
#[derive(Debug)]
pub enum Revocation {
    Revoked,
    /// No refresh token was saved for the connection.
    NothingToRevoke,
    /// The hosted UI did not revoke it (code `revoke_failed`; the message says why and what it
    /// means). It was deleted from this computer anyway.
    Failed(Error),
}

/// What became of the hosted UI's session in the browser (its cookie, which lets the next
/// sign-in in that browser skip the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserSignOut {
    /// The browser came back from the hosted UI's `/logout` to PoolPass's page.
    Ended,
    /// There was no saved sign-in, so no browser was sent to `/logout`.
    NotNeeded,
    /// The browser did not come back (timeout, no free port): the session may still be open.
    MayBeOpen { reason: String },
}

#[derive(Debug)]
pub struct SignOutOutcome {
    pub connection: String,
    pub revocation: Revocation,
    /// Profiles removed from the AWS files (only with `remove_profiles`).
    pub removed_profiles: Vec<String>,
    /// Profiles of the connection still in the AWS files: their credentials keep working
    /// until they expire.
    pub kept_profiles: Vec<(String, ProfileRecord)>,
    pub browser: BrowserSignOut,
}

impl SignOutOutcome {
    /// There was no saved sign-in, and no profile was removed.
    pub fn nothing_to_do(&self) -> bool {
        matches!(self.revocation, Revocation::NothingToRevoke)
            && self.removed_profiles.is_empty()
            && self.browser == BrowserSignOut::NotNeeded
    }
}

/// Signs out of `conn`, in this order: revoke the refresh token at the hosted UI; delete it and
/// the cached credentials of the connection's profiles from the keychain, and forget the
/// identity ids cached for its pools; remove its profiles if asked; end the hosted UI's
/// session in the browser.
///
/// `Err` only when something on this computer could not be cleared; what was done by then is
/// in the error ([`Error::SignOutIncomplete`]).
pub async fn sign_out(
    conn: &Connection,
    ctx: &Context,
    opts: SignOutOptions,
    obs: &dyn Observer,
) -> Result<SignOutOutcome, Error> {
    let account = conn.keychain_account();
    let keychain = |e: Error| match e {
        // The generic keychain message ends in "sign in again", the wrong advice here.
        Error::Keychain { reason } => Error::SignOutKeychain {
            connection: conn.name.clone(),
            reason,
        },
        other => other,
    };
    // A refresh running now (say, a credential-process call) could store a rotated token just
    // after it is deleted; holding its lock makes it wait, then find no sign-in.
    let refresh_lock =
        state::RefreshLock::acquire(&ctx.state_path, &conn.name, super::REFRESH_WAIT).await?;
    let token = ctx
        .keychain
        .load_refresh_token(&account)
        .await
        .map_err(keychain)?;

    let revocation = match &token {
        None => Revocation::NothingToRevoke,
        Some(t) => match HostedUi::new(conn, None, ctx.http.clone())?.revoke(t).await {
            Ok(()) => {
                obs.event(Event::Revoked);
                Revocation::Revoked
            }
            Err(e) => {
                obs.event(Event::RevokeFailed {
                    error: Box::new(e.clone()),
                });
                Revocation::Failed(e)
            }
        },
    };

    let mut done = SignOutDone {
        revoked: matches!(revocation, Revocation::Revoked),
        ..Default::default()
    };
    let incomplete = |done: &SignOutDone, cause: Error| {
        if done.is_empty() {
            cause
        } else {
            Error::SignOutIncomplete {
                connection: conn.name.clone(),
                done: done.clone(),
                cause: Box::new(cause),
            }
        }
    };

    // The keychain first: once the refresh token is gone, nothing can renew this sign-in.
    let recorded = State::load(&ctx.state_path).map_err(|e| incomplete(&done, e))?;
    ctx.keychain
        .delete_refresh_token(&account)
        .await
        .map_err(|e| incomplete(&done, keychain(e)))?;
    done.deleted = token.is_some();
    // Every profile of the connection, whatever its mode now: a profile that was
    // credential_process once may have left a cache entry behind.
    for (profile, _) in owned_by(&recorded, conn) {
        ctx.keychain
            .delete_cached_credentials(&profile)
            .await
            .map_err(|e| incomplete(&done, keychain(e)))?;
    }

    let Forgotten { removed, kept } = forget(conn, ctx, &opts, obs).map_err(|f| {
        let done = SignOutDone {
            removed: f.removed.clone(),
            ..done.clone()
        };
        incomplete(&done, *f.error)
    })?;
    drop(refresh_lock);
    if token.is_some() {
        obs.event(Event::SignedOut {
            connection: conn.name.clone(),
        });
    }

    let browser = match token {
        // No saved sign-in: PoolPass knows of no browser session, and opening a browser for
        // nothing would surprise more than help.
        None => BrowserSignOut::NotNeeded,
        Some(_) => end_browser_session(conn, &opts, obs).await,
    };
    Ok(SignOutOutcome {
        connection: conn.name.clone(),
        revocation,
        removed_profiles: removed,
        kept_profiles: kept,
        browser,
    })
}

/// The profiles PoolPass recorded for `conn`.
fn owned_by(state: &State, conn: &Connection) -> Vec<(String, ProfileRecord)> {
    state
        .profiles
        .iter()
        .filter(|(_, r)| r.connection == conn.name)
        .map(|(p, r)| (p.clone(), r.clone()))
        .collect()
}

struct Forgotten {
    removed: Vec<String>,
    kept: Vec<(String, ProfileRecord)>,
}

/// A failure part way, with the profiles already removed from the files by then.
struct PartWay {
    removed: Vec<String>,
    // Boxed: an `Error` is large and this travels by value through `Result`.
    error: Box<Error>,
}

/// Under the state lock: forgets the identity ids cached for the connection's pools and, if
/// asked, removes its profiles from the AWS files (each file written once) and the records.
fn forget(
    conn: &Connection,
    ctx: &Context,
    opts: &SignOutOptions,
    obs: &dyn Observer,
) -> Result<Forgotten, PartWay> {
    let nothing_yet = |error: Error| PartWay {
        removed: Vec::new(),
        error: Box::new(error),
    };
    let _lock = state::Lock::acquire(&ctx.state_path).map_err(nothing_yet)?;
    // Reloaded under the lock: another PoolPass process may have saved since.
    let mut state = State::load(&ctx.state_path).map_err(nothing_yet)?;

    // Identity ids are keyed by pool and user, and the user is not known here (the refresh
    // token is opaque), so every cached id of the connection's pools goes. Another
    // connection sharing a pool only pays one GetId on its next refresh.
    let before = state.identities.len();
    state.identities.retain(|key, _| {
        !conn
            .identity_pools
            .iter()
            .any(|p| key.starts_with(&state::identity_key(&p.id, "")))
    });
    let mut changed = state.identities.len() != before;
    // Signed out on purpose: whoever signs in next is not a surprise.
    changed |= state.users.remove(&conn.name).is_some();

    let mut removed = Vec::new();
    let mut failure = None;
    if opts.remove_profiles {
        // Each profile is removed from the files it was written to, which may not be the ones
        // this process's environment names.
        let mut by_files: BTreeMap<(std::path::PathBuf, std::path::PathBuf), Vec<String>> =
            BTreeMap::new();
        for (profile, r) in owned_by(&state, conn) {
            by_files
                .entry((r.credentials_file.clone(), r.config_file.clone()))
                .or_default()
                .push(profile);
        }
        let backups = ctx.backups();
        for ((credentials, config), names) in by_files {
            let files = AwsFiles {
                credentials,
                config,
            };
            let written = (|| {
                let mut batch = profiles::Batch::open(&files)?;
                for name in &names {
                    batch.remove(name)?;
                }
                batch.commit(&backups)
            })();
            match written {
                Ok(warnings) => {
                    for w in warnings {
                        obs.event(Event::Warning { warning: w });
                    }
                    for name in names {
                        state.profiles.remove(&name);
                        removed.push(name);
                    }
                    changed = true;
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
    }
    if changed {
        // The files already changed: the records follow them even when a later file failed.
        state.save(&ctx.state_path).map_err(|error| PartWay {
            removed: removed.clone(),
            error: Box::new(error),
        })?;
    }
    for profile in &removed {
        obs.event(Event::ProfileRemoved {
            profile: profile.clone(),
        });
    }
    if let Some(e) = failure {
        return Err(PartWay {
            removed,
            error: Box::new(e),
        });
    }
    Ok(Forgotten {
        kept: owned_by(&state, conn),
        removed,
    })
}

/// Sends the browser to the hosted UI's `/logout`, which ends its session and sends it back to
/// PoolPass's page. Nothing here fails the sign-out: a browser that does not come back leaves
/// only the hosted UI's session cookie, and the outcome says so.
async fn end_browser_session(
    conn: &Connection,
    opts: &SignOutOptions,
    obs: &dyn Observer,
) -> BrowserSignOut {
    let listener = match Listener::bind(&conn.redirect_ports, SIGNED_OUT_PATH).await {
        Ok(l) => l,
        Err(e) => {
            return BrowserSignOut::MayBeOpen {
                reason: e.to_string(),
            }
        }
    };
    // `localhost`, not 127.0.0.1: Cognito compares `logout_uri` exactly with the app client's
    // sign-out URLs, and sign-in already sends `http://localhost:<port>/callback`, so the
    // administrator registers one host form for both lists. The listener answers on 127.0.0.1
    // and ::1, whichever `localhost` resolves to.
    let logout_uri = listener.redirect_uri();
    obs.event(Event::Listening {
        redirect_uri: logout_uri.clone(),
    });
    let url = match hosted_ui::logout_url(conn, &logout_uri) {
        Ok(u) => u.to_string(),
        Err(e) => {
            return BrowserSignOut::MayBeOpen {
                reason: e.to_string(),
            }
        }
    };
    super::offer_link(opts.browser, url, obs);
    let timeout = opts.timeout.unwrap_or(DEFAULT_SIGN_OUT_TIMEOUT);
    obs.event(Event::Waiting { timeout });
    let message = format!(
        "You are signed out of {}. You can close this tab.",
        conn.name
    );
    if listener
        .wait_for_visit(timeout, "Signed out", &message)
        .await
    {
        BrowserSignOut::Ended
    } else {
        BrowserSignOut::MayBeOpen {
            reason: format!(
                "the browser did not come back from the hosted UI's sign-out page within {} s. If the page showed an error (such as redirect_mismatch), ask your administrator to add {logout_uri} to the app client's sign-out URLs",
                timeout.as_secs()
            ),
        }
    }
}
