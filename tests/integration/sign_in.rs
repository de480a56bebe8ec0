//! The whole path: browser sign-in through each provider, the profile written and read back by
//! botocore and the Rust SDK, refresh without a browser, and every refused token leaving the
//! files alone.

use crate::util::*;

/// Signs in with `provider` and checks everything a user relies on afterwards.
fn sign_in_with(provider: &str, tag: &str) {
    let sb = Sandbox::new(tag);
    let login = unique("user");
    let run = sb.login(&login, provider);
    run.assert_ok();
    let username = if provider == "COGNITO" {
        login.clone()
    } else {
        format!("{provider}_{login}")
    };

    // The hosted UI was asked for this provider, with PKCE S256 and a nonce, and the ID token
    // came back naming it.
    let link = run
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("http://127.0.0.1"))
        .expect("link printed");
    let link = url::Url::parse(link.trim()).unwrap();
    let state = link
        .query_pairs()
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let log = hosted_ui_log();
    let auth = log["authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["state"] == state.as_str())
        .expect("authorize request seen by the stand-in");
    assert_eq!(auth["identity_provider"], provider);
    assert_eq!(auth["code_challenge_method"], "S256");
    assert_eq!(auth["has_nonce"], true);
    assert!(auth["redirect_uri"]
        .as_str()
        .unwrap()
        .starts_with("http://localhost:"));
    if provider == "COGNITO" {
        assert!(
            run.stderr
                .contains(&format!("Signed in as {login}@example.com.")),
            "{run}"
        );
    } else {
        assert!(
            run.stderr.contains(&format!(
                "Signed in as {login}@example.com (via {provider})."
            )),
            "{run}"
        );
    }

    // Exactly the credentials AWS issued, as both SDKs read them.
    let issued = last_issued(&username);
    let expected = ReadProfile {
        access_key_id: issued["AccessKeyId"].as_str().unwrap().into(),
        secret_access_key: issued["SecretKey"].as_str().unwrap().into(),
        session_token: Some(issued["SessionToken"].as_str().unwrap().into()),
        region: Some("ap-northeast-1".into()),
    };
    assert_eq!(sb.botocore_read(&sb.profile), expected);
    assert_eq!(sb.rust_sdk_read(&sb.profile), expected);

    // Secrets stay out of what PoolPass prints and keeps in its state.
    let state = std::fs::read_to_string(sb.state_path()).unwrap();
    for secret in [
        &expected.secret_access_key,
        expected.session_token.as_ref().unwrap(),
    ] {
        assert!(!run.all().contains(secret.as_str()));
        assert!(!state.contains(secret.as_str()));
    }

    // `list` shows it with account, role and time left.
    let list = sb.run(&["list"]);
    list.assert_ok();
    let row = list
        .stdout
        .lines()
        .find(|l| l.starts_with(&sb.profile))
        .unwrap_or_else(|| panic!("{list}"));
    let admins = &peers()
        .seed
        .groups
        .iter()
        .find(|g| g.name == "admins")
        .unwrap()
        .role_arn;
    let account = admins.split(':').nth(4).unwrap();
    assert!(
        row.contains(account) && row.contains("PoolPass-admins") && row.contains("left"),
        "{row}"
    );

    // The ID token stays out of the webview-less world too: only the refresh token was kept,
    // and only in the keychain (not in any file of the sandbox).
    for entry in walk(sb.dir.path()) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(
            !text.contains("eyJ"),
            "a JWT was written to {}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn sign_in_with_google() {
    sign_in_with("Google", "google");
}

#[test]
fn sign_in_with_facebook() {
    sign_in_with("Facebook", "facebook");
}

#[test]
fn sign_in_with_login_with_amazon() {
    sign_in_with("LoginWithAmazon", "amazon");
}

#[test]
fn sign_in_with_apple() {
    sign_in_with("SignInWithApple", "apple");
}

#[test]
fn sign_in_with_the_pools_own_accounts() {
    sign_in_with("COGNITO", "cognito");
}

#[test]
fn refresh_needs_no_browser_and_writes_new_keys() {
    let sb = Sandbox::new("refresh");
    let login = unique("user");
    sb.login(&login, "Google").assert_ok();
    let username = format!("Google_{login}");
    let first = sb.botocore_read(&sb.profile);
    let before = hosted_ui_log()["tokens"].as_array().unwrap().len();

    // BROWSER is /bin/false in `run`: a refresh that tried to open one would fail.
    let run = sb.run(&["refresh"]);
    run.assert_ok();
    assert!(run.stderr.contains("Sign-in renewed"), "{run}");

    let issued = last_issued(&username);
    let second = sb.botocore_read(&sb.profile);
    assert_ne!(
        first.access_key_id, second.access_key_id,
        "refresh must write new keys"
    );
    assert_eq!(
        second.access_key_id,
        issued["AccessKeyId"].as_str().unwrap()
    );
    assert_eq!(
        second.session_token.as_deref(),
        issued["SessionToken"].as_str()
    );
    assert_eq!(sb.rust_sdk_read(&sb.profile), second);

    // One refresh-token request at the hosted UI, and the cached identity id reused: no GetId.
    let tokens = hosted_ui_log()["tokens"].as_array().unwrap()[before..].to_vec();
    assert!(
        tokens
            .iter()
            .any(|t| t["grant_type"] == "refresh_token" && t["status"] == 200),
        "{tokens:?}"
    );
    let calls = aws_calls(&username);
    assert_eq!(
        calls.iter().filter(|c| c["op"] == "GetId").count(),
        1,
        "{calls:?}"
    );
    assert_eq!(
        calls
            .iter()
            .filter(|c| c["op"] == "GetCredentialsForIdentity")
            .count(),
        2,
        "{calls:?}"
    );
}

#[test]
fn refresh_without_a_sign_in_says_to_sign_in() {
    let sb = Sandbox::new("nosignin");
    sb.run(&["refresh"]).assert_error("not_signed_in");
}

/// A token the stand-in corrupts for `fault-<kind>` users must be refused before any AWS
/// call, with the reason in words, and no file touched.
fn refused_token(kind: &str, reason: &str) {
    let sb = Sandbox::new(kind);
    let original =
        "# my own profile\n[mine]\naws_access_key_id = AKIAMINE\naws_secret_access_key = mine\n";
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    std::fs::write(sb.credentials_path(), original).unwrap();

    let login = format!("fault-{kind}");
    let run = sb.login(&login, "Google");
    run.assert_error("id_token_rejected");
    assert!(run.stderr.contains(reason), "expected {reason:?}:\n{run}");
    assert!(run.stderr.contains("Nothing was changed"), "{run}");

    assert_eq!(
        std::fs::read_to_string(sb.credentials_path()).unwrap(),
        original
    );
    assert!(read(&sb.aws_config_path()).is_none());
    assert!(sb.state()["profiles"].get(&sb.profile).is_none());
    // The browser's page said it failed, too.
    let browser_said = std::fs::read_dir(sb.dir.path().join("screenshots"))
        .unwrap()
        .count();
    assert!(browser_said > 0);
    assert!(
        run.stderr.contains("Sign-in failed"),
        "the browser page should say the sign-in failed:\n{run}"
    );
}

#[test]
fn a_wrong_nonce_is_refused() {
    refused_token("wrong-nonce", "nonce does not match");
}

#[test]
fn a_token_signed_by_another_key_is_refused() {
    refused_token("other-key", "signature does not match");
}

#[test]
fn an_expired_token_is_refused() {
    refused_token("expired", "has expired");
}

#[test]
fn a_token_for_another_audience_is_refused() {
    refused_token("wrong-aud", "issued to another app client");
}

#[test]
fn an_access_token_is_not_an_id_token() {
    refused_token("access-token", "not an ID token");
}

#[test]
fn an_identity_pool_refusal_names_the_pool_and_leaves_files_alone() {
    let sb = Sandbox::new("denied");
    let run = sb.login("deny-InvalidIdentityPoolConfigurationException", "COGNITO");
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.all().contains(&peers().seed.identity_pool_id), "{run}");
    assert!(run.all().contains("administrator"), "{run}");
    assert!(read(&sb.credentials_path()).is_none());
    assert!(read(&sb.aws_config_path()).is_none());
}

