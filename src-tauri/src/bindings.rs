//! The TypeScript the window is typed with, generated from `dto` and `contract` (the request
//! types and the `commands.ts` wrapper). The files are committed under
//! `ui/src/bindings/`; `tests/bindings.rs` fails when they drift from the Rust types, and
//! `UPDATE_BINDINGS=1 cargo test -p poolpass-desktop --test bindings` rewrites them.

use std::path::Path;

use ts_rs::{ExportError, TS};

use crate::dto::{
    AppState, ConnectionRefresh, ImportCheck, ImportSource, PendingView, Progress, SettingsInput,
    SettingsView, SignInResult, SignOutResult,
};

/// Writes every IPC type (and those they use) into `dir`, one file per type.
pub fn export(dir: &Path) -> Result<(), ExportError> {
    AppState::export_all_to(dir)?;
    SignInResult::export_all_to(dir)?;
    ConnectionRefresh::export_all_to(dir)?;
    Progress::export_all_to(dir)?;
    PendingView::export_all_to(dir)?;
    SettingsView::export_all_to(dir)?;
    SettingsInput::export_all_to(dir)?;
    ImportCheck::export_all_to(dir)?;
    ImportSource::export_all_to(dir)?;
    SignOutResult::export_all_to(dir)?;
    crate::contract::export_requests(dir)?;
    std::fs::write(dir.join("commands.ts"), crate::contract::typescript())?;
    Ok(())
}
