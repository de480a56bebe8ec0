//! Every failure a user can meet, each with a message that says what happened and what to do,
//! and a stable [`Error::code`] that front ends switch on (never on the message text).
//!
//! Messages never contain a token, a code or a key: variants hold only names, URLs, ids and
//! the words servers sent back.

use std::fmt;
use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Clone, Error)]
pub enum ConfigError {
    #[error("No PoolPass configuration at {}. Ask your administrator for the PoolPass configuration file and save it there, or point --config / POOLPASS_CONFIG at it.", path.display())]
    Missing { path: PathBuf },
    #[error("Cannot read the configuration {}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error("{}{}: {}{message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default(), field.as_ref().map(|f| format!("`{f}`: ")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        /// 1-based, in characters; not in the message (editors and the app use it).
        column: Option<usize>,
        field: Option<String>,
        message: String,
        /// The rule broken, for front ends that word it in the user's language; None for the
        /// TOML parser's own complaints.
        rule: Option<Box<Rule>>,
    },
    #[error("This is not a valid PoolPass import link: {reason}. Ask your administrator for a new link (made with `poolpass import --make-link FILE`), or for the configuration file itself.")]
    ImportLink { reason: String },
    #[error("The configuration {what} is larger than {limit} bytes, so PoolPass will not import it. A PoolPass configuration is a few kilobytes: check that this is the file your administrator meant.")]
    ImportTooLarge { what: String, limit: usize },
    #[error("The configuration {what} is not UTF-8 text{}, so PoolPass will not import it. Ask your administrator for the file again (saved as UTF-8).", line.map(|l| format!(" (line {l})")).unwrap_or_default())]
    ImportNotUtf8 { what: String, line: Option<usize> },
}

/// A rule of the configuration's format that a value breaks: a stable id (the shared
/// catalogue's `config_<id>`) and the names in it. A placeholder the rule itself talks about
/// (`{role_name}`) is a fact whose value is that placeholder, so it is shown as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub facts: Vec<(&'static str, String)>,
}

impl Rule {
    pub fn new(id: &'static str, facts: Vec<(&'static str, String)>) -> Rule {
        Rule { id, facts }
    }
}

/// Where in a configuration a problem is, for showing it next to the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    /// The key as the validator names it, relative to its table (`identity_pool.profile`,
    /// `endpoints.hosted_ui`); the line tells which connection or pool.
    pub field: Option<String>,
}

