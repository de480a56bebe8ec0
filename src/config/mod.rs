//! The configuration an administrator hands to staff: which Cognito user pool and app client
//! to sign in with, which identity pools to turn the sign-in into AWS credentials, and which
//! AWS profile each set of credentials goes to.
//!
//! The file is parsed in two steps (validate.rs): `raw` mirrors the TOML with source spans,
//! then [`Config::parse`] validates it into the types below. Every complaint names the file,
//! the line and the field, so an administrator can fix a file without guessing.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use crate::error::{ConfigError, Rule};

mod validate;

pub(crate) use validate::looks_like_region;
use validate::{line_col, raw, Validator};

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

/// How AWS tools get the credentials. Kept in the state file by these names (`static`,
/// `credential_process`, as in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Keys written to the credentials file.
    #[default]
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
                // The TOML parser's own words: no rule of ours to word them by.
                rule: None,
            }
        })?;
        let v = Validator { path, text };
        if raw.connection.is_empty() {
            return Err(v.err(
                None,
                "connection",
                Rule::new("no_connection", vec![]),
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
                    Rule::new(
                        "duplicate_connection",
                        vec![("name", conn.name.to_string())],
                    ),
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
                    return Err(v.err(None, "profile", Rule::new("duplicate_profile", vec![("profile", name.to_string())]), &format!("the profile {name:?} is written by two identity pools; give each its own profile name")));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::safe_profile_name;

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
