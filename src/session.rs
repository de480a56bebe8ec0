//! What one sign-in (or one refresh) yields, start to finish: the browser round trip, the
//! tokens, the credentials for every identity pool, the profiles written and the refresh token
//! kept. Front ends (CLI, desktop app) call these functions and watch [`Event`]s.
//!
//! Order matters for "nothing lost": the ID token is fully verified before any AWS call, and
//! files are written only after credentials for that profile are in hand.

use std::path::PathBuf;
use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::auth::hosted_ui::{self, HostedUi, Tokens};
use crate::auth::id_token::{IdClaims, NonceCheck, Verifier};
use crate::auth::loopback::Listener;
use crate::config::{Connection, IdentityPool, Provider};
use crate::identity::{split_role_arn, AwsCredentials, IdentityClient, Logins};
use crate::profiles::backup::Backups;
use crate::profiles::{self, AwsFiles, ProfileWrite};
use crate::secret::Secret;
use crate::state::{self, ProfileRecord, State};
use crate::{browser, secrets, Error};

/// Where PoolPass reads and writes, and how it talks HTTP. Tests point these at sandboxes.
#[derive(Debug, Clone)]
pub struct Context {
    pub files: AwsFiles,
    pub state_path: PathBuf,
    pub http: reqwest::Client,
}

impl Context {
    pub fn backups(&self) -> Backups {
        Backups::new(state::dir_of(&self.state_path).join("backups"))
    }

    pub fn from_env() -> Result<Context, Error> {
        Ok(Context {
            files: AwsFiles::from_env(),
            state_path: state::default_path(),
            http: hosted_ui::http_client()?,
        })
    }
}

/// Progress a front end shows. Never carries a secret.
#[derive(Debug, Clone)]
pub enum Event {
    Listening {
        redirect_uri: String,
    },
    /// The browser was asked to open this link.
    BrowserOpened {
        url: String,
    },
    /// No browser was opened (by choice or because it failed): the user must open the link.
    OpenLinkYourself {
        url: String,
        reason: Option<String>,
    },
    Waiting {
        timeout: Duration,
    },
    CallbackReceived,
    SignedIn {
        user: String,
        via: Option<String>,
    },
    RefreshedTokens {
        user: String,
    },
    /// The refresh token could not be kept: credentials are written, but the next refresh
    /// will need a new sign-in.
    KeychainUnavailable {
        reason: String,
    },
    Fetching {
        profile: String,
        identity_pool: String,
    },
    ProfileWritten {
        profile: String,
        record: ProfileRecord,
    },
    /// A profile PoolPass did not write was taken over (`--force`); its old sections are in
    /// `backup`.
    TookOver {
        profile: String,
        backup: PathBuf,
    },
    Warning {
        warning: profiles::Warning,
        message: String,
    },
    ProfileFailed {
        profile: String,
        code: &'static str,
        message: String,
    },
}

pub trait Observer: Send + Sync {
    fn event(&self, e: Event);
}