impl ConfigError {
    /// A stable identifier for front ends and scripts. Never change one once released.
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Missing { .. } => "config_missing",
            ConfigError::Unreadable { .. } | ConfigError::Invalid { .. } => "config_invalid",
            ConfigError::ImportLink { .. } => "import_link_invalid",
            ConfigError::ImportTooLarge { .. } => "import_too_large",
            ConfigError::ImportNotUtf8 { .. } => "import_not_utf8",
        }
    }

    /// Where the problem is, when it is in the configuration's text.
    pub fn location(&self) -> Option<Location> {
        match self {
            ConfigError::Invalid {
                line,
                column,
                field,
                ..
            } => Some(Location {
                line: *line,
                column: *column,
                field: field.clone(),
            }),
            ConfigError::ImportNotUtf8 { line, .. } => Some(Location {
                line: *line,
                column: None,
                field: None,
            }),
            _ => None,
        }
    }

    /// What is wrong, without the file, line and field that `location` gives: for a front end
    /// that shows it beside the line at fault.
    pub fn reason(&self) -> String {
        match self {
            ConfigError::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

#[derive(Debug, Clone, Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),

    #[error("There is no connection named {name:?} in the configuration. Connections: {}.", known.join(", "))]
    UnknownConnection { name: String, known: Vec<String> },

    #[error("The configuration has several connections ({}); choose one with --connection NAME.", known.join(", "))]
    ConnectionNeeded { known: Vec<String> },

    #[error("The provider {provider:?} is not offered by connection {connection:?}. It offers: {}.", offered.join(", "))]
    ProviderNotOffered {
        provider: String,
        connection: String,
        offered: Vec<String>,
    },

    #[error("Cannot listen for the sign-in reply: every redirect port is in use ({}). Close the program using them (often an earlier sign-in still waiting), or ask your administrator to register more ports.", ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", "))]
    NoFreePort { ports: Vec<u16> },

    #[error("The sign-in did not finish within {seconds} s. Nothing was changed. If the browser showed an error such as \"redirect_mismatch\", ask your administrator to register this redirect URL on the app client: {redirect_uri}. Otherwise sign in again.")]
    SignInTimedOut { seconds: u64, redirect_uri: String },

    #[error("The sign-in was cancelled. Nothing was changed.")]
    Cancelled,

    #[error("The sign-in reply did not belong to the sign-in PoolPass started (state mismatch), so it was refused. Nothing was changed. Start the sign-in again, and only use the link PoolPass opened.")]
    StateMismatch,

    #[error("The sign-in reply carried no authorization code. Nothing was changed. Start the sign-in again.")]
    MissingCode,

    #[error("The sign-in was refused by the identity provider: {error}{}. Nothing was changed. {}", description.as_ref().map(|d| format!(" ({d})")).unwrap_or_default(), authorization_advice(error))]
    AuthorizationRefused {
        error: String,
        description: Option<String>,
    },

    #[error("The hosted UI at {url} refused the {grant}: {error}{}. {}", description.as_ref().map(|d| format!(" ({d})")).unwrap_or_default(), token_advice(error, grant))]
    TokenRefused {
        url: String,
        grant: &'static str,
        error: String,
        description: Option<String>,
    },

    #[error("The ID token from {issuer} was refused: {reason}. Nothing was changed. Sign in again; if this keeps happening, the configuration's user pool, client or issuer does not match the hosted UI (tell your administrator).")]
    IdTokenRejected { issuer: String, reason: String },

    #[error("Cannot reach {what} at {url}: {reason}. Check the network connection (and VPN or proxy), then try again.")]
    Network {
        what: &'static str,
        url: String,
        reason: String,
    },

    #[error("{what} at {url} answered something PoolPass cannot read: {reason}.")]
    BadResponse {
        what: &'static str,
        url: String,
        reason: String,
    },

    #[error("Identity pool {pool}: you do not have the role {role} (it is not among your groups' roles in the sign-in). Ask your administrator to add you to a group with this role, or remove it from the configuration.")]
    RoleNotGranted { pool: String, role: String },

    #[error("Identity pool {pool}: {reason}")]
    NoRole { pool: String, reason: NoRoleReason },

    /// The identity pool or STS refused: `message` is AWS's own words (or, for an answer
    /// without a service error, what was wrong with it), `advice` what to do about it.
    #[error("Identity pool {pool}: {message} ({code}). {advice}")]
    IdentityPool {
        pool: String,
        code: String,
        message: String,
        advice: PoolAdvice,
    },

    #[error("The profile {profile:?} already exists in {} and PoolPass did not create it, so PoolPass leaves it alone. Rename or remove that profile, ask your administrator to choose another profile name, or let PoolPass take it over with --force (the old section is backed up first).", path.display())]
    ProfileNotOwned { profile: String, path: PathBuf },

    #[error("The profile name {profile:?} cannot be written: {reason}. Nothing was written for it. Ask your administrator to change the profile name in the configuration; a profile name may hold only {}.", crate::aws::PROFILE_NAME_CHARS)]
    ProfileNameUnsafe { profile: String, reason: String },

    #[error("PoolPass did not write the profile {profile:?}, so it will not remove it. Profiles PoolPass wrote: `poolpass list`.")]
    NotPoolPassProfile { profile: String },

    #[error("Cannot update the AWS file {}: {reason}. The file was left as it was.", path.display())]
    ProfileFile { path: PathBuf, reason: String },

    #[error("The OS keychain is not available ({reason}). PoolPass keeps the refresh token only there. On Linux, install and unlock a Secret Service (GNOME Keyring or KeePassXC) and sign in again.")]
    Keychain { reason: String },

    #[error("You signed in to {connection:?} as {now}, but this computer last signed in there as {previous}. Nothing was written. If you meant to switch users, confirm it (`poolpass login --other-user`); if you did not sign in as {now} yourself, someone else may have answered the sign-in: sign in again and tell your administrator.")]
    OtherUser {
        connection: String,
        previous: String,
        now: String,
    },

    #[error("The OS keychain is locked, and PoolPass does not ask to unlock it while an AWS tool waits for credentials. Unlock it (on Linux: your keyring app such as Passwords and Keys, or sign in to the desktop again), or run `poolpass refresh` in a terminal, then try again.")]
    KeychainLocked,

    #[error("Not signed in to connection {connection:?} (no refresh token in the OS keychain). Run `poolpass login --connection {connection}` first.")]
    NotSignedIn { connection: String },

    #[error("The saved sign-in for connection {connection:?} is no longer valid ({reason}). Your profiles were left as they were. Sign in again: `poolpass login --connection {connection}`.")]
    SignInAgain { connection: String, reason: String },

    #[error("{} has been busy with {what} for more than {waited_seconds} s, so PoolPass stopped waiting. Nothing was changed. Try again in a minute; if this keeps happening, quit that process (its id is shown) and try again.", holder.as_deref().map(|h| format!("PoolPass process {h}")).unwrap_or_else(|| "another PoolPass process".into()))]
    Busy {
        what: String,
        /// The holder's own note (pid, program, since when), when it left one.
        holder: Option<String>,
        waited_seconds: u64,
    },

    #[error("Cannot save PoolPass's own state in {}: {reason}.", path.display())]
    State { path: PathBuf, reason: String },

    #[error("Cannot open the browser ({reason}). Open this link yourself to sign in: {url}")]
    BrowserFailed { reason: String, url: String },

    #[error("Cannot save the imported configuration as {}: {reason}. Nothing was changed; fix this (permissions, disk space) and import again.", path.display())]
    ImportFailed { path: PathBuf, reason: String },

    #[error("PoolPass's settings in {path}: {reason}.")]
    Settings { path: PathBuf, reason: String },

    #[error("The hosted UI at {url} did not revoke the saved sign-in: {reason}. PoolPass deletes it from this computer anyway, so it cannot be used here again, but at the server it stays valid until it expires. If it may have been copied off this computer, ask your administrator to sign you out everywhere (Cognito global sign-out).")]
    RevokeFailed { url: String, reason: String },

    #[error("Cannot sign out of connection {connection:?}: the OS keychain, which holds its sign-in, is not available ({reason}). Unlock it (on Linux, start and unlock a Secret Service such as GNOME Keyring or KeePassXC), then run `poolpass logout --connection {connection}` again.")]
    SignOutKeychain { connection: String, reason: String },

    #[error("The sign-out of connection {connection:?} stopped part way. Done: {done}. Then this failed: {cause} Run `poolpass logout --connection {connection}` again to finish; repeating it is safe.")]
    SignOutIncomplete {
        connection: String,
        done: SignOutDone,
        cause: Box<Error>,
    },
}

/// What a sign-out that stopped part way had done already, so that it can be said in any
/// language (and a repeat is known to be safe).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOutDone {
    pub revoked: bool,
    pub deleted: bool,
    pub removed: Vec<String>,
}

