// The one place the window talks to the shell. Every command is typed with the generated
// bindings; every rejection arrives as an IpcError ({code, message}).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { AppState } from "./bindings/AppState";
import type { ConnectionRefresh } from "./bindings/ConnectionRefresh";
import type { Progress } from "./bindings/Progress";
import type { SignInResult } from "./bindings/SignInResult";
import { toIpcError } from "./logic";

/** The name `commands::PROGRESS_EVENT` emits under. */
const PROGRESS_EVENT = "progress";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

export const api = {
  appState: () => call<AppState>("app_state"),
  signIn: (connection: string, provider: string) =>
    call<SignInResult>("sign_in", { connection, provider }),
  cancelSignIn: () => call<boolean>("cancel_sign_in"),
  refreshAll: () => call<ConnectionRefresh[]>("refresh_all"),
  removeProfile: (profile: string) => call<null>("remove_profile", { profile }),
  onProgress: (f: (p: Progress) => void): Promise<UnlistenFn> =>
    listen<Progress>(PROGRESS_EVENT, (e) => f(e.payload)),
};
