//! Credentials for a profile PoolPass wrote, as `credential-process` and `export` hand them
//! out: from the cache while fresh, refreshed in the connection's turn when they run low.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::write::check_before_sign_in;
use super::{refresh_in_turn, Context, Event, PROCESS_WAIT};
use crate::aws::AwsCredentials;
use crate::config::{Config, Mode};
use crate::profiles::{self, AwsFiles};
use crate::secret::Secret;
use crate::state::{self, ProfileRecord, State};
use crate::Error;

/// Credentials with less than this left are refreshed before they are handed out: long enough
/// for a command started now to finish.
pub const REFRESH_MARGIN: time::Duration = time::Duration::minutes(5);

/// Whether cached credentials can be handed out as they are.
pub(super) fn fresh_at(c: &AwsCredentials, now: OffsetDateTime) -> bool {
    c.expiration - now > REFRESH_MARGIN
}

/// The credentials for a profile PoolPass wrote, refreshed first when they run low. This is
/// `poolpass credential-process` (AWS tools call it for every command) and `poolpass export`.
///
/// The warm path reads the state file and one keychain entry: no configuration, no network.
/// A stale cache waits for the connection's turn (at most [`PROCESS_WAIT`]), so that many
/// processes finding it stale at once cause one refresh; the others find the cache fresh.
///
/// `base` gives the keychain, the clock, the state and the HTTP client; the AWS files are the
/// ones the profile was written to, wherever this process's environment points.
pub async fn current_credentials(
    base: &Context,
    config: impl FnOnce() -> Result<Config, Error>,
    profile: &str,
) -> Result<AwsCredentials, Error> {
    let (keychain, state_path) = (&base.keychain, base.state_path.as_path());
    let record = State::load(state_path)?
        .profiles
        .remove(profile)
        .ok_or_else(|| Error::NotPoolPassProfile {
            profile: profile.to_string(),
        })?;
    let fresh = |c: &AwsCredentials| fresh_at(c, base.clock.now());
    let read = |record: &ProfileRecord| {
        let record = record.clone();
        let profile = profile.to_string();
        async move {
            if record.mode == Mode::CredentialProcess {
                return keychain.load_cached_credentials(&profile).await;
            }
            let files = AwsFiles {
                credentials: record.credentials_file.clone(),
                config: record.config_file.clone(),
            };
            Ok(
                profiles::read_static(&files, &profile)?.and_then(|[a, s, t, e]| {
                    Some(AwsCredentials {
                        access_key_id: a,
                        secret_access_key: Secret::new(s),
                        session_token: Secret::new(t),
                        expiration: OffsetDateTime::parse(&e, &Rfc3339).ok()?,
                    })
                }),
            )
        }
    };
    if let Some(c) = read(&record).await?.filter(fresh) {
        return Ok(c);
    }
    let _turn = state::RefreshLock::acquire(state_path, &record.connection, PROCESS_WAIT).await?;
    if let Some(c) = read(&record).await?.filter(fresh) {
        return Ok(c);
    }
    let config = config()?;
    let conn = config.connection(Some(&record.connection))?;
    check_before_sign_in(conn)?;
    let ctx = Context {
        files: AwsFiles {
            credentials: record.credentials_file.clone(),
            config: record.config_file.clone(),
        },
        ..base.clone()
    };
    profiles::check_files(&ctx.files)?;
    let outcome = refresh_in_turn(conn, &ctx, false, &|_: Event| {}).await?;
    if let Some((_, Err(e))) = outcome.profiles.into_iter().find(|(p, _)| p == profile) {
        return Err(e);
    }
    read(&record).await?.ok_or_else(|| Error::SignInAgain {
        connection: record.connection.clone(),
        reason: format!("the refresh did not produce credentials for {profile}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::keychain::Keychain;
    use time::macros::datetime;

    fn expiring(at: OffsetDateTime) -> AwsCredentials {
        AwsCredentials {
            access_key_id: "ASIA".into(),
            secret_access_key: Secret::new("s".into()),
            session_token: Secret::new("t".into()),
            expiration: at,
        }
    }

    /// The cache is handed out only with more than the margin left: a command started with
    /// exactly five minutes (or less, or none) gets a refresh first.
    const NOW: OffsetDateTime = datetime!(2026-12-03 10:00 UTC);

    /// A credential_process profile's record in a fresh state file; a keychain in memory and
    /// a clock stopped at [`NOW`].
    fn sandbox() -> (tempfile::TempDir, Context) {
        let dir = tempfile::tempdir().unwrap();
        let state_path = dir.path().join("state.json");
        let mut state = State::default();
        state.profiles.insert(
            "dev".into(),
            ProfileRecord {
                connection: "work".into(),
                identity_pool_id: "ap-northeast-1:x".into(),
                role_arn: None,
                account_id: None,
                role_name: None,
                user: "u".into(),
                mode: Mode::CredentialProcess,
                caller_arn: None,
                expires_at: "2026-12-03T11:00:00Z".into(),
                credentials_file: dir.path().join("credentials"),
                config_file: dir.path().join("config"),
                updated_at: "2026-12-03T10:00:00Z".into(),
            },
        );
        state.save(&state_path).unwrap();
        let ctx = Context {
            files: AwsFiles {
                credentials: dir.path().join("credentials"),
                config: dir.path().join("config"),
            },
            state_path,
            http: reqwest::Client::new(),
            keychain: Keychain::in_memory(),
            clock: Clock::fixed(NOW),
            aws: Default::default(),
        };
        (dir, ctx)
    }

    /// The warm path an AWS tool waits on: state file and keychain only; the configuration
    /// (and so the network) is not even read.
    #[tokio::test]
    async fn fresh_cached_credentials_are_handed_out_without_the_configuration() {
        let (_dir, ctx) = sandbox();
        let cached = expiring(NOW + time::Duration::hours(1));
        ctx.keychain
            .store_cached_credentials("dev", &cached)
            .await
            .unwrap();
        let got = current_credentials(&ctx, || panic!("the configuration was read"), "dev")
            .await
            .unwrap();
        assert_eq!(got.access_key_id, "ASIA");
        assert_eq!(got.expiration, cached.expiration);
    }

    /// Credentials inside the margin (the same cache, the clock moved on), or none cached,
    /// mean a refresh: the configuration is read (here it says "not signed in", which is the
    /// error the AWS tool sees).
    #[tokio::test]
    async fn stale_or_missing_cached_credentials_go_to_a_refresh() {
        for cached in [true, false] {
            let (_dir, ctx) = sandbox();
            if cached {
                let c = expiring(NOW + time::Duration::hours(1));
                ctx.keychain
                    .store_cached_credentials("dev", &c)
                    .await
                    .unwrap();
                ctx.clock.set(NOW + time::Duration::minutes(57));
            }
            let read = std::sync::atomic::AtomicBool::new(false);
            let e = current_credentials(
                &ctx,
                || {
                    read.store(true, std::sync::atomic::Ordering::SeqCst);
                    Err(Error::NotSignedIn {
                        connection: "work".into(),
                    })
                },
                "dev",
            )
            .await
            .unwrap_err();
            assert!(
                read.load(std::sync::atomic::Ordering::SeqCst),
                "cached: {cached}"
            );
            assert_eq!(e.code(), "not_signed_in");
        }
    }

    #[tokio::test]
    async fn a_profile_poolpass_did_not_write_is_refused() {
        let (_dir, ctx) = sandbox();
        let e = current_credentials(&ctx, || panic!("read"), "other")
            .await
            .unwrap_err();
        assert_eq!(e.code(), "not_poolpass_profile");
    }

    #[test]
    fn cached_credentials_are_fresh_only_with_more_than_the_margin_left() {
        let now = datetime!(2026-12-03 10:00 UTC);
        for (left, fresh) in [
            (time::Duration::hours(1), true),
            (REFRESH_MARGIN + time::Duration::seconds(1), true),
            (REFRESH_MARGIN, false),
            (time::Duration::minutes(1), false),
            (time::Duration::ZERO, false),
            (-time::Duration::hours(1), false),
        ] {
            assert_eq!(fresh_at(&expiring(now + left), now), fresh, "{left} left");
        }
    }
}
