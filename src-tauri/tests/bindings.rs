//! The TypeScript types in ui/src/bindings/ must be exactly what the Rust types generate.
//! `UPDATE_BINDINGS=1 cargo test -p poolpass-desktop --test bindings` rewrites them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

/// The capability file Tauri builds the window's permissions from: made from the contract.
fn capability_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities/main.json")
}

fn capability() -> String {
    let json = serde_json::to_string_pretty(&poolpass_desktop::contract::capability())
        .expect("capability JSON");
    json + "\n"
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("list bindings") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|e| e == "ts") {
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            files.insert(name, fs::read_to_string(&path).expect("read binding"));
        }
    }
    files
}

#[test]
fn bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().expect("temp dir");
    poolpass_desktop::bindings::export(fresh.path()).expect("export bindings");
    let generated = read_dir(fresh.path());
    assert!(generated.contains_key("AppState.ts") && generated.contains_key("Progress.ts"));

    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let dir = committed();
        fs::create_dir_all(&dir).expect("create ui/src/bindings");
        for old in read_dir(&dir).keys() {
            fs::remove_file(dir.join(old)).expect("remove old binding");
        }
        for (name, text) in &generated {
            fs::write(dir.join(name), text).expect("write binding");
        }
        fs::write(capability_file(), capability()).expect("write the capability file");
        return;
    }
    let on_disk = read_dir(&committed());
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        generated.keys().collect::<Vec<_>>(),
        "ui/src/bindings/ has other files than the Rust types generate; run UPDATE_BINDINGS=1 cargo test -p poolpass-desktop --test bindings"
    );
    for (name, text) in &generated {
        assert_eq!(
            &on_disk[name], text,
            "ui/src/bindings/{name} drifted from the Rust types; run UPDATE_BINDINGS=1 cargo test -p poolpass-desktop --test bindings"
        );
    }
    assert_eq!(
        fs::read_to_string(capability_file()).expect("read the capability file"),
        capability(),
        "capabilities/main.json drifted from src/contract/list.rs; run UPDATE_BINDINGS=1 cargo test -p poolpass-desktop --test bindings"
    );
}