impl SignOutDone {
    pub fn is_empty(&self) -> bool {
        !self.revoked && !self.deleted && self.removed.is_empty()
    }

    /// The parts done, by their ids (`revoked`, `deleted`, `removed`), in the order done.
    pub fn parts(&self) -> Vec<&'static str> {
        [
            (self.revoked, "revoked"),
            (self.deleted, "deleted"),
            (!self.removed.is_empty(), "removed"),
        ]
        .into_iter()
        .filter_map(|(done, id)| done.then_some(id))
        .collect()
    }
}

impl fmt::Display for SignOutDone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let said: Vec<String> = self
            .parts()
            .into_iter()
            .map(|p| match p {
                "revoked" => "the saved sign-in was revoked at the hosted UI".to_string(),
                "deleted" => "the saved sign-in was deleted from the keychain".to_string(),
                _ => format!("the profiles {} were removed", self.removed.join(", ")),
            })
            .collect();
        f.write_str(&said.join("; "))
    }
}

/// Why a pool gave no role to write, each said in the window by its [`NoRoleReason::id`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoRoleReason {
    #[error("the classic flow needs a role, and your sign-in names no preferred role (you are in no group with a role). Ask your administrator.")]
    ClassicNeedsPreferredRole,
    #[error("your sign-in carries no roles (you are in no group with a role). Ask your administrator to add you to one.")]
    NoRolesInSignIn,
    #[error("two roles would both be written to the profile {profile:?}; put {{role_name}} in the profile name")]
    TwoRolesOneProfile { profile: String },
    #[error("the profile name needs a role name, and your sign-in names no preferred role: use roles = \"all\" or a list")]
    ProfileNeedsRoleName,
    #[error("no identity was looked up for this pool (a PoolPass bug: please report it)")]
    NotLookedUp,
}

