//! The configuration an administrator hands to staff: which Cognito user pool and app client
//! to sign in with, which identity pools to turn the sign-in into AWS credentials, and which
//! AWS profile each set of credentials goes to.
//!
//! The file is parsed in two steps: `raw` mirrors the TOML with source spans, then
//! [`Config::parse`] validates it into the types the rest of PoolPass uses. Every complaint
//! names the file, the line and the field, so an administrator can fix a file without guessing.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use crate::aws::{safe_profile_name, PROFILE_NAME_CHARS};
use crate::error::ConfigError;

/// Where the config file is looked for when neither `--config` nor `POOLPASS_CONFIG` is given.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("poolpass").join("config.toml"))
}

/// `POOLPASS_CONFIG` when set, else [`default_path`]: where the CLI (without `--config`) and
/// the app look.
pub fn path_from_env() -> Option<PathBuf> {
    std::env::var_os("POOLPASS_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(default_path)
}

#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub connections: Vec<Connection>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub name: String,
    /// The file this connection came from (`credential_process` lines name it).
    pub config_path: PathBuf,
    pub user_pool_id: String,
    /// Taken from the user pool id (`us-west-2_AbC123`).
    pub user_pool_region: String,
    pub client_id: String,
    /// The hosted UI's base URL: `endpoints.hosted_ui` when set, else `domain`.
    pub hosted_ui: Url,
    pub providers: Vec<Provider>,
    pub redirect_ports: Vec<u16>,
    pub redirect_path: String,
    pub scopes: Vec<String>,
    pub sign_in_timeout: Duration,
    pub identity_pools: Vec<IdentityPool>,
    pub endpoints: Endpoints,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPool {
    pub id: String,
    /// Taken from the pool id (`ap-northeast-1:…`); every call for this pool goes there.
    pub pool_region: String,
    /// What `{pool}` stands for in profile names: `name`, else the id's first UUID group.
    pub name: String,
    pub profile: ProfileTemplate,
    /// The `region` written to the profile in the AWS config file.
    pub profile_region: String,
    pub roles: RoleChoice,
    pub flow: Flow,
    pub mode: Mode,
}

/// How AWS tools get the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Keys written to the credentials file.
    Static,
    /// The config file's profile runs `poolpass credential-process`, which answers from a
    /// keychain cache and refreshes when it runs low: no keys on disk, sessions that last.
    CredentialProcess,
}

/// Which of the user's roles get a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleChoice {
    /// The role the identity pool picks (the token's `cognito:preferred_role`).
    Preferred,
    /// Every role in the token's `cognito:roles`, one profile each.
    All,
    /// These role ARNs, those the user has.
    Listed(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// GetId + GetCredentialsForIdentity: one-hour credentials.
    Enhanced,
    /// GetId + GetOpenIdToken + STS AssumeRoleWithWebIdentity: sessions up to the role's
    /// maximum (12 hours at most).
    Classic { duration_seconds: u32 },
}

/// A profile name, possibly with `{connection}`, `{pool}`, `{role_name}`, `{account_id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileTemplate(String);

const PLACEHOLDERS: [&str; 4] = ["{connection}", "{pool}", "{role_name}", "{account_id}"];

impl ProfileTemplate {
    pub fn uses_role(&self) -> bool {
        self.0.contains("{role_name}") || self.0.contains("{account_id}")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name with `{connection}` and `{pool}` filled in; role placeholders stay as they are.
    pub fn preview(&self, connection: &str, pool: &str) -> String {
        self.0
            .replace("{connection}", connection)
            .replace("{pool}", pool)
    }

    /// The name when nothing in it waits for the sign-in's roles.
    pub fn known_before_sign_in(&self, connection: &str, pool: &str) -> Option<String> {
        (!self.uses_role()).then(|| self.preview(connection, pool))
    }

    /// `None` when it needs a role and none is known.
    pub fn render(
        &self,
        connection: &str,
        pool: &str,
        role: Option<(&str, &str)>,
    ) -> Option<String> {
        let mut out = self
            .0
            .replace("{connection}", connection)
            .replace("{pool}", pool);
        if self.uses_role() {
            let (account_id, role_name) = role?;
            out = out
                .replace("{role_name}", role_name)
                .replace("{account_id}", account_id);
        }
        Some(out)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    pub issuer: Option<Url>,
    pub cognito_identity: Option<Url>,
    pub cognito_idp: Option<Url>,
    pub sts: Option<Url>,
}

/// The sign-in choices Cognito's `identity_provider` parameter understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provider {
    Google,
    Facebook,
    LoginWithAmazon,
    SignInWithApple,
    /// The user pool's own accounts.
    Cognito,
    /// A SAML or OIDC identity provider configured in the user pool, by its name there.
    Named(String),
}

impl Provider {
    pub fn parse(s: &str) -> Option<Provider> {
        Some(match s {
            "Google" => Provider::Google,
            "Facebook" => Provider::Facebook,
            "LoginWithAmazon" => Provider::LoginWithAmazon,
            "SignInWithApple" => Provider::SignInWithApple,
            "COGNITO" => Provider::Cognito,
            // Cognito's IdP names: 1-32 chars, no leading/trailing spaces, no control chars.
            other
                if !other.is_empty()
                    && other.len() <= 32
                    && other.trim() == other
                    && !other.chars().any(char::is_control) =>
            {
                Provider::Named(other.to_string())
            }
            _ => return None,
        })
    }

