//! What one sign-in (or one refresh) yields, start to finish: the browser round trip, the
//! tokens, the credentials for every identity pool, the profiles written and the refresh token
//! kept; and the sign-out that undoes it (`sign_out.rs`). Front ends (CLI, desktop app) call
//! these functions and watch [`Event`]s.
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
use crate::aws::{split_role_arn, AwsCredentials};
use crate::config::{Config, Connection, Flow, IdentityPool, Mode, Provider, RoleChoice};
use crate::identity::{IdentityClient, Logins};
use crate::profiles::backup::Backups;
use crate::profiles::{self, AwsFiles, ProfileWrite};
use crate::secret::Secret;
use crate::state::{self, ProfileRecord, State};
use crate::sts::StsClient;
use crate::{browser, keychain, Error};
use futures_util::future::join_all;

mod sign_out;
pub use sign_out::{
    sign_out, BrowserSignOut, Revocation, SignOutOptions, SignOutOutcome, DEFAULT_SIGN_OUT_TIMEOUT,
    SIGNED_OUT_PATH,
};

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
    /// Another PoolPass process renewed this connection's sign-in while this one waited for
    /// its turn; its result is used, and the refresh token is not spent again.
    RefreshedElsewhere {
        connection: String,
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
        record: Box<ProfileRecord>,
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
    /// Sign-out: the saved refresh token was revoked at the hosted UI.
    Revoked,
    /// Sign-out: the hosted UI did not revoke the saved refresh token (`code` is
    /// `revoke_failed`); it is deleted from this computer anyway.
    RevokeFailed {
        code: &'static str,
        message: String,
    },
    /// Sign-out: a profile of the connection was removed from the AWS files.
    ProfileRemoved {
        profile: String,
    },
    /// Sign-out: the connection's saved sign-in is gone from this computer; nothing here can
    /// renew it any more. The hosted UI's session in the browser is ended next.
    SignedOut {
        connection: String,
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
    /// What to do when the user who signed in is not the one who last signed in to this
    /// connection (someone else may have answered the sign-in: the authorize link is visible
    /// to other local users). `Proceed` after the user confirmed; `Ask` asks through the
    /// callback (a terminal); `Refuse` ends with `Error::OtherUser` so the front end can ask
    /// and start again.
    pub other_user: OtherUser,
}

/// Asked `(previous, now)`; answers whether to go on.
pub type AskOtherUser = Box<dyn Fn(&str, &str) -> bool + Send + Sync>;

pub enum OtherUser {
    Refuse,
    Proceed,
    Ask(AskOtherUser),
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

    /// What the state file says the connection's last sign-in or refresh wrote.
    fn recorded(conn: &Connection, state: &State) -> Outcome {
        let profiles: Vec<(String, Result<ProfileRecord, Error>)> = state
            .profiles
            .iter()
            .filter(|(_, r)| r.connection == conn.name)
            .map(|(p, r)| (p.clone(), Ok(r.clone())))
            .collect();
        Outcome {
            user: profiles
                .iter()
                .find_map(|(_, r)| r.as_ref().ok().map(|r| crate::text::escaped(&r.user, 200)))
                .unwrap_or_default(),
            profiles,
        }
    }
}

/// How long a refresh waits for another process renewing the same connection (a sign-in in
/// the browser can hold it for its whole timeout; then this says who holds it).
pub const REFRESH_WAIT: Duration = Duration::from_secs(90);

/// How long `credential-process` waits for its turn: an AWS tool is waiting on it.
pub const PROCESS_WAIT: Duration = Duration::from_secs(15);

pub async fn sign_in(
    conn: &Connection,
    ctx: &Context,
    opts: SignInOptions,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    profiles::check_files(&ctx.files)?;
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
    check_before_sign_in(conn)?;
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
    let user = crate::text::escaped(claims.display_name(), 200);
    if let Some(previous) = State::load(&ctx.state_path)?.users.get(&conn.name) {
        if previous.sub != claims.sub {
            let previous = crate::text::escaped(&previous.name, 200);
            let go_on = match &opts.other_user {
                OtherUser::Proceed => true,
                OtherUser::Ask(ask) => ask(&previous, &user),
                OtherUser::Refuse => false,
            };
            if !go_on {
                return Err(Error::OtherUser {
                    connection: conn.name.clone(),
                    previous,
                    now: user,
                });
            }
        }
    }
    let via = claims
        .identities
        .first()
        .and_then(|i| i.provider_name.clone());
    // Claims are the identity provider's text: escaped before any front end shows them.
    obs.event(Event::SignedIn {
        user: user.clone(),
        via: via.map(|v| crate::text::escaped(&v, 64)),
    });

    // A refresh of the previous sign-in must not store its rotated token over this one.
    let _turn = state::RefreshLock::acquire(&ctx.state_path, &conn.name, REFRESH_WAIT).await?;
    match &tokens.refresh_token {
        Some(rt) => {
            if let Err(e) = keychain::store_refresh_token(&conn.keychain_account(), rt).await {
                obs.event(Event::KeychainUnavailable { reason: e.to_string() });
            }
            state::record_renewal(&ctx.state_path, &conn.name)?;
        }
        None => obs.event(Event::KeychainUnavailable {
            reason: "the hosted UI returned no refresh token (is the refresh-token flow allowed on the app client?)".into(),
        }),
    }
    let outcome = fetch_all(conn, ctx, &tokens, &claims, opts.force, obs).await?;
    let _lock = state::Lock::acquire(&ctx.state_path)?;
    let mut state = State::load(&ctx.state_path)?;
    state.users.insert(
        conn.name.clone(),
        state::KnownUser {
            sub: claims.sub.clone(),
            name: crate::text::escaped(claims.display_name(), 200),
        },
    );
    state.save(&ctx.state_path)?;
    Ok(outcome)
}

/// New credentials for every profile of the connection from the stored refresh token, with
/// no browser. When another process is renewing the same connection, this waits for it and
/// uses its result (`Event::RefreshedElsewhere`) instead of spending the token again.
/// `force`: take over profiles of the same name that PoolPass did not write.
pub async fn refresh(
    conn: &Connection,
    ctx: &Context,
    force: bool,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    profiles::check_files(&ctx.files)?;
    let seen = State::load(&ctx.state_path)?.renewal(&conn.name);
    check_before_sign_in(conn)?;
    let _turn = state::RefreshLock::acquire(&ctx.state_path, &conn.name, REFRESH_WAIT).await?;
    let state = State::load(&ctx.state_path)?;
    if state.renewal(&conn.name) != seen {
        obs.event(Event::RefreshedElsewhere {
            connection: conn.name.clone(),
        });
        return Ok(Outcome::recorded(conn, &state));
    }
    refresh_in_turn(conn, ctx, force, obs).await
}

/// The refresh itself; the caller holds the connection's turn ([`state::RefreshLock`]).
async fn refresh_in_turn(
    conn: &Connection,
    ctx: &Context,
    force: bool,
    obs: &dyn Observer,
) -> Result<Outcome, Error> {
    let account = conn.keychain_account();
    let refresh_token = keychain::load_refresh_token(&account)
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
        keychain::store_refresh_token(&account, rt).await?;
    }
    state::record_renewal(&ctx.state_path, &conn.name)?;
    let verifier = Verifier::new(conn.issuer(), conn.client_id.clone(), ctx.http.clone());
    let claims = verifier
        .verify(&tokens.id_token, NonceCheck::NotSent)
        .await?;
    obs.event(Event::RefreshedTokens {
        user: crate::text::escaped(claims.display_name(), 200),
    });
    fetch_all(conn, ctx, &tokens, &claims, force, obs).await
}

