//! Signing out: the refresh token revoked at the hosted UI and deleted from the keychain, the
//! profiles kept byte for byte or removed without touching anything else, the hosted UI's
//! browser session ended, and every failure on the way reported without leaving the sign-in
//! half there.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use poolpass::config::Config;
use poolpass::keychain::Keychain;
use poolpass::profiles::AwsFiles;
use poolpass::secret::Secret;
use poolpass::session::{
    self, BrowserMode, BrowserSignOut, Context, Event, Revocation, SignOutOptions, SignOutOutcome,
};
use serde_json::Value;

use crate::util::*;

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The test browser's own files for one sandbox: a log of what it did and, when `keep` is
/// set, a profile kept between runs (so the hosted UI's session cookie survives, as in a
/// user's browser).
struct Browser {
    log: PathBuf,
    profile: Option<PathBuf>,
}

impl Browser {
    fn new(sb: &Sandbox, keep: bool) -> Browser {
        Browser {
            log: sb.dir.path().join("browser.log"),
            profile: keep.then(|| sb.dir.path().join("browser-profile")),
        }
    }

    fn env<'a>(&self, c: &'a mut Command) -> &'a mut Command {
        c.env("POOLPASS_TEST_BROWSER_LOG", &self.log);
        if let Some(p) = &self.profile {
            c.env("POOLPASS_TEST_BROWSER_PROFILE", p);
        }
        c
    }

    /// What the browser logged since `from` bytes.
    fn said(&self, from: usize) -> String {
        let all = std::fs::read_to_string(&self.log).unwrap_or_default();
        all[from.min(all.len())..].to_string()
    }

    fn log_len(&self) -> usize {
        std::fs::read_to_string(&self.log).map_or(0, |s| s.len())
    }
}

/// `poolpass login` with the test browser signing in as `login`.
fn login(sb: &Sandbox, login: &str, browser: &Browser) -> Run {
    let mut c = sb.cmd(&["login", "--provider", "COGNITO", "--timeout", "60"]);
    c.env("BROWSER", &peers().browser)
        .env("POOLPASS_TEST_LOGIN", login);
    Run::from(browser.env(&mut c).output().unwrap())
}

fn context(sb: &Sandbox) -> Context {
    Context {
        files: AwsFiles {
            credentials: sb.credentials_path(),
            config: sb.aws_config_path(),
        },
        state_path: sb.state_path(),
        http: poolpass::auth::hosted_ui::http_client().unwrap(),
        keychain: Default::default(),
        clock: Default::default(),
        aws: Default::default(),
    }
}

fn keychain_account(config: &Path) -> String {
    Config::load(config)
        .unwrap()
        .connection(None)
        .unwrap()
        .keychain_account()
}

/// `session::sign_out` in this process, with the configuration at `config`. The link is only
/// shown (no BROWSER involved); with `follow`, the test browser opens it as the user would,
/// else nobody does and the wait ends after a second.
fn sign_out(
    sb: &Sandbox,
    config: &Path,
    remove_profiles: bool,
    follow: Option<&Browser>,
) -> (SignOutOutcome, Vec<Event>) {
    let config = Config::load(config).unwrap();
    let conn = config.connection(None).unwrap();
    let events = Mutex::new(Vec::new());
    let opened: Mutex<Option<Child>> = Mutex::new(None);
    let observer = |e: Event| {
        if let (Event::OpenLinkYourself { url, .. }, Some(b)) = (&e, follow) {
            let mut c = Command::new(&peers().browser);
            // What it says goes to its log; the test's output stays readable.
            c.arg(url).stderr(Stdio::null());
            *opened.lock().unwrap() = Some(b.env(&mut c).spawn().unwrap());
        }
        events.lock().unwrap().push(e);
    };
    let opts = SignOutOptions {
        remove_profiles,
        browser: BrowserMode::LinkOnly,
        timeout: Some(Duration::from_secs(if follow.is_some() { 60 } else { 1 })),
    };
    let outcome = block_on(session::sign_out(conn, &context(sb), opts, &observer)).unwrap();
    if let Some(mut child) = opened.into_inner().unwrap() {
        assert!(child.wait().unwrap().success(), "the test browser failed");
    }
    (outcome, events.into_inner().unwrap())
}

