//! `poolpass import`: the real binary against a sandbox, no peers. What must hold: only a
//! valid configuration the user agreed to is written, privately and atomically, where the
//! other commands read it, with the previous one kept.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Run, Sandbox};

fn config_text(connection: &str, profile: &str) -> String {
    format!(
        r#"# Handed out by the administrator. Ünïcødé survives the trip.
[[connection]]
name = "{connection}"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"
providers = ["Google", "COGNITO"]

[[connection.identity_pool]]
id = "ap-northeast-1:00000000-0000-0000-0000-000000000000"
profile = "{profile}"
"#
    )
}

fn write_source(sb: &Sandbox, name: &str, text: &str) -> PathBuf {
    let p = sb.dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// The backups `import` left beside the configuration.
fn backups(sb: &Sandbox) -> Vec<PathBuf> {
    let name = sb
        .config_path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut out: Vec<PathBuf> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let f = p.file_name().unwrap().to_string_lossy();
            f.starts_with(&format!("{name}.")) && f.ends_with(".bak")
        })
        .collect();
    out.sort();
    out
}

/// Proof that the command line reads the file: asking for a connection it lacks lists the
/// ones it has (before any keychain or network access).
#[track_caller]
fn assert_cli_reads(run: Run, connection: &str) {
    run.assert_error("unknown_connection");
    assert!(run.stderr.contains(connection), "{run}");
}

#[test]
fn a_file_imported_with_yes_is_written_private_and_read_by_the_cli() {
    let sb = Sandbox::bare("imp-file");
    let text = config_text(&sb.connection, &sb.profile);
    let src = write_source(&sb, "from-admin.toml", &text);
    let run = sb.run(&["import", src.to_str().unwrap(), "--yes"]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains(&format!("Connection {:?}", sb.connection)),
        "{run}"
    );
    assert!(
        run.stdout.contains("There is no configuration there yet"),
        "{run}"
    );
    assert_eq!(std::fs::read_to_string(sb.config_path()).unwrap(), text);
    assert_eq!(mode(&sb.config_path()), 0o600);
    assert!(backups(&sb).is_empty());
    assert_cli_reads(
        sb.run(&["refresh", "--connection", "nosuch"]),
        &sb.connection,
    );
    sb.run(&["list"]).assert_ok();
    // The same file again changes nothing and needs no confirmation.
    let again = sb.run(&["import", src.to_str().unwrap()]);
    again.assert_ok();
    assert!(
        again.stdout.contains("already your configuration"),
        "{again}"
    );
    assert!(backups(&sb).is_empty());
}

#[test]
fn without_config_it_goes_to_the_default_place_in_a_private_folder() {
    let sb = Sandbox::bare("imp-default");
    let text = config_text(&sb.connection, &sb.profile);
    let src = write_source(&sb, "from-admin.toml", &text);
    let bin = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_poolpass"));
        c.args(args);
        for v in ["POOLPASS_CONFIG", "XDG_CONFIG_HOME", "XDG_STATE_HOME"] {
            c.env_remove(v);
        }
        c.env("HOME", sb.home()).stdin(std::process::Stdio::null());
        Run::from(c.output().unwrap())
    };
    bin(&["import", src.to_str().unwrap(), "--yes"]).assert_ok();
    let dest = sb.home().join(".config/poolpass/config.toml");
    assert_eq!(std::fs::read_to_string(&dest).unwrap(), text);
    assert_eq!(mode(&dest), 0o600);
    assert_eq!(mode(dest.parent().unwrap()), 0o700);
    assert_cli_reads(bin(&["refresh", "--connection", "nosuch"]), &sb.connection);

    // POOLPASS_CONFIG names the destination as it names the file the commands read.
    let elsewhere = sb.dir.path().join("env").join("pp.toml");
    let run = Run::from(
        Command::new(env!("CARGO_BIN_EXE_poolpass"))
            .args(["import", src.to_str().unwrap(), "--yes"])
            .env("HOME", sb.home())
            .env("POOLPASS_CONFIG", &elsewhere)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap(),
    );
    run.assert_ok();
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), text);
}

