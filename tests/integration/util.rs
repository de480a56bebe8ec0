//! Shared helpers: the peers started by `tests/peers/start.sh`, a sandbox per test (its own
//! HOME, AWS files, PoolPass state and connection name), and the two independent readers of
//! the files PoolPass writes (botocore and the Rust SDK).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

pub struct Peers {
    pub seed: Seed,
    pub hosted_ui: String,
    pub aws: String,
    pub python: PathBuf,
    pub browser: PathBuf,
}

#[derive(Deserialize)]
pub struct Seed {
    pub user_pool_id: String,
    pub client_id: String,
    pub identity_pool_id: String,
    pub second_identity_pool_id: String,
    pub role_mapped_pools: Vec<String>,
    pub classic_disabled_pools: Vec<String>,
    pub groups: Vec<Group>,
    pub redirect_ports: Vec<u16>,
}

#[derive(Deserialize)]
pub struct Group {
    pub name: String,
    pub role_arn: String,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: these tests need the peers. Run them with `scripts/test.sh`, or start the peers with `tests/peers/start.sh DIR` and export DIR/env.")
    })
}

pub fn peers() -> &'static Peers {
    static PEERS: OnceLock<Peers> = OnceLock::new();
    PEERS.get_or_init(|| {
        let seed = std::fs::read_to_string(var("POOLPASS_TEST_SEED")).expect("seed file");
        Peers {
            seed: serde_json::from_str(&seed).expect("seed json"),
            hosted_ui: var("POOLPASS_TEST_HOSTED_UI"),
            aws: var("POOLPASS_TEST_AWS"),
            python: var("POOLPASS_TEST_PYTHON").into(),
            browser: var("POOLPASS_TEST_BROWSER").into(),
        }
    })
}

/// A name no other test (or earlier run against the same peers) uses.
pub fn unique(tag: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{tag}-{:x}{}",
        (t % 0xffff_ffff) as u32,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub connection: String,
    pub profile: String,
}

impl Sandbox {
    pub fn new(tag: &str) -> Sandbox {
        Sandbox::with_config(tag, |_| {})
    }

