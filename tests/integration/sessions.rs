//! Sessions that last: credential_process profiles read by botocore and the Rust SDK, one
//! refresh for many concurrent callers, refresh-token rotation, `refresh --all` and `export`.

use std::process::{Command, Stdio};

use poolpass::aws::AwsCredentials;
use poolpass::keychain::Keychain;
use poolpass::secret::Secret;
use serde_json::Value;

use crate::util::*;

fn process_sandbox(tag: &str) -> Sandbox {
    Sandbox::with_config(tag, |t| {
        *t = t.replace(
            "region = \"ap-northeast-1\"\n",
            "region = \"ap-northeast-1\"\nmode = \"credential_process\"\n",
        )
    })
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn token_requests(user: &str) -> Vec<Value> {
    hosted_ui_log()["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["user"] == user)
        .cloned()
        .collect()
}

/// The Rust SDK runs credential_process through `sh -c` with its own process's environment,
/// so it reads in a child process that has the sandbox's.
#[test]
#[ignore = "child process of credential_process_profiles_are_read_by_both_sdks"]
fn child_rust_sdk_reader() {
    let Ok(profile) = std::env::var("POOLPASS_TEST_READ_PROFILE") else {
        return;
    };
    let sb_files = (
        std::env::var("AWS_SHARED_CREDENTIALS_FILE").unwrap(),
        std::env::var("AWS_CONFIG_FILE").unwrap(),
    );
    use aws_credential_types::provider::ProvideCredentials;
    use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
    // The SDK refuses a named file that is missing; a credential_process setup may have none.
    let mut files = EnvConfigFiles::builder().with_file(EnvConfigFileKind::Config, sb_files.1);
    if std::path::Path::new(&sb_files.0).exists() {
        files = files.with_file(EnvConfigFileKind::Credentials, sb_files.0);
    }
    let files = files.build();
    let c = block_on(
        aws_config::profile::ProfileFileCredentialsProvider::builder()
            .profile_files(files)
            .profile_name(&profile)
            .build()
            .provide_credentials(),
    )
    .unwrap();
    println!(
        "READ {} {}",
        c.access_key_id(),
        c.session_token().unwrap_or_default()
    );
}

#[test]
fn credential_process_profiles_are_read_by_both_sdks() {
    let sb = process_sandbox("process");
    let login = unique("user");
    sb.login(&login, "Google").assert_ok();
    let issued = last_issued(&format!("Google_{login}"));

    // No keys on disk: the config file runs PoolPass, the credentials file has no section.
    let config = std::fs::read_to_string(sb.aws_config_path()).unwrap();
    assert!(
        config.contains("credential_process = '")
            && config.contains(&format!("'credential-process' '--profile={}'", sb.profile)),
        "{config}"
    );
    assert!(!std::fs::read_to_string(sb.credentials_path())
        .unwrap_or_default()
        .contains(&sb.profile));
    for f in [sb.aws_config_path(), sb.state_path()] {
        assert!(!std::fs::read_to_string(f)
            .unwrap()
            .contains(issued["SessionToken"].as_str().unwrap()));
    }

    // botocore runs the command itself (no shell).
    let read = sb.botocore_read(&sb.profile);
    assert_eq!(read.access_key_id, issued["AccessKeyId"].as_str().unwrap());
    assert_eq!(
        read.session_token.as_deref(),
        issued["SessionToken"].as_str()
    );
    // The Rust SDK runs it with `sh -c`.
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "sessions::child_rust_sdk_reader",
        "--exact",
        "--ignored",
        "--nocapture",
        "-q",
    ])
    .env("POOLPASS_TEST_READ_PROFILE", &sb.profile);
    let out = sb.aws_env(&mut c).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "READ {} {}",
            issued["AccessKeyId"].as_str().unwrap(),
            issued["SessionToken"].as_str().unwrap()
        )),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Answered from the cache: no new token or AWS request.
    assert_eq!(token_requests(&format!("Google_{login}")).len(), 1);
    assert_eq!(
        aws_calls(&format!("Google_{login}"))
            .iter()
            .filter(|c| c["op"] == "GetCredentialsForIdentity")
            .count(),
        1
    );
}

