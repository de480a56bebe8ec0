//! `poolpass import`: preview a configuration (file or `poolpass://import` link) with what it
//! changes and where it sends sign-ins, confirm, save it; and `--make-link` for administrators.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ArgGroup;
use poolpass::config::{Flow, Mode, RoleChoice};
use poolpass::import::{self, Existing, HostClass, Origin, Preview};
use poolpass::workspace::Workspace;
use poolpass::Error;

#[derive(clap::Args)]
#[command(group(ArgGroup::new("what").required(true).args(["source", "make_link"])))]
pub struct Args {
    /// The configuration file, or the poolpass://import?config=… link, your administrator
    /// gave you. It is saved where PoolPass reads its configuration (--config,
    /// POOLPASS_CONFIG, else the default place).
    #[arg(value_name = "FILE|LINK")]
    source: Option<String>,
    /// Apply without asking, once you have checked the preview (needed without a terminal).
    // `conflicts_with` rather than `requires`: clap lets any member of a group satisfy
    // `requires` (clap-rs/clap#4707), so `--make-link F --yes` would pass silently.
    #[arg(long, conflicts_with = "make_link")]
    yes: bool,
    /// For administrators: print the link that imports this configuration file, instead.
    #[arg(long, value_name = "FILE", conflicts_with = "source")]
    make_link: Option<PathBuf>,
    /// With --make-link: a label the link shows to whoever imports it.
    #[arg(long, value_name = "LABEL", conflicts_with = "source")]
    name: Option<String>,
}