    /// A sandbox with no configuration, for tests that need no peers (nothing here reads
    /// the POOLPASS_TEST_* variables).
    pub fn bare(tag: &str) -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix(&format!("poolpass-{tag}-"))
            .tempdir()
            .unwrap();
        let sb = Sandbox {
            dir,
            connection: unique(tag),
            profile: format!("pp-{tag}"),
        };
        std::fs::create_dir_all(sb.home()).unwrap();
        sb
    }

    /// `edit` may change the config text before it is written.
    pub fn with_config(tag: &str, edit: impl FnOnce(&mut String)) -> Sandbox {
        let p = peers();
        let dir = tempfile::Builder::new()
            .prefix(&format!("poolpass-{tag}-"))
            .tempdir()
            .unwrap();
        let sb = Sandbox {
            dir,
            connection: unique(tag),
            profile: format!("pp-{tag}"),
        };
        std::fs::create_dir_all(sb.home()).unwrap();
        let ports: Vec<String> = p.seed.redirect_ports.iter().map(u16::to_string).collect();
        let mut text = format!(
            r#"# A PoolPass configuration as an administrator would hand it out, pointed at the test peers.
[[connection]]
name = "{conn}"
user_pool_id = "{pool}"
client_id = "{client}"
domain = "https://acme.auth.us-west-2.amazoncognito.com"
providers = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "COGNITO"]
redirect_ports = [{ports}]
scopes = ["openid", "email", "profile"]

[[connection.identity_pool]]
id = "{ipool}"
profile = "{profile}"
region = "ap-northeast-1"

[connection.endpoints]
hosted_ui = "{ui}"
issuer = "{ui}"
cognito_identity = "{aws}"
sts = "{aws}"
"#,
            conn = sb.connection,
            pool = p.seed.user_pool_id,
            client = p.seed.client_id,
            ports = ports.join(", "),
            ipool = p.seed.identity_pool_id,
            profile = sb.profile,
            ui = p.hosted_ui,
            aws = p.aws,
        );
        edit(&mut text);
        std::fs::write(sb.config_path(), text).unwrap();
        sb
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("poolpass.toml")
    }
    pub fn credentials_path(&self) -> PathBuf {
        self.dir.path().join("aws").join("credentials")
    }
    pub fn aws_config_path(&self) -> PathBuf {
        self.dir.path().join("aws").join("config")
    }
    pub fn state_path(&self) -> PathBuf {
        self.home().join(".local/state/poolpass/state.json")
    }

    /// `poolpass` with this sandbox's environment and no browser (a test that wants one sets
    /// BROWSER itself). Variables that could leak in from the machine are removed.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_poolpass"));
        c.arg("--config").arg(self.config_path()).args(args);
        for v in [
            "AWS_PROFILE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "POOLPASS_CONFIG",
            "XDG_STATE_HOME",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
        ] {
            c.env_remove(v);
        }
        c.env("HOME", self.home())
            .env("AWS_SHARED_CREDENTIALS_FILE", self.credentials_path())
            .env("AWS_CONFIG_FILE", self.aws_config_path())
            .env("BROWSER", "/bin/false")
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.cmd(args).output().unwrap())
    }

    /// A whole sign-in: PoolPass opens the scripted Chromium, which signs in as `login`.
    pub fn login(&self, login: &str, provider: &str) -> Run {
        self.login_with(login, provider, &[])
    }

    /// [`Sandbox::login`] with more arguments for `poolpass login`.
    pub fn login_with(&self, login: &str, provider: &str, extra: &[&str]) -> Run {
        let shots = self.dir.path().join("screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        let mut args = vec!["login", "--provider", provider, "--timeout", "60"];
        args.extend_from_slice(extra);
        let out = self
            .cmd(&args)
            .env("BROWSER", &peers().browser)
            .env("POOLPASS_TEST_LOGIN", login)
            .env("POOLPASS_TEST_SCREENSHOTS", &shots)
            .output()
            .unwrap();
        Run::from(out)
    }

    /// Starts `poolpass login --no-browser` and returns it with the sign-in link it printed.
    pub fn start_login_without_browser(&self, extra: &[&str]) -> (PendingLogin, url::Url) {
        let mut args = vec!["login", "--no-browser", "--provider", "COGNITO"];
        args.extend_from_slice(extra);
        let mut child = self
            .cmd(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut all = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(i) = line.find("http://127.0.0.1") {
                    let _ = tx.send(line[i..].trim().to_string());
                }
                all.push_str(&line);
                all.push('\n');
            }
            all
        });
        let link = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("poolpass printed no sign-in link");
        (
            PendingLogin { child, reader },
            url::Url::parse(&link).unwrap(),
        )
    }

    pub fn state(&self) -> Value {
        match std::fs::read(self.state_path()) {
            Ok(b) => serde_json::from_slice(&b).unwrap(),
            Err(_) => Value::Null,
        }
    }

    pub fn aws_env<'a>(&self, c: &'a mut Command) -> &'a mut Command {
        for v in [
            "AWS_PROFILE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_DEFAULT_REGION",
            "AWS_REGION",
        ] {
            c.env_remove(v);
        }
        c.env("HOME", self.home())
            .env("AWS_SHARED_CREDENTIALS_FILE", self.credentials_path())
            .env("AWS_CONFIG_FILE", self.aws_config_path())
    }

    /// The profile as botocore (the AWS CLI's and boto3's engine) reads it.
    pub fn botocore_read(&self, profile: &str) -> ReadProfile {
        let script = r#"
import json, sys, botocore.session
s = botocore.session.Session(profile=sys.argv[1])
c = s.get_credentials().get_frozen_credentials()
print(json.dumps({"access_key_id": c.access_key, "secret_access_key": c.secret_key,
                  "session_token": c.token, "region": s.get_config_variable("region")}))
"#;
        let mut c = Command::new(&peers().python);
        c.arg("-c").arg(script).arg(profile);
        let out = self.aws_env(&mut c).output().unwrap();
        assert!(
            out.status.success(),
            "botocore could not read {profile}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// The profile as the Rust SDK's `aws-config` reads it.
    pub fn rust_sdk_read(&self, profile: &str) -> ReadProfile {
        use aws_config::meta::region::ProvideRegion;
        use aws_credential_types::provider::ProvideCredentials;
        use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
        let files = EnvConfigFiles::builder()
            .with_file(EnvConfigFileKind::Credentials, self.credentials_path())
            .with_file(EnvConfigFileKind::Config, self.aws_config_path())
            .build();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let creds = aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_files(files.clone())
                .profile_name(profile)
                .build()
                .provide_credentials()
                .await
                .unwrap_or_else(|e| panic!("the Rust SDK could not read {profile}: {e}"));
            let region = aws_config::profile::ProfileFileRegionProvider::builder()
                .profile_files(files)
                .profile_name(profile)
                .build()
                .region()
                .await;
            ReadProfile {
                access_key_id: creds.access_key_id().to_string(),
                secret_access_key: creds.secret_access_key().to_string(),
                session_token: creds.session_token().map(String::from),
                region: region.map(|r| r.to_string()),
            }
        })
    }
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub struct ReadProfile {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    pub region: Option<String>,
}

