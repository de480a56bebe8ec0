//! The hostile corpus (tests/files/corpus, made by make_corpus.py): for every file, PoolPass
//! edits only its own profile, the rest stays byte for byte, and botocore and the Rust SDK read
//! the new profile's keys and every other profile's values exactly as before.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use poolpass::aws::AwsCredentials;
use poolpass::profiles::backup::Backups;
use poolpass::profiles::{write_profile, AwsFiles, ProfileWrite};
use poolpass::secret::Secret;
use serde_json::Value;

use crate::util::peers;

const PROFILE: &str = "poolpass";

pub fn credentials(tag: &str) -> AwsCredentials {
    AwsCredentials {
        access_key_id: format!("ASIANEW{tag}"),
        secret_access_key: Secret::new(format!("new-secret-{tag}")),
        session_token: Secret::new(format!("new-session-token-{tag}")),
        expiration: time::macros::datetime!(2030-01-02 03:04:05 UTC),
    }
}

struct Case {
    name: String,
    /// "credentials" or "config": the file the case plays.
    kind: &'static str,
    bytes: Vec<u8>,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/files/corpus");
    let mut out: Vec<Case> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let kind = if name.ends_with(".config") {
                "config"
            } else {
                "credentials"
            };
            Case {
                name,
                kind,
                bytes: std::fs::read(&p).unwrap(),
            }
        })
        .collect();
    // A 1 MB file, made here rather than committed.
    let mut big = String::new();
    let mut i = 0;
    while big.len() < 1 << 20 {
        big.push_str(&format!("# generated {i}\n[big{i}]\naws_access_key_id = AKIABIG{i}\naws_secret_access_key = s{i}\n\n"));
        i += 1;
    }
    out.push(Case {
        name: "60-one-megabyte.credentials".into(),
        kind: "credentials",
        bytes: big.into_bytes(),
    });
    out.sort_by(|a, b| a.name.cmp(&b.name));
    // POOLPASS_CORPUS_ONLY=46-indented runs only the cases whose names hold it.
    if let Ok(only) = std::env::var("POOLPASS_CORPUS_ONLY") {
        out.retain(|c| c.name.contains(&only));
    }
    out
}

/// The text with every section named `ours` cut out (header through the line before the next
/// header), by a rule independent of PoolPass's editor.
fn without_section(text: &str, kind: &str) -> String {
    let is_ours = |header: &str| match kind {
        "credentials" => header == PROFILE,
        _ => {
            let h = header.trim();
            let rest = h.strip_prefix("profile").map(str::trim);
            rest.map(|r| r.trim_matches('"')) == Some(PROFILE)
        }
    };
    let mut out = String::new();
    let mut skipping = false;
    for line in text.split_inclusive(['\n', '\r']) {
        let t = line.trim();
        if t.starts_with('[') && t.contains(']') {
            let header = &t[1..t.rfind(']').unwrap()];
            skipping = is_ours(header);
        }
        if !skipping {
            out.push_str(line);
        }
    }
    // `\r\n` was split in two above; that does not change the concatenation.
    out
}

fn botocore(dirs: &[PathBuf]) -> BTreeMap<String, Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/files/read_profiles.py");
    let out = std::process::Command::new(&peers().python)
        .arg(script)
        .args(dirs)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every profile the Rust SDK reads (config and credentials merged, as it does), with the
/// values of `keys` (its API lists profiles, not their keys).
fn rust_sdk(
    dir: &Path,
    keys: &[String],
) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
    let files = EnvConfigFiles::builder()
        .with_file(EnvConfigFileKind::Credentials, dir.join("credentials"))
        .with_file(EnvConfigFileKind::Config, dir.join("config"))
        .build();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let set = rt
        .block_on(aws_config::profile::load(
            &aws_types::os_shim_internal::Fs::real(),
            &aws_types::os_shim_internal::Env::from_slice(&[]),
            &files,
            None,
        ))
        .map_err(|e| e.to_string())?;
    Ok(set
        .profiles()
        .map(|name| {
            let p = set.get_profile(name).unwrap();
            let props = keys
                .iter()
                .filter_map(|k| p.get(k).map(|v| (k.clone(), v.to_string())))
                .collect();
            (name.to_string(), props)
        })
        .collect())
}