fn stand_in(kind: &str, user: &str) -> Vec<Value> {
    hosted_ui_log()[kind]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["user"] == user)
        .cloned()
        .collect()
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

/// What the hosted UI says to a refresh with `token` (not through PoolPass).
fn refresh_at_stand_in(client: &str, token: &Secret<String>) -> (u16, String) {
    let body = format!(
        "grant_type=refresh_token&client_id={client}&refresh_token={}",
        token.expose()
    );
    http_post_form(&format!("{}/oauth2/token", peers().hosted_ui), &body)
}

fn files(sb: &Sandbox) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    (read(&sb.credentials_path()), read(&sb.aws_config_path()))
}

#[test]
fn sign_out_revokes_the_sign_in_keeps_the_profiles_and_ends_the_browser_session() {
    let sb = Sandbox::new("signout");
    let browser = Browser::new(&sb, true);
    let user = unique("user");
    login(&sb, &user, &browser).assert_ok();
    assert!(browser.said(0).contains("sign-in page:"));
    // Control: while the hosted UI's session is open, the same browser signs in without a page.
    let mark = browser.log_len();
    login(&sb, &user, &browser).assert_ok();
    assert!(
        browser.said(mark).contains("no sign-in page"),
        "{}",
        browser.said(mark)
    );

    let account = keychain_account(&sb.config_path());
    let token = block_on(Keychain::Os.load_refresh_token(&account))
        .unwrap()
        .expect("kept at sign-in");
    let before = files(&sb);
    let pool = &peers().seed.identity_pool_id;
    assert!(sb.state()["identities"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.starts_with(pool.as_str())));

    let mark = browser.log_len();
    let (outcome, events) = sign_out(&sb, &sb.config_path(), false, Some(&browser));

    assert!(
        matches!(outcome.revocation, Revocation::Revoked),
        "{outcome:?}"
    );
    assert_eq!(outcome.browser, BrowserSignOut::Ended);
    assert!(outcome.removed_profiles.is_empty());
    assert_eq!(
        outcome
            .kept_profiles
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>(),
        [sb.profile.as_str()]
    );
    assert!(!outcome.nothing_to_do());
    assert!(events.iter().any(|e| matches!(e, Event::Revoked)));
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::SignedOut { connection } if *connection == sb.connection)));
    // No secret in anything a front end sees.
    let shown = format!("{outcome:?} {events:?}");
    assert!(!shown.contains(token.expose().as_str()));

    // At the hosted UI: this user's token revoked, then the browser's session ended, and the
    // browser sent back to a registered sign-out URL on the loopback.
    let revoked = stand_in("revocations", &user);
    assert_eq!(revoked.len(), 1, "{revoked:?}");
    assert_eq!(revoked[0]["revoked"], true);
    assert_eq!(revoked[0]["client_id"], peers().seed.client_id.as_str());
    let logouts = stand_in("logouts", &user);
    assert_eq!(logouts.len(), 1, "{logouts:?}");
    assert_eq!(logouts[0]["ended_session"], true);
    assert_eq!(logouts[0]["client_id"], peers().seed.client_id.as_str());
    let uri = logouts[0]["logout_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("http://localhost:") && uri.ends_with("/signed-out"),
        "{uri}"
    );
    assert!(
        browser.said(mark).contains(&format!(
            "landed on /signed-out: Signed outYou are signed out of {}.",
            sb.connection
        )),
        "{}",
        browser.said(mark)
    );

    // On this computer: no sign-in in the keychain, the profiles as they were, byte for byte,
    // and still PoolPass's; no cached identity id of the pool.
    assert!(block_on(Keychain::Os.load_refresh_token(&account))
        .unwrap()
        .is_none());
    assert_eq!(files(&sb), before);
    let state = sb.state();
    assert_eq!(
        state["profiles"][&sb.profile]["connection"],
        sb.connection.as_str()
    );
    assert!(!state["identities"]
        .as_object()
        .unwrap()
        .keys()
        .any(|k| k.starts_with(pool.as_str())));

    // A refresh now has nothing to refresh with...
    sb.run(&["refresh"]).assert_error("not_signed_in");
    // ...and the old token is dead at the hosted UI: refused there, and "sign in again" if it
    // were still in the keychain.
    let (status, body) = refresh_at_stand_in(&peers().seed.client_id, &token);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_grant"), "{body}");
    block_on(Keychain::Os.store_refresh_token(&account, &token)).unwrap();
    sb.run(&["refresh"]).assert_error("sign_in_again");
    block_on(Keychain::Os.delete_refresh_token(&account)).unwrap();

    // The browser's session is over: signing in again asks for the password.
    let mark = browser.log_len();
    login(&sb, &user, &browser).assert_ok();
    let said = browser.said(mark);
    assert!(
        said.contains("sign-in page:") && !said.contains("no sign-in page"),
        "{said}"
    );
}