    /// The value of the `identity_provider` authorize parameter.
    pub fn as_param(&self) -> &str {
        match self {
            Provider::Google => "Google",
            Provider::Facebook => "Facebook",
            Provider::LoginWithAmazon => "LoginWithAmazon",
            Provider::SignInWithApple => "SignInWithApple",
            Provider::Cognito => "COGNITO",
            Provider::Named(n) => n,
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_param())
    }
}

pub const DEFAULT_REDIRECT_PORTS: [u16; 3] = [53682, 53683, 53684];
pub const DEFAULT_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Config::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: raw::File = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| line_col(text, s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line: at.map(|(l, _)| l),
                column: at.map(|(_, c)| c),
                field: None,
                message: e.message().to_string(),
            }
        })?;
        let v = Validator { path, text };
        if raw.connection.is_empty() {
            return Err(v.err(
                None,
                "connection",
                "the file has no [[connection]] table; add one (see the README for the format)",
            ));
        }
        let mut connections = Vec::new();
        for c in raw.connection {
            let conn = v.connection(c)?;
            if connections.iter().any(|o: &Connection| o.name == conn.name) {
                return Err(v.err(
                    None,
                    "name",
                    &format!(
                        "two connections are named {:?}; names must be unique",
                        conn.name
                    ),
                ));
            }
            connections.push(conn);
        }
        // Compared as filled in: `{pool}` makes one template yield different names per pool.
        let mut profiles: Vec<String> = Vec::new();
        for c in &connections {
            for p in &c.identity_pools {
                let name = p.profile.preview(&c.name, &p.name);
                if profiles.contains(&name) {
                    return Err(v.err(None, "profile", &format!("the profile {name:?} is written by two identity pools; give each its own profile name")));
                }
                profiles.push(name);
            }
        }
        Ok(Config {
            path: path.to_path_buf(),
            connections,
        })
    }

    /// The connection named, or the only one when no name is given.
    pub fn connection(&self, name: Option<&str>) -> Result<&Connection, crate::Error> {
        match name {
            Some(n) => self
                .connections
                .iter()
                .find(|c| c.name == n)
                .ok_or_else(|| crate::Error::UnknownConnection {
                    name: n.to_string(),
                    known: self.connections.iter().map(|c| c.name.clone()).collect(),
                }),
            None if self.connections.len() == 1 => Ok(&self.connections[0]),
            None => Err(crate::Error::ConnectionNeeded {
                known: self.connections.iter().map(|c| c.name.clone()).collect(),
            }),
        }
    }
}

impl Connection {
    /// The ID token's expected `iss`. Cognito's is fixed by region and pool id.
    pub fn issuer(&self) -> String {
        match &self.endpoints.issuer {
            Some(u) => u.as_str().trim_end_matches('/').to_string(),
            None => format!(
                "https://cognito-idp.{}.amazonaws.com/{}",
                self.user_pool_region, self.user_pool_id
            ),
        }
    }

    /// The key of the identity pool `Logins` map for this user pool. It names the real
    /// Cognito issuer even when a local issuer stands in, because identity pools list their
    /// providers by that name.
    pub fn logins_key(&self) -> String {
        format!(
            "cognito-idp.{}.amazonaws.com/{}",
            self.user_pool_region, self.user_pool_id
        )
    }

