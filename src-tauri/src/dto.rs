//! What crosses IPC, and only that. The core's types stay free of serde-for-the-UI and ts-rs;
//! these small structs copy out the fields the window shows, so a secret added to a core type
//! later cannot reach the webview by accident. The TypeScript in `ui/src/bindings/` is
//! generated from them (`bindings::export`).

use poolpass::config::{Connection, Provider, RoleChoice};
use poolpass::import;
use poolpass::session::{Event, Outcome};
use poolpass::state::ProfileRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Every failure the window sees: the core's stable code to switch on, and the message to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    /// The entry of the shared catalogue (i18n/messages.json) that words it from `facts`;
    /// without one, the window words it as `error_<code>` where it has that entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<String>,
    /// The names in the message (`previous`, `now`, ...), for the window's own wording.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub facts: Option<std::collections::BTreeMap<String, String>>,
}

impl From<poolpass::Error> for IpcError {
    fn from(e: poolpass::Error) -> Self {
        IpcError::of(&e)
    }
}

impl IpcError {
    pub fn of(e: &poolpass::Error) -> Self {
        IpcError {
            code: e.code().to_string(),
            message: e.to_string(),
            key: Some(e.message_key()),
            facts: Some(e.facts())
                .filter(|f| !f.is_empty())
                .map(|f| f.into_iter().map(|(k, v)| (k.to_string(), v)).collect()),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppState {
    pub config: ConfigStatus,
    pub connections: Vec<ConnectionView>,
    pub profiles: Vec<ProfileView>,
}

/// Where the administrator's file is looked for, and whether it is usable.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfigStatus {
    pub path: String,
    pub present: bool,
    /// Set when the file is there but cannot be used (code `config_invalid`, with file:line).
    pub error: Option<IpcError>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    pub name: String,
    pub providers: Vec<ProviderButton>,
}

impl From<&Connection> for ConnectionView {
    fn from(c: &Connection) -> Self {
        ConnectionView {
            name: c.name.clone(),
            providers: c.providers.iter().map(ProviderButton::from).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderButton {
    /// What `sign_in` takes back (Cognito's `identity_provider` value). The window words the
    /// button from it in its own language (ui/src/logic.ts `providerLabel`).
    pub id: String,
}

impl From<&Provider> for ProviderButton {
    fn from(p: &Provider) -> Self {
        ProviderButton {
            id: p.as_param().to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub profile: String,
    pub connection: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub role_arn: Option<String>,
    pub identity_pool_id: String,
    /// RFC 3339; the window counts down to it.
    pub expires_at: String,
    pub user: String,
}

impl ProfileView {
    pub fn new(profile: &str, r: &ProfileRecord) -> Self {
        ProfileView {
            profile: profile.to_string(),
            connection: r.connection.clone(),
            account_id: r.account_id.clone(),
            role_name: r.role_name.clone(),
            role_arn: r.role_arn.clone(),
            identity_pool_id: r.identity_pool_id.clone(),
            expires_at: r.expires_at.clone(),
            user: r.user.clone(),
        }
    }
}

/// One profile's result: written, or why not. One failing does not undo the others.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileResult {
    pub profile: String,
    pub written: Option<ProfileView>,
    pub error: Option<IpcError>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInResult {
    pub user: String,
    pub profiles: Vec<ProfileResult>,
}

impl From<Outcome> for SignInResult {
    fn from(o: Outcome) -> Self {
        SignInResult {
            user: o.user,
            profiles: profile_results(o.profiles),
        }
    }
}

/// `refresh_all` per connection: a connection that fails (say, its sign-in expired) is a row,
/// not a failed call.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionRefresh {
    pub connection: String,
    pub error: Option<IpcError>,
    pub profiles: Vec<ProfileResult>,
}

impl ConnectionRefresh {
    pub fn new(connection: &str, r: Result<Outcome, poolpass::Error>) -> Self {
        let (error, profiles) = match r {
            Ok(o) => (None, profile_results(o.profiles)),
            Err(e) => (Some(e.into()), Vec::new()),
        };
        ConnectionRefresh {
            connection: connection.to_string(),
            error,
            profiles,
        }
    }
}

fn profile_results(
    rows: Vec<(String, Result<ProfileRecord, poolpass::Error>)>,
) -> Vec<ProfileResult> {
    rows.into_iter()
        .map(|(profile, r)| match r {
            Ok(rec) => ProfileResult {
                written: Some(ProfileView::new(&profile, &rec)),
                error: None,
                profile,
            },
            Err(e) => ProfileResult {
                profile,
                written: None,
                error: Some(e.into()),
            },
        })
        .collect()
}

/// Progress of a sign-in or refresh, sent to the window as the `progress` event. The core's
/// events carry no secret; this copy keeps only what the window shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Progress {
    Listening {
        redirect_uri: String,
    },
    /// The system browser was asked to open `url`; the window offers to copy it too.
    BrowserOpened {
        url: String,
    },
    OpenLinkYourself {
        url: String,
        reason: Option<String>,
    },
    Waiting {
        // JSON numbers: a timeout is at most an hour, far inside what JS represents exactly.
        #[ts(type = "number")]
        timeout_seconds: u64,
    },
    CallbackReceived,
    SignedIn {
        user: String,
        via: Option<String>,
    },
    RefreshedTokens {
        user: String,
    },
    /// Another PoolPass process (the CLI, the tray, an AWS tool's credential-process) renewed
    /// the sign-in meanwhile; its result is shown.
    RefreshedElsewhere {
        connection: String,
    },
    KeychainUnavailable {
        reason: String,
    },
    Fetching {
        profile: String,
        identity_pool: String,
    },
    ProfileWritten {
        profile: ProfileView,
    },
    TookOver {
        profile: String,
        backup: String,
    },
    /// What was written may not be what AWS tools use, or others may read it: `code` and
    /// `facts` for the window's wording, `message` the core's English.
    Warning {
        code: String,
        message: String,
        facts: std::collections::BTreeMap<String, String>,
    },
    ProfileFailed {
        profile: String,
        error: IpcError,
    },
    /// Sign-out: the saved refresh token was revoked at the hosted UI.
    Revoked,
    /// Sign-out: the hosted UI did not revoke it (deleted from this computer anyway).
    RevokeFailed {
        error: IpcError,
    },
    ProfileRemoved {
        profile: String,
    },
    /// Sign-out: the saved sign-in is gone from this computer.
    SignedOut {
        connection: String,
    },
}

impl From<Event> for Progress {
    fn from(e: Event) -> Self {
        match e {
            Event::Listening { redirect_uri } => Progress::Listening { redirect_uri },
            Event::BrowserOpened { url } => Progress::BrowserOpened { url },
            Event::OpenLinkYourself { url, reason } => Progress::OpenLinkYourself { url, reason },
            Event::Waiting { timeout } => Progress::Waiting {
                timeout_seconds: timeout.as_secs(),
            },
            Event::CallbackReceived => Progress::CallbackReceived,
            Event::SignedIn { user, via } => Progress::SignedIn { user, via },
            Event::RefreshedTokens { user } => Progress::RefreshedTokens { user },
            Event::RefreshedElsewhere { connection } => Progress::RefreshedElsewhere { connection },
            Event::KeychainUnavailable { reason } => Progress::KeychainUnavailable { reason },
            Event::Fetching {
                profile,
                identity_pool,
            } => Progress::Fetching {
                profile,
                identity_pool,
            },
            Event::ProfileWritten { profile, record } => Progress::ProfileWritten {
                profile: ProfileView::new(&profile, &record),
            },
            Event::TookOver { profile, backup } => Progress::TookOver {
                profile,
                backup: backup.display().to_string(),
            },
            Event::Warning { warning } => Progress::Warning {
                code: warning.id().to_string(),
                message: warning.to_string(),
                facts: warning
                    .facts()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            },
            Event::ProfileFailed { profile, error } => Progress::ProfileFailed {
                profile,
                error: IpcError::of(&error),
            },
            Event::Revoked => Progress::Revoked,
            Event::RevokeFailed { error } => Progress::RevokeFailed {
                error: IpcError::of(&error),
            },
            Event::ProfileRemoved { profile } => Progress::ProfileRemoved { profile },
            Event::SignedOut { connection } => Progress::SignedOut { connection },
        }
    }
}

/// What waits for the user when the window opens (`take_pending`).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum PendingView {
    /// A `poolpass://import?...` link to preview; nothing is applied before the user confirms.
    Import { link: String },
    /// "Sign out…" chosen in the tray.
    SignOut,
}

/// The settings screen: what is saved, and what is in force (the environment wins).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// "auto", "en" or "ja".
    #[ts(type = "\"auto\" | \"en\" | \"ja\"")]
    pub language: String,
    pub credentials_file: Option<String>,
    pub config_file: Option<String>,
    /// The variable that overrides the setting in PoolPass's environment, if any.
    pub credentials_env: Option<String>,
    pub config_env: Option<String>,
    pub effective_credentials_file: String,
    pub effective_config_file: String,
    pub redirect_ports: Option<Vec<u16>>,
    pub start_at_login: bool,
}

impl SettingsView {
    pub fn new(s: &poolpass::settings::Settings, start_at_login: bool) -> Self {
        use poolpass::settings::{ENV_CONFIG, ENV_CREDENTIALS};
        let env = |v: &str| {
            std::env::var_os(v)
                .is_some_and(|x| !x.is_empty())
                .then(|| v.to_string())
        };
        let files = s.aws_files();
        SettingsView {
            language: s.language.clone(),
            credentials_file: s.credentials_file.as_ref().map(|p| p.display().to_string()),
            config_file: s.config_file.as_ref().map(|p| p.display().to_string()),
            credentials_env: env(ENV_CREDENTIALS),
            config_env: env(ENV_CONFIG),
            effective_credentials_file: files.credentials.display().to_string(),
            effective_config_file: files.config.display().to_string(),
            redirect_ports: s.redirect_ports.clone(),
            start_at_login,
        }
    }
}

/// What the settings screen saves.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsInput {
    #[ts(type = "\"auto\" | \"en\" | \"ja\"")]
    pub language: String,
    pub credentials_file: Option<String>,
    pub config_file: Option<String>,
    pub redirect_ports: Option<Vec<u16>>,
    pub start_at_login: bool,
}

impl SettingsInput {
    pub fn to_settings(&self) -> poolpass::settings::Settings {
        poolpass::settings::Settings {
            language: self.language.clone(),
            credentials_file: self.credentials_file.as_ref().map(Into::into),
            config_file: self.config_file.as_ref().map(Into::into),
            redirect_ports: self.redirect_ports.clone(),
        }
    }
}

/// The shells "Copy" offers (the core's `export::Format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// bash and zsh `export` lines.
    Env,
    Fish,
    Powershell,
    /// The credential_process JSON.
    Json,
}

impl From<ExportFormat> for poolpass::export::Format {
    fn from(f: ExportFormat) -> Self {
        use poolpass::export::Format;
        match f {
            ExportFormat::Env => Format::Env,
            ExportFormat::Fish => Format::Fish,
            ExportFormat::Powershell => Format::Powershell,
            ExportFormat::Json => Format::Json,
        }
    }
}

/// How far the window's start got, for the benchmark's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ReadyStage {
    /// Its first frame.
    FirstPaint,
    /// The state loaded and shown.
    Content,
}

