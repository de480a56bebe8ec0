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
                None => ctx
                    .identity(conn, pool)
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
        .map(|p| (p.id.as_str(), ctx.identity(conn, p)))
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
                _ => {
                    return Err(Error::NoRole {
                        pool: t.pool.id.clone(),
                        reason: crate::error::NoRoleReason::NotLookedUp,
                    })
                }
            };
            let (credentials, identity_id) = fetch_one(
                &ctx.sts(conn, t.pool),
                client,
                t,
                logins,
                identity_id,
                cached,
                claims,
            )
            .await?;
            // Asked once per profile and role: refreshes then cost no extra request.
            let caller = match known {
                Some(arn) => arn,
                None => {
                    ctx.sts(conn, t.pool)
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
                error: Box::new(e.clone()),
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
        obs.event(Event::Warning { warning: w });
    }
    Ok(Outcome {
        user: crate::text::escaped(claims.display_name(), 200),
        profiles: results,
    })
}

/// Credentials for one target, with the identity id they were issued to. A cached identity
/// id that AWS no longer accepts is replaced once.
pub(super) async fn fetch_one(
    sts: &StsClient,
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
                        return sts
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::config::Config;
    use crate::fake_aws::{self, FakeAws};
    use crate::keychain::Keychain;
    use crate::profiles::AwsFiles;
    use crate::secret::Secret;

    const POOL: &str = "ap-northeast-1:00000000-0000-0000-0000-000000000000";
    const CALLER: &str = "arn:aws:sts::123456789012:assumed-role/Staff/CognitoIdentityCredentials";
    const EXPIRES: i64 = 1_796_295_600; // 2026-12-03 11:00 UTC

    fn connection() -> Connection {
        pool_connection(r#"profile = "dev""#)
    }

    /// The connection with one identity pool whose settings are `pool` (TOML lines).
    fn pool_connection(pool: &str) -> Connection {
        let text = format!(
            r#"
[[connection]]
name = "acme"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"

[[connection.identity_pool]]
id = "{POOL}"
{pool}
"#
        );
        Config::parse(std::path::Path::new("/x/config.toml"), &text)
            .unwrap()
            .connections
            .remove(0)
    }

    fn sandbox(aws: &FakeAws) -> (tempfile::TempDir, Context) {
        let dir = tempfile::tempdir().unwrap();
        let ctx = Context {
            files: AwsFiles {
                credentials: dir.path().join("credentials"),
                config: dir.path().join("config"),
            },
            state_path: dir.path().join("state.json"),
            http: reqwest::Client::new(),
            keychain: Keychain::in_memory(),
            clock: Clock::fixed(time::macros::datetime!(2026-12-03 10:00 UTC)),
            aws: aws.http(),
        };
        (dir, ctx)
    }

    fn claims() -> IdClaims {
        serde_json::from_value(serde_json::json!({
            "sub": "0000-sub", "exp": 0, "cognito:username": "mika",
            "cognito:roles": ["arn:aws:iam::123456789012:role/Staff"],
        }))
        .unwrap()
    }

    fn tokens() -> Tokens {
        Tokens {
            id_token: Secret::new("header.payload.signature".into()),
            refresh_token: None,
        }
    }

    async fn fetch(ctx: &Context) -> Outcome {
        fetch_with(&connection(), ctx).await
    }

    async fn fetch_with(conn: &Connection, ctx: &Context) -> Outcome {
        fetch_all(conn, ctx, &tokens(), &claims(), false, &|_: Event| {})
            .await
            .unwrap()
    }

    fn remember_identity(ctx: &Context, identity_id: &str) {
        let mut state = State::load(&ctx.state_path).unwrap();
        state
            .identities
            .insert(state::identity_key(POOL, "0000-sub"), identity_id.into());
        state.save(&ctx.state_path).unwrap();
    }

    /// A first sign-in: an identity id, its credentials (the ID token as the login), who they
    /// are; the profile is written and the identity id kept for next time.
    #[tokio::test]
    async fn a_first_sign_in_asks_for_an_identity_then_its_credentials_then_who_they_are() {
        let aws = FakeAws::new(|c| match c.operation.as_str() {
            "GetId" => fake_aws::get_id("ap-northeast-1:new-identity"),
            "GetCredentialsForIdentity" => {
                fake_aws::credentials("ap-northeast-1:new-identity", "ASIAFIRST", EXPIRES)
            }
            "GetCallerIdentity" => fake_aws::caller_identity(CALLER),
            other => panic!("unexpected {other}"),
        });
        let (_dir, ctx) = sandbox(&aws);
        let outcome = fetch(&ctx).await;
        assert!(outcome.all_ok(), "{:?}", outcome.profiles);
        assert_eq!(
            aws.operations(),
            ["GetId", "GetCredentialsForIdentity", "GetCallerIdentity"]
        );
        let calls = aws.calls();
        assert!(calls[0].body.contains(POOL), "{}", calls[0].body);
        assert!(
            calls[1]
                .body
                .contains("cognito-idp.us-west-2.amazonaws.com/us-west-2_AbC123")
                && calls[1].body.contains("header.payload.signature")
                && calls[1].body.contains("ap-northeast-1:new-identity"),
            "{}",
            calls[1].body
        );
        let file = std::fs::read_to_string(&ctx.files.credentials).unwrap();
        assert!(
            file.contains("[dev]") && file.contains("ASIAFIRST"),
            "{file}"
        );
        let state = State::load(&ctx.state_path).unwrap();
        assert_eq!(state.profiles["dev"].caller_arn.as_deref(), Some(CALLER));
        assert_eq!(
            state.identities[&state::identity_key(POOL, "0000-sub")],
            "ap-northeast-1:new-identity"
        );
    }

    /// A refresh reuses the identity id and the caller it already knows: one request.
    #[tokio::test]
    async fn a_refresh_asks_only_for_credentials() {
        let aws = FakeAws::new(|c| match c.operation.as_str() {
            "GetId" => fake_aws::get_id("ap-northeast-1:new-identity"),
            "GetCredentialsForIdentity" => {
                fake_aws::credentials("ap-northeast-1:new-identity", "ASIANEXT", EXPIRES)
            }
            "GetCallerIdentity" => fake_aws::caller_identity(CALLER),
            other => panic!("unexpected {other}"),
        });
        let (_dir, ctx) = sandbox(&aws);
        fetch(&ctx).await;
        let before = aws.operations().len();
        assert!(fetch(&ctx).await.all_ok());
        assert_eq!(aws.operations()[before..], ["GetCredentialsForIdentity"]);
        let file = std::fs::read_to_string(&ctx.files.credentials).unwrap();
        assert!(file.contains("ASIANEXT"), "{file}");
    }

    /// A kept identity id AWS no longer knows (the pool was recreated, the identity deleted)
    /// is replaced once, and the new one is kept.
    #[tokio::test]
    async fn a_stale_identity_id_is_replaced_once() {
        let aws = FakeAws::new(|c| match c.operation.as_str() {
            "GetId" => fake_aws::get_id("ap-northeast-1:fresh"),
            "GetCredentialsForIdentity" if c.body.contains("ap-northeast-1:gone") => {
                fake_aws::json_error(
                    "ResourceNotFoundException",
                    "Identity 'ap-northeast-1:gone' not found.",
                )
            }
            "GetCredentialsForIdentity" => {
                fake_aws::credentials("ap-northeast-1:fresh", "ASIAFRESH", EXPIRES)
            }
            "GetCallerIdentity" => fake_aws::caller_identity(CALLER),
            other => panic!("unexpected {other}"),
        });
        let (_dir, ctx) = sandbox(&aws);
        remember_identity(&ctx, "ap-northeast-1:gone");
        assert!(fetch(&ctx).await.all_ok());
        assert_eq!(
            aws.operations(),
            [
                "GetCredentialsForIdentity",
                "GetId",
                "GetCredentialsForIdentity",
                "GetCallerIdentity"
            ]
        );
        let state = State::load(&ctx.state_path).unwrap();
        assert_eq!(
            state.identities[&state::identity_key(POOL, "0000-sub")],
            "ap-northeast-1:fresh"
        );
    }

    /// A refusal is the profile's failure, said with AWS's code and what to do; the identity
    /// id is not replaced (it was not stale) and no file is written.
    #[tokio::test]
    async fn a_refused_token_fails_the_profile_and_writes_nothing() {
        let aws = FakeAws::new(|c| match c.operation.as_str() {
            "GetCredentialsForIdentity" => fake_aws::json_error(
                "NotAuthorizedException",
                "Invalid login token. Token expired: 1796292000 >= 1796291000",
            ),
            other => panic!("unexpected {other}"),
        });
        let (_dir, ctx) = sandbox(&aws);
        remember_identity(&ctx, "ap-northeast-1:kept");
        let outcome = fetch(&ctx).await;
        let (profile, result) = &outcome.profiles[0];
        assert_eq!(profile, "dev");
        let e = result.as_ref().unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("NotAuthorizedException") && text.contains("sign in again"),
            "{text}"
        );
        assert_eq!(aws.operations(), ["GetCredentialsForIdentity"]);
        assert!(!ctx.files.credentials.exists());
    }

    /// The classic flow: an OpenID token from the identity pool, then STS with the configured
    /// role, the duration asked for and the user's name as the session (CloudTrail shows it).
    #[tokio::test]
    async fn the_classic_flow_assumes_the_role_with_the_pools_open_id_token() {
        const ROLE: &str = "arn:aws:iam::123456789012:role/Staff";
        let aws = FakeAws::new(|c| {
            match c.operation.as_str() {
            "GetId" => fake_aws::get_id("ap-northeast-1:classic"),
            "GetOpenIdToken" => (
                200,
                serde_json::json!({ "IdentityId": "ap-northeast-1:classic", "Token": "open-id-token" })
                    .to_string(),
            ),
            "AssumeRoleWithWebIdentity" => fake_aws::assumed_role(CALLER, "ASIACLASSIC", EXPIRES),
            "GetCallerIdentity" => fake_aws::caller_identity(CALLER),
            other => panic!("unexpected {other}"),
        }
        });
        let (_dir, ctx) = sandbox(&aws);
        let conn = pool_connection(&format!(
            "profile = \"dev\"\nroles = [\"{ROLE}\"]\nflow = \"classic\"\nduration_seconds = 7200"
        ));
        let outcome = fetch_with(&conn, &ctx).await;
        assert!(outcome.all_ok(), "{:?}", outcome.profiles);
        assert_eq!(
            aws.operations(),
            [
                "GetId",
                "GetOpenIdToken",
                "AssumeRoleWithWebIdentity",
                "GetCallerIdentity"
            ]
        );
        let assume = &aws.calls()[2].body;
        for part in [
            "WebIdentityToken=open-id-token",
            "DurationSeconds=7200",
            "RoleSessionName=mika",
            "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FStaff",
        ] {
            assert!(assume.contains(part), "{part} not in {assume}");
        }
        let file = std::fs::read_to_string(&ctx.files.credentials).unwrap();
        assert!(file.contains("ASIACLASSIC"), "{file}");
    }
}