impl<F: Fn(Event) + Send + Sync> Observer for F {
    fn event(&self, e: Event) {
        self(e)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserMode {
    Open,
    /// Only show the link (`--no-browser`, or "copy sign-in link" in the app).
    LinkOnly,
}

pub struct SignInOptions {
    /// `None`: Cognito's own page lets the user choose.
    pub provider: Option<Provider>,
    pub browser: BrowserMode,
    pub timeout: Option<Duration>,
    /// Take over profiles of the same name that PoolPass did not write (backed up first).
    pub force: bool,
}

/// The result for each identity pool. One pool failing does not undo the others.
#[derive(Debug)]
pub struct Outcome {
    pub user: String,
    pub profiles: Vec<(String, Result<ProfileRecord, Error>)>,
}

impl Outcome {
    pub fn all_ok(&self) -> bool {
        self.profiles.iter().all(|(_, r)| r.is_ok())
    }
}

pub async fn sign_in(
    conn: &Connection,
    ctx: &Context,
    opts: SignInOptions,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    if let Some(p) = &opts.provider {
        if !conn.providers.contains(p) {
            return Err(Error::ProviderNotOffered {
                provider: p.to_string(),
                connection: conn.name.clone(),
                offered: conn.providers.iter().map(|p| p.to_string()).collect(),
            });
        }
    }
    // Before any browser opens: a profile we would refuse to write is better said now.
    check_ownership(conn, ctx, &State::load(&ctx.state_path)?, opts.force)?;

    let listener = Listener::bind(&conn.redirect_ports, &conn.redirect_path).await?;
    let redirect_uri = listener.redirect_uri();
    obs.event(Event::Listening {
        redirect_uri: redirect_uri.clone(),
    });
    let hosted = HostedUi::new(conn, Some(redirect_uri), ctx.http.clone())?;
    let attempt = hosted.start(opts.provider.as_ref());
    let url = attempt.url.to_string();
    match opts.browser {
        BrowserMode::LinkOnly => obs.event(Event::OpenLinkYourself { url, reason: None }),
        BrowserMode::Open => match browser::open(&url) {
            Ok(()) => obs.event(Event::BrowserOpened { url }),
            Err(e) => obs.event(Event::OpenLinkYourself {
                url,
                reason: Some(e.to_string()),
            }),
        },
    }
    let timeout = opts.timeout.unwrap_or(conn.sign_in_timeout);
    obs.event(Event::Waiting { timeout });
    let (callback, reply) = listener.wait(attempt.state.expose(), timeout).await?;
    obs.event(Event::CallbackReceived);

    // The browser waits on its page until the tokens are checked, so it can show the truth.
    let nonce = attempt.nonce.clone();
    let checked = async {
        let tokens = hosted.exchange_code(attempt, callback.code).await?;
        let verifier = Verifier::new(conn.issuer(), conn.client_id.clone(), ctx.http.clone());
        let claims = verifier
            .verify(&tokens.id_token, NonceCheck::Expect(nonce.expose()))
            .await?;
        Ok::<_, Error>((tokens, claims))
    }
    .await;
    match &checked {
        Ok(_) => reply.succeed().await,
        Err(e) => reply.fail(e).await,
    }
    let (tokens, claims) = checked?;
    let via = claims
        .identities
        .first()
        .and_then(|i| i.provider_name.clone());
    obs.event(Event::SignedIn {
        user: claims.display_name().to_string(),
        via,
    });

    match &tokens.refresh_token {
        Some(rt) => {
            if let Err(e) = secrets::store_refresh_token(&conn.keychain_account(), rt).await {
                obs.event(Event::KeychainUnavailable { reason: e.to_string() });
            }
        }
        None => obs.event(Event::KeychainUnavailable {
            reason: "the hosted UI returned no refresh token (is the refresh-token flow allowed on the app client?)".into(),
        }),
    }
    fetch_all(conn, ctx, &tokens, &claims, opts.force, obs).await
}

/// New credentials for every profile of the connection from the stored refresh token, with
/// no browser.
/// `force`: take over profiles of the same name that PoolPass did not write.
pub async fn refresh(
    conn: &Connection,
    ctx: &Context,
    force: bool,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    let account = conn.keychain_account();
    let refresh_token = secrets::load_refresh_token(&account)
        .await?
        .ok_or_else(|| Error::NotSignedIn {
            connection: conn.name.clone(),
        })?;
    check_ownership(conn, ctx, &State::load(&ctx.state_path)?, force)?;
    let hosted = HostedUi::new(conn, None, ctx.http.clone())?;
    let tokens = match hosted.refresh(&refresh_token).await {
        Err(Error::TokenRefused {
            error, description, ..
        }) if error == "invalid_grant" => {
            return Err(Error::SignInAgain {
                connection: conn.name.clone(),
                reason: description.unwrap_or_else(|| "the refresh token was refused".into()),
            })
        }
        other => other?,
    };
    // With rotation the old token dies within a minute: keep the new one before anything
    // else can fail.
    if let Some(rt) = &tokens.refresh_token {
        secrets::store_refresh_token(&account, rt).await?;
    }
    let verifier = Verifier::new(conn.issuer(), conn.client_id.clone(), ctx.http.clone());
    let claims = verifier
        .verify(&tokens.id_token, NonceCheck::NotSent)
        .await?;
    obs.event(Event::RefreshedTokens {
        user: claims.display_name().to_string(),
    });
    fetch_all(conn, ctx, &tokens, &claims, force, obs).await
}

/// The profiles PoolPass wrote, by name.
pub fn list(ctx: &Context) -> Result<Vec<(String, ProfileRecord)>, Error> {
    Ok(State::load(&ctx.state_path)?.profiles.into_iter().collect())
}

/// Removes a profile PoolPass wrote from both AWS files and from its records. A profile it
/// did not write is refused.
pub fn remove(ctx: &Context, profile: &str) -> Result<(), Error> {
    let _lock = state::Lock::acquire(&ctx.state_path)?;
    let mut state = State::load(&ctx.state_path)?;
    if !state.profiles.contains_key(profile) {
        return Err(Error::NotPoolPassProfile {
            profile: profile.to_string(),
        });
    }
    profiles::remove_profile(&ctx.files, &ctx.backups(), profile)?;
    state.profiles.remove(profile);
    state.save(&ctx.state_path)
}

fn check_ownership(
    conn: &Connection,
    ctx: &Context,
    state: &State,
    force: bool,
) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    for pool in &conn.identity_pools {
        if state.profiles.contains_key(&pool.profile) {
            continue;
        }
        if let Some(path) = profiles::profile_exists(&ctx.files, &pool.profile)? {
            return Err(Error::ProfileNotOwned {
                profile: pool.profile.clone(),
                path,
            });
        }
    }
    Ok(())
}

/// Gets credentials for every pool (network, no lock held), then writes them all and the
/// records in one locked step.
async fn fetch_all(
    conn: &Connection,
    ctx: &Context,
    tokens: &Tokens,
    claims: &IdClaims,
    force: bool,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    let cached = State::load(&ctx.state_path)?.identities;
    let mut fetched = Vec::new();
    for pool in &conn.identity_pools {
        obs.event(Event::Fetching {
            profile: pool.profile.clone(),
            identity_pool: pool.id.clone(),
        });
        let key = state::identity_key(&pool.id, &claims.sub);
        let r = fetch_one(conn, pool, &tokens.id_token, cached.get(&key).cloned()).await;
        fetched.push((pool, key, r));
    }

    let _lock = state::Lock::acquire(&ctx.state_path)?;
    // Reloaded under the lock: another PoolPass process may have saved since.
    let mut state = State::load(&ctx.state_path)?;
    let backups = ctx.backups();
    let mut results = Vec::new();
    let mut warnings = Vec::new();
    for (pool, key, r) in fetched {
        let r = match r {
            Ok((credentials, identity_id)) => {
                state.identities.insert(key, identity_id);
                write_one(
                    conn,
                    ctx,
                    &backups,
                    pool,
                    &credentials,
                    claims,
                    force,
                    &mut state,
                    obs,
                )
                .map(|(record, w)| {
                    warnings.extend(w);
                    record
                })
            }
            Err(e) => Err(e),
        };
        match &r {
            Ok(record) => obs.event(Event::ProfileWritten {
                profile: pool.profile.clone(),
                record: record.clone(),
            }),
            Err(e) => obs.event(Event::ProfileFailed {
                profile: pool.profile.clone(),
                code: e.code(),
                message: e.to_string(),
            }),
        }
        results.push((pool.profile.clone(), r));
    }
    state.save(&ctx.state_path)?;
    drop(_lock);

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
        user: claims.display_name().to_string(),
        profiles: results,
    })
}

