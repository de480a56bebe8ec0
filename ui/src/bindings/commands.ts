// Generated from src-tauri/src/contract/list.rs; do not edit.
// `UPDATE_BINDINGS=1 cargo test -p poolpass-desktop --test bindings` rewrites it.

import type { AppState } from "./AppState";
import type { ConnectionRefresh } from "./ConnectionRefresh";
import type { CopyExportRequest } from "./CopyExportRequest";
import type { ImportApplyRequest } from "./ImportApplyRequest";
import type { ImportCheck } from "./ImportCheck";
import type { ImportPreviewRequest } from "./ImportPreviewRequest";
import type { PendingView } from "./PendingView";
import type { PickConfigFileRequest } from "./PickConfigFileRequest";
import type { RefreshConnectionRequest } from "./RefreshConnectionRequest";
import type { RemoveProfileRequest } from "./RemoveProfileRequest";
import type { SaveSettingsRequest } from "./SaveSettingsRequest";
import type { SettingsView } from "./SettingsView";
import type { SignInRequest } from "./SignInRequest";
import type { SignInResult } from "./SignInResult";
import type { SignOutRequest } from "./SignOutRequest";
import type { SignOutResult } from "./SignOutResult";
import type { WindowReadyRequest } from "./WindowReadyRequest";

/** How a command reaches the shell (`api.ts` gives the real one, tests their own). */
export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** The shell's commands, each with its request and response types. */
export function commands(call: Call) {
  return {
    appState: () => call<AppState>("app_state"),
    signIn: (request: SignInRequest) => call<SignInResult>("sign_in", { request }),
    cancelSignIn: () => call<boolean>("cancel_sign_in"),
    refreshAll: () => call<Array<ConnectionRefresh>>("refresh_all"),
    refreshConnection: (request: RefreshConnectionRequest) => call<Array<ConnectionRefresh>>("refresh_connection", { request }),
    removeProfile: (request: RemoveProfileRequest) => call<null>("remove_profile", { request }),
    copyExport: (request: CopyExportRequest) => call<null>("copy_export", { request }),
    takePending: () => call<PendingView | null>("take_pending"),
    windowReady: (request: WindowReadyRequest) => call<null>("window_ready", { request }),
    settings: () => call<SettingsView>("settings"),
    saveSettings: (request: SaveSettingsRequest) => call<SettingsView>("save_settings", { request }),
    pickConfigFile: (request: PickConfigFileRequest) => call<string | null>("pick_config_file", { request }),
    importPreview: (request: ImportPreviewRequest) => call<ImportCheck>("import_preview", { request }),
    importApply: (request: ImportApplyRequest) => call<string>("import_apply", { request }),
    signOut: (request: SignOutRequest) => call<SignOutResult>("sign_out", { request }),
  };
}
