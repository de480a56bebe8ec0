//! Which profiles a token yields: for each identity pool, the roles the configuration asks
//! for that the token grants, and each one's profile name, checked filled in. A pure decision,
//! unit-tested without peers.

use crate::auth::id_token::IdClaims;
use crate::aws::split_role_arn;
use crate::config::{Connection, Flow, IdentityPool, RoleChoice};
use crate::error::NoRoleReason;
use crate::Error;

/// One profile to produce: a pool, the role asked for, and the profile name.
pub(super) struct Target<'a> {
    pub(super) pool: &'a IdentityPool,
    /// `CustomRoleArn` (enhanced) or `RoleArn` (classic); `None` lets the pool choose.
    pub(super) role_arn: Option<String>,
    /// The role the profile is expected to hold, for its name and the records.
    pub(super) expected_role: Option<String>,
    pub(super) profile: String,
}

/// Every profile the configuration asks for, given the roles the token grants. A role the
/// user lacks, or a name that cannot be made, becomes a failed row, not a failed sign-in.
pub(super) fn targets<'a>(
    conn: &'a Connection,
    claims: &IdClaims,
) -> (Vec<Target<'a>>, Vec<(String, Error)>) {
    let mut out = Vec::new();
    let mut failed = Vec::new();
    for pool in &conn.identity_pools {
        let wanted: Vec<(Option<String>, Option<String>)> = match &pool.roles {
            RoleChoice::Preferred => match (&pool.flow, &claims.preferred_role) {
                // The classic flow must name the role to assume.
                (Flow::Classic { .. }, Some(r)) => vec![(Some(r.clone()), Some(r.clone()))],
                (Flow::Classic { .. }, None) => {
                    failed.push((
                        pool.profile.preview(&conn.name, &pool.name),
                        Error::NoRole {
                            pool: pool.id.clone(),
                            reason: NoRoleReason::ClassicNeedsPreferredRole,
                        },
                    ));
                    continue;
                }
                (Flow::Enhanced, r) => vec![(None, r.clone())],
            },
            RoleChoice::All => {
                if claims.roles.is_empty() {
                    failed.push((
                        pool.profile.preview(&conn.name, &pool.name),
                        Error::NoRole {
                            pool: pool.id.clone(),
                            reason: NoRoleReason::NoRolesInSignIn,
                        },
                    ));
                    continue;
                }
                claims
                    .roles
                    .iter()
                    .map(|r| (Some(r.clone()), Some(r.clone())))
                    .collect()
            }
            RoleChoice::Listed(list) => list
                .iter()
                .filter_map(|r| {
                    if claims.roles.contains(r) {
                        Some((Some(r.clone()), Some(r.clone())))
                    } else {
                        let name = pool.profile.render(
                            &conn.name,
                            &pool.name,
                            split_role_arn(r)
                                .as_ref()
                                .map(|(a, n)| (a.as_str(), n.as_str())),
                        );
                        failed.push((
                            name.unwrap_or_else(|| pool.profile.preview(&conn.name, &pool.name)),
                            Error::RoleNotGranted {
                                pool: pool.id.clone(),
                                role: r.clone(),
                            },
                        ));
                        None
                    }
                })
                .collect(),
        };
        for (role_arn, expected_role) in wanted {
            let split = expected_role.as_deref().and_then(split_role_arn);
            match pool.profile.render(&conn.name, &pool.name, split.as_ref().map(|(a, n)| (a.as_str(), n.as_str()))) {
                // Role names come from the token: IAM allows `+=,.@-_` and paths in them.
                Some(profile) if !crate::aws::safe_profile_name(&profile) => failed.push((
                    profile.clone(),
                    Error::ProfileNameUnsafe { profile, reason: "the role's name, which fills in {role_name}, holds characters that AWS tools or shells read differently".into() },
                )),
                Some(profile) if out.iter().any(|t: &Target| t.profile == profile) => failed.push((
                    profile.clone(),
                    Error::NoRole { pool: pool.id.clone(), reason: NoRoleReason::TwoRolesOneProfile { profile: profile.clone() } },
                )),
                Some(profile) => out.push(Target { pool, role_arn, expected_role, profile }),
                None => failed.push((
                    pool.profile.preview(&conn.name, &pool.name),
                    Error::NoRole { pool: pool.id.clone(), reason: NoRoleReason::ProfileNeedsRoleName },
                )),
            }
        }
    }
    (out, failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn connection(profile: &str) -> Connection {
        pool_connection(&format!("profile = \"{profile}\"\nroles = \"all\""))
    }

    /// A connection with one identity pool whose settings are `pool` (TOML lines).
    fn pool_connection(pool: &str) -> Connection {
        let text = format!(
            r#"
[[connection]]
name = "acme"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"

[[connection.identity_pool]]
id = "ap-northeast-1:00000000-0000-0000-0000-000000000000"
{pool}
"#
        );
        Config::parse(std::path::Path::new("/x/config.toml"), &text)
            .unwrap()
            .connections
            .remove(0)
    }

    fn claims(roles: &[&str]) -> IdClaims {
        serde_json::from_value(serde_json::json!({
            "sub": "s", "exp": 0, "cognito:roles": roles,
        }))
        .unwrap()
    }

    fn claims_preferring(roles: &[&str], preferred: &str) -> IdClaims {
        serde_json::from_value(serde_json::json!({
            "sub": "s", "exp": 0, "cognito:roles": roles, "cognito:preferred_role": preferred,
        }))
        .unwrap()
    }

    const ADMINS: &str = "arn:aws:iam::123456789012:role/Admins";
    const DEVS: &str = "arn:aws:iam::210987654321:role/team/Devs";

    /// A target as (profile, role asked for, role expected).
    type Row = (String, Option<String>, Option<String>);

    fn decide(conn: &Connection, claims: &IdClaims) -> (Vec<Row>, Vec<(String, &'static str)>) {
        let (ok, failed) = targets(conn, claims);
        (
            ok.into_iter()
                .map(|t| (t.profile, t.role_arn, t.expected_role))
                .collect(),
            failed.into_iter().map(|(p, e)| (p, e.code())).collect(),
        )
    }

    #[test]
    fn the_preferred_role_is_left_to_the_pool_in_the_enhanced_flow_and_named_in_the_classic() {
        let token = claims_preferring(&[ADMINS, DEVS], DEVS);
        let enhanced = pool_connection("profile = \"acme\"");
        assert_eq!(
            decide(&enhanced, &token),
            (vec![("acme".into(), None, Some(DEVS.into()))], vec![])
        );
        // Without a preferred role (a precedence tie) the pool still chooses.
        assert_eq!(
            decide(&enhanced, &claims(&[ADMINS, DEVS])),
            (vec![("acme".into(), None, None)], vec![])
        );
        let classic = pool_connection("profile = \"acme\"\nflow = \"classic\"");
        assert_eq!(
            decide(&classic, &token),
            (
                vec![("acme".into(), Some(DEVS.into()), Some(DEVS.into()))],
                vec![]
            )
        );
        assert_eq!(
            decide(&classic, &claims(&[ADMINS])),
            (vec![], vec![("acme".into(), "no_role")])
        );
    }

    #[test]
    fn all_roles_give_a_profile_each_named_by_role_and_account() {
        let conn =
            pool_connection("profile = \"{connection}-{account_id}-{role_name}\"\nroles = \"all\"");
        assert_eq!(
            decide(&conn, &claims(&[ADMINS, DEVS])),
            (
                vec![
                    (
                        "acme-123456789012-Admins".into(),
                        Some(ADMINS.into()),
                        Some(ADMINS.into())
                    ),
                    (
                        "acme-210987654321-Devs".into(),
                        Some(DEVS.into()),
                        Some(DEVS.into())
                    ),
                ],
                vec![]
            )
        );
        assert_eq!(
            decide(&conn, &claims(&[])),
            (
                vec![],
                vec![("acme-{account_id}-{role_name}".into(), "no_role")]
            )
        );
    }

    #[test]
    fn a_listed_role_the_token_lacks_is_a_failed_row_named_as_its_profile() {
        let conn = pool_connection(&format!(
            "profile = \"acme-{{role_name}}\"\nroles = [\"{ADMINS}\", \"{DEVS}\"]"
        ));
        assert_eq!(
            decide(&conn, &claims(&[DEVS])),
            (
                vec![("acme-Devs".into(), Some(DEVS.into()), Some(DEVS.into()))],
                vec![("acme-Admins".into(), "role_not_granted")]
            )
        );
    }

    /// Two roles of the same name in two accounts would overwrite each other's profile.
    #[test]
    fn two_roles_that_make_one_profile_name_fail_the_second() {
        let conn = connection("acme-{role_name}");
        let other_admins = "arn:aws:iam::210987654321:role/Admins";
        assert_eq!(
            decide(&conn, &claims(&[ADMINS, other_admins])),
            (
                vec![(
                    "acme-Admins".into(),
                    Some(ADMINS.into()),
                    Some(ADMINS.into())
                )],
                vec![("acme-Admins".into(), "no_role")]
            )
        );
    }

    /// `{role_name}` with the pool choosing the role: no name can be made before the answer.
    #[test]
    fn a_role_name_in_the_profile_needs_a_role_from_the_token() {
        let conn = pool_connection("profile = \"acme-{role_name}\"");
        assert_eq!(
            decide(&conn, &claims(&[ADMINS])),
            (vec![], vec![("acme-{role_name}".into(), "no_role")])
        );
        assert_eq!(
            decide(&conn, &claims_preferring(&[ADMINS], ADMINS)),
            (
                vec![("acme-Admins".into(), None, Some(ADMINS.into()))],
                vec![]
            )
        );
    }

    /// IAM allows `=` and `,` in role names; they come from the token, after every check of
    /// the configuration, so the name they make is checked there.
    #[test]
    fn role_names_that_make_unsafe_profile_names_are_failed_rows() {
        let conn = connection("acme-{role_name}");
        let (ok, failed) = targets(
            &conn,
            &claims(&[
                "arn:aws:iam::123456789012:role/Admins",
                "arn:aws:iam::123456789012:role/a=b,c",
            ]),
        );
        assert_eq!(
            ok.iter().map(|t| t.profile.as_str()).collect::<Vec<_>>(),
            ["acme-Admins"]
        );
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].0, "acme-a=b,c");
        assert_eq!(failed[0].1.code(), "profile_name_unsafe");
    }
}