/// Where a configuration to import comes from: a file the user chose or dropped, or a link.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ImportSource {
    File { path: String },
    Link { link: String },
}

/// Where a configuration to import came from, worded by the window.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ImportOrigin {
    File {
        path: String,
    },
    /// A poolpass:// link, with the label its maker gave it (anyone can label a link).
    Link {
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
}

/// The import screen: the preview, or why the configuration cannot be used and where.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportCheck {
    pub origin: ImportOrigin,
    /// Given to `import_apply` to save exactly the text this preview showed; absent when
    /// there is nothing to apply.
    #[ts(type = "number | null")]
    pub token: Option<u32>,
    pub preview: Option<ImportPreview>,
    pub error: Option<ImportProblem>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblem {
    pub code: String,
    pub message: String,
    /// The shared catalogue's entry for it and its facts (as on `IpcError`).
    pub key: String,
    pub facts: std::collections::BTreeMap<String, String>,
    /// The message without the file, line and field, for beside the line at fault.
    pub reason: String,
    #[ts(type = "number | null")]
    pub line: Option<usize>,
    pub field: Option<String>,
    /// The lines around `line`, numbered from `first_line`; a line whose value looked like a
    /// secret shows its key and a mask (`hidden` of them).
    #[ts(type = "number")]
    pub first_line: usize,
    pub lines: Vec<String>,
    #[ts(type = "number")]
    pub hidden: usize,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    /// A configuration is already there (it is backed up before it is replaced).
    pub replaces: bool,
    /// What it does to the configuration already there (when `replaces`).
    pub changes: ImportChanges,
    pub connections: Vec<PreviewConnection>,
    pub endpoints: Vec<Endpoint>,
}

