// The one list of the window's commands (see the file).
include!("src/contract/list.rs");

macro_rules! names {
    ($(
        $name:ident $(( $req:ident { $( $(#[$doc:meta])* $field:ident : $fty:ty ),* $(,)? } ))? -> $resp:ty;
    )*) => {
        &[$(stringify!($name)),*]
    };
}

fn main() {
    println!("cargo:rerun-if-changed=src/contract/list.rs");
    // Declaring the app's commands makes Tauri check every call against the capability file,
    // so the window can call exactly these and nothing else.
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(window_commands!(names)));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
