// The reference for PoolPass's first-paint figure: an empty Tauri 2 window whose page reports
// its second animation frame, timed the same way (wall clock, printed under POOLPASS_TIMING).
fn unix_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}
#[tauri::command]
fn painted() {
    eprintln!(
        "poolpass-desktop: first paint after 0 ms (unix_ms {})",
        unix_ms()
    );
}
fn main() {
    eprintln!("poolpass-desktop: timing main (unix_ms {})", unix_ms());
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![painted])
        .run(tauri::generate_context!())
        .expect("run");
}
