//! What one sign-in (or one refresh) yields, start to finish: the browser round trip, the
//! tokens, the credentials for every identity pool, the profiles written and the refresh token
//! kept; and the sign-out that undoes it (`sign_out.rs`). Front ends (CLI, desktop app) call
//! these functions and watch [`Event`]s.
//!
//! Order matters for "nothing lost": the ID token is fully verified before any AWS call, and
//! files are written only after credentials for that profile are in hand.

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::hosted_ui::HostedUi;
use crate::auth::id_token::{NonceCheck, Verifier};
use crate::auth::loopback::Listener;
use crate::clock::Clock;
use crate::config::{Connection, IdentityPool, Provider};
use crate::identity::IdentityClient;
use crate::keychain::Keychain;
use crate::net::AwsHttp;
use crate::profiles::backup::Backups;
use crate::profiles::{self, AwsFiles};
use crate::state::{self, ProfileRecord, State};
use crate::sts::StsClient;
use crate::{browser, Error};

mod credentials;
mod fetch;
mod sign_out;
mod targets;
mod write;

pub use credentials::{current_credentials, REFRESH_MARGIN};
use fetch::fetch_all;
pub use sign_out::{
    sign_out, BrowserSignOut, Revocation, SignOutOptions, SignOutOutcome, DEFAULT_SIGN_OUT_TIMEOUT,
    SIGNED_OUT_PATH,
};
use write::{check_before_sign_in, check_ownership};
pub use write::{cli_program, list, remove};

/// Where PoolPass reads and writes, and how it talks HTTP. Tests point these at sandboxes.
#[derive(Debug, Clone)]
pub struct Context {
    pub files: AwsFiles,
    pub state_path: PathBuf,
    pub http: reqwest::Client,
    /// Where refresh tokens and cached credentials are kept.
    pub keychain: Keychain,
    /// What "now" is for freshness and records.
    pub clock: Clock,
    /// How Cognito Identity and STS are reached (the SDK's clients are built from it).
    pub aws: AwsHttp,
}

impl Context {
    /// Cognito Identity for this pool, through the context's AWS HTTP client.
    pub fn identity(&self, conn: &Connection, pool: &IdentityPool) -> IdentityClient {
        IdentityClient::new(&self.aws, conn, pool)
    }

    /// STS in this pool's region, through the context's AWS HTTP client.
    pub fn sts(&self, conn: &Connection, pool: &IdentityPool) -> StsClient {
        StsClient::new(&self.aws, conn, pool)
    }

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
    /// Worded by its Display (CLI) or its `id` and `facts` (the window's language).
    Warning {
        warning: profiles::Warning,
    },
    ProfileFailed {
        profile: String,
        error: Box<Error>,
    },
    /// Sign-out: the saved refresh token was revoked at the hosted UI.
    Revoked,
    /// Sign-out: the hosted UI did not revoke the saved refresh token (`code` is
    /// `revoke_failed`); it is deleted from this computer anyway.
    RevokeFailed {
        error: Box<Error>,
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

/// Opens `url` in the browser, or (asked to, or when that fails) hands it to the user to open.
/// The reason is the browser's own: the link is in the event already.
fn offer_link(mode: BrowserMode, url: String, obs: &dyn Observer) {
    match mode {
        BrowserMode::LinkOnly => obs.event(Event::OpenLinkYourself { url, reason: None }),
        BrowserMode::Open => match browser::open(&url) {
            Ok(()) => obs.event(Event::BrowserOpened { url }),
            Err(e) => obs.event(Event::OpenLinkYourself {
                url,
                reason: Some(match e {
                    Error::BrowserFailed { reason, .. } => reason,
                    other => other.to_string(),
                }),
            }),
        },
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
    offer_link(opts.browser, attempt.url.to_string(), obs);
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
            if let Err(e) = ctx.keychain.store_refresh_token(&conn.keychain_account(), rt).await {
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
    let refresh_token = ctx
        .keychain
        .load_refresh_token(&account)
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
        ctx.keychain.store_refresh_token(&account, rt).await?;
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
