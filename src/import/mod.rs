//! Importing the configuration an administrator hands out: from a file, or from a
//! `poolpass://import?config=…` link that carries the whole file. Front ends read the source
//! ([`read`]), show the user a [`Preview`] (what the configuration signs in to, where its
//! traffic goes, what it replaces), and only after the user agrees call [`apply`].
//!
//! A link carries the configuration itself, never an address to fetch it from: a crafted
//! link must not make PoolPass contact a stranger's server (revealing that the user clicked,
//! their IP address, or fetching who knows what) before the user has seen anything.

use std::path::{Path, PathBuf};

use crate::config::{Config, Connection, Flow, Mode, RoleChoice};
use crate::profiles::{atomic, backup};
use crate::{ConfigError, Error};

pub mod excerpt;
mod hosts;
mod link;

pub use hosts::*;
pub use link::*;

/// Everything the user should see before agreeing to an import. Plain data: front ends copy
/// out what they show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub origin: Origin,
    /// Where [`apply`] would write (the file the CLI and the app read).
    pub dest: PathBuf,
    pub connections: Vec<ConnectionPreview>,
    /// Every address the configuration sends traffic to, in the order a sign-in uses them.
    pub endpoints: Vec<Endpoint>,
    /// What the user must check before applying, in plain words; empty when nothing stands
    /// out. Show these first.
    pub warnings: Vec<String>,
    pub existing: Existing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionPreview {
    pub name: String,
    /// The host of the hosted UI's base URL: where the user types a password.
    pub hosted_ui_domain: String,
    pub user_pool_id: String,
    pub user_pool_region: String,
    pub client_id: String,
    /// `identity_provider` names (`Google`, `COGNITO`, an IdP's name).
    pub providers: Vec<String>,
    pub redirect_ports: Vec<u16>,
    pub identity_pools: Vec<PoolPreview>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolPreview {
    pub id: String,
    pub region: String,
    pub name: String,
    /// The profile name that will be written, filled in as far as the configuration allows:
    /// `{role_name}` and `{account_id}` stay until the sign-in says which roles there are.
    pub profile: String,
    /// One profile per role the sign-in grants (the name holds `{role_name}`/`{account_id}`).
    pub per_role: bool,
    /// The `region` the profile gets in the AWS config file.
    pub profile_region: String,
    pub roles: RoleChoice,
    pub flow: Flow,
    pub mode: Mode,
}

/// What the import would do to the configuration already at the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    /// No file there: the import creates it.
    Nothing,
    /// A configuration PoolPass can read: it is backed up, then replaced.
    Replaces(Changes),
    /// A file PoolPass cannot read as a configuration: it is backed up (if it can be read at
    /// all), then replaced.
    ReplacesUnreadable { reason: String },
}

/// Connections by name, the imported configuration against the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    /// The file already holds exactly this text.
    pub same_text: bool,
}