    /// Base URL of the hosted UI, without a trailing slash.
    pub fn hosted_ui_base(&self) -> String {
        self.hosted_ui.as_str().trim_end_matches('/').to_string()
    }

    /// Identifies this sign-in in the keychain: one refresh token per user pool app client.
    pub fn keychain_account(&self) -> String {
        format!("{}/{}/{}", self.name, self.user_pool_id, self.client_id)
    }
}

/// 1-based line and column (in characters) of a byte offset, for editors and the app.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

struct Validator<'a> {
    path: &'a Path,
    text: &'a str,
}

type S<T> = toml::Spanned<T>;

impl Validator<'_> {
    fn err(&self, span: Option<std::ops::Range<usize>>, field: &str, message: &str) -> ConfigError {
        let at = span.map(|s| line_col(self.text, s.start));
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: at.map(|(l, _)| l),
            column: at.map(|(_, c)| c),
            field: Some(field.to_string()),
            message: message.to_string(),
        }
    }

    fn at<T>(&self, v: &S<T>, field: &str, message: &str) -> ConfigError {
        self.err(Some(v.span()), field, message)
    }

    fn connection(&self, c: raw::Connection) -> Result<Connection, ConfigError> {
        let name = c.name.get_ref().trim().to_string();
        if name.is_empty() || name.chars().any(|ch| ch.is_control() || ch == '/') {
            return Err(self.at(
                &c.name,
                "name",
                "expected a short name without '/' or control characters, e.g. \"acme\"",
            ));
        }
        let user_pool_region = region_prefix(c.user_pool_id.get_ref(), '_').ok_or_else(|| {
            self.at(
                &c.user_pool_id,
                "user_pool_id",
                "expected a user pool id such as \"us-west-2_AbC123\" (region, underscore, id)",
            )
        })?;
        let client_id = c.client_id.get_ref().clone();
        if client_id.is_empty() || !client_id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(self.at(
                &c.client_id,
                "client_id",
                "expected the app client id: letters and digits only",
            ));
        }
        let domain = self.url(&c.domain, "domain")?;
        let endpoints = c.endpoints.unwrap_or_default();
        let hosted_ui = match &endpoints.hosted_ui {
            Some(u) => self.url(u, "endpoints.hosted_ui")?,
            None => domain,
        };
        let providers = match c.providers {
            None => vec![Provider::Cognito],
            Some(list) => {
                if list.get_ref().is_empty() {
                    return Err(self.at(&list, "providers", "expected at least one of \"Google\", \"Facebook\", \"LoginWithAmazon\", \"SignInWithApple\", \"COGNITO\" or an IdP name"));
                }
                let mut out = Vec::new();
                for p in list.get_ref() {
                    out.push(Provider::parse(p).ok_or_else(|| {
                        self.at(&list, "providers", &format!("{p:?} is not a provider name: expected \"Google\", \"Facebook\", \"LoginWithAmazon\", \"SignInWithApple\", \"COGNITO\" or the name of a SAML/OIDC IdP of the user pool (1-32 characters)"))
                    })?);
                }
                out
            }
        };
        let redirect_ports = match c.redirect_ports {
            None => DEFAULT_REDIRECT_PORTS.to_vec(),
            Some(p) => {
                if p.get_ref().is_empty() || p.get_ref().contains(&0) {
                    return Err(self.at(&p, "redirect_ports", "expected a list of fixed ports, e.g. [53682, 53683]; each must be registered as http://localhost:PORT/callback on the app client"));
                }
                p.into_inner()
            }
        };
        let redirect_path = match c.redirect_path {
            None => "/callback".to_string(),
            Some(p) => {
                let s = p.get_ref();
                if !s.starts_with('/') || s.contains(['?', '#', ' ']) {
                    return Err(self.at(
                        &p,
                        "redirect_path",
                        "expected a path such as \"/callback\"",
                    ));
                }
                s.clone()
            }
        };
        let scopes = match c.scopes {
            None => vec!["openid".into(), "email".into(), "profile".into()],
            Some(s) => {
                if !s.get_ref().iter().any(|x| x == "openid") {
                    return Err(self.at(&s, "scopes", "must include \"openid\": without it Cognito returns no ID token, and identity pools need the ID token"));
                }
                s.into_inner()
            }
        };
        let sign_in_timeout = match c.sign_in_timeout_seconds {
            None => DEFAULT_SIGN_IN_TIMEOUT,
            Some(t) if *t.get_ref() >= 5 && *t.get_ref() <= 3600 => {
                Duration::from_secs(*t.get_ref())
            }
            Some(t) => {
                return Err(self.at(
                    &t,
                    "sign_in_timeout_seconds",
                    "expected a number of seconds from 5 to 3600",
                ))
            }
        };
        if c.identity_pool.is_empty() {
            return Err(self.at(&c.name, "identity_pool", &format!("connection {name:?} has no [[connection.identity_pool]]: add one, or PoolPass has nothing to write")));
        }
        let mut identity_pools = Vec::new();
        for p in c.identity_pool {
            let pool_region = region_prefix(p.id.get_ref(), ':').ok_or_else(|| {
                self.at(&p.id, "identity_pool.id", "expected an identity pool id such as \"ap-northeast-1:00000000-0000-0000-0000-000000000000\"")
            })?;
            let pool_name = match &p.name {
                Some(n) if safe_profile_name(n.get_ref()) && n.get_ref().len() <= 64 => {
                    n.get_ref().clone()
                }
                Some(n) => {
                    return Err(self.at(
                        n,
                        "identity_pool.name",
                        &format!("expected a short name usable in a profile name: at most 64 of {PROFILE_NAME_CHARS}"),
                    ))
                }
                None => {
                    p.id.get_ref()
                        .split_once(':')
                        .map(|(_, u)| u.split('-').next().unwrap_or(u).to_string())
                        .unwrap_or_default()
                }
            };
            let profile = p.profile.get_ref().clone();
            let mut probe = profile.clone();
            for ph in PLACEHOLDERS {
                probe = probe.replace(ph, "x");
            }
            if probe.contains(['{', '}']) {
                return Err(self.at(&p.profile, "identity_pool.profile", "expected a profile name; the only placeholders are {connection}, {pool}, {role_name} and {account_id}"));
            }
            if !safe_profile_name(&probe) {
                return Err(self.at(
                    &p.profile,
                    "identity_pool.profile",
                    &format!("expected a profile name of {PROFILE_NAME_CHARS}"),
                ));
            }
            // A profile name reaches shells (credential_process) and every SDK's parser, so the
            // names that fill it in must be as safe as the name itself.
            if profile.contains("{connection}") && !safe_profile_name(&name) {
                return Err(self.at(&c.name, "name", &format!("this connection's name is used in profile names ({{connection}}), so it may only hold {PROFILE_NAME_CHARS}")));
            }
            let profile = ProfileTemplate(profile);
            let mut filled = profile.preview(&name, &pool_name);
            for ph in PLACEHOLDERS {
                filled = filled.replace(ph, "x");
            }
            if !safe_profile_name(&filled) {
                return Err(self.at(&p.profile, "identity_pool.profile", &format!("filled in, this profile name ({filled:?}) is not a profile name of {PROFILE_NAME_CHARS}")));
            }
            let roles = match &p.roles {
                None => RoleChoice::Preferred,
                Some(r) => match r.get_ref() {
                    toml::Value::String(s) if s == "preferred" => RoleChoice::Preferred,
                    toml::Value::String(s) if s == "all" => RoleChoice::All,
                    toml::Value::Array(items) => {
                        let mut arns = Vec::new();
                        for item in items {
                            match item.as_str() {
                                Some(a) if crate::aws::split_role_arn(a).is_some() => arns.push(a.to_string()),
                                _ => return Err(self.at(r, "identity_pool.roles", &format!("{item} is not an IAM role ARN such as \"arn:aws:iam::123456789012:role/Admins\""))),
                            }
                        }
                        if arns.is_empty() {
                            return Err(self.at(
                                r,
                                "identity_pool.roles",
                                "the list of roles is empty",
                            ));
                        }
                        RoleChoice::Listed(arns)
                    }
                    _ => {
                        return Err(self.at(
                            r,
                            "identity_pool.roles",
                            "expected \"preferred\", \"all\" or a list of role ARNs",
                        ))
                    }
                },
            };
            let several = match &roles {
                RoleChoice::Preferred => false,
                RoleChoice::All => true,
                RoleChoice::Listed(l) => l.len() > 1,
            };
            if several && !profile.as_str().contains("{role_name}") {
                return Err(self.at(&p.profile, "identity_pool.profile", "with several roles each needs its own profile: put {role_name} in the name, e.g. \"acme-{role_name}\""));
            }
            let flow = match (&p.flow, &p.duration_seconds) {
                (None, None) => Flow::Enhanced,
                (Some(f), None) if f.get_ref() == "enhanced" => Flow::Enhanced,
                (Some(f), d) if f.get_ref() == "classic" => {
                    let secs = d.as_ref().map(|d| *d.get_ref()).unwrap_or(3600);
                    if !(900..=43200).contains(&secs) {
                        let span = d.as_ref().map(|d| d.span()).unwrap_or_else(|| f.span());
                        return Err(self.err(Some(span), "identity_pool.duration_seconds", "expected 900 to 43200 seconds (15 minutes to 12 hours; the role's maximum session duration must allow it)"));
                    }
                    Flow::Classic { duration_seconds: secs }
                }
                (Some(f), _) if f.get_ref() != "enhanced" => {
                    return Err(self.at(f, "identity_pool.flow", "expected \"enhanced\" or \"classic\""))
                }
                (_, Some(d)) => {
                    return Err(self.at(d, "identity_pool.duration_seconds", "only the classic flow takes a duration (the enhanced flow always gives one hour): add flow = \"classic\""))
                }
                _ => Flow::Enhanced,
            };
            let mode = match &p.mode {
                None => Mode::Static,
                Some(m) if m.get_ref() == "static" => Mode::Static,
                Some(m) if m.get_ref() == "credential_process" => Mode::CredentialProcess,
                Some(m) => return Err(self.at(
                    m,
                    "identity_pool.mode",
                    "expected \"static\" (keys in the credentials file) or \"credential_process\"",
                )),
            };
            let profile_region = match p.region {
                Some(r) => {
                    if !looks_like_region(r.get_ref()) {
                        return Err(self.at(
                            &r,
                            "identity_pool.region",
                            "expected an AWS region such as \"eu-west-1\"",
                        ));
                    }
                    r.into_inner()
                }
                None => pool_region.clone(),
            };
            identity_pools.push(IdentityPool {
                id: p.id.into_inner(),
                pool_region,
                name: pool_name,
                profile,
                profile_region,
                roles,
                flow,
                mode,
            });
        }
        let opt_url = |u: &Option<S<String>>, f: &str| -> Result<Option<Url>, ConfigError> {
            u.as_ref().map(|u| self.url(u, f)).transpose()
        };
        Ok(Connection {
            name,
            config_path: self.path.to_path_buf(),
            user_pool_id: c.user_pool_id.into_inner(),
            user_pool_region,
            client_id,
            hosted_ui,
            providers,
            redirect_ports,
            redirect_path,
            scopes,
            sign_in_timeout,
            identity_pools,
            endpoints: Endpoints {
                issuer: opt_url(&endpoints.issuer, "endpoints.issuer")?,
                cognito_identity: opt_url(
                    &endpoints.cognito_identity,
                    "endpoints.cognito_identity",
                )?,
                cognito_idp: opt_url(&endpoints.cognito_idp, "endpoints.cognito_idp")?,
                sts: opt_url(&endpoints.sts, "endpoints.sts")?,
            },
        })
    }

    fn url(&self, v: &S<String>, field: &str) -> Result<Url, ConfigError> {
        let u = Url::parse(v.get_ref())
            .map_err(|e| self.at(v, field, &format!("expected a URL such as \"https://acme.auth.us-west-2.amazoncognito.com\" ({e})")))?;
        let local = matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if u.scheme() != "https" && !(u.scheme() == "http" && local) {
            return Err(self.at(v, field, "expected an https:// URL (plain http is accepted only for 127.0.0.1/localhost test peers)"));
        }
        if u.query().is_some() || u.fragment().is_some() {
            return Err(self.at(v, field, "expected a base URL without '?' or '#'"));
        }
        Ok(u)
    }
}