/// Credentials with less than this left are refreshed before they are handed out: long enough
/// for a command started now to finish.
pub const REFRESH_MARGIN: time::Duration = time::Duration::minutes(5);

/// Whether cached credentials can be handed out as they are.
fn fresh_at(c: &AwsCredentials, now: OffsetDateTime) -> bool {
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

/// The profiles PoolPass wrote, by name.
pub fn list(ctx: &Context) -> Result<Vec<(String, ProfileRecord)>, Error> {
    Ok(State::load(&ctx.state_path)?.profiles.into_iter().collect())
}

/// Removes a profile PoolPass wrote from both AWS files and from its records. A profile it
/// did not write is refused.
pub async fn remove(ctx: &Context, profile: &str) -> Result<(), Error> {
    let record = {
        let _lock = state::Lock::acquire(&ctx.state_path)?;
        let mut state = State::load(&ctx.state_path)?;
        let Some(record) = state.profiles.remove(profile) else {
            return Err(Error::NotPoolPassProfile {
                profile: profile.to_string(),
            });
        };
        profiles::remove_profile(&ctx.files, &ctx.backups(), profile)?;
        state.save(&ctx.state_path)?;
        record
    };
    if record.mode == "credential_process" {
        keychain::delete_cached_credentials(profile).await?;
    }
    Ok(())
}

/// Profiles with fixed names are checked before any browser opens; templated names are known
/// only after sign-in and are checked when written.
fn check_ownership(
    conn: &Connection,
    ctx: &Context,
    state: &State,
    force: bool,
) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    for name in conn
        .identity_pools
        .iter()
        .filter_map(|p| p.profile.known_before_sign_in(&conn.name, &p.name))
    {
        if state.profiles.contains_key(&name) {
            continue;
        }
        if let Some(path) = profiles::profile_exists(&ctx.files, &name)? {
            return Err(Error::ProfileNotOwned {
                profile: name,
                path,
            });
        }
    }
    Ok(())
}