/// Credentials for one pool, with the identity id they were issued to.
async fn fetch_one(
    conn: &Connection,
    pool: &IdentityPool,
    id_token: &Secret<String>,
    mut cached: Option<String>,
) -> Result<(AwsCredentials, String), Error> {
    let client = IdentityClient::new(conn, pool);
    let logins = Logins::new(conn, id_token.clone());
    loop {
        let identity_id = match &cached {
            Some(id) => id.clone(),
            None => client.get_id(&logins).await?,
        };
        match client.get_credentials(&identity_id, &logins, None).await {
            Ok(c) => return Ok((c, identity_id)),
            // A cached identity that AWS no longer knows (or no longer lets us use): forget
            // it and ask for the current one, once.
            Err(Ok(_stale)) if cached.is_some() => cached = None,
            Err(Ok(se)) => return Err(client.error_from(se)),
            Err(Err(e)) => return Err(e),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn write_one(
    conn: &Connection,
    ctx: &Context,
    backups: &Backups,
    pool: &IdentityPool,
    credentials: &AwsCredentials,
    claims: &IdClaims,
    force: bool,
    state: &mut State,
    obs: &dyn Observer,
) -> Result<(ProfileRecord, Vec<profiles::Warning>), Error> {
    // Checked again under the lock: the user may have added the profile meanwhile.
    if !state.profiles.contains_key(&pool.profile) {
        if let Some(path) = profiles::profile_exists(&ctx.files, &pool.profile)? {
            if !force {
                return Err(Error::ProfileNotOwned {
                    profile: pool.profile.clone(),
                    path,
                });
            }
            if let Some(backup) = profiles::back_up_sections(&ctx.files, backups, &pool.profile)? {
                obs.event(Event::TookOver {
                    profile: pool.profile.clone(),
                    backup,
                });
            }
        }
    }
    let warnings = profiles::write_profile(
        &ctx.files,
        backups,
        &ProfileWrite {
            name: &pool.profile,
            credentials,
            region: &pool.profile_region,
        },
    )?;

    let role_arn = claims.preferred_role.clone();
    let (account_id, role_name) = match role_arn.as_deref().and_then(split_role_arn) {
        Some((a, r)) => (Some(a), Some(r)),
        None => (None, None),
    };
    let record = ProfileRecord {
        connection: conn.name.clone(),
        identity_pool_id: pool.id.clone(),
        role_arn,
        account_id,
        role_name,
        user: claims.display_name().to_string(),
        expires_at: rfc3339(credentials.expiration),
        credentials_file: ctx.files.credentials.clone(),
        config_file: ctx.files.config.clone(),
        updated_at: rfc3339(OffsetDateTime::now_utc()),
    };
    state.profiles.insert(pool.profile.clone(), record.clone());
    Ok((record, warnings))
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}
