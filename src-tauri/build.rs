fn main() {
    // Declaring the app's commands makes Tauri check every call against the capability file,
    // so the window can call exactly these and nothing else.
    let attributes =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_state",
            "sign_in",
            "cancel_sign_in",
            "refresh_all",
            "remove_profile",
            "refresh_connection",
            "copy_export",
            "take_pending",
            "window_ready",
            "settings",
            "save_settings",
            "pick_config_file",
            "import_preview",
            "import_apply",
            "sign_out",
        ]));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
