//! Credentials for every profile a sign-in or refresh produces: identity ids (cached or new),
//! each pool's enhanced or classic flow, concurrently and with no lock held; then the writes
//! and the records in one locked step.

use crate::auth::hosted_ui::Tokens;
use crate::auth::id_token::IdClaims;
use crate::aws::AwsCredentials;
use crate::config::{Connection, Flow, IdentityPool, Mode};
use crate::identity::{IdentityClient, Logins};
use crate::profiles;
use crate::state::{self, State};
use crate::sts::StsClient;
use crate::Error;
use futures_util::future::join_all;

use super::targets::targets;
use super::targets::Target;
use super::write::stage_one;
use super::{Context, Event, Observer, Outcome};

/// A pool's identity id, and whether it came from the cache (and so may be stale).
pub(super) type IdentityLookup = Result<(String, bool), Error>;

/// Gets credentials for every profile (network, concurrently, no lock held), then writes them
/// all and the records in one locked step.
pub(super) async fn fetch_all(
    conn: &Connection,
    ctx: &Context,
    tokens: &Tokens,
    claims: &IdClaims,
    force: bool,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    let before = State::load(&ctx.state_path)?;
    let (targets, mut failed) = targets(conn, claims);
    let logins = Logins::new(conn, tokens.id_token.clone());

    // One identity id per pool, shared by its roles: from the cache, else GetId.
    let pools: Vec<&IdentityPool> = conn
        .identity_pools
        .iter()
        .filter(|p| targets.iter().any(|t| t.pool.id == p.id))
        .collect();
    let ids = join_all(pools.iter().map(|pool| {
        let cached = before
            .identities
            .get(&state::identity_key(&pool.id, &claims.sub))
            .cloned();
        let logins = &logins;
        async move {
            match cached {
                Some(id) => Ok((id, true)),
                None => IdentityClient::new(conn, pool)
                    .get_id(logins)
                    .await
                    .map(|id| (id, false)),
            }
        }
    }))
    .await;
    let ids: Vec<(&str, IdentityLookup)> = pools.iter().map(|p| p.id.as_str()).zip(ids).collect();
    // One SDK client (and connection pool) per identity pool, shared by its roles.
    let clients: Vec<(&str, IdentityClient)> = pools
        .iter()
        .map(|p| (p.id.as_str(), IdentityClient::new(conn, p)))
        .collect();

    for t in &targets {
        obs.event(Event::Fetching {
            profile: t.profile.clone(),
            identity_pool: t.pool.id.clone(),
        });
    }
    let fetched = join_all(targets.iter().map(|t| {
        let id = ids.iter().find(|(p, _)| *p == t.pool.id).map(|(_, r)| r);
        let client = clients
            .iter()
            .find(|(p, _)| *p == t.pool.id)
            .map(|(_, c)| c);
        let known = before
            .profiles
            .get(&t.profile)
            .filter(|r| r.role_arn == t.expected_role)
            .and_then(|r| r.caller_arn.clone());
        let logins = &logins;
        async move {
            let (identity_id, cached, client) = match (id, client) {
                (Some(Ok((i, c))), Some(client)) => (i.clone(), *c, client),
                // A failed GetId fails every role of its pool.
                (Some(Err(e)), _) => return Err(e.clone()),
                _ => return Err(Error::NoRole {
                    pool: t.pool.id.clone(),
                    reason:
                        "no identity was looked up for this pool (a PoolPass bug: please report it)"
                            .into(),
                }),
            };
            let (credentials, identity_id) =
                fetch_one(conn, client, t, logins, identity_id, cached, claims).await?;
            // Asked once per profile and role: refreshes then cost no extra request.
            let caller = match known {
                Some(arn) => arn,
                None => {
                    StsClient::new(conn, t.pool)
                        .get_caller_identity(&credentials)
                        .await?
                        .arn
                }
            };
            // A credential-process profile's keys live in the keychain, never in a file.
            if t.pool.mode == Mode::CredentialProcess {
                ctx.keychain
                    .store_cached_credentials(&t.profile, &credentials)
                    .await?;
            }
            Ok((credentials, identity_id, caller))
        }
    }))
    .await;

    let _lock = state::Lock::acquire(&ctx.state_path)?;
    // Reloaded under the lock: another PoolPass process may have saved since.
    let mut state = State::load(&ctx.state_path)?;
    let backups = ctx.backups();
    let mut batch = profiles::Batch::open(&ctx.files)?;
    let mut results = Vec::new();
    for (t, r) in targets.iter().zip(fetched) {
        let r = r.and_then(|(credentials, identity_id, caller)| {
            state
                .identities
                .insert(state::identity_key(&t.pool.id, &claims.sub), identity_id);
            stage_one(
                conn,
                &mut batch,
                ctx,
                t,
                &credentials,
                claims,
                caller,
                force,
                &state,
                obs,
            )
        });
        results.push((t.profile.clone(), r));
    }
    // Each file written once; if that fails, nothing is recorded as written.
    let mut warnings = batch.commit(&backups)?;
    for (profile, r) in &results {
        if let Ok(record) = r {
            state.profiles.insert(profile.clone(), record.clone());
        }
    }
    state.save(&ctx.state_path)?;
    drop(_lock);

    results.append(&mut failed.drain(..).map(|(p, e)| (p, Err(e))).collect());
    for (profile, r) in &results {
        match r {
            Ok(record) => obs.event(Event::ProfileWritten {
                profile: profile.clone(),
                record: Box::new(record.clone()),
            }),
            Err(e) => obs.event(Event::ProfileFailed {
                profile: profile.clone(),
                code: e.code(),
                message: e.to_string(),
            }),
        }
    }
    let written: Vec<&str> = results
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(p, _)| p.as_str())
        .collect();
    warnings.extend(profiles::environment_warnings(&written));
    warnings.dedup();
    for w in warnings {
        obs.event(Event::Warning {
            message: w.to_string(),
            warning: w,
        });
    }
    Ok(Outcome {
        user: crate::text::escaped(claims.display_name(), 200),
        profiles: results,
    })
}