#[test]
fn remove_profiles_takes_out_only_poolpass_sections() {
    let sb = Sandbox::new("signoutrm");
    std::fs::create_dir_all(sb.credentials_path().parent().unwrap()).unwrap();
    let credentials = "# my keys\n[mine]\naws_access_key_id = AKIAMINE\naws_secret_access_key = mine\n\n;keep me\n";
    let config = "[default]\nregion = eu-west-1\n\n[profile mine]\nregion=us-east-1\ns3 =\n  max_concurrent_requests = 4\n";
    std::fs::write(sb.credentials_path(), credentials).unwrap();
    std::fs::write(sb.aws_config_path(), config).unwrap();
    let user = unique("user");
    login(&sb, &user, &Browser::new(&sb, false)).assert_ok();
    // The user adds a profile after PoolPass's sections.
    let after_credentials = "\n[later]\naws_access_key_id = AKIALATER\n";
    let after_config = "\n# added later\n[profile later]\nregion = us-east-2\n";
    for (f, after) in [
        (sb.credentials_path(), after_credentials),
        (sb.aws_config_path(), after_config),
    ] {
        let mut text = std::fs::read_to_string(&f).unwrap();
        assert!(text.contains(&sb.profile), "{text}");
        text.push_str(after);
        std::fs::write(&f, text).unwrap();
    }

    let (outcome, events) = sign_out(&sb, &sb.config_path(), true, None);
    assert!(
        matches!(outcome.revocation, Revocation::Revoked),
        "{outcome:?}"
    );
    assert_eq!(outcome.removed_profiles, vec![sb.profile.clone()]);
    assert!(outcome.kept_profiles.is_empty());
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::ProfileRemoved { profile } if *profile == sb.profile)));
    // Nobody followed the link: not an error, but the outcome says the session may be open.
    assert!(
        matches!(&outcome.browser, BrowserSignOut::MayBeOpen { reason } if reason.contains("/signed-out")),
        "{outcome:?}"
    );

    // Every other byte is kept: the user's sections before and after PoolPass's.
    assert_eq!(
        std::fs::read_to_string(sb.credentials_path()).unwrap(),
        format!("{credentials}{after_credentials}")
    );
    assert_eq!(
        std::fs::read_to_string(sb.aws_config_path()).unwrap(),
        format!("{config}{after_config}")
    );
    assert!(sb.state()["profiles"].get(&sb.profile).is_none());
    let list = sb.run(&["list"]);
    assert!(!list.stdout.contains(&sb.profile), "{list}");
    assert_eq!(stand_in("revocations", &user).len(), 1);
}

