// The one place the window talks to the shell. Every command is typed with the generated
// bindings; every rejection arrives as an IpcError ({code, message}).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { AppState } from "./bindings/AppState";
import type { ConnectionRefresh } from "./bindings/ConnectionRefresh";
import type { ImportCheck } from "./bindings/ImportCheck";
import type { ImportSource } from "./bindings/ImportSource";
import type { PendingView } from "./bindings/PendingView";
import type { Progress } from "./bindings/Progress";
import type { SettingsInput } from "./bindings/SettingsInput";
import type { SettingsView } from "./bindings/SettingsView";
import type { SignInResult } from "./bindings/SignInResult";
import type { SignOutResult } from "./bindings/SignOutResult";
import { toIpcError } from "./logic";

/** The names the shell emits under (`background::PROGRESS_EVENT`, `STATE_EVENT`, `PENDING_EVENT`). */
const PROGRESS_EVENT = "progress";
const STATE_EVENT = "state-changed";
const PENDING_EVENT = "pending";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const api = {
  appState: () => call<AppState>("app_state"),
  signIn: (connection: string, provider: string, takeOver = false, otherUser = false) =>
    call<SignInResult>("sign_in", { connection, provider, takeOver, otherUser }),
  cancelSignIn: () => call<boolean>("cancel_sign_in"),
  refreshAll: () => call<ConnectionRefresh[]>("refresh_all"),
  refreshConnection: (connection: string) =>
    call<ConnectionRefresh[]>("refresh_connection", { connection }),
  removeProfile: (profile: string) => call<null>("remove_profile", { profile }),
  /** The credentials go straight to the clipboard in the shell; the window never sees them. */
  copyExport: (profile: string, format: string) => call<null>("copy_export", { profile, format }),
  signOut: (connection: string, removeProfiles: boolean) =>
    call<SignOutResult>("sign_out", { connection, removeProfiles }),
  /** The system's file chooser, titled in the window's language; null when the user cancels. */
  pickConfigFile: (title: string, filter: string) => call<string | null>("pick_config_file", { title, filter }),
  importPreview: (source: ImportSource) => call<ImportCheck>("import_preview", { source }),
  /** Applies after the user confirmed; returns where the configuration was saved. */
  /** Saves exactly what the preview with this token showed. */
  importApply: (token: number) => call<string>("import_apply", { token }),
  settings: () => call<SettingsView>("settings"),
  saveSettings: (settings: SettingsInput) => call<SettingsView>("save_settings", { settings }),
  takePending: () => call<PendingView | null>("take_pending"),
  /** For the benchmark's start-up figures: "first-paint", then "content". */
  windowReady: (stage: "first-paint" | "content") => call<null>("window_ready", { stage }),
  /** The shell sends progress in batches (a burst of events is one message). */
  onProgress: (f: (batch: Progress[]) => void): Promise<UnlistenFn> =>
    listen<Progress[]>(PROGRESS_EVENT, (e) => f(e.payload)),
  onStateChanged: (f: () => void): Promise<UnlistenFn> => listen(STATE_EVENT, () => f()),
  onPending: (f: () => void): Promise<UnlistenFn> => listen(PENDING_EVENT, () => f()),
};