/// Credentials for one target, with the identity id they were issued to. A cached identity
/// id that AWS no longer accepts is replaced once.
pub(super) async fn fetch_one(
    conn: &Connection,
    client: &IdentityClient,
    t: &Target<'_>,
    logins: &Logins,
    mut identity_id: String,
    mut cached: bool,
    claims: &IdClaims,
) -> Result<(AwsCredentials, String), Error> {
    loop {
        let attempt = match t.pool.flow {
            Flow::Enhanced => {
                client
                    .get_credentials(&identity_id, logins, t.role_arn.as_deref())
                    .await
            }
            Flow::Classic { duration_seconds } => {
                match client.get_open_id_token(&identity_id, logins).await? {
                    Ok(token) => {
                        let role = t.role_arn.as_deref().unwrap_or_default();
                        let session = session_name(claims);
                        return StsClient::new(conn, t.pool)
                            .assume_role_with_web_identity(role, &token, duration_seconds, &session)
                            .await
                            .map(|c| (c, identity_id));
                    }
                    Err(se) if se.identity_is_stale() => Err(Ok(se)),
                    Err(se) => return Err(client.error_from(se)),
                }
            }
        };
        match attempt {
            Ok(c) => return Ok((c, identity_id)),
            Err(Ok(_stale)) if cached => {
                identity_id = client.get_id(logins).await?;
                cached = false;
            }
            Err(Ok(se)) => return Err(client.error_from(se)),
            Err(Err(e)) => return Err(e),
        }
    }
}

/// STS session names: 2-64 of `[\w+=,.@-]`. The user's name, so CloudTrail shows who it was.
pub(super) fn session_name(claims: &IdClaims) -> String {
    let raw = claims.username.as_deref().unwrap_or(&claims.sub);
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    if cleaned.len() < 2 {
        "poolpass".into()
    } else {
        cleaned
    }
}