#[test]
fn ten_concurrent_calls_with_a_stale_cache_cause_one_refresh() {
    let sb = process_sandbox("tenatonce");
    let login = unique("user");
    sb.login(&login, "COGNITO").assert_ok();
    // Credentials about to expire: every caller must get new ones, and only one may fetch them.
    let stale = AwsCredentials {
        access_key_id: "ASIASTALE".into(),
        secret_access_key: Secret::new("stale".into()),
        session_token: Secret::new("stale".into()),
        expiration: time::OffsetDateTime::now_utc() + time::Duration::minutes(2),
    };
    block_on(Keychain::Os.store_cached_credentials(&sb.profile, &stale)).unwrap();
    let before = token_requests(&login).len();

    let children: Vec<_> = (0..10)
        .map(|_| {
            sb.cmd(&["credential-process", "--profile", &sb.profile])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect();
    let refreshes: Vec<Value> = token_requests(&login)[before..].to_vec();
    assert_eq!(refreshes.len(), 1, "{refreshes:?}");
    assert_eq!(refreshes[0]["grant_type"], "refresh_token");
    let issued = last_issued(&login);
    for o in &outputs {
        assert_eq!(o["Version"], 1);
        assert_eq!(o["AccessKeyId"], issued["AccessKeyId"]);
        assert!(o["Expiration"].as_str().unwrap().ends_with('Z'));
    }
}

fn http_post_form(url: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let u = url::Url::parse(url).unwrap();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", u.port().unwrap())).unwrap();
    write!(s, "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", u.path(), body.len()).unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    (resp.split(' ').nth(1).unwrap().parse().unwrap(), resp)
}

#[test]
fn rotated_refresh_tokens_are_kept_and_a_reused_one_means_sign_in_again() {
    let client = format!("{}rotating", peers().seed.client_id);
    let sb = Sandbox::with_config("rotation", |t| {
        *t = t.replace(
            &format!("client_id = \"{}\"", peers().seed.client_id),
            &format!("client_id = \"{client}\""),
        )
    });
    let login = unique("user");
    sb.login(&login, "COGNITO").assert_ok();
    let account = format!("{}/{}/{client}", sb.connection, peers().seed.user_pool_id);
    let first = block_on(Keychain::Os.load_refresh_token(&account))
        .unwrap()
        .expect("stored at sign-in");

    sb.run(&["refresh"]).assert_ok();
    let second = block_on(Keychain::Os.load_refresh_token(&account))
        .unwrap()
        .unwrap();
    assert_ne!(first, second, "the rotated refresh token was not stored");
    // Keeps working on the new one.
    sb.run(&["refresh"]).assert_ok();
    let rotations = token_requests(&login)
        .iter()
        .filter(|t| t["rotated"] == true)
        .count();
    assert_eq!(rotations, 2);

    // The old one is dead at the hosted UI...
    let body = format!(
        "grant_type=refresh_token&client_id={client}&refresh_token={}",
        first.expose()
    );
    let (status, resp) = http_post_form(&format!("{}/oauth2/token", peers().hosted_ui), &body);
    assert_eq!(status, 400, "{resp}");
    assert!(resp.contains("invalid_grant"));
    // ...and a keychain holding it gets a clear "sign in again", with the files left as they were.
    block_on(Keychain::Os.store_refresh_token(&account, &first)).unwrap();
    let files_before = (
        std::fs::read(sb.credentials_path()).unwrap(),
        std::fs::read(sb.aws_config_path()).unwrap(),
    );
    let run = sb.run(&["refresh"]);
    run.assert_error("sign_in_again");
    assert!(
        run.stderr.contains("Your profiles were left as they were")
            && run.stderr.contains("poolpass login"),
        "{run}"
    );
    assert_eq!(
        (
            std::fs::read(sb.credentials_path()).unwrap(),
            std::fs::read(sb.aws_config_path()).unwrap()
        ),
        files_before
    );
}

#[test]
fn refresh_all_refreshes_every_connection() {
    let sb = Sandbox::new("refreshall");
    let second = unique("second");
    // A second connection to the same pools, writing its own profile.
    let text = std::fs::read_to_string(sb.config_path()).unwrap();
    let extra = text[text.find("[[connection]]").unwrap()..]
        .replace(
            &format!("name = \"{}\"", sb.connection),
            &format!("name = \"{second}\""),
        )
        .replace(
            &format!("profile = \"{}\"", sb.profile),
            "profile = \"pp-refreshall-2\"",
        );
    std::fs::write(sb.config_path(), format!("{text}\n{extra}")).unwrap();
    let login = unique("user");
    for conn in [&sb.connection, &second] {
        let run = Run::from(
            sb.cmd(&[
                "login",
                "--connection",
                conn,
                "--provider",
                "Google",
                "--timeout",
                "60",
            ])
            .env("BROWSER", &peers().browser)
            .env("POOLPASS_TEST_LOGIN", &login)
            .output()
            .unwrap(),
        );
        run.assert_ok();
    }
    let before = (
        sb.botocore_read(&sb.profile).access_key_id,
        sb.botocore_read("pp-refreshall-2").access_key_id,
    );
    let run = sb.run(&["refresh", "--all"]);
    run.assert_ok();
    assert!(
        run.stdout.contains(&format!("{}: written", sb.profile))
            && run.stdout.contains("pp-refreshall-2: written"),
        "{run}"
    );
    assert_ne!(sb.botocore_read(&sb.profile).access_key_id, before.0);
    assert_ne!(sb.botocore_read("pp-refreshall-2").access_key_id, before.1);
}

#[test]
fn export_prints_what_a_shell_needs() {
    let sb = Sandbox::new("export");
    let login = unique("user");
    sb.login(&login, "Google").assert_ok();
    let issued = last_issued(&format!("Google_{login}"));
    let key = issued["AccessKeyId"].as_str().unwrap();
    let env = sb.run(&["export", "--profile", &sb.profile]);
    env.assert_ok();
    assert!(
        env.stdout
            .contains(&format!("export AWS_ACCESS_KEY_ID='{key}'")),
        "{env}"
    );
    // A shell that sources it has the keys.
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{}\necho \"$AWS_ACCESS_KEY_ID $AWS_SESSION_TOKEN\"",
            env.stdout
        ))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("{key} {}", issued["SessionToken"].as_str().unwrap())
    );
    let json = sb.run(&["export", "--profile", &sb.profile, "--format", "json"]);
    let j: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(j["AccessKeyId"], key);
    for format in ["fish", "powershell"] {
        let run = sb.run(&["export", "--profile", &sb.profile, "--format", format]);
        run.assert_ok();
        assert!(run.stdout.contains(key));
    }
    sb.run(&["export", "--profile", "not-ours"])
        .assert_error("not_poolpass_profile");
}

