//! The loopback listener as an attacker, a confused browser or a slow user meets it: only the
//! callback path counts, `state` must match, exactly one callback is taken, and waiting ends.

use std::time::{Duration, Instant};

use crate::util::*;

fn param(link: &url::Url, name: &str) -> String {
    link.query_pairs()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no {name} in {link}"))
        .1
        .into_owned()
}

/// A sandbox listening on a port of its own, outside the registered list the other tests share:
/// these tests probe the listener directly (even after it closed), and such a probe must never
/// reach another test's sign-in. They never complete a real sign-in, so no hosted UI needs
/// the port registered.
fn private_sandbox(tag: &str) -> Sandbox {
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    Sandbox::with_config(tag, |t| {
        let start = t.find("redirect_ports = [").unwrap();
        let end = start + t[start..].find(']').unwrap() + 1;
        t.replace_range(start..end, &format!("redirect_ports = [{port}]"));
    })
}

fn untouched(sb: &Sandbox) {
    assert!(
        read(&sb.credentials_path()).is_none(),
        "the credentials file was touched"
    );
    assert!(
        read(&sb.aws_config_path()).is_none(),
        "the config file was touched"
    );
}

#[test]
fn a_state_mismatch_is_refused_and_the_port_kept_until_the_sign_in_times_out() {
    let sb = private_sandbox("state");
    let (pending, link) = sb.start_login_without_browser(&["--timeout", "4"]);
    let redirect = param(&link, "redirect_uri");
    let (status, page) =
        http_get(&format!("{redirect}?code=stolen-code&state=not-the-state")).unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("keeps waiting"), "{page}");
    // Still ours: a local process cannot bind it to catch the browser's real redirect.
    let port = url::Url::parse(&redirect).unwrap().port().unwrap();
    assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_err());
    // Without the real callback, the timeout says what came instead.
    let run = pending.finish(Duration::from_secs(20));
    run.assert_error("state_mismatch");
    untouched(&sb);
}

#[test]
fn a_callback_without_a_code_is_refused() {
    let sb = private_sandbox("nocode");
    let (pending, link) = sb.start_login_without_browser(&[]);
    let redirect = param(&link, "redirect_uri");
    let (status, _) = http_get(&format!("{redirect}?state={}", param(&link, "state"))).unwrap();
    assert_eq!(status, 400);
    pending
        .finish(Duration::from_secs(20))
        .assert_error("missing_code");
    untouched(&sb);
}

#[test]
fn an_error_from_the_hosted_ui_is_shown_in_words() {
    let sb = private_sandbox("denied-by-user");
    let (pending, link) = sb.start_login_without_browser(&[]);
    let redirect = param(&link, "redirect_uri");
    let q = format!(
        "error=access_denied&error_description=User+cancelled+%3Cb%3E&state={}",
        param(&link, "state")
    );
    let (status, page) = http_get(&format!("{redirect}?{q}")).unwrap();
    assert_eq!(status, 400);
    assert!(
        page.contains("access_denied") && page.contains("User cancelled &lt;b&gt;"),
        "{page}"
    );
    let run = pending.finish(Duration::from_secs(20));
    run.assert_error("authorization_refused");
    assert!(run.stderr.contains("User cancelled"), "{run}");
    untouched(&sb);
}

#[test]
fn other_paths_are_not_the_callback_and_the_sign_in_still_completes() {
    let sb = Sandbox::new("wrongpath");
    let login = unique("user");
    let (pending, link) = sb.start_login_without_browser(&[]);
    let redirect = url::Url::parse(&param(&link, "redirect_uri")).unwrap();
    let base = format!("http://localhost:{}", redirect.port().unwrap());
    let state = param(&link, "state");
    for (path, expected) in [
        ("/favicon.ico", 404),
        (&*format!("/other?code=x&state={state}"), 404),
        ("/", 404),
    ] {
        let (status, _) = http_get(&format!("{base}{path}")).unwrap();
        assert_eq!(status, expected, "{path}");
    }
    // Still listening: the user now finishes in the browser.
    let browser = std::process::Command::new(&peers().browser)
        .arg(link.as_str())
        .env("POOLPASS_TEST_LOGIN", &login)
        .output()
        .unwrap();
    assert!(
        browser.status.success(),
        "{}",
        String::from_utf8_lossy(&browser.stderr)
    );
    pending.finish(Duration::from_secs(30)).assert_ok();
    assert_eq!(
        sb.botocore_read(&sb.profile).access_key_id,
        last_issued(&login)["AccessKeyId"].as_str().unwrap()
    );
}

#[test]
fn only_one_callback_is_taken() {
    let sb = private_sandbox("second");
    let (pending, link) = sb.start_login_without_browser(&[]);
    let redirect = param(&link, "redirect_uri");
    let state = param(&link, "state");
    // The first callback with the right state is taken (its code is bogus, so the exchange
    // fails and the browser is told so)...
    let (status, page) = http_get(&format!("{redirect}?code=bogus&state={state}")).unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("invalid_grant"), "{page}");
    // ...and by then nobody listens any more: a replay or a second tab is refused outright.
    let second = http_get(&format!("{redirect}?code=another&state={state}"));
    assert!(
        second.is_err(),
        "a second callback was answered: {second:?}"
    );
    pending
        .finish(Duration::from_secs(20))
        .assert_error("token_refused");
    untouched(&sb);
}

#[test]
fn waiting_times_out_with_the_redirect_uri_to_register() {
    let sb = private_sandbox("timeout");
    let started = Instant::now();
    let (pending, link) = sb.start_login_without_browser(&["--timeout", "2"]);
    let run = pending.finish(Duration::from_secs(20));
    run.assert_error("sign_in_timed_out");
    assert!(started.elapsed() < Duration::from_secs(10));
    let redirect = param(&link, "redirect_uri");
    assert!(
        run.stderr.contains("within 2 s") && run.stderr.contains(&redirect),
        "{run}"
    );
    // The port is free again at once.
    assert!(http_get(&redirect).is_err());
    untouched(&sb);
}

#[test]
fn a_half_open_connection_does_not_block_the_callback() {
    let sb = private_sandbox("slowloris");
    let (pending, link) = sb.start_login_without_browser(&[]);
    let redirect = url::Url::parse(&param(&link, "redirect_uri")).unwrap();
    // Connects and says nothing: the listener must give up on it, not on the sign-in.
    let _idle = std::net::TcpStream::connect(("127.0.0.1", redirect.port().unwrap())).unwrap();
    let (status, _) = http_get(&format!("{redirect}?state={}", param(&link, "state"))).unwrap();
    assert_eq!(status, 400);
    pending
        .finish(Duration::from_secs(20))
        .assert_error("missing_code");
}