impl NoRoleReason {
    pub fn id(&self) -> &'static str {
        match self {
            NoRoleReason::ClassicNeedsPreferredRole => "classic_needs_preferred_role",
            NoRoleReason::NoRolesInSignIn => "no_roles_in_sign_in",
            NoRoleReason::TwoRolesOneProfile { .. } => "two_roles_one_profile",
            NoRoleReason::ProfileNeedsRoleName => "profile_needs_role_name",
            NoRoleReason::NotLookedUp => "not_looked_up",
        }
    }
}

/// What to do when the identity pool or STS refuses, read from AWS's error code (and, where
/// the code is too broad, its message); said in the window by its [`PoolAdvice::id`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PoolAdvice {
    #[error("This pool maps roles by rules or token, which the classic flow cannot use: remove flow = \"classic\" from this pool in the configuration (the enhanced flow gives one-hour credentials), or ask your administrator to remove the pool's role mappings.")]
    ClassicWithRoleMappings,
    #[error("The classic flow is switched off on this pool: ask your administrator to allow it (AllowClassicFlow), or remove flow = \"classic\" from the configuration.")]
    ClassicDisabled,
    #[error("The identity pool refused the sign-in. Refresh or sign in again; if it persists, the identity pool does not trust this user pool and app client (tell your administrator).")]
    Refused,
    #[error("The identity pool has no usable role for signed-in users, or cannot assume it (trust policy). This is for your administrator to fix: give them the pool id.")]
    NoUsableRole,
    #[error("The identity pool (or your identity in it) does not exist. Check the pool id and region in the configuration.")]
    NotFound,
    #[error("AWS is limiting requests right now. Wait a minute and try again.")]
    Throttled,
    #[error("This is usually passing: try again in a minute. If it persists, check the pool id and region in the configuration.")]
    ServiceFailed,
    #[error("The request did not fit the pool's settings (tell your administrator).")]
    BadRequest,
    #[error("The role {role} does not trust this identity pool, or not for your groups: tell your administrator.")]
    RoleNotTrusted { role: String },
    #[error("The session duration is longer than the role's maximum session duration: lower duration_seconds, or ask your administrator to raise the role's maximum.")]
    SessionTooLong,
    #[error("Sign in again.")]
    SignInAgain,
    #[error(
        "The answer could not be read; try again, and if it persists, tell your administrator."
    )]
    Unreadable,
    #[error("Try again; if it persists, tell your administrator.")]
    Other,
}