/// What must hold before any browser opens or token is spent: the credential_process lines
/// the connection's profiles need can be written.
fn check_before_sign_in(conn: &Connection) -> Result<(), Error> {
    if conn
        .identity_pools
        .iter()
        .any(|p| p.mode == Mode::CredentialProcess)
    {
        profiles::check_process_paths(&cli_program()?, &conn.config_path)?;
    }
    Ok(())
}

/// The `poolpass` command line program, which `credential_process` lines run: this program
/// when it is the CLI, else the CLI installed beside the desktop app or the tray program.
/// `POOLPASS_CLI` names it where it lives elsewhere (packages that install it apart, tests
/// that run the core inside a test program).
pub fn cli_program() -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os("POOLPASS_CLI").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(|e| Error::ProfileFile {
        path: PathBuf::from("poolpass"),
        reason: format!("cannot tell where the poolpass program is ({e}), so no credential_process line can name it"),
    })?;
    let cli_name = format!("poolpass{}", std::env::consts::EXE_SUFFIX);
    if exe.file_name().is_some_and(|n| n == cli_name.as_str()) {
        return Ok(exe);
    }
    let beside = exe.with_file_name(&cli_name);
    if beside.is_file() {
        return Ok(beside);
    }
    Err(Error::ProfileFile {
        path: beside,
        reason: "the poolpass command line program, which credential_process profiles run, is not installed beside this program; reinstall PoolPass".into(),
    })
}

/// A pool's identity id, and whether it came from the cache (and so may be stale).
type IdentityLookup = Result<(String, bool), Error>;

/// One profile to produce: a pool, the role asked for, and the profile name.
struct Target<'a> {
    pool: &'a IdentityPool,
    /// `CustomRoleArn` (enhanced) or `RoleArn` (classic); `None` lets the pool choose.
    role_arn: Option<String>,
    /// The role the profile is expected to hold, for its name and the records.
    expected_role: Option<String>,
    profile: String,
}