/// `us-west-2_AbC` → `us-west-2`; `ap-northeast-1:uuid` → `ap-northeast-1`.
fn region_prefix(id: &str, sep: char) -> Option<String> {
    let (region, rest) = id.split_once(sep)?;
    if rest.is_empty() || !looks_like_region(region) || rest.contains(char::is_whitespace) {
        return None;
    }
    Some(region.to_string())
}

pub(crate) fn looks_like_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

mod raw {
    use serde::Deserialize;
    use toml::Spanned;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        #[serde(default)]
        pub connection: Vec<Connection>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Connection {
        pub name: Spanned<String>,
        pub user_pool_id: Spanned<String>,
        pub client_id: Spanned<String>,
        pub domain: Spanned<String>,
        pub providers: Option<Spanned<Vec<String>>>,
        pub redirect_ports: Option<Spanned<Vec<u16>>>,
        pub redirect_path: Option<Spanned<String>>,
        pub scopes: Option<Spanned<Vec<String>>>,
        pub sign_in_timeout_seconds: Option<Spanned<u64>>,
        #[serde(default)]
        pub identity_pool: Vec<IdentityPool>,
        pub endpoints: Option<Endpoints>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct IdentityPool {
        pub id: Spanned<String>,
        pub name: Option<Spanned<String>>,
        pub profile: Spanned<String>,
        pub region: Option<Spanned<String>>,
        pub roles: Option<Spanned<toml::Value>>,
        pub flow: Option<Spanned<String>>,
        pub duration_seconds: Option<Spanned<u32>>,
        pub mode: Option<Spanned<String>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    pub struct Endpoints {
        pub hosted_ui: Option<Spanned<String>>,
        pub issuer: Option<Spanned<String>>,
        pub cognito_identity: Option<Spanned<String>>,
        pub cognito_idp: Option<Spanned<String>>,
        pub sts: Option<Spanned<String>>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[connection]]
name = "acme"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"
providers = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "COGNITO"]
redirect_ports = [53682, 53683, 53684]
scopes = ["openid", "email", "profile"]

[[connection.identity_pool]]
id = "ap-northeast-1:00000000-0000-0000-0000-000000000000"
profile = "acme"
region = "ap-northeast-1"
"#;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/etc/x/config.toml"), text)
    }

    #[test]
    fn the_issue_example_parses() {
        let c = parse(GOOD).unwrap();
        let conn = &c.connections[0];
        assert_eq!(conn.user_pool_region, "us-west-2");
        assert_eq!(conn.identity_pools[0].pool_region, "ap-northeast-1");
        assert_eq!(
            conn.issuer(),
            "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbC123"
        );
        assert_eq!(
            conn.logins_key(),
            "cognito-idp.us-west-2.amazonaws.com/us-west-2_AbC123"
        );
        assert_eq!(conn.providers.len(), 5);
        assert_eq!(
            conn.hosted_ui_base(),
            "https://acme.auth.us-west-2.amazoncognito.com"
        );
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let bad = GOOD.replace("\"ap-northeast-1:00000000", "\"apnortheast:00000000");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.starts_with("/etc/x/config.toml:12:"), "{e}");
        assert!(e.contains("identity_pool.id"), "{e}");

        let bad = GOOD.replace("\"Facebook\",", "\"Face book \",");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.contains(":7:") && e.contains("providers"), "{e}");

        let bad = GOOD.replace("client_id", "clientid");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.contains("config.toml:") && e.contains("clientid"), "{e}");

        let bad = GOOD.replace("[\"openid\", ", "[");
        let e = parse(&bad).unwrap_err().to_string();
        assert!(e.contains(":9:") && e.contains("openid"), "{e}");
    }

    #[test]
    fn roles_flows_and_profile_templates() {
        let with = |extra: &str, profile: &str| {
            parse(&GOOD.replace(
                "profile = \"acme\"",
                &format!("profile = \"{profile}\"\n{extra}"),
            ))
        };
        let c = with("roles = \"all\"", "acme-{role_name}").unwrap();
        let p = &c.connections[0].identity_pools[0];
        assert_eq!(p.roles, RoleChoice::All);
        assert_eq!(p.name, "00000000");
        assert_eq!(
            p.profile
                .render("acme", &p.name, Some(("1", "Admins")))
                .as_deref(),
            Some("acme-Admins")
        );
        assert_eq!(p.profile.render("acme", &p.name, None), None);
        let e = with("roles = \"all\"", "acme").unwrap_err().to_string();
        assert!(e.contains("{role_name}"), "{e}");
        let c = with(
            "roles = [\"arn:aws:iam::1:role/A\"]\nflow = \"classic\"\nduration_seconds = 43200",
            "{connection}-{account_id}",
        )
        .unwrap();
        let p = &c.connections[0].identity_pools[0];
        assert_eq!(
            p.flow,
            Flow::Classic {
                duration_seconds: 43200
            }
        );
        assert_eq!(
            p.roles,
            RoleChoice::Listed(vec!["arn:aws:iam::1:role/A".into()])
        );
        for (extra, field) in [
            ("roles = \"some\"", "identity_pool.roles"),
            ("roles = [\"admins\"]", "identity_pool.roles"),
            (
                "flow = \"classic\"\nduration_seconds = 60",
                "identity_pool.duration_seconds",
            ),
            ("duration_seconds = 3600", "identity_pool.duration_seconds"),
            ("flow = \"basic\"", "identity_pool.flow"),
        ] {
            let e = with(extra, "acme").unwrap_err().to_string();
            assert!(e.contains(field), "{extra}: {e}");
        }
        assert!(with("", "acme-{role}")
            .unwrap_err()
            .to_string()
            .contains("placeholders"));
    }

    #[test]
    fn plain_http_only_for_loopback() {
        let bad = GOOD.replace("https://acme", "http://acme");
        assert!(parse(&bad).unwrap_err().to_string().contains("https://"));
        let ok = GOOD.replace(
            "https://acme.auth.us-west-2.amazoncognito.com",
            "http://127.0.0.1:9000",
        );
        parse(&ok).unwrap();
    }

    /// What a hostile configuration author would put in a name: each reaches a shell through
    /// `credential_process`, or makes an SDK refuse the whole file.
    const HOSTILE: [&str; 16] = [
        "acme$(touch$IFS$HOME/x)",
        "acme`id`",
        "a;b",
        "a|b",
        "a&b",
        "a'b",
        "a\"b",
        "a b",
        "a#b",
        "[x]",
        "a\\b",
        "a=b",
        "a\nb",
        "a/b",
        "a>b",
        "",
    ];

    #[test]
    fn profile_names_hold_only_what_every_sdk_and_no_shell_reads() {
        for bad in HOSTILE {
            assert!(!safe_profile_name(bad), "{bad:?}");
        }
        for good in ["acme-dev_1.admin@x", "a%b", "a:b", "a+b", "A9"] {
            assert!(safe_profile_name(good), "{good:?}");
        }
        assert!(safe_profile_name(&"a".repeat(128)));
        assert!(!safe_profile_name(&"a".repeat(129)));
    }

    #[test]
    fn hostile_names_are_refused_where_they_are_written() {
        for bad in HOSTILE
            .iter()
            .filter(|b| !b.is_empty() && !b.contains(['{', '}']))
        {
            // In the profile template itself.
            let toml_str = toml::Value::String(bad.to_string()).to_string();
            let text = GOOD.replace("profile = \"acme\"", &format!("profile = {toml_str}"));
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.contains("identity_pool.profile"), "{bad:?}: {e}");

            // In the connection's name, reaching the profile through {connection}.
            let text = GOOD
                .replace("name = \"acme\"", &format!("name = {toml_str}"))
                .replace("profile = \"acme\"", "profile = \"{connection}-dev\"");
            match parse(&text) {
                // Names with '/' or a line break are refused for every use.
                Err(e) => assert!(e.to_string().contains("`name`"), "{bad:?}: {e}"),
                Ok(_) => panic!("{bad:?} accepted as a connection name in a profile name"),
            }

            // In the pool's name, through {pool}.
            let text = GOOD.replace(
                "profile = \"acme\"",
                &format!("profile = \"acme-{{pool}}\"\nname = {toml_str}"),
            );
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.contains("identity_pool.name"), "{bad:?}: {e}");
        }
        // A connection name that no profile name uses may hold what people call things.
        parse(&GOOD.replace("name = \"acme\"", "name = \"Acme & Co\"")).unwrap();
    }

    #[test]
    fn profile_names_are_compared_as_filled_in() {
        let two = |a: &str, b: &str| {
            format!(
                "{GOOD}\n[[connection.identity_pool]]\nid = \"eu-west-1:11111111-0000-0000-0000-000000000000\"\nprofile = \"{b}\"\n"
            )
            .replace("profile = \"acme\"", &format!("profile = \"{a}\""))
        };
        // {pool} makes the names differ: 00000000 and 11111111.
        parse(&two("acme-{pool}", "acme-{pool}")).unwrap();
        let e = parse(&two("acme-{connection}", "acme-acme"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"acme-acme\"") && e.contains("two identity pools"),
            "{e}"
        );
        let t = &parse(&two("x-{pool}", "y")).unwrap().connections[0].identity_pools[0];
        assert_eq!(
            t.profile.known_before_sign_in("acme", &t.name).as_deref(),
            Some("x-00000000")
        );
    }
}
