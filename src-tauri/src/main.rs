// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    poolpass_desktop::timing("main");
    // Accelerated compositing makes WebKit's web process load a GL stack (under X without a
    // GPU, Mesa's LLVM) and costs it ~80 MB of its ~180, for a window of forms and a list that
    // draws just as well in software; it is also behind the blank windows WebKitGTK shows on
    // some GPU drivers. Set before any thread starts; a value the user chose is kept.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    // Start at login wants the tray only: the tray program, which loads no WebKit. Replaced
    // before anything starts, so the session holds one small process all day.
    #[cfg(unix)]
    if std::env::args().any(|a| a == poolpass_desktop::BACKGROUND_ARG) {
        use std::os::unix::process::CommandExt;
        if let Ok(tray) = poolpass_tray::sibling(poolpass_tray::TRAY_PROGRAM) {
            let e = std::process::Command::new(&tray).exec();
            // Not installed beside this one: this process runs the tray itself.
            eprintln!("poolpass-desktop: could not start {} ({e})", tray.display());
        }
    }
    if let Err(e) = poolpass_desktop::run() {
        eprintln!("PoolPass could not start: {e}");
        std::process::exit(1);
    }
}