/// Every profile the configuration asks for, given the roles the token grants. A role the
/// user lacks, or a name that cannot be made, becomes a failed row, not a failed sign-in.
fn targets<'a>(conn: &'a Connection, claims: &IdClaims) -> (Vec<Target<'a>>, Vec<(String, Error)>) {
    let mut out = Vec::new();
    let mut failed = Vec::new();
    for pool in &conn.identity_pools {
        let wanted: Vec<(Option<String>, Option<String>)> = match &pool.roles {
            RoleChoice::Preferred => match (&pool.flow, &claims.preferred_role) {
                // The classic flow must name the role to assume.
                (Flow::Classic { .. }, Some(r)) => vec![(Some(r.clone()), Some(r.clone()))],
                (Flow::Classic { .. }, None) => {
                    failed.push((pool.profile.as_str().to_string(), Error::NoRole { pool: pool.id.clone(), reason: "the classic flow needs a role, and your sign-in names no preferred role (you are in no group with a role). Ask your administrator.".into() }));
                    continue;
                }
                (Flow::Enhanced, r) => vec![(None, r.clone())],
            },
            RoleChoice::All => {
                if claims.roles.is_empty() {
                    failed.push((pool.profile.as_str().to_string(), Error::NoRole { pool: pool.id.clone(), reason: "your sign-in carries no roles (you are in no group with a role). Ask your administrator to add you to one.".into() }));
                    continue;
                }
                claims
                    .roles
                    .iter()
                    .map(|r| (Some(r.clone()), Some(r.clone())))
                    .collect()
            }
            RoleChoice::Listed(list) => list
                .iter()
                .filter_map(|r| {
                    if claims.roles.contains(r) {
                        Some((Some(r.clone()), Some(r.clone())))
                    } else {
                        let name = pool.profile.render(
                            &conn.name,
                            &pool.name,
                            split_role_arn(r)
                                .as_ref()
                                .map(|(a, n)| (a.as_str(), n.as_str())),
                        );
                        failed.push((
                            name.unwrap_or_else(|| pool.profile.as_str().to_string()),
                            Error::RoleNotGranted {
                                pool: pool.id.clone(),
                                role: r.clone(),
                            },
                        ));
                        None
                    }
                })
                .collect(),
        };
        for (role_arn, expected_role) in wanted {
            let split = expected_role.as_deref().and_then(split_role_arn);
            match pool.profile.render(&conn.name, &pool.name, split.as_ref().map(|(a, n)| (a.as_str(), n.as_str()))) {
                // Role names come from the token: IAM allows `+=,.@-_` and paths in them.
                Some(profile) if !crate::aws::safe_profile_name(&profile) => failed.push((
                    profile.clone(),
                    Error::ProfileNameUnsafe { profile, reason: "the role's name, which fills in {role_name}, holds characters that AWS tools or shells read differently".into() },
                )),
                Some(profile) if out.iter().any(|t: &Target| t.profile == profile) => failed.push((
                    profile.clone(),
                    Error::NoRole { pool: pool.id.clone(), reason: format!("two roles would both be written to the profile {profile:?}; put {{role_name}} in the profile name") },
                )),
                Some(profile) => out.push(Target { pool, role_arn, expected_role, profile }),
                None => failed.push((
                    pool.profile.as_str().to_string(),
                    Error::NoRole { pool: pool.id.clone(), reason: "the profile name needs a role name, and your sign-in names no preferred role: use roles = \"all\" or a list".into() },
                )),
            }
        }
    }
    (out, failed)
}