#[test]
fn every_hostile_file_keeps_what_poolpass_does_not_own() {
    let cases = cases();
    assert!(
        cases.len() >= 40 || std::env::var_os("POOLPASS_CORPUS_ONLY").is_some(),
        "the corpus has {} files",
        cases.len()
    );
    let root = tempfile::tempdir().unwrap();
    let mut before_dirs = Vec::new();
    let mut after_dirs = Vec::new();
    let mut refused = 0;
    for (i, case) in cases.iter().enumerate() {
        let before = root.path().join(format!("{i}-before"));
        let after = root.path().join(format!("{i}-after"));
        std::fs::create_dir_all(&before).unwrap();
        std::fs::create_dir_all(&after).unwrap();
        std::fs::write(before.join(case.kind), &case.bytes).unwrap();
        // The Rust SDK refuses a named file that is missing; an empty one means the same.
        std::fs::write(
            before.join(if case.kind == "config" {
                "credentials"
            } else {
                "config"
            }),
            "",
        )
        .unwrap();
        std::fs::write(after.join(case.kind), &case.bytes).unwrap();
        let files = AwsFiles {
            credentials: after.join("credentials"),
            config: after.join("config"),
        };
        let backups = Backups::new(root.path().join(format!("{i}-backups")));
        let creds = credentials("X");
        let result = write_profile(
            &files,
            &backups,
            &ProfileWrite {
                name: PROFILE,
                credentials: &creds,
                region: "eu-central-1",
            },
        );

        if case.name.contains("refuse") {
            let e = result.expect_err(&case.name).to_string();
            assert!(
                e.contains("line"),
                "{}: the refusal must name a line: {e}",
                case.name
            );
            assert_eq!(
                std::fs::read(after.join(case.kind)).unwrap(),
                case.bytes,
                "{}: a refused file changed",
                case.name
            );
            refused += 1;
            continue;
        }
        result.unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let old = String::from_utf8(case.bytes.clone()).unwrap();
        let new = std::fs::read_to_string(after.join(case.kind)).unwrap();
        let (old_rest, new_rest) = (
            without_section(&old, case.kind),
            without_section(&new, case.kind),
        );
        // Appending may add the line end the file lacked; nothing else outside ours may change.
        let same = new_rest == old_rest
            || [
                format!("{old_rest}\n"),
                format!("{old_rest}\r\n"),
                format!("{old_rest}\r"),
            ]
            .contains(&new_rest);
        assert!(same, "{}: bytes outside PoolPass's section changed\n--- before\n{old_rest:?}\n--- after\n{new_rest:?}", case.name);
        before_dirs.push((case, before));
        after_dirs.push(after);
    }

    let before_read = botocore(
        &before_dirs
            .iter()
            .map(|(_, d)| d.clone())
            .collect::<Vec<_>>(),
    );
    let after_read = botocore(&after_dirs);
    let mut botocore_checked = 0;
    let mut rust_checked = 0;
    for ((case, before), after) in before_dirs.iter().zip(&after_dirs) {
        let b = &before_read[&before.display().to_string()];
        let a = &after_read[&after.display().to_string()];
        for kind in ["credentials", "config"] {
            let (bk, ak) = (&b[kind], &a[kind]);
            if bk.get("__error__").is_some() {
                // botocore already refused this file; PoolPass must not have made it readable
                // in a different way (it refuses it still).
                assert!(ak.get("__error__").is_some(), "{}: {kind}: {ak}", case.name);
                continue;
            }
            assert!(
                ak.get("__error__").is_none(),
                "{}: botocore cannot read PoolPass's result: {ak}",
                case.name
            );
            for (profile, values) in bk.as_object().unwrap() {
                if profile != PROFILE {
                    assert_eq!(
                        &ak[profile], values,
                        "{}: botocore reads {profile} differently",
                        case.name
                    );
                }
            }
            botocore_checked += 1;
        }
        if a["credentials"].get("__error__").is_none() {
            let ours = &a["credentials"][PROFILE];
            assert_eq!(
                ours["aws_access_key_id"], "ASIANEWX",
                "{}: {ours}",
                case.name
            );
            assert_eq!(
                ours["aws_secret_access_key"], "new-secret-X",
                "{}",
                case.name
            );
            assert_eq!(
                ours["aws_session_token"], "new-session-token-X",
                "{}",
                case.name
            );
            // botocore uses aws_security_token first (inherited from a [DEFAULT] section, too):
            // it may be there only with the new token.
            let token = ours
                .get("aws_security_token")
                .unwrap_or(&ours["aws_session_token"]);
            assert_eq!(token, "new-session-token-X", "{}: {ours}", case.name);
        }
        if a["config"].get("__error__").is_none() {
            let ours = &a["config"][PROFILE];
            assert_eq!(ours["region"], "eu-central-1", "{}: {ours}", case.name);
            assert!(ours.get("credential_process").is_none(), "{}", case.name);
        }

        let mut keys: Vec<String> = [
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "region",
            "credential_process",
        ]
        .map(String::from)
        .to_vec();
        for kind in ["credentials", "config"] {
            for values in b[kind]
                .as_object()
                .unwrap()
                .values()
                .filter_map(Value::as_object)
            {
                keys.extend(values.keys().cloned());
            }
        }
        keys.sort();
        keys.dedup();
        match (rust_sdk(before, &keys), rust_sdk(after, &keys)) {
            (Ok(b), Ok(a)) => {
                for (profile, values) in &b {
                    if profile != PROFILE {
                        assert_eq!(
                            a.get(profile),
                            Some(values),
                            "{}: the Rust SDK reads {profile} differently",
                            case.name
                        );
                    }
                }
                let ours = &a[PROFILE];
                assert_eq!(
                    ours.get("aws_access_key_id").map(String::as_str),
                    Some("ASIANEWX"),
                    "{}: {ours:?}",
                    case.name
                );
                assert_eq!(
                    ours.get("aws_session_token").map(String::as_str),
                    Some("new-session-token-X"),
                    "{}",
                    case.name
                );
                assert_eq!(
                    ours.get("region").map(String::as_str),
                    Some("eu-central-1"),
                    "{}",
                    case.name
                );
                rust_checked += 1;
            }
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => panic!(
                "{}: the Rust SDK cannot read PoolPass's result: {e}",
                case.name
            ),
            (Err(e), Ok(_)) => panic!(
                "{}: the Rust SDK could not read the original ({e}) but reads the result",
                case.name
            ),
        }
    }
    println!(
        "corpus: {} files, {refused} refused as expected, {botocore_checked} file reads compared by botocore, {rust_checked} cases by the Rust SDK",
        cases.len()
    );
}
