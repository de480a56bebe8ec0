//! When a running app should refresh credentials by itself, and when it should warn the user
//! that some are about to run out. Pure decisions over PoolPass's records, so that the desktop
//! app's timer (and its tests) need no clock or network of their own.

use std::collections::BTreeSet;

use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::state::ProfileRecord;

/// Refresh this long before expiry: early enough that a slow network or a retry still lands
/// before anything expires, late enough not to hammer the token endpoint.
pub const REFRESH_AHEAD: Duration = Duration::minutes(10);

/// Warn the user this long before a profile expires when it could not be refreshed.
pub const WARN_AHEAD: Duration = Duration::minutes(5);

/// A profile close to (or past) its expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    pub profile: String,
    pub connection: String,
    pub expires_at: OffsetDateTime,
}

/// What to do now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Connections with at least one profile inside [`REFRESH_AHEAD`] (each refreshed once,
    /// which renews all of its profiles).
    pub refresh: Vec<String>,
    /// Profiles inside [`WARN_AHEAD`] and not yet expired: tell the user if refreshing failed.
    pub warn: Vec<Expiring>,
    /// The profile that expires first, for the tray.
    pub soonest: Option<Expiring>,
}

/// Decides from the records at `now`. Records whose expiry cannot be read are left alone
/// (they show as failed rows in the window); expired profiles are still refreshed, since a
/// stored refresh token usually outlives the credentials.
pub fn plan(records: &[(String, ProfileRecord)], now: OffsetDateTime) -> Plan {
    let mut refresh = BTreeSet::new();
    let mut warn = Vec::new();
    let mut soonest: Option<Expiring> = None;
    for (profile, r) in records {
        let Ok(expires_at) = OffsetDateTime::parse(&r.expires_at, &Rfc3339) else {
            continue;
        };
        let e = Expiring {
            profile: profile.clone(),
            connection: r.connection.clone(),
            expires_at,
        };
        let left = expires_at - now;
        if left <= REFRESH_AHEAD {
            refresh.insert(r.connection.clone());
        }
        if left > Duration::ZERO && left <= WARN_AHEAD {
            warn.push(e.clone());
        }
        if soonest.as_ref().is_none_or(|s| expires_at < s.expires_at) {
            soonest = Some(e);
        }
    }
    Plan {
        refresh: refresh.into_iter().collect(),
        warn,
        soonest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(connection: &str, expires_at: OffsetDateTime) -> ProfileRecord {
        ProfileRecord {
            connection: connection.into(),
            identity_pool_id: "pool".into(),
            role_arn: None,
            account_id: None,
            role_name: None,
            user: "user".into(),
            mode: crate::config::Mode::Static,
            caller_arn: None,
            expires_at: expires_at.format(&Rfc3339).unwrap(),
            credentials_file: "credentials".into(),
            config_file: "config".into(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn refreshes_each_connection_once_and_warns_only_inside_the_window() {
        let now = OffsetDateTime::now_utc();
        let records = vec![
            ("a1".to_string(), record("a", now + Duration::minutes(4))),
            ("a2".to_string(), record("a", now + Duration::minutes(8))),
            ("b1".to_string(), record("b", now + Duration::minutes(30))),
            ("c1".to_string(), record("c", now - Duration::minutes(1))),
        ];
        let p = plan(&records, now);
        assert_eq!(p.refresh, vec!["a".to_string(), "c".to_string()]);
        assert_eq!(
            p.warn
                .iter()
                .map(|e| e.profile.as_str())
                .collect::<Vec<_>>(),
            ["a1"]
        );
        assert_eq!(p.soonest.unwrap().profile, "c1");
    }

    #[test]
    fn unreadable_expiry_is_left_alone() {
        let mut r = record("a", OffsetDateTime::now_utc());
        r.expires_at = "soon".into();
        assert_eq!(
            plan(&[("x".into(), r)], OffsetDateTime::now_utc()),
            Plan::default()
        );
    }
}
