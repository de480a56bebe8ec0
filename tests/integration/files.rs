//! The user's AWS files keep every byte PoolPass does not own, through a sign-in and a refresh.

use crate::util::*;

const CREDENTIALS: &str = "# Hand-written by the user. Keep me.\r\n\
[default]\r\n\
aws_access_key_id = AKIADEFAULT\r\n\
aws_secret_access_key = default-secret\r\n\
\r\n\
; another style of comment\r\n\
[work]\r\n\
AWS_ACCESS_KEY_ID=AKIAWORK\r\n\
aws_secret_access_key =   spaced   \r\n\
# trailing comment, and no final newline";

const CONFIG: &str = "[default]\nregion = eu-west-1\ns3 =\n    max_concurrent_requests = 20\n\n[profile \"with space\"]\nregion = us-east-2\n";

#[test]
fn other_profiles_and_comments_are_kept_byte_for_byte() {
    let sb = Sandbox::new("bytes");
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    std::fs::write(sb.credentials_path(), CREDENTIALS).unwrap();
    std::fs::write(sb.aws_config_path(), CONFIG).unwrap();

    let login = unique("user");
    sb.login(&login, "Google").assert_ok();
    let after_login = std::fs::read_to_string(sb.credentials_path()).unwrap();
    let config_after = std::fs::read_to_string(sb.aws_config_path()).unwrap();
    // Everything the user had is still there, unchanged, in front of PoolPass's own section
    // (in the file's own CRLF line ends).
    assert!(after_login.starts_with(CREDENTIALS), "{after_login:?}");
    let ours = &after_login[CREDENTIALS.len()..];
    assert!(
        ours.starts_with(&format!("\r\n[{}]\r\naws_access_key_id = ", sb.profile)),
        "{ours:?}"
    );
    assert_eq!(ours.matches("\r\n").count(), 6, "{ours:?}");
    assert_eq!(
        config_after,
        format!(
            "{CONFIG}[profile {}]\nregion = ap-northeast-1\n",
            sb.profile
        )
    );

    // A refresh replaces PoolPass's section in place and nothing else.
    sb.run(&["refresh"]).assert_ok();
    let after_refresh = std::fs::read_to_string(sb.credentials_path()).unwrap();
    assert!(after_refresh.starts_with(CREDENTIALS));
    assert_eq!(
        after_refresh.len(),
        after_login.len(),
        "same shape, new values"
    );
    assert_ne!(after_refresh, after_login);
    assert_eq!(
        std::fs::read_to_string(sb.aws_config_path()).unwrap(),
        config_after
    );

    // The user's profiles still read the same in both SDKs.
    for read in [Sandbox::botocore_read, Sandbox::rust_sdk_read] {
        let d = read(&sb, "default");
        assert_eq!(
            (
                d.access_key_id.as_str(),
                d.secret_access_key.as_str(),
                d.region.as_deref()
            ),
            ("AKIADEFAULT", "default-secret", Some("eu-west-1"))
        );
        let w = read(&sb, "work");
        assert_eq!(
            (w.access_key_id.as_str(), w.secret_access_key.as_str()),
            ("AKIAWORK", "spaced")
        );
    }
    assert_eq!(
        sb.botocore_read(&sb.profile).access_key_id,
        last_issued(&format!("Google_{login}"))["AccessKeyId"]
            .as_str()
            .unwrap()
    );

    // Created private, and no temp file left behind.
    use std::os::unix::fs::PermissionsExt;
    let names: Vec<_> = std::fs::read_dir(sb.credentials_path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let fresh = Sandbox::new("mode");
    fresh.login(&unique("user"), "COGNITO").assert_ok();
    for p in [fresh.credentials_path(), fresh.aws_config_path()] {
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600,
            "{}",
            p.display()
        );
    }
}