impl PoolAdvice {
    pub fn id(&self) -> &'static str {
        match self {
            PoolAdvice::ClassicWithRoleMappings => "classic_with_role_mappings",
            PoolAdvice::ClassicDisabled => "classic_disabled",
            PoolAdvice::Refused => "refused",
            PoolAdvice::NoUsableRole => "no_usable_role",
            PoolAdvice::NotFound => "not_found",
            PoolAdvice::Throttled => "throttled",
            PoolAdvice::ServiceFailed => "service_failed",
            PoolAdvice::BadRequest => "bad_request",
            PoolAdvice::RoleNotTrusted { .. } => "role_not_trusted",
            PoolAdvice::SessionTooLong => "session_too_long",
            PoolAdvice::SignInAgain => "sign_in_again",
            PoolAdvice::Unreadable => "unreadable",
            PoolAdvice::Other => "other",
        }
    }
}

/// The service a network failure names, as an id the window words (the message's English
/// name stays for the CLI).
fn service_id(what: &str) -> &'static str {
    match what {
        "the hosted UI's token endpoint" => "hosted_ui",
        "the identity pool service" => "identity_pool",
        "AWS STS" => "sts",
        "the user pool's key set (JWKS)" => "key_set",
        _ => "other",
    }
}

impl Error {
    /// The names and values in the message, for front ends that word it themselves (in the
    /// user's language) instead of showing the English message.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::ConnectionNeeded { known } => vec![("known", known.join(", "))],
            Error::Config(ConfigError::Missing { path }) => {
                vec![("path", path.display().to_string())]
            }
            Error::Config(ConfigError::Unreadable { path, reason }) => vec![
                ("path", path.display().to_string()),
                ("reason", reason.clone()),
            ],
            Error::Config(ConfigError::ImportLink { reason }) => vec![("reason", reason.clone())],
            Error::Config(ConfigError::ImportTooLarge { what, limit }) => {
                vec![("what", what.clone()), ("limit", limit.to_string())]
            }
            Error::Config(ConfigError::ImportNotUtf8 { what, line }) => vec![
                ("what", what.clone()),
                ("line", line.map(|l| l.to_string()).unwrap_or_default()),
                // Where, in English; front ends word it again from `line`.
                (
                    "where",
                    line.map(|l| format!(" (line {l})")).unwrap_or_default(),
                ),
            ],
            Error::Config(ConfigError::Invalid {
                path,
                line,
                field,
                message,
                rule,
                ..
            }) => {
                let at = match (line, field) {
                    (Some(l), Some(f)) => format!(" (line {l}, {f})"),
                    (Some(l), None) => format!(" (line {l})"),
                    _ => String::new(),
                };
                let mut f = vec![
                    ("path", path.display().to_string()),
                    ("line", line.map(|l| l.to_string()).unwrap_or_default()),
                    ("field", field.clone().unwrap_or_default()),
                    // Where, in English; front ends word it again from `line` and `field`.
                    ("where", at),
                    ("reason", message.clone()),
                ];
                if let Some(r) = rule {
                    f.push(("rule", r.id.into()));
                    f.extend(r.facts.iter().cloned());
                }
                f
            }
            Error::OtherUser {
                connection,
                previous,
                now,
            } => vec![
                ("connection", connection.clone()),
                ("previous", previous.clone()),
                ("now", now.clone()),
            ],
            Error::ProfileNotOwned { profile, path } => vec![
                ("profile", profile.clone()),
                ("path", path.display().to_string()),
            ],
            Error::NotPoolPassProfile { profile } => vec![("profile", profile.clone())],
            Error::SignInTimedOut {
                seconds,
                redirect_uri,
            } => vec![
                ("seconds", seconds.to_string()),
                ("redirect_uri", redirect_uri.clone()),
            ],
            Error::RoleNotGranted { pool, role } => {
                vec![("pool", pool.clone()), ("role", role.clone())]
            }
            Error::IdentityPool {
                pool,
                code,
                message,
                advice,
            } => {
                let mut f = vec![
                    ("pool", pool.clone()),
                    ("code", code.clone()),
                    ("detail", message.clone()),
                    ("advice", advice.id().into()),
                ];
                if let PoolAdvice::RoleNotTrusted { role } = advice {
                    f.push(("role", role.clone()));
                }
                f
            }
            Error::Keychain { reason } => vec![("reason", reason.clone())],
            Error::RevokeFailed { url, reason } => {
                vec![("url", url.clone()), ("reason", reason.clone())]
            }
            Error::NotSignedIn { connection } => vec![("connection", connection.clone())],
            Error::SignInAgain { connection, reason }
            | Error::SignOutKeychain { connection, reason } => vec![
                ("connection", connection.clone()),
                ("reason", reason.clone()),
            ],
            Error::SignOutIncomplete {
                connection,
                done,
                cause,
            } => {
                // The cause is an error of its own: its entry and facts travel with it (as
                // JSON in one fact), so a front end words it as it would on its own.
                let cause_facts: std::collections::BTreeMap<&str, String> =
                    cause.facts().into_iter().collect();
                vec![
                    ("connection", connection.clone()),
                    ("done", done.to_string()),
                    ("done_parts", done.parts().join(",")),
                    ("removed", done.removed.join(", ")),
                    ("cause", cause.to_string()),
                    ("cause_code", cause.code().into()),
                    ("cause_key", cause.message_key()),
                    (
                        "cause_facts",
                        serde_json::to_string(&cause_facts).unwrap_or_default(),
                    ),
                ]
            }
            Error::Network { what, url, reason } | Error::BadResponse { what, url, reason } => {
                vec![
                    ("service", service_id(what).into()),
                    ("url", url.clone()),
                    ("reason", reason.clone()),
                ]
            }
            Error::TokenRefused {
                url,
                grant,
                error,
                description,
            } => vec![
                ("url", url.clone()),
                (
                    "grant",
                    if grant.contains("refresh") {
                        "refresh"
                    } else {
                        "code"
                    }
                    .into(),
                ),
                ("error", error.clone()),
                ("description", description.clone().unwrap_or_default()),
            ],
            Error::AuthorizationRefused { error, description } => vec![
                ("error", error.clone()),
                ("description", description.clone().unwrap_or_default()),
            ],
            Error::Busy {
                what,
                holder,
                waited_seconds,
            } => vec![
                ("what", what.clone()),
                ("holder", holder.clone().unwrap_or_default()),
                ("seconds", waited_seconds.to_string()),
            ],
            Error::NoRole { pool, reason } => {
                let mut f = vec![("pool", pool.clone()), ("kind", reason.id().into())];
                if let NoRoleReason::TwoRolesOneProfile { profile } = reason {
                    f.push(("profile", profile.clone()));
                }
                f
            }
            Error::ProfileFile { path, reason }
            | Error::State { path, reason }
            | Error::ImportFailed { path, reason }
            | Error::Settings { path, reason } => vec![
                ("path", path.display().to_string()),
                ("reason", reason.clone()),
            ],
            Error::ProfileNameUnsafe { profile, reason } => {
                vec![("profile", profile.clone()), ("reason", reason.clone())]
            }
            Error::IdTokenRejected { issuer, reason } => {
                vec![("issuer", issuer.clone()), ("reason", reason.clone())]
            }
            Error::NoFreePort { ports } => vec![(
                "ports",
                ports
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
            Error::BrowserFailed { reason, url } => {
                vec![("reason", reason.clone()), ("url", url.clone())]
            }
            Error::UnknownConnection { name, known } => {
                vec![("name", name.clone()), ("known", known.join(", "))]
            }
            Error::ProviderNotOffered {
                provider,
                connection,
                offered,
            } => vec![
                ("provider", provider.clone()),
                ("connection", connection.clone()),
                ("offered", offered.join(", ")),
            ],
            _ => Vec::new(),
        }
    }