/// Connections by name, compared with the configuration already in use.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub same_text: bool,
    /// Why the current file could not be read to compare (it is replaced all the same).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewConnection {
    pub name: String,
    pub hosted_ui_domain: String,
    pub user_pool_id: String,
    pub user_pool_region: String,
    pub client_id: String,
    pub providers: Vec<String>,
    pub pools: Vec<PreviewPool>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewPool {
    pub id: String,
    pub region: String,
    /// "preferred", "all", or the role names listed.
    pub roles: String,
    /// The name that will be written, `{role_name}`/`{account_id}` still in it when per role.
    pub profile: String,
    pub per_role: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// What it is for.
    pub service: ServiceView,
    /// Its connection, when the configuration has several.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
    pub url: String,
    pub host: String,
    pub kind: EndpointKind,
    /// Why the user should check it before importing, if they should.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concern: Option<ConcernView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ServiceView {
    HostedUi,
    Issuer,
    CognitoIdentity,
    CognitoIdp,
    Sts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConcernView {
    PlainHttp,
    NotAws,
    UnexpectedAws,
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EndpointKind {
    Aws,
    Loopback,
    Other,
}

impl ImportCheck {
    pub fn ok(origin: ImportOrigin, token: u32, p: import::Preview) -> Self {
        let (replaces, changes) = match &p.existing {
            import::Existing::Nothing => (false, ImportChanges::default()),
            import::Existing::Replaces(c) => (
                true,
                ImportChanges {
                    added: c.added.clone(),
                    removed: c.removed.clone(),
                    changed: c.changed.clone(),
                    same_text: c.same_text,
                    unreadable: None,
                },
            ),
            import::Existing::ReplacesUnreadable { reason } => (
                true,
                ImportChanges {
                    unreadable: Some(reason.clone()),
                    ..Default::default()
                },
            ),
        };
        let multi = p.connections.len() > 1;
        ImportCheck {
            origin,
            token: Some(token),
            error: None,
            preview: Some(ImportPreview {
                replaces,
                changes,
                connections: p
                    .connections
                    .into_iter()
                    .map(|c| PreviewConnection {
                        name: c.name,
                        hosted_ui_domain: c.hosted_ui_domain,
                        user_pool_id: c.user_pool_id,
                        user_pool_region: c.user_pool_region,
                        client_id: c.client_id,
                        providers: c.providers,
                        pools: c
                            .identity_pools
                            .into_iter()
                            .map(|pool| PreviewPool {
                                roles: match &pool.roles {
                                    RoleChoice::Preferred => "preferred".into(),
                                    RoleChoice::All => "all".into(),
                                    RoleChoice::Listed(arns) => arns
                                        .iter()
                                        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                },
                                id: pool.id,
                                region: pool.region,
                                profile: pool.profile,
                                per_role: pool.per_role,
                            })
                            .collect(),
                    })
                    .collect(),
                endpoints: p
                    .endpoints
                    .into_iter()
                    .map(|e| Endpoint {
                        service: match e.service {
                            import::Service::HostedUi => ServiceView::HostedUi,
                            import::Service::Issuer => ServiceView::Issuer,
                            import::Service::CognitoIdentity => ServiceView::CognitoIdentity,
                            import::Service::CognitoIdp => ServiceView::CognitoIdp,
                            import::Service::Sts => ServiceView::Sts,
                        },
                        connection: multi.then_some(e.connection),
                        concern: e.concern.map(|c| match c {
                            import::Concern::PlainHttp => ConcernView::PlainHttp,
                            import::Concern::NotAws => ConcernView::NotAws,
                            import::Concern::UnexpectedAws => ConcernView::UnexpectedAws,
                        }),
                        url: e.url,
                        host: e.host,
                        kind: match e.class {
                            import::HostClass::Aws => EndpointKind::Aws,
                            import::HostClass::Loopback => EndpointKind::Loopback,
                            import::HostClass::Other => EndpointKind::Other,
                        },
                    })
                    .collect(),
            }),
        }
    }

    /// `text`: the file when it could be read, to show the lines around the fault (only
    /// those, with secret-looking values hidden: people drop the wrong file).
    pub fn failed(origin: ImportOrigin, text: Option<&str>, e: &poolpass::ConfigError) -> Self {
        let at = e.location();
        let line = at.as_ref().and_then(|l| l.line);
        let excerpt = text
            .map(|t| import::excerpt::around(t, line))
            .unwrap_or_default();
        ImportCheck {
            origin,
            token: None,
            preview: None,
            error: Some(ImportProblem {
                code: e.code().to_string(),
                message: e.to_string(),
                key: poolpass::Error::Config(e.clone()).message_key(),
                facts: poolpass::Error::Config(e.clone())
                    .facts()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                reason: e.reason(),
                line,
                field: at.and_then(|l| l.field),
                first_line: excerpt.first_line,
                lines: excerpt.lines,
                hidden: excerpt.hidden,
            }),
        }
    }
}

/// What signing out did, as facts the window words in its language.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignOutResult {
    pub connection: String,
    pub revocation: RevocationView,
    /// Why the revocation failed, when it did (its code and facts: `revoke_failed`).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revocation_error: Option<IpcError>,
    pub removed_profiles: Vec<String>,
    /// Profiles left in place: their credentials work until they expire.
    pub kept_profiles: Vec<String>,
    pub browser: BrowserSignOutView,
    /// Why the browser's session may still be open (text from the network or the OS).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RevocationView {
    Revoked,
    NothingToRevoke,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BrowserSignOutView {
    Ended,
    NotNeeded,
    MayBeOpen,
}

impl SignOutResult {
    pub fn new(o: &poolpass::session::SignOutOutcome) -> Self {
        use poolpass::session::{BrowserSignOut, Revocation};
        let (revocation, revocation_error) = match &o.revocation {
            Revocation::Revoked => (RevocationView::Revoked, None),
            Revocation::NothingToRevoke => (RevocationView::NothingToRevoke, None),
            Revocation::Failed(e) => (RevocationView::Failed, Some(IpcError::of(e))),
        };
        let (browser, browser_reason) = match &o.browser {
            BrowserSignOut::Ended => (BrowserSignOutView::Ended, None),
            BrowserSignOut::NotNeeded => (BrowserSignOutView::NotNeeded, None),
            BrowserSignOut::MayBeOpen { reason } => {
                (BrowserSignOutView::MayBeOpen, Some(reason.clone()))
            }
        };
        SignOutResult {
            connection: o.connection.clone(),
            revocation,
            revocation_error,
            removed_profiles: o.removed_profiles.clone(),
            kept_profiles: o.kept_profiles.iter().map(|(n, _)| n.clone()).collect(),
            browser,
            browser_reason,
        }
    }
}
