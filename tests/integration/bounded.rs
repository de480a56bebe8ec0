//! `credential-process` answers within a bound whatever holds it up: an AWS tool is waiting
//! on it. A peer that accepts connections and never answers, and another process holding the
//! connection's turn, each end in a clear error in bounded time.

use std::process::Stdio;
use std::time::{Duration, Instant};

use poolpass::aws::AwsCredentials;
use poolpass::keychain::Keychain;
use poolpass::secret::Secret;

use crate::util::*;

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// A signed-in credential_process sandbox whose cached credentials are about to expire.
fn stale_sandbox(tag: &str) -> Sandbox {
    let sb = Sandbox::with_config(tag, |t| {
        *t = t.replace(
            "region = \"ap-northeast-1\"\n",
            "region = \"ap-northeast-1\"\nmode = \"credential_process\"\n",
        )
    });
    sb.login(&unique("user"), "COGNITO").assert_ok();
    let stale = AwsCredentials {
        access_key_id: "ASIASTALE".into(),
        secret_access_key: Secret::new("stale".into()),
        session_token: Secret::new("stale".into()),
        expiration: time::OffsetDateTime::now_utc() + time::Duration::minutes(2),
    };
    block_on(Keychain::Os.store_cached_credentials(&sb.profile, &stale)).unwrap();
    sb
}

#[test]
fn a_peer_that_never_answers_fails_the_call_in_bounded_time() {
    let sb = stale_sandbox("silent");
    // Accepts every connection, reads, never writes.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", silent.local_addr().unwrap().port());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming().flatten() {
            held.push(s);
        }
    });
    let text = std::fs::read_to_string(sb.config_path()).unwrap();
    let text = text.replace(
        &format!("cognito_identity = \"{}\"", peers().aws),
        &format!("cognito_identity = \"{url}\""),
    );
    std::fs::write(sb.config_path(), text).unwrap();

    let started = Instant::now();
    let run = sb.run(&["credential-process", "--profile", &sb.profile]);
    let took = started.elapsed();
    assert_ne!(run.code, Some(0), "{run}");
    assert!(run.stderr.contains("Error ["), "{run}");
    // The bound the README gives; one call's timeout is 8 s.
    assert!(took < Duration::from_secs(60), "took {took:?}: {run}");
}

#[test]
fn a_held_turn_fails_the_call_in_bounded_time_naming_the_holder() {
    let sb = stale_sandbox("heldturn");
    let turn = block_on(poolpass::state::RefreshLock::acquire(
        &sb.state_path(),
        &sb.connection,
        Duration::ZERO,
    ))
    .unwrap();
    let started = Instant::now();
    let out = sb
        .cmd(&["credential-process", "--profile", &sb.profile])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let took = started.elapsed();
    drop(turn);
    let run = Run::from(out);
    run.assert_error("busy");
    assert!(
        run.stderr.contains(&std::process::id().to_string()),
        "the holder is not named: {run}"
    );
    assert!(took < Duration::from_secs(25), "took {took:?}");
    // Once the holder is gone, the same call works.
    sb.run(&["credential-process", "--profile", &sb.profile])
        .assert_ok();
}

/// A keyring of its own (a session bus and GNOME Keyring, as tests/peers/start.sh starts the
/// shared one), with its collection locked: the shared one must stay unlocked for the others.
struct LockedKeyring {
    _dir: tempfile::TempDir,
    bus: String,
    keyring: std::process::Child,
    bus_pid: u32,
}

impl Drop for LockedKeyring {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = std::process::Command::new("kill")
            .arg(self.bus_pid.to_string())
            .status();
    }
}

fn locked_keyring() -> LockedKeyring {
    use std::io::{BufRead, Write};
    let dir = tempfile::tempdir().unwrap();
    let runtime = dir.path().join("run");
    std::fs::create_dir(&runtime).unwrap();
    let mut bus = std::process::Command::new("dbus-daemon")
        .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(bus.stdout.take().unwrap()).lines();
    let address = lines.next().unwrap().unwrap();
    let bus_pid: u32 = lines.next().unwrap().unwrap().trim().parse().unwrap();
    bus.wait().unwrap();
    let mut keyring = std::process::Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("HOME", dir.path())
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    keyring
        .stdin
        .take()
        .unwrap()
        .write_all(b"locked-keyring-password")
        .unwrap();
    let k = LockedKeyring {
        bus: address,
        keyring,
        bus_pid,
        _dir: dir,
    };
    // Locking needs no prompt; unlocking would. Retried while the daemon starts.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let out = std::process::Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/aliases/default",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &k.bus)
            .output()
            .unwrap();
        if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("object path") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "could not lock the test keyring: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    k
}

#[test]
fn a_locked_keyring_fails_the_call_at_once_without_a_prompt() {
    let sb = stale_sandbox("lockedkeyring");
    let keyring = locked_keyring();
    let started = Instant::now();
    let mut c = sb.cmd(&["credential-process", "--profile", &sb.profile]);
    c.env("DBUS_SESSION_BUS_ADDRESS", &keyring.bus);
    let run = Run::from(c.output().unwrap());
    let took = started.elapsed();
    run.assert_error("keychain_locked");
    assert!(run.stderr.contains("poolpass refresh"), "{run}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}