/// Validates `text` (errors keep line and field: [`ConfigError::location`]) and describes
/// what importing it to `dest` would mean.
pub fn preview(text: &str, origin: Origin, dest: &Path) -> Result<Preview, ConfigError> {
    too_large(text, &origin.describe())?;
    let config = Config::parse(&origin.label(), text)?;
    let connections = config.connections.iter().map(connection_preview).collect();
    let mut endpoints: Vec<Endpoint> = Vec::new();
    for e in config.connections.iter().flat_map(endpoints_of) {
        if !endpoints.contains(&e) {
            endpoints.push(e);
        }
    }
    let mut warnings: Vec<String> = Vec::new();
    for w in endpoints.iter().filter_map(|e| e.warning.clone()) {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    Ok(Preview {
        origin,
        dest: dest.to_path_buf(),
        connections,
        endpoints,
        warnings,
        existing: existing(text, &config, dest),
    })
}

fn connection_preview(c: &Connection) -> ConnectionPreview {
    ConnectionPreview {
        name: c.name.clone(),
        hosted_ui_domain: c.hosted_ui.host_str().unwrap_or_default().to_string(),
        user_pool_id: c.user_pool_id.clone(),
        user_pool_region: c.user_pool_region.clone(),
        client_id: c.client_id.clone(),
        providers: c
            .providers
            .iter()
            .map(|p| p.as_param().to_string())
            .collect(),
        redirect_ports: c.redirect_ports.clone(),
        identity_pools: c
            .identity_pools
            .iter()
            .map(|p| PoolPreview {
                id: p.id.clone(),
                region: p.pool_region.clone(),
                name: p.name.clone(),
                profile: p.profile.preview(&c.name, &p.name),
                per_role: p.profile.uses_role(),
                profile_region: p.profile_region.clone(),
                roles: p.roles.clone(),
                flow: p.flow,
                mode: p.mode,
            })
            .collect(),
    }
}

fn existing(text: &str, new: &Config, dest: &Path) -> Existing {
    let old_text = match std::fs::read(dest) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Existing::Nothing,
        Err(e) => {
            return Existing::ReplacesUnreadable {
                reason: e.to_string(),
            }
        }
    };
    let same_text = old_text == text.as_bytes();
    let old = match String::from_utf8(old_text) {
        Ok(t) => Config::parse(dest, &t),
        Err(_) => {
            return Existing::ReplacesUnreadable {
                reason: "it is not UTF-8 text".into(),
            }
        }
    };
    let old = match old {
        Ok(c) => c,
        Err(e) => {
            return Existing::ReplacesUnreadable {
                reason: e.to_string(),
            }
        }
    };
    // The file a connection came from is not part of what it is.
    let bare = |c: &Connection| Connection {
        config_path: PathBuf::new(),
        ..c.clone()
    };
    let mut changes = Changes {
        same_text,
        ..Changes::default()
    };
    for c in &new.connections {
        match old.connections.iter().find(|o| o.name == c.name) {
            None => changes.added.push(c.name.clone()),
            Some(o) if bare(o) == bare(c) => changes.unchanged.push(c.name.clone()),
            Some(_) => changes.changed.push(c.name.clone()),
        }
    }
    for o in &old.connections {
        if !new.connections.iter().any(|c| c.name == o.name) {
            changes.removed.push(o.name.clone());
        }
    }
    Existing::Replaces(changes)
}

/// What [`apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub path: PathBuf,
    /// The previous configuration, when there was one with other content.
    pub backup: Option<PathBuf>,
}

/// What error messages call the text [`apply`] validates (it may come from anywhere).
const APPLIED_LABEL: &str = "imported configuration";

/// Writes `text` as the configuration at `dest`, after validating it again (an invalid file is
/// never written) and backing up what was there. The file is replaced atomically and left
/// 0600, in a 0700 folder when the folder is new.
pub fn apply(text: &str, dest: &Path) -> Result<Applied, Error> {
    too_large(text, "to import")?;
    Config::parse(Path::new(APPLIED_LABEL), text)?;
    let failed = |reason: String| Error::ImportFailed {
        path: dest.to_path_buf(),
        reason,
    };
    let backup = match atomic::read_optional(dest) {
        Ok(Some(old)) if old == text.as_bytes() => None,
        Ok(Some(old)) => Some(save_backup(dest, &old).map_err(|e| {
            failed(format!(
                "the current configuration could not be backed up first ({e})"
            ))
        })?),
        Ok(None) => None,
        Err(e) => {
            return Err(failed(format!(
                "the current configuration cannot be read to back it up ({e})"
            )))
        }
    };
    atomic::write_private(dest, text.as_bytes()).map_err(|e| failed(e.to_string()))?;
    Ok(Applied {
        path: dest.to_path_buf(),
        backup,
    })
}

/// `config.toml.<UTC timestamp>.bak` beside the file, where the user will look for it. Never
/// pruned: imports are rare, and the folder may be the user's own, so PoolPass deletes
/// nothing there.
fn save_backup(dest: &Path, old: &[u8]) -> std::io::Result<PathBuf> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    let path = dest.with_file_name(format!("{name}.{}.bak", backup::stamp()));
    atomic::write_private(&path, old)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    /// A valid configuration, for this module's tests and its children's.
    pub(super) const GOOD: &str = r#"[[connection]]
name = "acme"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"
providers = ["Google", "COGNITO"]

