//! What crosses IPC, and only that. The core's types stay free of serde-for-the-UI and ts-rs;
//! these small structs copy out the fields the window shows, so a secret added to a core type
//! later cannot reach the webview by accident. The TypeScript in `ui/src/bindings/` is
//! generated from them (`bindings::export`).

use poolpass::config::{Connection, Provider};
use poolpass::session::{Event, Outcome};
use poolpass::state::ProfileRecord;
use serde::Serialize;
use ts_rs::TS;

/// Every failure the window sees: the core's stable code to switch on, and the message to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl From<poolpass::Error> for IpcError {
    fn from(e: poolpass::Error) -> Self {
        IpcError {
            code: e.code().to_string(),
            message: e.to_string(),
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
    /// What `sign_in` takes back (Cognito's `identity_provider` value).
    pub id: String,
    pub label: String,
}

impl From<&Provider> for ProviderButton {
    fn from(p: &Provider) -> Self {
        ProviderButton {
            id: p.as_param().to_string(),
            label: p.button_label(),
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
    Warning {
        message: String,
    },
    ProfileFailed {
        profile: String,
        error: IpcError,
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
            Event::Warning { message, .. } => Progress::Warning { message },
            Event::ProfileFailed {
                profile,
                code,
                message,
            } => Progress::ProfileFailed {
                profile,
                error: IpcError {
                    code: code.to_string(),
                    message,
                },
            },
            // Sign-out is not in the window yet. Until it is (with its own kinds, which the
            // window's progress lines must then handle), its steps arrive as plain lines.
            Event::Revoked => Progress::Warning {
                message: "Revoked the saved sign-in at the hosted UI.".into(),
            },
            Event::RevokeFailed { message, .. } => Progress::Warning { message },
            Event::ProfileRemoved { profile } => Progress::Warning {
                message: format!("Removed the profile {profile} from the AWS files."),
            },
            Event::SignedOut { connection } => Progress::Warning {
                message: format!("Deleted the saved sign-in of {connection}."),
            },
        }
    }
}