pub struct PendingLogin {
    child: Child,
    reader: std::thread::JoinHandle<String>,
}

impl PendingLogin {
    pub fn finish(mut self, within: Duration) -> Run {
        let deadline = Instant::now() + within;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("poolpass did not finish within {within:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stdout = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        Run {
            code: status.code(),
            stdout,
            stderr: self.reader.join().unwrap(),
        }
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(self.code, Some(0), "poolpass failed:\n{self}");
        self
    }

    #[track_caller]
    pub fn assert_error(&self, code: &str) -> &Run {
        assert_ne!(self.code, Some(0), "poolpass should have failed:\n{self}");
        assert!(
            self.stderr.contains(&format!("Error [{code}]")),
            "expected error [{code}]:\n{self}"
        );
        self
    }

    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A plain HTTP/1.1 GET; `Err` when nothing listens. Enough for the peers' logs and for
/// playing a browser against PoolPass's listener.
pub fn http_get(url: &str) -> std::io::Result<(u16, String)> {
    let u = url::Url::parse(url).unwrap();
    let port = u.port_or_known_default().unwrap();
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let target = match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    };
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {}:{port}\r\nConnection: close\r\n\r\n",
        u.host_str().unwrap_or("")
    )?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)?;
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

pub fn json_get(url: &str) -> Value {
    let (status, body) = http_get(url).unwrap();
    assert_eq!(status, 200, "{url}: {body}");
    // The peers may answer chunked; the JSON is the only thing between the chunk markers.
    let start = body.find(['[', '{']).unwrap();
    let end = body.rfind([']', '}']).unwrap();
    serde_json::from_str(&body[start..=end]).unwrap()
}

/// What the AWS proxy saw and issued for the user `username` (the cognito:username).
pub fn aws_calls(username: &str) -> Vec<Value> {
    let log = json_get(&format!("{}/__proxy/log", peers().aws));
    log.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["user"] == username)
        .cloned()
        .collect()
}

/// The credentials the proxy issued last to `username`.
pub fn last_issued(username: &str) -> Value {
    aws_calls(username)
        .into_iter()
        .rev()
        .find_map(|e| e.get("issued").cloned())
        .unwrap_or_else(|| panic!("no credentials were issued to {username}"))
}

pub fn hosted_ui_log() -> Value {
    json_get(&format!("{}/__test/log", peers().hosted_ui))
}

pub fn read(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}
