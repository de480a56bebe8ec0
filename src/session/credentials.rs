//! Credentials for a profile PoolPass wrote, as `credential-process` and `export` hand them
//! out: from the cache while fresh, refreshed in the connection's turn when they run low.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::write::check_before_sign_in;
use super::{refresh_in_turn, Context, Event, PROCESS_WAIT};
use crate::auth::hosted_ui;
use crate::aws::AwsCredentials;
use crate::config::Config;
use crate::profiles::{self, AwsFiles};
use crate::secret::Secret;
use crate::state::{self, ProfileRecord, State};
use crate::{keychain, Error};

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
pub async fn current_credentials(
    state_path: &std::path::Path,
    config: impl FnOnce() -> Result<Config, Error>,
    profile: &str,
) -> Result<AwsCredentials, Error> {
    let record = State::load(state_path)?
        .profiles
        .remove(profile)
        .ok_or_else(|| Error::NotPoolPassProfile {
            profile: profile.to_string(),
        })?;
    let fresh = |c: &AwsCredentials| fresh_at(c, OffsetDateTime::now_utc());
    let read = |record: &ProfileRecord| {
        let record = record.clone();
        let profile = profile.to_string();
        async move {
            if record.mode == "credential_process" {
                return keychain::load_cached_credentials(&profile).await;
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
    // The files the profile was written to, wherever this process's environment points.
    let ctx = Context {
        files: AwsFiles {
            credentials: record.credentials_file.clone(),
            config: record.config_file.clone(),
        },
        state_path: state_path.to_path_buf(),
        http: hosted_ui::http_client()?,
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
