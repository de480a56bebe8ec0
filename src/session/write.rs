//! Writing and removing the profiles PoolPass owns: one profile's edit staged in a batch, the
//! ownership check before a profile is taken over, and the checks of what a profile's
//! `credential_process` line will name, made before any sign-in.

use std::path::PathBuf;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::auth::id_token::IdClaims;
use crate::aws::{split_role_arn, AwsCredentials};
use crate::config::{Connection, Mode};
use crate::profiles::{self, ProfileWrite};
use crate::state::{self, ProfileRecord, State};
use crate::Error;

use super::targets::Target;
use super::{Context, Event, Observer};

/// The profiles PoolPass wrote, by name.
pub fn list(ctx: &Context) -> Result<Vec<(String, ProfileRecord)>, Error> {
    Ok(State::load(&ctx.state_path)?.profiles.into_iter().collect())
}

/// Removes a profile PoolPass wrote from both AWS files and from its records. A profile it
/// did not write is refused.
pub async fn remove(ctx: &Context, profile: &str) -> Result<(), Error> {
    let record = {
        let _lock = state::Lock::acquire(&ctx.state_path)?;
        let mut state = State::load(&ctx.state_path)?;
        let Some(record) = state.profiles.remove(profile) else {
            return Err(Error::NotPoolPassProfile {
                profile: profile.to_string(),
            });
        };
        profiles::remove_profile(&ctx.files, &ctx.backups(), profile)?;
        state.save(&ctx.state_path)?;
        record
    };
    if record.mode == Mode::CredentialProcess {
        ctx.keychain.delete_cached_credentials(profile).await?;
    }
    Ok(())
}

/// Profiles with fixed names are checked before any browser opens; templated names are known
/// only after sign-in and are checked when written.
pub(super) fn check_ownership(
    conn: &Connection,
    ctx: &Context,
    state: &State,
    force: bool,
) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    for name in conn
        .identity_pools
        .iter()
        .filter_map(|p| p.profile.known_before_sign_in(&conn.name, &p.name))
    {
        if state.profiles.contains_key(&name) {
            continue;
        }
        if let Some(path) = profiles::profile_exists(&ctx.files, &name)? {
            return Err(Error::ProfileNotOwned {
                profile: name,
                path,
            });
        }
    }
    Ok(())
}

/// What must hold before any browser opens or token is spent: the credential_process lines
/// the connection's profiles need can be written.
pub(super) fn check_before_sign_in(conn: &Connection) -> Result<(), Error> {
    if conn
        .identity_pools
        .iter()
        .any(|p| p.mode == Mode::CredentialProcess)
    {
        profiles::check_process_paths(&cli_program()?, &conn.config_path)?;
    }
    Ok(())
}

/// The `poolpass` command line program, which `credential_process` lines run: this program
/// when it is the CLI, else the CLI installed beside the desktop app or the tray program.
/// `POOLPASS_CLI` names it where it lives elsewhere (packages that install it apart, tests
/// that run the core inside a test program).
pub fn cli_program() -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os("POOLPASS_CLI").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe().map_err(|e| Error::ProfileFile {
        path: PathBuf::from("poolpass"),
        reason: format!("cannot tell where the poolpass program is ({e}), so no credential_process line can name it"),
    })?;
    let cli_name = format!("poolpass{}", std::env::consts::EXE_SUFFIX);
    if exe.file_name().is_some_and(|n| n == cli_name.as_str()) {
        return Ok(exe);
    }
    let beside = exe.with_file_name(&cli_name);
    if beside.is_file() {
        return Ok(beside);
    }
    Err(Error::ProfileFile {
        path: beside,
        reason: "the poolpass command line program, which credential_process profiles run, is not installed beside this program; reinstall PoolPass".into(),
    })
}

/// Stages one profile's edit in the batch and returns its record (kept only if the batch is
/// written).
#[allow(clippy::too_many_arguments)]
pub(super) fn stage_one(
    conn: &Connection,
    batch: &mut profiles::Batch<'_>,
    ctx: &Context,
    t: &Target<'_>,
    credentials: &AwsCredentials,
    claims: &IdClaims,
    caller_arn: String,
    force: bool,
    state: &State,
    obs: &dyn Observer,
) -> Result<ProfileRecord, Error> {
    // Checked again under the lock: the user may have added the profile meanwhile.
    if !state.profiles.contains_key(&t.profile) {
        if let Some(path) = batch.existing(&t.profile) {
            if !force {
                return Err(Error::ProfileNotOwned {
                    profile: t.profile.clone(),
                    path,
                });
            }
            if let Some(text) = batch.sections_text(&t.profile) {
                let backups = ctx.backups();
                let backup =
                    backups
                        .save_section(&t.profile, &text)
                        .map_err(|e| Error::ProfileFile {
                            path: backups.dir().to_path_buf(),
                            reason: format!("cannot back up the existing profile first: {e}"),
                        })?;
                obs.event(Event::TookOver {
                    profile: t.profile.clone(),
                    backup,
                });
            }
        }
    }
    let mode = match t.pool.mode {
        Mode::Static => {
            batch.set_static(&ProfileWrite {
                name: &t.profile,
                credentials,
                region: &t.pool.profile_region,
            })?;
            Mode::Static
        }
        Mode::CredentialProcess => {
            let exe = cli_program()?;
            let config = std::fs::canonicalize(&conn.config_path)
                .unwrap_or_else(|_| conn.config_path.clone());
            let command = profiles::process_command(&exe, &config, &t.profile)?;
            batch.set_process(&t.profile, &t.pool.profile_region, &command)?;
            Mode::CredentialProcess
        }
    };

    // What AWS confirmed wins over what the token suggested.
    let confirmed = crate::sts::CallerIdentity {
        account: caller_arn.split(':').nth(4).unwrap_or_default().to_string(),
        arn: caller_arn.clone(),
    };
    let expected = t.expected_role.as_deref().and_then(split_role_arn);
    let account_id = Some(confirmed.account.clone())
        .filter(|a| !a.is_empty())
        .or(expected.as_ref().map(|(a, _)| a.clone()));
    let role_name = confirmed
        .role_name()
        .map(String::from)
        .or(expected.map(|(_, n)| n));
    Ok(ProfileRecord {
        connection: conn.name.clone(),
        identity_pool_id: t.pool.id.clone(),
        role_arn: t.expected_role.clone(),
        account_id,
        role_name,
        user: crate::text::escaped(claims.display_name(), 200),
        caller_arn: Some(caller_arn),
        mode,
        expires_at: rfc3339(credentials.expiration),
        credentials_file: batch.files().credentials.clone(),
        config_file: batch.files().config.clone(),
        updated_at: rfc3339(ctx.clock.now()),
    })
}

pub(super) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}
