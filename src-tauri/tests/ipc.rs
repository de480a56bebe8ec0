//! The shell on Tauri's mock runtime, driven through IPC as the window drives it: the real
//! context (tauri.conf.json and the capability), the real commands, a sandboxed core.

use std::path::Path;

use poolpass::profiles::AwsFiles;
use poolpass::session::Context;
use poolpass_desktop::Shell;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, WebviewWindow, WebviewWindowBuilder};

fn sandbox(dir: &Path, config: &Path) -> Shell {
    let ctx = Context {
        files: AwsFiles {
            credentials: dir.join("aws/credentials"),
            config: dir.join("aws/config"),
        },
        state_path: dir.join("state/state.json"),
        http: poolpass::auth::hosted_ui::http_client().expect("http client"),
        keychain: Default::default(),
        clock: Default::default(),
        aws: Default::default(),
    };
    Shell::new(poolpass::workspace::Workspace::with_context(
        config.to_path_buf(),
        ctx,
    ))
}

fn start(shell: Shell) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = poolpass_desktop::app(mock_builder(), shell)
        .build(poolpass_desktop::context())
        .expect("build the app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");
    (app, window)
}

fn invoke(shell: Shell, cmd: &str, args: Value) -> Result<Value, Value> {
    let (_app, window) = start(shell);
    call(&window, cmd, args)
}

fn call(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("JSON response"))
}

const CONFIG: &str = r#"
[[connection]]
name = "acme"
user_pool_id = "us-west-2_AbC123"
client_id = "1example23456789"
domain = "https://acme.auth.us-west-2.amazoncognito.com"
providers = ["Google", "Facebook", "LoginWithAmazon", "SignInWithApple", "COGNITO"]

[[connection.identity_pool]]
id = "ap-northeast-1:00000000-0000-0000-0000-000000000000"
profile = "acme"
"#;

#[test]
fn app_state_without_configuration_says_where_it_goes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("nowhere/config.toml");
    let state = invoke(sandbox(dir.path(), &config), "app_state", json!({})).expect("app_state");
    assert_eq!(
        state,
        json!({
            "config": { "path": config.display().to_string(), "present": false, "error": null },
            "connections": [],
            "profiles": [],
        })
    );
}

#[test]
fn app_state_lists_connections_with_their_buttons_and_profiles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, CONFIG).expect("write config");
    std::fs::create_dir_all(dir.path().join("state")).expect("state dir");
    std::fs::write(
        dir.path().join("state/state.json"),
        json!({ "profiles": { "acme": {
            "connection": "acme",
            "identity_pool_id": "ap-northeast-1:00000000-0000-0000-0000-000000000000",
            "role_arn": "arn:aws:iam::123456789012:role/Dev",
            "account_id": "123456789012",
            "role_name": "Dev",
            "user": "ana@example.com",
            "expires_at": "2026-01-01T13:00:00Z",
            "credentials_file": dir.path().join("aws/credentials"),
            "config_file": dir.path().join("aws/config"),
            "updated_at": "2026-01-01T12:00:00Z",
        }}})
        .to_string(),
    )
    .expect("write state");

    let state = invoke(sandbox(dir.path(), &config), "app_state", json!({})).expect("app_state");
    assert_eq!(state["config"]["present"], json!(true));
    assert_eq!(state["config"]["error"], Value::Null);
    // The buttons, in the configuration's order, by Cognito's identity_provider values (the
    // window words them in its language).
    let ids: Vec<&str> = state["connections"][0]["providers"]
        .as_array()
        .expect("providers")
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "Google",
            "Facebook",
            "LoginWithAmazon",
            "SignInWithApple",
            "COGNITO"
        ]
    );
    assert_eq!(
        state["profiles"],
        json!([{
            "profile": "acme",
            "connection": "acme",
            "accountId": "123456789012",
            "roleName": "Dev",
            "roleArn": "arn:aws:iam::123456789012:role/Dev",
            "identityPoolId": "ap-northeast-1:00000000-0000-0000-0000-000000000000",
            "expiresAt": "2026-01-01T13:00:00Z",
            "user": "ana@example.com",
        }])
    );
}