#[test]
fn a_link_replaces_the_configuration_and_the_previous_one_is_kept() {
    let sb = Sandbox::bare("imp-link");
    let first = config_text(&sb.connection, &sb.profile);
    let src = write_source(&sb, "first.toml", &first);
    sb.run(&["import", src.to_str().unwrap(), "--yes"])
        .assert_ok();

    let second_name = format!("{}-b", sb.connection);
    let second = config_text(&second_name, &sb.profile);
    let src2 = write_source(&sb, "second.toml", &second);
    let made = sb.run(&["import", "--make-link", src2.to_str().unwrap()]);
    made.assert_ok();
    let link = made.stdout.trim();
    let run = sb.run(&["import", link, "--yes"]);
    run.assert_ok();
    assert!(run.stdout.contains("from a poolpass:// link"), "{run}");
    assert!(
        run.stdout.contains(&format!("adds {second_name}"))
            && run.stdout.contains(&format!("removes {}", sb.connection)),
        "{run}"
    );
    assert_eq!(std::fs::read_to_string(sb.config_path()).unwrap(), second);
    assert_eq!(mode(&sb.config_path()), 0o600);
    let kept = backups(&sb);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read_to_string(&kept[0]).unwrap(), first);
    assert_eq!(mode(&kept[0]), 0o600);
    assert!(run.stdout.contains(&kept[0].display().to_string()), "{run}");
    assert_cli_reads(sb.run(&["refresh", "--connection", "nosuch"]), &second_name);
}

#[test]
fn an_invalid_configuration_is_not_written_and_the_error_names_line_and_field() {
    let sb = Sandbox::bare("imp-invalid");
    let bad = config_text(&sb.connection, "has space");
    let src = write_source(&sb, "bad.toml", &bad);
    let run = sb.run(&["import", src.to_str().unwrap(), "--yes"]);
    run.assert_error("config_invalid");
    assert!(
        run.stderr
            .contains(&format!("{}:11: `identity_pool.profile`", src.display())),
        "{run}"
    );
    assert!(!sb.config_path().exists());

    // Over an existing configuration: left as it was, no backup.
    let good = config_text(&sb.connection, &sb.profile);
    let ok = write_source(&sb, "good.toml", &good);
    sb.run(&["import", ok.to_str().unwrap(), "--yes"])
        .assert_ok();
    sb.run(&["import", src.to_str().unwrap(), "--yes"])
        .assert_error("config_invalid");
    assert_eq!(std::fs::read_to_string(sb.config_path()).unwrap(), good);
    assert!(backups(&sb).is_empty());
}