pub fn run(ws: &Workspace, args: Args) -> Result<ExitCode, Error> {
    if let Some(file) = args.make_link {
        println!("{}", import::make_link(&file, args.name.as_deref())?);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(source) = args.source else {
        // clap requires one of the two; this only keeps the function total.
        eprintln!("Name a configuration file or a poolpass:// link to import.");
        return Ok(ExitCode::from(2));
    };
    let dest = ws.config_path().to_path_buf();
    let src = import::read(&source)?;
    let preview = import::preview(&src.text, src.origin, &dest)?;
    print!("{}", render(&preview));
    if matches!(&preview.existing, Existing::Replaces(c) if c.same_text) {
        println!("This is already your configuration: nothing to do.");
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes {
        // Agreeing is the point of the preview: without someone to ask, refuse rather than
        // apply what nobody looked at.
        if !std::io::stdin().is_terminal() {
            eprintln!("Not applied: there is no terminal to ask you on. Check the preview above, then run the same command with --yes to apply it.");
            return Ok(ExitCode::from(2));
        }
        if !confirm(preview.warnings.len()) {
            println!("Not applied; nothing was changed.");
            return Ok(ExitCode::from(1));
        }
    }
    let applied = import::apply(&src.text, &dest)?;
    println!("Saved the configuration as {}.", applied.path.display());
    if let Some(b) = &applied.backup {
        println!("The previous configuration is kept as {}.", b.display());
    }
    let login = match preview.connections.as_slice() {
        [_] => "poolpass login".to_string(),
        _ => "poolpass login --connection NAME".to_string(),
    };
    println!("Next: sign in with `{login}`.");
    Ok(ExitCode::SUCCESS)
}

fn confirm(warnings: usize) -> bool {
    let mut err = std::io::stderr().lock();
    if warnings > 0 {
        let _ = writeln!(
            err,
            "Read the {} at the top before you answer.",
            if warnings == 1 {
                "WARNING".to_string()
            } else {
                format!("{warnings} WARNINGS")
            }
        );
    }
    let _ = write!(err, "Apply? [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// The preview for people: warnings first, then what the configuration contains, where its
/// traffic goes, and what it replaces.
fn render(p: &Preview) -> String {
    let mut o = String::new();
    match &p.origin {
        Origin::File(f) => {
            let _ = writeln!(o, "Configuration to import: {}", f.display());
        }
        Origin::Link { name } => {
            let _ = writeln!(o, "Configuration to import: from a poolpass:// link.");
            if let Some(n) = name {
                let _ = writeln!(
                    o,
                    "  The link calls itself {n:?}; whoever made it chose that label, and PoolPass cannot check who that was."
                );
            }
            let _ = writeln!(o, "  Import links only from your administrator.");
        }
    }
    if !p.warnings.is_empty() {
        let _ = writeln!(o);
        for w in &p.warnings {
            let _ = writeln!(o, "!! WARNING: {w}");
        }
    }
    for c in &p.connections {
        let _ = writeln!(o, "\nConnection {:?}", c.name);
        let row = |o: &mut String, k: &str, v: &str| {
            let _ = writeln!(o, "  {k:<16} {v}");
        };
        row(&mut o, "Sign-in page", &c.hosted_ui_domain);
        row(
            &mut o,
            "User pool",
            &format!("{} ({})", c.user_pool_id, c.user_pool_region),
        );
        row(&mut o, "App client", &c.client_id);
        row(&mut o, "Sign in with", &c.providers.join(", "));
        let ports: Vec<String> = c.redirect_ports.iter().map(u16::to_string).collect();
        row(&mut o, "Redirect ports", &ports.join(", "));
        for ip in &c.identity_pools {
            row(
                &mut o,
                "Identity pool",
                &format!("{} ({}), named {}", ip.id, ip.region, ip.name),
            );
            row(
                &mut o,
                "  profile",
                &format!(
                    "{}{} (region {})",
                    ip.profile
                        .replace("{role_name}", "<role name>")
                        .replace("{account_id}", "<account id>"),
                    if ip.per_role {
                        ", one per role you have"
                    } else {
                        ""
                    },
                    ip.profile_region
                ),
            );
            let roles = match &ip.roles {
                RoleChoice::Preferred => "the role the identity pool picks for you".to_string(),
                RoleChoice::All => "every role you have, one profile each".to_string(),
                RoleChoice::Listed(arns) => arns.join(", "),
            };
            row(&mut o, "  roles", &roles);
            let flow = match ip.flow {
                Flow::Enhanced => "enhanced flow, 1-hour credentials".to_string(),
                Flow::Classic { duration_seconds } => {
                    format!("classic flow, {duration_seconds}-second sessions")
                }
            };
            let mode = match ip.mode {
                Mode::Static => "keys in the AWS credentials file",
                Mode::CredentialProcess => "credential_process (keys kept in the OS keychain)",
            };
            row(&mut o, "  credentials", &format!("{flow}; {mode}"));
        }
    }
    let _ = writeln!(o, "\nAddresses it sends traffic to:");
    for e in &p.endpoints {
        let class = match (e.class, &e.warning) {
            (_, Some(_)) => "CHECK !!",
            (HostClass::Aws, None) => "AWS",
            (HostClass::Loopback, None) => "this computer",
            (HostClass::Other, None) => "not AWS",
        };
        let _ = writeln!(
            o,
            "  {class:<13} {:<30} {}{}",
            e.service.label(),
            e.url,
            if p.connections.len() > 1 {
                format!("  ({})", e.connection)
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(o, "\nSaves to {}", p.dest.display());
    match &p.existing {
        Existing::Nothing => {
            let _ = writeln!(o, "  There is no configuration there yet.");
        }
        Existing::Replaces(c) => {
            let mut parts = Vec::new();
            for (what, names) in [
                ("adds", &c.added),
                ("removes", &c.removed),
                ("changes", &c.changed),
                ("keeps as they are", &c.unchanged),
            ] {
                if !names.is_empty() {
                    parts.push(format!("{what} {}", names.join(", ")));
                }
            }
            let _ = writeln!(
                o,
                "  Replaces your current configuration (a backup is kept beside it): connections: {}.",
                parts.join("; ")
            );
            if !c.removed.is_empty() {
                let _ = writeln!(o, "  Profiles already written for removed connections stay in your AWS files until `poolpass remove PROFILE`.");
            }
        }
        Existing::ReplacesUnreadable { reason } => {
            let _ = writeln!(
                o,
                "  Replaces a file PoolPass cannot use as a configuration ({reason}); a backup is kept beside it."
            );
        }
    }
    o
}