#[test]
fn errors_cross_ipc_as_code_and_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[[connection]]\nname = 3\n").expect("write config");
    let shell = sandbox(dir.path(), &config);
    let err = invoke(
        shell,
        "sign_in",
        json!({ "request": { "connection": "acme", "provider": "Google", "takeOver": false, "otherUser": false } }),
    )
    .expect_err("a broken configuration is refused");
    assert_eq!(err["code"], json!("config_invalid"));
    assert!(err["message"]
        .as_str()
        .expect("message")
        .contains("config.toml:2"));
    // The catalogue entry that words it (the window shows the message when it has none).
    assert_eq!(err["key"], json!("error_config_invalid"));
    // And the facts it is worded from: where, and the parser's own words (no rule of ours).
    assert_eq!(err["facts"]["line"], json!("2"));
    assert!(err["facts"].get("rule").is_none(), "{err}");
    assert_eq!(err.as_object().expect("object").len(), 4, "{err}");

    let shell = sandbox(dir.path(), &dir.path().join("missing.toml"));
    let err = invoke(
        shell,
        "remove_profile",
        json!({ "request": { "profile": "acme" } }),
    )
    .expect_err("not ours");
    assert_eq!(err["code"], json!("not_poolpass_profile"));
    assert_eq!(err["key"], json!("error_not_poolpass_profile"));
    assert_eq!(err["facts"]["profile"], json!("acme"));
}

#[test]
fn a_request_with_an_argument_the_contract_does_not_name_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shell = sandbox(dir.path(), &dir.path().join("missing.toml"));
    // The old, flat argument shape (what a window built before the contract would send).
    let err = invoke(shell, "remove_profile", json!({ "profile": "acme" })).expect_err("flat");
    assert!(err.to_string().contains("request"), "{err}");
    let shell = sandbox(dir.path(), &dir.path().join("missing.toml"));
    let err = invoke(
        shell,
        "remove_profile",
        json!({ "request": { "profile": "acme", "force": true } }),
    )
    .expect_err("unknown field");
    assert!(err.to_string().contains("unknown field `force`"), "{err}");
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shell = sandbox(dir.path(), &dir.path().join("config.toml"));
    // The core's `plugin:` commands the capability does not grant, e.g. opening a window.
    let err =
        invoke(shell, "plugin:webview|create_webview_window", json!({})).expect_err("not granted");
    assert!(err.to_string().contains("not allowed"), "{err}");
}

#[test]
fn a_sign_in_reports_its_link_and_cancel_closes_the_listener() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        CONFIG.replace(
            "providers =",
            &format!("redirect_ports = [{port}]\nproviders ="),
        ),
    )
    .expect("write config");
    // `true` stands in for the user's browser: the core reports BrowserOpened and waits.
    std::env::set_var("BROWSER", "true");
    let (app, window) = start(sandbox(dir.path(), &config));
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    app.listen_any("progress", move |e| {
        let _ = tx.send(e.payload().to_string());
    });

    let w = window.clone();
    let signing_in = std::thread::spawn(move || {
        call(
            &w,
            "sign_in",
            json!({ "request": { "connection": "acme", "provider": "Google", "takeOver": false, "otherUser": false } }),
        )
    });
    let mut kinds = Vec::new();
    let mut link = None;
    while kinds.last().map(String::as_str) != Some("waiting") {
        let payload = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("progress events up to `waiting`");
        // A batch: the events of a burst travel in one message.
        let batch: Vec<Value> = serde_json::from_str(&payload).expect("event JSON");
        for e in batch {
            if e["kind"] == "browserOpened" {
                link = e["url"].as_str().map(String::from);
            }
            kinds.push(e["kind"].as_str().expect("kind").to_string());
        }
    }
    assert_eq!(kinds, ["listening", "browserOpened", "waiting"]);
    let link = link.expect("the sign-in link");
    assert!(
        link.starts_with("https://acme.auth.us-west-2.amazoncognito.com/oauth2/authorize?"),
        "{link}"
    );
    assert!(link.contains("identity_provider=Google"), "{link}");
    assert!(link.contains(&format!("localhost%3A{port}")), "{link}");
    assert!(
        std::net::TcpListener::bind(("127.0.0.1", port)).is_err(),
        "the sign-in listens on its redirect port"
    );

    assert_eq!(call(&window, "cancel_sign_in", json!({})), Ok(json!(true)));
    let err = signing_in
        .join()
        .expect("sign-in thread")
        .expect_err("a cancelled sign-in");
    assert_eq!(err["code"], json!("cancelled"));
    // The listener went with the task: the port is free again.
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is released");
    assert_eq!(call(&window, "cancel_sign_in", json!({})), Ok(json!(false)));
}