#[test]
fn a_profile_poolpass_did_not_write_is_left_alone() {
    let sb = Sandbox::new("notmine");
    let original = format!(
        "[{}]\naws_access_key_id = AKIAHANDMADE\naws_secret_access_key = x\n",
        sb.profile
    );
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    std::fs::write(sb.credentials_path(), &original).unwrap();
    // Refused before any browser opens (BROWSER is /bin/false here).
    let run = sb.run(&["login", "--provider", "Google", "--timeout", "5"]);
    run.assert_error("profile_not_owned");
    assert!(!run.stderr.contains("Listening"), "{run}");
    assert_eq!(
        std::fs::read_to_string(sb.credentials_path()).unwrap(),
        original
    );
}

#[test]
fn a_bad_configuration_names_file_line_and_field() {
    let sb = Sandbox::with_config("badconfig", |t| {
        *t = t.replace("region = \"ap-northeast-1\"", "region = \"Tokyo\"")
    });
    let run = sb.run(&["login"]);
    run.assert_error("config_invalid");
    let path = sb.config_path().display().to_string();
    assert!(
        run.stderr.contains(&format!(
            "{path}:14: `identity_pool.region`: expected an AWS region"
        )),
        "{run}"
    );
}

#[test]
fn a_missing_configuration_says_where_it_was_looked_for() {
    let sb = Sandbox::new("noconfig");
    std::fs::remove_file(sb.config_path()).unwrap();
    let run = sb.run(&["list"]);
    // `list` needs no configuration; `login` does.
    run.assert_ok();
    let run = sb.run(&["login"]);
    run.assert_error("config_missing");
    assert!(run.stderr.contains("Ask your administrator"), "{run}");
}