#[test]
fn an_unreachable_hosted_ui_is_reported_and_this_computer_is_cleared_anyway() {
    let sb = Sandbox::new("signoutoffline");
    let user = unique("user");
    login(&sb, &user, &Browser::new(&sb, false)).assert_ok();
    let account = keychain_account(&sb.config_path());
    let token = block_on(Keychain::Os.load_refresh_token(&account))
        .unwrap()
        .unwrap();

    // The same connection, its hosted UI on a port where nothing listens.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = sb.dir.path().join("offline.toml");
    let text = std::fs::read_to_string(sb.config_path()).unwrap().replace(
        &format!("hosted_ui = \"{}\"", peers().hosted_ui),
        &format!("hosted_ui = \"http://127.0.0.1:{closed}\""),
    );
    assert!(text.contains(&format!("127.0.0.1:{closed}")));
    std::fs::write(&offline, text).unwrap();

    let before = files(&sb);
    let (outcome, events) = sign_out(&sb, &offline, false, None);
    let Revocation::Failed(e) = &outcome.revocation else {
        panic!("the revocation should have failed: {outcome:?}")
    };
    assert_eq!(e.code(), "revoke_failed");
    let message = e.to_string();
    assert!(
        message.contains(&format!("http://127.0.0.1:{closed}/oauth2/revoke"))
            && message.contains("could not be reached")
            && message.contains("deletes it from this computer anyway"),
        "{message}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::RevokeFailed { error } if error.code() == "revoke_failed")));
    let shown = format!("{outcome:?} {events:?}");
    assert!(!shown.contains(token.expose().as_str()));

    // Cleared here all the same; the profiles as they were.
    assert!(block_on(Keychain::Os.load_refresh_token(&account))
        .unwrap()
        .is_none());
    assert_eq!(files(&sb), before);
    assert!(matches!(outcome.browser, BrowserSignOut::MayBeOpen { .. }));
    // The hosted UI never heard of it, so the token really is still valid there: the outcome
    // had to say so.
    assert!(stand_in("revocations", &user).is_empty());
    let (status, body) = refresh_at_stand_in(&peers().seed.client_id, &token);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_client_without_revocation_makes_logout_exit_2_after_clearing_this_computer() {
    let client = format!("{}norevoke", peers().seed.client_id);
    let sb = Sandbox::with_config("signoutnorevoke", |t| {
        *t = t.replace(
            &format!("client_id = \"{}\"", peers().seed.client_id),
            &format!("client_id = \"{client}\""),
        )
    });
    let user = unique("user");
    login(&sb, &user, &Browser::new(&sb, false)).assert_ok();
    let account = keychain_account(&sb.config_path());

    let run = sb.run(&["logout", "--no-browser", "--timeout", "1"]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(
        run.stderr.contains("Warning [revoke_failed]")
            && run.stderr.contains("HTTP 400 invalid_request")
            && run.stderr.contains("tell your administrator"),
        "{run}"
    );
    assert!(
        run.stdout.contains(&format!(
            "Signed out of {} on this computer, but the saved sign-in was NOT revoked at the server [revoke_failed]",
            sb.connection
        )),
        "{run}"
    );
    assert!(block_on(Keychain::Os.load_refresh_token(&account))
        .unwrap()
        .is_none());
    let refused = stand_in("revocations", &user);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0]["status"], 400);
    assert_eq!(refused[0]["revoked"], false);
}

#[test]
fn signing_out_when_not_signed_in_is_nothing_to_do() {
    let sb = Sandbox::new("signoutnothing");
    let run = sb.run(&["logout", "--timeout", "1"]);
    run.assert_ok();
    assert!(
        run.stdout.contains(&format!(
            "Not signed in to {}: nothing to sign out.",
            sb.connection
        )),
        "{run}"
    );
    // No browser for nothing (BROWSER is /bin/false here: opening it would still print).
    assert!(!run.stderr.contains("http://"), "{run}");
    let (outcome, events) = sign_out(&sb, &sb.config_path(), true, None);
    assert!(outcome.nothing_to_do(), "{outcome:?}");
    assert!(events.is_empty(), "{events:?}");
    assert!(read(&sb.credentials_path()).is_none());
}

#[test]
fn logout_on_the_command_line_signs_out_end_to_end() {
    let sb = Sandbox::new("logoutcli");
    let user = unique("user");
    let browser = Browser::new(&sb, true);
    login(&sb, &user, &browser).assert_ok();
    let mark = browser.log_len();

    let mut c = sb.cmd(&["logout", "--remove-profiles", "--timeout", "60"]);
    c.env("BROWSER", &peers().browser);
    let run = Run::from(browser.env(&mut c).output().unwrap());
    run.assert_ok();
    for said in [
        "Revoked the saved sign-in at the hosted UI.",
        &format!("Removed the profile {} from the AWS files.", sb.profile),
        &format!(
            "Deleted the saved sign-in of {} from the keychain.",
            sb.connection
        ),
        "Your browser is opening the hosted UI's sign-out page",
    ] {
        assert!(run.stderr.contains(said), "{said:?} missing:\n{run}");
    }
    assert!(
        run.stdout.contains(&format!("{}: removed", sb.profile))
            && run
                .stdout
                .contains("The hosted UI's session in your browser is ended.")
            && run
                .stdout
                .ends_with(&format!("Signed out of {}.\n", sb.connection)),
        "{run}"
    );
    assert!(browser.said(mark).contains("landed on /signed-out"));
    assert_eq!(stand_in("revocations", &user).len(), 1);
    assert_eq!(stand_in("logouts", &user).len(), 1);
    for f in [sb.credentials_path(), sb.aws_config_path()] {
        assert!(!String::from_utf8(read(&f).unwrap_or_default())
            .unwrap()
            .contains(&sb.profile));
    }
    // Once more: nothing left to do.
    let again = sb.run(&["logout", "--timeout", "1"]);
    again.assert_ok();
    assert!(again.stdout.contains("nothing to sign out"), "{again}");
}

#[test]
fn credential_process_profiles_stop_answering_after_sign_out() {
    let sb = Sandbox::with_config("signoutprocess", |t| {
        *t = t.replace(
            "region = \"ap-northeast-1\"\n",
            "region = \"ap-northeast-1\"\nmode = \"credential_process\"\n",
        )
    });
    let user = unique("user");
    login(&sb, &user, &Browser::new(&sb, false)).assert_ok();
    assert!(block_on(Keychain::Os.load_cached_credentials(&sb.profile))
        .unwrap()
        .is_some());
    sb.run(&["logout", "--no-browser", "--timeout", "1"])
        .assert_ok();
    assert!(block_on(Keychain::Os.load_cached_credentials(&sb.profile))
        .unwrap()
        .is_none());
    // The profile stays (it was not asked to go), but it no longer yields credentials.
    assert!(std::fs::read_to_string(sb.aws_config_path())
        .unwrap()
        .contains("credential_process"));
    sb.run(&["credential-process", "--profile", &sb.profile])
        .assert_error("not_signed_in");
}

#[test]
fn without_a_keychain_sign_out_says_what_to_do() {
    let sb = Sandbox::new("signoutnokeychain");
    let run = Run::from(
        sb.cmd(&["logout", "--remove-profiles", "--timeout", "1"])
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .output()
            .unwrap(),
    );
    run.assert_error("sign_out_keychain");
    assert!(
        run.stderr.contains("Secret Service")
            && run
                .stderr
                .contains(&format!("poolpass logout --connection {}", sb.connection)),
        "{run}"
    );
    assert!(!run.stderr.contains("sign in again"), "{run}");
    assert!(!run.stderr.contains("http://"), "{run}");
}