#[test]
fn an_import_is_previewed_with_its_flags_and_applied_only_when_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("cfg/config.toml");
    let offered = dir.path().join("from-admin.toml");
    // A sign-in page outside AWS: allowed (custom domains exist) but flagged plainly.
    std::fs::write(
        &offered,
        CONFIG.replace(
            "https://acme.auth.us-west-2.amazoncognito.com",
            "https://login.example.net",
        ),
    )
    .expect("write offered");
    let (_app, window) = start(sandbox(dir.path(), &config));
    let source = json!({ "request": { "source": { "kind": "file", "path": offered.display().to_string() } } });
    let check = call(&window, "import_preview", source.clone()).expect("preview");
    assert_eq!(check["error"], Value::Null, "{check}");
    let preview = &check["preview"];
    assert_eq!(preview["connections"][0]["name"], json!("acme"));
    assert_eq!(
        preview["connections"][0]["hostedUiDomain"],
        json!("login.example.net")
    );
    assert!(
        preview["endpoints"]
            .as_array()
            .expect("endpoints")
            .iter()
            .any(|e| e["host"] == "login.example.net"
                && e["kind"] == "other"
                && e["service"] == "hostedUi"
                && e["concern"] == "notAws"),
        "{preview}"
    );
    assert!(!config.exists(), "a preview writes nothing");

    // What is saved is the text the user saw, even if the file changed since.
    let previewed = std::fs::read_to_string(&offered).expect("read offered");
    std::fs::write(
        &offered,
        CONFIG.replace("acme", "changed-behind-the-preview"),
    )
    .expect("write");
    let token = check["token"].clone();
    assert!(token.is_u64(), "{check}");
    let saved = call(
        &window,
        "import_apply",
        json!({ "request": { "token": token } }),
    )
    .expect("apply");
    assert_eq!(saved, json!(config.display().to_string()));
    assert_eq!(std::fs::read_to_string(&config).expect("saved"), previewed);
    let again = call(
        &window,
        "import_apply",
        json!({ "request": { "token": token } }),
    )
    .expect_err("a preview is applied once");
    assert_eq!(again["code"], json!("import_preview_gone"), "{again}");
    let state = call(&window, "app_state", json!({})).expect("app_state");
    assert_eq!(state["connections"][0]["name"], json!("acme"));

    // A broken one: the error names its line and field, and the lines come along to show it.
    std::fs::write(
        &offered,
        CONFIG.replace("profile = \"acme\"", "profile = 7"),
    )
    .expect("write");
    let check = call(
        &window,
        "import_preview",
        json!({ "request": { "source": { "kind": "file", "path": offered.display().to_string() } } }),
    )
    .expect("preview");
    assert_eq!(check["preview"], Value::Null);
    let line = check["error"]["line"].as_u64().expect("a line") as usize;
    let first = check["error"]["firstLine"].as_u64().expect("first line") as usize;
    assert!(first <= line && line - first <= 2, "{check}");
    assert!(
        check["error"]["lines"][line - first]
            .as_str()
            .expect("the line")
            .contains("profile = 7"),
        "{check}"
    );
    assert!(
        check["error"]["lines"].as_array().expect("lines").len() <= 5,
        "only the lines around the fault: {check}"
    );
    assert_eq!(check["token"], Value::Null, "nothing to apply: {check}");
    // Beside that line, the reason alone (the line and field are shown by the window).
    let reason = check["error"]["reason"].as_str().expect("a reason");
    assert!(
        !reason.is_empty() && !reason.contains(&offered.display().to_string()),
        "{check}"
    );
    assert!(
        check["error"]["message"]
            .as_str()
            .expect("a message")
            .ends_with(reason),
        "{check}"
    );
    let bad_link = call(
        &window,
        "import_preview",
        json!({ "request": { "source": { "kind": "link", "link": "poolpass://import?url=https://evil.example/" } } }),
    )
    .expect("preview");
    assert_eq!(bad_link["error"]["code"], json!("import_link_invalid"));
}