[[connection.identity_pool]]
id = "ap-northeast-1:00000000-0000-0000-0000-000000000000"
profile = "acme"
"#;

    #[test]
    fn preview_lists_connections_endpoints_and_flags() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("config.toml");
        let p = preview(GOOD, Origin::Link { name: None }, &dest).unwrap();
        assert_eq!(p.warnings, Vec::<String>::new());
        assert_eq!(p.existing, Existing::Nothing);
        let c = &p.connections[0];
        assert_eq!(c.hosted_ui_domain, "acme.auth.us-west-2.amazoncognito.com");
        assert_eq!(c.providers, ["Google", "COGNITO"]);
        assert_eq!(c.redirect_ports, config::DEFAULT_REDIRECT_PORTS);
        assert_eq!(c.identity_pools[0].region, "ap-northeast-1");
        assert_eq!(c.identity_pools[0].flow, Flow::Enhanced);
        let urls: Vec<(Service, &str, HostClass)> = p
            .endpoints
            .iter()
            .map(|e| (e.service, e.url.as_str(), e.class))
            .collect();
        assert_eq!(
            urls,
            [
                (
                    Service::HostedUi,
                    "https://acme.auth.us-west-2.amazoncognito.com",
                    HostClass::Aws
                ),
                (
                    Service::Issuer,
                    "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbC123",
                    HostClass::Aws
                ),
                (
                    Service::CognitoIdentity,
                    "https://cognito-identity.ap-northeast-1.amazonaws.com",
                    HostClass::Aws
                ),
                (
                    Service::Sts,
                    "https://sts.ap-northeast-1.amazonaws.com",
                    HostClass::Aws
                ),
            ]
        );

        let custom = GOOD.replace(
            "https://acme.auth.us-west-2.amazoncognito.com",
            "https://AUTH.Example.com/",
        ) + "[connection.endpoints]\nsts = \"https://sts.us-east-1.amazonaws.com.evil.net\"\ncognito_identity = \"http://127.0.0.1:9000\"\n";
        let p = preview(&custom, Origin::Link { name: None }, &dest).unwrap();
        assert_eq!(p.connections[0].hosted_ui_domain, "auth.example.com");
        assert_eq!(p.warnings.len(), 2, "{:#?}", p.warnings);
        assert!(p.warnings[0]
            .starts_with("Sign-in would go to auth.example.com, which is not an AWS domain"));
        assert!(p.warnings[1].contains("sts.us-east-1.amazonaws.com.evil.net"));
        let local = p
            .endpoints
            .iter()
            .find(|e| e.service == Service::CognitoIdentity)
            .unwrap();
        assert_eq!((local.class, &local.warning), (HostClass::Loopback, &None));

        let s3 = GOOD.replace(
            "acme.auth.us-west-2.amazoncognito.com",
            "login-page.s3.amazonaws.com",
        );
        let p = preview(&s3, Origin::Link { name: None }, &dest).unwrap();
        assert_eq!(p.endpoints[0].class, HostClass::Aws);
        assert!(
            p.warnings[0].contains("not a Cognito sign-in domain"),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn plain_http_is_flagged_even_if_it_got_through() {
        let e = endpoint(
            "c",
            Service::HostedUi,
            "http://acme.auth.us-west-2.amazoncognito.com",
        );
        assert!(e.warning.unwrap().contains("plain http"));
        let e = endpoint("c", Service::HostedUi, "http://localhost:9000");
        assert_eq!(e.warning, None);
    }

    #[test]
    fn errors_carry_their_location() {
        let bad = GOOD.replace("profile = \"acme\"", "profile = \"ac me\"");
        let e = preview(
            &bad,
            Origin::File("/a/acme.toml".into()),
            Path::new("/nonexistent"),
        )
        .unwrap_err();
        assert_eq!(e.code(), "config_invalid");
        assert_eq!(
            e.location(),
            Some(crate::Location {
                line: Some(10),
                column: Some(11),
                field: Some("identity_pool.profile".into())
            })
        );
        assert!(
            e.to_string()
                .starts_with("/a/acme.toml:10: `identity_pool.profile`"),
            "{e}"
        );
        // TOML syntax errors have a place but no field.
        let e = preview(
            "[[connection]\n",
            Origin::Link { name: None },
            Path::new("/x"),
        )
        .unwrap_err();
        let at = e.location().unwrap();
        assert_eq!((at.line, at.field), (Some(1), None));
        assert!(at.column.is_some());
        assert!(e.to_string().starts_with("import link:1:"), "{e}");
    }

    #[test]
    fn preview_compares_with_the_current_configuration() {
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("config.toml");
        let second = "\n[[connection]]\nname = \"beta\"\nuser_pool_id = \"eu-west-1_X\"\nclient_id = \"abc\"\ndomain = \"https://b.auth.eu-west-1.amazoncognito.com\"\n[[connection.identity_pool]]\nid = \"eu-west-1:1\"\nprofile = \"beta\"\n";
        std::fs::write(&dest, format!("{GOOD}{second}")).unwrap();
        let gamma = second.replace("beta", "gamma");
        let new = format!("{}{gamma}", GOOD.replace("\"Google\", ", ""));
        let p = preview(&new, Origin::Link { name: None }, &dest).unwrap();
        assert_eq!(
            p.existing,
            Existing::Replaces(Changes {
                added: vec!["gamma".into()],
                removed: vec!["beta".into()],
                changed: vec!["acme".into()],
                unchanged: vec![],
                same_text: false,
            })
        );
        let p = preview(GOOD, Origin::File(dest.clone()), &dest).unwrap();
        match p.existing {
            Existing::Replaces(c) => {
                assert_eq!(c.unchanged, ["acme"]);
                assert!(!c.same_text);
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(&dest, "not toml [").unwrap();
        let p = preview(GOOD, Origin::Link { name: None }, &dest).unwrap();
        assert!(matches!(p.existing, Existing::ReplacesUnreadable { .. }));
    }

    #[cfg(unix)]
    #[test]
    fn apply_backs_up_and_writes_privately() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let dest = d.path().join("new").join("poolpass").join("config.toml");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

        let a = apply(GOOD, &dest).unwrap();
        assert_eq!((a.path.as_path(), a.backup), (dest.as_path(), None));
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), GOOD);
        assert_eq!(mode(&dest), 0o600);
        assert_eq!(mode(dest.parent().unwrap()), 0o700);
        Config::load(&dest).unwrap();

        std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o664)).unwrap();
        let next = GOOD.replace("profile = \"acme\"", "profile = \"acme2\"");
        let a = apply(&next, &dest).unwrap();
        let backup = a.backup.unwrap();
        assert_eq!(backup.parent(), dest.parent());
        let name = backup.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("config.toml.") && name.ends_with(".bak"),
            "{name}"
        );
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), GOOD);
        assert_eq!(mode(&backup), 0o600);
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), next);
        assert_eq!(mode(&dest), 0o600);

        // The same text again: nothing to back up.
        assert_eq!(apply(&next, &dest).unwrap().backup, None);

        let bad = next.replace("us-west-2_AbC123", "nope");
        let e = apply(&bad, &dest).unwrap_err();
        assert_eq!(e.code(), "config_invalid");
        assert!(
            e.to_string()
                .contains("imported configuration:3: `user_pool_id`"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), next);
        assert_eq!(
            std::fs::read_dir(dest.parent().unwrap()).unwrap().count(),
            2
        );
    }
}

