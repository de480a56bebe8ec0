//! `poolpass list`: the profiles PoolPass wrote, their accounts, roles and time left.

use std::process::ExitCode;

use poolpass::session;
use poolpass::workspace::Workspace;
use poolpass::Error;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub fn run(ws: &Workspace) -> Result<ExitCode, Error> {
    let rows = session::list(&ws.ctx())?;
    if rows.is_empty() {
        println!("PoolPass has written no profiles yet. Sign in with `poolpass login`.");
        return Ok(ExitCode::SUCCESS);
    }
    let table: Vec<[String; 6]> = rows
        .into_iter()
        .map(|(name, r)| {
            [
                name,
                r.account_id.unwrap_or_else(|| "-".into()),
                r.role_name.unwrap_or_else(|| "-".into()),
                r.identity_pool_id,
                r.expires_at.clone(),
                time_left(&r.expires_at),
            ]
        })
        .collect();
    let header = [
        "PROFILE",
        "ACCOUNT",
        "ROLE",
        "IDENTITY POOL",
        "EXPIRES",
        "LEFT",
    ];
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            table
                .iter()
                .map(|r| r[i].len())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| {
        let s: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", s.join("  ").trim_end());
    };
    line(&header);
    for r in &table {
        line(&r.iter().map(String::as_str).collect::<Vec<_>>());
    }
    Ok(ExitCode::SUCCESS)
}

/// "59m 12s left", "expired 3m ago".
pub fn time_left(expires_at: &str) -> String {
    let Ok(t) = OffsetDateTime::parse(expires_at, &Rfc3339) else {
        return "unknown".into();
    };
    let secs = (t - OffsetDateTime::now_utc()).whole_seconds();
    let fmt = |s: i64| {
        if s >= 3600 {
            format!("{}h {}m", s / 3600, s % 3600 / 60)
        } else {
            format!("{}m {}s", s / 60, s % 60)
        }
    };
    if secs > 0 {
        format!("{} left", fmt(secs))
    } else {
        format!("expired {} ago", fmt(-secs))
    }
}