#[test]
fn a_dropped_credentials_file_shows_no_key_to_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("cfg/config.toml");
    let dropped = dir.path().join("credentials");
    let secrets = [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "IQoJb3JpZ2luX2VjEKj//////////wEaCXVzLWVhc3QtMSJHMEUCIQ",
    ];
    // Quoted values parse as TOML, so the validator (not the parser) finds the fault; the
    // second profile is far from it.
    let text = format!(
        "[default]\naws_access_key_id = \"{}\"\naws_secret_access_key = \"{}\"\naws_session_token = \"{}\"\n\n\n\n\n[work]\naws_secret_access_key = \"{}\"\n",
        secrets[0], secrets[1], secrets[2], secrets[1]
    );
    std::fs::write(&dropped, &text).expect("write");
    let (_app, window) = start(sandbox(dir.path(), &config));
    let check = call(
        &window,
        "import_preview",
        json!({ "request": { "source": { "kind": "file", "path": dropped.display().to_string() } } }),
    )
    .expect("preview");
    assert_eq!(check["preview"], Value::Null, "{check}");
    let sent = check.to_string();
    for secret in secrets {
        assert!(!sent.contains(secret), "{sent}");
    }
    let unquoted = text.replace('"', "");
    std::fs::write(&dropped, unquoted).expect("write");
    let check = call(
        &window,
        "import_preview",
        json!({ "request": { "source": { "kind": "file", "path": dropped.display().to_string() } } }),
    )
    .expect("preview");
    let sent = check.to_string();
    for secret in secrets {
        assert!(!sent.contains(secret), "{sent}");
    }
    let lines = check["error"]["lines"].as_array().expect("lines");
    assert!(!lines.is_empty() && lines.len() <= 5, "{check}");
    assert!(
        check["error"]["hidden"].as_u64().expect("hidden") >= 1,
        "{check}"
    );
    assert!(!config.exists());
}

#[test]
fn settings_are_checked_saved_beside_the_configuration_and_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, CONFIG).expect("write config");
    let (_app, window) = start(sandbox(dir.path(), &config));
    let s = call(&window, "settings", json!({})).expect("settings");
    assert_eq!(s["language"], json!("auto"));
    assert_eq!(s["startAtLogin"], json!(false));

    let input = |ports: Value| {
        json!({ "request": { "settings": {
            "language": "ja",
            "credentialsFile": dir.path().join("aws/creds").display().to_string(),
            "configFile": null,
            "redirectPorts": ports,
            "startAtLogin": false,
        }}})
    };
    let err = call(&window, "save_settings", input(json!([5000, 5000]))).expect_err("refused");
    assert_eq!(err["code"], json!("settings"));
    assert!(!dir.path().join("settings.toml").exists());

    let saved = call(&window, "save_settings", input(json!([49200]))).expect("saved");
    assert_eq!(saved["language"], json!("ja"));
    assert!(dir.path().join("settings.toml").exists());
    if std::env::var_os("AWS_SHARED_CREDENTIALS_FILE").is_none() {
        assert_eq!(
            saved["effectiveCredentialsFile"],
            json!(dir.path().join("aws/creds").display().to_string())
        );
    }
    assert_eq!(
        call(&window, "settings", json!({})).expect("settings")["redirectPorts"],
        json!([49200])
    );
}