/// Every kind of caller at once against a client that rotates refresh tokens and revokes the
/// whole grant when one is reused: three `poolpass refresh`, two `credential-process`, one
/// `export` and the agent's own refresh (in this process, as the tray and the window run it).
/// They are held at the connection's turn until all have started, so they truly overlap.
/// Exactly one token request; all succeed; the sign-in still works afterwards.
#[test]
fn every_kind_of_caller_at_once_spends_the_refresh_token_once() {
    let client = format!("{}rotating", peers().seed.client_id);
    let sb = Sandbox::with_config("allatonce", |t| {
        *t = t
            .replace(
                &format!("client_id = \"{}\"", peers().seed.client_id),
                &format!("client_id = \"{client}\""),
            )
            .replace(
                "region = \"ap-northeast-1\"\n",
                "region = \"ap-northeast-1\"\nmode = \"credential_process\"\n",
            )
    });
    let login = unique("user");
    sb.login(&login, "COGNITO").assert_ok();
    let stale = AwsCredentials {
        access_key_id: "ASIASTALE".into(),
        secret_access_key: Secret::new("stale".into()),
        session_token: Secret::new("stale".into()),
        expiration: time::OffsetDateTime::now_utc() + time::Duration::minutes(2),
    };
    block_on(Keychain::Os.store_cached_credentials(&sb.profile, &stale)).unwrap();
    let before = token_requests(&login).len();

    let turn = block_on(poolpass::state::RefreshLock::acquire(
        &sb.state_path(),
        &sb.connection,
        std::time::Duration::ZERO,
    ))
    .unwrap();
    let spawn = |args: &[&str]| {
        sb.cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut children = Vec::new();
    for _ in 0..3 {
        children.push(("refresh", spawn(&["refresh"])));
    }
    for _ in 0..2 {
        children.push((
            "credential-process",
            spawn(&["credential-process", "--profile", &sb.profile]),
        ));
    }
    children.push((
        "export",
        spawn(&["export", "--profile", &sb.profile, "--format", "json"]),
    ));
    let config = poolpass::config::Config::load(&sb.config_path()).unwrap();
    let ctx = poolpass::session::Context {
        files: poolpass::profiles::AwsFiles {
            credentials: sb.credentials_path(),
            config: sb.aws_config_path(),
        },
        state_path: sb.state_path(),
        http: poolpass::auth::hosted_ui::http_client().unwrap(),
        keychain: Default::default(),
        clock: Default::default(),
        aws: Default::default(),
    };
    // The agent's credential_process lines name the CLI, which lives beside the tray and the
    // window but not beside this test program.
    std::env::set_var("POOLPASS_CLI", env!("CARGO_BIN_EXE_poolpass"));
    let agent = std::thread::spawn(move || {
        block_on(poolpass::session::refresh(
            &config.connections[0],
            &ctx,
            false,
            &|_: poolpass::session::Event| {},
        ))
        .map(|o| o.all_ok())
    });
    // Long enough for every process to start and reach the turn.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    drop(turn);

    for (what, c) in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(agent.join().unwrap().map_err(|e| e.to_string()), Ok(true));
    let spent: Vec<Value> = token_requests(&login)[before..].to_vec();
    assert_eq!(spent.len(), 1, "{spent:?}");
    // The grant was not revoked for reuse: the next refresh works.
    sb.run(&["refresh"]).assert_ok();
}