/// Gets credentials for every profile (network, concurrently, no lock held), then writes them
/// all and the records in one locked step.
async fn fetch_all(
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
                keychain::store_cached_credentials(&t.profile, &credentials).await?;
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
                &backups,
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
async fn fetch_one(
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
fn session_name(claims: &IdClaims) -> String {
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

/// Stages one profile's edit in the batch and returns its record (kept only if the batch is
/// written).
#[allow(clippy::too_many_arguments)]
fn stage_one(
    conn: &Connection,
    batch: &mut profiles::Batch<'_>,
    backups: &Backups,
    t: &Target<'_>,
    credentials: &AwsCredentials,
    claims: &IdClaims,
    caller_arn: String,
    force: bool,
    state: &State,
    obs: &dyn Observer,
) -> Result<ProfileRecord, Error> {
    // Checked again under the lock: the user may have added the profile meanwhile.
    if !state.profiles.contains_key(&t.profile) {
        if let Some(path) = batch.existing(&t.profile) {
            if !force {
                return Err(Error::ProfileNotOwned {
                    profile: t.profile.clone(),
                    path,
                });
            }
            if let Some(text) = batch.sections_text(&t.profile) {
                let backup =
                    backups
                        .save_section(&t.profile, &text)
                        .map_err(|e| Error::ProfileFile {
                            path: backups.dir().to_path_buf(),
                            reason: format!("cannot back up the existing profile first: {e}"),
                        })?;
                obs.event(Event::TookOver {
                    profile: t.profile.clone(),
                    backup,
                });
            }
        }
    }
    let mode = match t.pool.mode {
        Mode::Static => {
            batch.set_static(&ProfileWrite {
                name: &t.profile,
                credentials,
                region: &t.pool.profile_region,
            })?;
            "static"
        }
        Mode::CredentialProcess => {
            let exe = cli_program()?;
            let config = std::fs::canonicalize(&conn.config_path)
                .unwrap_or_else(|_| conn.config_path.clone());
            let command = profiles::process_command(&exe, &config, &t.profile)?;
            batch.set_process(&t.profile, &t.pool.profile_region, &command)?;
            "credential_process"
        }
    };

    // What AWS confirmed wins over what the token suggested.
    let confirmed = crate::sts::CallerIdentity {
        account: caller_arn.split(':').nth(4).unwrap_or_default().to_string(),
        arn: caller_arn.clone(),
    };
    let expected = t.expected_role.as_deref().and_then(split_role_arn);
    let account_id = Some(confirmed.account.clone())
        .filter(|a| !a.is_empty())
        .or(expected.as_ref().map(|(a, _)| a.clone()));
    let role_name = confirmed
        .role_name()
        .map(String::from)
        .or(expected.map(|(_, n)| n));
    Ok(ProfileRecord {
        connection: conn.name.clone(),
        identity_pool_id: t.pool.id.clone(),
        role_arn: t.expected_role.clone(),
        account_id,
        role_name,
        user: crate::text::escaped(claims.display_name(), 200),
        caller_arn: Some(caller_arn),
        mode: mode.into(),
        expires_at: rfc3339(credentials.expiration),
        credentials_file: batch.files().credentials.clone(),
        config_file: batch.files().config.clone(),
        updated_at: rfc3339(OffsetDateTime::now_utc()),
    })
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection(profile: &str) -> Connection {
        let text = format!(
            r#"
[[connection]]
name = "acme"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"

[[connection.identity_pool]]
id = "ap-northeast-1:00000000-0000-0000-0000-000000000000"
profile = "{profile}"
roles = "all"
"#
        );
        Config::parse(std::path::Path::new("/x/config.toml"), &text)
            .unwrap()
            .connections
            .remove(0)
    }

    fn claims(roles: &[&str]) -> IdClaims {
        serde_json::from_value(serde_json::json!({
            "sub": "s", "exp": 0, "cognito:roles": roles,
        }))
        .unwrap()
    }

    /// IAM allows `=` and `,` in role names; they come from the token, after every check of
    /// the configuration, so the name they make is checked there.
    #[test]
    fn role_names_that_make_unsafe_profile_names_are_failed_rows() {
        let conn = connection("acme-{role_name}");
        let (ok, failed) = targets(
            &conn,
            &claims(&[
                "arn:aws:iam::123456789012:role/Admins",
                "arn:aws:iam::123456789012:role/a=b,c",
            ]),
        );
        assert_eq!(
            ok.iter().map(|t| t.profile.as_str()).collect::<Vec<_>>(),
            ["acme-Admins"]
        );
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].0, "acme-a=b,c");
        assert_eq!(failed[0].1.code(), "profile_name_unsafe");
    }
}