#[test]
fn without_a_terminal_and_without_yes_nothing_is_written() {
    let sb = Sandbox::bare("imp-notty");
    let src = write_source(
        &sb,
        "from-admin.toml",
        &config_text(&sb.connection, &sb.profile),
    );
    // stdin is /dev/null: not a terminal.
    let run = sb.run(&["import", src.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("--yes"), "{run}");
    assert!(
        run.stdout
            .contains(&format!("Connection {:?}", sb.connection)),
        "{run}"
    );
    assert!(!sb.config_path().exists());
}

#[test]
fn make_link_output_imports_back_to_the_identical_text() {
    let sb = Sandbox::bare("imp-roundtrip");
    let text = config_text(&sb.connection, &sb.profile)
        + "\n# Trailing comment with \"quotes\", ?&=#+/ and a tab\there.\n";
    let src = write_source(&sb, "admin.toml", &text);
    let made = sb.run(&[
        "import",
        "--make-link",
        src.to_str().unwrap(),
        "--name",
        "Acme staff",
    ]);
    made.assert_ok();
    let link = made.stdout.trim();
    assert!(link.starts_with("poolpass://import?config="), "{made}");
    let run = sb.run(&["import", link, "--yes"]);
    run.assert_ok();
    assert!(run.stdout.contains("\"Acme staff\""), "{run}");
    assert_eq!(std::fs::read(sb.config_path()).unwrap(), text.as_bytes());

    // A link is never made for a configuration PoolPass would refuse.
    let bad = write_source(&sb, "bad.toml", &text.replace("us-west-2_AbC123", "x"));
    let run = sb.run(&["import", "--make-link", bad.to_str().unwrap()]);
    run.assert_error("config_invalid");
    assert!(run.stdout.is_empty(), "{run}");
}

#[test]
fn bad_links_are_refused_and_nothing_is_written() {
    let sb = Sandbox::bare("imp-badlink");
    for (link, code) in [
        (
            "poolpass://import?config=W3hd&extra=1",
            "import_link_invalid",
        ),
        (
            "poolpass://import?url=https://example.com/c.toml",
            "import_link_invalid",
        ),
        ("poolpass://import?config=W3hdCg==", "import_link_invalid"),
        ("poolpass://import?config=_w", "import_not_utf8"),
    ] {
        sb.run(&["import", link, "--yes"]).assert_error(code);
    }
    assert!(!sb.config_path().exists());
}

#[test]
fn a_host_outside_aws_is_flagged_before_anything_else() {
    let sb = Sandbox::bare("imp-flag");
    let text = config_text(&sb.connection, &sb.profile).replace(
        "https://acme.auth.us-west-2.amazoncognito.com",
        "https://auth.example.com",
    );
    let src = write_source(&sb, "custom.toml", &text);
    let run = sb.run(&["import", src.to_str().unwrap()]);
    assert_eq!(run.code, Some(2), "{run}");
    let warning = run
        .stdout
        .find("!! WARNING: Sign-in would go to auth.example.com, which is not an AWS domain")
        .unwrap_or_else(|| panic!("no warning:\n{run}"));
    assert!(warning < run.stdout.find("Connection").unwrap(), "{run}");
    assert!(!sb.config_path().exists());
}

/// The import link of a hostile configuration author: each name would run a command in every
/// AWS tool that used the profile. None is written, as a file or as a link.
#[test]
fn profile_names_that_a_shell_would_run_are_refused() {
    let sb = Sandbox::bare("import-hostile");
    for (connection, profile, field) in [
        ("acme", "acme$(touch$IFS$HOME/x)", "identity_pool.profile"),
        ("acme", "acme`id`", "identity_pool.profile"),
        ("acme", "a|b", "identity_pool.profile"),
        ("acme", "a&b", "identity_pool.profile"),
        ("acme", "a b", "identity_pool.profile"),
        ("acme;touch x", "{connection}-dev", "`name`"),
        ("acme$(id)", "p-{connection}", "`name`"),
    ] {
        let src = write_source(&sb, "hostile.toml", &config_text(connection, profile));
        let run = sb.run(&["import", src.to_str().unwrap(), "--yes"]);
        run.assert_error("config_invalid");
        assert!(run.stderr.contains(field), "{profile:?}: {run}");
        assert!(!sb.config_path().exists(), "{profile:?} was written");
        let made = sb.run(&["import", "--make-link", src.to_str().unwrap()]);
        assert_ne!(
            made.code,
            Some(0),
            "a link was made for {profile:?}: {made}"
        );
    }
}

/// The preview shows the names that will be written, not the template.
#[test]
fn the_preview_shows_filled_in_profile_names() {
    let sb = Sandbox::bare("import-preview-names");
    let src = write_source(
        &sb,
        "c.toml",
        &config_text("acme", "{connection}-{pool}-{role_name}"),
    );
    let run = sb.run(&["import", src.to_str().unwrap()]);
    assert!(
        run.stdout
            .contains("acme-00000000-<role name>, one per role you have"),
        "{run}"
    );
}
