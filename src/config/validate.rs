//! Validating the administrator's TOML: `raw` mirrors the file with source spans, and
//! [`Validator`] turns each `[[connection]]` into the types the rest of PoolPass uses, one
//! method per part, every complaint naming the file, the line and the field.

use std::path::Path;
use std::time::Duration;

use url::Url;

use super::{
    Connection, Endpoints, Flow, IdentityPool, Mode, ProfileTemplate, Provider, RoleChoice,
    DEFAULT_REDIRECT_PORTS, DEFAULT_SIGN_IN_TIMEOUT, PLACEHOLDERS,
};
use crate::aws::{safe_profile_name, PROFILE_NAME_CHARS};
use crate::error::{ConfigError, Rule};

/// 1-based line and column (in characters) of a byte offset, for editors and the app.
pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
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

pub(super) struct Validator<'a> {
    pub(super) path: &'a Path,
    pub(super) text: &'a str,
}

type S<T> = toml::Spanned<T>;

impl Validator<'_> {
    pub(super) fn err(
        &self,
        span: Option<std::ops::Range<usize>>,
        field: &str,
        rule: Rule,
        message: &str,
    ) -> ConfigError {
        let at = span.map(|s| line_col(self.text, s.start));
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: at.map(|(l, _)| l),
            column: at.map(|(_, c)| c),
            field: Some(field.to_string()),
            message: message.to_string(),
            rule: Some(Box::new(rule)),
        }
    }

    fn at<T>(&self, v: &S<T>, field: &str, rule: Rule, message: &str) -> ConfigError {
        self.err(Some(v.span()), field, rule, message)
    }

    pub(super) fn connection(&self, c: raw::Connection) -> Result<Connection, ConfigError> {
        let name = c.name.get_ref().trim().to_string();
        if name.is_empty() || name.chars().any(|ch| ch.is_control() || ch == '/') {
            return Err(self.at(
                &c.name,
                "name",
                Rule::new("connection_name", vec![]),
                "expected a short name without '/' or control characters, e.g. \"acme\"",
            ));
        }
        let user_pool_region = region_prefix(c.user_pool_id.get_ref(), '_').ok_or_else(|| {
            self.at(
                &c.user_pool_id,
                "user_pool_id",
                Rule::new("user_pool_id", vec![]),
                "expected a user pool id such as \"us-west-2_AbC123\" (region, underscore, id)",
            )
        })?;
        let client_id = c.client_id.get_ref().clone();
        if client_id.is_empty() || !client_id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(self.at(
                &c.client_id,
                "client_id",
                Rule::new("client_id", vec![]),
                "expected the app client id: letters and digits only",
            ));
        }
        let domain = self.url(&c.domain, "domain")?;
        let endpoints = c.endpoints.unwrap_or_default();
        let hosted_ui = match &endpoints.hosted_ui {
            Some(u) => self.url(u, "endpoints.hosted_ui")?,
            None => domain,
        };
        let providers = self.providers(c.providers)?;
        let redirect_ports = self.redirect_ports(c.redirect_ports)?;
        let redirect_path = self.redirect_path(c.redirect_path)?;
        let scopes = self.scopes(c.scopes)?;
        let sign_in_timeout = self.sign_in_timeout(c.sign_in_timeout_seconds)?;
        if c.identity_pool.is_empty() {
            return Err(self.at(&c.name, "identity_pool", Rule::new("no_identity_pool", vec![("name", name.to_string())]), &format!("connection {name:?} has no [[connection.identity_pool]]: add one, or PoolPass has nothing to write")));
        }
        let identity_pools = c
            .identity_pool
            .into_iter()
            .map(|p| self.identity_pool(&name, &c.name, p))
            .collect::<Result<Vec<_>, _>>()?;
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

    /// The sign-in buttons, in order; the pool's own accounts when none are named.
    fn providers(&self, list: Option<S<Vec<String>>>) -> Result<Vec<Provider>, ConfigError> {
        Ok(match list {
            None => vec![Provider::Cognito],
            Some(list) => {
                if list.get_ref().is_empty() {
                    return Err(self.at(&list, "providers", Rule::new("providers_empty", vec![]), "expected at least one of \"Google\", \"Facebook\", \"LoginWithAmazon\", \"SignInWithApple\", \"COGNITO\" or an IdP name"));
                }
                let mut out = Vec::new();
                for p in list.get_ref() {
                    out.push(Provider::parse(p).ok_or_else(|| {
                        self.at(&list, "providers", Rule::new("provider_unknown", vec![("provider", p.to_string())]), &format!("{p:?} is not a provider name: expected \"Google\", \"Facebook\", \"LoginWithAmazon\", \"SignInWithApple\", \"COGNITO\" or the name of a SAML/OIDC IdP of the user pool (1-32 characters)"))
                    })?);
                }
                out
            }
        })
    }

    fn redirect_ports(&self, ports: Option<S<Vec<u16>>>) -> Result<Vec<u16>, ConfigError> {
        Ok(match ports {
            None => DEFAULT_REDIRECT_PORTS.to_vec(),
            Some(p) => {
                if p.get_ref().is_empty() || p.get_ref().contains(&0) {
                    return Err(self.at(&p, "redirect_ports", Rule::new("redirect_ports", vec![]), "expected a list of fixed ports, e.g. [53682, 53683]; each must be registered as http://localhost:PORT/callback on the app client"));
                }
                p.into_inner()
            }
        })
    }

    fn redirect_path(&self, path: Option<S<String>>) -> Result<String, ConfigError> {
        Ok(match path {
            None => "/callback".to_string(),
            Some(p) => {
                let s = p.get_ref();
                if !s.starts_with('/') || s.contains(['?', '#', ' ']) {
                    return Err(self.at(
                        &p,
                        "redirect_path",
                        Rule::new("redirect_path", vec![]),
                        "expected a path such as \"/callback\"",
                    ));
                }
                s.clone()
            }
        })
    }

    fn scopes(&self, scopes: Option<S<Vec<String>>>) -> Result<Vec<String>, ConfigError> {
        Ok(match scopes {
            None => vec!["openid".into(), "email".into(), "profile".into()],
            Some(s) => {
                if !s.get_ref().iter().any(|x| x == "openid") {
                    return Err(self.at(&s, "scopes", Rule::new("scopes_openid", vec![]), "must include \"openid\": without it Cognito returns no ID token, and identity pools need the ID token"));
                }
                s.into_inner()
            }
        })
    }

    fn sign_in_timeout(&self, seconds: Option<S<u64>>) -> Result<Duration, ConfigError> {
        Ok(match seconds {
            None => DEFAULT_SIGN_IN_TIMEOUT,
            Some(t) if *t.get_ref() >= 5 && *t.get_ref() <= 3600 => {
                Duration::from_secs(*t.get_ref())
            }
            Some(t) => {
                return Err(self.at(
                    &t,
                    "sign_in_timeout_seconds",
                    Rule::new("sign_in_timeout", vec![]),
                    "expected a number of seconds from 5 to 3600",
                ))
            }
        })
    }

    /// One `[[connection.identity_pool]]`. `connection` is the connection's name, which can
    /// fill in its profile names; `name_at` is where it was written.
    fn identity_pool(
        &self,
        connection: &str,
        name_at: &S<String>,
        p: raw::IdentityPool,
    ) -> Result<IdentityPool, ConfigError> {
        let pool_region = region_prefix(p.id.get_ref(), ':').ok_or_else(|| {
            self.at(&p.id, "identity_pool.id", Rule::new("identity_pool_id", vec![]), "expected an identity pool id such as \"ap-northeast-1:00000000-0000-0000-0000-000000000000\"")
        })?;
        let pool_name = self.pool_name(&p.id, p.name.as_ref())?;
        let profile = self.profile_template(&p.profile, connection, name_at, &pool_name)?;
        let roles = self.roles(p.roles.as_ref())?;
        let several = match &roles {
            RoleChoice::Preferred => false,
            RoleChoice::All => true,
            RoleChoice::Listed(l) => l.len() > 1,
        };
        if several && !profile.as_str().contains("{role_name}") {
            return Err(self.at(&p.profile, "identity_pool.profile", Rule::new("profile_needs_role_name", vec![("role_name", "{role_name}".into())]), "with several roles each needs its own profile: put {role_name} in the name, e.g. \"acme-{role_name}\""));
        }
        let flow = self.flow(p.flow.as_ref(), p.duration_seconds.as_ref())?;
        let mode = self.mode(p.mode.as_ref())?;
        let profile_region = match p.region {
            Some(r) => {
                if !looks_like_region(r.get_ref()) {
                    return Err(self.at(
                        &r,
                        "identity_pool.region",
                        Rule::new("region", vec![]),
                        "expected an AWS region such as \"eu-west-1\"",
                    ));
                }
                r.into_inner()
            }
            None => pool_region.clone(),
        };
        Ok(IdentityPool {
            id: p.id.into_inner(),
            pool_region,
            name: pool_name,
            profile,
            profile_region,
            roles,
            flow,
            mode,
        })
    }

    /// The pool's short name for `{pool}`: as given, or the first block of the id's UUID.
    fn pool_name(&self, id: &S<String>, name: Option<&S<String>>) -> Result<String, ConfigError> {
        Ok(match name {
            Some(n) if safe_profile_name(n.get_ref()) && n.get_ref().len() <= 64 => {
                n.get_ref().clone()
            }
            Some(n) => {
                return Err(self.at(
                    n,
                    "identity_pool.name",
                    Rule::new("pool_name", vec![]), &format!("expected a short name usable in a profile name: at most 64 of {PROFILE_NAME_CHARS}"),
                ))
            }
            None => {
                id.get_ref()
                    .split_once(':')
                    .map(|(_, u)| u.split('-').next().unwrap_or(u).to_string())
                    .unwrap_or_default()
            }
        })
    }

    /// The pool's profile name template, checked filled in as far as the configuration allows:
    /// a profile name reaches shells (credential_process) and every SDK's parser.
    fn profile_template(
        &self,
        template: &S<String>,
        connection: &str,
        name_at: &S<String>,
        pool_name: &str,
    ) -> Result<ProfileTemplate, ConfigError> {
        let profile = template.get_ref().clone();
        let mut probe = profile.clone();
        for ph in PLACEHOLDERS {
            probe = probe.replace(ph, "x");
        }
        if probe.contains(['{', '}']) {
            return Err(self.at(template, "identity_pool.profile", Rule::new("profile_placeholders", vec![("connection", "{connection}".into()), ("pool", "{pool}".into()), ("role_name", "{role_name}".into()), ("account_id", "{account_id}".into())]), "expected a profile name; the only placeholders are {connection}, {pool}, {role_name} and {account_id}"));
        }
        if !safe_profile_name(&probe) {
            return Err(self.at(
                template,
                "identity_pool.profile",
                Rule::new("profile_chars", vec![]),
                &format!("expected a profile name of {PROFILE_NAME_CHARS}"),
            ));
        }
        // A profile name reaches shells (credential_process) and every SDK's parser, so the
        // names that fill it in must be as safe as the name itself.
        if profile.contains("{connection}") && !safe_profile_name(connection) {
            return Err(self.at(name_at, "name", Rule::new("connection_name_in_profile", vec![("connection", "{connection}".into())]), &format!("this connection's name is used in profile names ({{connection}}), so it may only hold {PROFILE_NAME_CHARS}")));
        }
        let profile = ProfileTemplate(profile);
        let mut filled = profile.preview(connection, pool_name);
        for ph in PLACEHOLDERS {
            filled = filled.replace(ph, "x");
        }
        if !safe_profile_name(&filled) {
            return Err(self.at(template, "identity_pool.profile", Rule::new("profile_filled", vec![("filled", filled.to_string())]), &format!("filled in, this profile name ({filled:?}) is not a profile name of {PROFILE_NAME_CHARS}")));
        }
        Ok(profile)
    }

    /// Which roles the pool's profiles are for: the token's preferred one, every role it
    /// lists, or the ARNs named.
    fn roles(&self, roles: Option<&S<toml::Value>>) -> Result<RoleChoice, ConfigError> {
        Ok(match roles {
            None => RoleChoice::Preferred,
            Some(r) => match r.get_ref() {
                toml::Value::String(s) if s == "preferred" => RoleChoice::Preferred,
                toml::Value::String(s) if s == "all" => RoleChoice::All,
                toml::Value::Array(items) => {
                    let mut arns = Vec::new();
                    for item in items {
                        match item.as_str() {
                            Some(a) if crate::aws::split_role_arn(a).is_some() => arns.push(a.to_string()),
                            _ => return Err(self.at(r, "identity_pool.roles", Rule::new("role_arn", vec![("item", item.to_string())]), &format!("{item} is not an IAM role ARN such as \"arn:aws:iam::123456789012:role/Admins\""))),
                        }
                    }
                    if arns.is_empty() {
                        return Err(self.at(
                            r,
                            "identity_pool.roles",
                            Rule::new("roles_empty", vec![]),
                            "the list of roles is empty",
                        ));
                    }
                    RoleChoice::Listed(arns)
                }
                _ => {
                    return Err(self.at(
                        r,
                        "identity_pool.roles",
                        Rule::new("roles_kind", vec![]),
                        "expected \"preferred\", \"all\" or a list of role ARNs",
                    ))
                }
            },
        })
    }

    fn flow(
        &self,
        flow: Option<&S<String>>,
        duration: Option<&S<u32>>,
    ) -> Result<Flow, ConfigError> {
        Ok(match (flow, duration) {
            (None, None) => Flow::Enhanced,
            (Some(f), None) if f.get_ref() == "enhanced" => Flow::Enhanced,
            (Some(f), d) if f.get_ref() == "classic" => {
                let secs = d.as_ref().map(|d| *d.get_ref()).unwrap_or(3600);
                if !(900..=43200).contains(&secs) {
                    let span = d.as_ref().map(|d| d.span()).unwrap_or_else(|| f.span());
                    return Err(self.err(Some(span), "identity_pool.duration_seconds", Rule::new("duration_range", vec![]), "expected 900 to 43200 seconds (15 minutes to 12 hours; the role's maximum session duration must allow it)"));
                }
                Flow::Classic { duration_seconds: secs }
            }
            (Some(f), _) if f.get_ref() != "enhanced" => {
                return Err(self.at(f, "identity_pool.flow", Rule::new("flow", vec![]), "expected \"enhanced\" or \"classic\""))
            }
            (_, Some(d)) => {
                return Err(self.at(d, "identity_pool.duration_seconds", Rule::new("duration_needs_classic", vec![]), "only the classic flow takes a duration (the enhanced flow always gives one hour): add flow = \"classic\""))
            }
            _ => Flow::Enhanced,
        })
    }

    fn mode(&self, mode: Option<&S<String>>) -> Result<Mode, ConfigError> {
        Ok(match mode {
            None => Mode::Static,
            Some(m) if m.get_ref() == "static" => Mode::Static,
            Some(m) if m.get_ref() == "credential_process" => Mode::CredentialProcess,
            Some(m) => {
                return Err(self.at(
                    m,
                    "identity_pool.mode",
                    Rule::new("mode", vec![]),
                    "expected \"static\" (keys in the credentials file) or \"credential_process\"",
                ))
            }
        })
    }

    fn url(&self, v: &S<String>, field: &str) -> Result<Url, ConfigError> {
        let u = Url::parse(v.get_ref())
            .map_err(|e| self.at(v, field, Rule::new("url", vec![("detail", e.to_string())]), &format!("expected a URL such as \"https://acme.auth.us-west-2.amazoncognito.com\" ({e})")))?;
        let local = matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if u.scheme() != "https" && !(u.scheme() == "http" && local) {
            return Err(self.at(v, field, Rule::new("url_https", vec![]), "expected an https:// URL (plain http is accepted only for 127.0.0.1/localhost test peers)"));
        }
        if u.query().is_some() || u.fragment().is_some() {
            return Err(self.at(
                v,
                field,
                Rule::new("url_base", vec![]),
                "expected a base URL without '?' or '#'",
            ));
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

pub(super) mod raw {
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
