//! Importing the configuration an administrator hands out: from a file, or from a
//! `poolpass://import?config=…` link that carries the whole file. Front ends read the source
//! ([`read`]), show the user a [`Preview`] (what the configuration signs in to, where its
//! traffic goes, what it replaces), and only after the user agrees call [`apply`].
//!
//! A link carries the configuration itself, never an address to fetch it from: a crafted
//! link must not make PoolPass contact a stranger's server (revealing that the user clicked,
//! their IP address, or fetching who knows what) before the user has seen anything.

use std::fs::File;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use url::{Host, Url};

use crate::config::{self, Config, Connection, Flow, Mode, RoleChoice};
use crate::profiles::{atomic, backup};
use crate::{ConfigError, Error};

pub mod excerpt;

/// The largest configuration PoolPass imports. Real ones are a few kilobytes; the limit keeps
/// a hostile link or file from costing memory, and a link from outgrowing what browsers and
/// OS link handlers pass on.
pub const MAX_CONFIG_BYTES: usize = 64 * 1024;

/// The longest label a link may carry, in characters.
pub const MAX_NAME_CHARS: usize = 64;

const SCHEME: &str = "poolpass";
const LINK_PREFIX: &str = "poolpass://import?config=";

/// base64 of `MAX_CONFIG_BYTES`, unpadded; anything longer is refused before decoding.
const MAX_ENCODED_CHARS: usize = MAX_CONFIG_BYTES.div_ceil(3) * 4;
/// A whole link: the encoded configuration, a percent-encoded label, and the rest.
const MAX_LINK_CHARS: usize = MAX_ENCODED_CHARS + MAX_NAME_CHARS * 12 + 64;

/// What a configuration to import came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    /// A `poolpass://import` link, with the label its maker gave it (unverified: anyone can
    /// make a link and label it anything).
    Link {
        name: Option<String>,
    },
}

impl Origin {
    /// What error messages call the text, in place of a file name.
    fn label(&self) -> PathBuf {
        match self {
            Origin::File(p) => p.clone(),
            Origin::Link { .. } => PathBuf::from("import link"),
        }
    }

    fn describe(&self) -> String {
        match self {
            Origin::File(p) => p.display().to_string(),
            Origin::Link { .. } => "in the link".into(),
        }
    }
}

/// A configuration's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub text: String,
    pub origin: Origin,
}

/// Reads what the user named: a `poolpass:` link, or else a file path (a file whose name
/// starts with `poolpass:` can be named as `./poolpass:…`).
pub fn read(source: &str) -> Result<Source, ConfigError> {
    if is_link(source) {
        parse_link(source)
    } else {
        let path = PathBuf::from(source);
        Ok(Source {
            text: read_file(&path)?,
            origin: Origin::File(path),
        })
    }
}

/// Whether `s` is meant as a link (and so must parse as one) rather than a file path.
pub fn is_link(s: &str) -> bool {
    let s = s.trim_start();
    s.get(..SCHEME.len() + 1)
        .is_some_and(|p| p.eq_ignore_ascii_case("poolpass:"))
}

/// A configuration file's text, refused when it is too large or not UTF-8.
pub fn read_file(path: &Path) -> Result<String, ConfigError> {
    let unreadable = |e: std::io::Error| ConfigError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut bytes = Vec::new();
    File::open(path)
        .map_err(unreadable)?
        .take(MAX_CONFIG_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::ImportTooLarge {
            what: path.display().to_string(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    utf8(bytes, &path.display().to_string())
}

fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, ConfigError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        ConfigError::ImportNotUtf8 {
            what: what.to_string(),
            line: Some(valid.iter().filter(|&&b| b == b'\n').count() + 1),
        }
    })
}