    /// The entry of the shared catalogue (i18n/messages.json) that words this error from its
    /// facts in the user's language: `error_<code>`, or for codes whose advice depends on a
    /// fact, the entry that fact chooses. A front end without that entry shows the message.
    pub fn message_key(&self) -> String {
        let chosen = match self {
            Error::TokenRefused { grant, error, .. } => match error.as_str() {
                "invalid_grant" if grant.contains("refresh") => "token_refused_sign_in_again",
                "invalid_grant" => "token_refused_code",
                "invalid_client" | "unauthorized_client" => "token_refused_client",
                _ => "token_refused",
            }
            .to_string(),
            Error::AuthorizationRefused { error, .. } if error == "access_denied" => {
                "authorization_denied".into()
            }
            Error::NoRole { reason, .. } => format!("no_role_{}", reason.id()),
            Error::IdentityPool { advice, .. } => format!("identity_pool_{}", advice.id()),
            Error::Config(ConfigError::Invalid { .. }) => "config_invalid".into(),
            Error::Config(ConfigError::Unreadable { .. }) => "config_unreadable".into(),
            other => other.code().into(),
        };
        format!("error_{chosen}")
    }

    /// A stable identifier for front ends and scripts. Never change one once released.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Config(e) => e.code(),
            Error::UnknownConnection { .. } => "unknown_connection",
            Error::ConnectionNeeded { .. } => "connection_needed",
            Error::ProviderNotOffered { .. } => "provider_not_offered",
            Error::NoFreePort { .. } => "no_free_port",
            Error::SignInTimedOut { .. } => "sign_in_timed_out",
            Error::Cancelled => "cancelled",
            Error::StateMismatch => "state_mismatch",
            Error::MissingCode => "missing_code",
            Error::AuthorizationRefused { .. } => "authorization_refused",
            Error::TokenRefused { .. } => "token_refused",
            Error::IdTokenRejected { .. } => "id_token_rejected",
            Error::Network { .. } => "network",
            Error::BadResponse { .. } => "bad_response",
            Error::IdentityPool { .. } => "identity_pool",
            Error::RoleNotGranted { .. } => "role_not_granted",
            Error::NoRole { .. } => "no_role",
            Error::ProfileNotOwned { .. } => "profile_not_owned",
            Error::NotPoolPassProfile { .. } => "not_poolpass_profile",
            Error::ProfileNameUnsafe { .. } => "profile_name_unsafe",
            Error::ProfileFile { .. } => "profile_file",
            Error::Keychain { .. } => "keychain",
            Error::KeychainLocked => "keychain_locked",
            Error::OtherUser { .. } => "other_user",
            Error::NotSignedIn { .. } => "not_signed_in",
            Error::SignInAgain { .. } => "sign_in_again",
            Error::State { .. } => "state",
            Error::Busy { .. } => "busy",
            Error::BrowserFailed { .. } => "browser_failed",
            Error::ImportFailed { .. } => "import_failed",
            Error::Settings { .. } => "settings",
            Error::RevokeFailed { .. } => "revoke_failed",
            Error::SignOutKeychain { .. } => "sign_out_keychain",
            Error::SignOutIncomplete { .. } => "sign_out_incomplete",
        }
    }
}

fn authorization_advice(error: &str) -> &'static str {
    match error {
        "access_denied" => "Sign in again and accept the request, or ask your administrator for access.",
        "invalid_scope" | "unauthorized_client" | "invalid_request" => {
            "The app client's settings do not match the PoolPass configuration: tell your administrator."
        }
        _ => "Try again in a moment; if it persists, tell your administrator.",
    }
}

fn token_advice(error: &str, grant: &str) -> &'static str {
    match (error, grant) {
        ("invalid_grant", "refresh token") => "Sign in again.",
        ("invalid_grant", _) => {
            "The sign-in code was used or expired (codes live 5 minutes). Sign in again."
        }
        ("invalid_client" | "unauthorized_client", _) => {
            "The app client id or its allowed flows do not match: tell your administrator."
        }
        _ => "Try again; if it persists, tell your administrator.",
    }
}
