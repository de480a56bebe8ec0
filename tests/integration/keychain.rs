//! The refresh token's only home: the OS keychain (here GNOME Keyring's Secret Service).

use poolpass::keychain::Keychain;
use poolpass::secret::Secret;

use crate::util::unique;

#[test]
fn a_refresh_token_survives_a_round_trip_through_the_keychain() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let account = unique("keychain-test");
        assert!(Keychain::Os
            .load_refresh_token(&account)
            .await
            .unwrap()
            .is_none());
        // Cognito refresh tokens are JWE strings of about 1.8 kB.
        let token = Secret::new(format!("eyJjdHkiOiJKV1Qi.{}", "x".repeat(1800)));
        Keychain::Os
            .store_refresh_token(&account, &token)
            .await
            .unwrap();
        assert_eq!(
            Keychain::Os.load_refresh_token(&account).await.unwrap(),
            Some(token.clone())
        );
        let rotated = Secret::new("rotated".to_string());
        Keychain::Os
            .store_refresh_token(&account, &rotated)
            .await
            .unwrap();
        assert_eq!(
            Keychain::Os.load_refresh_token(&account).await.unwrap(),
            Some(rotated)
        );
        Keychain::Os.delete_refresh_token(&account).await.unwrap();
        assert!(Keychain::Os
            .load_refresh_token(&account)
            .await
            .unwrap()
            .is_none());
        // Deleting twice is fine.
        Keychain::Os.delete_refresh_token(&account).await.unwrap();
    });
}

#[test]
fn without_a_secret_service_the_error_says_what_to_install() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_poolpass"))
        .args(["refresh"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("POOLPASS_CONFIG", write_minimal_config().path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("Error [keychain]") && err.contains("Secret Service"),
        "{err}"
    );
}

fn write_minimal_config() -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        f.path(),
        r#"[[connection]]
name = "k"
user_pool_id = "us-west-2_x"
client_id = "abc"
domain = "http://127.0.0.1:9"
[[connection.identity_pool]]
id = "us-west-2:00000000-0000-0000-0000-000000000000"
profile = "k"
"#,
    )
    .unwrap();
    f
}
