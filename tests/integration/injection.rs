//! A profile name cannot run a command. Names reach `credential_process` lines that botocore
//! splits like a shell and that the Go and Rust SDKs run with `sh -c`; a hostile configuration
//! once made every AWS tool run its author's command. Here a recording stand-in for the
//! `poolpass` program sits in a folder whose name is itself hostile, and each reader must run
//! exactly that program with exactly PoolPass's arguments, and nothing else.

use std::path::{Path, PathBuf};
use std::process::Command;

use poolpass::aws::safe_profile_name;
use poolpass::profiles::process_command;

use crate::util::*;

/// Names PoolPass accepts, chosen to sit at the edges of the allowed set.
fn accepted_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "acme",
        "a%b",
        "%HOME%",
        "a@b:c+d-e_f.g",
        "-leading-dash",
        "+x",
        "..",
        "@",
        ":",
        "A",
        "x%%y",
        "1",
        "acme-Admins+Ops@123456789012",
    ]
    .map(String::from)
    .to_vec();
    names.push("n".repeat(128));
    for n in &names {
        assert!(safe_profile_name(n), "{n:?}");
    }
    names
}

/// Everything a shell reads; only `#` and `;` after a space are left out, which no quoting can
/// hide from the Rust SDK's INI reader (refused below).
const HOSTILE_DIR: &str =
    "it's \"a\" $(touch pwned-dollar) `touch pwned-tick`;touch pwned-semi & |#x %HOME% \\x";

struct Rig {
    _tmp: tempfile::TempDir,
    exe: PathBuf,
    config: PathBuf,
    record: PathBuf,
    /// The readers run here: a command smuggled through the line would leave a file.
    cwd: PathBuf,
}

fn rig() -> Rig {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(HOSTILE_DIR);
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join("poolpass");
    let script = "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$POOLPASS_TEST_RECORD\"\nprintf '{\"Version\":1,\"AccessKeyId\":\"AKIAINJECTIONTEST\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":\"2099-01-01T00:00:00Z\"}'\n";
    std::fs::write(&exe, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = dir.join("config; rm -rf $HOME.toml");
    std::fs::write(&config, "").unwrap();
    let cwd = tmp.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    Rig {
        record: tmp.path().join("record"),
        _tmp: tmp,
        exe,
        config,
        cwd,
    }
}

impl Rig {
    fn expected(&self, name: &str) -> String {
        format!(
            "--config\n{}\ncredential-process\n--profile={name}\n",
            self.config.display()
        )
    }

    fn write_aws_config(&self, names: &[String]) -> PathBuf {
        let mut text = String::new();
        for n in names {
            let line = process_command(&self.exe, &self.config, n).unwrap();
            text.push_str(&format!("[profile {n}]\ncredential_process = {line}\n\n"));
        }
        let path = self.cwd.parent().unwrap().join("aws-config");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn check(&self, reader: &str, name: &str) {
        let got = std::fs::read_to_string(&self.record)
            .unwrap_or_else(|_| panic!("{reader} did not run the program for {name:?}"));
        assert_eq!(got, self.expected(name), "{reader}, profile {name:?}");
        std::fs::remove_file(&self.record).unwrap();
        let smuggled: Vec<_> = std::fs::read_dir(&self.cwd).unwrap().collect();
        assert!(
            smuggled.is_empty(),
            "{reader} ran more than PoolPass's program for {name:?}: {smuggled:?}"
        );
    }
}

#[test]
fn sh_runs_exactly_the_program_and_its_arguments() {
    let r = rig();
    for name in accepted_names() {
        let line = process_command(&r.exe, &r.config, &name).unwrap();
        let out = Command::new("sh")
            .arg("-c")
            .arg(&line)
            .current_dir(&r.cwd)
            .env("POOLPASS_TEST_RECORD", &r.record)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        r.check("sh -c", &name);
    }
}

#[test]
fn botocore_runs_exactly_the_program_and_its_arguments() {
    let r = rig();
    let names = accepted_names();
    let config = r.write_aws_config(&names);
    let script = "import sys, botocore.session\nfor name in sys.argv[1:]:\n    s = botocore.session.Session(profile=name)\n    c = s.get_credentials()\n    print(name, c.access_key, flush=True)\n    sys.stdin.readline()\n";
    // One profile at a time, so that each run's record is checked before the next.
    let mut child = Command::new(&peers().python)
        .arg("-c")
        .arg(script)
        .args(&names)
        .current_dir(&r.cwd)
        .env("AWS_CONFIG_FILE", &config)
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            r.cwd.parent().unwrap().join("none"),
        )
        .env("POOLPASS_TEST_RECORD", &r.record)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::{BufRead, Write};
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut stdin = child.stdin.take().unwrap();
    for name in &names {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(
            line,
            format!("{name} AKIAINJECTIONTEST\n"),
            "botocore for {name:?}"
        );
        r.check("botocore", name);
        stdin.write_all(b"\n").unwrap();
    }
    let status = child.wait().unwrap();
    assert!(status.success());
}

/// The Rust SDK reads in a child process, where the environment can name the sandbox's files.
#[test]
#[ignore = "child process of rust_sdk_runs_exactly_the_program_and_its_arguments"]
fn child_rust_sdk_runner() {
    let (Ok(config), Ok(name)) = (
        std::env::var("AWS_CONFIG_FILE"),
        std::env::var("POOLPASS_TEST_READ_PROFILE"),
    ) else {
        return;
    };
    use aws_credential_types::provider::ProvideCredentials;
    use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
    let files = EnvConfigFiles::builder()
        .with_file(EnvConfigFileKind::Config, config)
        .build();
    let c = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_files(files)
                .profile_name(&name)
                .build()
                .provide_credentials(),
        )
        .unwrap();
    println!("READ {}", c.access_key_id());
}

#[test]
fn rust_sdk_runs_exactly_the_program_and_its_arguments() {
    let r = rig();
    let names = accepted_names();
    let config = r.write_aws_config(&names);
    for name in &names {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                "injection::child_rust_sdk_runner",
                "--exact",
                "--ignored",
                "--nocapture",
                "-q",
            ])
            .current_dir(&r.cwd)
            .env("AWS_CONFIG_FILE", &config)
            .env("POOLPASS_TEST_READ_PROFILE", name)
            .env("POOLPASS_TEST_RECORD", &r.record)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("READ AKIAINJECTIONTEST"),
            "Rust SDK for {name:?}: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        r.check("the Rust SDK", name);
    }
}

#[test]
fn paths_that_cannot_be_quoted_are_refused() {
    for bad in [
        "/tmp/line\nbreak/poolpass",
        "/tmp/a #b/poolpass",
        "/tmp/a ;b/poolpass",
    ] {
        let bad = Path::new(bad);
        let e = process_command(bad, Path::new("/tmp/c.toml"), "acme").unwrap_err();
        assert_eq!(e.code(), "profile_file");
        assert!(poolpass::profiles::check_process_paths(bad, Path::new("/tmp/c.toml")).is_err());
        assert!(poolpass::profiles::check_process_paths(Path::new("/tmp/p"), bad).is_err());
    }
}