fn too_large(text: &str, what: &str) -> Result<(), ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::ImportTooLarge {
            what: what.to_string(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    Ok(())
}

/// Parses `poolpass://import?config=<base64url, no padding>[&name=<label>]`, strictly: any
/// other shape, parameter or encoding is refused rather than guessed at.
pub fn parse_link(link: &str) -> Result<Source, ConfigError> {
    let bad = |reason: &str| ConfigError::ImportLink {
        reason: reason.to_string(),
    };
    let link = link.trim();
    if link.len() > MAX_LINK_CHARS {
        return Err(ConfigError::ImportTooLarge {
            what: "in the link".into(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let url = Url::parse(link).map_err(|e| bad(&format!("it is not a URL ({e})")))?;
    if url.scheme() != SCHEME {
        return Err(bad("it does not start with poolpass://"));
    }
    let host_ok = url
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case("import"));
    if !host_ok
        || !matches!(url.path(), "" | "/")
        || !url.username().is_empty()
        || url.password().is_some()
        || url.port().is_some()
    {
        return Err(bad(
            "it is not an import link (expected poolpass://import?config=…)",
        ));
    }
    if url.fragment().is_some() {
        return Err(bad("it has a '#' part, which import links never have"));
    }
    let mut config = None;
    let mut name = None;
    for (key, value) in url.query_pairs() {
        let slot = match key.as_ref() {
            "config" => &mut config,
            "name" => &mut name,
            // PoolPass never fetches a configuration named by a link (see the module doc),
            // so say so rather than only "unknown".
            "url" | "href" | "src" | "from" => {
                return Err(bad(&format!("it asks PoolPass to fetch the configuration from somewhere ({key}=…); PoolPass only imports links that carry the configuration itself")))
            }
            other => {
                return Err(bad(&format!(
                    "it has the unknown parameter {other:?} (import links carry only config and name)"
                )))
            }
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(bad(&format!("the parameter {key} appears twice")));
        }
    }
    let encoded = config.ok_or_else(|| bad("it carries no configuration (no config=…)"))?;
    if encoded.len() > MAX_ENCODED_CHARS {
        return Err(ConfigError::ImportTooLarge {
            what: "in the link".into(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let bytes = URL_SAFE_NO_PAD.decode(encoded.as_bytes()).map_err(|e| {
        bad(&format!(
            "its configuration is not base64url without padding ({e})"
        ))
    })?;
    if bytes.is_empty() {
        return Err(bad("its configuration is empty"));
    }
    if bytes.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::ImportTooLarge {
            what: "in the link".into(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let text = utf8(bytes, "in the link")?;
    if let Some(n) = &name {
        check_name(n)?;
    }
    Ok(Source {
        text,
        origin: Origin::Link { name },
    })
}

fn check_name(name: &str) -> Result<(), ConfigError> {
    if name.trim().is_empty()
        || name.trim() != name
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ConfigError::ImportLink {
            reason: format!("its name must be 1 to {MAX_NAME_CHARS} characters on one line, without leading or trailing spaces"),
        });
    }
    Ok(())
}

/// The link that imports the configuration file at `path`, for administrators to hand out.
/// The file is validated first: a link never carries a configuration PoolPass would refuse.
pub fn make_link(path: &Path, name: Option<&str>) -> Result<String, ConfigError> {
    let text = read_file(path)?;
    Config::parse(path, &text)?;
    encode_link(&text, name)
}

/// The link for this text, without validating it as a configuration.
fn encode_link(text: &str, name: Option<&str>) -> Result<String, ConfigError> {
    too_large(text, "to put in a link")?;
    let mut link = format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(text));
    if let Some(n) = name {
        check_name(n)?;
        link.push_str("&name=");
        link.extend(url::form_urlencoded::byte_serialize(n.as_bytes()));
    }
    Ok(link)
}

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

/// One address PoolPass would contact for a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub connection: String,
    pub service: Service,
    pub url: String,
    pub host: String,
    /// Who owns the host's domain. `Aws` says nothing about which AWS customer runs it:
    /// read `warning` too.
    pub class: HostClass,
    /// Set when the user should check this address with their administrator.
    pub warning: Option<String>,
}

/// What an endpoint is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The sign-in page (Cognito hosted UI / managed login) and its token endpoint.
    HostedUi,
    /// The ID token issuer, whose signing keys PoolPass fetches.
    Issuer,
    /// Cognito Identity (identity pools): where credentials come from.
    CognitoIdentity,
    /// The Cognito user pools API.
    CognitoIdp,
    /// AWS STS: classic-flow sessions and the check of who the credentials are.
    Sts,
}

impl Service {
    pub fn label(self) -> &'static str {
        match self {
            Service::HostedUi => "sign-in page (hosted UI)",
            Service::Issuer => "token issuer (signing keys)",
            Service::CognitoIdentity => "Cognito Identity (credentials)",
            Service::CognitoIdp => "Cognito user pools API",
            Service::Sts => "AWS STS",
        }
    }

    /// The AWS address this service normally has, for warnings.
    fn expected(self) -> &'static str {
        match self {
            Service::HostedUi => "a Cognito sign-in domain (….auth.REGION.amazoncognito.com)",
            Service::Issuer | Service::CognitoIdp => "cognito-idp.REGION.amazonaws.com",
            Service::CognitoIdentity => "cognito-identity.REGION.amazonaws.com",
            Service::Sts => "sts.REGION.amazonaws.com",
        }
    }
}

/// Who owns a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostClass {
    /// Under a domain AWS owns (see [`AWS_DOMAINS`]).
    Aws,
    /// This computer: the local demo and test peers.
    Loopback,
    /// Anyone else, including a company's own domain for its Cognito sign-in page.
    Other,
}

/// Domains AWS owns, matched on a label boundary (`evilamazonaws.com` is not one of them).
/// Hosted UI prefix domains live under `auth.REGION.amazoncognito.com` (and `auth-fips`);
/// service endpoints under `amazonaws.com` (`amazonaws.com.cn` in China), dual-stack ones
/// under `api.aws` (`api.amazonwebservices.com.cn` in China). Sources: the Cognito developer
/// guide (user pool domains) and the AWS General Reference (service and dual-stack endpoints).
pub const AWS_DOMAINS: [&str; 5] = [
    "amazoncognito.com",
    "amazonaws.com",
    "amazonaws.com.cn",
    "api.aws",
    "api.amazonwebservices.com.cn",
];

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

/// The addresses a sign-in and a refresh of this connection contact, with the defaults the
/// clients use when the configuration names none.
fn endpoints_of(c: &Connection) -> Vec<Endpoint> {
    let trimmed = |u: &Url| u.as_str().trim_end_matches('/').to_string();
    let mut out = vec![
        (Service::HostedUi, c.hosted_ui_base()),
        (Service::Issuer, c.issuer()),
    ];
    if let Some(u) = &c.endpoints.cognito_idp {
        out.push((Service::CognitoIdp, trimmed(u)));
    }
    for p in &c.identity_pools {
        out.push((
            Service::CognitoIdentity,
            c.endpoints
                .cognito_identity
                .as_ref()
                .map(trimmed)
                .unwrap_or_else(|| crate::identity::default_url(&p.pool_region)),
        ));
        out.push((
            Service::Sts,
            c.endpoints
                .sts
                .as_ref()
                .map(trimmed)
                .unwrap_or_else(|| crate::sts::default_url(&p.pool_region)),
        ));
    }
    out.into_iter()
        .map(|(service, url)| endpoint(&c.name, service, &url))
        .collect()
}

fn endpoint(connection: &str, service: Service, url: &str) -> Endpoint {
    let parsed = Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str())
        .unwrap_or_default()
        .to_string();
    let class = parsed
        .as_ref()
        .and_then(|u| u.host())
        .map_or(HostClass::Other, |h| classify(&h));
    let plain_http = parsed.as_ref().is_some_and(|u| u.scheme() != "https");
    let warning = if plain_http && class != HostClass::Loopback {
        // Config::parse refuses this already; kept so a looser validator can never make it
        // silent. Over plain http anyone on the way can read the sign-in or swap the page.
        Some(format!("The {} would be reached at {host} over plain http, unencrypted: anyone on the network could read or change it. Do not import this; ask your administrator for an https address.", service.label()))
    } else {
        match class {
            HostClass::Loopback => None,
            HostClass::Other => Some(match service {
                Service::HostedUi => format!("Sign-in would go to {host}, which is not an AWS domain. Companies can give the Cognito sign-in page their own domain: check with your administrator that {host} is theirs before entering a password there."),
                Service::Issuer => format!("Sign-in tokens would be checked with keys from {host}, which is not an AWS domain. Check with your administrator."),
                _ => format!("Requests to {} would go to {host}, which is not an AWS domain. Check with your administrator.", service.label()),
            }),
            HostClass::Aws if !is_expected_service(service, &host) => Some(format!(
                "The {} would be {host}: an AWS domain, but not {}. Any AWS customer can serve pages under AWS domains (S3, API Gateway), so check this address with your administrator.",
                service.label(),
                service.expected()
            )),
            HostClass::Aws => None,
        }
    };
    Endpoint {
        connection: connection.to_string(),
        service,
        url: url.to_string(),
        host,
        class,
        warning,
    }
}

/// Who owns `host` (a host name or an IP literal, `[::1]` bracketed or not).
pub fn classify_host(host: &str) -> HostClass {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return if ip.is_loopback() {
            HostClass::Loopback
        } else {
            HostClass::Other
        };
    }
    // Host::parse lowercases, applies IDNA and reads every IPv4 spelling (`0x7f.1`), as the
    // HTTP client will.
    match Host::parse(host) {
        Ok(h) => classify(&h),
        Err(_) => HostClass::Other,
    }
}