/// Login CSRF on a shared machine: another local user can read the authorize link and answer
/// it with their own sign-in. A sign-in as someone other than the connection's last user is
/// refused without a terminal to ask on (and asked on one), names both users, and writes
/// nothing; `--other-user` confirms; after a sign-out nobody is "the last user".
#[test]
fn a_sign_in_as_someone_else_is_asked_about_before_anything_is_written() {
    let sb = Sandbox::new("otheruser");
    let first = unique("alice");
    sb.login(&first, "COGNITO").assert_ok();
    let files = (
        std::fs::read(sb.credentials_path()).unwrap(),
        std::fs::read(sb.aws_config_path()).unwrap(),
    );

    let second = unique("mallory");
    let run = sb.login(&second, "COGNITO");
    run.assert_error("other_user");
    assert!(
        run.stderr.contains(&first) && run.stderr.contains(&second),
        "{run}"
    );
    assert!(
        run.stderr.contains("Signed in as") || run.stderr.contains(&second),
        "{run}"
    );
    assert_eq!(
        (
            std::fs::read(sb.credentials_path()).unwrap(),
            std::fs::read(sb.aws_config_path()).unwrap()
        ),
        files,
        "profiles were written for the other user"
    );
    assert_eq!(
        sb.state()["users"][&sb.connection]["name"]
            .as_str()
            .map(|n| n.contains(&first)),
        Some(true)
    );

    sb.login_with(&second, "COGNITO", &["--other-user"])
        .assert_ok();
    assert_ne!(std::fs::read(sb.credentials_path()).unwrap(), files.0);

    sb.run(&["logout", "--no-browser"]).assert_ok();
    sb.login(&unique("carol"), "COGNITO").assert_ok();
}

/// A name claim is text from the network: one holding a terminal escape sequence (which would
/// clear the user's screen) is printed and kept escaped, and the sign-in still works.
#[test]
fn a_name_with_an_escape_sequence_is_shown_escaped() {
    let sb = Sandbox::new("escname");
    let login = format!("{}\u{1b}[2J", unique("eve"));
    let run = sb.login(&login, "COGNITO");
    run.assert_ok();
    let shown = login.replace('\u{1b}', "\\u{1b}");
    assert!(run.stderr.contains(&shown), "{run}");
    let poolpass_lines: Vec<&str> = run
        .stderr
        .lines()
        .chain(run.stdout.lines())
        .filter(|l| !l.starts_with("[browser]"))
        .collect();
    assert!(
        poolpass_lines.iter().all(|l| !l.contains('\u{1b}')),
        "{run}"
    );
    // The name is kept as shown; `sub` stays exact, as it only identifies the user.
    let name = sb.state()["users"][&sb.connection]["name"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        name.contains(&shown) && !name.contains('\u{1b}'),
        "{name:?}"
    );
}
