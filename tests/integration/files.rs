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