fn classify<S: AsRef<str>>(host: &Host<S>) -> HostClass {
    match host {
        Host::Ipv4(ip) if ip.is_loopback() => HostClass::Loopback,
        Host::Ipv6(ip) if ip.is_loopback() => HostClass::Loopback,
        Host::Ipv4(_) | Host::Ipv6(_) => HostClass::Other,
        Host::Domain(d) => {
            let d = normalize(d.as_ref());
            if d == "localhost" {
                HostClass::Loopback
            } else if aws_domain(&d).is_some() {
                HostClass::Aws
            } else {
                HostClass::Other
            }
        }
    }
}

/// Lowercase, without the one trailing dot DNS allows (`x.amazonaws.com.` is the same host).
fn normalize(host: &str) -> String {
    let h = host.to_ascii_lowercase();
    h.strip_suffix('.').map(str::to_string).unwrap_or(h)
}

/// The labels in front of the AWS domain `host` is under, and that domain.
fn aws_domain(host: &str) -> Option<(Vec<&str>, &'static str)> {
    let labels_ok = host
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if !labels_ok {
        return None;
    }
    // Longest first, so `x.api.amazonwebservices.com.cn` is not read as under `amazonaws.com.cn`.
    let mut domains = AWS_DOMAINS;
    domains.sort_by_key(|d| std::cmp::Reverse(d.len()));
    domains.into_iter().find_map(|d| {
        if host == d {
            Some((Vec::new(), d))
        } else {
            host.strip_suffix(d)
                .and_then(|rest| rest.strip_suffix('.'))
                .map(|rest| (rest.split('.').collect(), d))
        }
    })
}