#[test]
fn force_takes_over_a_users_profile_after_backing_it_up() {
    let sb = Sandbox::new("force");
    let users = format!("# mine\n[{p}]\naws_access_key_id = AKIAHANDMADE\naws_secret_access_key = handmade\nmfa_serial = arn:aws:iam::1:mfa/me\n", p = sb.profile);
    let config = format!(
        "[profile {p}]\nregion = us-east-1\ncredential_process = /usr/bin/old-helper\n",
        p = sb.profile
    );
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    std::fs::write(sb.credentials_path(), &users).unwrap();
    std::fs::write(sb.aws_config_path(), &config).unwrap();

    let login = unique("user");
    let run = Run::from(
        sb.cmd(&[
            "login",
            "--provider",
            "Google",
            "--timeout",
            "60",
            "--force",
        ])
        .env("BROWSER", &peers().browser)
        .env("POOLPASS_TEST_LOGIN", &login)
        .output()
        .unwrap(),
    );
    run.assert_ok();
    assert!(run.stderr.contains("Took over the profile"), "{run}");

    // The old sections are kept, word for word, in the backup named in the message.
    let backup = run
        .stderr
        .lines()
        .find_map(|l| l.split("saved in ").nth(1))
        .unwrap()
        .trim()
        .to_string();
    let saved = std::fs::read_to_string(&backup).unwrap();
    assert!(
        saved.contains("aws_access_key_id = AKIAHANDMADE")
            && saved.contains("credential_process = /usr/bin/old-helper"),
        "{saved}"
    );
    // And the whole previous files too, privately.
    use std::os::unix::fs::PermissionsExt;
    let backups_dir = std::path::Path::new(&backup).parent().unwrap();
    assert_eq!(
        std::fs::metadata(backups_dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let copies: Vec<String> = std::fs::read_dir(backups_dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        copies.contains(&users) && copies.contains(&config),
        "{copies:?}"
    );

    // Now PoolPass's: new keys, no credential_process left to fight them, the user's comment kept.
    let read = sb.botocore_read(&sb.profile);
    assert_eq!(
        read.access_key_id,
        last_issued(&format!("Google_{login}"))["AccessKeyId"]
            .as_str()
            .unwrap()
    );
    let config_now = std::fs::read_to_string(sb.aws_config_path()).unwrap();
    assert!(!config_now.contains("credential_process"), "{config_now}");
    assert!(std::fs::read_to_string(sb.credentials_path())
        .unwrap()
        .starts_with("# mine\n"));
}

#[test]
fn remove_deletes_only_what_poolpass_wrote() {
    let sb = Sandbox::new("remove");
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    std::fs::write(sb.credentials_path(), CREDENTIALS).unwrap();
    std::fs::write(sb.aws_config_path(), CONFIG).unwrap();
    sb.login(&unique("user"), "COGNITO").assert_ok();

    sb.run(&["remove", "work"])
        .assert_error("not_poolpass_profile");
    sb.run(&["remove", &sb.profile]).assert_ok();
    // Back to exactly what the user had (PoolPass's appended sections gone; the newline it
    // had to add to the last line stays).
    assert_eq!(
        std::fs::read_to_string(sb.credentials_path()).unwrap(),
        format!("{CREDENTIALS}\r\n")
    );
    assert_eq!(
        std::fs::read_to_string(sb.aws_config_path()).unwrap(),
        CONFIG
    );
    assert!(sb.state()["profiles"].get(&sb.profile).is_none());
    assert!(!sb.run(&["list"]).stdout.contains(&sb.profile));
}

#[test]
fn warnings_say_when_tools_would_not_use_what_was_written() {
    let sb = Sandbox::new("shadow");
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    std::fs::write(
        sb.credentials_path(),
        "[someone]\naws_access_key_id = AKIA\naws_secret_access_key = x\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        sb.credentials_path(),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    sb.login(&unique("user"), "COGNITO").assert_ok();
    // A role_arn added to PoolPass's profile by hand, and keys in the environment.
    let config = std::fs::read_to_string(sb.aws_config_path()).unwrap();
    std::fs::write(
        sb.aws_config_path(),
        format!("{config}role_arn = arn:aws:iam::1:role/Other\n"),
    )
    .unwrap();
    let run = Run::from(
        sb.cmd(&["refresh"])
            .env("AWS_ACCESS_KEY_ID", "AKIAENV")
            .output()
            .unwrap(),
    );
    run.assert_ok();
    assert!(
        run.stderr.contains("can be read by other users (mode 644)"),
        "{run}"
    );
    assert!(run.stderr.contains("AWS_ACCESS_KEY_ID is set"), "{run}");
    assert!(run.stderr.contains("has `role_arn`"), "{run}");
    // The mode is the user's choice: kept, only warned about.
    assert_eq!(
        std::fs::metadata(sb.credentials_path())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o644
    );
}

#[test]
fn a_file_poolpass_cannot_read_is_refused_with_its_line() {
    let sb = Sandbox::new("binary");
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    let garbage = b"[work]\naws_access_key_id = AKIAWORK\n\xff\xfe\x00 garbage\n".to_vec();
    std::fs::write(sb.credentials_path(), &garbage).unwrap();
    // Refused before any browser opens (BROWSER is /bin/false here).
    let run = sb.run(&["login", "--provider", "COGNITO"]);
    run.assert_error("profile_file");
    assert!(
        run.stderr.contains("line 3 is not UTF-8") && !run.stderr.contains("Listening"),
        "{run}"
    );
    assert_eq!(std::fs::read(sb.credentials_path()).unwrap(), garbage);
}

/// Runs `cmd`, killing it after `secs` (a FIFO read by the old code would never return).
fn run_within(mut cmd: std::process::Command, secs: u64) -> Run {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!(
                "poolpass did not finish within {secs} s: {:?}",
                child.wait_with_output()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Run::from(child.wait_with_output().unwrap())
}

#[test]
fn a_fifo_or_huge_aws_file_is_refused_before_any_network_call() {
    let sb = Sandbox::new("fifo");
    let dir = sb.credentials_path().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = std::ffi::CString::new(sb.credentials_path().to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    // Refused before any browser opens, and without waiting for a writer that never comes.
    let run = run_within(sb.cmd(&["login", "--provider", "COGNITO"]), 20);
    run.assert_error("profile_file");
    assert!(
        run.stderr.contains("named pipe") && !run.stderr.contains("Listening"),
        "{run}"
    );

    std::fs::remove_file(sb.credentials_path()).unwrap();
    let big = std::fs::File::create(sb.aws_config_path()).unwrap();
    big.set_len(5 << 20).unwrap();
    let run = run_within(sb.cmd(&["login", "--provider", "COGNITO"]), 20);
    run.assert_error("profile_file");
    assert!(
        run.stderr.contains("5.0 MiB, more than the 4 MiB") && !run.stderr.contains("Listening"),
        "{run}"
    );
    assert!(!sb.credentials_path().exists());
    assert_eq!(
        std::fs::metadata(sb.aws_config_path()).unwrap().len(),
        5 << 20
    );
}

#[test]
fn a_credentials_path_through_a_link_in_a_shared_folder_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new("sharedlink");
    let aws = sb.credentials_path().parent().unwrap().to_path_buf();
    let real = sb.home().join("real");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(real.join("credentials"), sb.credentials_path()).unwrap();
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = sb.login(&unique("user"), "COGNITO");
    run.assert_ok();
    assert!(
        run.stderr.contains(&format!(
            "through the symbolic link {} in {}, a folder other users can write",
            sb.credentials_path().display(),
            aws.display()
        )),
        "{run}"
    );
    // Written at the link's target, as before; the link stays.
    assert!(std::fs::read_to_string(real.join("credentials"))
        .unwrap()
        .contains(&format!("[{}]", sb.profile)));
    // The same link in a folder only the user can write: no warning.
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o700)).unwrap();
    let run = sb.run(&["refresh"]);
    run.assert_ok();
    assert!(!run.stderr.contains("symbolic link"), "{run}");
}

#[test]
fn a_file_no_aws_tool_can_read_is_refused_and_says_why() {
    let sb = Sandbox::new("bom");
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    let bom = "\u{feff}[work]\naws_access_key_id = AKIAWORK\naws_secret_access_key = w\n";
    std::fs::write(sb.credentials_path(), bom).unwrap();
    let run = sb.run(&["login", "--provider", "COGNITO"]);
    run.assert_error("profile_file");
    assert!(
        run.stderr
            .contains("line 1 starts the file with a byte-order mark")
            && run
                .stderr
                .contains("Neither botocore (the AWS CLI) nor the Rust SDK can read this file")
            && !run.stderr.contains("Listening"),
        "{run}"
    );
    assert_eq!(std::fs::read_to_string(sb.credentials_path()).unwrap(), bom);
}
