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
use crate::identity::{split_role_arn, IdentityClient, Logins};
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
    check_ownership(conn, ctx, &State::load(&ctx.state_path)?)?;

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
    fetch_all(conn, ctx, &tokens, &claims, obs).await
}

/// New credentials for every profile of the connection from the stored refresh token, with
/// no browser.
pub async fn refresh(
    conn: &Connection,
    ctx: &Context,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    let account = conn.keychain_account();
    let refresh_token = secrets::load_refresh_token(&account)
        .await?
        .ok_or_else(|| Error::NotSignedIn {
            connection: conn.name.clone(),
        })?;
    check_ownership(conn, ctx, &State::load(&ctx.state_path)?)?;
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
    fetch_all(conn, ctx, &tokens, &claims, obs).await
}

/// The profiles PoolPass wrote, by name.
pub fn list(ctx: &Context) -> Result<Vec<(String, ProfileRecord)>, Error> {
    Ok(State::load(&ctx.state_path)?.profiles.into_iter().collect())
}

fn check_ownership(conn: &Connection, ctx: &Context, state: &State) -> Result<(), Error> {
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

async fn fetch_all(
    conn: &Connection,
    ctx: &Context,
    tokens: &Tokens,
    claims: &IdClaims,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    let mut state = State::load(&ctx.state_path)?;
    let mut results = Vec::new();
    for pool in &conn.identity_pools {
        obs.event(Event::Fetching {
            profile: pool.profile.clone(),
            identity_pool: pool.id.clone(),
        });
        let r = fetch_one(conn, ctx, pool, &tokens.id_token, claims, &mut state).await;
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
    // Another PoolPass process may have saved since we loaded: merge into the newest copy.
    let mut newest = State::load(&ctx.state_path)?;
    for (name, r) in &results {
        if let Ok(record) = r {
            newest.profiles.insert(name.clone(), record.clone());
        }
    }
    for pool in &conn.identity_pools {
        let key = state::identity_key(&pool.id, &claims.sub);
        match state.identities.get(&key) {
            Some(id) => newest.identities.insert(key, id.clone()),
            None => newest.identities.remove(&key),
        };
    }
    newest.save(&ctx.state_path)?;
    Ok(Outcome {
        user: claims.display_name().to_string(),
        profiles: results,
    })
}

async fn fetch_one(
    conn: &Connection,
    ctx: &Context,
    pool: &IdentityPool,
    id_token: &Secret<String>,
    claims: &IdClaims,
    state: &mut State,
) -> Result<ProfileRecord, Error> {
    let client = IdentityClient::new(conn, pool);
    let logins = Logins::new(conn, id_token.clone());
    let key = state::identity_key(&pool.id, &claims.sub);
    let credentials = loop {
        let cached = state.identities.get(&key).cloned();
        let identity_id = match &cached {
            Some(id) => id.clone(),
            None => client.get_id(&logins).await?,
        };
        match client.get_credentials(&identity_id, &logins, None).await {
            Ok(c) => {
                state.identities.insert(key.clone(), identity_id);
                break c;
            }
            // A cached identity that AWS no longer knows (or no longer lets us use): forget
            // it and ask for the current one, once.
            Err(Ok(_stale)) if cached.is_some() => {
                state.identities.remove(&key);
            }
            Err(Ok(se)) => return Err(client.error_from(se)),
            Err(Err(e)) => return Err(e),
        }
    };

    let owned = state.profiles.contains_key(&pool.profile);
    if !owned {
        if let Some(path) = profiles::profile_exists(&ctx.files, &pool.profile)? {
            return Err(Error::ProfileNotOwned {
                profile: pool.profile.clone(),
                path,
            });
        }
    }
    profiles::write_profile(
        &ctx.files,
        &ProfileWrite {
            name: &pool.profile,
            credentials: &credentials,
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
    Ok(record)
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}