/// Whether an AWS host has the shape of the service it is used for. Any AWS customer can
/// serve content under AWS domains (S3 buckets, API Gateway, EC2 host names), so the domain
/// alone does not make an address Cognito's.
fn is_expected_service(service: Service, host: &str) -> bool {
    let host = normalize(host);
    let Some((labels, domain)) = aws_domain(&host) else {
        return false;
    };
    let region = |r: &str| config::looks_like_region(r);
    let named = |labels: &[&str], names: &[&str]| match labels {
        [s, r] => names.contains(s) && region(r),
        _ => false,
    };
    match service {
        Service::HostedUi => {
            domain == "amazoncognito.com"
                && matches!(labels.as_slice(), [_, auth, r] if (*auth == "auth" || *auth == "auth-fips") && region(r))
        }
        _ if domain == "amazoncognito.com" => false,
        Service::Issuer | Service::CognitoIdp => {
            named(&labels, &["cognito-idp", "cognito-idp-fips"])
        }
        Service::CognitoIdentity => named(&labels, &["cognito-identity", "cognito-identity-fips"]),
        Service::Sts => labels.as_slice() == ["sts"] || named(&labels, &["sts", "sts-fips"]),
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

    const GOOD: &str = r#"[[connection]]
name = "acme"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"
providers = ["Google", "COGNITO"]

[[connection.identity_pool]]
id = "ap-northeast-1:00000000-0000-0000-0000-000000000000"
profile = "acme"
"#;

    fn link_of(text: &str) -> String {
        encode_link(text, None).unwrap()
    }

    fn link_error(link: &str) -> String {
        let e = parse_link(link).unwrap_err();
        assert_eq!(e.code(), "import_link_invalid", "{link}: {e}");
        e.to_string()
    }

    #[test]
    fn links_round_trip() {
        let text = "# ünïcødé, \"quotes\", ?&=#+/\n".to_string() + GOOD;
        let link = encode_link(&text, Some("Acme staff & co")).unwrap();
        assert!(link.starts_with("poolpass://import?config="), "{link}");
        let s = read(&link).unwrap();
        assert_eq!(s.text, text);
        assert_eq!(
            s.origin,
            Origin::Link {
                name: Some("Acme staff & co".into())
            }
        );
        // What an OS link handler may add: a slash, surrounding white space.
        let slashed = link.replace("import?", "import/?");
        assert_eq!(read(&format!(" {slashed}\n")).unwrap().text, text);
        assert_eq!(
            parse_link(&link_of(GOOD)).unwrap().origin,
            Origin::Link { name: None }
        );
    }

    #[test]
    fn make_link_validates_the_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("acme.toml");
        std::fs::write(&p, GOOD).unwrap();
        let link = make_link(&p, Some("Acme")).unwrap();
        assert_eq!(parse_link(&link).unwrap().text, GOOD);
        std::fs::write(&p, GOOD.replace("us-west-2_AbC123", "nope")).unwrap();
        let e = make_link(&p, None).unwrap_err();
        assert_eq!(e.code(), "config_invalid");
        assert_eq!(e.location().unwrap().field.as_deref(), Some("user_pool_id"));
    }

    #[test]
    fn links_are_parsed_strictly() {
        let good = link_of(GOOD);
        let enc = good.strip_prefix(LINK_PREFIX).unwrap();
        for (link, says) in [
            (format!("https://import?config={enc}"), "poolpass://"),
            (
                format!("poolpass://export?config={enc}"),
                "not an import link",
            ),
            (
                format!("poolpass://import/x?config={enc}"),
                "not an import link",
            ),
            (
                format!("poolpass://u@import?config={enc}"),
                "not an import link",
            ),
            (
                format!("poolpass://import:1?config={enc}"),
                "not an import link",
            ),
            (format!("poolpass://import?config={enc}#x"), "'#'"),
            ("poolpass://import".to_string(), "no config"),
            ("poolpass://import?name=x".to_string(), "no config"),
            (format!("{good}&extra=1"), "unknown parameter \"extra\""),
            (format!("{good}&Config=x"), "unknown parameter"),
            (format!("{good}&config={enc}"), "twice"),
            (format!("{good}&name=a&name=b"), "twice"),
            (
                "poolpass://import?url=https://evil.example/c.toml".to_string(),
                "fetch",
            ),
            ("poolpass://import?config=".to_string(), "empty"),
            (format!("{good}&name=%20x"), "name"),
            (format!("{good}&name=a%0Ab"), "name"),
            (format!("{good}&name={}", "x".repeat(65)), "name"),
        ] {
            let e = link_error(&link);
            assert!(e.contains(says), "{link}: {e}");
        }
    }

    #[test]
    fn bad_base64_is_refused() {
        let std = base64::engine::general_purpose::STANDARD.encode("[x]\n???>>>");
        assert!(std.contains('+') || std.contains('/') || std.contains('='));
        for enc in [
            std.as_str(), // the standard alphabet, with padding
            "W3hdCg==",   // padded
            "W3hd%20Cg",  // a space in the middle
            "W3h",        // trailing bits set: not what an encoder writes
            "W",          // impossible length
            "!!!!",
        ] {
            let e = link_error(&format!("poolpass://import?config={enc}"));
            assert!(e.contains("base64url"), "{enc}: {e}");
        }
    }

    #[test]
    fn oversize_and_non_utf8_are_refused() {
        let big = format!("{GOOD}#{}\n", "x".repeat(MAX_CONFIG_BYTES));
        let e = encode_link(&big, None).unwrap_err();
        assert_eq!(e.code(), "import_too_large");
        // Just over the limit once decoded, and far over it as a whole link.
        let over = URL_SAFE_NO_PAD.encode(vec![b'#'; MAX_CONFIG_BYTES + 1]);
        let e = parse_link(&format!("{LINK_PREFIX}{over}")).unwrap_err();
        assert_eq!(e.code(), "import_too_large", "{e}");
        let huge = format!("{LINK_PREFIX}{}", "A".repeat(MAX_LINK_CHARS));
        assert_eq!(parse_link(&huge).unwrap_err().code(), "import_too_large");
        // Exactly at the limit is fine (as far as the link goes).
        let at = URL_SAFE_NO_PAD.encode(vec![b'#'; MAX_CONFIG_BYTES]);
        parse_link(&format!("{LINK_PREFIX}{at}")).unwrap();

        let latin1 = URL_SAFE_NO_PAD.encode(b"# ok\n# caf\xe9\n");
        let e = parse_link(&format!("{LINK_PREFIX}{latin1}")).unwrap_err();
        assert_eq!(e.code(), "import_not_utf8");
        assert_eq!(e.location().unwrap().line, Some(2));

        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("c.toml");
        std::fs::write(&p, b"\xff\xfe[").unwrap();
        assert_eq!(read_file(&p).unwrap_err().code(), "import_not_utf8");
        std::fs::write(&p, big.as_bytes()).unwrap();
        assert_eq!(read_file(&p).unwrap_err().code(), "import_too_large");
        let e = preview(&big, Origin::File(p.clone()), &d.path().join("dest")).unwrap_err();
        assert_eq!(e.code(), "import_too_large");
        assert_eq!(
            read(d.path().join("missing").to_str().unwrap())
                .unwrap_err()
                .code(),
            "config_invalid"
        );
    }

    #[test]
    fn aws_domains_match_on_a_label_boundary() {
        use HostClass::*;
        for (host, class) in [
            ("acme.auth.us-west-2.amazoncognito.com", Aws),
            ("ACME.AUTH.US-WEST-2.AMAZONCOGNITO.COM", Aws),
            ("acme.auth.us-west-2.amazoncognito.com.", Aws),
            ("cognito-identity.cn-north-1.amazonaws.com.cn", Aws),
            ("sts.us-east-1.api.aws", Aws),
            ("sts.cn-north-1.api.amazonwebservices.com.cn", Aws),
            ("amazonaws.com", Aws),
            ("evilamazonaws.com", Other),
            ("evilamazoncognito.com", Other),
            ("amazonaws.com.evil.net", Other),
            ("acme.auth.us-west-2.amazoncognito.com.evil.net", Other),
            ("amazonaws.com.cn.evil.net", Other),
            ("xapi.aws", Other),
            ("api.aws.evil", Other),
            ("amazonaws.co", Other),
            ("amazonaws.com..", Other),
            ("a..amazonaws.com", Other),
            ("ámazonaws.com", Other),
            ("auth.example.com", Other),
            ("127.0.0.1", Loopback),
            ("127.1.2.3", Loopback),
            ("0x7f.1", Loopback),
            ("::1", Loopback),
            ("[::1]", Loopback),
            ("localhost", Loopback),
            ("LOCALHOST.", Loopback),
            ("localhost.evil.net", Other),
            ("10.0.0.1", Other),
            ("52.94.0.1", Other),
            ("[::ffff:127.0.0.1]", Other),
            ("[2600:1f18::1]", Other),
            ("", Other),
        ] {
            assert_eq!(classify_host(host), class, "{host:?}");
        }
    }

    #[test]
    fn aws_hosts_must_also_look_like_the_service() {
        for (service, host, ok) in [
            (
                Service::HostedUi,
                "acme.auth.us-west-2.amazoncognito.com",
                true,
            ),
            (
                Service::HostedUi,
                "acme.auth-fips.us-east-1.amazoncognito.com",
                true,
            ),
            (Service::HostedUi, "evil.s3.amazonaws.com", false),
            (
                Service::HostedUi,
                "x.execute-api.us-east-1.amazonaws.com",
                false,
            ),
            (Service::HostedUi, "auth.us-west-2.amazoncognito.com", false),
            (Service::Issuer, "cognito-idp.us-west-2.amazonaws.com", true),
            (Service::Issuer, "cognito-idp.evil.amazonaws.com", false),
            (
                Service::CognitoIdentity,
                "cognito-identity.eu-west-1.amazonaws.com",
                true,
            ),
            (
                Service::CognitoIdentity,
                "cognito-identity.cn-north-1.amazonaws.com.cn",
                true,
            ),
            (
                Service::CognitoIdentity,
                "cognito-idp.eu-west-1.amazonaws.com",
                false,
            ),
            (Service::Sts, "sts.amazonaws.com", true),
            (Service::Sts, "sts-fips.us-east-1.api.aws", true),
            (Service::Sts, "sts.us-east-1.amazoncognito.com", false),
        ] {
            assert_eq!(is_expected_service(service, host), ok, "{service:?} {host}");
        }
    }

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