#[cfg(test)]
mod secret_files {
    use super::*;

    /// Files people drop by mistake: whatever the parser or the validator says about them, the
    /// message quotes none of their values.
    #[test]
    fn errors_about_secret_files_quote_no_value() {
        let secrets = [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "IQoJb3JpZ2luX2VjEKj",
            "hunter2",
        ];
        let files = [
            "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\naws_session_token = IQoJb3JpZ2luX2VjEKj\n".to_string(),
            "[default]\naws_access_key_id = \"AKIAIOSFODNN7EXAMPLE\"\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n".to_string(),
            "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\npassword = \"hunter2\"\n".to_string(),
            "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEKj\n".to_string(),
            "[[connection]]\nname = \"hunter2\"\nclient_id = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n".to_string(),
            "[[connection]]\npassword = \"hunter2\"\n".to_string(),
            "{\"aws_secret_access_key\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}\n".to_string(),
        ];
        for text in files {
            let dir = tempfile::tempdir().expect("temp dir");
            let e = preview(&text, Origin::File("f".into()), &dir.path().join("c.toml"))
                .expect_err("not a configuration");
            let said = format!("{e} {} {e:?}", e.reason());
            for s in secrets {
                assert!(!said.contains(s), "{text}\n→ {said}");
            }
        }
    }
}
